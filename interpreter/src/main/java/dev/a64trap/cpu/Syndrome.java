package dev.a64trap.cpu;

/**
 * ESR_EL1 values for the synchronous exceptions this CPU raises (Arm ARM D17.2.37). All A64
 * instructions are 32 bits, so IL (bit 25) is always 1.
 */
public final class Syndrome {
    private Syndrome() {}

    public static final int EC_UNKNOWN = 0x00;
    public static final int EC_FP_ACCESS = 0x07;
    public static final int EC_ILLEGAL_STATE = 0x0E;
    public static final int EC_SVC = 0x15;
    public static final int EC_HVC = 0x16;
    public static final int EC_SMC = 0x17;
    public static final int EC_SYSREG = 0x18;
    public static final int EC_IABORT_LOWER = 0x20;
    public static final int EC_IABORT_SAME = 0x21;
    public static final int EC_PC_ALIGN = 0x22;
    public static final int EC_DABORT_LOWER = 0x24;
    public static final int EC_DABORT_SAME = 0x25;
    public static final int EC_SP_ALIGN = 0x26;
    public static final int EC_BRK = 0x3C;

    public static final int IL = 1 << 25;

    /** Fault status codes (DFSC/IFSC). */
    public static final int FSC_SYNC_EXTERNAL = 0x10;
    /** Address size fault, level 0 (an address above the PA range with the MMU off). */
    public static final int FSC_ADDRESS_SIZE_L0 = 0x00;
    public static final int FSC_ALIGNMENT = 0x21;

    /** ISS bit: the access was a write. */
    public static final int WNR = 1 << 6;

    public static int esr(int ec, int iss) {
        return ec << 26 | IL | (iss & 0x1FFFFFF);
    }

    public static int undefined() {
        return esr(EC_UNKNOWN, 0);
    }

    /** SIMD&FP access trapped by CPACR_EL1.FPEN: ISS CV = 1, COND = 0xE, as QEMU reports it for A64. */
    public static int fpAccess() {
        return esr(EC_FP_ACCESS, 1 << 24 | 0xE << 20);
    }

    public static int svc(int imm16) {
        return esr(EC_SVC, imm16 & 0xFFFF);
    }

    public static int hvc(int imm16) {
        return esr(EC_HVC, imm16 & 0xFFFF);
    }

    public static int smc(int imm16) {
        return esr(EC_SMC, imm16 & 0xFFFF);
    }

    public static int brk(int imm16) {
        return esr(EC_BRK, imm16 & 0xFFFF);
    }

    /**
     * Trapped MSR/MRS: ISS = Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0]
     * (Direction 1 = read, MRS). {@code enc} is op0<<14|op1<<11|CRn<<7|CRm<<3|op2.
     */
    public static int sysreg(int enc, int rt, boolean read) {
        int op0 = enc >>> 14 & 3, op1 = enc >>> 11 & 7, crn = enc >>> 7 & 15, crm = enc >>> 3 & 15, op2 = enc & 7;
        int iss = op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | (read ? 1 : 0);
        return esr(EC_SYSREG, iss);
    }

    /** Data abort: DFSC and WnR (ISV = 0, as QEMU reports aborts taken to EL1). */
    public static int dataAbort(boolean fromLowerEl, int fsc, boolean write) {
        return esr(fromLowerEl ? EC_DABORT_LOWER : EC_DABORT_SAME, fsc | (write ? WNR : 0));
    }

    public static int instructionAbort(boolean fromLowerEl, int fsc) {
        return esr(fromLowerEl ? EC_IABORT_LOWER : EC_IABORT_SAME, fsc);
    }

    public static int pcAlignment() {
        return esr(EC_PC_ALIGN, 0);
    }

    public static int spAlignment() {
        return esr(EC_SP_ALIGN, 0);
    }

    public static int illegalState() {
        return esr(EC_ILLEGAL_STATE, 0);
    }

    public static int ec(long esr) {
        return (int) (esr >>> 26 & 0x3F);
    }
}
