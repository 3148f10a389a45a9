package dev.a64trap.exec;

import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;

/**
 * The interpreter's pre-digested form of the most frequent instruction shapes: register numbers
 * remapped so that no operand needs a "31 = XZR or SP?" test ({@link #ZR} reads as zero,
 * {@link #SINK} swallows writes), constants and branch targets resolved for the instruction's own
 * PC. Anything else is {@link #SLOW} and goes through {@code Interpreter.exec}.
 */
final class Uop {
    /** Index of the always-zero register in {@code Cpu.x}. */
    static final int ZR = 32;
    /** Index that absorbs writes to XZR. */
    static final int SINK = 33;

    static final int SLOW = 0, ADD64 = 1, ADD32 = 2, ADDS64 = 3, ADDS32 = 4, ADDR64 = 5, ADDR32 = 6,
            ADDSR64 = 7, ADDSR32 = 8, AND64 = 9, ORR64 = 10, EOR64 = 11, MOVI = 12, LDR_OFF = 13,
            STR_OFF = 14, BCOND = 15, CBZ64 = 16, CBNZ64 = 17, CBZ32 = 18, CBNZ32 = 19, BRANCH = 20,
            BL = 21, RET = 22, ORR32 = 23, AND32 = 24, EOR32 = 25, AND64S = 26, ORR64S = 27, EOR64S = 28,
            BIC64 = 29, ADDR64S = 30,
            /** Fused compare-and-branch: the flag-setting uop followed by the block's closing B.cond. */
            ADDS64_BC = 31, ADDS32_BC = 32, ADDSR64_BC = 33, SUBR64 = 34;

    final int kind;
    final int d, n, m;
    /** Immediate, shift amount, constant, access size or absolute branch target (per kind). */
    final long imm;
    final int carry;
    final int aux;
    final Insn insn;

    private Uop(int kind, int d, int n, int m, long imm, int carry, int aux, Insn insn) {
        this.kind = kind;
        this.d = d;
        this.n = n;
        this.m = m;
        this.imm = imm;
        this.carry = carry;
        this.aux = aux;
        this.insn = insn;
    }

    private static int zr(int r) {
        return r == 31 ? ZR : r;
    }

    private static int zw(int r) {
        return r == 31 ? SINK : r;
    }

    static Uop of(Insn in, long pc) {
        boolean sf = in.sf();
        boolean s = in.setsFlags();
        switch (in.op()) {
            case ADD_IMM, SUB_IMM -> {
                boolean sub = in.op() == Op.SUB_IMM;
                if (!s) {
                    return new Uop(sf ? ADD64 : ADD32, in.rd(), in.rn(), 0, sub ? -in.imm() : in.imm(), 0, 0, in);
                }
                return new Uop(sf ? ADDS64 : ADDS32, zw(in.rd()), in.rn(), 0, sub ? ~in.imm() : in.imm(), sub ? 1 : 0, 0, in);
            }
            case ADD_SREG, SUB_SREG -> {
                boolean sub = in.op() == Op.SUB_SREG;
                if (in.shift() != Insn.SHIFT_LSL) {
                    if (s || !sf) {
                        break;
                    }
                    return new Uop(ADDR64S, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), sub ? 1 : 0, in.shift(), in);
                }
                if (!s) {
                    int k = sf ? (sub ? SUBR64 : ADDR64) : ADDR32;
                    return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), sub ? 1 : 0, 0, in);
                }
                return new Uop(sf ? ADDSR64 : ADDSR32, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), sub ? 1 : 0, 0, in);
            }
            case AND_REG, ORR_REG, EOR_REG -> {
                if (s) {
                    break;
                }
                if (in.shift() != Insn.SHIFT_LSL) {
                    if (!sf) {
                        break;
                    }
                    int k = switch (in.op()) {
                        case AND_REG -> AND64S;
                        case ORR_REG -> ORR64S;
                        default -> EOR64S;
                    };
                    return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), 0, in.shift(), in);
                }
                int k = switch (in.op()) {
                    case AND_REG -> sf ? AND64 : AND32;
                    case ORR_REG -> sf ? ORR64 : ORR32;
                    default -> sf ? EOR64 : EOR32;
                };
                return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), 0, 0, in);
            }
            case BIC_REG -> {
                if (s || !sf || in.shift() != Insn.SHIFT_LSL) {
                    break;
                }
                return new Uop(BIC64, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), 0, 0, in);
            }
            case MOVZ, MOVN -> {
                long v = in.imm() << in.amount();
                v = Alu.width(sf, in.op() == Op.MOVN ? ~v : v);
                return new Uop(MOVI, zw(in.rd()), 0, 0, v, 0, 0, in);
            }
            case ORR_IMM -> {
                if (in.rn() == 31 && !s) { // mov (bitmask immediate)
                    return new Uop(MOVI, in.rd(), 0, 0, Alu.width(sf, in.imm()), 0, 0, in);
                }
            }
            case LDR, STR -> {
                if (in.mode() == Insn.MODE_OFFSET && !in.has(Insn.FLAG_SIGNED) && in.rn() != 31
                        && !in.has(Insn.FLAG_UNPRIV)) {
                    boolean load = in.op() == Op.LDR;
                    return new Uop(load ? LDR_OFF : STR_OFF, load ? zw(in.rd()) : zr(in.rd()), in.rn(), 0,
                            in.imm(), 0, in.size(), in);
                }
            }
            case B_COND -> {
                return new Uop(BCOND, 0, 0, 0, pc + in.imm(), 0, in.cond(), in);
            }
            case CBZ, CBNZ -> {
                int k = in.op() == Op.CBZ ? (sf ? CBZ64 : CBZ32) : (sf ? CBNZ64 : CBNZ32);
                return new Uop(k, 0, zr(in.rd()), 0, pc + in.imm(), 0, 0, in);
            }
            case B -> {
                return new Uop(BRANCH, 0, 0, 0, pc + in.imm(), 0, 0, in);
            }
            case BL -> {
                return new Uop(BL, 0, 0, 0, pc + in.imm(), 0, 0, in);
            }
            case RET, BR -> {
                return new Uop(RET, 0, zr(in.rn()), 0, 0, 0, 0, in);
            }
            default -> { }
        }
        return new Uop(SLOW, 0, 0, 0, 0, 0, 0, in);
    }
}
