package dev.a64trap.gdb;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Owns the target's execution state: runs {@code step}/{@code resume} on the target executor
 * (never on a network thread) and tells whoever is listening when it stops. Outlives sessions:
 * a detached guest keeps running here, and the next debugger to connect interrupts it.
 */
final class TargetRunner {
    enum State { STOPPED, RUNNING, EXITED, KILLED }

    private final DebugTarget target;
    private final Executor executor;
    private final CompletableFuture<StopEvent> ended = new CompletableFuture<>();
    private State state = State.STOPPED;
    private StopEvent lastStop;
    private Consumer<StopEvent> listener;
    private volatile Consumer<StopEvent> unattended = ev -> { };

    TargetRunner(DebugTarget target, Executor executor) {
        this.target = target;
        this.executor = executor;
    }

    DebugTarget target() {
        return target;
    }

    synchronized State state() {
        return state;
    }

    /** The last stop, or null if the target has not run yet. */
    synchronized StopEvent lastStop() {
        return lastStop;
    }

    /** Completes with the final stop (EXITED or KILLED). */
    CompletableFuture<StopEvent> ended() {
        return ended;
    }

    /**
     * Starts {@code action} on the target executor if the target is stopped; {@code onStop}
     * (may be null) is called on the target thread when it stops. False if not stopped.
     */
    boolean start(Function<DebugTarget, StopEvent> action, Consumer<StopEvent> onStop) {
        return start(action, onStop, executor);
    }

    /**
     * Like {@link #start} but runs {@code action} on the calling thread: for a single step, which
     * is short, this saves two thread hand-offs per stepi (most of a step's latency). The target's
     * own watchdog ({@link DebugTarget#step}) bounds a step that does not finish.
     */
    boolean startHere(Function<DebugTarget, StopEvent> action, Consumer<StopEvent> onStop) {
        return start(action, onStop, Runnable::run);
    }

    private boolean start(Function<DebugTarget, StopEvent> action, Consumer<StopEvent> onStop, Executor where) {
        synchronized (this) {
            if (state != State.STOPPED) return false;
            state = State.RUNNING;
            listener = onStop;
        }
        where.execute(() -> {
            StopEvent ev;
            try {
                ev = action.apply(target);
                if (ev == null) ev = StopEvent.signal(0, StopEvent.SIGABRT, "target returned no stop reason");
            } catch (RuntimeException | Error e) {
                ev = StopEvent.signal(0, StopEvent.SIGABRT, "target failed: " + e);
            }
            finish(ev);
        });
        return true;
    }

    private void finish(StopEvent ev) {
        Consumer<StopEvent> l;
        synchronized (this) {
            if (state == State.KILLED) return;
            lastStop = ev;
            state = ev.isFinal() ? State.EXITED : State.STOPPED;
            l = listener;
            listener = null;
        }
        // Tell the debugger first: whoever waits on ended() closes the server, and the W packet
        // must be written before that.
        try {
            if (l != null) {
                l.accept(ev);
            } else if (!ev.isFinal()) {
                unattended.accept(ev);
            }
        } finally {
            if (ev.isFinal()) ended.complete(ev);
        }
    }

    /** Called (on the target thread) for stops no debugger is waiting for. */
    void onUnattendedStop(Consumer<StopEvent> callback) {
        unattended = callback == null ? ev -> { } : callback;
    }

    /** Interrupts the target if it is running (a no-op otherwise, so no stale request is left). */
    void interrupt() {
        synchronized (this) {
            if (state != State.RUNNING) return;
        }
        target.interrupt();
    }

    /**
     * For a newly connected debugger: calls {@code whenStopped} with the current stop once the
     * target is not running, interrupting it if it is. Called on the target thread if it had to wait.
     */
    void attach(Consumer<StopEvent> whenStopped) {
        StopEvent now;
        synchronized (this) {
            if (state == State.RUNNING) {
                listener = whenStopped;
                target.interrupt();
                return;
            }
            now = lastStop;
        }
        whenStopped.accept(now);
    }

    /** The debugger went away: forget its listener and leave the target stopped. */
    void disconnect() {
        synchronized (this) {
            listener = null;
        }
        interrupt();
    }

    /** Detach: keep running with nobody listening. */
    void detach() {
        start(DebugTarget::resume, null);
    }

    /** Kill: the guest is over. */
    void kill() {
        boolean wasRunning;
        synchronized (this) {
            if (state == State.KILLED || state == State.EXITED) return;
            wasRunning = state == State.RUNNING;
            state = State.KILLED;
            listener = null;
            lastStop = StopEvent.killed();
        }
        if (wasRunning) target.interrupt();
        ended.complete(StopEvent.killed());
    }
}
