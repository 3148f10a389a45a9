package dev.a64trap.decode;

/**
 * One row of the decode table: the fixed bits ({@code mask}/{@code match}), the semantic op and
 * flags, the format that extracts the fields (and may answer "not mine" for reserved
 * combinations inside the mask) and the syntax the disassembler prints.
 *
 * @param name unique row name, becomes {@link Insn#form()}
 * @param mnemonic the base mnemonic objdump prints (aliases are chosen by the syntax)
 * @param group overlap group, or {@code null}: rows of one group may overlap and the earlier
 *     row wins; ungrouped rows must never match the same word (checked by a test)
 */
record Pattern(
        String name,
        String mnemonic,
        int mask,
        int match,
        Op op,
        int flags,
        Format format,
        Syntax syntax,
        String group) {

    /** Extracts the fields of a word that matches mask/match; null = reserved, not this row. */
    @FunctionalInterface
    interface Format {
        Insn decode(Pattern p, int word);
    }

    /** Prints a decoded instruction; {@code addr} renders branch/literal targets. */
    @FunctionalInterface
    interface Syntax {
        String print(Insn insn, Pattern p, long pc, Disassembler.AddressFormat addr);
    }

    boolean matches(int word) {
        return (word & mask) == match;
    }

    /** Builds the record with this row's op, name and flags (plus {@code extraFlags}). */
    Insn insn(int word, boolean sf, int rd, int rn, int rm, int ra, long imm, int amount,
            int shift, int cond, int size, int mode, int extraFlags) {
        return new Insn(word, op, name, sf, rd, rn, rm, ra, imm, amount, shift, cond, size, mode,
                flags | extraFlags);
    }

    /** Parses a 32-character bit string of '0', '1' and 'x' (spaces ignored) into mask/match. */
    static int[] bits(String spec) {
        // one pass over the text, no copy without the spaces: some 700 rows at every start-up
        int mask = 0, match = 0, n = 0;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c != '0' && c != '1' && c != 'x') {
                throw new IllegalArgumentException("bad bit '" + c + "' in " + spec);
            }
            mask <<= 1;
            match <<= 1;
            if (c != 'x') {
                mask |= 1;
                match |= c - '0';
            }
            n++;
        }
        if (n != 32) {
            throw new IllegalArgumentException("pattern needs 32 bits: " + spec);
        }
        return new int[] {mask, match};
    }
}
