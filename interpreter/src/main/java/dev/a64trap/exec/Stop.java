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
        /**
         * A WFI that nothing can end ({@link Platform#canWakeFromWfi}): {@code pc} is the WFI. The
         * guest would wait forever, so the run ends instead of spinning a host core.
         */
        WFI_NO_WAKEUP,
        /**
         * Exceptions re-entered with no instruction retiring in between (a vector that cannot be
         * fetched or whose first instruction faults): a fixed point the guest can never leave.
         * {@code pc}, {@code esr}, {@code far} and {@code word} describe the last entry's cause.
         */
        EXCEPTION_LOOP,
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

    public static Stop wfiNoWakeup(long pc) {
        return new Stop(Kind.WFI_NO_WAKEUP, 0, pc, 0, 0, 0);
    }

    public static Stop exceptionLoop(long pc, long esr, long far, int word) {
        return new Stop(Kind.EXCEPTION_LOOP, 0, pc, esr, far, word);
    }

    public static Stop exception(long pc, long esr, long far, int word) {
        return new Stop(Kind.EXCEPTION, 0, pc, esr, far, word);
    }
}
