package dev.a64trap.devices;

/**
 * Thrown by a board service (semihosting SYS_EXIT/SYS_EXIT_EXTENDED, PSCI SYSTEM_OFF/SYSTEM_RESET)
 * when the guest ends the run. The interpreter loop lets it propagate out of the instruction
 * that made the call (PC still points at that HLT/HVC/SMC), flushes output and exits with
 * {@link #status()}. It is control flow, so it carries no stack trace.
 */
public final class GuestExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final long code;

    /**
     * @param code   the full value the guest asked for (e.g. a 32-bit semihosting subcode)
     * @param reason what ended the run, for --trace/--stats lines (e.g. "semihosting SYS_EXIT_EXTENDED")
     */
    public GuestExit(long code, String reason) {
        super(reason, null, false, false);
        this.code = code;
        this.status = (int) (code & 0xff);
    }

    /** The process exit status, 0..255 (the low 8 bits of {@link #code()}, as a host exit() keeps). */
    public int status() {
        return status;
    }

    public long code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }
}
