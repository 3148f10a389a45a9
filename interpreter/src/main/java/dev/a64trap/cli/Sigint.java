package dev.a64trap.cli;

/**
 * Ctrl-C for a command that stops cleanly (exit status 130 with its output flushed) instead of
 * being killed mid-write: {@link #install} routes SIGINT to an action, {@link #restore} puts back the
 * previous handler. Where the JVM offers no signal API both are no-ops.
 */
final class Sigint {
    private Sigint() {}

    /** Returns the previous handler (pass it to {@link #restore}), or null if none could be installed. */
    static Object install(Runnable onInterrupt) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> onInterrupt.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null;
        }
    }

    static void restore(Object previous) {
        if (previous instanceof sun.misc.SignalHandler h) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
            } catch (IllegalArgumentException e) {
                // leave ours in place
            }
        }
    }
}
