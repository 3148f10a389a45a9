package dev.a64trap.proptest;

import java.util.List;

/** A generated step: an action and its parameters, with its description fixed at generation. */
public final class Step<M, I> {
    private final Action<M, I, Object> action;
    private final Shrinkable<Object> params;
    private final String description;

    @SuppressWarnings("unchecked")
    <P> Step(Action<M, I, P> action, Shrinkable<P> params, String description) {
        this.action = (Action<M, I, Object>) (Action<M, I, ?>) action;
        this.params = (Shrinkable<Object>) (Shrinkable<?>) params;
        this.description = description;
    }

    public String action() {
        return action.name();
    }

    public String description() {
        return description;
    }

    public Object params() {
        return params.value();
    }

    boolean enabled(M model) {
        return action.precondition().test(model);
    }

    void apply(M model, I impl) {
        action.effect().apply(model, impl, params.value());
    }

    List<Step<M, I>> shrinks() {
        return params.shrinks().stream().map(action::step).toList();
    }

    @Override
    public String toString() {
        return description;
    }
}
