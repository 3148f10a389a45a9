package dev.a64trap.mem;

/**
 * A memory-mapped device on the {@link GuestMemory} bus. Offsets are relative to the start of
 * the range the device was registered at. Accesses are 1, 2, 4 or 8 bytes and never cross the
 * end of the device's range. A device that does not decode an offset should behave as its
 * hardware (or QEMU's model of it) does, usually read-as-zero/write-ignored; it may throw
 * {@link BusFault} to make the CPU take an external abort.
 */
public interface MmioDevice {
    long read(long offset, int size);

    void write(long offset, int size, long value);

    /** A short name for listings and error messages. */
    default String name() {
        return getClass().getSimpleName();
    }
}
