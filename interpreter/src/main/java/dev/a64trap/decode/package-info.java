/**
 * A64 decoding and disassembly from one declarative table.
 *
 * <p>{@link dev.a64trap.decode.DecodeTable} holds one row per encoding: a 32-character bit pattern
 * (fixed bits and {@code x}), the semantic {@link dev.a64trap.decode.Op} and flags, a format that
 * combines declared {@code Field}s (sign extension and scaling are part of the field declaration)
 * and rejects reserved combinations, and the syntax the disassembler prints. Rows never overlap
 * unless they share an explicit group (the hint space: named hints before the generic row);
 * a test proves it over the masks. Out-of-scope encodings (FP/SIMD, SVE/SME, pointer
 * authentication, MTE, RCpc, LOR, MOPS, ...) are commented rows and decode to the one UNDEFINED
 * fallback. {@link dev.a64trap.decode.Decoder#decode(int)} looks rows up in 4096 buckets keyed on
 * bits [28:21] and [13:10], then scans at most a dozen rows.
 *
 * <p>{@link dev.a64trap.decode.Disassembler} prints GNU objdump (binutils 2.40) syntax; name
 * tables (system registers for mrs and msr, sys aliases, hints) are generated from objdump by
 * tools/conformance.d/disasm/gen-tables.py. tools/conformance.d/10-disasm checks the whole against
 * the real objdump.
 *
 * <p>Field use beyond {@link dev.a64trap.decode.Insn}'s documentation: ADD/SUB (immediate) keep
 * the applied shift (0 or 12) in {@code amount} ({@code imm} is already shifted); literal loads
 * set {@code size} and {@code sf} like the other loads; the permanently undefined UDF encoding is
 * its own row with op UNDEFINED and {@code imm} = imm16.
 */
package dev.a64trap.decode;
