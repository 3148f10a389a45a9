package dev.a64trap.sysreg;

/** The 16-bit system register encoding op0<<14|op1<<11|CRn<<7|CRm<<3|op2, as carried by MRS/MSR. */
public final class SysRegEncoding {
    private SysRegEncoding() {}

    public static int of(int op0, int op1, int crn, int crm, int op2) {
        return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
    }

    public static int op0(int enc) {
        return enc >>> 14 & 3;
    }

    public static int op1(int enc) {
        return enc >>> 11 & 7;
    }

    public static int crn(int enc) {
        return enc >>> 7 & 15;
    }

    public static int crm(int enc) {
        return enc >>> 3 & 15;
    }

    public static int op2(int enc) {
        return enc & 7;
    }

    /** The generic assembler name, e.g. {@code s3_0_c15_c2_0}. */
    public static String genericName(int enc) {
        return "s" + op0(enc) + "_" + op1(enc) + "_c" + crn(enc) + "_c" + crm(enc) + "_" + op2(enc);
    }
}
