package dev.a64trap.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A plain parser for the common {@code run} command lines, so that a short run does not pay for
 * picocli: building picocli's model of {@code run} (reflection over some 45 annotated options, the
 * JDK's annotation proxies, its converters, all in the JVM's interpreter, from Java 5 class files
 * that class-data sharing cannot archive) took about half of a short run's CPU time.
 *
 * <p>It fills a {@link RunCommand} exactly as picocli would (RunArgsTest compares the two over every
 * option) or gives up, returning null, and then picocli parses the line as before: help, version,
 * errors and their messages, repeated options, clustered flags, values that look like options,
 * numbers picocli would refuse, {@code --pmu-filter} and {@code --} all go that way.
 */
final class RunArgs {
    private RunArgs() {}

    /** {@code args} after "run" as a command, or null for picocli to parse them. */
    static RunCommand parse(String[] args, int from) {
        RunCommand r = new RunCommand();
        Set<String> seen = new HashSet<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                if (r.image != null || a.isEmpty()) {
                    return null; // picocli: one IMAGE at most
                }
                r.image = Path.of(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (!seen.add(name.equals("-machine") ? "-M" : name)) {
                return null; // picocli refuses a repeated option
            }
            if (eq < 0 && flag(r, name)) {
                continue;
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (value.startsWith("-") || !value(r, name, value)) {
                return null;
            }
        }
        return r;
    }

    /** Sets the boolean option {@code name}; false if it is none. */
    private static boolean flag(RunCommand r, String name) {
        switch (name) {
            case "--bios" -> r.bios = true;
            case "--trace" -> r.trace = true;
            case "--no-jit" -> r.noJit = true;
            case "--stats" -> r.stats = true;
            case "--semihosting-files" -> r.semihostingFiles = true;
            case "--wait" -> r.gdbOptions.waitFlag = true;
            case "-s" -> r.gdbOptions.qemuS = true;
            case "-S" -> r.gdbOptions.qemuBigS = true;
            case "-semihosting" -> r.qemu.semihosting = true;
            case "-nographic" -> r.qemu.nographic = true;
            case "--vcpu-strict" -> r.pmuOptions.vcpuStrict = true;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Sets option {@code name} to {@code v}; false if it is no single-valued option or picocli would refuse v. */
    private static boolean value(RunCommand r, String name, String v) {
        PmuOptions p = r.pmuOptions;
        QemuOptions q = r.qemu;
        switch (name) {
            case "--append" -> r.append = v;
            case "--max-insns" -> {
                Long n = number(v);
                if (n == null) {
                    return false;
                }
                r.maxInsns = n;
            }
            case "--smp" -> {
                r.smp = integer(v);
                return r.smp != null;
            }
            case "--memory" -> r.memory = v;
            case "--load-addr" -> r.loadAddr = v;
            case "--cpu" -> r.cpuModel = v;
            case "--plot" -> r.plotFile = v;
            case "--semihosting-root" -> r.semihostingRoot = Path.of(v);
            case "--rtc-base" -> r.rtcBase = v;
            case "--gdb" -> r.gdbOptions.gdb = v;
            case "-kernel" -> q.kernel = Path.of(v);
            case "-bios" -> q.bios = Path.of(v);
            case "-append" -> q.append = v;
            case "-m" -> q.memory = v;
            case "-cpu" -> q.cpu = v;
            case "-smp" -> q.smp = v;
            case "-M", "-machine" -> q.machine = v;
            case "-semihosting-config" -> q.semihostingConfig = v;
            case "-rtc" -> q.rtc = v;
            case "--host" -> p.host = v;
            case "--sched" -> p.sched = v;
            case "--pin-after" -> p.pinAfter = v;
            case "--vmm-cpu" -> {
                Integer n = integer(v);
                if (n == null) {
                    return false;
                }
                p.vmmCpu = n;
            }
            case "--seed" -> {
                Long n = number(v);
                if (n == null) {
                    return false;
                }
                p.seed = n;
            }
            case "--pmu" -> p.pmu = v;
            case "--qemu-machine" -> p.qemuMachine = v;
            case "--kvm-abi" -> p.kvmAbi = v;
            case "--pmu-version" -> p.pmuVersion = v;
            case "--host-pmu-version" -> p.hostPmuVersion = v;
            case "--pmu-counters" -> {
                p.pmuCounters = integer(v);
                return p.pmuCounters != null;
            }
            case "--pmcr-n" -> {
                p.pmcrN = integer(v);
                return p.pmcrN != null;
            }
            case "--pmu-report" -> p.pmuReport = v;
            case "--plant-bug" -> p.plantBug = v;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Plain decimal digits as a long, else null (signs, hex, overflow: picocli's to judge). */
    private static Long number(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(v);
    }

    private static Integer integer(String v) {
        Long n = number(v);
        return n == null || n > Integer.MAX_VALUE ? null : (int) (long) n;
    }
}
