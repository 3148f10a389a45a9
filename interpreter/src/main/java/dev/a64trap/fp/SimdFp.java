package dev.a64trap.fp;

/**
 * Advanced SIMD floating point, lane by lane through {@link SoftFloat} (FPCR and FPSR as for the
 * scalar instructions). Operation codes are the encoding's U:a:opcode (a = size bit 23).
 */
public final class SimdFp {
    private SimdFp() {}

    public static final int FMAXNM = 0b0011000, FMLA = 0b0011001, FADD = 0b0011010, FMULX = 0b0011011,
            FCMEQ = 0b0011100, FMAX = 0b0011110, FRECPS = 0b0011111, FMINNM = 0b0111000, FMLS = 0b0111001,
            FSUB = 0b0111010, FMIN = 0b0111110, FRSQRTS = 0b0111111, FMAXNMP = 0b1011000, FADDP = 0b1011010,
            FMUL = 0b1011011, FCMGE = 0b1011100, FACGE = 0b1011101, FMAXP = 0b1011110, FDIV = 0b1011111,
            FMINNMP = 0b1111000, FABD = 0b1111010, FCMGT = 0b1111100, FACGT = 0b1111101, FMINP = 0b1111110;

    private static long lane(long[] x, int index, int size) {
        return size == 3 ? x[index] : x[index >> 1] >>> (32 * (index & 1)) & 0xffffffffL;
    }

    private static void setLane(long[] x, int index, int size, long value) {
        if (size == 3) {
            x[index] = value;
        } else {
            int sh = 32 * (index & 1);
            x[index >> 1] = x[index >> 1] & ~(0xffffffffL << sh) | (value & 0xffffffffL) << sh;
        }
    }

    private static boolean pairwise(int op) {
        return op == FMAXNMP || op == FADDP || op == FMAXP || op == FMINNMP || op == FMINP;
    }

    /** Vd = Vn op Vm, {@code size} 2 (single) or 3 (double). */
    public static void threeSame(long[] v, FpStatus st, int op, int size, boolean q, int d, int n, int m) {
        long[] a = {v[2 * n], v[2 * n + 1]}, b = {v[2 * m], v[2 * m + 1]}, acc = {v[2 * d], v[2 * d + 1]};
        long[] out = new long[2];
        int lanes = (q ? 16 : 8) >> size;
        for (int e = 0; e < lanes; e++) {
            long x, y;
            if (pairwise(op)) {
                long[] src = e < lanes / 2 ? a : b;
                int i = (2 * e) % lanes;
                x = lane(src, i, size);
                y = lane(src, i + 1, size);
            } else {
                x = lane(a, e, size);
                y = lane(b, e, size);
            }
            setLane(out, e, size, element(op, x, y, lane(acc, e, size), size, st));
        }
        v[2 * d] = out[0];
        v[2 * d + 1] = q ? out[1] : 0;
    }

    private static long element(int op, long x, long y, long acc, int size, FpStatus st) {
        long ones = size == 3 ? -1L : 0xffffffffL;
        return switch (op) {
            case FMAXNM, FMAXNMP -> SoftFloat.maxMin(x, y, true, true, size, st);
            case FMINNM, FMINNMP -> SoftFloat.maxMin(x, y, false, true, size, st);
            case FMAX, FMAXP -> SoftFloat.maxMin(x, y, true, false, size, st);
            case FMIN, FMINP -> SoftFloat.maxMin(x, y, false, false, size, st);
            case FMLA -> SoftFloat.mulAdd(acc, x, y, size, st);
            case FMLS -> SoftFloat.mulAdd(acc, SoftFloat.neg(x, size), y, size, st);
            case FADD, FADDP -> SoftFloat.add(x, y, size, st);
            case FSUB -> SoftFloat.sub(x, y, size, st);
            case FMUL -> SoftFloat.mul(x, y, size, st);
            case FMULX -> SoftFloat.mulX(x, y, size, st);
            case FDIV -> SoftFloat.div(x, y, size, st);
            case FABD -> SoftFloat.abs(SoftFloat.sub(x, y, size, st), size);
            case FRECPS -> SoftFloat.recipStep(x, y, size, st);
            case FRSQRTS -> SoftFloat.rsqrtStep(x, y, size, st);
            case FCMEQ -> SoftFloat.compareOrdered(x, y, size, SoftFloat.CMP_EQ, st) ? ones : 0;
            case FCMGE -> SoftFloat.compareOrdered(x, y, size, SoftFloat.CMP_GE, st) ? ones : 0;
            case FCMGT -> SoftFloat.compareOrdered(x, y, size, SoftFloat.CMP_GT, st) ? ones : 0;
            case FACGE -> SoftFloat.compareOrdered(SoftFloat.abs(x, size), SoftFloat.abs(y, size), size,
                    SoftFloat.CMP_GE, st) ? ones : 0;
            case FACGT -> SoftFloat.compareOrdered(SoftFloat.abs(x, size), SoftFloat.abs(y, size), size,
                    SoftFloat.CMP_GT, st) ? ones : 0;
            default -> throw new IllegalArgumentException("SIMD FP op " + op);
        };
    }

    // ---- two-register miscellaneous (U:a:opcode) and across lanes

    /** Mnemonic, or null, of each U:a:opcode of the FP two-register group (opcode 01100..11111). */
    public static final int FCMGT0 = 0b0101100, FCMEQ0 = 0b0101101, FCMLT0 = 0b0101110, FABS = 0b0101111,
            FCMGE0 = 0b1101100, FCMLE0 = 0b1101101, FNEG = 0b1101111, FSQRT = 0b1111111,
            SCVTF = 0b0011101, UCVTF = 0b1011101, FCVTN = 0b0010110, FCVTXN = 0b1010110, FCVTL = 0b0010111,
            FRECPE = 0b0111101, FRSQRTE = 0b1111101, URECPE = 0b0111100, URSQRTE = 0b1111100, FRECPX = 0b0111111;

    /** Whether an FP two-register op narrows (FCVTN, FCVTXN): {@code size} names the destination. */
    public static boolean narrows(int op) {
        return op == FCVTN || op == FCVTXN;
    }

    /**
     * Vd = op(Vn) lane by lane. {@code size} is the lane size, for FCVTN/FCVTXN the narrow
     * destination's and for FCVTL the wide destination's (1 = half, 2 = single, 3 = double).
     */
    public static void twoMisc(long[] v, FpStatus st, int op, int size, boolean q, int d, int n) {
        long[] a = {v[2 * n], v[2 * n + 1]}, out = new long[2];
        if (narrows(op)) { // to the lower half (Q=0) or the upper half keeping the lower (FCVTN2)
            int lanes = 8 >> size, bits = 8 << size;
            long packed = 0;
            for (int e = 0; e < lanes; e++) {
                long x = Lanes.get(v, n, e, size + 1);
                long r = op == FCVTXN ? SoftFloat.convert(x, 3, 2, SoftFloat.RO, st) : SoftFloat.convert(x, size + 1, size, st);
                packed |= (r & ((1L << bits) - 1)) << (e * bits);
            }
            if (q) {
                v[2 * d + 1] = packed;
            } else {
                v[2 * d] = packed;
                v[2 * d + 1] = 0;
            }
            return;
        }
        if (op == FCVTL) { // from the lower or upper (FCVTL2) half
            int lanes = 16 >> size;
            for (int e = 0; e < lanes; e++) {
                long x = Lanes.get(v, n, e + (q ? lanes : 0), size - 1);
                out[e >> (3 - size)] |= SoftFloat.convert(x, size - 1, size, st) << (size == 3 ? 0 : 32 * (e & 1));
            }
            v[2 * d] = out[0];
            v[2 * d + 1] = out[1];
            return;
        }
        int lanes = (q ? 16 : 8) >> size, bits = 8 << size;
        long ones = size == 3 ? -1L : 0xffffffffL;
        int u = op >> 6, hi = op >> 5 & 1, opcode = op & 31;
        for (int e = 0; e < lanes; e++) {
            long x = lane(a, e, size), r;
            switch (op) {
                case FCMGT0 -> r = SoftFloat.compareOrdered(x, 0, size, SoftFloat.CMP_GT, st) ? ones : 0;
                case FCMGE0 -> r = SoftFloat.compareOrdered(x, 0, size, SoftFloat.CMP_GE, st) ? ones : 0;
                case FCMEQ0 -> r = SoftFloat.compareOrdered(x, 0, size, SoftFloat.CMP_EQ, st) ? ones : 0;
                case FCMLE0 -> r = SoftFloat.compareOrdered(0, x, size, SoftFloat.CMP_GE, st) ? ones : 0;
                case FCMLT0 -> r = SoftFloat.compareOrdered(0, x, size, SoftFloat.CMP_GT, st) ? ones : 0;
                case FABS -> r = SoftFloat.abs(x, size);
                case FNEG -> r = SoftFloat.neg(x, size);
                case FSQRT -> r = SoftFloat.sqrt(x, size, st);
                case SCVTF, UCVTF -> r = SoftFloat.fromFixed(x, bits, op == UCVTF, 0, size, st);
                case FRECPE -> r = Estimates.recip(x, size, st);
                case FRSQRTE -> r = Estimates.rsqrt(x, size, st);
                case URECPE -> r = Estimates.unsignedRecip(x);
                case URSQRTE -> r = Estimates.unsignedRsqrt(x);
                case FRECPX -> r = Estimates.recipExponent(x, size, st);
                default -> {
                    if ((opcode & 0b11111) == 0b11000 || (opcode & 0b11111) == 0b11001) {
                        // FRINTN/M (a=0), FRINTP/Z (a=1), FRINTA/X (U=1, a=0), FRINTI (U=1, a=1, 11001)
                        int mode = FRINT_MODES[u << 2 | hi << 1 | (opcode & 1)];
                        r = SoftFloat.roundInt(x, size, mode < 0 ? st.rmode() : mode, u == 1 && hi == 0 && (opcode & 1) == 1, st);
                    } else {
                        // FCVT{N,M,A,P,Z}{S,U}: opcode 11010/11011/11100 with a picking N/M/A or P/Z
                        int mode = CVT_MODES[hi << 2 | (opcode - 0b11010)];
                        r = SoftFloat.toFixed(x, size, 0, u == 1, bits, mode, st);
                    }
                }
            }
            setLane(out, e, size, r);
        }
        v[2 * d] = out[0];
        v[2 * d + 1] = q ? out[1] : 0;
    }

    /** FRINT modes by U:a:opcode<0>: N, M, P, Z, A, X (FPCR), -, I (FPCR). */
    private static final int[] FRINT_MODES = {SoftFloat.RN, SoftFloat.RM, SoftFloat.RP, SoftFloat.RZ, SoftFloat.RA, -1, -1, -1};
    /** FCVT*S/U modes by a:(opcode - 0b11010): N, M, A / P, Z. */
    private static final int[] CVT_MODES = {SoftFloat.RN, SoftFloat.RM, SoftFloat.RA, 0, SoftFloat.RP, SoftFloat.RZ, 0, 0};

    /** Shift-by-immediate conversions (U:opcode): SCVTF, UCVTF, FCVTZS, FCVTZU with {@code fbits} fraction bits. */
    public static final int SCVTF_FIXED = 0b011100, UCVTF_FIXED = 0b111100, FCVTZS_FIXED = 0b011111, FCVTZU_FIXED = 0b111111;

    public static boolean isFixedConvert(int op) {
        return (op & 0b11111) == 0b11100 || (op & 0b11111) == 0b11111;
    }

    public static void fixedConvert(long[] v, FpStatus st, int op, int size, boolean q, int d, int n, int fbits) {
        long[] a = {v[2 * n], v[2 * n + 1]}, out = new long[2];
        int lanes = (q ? 16 : 8) >> size, bits = 8 << size;
        boolean unsigned = op >= 0b100000;
        for (int e = 0; e < lanes; e++) {
            long x = lane(a, e, size);
            setLane(out, e, size, (op & 0b11111) == 0b11100 ? SoftFloat.fromFixed(x, bits, unsigned, fbits, size, st)
                    : SoftFloat.toFixed(x, size, fbits, unsigned, bits, SoftFloat.RZ, st));
        }
        v[2 * d] = out[0];
        v[2 * d + 1] = q ? out[1] : 0;
    }

    public static final int FMAXNMV = 0b1001100, FMAXV = 0b1001111, FMINNMV = 0b1101100, FMINV = 0b1101111;

    /** FMAXNMV/FMAXV/FMINNMV/FMINV on four single lanes: the pseudocode's pairwise reduction tree. */
    public static long across(long[] v, FpStatus st, int op, int n) {
        long[] a = {v[2 * n], v[2 * n + 1]};
        boolean max = (op >> 5 & 1) == 0, numeric = (op & 31) == 0b01100;
        long lo = SoftFloat.maxMin(lane(a, 0, 2), lane(a, 1, 2), max, numeric, 2, st);
        long hi = SoftFloat.maxMin(lane(a, 2, 2), lane(a, 3, 2), max, numeric, 2, st);
        return SoftFloat.maxMin(lo, hi, max, numeric, 2, st);
    }

    // ---- by element (FMLA, FMLS, FMUL, FMULX with one lane of Vm) and scalar pairwise

    public static final int ELEM_FMLA = 0b00001, ELEM_FMLS = 0b00101, ELEM_FMUL = 0b01001, ELEM_FMULX = 0b11001;

    public static void byElement(long[] v, FpStatus st, int op, int size, boolean q, int d, int n, int m, int index) {
        long[] a = {v[2 * n], v[2 * n + 1]}, acc = {v[2 * d], v[2 * d + 1]}, out = new long[2];
        long y = lane(new long[] {v[2 * m], v[2 * m + 1]}, index, size);
        int lanes = (q ? 16 : 8) >> size;
        for (int e = 0; e < lanes; e++) {
            long x = lane(a, e, size), r = switch (op) {
                case ELEM_FMLA -> SoftFloat.mulAdd(lane(acc, e, size), x, y, size, st);
                case ELEM_FMLS -> SoftFloat.mulAdd(lane(acc, e, size), SoftFloat.neg(x, size), y, size, st);
                case ELEM_FMUL -> SoftFloat.mul(x, y, size, st);
                default -> SoftFloat.mulX(x, y, size, st);
            };
            setLane(out, e, size, r);
        }
        v[2 * d] = out[0];
        v[2 * d + 1] = q ? out[1] : 0;
    }

    /** Scalar FADDP/FMAXNMP/FMAXP/FMINNMP/FMINP: the two lanes of a 64-bit (S) or 128-bit (D) Vn. */
    public static long scalarPairwise(long[] v, FpStatus st, int op, int size, int n) {
        long[] a = {v[2 * n], v[2 * n + 1]};
        return element(op, lane(a, 0, size), lane(a, 1, size), 0, size, st);
    }
}
