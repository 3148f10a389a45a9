package dev.a64trap.decode;

import static dev.a64trap.decode.Field.s;
import static dev.a64trap.decode.Field.u;
import static dev.a64trap.decode.Insn.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes 32-bit A64 words into {@link Insn} records from one declarative table ({@link
 * DecodeTable}): bucket lookup on fixed opcode bits, then a short scan of the rows whose fixed
 * bits agree; the first row that matches and accepts the word wins; otherwise the one UNDEFINED
 * fallback.
 */
public final class Decoder {
    private Decoder() {}

    /** Bucket key: bits [28:21] and [13:10] (the same split dynarmic uses), 4096 buckets. */
    static int key(int word) {
        return ((word >>> 21) & 0xff) << 4 | ((word >>> 10) & 0xf);
    }

    private static final int KEY_BITS = 0x1fe03c00;

    /**
     * A bucket's rows, and their mask and match interleaved so a miss never touches the row object.
     * Built on first use: filling all 4096 up front scans the table 4096 times, about a second of
     * start-up in the JVM's interpreter, while a short run touches a few dozen buckets. Immutable, so
     * a racy first fill by two threads stores equal buckets and is safe (final fields).
     */
    private record Bucket(Pattern[] rows, int[] bits) {}

    private static final Bucket[] BUCKETS = new Bucket[4096];
    private static final Map<String, Pattern> BY_NAME = new HashMap<>();

    /** The table's rows as an array, and each row's mask and match on the key bits (a fill scans these). */
    private static final Pattern[] ROWS;
    private static final int[] KEY_MASK_MATCH;

    static {
        List<Pattern> rows = DecodeTable.rows();
        ROWS = rows.toArray(new Pattern[0]);
        KEY_MASK_MATCH = new int[2 * ROWS.length];
        for (int i = 0; i < ROWS.length; i++) {
            Pattern p = ROWS[i];
            if (BY_NAME.put(p.name(), p) != null) {
                throw new IllegalStateException("duplicate pattern name " + p.name());
            }
            KEY_MASK_MATCH[2 * i] = p.mask() & KEY_BITS;
            KEY_MASK_MATCH[2 * i + 1] = p.match() & KEY_BITS;
        }
    }

    private static Bucket bucket(int k) {
        Bucket b = BUCKETS[k];
        return b != null ? b : (BUCKETS[k] = fill(k));
    }

    private static Bucket fill(int k) {
        // The word with exactly these key bits; a row belongs to the bucket if it agrees on
        // the key bits it fixes. A plain int scan: a short run fills a hundred buckets while the
        // JVM still interprets this (about 8 ms as a loop over the row objects).
        int kw = ((k >>> 4) & 0xff) << 21 | (k & 0xf) << 10;
        int[] km = KEY_MASK_MATCH;
        int[] hits = new int[ROWS.length];
        int n = 0;
        for (int i = 0; i < km.length; i += 2) {
            if ((kw & km[i]) == km[i + 1]) {
                hits[n++] = i >> 1;
            }
        }
        Pattern[] rows = new Pattern[n];
        int[] bits = new int[2 * n];
        for (int j = 0; j < n; j++) {
            rows[j] = ROWS[hits[j]];
            bits[2 * j] = rows[j].mask();
            bits[2 * j + 1] = rows[j].match();
        }
        return new Bucket(rows, bits);
    }

    /** Decodes one word; never throws, never returns null. */
    public static Insn decode(int word) {
        Bucket b = bucket(key(word));
        int[] bits = b.bits();
        for (int i = 0; i < bits.length; i += 2) {
            if ((word & bits[i]) == bits[i + 1]) {
                Pattern p = b.rows()[i >> 1];
                Insn insn = p.format().decode(p, word);
                if (insn != null) {
                    return insn;
                }
            }
        }
        return undefined(word);
    }

    /** The one UNDEFINED fallback. */
    static Insn undefined(int word) {
        return new Insn(word, Op.UNDEFINED, "UNDEFINED", false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The table row that produced {@code insn}, or null for the UNDEFINED fallback. */
    static Pattern pattern(Insn insn) {
        return BY_NAME.get(insn.form());
    }

    /** All rows in table order (for tests, the sampler and the overlap check). */
    public static List<String> patternNames() {
        List<String> names = new ArrayList<>();
        for (Pattern p : DecodeTable.rows()) {
            names.add(p.name());
        }
        return Collections.unmodifiableList(names);
    }

    static List<Pattern> patterns() {
        return DecodeTable.rows();
    }

    static int bucketSize(int word) {
        return bucket(key(word)).rows().length;
    }

    // ---- bitmask immediates (DecodeBitMasks, immediate form)

    /** True when N:immr:imms is an allocated bitmask immediate for the register size. */
    static boolean bitMaskValid(int n, int imms, boolean sf) {
        int combined = (n << 6) | (~imms & 0x3f);
        if (combined == 0) {
            return false;
        }
        int len = 31 - Integer.numberOfLeadingZeros(combined);
        if (len < 1 || (!sf && len == 6)) {
            return false;
        }
        int levels = (1 << len) - 1;
        return (imms & levels) != levels;
    }

    /** The expanded bitmask immediate (zero-extended to 64 bits for the 32-bit form). */
    static long bitMask(int n, int immr, int imms, boolean sf) {
        int len = 31 - Integer.numberOfLeadingZeros((n << 6) | (~imms & 0x3f));
        int levels = (1 << len) - 1;
        int sv = imms & levels, r = immr & levels, esize = 1 << len;
        long emask = esize == 64 ? -1L : (1L << esize) - 1;
        long welem = sv + 1 == 64 ? -1L : (1L << (sv + 1)) - 1;
        long elem = r == 0 ? welem : ((welem >>> r) | (welem << (esize - r))) & emask;
        for (int i = esize; i < 64; i *= 2) {
            elem |= elem << i;
        }
        return sf ? elem : elem & 0xffffffffL;
    }
}
