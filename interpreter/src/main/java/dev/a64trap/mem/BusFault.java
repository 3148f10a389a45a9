package dev.a64trap.mem;

/** An access to an unmapped (or read-only, for writes) physical address. */
public final class BusFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;
    private final boolean write;

    public BusFault(long address, boolean write) {
        super(String.format("bus fault: %s at 0x%x", write ? "write" : "read", address), null, false, false);
        this.address = address;
        this.write = write;
    }

    public long address() {
        return address;
    }

    public boolean isWrite() {
        return write;
    }
}
