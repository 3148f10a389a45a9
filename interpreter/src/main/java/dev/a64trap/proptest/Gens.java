package dev.a64trap.proptest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Primitive generators with edge-case bias, and their shrink rules. */
public final class Gens {
    private Gens() {}

    /**
     * The simple values everything shrinks toward, simplest first: 0, 1, all-ones, the 32-bit
     * boundaries and just below 32- and 64-bit overflow.
     */
    public static final long[] EDGES = {0, 1, -1L, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL,
        0xFFFF_FFF0L, 0x1_0000_0000L, -2L, -16L, 0x7FFF_FFFF_FFFF_FFFFL, 0x8000_0000_0000_0000L, 0x1_FFFF_FFFFL};

    static int edgeRank(long v) {
        for (int i = 0; i < EDGES.length; i++) {
            if (EDGES[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** 64-bit values: a quarter edge cases, a quarter small, the rest uniform bits. */
    public static Gen<Long> longs() {
        return r -> {
            int k = r.nextInt(8);
            long v;
            if (k < 2) {
                v = EDGES[r.nextInt(EDGES.length)];
            } else if (k < 4) {
                v = r.nextInt(64);
            } else if (k < 5) {
                v = EDGES[r.nextInt(EDGES.length)] - r.nextInt(8); // near an edge
            } else {
                v = r.nextLong();
            }
            return shrinkLong(v);
        };
    }

    /** 32-bit values (as longs, upper half 0), same bias. */
    public static Gen<Long> u32() {
        return longs().map(v -> v & 0xFFFF_FFFFL);
    }

    public static Shrinkable<Long> shrinkLong(long v) {
        return new Shrinkable<>(v, () -> {
            Set<Long> c = new LinkedHashSet<>();
            int rank = edgeRank(v);
            int limit = rank < 0 ? EDGES.length : rank;
            for (int i = 0; i < limit; i++) {
                c.add(EDGES[i]);
            }
            if (rank < 0) { // non-edges shrink to strictly smaller magnitudes, so this terminates
                c.add(v / 2);
                c.add(v > 0 ? v - 1 : v + 1);
            }
            c.remove(v);
            List<Shrinkable<Long>> out = new ArrayList<>();
            for (long x : c) {
                out.add(shrinkLong(x));
            }
            return out;
        });
    }

    /** Ints in [lo, hi], biased to both ends; shrinks toward lo. */
    public static Gen<Integer> intRange(int lo, int hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("intRange: " + lo + " > " + hi);
        }
        return r -> {
            int k = r.nextInt(8);
            int v = k == 0 ? lo : k == 1 ? hi : lo + r.nextInt(hi - lo + 1);
            return shrinkInt(v, lo);
        };
    }

    public static Shrinkable<Integer> shrinkInt(int v, int lo) {
        return new Shrinkable<>(v, () -> {
            Set<Integer> c = new LinkedHashSet<>();
            if (v > lo) {
                c.add(lo);
                c.add(lo + (v - lo) / 2);
                c.add(v - 1);
            }
            c.remove(v);
            return c.stream().map(x -> shrinkInt(x, lo)).toList();
        });
    }

    /**
     * Counter indices biased to the interesting boundaries: 0, N-1, N, N+1, 30 and 31; shrinks
     * toward 0.
     */
    public static Gen<Integer> counterIndex(int n) {
        int[] edges = {0, Math.max(0, n - 1), Math.min(31, n), Math.min(31, n + 1), 30, 31};
        return r -> {
            int v = r.nextInt(3) < 2 ? edges[r.nextInt(edges.length)] : r.nextInt(32);
            return shrinkInt(v, 0);
        };
    }

    static <T> Shrinkable<List<T>> shrinkList(List<Shrinkable<T>> items, int min) {
        List<T> values = items.stream().map(Shrinkable::value).toList();
        return new Shrinkable<>(values, () -> {
            List<Shrinkable<List<T>>> out = new ArrayList<>();
            if (items.size() > min) {
                for (int i = 0; i < items.size(); i++) {
                    List<Shrinkable<T>> l = new ArrayList<>(items);
                    l.remove(i);
                    out.add(shrinkList(l, min));
                }
            }
            for (int i = 0; i < items.size(); i++) {
                for (Shrinkable<T> s : items.get(i).shrinks()) {
                    List<Shrinkable<T>> l = new ArrayList<>(items);
                    l.set(i, s);
                    out.add(shrinkList(l, min));
                }
            }
            return out;
        });
    }
}
