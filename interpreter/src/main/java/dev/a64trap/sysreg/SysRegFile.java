package dev.a64trap.sysreg;

/**
 * Storage for the system registers that have no side effects. The registers the CPU consults on
 * hot or exception paths are plain fields; everything else lives in {@link #slots}, indexed by
 * {@link SysReg#index()}.
 */
public final class SysRegFile {
    public long sctlr;
    // stage-1 translation controls: every write goes through SysRegContext.translationChanged
    public long tcr;
    public long ttbr0;
    public long ttbr1;
    public long mair;
    public long par;
    public long vbar;
    public long elr;
    public long spsr;
    public long esr;
    public long far;
    public long cntkctl;
    public long csselr;
    /** CPACR_EL1 (FPEN, bits [21:20], gates every SIMD&FP instruction). */
    public long cpacr;
    /** FPCR and FPSR (the FP control and status registers, read by every FP instruction). */
    public final dev.a64trap.fp.FpStatus fp = new dev.a64trap.fp.FpStatus();
    public final long[] slots;

    public SysRegFile(int slotCount) {
        this.slots = new long[slotCount];
    }
}
