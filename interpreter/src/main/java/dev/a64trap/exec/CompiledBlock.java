package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;

/**
 * A block translated to JVM bytecode (by {@code dev.a64trap.jit}). It runs the whole block, and
 * again while the block branches back to its own start, at most {@code maxIterations} times, with
 * exactly the interpreter's semantics; the interpreter does the block-level bookkeeping (retired
 * count, events, exception entry) from what it returns. An abstract class rather than an interface:
 * the run loop calls every unit from one site, and a virtual call costs less there than an
 * interface call.
 */
public abstract class CompiledBlock {
    protected CompiledBlock() {}

    /**
     * Runs from {@code b.pc} with the state in {@code cpu}. Returns the number of whole executions of
     * the block retired. On return {@code cpu.x}/{@code cpu.nzcv} hold the architectural state and
     * either {@code f.nextPc} is the PC to continue at, or {@code f.fault} is the exception raised by
     * instruction {@code f.faultIndex} of the following (partial) execution, with the registers as
     * after the previous instruction.
     */
    public abstract long run(Cpu cpu, Block b, JitFrame f, long maxIterations);

    /**
     * True when the unit covers all instructions but the block's last (a system or exception-generating
     * instruction the JIT leaves to the interpreter's general path). Such a unit runs at most once and
     * stops with {@code f.nextPc} = the last instruction's PC.
     */
    public abstract boolean prefixOnly();

    /**
     * True for a region unit: {@code b} ends with an MRS/MSR of a known system register and the unit
     * runs it, then on into the block after it (and so on along a chain of such blocks), looping when
     * the chain's last block branches back to {@code b.pc}. Such a unit does the interpreter's block
     * accounting itself through {@link JitFrame#beforeAccess} (or {@link JitFrame#sysAccess}) and
     * {@link JitFrame#next}; on return either {@code f.nextPc} is set, or {@code f.fault} with
     * {@code f.faultBlock} and {@code f.faultIndex} (the registers as before that instruction). Its
     * return value is not used.
     */
    public abstract boolean region();

    /**
     * True for a graph unit: {@code b} and blocks reachable from it by direct branches (and returns
     * to the sites after its calls) on its 4 KiB page, translated into one method whose internal
     * branches are jumps. {@code run}'s last argument is the retired count at which the budget ends;
     * it returns the retired count at its exit, having counted every block it retired in its
     * {@link GraphTally} (per edge: the block, how often, the next PC) and stopping at the
     * first block boundary where the run loop would look (checkpoint, budget, interrupt, a write to
     * its page). On a fault, {@code f.faultBlock}/{@code f.faultIndex} as for region units, and the
     * return value is the retired count at the start of that block.
     */
    public boolean graph() {
        return false;
    }
}
