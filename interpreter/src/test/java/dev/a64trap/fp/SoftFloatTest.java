package dev.a64trap.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Properties of the soft-float core against an independent reference: BigDecimal holds every
 * operation's exact value (or compares a candidate with it exactly, for division and square root),
 * and the reference picks the neighbouring representable values and rounds by the mode's rule.
 * Results and the IXC/UFC/OFC flags must agree, in every rounding mode, in single and double.
 */
class SoftFloatTest {
    private static final long SEED = Long.getLong("softfloat.seed", 20261206L);
    private static final int N = Integer.getInteger("softfloat.n", 3000);
    private static final int[] MODES = {SoftFloat.RN, SoftFloat.RP, SoftFloat.RM, SoftFloat.RZ};

    /** A random finite operand biased to edges: zeros, denormals, extremes, nearby exponents. */
    private static long operand(SplittableRandom r, int size) {
        int f = SoftFloat.fracBits(size), e = SoftFloat.expBits(size);
        long sign = r.nextBoolean() ? SoftFloat.signBit(size) : 0;
        long frac = r.nextLong() & ((1L << f) - 1);
        if (r.nextInt(4) == 0) {
            frac = r.nextBoolean() ? frac & 0xf : frac | ((1L << f) - 1) & ~0xfL; // short or long runs
        }
        long maxExp = (1L << e) - 2;
        long exp = switch (r.nextInt(6)) {
            case 0 -> 0; // denormal or zero
            case 1 -> 1 + r.nextInt(3);
            case 2 -> maxExp - r.nextInt(3);
            default -> SoftFloat.bias(size) - 40 + r.nextInt(80);
        };
        return sign | exp << f | frac;
    }

    private static BigDecimal exact(long bits, int size) {
        double d = size == 3 ? Double.longBitsToDouble(bits) : Float.intBitsToFloat((int) bits);
        return new BigDecimal(d);
    }

    private static BigDecimal pow2(int n) {
        return n >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(n)) : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-n)));
    }

    /** Exact value of a non-NaN bit pattern, infinities as +-2^(emax+1) (the rounding boundary). */
    private static BigDecimal value(long bits, int size) {
        long expAll = (1L << SoftFloat.expBits(size)) - 1;
        if ((bits >>> SoftFloat.fracBits(size) & expAll) == expAll) {
            BigDecimal big = pow2(SoftFloat.bias(size) + 1);
            return (bits & SoftFloat.signBit(size)) != 0 ? big.negate() : big;
        }
        return exact(bits, size);
    }

    /** The next representable value above (towards +inf) in the ordering of bit patterns. */
    private static long up(long bits, int size) {
        long sb = SoftFloat.signBit(size);
        if (bits == sb) {
            return 1;
        }
        return (bits & sb) != 0 ? bits - 1 : bits + 1;
    }

    private static long down(long bits, int size) {
        long sb = SoftFloat.signBit(size);
        if (bits == 0) {
            return sb | 1;
        }
        return (bits & sb) != 0 ? bits + 1 : bits - 1;
    }

    record Ref(long bits, int flags) {}

    /**
     * The correctly rounded result for an exact value X known through {@code cmp} (sign of
     * candidate - X), starting from a nearby candidate.
     */
    private static Ref reference(long start, Function<BigDecimal, Integer> cmp, int size, int mode, boolean xNegative) {
        // At or beyond the overflow boundary 2^(emax+1): no neighbours to walk between.
        long inf = SoftFloat.infinity(size, xNegative);
        if (xNegative ? cmp.apply(value(inf, size)) >= 0 : cmp.apply(value(inf, size)) <= 0) {
            boolean toInf = mode == SoftFloat.RN || (mode == SoftFloat.RP && !xNegative) || (mode == SoftFloat.RM && xNegative);
            return new Ref(toInf ? inf : SoftFloat.maxNormal(size, xNegative), FpStatus.OFC | FpStatus.IXC);
        }
        long d = start;
        long expAll0 = (1L << SoftFloat.expBits(size)) - 1;
        if ((d >>> SoftFloat.fracBits(size) & expAll0) == expAll0) {
            d = SoftFloat.maxNormal(size, xNegative); // start below the boundary
        }
        int c = cmp.apply(value(d, size));
        if (c == 0) {
            return new Ref(d, 0);
        }
        long lo, hi;
        if (c > 0) {
            hi = d;
            lo = down(d, size);
            while (cmp.apply(value(lo, size)) > 0) {
                hi = lo;
                lo = down(lo, size);
            }
        } else {
            lo = d;
            hi = up(d, size);
            while (cmp.apply(value(hi, size)) < 0) {
                lo = hi;
                hi = up(hi, size);
            }
        }
        if (cmp.apply(value(lo, size)) == 0) {
            return new Ref(lo, 0);
        }
        if (cmp.apply(value(hi, size)) == 0) {
            return new Ref(hi, 0);
        }
        long pick;
        switch (mode) {
            case SoftFloat.RP -> pick = hi;
            case SoftFloat.RM -> pick = lo;
            case SoftFloat.RZ -> pick = xNegative ? hi : lo;
            default -> {
                BigDecimal mid = value(lo, size).add(value(hi, size)).divide(BigDecimal.valueOf(2));
                int m = cmp.apply(mid);
                pick = m > 0 ? lo : m < 0 ? hi : ((lo & 1) == 0 ? lo : hi);
            }
        }
        // A rounded +-0 keeps the sign of X.
        long sb = SoftFloat.signBit(size);
        if ((pick & ~sb) == 0) {
            pick = xNegative ? sb : 0;
        }
        int flags = FpStatus.IXC;
        long expAll = (1L << SoftFloat.expBits(size)) - 1;
        boolean isInf = (pick >>> SoftFloat.fracBits(size) & expAll) == expAll;
        // Overflow: the result rounded with an unbounded exponent lies beyond the largest finite value,
        // i.e. it rounded to the boundary 2^(emax+1), the infinity pattern's value here.
        if (isInf) {
            flags |= FpStatus.OFC;
        }
        BigDecimal minNormal = pow2(1 - SoftFloat.bias(size));
        if (cmp.apply(minNormal) > 0 && cmp.apply(minNormal.negate()) < 0) {
            flags |= FpStatus.UFC;
        }
        // Overflow of X that is exactly representable cannot happen; infinities in RN come from OFC.
        if (isInf && (flags & FpStatus.OFC) == 0) {
            fail("reference: infinity without overflow");
        }
        return new Ref(pick, flags);
    }

    private static FpStatus status(int mode) {
        FpStatus st = new FpStatus();
        st.fpcr = (long) mode << FpStatus.RMODE_SHIFT;
        return st;
    }

    private interface Op2 {
        long apply(long a, long b, int size, FpStatus st);
    }

    private static void check(String name, int size, long[] in, long got, FpStatus st, Ref ref, int mode) {
        if (got != ref.bits() || (st.fpsr & 0x1f) != ref.flags()) {
            StringBuilder b = new StringBuilder(name + " size " + size + " mode " + mode + " seed " + SEED + ":");
            for (long x : in) {
                b.append(String.format(" %x", x));
            }
            fail(b + String.format(" -> %x flags %x, reference %x flags %x", got, st.fpsr, ref.bits(), ref.flags()));
        }
    }

    private static long approx(BigDecimal x, int size) {
        return size == 3 ? Double.doubleToRawLongBits(x.doubleValue()) : Float.floatToRawIntBits(x.floatValue()) & 0xffffffffL;
    }

    private static boolean isZero(long bits, int size) {
        return (bits & ~SoftFloat.signBit(size) & SoftFloat.mask(size)) == 0;
    }

    /** add, sub, mul, fma: exact values from BigDecimal; nonzero exact results only (zero signs have their own test). */
    @Test
    void exactOperationsRoundLikeTheReferenceInEveryMode() {
        SplittableRandom r = new SplittableRandom(SEED);
        for (int size = 2; size <= 3; size++) {
            for (int i = 0; i < N; i++) {
                long a = operand(r, size), b0 = operand(r, size), c = operand(r, size);
                long b = b0;
                if (r.nextInt(3) == 0) { // nearby exponents: cancellation
                    b = b0 & ~(((1L << SoftFloat.expBits(size)) - 1) << SoftFloat.fracBits(size))
                            | a & (((1L << SoftFloat.expBits(size)) - 1) << SoftFloat.fracBits(size));
                }
                final long bb = b;
                final int sz = size;
                BigDecimal va = exact(a, size), vb = exact(b, size), vc = exact(c, size);
                for (int mode : MODES) {
                    checkExact("add", sz, mode, new long[] {a, bb}, va.add(vb), st -> SoftFloat.add(a, bb, sz, st));
                    checkExact("sub", sz, mode, new long[] {a, bb}, va.subtract(vb), st -> SoftFloat.sub(a, bb, sz, st));
                    checkExact("mul", sz, mode, new long[] {a, bb}, va.multiply(vb), st -> SoftFloat.mul(a, bb, sz, st));
                    checkExact("fma", sz, mode, new long[] {c, a, bb}, vc.add(va.multiply(vb)),
                            st -> SoftFloat.mulAdd(c, a, bb, sz, st));
                }
            }
        }
    }

    private static void checkExact(String name, int size, int mode, long[] in, BigDecimal x,
            Function<FpStatus, Long> op) {
        if (x.signum() == 0) {
            return;
        }
        FpStatus st = status(mode);
        long got = op.apply(st);
        Ref ref = reference(approx(x, size), v -> v.compareTo(x), size, mode, x.signum() < 0);
        check(name, size, in, got, st, ref, mode);
    }

    @Test
    void divisionAndSquareRootRoundLikeTheReferenceInEveryMode() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        for (int size = 2; size <= 3; size++) {
            for (int i = 0; i < N; i++) {
                long a = operand(r, size), b = operand(r, size);
                if (isZero(a, size) || isZero(b, size)) {
                    continue;
                }
                BigDecimal va = exact(a, size), vb = exact(b, size);
                boolean neg = (va.signum() < 0) != (vb.signum() < 0);
                BigDecimal q = va.divide(vb, new MathContext(60));
                for (int mode : MODES) {
                    FpStatus st = status(mode);
                    long got = SoftFloat.div(a, b, size, st);
                    // candidate - a/b has the sign of (candidate * b - a) * sign(b)
                    Ref ref = reference(approx(q, size), v -> v.multiply(vb).subtract(va).signum() * vb.signum(),
                            size, mode, neg);
                    check("div", size, new long[] {a, b}, got, st, ref, mode);
                    long pa = a & ~SoftFloat.signBit(size);
                    BigDecimal vpa = exact(pa, size);
                    FpStatus s2 = status(mode);
                    long root = SoftFloat.sqrt(pa, size, s2);
                    BigDecimal approxRoot = vpa.sqrt(new MathContext(60));
                    Ref rr = reference(approx(approxRoot, size), v -> v.signum() < 0 ? -1 : v.multiply(v).compareTo(vpa),
                            size, mode, false);
                    check("sqrt", size, new long[] {pa}, root, s2, rr, mode);
                }
            }
        }
    }

    @Test
    void roundToNearestAgreesWithJavaIncludingOverflowAndSubnormals() {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        FpStatus st = status(SoftFloat.RN);
        for (int i = 0; i < 20 * N; i++) {
            long a = operand(r, 3), b = operand(r, 3), c = operand(r, 3);
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), z = Double.longBitsToDouble(c);
            assertEquals(Double.doubleToRawLongBits(x + y), SoftFloat.add(a, b, 3, st), () -> hex("add", a, b));
            assertEquals(Double.doubleToRawLongBits(x * y), SoftFloat.mul(a, b, 3, st), () -> hex("mul", a, b));
            assertEquals(Double.doubleToRawLongBits(x / y), SoftFloat.div(a, b, 3, st), () -> hex("div", a, b));
            assertEquals(Double.doubleToRawLongBits(Math.fma(x, y, z)), SoftFloat.mulAdd(c, a, b, 3, st), () -> hex("fma", a, b));
            if (x >= 0) {
                assertEquals(Double.doubleToRawLongBits(Math.sqrt(x)), SoftFloat.sqrt(a, 3, st), () -> hex("sqrt", a, b));
            }
            long fa = operand(r, 2), fb = operand(r, 2);
            float fx = Float.intBitsToFloat((int) fa), fy = Float.intBitsToFloat((int) fb);
            assertEquals(Float.floatToRawIntBits(fx + fy) & 0xffffffffL, SoftFloat.add(fa, fb, 2, st), () -> hex("fadd", fa, fb));
            assertEquals(Float.floatToRawIntBits(fx / fy) & 0xffffffffL, SoftFloat.div(fa, fb, 2, st), () -> hex("fdiv", fa, fb));
            assertEquals(Float.floatToRawIntBits((float) x) & 0xffffffffL, SoftFloat.convert(a, 3, 2, st), () -> hex("fcvt", a, 0));
            assertEquals(Double.doubleToRawLongBits(fx), SoftFloat.convert(fa, 2, 3, st), () -> hex("fcvt", fa, 0));
        }
    }

    private static String hex(String op, long a, long b) {
        return String.format("%s %x %x (seed %d)", op, a, b, SEED);
    }

    @Test
    void conversionsToIntegersRoundSaturateAndFlagLikeTheReference() {
        SplittableRandom r = new SplittableRandom(SEED + 3);
        RoundingMode[] jm = {RoundingMode.HALF_EVEN, RoundingMode.CEILING, RoundingMode.FLOOR, RoundingMode.DOWN, RoundingMode.HALF_UP};
        for (int i = 0; i < N; i++) {
            int size = 2 + r.nextInt(2);
            long a = operand(r, size);
            BigDecimal va = exact(a, size);
            for (int mode = 0; mode < 5; mode++) {
                for (int intBits : new int[] {32, 64}) {
                    for (boolean unsigned : new boolean[] {false, true}) {
                        int fbits = r.nextInt(4) == 0 ? r.nextInt(intBits) + 1 : 0;
                        BigDecimal scaled = va.multiply(pow2(fbits));
                        BigInteger rounded = scaled.setScale(0, jm[mode]).toBigIntegerExact();
                        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(intBits - 1).negate();
                        BigInteger max = (unsigned ? BigInteger.ONE.shiftLeft(intBits) : BigInteger.ONE.shiftLeft(intBits - 1))
                                .subtract(BigInteger.ONE);
                        int flags;
                        if (rounded.compareTo(max) > 0) {
                            rounded = max;
                            flags = FpStatus.IOC;
                        } else if (rounded.compareTo(min) < 0) {
                            rounded = min;
                            flags = FpStatus.IOC;
                        } else {
                            flags = scaled.compareTo(new BigDecimal(rounded)) != 0 ? FpStatus.IXC : 0;
                        }
                        long want = rounded.longValue() & (intBits == 64 ? -1L : 0xffffffffL);
                        FpStatus st = status(0);
                        long got = SoftFloat.toFixed(a, size, fbits, unsigned, intBits, mode, st);
                        String msg = String.format("fcvt %x size %d mode %d int%d unsigned %b fbits %d", a, size, mode,
                                intBits, unsigned, fbits);
                        assertEquals(want, got, msg);
                        assertEquals(flags, st.fpsr, msg);
                    }
                }
            }
            long v = r.nextLong();
            for (int mode : MODES) {
                int fbits = r.nextInt(3) == 0 ? r.nextInt(64) + 1 : 0;
                BigDecimal x = new BigDecimal(v).multiply(pow2(-fbits));
                FpStatus st = status(mode);
                long got = SoftFloat.fromFixed(v, 64, false, fbits, size, st);
                if (x.signum() != 0) {
                    check("scvtf", size, new long[] {v}, got, st,
                            reference(approx(x, size), c -> c.compareTo(x), size, mode, x.signum() < 0), mode);
                }
            }
        }
    }

    @Test
    void nanPropagationDefaultNaNAndFlushToZero() {
        FpStatus st = new FpStatus();
        long snan = 0x7ff0_0000_0000_0001L, qnan = 0xfff8_0000_0000_0002L, one = Double.doubleToRawLongBits(1.0);
        assertEquals(0x7ff8_0000_0000_0001L, SoftFloat.add(qnan, snan, 3, st), "the signalling NaN wins, quietened");
        assertEquals(FpStatus.IOC, st.fpsr);
        st.fpsr = 0;
        assertEquals(qnan, SoftFloat.mul(one, qnan, 3, st), "a quiet NaN propagates unchanged, no flag");
        assertEquals(0, st.fpsr);
        st.fpcr = FpStatus.DN;
        assertEquals(0x7ff8_0000_0000_0000L, SoftFloat.mul(one, qnan, 3, st), "FPCR.DN: the default NaN");
        assertEquals(0x7fc0_0000L, SoftFloat.sqrt(0xbf80_0000L, 2, st), "sqrt(-1) = default NaN");
        assertEquals(FpStatus.IOC, st.fpsr);
        // FMADD: a quiet NaN addend with inf * 0 is the default NaN and Invalid, even without DN.
        st.fpcr = 0;
        st.fpsr = 0;
        assertEquals(0x7ff8_0000_0000_0000L, SoftFloat.mulAdd(qnan, 0x7ff0_0000_0000_0000L, 0, 3, st));
        assertEquals(FpStatus.IOC, st.fpsr);
        // Flush-to-zero: a denormal input counts as zero (IDC), a denormal result becomes zero (UFC, no IXC).
        st.fpcr = FpStatus.FZ;
        st.fpsr = 0;
        assertEquals(one, SoftFloat.add(one, 1, 3, st));
        assertEquals(FpStatus.IDC, st.fpsr);
        st.fpsr = 0;
        long tiny = Double.doubleToRawLongBits(Double.MIN_NORMAL);
        assertEquals(0, SoftFloat.mul(tiny, Double.doubleToRawLongBits(0.5), 3, st));
        assertEquals(FpStatus.UFC, st.fpsr);
        // Exact zero sums: +0, or -0 when rounding towards minus infinity.
        st.fpcr = 0;
        assertEquals(0, SoftFloat.sub(one, one, 3, st));
        st.fpcr = (long) SoftFloat.RM << FpStatus.RMODE_SHIFT;
        assertEquals(0x8000_0000_0000_0000L, SoftFloat.sub(one, one, 3, st));
    }

    @Test
    void maxMinAndCompare() {
        FpStatus st = new FpStatus();
        long pz = 0, nz = 0x8000_0000_0000_0000L, qnan = 0x7ff8_0000_0000_0000L;
        long one = Double.doubleToRawLongBits(1.0);
        assertEquals(pz, SoftFloat.maxMin(nz, pz, true, false, 3, st), "max(-0, +0) = +0");
        assertEquals(nz, SoftFloat.maxMin(pz, nz, false, false, 3, st), "min(+0, -0) = -0");
        assertEquals(qnan, SoftFloat.maxMin(one, qnan, true, false, 3, st), "fmax propagates the NaN");
        assertEquals(one, SoftFloat.maxMin(one, qnan, true, true, 3, st), "fmaxnm: the number wins");
        assertEquals(0b0011, SoftFloat.compare(one, qnan, 3, false, st));
        assertEquals(0, st.fpsr, "fcmp with a quiet NaN raises nothing");
        assertEquals(0b0011, SoftFloat.compare(one, qnan, 3, true, st));
        assertEquals(FpStatus.IOC, st.fpsr, "fcmpe does");
        assertEquals(0b0110, SoftFloat.compare(pz, nz, 3, false, st));
        assertEquals(0b1000, SoftFloat.compare(nz, one, 3, false, st));
        assertEquals(0b0010, SoftFloat.compare(one, pz, 3, false, st));
    }

    @Test
    void roundToIntegralInEachMode() {
        double[] in = {2.5, -2.5, 0.5, -0.5, 1.25, -1.75};
        double[][] want = { // RN, RP, RM, RZ, RA
            {2, 3, 2, 2, 3}, {-2, -2, -3, -2, -3}, {0, 1, 0, 0, 1}, {-0.0, -0.0, -1, -0.0, -1},
            {1, 2, 1, 1, 1}, {-2, -1, -2, -1, -2}};
        for (int k = 0; k < in.length; k++) {
            for (int mode = 0; mode < 5; mode++) {
                FpStatus st = new FpStatus();
                long got = SoftFloat.roundInt(Double.doubleToRawLongBits(in[k]), 3, mode, true, st);
                assertEquals(Double.doubleToRawLongBits(want[k][mode]), got, in[k] + " mode " + mode);
                assertEquals(FpStatus.IXC, st.fpsr, "frintx flags inexact");
            }
        }
    }

    /**
     * The Java-arithmetic fast paths (FastFloat) give the exact path's result and FPSR, bit for
     * bit: random operands (edges included), round-to-nearest with FZ and DN either way, IXC
     * already set or not. A fast path that declines is fine; one that answers must be right.
     */
    @Test
    void fastPathsAgreeWithTheExactPathResultsAndFlags() {
        SplittableRandom r = new SplittableRandom(SEED + 7);
        int answered = 0;
        for (int k = 0; k < 20 * N; k++) {
            int size = r.nextBoolean() ? 2 : 3;
            long a = operand(r, size), b = operand(r, size), c = operand(r, size);
            long fpcr = (r.nextBoolean() ? FpStatus.FZ : 0) | (r.nextBoolean() ? FpStatus.DN : 0);
            long fpsr = r.nextBoolean() ? FpStatus.IXC : 0;
            int op = r.nextInt(7);
            FpStatus fast = new FpStatus(), slow = new FpStatus();
            fast.fpcr = slow.fpcr = fpcr;
            fast.fpsr = slow.fpsr = fpsr;
            long got = switch (op) {
                case 0 -> FastFloat.add(a, b, size, fast);
                case 1 -> FastFloat.mul(a, b, size, fast);
                case 2 -> FastFloat.div(a, b, size, fast);
                case 3 -> FastFloat.sqrt(a, size, fast);
                case 4 -> FastFloat.mulAdd(c, a, b, size, fast);
                case 5 -> FastFloat.convert(a, size, 5 - size, fast);
                default -> FastFloat.add(a, SoftFloat.neg(b, size), size, fast); // sub
            };
            if (got == FastFloat.FAIL) {
                continue;
            }
            answered++;
            long want = switch (op) {
                case 0 -> SoftFloat.addSubExact(a, b, false, size, slow);
                case 1 -> SoftFloat.exactMul(a, b, size, slow);
                case 2 -> SoftFloat.exactDiv(a, b, size, slow);
                case 3 -> SoftFloat.exactSqrt(a, size, slow);
                case 4 -> SoftFloat.mulAdd(c, a, b, 0, size, slow);
                case 5 -> SoftFloat.convert(a, size, 5 - size, SoftFloat.RN, slow);
                default -> SoftFloat.addSubExact(a, b, true, size, slow);
            };
            assertEquals(want, got, String.format("op %d size %d a %x b %x c %x fpcr %x fpsr %x", op, size, a, b, c, fpcr, fpsr));
            assertEquals(slow.fpsr, fast.fpsr, String.format("flags of op %d size %d a %x b %x c %x", op, size, a, b, c));
        }
        assertEquals(true, answered > N, "the fast paths answered " + answered + " times");
        // integer conversions (SCVTF/UCVTF, FCVTZS/FCVTZU) against the exact path
        for (int k = 0; k < 10 * N; k++) {
            int size = r.nextBoolean() ? 2 : 3, bits = r.nextBoolean() ? 64 : 32;
            boolean unsigned = r.nextBoolean();
            long iv = r.nextLong() >> r.nextInt(64), a = operand(r, size);
            FpStatus fast = new FpStatus(), slow = new FpStatus();
            fast.fpcr = slow.fpcr = r.nextBoolean() ? FpStatus.FZ : 0;
            long got = FastFloat.fromInt(iv, bits, unsigned, size, fast);
            if (got != FastFloat.FAIL) {
                assertEquals(SoftFloat.exactFromFixed(iv, bits, unsigned, 0, size, slow), got, "scvtf " + Long.toHexString(iv));
                assertEquals(slow.fpsr, fast.fpsr, "scvtf flags " + Long.toHexString(iv));
            }
            fast.fpsr = slow.fpsr = 0;
            got = FastFloat.toIntTowardZero(a, size, unsigned, bits, fast);
            if (got != FastFloat.FAIL) {
                assertEquals(SoftFloat.exactToFixed(a, size, 0, unsigned, bits, SoftFloat.RZ, slow), got, "fcvtzs " + Long.toHexString(a));
                assertEquals(slow.fpsr, fast.fpsr, "fcvtzs flags " + Long.toHexString(a));
            }
        }
    }

    /** The comparison fast paths (FCMP, FCMxx, FMAX/FMIN(NM)) against the exact path, with FZ either way. */
    @Test
    void fastComparisonsAgreeWithTheExactPath() {
        SplittableRandom r = new SplittableRandom(SEED + 11);
        int answered = 0;
        for (int k = 0; k < 20 * N; k++) {
            int size = r.nextBoolean() ? 2 : 3;
            long a = operand(r, size), b = r.nextInt(8) == 0 ? a ^ (r.nextBoolean() ? SoftFloat.signBit(size) : 0) : operand(r, size);
            FpStatus fast = new FpStatus(), slow = new FpStatus();
            fast.fpcr = slow.fpcr = (r.nextBoolean() ? FpStatus.FZ : 0) | (long) r.nextInt(4) << FpStatus.RMODE_SHIFT;
            int c = FastFloat.compare(a, b, size);
            if (c >= 0) {
                answered++;
                assertEquals(SoftFloat.exactCompare(a, b, size, r.nextBoolean(), slow), c, String.format("fcmp %x %x", a, b));
                for (int kind = 0; kind < 3; kind++) {
                    assertEquals(SoftFloat.exactCompareOrdered(a, b, size, kind, slow), SoftFloat.compareOrdered(a, b, size, kind, fast),
                            String.format("fcm kind %d %x %x", kind, a, b));
                }
            }
            boolean max = r.nextBoolean(), numeric = r.nextBoolean();
            long m = FastFloat.maxMin(a, b, max, size);
            if (m != FastFloat.FAIL) {
                assertEquals(SoftFloat.exactMaxMin(a, b, max, numeric, size, slow), m, String.format("max %b %x %x", max, a, b));
            }
            assertEquals(slow.fpsr, fast.fpsr, String.format("flags %x %x", a, b));
        }
        assertEquals(true, answered > N, "the comparison fast path answered " + answered + " times");
    }
}
