package dev.a64trap.exec;

import dev.a64trap.decode.Insn;
import dev.a64trap.sysreg.SysReg;

/**
 * A debugger's view of execution: watchpoints, system-register catches and instruction tracing.
 * While a hook is installed ({@link Interpreter#setDebugHook}) the interpreter runs every block one
 * instruction at a time through its general path and reports each instruction's data accesses
 * (before it executes, as hardware watchpoints do) and MRS/MSR (after) here; when a method answers
 * true the run stops with {@link Stop.Kind#DEBUG} (the hook remembers why). With no hook the run loop pays one field test
 * per block.
 */
public interface DebugHook {
    /** Called before each instruction executes (e.g. to trace it). */
    default void beforeInstruction(long pc, Insn in) {}

    /**
     * The instruction at {@code pc} is about to read ({@code write} false) or write
     * {@code [address, address + size)}; {@code cpu.retired} counts the instructions before it.
     * An atomic read-modify-write reports both. True stops the run before the instruction.
     */
    boolean dataAccess(long pc, long address, int size, boolean write);

    /** A retired MRS ({@code write} false) or MSR of {@code reg}. True stops the run after it. */
    boolean sysRegAccess(long pc, SysReg reg, boolean write);
}
