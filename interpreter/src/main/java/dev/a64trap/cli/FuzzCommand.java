package dev.a64trap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.a64trap.machine.PlantedBug;
import dev.a64trap.proptest.Counterexample;
import dev.a64trap.proptest.MachineTarget;
import dev.a64trap.proptest.GuestExport;
import dev.a64trap.proptest.PmuProperties;
import dev.a64trap.proptest.PmuTarget;
import dev.a64trap.proptest.Runner;
import dev.a64trap.proptest.StateMachine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code a64trap fuzz --target pmu}: the vPMU properties as a campaign. Seed s runs chain s of every
 * property, so a seed range shards a campaign and one seed replays one chain exactly.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Property-based fuzzing: run the vPMU stateful properties (random chains of guest register "
                + "accesses, runs, migrations and KVM calls checked against a reference model) as a campaign.",
            "Each seed runs one chain of every property; a counterexample is shrunk, printed and written to "
                + "--out as a JSON action list (one per property and broken check), and, when every step is guest-side "
                + "(EL0/EL1 accesses and runs, migrations), as a guest NAME.S/NAME.bin with a --sched trace NAME.sched "
                + "and the run command NAME.cmd. Replay one with --seed S. "
                + "Ctrl-C stops after the current chain and prints the summary. "
                + "Exit status: 0 none found, 1 counterexample found, 2 usage error, 130 interrupted."})
public final class FuzzCommand implements Callable<Integer> {

    @Option(names = "--target", required = true, paramLabel = "TARGET", description = "What to fuzz: pmu.")
    String target;

    @Option(names = "--tries", paramLabel = "N", description = "Seeds to run (one chain per property each); "
            + "default 1000 unless --time or a seed range is given.")
    Long tries;

    @Option(names = "--time", paramLabel = "SECONDS", description = "Stop after this many seconds of wall-clock time.")
    Long seconds;

    @Option(names = "--seed", paramLabel = "S", description = "Replay exactly the chains of seed S.")
    Long seed;

    @Option(names = "--seed-range", paramLabel = "A..B", description = "Run seeds A to B inclusive (shard a campaign).")
    String seedRange;

    @Option(names = "--out", paramLabel = "DIR", description = "Write each shrunk counterexample here as JSON.")
    Path outDir;

    @Option(names = "--plant-bug", paramLabel = "NAME", description = "Plant a deliberate bug in the vPMU's trap "
            + "path, to see the campaign find it and its guest replay fail the same way under 'run --plant-bug NAME': "
            + "lost-el1-swinc (EL1 PMSWINC writes dropped), el0-read-only-pmu (EL0 PMU writes UNDEF), "
            + "pmccntr-write-low32 (PMCCNTR writes truncated).")
    String plantBug;

    @Option(names = "--runs", paramLabel = "fake|machine", defaultValue = "machine", description = "How the chains' "
            + "'run k instructions' steps execute: machine (default: generated guest code on the interpreter and JIT, "
            + "observed by the machine's vCPU, as 'a64trap run') or fake (a stand-in event clock: faster, the vPMU "
            + "and trap path only).")
    String runs;

    @Option(names = "--mrs", description = "With --runs machine: guest register accesses are real MRS/MSR "
            + "instructions (an UNDEF is an exception taken) instead of the trap path's direct call.")
    boolean realAccesses;

    @Option(names = "--no-progress", description = "No progress bar (there is none when stderr is not a terminal).")
    boolean noProgress;

    OutputStream out;
    OutputStream err;
    /** Whether to draw the bar (tests pretend a terminal). */
    java.util.function.BooleanSupplier stderrTerminal = FuzzCommand::stderrIsTerminal;
    /** The properties of the campaign (tests plant a failing one). */
    List<? extends StateMachine<?, ?>> properties;

    private static final class UsageError extends Exception {
        UsageError(String m) {
            super(m);
        }
    }

    @Override
    public Integer call() {
        PrintStream o = new PrintStream(out != null ? out : new FileOutputStream(FileDescriptor.out), true);
        PrintStream e = new PrintStream(err != null ? err : new FileOutputStream(FileDescriptor.err), true);
        long first;
        long count;
        PlantedBug planted = null;
        try {
            if (plantBug != null) {
                planted = PlantedBug.parse(plantBug).orElseThrow(() -> new UsageError(PmuOptions.unknownBug(plantBug)));
            }
            if (!target.equals("pmu")) {
                throw new UsageError("--target " + target + ": unknown target (known: pmu)");
            }
            if (!runs.equals("fake") && !runs.equals("machine")) {
                throw new UsageError("--runs " + runs + ": expected fake or machine");
            }
            if (realAccesses && runs.equals("fake")) {
                throw new UsageError("--mrs needs --runs machine (the fake clock executes no instructions)");
            }
            if (tries != null && tries < 1) {
                throw new UsageError("--tries must be at least 1, got " + tries);
            }
            if (seconds != null && seconds < 1) {
                throw new UsageError("--time must be at least 1 second, got " + seconds);
            }
            if (seed != null && seedRange != null) {
                throw new UsageError("--seed and --seed-range exclude each other");
            }
            first = 1;
            count = tries != null ? tries : seconds != null ? Long.MAX_VALUE : 1000;
            if (seed != null) {
                first = seed;
                count = 1;
            } else if (seedRange != null) {
                long[] r = parseRange(seedRange);
                first = r[0];
                long size = r[1] - r[0] + 1 <= 0 ? Long.MAX_VALUE : r[1] - r[0] + 1; // the whole long range overflows
                count = tries != null ? Math.min(tries, size) : size;
            }
            if (outDir != null) {
                if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
                    throw new UsageError("--out " + outDir + ": exists and is not a directory");
                }
                try {
                    Files.createDirectories(outDir);
                } catch (IOException x) {
                    throw new UsageError("--out " + outDir + ": cannot create directory (" + x.getMessage() + ")");
                }
            }
        } catch (UsageError x) {
            e.println("a64trap fuzz: " + x.getMessage());
            return ExitStatus.USAGE;
        }
        PlantedBug bug = planted;
        java.util.function.Supplier<PmuTarget> targets = switch (runs) {
            case "fake" -> () -> new PmuTarget(null).planting(bug);
            default -> realAccesses ? () -> MachineTarget.instructions().withLoops().planting(bug)
                    : () -> new MachineTarget().planting(bug);
        };
        List<? extends StateMachine<?, ?>> props = properties != null ? properties : PmuProperties.all(targets);
        if (bug != null) {
            e.println("a64trap fuzz: warning: planted bug " + bug.cliName() + " is active (" + bug.description() + ")");
        }
        return campaign(props, first, count, bug, o, e);
    }

    static long[] parseRange(String s) throws UsageError {
        String[] p = s.split("\\.\\.", -1);
        try {
            if (p.length != 2) {
                throw new NumberFormatException();
            }
            long a = Long.parseLong(p[0].trim()), b = Long.parseLong(p[1].trim());
            if (b < a) {
                throw new UsageError("--seed-range " + s + ": end is below start");
            }
            return new long[] {a, b};
        } catch (NumberFormatException x) {
            throw new UsageError("--seed-range " + s + ": expected A..B with integers A <= B, e.g. 1..1000");
        }
    }

    private int campaign(List<? extends StateMachine<?, ?>> props, long first, long count, PlantedBug bug,
            PrintStream o, PrintStream e) {
        long t0 = System.nanoTime();
        long deadline = seconds == null ? Long.MAX_VALUE : t0 + seconds * 1_000_000_000L;
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<Counterexample> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long chains = 0;
        long total = count == Long.MAX_VALUE ? Long.MAX_VALUE : count * props.size();
        boolean endKnown = total != Long.MAX_VALUE || seconds != null;
        // Progress in thousandths of whichever end comes first (--tries or --time), so the
        // percentage and the library's linear ETA are real; without an end, an indefinite bar.
        ProgressBar bar = noProgress || !stderrTerminal.getAsBoolean() ? null
                : new ProgressBarBuilder().setTaskName("fuzz pmu").setInitialMax(endKnown ? PERMILLE : -1)
                        .setStyle(ProgressBarStyle.ASCII)
                        // a fixed width: asking the terminal's width starts JLine, which takes over SIGINT
                        .setConsumer(new ConsoleProgressBarConsumer(e, terminalColumns())).build();
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Object sigint = Sigint.install(() -> interrupted.set(true)); // finish the chain, then report
        try {
            for (long k = 0; k < count && System.nanoTime() < deadline && !interrupted.get(); k++) {
                long s = first + k;
                for (StateMachine<?, ?> sm : props) {
                    Counterexample c = Runner.runChain(sm, s);
                    chains++;
                    if (c != null && seen.add(c.property() + "\0" + c.check())) {
                        found.add(c);
                        write(json, c, bug, o, e);
                    }
                    if (bar != null) {
                        double done = Math.max((double) chains / total,
                                seconds == null ? 0 : (System.nanoTime() - t0) / (seconds * 1e9));
                        if (endKnown) {
                            bar.stepTo(Math.min(PERMILLE, (long) (done * PERMILLE)));
                        } else {
                            bar.step();
                        }
                        bar.setExtraMessage(" " + chains + " chains"
                                + (found.isEmpty() ? "" : ", " + found.size() + " counterexample(s)"));
                    }
                }
            }
        } finally {
            Sigint.restore(sigint);
            if (bar != null) {
                bar.close();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        for (Counterexample c : found) {
            o.print(c.report());
        }
        String how = properties != null ? "" : " (runs: " + runs + (realAccesses ? ", accesses: MRS/MSR" : "") + ")";
        o.printf(Locale.ROOT, "fuzz pmu: %d chains over %d properties%s in %.1f s: %.0f chains/s; %d counterexample(s)%n",
                chains, props.size(), how, secs, chains / Math.max(secs, 1e-9), found.size());
        if (interrupted.get()) {
            o.println("fuzz pmu: interrupted (Ctrl-C)");
            return ExitStatus.INTERRUPTED;
        }
        return found.isEmpty() ? ExitStatus.OK : ExitStatus.GUEST_FAILURE;
    }

    private static final long PERMILLE = 1000;

    /**
     * Whether stderr is a terminal (Linux: fd 2 is a tty device; elsewhere: whether the JVM has a
     * console). A bar on a file or pipe is only noise.
     */
    static boolean stderrIsTerminal() {
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            return System.console() != null;
        }
        try {
            String dev = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString(); // or pipe:[n]
            return dev.startsWith("/dev/pts/") || dev.startsWith("/dev/tty");
        } catch (IOException | RuntimeException x) {
            return false;
        }
    }

    /** $COLUMNS if the shell exported it, else 80. */
    private static int terminalColumns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
            return c >= 20 ? c : 80;
        } catch (NumberFormatException x) {
            return 80;
        }
    }

    private void write(ObjectMapper json, Counterexample c, PlantedBug bug, PrintStream o, PrintStream e) {
        if (outDir == null) {
            return;
        }
        String slug = c.property().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase(Locale.ROOT);
        Path f = outDir.resolve(slug + "-seed-" + c.seed() + ".json");
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(c);
            if (bug != null) {
                tree.put("plantedBug", bug.cliName());
            }
            json.writeValue(f.toFile(), tree);
            o.println("counterexample written to " + f);
            String name = slug + "-seed-" + c.seed();
            GuestExport.Result g;
            try {
                g = GuestExport.export(c, name, bug);
            } catch (RuntimeException x) { // a replay the exporter cannot follow: say so, keep the JSON
                g = new GuestExport.Result("export failed: " + x, null, null, null, null);
            }
            if (g.replayable()) {
                Files.writeString(outDir.resolve(name + ".S"), g.asm());
                Files.write(outDir.resolve(name + ".bin"), g.bin());
                Files.writeString(outDir.resolve(name + ".sched"), g.sched());
                Files.writeString(outDir.resolve(name + ".cmd"), g.cmd());
                o.println("  as a guest: " + outDir.resolve(name + ".cmd") + " (run from " + outDir + ")");
            } else {
                o.println("  not replayable as a guest: " + g.notReplayable());
            }
        } catch (IOException x) {
            e.println("a64trap fuzz: cannot write " + f + ": " + x.getMessage());
        }
    }
}
