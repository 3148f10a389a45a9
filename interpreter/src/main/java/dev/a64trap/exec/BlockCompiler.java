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
}
