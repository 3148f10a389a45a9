package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.exec.Stop;
import dev.a64trap.sysreg.BaseSysRegs;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The interpreter against the JIT with the MMU on: code, vectors and data reached through 4 KiB
 * pages at VAs far from their PAs, the data pages mapped in reverse order, one of them unmapped,
 * one read-only and one with the access flag clear, so compiled loads and stores take the TLB fast
 * path, miss, walk and fault inside compiled loops. Every piece of state must agree.
 */
class JitMmuDifferentialTest {
    static final long VA = 0x1_0000_0000L;
    static final long TABLES = Pair.RAM + 0x40000;
    static final long AF = 1L << 10, NORMAL = 1L << 2 | AF | 3L << 8, PAGE = 3;

    /** Maps VA+off -> PA, builds the tables and turns the MMU on (both sides). */
    static void mmuOn(Pair pair) {
        long l1 = TABLES, l2 = TABLES + 0x1000, l3 = TABLES + 0x2000;
        pair.both(s -> {
            s.mem.write(l1 + 8 * 4, 8, l2 | 3);
            s.mem.write(l2, 8, l3 | 3);
            s.mem.write(l3, 8, Pair.RAM | NORMAL | PAGE); // vectors
            s.mem.write(l3 + 8, 8, Pair.CODE | NORMAL | PAGE | 1L << 7); // code, read-only
            for (int i = 0; i < 16; i++) {
                long pa = Pair.DATA + (15 - i) * 0x1000L;
                long d = pa | NORMAL | PAGE | 1L << 53 | 1L << 54;
                if (i == 3) {
                    d = 0;
                } else if (i == 5) {
                    d |= 1L << 7;
                } else if (i == 7) {
                    d &= ~AF;
                }
                s.mem.write(l3 + 8L * (0x20 + i), 8, d);
            }
            s.cpu.sys.mair = 0xFF00L; // attr 1 Normal WB (descriptors use AttrIndx 1)
            s.cpu.sys.tcr = 25 | 5L << 32;
            s.cpu.sys.ttbr0 = l1;
            s.cpu.sys.sctlr |= BaseSysRegs.SCTLR_M;
            s.cpu.sys.vbar = VA + 0x800;
            s.cpu.translationChanged();
            s.cpu.pc = VA + (Pair.CODE - Pair.RAM);
        });
    }

    @Test
    void randomBlocksAgreeWithTheInterpreterWithTheMmuOn() {
        long seed = Long.getLong("a64trap.test.seed", 0x5EED_3333L);
        Random rnd = new Random(seed);
        int[] pool = JitDifferentialTest.pool(seed);
        int programs = 300, compiledPrograms = 0, faults = 0;
        for (int p = 0; p < programs; p++) {
            String what = "seed " + seed + " program " + p;
            Pair pair = new Pair();
            long before = pair.jit.compiledCount();
            int len = 1 + rnd.nextInt(24);
            int[] words = new int[len + 2];
            for (int k = 0; k < len; k++) {
                words[k] = pool[rnd.nextInt(pool.length)];
            }
            words[len] = switch (rnd.nextInt(3)) {
                case 0 -> 0x14000000 | (-len & 0x3FF_FFFF); // b start
                case 1 -> 0x54000000 | (-len & 0x7FFFF) << 5 | rnd.nextInt(15); // b.cond start
                default -> 0xB5000000 | (-len & 0x7FFFF) << 5 | rnd.nextInt(31); // cbnz xN, start
            };
            words[len + 1] = 0x14000000;
            pair.code(Pair.CODE, words);
            pair.vectors();
            long[] x = new long[32];
            for (int r = 0; r < 31; r++) {
                x[r] = rnd.nextLong() >>> rnd.nextInt(64);
            }
            x[27] = rnd.nextInt(64);
            x[28] = VA + 0x20000 + (rnd.nextInt(0x10000) & (rnd.nextBoolean() ? ~7 : ~0));
            x[31] = VA + 0x28000;
            byte[] data = new byte[(int) Pair.DATA_SIZE];
            rnd.nextBytes(data);
            int nzcv = rnd.nextInt(16);
            pair.both(s -> {
                System.arraycopy(x, 0, s.cpu.x, 0, 32);
                s.cpu.nzcv = nzcv;
                s.mem.writeBytes(Pair.DATA, data);
            });
            mmuOn(pair);
            long budget = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(20000) : 1 + rnd.nextInt(6 * (len + 1));
            pair.run(budget, what + " budget " + budget);
            if (pair.jit.compiledCount() > before) {
                compiledPrograms++;
            }
            if (pair.compiled.cpu.sys.esr != 0) {
                faults++;
            }
        }
        assertTrue(compiledPrograms > programs / 2, "most programs ran compiled: " + compiledPrograms);
        assertTrue(faults > programs / 10, "translation faults were taken: " + faults);
    }

    @Test
    void aRemapAfterTlbiIsSeenByCompiledCode() {
        // loop: ldr x1, [x28] ; add x0, x0, x1 ; b loop
        Pair pair = new Pair();
        pair.code(Pair.CODE, 0xF9400381, 0x8B010000, 0x17FFFFFE);
        pair.vectors();
        mmuOn(pair);
        pair.both(s -> {
            s.cpu.x[28] = VA + 0x20000;
            s.mem.write(Pair.DATA + 0xF000, 8, 1);
            s.mem.write(Pair.DATA + 0xE000, 8, 100);
        });
        pair.run(3 * 1000, "first mapping");
        assertEquals(1000, pair.compiled.cpu.x[0]);
        assertTrue(pair.jit.compiledCount() > 0);
        pair.both(s -> {
            s.mem.write(TABLES + 0x2000 + 8 * 0x20, 8, (Pair.DATA + 0xE000) | NORMAL | PAGE);
            s.cpu.mmu.flushVa(VA + 0x20000);
        });
        Stop stop = pair.run(3 * 2000, "after remap");
        assertEquals(Stop.Kind.BUDGET, stop.kind());
        assertEquals(1000 + 1000 * 100, pair.compiled.cpu.x[0]);
    }

    @Test
    void codeRemappedUnderTheSamePcNeverRunsStale() {
        // page A at CODE: add x0, x0, #1 ; b . -4 ; page B at CODE+0x2000: add x0, x0, #100 ; b . -4
        Pair pair = new Pair();
        pair.code(Pair.CODE, 0x91000400, 0x17FFFFFF);
        pair.code(Pair.CODE + 0x2000, 0x91019000, 0x17FFFFFF);
        pair.vectors();
        mmuOn(pair);
        pair.run(2 * 500, "page A");
        assertEquals(500, pair.compiled.cpu.x[0]);
        assertTrue(pair.jit.compiledCount() > 0);
        pair.both(s -> {
            s.mem.write(TABLES + 0x2000 + 8, 8, (Pair.CODE + 0x2000) | NORMAL | PAGE);
            s.cpu.mmu.flush(); // TLBI VMALLE1
        });
        pair.run(2 * 1000, "page B under the same VA");
        assertEquals(500 + 500 * 100, pair.compiled.cpu.x[0]);
        // and a change of EL's view: the same VA unmapped faults at the next block
        pair.both(s -> {
            s.mem.write(TABLES + 0x2000 + 8, 8, 0);
            s.cpu.mmu.flushVa(VA + 0x1000);
        });
        pair.run(2 * 1000 + 1, "unmapped");
        assertEquals(0x8600_0007L, pair.compiled.cpu.sys.esr);
        assertEquals(VA + 0x1000, pair.compiled.cpu.sys.far);
    }

    @Test
    void unprivilegedLoadsAndStoresUseEl0PermissionsInCompiledCode() {
        // loop: ldtr x1, [x28] ; add x0, x0, x1 ; sttr x0, [x28, #8] ; subs x2, x2, #1 ; b.ne loop
        // then ldtr x3, [x28, #0x78] ; sttrh w0, [x28, #0x7a] ; ldtrsb x4, [x28, #-0xf0] ;
        // ldtr x5, [x28, #0x80] (the next page: EL1 only, a permission fault) ; b .
        Pair pair = new Pair();
        pair.code(Pair.CODE, 0xF8400B81, 0x8B010000, 0xF8008B80, 0xF1000442, 0x54FFFF81, 0xF8478B83, 0x7807AB80,
                0x38910B84, 0xF8480B85, 0x14000000);
        pair.vectors();
        mmuOn(pair);
        long page = Pair.DATA + 0xF000; // VA + 0x20000
        pair.both(s -> {
            s.mem.write(TABLES + 0x2000 + 8 * 0x20, 8, page | NORMAL | PAGE | 1L << 6 | 1L << 53 | 1L << 54);
            s.cpu.mmu.flushVa(VA + 0x20000);
            s.cpu.x[28] = VA + 0x20F80;
            s.cpu.x[2] = 1000;
            s.mem.write(page + 0xF80, 8, 3);
            s.mem.write(page + 0xE90, 1, 0xFF);
        });
        pair.run(5 * 1000 + 10, "unprivileged");
        assertTrue(pair.jit.compiledCount() > 0);
        Cpu c = pair.compiled.cpu;
        assertEquals(3 * 1000, c.x[0]);
        assertEquals(-1L, c.x[4]); // ldtrsb of 0xFF
        assertEquals(0x9600_000FL, c.sys.esr); // from EL1 (EC 0x25), EL0's permission fault at level 3, read
        assertEquals(VA + 0x21000, c.sys.far);
        assertEquals(3 * 1000 & 0xFFFF, pair.compiled.mem.read(page + 0xFFA, 2));
    }
}
