package dev.a64trap.fp;

import static dev.a64trap.fp.FpStatus.DZC;
import static dev.a64trap.fp.FpStatus.IDC;
import static dev.a64trap.fp.FpStatus.IOC;
import static dev.a64trap.fp.FpStatus.IXC;
import static dev.a64trap.fp.FpStatus.OFC;
import static dev.a64trap.fp.FpStatus.UFC;

import java.math.BigInteger;

/**
 * The soft-float core, written from the Arm ARM pseudocode (FPUnpack, FPProcessNaNs, FPRound,
 * FPAdd, FPMul, FPMulAdd, FPDiv, FPSqrt, FPMax/Min(Num), FPRoundInt, FPCompare, FPConvert,
 * FPToFixed, FixedToFP). Values are raw bit patterns in a long; {@code size} picks the format
 * (1 = half, 2 = single, 3 = double). Every finite operation is computed exactly (BigInteger
 * significands, with a sticky bit for division and square root) and rounded once by {@link #round},
 * so the rounding modes, flush-to-zero, tininess before rounding and every FPSR flag follow from one
 * place. Slow but exact; fast paths belong in front of it, guarded by the FPCR state.
 */
public final class SoftFloat {
    private SoftFloat() {}

    /** Rounding modes: FPCR.RMode values, plus ties-away (FCVTA*, FRINTA). */
    public static final int RN = 0, RP = 1, RM = 2, RZ = 3, RA = 4;
    /** Round to odd (FCVTXN): truncate, then set the lowest bit when inexact. */
    public static final int RO = 5;

    // ---- formats

    static int fracBits(int size) {
        return size == 3 ? 52 : size == 2 ? 23 : 10;
    }

    static int expBits(int size) {
        return size == 3 ? 11 : size == 2 ? 8 : 5;
    }

    static int bias(int size) {
        return (1 << (expBits(size) - 1)) - 1;
    }

    static long mask(int size) {
        return size == 3 ? -1L : (1L << (8 << size)) - 1;
    }

    static long signBit(int size) {
        return 1L << ((8 << size) - 1);
    }

    public static long defaultNaN(int size) {
        long expAll = ((1L << expBits(size)) - 1) << fracBits(size);
        return expAll | 1L << (fracBits(size) - 1);
    }

    public static long infinity(int size, boolean negative) {
        return ((1L << expBits(size)) - 1) << fracBits(size) | (negative ? signBit(size) : 0);
    }

    public static long zero(int size, boolean negative) {
        return negative ? signBit(size) : 0;
    }

    static long maxNormal(int size, boolean negative) {
        return (((1L << expBits(size)) - 2) << fracBits(size) | ((1L << fracBits(size)) - 1))
                | (negative ? signBit(size) : 0);
    }

    // ---- unpacking

    static final int ZERO = 0, NORMAL = 1, INF = 2, QNAN = 3, SNAN = 4;

    /** An unpacked operand: type, sign and (finite) value = mant * 2^exp. */
    static final class Unpacked {
        int type;
        boolean sign;
        long mant;
        int exp;

        boolean isNaN() {
            return type >= QNAN;
        }
    }

    /** FPUnpack: classifies {@code bits}; with FPCR.FZ (not for half) denormals become zero and raise IDC. */
    static Unpacked unpack(long bits, int size, FpStatus st, boolean fzEnabled) {
        Unpacked u = new Unpacked();
        int f = fracBits(size), e = expBits(size);
        u.sign = (bits & signBit(size)) != 0;
        int exp = (int) (bits >>> f) & ((1 << e) - 1);
        long frac = bits & ((1L << f) - 1);
        if (exp == 0) {
            if (frac == 0) {
                u.type = ZERO;
            } else if (fzEnabled && size != 1 && st.fz()) {
                u.type = ZERO;
                st.raise(IDC);
            } else {
                u.type = NORMAL;
                u.mant = frac;
                u.exp = 1 - bias(size) - f;
            }
        } else if (exp == (1 << e) - 1) {
            u.type = frac == 0 ? INF : (frac >>> (f - 1) & 1) == 1 ? QNAN : SNAN;
        } else {
            u.type = NORMAL;
            u.mant = frac | 1L << f;
            u.exp = exp - bias(size) - f;
        }
        return u;
    }

    static Unpacked unpack(long bits, int size, FpStatus st) {
        return unpack(bits, size, st, true);
    }

    // ---- NaN processing

    /** FPProcessNaN: quiets a signalling NaN (raising IOC); the default NaN when FPCR.DN is set. */
    static long processNaN(Unpacked u, long bits, int size, FpStatus st) {
        long result = bits & mask(size);
        if (u.type == SNAN) {
            st.raise(IOC);
            result |= 1L << (fracBits(size) - 1);
        }
        return st.dn() ? defaultNaN(size) : result;
    }

    /** FPProcessNaNs: the NaN result of a two-operand operation, or null when neither is a NaN. */
    static Long processNaNs(Unpacked a, long ab, Unpacked b, long bb, int size, FpStatus st) {
        if (a.type == SNAN) {
            return processNaN(a, ab, size, st);
        }
        if (b.type == SNAN) {
            return processNaN(b, bb, size, st);
        }
        if (a.type == QNAN) {
            return processNaN(a, ab, size, st);
        }
        if (b.type == QNAN) {
            return processNaN(b, bb, size, st);
        }
        return null;
    }

    static Long processNaNs3(Unpacked a, long ab, Unpacked b, long bb, Unpacked c, long cb, int size, FpStatus st) {
        if (a.type == SNAN) {
            return processNaN(a, ab, size, st);
        }
        if (b.type == SNAN) {
            return processNaN(b, bb, size, st);
        }
        if (c.type == SNAN) {
            return processNaN(c, cb, size, st);
        }
        if (a.type == QNAN) {
            return processNaN(a, ab, size, st);
        }
        if (b.type == QNAN) {
            return processNaN(b, bb, size, st);
        }
        if (c.type == QNAN) {
            return processNaN(c, cb, size, st);
        }
        return null;
    }

    static long invalid(int size, FpStatus st) {
        st.raise(IOC);
        return defaultNaN(size);
    }

    // ---- rounding

    /**
     * FPRound: rounds (-1)^sign * (m + sticky) * 2^e, m > 0, to the format. {@code sticky} means
     * nonzero bits below m's lowest bit; callers supply at least two bits beyond the format's
     * precision whenever they set it. {@code fz}: FPCR.FZ applies (not for half precision).
     */
    static long round(boolean sign, BigInteger m, int e, boolean sticky, int size, FpStatus st, int rmode, boolean fz) {
        int f = fracBits(size), eb = expBits(size);
        int minExp = 1 - bias(size);
        int exponent = m.bitLength() - 1 + e;
        if (fz && exponent < minExp) {
            st.raise(UFC);
            return zero(size, sign);
        }
        int lsbExp = Math.max(exponent, minExp) - f;
        int shift = lsbExp - e;
        long intMant;
        boolean errNonzero, errGtHalf, errHalf;
        if (shift > 0) {
            intMant = m.shiftRight(shift).longValueExact();
            BigInteger rem = m.subtract(BigInteger.valueOf(intMant).shiftLeft(shift));
            BigInteger half = BigInteger.ONE.shiftLeft(shift - 1);
            int c = rem.compareTo(half);
            errNonzero = rem.signum() != 0 || sticky;
            errGtHalf = c > 0 || (c == 0 && sticky);
            errHalf = c == 0 && !sticky;
        } else {
            intMant = m.shiftLeft(-shift).longValueExact();
            errNonzero = sticky;
            errGtHalf = false;
            errHalf = false;
        }
        boolean denormal = exponent < minExp;
        if (denormal && errNonzero) {
            st.raise(UFC);
        }
        boolean roundUp, overflowToInf;
        switch (rmode) {
            case RN -> {
                roundUp = errGtHalf || (errHalf && (intMant & 1) == 1);
                overflowToInf = true;
            }
            case RA -> {
                roundUp = errGtHalf || errHalf;
                overflowToInf = true;
            }
            case RP -> {
                roundUp = errNonzero && !sign;
                overflowToInf = !sign;
            }
            case RM -> {
                roundUp = errNonzero && sign;
                overflowToInf = sign;
            }
            default -> {
                roundUp = false;
                overflowToInf = false;
            }
        }
        if (roundUp) {
            intMant++;
        }
        if (rmode == RO && errNonzero) {
            intMant |= 1;
        }
        // intMant includes the implicit bit for normals, so a carry moves into the exponent field.
        long bits = denormal ? intMant : ((long) (exponent - minExp) << f) + intMant;
        if (bits >>> f >= (1L << eb) - 1) {
            st.raise(OFC | IXC);
            return overflowToInf ? infinity(size, sign) : maxNormal(size, sign);
        }
        if (errNonzero) {
            st.raise(IXC);
        }
        return bits | (sign ? signBit(size) : 0);
    }

    static long round(boolean sign, BigInteger m, int e, boolean sticky, int size, FpStatus st) {
        return round(sign, m, e, sticky, size, st, st.rmode(), size != 1 && st.fz());
    }

    /** Rounds the exact signed value {@code v * 2^e}; exact zero gives +0 (-0 when rounding towards -inf). */
    static long roundSigned(BigInteger v, int e, int size, FpStatus st) {
        if (v.signum() == 0) {
            return zero(size, st.rmode() == RM);
        }
        return round(v.signum() < 0, v.abs(), e, false, size, st);
    }

    private static BigInteger signed(Unpacked u) {
        BigInteger m = BigInteger.valueOf(u.mant);
        return u.sign ? m.negate() : m;
    }

    /** Sum of two exact values a*2^ea + b*2^eb as a value at the smaller exponent. */
    private static BigInteger[] align(BigInteger a, int ea, BigInteger b, int eb) {
        int e = Math.min(ea, eb);
        return new BigInteger[] {a.shiftLeft(ea - e), b.shiftLeft(eb - e), BigInteger.valueOf(e)};
    }

    // ---- arithmetic

    public static long add(long a, long b, int size, FpStatus st) {
        long r = FastFloat.add(a, b, size, st);
        return r != FastFloat.FAIL ? r : addSub(a, b, false, size, st);
    }

    public static long sub(long a, long b, int size, FpStatus st) {
        long r = FastFloat.add(a, neg(b, size), size, st);
        return r != FastFloat.FAIL ? r : addSub(a, b, true, size, st);
    }

    static long addSubExact(long a, long b, boolean subtract, int size, FpStatus st) {
        return addSub(a, b, subtract, size, st);
    }

    private static long addSub(long a, long b, boolean subtract, int size, FpStatus st) {
        Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
        Long nan = processNaNs(x, a, y, b, size, st);
        if (nan != null) {
            return nan;
        }
        boolean s1 = x.sign, s2 = y.sign ^ subtract;
        boolean inf1 = x.type == INF, inf2 = y.type == INF;
        if (inf1 && inf2 && s1 != s2) {
            return invalid(size, st);
        }
        if ((inf1 && !s1) || (inf2 && !s2)) {
            return infinity(size, false);
        }
        if ((inf1 && s1) || (inf2 && s2)) {
            return infinity(size, true);
        }
        if (x.type == ZERO && y.type == ZERO && s1 == s2) {
            return zero(size, s1);
        }
        BigInteger m1 = BigInteger.valueOf(x.mant), m2 = BigInteger.valueOf(y.mant);
        BigInteger[] al = align(s1 ? m1.negate() : m1, x.exp, s2 ? m2.negate() : m2, y.exp);
        return roundSigned(al[0].add(al[1]), al[2].intValue(), size, st);
    }

    public static long mul(long a, long b, int size, FpStatus st) {
        long r = FastFloat.mul(a, b, size, st);
        return r != FastFloat.FAIL ? r : exactMul(a, b, size, st);
    }

    static long exactMul(long a, long b, int size, FpStatus st) {
        Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
        Long nan = processNaNs(x, a, y, b, size, st);
        if (nan != null) {
            return nan;
        }
        boolean sign = x.sign ^ y.sign;
        if ((x.type == INF && y.type == ZERO) || (x.type == ZERO && y.type == INF)) {
            return invalid(size, st);
        }
        if (x.type == INF || y.type == INF) {
            return infinity(size, sign);
        }
        if (x.type == ZERO || y.type == ZERO) {
            return zero(size, sign);
        }
        return round(sign, BigInteger.valueOf(x.mant).multiply(BigInteger.valueOf(y.mant)), x.exp + y.exp, false, size, st);
    }

    /** FPMulAdd: addend + op1 * op2 with one rounding (negations are the caller's, on the operands). */
    public static long mulAdd(long addend, long a, long b, int size, FpStatus st) {
        long r = FastFloat.mulAdd(addend, a, b, size, st);
        return r != FastFloat.FAIL ? r : mulAdd(addend, a, b, 0, size, st);
    }

    /** FPMulAdd of the value scaled by 2^scale before its one rounding (FRSQRTS halves). */
    static long mulAdd(long addend, long a, long b, int scale, int size, FpStatus st) {
        Unpacked z = unpack(addend, size, st), x = unpack(a, size, st), y = unpack(b, size, st);
        boolean infZero = (x.type == INF && y.type == ZERO) || (x.type == ZERO && y.type == INF);
        Long nan = processNaNs3(z, addend, x, a, y, b, size, st);
        if (z.type == QNAN && infZero) {
            return invalid(size, st);
        }
        if (nan != null) {
            return nan;
        }
        boolean signP = x.sign ^ y.sign, infP = x.type == INF || y.type == INF;
        boolean zeroP = x.type == ZERO || y.type == ZERO, infA = z.type == INF;
        if (infZero || (infA && infP && z.sign != signP)) {
            return invalid(size, st);
        }
        if ((infA && !z.sign) || (infP && !signP)) {
            return infinity(size, false);
        }
        if ((infA && z.sign) || (infP && signP)) {
            return infinity(size, true);
        }
        if (z.type == ZERO && zeroP && z.sign == signP) {
            return zero(size, z.sign);
        }
        BigInteger p = zeroP ? BigInteger.ZERO : BigInteger.valueOf(x.mant).multiply(BigInteger.valueOf(y.mant));
        BigInteger av = z.type == ZERO ? BigInteger.ZERO : signed(z);
        BigInteger[] al = align(av, z.type == ZERO ? x.exp + y.exp : z.exp, signP ? p.negate() : p, x.exp + y.exp);
        return roundSigned(al[0].add(al[1]), al[2].intValue() + scale, size, st);
    }

    public static long div(long a, long b, int size, FpStatus st) {
        long r = FastFloat.div(a, b, size, st);
        return r != FastFloat.FAIL ? r : exactDiv(a, b, size, st);
    }

    static long exactDiv(long a, long b, int size, FpStatus st) {
        Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
        Long nan = processNaNs(x, a, y, b, size, st);
        if (nan != null) {
            return nan;
        }
        boolean sign = x.sign ^ y.sign;
        if ((x.type == INF && y.type == INF) || (x.type == ZERO && y.type == ZERO)) {
            return invalid(size, st);
        }
        if (x.type == INF || y.type == ZERO) {
            if (x.type != INF) {
                st.raise(DZC);
            }
            return infinity(size, sign);
        }
        if (x.type == ZERO || y.type == INF) {
            return zero(size, sign);
        }
        // Quotient with at least fracBits + 3 significant bits; the remainder is the sticky bit.
        int k = fracBits(size) + 4 + 64;
        BigInteger[] qr = BigInteger.valueOf(x.mant).shiftLeft(k).divideAndRemainder(BigInteger.valueOf(y.mant));
        return round(sign, qr[0], x.exp - y.exp - k, qr[1].signum() != 0, size, st);
    }

    public static long sqrt(long a, int size, FpStatus st) {
        long r = FastFloat.sqrt(a, size, st);
        return r != FastFloat.FAIL ? r : exactSqrt(a, size, st);
    }

    static long exactSqrt(long a, int size, FpStatus st) {
        Unpacked x = unpack(a, size, st);
        if (x.isNaN()) {
            return processNaN(x, a, size, st);
        }
        if (x.type == ZERO) {
            return zero(size, x.sign);
        }
        if (x.sign) {
            return invalid(size, st);
        }
        if (x.type == INF) {
            return infinity(size, false);
        }
        BigInteger m = BigInteger.valueOf(x.mant);
        int e = x.exp;
        if ((e & 1) != 0) {
            m = m.shiftLeft(1);
            e--;
        }
        int k = 2 * (fracBits(size) + 4 + 32);
        m = m.shiftLeft(k);
        BigInteger r = m.sqrt();
        return round(false, r, (e - k) / 2, !r.multiply(r).equals(m), size, st);
    }

    /** FPMax / FPMin ({@code max} picks which); {@code numeric}: FMAXNM/FMINNM (a single quiet NaN loses). */
    public static long maxMin(long a, long b, boolean max, boolean numeric, int size, FpStatus st) {
        long r = FastFloat.maxMin(a, b, max, size);
        return r != FastFloat.FAIL ? r : exactMaxMin(a, b, max, numeric, size, st);
    }

    static long exactMaxMin(long a, long b, boolean max, boolean numeric, int size, FpStatus st) {
        if (numeric) {
            Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
            if (x.type == QNAN && y.type != QNAN) {
                a = infinity(size, max);
            } else if (x.type != QNAN && y.type == QNAN) {
                b = infinity(size, max);
            }
        }
        Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
        Long nan = processNaNs(x, a, y, b, size, st);
        if (nan != null) {
            return nan;
        }
        int c = compareValues(x, y);
        boolean first = max ? c > 0 : c < 0;
        Unpacked r = first ? x : y;
        long rb = first ? a : b;
        if (r.type == INF) {
            return infinity(size, r.sign);
        }
        if (r.type == ZERO) {
            boolean sign = max ? x.sign && y.sign : x.sign || y.sign;
            if (x.type != ZERO || y.type != ZERO) {
                sign = r.sign;
            }
            return zero(size, sign);
        }
        // FPRound of an operand's own value: exact, the bits unchanged (denormals kept unless flushed).
        return rb & mask(size);
    }

    /** -1, 0, 1 comparing two non-NaN unpacked values. */
    static int compareValues(Unpacked x, Unpacked y) {
        if (x.type == INF || y.type == INF) {
            int vx = x.type == INF ? (x.sign ? -2 : 2) : 0, vy = y.type == INF ? (y.sign ? -2 : 2) : 0;
            if (vx != 0 && vy != 0) {
                return Integer.compare(vx, vy);
            }
            return vx != 0 ? Integer.signum(vx) : -Integer.signum(vy);
        }
        BigInteger a = x.type == ZERO ? BigInteger.ZERO : signed(x), b = y.type == ZERO ? BigInteger.ZERO : signed(y);
        int ea = x.type == ZERO ? 0 : x.exp, eb = y.type == ZERO ? 0 : y.exp;
        BigInteger[] al = align(a, ea, b, eb);
        return al[0].compareTo(al[1]);
    }

    /** FPCompare: NZCV (0b0110 equal, 0b1000 less, 0b0010 greater, 0b0011 unordered). */
    public static int compare(long a, long b, int size, boolean signalNaNs, FpStatus st) {
        int r = FastFloat.compare(a, b, size);
        return r >= 0 ? r : exactCompare(a, b, size, signalNaNs, st);
    }

    static int exactCompare(long a, long b, int size, boolean signalNaNs, FpStatus st) {
        Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
        if (x.isNaN() || y.isNaN()) {
            if (x.type == SNAN || y.type == SNAN || signalNaNs) {
                st.raise(IOC);
            }
            return 0b0011;
        }
        int c = compareValues(x, y);
        return c == 0 ? 0b0110 : c < 0 ? 0b1000 : 0b0010;
    }

    /** FPRoundInt: to an integral value in {@code rmode}; {@code exact} (FRINTX) raises IXC when inexact. */
    public static long roundInt(long a, int size, int rmode, boolean exact, FpStatus st) {
        Unpacked x = unpack(a, size, st);
        if (x.isNaN()) {
            return processNaN(x, a, size, st);
        }
        if (x.type == INF) {
            return infinity(size, x.sign);
        }
        if (x.type == ZERO) {
            return zero(size, x.sign);
        }
        if (x.exp >= 0) {
            return a & mask(size); // already integral
        }
        BigInteger m = signed(x);
        BigInteger[] qr = divFloor(m, -x.exp);
        BigInteger intResult = qr[0];
        int errCmp = qr[1].compareTo(BigInteger.ONE.shiftLeft(-x.exp - 1)); // error vs 0.5
        boolean errNonzero = qr[1].signum() != 0;
        boolean roundUp = roundUp(rmode, errCmp, errNonzero, intResult);
        if (roundUp) {
            intResult = intResult.add(BigInteger.ONE);
        }
        long result = intResult.signum() == 0 ? zero(size, x.sign)
                : round(intResult.signum() < 0, intResult.abs(), 0, false, size, st, RN, false);
        if (errNonzero && exact) {
            st.raise(IXC);
        }
        return result;
    }

    /**
     * Whether RoundDown(x) = {@code intResult} goes up by one, the error x - intResult compared with
     * one half being {@code errCmp} (FPRoundInt and FPToFixed share the rule).
     */
    private static boolean roundUp(int rmode, int errCmp, boolean errNonzero, BigInteger intResult) {
        return switch (rmode) {
            case RN -> errCmp > 0 || (errCmp == 0 && intResult.testBit(0));
            case RA -> errCmp > 0 || (errCmp == 0 && intResult.signum() >= 0); // ties away from zero
            case RP -> errNonzero;
            case RM -> false;
            default -> errNonzero && intResult.signum() < 0;
        };
    }

    /** floor(m / 2^k) and the non-negative remainder. */
    private static BigInteger[] divFloor(BigInteger m, int k) {
        BigInteger q = m.shiftRight(k); // arithmetic shift = floor
        return new BigInteger[] {q, m.subtract(q.shiftLeft(k))};
    }

    /** FPConvert between precisions (FCVT); half precision is IEEE (FPCR.AHP not modelled). */
    public static long convert(long a, int from, int to, FpStatus st) {
        long r = FastFloat.convert(a, from, to, st);
        return r != FastFloat.FAIL ? r : convert(a, from, to, st.rmode(), st);
    }

    /** FPConvert with an explicit rounding mode (FCVTXN rounds to odd). */
    public static long convert(long a, int from, int to, int rmode, FpStatus st) {
        Unpacked x = unpack(a, from, st, from != 1);
        if (x.isNaN()) {
            long r;
            if (st.dn()) {
                r = defaultNaN(to);
            } else {
                int ff = fracBits(from), tf = fracBits(to);
                long payload = a & ((1L << ff) - 1);
                payload = ff > tf ? payload >>> (ff - tf) : payload << (tf - ff);
                r = infinity(to, x.sign) | payload | 1L << (tf - 1);
            }
            if (x.type == SNAN) {
                st.raise(IOC);
            }
            return r;
        }
        if (x.type == INF) {
            return infinity(to, x.sign);
        }
        if (x.type == ZERO) {
            return zero(to, x.sign);
        }
        return round(x.sign, BigInteger.valueOf(x.mant), x.exp, false, to, st, rmode, to != 1 && st.fz());
    }

    /**
     * FPToFixed: to a signed or unsigned integer of {@code intBits} bits with {@code fbits} fraction
     * bits, saturating (IOC on overflow and on NaN, which gives 0); IXC when inexact.
     */
    public static long toFixed(long a, int size, int fbits, boolean unsigned, int intBits, int rmode, FpStatus st) {
        if (fbits == 0 && rmode == RZ) {
            long r = FastFloat.toIntTowardZero(a, size, unsigned, intBits, st);
            if (r != FastFloat.FAIL) {
                return r;
            }
        }
        return exactToFixed(a, size, fbits, unsigned, intBits, rmode, st);
    }

    static long exactToFixed(long a, int size, int fbits, boolean unsigned, int intBits, int rmode, FpStatus st) {
        Unpacked x = unpack(a, size, st);
        if (x.isNaN()) {
            st.raise(IOC);
            return 0;
        }
        BigInteger intResult;
        boolean errNonzero;
        if (x.type == INF) {
            intResult = x.sign ? BigInteger.ONE.shiftLeft(4096).negate() : BigInteger.ONE.shiftLeft(4096);
            errNonzero = false;
        } else if (x.type == ZERO) {
            intResult = BigInteger.ZERO;
            errNonzero = false;
        } else {
            int e = x.exp + fbits;
            BigInteger m = signed(x);
            if (e >= 0) {
                intResult = m.shiftLeft(e);
                errNonzero = false;
            } else {
                BigInteger[] qr = divFloor(m, -e);
                intResult = qr[0];
                errNonzero = qr[1].signum() != 0;
                int errCmp = qr[1].compareTo(BigInteger.ONE.shiftLeft(-e - 1));
                boolean roundUp = roundUp(rmode, errCmp, errNonzero, intResult);
                if (roundUp) {
                    intResult = intResult.add(BigInteger.ONE);
                }
            }
        }
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(intBits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(intBits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(intBits - 1).subtract(BigInteger.ONE);
        if (intResult.compareTo(max) > 0) {
            st.raise(IOC);
            intResult = max;
        } else if (intResult.compareTo(min) < 0) {
            st.raise(IOC);
            intResult = min;
        } else if (errNonzero) {
            st.raise(IXC);
        }
        long r = intResult.longValue();
        return intBits == 64 ? r : r & ((1L << intBits) - 1);
    }

    /** FixedToFP: a signed or unsigned {@code intBits}-bit integer with {@code fbits} fraction bits, rounded per FPCR. */
    public static long fromFixed(long v, int intBits, boolean unsigned, int fbits, int size, FpStatus st) {
        long r = fbits == 0 ? FastFloat.fromInt(v, intBits, unsigned, size, st) : FastFloat.FAIL;
        return r != FastFloat.FAIL ? r : exactFromFixed(v, intBits, unsigned, fbits, size, st);
    }

    static long exactFromFixed(long v, int intBits, boolean unsigned, int fbits, int size, FpStatus st) {
        BigInteger b;
        if (intBits == 32) {
            b = BigInteger.valueOf(unsigned ? v & 0xffffffffL : (int) v);
        } else {
            b = unsigned ? new BigInteger(Long.toUnsignedString(v)) : BigInteger.valueOf(v);
        }
        if (b.signum() == 0) {
            return zero(size, false);
        }
        return round(b.signum() < 0, b.abs(), -fbits, false, size, st);
    }

    /** FPMulX: FPMul except that infinity times zero is 2.0 with the product's sign. */
    public static long mulX(long a, long b, int size, FpStatus st) {
        Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
        boolean infZero = (x.type == INF && y.type == ZERO) || (x.type == ZERO && y.type == INF);
        if (infZero && !x.isNaN() && !y.isNaN()) {
            return constant(2, size, x.sign ^ y.sign);
        }
        return mul(a, b, size, st);
    }

    /** FRECPS (FPRecipStepFused): 2 - a*b, one rounding; infinity times zero gives 2.0. */
    public static long recipStep(long a, long b, int size, FpStatus st) {
        return stepFused(a, b, 2, 0, size, st);
    }

    /** FRSQRTS (FPRSqrtStepFused): (3 - a*b) / 2, one rounding; infinity times zero gives 1.5. */
    public static long rsqrtStep(long a, long b, int size, FpStatus st) {
        return stepFused(a, b, 3, -1, size, st);
    }

    private static long stepFused(long a, long b, int k, int scale, int size, FpStatus st) {
        long na = neg(a, size);
        Unpacked x = unpack(na, size, st), y = unpack(b, size, st);
        if (!x.isNaN() && !y.isNaN()
                && ((x.type == INF && y.type == ZERO) || (x.type == ZERO && y.type == INF))) {
            return scale == 0 ? constant(2, size, false) : constant(3, size, false) - (1L << fracBits(size)); // 1.5
        }
        return mulAdd(constant(k, size, false), na, b, scale, size, st);
    }

    /** A small integer constant (2 or 3) in the format. */
    static long constant(int k, int size, boolean negative) {
        int e = 31 - Integer.numberOfLeadingZeros(k);
        long frac = ((long) k << fracBits(size) >>> e) & ((1L << fracBits(size)) - 1);
        return ((long) (bias(size) + e) << fracBits(size) | frac) | (negative ? signBit(size) : 0);
    }

    /**
     * Vector compares (FCMEQ, FCMGE, FCMGT): whether a == b, a >= b or a > b; a NaN makes it false
     * and raises IOC (for equality only a signalling NaN does).
     */
    public static boolean compareOrdered(long a, long b, int size, int kind, FpStatus st) {
        int c = FastFloat.compare(a, b, size);
        if (c >= 0) {
            return kind == CMP_EQ ? c == 0b0110 : kind == CMP_GE ? c != 0b1000 : c == 0b0010;
        }
        return exactCompareOrdered(a, b, size, kind, st);
    }

    static boolean exactCompareOrdered(long a, long b, int size, int kind, FpStatus st) {
        Unpacked x = unpack(a, size, st), y = unpack(b, size, st);
        if (x.isNaN() || y.isNaN()) {
            if (kind != CMP_EQ || x.type == SNAN || y.type == SNAN) {
                st.raise(IOC);
            }
            return false;
        }
        int c = compareValues(x, y);
        return kind == CMP_EQ ? c == 0 : kind == CMP_GE ? c >= 0 : c > 0;
    }

    public static final int CMP_EQ = 0, CMP_GE = 1, CMP_GT = 2;

    public static long neg(long a, int size) {
        return (a ^ signBit(size)) & mask(size);
    }

    public static long abs(long a, int size) {
        return a & ~signBit(size) & mask(size);
    }
}
