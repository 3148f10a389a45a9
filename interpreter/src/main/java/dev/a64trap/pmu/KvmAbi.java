package dev.a64trap.pmu;

/**
 * Which rule set of the "Use multiple host PMUs" series the emulated KVM follows ({@code --kvm-abi}).
 * Only the composite attribute (value 5) and its interplay with FILTER/SET_PMU differ (spec 5.4).
 */
public enum KvmAbi {
    /** Upstream Linux: attribute 5 does not exist (ENXIO). */
    MAINLINE,
    /** v2 (2025-08): KVM_ARM_VCPU_PMU_V3_COMPOSITION; filter-before-flag EBUSY; SET_PMU clears it; CPUs = union. */
    V2,
    /** v5: renamed FIXED_COUNTERS_ONLY; same VMM rules as v2. */
    V5,
    /** v8 (2026-07): exclusive with SET_PMU and FILTER; supported CPUs unchanged. */
    V8;

    public static final KvmAbi DEFAULT = V8;

    public boolean hasFixedCountersOnly() {
        return this != MAINLINE;
    }

    /** Name of attribute 5 in this revision. */
    public String fixedAttrName() {
        return this == V2 ? "KVM_ARM_VCPU_PMU_V3_COMPOSITION" : "KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY";
    }

    /** Parses {@code mainline|v2|v5|v8}; null for anything else. */
    public static KvmAbi parse(String s) {
        switch (s) {
            case "mainline":
                return MAINLINE;
            case "v2":
                return V2;
            case "v5":
                return V5;
            case "v8":
                return V8;
            default:
                return null;
        }
    }
}
