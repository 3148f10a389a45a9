package dev.a64trap.decode;

import static dev.a64trap.decode.Insn.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The decoded record's fields as the interpreter consumes them (contract in {@link Insn}/{@link
 * Op}): final immediates (sign-extended, scaled, bitmasks expanded), register roles, modes, flags.
 * Words and expected values come from the architecture (assembled with gas, checked by hand).
 */
class DecodeFieldsTest {

    private static Insn d(int w) {
        return Decoder.decode(w);
    }

    @Test
    void addsIsAddImmWithSetFlagsAndTheShiftedImmediate() {
        Insn i = d(0xb1400c20); // adds x0, x1, #0x3, lsl #12
        assertSame(Op.ADD_IMM, i.op());
        assertTrue(i.setsFlags());
        assertTrue(i.sf());
        assertEquals(0, i.rd());
        assertEquals(1, i.rn());
        assertEquals(0x3000, i.imm());
        Insn sub = d(0x51000421); // sub w1, w1, #1
        assertSame(Op.SUB_IMM, sub.op());
        assertFalse(sub.setsFlags());
        assertFalse(sub.sf());
        assertEquals(1, sub.imm());
    }

    @Test
    void bitmaskImmediatesAreExpanded() {
        assertEquals(0x5555555555555555L, d(0xb200f020).imm()); // orr x0, x1, #0x5555555555555555
        assertEquals(0xffL, d(0x92401c20).imm());               // and x0, x1, #0xff
        assertEquals(0xfffffffeL, d(0x121f7820).imm());         // and w0, w1, #0xfffffffe
        assertEquals(0x8000000000000000L, d(0xf2410020).imm()); // ands x0, x1, #0x8000000000000000
        assertTrue(d(0xf2410020).setsFlags());
        assertSame(Op.UNDEFINED, d(0x127f7c20).op());           // imms all ones: reserved
        assertSame(Op.UNDEFINED, d(0x12400020).op());           // N=1 with sf=0: reserved
    }

    @Test
    void bitMaskMatchesTheArchitectureForEveryElementSizeAndRotation() {
        for (int len = 1; len <= 6; len++) {
            int esize = 1 << len;
            for (int s = 0; s < esize - 1; s++) {
                for (int r = 0; r < esize; r++) {
                    int n = len == 6 ? 1 : 0;
                    int imms = (len == 6 ? 0 : (0x3f << (len + 1)) & 0x3f) | s;
                    long expected = 0;
                    // element: s+1 ones rotated right by r, replicated
                    long elem = 0;
                    for (int b = 0; b <= s; b++) {
                        elem |= 1L << ((b - r + esize) % esize);
                    }
                    for (int k = 0; k < 64; k += esize) {
                        expected |= elem << k;
                    }
                    assertTrue(Decoder.bitMaskValid(n, imms, true));
                    assertEquals(expected, Decoder.bitMask(n, r, imms, true), "esize " + esize + " s " + s + " r " + r);
                }
            }
        }
    }

    @Test
    void moveWideKeepsImm16AndShift() {
        Insn i = d(0xf2a00020); // movk x0, #0x1, lsl #16
        assertSame(Op.MOVK, i.op());
        assertEquals(1, i.imm());
        assertEquals(16, i.amount());
        assertSame(Op.UNDEFINED, d(0x52c00000).op()); // movz w0 with hw=2: reserved
    }

    @Test
    void branchOffsetsAreSignExtendedBytes() {
        assertEquals(-0x8000000L, d(0x16000000).imm()); // b .-0x8000000
        assertEquals(0x7fffffcL, d(0x15ffffff).imm());
        Insn bc = d(0x54800001); // b.ne .-0x100000
        assertSame(Op.B_COND, bc.op());
        assertEquals(1, bc.cond());
        assertEquals(-0x100000L, bc.imm());
        Insn tb = d(0xb7f8001e); // tbnz x30, #63, .
        assertSame(Op.TBNZ, tb.op());
        assertEquals(30, tb.rd());
        assertEquals(63, tb.amount());
        assertEquals(0, tb.imm());
        assertEquals(-0x8000L, d(0x36040000).imm()); // tbz w0, #0, .-0x8000
        Insn adrp = d(0x90800000); // adrp x0, .-0x100000000
        assertEquals(-0x100000000L, adrp.imm());
    }

    @Test
    void loadsAndStoresCarrySizeModeAndScaledOffsets() {
        Insn ldr = d(0xf97ffc20); // ldr x0, [x1, #32760]
        assertSame(Op.LDR, ldr.op());
        assertEquals(3, ldr.size());
        assertEquals(MODE_OFFSET, ldr.mode());
        assertEquals(32760, ldr.imm());
        Insn pre = d(0xf8500c20); // ldr x0, [x1, #-256]!
        assertEquals(MODE_PRE, pre.mode());
        assertEquals(-256, pre.imm());
        Insn post = d(0x38100420); // strb w0, [x1], #-256
        assertSame(Op.STR, post.op());
        assertEquals(MODE_POST, post.mode());
        assertEquals(-256, post.imm());
        assertEquals(0, post.size());
        Insn sw = d(0xb9bffc20); // ldrsw x0, [x1, #16380]
        assertTrue(sw.has(FLAG_SIGNED));
        assertTrue(sw.sf());
        assertEquals(2, sw.size());
        Insn sbw = d(0x39c00020); // ldrsb w0, [x1]
        assertTrue(sbw.has(FLAG_SIGNED));
        assertFalse(sbw.sf());
        Insn reg = d(0xf8627820); // ldr x0, [x1, x2, lsl #3]
        assertEquals(MODE_REG, reg.mode());
        assertEquals(2, reg.rm());
        assertEquals(EXT_UXTX, reg.shift());
        assertEquals(3, reg.amount());
        Insn ldtr = d(0xf8500820); // ldtr x0, [x1, #-256]
        assertTrue(ldtr.has(FLAG_UNPRIV));
        Insn lit = d(0x98000000); // ldrsw x0, .
        assertEquals(MODE_LITERAL, lit.mode());
        assertTrue(lit.has(FLAG_SIGNED));
    }

    @Test
    void pairsAndExclusivesUseRaForTheSecondRegister() {
        Insn ldp = d(0xa9e00440); // ldp x0, x1, [x2, #-512]!
        assertSame(Op.LDP, ldp.op());
        assertEquals(0, ldp.rd());
        assertEquals(1, ldp.ra());
        assertEquals(2, ldp.rn());
        assertEquals(-512, ldp.imm());
        assertEquals(MODE_PRE, ldp.mode());
        Insn ldpsw = d(0x69e00440); // ldpsw x0, x1, [x2, #-256]!
        assertTrue(ldpsw.has(FLAG_SIGNED));
        assertEquals(-256, ldpsw.imm());
        assertEquals(2, ldpsw.size());
        assertSame(Op.UNDEFINED, d(0x69c10420).op()); // ldpsw x0, x1, [x1, #8]!: Rt2 == Rn with writeback
        Insn stlxr = d(0xc803fc20); // stlxr w3, x0, [x1]
        assertSame(Op.STXR, stlxr.op());
        assertEquals(3, stlxr.rm());
        assertTrue(stlxr.has(FLAG_RELEASE));
        assertEquals(MODE_BASE, stlxr.mode());
        Insn nt = d(0xa8200440); // stnp x0, x1, [x2, #-512]
        assertTrue(nt.has(FLAG_NONTEMPORAL));
    }

    @Test
    void atomicsCarryOrderingFlags() {
        Insn i = d(0xf8e10040); // ldaddal x1, x0, [x2]
        assertSame(Op.LDADD, i.op());
        assertEquals(1, i.rm());
        assertEquals(0, i.rd());
        assertEquals(2, i.rn());
        assertTrue(i.has(FLAG_ACQUIRE) && i.has(FLAG_RELEASE));
        Insn casp = d(0x48207c82); // casp x0, x1, x2, x3, [x4]
        assertSame(Op.CASP, casp.op());
        assertEquals(0, casp.rm());
        assertEquals(2, casp.rd());
        assertEquals(3, casp.size());
        assertSame(Op.UNDEFINED, d(0x48217c82).op()); // casp with odd Rs: reserved
    }

    @Test
    void systemEncodings() {
        Insn mrs = d(0xd53b9d00); // mrs x0, pmccntr_el0
        assertSame(Op.MRS, mrs.op());
        assertEquals((3 << 14) | (3 << 11) | (9 << 7) | (13 << 3) | 0, mrs.imm());
        Insn daif = d(0xd50346ff); // msr daifclr, #0x6
        assertSame(Op.MSR_IMM, daif.op());
        assertEquals(0x1f, daif.imm());
        assertEquals(6, daif.amount());
        Insn hint = d(0xd503245f); // bti c: an unallocated-for-us hint is a HINT (NOP)
        assertSame(Op.HINT, hint.op());
        assertEquals(0x22, hint.imm());
        assertSame(Op.SVC, d(0xd4000001).op());
        Insn crc = d(0x9ac25c20); // crc32cx w0, w1, x2
        assertSame(Op.CRC32, crc.op());
        assertEquals(3, crc.size());
        assertTrue(crc.has(FLAG_CRC32C));
    }
}
