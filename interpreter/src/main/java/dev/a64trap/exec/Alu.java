package dev.a64trap.exec;

import dev.a64trap.decode.Insn;

/**
 * Integer semantics of the A64 data-processing instructions, one definition each, shared by the
 * interpreter and (later) the JIT. 32-bit forms take and return values whose upper 32 bits are
 * ignored on input and zero on output. Flags are PSTATE.NZCV packed as N<<3|Z<<2|C<<1|V.
 */
public final class Alu {
    private Alu() {}

    public static final long MASK32 = 0xFFFF_FFFFL;

    // ---- AddWithCarry

    // Branch-free throughout: the interpreter inlines these, and a compiled branch that the profile
    // says goes one way only is a trap that sends HotSpot back to recompile the whole interpreter.

    /** NZCV of AddWithCarry(a, b, carryIn) on 64 bits (full-adder carry out of bit 63). */
    public static int addFlags64(long a, long b, int carryIn) {
        return addFlagsHigh(a, b, carryIn);
    }

    /** NZCV of AddWithCarry(a, b, carryIn) on 32 bits: the same sum with the operands in the top half. */
    public static int addFlags32(long a, long b, int carryIn) {
        return addFlagsHigh(a << 32, b << 32, (long) carryIn << 32);
    }

    /**
     * NZCV of {@code a + b + carry} on 64 bits; {@code carry} is 0 or 1, or 1 << 32 for a 32-bit
     * sum whose operands are shifted left by 32 (so one method does both widths without a branch).
     */
    public static int addFlagsHigh(long a, long b, long carry) {
        long r = a + b + carry;
        int n = (int) (r >>> 63) << 3;
        int c = (int) (((a & b) | ((a | b) & ~r)) >>> 63) << 1;
        int v = (int) (((a ^ r) & (b ^ r)) >>> 63);
        return n | zeroFlag(r) | c | v;
    }

    /** The Z flag (4) of a 64-bit result. */
    public static int zeroFlag(long r) {
        return (int) (((r | -r) >>> 63) ^ 1) << 2;
    }

    public static int addFlags(boolean sf, long a, long b, int carryIn) {
        return sf ? addFlags64(a, b, carryIn) : addFlags32(a, b, carryIn);
    }

    /** NZCV of a logical result (C = V = 0). */
    public static int logicFlags(boolean sf, long r) {
        if (sf) {
            return (r < 0 ? 8 : 0) | (r == 0 ? 4 : 0);
        }
        int w = (int) r;
        return (w < 0 ? 8 : 0) | (w == 0 ? 4 : 0);
    }

    public static long width(boolean sf, long v) {
        return sf ? v : v & MASK32;
    }

    // ---- conditions

    private static final boolean[] COND = new boolean[256];

    static {
        for (int cond = 0; cond < 16; cond++) {
            for (int f = 0; f < 16; f++) {
                boolean n = (f & 8) != 0, z = (f & 4) != 0, c = (f & 2) != 0, v = (f & 1) != 0;
                boolean r = switch (cond >> 1) {
                    case 0 -> z;
                    case 1 -> c;
                    case 2 -> n;
                    case 3 -> v;
                    case 4 -> c && !z;
                    case 5 -> n == v;
                    case 6 -> n == v && !z;
                    default -> true;
                };
                // cond 0b1111 (NV) behaves as AL.
                if ((cond & 1) != 0 && cond != 15) {
                    r = !r;
                }
                COND[cond << 4 | f] = r;
            }
        }
    }

    /** ConditionHolds(cond) for the given NZCV. */
    public static boolean condHolds(int cond, int nzcv) {
        return COND[cond << 4 | nzcv];
    }

    private static final long[] WHEN = new long[256];

    static {
        for (int k = 0; k < 256; k++) {
            WHEN[k] = COND[k] ? -1L : 0;
        }
    }

    /** All ones if ConditionHolds(cond) for the given NZCV, else 0 (a mask, to select without a branch). */
    public static long when(int cond, int nzcv) {
        return WHEN[cond << 4 | nzcv];
    }

    /** The 16 NZCV values for which {@code cond} holds, as a bit set (bit f set iff condHolds(cond, f)). */
    public static int condMask(int cond) {
        int m = 0;
        for (int f = 0; f < 16; f++) {
            m |= COND[cond << 4 | f] ? 1 << f : 0;
        }
        return m;
    }

    // ---- flags a JIT keeps as their operands (lazy flags): the flag-setting operation by kind

    /** NZCV is the value itself (no operation pending). */
    public static final int LAZY_NONE = 0;
    /** SUBS/CMP a, b on 64 or 32 bits: AddWithCarry(a, NOT b, 1). */
    public static final int LAZY_SUB64 = 1, LAZY_SUB32 = 2;
    /** ADDS/CMN a, b: AddWithCarry(a, b, 0). */
    public static final int LAZY_ADD64 = 3, LAZY_ADD32 = 4;
    /** ANDS/BICS/TST with result a (b unused). */
    public static final int LAZY_LOGIC64 = 5, LAZY_LOGIC32 = 6;

    /** NZCV of the pending operation {@code kind} on a and b, or {@code nzcv} for {@link #LAZY_NONE}. */
    public static int lazyNzcv(int kind, long a, long b, int nzcv) {
        return switch (kind) {
            case LAZY_SUB64 -> addFlags64(a, ~b, 1);
            case LAZY_SUB32 -> addFlags32(a, ~b, 1);
            case LAZY_ADD64 -> addFlags64(a, b, 0);
            case LAZY_ADD32 -> addFlags32(a, b, 0);
            case LAZY_LOGIC64 -> logicFlags(true, a);
            case LAZY_LOGIC32 -> logicFlags(false, a);
            default -> nzcv;
        };
    }

    // ---- shifts and extends

    /** ShiftReg: shift a register operand by a constant (type SHIFT_*), on 64 or 32 bits. */
    public static long shift(boolean sf, long v, int type, int amount) {
        if (sf) {
            return switch (type) {
                case Insn.SHIFT_LSL -> v << amount;
                case Insn.SHIFT_LSR -> v >>> amount;
                case Insn.SHIFT_ASR -> v >> amount;
                default -> Long.rotateRight(v, amount);
            };
        }
        int w = (int) v;
        int r = switch (type) {
            case Insn.SHIFT_LSL -> w << amount;
            case Insn.SHIFT_LSR -> w >>> amount;
            case Insn.SHIFT_ASR -> w >> amount;
            default -> Integer.rotateRight(w, amount);
        };
        return r & MASK32;
    }

    /** ExtendReg: extend type EXT_* then shift left by {@code amount} (0..4); branch-free. */
    public static long extend(long v, int type, int amount) {
        int sh = 64 - (8 << (type & 3)); // bits above the source: 56, 48, 32 or 0
        long u = v << sh;
        long zx = u >>> sh;
        return (zx ^ (zx ^ u >> sh) & -(type >>> 2 & 1)) << amount; // SXT*: the sign-extended one
    }

    /** Variable shifts (LSLV and friends): the amount is taken modulo the width. */
    public static long shiftVar(boolean sf, long v, int type, long amount) {
        return shift(sf, v, type, (int) (amount & (sf ? 63 : 31)));
    }

    // ---- bitfield moves (imm = immr, amount = imms, as the decoder delivers them)

    private static long ones(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    public static long ubfm(boolean sf, long src, int immr, int imms) {
        int size = sf ? 64 : 32;
        src = width(sf, src);
        if (imms >= immr) {
            return (src >>> immr) & ones(imms - immr + 1);
        }
        return width(sf, (src & ones(imms + 1)) << (size - immr));
    }

    public static long sbfm(boolean sf, long src, int immr, int imms) {
        int size = sf ? 64 : 32;
        if (imms >= immr) {
            int w = imms - immr + 1;
            long field = (src >>> immr) & ones(w);
            return width(sf, field << (64 - w) >> (64 - w));
        }
        int w = imms + 1;
        long field = (src & ones(w)) << (64 - w) >> (64 - w);
        return width(sf, field << (size - immr));
    }

    public static long bfm(boolean sf, long dst, long src, int immr, int imms) {
        int size = sf ? 64 : 32;
        if (imms >= immr) {
            int w = imms - immr + 1;
            long field = (src >>> immr) & ones(w);
            return width(sf, (dst & ~ones(w)) | field);
        }
        int w = imms + 1;
        int pos = size - immr;
        long m = ones(w) << pos;
        return width(sf, (dst & ~m) | ((src << pos) & m));
    }

    public static long extr(boolean sf, long hi, long lo, int lsb) {
        if (lsb == 0) {
            return width(sf, lo);
        }
        if (sf) {
            return (lo >>> lsb) | (hi << (64 - lsb));
        }
        return (((lo & MASK32) >>> lsb) | (hi << (32 - lsb))) & MASK32;
    }

    // ---- multiply and divide

    public static long umulh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    public static long udiv(boolean sf, long a, long b) {
        if (sf) {
            return b == 0 ? 0 : Long.divideUnsigned(a, b);
        }
        int d = (int) b;
        return d == 0 ? 0 : Integer.toUnsignedLong(Integer.divideUnsigned((int) a, d));
    }

    /** SDIV: division by zero gives 0; MIN / -1 gives MIN (Java's division already wraps so). */
    public static long sdiv(boolean sf, long a, long b) {
        if (sf) {
            return b == 0 ? 0 : a / b;
        }
        int d = (int) b;
        return d == 0 ? 0 : ((int) a / d) & MASK32;
    }

    // ---- bit manipulation

    public static long rbit(boolean sf, long v) {
        return sf ? Long.reverse(v) : Integer.reverse((int) v) & MASK32;
    }

    public static long rev16(boolean sf, long v) {
        long r = ((v & 0x00FF00FF00FF00FFL) << 8) | ((v >>> 8) & 0x00FF00FF00FF00FFL);
        return width(sf, r);
    }

    /** REV32 (64-bit only): byte-reverse each word. */
    public static long rev32(long v) {
        return Long.rotateLeft(Long.reverseBytes(v), 32);
    }

    public static long rev(boolean sf, long v) {
        return sf ? Long.reverseBytes(v) : Integer.reverseBytes((int) v) & MASK32;
    }

    public static long clz(boolean sf, long v) {
        return sf ? Long.numberOfLeadingZeros(v) : Integer.numberOfLeadingZeros((int) v);
    }

    public static long cls(boolean sf, long v) {
        if (sf) {
            return Long.numberOfLeadingZeros(v ^ (v >> 1)) - 1;
        }
        int w = (int) v;
        return Integer.numberOfLeadingZeros(w ^ (w >> 1)) - 1;
    }

    // ---- CRC32 / CRC32C (reflected, no pre/post inversion: the instruction's definition)

    private static final int[] CRC32_TABLE = crcTable(0xEDB88320);
    private static final int[] CRC32C_TABLE = crcTable(0x82F63B78);

    private static int[] crcTable(int poly) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ poly : c >>> 1;
            }
            t[i] = c;
        }
        return t;
    }

    /** CRC32{B,H,W,X} / CRC32C*: {@code size} = log2 bytes of {@code data}. */
    public static long crc32(boolean castagnoli, long acc, long data, int size) {
        int[] t = castagnoli ? CRC32C_TABLE : CRC32_TABLE;
        int crc = (int) acc;
        for (int i = 0; i < 1 << size; i++) {
            crc = t[(crc ^ (int) (data >>> (8 * i))) & 0xFF] ^ (crc >>> 8);
        }
        return crc & MASK32;
    }
}
