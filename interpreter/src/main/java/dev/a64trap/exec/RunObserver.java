package dev.a64trap.exec;

/**
 * What the interpreter tells the vPMU wiring: each retired (prefix of a) block, and a checkpoint at a
 * block boundary once {@code cpu.retired} reaches {@link Interpreter#setCheckpoint} (blocks are not
 * split for it: the first boundary at or after). Blocks are the unit: the observer adds per-block
 * sums, never per-instruction work.
 */
public interface RunObserver {
    /**
     * The first {@code n} instructions of {@code b} retired at exception level {@code el} (the EL the
     * block started at). {@code nextPc} is where execution continues, or -1 when the block stopped at
     * a faulting instruction (which did not retire).
     */
    void retired(Block b, int n, int el, long nextPc);

    /**
     * {@code b} retired whole {@code times} times in a row at {@code el}, each time branching back to
     * its own start (a compiled loop). Same as that many {@link #retired} calls; an observer whose
     * sums are linear may override it with one multiplication.
     */
    default void retiredLoop(Block b, long times, int el) {
        for (long j = 0; j < times; j++) {
            retired(b, b.length(), el, b.pc);
        }
    }

    /**
     * {@code b} retired whole {@code times} times at {@code el}, each time continuing at {@code nextPc}
     * (a compiled unit reports each edge it took once, with its count, when it returns). Same as that
     * many {@link #retired} calls; an observer whose sums are linear may override it.
     */
    default void retiredTimes(Block b, long times, int el, long nextPc) {
        for (long j = 0; j < times; j++) {
            retired(b, b.length(), el, nextPc);
        }
    }

    /**
     * Executions that compiled code ran earlier and the interpreter reports now
     * ({@link Interpreter#settleRuns}, before a checkpoint, at the end of a run, and whenever an
     * observer that reads its totals asks for them): {@code b} retired whole {@code times} times at
     * {@code el}, each going on to {@code nextPc}. The same sums as {@link #retiredTimes}, but not in
     * execution order, and it may come while a block's system-register access executes, so it must
     * not end that access's state.
     */
    default void retiredDeferred(Block b, long times, int el, long nextPc) {
        retiredTimes(b, times, el, nextPc);
    }

    /**
     * A region loop whose system-register accesses are the MRSs ending each block of {@code chain} but
     * the last (each just executed at {@code el}, in order; the last one now) asks to run further whole
     * passes of {@code chain} (each block once, in order, the last branching back to the first) without
     * reporting them one by one. Returns how many passes it may run during which nothing the observer
     * does would change but its linear sums, each MRS reading {@code step[0]} more than it did in the
     * pass before; 0 when the reads are not that steady. The passes are then reported with
     * {@link #retiredTimes}, in one go. The interpreter bounds them by its budget only, not by the
     * checkpoint: the observer's answer must also keep them short of whatever its checkpoints are for.
     */
    default long steadyPasses(Block[] chain, int el, long[] step) {
        return 0;
    }

    /**
     * A checkpoint was reached. The observer must move the checkpoint past {@code cpu.retired}.
     * Returns a stop to end the run, or null to continue.
     */
    Stop checkpoint();
}
