package dev.a64trap.proptest;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One kind of step of a stateful chain: a name, a weight, a precondition on the model, a generator
 * for its parameters (which may depend on the model) and what it does to model and implementation.
 *
 * @param <M> reference model
 * @param <I> implementation under test
 * @param <P> parameters
 */
public record Action<M, I, P>(String name, int weight, Predicate<M> precondition, Function<M, Gen<P>> params,
        Function<P, String> describe, Effect<M, I, P> effect) {

    /** Applies the step; throws {@link PropertyFailure} when a postcondition (a returned value) is wrong. */
    @FunctionalInterface
    public interface Effect<M, I, P> {
        void apply(M model, I impl, P params);
    }

    public Action {
        if (weight <= 0) {
            throw new IllegalArgumentException("action " + name + ": weight must be > 0");
        }
    }

    public static <M, I, P> Action<M, I, P> of(String name, int weight, Function<M, Gen<P>> params,
            Effect<M, I, P> effect) {
        return new Action<>(name, weight, m -> true, params, String::valueOf, effect);
    }

    public Action<M, I, P> when(Predicate<M> pre) {
        return new Action<>(name, weight, pre, params, describe, effect);
    }

    public Action<M, I, P> describedBy(Function<P, String> d) {
        return new Action<>(name, weight, precondition, params, d, effect);
    }

    /** A step of this action with fixed parameters; the description is computed now, once. */
    Step<M, I> step(Shrinkable<P> p) {
        return new Step<>(this, p, name + "(" + describe.apply(p.value()) + ")");
    }
}
