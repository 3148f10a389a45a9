package dev.a64trap.proptest;

/**
 * The few A64 forms an exported counterexample guest and {@link MachineTarget}'s generated snippets
 * need, encoded directly to words (so neither needs an assembler). Every form is checked against the
 * project's decoder/disassembler and words recorded from the GNU assembler in a test.
 */
public final class A64Encoder {
    private A64Encoder() {}

    public static final int NOP = 0xD503201F;
    /** Condition codes used by {@link #bcond}. */
    public static final int EQ = 0, NE = 1;

    /** MOVZ Xd, #imm16, LSL #(16*hw). */
    public static int movz(int rd, int imm16, int hw) {
        return 0xD2800000 | (hw & 3) << 21 | (imm16 & 0xFFFF) << 5 | reg(rd);
    }

    /** MOVK Xd, #imm16, LSL #(16*hw). */
    public static int movk(int rd, int imm16, int hw) {
        return 0xF2800000 | (hw & 3) << 21 | (imm16 & 0xFFFF) << 5 | reg(rd);
    }

    /** MOVN Xd, #imm16, LSL #(16*hw) (64-bit), or Wd with hw 0-1 when {@code !sf}. */
    public static int movn(boolean sf, int rd, int imm16, int hw) {
        return (sf ? 0x92800000 : 0x12800000) | hwField(sf, hw) | (imm16 & 0xFFFF) << 5 | reg(rd);
    }

    /** MOVZ with a width: Xd ({@code sf}) or Wd (hw 0-1). */
    public static int movz(boolean sf, int rd, int imm16, int hw) {
        return (sf ? 0xD2800000 : 0x52800000) | hwField(sf, hw) | (imm16 & 0xFFFF) << 5 | reg(rd);
    }

    /** Data-processing (shifted register) operations: opcode bits of the 64-bit form (sf set). */
    public enum RegOp {
        ADD(0x8B000000, false), ADDS(0xAB000000, false), SUB(0xCB000000, false), SUBS(0xEB000000, false),
        AND(0x8A000000, true), ORR(0xAA000000, true), EOR(0xCA000000, true), BIC(0x8A200000, true);

        final int base;
        /** Logical forms accept ROR (shift 3); add/sub forms reserve it. */
        final boolean logical;

        RegOp(int base, boolean logical) {
            this.base = base;
            this.logical = logical;
        }
    }

    /** Shift kinds of the shifted-register forms. */
    public static final int LSL = 0, LSR = 1, ASR = 2, ROR = 3;

    /** {@code op Rd, Rn, Rm, shift #amount}: X registers when {@code sf}, else W (amount below 32). */
    public static int reg(RegOp op, boolean sf, int rd, int rn, int rm, int shift, int amount) {
        if (shift < 0 || shift > (op.logical ? ROR : ASR) || amount < 0 || amount >= (sf ? 64 : 32)) {
            throw new IllegalArgumentException(op + " shift " + shift + " #" + amount);
        }
        return op.base & ~(sf ? 0 : 1 << 31) | shift << 22 | reg(rm) << 16 | amount << 10 | reg(rn) << 5 | reg(rd);
    }

    /** ADD/SUB (immediate) {@code Rd|SP, Rn|SP, #imm12}: X registers when {@code sf}, else W. */
    public static int addImm(boolean sub, boolean sf, int rd, int rn, int imm12) {
        if (imm12 < 0 || imm12 > 0xFFF) {
            throw new IllegalArgumentException("imm12 " + imm12);
        }
        return (sub ? 0x51000000 : 0x11000000) | (sf ? 1 << 31 : 0) | imm12 << 10 | reg(rn) << 5 | reg(rd);
    }

    private static int hwField(boolean sf, int hw) {
        if (hw < 0 || hw > (sf ? 3 : 1)) {
            throw new IllegalArgumentException("hw " + hw);
        }
        return hw << 21;
    }

    /** MSR (register); {@code sysreg} is op0:op1:CRn:CRm:op2 in 16 bits (op0 in bits 15:14). */
    public static int msr(int sysreg, int rt) {
        return 0xD5000000 | (sysreg & 0xFFFF) << 5 | reg(rt);
    }

    /** MRS Xt, sysreg. */
    public static int mrs(int sysreg, int rt) {
        return 0xD5200000 | (sysreg & 0xFFFF) << 5 | reg(rt);
    }

    /** CMP Xn, Xm (SUBS XZR, Xn, Xm). */
    public static int cmp(int rn, int rm) {
        return 0xEB000000 | reg(rm) << 16 | reg(rn) << 5 | 31;
    }

    /** B.cond to a byte offset from this instruction. */
    public static int bcond(int cond, long offset) {
        return 0x54000000 | (int) (check(offset, 19) & 0x7FFFF) << 5 | cond & 15;
    }

    /** B to a byte offset from this instruction. */
    public static int b(long offset) {
        return 0x14000000 | (int) (check(offset, 26) & 0x3FFFFFF);
    }

    /** HLT #imm16. */
    public static int hlt(int imm16) {
        return 0xD4400000 | (imm16 & 0xFFFF) << 5;
    }

    /** ADR Xd, a byte offset from this instruction (within +-1 MiB). */
    public static int adr(int rd, long offset) {
        if (offset < -(1 << 20) || offset >= 1 << 20) {
            throw new IllegalArgumentException("ADR offset out of range: " + offset);
        }
        int imm = (int) offset & 0x1FFFFF;
        return 0x10000000 | (imm & 3) << 29 | (imm >> 2) << 5 | reg(rd);
    }

    public static final int ERET = 0xD69F03E0;

    /** System registers the exported guest's vector code uses, as 16-bit MRS/MSR fields. */
    public static final int VBAR_EL1 = 0xC600, ESR_EL1 = 0xC290, ELR_EL1 = 0xC201, SPSR_EL1 = 0xC200;

    /** SVC #imm16. */
    public static int svc(int imm16) {
        return 0xD4000001 | (imm16 & 0xFFFF) << 5;
    }

    /** BR Xn. */
    public static int br(int rn) {
        return 0xD61F0000 | reg(rn) << 5;
    }

    /** LSR Xd, Xn, #shift (UBFM Xd, Xn, #shift, #63). */
    public static int lsr(int rd, int rn, int shift) {
        return 0xD340FC00 | (shift & 63) << 16 | reg(rn) << 5 | reg(rd);
    }

    /** ADD Xd, Xn, #imm12. */
    public static int addImm(int rd, int rn, int imm12) {
        return 0x91000000 | (imm12 & 0xFFF) << 10 | reg(rn) << 5 | reg(rd);
    }

    /** CMP Xn, #imm12 (SUBS XZR, Xn, #imm12). */
    public static int cmpImm(int rn, int imm12) {
        return 0xF100001F | (imm12 & 0xFFF) << 10 | reg(rn) << 5;
    }

    private static long check(long offset, int bits) {
        long words = offset >> 2;
        if ((offset & 3) != 0 || words < -(1L << bits - 1) || words >= 1L << bits - 1) {
            throw new IllegalArgumentException("branch offset out of range: " + offset);
        }
        return words;
    }

    private static int reg(int r) {
        if (r < 0 || r > 31) {
            throw new IllegalArgumentException("register " + r);
        }
        return r;
    }
}
