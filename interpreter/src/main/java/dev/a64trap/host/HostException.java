package dev.a64trap.host;

/** A user mistake in a host description or scheduling option; the message names the input and the problem. */
public final class HostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostException(String message) {
        super(message);
    }
}
