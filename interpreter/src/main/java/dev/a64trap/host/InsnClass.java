package dev.a64trap.host;

/** Instruction classes the cycle model prices separately. The interpreter classifies each executed instruction. */
public enum InsnClass {
    /** Integer data processing, moves, NOP, hints. */
    ALU,
    /** Any branch (immediate, register, conditional), taken or not. */
    BRANCH,
    /** Loads (including pairs, exclusives, acquire loads). */
    LOAD,
    /** Stores (including pairs, exclusives, release stores). */
    STORE,
    /** Multiply, divide, multiply-accumulate. */
    MUL_DIV,
    /** System-register access, barriers, cache maintenance. */
    SYSTEM,
    /** Exception entry (SVC/HVC/BRK/UNDEF/IRQ taken) or ERET. */
    EXCEPTION
}
