package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.decode.Decoder;
import org.junit.jupiter.api.Test;

/** SIMD&FP loads, stores and moves through the real decoder and the block loop; the FPEN trap. */
class FpSimdOpsTest {
    private static final long SRC = Rig.DATA, DST = Rig.DATA + 0x1000, OUT = Rig.DATA + 0x2000;

    private static Rig rig(int... words) {
        Rig r = new Rig();
        for (int k = 0; k < words.length; k++) {
            r.at(Rig.CODE + 4L * k, Decoder.decode(words[k]));
        }
        r.cpu.sys.cpacr = 3L << 20;
        return r;
    }

    /** Source byte i is 255 - i, so lanes differ and high bytes are negative for SMOV. */
    private static int src(int i) {
        return 255 - i;
    }

    /** {@code n} source bytes from {@code start}, little-endian. */
    private static long le(int start, int n) {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = v << 8 | src(start + k);
        }
        return v;
    }

    private static long word(int k) {
        return le(4 * k, 4);
    }

    @Test
    void memcpyStyleLoadsStoresAndLaneMoves() {
        Rig r = rig(
                0xacc10420, // ldp q0, q1, [x1], #32
                0xac810400, // stp q0, q1, [x0], #32
                0x4c400844, // ld4 {v4.4s-v7.4s}, [x2]
                0x4c9fa064, // st1 {v4.16b, v5.16b}, [x3], #32
                0x0e1c3cc5, // mov w5, v6.s[3]
                0x4e1f1c28, // mov v8.b[15], w1
                0x4e020c29, // dup v9.8h, w1
                0x6f05e54a, // movi v10.2d, #0xff00ff00ff00ff00
                0x6f00c64b, // mvni v11.4s, #0x12, msl #8
                0x4d40c44c, // ld1r {v12.8h}, [x2]
                0x4dc4a04d, // ld3 {v13.s-v15.s}[2], [x2], x4
                0x4e092cc6, // smov x6, v6.b[4]
                0x9e670030, // fmov d16, x1
                0x9eaf0050, // fmov v16.d[1], x2
                0x9eae0207, // fmov x7, v16.d[1]
                0xfc5f8011); // ldur d17, [x0, #-8]
        for (int i = 0; i < 256; i++) {
            r.mem.write(SRC + i, 1, src(i));
        }
        r.cpu.x[1] = SRC;
        r.cpu.x[0] = DST;
        r.cpu.x[2] = SRC;
        r.cpu.x[3] = OUT;
        r.cpu.x[4] = 0x10;
        r.cpu.v[2 * 13 + 1] = 0x1111_2222_3333_4444L; // ld3 single lane keeps the other lanes
        r.run(16);
        long[] v = r.cpu.v;
        assertEquals(le(0, 8), v[0]);
        assertEquals(le(8, 8), v[1]);
        assertEquals(le(16, 8), v[2]);
        assertEquals(le(24, 8), v[3]);
        assertEquals(SRC + 32, r.x(1), "ldp post-index");
        for (int i = 0; i < 32; i++) {
            assertEquals(src(i), r.mem.read(DST + i, 1), "stp byte " + i);
        }
        // LD4 de-interleaves: v4 = words 0,4,8,12; v5 = 1,5,9,13 ...
        for (int reg = 0; reg < 4; reg++) {
            assertEquals(word(reg) | word(reg + 4) << 32, v[2 * (4 + reg)], "v" + (4 + reg) + " low");
            assertEquals(word(reg + 8) | word(reg + 12) << 32, v[2 * (4 + reg) + 1], "v" + (4 + reg) + " high");
        }
        assertEquals(word(0) | word(4) << 32, r.mem.read(OUT, 8), "st1 v4 first");
        assertEquals(word(1) | word(5) << 32, r.mem.read(OUT + 16, 8), "st1 v5 first");
        assertEquals(OUT + 32, r.x(3));
        assertEquals(word(14), r.x(5), "umov w5, v6.s[3]");
        assertEquals((SRC + 32) << 56, v[2 * 8 + 1], "ins v8.b[15], w1");
        long h = (SRC + 32) & 0xffff;
        assertEquals(h | h << 16 | h << 32 | h << 48, v[2 * 9 + 1], "dup v9.8h, w1");
        assertEquals(0xff00ff00ff00ff00L, v[2 * 10 + 1]);
        assertEquals(0xffffed00_ffffed00L, v[2 * 11], "mvni msl");
        long h0 = le(0, 2);
        assertEquals(h0 | h0 << 16 | h0 << 32 | h0 << 48, v[2 * 12 + 1], "ld1r");
        assertEquals(0x1111_2222_0000_0000L | word(0), v[2 * 13 + 1], "ld3 lane 2 of v13");
        assertEquals(word(2), v[2 * 15 + 1] & 0xffffffffL, "ld3 lane 2 of v15");
        assertEquals(SRC + 0x10, r.x(2), "ld3 post-index by x4");
        assertEquals((long) (byte) src(24), r.x(6), "smov x6, v6.b[4] sign-extends byte 24 of the source");
        assertEquals(SRC + 32, v[32]);
        assertEquals(SRC + 0x10, v[33]);
        assertEquals(SRC + 0x10, r.x(7));
        assertEquals(le(24, 8), v[34], "ldur d17 from the copy");
        assertEquals(0, v[35], "scalar load zeroes the upper half");
    }

    @Test
    void fpInstructionsAndFpcrTrapWhileCpacrFpenIsClear() {
        for (int fpen : new int[] {0, 2}) {
            Rig r = rig(0x9e670020); // fmov d0, x1
            r.cpu.sys.cpacr = (long) fpen << 20;
            r.vectors();
            r.run(1);
            assertEquals(Rig.VBAR + 0x200, r.cpu.pc);
            assertEquals(0x1FE0_0000L, r.cpu.sys.esr, "EC 0x07, IL, CV=1, COND=0xE");
        }
        Rig r = rig(0xd53b4400); // mrs x0, fpcr
        r.cpu.sys.cpacr = 0;
        r.vectors();
        r.run(1);
        assertEquals(0x1FE0_0000L, r.cpu.sys.esr, "MRS FPCR traps the same way");
    }

    @Test
    void fpenOneEnablesEl1Only() {
        Rig r = rig(0x9e670020); // fmov d0, x1
        r.cpu.sys.cpacr = 1L << 20;
        r.cpu.x[1] = 42;
        r.run(1);
        assertEquals(42, r.cpu.v[0]);
    }

    @Test
    void saturatingRoundingAndEstimatesSetQcAndScalarFormsZeroTheRest() {
        Rig r = rig(
                0x5e220c20, // sqadd b0, b1, b2
                0x6e652c83, // uqsub v3.8h, v4.8h, v5.8h
                0x2f0d8ce6, // sqrshrun v6.8b, v7.8h, #3
                0x4ea1c928, // urecpe v8.4s, v9.4s
                0x5ee1d96a); // frecpe d10, d11
        long[] v = r.cpu.v;
        v[2] = 0x1122_3344_5566_777fL; // b1 = 0x7f, other lanes ignored
        v[3] = -1L;
        v[4] = 0x01;
        v[8] = 0x0009_0005_0005_0005L; // v4.8h
        v[10] = 0x0002_0007_0007_0007L; // v5.8h
        v[14] = 0x7fff_fff8_0014_000cL; // v7.8h: 32767, -8, 20, 12
        v[18] = 0x0000_0001_8000_0000L; // v9.4s: 0x80000000, 1
        v[22] = 0x4000_0000_0000_0000L; // d11 = 2.0
        r.run(5);
        assertEquals(0x7f, v[0], "sqadd b saturates at 127");
        assertEquals(0, v[1], "a scalar result zeroes the rest of the register");
        assertEquals(0x0007_0000_0000_0000L, v[6], "uqsub saturates at 0, 9 - 2 = 7");
        assertEquals(0x00_00_00_00_ff_00_03_02L, v[12], "sqrshrun: (12+4)>>3 = 2, (20+4)>>3 = 3, -8 -> 0, 32767 -> 255");
        assertEquals(0xffff_ffff_ff80_0000L, v[16], "urecpe: 0x80000000 -> 0xff800000, below 2^31 -> all ones");
        assertEquals(0x3fdf_f000_0000_0000L, v[20], "frecpe(2.0) = 0.4990234375 (the table's 8-bit estimate)");
        assertEquals(dev.a64trap.fp.FpStatus.QC, r.cpu.sys.fp.fpsr & dev.a64trap.fp.FpStatus.QC, "QC is sticky");
    }
}
