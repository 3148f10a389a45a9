package dev.a64trap.decode;

/**
 * Decodes 32-bit A64 words into {@link Insn} records.
 *
 * <p>Placeholder until the pattern table lands: every word is UNDEFINED.
 */
public final class Decoder {
    private Decoder() {}

    public static Insn decode(int word) {
        return new Insn(word, Op.UNDEFINED, "UNDEFINED", false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
