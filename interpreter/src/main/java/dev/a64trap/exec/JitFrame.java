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
    /** Region units: the block (of the unit's chain) holding the faulting instruction. */
    public Block faultBlock;

    private final Interpreter interp;

    JitFrame(PhysicalMemory mem, Interpreter interp) {
        this.mem = mem;
        this.interp = interp;
    }

    /**
     * Region units: executes the MRS/MSR that ends {@code b} through the interpreter's own path (access
     * rule, UNDEFINED/trap syndromes, the descriptor's handler), with {@code b} as the executing block
     * and the instructions before it retired, exactly as the interpreter runs it. The unit has written
     * its registers and flags back to the CPU first and reloads them after. A refused access throws
     * {@link GuestFault}.
     */
    public void sysAccess(Block b) {
        interp.regionAccess(b);
    }

    /**
     * Region units: {@code done} retired whole and execution continues at {@code nextPc}: the
     * interpreter's block accounting (retired count, events, observer). Returns true when the unit
     * may go on into {@code next} (the block at {@code nextPc}, null if the unit leaves anyway): it
     * fits the budget, no checkpoint is due, no interrupt is pending and no write dropped the unit's
     * code, exactly where the interpreter's loop would stop at this block boundary.
     */
    public boolean next(Block done, long nextPc, Block next) {
        return interp.regionNext(done, nextPc, next);
    }
}
