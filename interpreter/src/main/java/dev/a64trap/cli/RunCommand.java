package dev.a64trap.cli;

import dev.a64trap.exec.Stop;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.machine.ConsoleOutput;
import dev.a64trap.machine.VirtBoard;
import dev.a64trap.mem.GuestMemory;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code a64trap run}: runs a bare-metal guest built for {@code qemu-system-aarch64 -M virt -cpu
 * cortex-a57 -nographic -semihosting -kernel IMAGE}. Guest console on stdout (semihosting console
 * on stderr, as QEMU), a64trap's own messages on stderr, exit status = the guest's.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        header = "Run an AArch64 guest image with KVM's vPMU on a simulated host.",
        description = {"Run an AArch64 guest image (ELF, Linux Image, uImage or raw, as QEMU's -kernel) on QEMU's virt board,",
            "as a KVM vCPU with KVM's vPMU on a simulated host (--host, --sched, --pmu).",
            "Exit status: the guest's; 2 bad usage or image;",
            "123 KVM_EXIT_FAIL_ENTRY (the vCPU was placed on a CPU outside its PMU's CPUs, SET_PMU);",
            "124 budget exhausted; 125 the guest cannot go on (exception with no vector installed, an exception loop",
            "whose vector faults again, WFI with no wake-up source); 130 interrupted (Ctrl-C);",
            "141 the console could not be written (closed pipe, full disk);",
            "143/129 SIGTERM/SIGHUP (the guest's console output is written out first)."})
public final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "IMAGE", arity = "0..1", description = "guest image (or -kernel IMAGE)")
    Path image;

    @Mixin
    QemuOptions qemu = new QemuOptions();

    @Option(names = "--append", paramLabel = "STR", description = "guest command line (semihosting SYS_GET_CMDLINE)")
    String append;

    @Option(names = "--max-insns", paramLabel = "N", description = "stop after N instructions (exit 124); 0 = no limit, the default")
    long maxInsns;

    @Option(names = "--smp", paramLabel = "N",
            description = "vCPUs (default 1; at most 123), as QEMU's -smp N: vCPU 0 starts, the others wait for PSCI CPU_ON")
    Integer smp;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "RAM size, bytes or with K/M/G suffix (default 128M)")
    String memory;

    @Option(names = "--load-addr", paramLabel = "A", description = "load a raw binary at address A (hex with 0x, or decimal)")
    String loadAddr;

    @Option(names = "--bios", description = "IMAGE is firmware, as QEMU's -bios: loaded into flash at 0 and started there, the DTB at 0x40000000")
    boolean bios;

    @Option(names = "--cpu", paramLabel = "MODEL",
            description = "cortex-a57+lse (default: Cortex-A57 registers plus the LSE atomics, so guests built "
                    + "for QEMU's -cpu max atomics run too), cortex-a57 (strict: LSE is UNDEFINED), max (= cortex-a57+lse)")
    String cpuModel;

    @Option(names = "--trace", description = "print every executed instruction to stderr")
    boolean trace;

    @Option(names = "--no-jit", description = "interpret only (no translation of hot blocks to JVM bytecode)")
    boolean noJit;

    @Mixin
    PmuOptions pmuOptions = new PmuOptions();

    @Option(names = "--stats", description = "print instructions executed and guest MIPS to stderr")
    boolean stats;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg",
            description = "draw every counter that moved against guest time, coloured by the pCPU the vCPU was on, "
                    + "migrations marked, to a PNG or SVG file")
    String plotFile;

    @Mixin
    GdbOptions gdbOptions = new GdbOptions();

    @Option(names = "--semihosting-files",
            description = "let semihosting SYS_OPEN open host files (default: only the console \":tt\")")
    boolean semihostingFiles;

    @Option(names = "--semihosting-root", paramLabel = "DIR",
            description = "let semihosting SYS_OPEN open host files under DIR only (relative names from DIR; "
                    + "'..', absolute paths and symbolic links leading outside fail with EACCES)")
    java.nio.file.Path semihostingRoot;

    @Option(names = "--rtc-base", paramLabel = "DATE",
            description = "the date the PL031 real-time clock starts at: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC), "
                    + "or utc/localtime for the host's date now (not reproducible); default 2000-01-01T00:00:00")
    String rtcBase;

    /** Streams for tests; null means the process's own. */
    OutputStream out;
    OutputStream err;
    java.io.InputStream in;

    @Override
    public Integer call() {
        OutputStream stdout = out != null ? out : new FileOutputStream(FileDescriptor.out);
        PrintStream stderr = new PrintStream(err != null ? err : new FileOutputStream(FileDescriptor.err), true);
        VirtBoard.Options o = new VirtBoard.Options();
        GdbOptions.Address gdbAddress = null;
        PmuPlot plot = null;
        try {
            if (plotFile != null) {
                plot = PmuPlot.parse(plotFile);
            }
            if (gdbOptions.enabled() || gdbOptions.waitForDebugger()) {
                gdbAddress = gdbOptions.address();
                if (plot != null) {
                    throw new UsageError("--plot cannot be combined with a debugger (--gdb)");
                }
            }
            image = qemu.image(image);
            bios |= qemu.bios != null;
            qemu.check(stderr);
            append = QemuOptions.either("--append", append, "-append", qemu.append);
            memory = QemuOptions.either("--memory", memory, "-m", qemu.memoryAsSize());
            o.smp = smpCount(smp, qemu.cpuCount());
            cpuModel = QemuOptions.either("--cpu", cpuModel, "-cpu", qemu.cpu);
            if (memory == null) {
                memory = "128M";
            }
            if (cpuModel == null) {
                cpuModel = "cortex-a57+lse";
            }
            o.ramSize = parseSize(memory);
            o.rtcBase = rtcSeconds(QemuOptions.either("--rtc-base", rtcBase, "-rtc base=", qemu.rtcBase()));
            checkHeap(o.ramSize, memory);
            o.bios = bios;
            if (semihostingRoot != null && !java.nio.file.Files.isDirectory(semihostingRoot)) {
                throw new UsageError("--semihosting-root " + semihostingRoot + ": no such directory");
            }
            if (bios && loadAddr != null) {
                throw new UsageError("--bios loads the image into flash at 0; it cannot be combined with --load-addr");
            }
            if (loadAddr != null) {
                o.loadAddress = OptionalLong.of(parseNumber(loadAddr, "--load-addr"));
            }
            if (maxInsns < 0) {
                throw new UsageError("--max-insns must be 0 (no limit) or positive, got " + maxInsns);
            }
            o.lse = lse(cpuModel);
            o.vcpu = pmuOptions.build(null);
            o.moreVcpus = pmuOptions.siblings(o.vcpu, o.smp);
            if (!noJit) {
                try {
                    dev.a64trap.jit.Jit.fromProperties(); // a bad -Da64trap.jit.threshold is a usage error
                } catch (IllegalArgumentException e) {
                    throw new UsageError(e.getMessage());
                }
            }
        } catch (UsageError e) {
            stderr.println("a64trap run: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        PmuOptions.warnPlanted(o.vcpu, "run", stderr);
        PmuOptions.announceAuto(o.vcpu, pmuOptions.pmu, "run", stderr);
        ConsoleOutput console = new ConsoleOutput(stdout).startTicker();
        o.append = append;
        o.semihostingFiles = semihostingFiles;
        o.semihostingRoot = semihostingRoot;
        o.stdout = console;
        o.stderr = stderr;
        o.stdin = in != null ? in : System.in;
        // A terminal is read in the background (a guest polling the UART must not block on it);
        // files and pipes are read eagerly, so a run is reproducible byte for byte.
        o.interactiveInput = in == null && System.console() != null;
        PrintStream traceStream = trace ? new PrintStream(new BufferedOutputStream(
                new FileOutputStream(FileDescriptor.err), 1 << 16), false) : null;
        if (trace && err != null) {
            traceStream = new PrintStream(err, false);
        }
        o.trace = traceStream;
        if (noJit) {
            o.jit = false;
        }
        VirtBoard board;
        try {
            board = VirtBoard.load(image, o);
        } catch (ImageLoadException e) {
            console.close();
            stderr.println("a64trap run: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        console.onFailure(board::interrupt); // like SIGPIPE: a console nobody reads ends the run
        Thread onSignal = ShutdownFlush.install(board, console, stderr);
        try {
            int status = runBoard(board, o, gdbAddress, console, stderr, traceStream, plot);
            IOException lost = console.failure();
            if (lost != null) {
                if (!ConsoleOutput.isBrokenPipe(lost)) {
                    stderr.println("a64trap: guest console output failed: " + lost.getMessage());
                }
                return ExitStatus.CONSOLE_FAILED;
            }
            return status;
        } finally {
            console.close();
            ShutdownFlush.remove(onSignal);
        }
    }

    /** --smp or -smp (not both), checked against the board's limit. */
    static int smpCount(Integer smp, Integer qemuSmp) throws UsageError {
        if (smp != null && qemuSmp != null) {
            throw new UsageError("--smp and -smp are the same option; give one");
        }
        int n = smp != null ? smp : qemuSmp != null ? qemuSmp : 1;
        if (n < 1 || n > VirtBoard.MAX_CPUS) {
            throw new UsageError("--smp " + n + ": expected 1 to " + VirtBoard.MAX_CPUS + " vCPUs");
        }
        return n;
    }

    private int runBoard(VirtBoard board, VirtBoard.Options o, GdbOptions.Address gdbAddress, ConsoleOutput console,
            PrintStream stderr, PrintStream traceStream, PmuPlot plot) {
        if (gdbAddress != null) {
            // a throwaway copy of the guest (no console, no host files) warms the JIT for stepi
            return gdbOptions.serve(board, maxInsns, gdbAddress, stderr, () -> {
                VirtBoard.Options copy = new VirtBoard.Options();
                copy.ramSize = o.ramSize;
                copy.loadAddress = o.loadAddress;
                copy.bios = o.bios;
                copy.lse = o.lse;
                copy.append = o.append;
                copy.smp = o.smp;
                try {
                    copy.vcpu = pmuOptions.build(null);
                    copy.moreVcpus = pmuOptions.siblings(copy.vcpu, copy.smp);
                    return VirtBoard.load(image, copy);
                } catch (UsageError | ImageLoadException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        // --plot: one picture, or with --smp one per vCPU (FILE-vcpuN.png), as the JSON report
        List<PmuPlot> plots = new java.util.ArrayList<>();
        List<dev.a64trap.machine.HostedVcpu> plotted = new java.util.ArrayList<>();
        if (plot != null) {
            for (VirtBoard.Vcpu v : board.vcpus()) {
                if (v.hosted() != null) {
                    plots.add(board.vcpus().size() == 1 ? plot : plot.forVcpu(v.index()));
                    plotted.add(v.hosted());
                }
            }
        }
        Object sigint = Sigint.install(board::interrupt); // stops at the next block boundary
        long t0 = System.nanoTime();
        Stop stop;
        try {
            stop = plot == null ? board.run(maxInsns) : PmuPlot.runAll(board, plots, plotted, maxInsns);
        } catch (RuntimeException e) {
            board.flush();
            stderr.printf("a64trap: internal error at pc=0x%x: %s%n", board.cpu().pc, e);
            return ExitStatus.GUEST_FAILURE;
        } catch (OutOfMemoryError e) {
            board.flush();
            stderr.printf("a64trap: out of Java heap at pc=0x%x (%d MiB at most; guest RAM pages live there): "
                    + "raise it with A64TRAP_JAVA_OPTS=-Xmx... or lower --memory%n", board.cpu().pc,
                    Runtime.getRuntime().maxMemory() >> 20);
            return ExitStatus.GUEST_FAILURE;
        } finally {
            if (traceStream != null) {
                traceStream.flush();
            }
            Sigint.restore(sigint);
        }
        long t1 = System.nanoTime();
        long retired = board.retiredTotal();
        dev.a64trap.machine.HostedVcpu failed = board.vcpus().stream().map(VirtBoard.Vcpu::hosted)
                .filter(h -> h != null && h.failEntry() != null).findFirst().orElse(null);
        if (failed != null) {
            board.flush();
            stderr.println(PmuOptions.failEntryLine(failed));
            if (pmuOptions.wantsReport() && !writeReport(board, stderr)) {
                return ExitStatus.USAGE;
            }
            return writePlots(plots, plotted, stderr) ? ExitStatus.FAIL_ENTRY : ExitStatus.USAGE;
        }
        int status = switch (stop.kind()) {
            case EXIT -> stop.status();
            case BUDGET -> {
                stderr.printf("a64trap: instruction budget exhausted after %d instructions at pc=0x%x%n",
                        retired, stop.pc());
                yield ExitStatus.BUDGET_EXHAUSTED;
            }
            case BREAKPOINT, DEBUG -> ExitStatus.GUEST_FAILURE; // only a debugger sets breakpoints and hooks
            case INTERRUPTED -> {
                if (console.failure() != null) {
                    yield ExitStatus.CONSOLE_FAILED; // the caller says why
                }
                stderr.printf("a64trap: interrupted at pc=0x%x after %d instructions%n", stop.pc(), retired);
                yield ExitStatus.INTERRUPTED;
            }
            case EXCEPTION, EXCEPTION_LOOP, WFI_NO_WAKEUP -> {
                if (board.vcpus().size() > 1) {
                    stderr.printf("a64trap: vCPU %d stopped the board%s%n", board.lastVcpu(),
                            board.exitReason().isEmpty() ? "" : " (" + board.exitReason() + ")");
                }
                stderr.print(stop.stuckReport("\n  "));
                yield ExitStatus.GUEST_EXCEPTION;
            }
        };
        if (pmuOptions.wantsReport() && !writeReport(board, stderr)) {
            status = ExitStatus.USAGE;
        }
        if (!writePlots(plots, plotted, stderr)) {
            status = ExitStatus.USAGE;
        }
        if (stats) {
            double seconds = (t1 - t0) / 1e9;
            stderr.printf(Locale.ROOT, "a64trap: %d guest instructions in %.3f s: %.1f MIPS%n",
                    retired, seconds, seconds > 0 ? retired / seconds / 1e6 : 0.0);
            if (board.interpreter().compiler() instanceof dev.a64trap.jit.Jit jit) {
                stderr.println("a64trap: " + jit.summary());
            }
            stderr.println("a64trap: " + cpuTimes());
        }
        stderr.flush();
        return status;
    }

    /**
     * CPU time of the thread that ran the guest and of HotSpot's compilers: unlike wall time, the
     * guest thread's figure hardly moves when other processes load the machine (for benchmarks).
     */
    private static String cpuTimes() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long guestNs = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        long compileMs = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        return String.format(Locale.ROOT, "CPU time: guest thread %s; HotSpot compiling %s (elapsed, summed over its threads)",
                guestNs < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f s", guestNs / 1e9),
                compileMs < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f s", compileMs / 1e3));
    }

    /** Writes the --pmu-report; false (message on stderr) when its FILE cannot be written. */
    private boolean writeReport(VirtBoard board, PrintStream stderr) {
        String error = null;
        java.util.List<VirtBoard.Vcpu> vcpus = board.vcpus();
        for (VirtBoard.Vcpu v : vcpus) {
            if (vcpus.size() == 1) {
                error = pmuOptions.report(v.hosted(), stderr);
            } else { // one report per vCPU; json:FILE gives one file per vCPU (r.json: r-vcpu1.json...)
                if (!pmuOptions.reportsToFile()) {
                    stderr.println("vCPU " + v.index() + ":");
                }
                error = pmuOptions.report(v.hosted(), stderr, "vcpu" + v.index());
            }
            if (error != null) {
                break;
            }
        }
        if (error != null) {
            stderr.println("a64trap run: " + error);
        }
        return error == null;
    }

    /** Writes the --plot pictures (none without --plot); false (message on stderr) when a FILE cannot be written. */
    private static boolean writePlots(List<PmuPlot> plots, List<dev.a64trap.machine.HostedVcpu> vcpus,
            PrintStream stderr) {
        for (int i = 0; i < plots.size(); i++) {
            String error = plots.get(i).write(vcpus.get(i));
            if (error != null) {
                stderr.println("a64trap run: " + error);
                return false;
            }
        }
        return true;
    }

    /**
     * The report of a run the guest cannot go on from (exit 125): a first line saying why, then the PC
     * with the instruction, ESR and FAR, each after {@code sep} (a newline and indent for a terminal,
     * two spaces for a one-line gdb message).
     */
    static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;
        /** The errno when KVM refused the setup (compare shows it in the mode's row), else null. */
        final String errno;
        /** KVM's own words without the option prefix, when {@link #errno} is set. */
        final String kvmReason;

        UsageError(String message) {
            this(message, null, null);
        }

        UsageError(String message, String errno, String kvmReason) {
            super(message);
            this.errno = errno;
            this.kvmReason = kvmReason;
        }
    }

    static long parseNumber(String s, String what) throws UsageError {
        try {
            String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new UsageError(what + ": not a number: '" + s + "'");
        }
    }

    /** Whether --cpu MODEL has the LSE atomics. */
    static boolean lse(String cpuModel) throws UsageError {
        return switch (cpuModel) {
            case "cortex-a57" -> false;
            case "cortex-a57+lse", "max" -> true;
            default -> throw new UsageError("--cpu must be cortex-a57+lse, cortex-a57 or max, got '" + cpuModel + "'");
        };
    }

    /** What the JVM itself needs beside guest RAM (code cache aside): the JIT's classes, block caches, buffers. */
    static final long HEAP_RESERVE = 64L << 20;

    /**
     * Guest RAM pages are allocated in the Java heap when first written: refuse up front a RAM the
     * heap could never back, rather than dying of OutOfMemoryError once the guest has used it.
     */
    static void checkHeap(long ramSize, String asGiven) throws UsageError {
        long max = Runtime.getRuntime().maxMemory();
        if (max != Long.MAX_VALUE && ramSize > max - HEAP_RESERVE) {
            throw new UsageError(String.format(Locale.ROOT, "--memory %s is more than this JVM's heap can back "
                    + "(%d MiB at most, %d MiB of it for a64trap itself): lower --memory, or raise the heap, "
                    + "e.g. A64TRAP_JAVA_OPTS=-Xmx%dm", asGiven, max >> 20, HEAP_RESERVE >> 20,
                    (ramSize + HEAP_RESERVE + (256L << 20)) >> 20));
        }
    }

    /** --rtc-base's date as seconds since the epoch (UTC); null: the fixed default. */
    static long rtcSeconds(String date) throws UsageError {
        if (date == null) {
            return dev.a64trap.devices.Pl031.DEFAULT_BASE;
        }
        if (date.equals("utc")) {
            return java.time.Instant.now().getEpochSecond(); // the user asked for the host's date
        }
        if (date.equals("localtime")) {
            return java.time.LocalDateTime.now().toEpochSecond(java.time.ZoneOffset.UTC);
        }
        try {
            return date.contains("T")
                    ? java.time.LocalDateTime.parse(date).toEpochSecond(java.time.ZoneOffset.UTC)
                    : java.time.LocalDate.parse(date).atStartOfDay().toEpochSecond(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageError("--rtc-base " + date + ": expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS, utc or localtime");
        }
    }

    static long parseSize(String s) throws UsageError {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mul = 1;
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("K")) {
            mul = 1L << 10;
        } else if (t.endsWith("M")) {
            mul = 1L << 20;
        } else if (t.endsWith("G")) {
            mul = 1L << 30;
        }
        if (mul != 1) {
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new UsageError("--memory: not a size: '" + s + "' (use e.g. 128M or 1G)");
        }
        if (n <= 0 || n > GuestMemory.MAX_RAM_SIZE / mul || (n * mul) % (64 << 10) != 0) {
            throw new UsageError("--memory: " + s + " is not a multiple of 64K between 64K and 64G");
        }
        return n * mul;
    }
}
