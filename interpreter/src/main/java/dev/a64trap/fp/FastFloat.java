package dev.a64trap.fp;

import static dev.a64trap.fp.FpStatus.IXC;

/**
 * Fast paths in front of {@link SoftFloat} for single and double precision: Java's {@code float}
 * and {@code double} arithmetic where it provably gives the Arm result and flags. The guard:
 * FPCR.RMode is round-to-nearest (Java's only mode), every operand is a normal number or zero
 * (so FZ, DN, NaN propagation and IDC cannot matter) and the result is a normal number well away
 * from the underflow threshold, or an exact zero (so FZ, UFC and OFC cannot matter). Inexactness
 * (IXC) comes from an exact residual (TwoSum, {@code Math.fma}) or is not needed because IXC is
 * already set (the flags are sticky). Anything else answers {@link #FAIL} and the caller takes the
 * exact path. {@code SoftFloatTest} checks each path against the exact one.
 */
final class FastFloat {
    private FastFloat() {}

    /** Not handled here: never a result, since every result here is a number (no NaN). */
    static final long FAIL = -1L;

    /** Exponent floor for operands and results: residuals stay far from the denormal range. */
    private static final int DMIN = -900, FMIN = -100;

    private static boolean on(FpStatus st) {
        return (st.fpcr & (3L << FpStatus.RMODE_SHIFT)) == 0;
    }

    /** Normal with an exponent above the floor, or zero (either sign). */
    private static boolean okD(double d) {
        return d == 0 || Math.getExponent(d) > DMIN && Math.getExponent(d) <= Double.MAX_EXPONENT;
    }

    private static boolean okF(float f) {
        return f == 0 || Math.getExponent(f) > FMIN && Math.getExponent(f) <= Float.MAX_EXPONENT;
    }

    /** A nonzero result that is normal and away from both ends. */
    private static boolean resultD(double r) {
        return Math.getExponent(r) > DMIN && Math.getExponent(r) < Double.MAX_EXPONENT;
    }

    private static boolean resultF(float r) {
        return Math.getExponent(r) > FMIN && Math.getExponent(r) < Float.MAX_EXPONENT;
    }

    private static long d(double r, boolean inexact, FpStatus st) {
        if (inexact) {
            st.fpsr |= IXC;
        }
        return Double.doubleToRawLongBits(r);
    }

    private static long f(float r, boolean inexact, FpStatus st) {
        if (inexact) {
            st.fpsr |= IXC;
        }
        return Float.floatToRawIntBits(r) & 0xffffffffL;
    }

    static long add(long a, long b, int size, FpStatus st) {
        if (!on(st)) {
            return FAIL;
        }
        if (size == 3) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            if (!okD(x) || !okD(y)) {
                return FAIL;
            }
            double s = x + y;
            if (s != 0 && !resultD(s)) {
                return FAIL;
            }
            double bb = s - x, err = (x - (s - bb)) + (y - bb); // TwoSum: s + err == x + y exactly
            return d(s, err != 0, st);
        }
        if (size == 2) {
            float x = Float.intBitsToFloat((int) a), y = Float.intBitsToFloat((int) b);
            if (!okF(x) || !okF(y)) {
                return FAIL;
            }
            float s = x + y;
            if (s != 0 && !resultF(s)) {
                return FAIL;
            }
            float bb = s - x, err = (x - (s - bb)) + (y - bb);
            return f(s, err != 0, st);
        }
        return FAIL;
    }

    static long mul(long a, long b, int size, FpStatus st) {
        if (!on(st)) {
            return FAIL;
        }
        if (size == 3) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            if (!okD(x) || !okD(y)) {
                return FAIL;
            }
            double p = x * y;
            if (p == 0) {
                return x == 0 || y == 0 ? d(p, false, st) : FAIL;
            }
            if (!resultD(p)) {
                return FAIL;
            }
            return d(p, Math.fma(x, y, -p) != 0, st);
        }
        if (size == 2) {
            float x = Float.intBitsToFloat((int) a), y = Float.intBitsToFloat((int) b);
            if (!okF(x) || !okF(y)) {
                return FAIL;
            }
            double exact = (double) x * y; // 24 x 24 bits: exact in a double
            float p = (float) exact;
            if (p == 0) {
                return x == 0 || y == 0 ? f(p, false, st) : FAIL;
            }
            if (!resultF(p)) {
                return FAIL;
            }
            return f(p, p != exact, st);
        }
        return FAIL;
    }

    static long div(long a, long b, int size, FpStatus st) {
        if (!on(st)) {
            return FAIL;
        }
        if (size == 3) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            if (!okD(x) || !okD(y) || y == 0) {
                return FAIL;
            }
            double q = x / y;
            if (q == 0) {
                return x == 0 ? d(q, false, st) : FAIL;
            }
            if (!resultD(q)) {
                return FAIL;
            }
            return d(q, Math.fma(q, y, -x) != 0, st);
        }
        if (size == 2) {
            float x = Float.intBitsToFloat((int) a), y = Float.intBitsToFloat((int) b);
            if (!okF(x) || !okF(y) || y == 0) {
                return FAIL;
            }
            // Rounding the double quotient to single is correctly rounded (53 >= 2 * 24 + 2).
            float q = (float) ((double) x / y);
            if (q == 0) {
                return x == 0 ? f(q, false, st) : FAIL;
            }
            if (!resultF(q)) {
                return FAIL;
            }
            return f(q, (double) q * y != x, st);
        }
        return FAIL;
    }

    static long sqrt(long a, int size, FpStatus st) {
        if (!on(st)) {
            return FAIL;
        }
        if (size == 3) {
            double x = Double.longBitsToDouble(a);
            if (!okD(x) || x < 0) {
                return FAIL;
            }
            double r = Math.sqrt(x);
            if (r == 0) {
                return d(r, false, st); // sqrt(+-0) = +-0
            }
            return d(r, Math.fma(r, r, -x) != 0, st);
        }
        if (size == 2) {
            float x = Float.intBitsToFloat((int) a);
            if (!okF(x) || x < 0) {
                return FAIL;
            }
            float r = (float) Math.sqrt(x); // double rounding is innocuous for sqrt too
            if (r == 0) {
                return f(r, false, st);
            }
            return f(r, (double) r * r != x, st);
        }
        return FAIL;
    }

    /** addend + a * b with one rounding; only once IXC is set (an exact-residual test costs more than it saves). */
    static long mulAdd(long addend, long a, long b, int size, FpStatus st) {
        if (!on(st) || (st.fpsr & IXC) == 0) {
            return FAIL;
        }
        if (size == 3) {
            double z = Double.longBitsToDouble(addend), x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            if (!okD(z) || !okD(x) || !okD(y)) {
                return FAIL;
            }
            double r = Math.fma(x, y, z);
            return resultD(r) ? d(r, false, st) : FAIL;
        }
        if (size == 2) {
            float z = Float.intBitsToFloat((int) addend), x = Float.intBitsToFloat((int) a), y = Float.intBitsToFloat((int) b);
            if (!okF(z) || !okF(x) || !okF(y)) {
                return FAIL;
            }
            // x*y is exact in a double; s + err is then exactly x*y + z (TwoSum).
            double p = (double) x * y, s = p + z, bb = s - p, err = (p - (s - bb)) + (z - bb);
            float r = (float) s;
            if (!resultF(r)) {
                return FAIL;
            }
            if (err != 0) {
                // s alone decides the rounding unless it is a single-precision value or halfway between two.
                double gap = Math.abs(s - r), half = Math.ulp(r) / 2;
                if (gap == 0 || gap == half || Math.abs(s) == Math.abs((double) r) + half
                        || Math.getExponent(s) != Math.getExponent(r)) {
                    return FAIL;
                }
            }
            return f(r, false, st);
        }
        return FAIL;
    }

    /** FCVT between single and double. */
    static long convert(long a, int from, int to, FpStatus st) {
        if (!on(st)) {
            return FAIL;
        }
        if (from == 2 && to == 3) {
            float x = Float.intBitsToFloat((int) a);
            return okF(x) ? d(x, false, st) : FAIL;
        }
        if (from == 3 && to == 2) {
            double x = Double.longBitsToDouble(a);
            if (!okD(x)) {
                return FAIL;
            }
            float r = (float) x;
            if (r == 0) {
                return x == 0 ? f(r, false, st) : FAIL;
            }
            return resultF(r) ? f(r, r != x, st) : FAIL;
        }
        return FAIL;
    }

    /** SCVTF/UCVTF without fraction bits: a signed integer that Java converts exactly as FixedToFP rounds. */
    static long fromInt(long v, int intBits, boolean unsigned, int size, FpStatus st) {
        if (!on(st)) {
            return FAIL;
        }
        long x;
        if (intBits == 32) {
            x = unsigned ? v & 0xffffffffL : (int) v;
        } else if (!unsigned || v >= 0) {
            x = v;
        } else {
            return FAIL;
        }
        if (x == Long.MIN_VALUE) {
            return FAIL;
        }
        if (size == 3) {
            double r = x;
            return d(r, Math.abs(r) >= 0x1p63 || (long) r != x, st);
        }
        if (size == 2) {
            float r = x;
            return f(r, Math.abs(r) >= 0x1p63f || (long) r != x, st);
        }
        return FAIL;
    }

    /** FCVTZS/FCVTZU without fraction bits: truncation in range, where Java's cast agrees. */
    static long toIntTowardZero(long a, int size, boolean unsigned, int intBits, FpStatus st) {
        double x;
        if (size == 3) {
            x = Double.longBitsToDouble(a);
        } else if (size == 2) {
            x = Float.intBitsToFloat((int) a);
        } else {
            return FAIL;
        }
        if (!(Math.abs(x) < 0x1p31) || x != 0 && Math.getExponent(x) < (size == 3 ? Double.MIN_EXPONENT : Float.MIN_EXPONENT)) {
            return FAIL; // NaN, out of the common range, or a denormal (FZ would matter)
        }
        long r = (long) x;
        if (unsigned && r < 0) {
            return FAIL;
        }
        if (r != x) {
            st.fpsr |= IXC;
        }
        return intBits == 64 ? r : r & 0xffffffffL;
    }

    /**
     * The value of a single or double operand as a double for comparisons, or NaN when the
     * exact path must decide: NaNs (flags) and denormals (FZ flushes them, raising IDC).
     * Comparisons do not round, so any FPCR rounding mode is fine.
     */
    static double comparable(long bits, int size) {
        double x;
        if (size == 3) {
            x = Double.longBitsToDouble(bits);
            return x != 0 && Math.getExponent(x) < Double.MIN_EXPONENT ? Double.NaN : x;
        }
        if (size == 2) {
            float f = Float.intBitsToFloat((int) bits);
            return f != 0 && Math.getExponent(f) < Float.MIN_EXPONENT ? Double.NaN : f;
        }
        return Double.NaN;
    }

    /** FCMP/FCMPE NZCV, or -1. */
    static int compare(long a, long b, int size) {
        double x = comparable(a, size), y = comparable(b, size);
        if (x != x || y != y) {
            return -1;
        }
        return x == y ? 0b0110 : x < y ? 0b1000 : 0b0010;
    }

    /** FMAX/FMIN/FMAXNM/FMINNM of two distinct ordered values (equal ones carry the zero-sign rule). */
    static long maxMin(long a, long b, boolean max, int size) {
        double x = comparable(a, size), y = comparable(b, size);
        if (x != x || y != y || x == y) {
            return FAIL;
        }
        long mask = size == 3 ? -1L : 0xffffffffL;
        return (max == x > y ? a : b) & mask;
    }
}
