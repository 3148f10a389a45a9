package dev.a64trap.devices;

/**
 * Guest time, derived from executed work only (never the wall clock), supplied by the
 * interpreter. Monotonic; starts at 0 when the run starts.
 */
@FunctionalInterface
public interface GuestClock {
    /** Guest nanoseconds since the start of the run (e.g. instructions retired at a nominal 1 GHz). */
    long nanoseconds();
}
