package dev.a64trap.proptest;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A generated value with its simpler alternatives. Candidates are produced lazily and each
 * candidate's own candidates are strictly simpler, so shrinking always terminates.
 */
public final class Shrinkable<T> {
    private final T value;
    private final Supplier<List<Shrinkable<T>>> shrinks;

    public Shrinkable(T value, Supplier<List<Shrinkable<T>>> shrinks) {
        this.value = value;
        this.shrinks = shrinks;
    }

    public static <T> Shrinkable<T> of(T value) {
        return new Shrinkable<>(value, List::of);
    }

    public T value() {
        return value;
    }

    /** Simpler candidates, simplest first. */
    public List<Shrinkable<T>> shrinks() {
        return shrinks.get();
    }

    public <R> Shrinkable<R> map(Function<? super T, ? extends R> f) {
        return new Shrinkable<>(f.apply(value), () -> shrinks().stream().<Shrinkable<R>>map(s -> s.map(f)).toList());
    }

    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
