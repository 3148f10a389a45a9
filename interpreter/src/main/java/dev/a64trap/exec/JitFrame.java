package dev.a64trap.exec;

import dev.a64trap.cpu.GuestFault;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.mem.PhysicalMemory;
import dev.a64trap.sysreg.SysReg;

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

    /** Graph units: their edge counters, stored here at exit for {@link #flushGraph} (zeroed by it). */
    public final long[] counts = new long[MAX_EDGES];
    /** Most distinct edges (block, next PC) a graph unit may count. */
    public static final int MAX_EDGES = 512;

    private final Interpreter interp;

    JitFrame(PhysicalMemory mem, Interpreter interp) {
        this.mem = mem;
        this.interp = interp;
    }

    /** DC CVAC/CVAU/CVAP/CIVAC or IC IVAU of {@code va} in a compiled block (may throw the EL0 trap). */
    public void cacheByVa(int enc, int rt, long va) {
        interp.cacheByVa(enc, rt, va);
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
     * Region units, before an MRS/MSR (ending {@code b}) that the unit checks and calls itself with its
     * descriptor's rule and handler: {@code b} becomes the executing block and the instructions before
     * the access retired, as {@link #sysAccess} does before the interpreter's code.
     */
    public void beforeAccess(Block b) {
        interp.regionBeforeAccess(b);
    }

    /**
     * The exception for the MRS/MSR ending {@code b} when its rule answered {@code a} (not ALLOW):
     * the interpreter's syndrome (UNDEFINED, or the EC 0x18 trap). The unit throws it.
     */
    public GuestFault refused(Block b, SysReg.Access a) {
        Insn in = b.insns[b.insns.length - 1];
        return SystemOps.refused(in, a, in.op() != Op.MRS);
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

    /** Steady region loops: the step of the MRS's value per pass, set by {@link #steady}. */
    public final long[] steadyStep = new long[1];

    /**
     * Steady region loops: the registers, flags and pass counts a unit hands to its batch method and
     * gets back (the unit's layout: registers at their numbers, then its own; room for its longest chain).
     */
    public final long[] batch = new long[64];

    /**
     * Steady region loops, right after the last MRS of a pass (ending {@code chain[chain.length - 2]})
     * ran through its handler: how many further whole passes of {@code chain} the unit may run without
     * calling {@link #next} or a handler, each MRS reading {@link #steadyStep} more each pass (0: none).
     */
    public long steady(Block[] chain) {
        return interp.regionSteady(chain, steadyStep);
    }

    /**
     * Steady region loops: the accounting of {@code passes} whole passes run without {@link #next}, then
     * of the first {@code blocks} blocks of the batched pass in progress, before the unit leaves or
     * calls the frame again.
     */
    public void settle(Block[] chain, long passes, int blocks) {
        interp.regionSettle(chain, passes, blocks);
    }

    /**
     * Graph units, at a block boundary: the retired count at which the run loop looks next (its
     * checkpoint: a vPMU deadline, a device deadline, or now for a pending interrupt). A unit goes on
     * into the next block only while its retired count is below it.
     */
    public long checkpoint() {
        return interp.checkpoint;
    }

    /**
     * Graph units, at exit: edge {@code e < n} (block {@code chain[block[e]]} retired whole
     * {@link #counts}{@code [e]} times, each on to {@code next[e]}) gets the interpreter's block
     * accounting (events, observer); then the counter is zeroed.
     */
    public void flushGraph(Block[] chain, int[] block, long[] next, int n) {
        long[] c = counts;
        for (int e = 0; e < n; e++) {
            long t = c[e];
            if (t != 0) {
                c[e] = 0;
                interp.graphEdge(chain[block[e]], t, next[e]);
            }
        }
    }

    /** Graph units, at an exit through an indirect branch: {@code b} retired once, on to {@code nextPc}. */
    public void graphExit(Block b, long nextPc) {
        interp.graphEdge(b, 1, nextPc);
    }
}
