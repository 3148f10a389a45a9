package dev.a64trap.fp;

/**
 * The saturating and rounding integer element operations of Advanced SIMD (SQADD..UQRSHL,
 * SQDMULH, the saturating narrows): exact results clamped to the element range, FPSR.QC raised
 * whenever a clamp happens, as the pseudocode's SignedSatQ/UnsignedSatQ do. Lane values are
 * passed zero-extended; {@code size} is log2 bytes of the element.
 */
public final class SimdSat {
    private SimdSat() {}

    static long sx(long value, int size) {
        int sh = 64 - (8 << size);
        return value << sh >> sh;
    }

    static long ones(int size) {
        return size == 3 ? -1L : (1L << (8 << size)) - 1;
    }

    private static long qc(FpStatus st, long value) {
        st.fpsr |= FpStatus.QC;
        return value;
    }

    static long maxS(int size) {
        return ones(size) >>> 1;
    }

    /** SignedSatQ of an exact value {@code r} (size below 3, so r cannot have overflowed a long). */
    static long satS(long r, int size, FpStatus st) {
        long max = maxS(size), min = -max - 1;
        return r > max ? qc(st, max) : r < min ? qc(st, min) : r;
    }

    /** UnsignedSatQ of an exact signed value {@code r} (size below 3). */
    static long satU(long r, int size, FpStatus st) {
        return r < 0 ? qc(st, 0) : r > ones(size) ? qc(st, ones(size)) : r;
    }

    /** Saturating narrow of an exact value of a wider element: the destination is {@code size}. */
    static long narrow(long r, int size, boolean srcSigned, boolean dstSigned, FpStatus st) {
        if (dstSigned) {
            return satS(r, size, st);
        }
        if (srcSigned) {
            return satU(r, size, st);
        }
        return Long.compareUnsigned(r, ones(size)) > 0 ? qc(st, ones(size)) : r;
    }

    /** SQADD/UQADD/SQSUB/UQSUB of two zero-extended lanes. */
    static long addSub(long x, long y, int size, boolean unsigned, boolean sub, FpStatus st) {
        if (size < 3) {
            long r = unsigned ? (sub ? x - y : x + y) : (sub ? sx(x, size) - sx(y, size) : sx(x, size) + sx(y, size));
            return (unsigned ? satU(r, size, st) : satS(r, size, st)) & ones(size);
        }
        long r = sub ? x - y : x + y;
        if (unsigned) {
            boolean over = sub ? Long.compareUnsigned(x, y) < 0 : Long.compareUnsigned(r, x) < 0;
            return over ? qc(st, sub ? 0 : -1L) : r;
        }
        boolean over = sub ? ((x ^ y) & (x ^ r)) < 0 : ((x ^ r) & (y ^ r)) < 0;
        return over ? qc(st, x < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /** SUQADD (signed Vd plus unsigned Vn, signed result) and USQADD (unsigned Vd plus signed Vn). */
    static long accumulate(long d, long n, int size, boolean usqadd, FpStatus st) {
        if (size < 3) {
            long r = usqadd ? d + sx(n, size) : sx(d, size) + n;
            return (usqadd ? satU(r, size, st) : satS(r, size, st)) & ones(size);
        }
        // 64-bit lanes: the exact sum needs 66 bits (a rare case, so BigInteger keeps it obvious)
        java.math.BigInteger r = (usqadd ? unsigned(d) : java.math.BigInteger.valueOf(d))
                .add(usqadd ? java.math.BigInteger.valueOf(n) : unsigned(n));
        java.math.BigInteger lo = usqadd ? java.math.BigInteger.ZERO : java.math.BigInteger.valueOf(Long.MIN_VALUE);
        java.math.BigInteger hi = usqadd ? unsigned(-1L) : java.math.BigInteger.valueOf(Long.MAX_VALUE);
        if (r.compareTo(lo) < 0) {
            return qc(st, lo.longValue());
        }
        return r.compareTo(hi) > 0 ? qc(st, hi.longValue()) : r.longValue();
    }

    private static java.math.BigInteger unsigned(long x) {
        return new java.math.BigInteger(Long.toUnsignedString(x));
    }

    /** SQABS/SQNEG. */
    static long absNeg(long x, int size, boolean neg, FpStatus st) {
        long s = sx(x, size);
        if (s == (-maxS(size) - 1)) {
            return neg || s < 0 ? qc(st, maxS(size)) : s & ones(size);
        }
        return (neg ? -s : Math.abs(s)) & ones(size);
    }

    /**
     * Shift of one lane by a signed amount (left when positive), exact and then: truncated to the
     * element (SSHL, SRSHL), or saturated (SQSHL, SQRSHL, UQ*; QC on clamp). Right shifts round to
     * nearest with ties up when {@code round}. The result is not masked to the element.
     */
    static long shift(long x, int size, int sh, boolean signed, boolean round, boolean saturate, FpStatus st) {
        int bits = 8 << size;
        long e = signed ? sx(x, size) : x;
        if (sh < 0) {
            int s = -sh;
            long q = s >= 64 ? (signed ? e >> 63 : 0) : (signed ? e >> s : e >>> s);
            if (round) {
                int b = s - 1;
                q += b >= 64 ? (signed ? e >>> 63 : 0) : e >>> b & 1;
            }
            return q;
        }
        if (e == 0) {
            return 0;
        }
        if (!saturate) {
            return sh >= 64 ? 0 : e << sh;
        }
        boolean fits;
        if (signed) {
            fits = sh < bits && ((e >> (bits - 1 - sh)) == 0 || (e >> (bits - 1 - sh)) == -1);
        } else {
            fits = sh < bits && (bits - sh == 64 || (e >>> (bits - sh)) == 0);
        }
        if (fits) {
            return e << sh;
        }
        return qc(st, signed ? (e < 0 ? -maxS(size) - 1 : maxS(size)) : ones(size));
    }

    /** SQSHLU: a signed lane shifted left, saturated to the unsigned range. */
    static long shiftLeftUnsigned(long x, int size, int sh, FpStatus st) {
        long e = sx(x, size);
        if (e < 0) {
            return qc(st, 0);
        }
        return shift(e & ones(size), size, sh, false, false, true, st);
    }

    /** SQDMULH/SQRDMULH: the high half of 2*x*y (rounded), saturated (only MIN*MIN overflows). */
    static long doublingMulHigh(long x, long y, int size, boolean round, FpStatus st) {
        int bits = 8 << size;
        long a = sx(x, size), b = sx(y, size), min = -maxS(size) - 1;
        if (a == min && b == min) {
            return qc(st, maxS(size));
        }
        long p = 2 * a * b + (round ? 1L << (bits - 1) : 0);
        return (p >> bits) & ones(size);
    }

    /** SQDMULL: 2*x*y at twice the width, saturated (only MIN*MIN overflows); signed exact. */
    static long doublingMulLong(long x, long y, int size, FpStatus st) {
        long a = sx(x, size), b = sx(y, size), min = -maxS(size) - 1;
        if (a == min && b == min) {
            return qc(st, maxS(size + 1));
        }
        return 2 * a * b;
    }

    /** Signed saturating add at {@code size} of two sign-extended values (SQDMLAL's accumulate). */
    static long addS(long a, long b, int size, FpStatus st) {
        if (size < 3) {
            return satS(a + b, size, st);
        }
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? qc(st, a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
