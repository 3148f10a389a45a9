package dev.a64trap.cli;

import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import dev.a64trap.pmu.PmuBits;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code a64trap hosts}: the host presets, their CPUs, PMUs and counters. */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = "List the simulated host presets for --host: CPUs, host PMUs (perf type, CPUs, counters, clock, "
                + "PMU version) and the guest PMU version KVM allows.")
public final class HostsCommand implements Callable<Integer> {
    OutputStream out;

    @Override
    public Integer call() {
        PrintStream o = new PrintStream(out != null ? out : new FileOutputStream(FileDescriptor.out), true);
        for (Map.Entry<String, String> e : Host.presets().entrySet()) {
            Host h = Host.preset(e.getKey());
            o.printf("%s: %d CPUs - %s%n", e.getKey(),
                    h.cpuCount(), e.getValue());
            for (HostPmu p : h.pmus()) {
                var m = h.cycleModel(p.cpus().first());
                o.printf(Locale.ROOT, "  %-20s type %2d  CPUs %-5s  %d event counters + cycle counter, %d MHz, %s%n",
                        p.name(), p.typeId(), p.cpus(), p.counters(), m.frequencyMhz(), PmuBits.displayName(p.pmuVer()));
            }
            o.printf("  guest PMU version (KVM's limit, min(host, PMUv3p5)): %s%n",
                    PmuBits.displayName(Math.min(h.sanitisedPmuVer(), PmuBits.PMUV3P5)));
        }
        o.flush();
        return ExitStatus.OK;
    }
}
