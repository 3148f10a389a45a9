package dev.a64trap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.pmu.Events;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.Vpmu;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --pmu-report}: one snapshot of the vPMU after a run, rendered as the text table or as JSON
 * (schema {@value #SCHEMA}, documented in docs/pmu-report.md). Both renderings read the same
 * snapshot, so they cannot disagree. Reading uses {@link Vpmu#peek} only: no guest-visible effect.
 */
final class PmuReport {

    static final String SCHEMA = "a64trap.pmu-report/1";

    /** Format and destination parsed from {@code text}, {@code perf}, {@code json} or {@code json:FILE}. */
    record Format(boolean json, Path file, boolean perf) {
        static Format parse(String s) {
            if (s.equals("text")) {
                return new Format(false, null, false);
            }
            if (s.equals("perf")) {
                return new Format(false, null, true);
            }
            if (s.equals("json")) {
                return new Format(true, null, false);
            }
            if (s.startsWith("json:") && s.length() > 5) {
                return new Format(true, Path.of(s.substring(5)), false);
            }
            return null;
        }
    }

    /**
     * One counter: its value and event, and perf's view of it: the event's perf name ({@code cycles}
     * for the cycle counter, as perf names the generic event it uses), guest ns enabled, and guest ns
     * running and events counted per pCPU.
     */
    record Counter(int index, String name, long value, int event, boolean counting, long[] perCpu, String perfName,
            long enabledNs, long[] runningNsPerCpu) {}

    record Snapshot(String mode, String host, HostPmu kvmPmu, int nrCounters, String pmuVersion, long guestNs,
            boolean hasPmu, List<Counter> counters, long stalledNs, int ppi, boolean irqLevel, long irqRises,
            List<HostedVcpu.Migration> migrations, List<String> cpuPmus) {}

    private PmuReport() {}

    static Snapshot snapshot(HostedVcpu v) {
        Vpmu p = v.pmu();
        List<Counter> counters = new ArrayList<>();
        int n = v.vm().nrCounters();
        boolean has = v.vcpu().hasPmu();
        Vpmu.Snapshot now = p.snapshot(); // every counter at the same instant
        if (has) {
            for (int i = 0; i <= 31; i++) {
                if (i >= n && i != PmuBits.CYCLE_IDX) {
                    continue;
                }
                boolean cyc = i == PmuBits.CYCLE_IDX;
                long value = cyc ? now.peek(PmuReg.PMCCNTR, 0) : now.peek(PmuReg.PMEVCNTR, i);
                long type = cyc ? now.peek(PmuReg.PMCCFILTR, 0) : now.peek(PmuReg.PMEVTYPER, i);
                int event = cyc ? Events.CPU_CYCLES : (int) (type & 0xFFFF);
                long[] running = new long[v.host().cpuCount()];
                for (int c = 0; c < running.length; c++) {
                    running[c] = v.timeRunningNanos(i, c);
                }
                counters.add(new Counter(i, cyc ? "PMCCNTR" : "PMEVCNTR" + i, value, event, p.isCounting(i),
                        p.countedPerCpu(i), cyc ? "cycles" : Events.perfName(event), v.timeEnabledNanos(i), running));
            }
        }
        List<String> cpuPmus = new ArrayList<>();
        for (int c = 0; c < v.host().cpuCount(); c++) {
            cpuPmus.add(v.pmuNameOf(c));
        }
        return new Snapshot(v.plan().mode().toString(), v.host().name(), v.vm().pmu(), n,
                has ? PmuBits.displayName(v.vm().pmuVer()) : null, v.nanoseconds(), has,
                counters, has ? v.stalledNanos() : 0, has ? v.vcpu().irq() : 0, v.irqLevel(), v.irqRisingEdges(),
                v.migrations(), cpuPmus);
    }

    /** Writes the report in {@code format}; returns an error message for an unwritable FILE, else null. */
    static String write(HostedVcpu v, Format format, PrintStream stderr) {
        Snapshot s = snapshot(v);
        if (format.perf()) {
            perf(s, v.host(), stderr);
            return null;
        }
        if (!format.json()) {
            text(s, stderr);
            return null;
        }
        String json = json(s);
        if (format.file() == null) {
            stderr.println(json);
            return null;
        }
        try {
            Files.writeString(format.file(), json + "\n", StandardCharsets.UTF_8);
            return null;
        } catch (IOException | RuntimeException e) {
            return "--pmu-report json:" + format.file() + ": cannot write: " + e.getMessage();
        }
    }

    static void text(Snapshot s, PrintStream out) {
        out.printf("vPMU report: mode %s, host %s, KVM PMU %s, %s, PMCR_EL0.N=%d, guest time %s%n", s.mode(),
                s.host(), s.kvmPmu() == null ? "none" : s.kvmPmu().name() + " (CPUs " + s.kvmPmu().cpus() + ")",
                s.pmuVersion() == null ? "no PMUv3" : s.pmuVersion(), s.nrCounters(), PmuOptions.micros(s.guestNs()));
        if (s.hasPmu()) {
            for (Counter c : s.counters()) {
                StringBuilder sb = new StringBuilder();
                for (int cpu = 0; cpu < c.perCpu().length; cpu++) {
                    if (c.perCpu()[cpu] != 0) {
                        sb.append(sb.length() == 0 ? "" : ", ").append("cpu").append(cpu).append(' ')
                                .append(c.perCpu()[cpu]);
                    }
                }
                out.printf(Locale.ROOT, "  %-10s = 0x%016x  event 0x%04x %s%s  counted: %s%n", c.name(), c.value(),
                        c.event(), c.perfName(), c.counting() ? " (counting)" : "", sb.length() == 0 ? "nothing" : sb);
            }
            out.printf("  cycle counter stalled (enabled, not counting): %s%n", PmuOptions.micros(s.stalledNs()));
            out.printf("  PMU interrupt (PPI %d): level %s, %d rising edges%n", s.ppi(),
                    s.irqLevel() ? "high" : "low", s.irqRises());
        }
        out.printf("  migrations: %d%n", s.migrations().size());
        for (var m : s.migrations()) {
            out.printf("    %s  cpu%d (%s) -> cpu%d (%s)%n", PmuOptions.micros(m.nanos()), m.from(),
                    s.cpuPmus().get(m.from()), m.to(), s.cpuPmus().get(m.to()));
        }
    }

    /**
     * The {@code perf stat}-like view: one row per counter and host PMU type, named as perf names an
     * event on a hybrid host ({@code armv8_cortex_a55/inst_retired/}), with the events counted on that
     * type's CPUs, {@code <not counted>} where the counter never ran there ({@code <not supported>} where
     * that PMU has no such event), and perf's running/enabled
     * percentage (time the counter ran on that type over the time the guest had it enabled).
     */
    static void perf(Snapshot s, Host host, PrintStream out) {
        out.printf("%n Performance counter stats for the guest (a64trap: mode %s, host %s):%n%n", s.mode(), s.host());
        if (!s.hasPmu()) {
            out.printf("   <not supported>      (no vPMU)%n");
        }
        for (Counter c : s.counters()) {
            if (c.enabledNs() == 0 && java.util.Arrays.stream(c.perCpu()).allMatch(x -> x == 0)) {
                continue; // perf lists the events asked for: here, the counters the guest ever enabled
            }
            for (HostPmu p : host.pmus()) {
                long count = 0;
                long running = 0;
                for (int cpu : p.cpus().toArray()) {
                    count += c.perCpu()[cpu];
                    running += c.runningNsPerCpu()[cpu];
                }
                String event = p.name() + "/" + c.perfName() + "/";
                boolean supported = c.index() == PmuBits.CYCLE_IDX || p.supportsEvent(c.event());
                String value = !supported ? "<not supported>" : running == 0 && count == 0 ? "<not counted>" : group(count);
                String pct = c.enabledNs() == 0 ? "" : String.format(Locale.ROOT, "(%.2f%%)",
                        100.0 * running / c.enabledNs());
                out.printf(Locale.ROOT, "%18s      %-44s %s%n", value, event, pct);
            }
        }
        out.printf(Locale.ROOT, "%n%22.9f seconds guest time%n%n", s.guestNs() / 1e9);
    }

    /** perf's thousands separators: 24,052. */
    private static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    static String json(Snapshot s) {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("mode", s.mode());
        root.put("host", s.host());
        ArrayNode cpus = root.putArray("hostCpus");
        for (int c = 0; c < s.cpuPmus().size(); c++) {
            ObjectNode o = cpus.addObject();
            o.put("cpu", c);
            String name = s.cpuPmus().get(c);
            if (name.equals("-")) {
                o.putNull("pmu");
            } else {
                o.put("pmu", name);
            }
        }
        if (s.kvmPmu() == null) {
            root.putNull("kvmPmu");
        } else {
            ObjectNode k = root.putObject("kvmPmu");
            k.put("name", s.kvmPmu().name());
            k.put("cpus", s.kvmPmu().cpus().toString());
        }
        root.put("pmcrN", s.nrCounters());
        root.put("pmuVersion", s.pmuVersion());
        root.put("guestTimeNs", s.guestNs());
        root.put("vcpuHasPmu", s.hasPmu());
        ArrayNode counters = root.putArray("counters");
        for (Counter c : s.counters()) {
            ObjectNode o = counters.addObject();
            o.put("index", c.index());
            o.put("name", c.name());
            o.put("value", unsigned(c.value()));
            o.put("valueHex", String.format(Locale.ROOT, "0x%016x", c.value()));
            o.put("event", c.event());
            o.put("counting", c.counting());
            ArrayNode per = o.putArray("countedPerCpu");
            for (long x : c.perCpu()) {
                per.add(x);
            }
            o.put("perfName", c.perfName());
            o.put("timeEnabledNs", c.enabledNs());
            ArrayNode run = o.putArray("timeRunningNsPerCpu");
            for (long x : c.runningNsPerCpu()) {
                run.add(x);
            }
        }
        if (s.hasPmu()) {
            root.put("cycleCounterStalledNs", s.stalledNs());
            ObjectNode irq = root.putObject("interrupt");
            irq.put("ppi", s.ppi());
            irq.put("level", s.irqLevel());
            irq.put("risingEdges", s.irqRises());
        } else {
            root.putNull("cycleCounterStalledNs");
            root.putNull("interrupt");
        }
        ArrayNode ms = root.putArray("migrations");
        for (var m : s.migrations()) {
            ObjectNode o = ms.addObject();
            o.put("timeNs", m.nanos());
            o.put("from", m.from());
            o.put("to", m.to());
        }
        try {
            return om.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a tree of plain values always serialises
        }
    }
}
