package dev.a64trap.pmu;

import static dev.a64trap.pmu.PmuBits.ALWAYS;
import static dev.a64trap.pmu.PmuBits.CR;
import static dev.a64trap.pmu.PmuBits.EN;
import static dev.a64trap.pmu.PmuBits.ER;
import static dev.a64trap.pmu.PmuBits.SW;

/**
 * The guest-visible PMU registers (spec 1.1) with their EL0 access rules (spec 1.5).
 *
 * <p>EL0 rule columns are PMUSERENR_EL0 bit masks: an EL0 read is allowed when
 * (PMUSERENR &amp; el0Read) != 0, an EL0 write when (PMUSERENR &amp; el0Write) != 0 and, if
 * {@code el0WriteNeedsEn}, additionally EN is set. {@link PmuBits#ALWAYS} allows unconditionally, 0 never.
 */
public enum PmuReg {
    PMCR(EN, EN, false, true, true),
    PMCNTENSET(EN, EN, false, true, true),
    PMCNTENCLR(EN, EN, false, true, true),
    PMOVSCLR(EN, EN, false, true, true),
    PMSWINC(0, SW | EN, false, false, true),
    PMSELR(ER | EN, ER | EN, false, true, true),
    PMCEID0(EN, EN, false, true, false),
    PMCEID1(EN, EN, false, true, false),
    PMCCNTR(CR | EN, CR | EN, true, true, true),
    PMXEVTYPER(EN, EN, false, true, true),
    PMXEVCNTR(ER | EN, ER | EN, true, true, true),
    PMUSERENR(ALWAYS, 0, false, true, true),
    PMOVSSET(EN, EN, false, true, true),
    PMINTENSET(0, 0, false, true, true),
    PMINTENCLR(0, 0, false, true, true),
    PMMIR(0, 0, false, true, false),
    /** PMEVCNTR&lt;n&gt;_EL0, index n = 0..30. */
    PMEVCNTR(ER | EN, ER | EN, true, true, true),
    /** PMEVTYPER&lt;n&gt;_EL0, index n = 0..30. */
    PMEVTYPER(EN, EN, false, true, true),
    PMCCFILTR(EN, EN, false, true, true),
    /**
     * PMICNTR_EL0, FEAT_PMUv3_ICNTR's fixed instruction counter (counter index 32). Only the
     * experimental {@code fixed-counters-only+icntr} mode has it ({@link KvmVm#icntr()}); otherwise
     * UNDEFINED, as KVM since 6.16. EL0 rules as the event counters.
     */
    PMICNTR(ER | EN, ER | EN, true, true, true),
    /** PMICFILTR_EL0, the instruction counter's filter (P, U; evtCount reads INST_RETIRED). */
    PMICFILTR(EN, EN, false, true, true);

    public final int el0Read;
    public final int el0Write;
    public final boolean el0WriteNeedsEn;
    /** MRS is architecturally possible (false: write-only, MRS is UNDEFINED). */
    public final boolean readable;
    /** MSR is architecturally possible (false: read-only, MSR is UNDEFINED). */
    public final boolean writable;

    PmuReg(int el0Read, int el0Write, boolean el0WriteNeedsEn, boolean readable, boolean writable) {
        this.el0Read = el0Read;
        this.el0Write = el0Write;
        this.el0WriteNeedsEn = el0WriteNeedsEn;
        this.readable = readable;
        this.writable = writable;
    }
}
