/**
 * SIMD&FP semantics as pure static functions on bit patterns: the soft-float core (rounding modes,
 * flush-to-zero, default NaN, NaN propagation, FPSR exception flags, exactly as the architecture's
 * pseudocode) and lane helpers on the V register file ({@code long[64]}, two longs per register).
 * One definition of each operation, called by the interpreter ({@code exec.FpSimdOps}) and the JIT.
 * Depends on nothing else in the project.
 */
package dev.a64trap.fp;
