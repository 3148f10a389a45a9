package dev.a64trap.elf;

/**
 * The one exception the ELF reader throws for bad input: the message names the file and the
 * problem, ready to print to a user as is.
 */
public final class ElfException extends Exception {
    private static final long serialVersionUID = 1L;

    public ElfException(String message) {
        super(message);
    }
}
