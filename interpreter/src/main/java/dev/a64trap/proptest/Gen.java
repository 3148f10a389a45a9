package dev.a64trap.proptest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/** A seeded generator of shrinkable values. Same random state in, same value out. */
@FunctionalInterface
public interface Gen<T> {
    Shrinkable<T> generate(SplittableRandom r);

    default T sample(SplittableRandom r) {
        return generate(r).value();
    }

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return r -> generate(r).map(f);
    }

    /** Keeps values satisfying {@code p} (also among shrink candidates); gives up after 100 misses. */
    default Gen<T> filter(Predicate<? super T> p) {
        return r -> {
            for (int i = 0; i < 100; i++) {
                Shrinkable<T> s = generate(r);
                if (p.test(s.value())) {
                    return filtered(s, p);
                }
            }
            throw new IllegalStateException("Gen.filter: 100 values in a row rejected");
        };
    }

    private static <T> Shrinkable<T> filtered(Shrinkable<T> s, Predicate<? super T> p) {
        return new Shrinkable<>(s.value(), () -> s.shrinks().stream().filter(c -> p.test(c.value()))
                .map(c -> filtered(c, p)).toList());
    }

    static <T> Gen<T> constant(T v) {
        return r -> Shrinkable.of(v);
    }

    /** One of the generators, uniformly; shrinks toward the first generator's values. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Weighted<T>> l = new ArrayList<>();
        for (Gen<? extends T> g : gens) {
            l.add(new Weighted<>(1, g));
        }
        return frequency(l);
    }

    record Weighted<T>(int weight, Gen<? extends T> gen) {}

    static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** Picks a generator with probability proportional to its weight. */
    static <T> Gen<T> frequency(List<Weighted<T>> choices) {
        int total = choices.stream().mapToInt(Weighted::weight).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("frequency: weights must sum to > 0");
        }
        return r -> {
            int x = r.nextInt(total);
            for (Weighted<T> w : choices) {
                if (x < w.weight()) {
                    @SuppressWarnings("unchecked")
                    Shrinkable<T> s = (Shrinkable<T>) w.gen().generate(r);
                    return s;
                }
                x -= w.weight();
            }
            throw new AssertionError();
        };
    }

    /** Picks one of the values; shrinks toward earlier ones. */
    @SafeVarargs
    static <T> Gen<T> elements(T... values) {
        return Gens.intRange(0, values.length - 1).map(i -> values[i]);
    }

    /** Lists of {@code min..max} elements; shrinks by dropping elements, then shrinking them. */
    static <T> Gen<List<T>> listOf(Gen<T> g, int min, int max) {
        return r -> {
            int n = min + r.nextInt(max - min + 1);
            List<Shrinkable<T>> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(g.generate(r));
            }
            return Gens.shrinkList(items, min);
        };
    }
}
