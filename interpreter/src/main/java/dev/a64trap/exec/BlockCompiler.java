package dev.a64trap.exec;

/** Translates hot blocks; installed into the {@link Interpreter} by the board (exec does not know the JIT). */
public interface BlockCompiler {
    /** The unit for {@code b}, or null when it cannot be translated (the interpreter keeps running it). */
    CompiledBlock compile(Block b);

    /** Executions of a block before it is compiled (0 or 1: at its first execution). */
    int threshold();
}
