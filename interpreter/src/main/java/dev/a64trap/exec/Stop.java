package dev.a64trap.exec;

/**
 * Why a run ended. {@code pc} is where the guest was; for {@link Kind#EXCEPTION} {@code esr},
 * {@code far} and {@code word} describe the exception the guest had no vector for.
 */
public record Stop(Kind kind, int status, long pc, long esr, long far, int word) {
    public enum Kind {
        /** The guest exited (semihosting or PSCI) with {@code status}. */
        EXIT,
        /** The instruction budget ran out. */
        BUDGET,
        /** A synchronous exception with VBAR_EL1 still 0 (no vector table installed). */
        EXCEPTION,
        /** Interrupted from outside (Ctrl-C). */
        INTERRUPTED,
        /** About to execute an instruction at a breakpoint (debugger). */
        BREAKPOINT,
        /** A {@link DebugHook} asked to stop after an instruction (watchpoint, catch); the hook knows why. */
        DEBUG
    }

    public static Stop exit(int status, long pc) {
        return new Stop(Kind.EXIT, status, pc, 0, 0, 0);
    }

    public static Stop budget(long pc) {
        return new Stop(Kind.BUDGET, 0, pc, 0, 0, 0);
    }

    public static Stop interrupted(long pc) {
        return new Stop(Kind.INTERRUPTED, 0, pc, 0, 0, 0);
    }

    public static Stop debug(long pc) {
        return new Stop(Kind.DEBUG, 0, pc, 0, 0, 0);
    }

    public static Stop breakpoint(long pc) {
        return new Stop(Kind.BREAKPOINT, 0, pc, 0, 0, 0);
    }

    public static Stop exception(long pc, long esr, long far, int word) {
        return new Stop(Kind.EXCEPTION, 0, pc, esr, far, word);
    }
}
