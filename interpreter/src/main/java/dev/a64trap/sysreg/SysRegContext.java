package dev.a64trap.sysreg;

/**
 * The CPU state a system-register handler may touch. Implemented by {@code cpu.Cpu}; keeps the
 * dependency one-way (cpu uses sysreg, sysreg sees the CPU only through this interface).
 */
public interface SysRegContext {
    /** Plain storage of the EL1/EL0 system registers. */
    SysRegFile regs();

    /** Current exception level, 0 or 1. */
    int el();

    /** PSTATE.NZCV as a 4-bit value N<<3|Z<<2|C<<1|V. */
    int nzcv();

    void setNzcv(int nzcv);

    /** PSTATE.DAIF as a 4-bit value D<<3|A<<2|I<<1|F. */
    int daif();

    void setDaif(int daif);

    /** PSTATE.SP (0 = SP_EL0, 1 = SP_ELx). */
    int spsel();

    void setSpsel(int spsel);

    long spEl0();

    void setSpEl0(long value);

    /** Guest time: instructions retired so far (the only clock the guest can see). */
    long instructionsRetired();

    /**
     * Called after a write to SCTLR_EL1, TCR_EL1, TTBR0/1_EL1 or MAIR_EL1: the translation regime
     * changed (the CPU empties its TLB). Contexts without an MMU ignore it.
     */
    default void translationChanged() {}

    /** Which PE of the board this is (0 on a single-CPU board): per-CPU devices pick their state by it. */
    default int cpuIndex() {
        return 0;
    }
}
