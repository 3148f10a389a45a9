package dev.a64trap.pmu;

/** A KVM ioctl failure: the call returned -1 with {@link #errno()}. */
public final class KvmException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public KvmException(Errno errno, String what) {
        super(errno + ": " + what, null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
