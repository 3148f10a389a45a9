package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compiled LDP/STP (X, W and LDPSW forms), which test one tag for both halves when they share a
 * granule, against the interpreter, which makes two accesses: pairs inside a granule, pairs whose
 * halves straddle two granules (with the MMU on, two pages far apart in PA, or a second page that is
 * unmapped or read-only), pairs running off the end of RAM, unaligned pairs, and pairs stored beside
 * and onto lines of the loop's own code. Registers, faults, events and memory must all agree.
 */
class JitPairTest {
    /**
     * loop: ldp x1, x2, [x28] ; ldp w3, w4, [x28] ; ldpsw x5, x6, [x28] ; x0 mixes x1..x6 (6 insns) ;
     * stp x0, x1, [x27] ; stp w0, w2, [x27, #16] ; add x0, x0, #1 ; b loop
     */
    static final int[] LOOP = {0xA9400B81, 0x29401383, 0x69401B85, 0x8B010000, 0xCAC20C00, 0x8B030000, 0xCAC41400,
        0x8B050000, 0xCAC61C00, 0xA9000760, 0x29020B60, 0x91000400, 0x17FFFFF4};
    static final long RAM_END = Pair.RAM + (1 << 20);

    @Test
    void pairsAgreeWithTheInterpreterAcrossGranulesWithTheMmuOff() {
        long loads = Pair.DATA + 0x3000, stores = Pair.DATA + 0x5000;
        for (long off = -16; off <= 8; off += 4) {
            run("MMU off, pairs at granule end " + off, false, loads + off, stores + off);
        }
        assertFaulted(run("MMU off, unaligned X pairs", false, loads + 4, stores));
        assertFaulted(run("MMU off, loads off the end of RAM", false, RAM_END - 8, stores));
        assertFaulted(run("MMU off, stores off the end of RAM", false, loads, RAM_END - 8));
        run("MMU off, stores beside the code's line", false, loads, Pair.CODE + 0x78);
        run("MMU off, stores onto the code's line", false, loads, Pair.CODE + 0x38);
    }

    @Test
    void pairsAgreeWithTheInterpreterAcrossPagesWithTheMmuOn() {
        long base = JitMmuDifferentialTest.VA + 0x20000; // page i maps to DATA + (15 - i) * 4 KiB
        for (long off = -16; off <= 8; off += 4) {
            run("MMU on, pages 1|2 (PAs apart) " + off, true, base + 0x2000 + off, base + 0x9000 + off);
        }
        assertFaulted(run("MMU on, loads into the unmapped page 3", true, base + 0x3000 - 8, base + 0x9000));
        assertFaulted(run("MMU on, stores into the read-only page 5", true, base + 0x1000, base + 0x5000 - 8));
        assertFaulted(run("MMU on, W stores into the read-only page 5", true, base + 0x1000, base + 0x5000 - 20));
    }

    private static void assertFaulted(long esr) {
        assertTrue(esr != 0, "the guest took a data abort");
    }

    /** Runs the loop on both sides and compares them; returns the ESR the compiled side ends with. */
    private static long run(String what, boolean mmu, long x28, long x27) {
        Pair pair = new Pair();
        pair.code(Pair.CODE, LOOP);
        pair.vectors();
        byte[] data = new byte[(int) Pair.DATA_SIZE];
        new Random(what.hashCode()).nextBytes(data);
        pair.both(s -> {
            s.mem.writeBytes(Pair.DATA, data);
            s.mem.write(RAM_END - 16, 8, 0x1122334455667788L);
            s.mem.write(RAM_END - 8, 8, 0x99AABBCCDDEEFF00L);
            s.cpu.x[28] = x28;
            s.cpu.x[27] = x27;
        });
        if (mmu) {
            JitMmuDifferentialTest.mmuOn(pair);
        }
        long before = pair.jit.compiledCount();
        pair.run(LOOP.length * 300L, what);
        assertTrue(pair.jit.compiledCount() > before, what + ": the loop ran compiled");
        assertArrayEquals(pair.interp.mem.readBytes(Pair.CODE, 0x100), pair.compiled.mem.readBytes(Pair.CODE, 0x100),
                what + ": code lines");
        assertEquals(pair.interp.mem.read(RAM_END - 8, 8), pair.compiled.mem.read(RAM_END - 8, 8), what + ": end of RAM");
        return pair.compiled.cpu.sys.esr;
    }
}
