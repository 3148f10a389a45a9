package dev.a64trap.proptest;

/** Thrown by an action whose result disagrees with the model (a postcondition), or by an invariant. */
public final class PropertyFailure extends RuntimeException {
    private final String check;

    public PropertyFailure(String check, String message) {
        super(message, null, false, false);
        this.check = check;
    }

    /** Name of the broken check (postcondition or invariant); shrinking keeps it the same. */
    public String check() {
        return check;
    }
}
