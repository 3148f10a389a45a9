package dev.a64trap.gdb;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything the gdb stub needs from a machine. The machine (or an adapter in {@code cli})
 * implements it; the stub never sees the machine's classes.
 *
 * <h2>Numbering</h2>
 * vCPUs are numbered {@code 0 .. cpuCount()-1}; gdb sees them as threads {@code 1 .. cpuCount()}.
 * Core registers use gdb's {@code org.gnu.gdb.aarch64.core} numbering: {@link #X0}..30 are
 * x0-x30, {@link #SP}, {@link #PC}, then {@link #CPSR} (32 bits, the PSTATE fields as SPSR lays
 * them out). System registers are addressed by their index in {@link #systemRegisters()}.
 *
 * <h2>Threading</h2>
 * <ul>
 * <li>{@link #resume} runs on the stub's own target thread and blocks until the target stops;
 *     the stub never calls it on a network thread. {@link #step} runs on the network thread that
 *     received the request (a thread hand-off would be most of a stepi's latency), so it must
 *     return promptly: a step that cannot complete (e.g. an endless exception loop that retires
 *     nothing) must end itself, as an interrupt, after a short while.</li>
 * <li>{@link #interrupt()} may be called from any thread at any time, concurrently with
 *     {@code step}/{@code resume}. It sets a sticky request: a running {@code resume} must
 *     notice it soon (e.g. at its next block boundary), clear it and return
 *     {@link StopEvent#interrupted}. A request that arrives when nothing is running stays
 *     pending and makes the next {@code step}/{@code resume} clear it and return
 *     {@code interrupted} at once without executing anything (the stub tolerates that: gdb shows
 *     SIGINT). This is the only method that must be thread-safe.</li>
 * <li>{@link #cpuCount()}, {@link #systemRegisters()}, {@link #supportedBreakKinds()} and
 *     {@link #monitorCommands()} return constant data and may be called from any thread at any
 *     time (a connecting debugger asks for them while a free-running guest still runs).</li>
 * <li>Every other method is called only while no {@code step}/{@code resume} is in progress,
 *     never concurrently with another call, with a happens-before edge from the end of the
 *     previous call (the stub synchronises); the calling thread may differ from call to call
 *     (a Netty event loop for register/memory/breakpoint/monitor calls, the target thread for
 *     {@code step}/{@code resume}).</li>
 * <li>Stop reasons a machine should map: a guest exception with no vector installed →
 *     {@link StopEvent#signal} with SIGSEGV (11) and the PC/ESR/disassembly line as detail; a
 *     sysreg catch → {@code signal(cpu, 5, "guest read PMCCNTR_EL0")}; the instruction budget
 *     running out → {@code signal(cpu, 5, "instruction budget exhausted")} or
 *     {@link StopEvent#exited}, as the run command prefers.</li>
 * <li>When a gdb server is attached to a machine, the server owns execution: the run command
 *     must not run the machine itself but let the server call {@code resume} (it does so at once
 *     unless it was told to wait for the debugger) and wait for {@link GdbServer#guestEnded()}.</li>
 * </ul>
 *
 * <h2>Side effects</h2>
 * Debugger reads have no guest-visible side effects: {@link #readSystemRegister} on
 * PMCCNTR_EL0 or PMOVSSET_EL0, {@link #readMemory} on a device register, etc. must not count as
 * a guest access, advance or materialise anything the guest could observe, or trigger a
 * watchpoint or a sysreg catch. Writes go through the userspace (KVM set-one-reg) path, not
 * the guest's MSR path. Software breakpoints must not modify guest memory.
 */
public interface DebugTarget {
    int X0 = 0;
    int SP = 31;
    int PC = 32;
    int CPSR = 33;
    /** Number of core registers (x0-x30, sp, pc, cpsr). */
    int CORE_REGISTERS = 34;

    /**
     * Registers of gdb's {@code org.gnu.gdb.aarch64.fpu} feature when {@link #hasFpu()}: v0-v31
     * (128 bits), fpsr, fpcr (32 bits), numbered from {@link #CORE_REGISTERS}; the system registers
     * then follow them.
     */
    int FPU_REGISTERS = 34;

    /** Whether the target has the SIMD&FP registers (constant for the target's lifetime). */
    default boolean hasFpu() {
        return false;
    }

    /** V{@code n} (n < 32) as {bits [63:0], bits [127:64]}; n = 32 is FPSR, 33 FPCR (in element 0). */
    default long[] readFpuRegister(int cpu, int n) {
        return new long[2];
    }

    /** Writes V{@code n} (both halves), or FPSR (32) / FPCR (33) from {@code lo}. */
    default void writeFpuRegister(int cpu, int n, long lo, long hi) {
    }

    /** Number of vCPUs; at least 1, constant for the target's lifetime. */
    int cpuCount();

    /** A short description of a vCPU for gdb's {@code info threads} (e.g. "vCPU 0 on pCPU 3 (A76)"). */
    default String cpuDescription(int cpu) {
        return "vCPU " + cpu;
    }

    /** Reads core register {@code reg} (0..{@link #CORE_REGISTERS}-1); cpsr is zero-extended. */
    long readCoreRegister(int cpu, int reg);

    /** Writes core register {@code reg}; for cpsr only the low 32 bits are given. */
    void writeCoreRegister(int cpu, int reg, long value);

    /**
     * The system registers the debugger can see, in a fixed order (normally the machine's
     * sysreg descriptor table order). The list must not change while the server runs.
     */
    List<SysRegInfo> systemRegisters();

    /**
     * Reads system register {@code index} (into {@link #systemRegisters()}) without side
     * effects; empty if it has no readable value (gdb shows it as unavailable).
     */
    OptionalLong readSystemRegister(int cpu, int index);

    /**
     * Writes system register {@code index} through the userspace path; false (and nothing
     * changed) if the register cannot be written that way.
     */
    boolean writeSystemRegister(int cpu, int index, long value);

    /**
     * Reads up to {@code length} bytes at {@code address} as {@code cpu} sees it, without side
     * effects. Returns how many bytes from the start of the range were readable (stopping at the
     * first unmapped byte): 0 if the first byte is unmapped.
     */
    int readMemory(int cpu, long address, byte[] buffer, int offset, int length);

    /** Writes all {@code length} bytes, or nothing and returns false if any byte is not writable. */
    boolean writeMemory(int cpu, long address, byte[] data, int offset, int length);

    /** The breakpoint and watchpoint kinds this target implements (others get an empty reply). */
    Set<BreakKind> supportedBreakKinds();

    /**
     * Inserts a breakpoint or watchpoint covering {@code [address, address+length)}; inserting
     * the same one twice is allowed (gdb does it). False if it cannot be set (e.g. no slot left).
     */
    boolean insertBreakpoint(BreakKind kind, long address, int length);

    /** Removes one; false if there was no such breakpoint. */
    boolean removeBreakpoint(BreakKind kind, long address, int length);

    /**
     * Executes one instruction on {@code cpu} (other vCPUs do not run) and returns
     * {@link StopEvent#stepped} or whatever stopped it earlier (a watchpoint, the guest exiting,
     * a pending interrupt). Called on a network thread; must return promptly (see above).
     */
    StopEvent step(int cpu);

    /**
     * Runs all vCPUs until something stops the machine: a breakpoint (reported before the
     * instruction executes; when resuming from a breakpoint address the first instruction runs
     * without stopping on it), a watchpoint (reported before the access, as AArch64 hardware
     * does: gdb then steps over the instruction with watchpoints removed; a run's first instruction
     * ignores watchpoints so a resume can get past one), {@link #interrupt()}, a sysreg catch
     * (after the access), a guest exit.
     * Called on the target thread; blocks for as long as the guest runs.
     */
    StopEvent resume();

    /** Asks a running (or the next) {@link #step}/{@link #resume} to stop; thread-safe, non-blocking. */
    void interrupt();

    /**
     * Machine-provided monitor commands ({@code pmu}, {@code host}, {@code migrate},
     * {@code catch sysreg}, {@code trace}...). {@code help} is built in.
     */
    default List<MonitorCommand> monitorCommands() {
        return List.of();
    }
}
