package dev.a64trap.fp;

/**
 * The crypto extension's AES and SHA instructions (Arm ARM AESE..SHA256SU1), on the V register
 * file. The AES S-boxes are computed once from their definition (GF(2^8) inverse plus the affine
 * map), not copied in as tables.
 */
public final class Crypto {
    private Crypto() {}

    private static final int[] SBOX = new int[256], INV_SBOX = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int inv = b == 0 ? 0 : gfInverse(b);
            int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
            SBOX[b] = s;
            INV_SBOX[s] = b;
        }
    }

    private static int rotl8(int x, int n) {
        return (x << n | x >>> (8 - n)) & 0xff;
    }

    /** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
    static int gfMul(int a, int b) {
        int r = 0;
        for (int i = 0; i < 8; i++) {
            if ((b >> i & 1) != 0) {
                r ^= a;
            }
            a = (a << 1) ^ ((a & 0x80) != 0 ? 0x11b : 0);
        }
        return r & 0xff;
    }

    private static int gfInverse(int a) {
        int r = 1; // a^254
        for (int i = 0; i < 254; i++) {
            r = gfMul(r, a);
        }
        return r;
    }

    private static int[] bytes(long[] v, int reg) {
        int[] b = new int[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (int) (v[2 * reg + (i >> 3)] >>> (8 * (i & 7))) & 0xff;
        }
        return b;
    }

    private static void setBytes(long[] v, int reg, int[] b) {
        long lo = 0, hi = 0;
        for (int i = 7; i >= 0; i--) {
            lo = lo << 8 | b[i];
            hi = hi << 8 | b[i + 8];
        }
        v[2 * reg] = lo;
        v[2 * reg + 1] = hi;
    }

    /** AESE (decrypt = false) or AESD: AddRoundKey, then (Inv)ShiftRows and (Inv)SubBytes. */
    public static void aes(long[] v, int d, int n, boolean decrypt) {
        int[] s = bytes(v, d), k = bytes(v, n), out = new int[16];
        for (int i = 0; i < 16; i++) {
            s[i] ^= k[i];
        }
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 4; r++) {
                if (decrypt) {
                    out[r + 4 * ((c + r) & 3)] = INV_SBOX[s[r + 4 * c]];
                } else {
                    out[r + 4 * c] = SBOX[s[r + 4 * ((c + r) & 3)]];
                }
            }
        }
        setBytes(v, d, out);
    }

    private static final int[] MIX = {2, 3, 1, 1}, INV_MIX = {14, 11, 13, 9};

    /** AESMC (inverse = false) or AESIMC: (Inv)MixColumns of Vn into Vd. */
    public static void mixColumns(long[] v, int d, int n, boolean inverse) {
        int[] s = bytes(v, n), out = new int[16], m = inverse ? INV_MIX : MIX;
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 4; r++) {
                int x = 0;
                for (int k = 0; k < 4; k++) {
                    x ^= gfMul(m[(k - r) & 3], s[k + 4 * c]);
                }
                out[r + 4 * c] = x;
            }
        }
        setBytes(v, d, out);
    }

    // ---- SHA

    private static int[] words(long[] v, int reg) {
        long lo = v[2 * reg], hi = v[2 * reg + 1];
        return new int[] {(int) lo, (int) (lo >>> 32), (int) hi, (int) (hi >>> 32)};
    }

    private static void setWords(long[] v, int reg, int[] w) {
        v[2 * reg] = (w[0] & 0xffffffffL) | (long) w[1] << 32;
        v[2 * reg + 1] = (w[2] & 0xffffffffL) | (long) w[3] << 32;
    }

    private static int choose(int x, int y, int z) {
        return ((y ^ z) & x) ^ z;
    }

    private static int majority(int x, int y, int z) {
        return (x & y) | ((x | y) & z);
    }

    /** SHA1C (kind 0, choose), SHA1P (1, parity), SHA1M (2, majority): four rounds on Qd, Sn, Vm. */
    public static void sha1Hash(long[] v, int d, int n, int m, int kind) {
        int[] x = words(v, d), w = words(v, m);
        int y = (int) v[2 * n];
        for (int e = 0; e < 4; e++) {
            int t = kind == 0 ? choose(x[1], x[2], x[3]) : kind == 1 ? x[1] ^ x[2] ^ x[3] : majority(x[1], x[2], x[3]);
            y = y + Integer.rotateLeft(x[0], 5) + t + w[e];
            x[1] = Integer.rotateLeft(x[1], 30);
            int top = x[3]; // <Y, X> = ROL(Y:X, 32)
            x[3] = x[2];
            x[2] = x[1];
            x[1] = x[0];
            x[0] = y;
            y = top;
        }
        setWords(v, d, x);
    }

    public static void sha1h(long[] v, int d, int n) {
        v[2 * d] = Integer.rotateLeft((int) v[2 * n], 30) & 0xffffffffL;
        v[2 * d + 1] = 0;
    }

    public static void sha1su0(long[] v, int d, int n, int m) {
        long d0 = v[2 * d], d1 = v[2 * d + 1], n0 = v[2 * n], m0 = v[2 * m], m1 = v[2 * m + 1];
        // result = Vn<63:0> : Vd<127:64>, then XOR Vd XOR Vm (all read first: the registers may alias)
        v[2 * d] = d1 ^ d0 ^ m0;
        v[2 * d + 1] = n0 ^ d1 ^ m1;
    }

    public static void sha1su1(long[] v, int d, int n) {
        int[] x = words(v, d), y = words(v, n);
        int t0 = x[0] ^ y[1], t1 = x[1] ^ y[2], t2 = x[2] ^ y[3], t3 = x[3];
        int w0 = Integer.rotateLeft(t0, 1);
        setWords(v, d, new int[] {w0, Integer.rotateLeft(t1, 1), Integer.rotateLeft(t2, 1),
            Integer.rotateLeft(t3, 1) ^ Integer.rotateLeft(t0, 2)});
    }

    /** SHA256H (part1) writes the new X to Vd; SHA256H2 the new Y (operands Vn, Vd swapped). */
    public static void sha256Hash(long[] v, int d, int n, int m, boolean part1) {
        int[] x = part1 ? words(v, d) : words(v, n), y = part1 ? words(v, n) : words(v, d), w = words(v, m);
        for (int e = 0; e < 4; e++) {
            int chs = choose(y[0], y[1], y[2]), maj = majority(x[0], x[1], x[2]);
            int sigma1 = Integer.rotateRight(y[0], 6) ^ Integer.rotateRight(y[0], 11) ^ Integer.rotateRight(y[0], 25);
            int sigma0 = Integer.rotateRight(x[0], 2) ^ Integer.rotateRight(x[0], 13) ^ Integer.rotateRight(x[0], 22);
            int t = y[3] + sigma1 + chs + w[e];
            x[3] = t + x[3];
            y[3] = t + sigma0 + maj;
            int xTop = x[3], yTop = y[3]; // <Y, X> = ROL(Y:X, 32)
            x[3] = x[2];
            x[2] = x[1];
            x[1] = x[0];
            x[0] = yTop;
            y[3] = y[2];
            y[2] = y[1];
            y[1] = y[0];
            y[0] = xTop;
        }
        setWords(v, d, part1 ? x : y);
    }

    public static void sha256su0(long[] v, int d, int n) {
        int[] a = words(v, d), b = words(v, n);
        int[] t = {a[1], a[2], a[3], b[0]}, r = new int[4];
        for (int e = 0; e < 4; e++) {
            int x = t[e];
            r[e] = (Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3)) + a[e];
        }
        setWords(v, d, r);
    }

    public static void sha256su1(long[] v, int d, int n, int m) {
        int[] a = words(v, d), b = words(v, n), c = words(v, m);
        int[] t0 = {b[1], b[2], b[3], c[0]}, r = new int[4];
        int[] t1 = {c[2], c[3]};
        for (int e = 0; e < 4; e++) {
            int x = e < 2 ? t1[e] : r[e - 2];
            r[e] = (Integer.rotateRight(x, 17) ^ Integer.rotateRight(x, 19) ^ (x >>> 10)) + a[e] + t0[e];
        }
        setWords(v, d, r);
    }
}
