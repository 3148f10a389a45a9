package dev.a64trap.decode;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws words from the decoder's own patterns: a row chosen uniformly, its fixed bits kept and
 * every other bit random. Used by differential conformance against objdump and by tests.
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
            out[i] = (rnd.nextInt() & ~p.mask()) | p.match();
        }
        return out;
    }
}
