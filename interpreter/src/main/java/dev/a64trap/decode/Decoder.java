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

    /**
     * Rows as an array, each row's mask and match on the key bits (a fill scans these), and the rows
     * by name: the integer rows at once, the SIMD&FP rows ({@link Simd}) when the first bucket whose
     * key has bits 27:26 = 11 (the only keys their rows admit) is filled.
     */
    private record Rows(Pattern[] rows, int[] keyMaskMatch, Map<String, Pattern> byName) {
        static Rows of(List<Pattern> list, Map<String, Pattern> others) {
            Pattern[] rows = list.toArray(new Pattern[0]);
            int[] kmm = new int[2 * rows.length];
            Map<String, Pattern> byName = new HashMap<>();
            for (int i = 0; i < rows.length; i++) {
                Pattern p = rows[i];
                if (byName.put(p.name(), p) != null || others.containsKey(p.name())) {
                    throw new IllegalStateException("duplicate pattern name " + p.name());
                }
                kmm[2 * i] = p.mask() & KEY_BITS;
                kmm[2 * i + 1] = p.match() & KEY_BITS;
            }
            return new Rows(rows, kmm, byName);
        }
    }

    private static final Rows INTEGER = Rows.of(DecodeTable.integerRows(), Map.of());

    /** Bits 27:26 of a word, in its bucket key. */
    private static final int SIMD_KEY_BITS = 3 << 9;

    private static final class Simd {
        static final Rows ROWS = Rows.of(FpSimdTable.rows(), INTEGER.byName());

        static {
            for (Pattern p : ROWS.rows()) { // what leaving them out of the other buckets relies on
                if ((p.mask() & p.match() & 3 << 26) != 3 << 26) {
                    throw new IllegalStateException(p.name() + " does not fix bits 27:26 to 11");
                }
            }
        }
    }

    private static Bucket bucket(int k) {
        Bucket b = BUCKETS[k];
        return b != null ? b : (BUCKETS[k] = fill(k));
    }

    private static Bucket fill(int k) {
        // The word with exactly these key bits; a row belongs to the bucket if it agrees on
        // the key bits it fixes. A plain int scan: a short run fills a hundred buckets while the
        // JVM still interprets this (about 8 ms as a loop over the row objects). Integer rows
        // first, then the SIMD&FP rows (table order), which only a key with bits 27:26 = 11 admits.
        int kw = ((k >>> 4) & 0xff) << 21 | (k & 0xf) << 10;
        Rows simd = (k & SIMD_KEY_BITS) == SIMD_KEY_BITS ? Simd.ROWS : null;
        Pattern[] hits = new Pattern[INTEGER.rows().length + (simd != null ? simd.rows().length : 0)];
        int n = scan(INTEGER, kw, hits, 0);
        if (simd != null) {
            n = scan(simd, kw, hits, n);
        }
        Pattern[] rows = java.util.Arrays.copyOf(hits, n);
        int[] bits = new int[2 * n];
        for (int j = 0; j < n; j++) {
            bits[2 * j] = rows[j].mask();
            bits[2 * j + 1] = rows[j].match();
        }
        return new Bucket(rows, bits);
    }

    /** Appends to {@code hits} from {@code n} on the rows of {@code from} that agree with key word {@code kw}; returns the new count. */
    private static int scan(Rows from, int kw, Pattern[] hits, int n) {
        int[] km = from.keyMaskMatch();
        Pattern[] rows = from.rows();
        for (int i = 0; i < km.length; i += 2) {
            if ((kw & km[i]) == km[i + 1]) {
                hits[n++] = rows[i >> 1];
            }
        }
        return n;
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
        Pattern p = INTEGER.byName().get(insn.form());
        return p != null ? p : Simd.ROWS.byName().get(insn.form());
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
