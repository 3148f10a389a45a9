package dev.a64trap.proptest;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stateful property: fresh model and implementation per chain, weighted actions, invariants after
 * every step, and views of both sides for the failure diff (same keys on both sides).
 */
public record StateMachine<M, I>(String name, Supplier<M> newModel, Function<M, I> newImpl,
        List<Action<M, I, ?>> actions, List<Invariant<M, I>> invariants, Function<M, Map<String, String>> modelView,
        Function<I, Map<String, String>> implView, int maxSteps) {

    public StateMachine {
        actions = List.copyOf(actions);
        invariants = List.copyOf(invariants);
        if (actions.isEmpty() || maxSteps < 1) {
            throw new IllegalArgumentException(name + ": needs actions and maxSteps >= 1");
        }
    }
}
