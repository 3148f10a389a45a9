package dev.a64trap.fp;

/**
 * Lane access on the V register file: {@code v[2n]} is bits [63:0] of Vn, {@code v[2n+1]} bits
 * [127:64]. Element sizes are log2 bytes (0 = B .. 3 = D).
 */
public final class Lanes {
    private Lanes() {}

    /** Element {@code index} of Vreg, zero-extended. */
    public static long get(long[] v, int reg, int index, int size) {
        int bits = 8 << size, pos = index << (size + 3);
        long word = v[2 * reg + (pos >>> 6)];
        return size == 3 ? word : word >>> (pos & 63) & ((1L << bits) - 1);
    }

    /** Sets element {@code index} of Vreg, leaving the other lanes alone. */
    public static void set(long[] v, int reg, int index, int size, long value) {
        int pos = index << (size + 3);
        int k = 2 * reg + (pos >>> 6);
        if (size == 3) {
            v[k] = value;
            return;
        }
        long mask = ((1L << (8 << size)) - 1) << (pos & 63);
        v[k] = v[k] & ~mask | value << (pos & 63) & mask;
    }

    /** Vd = the low {@code 8 << size} bits of {@code value}, every other bit zero (scalar writes). */
    public static void setScalar(long[] v, int reg, int size, long value) {
        v[2 * reg] = size == 3 ? value : value & ((1L << (8 << size)) - 1);
        v[2 * reg + 1] = 0;
    }

    /** {@code value}'s low {@code 8 << size} bits repeated across 64 bits. */
    public static long replicate(long value, int size) {
        switch (size) {
            case 0:
                value &= 0xff;
                value |= value << 8;
                // fall through
            case 1:
                value &= 0xffff;
                value |= value << 16;
                // fall through
            case 2:
                value &= 0xffffffffL;
                value |= value << 32;
                // fall through
            default:
                return value;
        }
    }

    /** Sign-extends the low {@code 8 << size} bits. */
    public static long signExtend(long value, int size) {
        int sh = 64 - (8 << size);
        return value << sh >> sh;
    }
}
