package dev.a64trap.mem;

/**
 * The guest physical address space as the CPU sees it: RAM, flash and MMIO devices.
 * Accesses are little-endian. Alignment rules are the CPU's business (it checks before
 * calling); this interface only maps addresses.
 */
public interface PhysicalMemory {
    /**
     * Reads {@code size} bytes (1, 2, 4 or 8), zero-extended.
     *
     * @throws BusFault if nothing is mapped there (the CPU turns it into a synchronous external abort)
     */
    long read(long address, int size);

    /**
     * Writes the low {@code size} bytes (1, 2, 4 or 8) of {@code value}.
     *
     * @throws BusFault if nothing writable is mapped there
     */
    void write(long address, int size, long value);

    /** Fetches one instruction word. @throws BusFault if nothing executable is mapped there */
    int fetch(long address);
}
