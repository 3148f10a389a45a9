package dev.a64trap.proptest;

/** A named check of model and implementation, run after every step. */
public record Invariant<M, I>(String name, Check<M, I> check) {
    /** Returns null when the invariant holds, else what is wrong. */
    @FunctionalInterface
    public interface Check<M, I> {
        String violation(M model, I impl);
    }
}
