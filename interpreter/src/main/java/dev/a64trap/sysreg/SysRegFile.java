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

    // ---- self-hosted debug (read by the interpreter's debug path, see cpu.SelfHostedDebug)
    public long mdscr;
    /** OSLSR_EL1.OSLK (set at reset, as QEMU does; cleared by writing 0 to OSLAR_EL1). */
    public boolean osLock;
    public long osdlr;
    public final long[] dbgbvr = new long[16];
    public final long[] dbgbcr = new long[16];
    public final long[] dbgwvr = new long[16];
    public final long[] dbgwcr = new long[16];
    /** CONTEXTIDR_EL1 (PROCID): what context-ID breakpoints compare with DBGBVR[31:0]. */
    public long contextidr;
    /**
     * Whether any guest debug event could fire (MDSCR_EL1.SS, or MDE with an enabled breakpoint or
     * watchpoint): the interpreter then runs one instruction at a time and checks exactly. Recomputed
     * on every write to those registers, so the fast path tests one field.
     */
    public boolean debugArmed;

    public void recomputeDebugArmed() {
        boolean any = false;
        if ((mdscr & 1L << 15) != 0) {
            for (int i = 0; i < 16; i++) {
                any |= (dbgbcr[i] & 1) != 0 || (dbgwcr[i] & 1) != 0;
            }
        }
        debugArmed = (mdscr & 1) != 0 || any;
    }

    public SysRegFile(int slotCount) {
        this.slots = new long[slotCount];
    }
}
