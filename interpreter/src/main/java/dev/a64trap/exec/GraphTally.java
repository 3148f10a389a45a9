package dev.a64trap.exec;

/**
 * A graph unit's edge counters, kept across its calls: edge {@code e} is block {@code chain[block[e]]}
 * retired whole, on to {@code next[e]}. The unit adds to {@link #counts} at each internal edge and,
 * at exit, lists the tally with its interpreter ({@link JitFrame#tallied}) unless it is listed
 * already; the interpreter reports and zeroes the counts at its next {@code settleRuns}, as it does
 * for the runs plain units count in their blocks (the sums are linear, so once is the same as per call).
 */
public final class GraphTally {
    public final long[] counts;
    final Block[] chain;
    final int[] block;
    final long[] next;
    /** On the interpreter's list of tallies with counts not yet reported. */
    public boolean listed;

    public GraphTally(Block[] chain, int[] block, long[] next) {
        this.chain = chain;
        this.block = block;
        this.next = next;
        this.counts = new long[block.length];
    }
}
