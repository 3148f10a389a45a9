package dev.a64trap.mem;

/**
 * The command interface of a flash bank (CFI): {@link GuestMemory} keeps the bytes and serves
 * reads itself while the bank {@link #readsArray reads array data}; every guest write to the bank,
 * and reads while it is in a command mode (status, id, query), go here.
 */
public interface FlashCommands {
    boolean readsArray();

    /** A guest read of 1, 2, 4 or 8 bytes at bus address {@code address} in command mode. */
    long read(long address, int size);

    /** A guest write: a command, or data for a program command. */
    void write(long address, int size, long value);
}
