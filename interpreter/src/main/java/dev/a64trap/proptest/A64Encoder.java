package dev.a64trap.proptest;

/**
 * The few A64 forms an exported counterexample guest needs, encoded directly to words (so exporting
 * needs no assembler). Every form is checked against the project's decoder/disassembler in a test.
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
