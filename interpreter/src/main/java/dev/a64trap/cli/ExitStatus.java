package dev.a64trap.cli;

/** Exit statuses of the a64trap command; a guest's own exit status passes through unchanged otherwise. */
public final class ExitStatus {
    private ExitStatus() {}

    public static final int OK = 0;
    /** The guest failed (a self-check reported failure, or a demo outcome was wrong). */
    public static final int GUEST_FAILURE = 1;
    /** Bad command line or bad input file (missing, truncated, not an AArch64 ELF, ...). */
    public static final int USAGE = 2;
    /**
     * KVM_RUN returned KVM_EXIT_FAIL_ENTRY / CPU_UNSUPPORTED: the scheduler placed the vCPU on a pCPU
     * outside the VM's supported CPUs (SET_PMU without pinning); the guest executes nothing more.
     */
    public static final int FAIL_ENTRY = 123;
    /** The --max-insns budget ran out before the guest exited. */
    public static final int BUDGET_EXHAUSTED = 124;
    /** The guest took an exception with no vector installed (VBAR_EL1 unset). */
    public static final int GUEST_EXCEPTION = 125;
    /**
     * The guest console could not be written (stdout closed, the reader of a pipe gone as with
     * {@code | head}, a full disk): the run stopped there, as a tool killed by SIGPIPE (128 + 13).
     * Silent for a broken pipe, one line on stderr otherwise.
     */
    public static final int CONSOLE_FAILED = 141;
    /** Stopped by Ctrl-C (SIGINT), as shells report it. */
    public static final int INTERRUPTED = 130;
}
