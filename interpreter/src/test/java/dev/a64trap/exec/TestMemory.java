package dev.a64trap.exec;

import dev.a64trap.mem.BusFault;
import dev.a64trap.mem.PhysicalMemory;

/** A flat little-endian RAM at {@link #BASE} for tests; everything else is unmapped. */
final class TestMemory implements PhysicalMemory {
    static final long BASE = 0x4000_0000L;
    final byte[] ram;

    TestMemory(int bytes) {
        ram = new byte[bytes];
    }

    private int index(long address, int size, boolean write) {
        long off = address - BASE;
        if (off < 0 || off + size > ram.length) {
            throw new BusFault(address, write);
        }
        return (int) off;
    }

    @Override
    public long read(long address, int size) {
        int i = index(address, size, false);
        long v = 0;
        for (int k = size - 1; k >= 0; k--) {
            v = v << 8 | (ram[i + k] & 0xFF);
        }
        return v;
    }

    @Override
    public void write(long address, int size, long value) {
        int i = index(address, size, true);
        for (int k = 0; k < size; k++) {
            ram[i + k] = (byte) (value >>> (8 * k));
        }
    }

    @Override
    public int fetch(long address) {
        return (int) read(address, 4);
    }
}
