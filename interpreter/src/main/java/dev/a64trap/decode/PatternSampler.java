package dev.a64trap.decode;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws words from the decoder's own patterns: a row chosen uniformly, its fixed bits kept and
 * every other bit random, with a bias towards edge values (runs of zeros and ones). Used by differential conformance against objdump and by tests.
 */
public final class PatternSampler {
    private PatternSampler() {}

    /** {@code n} words, deterministic for a given seed. */
    public static int[] sample(int n, long seed) {
        List<Pattern> rows = Decoder.patterns();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            Pattern p = rows.get(rnd.nextInt(rows.size()));
            int free = rnd.nextInt();
            // Edge values: force up to three random bit runs to all-zeros or all-ones, so fields
            // often hold 0, 31, maximal immediates and the like.
            for (int k = rnd.nextInt(4); k > 0; k--) {
                int len = 1 + rnd.nextInt(12), lo = rnd.nextInt(33 - len);
                int run = (int) (((1L << len) - 1) << lo);
                free = rnd.nextBoolean() ? free | run : free & ~run;
            }
            out[i] = (free & ~p.mask()) | p.match();
        }
        return out;
    }
}
