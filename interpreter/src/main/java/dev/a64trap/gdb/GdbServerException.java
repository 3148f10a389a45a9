package dev.a64trap.gdb;

/** The server cannot start (e.g. the port is taken); the message names the address. */
public final class GdbServerException extends RuntimeException {
    public GdbServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
