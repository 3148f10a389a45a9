package dev.a64trap.exec;

import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;

/**
 * The interpreter's pre-digested form of the frequent instruction shapes: register numbers
 * remapped so that no operand needs a "31 = XZR or SP?" test ({@link #ZR} reads as zero,
 * {@link #SINK} swallows writes), constants, masks and branch targets resolved for the
 * instruction's own PC. Anything else is {@link #SLOW} and goes through {@code Interpreter.exec}.
 *
 * <p>Packed per instruction into one int (see {@link #pack}): kind in bits 0-6, then the fields
 * d, n, m (6 bits each), carry (1 bit) and aux (6 bits), plus one long {@link #imm}. What each
 * field holds is per kind, in the comments of {@link #of}.
 */
final class Uop {
    /** Index of the always-zero register in {@code Cpu.x}. */
    static final int ZR = 32;
    /** Index that absorbs writes to XZR. */
    static final int SINK = 33;

    /** Bit positions of the packed fields (each 6 bits wide but carry, 1 bit). */
    static final int KIND_MASK = 127, D = 7, N = 13, M = 19, CARRY = 25, AUX = 26;

    static final int SLOW = 0, ADD64 = 1, ADD32 = 2, ADDS64 = 3, ADDS32 = 4, ADDR64 = 5, ADDR32 = 6,
            ADDSR64 = 7, ADDSR32 = 8, AND64 = 9, ORR64 = 10, EOR64 = 11, MOVI = 12,
            BCOND = 13, CBZ64 = 14, CBNZ64 = 15, CBZ32 = 16, CBNZ32 = 17, BRANCH = 18,
            BL = 19, RET = 20, ORR32 = 21, AND32 = 22, EOR32 = 23,
            // shifted-register forms other than LSL, one kind per shift type (imm = amount, carry = subtract)
            AND64_LSR = 24, ORR64_LSR = 25, EOR64_LSR = 26, BIC64 = 27, ADD64_LSR = 28,
            /** Fused compare-and-branch: the flag-setting uop followed by the block's closing B.cond. */
            ADDS64_BC = 29, ADDS32_BC = 30, ADDSR64_BC = 31, ADDSR32_BC = 32, SUBR64 = 33,
            // bitfield moves: imm = left shift | right shift << 8 | final left shift << 16
            UBFM = 34, SBFM64 = 35, SBFM32 = 36,
            MADD64 = 37, MADD32 = 38,
            ANDI = 39, ORRI64 = 40, EORI64 = 41, ORRI32 = 42, EORI32 = 43, ANDSI = 44,
            ADDX = 45,
            CSEL = 46, CSINC = 47, CSINV = 48, CSNEG = 49,
            CCMPI = 50, CCMPR = 51,
            MOVK = 52, TBZ = 53, TBNZ = 54, BLR = 55, NOP = 56,
            UMADDL = 57, SMADDL = 58, UMULH = 59, SMULH = 60, UDIV64 = 61, SDIV64 = 62, LSLV64 = 63,
            // Loads and stores, one kind per address form: d = Rt, n = base, m = Rt2 (pairs) or the
            // index register, aux = size | MEM_* bits. OFF: base + imm, base never SP (literal: ZR +
            // the address); SP: SP + imm; PRE/POST: with writeback; REG: imm = extend | amount << 8.
            LDST_OFF = 64, LDST_SP = 65, LDST_PRE = 66, LDST_POST = 67, LDST_REG = 68,
            // one kind per width and shift type, so that no kind's code tests its own fields
            UDIV32 = 69, SDIV32 = 70, LSRV64 = 71, ASRV64 = 72, RORV64 = 73,
            LSLV32 = 74, LSRV32 = 75, ASRV32 = 76, RORV32 = 77,
            AND64_ASR = 78, AND64_ROR = 79, ORR64_ASR = 80, ORR64_ROR = 81, EOR64_ASR = 82, EOR64_ROR = 83,
            ADD64_ASR = 84;

    /** Number of kinds (one past the largest). */
    static final int KINDS = 85;

    /** Kinds that only {@link Block} makes, by fusing a compare with the B.cond after it. */
    static boolean fusedOnly(int kind) {
        return kind == ADDS64_BC || kind == ADDS32_BC || kind == ADDSR64_BC || kind == ADDSR32_BC;
    }

    /** Memory aux bits above the size: sign-extending load, X destination, store, pair. */
    static final int MEM_SIGNED = 4, MEM_SF = 8, MEM_STORE = 16, MEM_PAIR = 32;

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

    /** The packed int the interpreter's loop switches on. */
    int pack() {
        return kind | d << D | n << N | m << M | carry << CARRY | aux << AUX;
    }

    private static int zr(int r) {
        return r == 31 ? ZR : r;
    }

    private static int zw(int r) {
        return r == 31 ? SINK : r;
    }

    private static Uop slow(Insn in) {
        return new Uop(SLOW, 0, 0, 0, 0, 0, 0, in);
    }

    /** The uop for {@code in} at {@code pc}; {@link #SLOW} for anything whose fields would not pack. */
    static Uop of(Insn in, long pc) {
        Uop u = shape(in, pc);
        boolean fits = ((u.d | u.n | u.m | u.aux) & ~63) == 0 && (u.carry & ~1) == 0;
        return fits ? u : slow(in);
    }

    private static Uop shape(Insn in, long pc) {
        boolean sf = in.sf();
        boolean s = in.setsFlags();
        int f = sf ? 1 : 0;
        long mask = sf ? -1L : Alu.MASK32;
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
                    if (s || !sf || in.shift() == Insn.SHIFT_ROR) {
                        break;
                    }
                    int k = in.shift() == Insn.SHIFT_LSR ? ADD64_LSR : ADD64_ASR;
                    return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), sub ? 1 : 0, 0, in);
                }
                if (!s) {
                    int k = sf ? (sub ? SUBR64 : ADDR64) : ADDR32;
                    return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), sub ? 1 : 0, 0, in);
                }
                return new Uop(sf ? ADDSR64 : ADDSR32, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), sub ? 1 : 0, 0, in);
            }
            case ADD_EREG, SUB_EREG -> {
                if (s) {
                    break;
                }
                // d, n may be SP; imm = width mask; aux = extend type | amount << 3
                boolean sub = in.op() == Op.SUB_EREG;
                return new Uop(ADDX, in.rd(), in.rn(), zr(in.rm()), mask, sub ? 1 : 0, in.shift() | in.amount() << 3, in);
            }
            case AND_REG, ORR_REG, EOR_REG -> {
                if (s) {
                    break;
                }
                if (in.shift() != Insn.SHIFT_LSL) {
                    if (!sf) {
                        break;
                    }
                    int t = in.shift() - Insn.SHIFT_LSR; // LSR, ASR, ROR: 0, 1, 2
                    int k = switch (in.op()) {
                        case AND_REG -> new int[] {AND64_LSR, AND64_ASR, AND64_ROR}[t];
                        case ORR_REG -> new int[] {ORR64_LSR, ORR64_ASR, ORR64_ROR}[t];
                        default -> new int[] {EOR64_LSR, EOR64_ASR, EOR64_ROR}[t];
                    };
                    return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), in.amount(), 0, 0, in);
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
            case MOVK -> { // imm = the new bits in place; aux = their position; carry = 32-bit
                return new Uop(MOVK, zw(in.rd()), 0, 0, in.imm() << in.amount(), 1 - f, in.amount(), in);
            }
            case ADR -> {
                return new Uop(MOVI, zw(in.rd()), 0, 0, pc + in.imm(), 0, 0, in);
            }
            case ADRP -> {
                return new Uop(MOVI, zw(in.rd()), 0, 0, (pc & ~0xFFFL) + in.imm(), 0, 0, in);
            }
            case AND_IMM, ORR_IMM, EOR_IMM -> {
                if (in.op() == Op.ORR_IMM && in.rn() == 31 && !s) { // mov (bitmask immediate)
                    return new Uop(MOVI, in.rd(), 0, 0, Alu.width(sf, in.imm()), 0, 0, in);
                }
                if (s) { // ANDS (tst): the 32-bit immediate has no bits above 31, nor has the result
                    return new Uop(ANDSI, zw(in.rd()), zr(in.rn()), 0, in.imm(), f, 0, in);
                }
                int k = switch (in.op()) {
                    case AND_IMM -> ANDI;
                    case ORR_IMM -> sf ? ORRI64 : ORRI32;
                    default -> sf ? EORI64 : EORI32;
                };
                return new Uop(k, in.rd(), zr(in.rn()), 0, in.imm(), 0, 0, in);
            }
            case UBFM, SBFM -> {
                // ((src << a) >>> or >> b) << c: the field [imms:lo] to the top, down to its place
                int immr = (int) in.imm(), imms = in.amount();
                int size = sf ? 64 : 32;
                int w = imms >= immr ? imms - immr + 1 : imms + 1;
                int c = imms >= immr ? 0 : size - immr;
                long p = (63 - imms) | (64 - w) << 8 | c << 16;
                int k = in.op() == Op.UBFM ? UBFM : sf ? SBFM64 : SBFM32;
                return new Uop(k, zw(in.rd()), zr(in.rn()), 0, p, 0, 0, in);
            }
            case MADD, MSUB -> { // imm = ra; carry = subtract
                return new Uop(sf ? MADD64 : MADD32, zw(in.rd()), zr(in.rn()), zr(in.rm()), zr(in.ra()),
                        in.op() == Op.MSUB ? 1 : 0, 0, in);
            }
            case UMADDL, UMSUBL, SMADDL, SMSUBL -> {
                int k = in.op() == Op.UMADDL || in.op() == Op.UMSUBL ? UMADDL : SMADDL;
                int sub = in.op() == Op.UMSUBL || in.op() == Op.SMSUBL ? 1 : 0;
                return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), zr(in.ra()), sub, 0, in);
            }
            case UMULH, SMULH -> {
                return new Uop(in.op() == Op.UMULH ? UMULH : SMULH, zw(in.rd()), zr(in.rn()), zr(in.rm()), 0, 0, 0, in);
            }
            case UDIV, SDIV -> {
                int k = in.op() == Op.UDIV ? (sf ? UDIV64 : UDIV32) : (sf ? SDIV64 : SDIV32);
                return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), 0, 0, 0, in);
            }
            case LSLV, LSRV, ASRV, RORV -> {
                int k = switch (in.op()) {
                    case LSLV -> sf ? LSLV64 : LSLV32;
                    case LSRV -> sf ? LSRV64 : LSRV32;
                    case ASRV -> sf ? ASRV64 : ASRV32;
                    default -> sf ? RORV64 : RORV32;
                };
                return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), 0, 0, 0, in);
            }
            case CSEL, CSINC, CSINV, CSNEG -> { // imm = width mask, aux = cond
                int k = switch (in.op()) {
                    case CSEL -> CSEL;
                    case CSINC -> CSINC;
                    case CSINV -> CSINV;
                    default -> CSNEG;
                };
                return new Uop(k, zw(in.rd()), zr(in.rn()), zr(in.rm()), mask, 0, in.cond(), in);
            }
            case CCMP_IMM, CCMN_IMM -> {
                // d = the NZCV when the condition fails, aux = cond, carry = compare (subtract),
                // imm = the operand as added (inverted for a compare), m = sf
                boolean sub = in.op() == Op.CCMP_IMM;
                long b = in.amount();
                return new Uop(CCMPI, (int) in.imm() & 0xF, zr(in.rn()), f, sub ? ~b : b, sub ? 1 : 0, in.cond(), in);
            }
            case CCMP_REG, CCMN_REG -> { // as CCMPI, but m = Rm and imm = sf
                boolean sub = in.op() == Op.CCMP_REG;
                return new Uop(CCMPR, (int) in.imm() & 0xF, zr(in.rn()), zr(in.rm()), f, sub ? 1 : 0, in.cond(), in);
            }
            case LDR, STR -> {
                return loadStore(in, pc);
            }
            case LDP, STP -> {
                if (in.has(Insn.FLAG_SIGNED)) {
                    break;
                }
                boolean load = in.op() == Op.LDP;
                int aux = in.size() | MEM_PAIR | (load ? 0 : MEM_STORE);
                int k = memKind(in);
                if (k == SLOW) {
                    break;
                }
                return new Uop(k, load ? zw(in.rd()) : zr(in.rd()), in.rn(), load ? zw(in.ra()) : zr(in.ra()),
                        in.imm(), 0, aux, in);
            }
            case PRFM, DSB, DMB, ISB -> {
                return new Uop(NOP, 0, 0, 0, 0, 0, 0, in);
            }
            case HINT -> {
                if (!Interpreter.isEventHint(in) && !Interpreter.isWfi(in)) {
                    return new Uop(NOP, 0, 0, 0, 0, 0, 0, in);
                }
            }
            case B_COND -> {
                return new Uop(BCOND, 0, 0, 0, pc + in.imm(), 0, in.cond(), in);
            }
            case CBZ, CBNZ -> {
                int k = in.op() == Op.CBZ ? (sf ? CBZ64 : CBZ32) : (sf ? CBNZ64 : CBNZ32);
                return new Uop(k, 0, zr(in.rd()), 0, pc + in.imm(), 0, 0, in);
            }
            case TBZ, TBNZ -> { // aux = bit number
                return new Uop(in.op() == Op.TBZ ? TBZ : TBNZ, 0, zr(in.rd()), 0, pc + in.imm(), 0, in.amount(), in);
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
            case BLR -> {
                return new Uop(BLR, 0, zr(in.rn()), 0, 0, 0, 0, in);
            }
            default -> { }
        }
        return slow(in);
    }

    /** The kind for a load/store's address form (offset, pre, post), or SLOW. */
    private static int memKind(Insn in) {
        return switch (in.mode()) {
            case Insn.MODE_OFFSET -> in.rn() == 31 ? LDST_SP : LDST_OFF;
            case Insn.MODE_PRE -> LDST_PRE;
            case Insn.MODE_POST -> LDST_POST;
            default -> SLOW;
        };
    }

    /** LDR/STR (integer, single register): every mode but the unprivileged forms. */
    private static Uop loadStore(Insn in, long pc) {
        if (in.has(Insn.FLAG_UNPRIV)) {
            return slow(in);
        }
        boolean load = in.op() == Op.LDR;
        int aux = in.size() | (in.has(Insn.FLAG_SIGNED) ? MEM_SIGNED : 0) | (in.sf() ? MEM_SF : 0)
                | (load ? 0 : MEM_STORE);
        int t = load ? zw(in.rd()) : zr(in.rd());
        switch (in.mode()) {
            case Insn.MODE_LITERAL -> { // the address is a constant: base XZR + it
                return new Uop(LDST_OFF, t, ZR, 0, pc + in.imm(), 0, aux, in);
            }
            case Insn.MODE_REG -> {
                return new Uop(LDST_REG, t, in.rn(), zr(in.rm()), in.shift() | (long) in.amount() << 8, 0, aux, in);
            }
            default -> {
                int k = memKind(in);
                return k == SLOW ? slow(in) : new Uop(k, t, in.rn(), 0, in.imm(), 0, aux, in);
            }
        }
    }
}
