package dev.a64trap.fp;

/** FPCR and FPSR of one PE: the rounding controls every FP operation reads and the flags it raises. */
public final class FpStatus {
    /** FPCR bits: AHP, DN, FZ, RMode. */
    public static final long AHP = 1L << 26, DN = 1L << 25, FZ = 1L << 24;
    public static final int RMODE_SHIFT = 22;
    /** FPCR bits a write keeps (no FP16, no trapped exceptions: the enables are RAZ/WI as in QEMU). */
    public static final long FPCR_MASK = 0x07C00000L;
    /** FPSR bits a write keeps: N, Z, C, V (AArch32 view, kept as QEMU keeps them), QC, the cumulative flags. */
    public static final long FPSR_MASK = 0xF800009FL;

    /** Cumulative exception flags (FPSR bits). */
    public static final int IOC = 1, DZC = 1 << 1, OFC = 1 << 2, UFC = 1 << 3, IXC = 1 << 4, IDC = 1 << 7;
    public static final long QC = 1L << 27;

    public long fpcr;
    public long fpsr;

    public void reset() {
        fpcr = 0;
        fpsr = 0;
    }

    public boolean dn() {
        return (fpcr & DN) != 0;
    }

    public boolean fz() {
        return (fpcr & FZ) != 0;
    }

    /** FPCR.RMode: 0 nearest-even, 1 towards +inf, 2 towards -inf, 3 towards zero. */
    public int rmode() {
        return (int) (fpcr >>> RMODE_SHIFT) & 3;
    }

    public void raise(int flags) {
        fpsr |= flags;
    }
}
