package dev.a64trap.pmu;

/**
 * Cumulative event totals kept by the interpreter, read lazily by the vPMU.
 *
 * <p>Contract for the implementer (the interpreter):
 * <ul>
 * <li>{@code total(event, el)} = number of occurrences of source event {@code event} (one of
 *     {@link Events#SOURCES}) while the guest executed at exception level {@code el} (0 or 1), since
 *     power-on. Totals never decrease. CPU_CYCLES is summed with the cycle model of the pCPU the vCPU
 *     was on when each instruction ran. Unknown events return 0.</li>
 * <li>The totals must be up to date (including the instructions already executed in the current
 *     block) whenever the interpreter calls into the vPMU: a register access, a vCPU load, a
 *     deadline sync. The trapping PMU access itself is counted (or not) by the interpreter before the
 *     call, as the instruction retires; an access that UNDEFs must not be counted.</li>
 * <li>No per-instruction calls into the vPMU: the interpreter adds per-block sums.</li>
 * </ul>
 */
@FunctionalInterface
public interface EventClock {
    long total(int event, int el);

    /**
     * The sum of {@link #total} over the ELs in {@code elBits} (bit 0: EL0, bit 1: EL1), as the vPMU
     * reads a counter; an implementation may answer it in one pass.
     */
    default long total2(int event, int elBits) {
        long s = 0;
        if ((elBits & 1) != 0) {
            s += total(event, 0);
        }
        if ((elBits & 2) != 0) {
            s += total(event, 1);
        }
        return s;
    }

    /** A clock that never advances (before the interpreter is attached). */
    EventClock ZERO = new Zero();

    /**
     * A class, not a lambda: JDK 25's AOT cache does not keep a lambda made in an interface, and
     * spinning one at run time costs a short run's start-up several milliseconds.
     */
    final class Zero implements EventClock {
        private Zero() {}

        @Override
        public long total(int event, int el) {
            return 0;
        }
    }
}
