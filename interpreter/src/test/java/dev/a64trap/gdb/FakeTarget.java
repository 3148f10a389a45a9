package dev.a64trap.gdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A tiny machine for the stub's tests. Memory: {@link #SIZE} bytes at {@link #BASE}. Each
 * "instruction" stores x0 (8 bytes) at the address in x1 if mapped, loads 8 bytes from the
 * address in x2 if mapped, increments x0 and advances pc to the next word (back to BASE when it
 * leaves memory).
 * The guest exits with status x0 & 0xff when pc reaches {@link #exitPc} (-1: never).
 */
final class FakeTarget implements DebugTarget {
    static final long BASE = 0x4000_0000L;
    static final int SIZE = 0x1000;

    final int cpus;
    final long[][] regs;
    final long[][] sys;
    final byte[] memory;
    final Set<String> breaks = new HashSet<>();
    volatile boolean interruptRequested;
    long exitPc;
    /** resume() gives up with a SIGTRAP stop after this many instructions (fuzzed pcs may never reach exitPc). */
    long budget = 100_000;
    int steps;
    /** resume() stops with a SIGTRAP "catch" naming a register when it reaches this pc (-1: off). */
    long catchPc = -1;
    final List<SysRegInfo> sysregs = List.of(
            new SysRegInfo("PMCR_EL0", 3, 3, 9, 12, 0),
            new SysRegInfo("PMCCNTR_EL0", 3, 3, 9, 13, 0),
            new SysRegInfo("PMOVSSET_EL0", 3, 3, 9, 14, 3),
            new SysRegInfo("MIDR_EL1", 3, 0, 0, 0, 0));
    final List<MonitorCommand> monitorCommands = new ArrayList<>();
    /** With SIMD&FP registers (gdb's fpu feature): v0-v31 as lo/hi pairs, then fpsr, fpcr. */
    boolean fpu;
    final long[] fpuRegs = new long[68];

    FakeTarget(int cpus) {
        this(cpus, SIZE);
    }

    /** A target with {@code memorySize} bytes of RAM at BASE (SIZE unless testing throughput). */
    FakeTarget(int cpus, int memorySize) {
        this.cpus = cpus;
        this.memory = new byte[memorySize];
        this.regs = new long[cpus][CORE_REGISTERS];
        this.sys = new long[cpus][sysregs.size()];
        for (int c = 0; c < cpus; c++) {
            regs[c][PC] = BASE;
            regs[c][SP] = BASE + memorySize;
            regs[c][CPSR] = 0x3c5;
            sys[c][1] = 1000 + c;
            sys[c][3] = 0x411fd070L;
        }
        for (int i = 0; i < memorySize; i++) memory[i] = (byte) (i * 7);
        exitPc = BASE + 0x400;
    }

    /**
     * The configuration served by {@link FakeServerMain} and used for the recorded gdb-multiarch
     * trace: 2 vCPUs, runs until interrupted, a {@code pmu} monitor command.
     */
    static FakeTarget demo() {
        return demo(SIZE);
    }

    static FakeTarget demo(int memorySize) {
        FakeTarget t = new FakeTarget(2, memorySize);
        t.exitPc = -1;
        t.budget = Long.MAX_VALUE;
        t.monitorCommands.add(new MonitorCommand("pmu", "pmu", "show the vPMU counters", arg -> "PMCCNTR_EL0 = " + t.sys[0][1]));
        return t;
    }

    /** Everything a debugger could change, for before/after comparisons. */
    String snapshot() {
        return Arrays.deepToString(regs) + Arrays.deepToString(sys) + Arrays.hashCode(memory)
                + new java.util.TreeSet<>(breaks) + steps;
    }

    @Override public int cpuCount() { return cpus; }

    @Override public long readCoreRegister(int cpu, int reg) {
        long v = regs[cpu][reg];
        return reg == CPSR ? v & 0xffff_ffffL : v;
    }

    @Override public void writeCoreRegister(int cpu, int reg, long value) {
        regs[cpu][reg] = reg == CPSR ? value & 0xffff_ffffL : value;
    }

    @Override public List<SysRegInfo> systemRegisters() { return sysregs; }

    @Override public boolean hasFpu() { return fpu; }
    @Override public long[] readFpuRegister(int cpu, int n) { return new long[] {fpuRegs[2 * n], fpuRegs[2 * n + 1]}; }
    @Override public void writeFpuRegister(int cpu, int n, long lo, long hi) { fpuRegs[2 * n] = lo; fpuRegs[2 * n + 1] = hi; }
    @Override public OptionalLong readSystemRegister(int cpu, int index) { return OptionalLong.of(sys[cpu][index]); }

    @Override public boolean writeSystemRegister(int cpu, int index, long value) {
        if (sysregs.get(index).name().equals("MIDR_EL1")) return false; // read-only
        sys[cpu][index] = value;
        return true;
    }

    private boolean inRange(long address, long length) {
        long off = address - BASE;
        return off >= 0 && off < memory.length && length <= memory.length - off;
    }

    @Override public int readMemory(int cpu, long address, byte[] buffer, int offset, int length) {
        long off = address - BASE;
        if (off < 0 || off >= memory.length) return 0;
        int n = (int) Math.min(length, memory.length - off);
        System.arraycopy(memory, (int) off, buffer, offset, n);
        return n;
    }

    @Override public boolean writeMemory(int cpu, long address, byte[] data, int offset, int length) {
        if (!inRange(address, length)) return false;
        System.arraycopy(data, offset, memory, (int) (address - BASE), length);
        return true;
    }

    @Override public Set<BreakKind> supportedBreakKinds() { return EnumSet.allOf(BreakKind.class); }

    private static String key(BreakKind kind, long address, int length) {
        return kind + ":" + Long.toHexString(address) + ":" + length;
    }

    @Override public boolean insertBreakpoint(BreakKind kind, long address, int length) {
        breaks.add(key(kind, address, length));
        return true;
    }

    @Override public boolean removeBreakpoint(BreakKind kind, long address, int length) {
        return breaks.remove(key(kind, address, length));
    }

    private StopEvent watch(int cpu, long address, boolean write) {
        for (String b : breaks) {
            String[] f = b.split(":");
            BreakKind kind = BreakKind.valueOf(f[0]);
            long a = Long.parseUnsignedLong(f[1], 16);
            int len = Integer.parseInt(f[2]);
            boolean fires = kind == BreakKind.WATCH_ACCESS || kind == (write ? BreakKind.WATCH_WRITE : BreakKind.WATCH_READ);
            if (fires && address < a + len && a < address + 8) return StopEvent.breakpoint(kind, cpu, address);
        }
        return null;
    }

    private StopEvent execute(int cpu) {
        long[] r = regs[cpu];
        steps++;
        StopEvent hit = null;
        if (inRange(r[1], 8)) {
            for (int i = 0; i < 8; i++) memory[(int) (r[1] - BASE) + i] = (byte) (r[0] >>> (8 * i));
            hit = watch(cpu, r[1], true);
        }
        if (hit == null && inRange(r[2], 8)) hit = watch(cpu, r[2], false);
        r[0]++;
        long next = (r[PC] & ~3L) + 4;
        r[PC] = next < BASE || next >= BASE + memory.length ? BASE : next;
        if (r[PC] == exitPc) return StopEvent.exited((int) r[0]);
        return hit;
    }

    @Override public StopEvent step(int cpu) {
        if (interruptRequested) {
            interruptRequested = false;
            return StopEvent.interrupted(cpu);
        }
        StopEvent ev = execute(cpu);
        return ev != null ? ev : StopEvent.stepped(cpu);
    }

    @Override public StopEvent resume() {
        boolean first = true;
        for (long n = 0; ; n++) {
            if (n >= budget) return StopEvent.signal(0, StopEvent.SIGTRAP, "budget");
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (interruptRequested) {
                    interruptRequested = false;
                    return StopEvent.interrupted(cpu);
                }
                long pc = regs[cpu][PC];
                if (!first && pc == catchPc) return StopEvent.signal(cpu, StopEvent.SIGTRAP, "guest read PMCCNTR_EL0");
                if (!first) {
                    for (BreakKind k : new BreakKind[] {BreakKind.SOFTWARE, BreakKind.HARDWARE}) {
                        if (breaks.contains(key(k, pc, 4))) return StopEvent.breakpoint(k, cpu, pc);
                    }
                }
                StopEvent ev = execute(cpu);
                if (ev != null) return ev;
            }
            first = false;
        }
    }

    @Override public void interrupt() { interruptRequested = true; }

    @Override public List<MonitorCommand> monitorCommands() { return monitorCommands; }

    @Override public String cpuDescription(int cpu) { return "fake vCPU " + cpu; }
}
