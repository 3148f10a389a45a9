package dev.a64trap.fp;

import static dev.a64trap.fp.FpStatus.DZC;
import static dev.a64trap.fp.FpStatus.IXC;
import static dev.a64trap.fp.FpStatus.OFC;
import static dev.a64trap.fp.FpStatus.UFC;

/**
 * The reciprocal and reciprocal square root estimates (FRECPE, FRSQRTE, URECPE, URSQRTE) and
 * FRECPX, bit-exact as the Arm ARM pseudocode defines them: 8-bit table values computed by
 * RecipEstimate/RecipSqrtEstimate from the top bits of the operand.
 */
public final class Estimates {
    private Estimates() {}

    /** RecipEstimate: a in [256, 512) as a 9-bit fixed-point [0.5, 1), result in [256, 512). */
    static int recipEstimate(int a) {
        a = a * 2 + 1;
        int b = (1 << 19) / a;
        return (b + 1) / 2;
    }

    /** RecipSqrtEstimate: a in [128, 512) as a 9-bit fixed-point [0.25, 1), result in [256, 512). */
    static int recipSqrtEstimate(int a) {
        if (a < 256) {
            a = a * 2 + 1;
        } else {
            a = (a >> 1) << 1;
            a = (a + 1) * 2;
        }
        long b = 512;
        while ((long) a * (b + 1) * (b + 1) < (1L << 28)) {
            b++;
        }
        return (int) ((b + 1) / 2);
    }

    /** FRECPE for single (size 2) or double (size 3). */
    public static long recip(long bits, int size, FpStatus st) {
        SoftFloat.Unpacked u = SoftFloat.unpack(bits, size, st);
        boolean sign = u.sign;
        int n = 8 << size;
        if (u.isNaN()) {
            return SoftFloat.processNaN(u, bits, size, st);
        }
        if (u.type == SoftFloat.INF) {
            return SoftFloat.zero(size, sign);
        }
        if (u.type == SoftFloat.ZERO) {
            st.raise(DZC);
            return SoftFloat.infinity(size, sign);
        }
        int fb = SoftFloat.fracBits(size);
        long frac = bits & ((1L << fb) - 1);
        int exp = (int) (bits >>> fb) & ((1 << SoftFloat.expBits(size)) - 1);
        // |value| < 2^-128 (single) or 2^-1024 (double): the reciprocal overflows
        if (exp == 0 && (frac >>> (fb - 2)) == 0) {
            int rm = st.rmode();
            boolean toInf = rm == SoftFloat.RN || (rm == SoftFloat.RP && !sign) || (rm == SoftFloat.RM && sign);
            st.raise(OFC | IXC);
            return toInf ? SoftFloat.infinity(size, sign) : SoftFloat.maxNormal(size, sign);
        }
        int bias = SoftFloat.bias(size);
        if (st.fz() && exp >= 2 * bias - 1) { // |value| >= 2^126 (2^1022): the result is flushed
            st.raise(UFC);
            return SoftFloat.zero(size, sign);
        }
        long f52 = size == 3 ? frac : frac << 29;
        if (exp == 0) {
            if ((f52 >>> 51 & 1) == 0) {
                exp = -1;
                f52 = f52 << 2;
            } else {
                f52 = f52 << 1;
            }
            f52 &= (1L << 52) - 1;
        }
        int scaled = (int) (256 | f52 >>> 44 & 0xff);
        int resultExp = (size == 3 ? 2045 : 253) - exp;
        long estimate = recipEstimate(scaled);
        long fraction = (estimate & 0xff) << 44;
        if (resultExp == 0) {
            fraction = 1L << 51 | fraction >>> 1;
        } else if (resultExp == -1) {
            fraction = 1L << 50 | fraction >>> 2;
            resultExp = 0;
        }
        long out = size == 3 ? (long) resultExp << 52 | fraction : (long) resultExp << 23 | fraction >>> 29;
        return out | (sign ? 1L << (n - 1) : 0);
    }

    /** FRSQRTE for single (size 2) or double (size 3). */
    public static long rsqrt(long bits, int size, FpStatus st) {
        SoftFloat.Unpacked u = SoftFloat.unpack(bits, size, st);
        if (u.isNaN()) {
            return SoftFloat.processNaN(u, bits, size, st);
        }
        if (u.type == SoftFloat.ZERO) {
            st.raise(DZC);
            return SoftFloat.infinity(size, u.sign);
        }
        if (u.sign) {
            return SoftFloat.invalid(size, st);
        }
        if (u.type == SoftFloat.INF) {
            return 0;
        }
        int fb = SoftFloat.fracBits(size);
        long frac = bits & ((1L << fb) - 1);
        int exp = (int) (bits >>> fb) & ((1 << SoftFloat.expBits(size)) - 1);
        long f52 = size == 3 ? frac : frac << 29;
        if (exp == 0) {
            while ((f52 >>> 51 & 1) == 0) {
                f52 <<= 1;
                exp--;
            }
            f52 = f52 << 1 & ((1L << 52) - 1);
        }
        int scaled = (exp & 1) == 0 ? (int) (256 | f52 >>> 44 & 0xff) : (int) (128 | f52 >>> 45 & 0x7f);
        int resultExp = Math.floorDiv((size == 3 ? 3068 : 380) - exp, 2);
        long estimate = recipSqrtEstimate(scaled) & 0xff;
        return size == 3 ? (long) resultExp << 52 | estimate << 44 : (long) resultExp << 23 | estimate << 15;
    }

    /** URECPE on a 32-bit lane. */
    public static long unsignedRecip(long x) {
        if ((x >>> 31 & 1) == 0) {
            return 0xffffffffL;
        }
        return (long) (recipEstimate((int) (x >>> 23 & 0x1ff)) & 0x1ff) << 23;
    }

    /** URSQRTE on a 32-bit lane. */
    public static long unsignedRsqrt(long x) {
        if ((x >>> 30 & 3) == 0) {
            return 0xffffffffL;
        }
        return (long) (recipSqrtEstimate((int) (x >>> 23 & 0x1ff)) & 0x1ff) << 23;
    }

    /** FRECPX: the exponent inverted, fraction zero (zero and denormal exponents give the largest). */
    public static long recipExponent(long bits, int size, FpStatus st) {
        SoftFloat.Unpacked u = SoftFloat.unpack(bits, size, st);
        if (u.isNaN()) {
            return SoftFloat.processNaN(u, bits, size, st);
        }
        int fb = SoftFloat.fracBits(size), eb = SoftFloat.expBits(size);
        long exp = bits >>> fb & ((1L << eb) - 1);
        long sign = bits & SoftFloat.signBit(size);
        long out = exp == 0 ? (1L << eb) - 2 : ~exp & ((1L << eb) - 1);
        return sign | out << fb;
    }
}
