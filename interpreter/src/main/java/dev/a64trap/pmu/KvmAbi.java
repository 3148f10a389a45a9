package dev.a64trap.pmu;

import java.util.Locale;

/**
 * Which rule set the emulated KVM follows ({@code --kvm-abi}): mainline, or a revision of Akihiko
 * Odaki's "KVM: arm64: PMU: Use multiple host PMUs" series (spec 5.4 and the 4.5 update). The rules
 * that differ are data here, one row per revision, so callers ask a question ("may SET_PMU follow
 * the flag?") instead of comparing revisions, and the attribute number of the new mode is a property
 * of the rule set, not an ABI constant: the partitioned-PMU series numbers its ENABLE_PARTITION 5
 * too.
 *
 * <p>Sources: v2 "[PATCH v2] KVM: arm64: PMU: Use multiple host PMUs" (2025-08, COMPOSITION); v3-v5
 * "KVM: arm64: PMU: Introduce FIXED_COUNTERS_ONLY" (2026-02 onward); v7 same title (2026-04-18,
 * linux-arm-kernel, review by Marc Zyngier 2026-04-20); v8 (2026-07, exclusive with SET_PMU and
 * FILTER, refuses a vPMU when the PMUs do not cover every CPU); v11 (2026-09-20, 21 patches, as
 * summarised in shared/spec/vpmu.md 4.5: v9 onward freeze SET_NR_COUNTERS after the first run and
 * change the default vPMU's nested-virt bookkeeping).
 */
public enum KvmAbi {
    /** Upstream Linux (6.16+): attribute 5 does not exist (ENXIO). */
    MAINLINE(-1, false, false, false, false, false, -1),
    /** v2 (2025-08): KVM_ARM_VCPU_PMU_V3_COMPOSITION; filter-before-flag EBUSY; SET_PMU clears it; CPUs = union. */
    V2(5, false, true, true, false, false, -1),
    /** v5: renamed FIXED_COUNTERS_ONLY; same VMM rules as v2. */
    V5(5, false, true, true, false, false, -1),
    /** v8 (2026-07): exclusive with SET_PMU and FILTER; supported CPUs unchanged; uncovered CPUs refused. */
    V8(5, true, false, false, true, false, -1),
    /**
     * v11 (2026-09-20): v8's rules, and from v9 on SET_NR_COUNTERS is EBUSY once the VM has run. The
     * rest of what v9-v11 changed is nested-virt bookkeeping with no effect on a guest without EL2
     * (MDCR_EL2.HPMN no longer updated, EL-independent implemented mask, EL2-reserved bits masked on
     * guest bitmap reads, EL2 bitmap state kept across migration) or internal (perf events recreated
     * after PMCR/MDCR/userspace writes, "Reload when resetting" reverted, serialised vCPU init): see
     * docs/vpmu-upstream.md.
     */
    V11(5, true, false, false, true, true, -1),
    /**
     * Mainline plus Colton Lewis' "ARM64 PMU Partitioning" series (v9, 2026-09-24, as summarised in
     * issue 15; v7 2026-05 read): KVM_ARM_VCPU_PMU_V3_ENABLE_PARTITION is attribute 5 here, so this
     * rule set has no fixed-counters-only. See {@link KvmVcpu} for the partition's rules.
     */
    PARTITION_V9(-1, false, false, false, false, false, 5);

    public static final KvmAbi DEFAULT = V11;

    private final long fixedAttr;
    private final boolean fixedExclusive;
    private final boolean filterBlocksOnlyFirstSet;
    private final boolean fixedOnUnionOfCpus;
    private final boolean refusesUncoveredCpus;
    private final boolean nrCountersFrozenAfterRun;
    private final long partitionAttr;

    KvmAbi(long fixedAttr, boolean fixedExclusive, boolean filterBlocksOnlyFirstSet, boolean fixedOnUnionOfCpus,
            boolean refusesUncoveredCpus, boolean nrCountersFrozenAfterRun, long partitionAttr) {
        this.partitionAttr = partitionAttr;
        this.fixedAttr = fixedAttr;
        this.fixedExclusive = fixedExclusive;
        this.filterBlocksOnlyFirstSet = filterBlocksOnlyFirstSet;
        this.fixedOnUnionOfCpus = fixedOnUnionOfCpus;
        this.refusesUncoveredCpus = refusesUncoveredCpus;
        this.nrCountersFrozenAfterRun = nrCountersFrozenAfterRun;
    }

    public boolean hasFixedCountersOnly() {
        return fixedAttr >= 0;
    }

    /** The attribute number of the fixed-counters-only mode in this rule set, or -1 (none). */
    public long fixedCountersOnlyAttr() {
        return fixedAttr;
    }

    /** v8+: the flag refuses a FILTER or an explicit SET_PMU before it, and both after it (EBUSY). */
    public boolean fixedExclusiveWithSetPmuAndFilter() {
        return fixedExclusive;
    }

    /** v2/v5: a filter blocks only setting the flag the first time; SET_PMU later clears the flag. */
    public boolean setPmuClearsFixed() {
        return filterBlocksOnlyFirstSet;
    }

    /** v2/v5: the flag narrows the VM's CPUs to the union of the host PMUs' CPUs. */
    public boolean fixedOnUnionOfCpus() {
        return fixedOnUnionOfCpus;
    }

    /** v8+: KVM_ARM_VCPU_INIT with a PMU fails EINVAL when the host PMUs do not cover every CPU. */
    public boolean refusesUncoveredCpus() {
        return refusesUncoveredCpus;
    }

    /** v9+: SET_NR_COUNTERS after any vCPU of the VM ran is EBUSY (mainline and v2-v8 accept it). */
    public boolean nrCountersFrozenAfterRun() {
        return nrCountersFrozenAfterRun;
    }

    /** The attribute number of ENABLE_PARTITION in this rule set, or -1 (none). */
    public long partitionAttr() {
        return partitionAttr;
    }

    /** The highest attribute number KVM_HAS_DEVICE_ATTR knows in this rule set. */
    public long lastAttr() {
        return Math.max(PmuAttr.SET_NR_COUNTERS, Math.max(fixedAttr, partitionAttr));
    }

    /** Name of the fixed-counters-only attribute in this revision. */
    public String fixedAttrName() {
        return this == V2 ? "KVM_ARM_VCPU_PMU_V3_COMPOSITION" : "KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY";
    }

    /** The option spelling: mainline, v2, v5, v8, v11, partition-v9. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code mainline|v2|v5|v8|v11|partition-v9}; null for anything else. */
    public static KvmAbi parse(String s) {
        for (KvmAbi a : values()) {
            if (a.optionName().equals(s)) {
                return a;
            }
        }
        return null;
    }

    /** The accepted spellings, for messages. */
    public static String choices() {
        StringBuilder b = new StringBuilder();
        for (KvmAbi a : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(a.optionName());
        }
        return b.toString();
    }
}
