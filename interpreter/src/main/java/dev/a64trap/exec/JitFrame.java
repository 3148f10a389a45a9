package dev.a64trap.exec;

import dev.a64trap.cpu.GuestFault;
import dev.a64trap.mem.PhysicalMemory;

/** What a {@link CompiledBlock} reads and reports besides the CPU: one per interpreter, reused for every call. */
public final class JitFrame {
    /** Guest memory with the code-page write watch (the interpreter's data path). */
    public final PhysicalMemory mem;
    /** Set by {@link Interpreter#interrupt()}: compiled loops leave at their next back-edge. */
    public volatile boolean interrupt;
    /** Where execution continues (valid when {@link #fault} is null). */
    public long nextPc;
    public GuestFault fault;
    /** Index in the block of the faulting instruction. */
    public int faultIndex;

    JitFrame(PhysicalMemory mem) {
        this.mem = mem;
    }
}
