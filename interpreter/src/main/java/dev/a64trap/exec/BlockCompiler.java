package dev.a64trap.exec;

import java.util.function.LongFunction;

/** Translates hot blocks; installed into the {@link Interpreter} by the board (exec does not know the JIT). */
public interface BlockCompiler {
    /**
     * The unit for {@code b}, or null when it cannot be translated (the interpreter keeps running it).
     * {@code blockAt} gives the decoded block at a PC (null if it cannot be fetched), for a unit that
     * runs on past {@code b} into the blocks after its MRS/MSR (a region, {@link CompiledBlock#region()}).
     */
    CompiledBlock compile(Block b, LongFunction<Block> blockAt);

    /** Executions of a block before it is compiled (0 or 1: at its first execution). */
    int threshold();

    /**
     * A second tier for a block whose unit the run loop has entered {@link #hotThreshold()} times: a
     * larger unit (a graph of blocks) to swap in, or null to keep the current one.
     */
    default CompiledBlock compileHot(Block b, LongFunction<Block> blockAt) {
        return null;
    }

    /** Entries into a block's first unit before {@link #compileHot} is asked (Integer.MAX_VALUE: never). */
    default int hotThreshold() {
        return Integer.MAX_VALUE;
    }
}
