package dev.a64trap.exec;

/**
 * Running totals of architectural events, summed per block (the block knows its own counts) so the
 * hot path adds a few longs per block, never per instruction. A PMU reads these lazily.
 */
public final class Events {
    public long branches;
    public long loads;
    public long stores;
    public long exceptions;
}
