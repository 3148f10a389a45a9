package dev.a64trap.exec;

import dev.a64trap.decode.Insn;
import dev.a64trap.sysreg.SysReg;

/**
 * A decoded basic block: contiguous instructions from {@link #pc} within one 4 KiB page, ending at
 * a branch, an exception-generating or system instruction, a fetch fault or the length cap.
 * Static event counts are summed once here so execution adds them per block.
 */
public final class Block {
    public final long pc;
    /**
     * Physical address of the first instruction (= {@link #pc} with the MMU off). The block is valid
     * for a later visit to {@code pc} only while {@code pc} still translates to it, which the
     * interpreter checks before running it; writes are tracked by this physical page.
     */
    public long pa;
    /**
     * Physical code the block's translation depends on, [codeLo, codeHi): its own instructions, and
     * for a unit of several blocks on its page all of theirs (set by the JIT); a write there drops it.
     */
    public long codeLo;
    public long codeHi;
    public final Insn[] insns;
    final Uop[] uops;
    /** The uops packed for the hot loop ({@link Uop#pack}). */
    final int[] code;
    final long[] imms;
    /** MRS/MSR descriptor of the last instruction, looked up once at decode time (null if none/unknown). */
    public final SysReg sysReg;
    public final int branches;
    public final int loads;
    public final int stores;
    /** The JIT's translation (null until the block is hot and translated); swapped in by the interpreter. */
    public volatile CompiledBlock compiled;
    /** Executions counted towards the JIT threshold; negative once translation has failed. */
    int heat;
    /** {@link CompiledBlock#prefixOnly()} of {@link #compiled}, read once. */
    boolean compiledPrefix;
    /** {@link CompiledBlock#region()} of {@link #compiled}, read once. */
    boolean compiledRegion;
    /** Entries of the run loop into {@link #compiled} counted towards the second tier; negative once asked. */
    int hot;

    /**
     * The block has just become a member (not the head) of a graph unit: its count towards the second
     * tier starts again, so only entries from outside that unit make it a head of its own.
     */
    public void joinedGraph() {
        if (hot > 0) {
            hot = 0;
        }
    }
    /** {@link CompiledBlock#graph()} of {@link #compiled}, read once. */
    boolean compiledGraph;
    /** Whether {@link #compiled} is a plain block unit (not a prefix, region or graph unit), read once. */
    boolean compiledPlain;
    /**
     * The run loop's last two successors of this block, for going from unit to unit without the
     * block cache; valid while {@link BlockCache#invalidations()} equals {@link #succGen}.
     */
    Block succ0;
    Block succ1;
    long succGen = -1;
    /** {@code insns.length}, without a load of the array. */
    final int len;
    /** Set when the block is dropped for a write to its page: a compiled loop must not go round again. */
    public boolean stale;
    /**
     * Whole executions by compiled code not yet reported to the observer ({@link Interpreter#settleRuns}):
     * those that went on to the fall-through {@link #endPc()}, and those that went on to
     * {@link #runsOtherNext}. Nonzero only while the block is on its interpreter's list ({@link #runsListed}).
     */
    long runsFall;
    long runsOther;
    long runsOtherNext;
    boolean runsListed;
    /**
     * Whole executions by compiled code reported so far ({@link Interpreter#settleRuns}): to the
     * fall-through and to any other successor. The graph tier's profile (which successors are hot).
     */
    public long profFall;
    public long profOther;
    /** The {@link RunObserver}'s own per-block data (e.g. its event sums), computed once on first use. */
    public Object observerData;

    Block(long pc, Insn[] insns, SysReg sysReg) {
        this.pc = pc;
        this.pa = pc;
        this.codeLo = pc;
        this.codeHi = pc + 4L * insns.length;
        this.insns = insns;
        this.len = insns.length;
        this.uops = new Uop[insns.length];
        this.code = new int[insns.length];
        this.imms = new long[insns.length];
        for (int k = 0; k < insns.length; k++) {
            Uop u = Uop.of(insns[k], pc + 4L * k);
            uops[k] = u;
            code[k] = u.pack();
            imms[k] = u.imm;
        }
        // Loops close with a compare and a conditional branch: run that pair as one dispatch.
        int last = insns.length - 1;
        if (last > 0 && uops[last].kind == Uop.BCOND) {
            int prev = code[last - 1] & Uop.KIND_MASK;
            int fused = prev == Uop.ADDS64 ? Uop.ADDS64_BC : prev == Uop.ADDS32 ? Uop.ADDS32_BC
                    : prev == Uop.ADDSR64 ? Uop.ADDSR64_BC : prev == Uop.ADDSR32 ? Uop.ADDSR32_BC : -1;
            if (fused >= 0) {
                code[last - 1] = (code[last - 1] & ~Uop.KIND_MASK) | fused;
            }
        }
        this.sysReg = sysReg;
        int br = 0, ld = 0, st = 0;
        for (Insn in : insns) {
            br += Interpreter.isBranch(in.op()) ? 1 : 0;
            ld += Interpreter.loads(in.op()) ? 1 : 0;
            st += Interpreter.stores(in.op()) ? 1 : 0;
        }
        this.branches = br;
        this.loads = ld;
        this.stores = st;
    }

    public int length() {
        return insns.length;
    }

    public long endPc() {
        return pc + 4L * insns.length;
    }
}
