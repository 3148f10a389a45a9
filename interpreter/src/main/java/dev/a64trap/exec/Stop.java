package dev.a64trap.exec;

import dev.a64trap.cpu.Syndrome;
import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import java.util.Locale;

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

    /**
     * What a run that ended at an {@link Kind#EXCEPTION}, {@link Kind#EXCEPTION_LOOP} or {@link
     * Kind#WFI_NO_WAKEUP} tells the user: the stop, the instruction, and the syndrome, the lines
     * joined by {@code sep}.
     */
    public String stuckReport(String sep) {
        String where = String.format(Locale.ROOT, "pc   0x%016x  %08x  %s", pc(), word(),
                Disassembler.format(Decoder.decode(word()), pc()));
        String syndrome = String.format(Locale.ROOT, "ESR  0x%08x (EC 0x%02x: %s)%sFAR  0x%016x",
                esr(), Syndrome.ec(esr()), ecName(Syndrome.ec(esr())), sep, far());
        return switch (kind()) {
            case EXCEPTION -> "a64trap: guest exception with no vector installed (VBAR_EL1 = 0)" + sep + where + sep
                    + syndrome + "\n";
            case EXCEPTION_LOOP -> "a64trap: guest stuck in an exception loop: its vector faults again before any "
                    + "instruction retires (is VBAR_EL1 pointing at a mapped vector table?)" + sep + where + sep
                    + syndrome + "\n";
            case WFI_NO_WAKEUP -> String.format(Locale.ROOT,
                    "a64trap: WFI with no wake-up source (no interrupt can reach the guest), stopped at pc=0x%x%n",
                    pc());
            default -> throw new IllegalArgumentException(kind().name());
        };
    }

    private static String ecName(int ec) {
        return switch (ec) {
            case Syndrome.EC_UNKNOWN -> "UNDEFINED instruction";
            case Syndrome.EC_ILLEGAL_STATE -> "illegal execution state";
            case Syndrome.EC_SVC -> "SVC";
            case Syndrome.EC_HVC -> "HVC";
            case Syndrome.EC_SMC -> "SMC";
            case Syndrome.EC_SYSREG -> "trapped MSR/MRS";
            case Syndrome.EC_IABORT_LOWER, Syndrome.EC_IABORT_SAME -> "instruction abort";
            case Syndrome.EC_PC_ALIGN -> "PC alignment fault";
            case Syndrome.EC_DABORT_LOWER, Syndrome.EC_DABORT_SAME -> "data abort";
            case Syndrome.EC_SP_ALIGN -> "SP alignment fault";
            case Syndrome.EC_BRK -> "BRK";
            default -> "exception";
        };
    }
}
