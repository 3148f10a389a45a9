package dev.a64trap.machine;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.exec.Interpreter;
import dev.a64trap.exec.Platform;
import dev.a64trap.exec.Stop;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.sysreg.BaseSysRegs;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * QEMU's {@code virt} board as a {@code -kernel} run sees it: RAM, flash, PL011, semihosting,
 * PSCI over HVC, one CPU and the interpreter, wired together. Entry state as QEMU gives a
 * {@code -kernel} image: EL1h, DAIF masked, registers zero, PC = the loader's reset PC.
 */
public final class VirtBoard {

    /** Board options; the defaults match {@code qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M}. */
    public static final class Options {
        public long ramSize = GuestMemory.DEFAULT_RAM_SIZE;
        public String append;
        public OptionalLong loadAddress = OptionalLong.empty();
        /** Implement the LSE atomics (QEMU's {@code -cpu max} has them, Cortex-A57 has not). */
        public boolean lse;
        public PrintStream trace;
        public OutputStream stdout = OutputStream.nullOutputStream();
        public OutputStream stderr = OutputStream.nullOutputStream();
        public InputStream stdin = InputStream.nullInputStream();
        /** Read stdin on a background thread (terminals) instead of eagerly (files, pipes: deterministic). */
        public boolean interactiveInput;
    }

    // PSCI 0.2+ function IDs (SMC32 and SMC64 calling conventions).
    static final int PSCI_VERSION = 0x8400_0000, PSCI_CPU_SUSPEND = 0x8400_0001, PSCI_CPU_OFF = 0x8400_0002,
            PSCI_CPU_ON = 0x8400_0003, PSCI_AFFINITY_INFO = 0x8400_0004, PSCI_MIGRATE_INFO_TYPE = 0x8400_0006,
            PSCI_SYSTEM_OFF = 0x8400_0008, PSCI_SYSTEM_RESET = 0x8400_0009, PSCI_FEATURES = 0x8400_000A;
    static final long PSCI_NOT_SUPPORTED = -1, PSCI_INVALID_PARAMETERS = -2, PSCI_ALREADY_ON = -4;
    /** PSCI 1.1, as QEMU 7.2 reports. */
    static final long PSCI_1_1 = 0x10001;

    private final GuestMemory memory;
    private final Pl011 uart;
    private final Semihosting semihosting;
    private final Cpu cpu;
    private final Interpreter interpreter;
    private final LoadedImage image;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private String exitReason = "";

    private VirtBoard(Path imagePath, String imageName, byte[] bytes, Options o) throws ImageLoadException {
        this.stdout = o.stdout;
        this.stderr = o.stderr;
        memory = new GuestMemory(o.ramSize);
        uart = new Pl011(o.stdout, o.interactiveInput ? SerialInput.background(o.stdin) : SerialInput.eager(o.stdin));
        memory.map(Pl011.BASE, Pl011.SIZE, uart);
        image = imagePath != null ? ImageLoader.load(imagePath, memory, o.loadAddress)
                : ImageLoader.load(bytes, imageName, memory, o.loadAddress);
        cpu = new Cpu(BaseSysRegs.cortexA57Table(o.lse), o.lse);
        Platform platform = new Firmware();
        interpreter = new Interpreter(cpu, memory, platform, o.trace);
        long[] heap = Semihosting.largestGap(memory.ramBase(), memory.ramSize(), image.ranges());
        semihosting = Semihosting.builder(interpreter.cache().memory(), () -> cpu.retired)
                .console(o.stdout) // one guest console: semihosting and PL011 in order, as QEMU with a shared chardev
                .stdout(o.stdout)
                .stderr(o.stderr)
                .stdin(o.stdin)
                .commandLine(Semihosting.qemuCommandLine(imageName, o.append))
                .heap(heap[0], heap[1])
                .build();
        cpu.pc = image.resetPc();
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
            return interpreter.run(maxInsns);
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
        public int hvc(Cpu c, int imm) {
            return psci(c);
        }

        @Override
        public int smc(Cpu c, int imm) {
            return UNDEFINED;
        }

        private int psci(Cpu c) {
            int fn = (int) c.x[0];
            int base = fn & ~0x4000_0000; // SMC64 IDs (0xC4...) share the SMC32 numbering
            switch (base) {
                case PSCI_VERSION -> c.x[0] = PSCI_1_1;
                case PSCI_SYSTEM_OFF -> {
                    exitReason = "PSCI SYSTEM_OFF";
                    return 0;
                }
                case PSCI_SYSTEM_RESET -> {
                    // QEMU would reboot the board; a run that asks for a reset is over for us.
                    exitReason = "PSCI SYSTEM_RESET";
                    return 0;
                }
                case PSCI_CPU_OFF -> {
                    exitReason = "PSCI CPU_OFF of the only CPU";
                    return 0;
                }
                case PSCI_FEATURES -> {
                    int q = (int) c.x[1] & ~0x4000_0000;
                    c.x[0] = List.of(PSCI_VERSION, PSCI_CPU_SUSPEND, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_AFFINITY_INFO,
                            PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES).contains(q)
                            ? 0 : PSCI_NOT_SUPPORTED;
                }
                case PSCI_MIGRATE_INFO_TYPE -> c.x[0] = 2; // trusted OS not present
                case PSCI_AFFINITY_INFO -> c.x[0] = (c.x[1] & 0xFF_00FF_FFFFL) == 0 ? 0 : PSCI_INVALID_PARAMETERS;
                case PSCI_CPU_ON -> c.x[0] = (c.x[1] & 0xFF_00FF_FFFFL) == 0 ? PSCI_ALREADY_ON : PSCI_INVALID_PARAMETERS;
                case PSCI_CPU_SUSPEND -> c.x[0] = 0;
                default -> c.x[0] = PSCI_NOT_SUPPORTED; // QEMU 7.2 answers any HVC as a PSCI call

            }
            return CONTINUE;
        }
    }
}
