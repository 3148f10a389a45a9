package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.decode.Insn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class AluTest {
    static final int N = 8, Z = 4, C = 2, V = 1;

    @Test
    void addFlags64() {
        assertEquals(N | V, Alu.addFlags64(Long.MAX_VALUE, 1, 0));
        assertEquals(Z | C, Alu.addFlags64(-1L, 1, 0));
        assertEquals(Z | C, Alu.addFlags64(5, ~5L, 1), "cmp equal: Z and C (no borrow)");
        assertEquals(N, Alu.addFlags64(4, ~5L, 1), "4 - 5: negative, borrow so C clear");
        assertEquals(C | V, Alu.addFlags64(Long.MIN_VALUE, ~1L, 1), "MIN - 1 overflows");
        assertEquals(N | C, Alu.addFlags64(-1L, -1L, 1), "carry in with all-ones: r == a but carry out");
        assertEquals(0, Alu.addFlags64(0, 0, 0) & C);
        assertEquals(Z, Alu.addFlags64(0, 0, 0));
    }

    @Test
    void addFlags32IgnoresUpperBits() {
        assertEquals(N | V, Alu.addFlags32(0x7FFF_FFFFL, 1, 0));
        assertEquals(Z | C, Alu.addFlags32(0xFFFF_FFFFL, 1, 0));
        assertEquals(Z | C, Alu.addFlags32(0x1234_0000_0005L, ~5L, 1));
        assertEquals(C | V, Alu.addFlags32(0x8000_0000L, ~1L, 1));
    }

    @Test
    void conditions() {
        assertTrue(Alu.condHolds(0, Z)); // EQ
        assertFalse(Alu.condHolds(1, Z)); // NE
        assertTrue(Alu.condHolds(0xA, N | V)); // GE: N == V
        assertTrue(Alu.condHolds(0xB, N)); // LT
        assertTrue(Alu.condHolds(0x8, C)); // HI: C && !Z
        assertFalse(Alu.condHolds(0x8, C | Z));
        assertTrue(Alu.condHolds(0xD, Z)); // LE
        assertTrue(Alu.condHolds(0xE, 0)); // AL
        assertTrue(Alu.condHolds(0xF, 0)); // NV behaves as AL
    }

    @Test
    void shiftsByZeroAndMax() {
        long v = 0x8000_0000_0000_0001L;
        assertEquals(v, Alu.shift(true, v, Insn.SHIFT_LSL, 0));
        assertEquals(v, Alu.shift(true, v, Insn.SHIFT_ASR, 0));
        assertEquals(Long.MIN_VALUE, Alu.shift(true, v, Insn.SHIFT_LSL, 63));
        assertEquals(1, Alu.shift(true, v, Insn.SHIFT_LSR, 63));
        assertEquals(-1, Alu.shift(true, v, Insn.SHIFT_ASR, 63));
        assertEquals(3, Alu.shift(true, v, Insn.SHIFT_ROR, 63));
        assertEquals(0xFFFF_FFFFL, Alu.shift(false, 0x8000_0000L, Insn.SHIFT_ASR, 31));
        assertEquals(0x8000_0000L, Alu.shift(false, 0x1_0000_0001L, Insn.SHIFT_ROR, 1));
        assertEquals(1L << 31, Alu.shiftVar(false, 1, Insn.SHIFT_LSL, 63), "amount mod 32");
        assertEquals(1L << 63, Alu.shiftVar(true, 1, Insn.SHIFT_LSL, 127), "amount mod 64");
    }

    @Test
    void extends_() {
        assertEquals(0x80L << 2, Alu.extend(0x1234_5680L, Insn.EXT_UXTB, 2));
        assertEquals(-128L << 1, Alu.extend(0x80, Insn.EXT_SXTB, 1));
        assertEquals(-1L, Alu.extend(0xFFFF, Insn.EXT_SXTH, 0));
        assertEquals(0xFFFF_FFFFL, Alu.extend(-1L, Insn.EXT_UXTW, 0));
        assertEquals(-1L, Alu.extend(0xFFFF_FFFFL, Insn.EXT_SXTW, 0));
        assertEquals(0x1234L << 4, Alu.extend(0x1234L, Insn.EXT_UXTX, 4));
    }

    @Test
    void bitfieldMoves() {
        // ubfx x0, x1, #8, #8 = ubfm immr=8 imms=15
        assertEquals(0xAB, Alu.ubfm(true, 0xABCDL, 8, 15));
        // lsl x0, x1, #4 = ubfm immr=60 imms=59
        assertEquals(0xABCD0L, Alu.ubfm(true, 0xABCDL, 60, 59));
        // lsl w0, w1, #31 = ubfm immr=1 imms=0
        assertEquals(0x8000_0000L, Alu.ubfm(false, 0xFFFF_FFFFL, 1, 0));
        // sxtb w0, w1 = sbfm immr=0 imms=7: 32-bit result zero-extended
        assertEquals(0xFFFF_FF80L, Alu.sbfm(false, 0x80, 0, 7));
        // sbfx x0, x1, #4, #4
        assertEquals(-8L, Alu.sbfm(true, 0x80, 4, 7));
        // asr x0, x1, #63 = sbfm immr=63 imms=63
        assertEquals(-1L, Alu.sbfm(true, Long.MIN_VALUE, 63, 63));
        // sbfiz x0, x1, #8, #4 = sbfm immr=56 imms=3
        assertEquals(-8L << 8, Alu.sbfm(true, 0x8, 56, 3));
        // bfi x0, x1, #8, #8 = bfm immr=56 imms=7
        assertEquals(0x11CD33L, Alu.bfm(true, 0x112233L, 0xABCDL, 56, 7));
        // bfxil w0, w1, #4, #8 = bfm immr=4 imms=11
        assertEquals(0xFFFF_FFBCL, Alu.bfm(false, 0xFFFF_FFFFL, 0xABCDL, 4, 11) | 0xFFFF_FF00L);
        assertEquals(0x1234_56BCL, Alu.bfm(false, 0x1234_5678L, 0xABCDL, 4, 11));
    }

    @Test
    void extr() {
        assertEquals(0x1122_3344_5566_7788L, Alu.extr(true, 0, 0x1122_3344_5566_7788L, 0));
        assertEquals(0x88_1122_3344_5566_77L, Alu.extr(true, 0x88, 0x1122_3344_5566_7788L, 8));
        assertEquals(0x4411_2233L, Alu.extr(false, 0x44, 0x1122_3344L, 8));
    }

    @Test
    void division() {
        assertEquals(0, Alu.udiv(true, 5, 0));
        assertEquals(0, Alu.sdiv(true, 5, 0));
        assertEquals(0, Alu.sdiv(false, 5, 0));
        assertEquals(Long.MIN_VALUE, Alu.sdiv(true, Long.MIN_VALUE, -1));
        assertEquals(0x8000_0000L, Alu.sdiv(false, 0x8000_0000L, 0xFFFF_FFFFL));
        assertEquals(Long.divideUnsigned(-1L, 3), Alu.udiv(true, -1L, 3));
        assertEquals(0x5555_5555L, Alu.udiv(false, 0xFFFF_FFFFL, 3));
        assertEquals(-2L & 0xFFFF_FFFFL, Alu.sdiv(false, -7, 3), "truncates toward zero");
    }

    @Test
    void umulhAgainstBigInteger() {
        long[] vals = {0, 1, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xDEAD_BEEF_1234_5678L};
        for (long a : vals) {
            for (long b : vals) {
                java.math.BigInteger ua = new java.math.BigInteger(Long.toUnsignedString(a));
                java.math.BigInteger ub = new java.math.BigInteger(Long.toUnsignedString(b));
                assertEquals(ua.multiply(ub).shiftRight(64).longValue(), Alu.umulh(a, b));
            }
        }
    }

    @Test
    void bitManipulation() {
        assertEquals(Long.MIN_VALUE, Alu.rbit(true, 1));
        assertEquals(0x8000_0000L, Alu.rbit(false, 1));
        assertEquals(0x2211_4433_6655_8877L, Alu.rev16(true, 0x1122_3344_5566_7788L));
        assertEquals(0x4433_2211_8877_6655L, Alu.rev32(0x1122_3344_5566_7788L));
        assertEquals(0x8877_6655_4433_2211L, Alu.rev(true, 0x1122_3344_5566_7788L));
        assertEquals(0x4433_2211L, Alu.rev(false, 0x1122_3344L));
        assertEquals(0x2211_4433L, Alu.rev16(false, 0x1122_3344L));
        assertEquals(64, Alu.clz(true, 0));
        assertEquals(32, Alu.clz(false, 0xFFFF_FFFF_0000_0000L));
        assertEquals(63, Alu.cls(true, 0));
        assertEquals(63, Alu.cls(true, -1));
        assertEquals(62, Alu.cls(true, 1));
        assertEquals(31, Alu.cls(false, 0xFFFF_FFFFL));
        assertEquals(0, Alu.cls(false, 0x4000_0000L));
    }

    /** CRC32 instructions = java.util.zip without the pre/post inversion. */
    @Test
    void crc32AgainstJdk() {
        long data = 0x0123_4567_89AB_CDEFL;
        for (int size = 0; size <= 3; size++) {
            byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data).array();
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, 1 << size);
            CRC32C crcc = new CRC32C();
            crcc.update(bytes, 0, 1 << size);
            assertEquals(crc.getValue(), ~Alu.crc32(false, 0xFFFF_FFFFL, data, size) & 0xFFFF_FFFFL);
            assertEquals(crcc.getValue(), ~Alu.crc32(true, 0xFFFF_FFFFL, data, size) & 0xFFFF_FFFFL);
        }
    }
}
