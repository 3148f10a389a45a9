package dev.a64trap.machine;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.devices.CfiFlash;
import dev.a64trap.devices.GuestClock;
import dev.a64trap.devices.GuestExit;
import dev.a64trap.devices.Pl011;
import dev.a64trap.devices.Psci;
import dev.a64trap.devices.Semihosting;
import dev.a64trap.devices.SerialInput;
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
        /** Let semihosting SYS_OPEN reach host files (otherwise only ":tt" opens). */
        public boolean semihostingFiles;
        /** Confine semihosting SYS_OPEN to this directory (implies host files); null = no confinement. */
        public java.nio.file.Path semihostingRoot;
    }

    private final GuestMemory memory;
    private final Pl011 uart;
    private final Semihosting semihosting;
    private final Psci psci = new Psci();
    private final Cpu cpu;
    private final Interpreter interpreter;
    private final LoadedImage image;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private String exitReason = "";
    private final HostedVcpu hosted;
    /** Exit status of a PSCI CPU_SUSPEND nothing can end: 125, "the guest cannot go on", as a WFI of that kind. */
    public static final int CPU_SUSPEND_FOREVER = 125;
    /** KVM's default PMU overflow interrupt (PPI 7 of the DTB's pmu node). */
    static final int PMU_PPI = VirtDeviceTree.PMU_INTID;
    private final Gicv3 gic = new Gicv3();
    private final GenericTimer timer;
    /** Guest time WFI skipped to a timer deadline (the vCPU idles: no instruction, no cycle). */
    private long idleNs;

    private VirtBoard(Path imagePath, String imageName, byte[] bytes, Options o) throws ImageLoadException {
        this.stdout = o.stdout;
        this.stderr = o.stderr;
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
            byte[] dtb = VirtDeviceTree.blob(o.ramSize, o.append, o.vcpu != null && o.vcpu.plan().pmuFeature());
            if (ImageLoader.installDtb(memory, image, dtb) && memory.isRam(image.dtbAddress(), dtb.length)) {
                used.add(new LoadedImage.Range(image.dtbAddress(), dtb.length, dtb.length, "dtb")); // QEMU's heap avoids it
            }
        }
        hosted = o.vcpu;
        memory.map(Gicv3.DIST_BASE, Gicv3.DIST_SIZE, gic.distributor);
        memory.map(Gicv3.REDIST_BASE, Gicv3.REDIST_SIZE, gic.redistributor);
        timer = new GenericTimer(this::nanoseconds, gic::setInput, this::planTimer);
        List<SysReg> rows = BaseSysRegs.cortexA57(o.lse);
        cpu = new Cpu(SysRegTable.of(withDevices(hosted == null ? rows : hosted.sysRegs(rows))), o.lse);
        Platform platform = new Firmware();
        interpreter = new Interpreter(cpu, memory, platform, o.trace);
        if (o.jit) {
            interpreter.setCompiler(Jit.fromProperties());
        }
        if (hosted != null) {
            hosted.attach(interpreter, cpu);
            hosted.onIrq(level -> gic.setInput(PMU_PPI, level)); // KVM's PMU overflow interrupt
        }
        gic.connect(interpreter::setInterruptLines);
        uart.setIrqLine(level -> gic.setInput(Pl011.IRQ, level)); // SPI 1
        long[] heap = Semihosting.largestGap(memory.ramBase(), memory.ramSize(),
                used.stream().map(r -> new Semihosting.Span(r.start(), r.end())).toList());
        // one guest time for the timer and semihosting's clocks
        GuestClock clock = this::nanoseconds;
        semihosting = Semihosting.builder(interpreter.cache().memory(), clock)
                .console(o.stdout) // one guest console: semihosting and PL011 in order, as QEMU with a shared chardev
                .stdout(o.stdout)
                .stderr(o.stderr)
                .stdin(afterUart(uart, o.stdin)) // one stdin: what the UART already took comes first
                .commandLine(Semihosting.qemuCommandLine(imageName, o.append))
                .heap(heap[0], heap[1])
                .hostFiles(o.semihostingFiles)
                .hostRoot(o.semihostingRoot)
                .build();
        cpu.pc = image.resetPc();
    }

    /**
     * Guest time in ns (= counter ticks, CNTFRQ_EL0 = 1 GHz): the vCPU's time on the simulated host,
     * or one ns per retired instruction without one, plus the time WFI skipped.
     */
    long nanoseconds() {
        return (hosted != null ? hosted.nanoseconds() : cpu.retired) + idleNs;
    }

    /**
     * The rows of {@code base} with the devices': the timer's CNTP and CNTV registers and the GIC's ICC ones
     * added, the counters CNTPCT/CNTVCT moved on by the time WFI skipped, and DAIF writes (which can
     * unmask a pending interrupt inside compiled code) making the interpreter look at the lines.
     */
    private List<SysReg> withDevices(List<SysReg> base) {
        List<SysReg> added = new ArrayList<>(timer.sysRegs());
        added.addAll(gic.sysRegs());
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        added.forEach(r -> taken.add(r.encoding()));
        List<SysReg> rows = new ArrayList<>();
        for (SysReg r : base) {
            if (taken.contains(r.encoding())) {
                continue;
            }
            rows.add(switch (r.name()) {
                case "CNTPCT_EL0", "CNTVCT_EL0" -> r.withHandlers((c, x) -> r.read(c) + idleNs, null);
                // GIC [27:24] = 1: the GICv3 system-register CPU interface is there (QEMU sets it for gic-version=3)
                case "ID_AA64PFR0_EL1" -> r.withHandlers((c, x) -> r.read(c) | 1L << 24, null);
                case "DAIF" -> r.withHandlers(r.reader(), (c, x, v) -> {
                    r.write(c, v);
                    interpreter.pollInterrupts();
                });
                default -> r;
            });
        }
        rows.addAll(added);
        return rows;
    }

    /** Moves the board's checkpoint to the timers' next deadline (called after every timer change). */
    private void planTimer() {
        if (interpreter == null) {
            return;
        }
        long deadline = timer.nextDeadline();
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

    /** Runs until exit, budget ({@code maxInsns} retired in total, 0 = none), exception without vector or interrupt. */
    public Stop run(long maxInsns) {
        try {
            if (hosted != null) {
                Stop s = hosted.enter(); // first KVM_RUN: may fail entry before any guest instruction
                if (s != null) {
                    return s;
                }
            }
            Stop s = interpreter.run(maxInsns);
            if (hosted != null) {
                hosted.settle();
            }
            return s;
        } finally {
            flush();
        }
    }

    public void interrupt() {
        interpreter.interrupt();
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

    public Cpu cpu() {
        return cpu;
    }

    /** The vCPU on the simulated host, or null. */
    public HostedVcpu hostedVcpu() {
        return hosted;
    }

    public Interpreter interpreter() {
        return interpreter;
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

    /**
     * Semihosting and PSCI. QEMU virt without EL2/EL3 uses HVC as the PSCI conduit and answers every
     * HVC as a PSCI call (unknown functions: NOT_SUPPORTED); SMC is UNDEFINED (recorded from QEMU 7.2
     * by guest-images/src/exceptions).
     */
    private final class Firmware implements Platform {
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
            timer.update();
            planTimer();
        }

        /**
         * WFI: an interrupt the GIC signals (masked or not) ends it at once; otherwise guest time
         * skips to the next timer deadline, and it ends if that timer's PPI then reaches the PE.
         * Nothing left that could: the run stops (Stop.Kind.WFI_NO_WAKEUP).
         */
        @Override
        public boolean canWakeFromWfi(Cpu c) {
            for (int guard = 0; guard < 4 && !interpreter.interruptPending(); guard++) {
                long deadline = timer.nextDeadline();
                if (deadline == Long.MAX_VALUE) {
                    return false;
                }
                idleNs += deadline - nanoseconds();
                timer.update();
                planTimer();
            }
            return interpreter.interruptPending();
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
                c.x[0] = psci.call(c.x[0], c.x[1], c.x[2], c.x[3]);
                boolean suspend = fn == Psci.CPU_SUSPEND || fn == Psci.CPU_SUSPEND64 || fn == Psci.V01_CPU_SUSPEND;
                if (suspend && c.x[0] == 0 && !canWakeFromWfi(c)) { // QEMU: CPU_SUSPEND is a WFI
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
