package dev.a64trap.machine;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.devices.CfiFlash;
import dev.a64trap.devices.GuestClock;
import dev.a64trap.devices.GuestExit;
import dev.a64trap.devices.Pl011;
import dev.a64trap.devices.Pl031;
import dev.a64trap.devices.Psci;
import dev.a64trap.devices.Semihosting;
import dev.a64trap.devices.SerialInput;
import dev.a64trap.exec.BlockCache;
import dev.a64trap.exec.Interpreter;
import dev.a64trap.jit.Jit;
import dev.a64trap.exec.Platform;
import dev.a64trap.exec.Stop;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.loader.ImageLoader;
import dev.a64trap.loader.LoadedImage;
import dev.a64trap.loader.VirtDeviceTree;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.devices.GenericTimer;
import dev.a64trap.devices.Gicv3;
import dev.a64trap.host.CycleModel;
import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysRegTable;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * QEMU's {@code virt} board as a {@code -kernel} run sees it: RAM, flash, PL011, semihosting,
 * PSCI over HVC, a GICv3 with the generic timer's PPIs and the vPMU's overflow PPI 23, a device tree ({@link VirtDeviceTree}), one CPU and the interpreter, wired together. Entry state as QEMU gives a
 * {@code -kernel} image: EL1h, DAIF masked, registers zero, PC = the loader's reset PC.
 */
public final class VirtBoard {

    /** Board options; the defaults match {@code qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M}. */
    public static final class Options {
        public long ramSize = GuestMemory.DEFAULT_RAM_SIZE;
        public String append;
        public OptionalLong loadAddress = OptionalLong.empty();
        /** The image is firmware, as QEMU's {@code -bios}: flash at 0, started at 0, the DTB at the RAM base. */
        public boolean bios;
        /** Implement the LSE atomics (QEMU's {@code -cpu max} has them, Cortex-A57 has not). */
        public boolean lse;
        public PrintStream trace;
        public OutputStream stdout = OutputStream.nullOutputStream();
        public OutputStream stderr = OutputStream.nullOutputStream();
        public InputStream stdin = InputStream.nullInputStream();
        /** Read stdin on a background thread (terminals) instead of eagerly (files, pipes: deterministic). */
        public boolean interactiveInput;
        /** Translate hot blocks to JVM bytecode (system property {@code a64trap.jit=false} turns the default off). */
        public boolean jit = Jit.enabledByProperties();
        /** KVM's vPMU on a simulated host (null = no PMU registers, CNTVCT = instructions retired). */
        public HostedVcpu vcpu;
        /** vCPUs, as QEMU's {@code -smp N}: vCPU 0 starts, the others wait for PSCI CPU_ON. */
        public int smp = 1;
        /** With {@link #vcpu} and {@link #smp} &gt; 1: vCPU i's KVM vCPU (i &gt;= 1). */
        public java.util.function.IntFunction<HostedVcpu> moreVcpus;
        /** SMP: instructions a vCPU retires per turn (0 = {@link #DEFAULT_QUANTUM}). */
        public long quantum;
        /** Let semihosting SYS_OPEN reach host files (otherwise only ":tt" opens). */
        public boolean semihostingFiles;
        /** Confine semihosting SYS_OPEN to this directory (implies host files); null = no confinement. */
        public java.nio.file.Path semihostingRoot;
        /** The date the PL031 RTC starts at, seconds since the epoch (QEMU's -rtc base=). */
        public long rtcBase = Pl031.DEFAULT_BASE;
    }

    private final GuestMemory memory;
    private final Pl011 uart;
    /** The RTC counts vCPU 0's guest time, as semihosting's clocks do. */
    private final Pl031 rtc;
    private final Semihosting semihosting;
    private final Psci psci;
    private final LoadedImage image;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private String exitReason = "";
    /** Exit status of a PSCI CPU_SUSPEND nothing can end: 125, "the guest cannot go on", as a WFI of that kind. */
    public static final int CPU_SUSPEND_FOREVER = 125;
    /** KVM's default PMU overflow interrupt (PPI 7 of the DTB's pmu node). */
    static final int PMU_PPI = VirtDeviceTree.PMU_INTID;
    /** Most vCPUs: what QEMU virt's one GICv3 redistributor region holds. */
    public static final int MAX_CPUS = Gicv3.MAX_PES;
    /** Instructions a vCPU retires before the next one runs (SMP), unless it waits first. */
    public static final long DEFAULT_QUANTUM = 1000;
    private final Gicv3 gic;
    private final Vcpu[] vcpus;
    private final long quantum;
    /** Ctrl-C or the debugger asked the whole board to stop (SMP: the vCPU loop looks at it). */
    private volatile boolean stopRequested;
    /** The vCPU running now (SMP), for {@link #interrupt()} from another thread. */
    private volatile Vcpu running;

    /** What a vCPU is waiting for (SMP). */
    enum Wait { NONE, WFI, WFE }

    /** One vCPU of the board: its CPU state, interpreter, timers and (optional) KVM vCPU on the simulated host. */
    public final class Vcpu {
        final int index;
        Cpu cpu;
        Interpreter interpreter;
        final GenericTimer timer;
        final HostedVcpu hosted;
        /** Guest time WFI (and, with several vCPUs, waiting or being off) skipped: no instruction, no cycle. */
        long idleNs;
        boolean on;
        Wait waiting = Wait.NONE;
        boolean event;
        /** The KVM vCPU has been entered (first KVM_RUN done). */
        boolean entered;
        /** The exclusives granule as it was when this vCPU last stopped (SMP), to see other vCPUs' stores. */
        final long[] granule = new long[GRANULE / 8];
        long granulePa = -1;

        Vcpu(int index, HostedVcpu hosted) {
            this.index = index;
            this.hosted = hosted;
            this.timer = new GenericTimer(this::nanoseconds, (intid, level) -> gic.setInput(index, intid, level),
                    this::planTimer);
        }

        /** Guest time in ns of this vCPU (= counter ticks, CNTFRQ_EL0 = 1 GHz): see {@link VirtBoard#nanoseconds()}. */
        long nanoseconds() {
            return (hosted != null ? hosted.nanoseconds() : cpu.retired) + idleNs;
        }

        /** The earliest deadline of this vCPU's timers (and, on vCPU 0, the RTC's alarm), or Long.MAX_VALUE. */
        long nextDeadline() {
            return index == 0 && rtc != null ? Math.min(timer.nextDeadline(), rtc.nextDeadline()) : timer.nextDeadline();
        }

        /** Lets this vCPU's timers (and, on vCPU 0, the RTC) see that guest time has moved. */
        void updateDevices() {
            timer.update();
            if (index == 0 && rtc != null) {
                rtc.update();
            }
        }

        /** Moves this vCPU's device checkpoint to its timers' next deadline (called after every timer change). */
        void planTimer() {
            if (interpreter == null) {
                return;
            }
            long deadline = nextDeadline();
            if (deadline == Long.MAX_VALUE) {
                interpreter.setDeviceCheckpoint(Long.MAX_VALUE);
                return;
            }
            interpreter.setDeviceCheckpoint(cpu.retired + instructionsWithin(deadline - nanoseconds()));
        }

        /**
         * Instructions that surely retire within {@code ns} of guest time (at least 1): one per ns
         * without a simulated host; on it, as if each took the current pCPU's slowest instruction
         * class, so the checkpoint comes at or before the deadline and is planned again from there.
         */
        private long instructionsWithin(long ns) {
            if (hosted == null || hosted.currentCpu() < 0) {
                return Math.max(1, ns);
            }
            CycleModel m = hosted.host().cycleModel(hosted.currentCpu());
            return Math.max(1, ns / 1000 * m.frequencyMhz() / Math.max(1, m.maxCyclesPerInstruction())
                    + ns % 1000 * m.frequencyMhz() / 1000 / Math.max(1, m.maxCyclesPerInstruction()));
        }

        public int index() {
            return index;
        }

        public Cpu cpu() {
            return cpu;
        }

        public Interpreter interpreter() {
            return interpreter;
        }

        /** The KVM vCPU on the simulated host, or null. */
        public HostedVcpu hosted() {
            return hosted;
        }

        /** Powered on (PSCI): vCPU 0 from reset, the others after CPU_ON. */
        public boolean isOn() {
            return on;
        }

        /** MPIDR_EL1 as the guest reads it. */
        public long mpidr() {
            return BaseSysRegs.MPIDR | VirtDeviceTree.affinity(index);
        }
    }

    /** Bytes of the exclusives reservation granule (CTR_EL0.ERG = 4 on Cortex-A57: 16 words). */
    static final int GRANULE = 64;

    private VirtBoard(Path imagePath, String imageName, byte[] bytes, Options o) throws ImageLoadException {
        this.stdout = o.stdout;
        this.stderr = o.stderr;
        int n = o.smp;
        if (n < 1 || n > MAX_CPUS) {
            throw new ImageLoadException("--smp " + n + ": a64trap's virt board has 1 to " + MAX_CPUS + " vCPUs");
        }
        if (n > 1 && o.vcpu != null && o.moreVcpus == null) {
            throw new IllegalArgumentException("several vCPUs on the simulated host need Options.moreVcpus");
        }
        quantum = o.quantum > 0 ? o.quantum : DEFAULT_QUANTUM;
        memory = new GuestMemory(o.ramSize);
        for (long bank = GuestMemory.FLASH_BASE; bank < GuestMemory.FLASH_SIZE; bank += GuestMemory.FLASH_BANK_SIZE) {
            memory.attachFlash(bank, new CfiFlash(memory, bank, GuestMemory.FLASH_BANK_SIZE)); // virt's two pflash banks
        }
        uart = new Pl011(o.stdout, o.interactiveInput ? SerialInput.background(o.stdin) : SerialInput.eager(o.stdin));
        memory.map(Pl011.BASE, Pl011.SIZE, uart);
        if (o.bios) {
            image = ImageLoader.loadFirmware(bytes != null ? bytes : readFirmware(imagePath), imageName, memory);
        } else {
            image = imagePath != null ? ImageLoader.load(imagePath, memory, o.loadAddress)
                    : ImageLoader.load(bytes, imageName, memory, o.loadAddress);
        }
        // hw/arm/boot.c: the DTB goes where the loader says (x0 for a Linux Image via the stub)
        List<LoadedImage.Range> used = new ArrayList<>(image.ranges());
        if (image.dtbAddress() >= 0) {
            byte[] dtb = VirtDeviceTree.blob(o.ramSize, o.append, o.vcpu != null && o.vcpu.plan().pmuFeature(), n);
            if (ImageLoader.installDtb(memory, image, dtb) && memory.isRam(image.dtbAddress(), dtb.length)) {
                used.add(new LoadedImage.Range(image.dtbAddress(), dtb.length, dtb.length, "dtb")); // QEMU's heap avoids it
            }
        }
        long[] affinities = new long[n];
        for (int i = 0; i < n; i++) {
            affinities[i] = VirtDeviceTree.affinity(i);
        }
        gic = new Gicv3(affinities);
        memory.map(Gicv3.DIST_BASE, Gicv3.DIST_SIZE, gic.distributor);
        memory.map(Gicv3.REDIST_BASE, Gicv3.REDIST_SIZE, gic.redistributor);
        // every vCPU's rows (its timer, its vPMU), then one table for all: a row that differs between
        // vCPUs dispatches on the accessing CPU's index (SysReg.perCpu); with one vCPU, its own rows
        vcpus = new Vcpu[n];
        List<List<SysReg>> perCpu = new ArrayList<>();
        List<SysReg> rows = BaseSysRegs.cortexA57(o.lse);
        for (int i = 0; i < n; i++) {
            HostedVcpu h = i == 0 ? o.vcpu : o.vcpu == null ? null : o.moreVcpus.apply(i);
            vcpus[i] = new Vcpu(i, h);
            perCpu.add(withDevices(vcpus[i], h == null ? rows : h.sysRegs(rows), n));
        }
        SysRegTable table = SysRegTable.of(merge(perCpu));
        BlockCache cache = null;
        Jit jit = o.jit ? Jit.fromProperties() : null;
        for (int i = 0; i < n; i++) {
            Vcpu v = vcpus[i];
            v.cpu = new Cpu(table, o.lse);
            v.cpu.index = i;
            Firmware platform = new Firmware(v);
            PrintStream trace = o.trace == null || n == 1 ? o.trace : prefixed(o.trace, "cpu" + i + " ");
            v.interpreter = cache == null ? new Interpreter(v.cpu, memory, platform, trace)
                    : new Interpreter(v.cpu, cache, platform, trace);
            cache = v.interpreter.cache();
            v.interpreter.setCompiler(jit);
            if (v.hosted != null) {
                v.hosted.attach(v.interpreter, v.cpu);
                v.hosted.onIrq(level -> gic.setInput(v.index, PMU_PPI, level)); // KVM's PMU overflow interrupt
            }
            gic.connect(i, v.interpreter::setInterruptLines);
        }
        vcpus[0].on = true; // the others wait for PSCI CPU_ON, as on QEMU
        psci = new Psci(Psci.Conduit.HVC, new Power());
        uart.setIrqLine(level -> gic.setInput(Pl011.IRQ, level)); // SPI 1
        rtc = new Pl031(this::nanoseconds, o.rtcBase, () -> vcpus[0].planTimer());
        memory.map(Pl031.BASE, Pl031.SIZE, rtc);
        rtc.setIrqLine(level -> gic.setInput(Pl031.IRQ, level)); // SPI 2
        long[] heap = Semihosting.largestGap(memory.ramBase(), memory.ramSize(),
                used.stream().map(r -> new Semihosting.Span(r.start(), r.end())).toList());
        // one guest time for the timer and semihosting's clocks (vCPU 0's)
        GuestClock clock = this::nanoseconds;
        semihosting = Semihosting.builder(cache.memory(), clock)
                .console(o.stdout) // one guest console: semihosting and PL011 in order, as QEMU with a shared chardev
                .stdout(o.stdout)
                .stderr(o.stderr)
                .stdin(afterUart(uart, o.stdin)) // one stdin: what the UART already took comes first
                .commandLine(Semihosting.qemuCommandLine(imageName, o.append))
                .heap(heap[0], heap[1])
                .hostFiles(o.semihostingFiles)
                .hostRoot(o.semihostingRoot)
                .build();
        vcpus[0].cpu.pc = image.resetPc();
    }

    /** With several vCPUs each trace line names its vCPU ("cpu3 "), so one stream shows who ran what. */
    private static PrintStream prefixed(PrintStream to, String prefix) {
        byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new PrintStream(new java.io.OutputStream() {
            private boolean lineStart = true;

            @Override
            public void write(int b) {
                if (lineStart) {
                    to.write(p, 0, p.length);
                }
                to.write(b);
                lineStart = b == '\n';
            }
        }, true);
    }

    /** One table's rows from each vCPU's: the same row object stays, rows that differ become {@link SysReg#perCpu}. */
    private static List<SysReg> merge(List<List<SysReg>> perCpu) {
        List<SysReg> first = perCpu.get(0);
        if (perCpu.size() == 1) {
            return first;
        }
        List<SysReg> out = new ArrayList<>();
        for (int k = 0; k < first.size(); k++) {
            List<SysReg> variants = new ArrayList<>();
            boolean same = true;
            for (List<SysReg> rows : perCpu) {
                variants.add(rows.get(k));
                same &= rows.get(k) == first.get(k);
            }
            out.add(same ? first.get(k) : SysReg.perCpu(variants));
        }
        return out;
    }

    /**
     * Guest time in ns of vCPU 0 (= counter ticks, CNTFRQ_EL0 = 1 GHz): its time on the simulated
     * host, or one ns per retired instruction without one, plus the time WFI skipped.
     */
    long nanoseconds() {
        return vcpus[0].nanoseconds();
    }

    /**
     * {@code v}'s rows from {@code base}: the timer's CNTP and CNTV registers and the GIC's ICC ones
     * added, the counters CNTPCT/CNTVCT moved on by the time WFI skipped, and DAIF writes (which can
     * unmask a pending interrupt inside compiled code) making the interpreter look at the lines.
     * With several vCPUs, MPIDR_EL1 tells them apart.
     */
    private List<SysReg> withDevices(Vcpu v, List<SysReg> base, int cpus) {
        List<SysReg> added = new ArrayList<>(v.timer.sysRegs());
        added.addAll(sharedGicRows());
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        added.forEach(r -> taken.add(r.encoding()));
        List<SysReg> rows = new ArrayList<>();
        for (SysReg r : base) {
            if (taken.contains(r.encoding())) {
                continue;
            }
            rows.add(switch (r.name()) {
                case "CNTPCT_EL0", "CNTVCT_EL0" -> r.withHandlers((c, x) -> r.read(c) + v.idleNs, null);
                // GIC [27:24] = 1: the GICv3 system-register CPU interface is there (QEMU sets it for gic-version=3)
                case "ID_AA64PFR0_EL1" -> sharedRow(r, () -> r.withHandlers((c, x) -> r.read(c) | 1L << 24, null));
                case "MPIDR_EL1" -> cpus == 1 ? r : SysReg.constant(r.name(), r.encoding(), v.mpidr());
                case "DAIF" -> r.withHandlers(r.reader(), (c, x, val) -> {
                    r.write(c, val);
                    v.interpreter.pollInterrupts();
                });
                default -> r;
            });
        }
        rows.addAll(added);
        return rows;
    }

    private List<SysReg> gicRows;
    private final java.util.Map<SysReg, SysReg> shared = new java.util.IdentityHashMap<>();

    /** The GIC's rows, made once: they find their PE themselves. */
    private List<SysReg> sharedGicRows() {
        if (gicRows == null) {
            gicRows = gic.sysRegs();
        }
        return gicRows;
    }

    /** One derived row per base row, so vCPUs built from the same base row share it. */
    private SysReg sharedRow(SysReg base, java.util.function.Supplier<SysReg> make) {
        return shared.computeIfAbsent(base, b -> make.get());
    }

    /** {@code stdin} for semihosting, the bytes the UART's receiver holds first (see {@link Pl011#takeReceived}). */
    private static InputStream afterUart(Pl011 uart, InputStream stdin) {
        return new InputStream() {
            @Override
            public int read() throws java.io.IOException {
                int b = uart.takeReceived();
                return b >= 0 ? b : stdin.read();
            }

            @Override
            public int read(byte[] buf, int off, int len) throws java.io.IOException {
                java.util.Objects.checkFromIndexSize(off, len, buf.length);
                int n = 0;
                for (int b; n < len && (b = uart.takeReceived()) >= 0; n++) {
                    buf[off + n] = (byte) b;
                }
                if (n == len) {
                    return n;
                }
                int more = stdin.read(buf, off + n, len - n);
                return more < 0 ? (n == 0 ? -1 : n) : n + more;
            }
        };
    }

    private static byte[] readFirmware(Path file) throws ImageLoadException {
        try {
            if (java.nio.file.Files.size(file) > 64L << 20) {
                throw new ImageLoadException(file + ": firmware too large for the 64 MiB flash bank");
            }
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException | SecurityException e) {
            throw new ImageLoadException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Loads {@code image} into a fresh board. @throws ImageLoadException for any bad input */
    public static VirtBoard load(Path image, Options options) throws ImageLoadException {
        return new VirtBoard(image, image.toString(), null, options);
    }

    /** A board running an image held in memory (tests). */
    public static VirtBoard load(byte[] image, String name, Options options) throws ImageLoadException {
        return new VirtBoard(null, name, image, options);
    }

    /**
     * Runs until exit, budget ({@code maxInsns} retired in total by all vCPUs, 0 = none), exception
     * without vector or interrupt. With several vCPUs they take turns of {@link Options#quantum}
     * instructions in index order (see {@link #runSmp}).
     */
    public Stop run(long maxInsns) {
        try {
            if (vcpus.length > 1) {
                return runSmp(maxInsns);
            }
            Vcpu v = vcpus[0];
            if (v.hosted != null) {
                Stop s = v.hosted.enter(); // first KVM_RUN: may fail entry before any guest instruction
                if (s != null) {
                    return s;
                }
            }
            Stop s = v.interpreter.run(maxInsns);
            if (v.hosted != null) {
                v.hosted.settle();
            }
            return s;
        } finally {
            flush();
        }
    }

    /**
     * The SMP loop, deterministic in guest time: in rounds, each powered-on vCPU that is not waiting
     * runs one quantum of retired instructions (fewer if it executes WFI/WFE with nothing to wake it,
     * CPU_SUSPEND or CPU_OFF). After each turn the other vCPUs' exclusive monitors are checked against
     * the memory of their granule (a store by this vCPU clears them and is an event for WFE). After a
     * round every vCPU that did not run all of it idles up to the round's end, so the counters of all
     * vCPUs agree; when every vCPU waits, time skips to the earliest timer deadline of any vCPU, and
     * if there is none the run stops ({@link Stop.Kind#WFI_NO_WAKEUP}).
     */
    private Stop runSmp(long maxInsns) {
        long limit = maxInsns <= 0 ? Long.MAX_VALUE : maxInsns;
        boolean[] resumed = new boolean[vcpus.length]; // a breakpoint where a vCPU starts is passed once
        try {
            while (true) {
                // A run that ended inside a round (the budget) goes on with that round where it stopped,
                // even inside a turn, so a run in slices (--plot, a debugger) is the run in one go.
                for (int i = roundNext; i < vcpus.length; i++) {
                    Vcpu v = vcpus[i];
                    boolean midTurn = turnLeft > 0;
                    if (!midTurn && (!v.on || (v.waiting != Wait.NONE && !wakes(v)))) {
                        continue;
                    }
                    v.waiting = Wait.NONE;
                    long total = retiredTotal();
                    if (stopRequested) { // sticky: also one that came while nothing ran
                        stopRequested = false;
                        newRound();
                        return Stop.interrupted(v.cpu.pc);
                    }
                    if (total >= limit) {
                        roundNext = i; // the budget: the next run goes on from here
                        return Stop.budget(v.cpu.pc);
                    }
                    if (!v.entered && v.hosted != null) {
                        Stop s = v.hosted.enter();
                        if (s != null) {
                            newRound();
                            return s;
                        }
                    }
                    v.entered = true;
                    running = v;
                    lastVcpu = v.index;
                    long turn = midTurn ? turnLeft : quantum;
                    long start = v.cpu.retired;
                    Stop s = v.interpreter.run(start + Math.min(turn, limit - total), !resumed[v.index]);
                    resumed[v.index] = true;
                    running = null;
                    roundRan = true;
                    afterTurn(v);
                    long left = turn - (v.cpu.retired - start);
                    // the run's budget, not the turn's end, stopped it: the turn goes on at the next run
                    boolean cut = s.kind() == Stop.Kind.BUDGET && left > 0 && retiredTotal() >= limit
                            && v.on && v.waiting == Wait.NONE;
                    turnLeft = cut ? left : 0;
                    roundNext = cut ? i : i + 1;
                    switch (s.kind()) {
                        case BUDGET -> {
                            if (cut) {
                                return s;
                            }
                        } // the quantum is over
                        case WFI_NO_WAKEUP, INTERRUPTED -> {
                            if (v.waiting == Wait.NONE && v.on || stopRequested) {
                                stopRequested = false;
                                newRound();
                                return s;
                            }
                        }
                        default -> {
                            newRound();
                            return s;
                        }
                    }
                }
                roundNext = 0;
                boolean ran = roundRan;
                roundRan = false;
                alignClocks();
                if (!ran && !skipToNextDeadline()) {
                    exitReason = "every vCPU waits (WFI, WFE or CPU_SUSPEND) and no timer or interrupt can wake one";
                    Vcpu w = firstWaiting();
                    return Stop.wfiNoWakeup(w == null ? vcpus[0].cpu.pc : w.cpu.pc - 4);
                }
            }
        } finally {
            for (Vcpu v : vcpus) {
                if (v.hosted != null && v.entered) {
                    v.hosted.settle();
                }
            }
        }
    }

    // where the SMP round stands between runs: the vCPU whose turn is next (or goes on), what is left
    // of that turn (0: a whole quantum), and whether any vCPU has run in this round yet. Kept only
    // across a stop for the run's budget; any other stop (exit, breakpoint, interrupt...) starts the
    // next run with a new round, from vCPU 0.
    private int roundNext;
    private long turnLeft;
    private boolean roundRan;

    private void newRound() {
        roundNext = 0;
        turnLeft = 0;
        roundRan = false;
    }

    /** The vCPU whose turn ended the last {@link #run} or {@link #runVcpu} (0 with one vCPU). */
    public int lastVcpu() {
        return lastVcpu;
    }

    private int lastVcpu;

    /**
     * Runs only vCPU {@code i} up to {@code limit} retired (its own count): a debugger's single
     * step. A WFI or WFE that makes it wait ends the step as completed (BUDGET); the next
     * {@link #run} wakes it when it may. Null if the vCPU is powered off.
     */
    public Stop runVcpu(int i, long limit) {
        Vcpu v = vcpus[i];
        if (!v.on) {
            return null;
        }
        lastVcpu = i;
        try {
            if (vcpus.length == 1) {
                return run(limit);
            }
            v.waiting = Wait.NONE;
            running = v;
            if (stopRequested) {
                stopRequested = false;
                return Stop.interrupted(v.cpu.pc);
            }
            Stop s = v.interpreter.run(limit);
            running = null;
            afterTurn(v);
            boolean parked = v.waiting != Wait.NONE || !v.on;
            if (s.kind() == Stop.Kind.INTERRUPTED && stopRequested) {
                stopRequested = false;
                return s;
            }
            if (!parked) {
                return s;
            }
            return Stop.budget(v.cpu.pc); // the step made it wait: done
        } finally {
            flush();
        }
    }

    /** Instructions retired by all vCPUs. */
    public long retiredTotal() {
        long t = 0;
        for (Vcpu v : vcpus) {
            t += v.cpu.retired;
        }
        return t;
    }

    private Vcpu firstWaiting() {
        for (Vcpu v : vcpus) {
            if (v.on && v.waiting != Wait.NONE) {
                return v;
            }
        }
        return null;
    }

    /** Whether a waiting vCPU may go on: an interrupt the GIC signals (masked or not), or for WFE an event. */
    private static boolean wakes(Vcpu v) {
        if (v.interpreter.interruptPending()) {
            return true;
        }
        if (v.waiting == Wait.WFE && v.event) {
            v.event = false;
            return true;
        }
        return false;
    }

    /**
     * After {@code v}'s turn: every other vCPU whose exclusives granule changed loses its monitor
     * (a store by another PE to the granule clears it; the clearing is a WFE wake-up event), and
     * {@code v}'s granule is remembered for the turns of the others.
     */
    private void afterTurn(Vcpu v) {
        for (Vcpu o : vcpus) {
            if (o != v && o.cpu.exclusiveValid && o.granulePa >= 0 && !granuleSame(o)) {
                o.cpu.exclusiveValid = false;
                o.event = true;
            }
        }
        v.granulePa = -1;
        if (v.cpu.exclusiveValid) {
            long pa = v.cpu.mmu.debugTranslate(v.cpu.exclusiveAddress) & -GRANULE;
            if (pa >= 0 && memory.isRam(pa, GRANULE)) {
                v.granulePa = pa;
                for (int k = 0; k < v.granule.length; k++) {
                    v.granule[k] = memory.read(pa + 8L * k, 8);
                }
            }
        }
    }

    private boolean granuleSame(Vcpu o) {
        for (int k = 0; k < o.granule.length; k++) {
            if (memory.read(o.granulePa + 8L * k, 8) != o.granule[k]) {
                return false;
            }
        }
        return true;
    }

    /** After a round: vCPUs behind the latest clock (waiting, off, stopped early) idle up to it. */
    private void alignClocks() {
        long now = Long.MIN_VALUE;
        for (Vcpu v : vcpus) {
            now = Math.max(now, v.nanoseconds());
        }
        for (Vcpu v : vcpus) {
            long behind = now - v.nanoseconds();
            if (behind > 0 && (!v.on || v.waiting != Wait.NONE)) {
                v.idleNs += behind;
            }
            v.updateDevices();
            v.planTimer();
        }
    }

    /** Every vCPU waits or is off: time skips to the earliest timer deadline (false: there is none). */
    private boolean skipToNextDeadline() {
        long skip = Long.MAX_VALUE;
        for (Vcpu v : vcpus) {
            if (v.on) {
                long d = v.nextDeadline();
                if (d != Long.MAX_VALUE) {
                    skip = Math.min(skip, d - v.nanoseconds());
                }
            }
        }
        if (skip == Long.MAX_VALUE) {
            return false;
        }
        for (Vcpu v : vcpus) {
            v.idleNs += Math.max(0, skip);
            v.updateDevices();
            v.planTimer();
        }
        return true;
    }

    /** Asks the run to stop at the next block boundary (safe from any thread, e.g. a SIGINT handler). */
    public void interrupt() {
        if (vcpus.length == 1) {
            vcpus[0].interpreter.interrupt();
            return;
        }
        stopRequested = true;
        Vcpu v = running;
        if (v != null) {
            v.interpreter.interrupt();
        }
    }

    public void flush() {
        uart.flush();
        try {
            stdout.flush();
            stderr.flush();
        } catch (java.io.IOException ignored) {
            // the console went away; nothing left to tell it
        }
    }

    /** vCPU 0's CPU. */
    public Cpu cpu() {
        return vcpus[0].cpu;
    }

    /** The vCPUs, in index order (MPIDR affinity order). */
    public List<Vcpu> vcpus() {
        return List.of(vcpus);
    }

    /** vCPU 0's KVM vCPU on the simulated host, or null. */
    public HostedVcpu hostedVcpu() {
        return vcpus[0].hosted;
    }

    /** vCPU 0's interpreter. */
    public Interpreter interpreter() {
        return vcpus[0].interpreter;
    }

    public GuestMemory memory() {
        return memory;
    }

    public LoadedImage image() {
        return image;
    }

    /** What ended the run when it was a guest exit (e.g. "semihosting SYS_EXIT"). */
    public String exitReason() {
        return exitReason;
    }

    /** PSCI's view of the vCPUs. */
    private final class Power implements Psci.Power {
        @Override
        public int cpus() {
            return vcpus.length;
        }

        @Override
        public long affinity(int i) {
            return VirtDeviceTree.affinity(i);
        }

        @Override
        public int state(int i) {
            return vcpus[i].on ? Psci.STATE_ON : Psci.STATE_OFF;
        }

        /** QEMU's arm_set_cpu_on: a CPU reset, then EL1h (DAIF masked, MMU off), PC = entry, x0 = context id. */
        @Override
        public void on(int i, long entry, long context) {
            Vcpu v = vcpus[i];
            long retired = v.cpu.retired; // the vCPU's clock goes on
            v.cpu.reset();
            v.cpu.retired = retired;
            v.cpu.pc = entry;
            v.cpu.x[0] = context;
            v.on = true;
            v.waiting = Wait.NONE;
            v.event = false;
        }

        @Override
        public void off(int caller) {
            for (Vcpu v : vcpus) {
                if (v.index != caller && v.on) {
                    vcpus[caller].on = false;
                    vcpus[caller].interpreter.interrupt(); // stops after the HVC
                    return;
                }
            }
            throw new GuestExit(1, vcpus.length == 1 ? "PSCI CPU_OFF on the only CPU: nothing can run any more"
                    : "PSCI CPU_OFF on the last CPU that was on: nothing can run any more");
        }
    }

    /**
     * Semihosting and PSCI for one vCPU. QEMU virt without EL2/EL3 uses HVC as the PSCI conduit and answers every
     * HVC as a PSCI call (unknown functions: NOT_SUPPORTED); SMC is UNDEFINED (recorded from QEMU 7.2
     * by guest-images/src/exceptions).
     */
    private final class Firmware implements Platform {
        private final Vcpu v;

        Firmware(Vcpu v) {
            this.v = v;
        }

        @Override
        public int semihosting(Cpu c) {
            try {
                c.x[0] = semihosting.call(c.x[0] & 0xFFFF_FFFFL, c.x[1]);
                return CONTINUE;
            } catch (GuestExit e) {
                exitReason = e.reason();
                return e.status();
            }
        }

        @Override
        public void deviceCheckpoint(Cpu c) {
            v.updateDevices();
            v.planTimer();
        }

        /**
         * WFI: an interrupt the GIC signals (masked or not) ends it at once. With one vCPU guest time
         * skips to the next timer deadline, and it ends if that timer's PPI then reaches the PE; nothing
         * left that could: the run stops (Stop.Kind.WFI_NO_WAKEUP). With several the vCPU waits
         * (its turn ends; {@link #runSmp} wakes it).
         */
        @Override
        public boolean canWakeFromWfi(Cpu c) {
            if (vcpus.length > 1) {
                return v.interpreter.interruptPending() || waitNow(Wait.WFI);
            }
            for (int guard = 0; guard < 4 && !v.interpreter.interruptPending(); guard++) {
                long deadline = v.nextDeadline();
                if (deadline == Long.MAX_VALUE) {
                    return false;
                }
                v.idleNs += deadline - v.nanoseconds();
                v.updateDevices();
                v.planTimer();
            }
            return v.interpreter.interruptPending();
        }

        /** WFE: with one vCPU it completes (nothing else could send an event); with several, see {@link #wakes}. */
        @Override
        public boolean canWakeFromWfe(Cpu c) {
            if (vcpus.length == 1) {
                return true;
            }
            if (v.event) {
                v.event = false;
                return true;
            }
            return v.interpreter.interruptPending() || waitNow(Wait.WFE);
        }

        @Override
        public void sendEvent(Cpu c, boolean global) {
            if (!global) {
                v.event = true;
                return;
            }
            for (Vcpu o : vcpus) {
                o.event = true;
            }
        }

        /** Marks the vCPU waiting; false, so the interpreter ends its turn. */
        private boolean waitNow(Wait w) {
            v.waiting = w;
            return false;
        }

        @Override
        public int hvc(Cpu c, int imm) {
            return firmware(c, Psci.Conduit.HVC);
        }

        @Override
        public int smc(Cpu c, int imm) {
            return firmware(c, Psci.Conduit.SMC);
        }

        private int firmware(Cpu c, Psci.Conduit via) {
            if (!psci.isCall(via)) {
                return UNDEFINED;
            }
            long fn = c.x[0];
            try {
                c.x[0] = psci.call(v.index, c.x[0], c.x[1], c.x[2], c.x[3]);
                boolean suspend = fn == Psci.CPU_SUSPEND || fn == Psci.CPU_SUSPEND64 || fn == Psci.V01_CPU_SUSPEND;
                if (suspend && c.x[0] == 0 && vcpus.length > 1) {
                    if (!v.interpreter.interruptPending()) {
                        v.waiting = Wait.WFI; // QEMU: CPU_SUSPEND is a WFI
                        v.interpreter.interrupt();
                    }
                } else if (suspend && c.x[0] == 0 && !canWakeFromWfi(c)) { // QEMU: CPU_SUSPEND is a WFI
                    exitReason = "PSCI CPU_SUSPEND that nothing can wake (no timer or interrupt can reach the CPU)";
                    return CPU_SUSPEND_FOREVER;
                }
                return CONTINUE;
            } catch (GuestExit e) {
                exitReason = e.reason();
                return e.status();
            }
        }
    }
}
