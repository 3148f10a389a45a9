package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Block;
import dev.a64trap.exec.BlockCache;
import dev.a64trap.exec.Stop;
import dev.a64trap.mem.mmu.Mmu;
import org.junit.jupiter.api.Test;

/**
 * Translated code is tracked per 64-byte line: a compiled loop that stores beside its own code (same
 * 4 KiB page, even the same line) keeps running compiled, with the MMU off and on (then through the
 * TLB's direct entry); a store over the code drops the block and the next pass runs the new
 * instruction, exactly as the interpreter does; IC IVAU drops only its line's blocks. Words from
 * aarch64-linux-gnu-as 2.40.
 */
class JitCodeLineTest {
    // loop: str x1, [x2] ; add x0, x0, #1 ; subs x3, x3, #1 ; b.ne loop ; then b .
    static final int[] LOOP = {0xF9000041, 0x91000400, 0xF1000463, 0x54FFFFA1, 0x14000000};
    static final int STR_W1_X2 = 0xB9000041;
    static final int ADD_X0_100 = 0x91019000, IC_IVAU_X5 = 0xD50B7525, B_SELF = 0x14000000;
    static final long CODE_VA = JitMmuDifferentialTest.VA + (Pair.CODE - Pair.RAM);

    /** The loop at CODE storing x1 to {@code target} (a VA) 1000 times; MMU on: the code page is writable. */
    static Pair loop(boolean mmu, long target, long value) {
        Pair pair = new Pair();
        pair.code(Pair.CODE, LOOP);
        if (value == ADD_X0_100) { // rewriting an instruction: a 4-byte store
            pair.code(Pair.CODE, STR_W1_X2);
        }
        pair.vectors();
        if (mmu) {
            JitMmuDifferentialTest.mmuOn(pair);
            pair.both(s -> {
                s.mem.write(JitMmuDifferentialTest.TABLES + 0x2000 + 8, 8, Pair.CODE | JitMmuDifferentialTest.NORMAL | 3);
                s.cpu.mmu.flush();
            });
        }
        pair.both(s -> {
            s.cpu.x[1] = value;
            s.cpu.x[2] = target;
            s.cpu.x[3] = 1000;
        });
        return pair;
    }

    static long codeAddress(boolean mmu, long pa) {
        return mmu ? pa - Pair.CODE + CODE_VA : pa;
    }

    @Test
    void aStoreBesideCodeKeepsTheLoopCompiledWithTheMmuOffAndOn() {
        for (boolean mmu : new boolean[] {false, true}) {
            for (long offset : new long[] {0x80, 0xFF8, 0x18}) { // another line, the page's last word, the code's own line
                String what = (mmu ? "MMU on" : "MMU off") + ", store at code+0x" + Long.toHexString(offset);
                Pair pair = loop(mmu, codeAddress(mmu, Pair.CODE + offset), 0x1234);
                pair.run(4 * 500, what + ": warm");
                BlockCache cache = pair.compiled.interp.cache();
                Block b = cache.get(codeAddress(mmu, Pair.CODE));
                assertNotNull(b, what);
                Object unit = b.compiled;
                assertNotNull(unit, what);
                Stop stop = pair.run(4 * 1000 + 1, what);
                assertEquals(Stop.Kind.BUDGET, stop.kind(), what);
                assertEquals(1000, pair.compiled.cpu.x[0], what);
                assertSame(b, cache.get(codeAddress(mmu, Pair.CODE)), what + ": the same block");
                assertSame(unit, b.compiled, what + ": the same unit, never recompiled");
                assertFalse(b.stale, what);
                assertEquals(0, cache.invalidations(), what + ": nothing dropped");
                assertEquals(0x1234, pair.compiled.mem.read(Pair.CODE + offset, 8), what);
                if (mmu && offset != 0x18) { // another line: the TLB's direct entry for stores beside code took it
                    Mmu.Tlb t = pair.compiled.cpu.mmu.tlb(1);
                    int i = (int) (CODE_VA >>> 12) & Mmu.TLB_MASK;
                    assertEquals(CODE_VA, t.storeCode[i], what);
                    assertEquals(Mmu.EMPTY, t.store[i], what);
                }
            }
        }
    }

    @Test
    void aStoreOverTheLoopsCodeDropsItAndTheNextPassRunsTheNewInstructionWithTheMmuOffAndOn() {
        for (boolean mmu : new boolean[] {false, true}) {
            String what = mmu ? "MMU on" : "MMU off";
            // The store rewrites the loop's add #1 into add #100 on the first pass.
            Pair pair = loop(mmu, codeAddress(mmu, Pair.CODE + 4), ADD_X0_100);
            pair.run(4 * 10, what + ": first 10 passes");
            // The first pass ran the add #1 it was decoded with, every later one the add #100.
            assertEquals(1 + 9 * 100, pair.compiled.cpu.x[0], what);
            assertTrue(pair.compiled.interp.cache().invalidations() >= 10, what + ": every pass drops the block it wrote");
            pair.run(4 * 1000 + 1, what + ": to the end");
            assertEquals(1 + 999 * 100, pair.compiled.cpu.x[0], what);
        }
    }

    @Test
    void aStoreThroughAnAliasOverCompiledCodeIsSeen() {
        // MMU on: data page VA+0x20000 is remapped onto the code page (RW, XN). The loop first stores
        // through it beside the code (the alias's TLB entry is then in use), then over its add.
        long alias = JitMmuDifferentialTest.VA + 0x20000;
        Pair pair = loop(true, alias + 0x80, ADD_X0_100);
        pair.both(s -> {
            s.mem.write(JitMmuDifferentialTest.TABLES + 0x2000 + 8 * 0x20, 8,
                    Pair.CODE | JitMmuDifferentialTest.NORMAL | 3 | 1L << 53 | 1L << 54);
            s.cpu.mmu.flush();
        });
        pair.run(4 * 1000 + 1, "alias, beside the code");
        assertEquals(1000, pair.compiled.cpu.x[0]);
        assertEquals(0, pair.compiled.interp.cache().invalidations());
        pair.both(s -> {
            s.cpu.x[0] = 0;
            s.cpu.x[2] = alias + 4;
            s.cpu.x[3] = 1000;
            s.cpu.pc = CODE_VA;
        });
        pair.run(2 * (4 * 1000 + 1), "alias, over the code");
        assertEquals(1 + 999 * 100, pair.compiled.cpu.x[0]);
    }

    @Test
    void icIvauDropsOnlyTheBlocksOfItsLineWithTheMmuOffAndOn() {
        for (boolean mmu : new boolean[] {false, true}) {
            String what = mmu ? "MMU on" : "MMU off";
            // CODE: ic ivau, x5 ; b CODE+0x100 ; CODE+0x100: b CODE (a hot pair of blocks, lines 0 and 4)
            Pair pair = new Pair();
            pair.code(Pair.CODE, IC_IVAU_X5, 0x14000000 | 0x3F);
            pair.code(Pair.CODE + 0x100, 0x14000000 | (-0x40 & 0x3FF_FFFF));
            pair.vectors();
            if (mmu) {
                JitMmuDifferentialTest.mmuOn(pair);
            }
            pair.both(s -> s.cpu.x[5] = codeAddress(mmu, Pair.CODE + 0x20 + 0x1000)); // a line of the next page: no code
            pair.run(3 * 100, what + ": warm");
            BlockCache cache = pair.compiled.interp.cache();
            Block far = cache.get(codeAddress(mmu, Pair.CODE + 0x100));
            assertNotNull(far, what);
            assertEquals(0, cache.invalidations(), what + ": IC IVAU over data drops nothing");
            pair.both(s -> s.cpu.x[5] = codeAddress(mmu, Pair.CODE + 0x3C)); // line 0: the first block's
            pair.run(3 * 100 + 1, what + ": IC IVAU of the first line");
            assertTrue(cache.invalidations() > 0, what);
            assertFalse(far.stale, what + ": the block on another line stays");
            assertSame(far, cache.get(codeAddress(mmu, Pair.CODE + 0x100)), what);
        }
    }

    @Test
    void aCacheMaintenanceLoopIsOneCompiledBlockWithTheMmuOffAndOn() {
        // loop: dc civac, x5 ; ic ivau, x5 ; add x5, x5, #64 ; subs x3, x3, #1 ; b.ne loop ; b .
        for (boolean mmu : new boolean[] {false, true}) {
            for (long start : new long[] {Pair.DATA, Pair.CODE}) { // over data, then over the loop's own code
                String what = (mmu ? "MMU on" : "MMU off") + (start == Pair.CODE ? ", over its own code" : ", over data");
                Pair pair = new Pair();
                pair.code(Pair.CODE, 0xD50B7E25, IC_IVAU_X5, 0x910100A5, 0xF1000463, 0x54FFFF81, B_SELF);
                pair.vectors();
                if (mmu) {
                    JitMmuDifferentialTest.mmuOn(pair);
                }
                long va = mmu && start == Pair.DATA ? JitMmuDifferentialTest.VA + 0x20000 : codeAddress(mmu, start);
                pair.both(s -> {
                    s.cpu.x[5] = va;
                    s.cpu.x[3] = 1000;
                });
                Stop stop = pair.run(5 * 1000 + 1, what);
                assertEquals(Stop.Kind.BUDGET, stop.kind(), what);
                assertEquals(va + 64 * 1000, pair.compiled.cpu.x[5], what);
                Block b = pair.compiled.interp.cache().get(codeAddress(mmu, Pair.CODE));
                if (start == Pair.DATA) {
                    assertNotNull(b, what);
                    assertEquals(5, b.length(), what + ": DC and IC do not end the block");
                    assertNotNull(b.compiled, what);
                    assertEquals(0, pair.compiled.interp.cache().invalidations(), what);
                } else {
                    assertTrue(pair.compiled.interp.cache().invalidations() > 0, what + ": IC IVAU of its own line");
                }
            }
        }
    }

    @Test
    void aWriteToARegionMemberOnAnotherLineDropsTheUnit() {
        // CODE+0x3C: mrs x1, tpidr_el0 (the head, line 0) ; CODE+0x40: add x0, x0, #1 ; subs x3, x3, #1 ;
        // b.ne CODE+0x3C (the chained member, line 1: run only inside the unit, so never cached) ; b .
        Pair pair = new Pair();
        pair.code(Pair.CODE + 0x3C, JitRegionTest.MRS_X1_TPIDR, 0x91000400, 0xF1000463, 0x54FFFFA1, B_SELF);
        pair.both(s -> {
            s.cpu.pc = Pair.CODE + 0x3C;
            s.cpu.x[3] = 1000;
        });
        pair.run(4 * 10, "warm");
        assertTrue(pair.jit.regionCount() > 0, "a region unit of head and member");
        pair.code(Pair.CODE + 0x40, ADD_X0_100); // a debugger-style write over the member only
        pair.run(4 * 20, "after the write");
        assertEquals(10 + 10 * 100, pair.compiled.cpu.x[0]);
    }

    @Test
    void aBulkWriteBesideCodeKeepsItAndOneOverItDropsIt() {
        Pair pair = loop(false, Pair.DATA, 1);
        pair.run(4 * 1000 + 1, "warm");
        BlockCache cache = pair.compiled.interp.cache();
        Block b = cache.get(Pair.CODE);
        pair.compiled.mem.writeBytes(Pair.CODE + 0x40, new byte[0x40]); // the next line, up to its end
        assertFalse(b.stale);
        assertSame(b, cache.get(Pair.CODE));
        pair.compiled.mem.writeBytes(Pair.CODE + 0x10, new byte[4]); // over the b . after the loop: another block
        assertFalse(b.stale, "the loop's own block is not under the write");
        pair.compiled.mem.writeBytes(Pair.CODE + 0xC, new byte[4]); // the loop's b.ne
        assertTrue(b.stale);
        assertNull(cache.get(Pair.CODE));
    }
}
