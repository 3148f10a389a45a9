package dev.a64trap.pmu;

/**
 * Outcome of an attempt to enter the guest on a physical CPU (KVM_RUN / vCPU load).
 *
 * @param entered  the guest may execute
 * @param cpu      the physical CPU of the attempt
 */
public record EntryResult(boolean entered, int cpu) {
    /** kvm_run exit_reason KVM_EXIT_FAIL_ENTRY. */
    public static final int KVM_EXIT_FAIL_ENTRY = 9;
    /** fail_entry.hardware_entry_failure_reason KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED. */
    public static final long CPU_UNSUPPORTED = 1L << 0;

    public static EntryResult ok(int cpu) {
        return new EntryResult(true, cpu);
    }

    public static EntryResult failEntry(int cpu) {
        return new EntryResult(false, cpu);
    }

    public String describe() {
        return entered ? "entered on CPU " + cpu
                : "KVM_EXIT_FAIL_ENTRY (hardware_entry_failure_reason = CPU_UNSUPPORTED, cpu = " + cpu + ")";
    }
}
