package dev.a64trap.cli;

import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.VmmPolicy;
import dev.a64trap.pmu.PmuReg;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code a64trap compare IMAGE}: the same guest under the seven VMM PMU choices on one host, one row
 * each; the guests' console output follows the table, one section per run.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        header = "Run an image under each KVM PMU mode and compare the outcomes.",
        description = {"Run an image with no PMU, under KVM's default PMU, SET_PMU (pinned to the first PMU's CPUs",
            "after init), fixed-counters-only, a partitioned PMU (rule set partition-v9), the experimental",
            "fixed-counters-only+icntr (beyond upstream: docs/vpmu-upstream.md) and auto on the chosen",
            "host; print one row per mode, then each run's console. --pmu is ignored (each row sets its own).",
            "A mode KVM refuses on this host or ABI is a row 'refused: ERRNO (reason)' and the others run.",
            "--pmu-report gives one report per row that ran (json:FILE: FILE with the mode before its",
            "extension, r-default.json ...).",
            "Exit status: 0 when every run that KVM accepted exited 0, else 1; 2 bad usage or image."})
public final class CompareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE", description = "guest image (ELF)")
    Path image;

    @Option(names = "--append", paramLabel = "STR", description = "guest command line (semihosting SYS_GET_CMDLINE)")
    String append;

    @Option(names = "--max-insns", paramLabel = "N", defaultValue = "2000000000",
            description = "instruction budget of each run, 0 = no limit as for run (default ${DEFAULT-VALUE})")
    long maxInsns;

    @Option(names = "--memory", paramLabel = "SIZE", description = "as run --memory (default 128M)")
    String memory = "128M";

    @Option(names = "--load-addr", paramLabel = "A", description = "as run --load-addr")
    String loadAddr;

    @Option(names = "--cpu", paramLabel = "MODEL", description = "as run --cpu (default cortex-a57+lse)")
    String cpuModel = "cortex-a57+lse";

    @Option(names = "--no-jit", description = "as run --no-jit")
    boolean noJit;

    @Option(names = "--verbose", description = "print the KVM calls of each mode before its console output")
    boolean verbose;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg",
            description = "draw each mode's counters against guest time, side by side (see run --plot)")
    String plotFile;

    @Mixin
    PmuOptions pmu;

    OutputStream out;
    OutputStream err;

    /** Embedded image bytes (demo); null = read {@link #image}. */
    byte[] imageBytes;
    String imageName;

    @Override
    public Integer call() {
        PrintStream o = new PrintStream(out != null ? out : new FileOutputStream(FileDescriptor.out), true);
        PrintStream e = new PrintStream(err != null ? err : new FileOutputStream(FileDescriptor.err), true);
        try {
            return compare(o, e);
        } catch (RunCommand.UsageError x) {
            e.println("a64trap compare: " + x.getMessage());
            return ExitStatus.USAGE;
        } catch (ImageLoadException x) {
            e.println("a64trap compare: " + x.getMessage());
            return ExitStatus.USAGE;
        }
    }

    record Row(String label, String pmuMode, String pinAfter, KvmAbi abi) {
        Row(String label, String pmuMode, String pinAfter) {
            this(label, pmuMode, pinAfter, null);
        }
    }

    /**
     * The seven rows for {@code host}: no PMU at all (Windows crashes without one too: the first
     * series' cover letter), KVM's default, SET_PMU to the first registered PMU pinned after init,
     * fixed-counters-only, a partitioned PMU with HPMN = min(4, the fewest counters) under its own
     * rule set (its attribute 5 collides with fixed-counters-only), fixed-counters-only with
     * FEAT_PMUv3_ICNTR (a64trap's experiment beyond upstream: docs/vpmu-upstream.md), auto.
     */
    static List<Row> rows(Host host) {
        HostPmu first = host.pmus().get(0);
        int hpmn = Integer.MAX_VALUE;
        for (HostPmu p : host.pmus()) {
            hpmn = Math.min(hpmn, p.counters());
        }
        hpmn = Math.min(4, hpmn);
        return List.of(new Row("none", "none", null), new Row("default", "default", null),
                new Row("set-pmu", "pmu:" + first.name(), "0:" + first.cpus()),
                new Row("fixed-counters-only", "fixed-counters-only", null),
                new Row("partitioned:" + hpmn + " (partition-v9)", "partitioned:" + hpmn, null, KvmAbi.PARTITION_V9),
                new Row(VmmPolicy.ICNTR_MODE + " (experimental)", VmmPolicy.ICNTR_MODE, null),
                new Row("auto", "auto", null));
    }

    int compare(PrintStream o, PrintStream e) throws RunCommand.UsageError, ImageLoadException {
        if (maxInsns < 0) { // one rule with run: 0 = no limit
            throw new RunCommand.UsageError("--max-insns must be 0 (no limit) or positive, got " + maxInsns);
        }
        long ram = RunCommand.parseSize(memory);
        RunCommand.checkHeap(ram, memory);
        GuestRun.Board board = new GuestRun.Board(ram, loadAddr == null ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(RunCommand.parseNumber(loadAddr, "--load-addr")), RunCommand.lse(cpuModel),
                !noJit && GuestRun.Board.DEFAULT.jit());
        try {
            pmu.build(null); // the options every row shares: a mistake there is a usage error, not a refused row
        } catch (RunCommand.UsageError x) {
            if (x.errno == null) {
                throw x;
            }
            // KVM's answer to one mode: the rows show it
        }
        Host host = pmu.resolveHost();
        PmuPlot plot = plotFile == null ? null : PmuPlot.parse(plotFile);
        List<PmuPlot> samplers = new ArrayList<>();
        String name = imageBytes != null ? imageName : image.toString();
        String userPin = pmu.pinAfter;
        List<GuestRun.Result> results = new ArrayList<>();
        List<Row> rows = rows(host);
        List<String> labels = new ArrayList<>();
        for (Row r : rows) {
            pmu.pinAfter = r.pinAfter() != null ? r.pinAfter() : userPin;
            HostedVcpu v;
            try {
                if (r.pmuMode().startsWith("fixed-counters-only") && !(r.abi() != null ? r.abi() : KvmAbi.parse(pmu.kvmAbi)).hasFixedCountersOnly()) {
                    // kvm_arm_pmu_v3_set_attr() answers an attribute it does not know with -ENXIO
                    throw new RunCommand.UsageError("", "ENXIO", "KVM ABI " + pmu.kvmAbi + " has no "
                            + "fixed-counters-only attribute");
                }
                v = pmu.build(r.pmuMode(), r.abi());
            } catch (RunCommand.UsageError refusal) {
                if (refusal.errno == null) {
                    throw refusal; // not KVM's answer: the user's mistake, for every row
                }
                // KVM (or its ABI) refuses this mode on this host: a row that says so; the others run
                results.add(new GuestRun.Result(ExitStatus.USAGE, "", "refused: " + refusal.errno + " ("
                        + refusal.kvmReason + ")", null));
                samplers.add(null);
                labels.add(r.label());
                continue;
            } finally {
                pmu.pinAfter = userPin;
            }
            if (rows.indexOf(r) == 0) {
                PmuOptions.warnPlanted(v, "compare", e);
            }
            PmuPlot sampler = plot == null ? null : plot.sampler();
            GuestRun.Result run = GuestRun.run(imageBytes, name, append, maxInsns, v, sampler, board);
            if (run.status() == ExitStatus.INTERRUPTED) { // Ctrl-C: say where, skip the other modes
                e.println("a64trap compare: " + r.label() + ": " + run.outcome() + "; the remaining modes were not run");
                return ExitStatus.INTERRUPTED;
            }
            results.add(run);
            samplers.add(sampler);
            labels.add(r.label() + (r.label().equals("auto") ? " (" + v.plan().mode() + ")" : ""));
        }
        o.printf("a64trap compare %s on host %s (%s), sched %s, seed %d, KVM ABI %s%n", name, host.name(),
                describe(host), results.stream().filter(r -> !r.refused()).map(r -> r.vcpu().scheduler().toString())
                        .findFirst().orElse(pmu.sched), pmu.seed, pmu.kvmAbi);
        String fmt = "%-41s %6s  %-18s  %-9s  %10s  %12s  %s%n";
        o.printf(Locale.ROOT, fmt, "mode", "PMCR.N", "PMCEID0", "CPUs", "migrations", "PMCCNTR stall", "outcome");
        for (int i = 0; i < rows.size(); i++) {
            GuestRun.Result r = results.get(i);
            HostedVcpu v = r.vcpu();
            if (r.refused()) {
                o.printf(Locale.ROOT, fmt, labels.get(i), "-", "-", "-", "-", "-", r.outcome());
                continue;
            }
            boolean has = v.vcpu().hasPmu();
            o.printf(Locale.ROOT, fmt, labels.get(i),
                    has ? Integer.toString(v.vm().nrCounters()) : "-",
                    has ? String.format(Locale.ROOT, "0x%016x", v.pmu().peek(PmuReg.PMCEID0, 0)) : "-",
                    v.vm().supportedCpus(), v.migrations().size(), PmuOptions.micros(v.stalledNanos()),
                    r.outcome());
        }
        boolean ok = true;
        for (int i = 0; i < rows.size(); i++) {
            GuestRun.Result r = results.get(i);
            if (r.refused()) {
                continue;
            }
            o.printf("%n--- %s: console%n", labels.get(i));
            if (verbose) {
                for (String line : r.vcpu().plan().describe()) {
                    o.println("  [vmm] " + line);
                }
                o.println("  [vmm] (" + r.vcpu().plan().reason() + ")");
                if (rows.get(i).pinAfter() != null) {
                    o.println("  [vmm] vCPU thread pinned after init: --pin-after " + rows.get(i).pinAfter());
                }
            }
            o.print(r.console());
            if (!r.console().isEmpty() && !r.console().endsWith("\n")) {
                o.println();
            }
            ok &= r.status() == 0;
            if (pmu.wantsReport()) {
                String error = pmu.report(r.vcpu(), e, rows.get(i).label());
                if (error != null) {
                    throw new RunCommand.UsageError(error);
                }
            }
        }
        o.flush();
        if (plot != null) {
            List<HostedVcpu> vcpus = new ArrayList<>();
            List<PmuPlot> drawn = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (!results.get(i).refused()) { // a refused mode has nothing to draw
                    vcpus.add(results.get(i).vcpu());
                    drawn.add(samplers.get(i));
                    titles.add(labels.get(i) + ": " + results.get(i).outcome());
                }
            }
            samplers = drawn;
            String error = plot.writeGrid(samplers, vcpus, titles);
            if (error != null) {
                throw new RunCommand.UsageError(error);
            }
        }
        return ok ? ExitStatus.OK : ExitStatus.GUEST_FAILURE;
    }

    static String describe(Host h) {
        List<String> parts = new ArrayList<>();
        for (HostPmu p : h.pmus()) {
            parts.add("CPUs " + p.cpus() + " " + p.name());
        }
        return String.join(", ", parts);
    }
}
