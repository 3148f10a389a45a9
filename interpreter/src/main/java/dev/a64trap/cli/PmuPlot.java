package dev.a64trap.cli;

import dev.a64trap.exec.Stop;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.VirtBoard;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.Vpmu;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code run --plot FILE.png|FILE.svg}: samples the guest-visible counters while the guest runs
 * (the run is cut into instruction slices; between slices the vPMU is read with {@link Vpmu#peek},
 * which changes nothing) and draws every counter that moved against guest time with XChart,
 * coloured by the pCPU the vCPU was on, each migration a vertical line. With {@code --smp} each
 * vCPU gets its own picture (FILE-vcpuN.png), sampled at the same points.
 */
final class PmuPlot {

    /**
     * One sample: guest time, the pCPU, the value of every counter (index 0..N-1, then the cycle
     * counter) and which of them the guest had enabled (bit i for values[i]; PMCR_EL0.E and PMCNTENSET).
     */
    record Sample(long ns, int cpu, long[] values, long enabled) {
        boolean enabled(int i) {
            return (enabled >>> i & 1) != 0;
        }
    }

    /** Start slice; doubled whenever the samples are thinned, so a long run keeps at most MAX_SAMPLES. */
    static final long FIRST_SLICE = 200;
    static final int MAX_SAMPLES = 4000;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0xbcbd22), new Color(0x7f7f7f)};
    private static final BasicStroke[] STROKES = {
        new BasicStroke(2f), new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 4f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 3f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {10f, 3f, 2f, 3f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {16f, 6f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {10f, 3f, 2f, 3f, 2f, 3f}, 0f),
        new BasicStroke(4f)};

    final Path file;
    final boolean svg;
    final List<Sample> samples = new ArrayList<>();
    private long slice = FIRST_SLICE;

    private PmuPlot(Path file, boolean svg) {
        this.file = file;
        this.svg = svg;
    }

    /** The plot for {@code --plot FILE}; a usage error unless FILE ends in .png or .svg in an existing directory. */
    static PmuPlot parse(String arg) throws RunCommand.UsageError {
        String lower = arg.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".png") && !lower.endsWith(".svg")) {
            throw new RunCommand.UsageError("--plot " + arg + ": expected a file name ending in .png or .svg");
        }
        Path p = Path.of(arg);
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new RunCommand.UsageError("--plot " + arg + ": no such directory " + dir);
        }
        return new PmuPlot(p, lower.endsWith(".svg"));
    }

    /** Runs the board to its end as {@code board.run(maxInsns)} would, sampling between slices. */
    Stop run(VirtBoard board, HostedVcpu v, long maxInsns) {
        return runAll(board, List.of(this), List.of(v), maxInsns);
    }

    /**
     * As {@link #run}, sampling {@code vcpus.get(i)} into {@code plots.get(i)} at the same points
     * ({@code --smp}: one plot per vCPU; the first plot's slices set the pace for all).
     */
    static Stop runAll(VirtBoard board, List<PmuPlot> plots, List<HostedVcpu> vcpus, long maxInsns) {
        PmuPlot lead = plots.get(0);
        long limit = maxInsns <= 0 ? Long.MAX_VALUE : maxInsns;
        sampleAll(plots, vcpus);
        while (true) {
            long retired = board.retiredTotal(); // the budget counts every vCPU (--smp)
            long next = limit - retired <= lead.slice ? limit : retired + lead.slice;
            Stop s = board.run(next);
            sampleAll(plots, vcpus);
            if (s.kind() != Stop.Kind.BUDGET || next == limit) {
                return s;
            }
            if (lead.samples.size() >= MAX_SAMPLES) {
                plots.forEach(PmuPlot::thin);
            }
        }
    }

    private static void sampleAll(List<PmuPlot> plots, List<HostedVcpu> vcpus) {
        for (int i = 0; i < plots.size(); i++) {
            plots.get(i).sample(vcpus.get(i));
        }
    }

    /** The plot of vCPU {@code index} under {@code --smp}: FILE with "-vcpuINDEX" before its extension. */
    PmuPlot forVcpu(int index) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return new PmuPlot(file.resolveSibling(n.substring(0, dot) + "-vcpu" + index + n.substring(dot)), svg);
    }

    private void sample(HostedVcpu v) {
        if (v.currentCpu() < 0) {
            return; // not entered yet (the first slice enters); or never, after a failed entry
        }
        if (!v.vcpu().hasPmu()) {
            samples.add(new Sample(v.nanoseconds(), v.currentCpu(), new long[0], 0));
            return;
        }
        Vpmu p = v.pmu();
        int n = v.vm().nrCounters();
        long[] values = new long[n + 1];
        for (int i = 0; i < n; i++) {
            values[i] = p.peek(PmuReg.PMEVCNTR, i);
        }
        values[n] = p.peek(PmuReg.PMCCNTR, 0);
        long enabled = 0;
        if ((p.peek(PmuReg.PMCR, 0) & 1) != 0) { // PMCR_EL0.E
            long set = p.peek(PmuReg.PMCNTENSET, 0);
            enabled = (set & ((1L << n) - 1)) | (set >>> PmuBits.CYCLE_IDX & 1) << n;
        }
        samples.add(new Sample(v.nanoseconds(), v.currentCpu(), values, enabled));
    }

    /** Keeps every other sample (and the last), and samples half as often from now on. */
    private void thin() {
        List<Sample> kept = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (i % 2 == 0 || i == samples.size() - 1) {
                kept.add(samples.get(i));
            }
        }
        samples.clear();
        samples.addAll(kept);
        slice *= 2;
    }

    /** A fresh sampler writing nothing itself (one run of compare --plot). */
    PmuPlot sampler() {
        return new PmuPlot(file, svg);
    }

    /** Writes the runs side by side (compare --plot); returns an error message, else null. */
    String writeGrid(List<PmuPlot> plots, List<HostedVcpu> vcpus, List<String> titles) {
        System.setProperty("java.awt.headless", "true");
        try (OutputStream o = Files.newOutputStream(file)) {
            Chart.renderGrid(this, plots, vcpus, titles, o);
            return null;
        } catch (IOException | RuntimeException e) {
            return "--plot " + file + ": cannot write: " + e.getMessage();
        }
    }

    /** Writes the chart; returns an error message when FILE cannot be written, else null. */
    String write(HostedVcpu v) {
        System.setProperty("java.awt.headless", "true"); // before the first AWT class loads
        try (OutputStream o = Files.newOutputStream(file)) {
            Chart.render(this, v, o);
            return null;
        } catch (IOException | RuntimeException e) {
            return "--plot " + file + ": cannot write: " + e.getMessage();
        }
    }

    static Color colourOf(int cpu) {
        return PALETTE[cpu % PALETTE.length];
    }

    static BasicStroke strokeOf(int k) {
        return STROKES[k % STROKES.length];
    }

    /**
     * The counters drawn: those that moved between two samples while the guest had them enabled
     * (an enabled counter that never moves, e.g. one left on SW_INCR, would only squash the scale).
     */
    List<Integer> enabledCounters() {
        List<Integer> out = new ArrayList<>();
        int width = samples.isEmpty() ? 0 : samples.get(0).values().length;
        for (int i = 0; i < width; i++) {
            for (int j = 1; j < samples.size(); j++) {
                Sample a = samples.get(j - 1);
                Sample b = samples.get(j);
                if (a.enabled(i) && b.enabled(i) && a.values()[i] != b.values()[i]) {
                    out.add(i);
                    break;
                }
            }
        }
        return out;
    }

    static String counterName(int i, int width) {
        return i == width - 1 ? "PMCCNTR" : "PMEVCNTR" + i;
    }

    static int counterIndex(int i, int width) {
        return i == width - 1 ? PmuBits.CYCLE_IDX : i;
    }
}
