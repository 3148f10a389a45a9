package dev.a64trap.pmu;

/** A hand-driven {@link EventClock}: tests add events at an EL and the vPMU reads the totals. */
final class FakeClock implements EventClock {
    private final long[][] totals = new long[0x40][2];

    @Override
    public long total(int event, int el) {
        return event >= 0 && event < totals.length ? totals[event][el] : 0;
    }

    FakeClock add(int event, int el, long n) {
        totals[event][el] += n;
        return this;
    }

    /** n instructions at EL el, each costing cpi cycles. */
    FakeClock run(int el, long n, int cpi) {
        add(Events.INST_RETIRED, el, n);
        add(Events.CPU_CYCLES, el, n * cpi);
        return this;
    }
}
