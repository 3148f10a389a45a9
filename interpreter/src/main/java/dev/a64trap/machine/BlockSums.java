package dev.a64trap.machine;

import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.exec.Block;
import dev.a64trap.host.CycleModel;
import dev.a64trap.host.InsnClass;
import dev.a64trap.pmu.Events;

/**
 * Static event sums of a block (or of its first n instructions), computed once per block, so the
 * vPMU's clock adds a handful of longs per executed block and nothing per instruction.
 *
 * <p>Definitions (spec 3.2, choices documented here): BR_RETIRED counts every branch instruction,
 * taken or not; BR_IMMED_RETIRED the immediate ones (B, BL, B.cond, CB(N)Z, TB(N)Z);
 * BR_RETURN_RETIRED RET; PC_WRITE_RETIRED B, BL, BR, BLR, RET, ERET always and the conditional
 * branches when taken (decided by the block's successor PC); LD/ST_RETIRED one per instruction that
 * loads / stores (an atomic read-modify-write is both); MEM_ACCESS one per element (pairs 2,
 * atomics 2: the read and the write); EXC_RETURN per ERET; CID/TTBR_WRITE_RETIRED per MSR to
 * CONTEXTIDR_EL1 / TTBR0/1_EL1. UNALIGNED_LDST_RETIRED and the STALL events are not modelled (0).
 * Cycles: the sum of the instruction classes' costs in the current pCPU's {@link CycleModel}.
 * A system-register access, PMU ones included, is an ordinary instruction here: it retires and costs
 * its class's cycles. While it executes ({@link #atAccess}) its cycles are already spent but its
 * retirement events are not yet counted, so a read sees the cycles of everything before it plus its
 * own cost, and the instructions retired before it: two reads in a row of the cycle counter (or of
 * CNTVCT) strictly increase and two reads of INST_RETIRED differ by exactly one, as on hardware
 * (the property every PMU test that divides by a cycle delta relies on). KVM itself traps the access
 * and skips the instruction; a64trap follows the hardware the guest believes it runs on.
 */
final class BlockSums {
    // slots of the per-EL totals
    static final int INST = 0, BR = 1, BR_IMMED = 2, BR_RETURN = 3, PC_WRITE = 4, LD = 5, ST = 6, MEM = 7,
            EXC_TAKEN = 8, EXC_RETURN = 9, CID = 10, TTBR = 11, CYCLES = 12, SLOTS = 13;

    /** Architectural source event -> slot (-1 = never counts). */
    private static final int[] SLOT_OF_EVENT = new int[0x40];

    static {
        java.util.Arrays.fill(SLOT_OF_EVENT, -1);
        SLOT_OF_EVENT[Events.INST_RETIRED] = INST;
        SLOT_OF_EVENT[Events.BR_RETIRED] = BR;
        SLOT_OF_EVENT[Events.BR_IMMED_RETIRED] = BR_IMMED;
        SLOT_OF_EVENT[Events.BR_RETURN_RETIRED] = BR_RETURN;
        SLOT_OF_EVENT[Events.PC_WRITE_RETIRED] = PC_WRITE;
        SLOT_OF_EVENT[Events.LD_RETIRED] = LD;
        SLOT_OF_EVENT[Events.ST_RETIRED] = ST;
        SLOT_OF_EVENT[Events.MEM_ACCESS] = MEM;
        SLOT_OF_EVENT[Events.EXC_TAKEN] = EXC_TAKEN;
        SLOT_OF_EVENT[Events.EXC_RETURN] = EXC_RETURN;
        SLOT_OF_EVENT[Events.CID_WRITE_RETIRED] = CID;
        SLOT_OF_EVENT[Events.TTBR_WRITE_RETIRED] = TTBR;
        SLOT_OF_EVENT[Events.CPU_CYCLES] = CYCLES;
    }

    static int slotOf(int event) {
        return event >= 0 && event < SLOT_OF_EVENT.length ? SLOT_OF_EVENT[event] : -1;
    }

    private static final InsnClass[] CLASSES = InsnClass.values();

    /** Event sums (slots before CYCLES) of the whole block, PC_WRITE without a taken conditional branch. */
    final long[] sums = new long[SLOTS];
    /** Instructions per {@link InsnClass} ordinal. */
    final int[] classes = new int[CLASSES.length];
    /** The last instruction is a conditional branch: PC_WRITE + 1 when the successor is not the fall-through. */
    final boolean condBranchAtEnd;
    private final long endPc;
    private CycleModel cachedModel;
    private long cachedCycles;

    // HostedVcpu's deferred whole executions of this block (all at lazyEl with lazyPcw PC writes each),
    // not yet added to its totals; lazyCount != 0 only while the block is on its deferred list
    long lazyCount;
    int lazyEl;
    long lazyPcw;
    /** The successor PC of the execution that listed it (the same successor means the same PC writes). */
    long lazyNext;

    /** The whole block's sums without its last instruction's retirement events (its cycles stay in). */
    private BlockSums atAccess;

    private BlockSums(Block b, int n, boolean accessing) {
        for (int k = 0; k < n; k++) {
            add(b.insns[k], k == b.length() - 1 ? b : null, !(accessing && k == n - 1));
        }
        Op last = b.insns[b.length() - 1].op();
        condBranchAtEnd = n == b.length() && (last == Op.B_COND || last == Op.CBZ || last == Op.CBNZ
                || last == Op.TBZ || last == Op.TBNZ);
        endPc = b.endPc();
    }

    /** The sums of the whole block, cached on the block. */
    static BlockSums of(Block b) {
        Object o = b.observerData;
        return o instanceof BlockSums s ? s : first(b);
    }

    private static BlockSums first(Block b) {
        BlockSums s = new BlockSums(b, b.length(), false);
        b.observerData = s;
        return s;
    }

    /**
     * The sums while the block's last instruction (its MRS/MSR) executes: every cycle of the block,
     * the other events of all but that instruction (it has not retired yet). Cached on the block.
     */
    static BlockSums atAccess(Block b) {
        BlockSums whole = of(b);
        BlockSums s = whole.atAccess;
        if (s == null) {
            s = new BlockSums(b, b.length(), true);
            whole.atAccess = s;
        }
        return s;
    }

    /** The sums of the first {@code n} instructions (a block cut by the budget, a checkpoint or a fault). */
    static BlockSums prefix(Block b, int n) {
        return n == b.length() ? of(b) : new BlockSums(b, n, false);
    }

    long pcWrites(long nextPc) {
        return sums[PC_WRITE] + (condBranchAtEnd && nextPc != endPc && nextPc != -1 ? 1 : 0);
    }

    long cycles(CycleModel m) {
        return m == cachedModel ? cachedCycles : cyclesIn(m);
    }

    private long cyclesIn(CycleModel m) {
        long c = 0;
        for (int k = 0; k < CLASSES.length; k++) {
            c += (long) classes[k] * m.cycles(CLASSES[k]);
        }
        cachedModel = m;
        cachedCycles = c;
        return c;
    }

    /** Adds one instruction: its cycle class, and its retirement events when {@code retires}. */
    private void add(Insn in, Block lastOf, boolean retires) {
        long[] sums = retires ? this.sums : new long[SLOTS];
        Op op = in.op();
        sums[INST]++;
        InsnClass cls = InsnClass.ALU;
        switch (op) {
            case B, BL -> {
                sums[BR]++;
                sums[BR_IMMED]++;
                sums[PC_WRITE]++;
                cls = InsnClass.BRANCH;
            }
            case B_COND, CBZ, CBNZ, TBZ, TBNZ -> {
                sums[BR]++;
                sums[BR_IMMED]++;
                cls = InsnClass.BRANCH;
            }
            case BR, BLR, RET -> {
                sums[BR]++;
                sums[PC_WRITE]++;
                sums[BR_RETURN] += op == Op.RET ? 1 : 0;
                cls = InsnClass.BRANCH;
            }
            case ERET -> {
                sums[EXC_RETURN]++;
                sums[PC_WRITE]++;
                cls = InsnClass.EXCEPTION;
            }
            case LDR, LDAR, LDXR -> {
                sums[LD]++;
                sums[MEM]++;
                cls = InsnClass.LOAD;
            }
            case LDP, LDXP -> {
                sums[LD]++;
                sums[MEM] += 2;
                cls = InsnClass.LOAD;
            }
            case STR, STLR, STXR -> {
                sums[ST]++;
                sums[MEM]++;
                cls = InsnClass.STORE;
            }
            case STP, STXP -> {
                sums[ST]++;
                sums[MEM] += 2;
                cls = InsnClass.STORE;
            }
            case LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP, CAS, CASP -> {
                sums[LD]++;
                sums[ST]++;
                sums[MEM] += 2;
                cls = InsnClass.LOAD;
            }
            case MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH, UDIV, SDIV -> cls = InsnClass.MUL_DIV;
            case MRS, MSR_IMM, SYS, SYSL, DSB, DMB, ISB, CLREX, SVC, HVC, SMC, BRK, HLT -> cls = InsnClass.SYSTEM;
            case MSR_REG -> {
                cls = InsnClass.SYSTEM;
                if (lastOf != null && lastOf.sysReg != null) {
                    String name = lastOf.sysReg.name();
                    sums[CID] += name.equals("CONTEXTIDR_EL1") ? 1 : 0;
                    sums[TTBR] += name.equals("TTBR0_EL1") || name.equals("TTBR1_EL1") ? 1 : 0;
                }
            }
            default -> { }
        }
        classes[cls.ordinal()]++;
    }
}
