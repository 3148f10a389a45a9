package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Stop;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Plain loop units whose loads and stores keep the granule they last hit in locals (Translator's
 * site cache) against the interpreter: random loops of post-indexed and offset LDR/STR/LDP/STP of
 * every size over base registers that stride through pages (crossing granules, leaving RAM,
 * unaligned, into the loop's own code, toggled between data and the lines beside the code), with
 * the MMU off and on; a store site moving between a data page and its own code page, and one
 * walking through the lines beside its code into them; and a loop that rewrites a page-table entry
 * without a TLBI while another access evicts the entry from the TLB.
 */
class JitSiteCacheDifferentialTest {
    /** Base registers of the random loops and the loop counter. */
    private static final int[] BASES = {20, 21, 22, 23};
    private static final int COUNTER = 2;
    /** What a random EOR toggles a base with: between a data address and one beside the loop's code. */
    private static final int TOGGLE = 24;
    /** With the MMU on, a writable alias of the code page (which is read-only at VA + 0x1000). */
    private static final long CODE_ALIAS = JitMmuDifferentialTest.VA + 0x10000;

    /** JitMmuDifferentialTest.mmuOn, with {@link #CODE_ALIAS} mapped too. */
    private static void mmuOnWithCodeAlias(Pair pair) {
        pair.both(s -> s.mem.write(JitMmuDifferentialTest.TABLES + 0x2000 + 8 * 0x10, 8,
                Pair.CODE | JitMmuDifferentialTest.NORMAL | JitMmuDifferentialTest.PAGE));
        JitMmuDifferentialTest.mmuOn(pair);
    }

    @Test
    void randomStridingLoopsAgreeWithTheInterpreter() {
        long seed = Long.getLong("a64trap.test.seed", 0x517E_CAC4EL);
        Random rnd = new Random(seed);
        int programs = 400, longRuns = 0, faults = 0;
        for (int p = 0; p < programs; p++) {
            String what = "seed " + seed + " program " + p;
            boolean mmu = rnd.nextBoolean();
            int len = 1 + rnd.nextInt(6);
            int[] words = new int[len + 3];
            for (int k = 0; k < len; k++) {
                words[k] = memoryInsn(rnd);
            }
            words[len] = 0xF1000442; // subs x2, x2, #1
            words[len + 1] = 0x54000001 | (-(len + 1) & 0x7FFFF) << 5; // b.ne start
            words[len + 2] = 0x14000000; // b .
            Pair pair = new Pair();
            pair.code(Pair.CODE, words);
            pair.vectors();
            byte[] data = new byte[(int) Pair.DATA_SIZE];
            rnd.nextBytes(data);
            long base = mmu ? JitMmuDifferentialTest.VA + 0x20000 : Pair.DATA;
            long[] x = new long[32];
            for (int r = 0; r < 31; r++) {
                x[r] = rnd.nextLong();
            }
            for (int b : BASES) {
                long at = base + rnd.nextInt((int) Pair.DATA_SIZE);
                x[b] = rnd.nextInt(8) == 0 ? at : at & ~7;
            }
            if (rnd.nextInt(10) == 0) { // a base that walks into the loop's own code
                x[BASES[rnd.nextInt(BASES.length)]] = (mmu ? JitMmuDifferentialTest.VA : Pair.RAM) + 0x1000 - 64;
            }
            long codePage = mmu ? CODE_ALIAS : Pair.CODE;
            x[TOGGLE] = (x[BASES[0]] ^ (codePage + 0x800 + 8 * rnd.nextInt(0x100))) & ~7;
            x[COUNTER] = 1 + rnd.nextInt(3000);
            pair.both(s -> {
                System.arraycopy(x, 0, s.cpu.x, 0, 31);
                s.mem.writeBytes(Pair.DATA, data);
            });
            if (mmu) {
                mmuOnWithCodeAlias(pair);
            }
            long budget = 1 + rnd.nextInt(30000);
            Stop stop = pair.run(budget, what + (mmu ? " (MMU on)" : " (MMU off)") + " budget " + budget);
            assertArrayEquals(pair.interp.mem.readBytes(Pair.RAM, 1 << 20), pair.compiled.mem.readBytes(Pair.RAM, 1 << 20),
                    what + ": RAM");
            if (pair.compiled.cpu.retired > 2000) {
                longRuns++;
            }
            if (pair.compiled.cpu.sys.esr != 0) {
                faults++;
            }
            // (both sides agree, checked above; a base striding from beside the code may overwrite the
            // vectors, and the guest then loops on an exception)
            assertTrue(stop.kind() == Stop.Kind.BUDGET || stop.kind() == Stop.Kind.EXCEPTION_LOOP, what + ": " + stop);
        }
        assertTrue(longRuns > programs / 4, "loops ran for many passes: " + longRuns);
        assertTrue(faults > programs / 10, "faults were taken inside compiled loops: " + faults);
    }

    /** A random load or store over one of {@link #BASES}, mostly post-indexed with a small stride. */
    private static int memoryInsn(Random rnd) {
        int n = BASES[rnd.nextInt(BASES.length)];
        int t = 3 + rnd.nextInt(8), t2 = 11 + rnd.nextInt(8);
        int stride = switch (rnd.nextInt(4)) {
            case 0 -> 8;
            case 1 -> 16;
            case 2 -> -16;
            default -> rnd.nextInt(64) * 8 - 256;
        };
        if (rnd.nextInt(12) == 0) {
            int t0 = BASES[0];
            return 0xCA000000 | TOGGLE << 16 | t0 << 5 | t0; // eor x20, x20, x24: to beside the code and back
        }
        return switch (rnd.nextInt(9)) {
            case 0 -> 0xF8400400 | (stride & 0x1FF) << 12 | n << 5 | t; // ldr x, [xn], #s
            case 1 -> 0xF8000400 | (stride & 0x1FF) << 12 | n << 5 | t; // str x, [xn], #s
            case 2 -> 0xB8400400 | (stride / 2 & 0x1FF) << 12 | n << 5 | t; // ldr w, [xn], #s/2
            case 3 -> 0x38000400 | (stride / 8 & 0x1FF) << 12 | n << 5 | t; // strb w, [xn], #s/8
            case 4 -> 0xA8C00000 | (stride / 8 & 0x7F) << 15 | t2 << 10 | n << 5 | t; // ldp x, x, [xn], #s
            case 5 -> 0xA8800000 | (stride / 8 & 0x7F) << 15 | t2 << 10 | n << 5 | t; // stp x, x, [xn], #s
            case 6 -> 0x28C00000 | (stride / 8 & 0x7F) << 15 | t2 << 10 | n << 5 | t; // ldp w, w, [xn], #s/2
            case 7 -> 0x28800000 | (stride / 8 & 0x7F) << 15 | t2 << 10 | n << 5 | t; // stp w, w, [xn], #s/2
            default -> 0xF9400000 | rnd.nextInt(8) << 10 | n << 5 | t; // ldr x, [xn, #8k]
        };
    }

    @Test
    void aStoreSiteAlternatingBetweenDataAndTheLoopsOwnPageAgreesWithTheInterpreter() {
        // loop: str x3, [x20] ; add x3, x3, #1 ; eor x20, x20, x21 ; subs x2, x2, #1 ; b.ne loop
        // x20 alternates between a data word and a word beside the loop on its own page (another
        // 64-byte line), with the MMU off and on: the store site moves between a granule that takes
        // direct stores and one that takes them only beside its code, and back.
        for (boolean mmu : new boolean[] {false, true}) {
            Pair pair = new Pair();
            pair.code(Pair.CODE, 0xF9000283, 0x91000463, 0xCA150294, 0xF1000442, 0x54FFFF81, 0x14000000);
            pair.vectors();
            if (mmu) {
                mmuOnWithCodeAlias(pair);
            }
            long data = mmu ? JitMmuDifferentialTest.VA + 0x20000 + 0x100 : Pair.DATA + 0x100;
            long beside = (mmu ? CODE_ALIAS : Pair.CODE) + 0x800;
            int passes = 3000;
            pair.both(s -> {
                s.cpu.x[20] = data;
                s.cpu.x[21] = data ^ beside;
                s.cpu.x[3] = 7;
                s.cpu.x[2] = passes;
            });
            Stop stop = pair.run(5L * passes + 1, "alternating store site, MMU " + (mmu ? "on" : "off"));
            assertTrue(stop.kind() == Stop.Kind.BUDGET, stop.toString());
            assertEquals(0, pair.compiled.cpu.sys.esr, "no exception");
            assertEquals(7 + passes, pair.compiled.cpu.x[3]);
            assertArrayEquals(pair.interp.mem.readBytes(Pair.RAM, 1 << 20), pair.compiled.mem.readBytes(Pair.RAM, 1 << 20),
                    "RAM, MMU " + (mmu ? "on" : "off"));
        }
    }

    @Test
    void aStoreWalkingDownItsOwnCodePageIntoItsCodeAgreesWithTheInterpreter() {
        // loop: ldr x3, [x20] ; str x4, [x20] ; sub x20, x20, #8 ; subs x2, x2, #1 ; b.ne loop
        // x4 = "sub x20, x20, #8 ; subs x2, x2, #2". From 0x400 of the loop's page down: the store
        // site keeps each line beside the code for 8 passes, then stores into the loop's own line and
        // at last over its b.ne: from then on the guest runs what it wrote (a run of sub/subs into
        // the words it filled, then zeros: UNDEFINED). A store into a line with code that did not
        // drop the translation would leave the compiled side looping.
        for (boolean mmu : new boolean[] {false, true}) {
            Pair pair = new Pair();
            pair.code(Pair.CODE, 0xF9400283, 0xF9000284, 0xD1002294, 0xF1000442, 0x54FFFF81, 0x14000000);
            pair.vectors();
            if (mmu) {
                mmuOnWithCodeAlias(pair);
            }
            long page = mmu ? CODE_ALIAS : Pair.CODE;
            int passes = 3000;
            pair.both(s -> {
                s.cpu.x[20] = page + 0x400;
                s.cpu.x[2] = passes;
                s.cpu.x[4] = 0xF1000842_D1002294L;
            });
            String what = "store walking into its code, MMU " + (mmu ? "on" : "off");
            Stop stop = pair.run(5L * passes, what);
            assertTrue(stop.kind() == Stop.Kind.BUDGET, what + ": " + stop);
            assertEquals(0x0200_0000L, pair.compiled.cpu.sys.esr, what + ": UNDEFINED (EC 0, IL) at last");
            assertArrayEquals(pair.interp.mem.readBytes(Pair.RAM, 1 << 20), pair.compiled.mem.readBytes(Pair.RAM, 1 << 20),
                    what + ": RAM");
        }
    }

    @Test
    void aPageTableEntryRewrittenWithoutTlbiIsSeenOnceItsEntryIsEvicted() {
        // loop: ldr x1, [x28] ; add x0, x0, x1 ; str x3, [x26] ; ldr x4, [x27] ; eor x3, x3, x5 ;
        //       subs x2, x2, #1 ; b.ne loop
        // x28: page P's VA; x26: its descriptor (the level 3 table is mapped at VA + 0x30000); x3 and
        // x5: descriptors for pages Q and P, toggled each pass; x27: a VA 4 MiB above, in the same TLB
        // slot. Each pass reads, points the VA at the other page without a TLBI, and evicts the entry:
        // the next pass walks again and reads the other page (1 and 100 in turn).
        long tables = JitMmuDifferentialTest.TABLES, va = JitMmuDifferentialTest.VA;
        long normal = JitMmuDifferentialTest.NORMAL, page = JitMmuDifferentialTest.PAGE;
        long p = Pair.DATA + 0xF000, q = Pair.DATA + 0x1000; // VA + 0x20000 maps to DATA + 0xF000
        Pair pair = new Pair();
        pair.code(Pair.CODE, 0xF9400381, 0x8B010000, 0xF9000343, 0xF9400364, 0xCA050063, 0xF1000442, 0x54FFFF41,
                0x14000000);
        pair.vectors();
        JitMmuDifferentialTest.mmuOn(pair);
        int passes = 1000;
        pair.both(s -> {
            s.mem.write(tables + 0x2000 + 8 * 0x30, 8, (tables + 0x2000) | normal | page); // the table at VA + 0x30000
            s.mem.write(tables + 0x1000 + 8 * 2, 8, (tables + 0x2000) | 3); // VA + 4 MiB: the same level 3 table
            s.cpu.mmu.flush();
            s.mem.write(p, 8, 1);
            s.mem.write(q, 8, 100);
            s.cpu.x[28] = va + 0x20000;
            s.cpu.x[26] = va + 0x30000 + 8 * 0x20;
            s.cpu.x[3] = q | normal | page;
            s.cpu.x[5] = (q | normal | page) ^ (p | normal | page);
            s.cpu.x[27] = va + 0x400000 + 0x20000;
            s.cpu.x[2] = passes;
        });
        pair.run(7L * passes + 1, "rewritten descriptor");
        assertTrue(pair.jit.compiledCount() > 0);
        assertEquals(passes / 2 * (1 + 100), pair.compiled.cpu.x[0]);
    }
}
