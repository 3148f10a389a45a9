package dev.a64trap.fp;

/**
 * Advanced SIMD integer semantics, lane by lane on the V register file: three-same, two-register
 * miscellaneous, across-lanes, permutes (ZIP/UZP/TRN, EXT, TBL/TBX) and shifts by immediate. The
 * operation codes are the encodings' own U:opcode values (see decode.FpSimdTable); {@code q}
 * selects 128-bit vectors, a 64-bit result zeroes the upper half.
 */
public final class SimdInt {
    private SimdInt() {}

    private static long[] read(long[] v, int reg) {
        return new long[] {v[2 * reg], v[2 * reg + 1]};
    }

    private static long lane(long[] x, int index, int size) {
        int pos = index << (size + 3);
        long w = x[pos >>> 6];
        return size == 3 ? w : w >>> (pos & 63) & ((1L << (8 << size)) - 1);
    }

    private static void setLane(long[] x, int index, int size, long value) {
        int pos = index << (size + 3);
        int k = pos >>> 6;
        if (size == 3) {
            x[k] = value;
            return;
        }
        long mask = ((1L << (8 << size)) - 1) << (pos & 63);
        x[k] = x[k] & ~mask | value << (pos & 63) & mask;
    }

    private static void write(long[] v, int reg, long[] x, boolean q) {
        v[2 * reg] = x[0];
        v[2 * reg + 1] = q ? x[1] : 0;
    }

    /** A narrowed result: Q=0 fills the low half and zeroes the top; Q=1 (the "2" forms) fills the top, keeping the low. */
    private static void writeNarrow(long[] v, int reg, long packed, boolean q) {
        if (q) {
            v[2 * reg + 1] = packed;
        } else {
            v[2 * reg] = packed;
            v[2 * reg + 1] = 0;
        }
    }

    private static long sx(long value, int size) {
        int sh = 64 - (8 << size);
        return value << sh >> sh;
    }

    private static long ones(int size) {
        return size == 3 ? -1L : (1L << (8 << size)) - 1;
    }

    private static int lanes(boolean q, int size) {
        return (q ? 16 : 8) >> size;
    }

    // ---- three same (U:opcode)

    public static final int HADD = 0b000000, UHADD = 0b100000, RHADD = 0b000010, URHADD = 0b100010,
            LOGIC_A = 0b000011, LOGIC_B = 0b100011, CMGT = 0b000110, CMHI = 0b100110, CMGE = 0b000111,
            CMHS = 0b100111, SSHL = 0b001000, USHL = 0b101000, SMAX = 0b001100, UMAX = 0b101100,
            SMIN = 0b001101, UMIN = 0b101101, SABD = 0b001110, UABD = 0b101110, SABA = 0b001111, UABA = 0b101111,
            ADD = 0b010000, SUB = 0b110000, CMTST = 0b010001, CMEQ = 0b110001, MLA = 0b010010, MLS = 0b110010,
            MUL = 0b010011, PMUL = 0b110011, SMAXP = 0b010100, UMAXP = 0b110100, SMINP = 0b010101,
            UMINP = 0b110101, ADDP = 0b010111, SQADD = 0b000001, UQADD = 0b100001, SQSUB = 0b000101,
            UQSUB = 0b100101, SHSUB = 0b000100, UHSUB = 0b100100, SQSHL = 0b001001, UQSHL = 0b101001,
            SRSHL = 0b001010, URSHL = 0b101010, SQRSHL = 0b001011, UQRSHL = 0b101011, SQDMULH = 0b010110,
            SQRDMULH = 0b110110;

    /** Vd = Vn op Vm for the three-same group. */
    public static void threeSame(long[] v, FpStatus st, int op, int size, boolean q, int d, int n, int m) {
        if (op == ADD || op == SUB) { // the commonest: lane-wise add/sub on whole words, no allocation
            long h = HIGH[size];
            long lo = swar(op, v[2 * n], v[2 * m], h), hi = q ? swar(op, v[2 * n + 1], v[2 * m + 1], h) : 0;
            v[2 * d] = lo;
            v[2 * d + 1] = hi;
            return;
        }
        long[] a = read(v, n), b = read(v, m), r = read(v, d);
        if (op == LOGIC_A || op == LOGIC_B) {
            for (int k = 0; k < 2; k++) {
                r[k] = logic(op == LOGIC_B, size, a[k], b[k], r[k]);
            }
            write(v, d, r, q);
            return;
        }
        int lanes = lanes(q, size);
        if (op == SMAXP || op == UMAXP || op == SMINP || op == UMINP || op == ADDP) {
            // Pairwise: the concatenation Vm:Vn, adjacent pairs.
            long[] out = new long[2];
            for (int e = 0; e < lanes; e++) {
                long[] src = e < lanes / 2 ? a : b;
                int i = (2 * e) % lanes;
                long x = lane(src, i, size), y = lane(src, i + 1, size);
                setLane(out, e, size, pairwise(op, x, y, size));
            }
            write(v, d, out, q);
            return;
        }
        long[] out = new long[2];
        for (int e = 0; e < lanes; e++) {
            long x = lane(a, e, size), y = lane(b, e, size), acc = lane(r, e, size);
            setLane(out, e, size, element(op, x, y, acc, size, st));
        }
        write(v, d, out, q);
    }

    /** The top bit of every lane, by element size. */
    private static final long[] HIGH = {0x8080808080808080L, 0x8000800080008000L, 0x8000000080000000L, 0x8000000000000000L};

    /** Lane-wise x + y or x - y within one 64-bit word: carries and borrows stop at lane tops. */
    private static long swar(int op, long x, long y, long h) {
        if (op == ADD) {
            return ((x & ~h) + (y & ~h)) ^ ((x ^ y) & h);
        }
        return ((x | h) - (y & ~h)) ^ ((x ^ ~y) & h);
    }

    private static long logic(boolean u, int size, long n, long m, long d) {
        if (!u) {
            return switch (size) {
                case 0 -> n & m;
                case 1 -> n & ~m;
                case 2 -> n | m;
                default -> n | ~m;
            };
        }
        return switch (size) {
            case 0 -> n ^ m;
            case 1 -> m ^ ((m ^ n) & d); // BSL: d selects n
            case 2 -> d ^ ((d ^ n) & m); // BIT: insert n where m
            default -> d ^ ((d ^ n) & ~m); // BIF: insert n where not m
        };
    }

    private static long pairwise(int op, long x, long y, int size) {
        return switch (op) {
            case SMAXP -> sx(x, size) >= sx(y, size) ? x : y;
            case SMINP -> sx(x, size) <= sx(y, size) ? x : y;
            case UMAXP -> Long.compareUnsigned(x, y) >= 0 ? x : y;
            case UMINP -> Long.compareUnsigned(x, y) <= 0 ? x : y;
            default -> x + y;
        };
    }

    private static long element(int op, long x, long y, long acc, int size, FpStatus st) {
        long all = ones(size);
        long sxv = sx(x, size), syv = sx(y, size);
        return switch (op) {
            case HADD -> (sxv >> 1) + (syv >> 1) + (sxv & syv & 1);
            case UHADD -> (x >>> 1) + (y >>> 1) + (x & y & 1);
            case RHADD -> (sxv >> 1) + (syv >> 1) + ((sxv | syv) & 1);
            case URHADD -> (x >>> 1) + (y >>> 1) + ((x | y) & 1);
            case CMGT -> sxv > syv ? all : 0;
            case CMGE -> sxv >= syv ? all : 0;
            case CMHI -> Long.compareUnsigned(x, y) > 0 ? all : 0;
            case CMHS -> Long.compareUnsigned(x, y) >= 0 ? all : 0;
            case SSHL, USHL -> shiftByRegister(x, (byte) y, size, op == SSHL);
            case SMAX -> sxv >= syv ? x : y;
            case SMIN -> sxv <= syv ? x : y;
            case UMAX -> Long.compareUnsigned(x, y) >= 0 ? x : y;
            case UMIN -> Long.compareUnsigned(x, y) <= 0 ? x : y;
            case SABD -> Math.abs(sxv - syv);
            case UABD -> Long.compareUnsigned(x, y) >= 0 ? x - y : y - x;
            case SABA -> acc + Math.abs(sxv - syv);
            case UABA -> acc + (Long.compareUnsigned(x, y) >= 0 ? x - y : y - x);
            case ADD -> x + y;
            case SUB -> x - y;
            case CMTST -> (x & y) != 0 ? all : 0;
            case CMEQ -> x == y ? all : 0;
            case MLA -> acc + x * y;
            case MLS -> acc - x * y;
            case MUL -> x * y;
            case PMUL -> polyMul(x, y, 8 << size);
            case SQADD, UQADD, SQSUB, UQSUB -> SimdSat.addSub(x, y, size, op >= 0b100000, (op & 4) != 0, st);
            case SHSUB -> size < 3 ? (sxv - syv) >> 1 : (x >> 1) - (y >> 1) - (~x & y & 1);
            case UHSUB -> size < 3 ? (x - y) >> 1 : (x >>> 1) - (y >>> 1) - (~x & y & 1);
            case SQSHL, UQSHL, SRSHL, URSHL, SQRSHL, UQRSHL -> SimdSat.shift(x, size, (byte) y, op < 0b100000,
                    (op & 2) != 0, (op & 1) != 0, st);
            case SQDMULH, SQRDMULH -> SimdSat.doublingMulHigh(x, y, size, op == SQRDMULH, st);
            default -> throw new IllegalArgumentException("three-same op " + op);
        };
    }

    /** SSHL/USHL: shift left by the signed low byte of the second operand, right when negative. */
    private static long shiftByRegister(long x, int shift, int size, boolean signed) {
        int bits = 8 << size;
        if (shift >= 0) {
            return shift >= bits ? 0 : x << shift;
        }
        int s = -shift;
        if (signed) {
            long v = sx(x, size);
            return s >= bits ? v >> 63 : v >> s;
        }
        return s >= bits ? 0 : x >>> s;
    }

    /** Carry-less multiply of two {@code bits}-bit values, low {@code bits} bits kept by the caller. */
    public static long polyMul(long x, long y, int bits) {
        long r = 0;
        for (int i = 0; i < bits; i++) {
            if ((y >>> i & 1) != 0) {
                r ^= x << i;
            }
        }
        return r;
    }

    // ---- two-register miscellaneous (U:opcode)

    public static final int REV64 = 0b000000, REV32 = 0b100000, REV16 = 0b000001, SADDLP = 0b000010,
            UADDLP = 0b100010, CLS = 0b000100, CLZ = 0b100100, CNT = 0b000101, NOT_RBIT = 0b100101,
            CMGT0 = 0b001000, CMGE0 = 0b101000, CMEQ0 = 0b001001, CMLE0 = 0b101001, CMLT0 = 0b001010,
            ABS = 0b001011, NEG = 0b101011, XTN = 0b010010, SUQADD = 0b000011, USQADD = 0b100011,
            SADALP = 0b000110, UADALP = 0b100110, SQABS = 0b000111, SQNEG = 0b100111, SQXTUN = 0b110010,
            SQXTN = 0b010100, UQXTN = 0b110100, SHLL = 0b110011;

    /** Whether a two-register op narrows (its source lanes are twice {@code size}). */
    public static boolean narrows(int op) {
        return op == XTN || op == SQXTUN || op == SQXTN || op == UQXTN;
    }

    public static void twoMisc(long[] v, FpStatus st, int op, int size, boolean q, int d, int n) {
        long[] a = read(v, n);
        long[] out = new long[2];
        if (narrows(op)) {
            // Narrow to half-width lanes into the lower (Q=0) or upper (Q=1, XTN2) half of Vd.
            int lanes = 8 >> size;
            long packed = 0;
            for (int e = 0; e < lanes; e++) {
                long x = lane(a, e, size + 1);
                long r = op == XTN ? x : SimdSat.narrow(op == UQXTN ? x : sx(x, size + 1), size, op != UQXTN, op == SQXTN, st);
                packed |= (r & ones(size)) << (e * (8 << size));
            }
            writeNarrow(v, d, packed, q);
            return;
        }
        if (op == SHLL) { // SHLL/SHLL2: widen the lower or upper half, shifted left by the element width
            int lanes = 8 >> size;
            for (int e = 0; e < lanes; e++) {
                setLane(out, e, size + 1, lane(a, e + (q ? lanes : 0), size) << (8 << size));
            }
            write(v, d, out, true);
            return;
        }
        if (op == SADDLP || op == UADDLP || op == SADALP || op == UADALP) {
            int lanes = lanes(q, size + 1);
            boolean signed = op == SADDLP || op == SADALP, acc = op == SADALP || op == UADALP;
            long[] r = read(v, d);
            for (int e = 0; e < lanes; e++) {
                long x = lane(a, 2 * e, size), y = lane(a, 2 * e + 1, size);
                long sum = signed ? sx(x, size) + sx(y, size) : x + y;
                setLane(out, e, size + 1, acc ? sum + lane(r, e, size + 1) : sum);
            }
            write(v, d, out, q);
            return;
        }
        if (op == REV64 || op == REV32 || op == REV16) {
            int container = op == REV64 ? 3 : op == REV32 ? 2 : 1; // log2 bytes of the reversed group
            int per = 1 << (container - size);
            int lanes = lanes(q, size);
            for (int e = 0; e < lanes; e++) {
                int base = e - e % per;
                setLane(out, base + per - 1 - e % per, size, lane(a, e, size));
            }
            write(v, d, out, q);
            return;
        }
        int lanes = lanes(q, size);
        long all = ones(size);
        int bits = 8 << size;
        long[] dv = read(v, d);
        for (int e = 0; e < lanes; e++) {
            long x = lane(a, e, size), s = sx(x, size);
            long r = switch (op) {
                case SUQADD, USQADD -> SimdSat.accumulate(lane(dv, e, size), x, size, op == USQADD, st);
                case SQABS, SQNEG -> SimdSat.absNeg(x, size, op == SQNEG, st);
                case CLS -> Long.numberOfLeadingZeros(s < 0 ? ~s : s) - (64 - bits) - 1;
                case CLZ -> Long.numberOfLeadingZeros(x) - (64 - bits);
                case CNT -> Long.bitCount(x);
                case NOT_RBIT -> size == 0 ? ~x : Long.reverse(x) >>> 56; // NOT (size 0) or RBIT (bytes)
                case CMGT0 -> s > 0 ? all : 0;
                case CMGE0 -> s >= 0 ? all : 0;
                case CMEQ0 -> x == 0 ? all : 0;
                case CMLE0 -> s <= 0 ? all : 0;
                case CMLT0 -> s < 0 ? all : 0;
                case ABS -> Math.abs(s);
                case NEG -> -x;
                default -> throw new IllegalArgumentException("two-reg misc op " + op);
            };
            setLane(out, e, size, r);
        }
        write(v, d, out, q);
    }

    /** RBIT is the size-1 row of the NOT opcode (it reverses bits within each byte). */
    public static void rbitBytes(long[] v, boolean q, int d, int n) {
        long[] a = read(v, n), out = new long[2];
        for (int k = 0; k < 2; k++) {
            long r = 0;
            for (int b = 0; b < 8; b++) {
                r |= (Long.reverse(a[k] >>> (8 * b) & 0xff) >>> 56) << (8 * b);
            }
            out[k] = r;
        }
        write(v, d, out, q);
    }

    // ---- across lanes (U:opcode)

    public static final int SADDLV = 0b000011, UADDLV = 0b100011, SMAXV = 0b001010, UMAXV = 0b101010,
            SMINV = 0b011010, UMINV = 0b111010, ADDV = 0b011011;

    /** The scalar result (zero-extended to the destination element, written by the caller). */
    public static long across(long[] v, int op, int size, boolean q, int n) {
        long[] a = read(v, n);
        int lanes = lanes(q, size);
        long r = op == SADDLV ? sx(lane(a, 0, size), size) : lane(a, 0, size);
        for (int e = 1; e < lanes; e++) {
            long x = lane(a, e, size);
            r = switch (op) {
                case SADDLV -> r + sx(x, size);
                case UADDLV, ADDV -> r + x;
                case SMAXV -> sx(x, size) > sx(r, size) ? x : r;
                case SMINV -> sx(x, size) < sx(r, size) ? x : r;
                case UMAXV -> Long.compareUnsigned(x, r) > 0 ? x : r;
                default -> Long.compareUnsigned(x, r) < 0 ? x : r; // UMINV
            };
        }
        return op == SADDLV || op == UADDLV ? r & ones(size + 1) : r & ones(size);
    }

    // ---- permutes

    public static final int UZP1 = 1, TRN1 = 2, ZIP1 = 3, UZP2 = 5, TRN2 = 6, ZIP2 = 7;

    public static void permute(long[] v, int op, int size, boolean q, int d, int n, int m) {
        long[] out = new long[2];
        int lanes = lanes(q, size), half = lanes / 2, part = op >> 2;
        for (int e = 0; e < lanes; e++) {
            long x;
            switch (op & 3) {
                case 1 -> { // UZP: even (1) or odd (2) lanes of Vn:Vm
                    int i = 2 * e + part;
                    x = i < lanes ? Lanes.get(v, n, i, size) : Lanes.get(v, m, i - lanes, size);
                }
                case 2 -> { // TRN
                    int pair = e / 2;
                    x = (e & 1) == 0 ? Lanes.get(v, n, 2 * pair + part, size) : Lanes.get(v, m, 2 * pair + part, size);
                }
                default -> { // ZIP
                    int i = e / 2 + part * half;
                    x = (e & 1) == 0 ? Lanes.get(v, n, i, size) : Lanes.get(v, m, i, size);
                }
            }
            setLane(out, e, size, x);
        }
        write(v, d, out, q);
    }

    /** EXT: bytes {@code index..} of the concatenation Vm:Vn. */
    public static void ext(long[] v, boolean q, int d, int n, int m, int index) {
        long[] a = read(v, n), b = read(v, m), out = new long[2];
        int bytes = q ? 16 : 8;
        for (int e = 0; e < bytes; e++) {
            int i = e + index;
            setLane(out, e, 0, i < bytes ? lane(a, i, 0) : lane(b, i - bytes, 0));
        }
        write(v, d, out, q);
    }

    /** TBL/TBX with {@code regs} table registers from Vn: out-of-range indices give 0 (TBL) or keep Vd (TBX). */
    public static void table(long[] v, boolean q, int d, int n, int regs, int m, boolean tbx) {
        long[] idx = read(v, m), r = read(v, d), out = new long[2];
        int bytes = q ? 16 : 8;
        for (int e = 0; e < bytes; e++) {
            int i = (int) lane(idx, e, 0);
            long x;
            if (i < 16 * regs) {
                int reg = (n + i / 16) & 31;
                x = lane(read(v, reg), i % 16, 0);
            } else {
                x = tbx ? lane(r, e, 0) : 0;
            }
            setLane(out, e, 0, x);
        }
        write(v, d, out, q);
    }

    // ---- shift by immediate (U:opcode)

    public static final int SSHR = 0b000000, USHR = 0b100000, SSRA = 0b000010, USRA = 0b100010,
            SHL = 0b001010, SHRN = 0b010000, SSHLL = 0b010100, USHLL = 0b110100, SRSHR = 0b000100,
            URSHR = 0b100100, SRSRA = 0b000110, URSRA = 0b100110, SRI = 0b101000, SLI = 0b101010,
            SQSHLU = 0b101100, SQSHL_IMM = 0b001110, UQSHL_IMM = 0b101110, SQSHRUN = 0b110000, RSHRN = 0b010001,
            SQRSHRUN = 0b110001, SQSHRN = 0b010010, UQSHRN = 0b110010, SQRSHRN = 0b010011, UQRSHRN = 0b110011;

    /** Whether a shift-by-immediate op narrows (opcode 100xx): {@code size} names the wide source. */
    public static boolean shiftNarrows(int op) {
        return (op & 0b11100) == 0b10000;
    }

    /** {@code size} is the source element size (the wide one for SHRN); {@code shift} the amount. */
    public static void shiftImmediate(long[] v, FpStatus st, int op, int size, boolean q, int d, int n, int shift) {
        long[] out = new long[2]; // lanes read straight from v: Vd is written only at the end
        if (op == SSHLL || op == USHLL) {
            int lanes = 8 >> size; // from the lower (Q=0) or upper (Q=1, sshll2) half
            for (int e = 0; e < lanes; e++) {
                long x = Lanes.get(v, n, e + (q ? lanes : 0), size);
                setLane(out, e, size + 1, (op == SSHLL ? sx(x, size) : x) << shift);
            }
            write(v, d, out, true);
            return;
        }
        if (shiftNarrows(op)) {
            int lanes = 8 >> (size - 1);
            boolean srcSigned = op != UQSHRN && op != UQRSHRN, round = (op & 1) != 0;
            long packed = 0;
            for (int e = 0; e < lanes; e++) {
                long x = SimdSat.shift(Lanes.get(v, n, e, size), size, -shift, srcSigned, round, false, st);
                if (op != SHRN && op != RSHRN) {
                    x = SimdSat.narrow(x, size - 1, srcSigned, op == SQSHRN || op == SQRSHRN, st);
                }
                packed |= (x & ones(size - 1)) << (e * (8 << (size - 1)));
            }
            writeNarrow(v, d, packed, q);
            return;
        }
        int lanes = lanes(q, size), bits = 8 << size;
        for (int e = 0; e < lanes; e++) {
            long x = Lanes.get(v, n, e, size);
            long s = switch (op) {
                case SSHR, SSRA -> shift >= bits ? sx(x, size) >> 63 : sx(x, size) >> shift;
                case USHR, USRA -> shift >= bits ? 0 : x >>> shift;
                case SRSHR, SRSRA, URSHR, URSRA -> SimdSat.shift(x, size, -shift, op < 0b100000, true, false, st);
                case SRI -> {
                    long mask = shift >= bits ? 0 : ones(size) >>> shift;
                    yield Lanes.get(v, d, e, size) & ~mask | (shift >= bits ? 0 : x >>> shift) & mask;
                }
                case SLI -> Lanes.get(v, d, e, size) & ~(ones(size) << shift) | x << shift;
                case SQSHLU -> SimdSat.shiftLeftUnsigned(x, size, shift, st);
                case SQSHL_IMM, UQSHL_IMM -> SimdSat.shift(x, size, shift, op == SQSHL_IMM, false, true, st);
                default -> x << shift; // SHL
            };
            if (op == SSRA || op == USRA || op == SRSRA || op == URSRA) {
                s += Lanes.get(v, d, e, size);
            }
            setLane(out, e, size, s);
        }
        write(v, d, out, q);
    }

    // ---- three different (U:opcode): long, wide and narrowing forms

    public static final int SADDL = 0b00000, UADDL = 0b10000, SADDW = 0b00001, UADDW = 0b10001, SSUBL = 0b00010,
            USUBL = 0b10010, SSUBW = 0b00011, USUBW = 0b10011, ADDHN = 0b00100, RADDHN = 0b10100, SABAL = 0b00101,
            UABAL = 0b10101, SUBHN = 0b00110, RSUBHN = 0b10110, SABDL = 0b00111, UABDL = 0b10111, SMLAL = 0b01000,
            UMLAL = 0b11000, SMLSL = 0b01010, UMLSL = 0b11010, SMULL = 0b01100, UMULL = 0b11100, PMULL = 0b01110,
            SQDMLAL = 0b01001, SQDMLSL = 0b01011, SQDMULL = 0b01101;

    /** {@code size} is the narrow element size; {@code q} picks the upper halves (the "2" forms). */
    public static void threeDifferent(long[] v, FpStatus st, int op, int size, boolean q, int d, int n, int m) {
        long[] out = new long[2]; // lanes read straight from v: Vd is written only at the end
        boolean unsigned = (op & 0b10000) != 0;
        int opc = op & 15;
        if (op == PMULL && size == 3) { // 64 x 64 -> 128 carry-less (crypto)
            long x = v[2 * n + (q ? 1 : 0)], y = v[2 * m + (q ? 1 : 0)], lo = 0, hi = 0;
            for (int i = 0; i < 64; i++) {
                if ((y >>> i & 1) != 0) {
                    lo ^= x << i;
                    hi ^= i == 0 ? 0 : x >>> (64 - i);
                }
            }
            v[2 * d] = lo;
            v[2 * d + 1] = hi;
            return;
        }
        int elements = 8 >> size, base = q ? elements : 0, bits = 8 << size;
        if (opc == 0b0100 || opc == 0b0110) { // ADDHN, RADDHN, SUBHN, RSUBHN
            long packed = 0;
            for (int e = 0; e < elements; e++) {
                long x = Lanes.get(v, n, e, size + 1), y = Lanes.get(v, m, e, size + 1);
                long r = opc == 0b0100 ? x + y : x - y;
                if (unsigned) {
                    r += 1L << (bits - 1); // the rounding forms
                }
                packed |= ((size + 1 == 3 ? r >>> bits : (r & ones(size + 1)) >>> bits) & ones(size)) << (e * bits);
            }
            writeNarrow(v, d, packed, q);
            return;
        }
        boolean wide = opc == 0b0001 || opc == 0b0011;
        for (int e = 0; e < elements; e++) {
            long x = wide ? Lanes.get(v, n, e, size + 1) : ext(Lanes.get(v, n, base + e, size), size, unsigned);
            long y = ext(Lanes.get(v, m, base + e, size), size, unsigned);
            long r = switch (opc) {
                case 0b0000, 0b0001 -> x + y;
                case 0b0010, 0b0011 -> x - y;
                case 0b0101 -> Lanes.get(v, d, e, size + 1) + Math.abs(x - y);
                case 0b0111 -> Math.abs(x - y);
                case 0b1000 -> Lanes.get(v, d, e, size + 1) + x * y;
                case 0b1010 -> Lanes.get(v, d, e, size + 1) - x * y;
                case 0b1100 -> x * y;
                case 0b1110 -> polyMul(Lanes.get(v, n, base + e, size), Lanes.get(v, m, base + e, size), bits);
                case 0b1001, 0b1011, 0b1101 -> doublingLong(opc, x, y, Lanes.get(v, d, e, size + 1), size, st);
                default -> throw new IllegalArgumentException("three-different op " + op);
            };
            setLane(out, e, size + 1, r);
        }
        write(v, d, out, true);
    }

    /** SQDMULL (opc 1101), SQDMLAL (1001), SQDMLSL (1011): saturated product, then saturated accumulate. */
    private static long doublingLong(int opc, long x, long y, long acc, int size, FpStatus st) {
        long p = SimdSat.doublingMulLong(x, y, size, st);
        if (opc == 0b1101) {
            return p;
        }
        return SimdSat.addS(sx(acc, size + 1), opc == 0b1001 ? p : -p, size + 1, st);
    }

    private static long ext(long x, int size, boolean unsigned) {
        return unsigned ? x : sx(x, size);
    }

    // ---- by element (vector MUL, MLA, MLS with one lane of Vm)

    public static final int ELEM_MLA = 0b10000, ELEM_MLS = 0b10100, ELEM_MUL = 0b01000, ELEM_SQDMULH = 0b01100,
            ELEM_SQRDMULH = 0b01101;
    /** The long by-element forms, U:opcode -> the three-different op computing the same lanes. */
    private static final java.util.Map<Integer, Integer> ELEM_LONG = java.util.Map.of(0b00010, SMLAL, 0b00110, SMLSL,
            0b01010, SMULL, 0b10010, UMLAL, 0b10110, UMLSL, 0b11010, UMULL, 0b00011, SQDMLAL, 0b00111, SQDMLSL,
            0b01011, SQDMULL);

    /** Whether a by-element op widens (SMULL..SQDMULL by element). */
    public static boolean elementWidens(int op) {
        return ELEM_LONG.containsKey(op);
    }

    public static void byElement(long[] v, FpStatus st, int op, int size, boolean q, int d, int n, int m, int index) {
        long[] a = read(v, n), acc = read(v, d), out = new long[2];
        long y = lane(read(v, m), index, size);
        Integer wide = ELEM_LONG.get(op);
        if (wide != null) {
            // Same lanes as the three-different form with every lane of Vm equal to the element.
            long[] scratch = {a[0], a[1], acc[0], acc[1], Lanes.replicate(y, size), Lanes.replicate(y, size)};
            threeDifferent(scratch, st, wide, size, q, 1, 0, 2);
            v[2 * d] = scratch[2];
            v[2 * d + 1] = scratch[3];
            return;
        }
        int lanes = lanes(q, size);
        for (int e = 0; e < lanes; e++) {
            long x = lane(a, e, size), p = x * y;
            setLane(out, e, size, switch (op) {
                case ELEM_MUL -> p;
                case ELEM_MLA -> lane(acc, e, size) + p;
                case ELEM_MLS -> lane(acc, e, size) - p;
                default -> SimdSat.doublingMulHigh(x, y, size, op == ELEM_SQRDMULH, st);
            });
        }
        write(v, d, out, q);
    }
}
