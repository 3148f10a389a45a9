package dev.a64trap.pmu;

/** Attributes of group KVM_ARM_VCPU_PMU_V3_CTRL (0) and their argument types. */
public final class PmuAttr {
    private PmuAttr() {}

    public static final int GROUP_PMU_V3_CTRL = 0;

    /** arg: Integer INTID. */
    public static final long IRQ = 0;
    /** arg: none (null). */
    public static final long INIT = 1;
    /** arg: {@link EventFilter}. */
    public static final long FILTER = 2;
    /** arg: Integer host PMU perf type id. */
    public static final long SET_PMU = 3;
    /** arg: Integer counter count (unsigned). */
    public static final long SET_NR_COUNTERS = 4;
    /**
     * arg: none. The number the multiple-host-PMU series (v2 COMPOSITION ... v11) gives its mode; KVM
     * dispatches through {@link KvmAbi#fixedCountersOnlyAttr()}, since the partitioned-PMU series
     * numbers its ENABLE_PARTITION 5 as well. Absent in mainline.
     */
    public static final long FIXED_COUNTERS_ONLY = 5;

    /**
     * arg: none. Not a KVM attribute: a64trap's experimental FEAT_PMUv3_ICNTR on top of
     * fixed-counters-only ({@code --pmu fixed-counters-only+icntr}; docs/vpmu-upstream.md). No
     * upstream series defines a uAPI for it, so the number is out of KVM's range.
     */
    public static final long A64TRAP_ICNTR = 0x1_0000;

    /** Pass as the argument to model a bad user pointer (the call fails EFAULT where KVM copies from it). */
    public static final Object BAD_ADDRESS = new Object() {
        @Override
        public String toString() {
            return "BAD_ADDRESS";
        }
    };

    public static String name(long attr, KvmAbi abi) {
        switch ((int) attr) {
            case 0:
                return "KVM_ARM_VCPU_PMU_V3_IRQ";
            case 1:
                return "KVM_ARM_VCPU_PMU_V3_INIT";
            case 2:
                return "KVM_ARM_VCPU_PMU_V3_FILTER";
            case 3:
                return "KVM_ARM_VCPU_PMU_V3_SET_PMU";
            case 4:
                return "KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS";
            case 5:
                return abi.hasFixedCountersOnly() ? abi.fixedAttrName()
                        : abi.partitionAttr() == 5 ? "KVM_ARM_VCPU_PMU_V3_ENABLE_PARTITION" : "attr 5";
            default:
                return attr == A64TRAP_ICNTR ? "a64trap experimental: FEAT_PMUv3_ICNTR (PMICNTR_EL0)" : "attr " + attr;
        }
    }
}
