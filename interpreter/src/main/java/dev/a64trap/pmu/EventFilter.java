package dev.a64trap.pmu;

/** struct kvm_pmu_event_filter {u16 base_event; u16 nevents; u8 action; u8 pad[3];}. */
public record EventFilter(int baseEvent, int nevents, int action) {
    public static final int ALLOW = 0;
    public static final int DENY = 1;

    public EventFilter {
        if (baseEvent < 0 || baseEvent > 0xFFFF || nevents < 0 || nevents > 0xFFFF || action < 0 || action > 0xFF) {
            throw new IllegalArgumentException("field out of its C type's range: " + baseEvent + "," + nevents
                    + "," + action);
        }
    }

    public static EventFilter allow(int base, int n) {
        return new EventFilter(base, n, ALLOW);
    }

    public static EventFilter deny(int base, int n) {
        return new EventFilter(base, n, DENY);
    }
}
