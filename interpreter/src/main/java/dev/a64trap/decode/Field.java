package dev.a64trap.decode;

/**
 * A bit field of the instruction word with its sign extension and scaling, declared once in the
 * pattern table so no consumer ever re-derives an immediate.
 */
record Field(int lo, int len, boolean signed, int scale) {

    /** Unsigned field of {@code len} bits starting at bit {@code lo}. */
    static Field u(int lo, int len) {
        return new Field(lo, len, false, 0);
    }

    /** Sign-extended field of {@code len} bits starting at bit {@code lo}. */
    static Field s(int lo, int len) {
        return new Field(lo, len, true, 0);
    }

    /** The same field, its value shifted left by {@code log2} (scaled offsets). */
    Field times(int log2) {
        return new Field(lo, len, signed, log2);
    }

    long get(int word) {
        long v = signed
                ? (long) ((word << (32 - lo - len)) >> (32 - len))
                : (word >>> lo) & ((1L << len) - 1);
        return v << scale;
    }

    int i(int word) {
        return (int) get(word);
    }
}
