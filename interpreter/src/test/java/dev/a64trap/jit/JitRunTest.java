package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Block;
import dev.a64trap.exec.RunObserver;
import dev.a64trap.exec.Stop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Budgets, self-modifying code and interrupts with compiled loops (words from aarch64-linux-gnu-as 2.40). */
class JitRunTest {
    static final int ADD_X0_1 = 0x91000400, ADD_X1_2 = 0x91000821, ADD_X0_100 = 0x91019000,
            STR_W1_X2 = 0xB9000041, SUBS_X3_1 = 0xF1000463, B_SELF = 0x14000000;

    static int bBack(int words) {
        return 0x14000000 | (-words & 0x3FF_FFFF);
    }

    static int bneBack(int words) {
        return 0x54000001 | (-words & 0x7FFFF) << 5;
    }

    @Test
    void budgetEndsExactlyInsideACompiledLoop() {
        // loop: add x0, x0, #1 ; add x1, x1, #2 ; b loop
        for (long budget : new long[] {1, 2, 3, 4, 5, 6, 7, 299, 300, 301, 1_000_001}) {
            Pair pair = new Pair();
            pair.code(Pair.CODE, ADD_X0_1, ADD_X1_2, bBack(2));
            Stop stop = pair.run(budget, "budget " + budget);
            assertEquals(Stop.Kind.BUDGET, stop.kind());
            assertEquals(budget, pair.compiled.cpu.retired);
            // Instruction k (0-based) of the run is word k % 3: x0 counts the first words, x1 the second.
            assertEquals((budget + 2) / 3, pair.compiled.cpu.x[0], "x0 after " + budget);
            assertEquals(2 * ((budget + 1) / 3), pair.compiled.cpu.x[1], "x1 after " + budget);
            assertEquals(Pair.CODE + 4 * (budget % 3), stop.pc());
            assertEquals(budget / 3, pair.compiled.interp.events.branches);
        }
    }

    @Test
    void aResumedRunContinuesWhereTheBudgetStoppedTheLoop() {
        Pair pair = new Pair();
        pair.code(Pair.CODE, ADD_X0_1, ADD_X1_2, bBack(2));
        pair.run(1000, "first");
        pair.run(2000, "resumed");
        assertEquals(2000, pair.compiled.cpu.retired);
        assertEquals(667, pair.compiled.cpu.x[0]);
    }

    @Test
    void aStoreIntoItsOwnBlockDropsTheCompiledLoop() {
        // loop: str w1, [x2] (x2 = &loop[1], w1 = "add x0, x0, #100") ; add x0, x0, #1 ; subs x3, x3, #1 ; b.ne loop
        Pair pair = new Pair();
        pair.code(Pair.CODE, STR_W1_X2, ADD_X0_1, SUBS_X3_1, bneBack(3), B_SELF);
        pair.both(s -> {
            s.cpu.x[1] = ADD_X0_100;
            s.cpu.x[2] = Pair.CODE + 4;
            s.cpu.x[3] = 10;
        });
        Stop stop = pair.run(41, "self-modifying loop");
        assertEquals(Stop.Kind.BUDGET, stop.kind());
        // The first pass still runs the add #1 it was decoded with; every later one the rewritten add #100.
        assertEquals(1 + 9 * 100, pair.compiled.cpu.x[0]);
        assertEquals(0, pair.compiled.cpu.x[3]);
        assertEquals(Pair.CODE + 16, stop.pc());
        assertTrue(pair.compiled.interp.cache().invalidations() > 0);
        assertTrue(pair.jit.compiledCount() >= 2, "the loop was compiled again after the write");
    }

    @Test
    void aWriteToTheCodePageDropsTheUnitWithItsBlock() {
        Pair pair = new Pair();
        pair.code(Pair.CODE, ADD_X0_1, ADD_X1_2, bBack(2));
        pair.run(100, "warm");
        Block b = pair.compiled.interp.cache().get(Pair.CODE);
        assertNotNull(b);
        assertNotNull(b.compiled);
        pair.code(Pair.CODE, ADD_X0_100); // a loader, debugger or DMA-like write through GuestMemory
        assertNull(pair.compiled.interp.cache().get(Pair.CODE));
        assertTrue(b.stale);
        pair.run(103, "after rewrite");
        assertEquals(34 + 100, pair.compiled.cpu.x[0]);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInterruptStopsACompiledEndlessLoop() throws InterruptedException {
        Pair pair = new Pair();
        pair.code(Pair.CODE, ADD_X0_1, bBack(1));
        Pair.Side side = pair.compiled;
        // Interrupt soon after the unit has surely been compiled and run: the interpreter below must
        // retire the same count again, so a long wait (with chained units, billions of instructions)
        // would make the reference run the slow part of this test.
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(20);
                while (side.cpu.retired < 1_000_000) {
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                return;
            }
            side.interp.interrupt();
        });
        t.start();
        Stop stop = side.interp.run(0);
        t.join();
        assertEquals(Stop.Kind.INTERRUPTED, stop.kind());
        assertTrue(pair.jit.compiledCount() > 0);
        long retired = side.cpu.retired;
        assertTrue(retired > 0);
        assertEquals(retired, 2 * side.cpu.x[0], "stopped at a block boundary with consistent state");
        assertEquals(Pair.CODE, side.cpu.pc);
        // The same count interpreted reaches the same state.
        Stop ref = pair.interp.interp.run(retired);
        assertEquals(Stop.Kind.BUDGET, ref.kind());
        pair.assertSame("after interrupt");
        // And the run can go on.
        Stop again = side.interp.run(retired + 10);
        assertEquals(Stop.Kind.BUDGET, again.kind());
        assertEquals(retired / 2 + 5, side.cpu.x[0]);
    }

    /** Records what the interpreter tells a vPMU-like observer; checkpoints every {@code interval} instructions. */
    static final class Recorder implements RunObserver {
        final java.util.List<String> log = new java.util.ArrayList<>();
        final Pair.Side side;
        final long interval;

        Recorder(Pair.Side side, long interval) {
            this.side = side;
            this.interval = interval;
            side.interp.setObserver(this);
            side.interp.setCheckpoint(interval);
        }

        @Override
        public void retired(Block b, int n, int el, long nextPc) {
            log.add(String.format("block %x n=%d el=%d next=%x", b.pc, n, el, nextPc));
        }

        @Override
        public Stop checkpoint() {
            log.add("checkpoint at " + side.cpu.retired);
            side.interp.setCheckpoint(side.cpu.retired + interval);
            return null;
        }

        /**
         * The log with the calls between two checkpoints sorted: the interpreter reports what compiled
         * units ran when it settles (before each checkpoint and at the end of the run), not in
         * execution order, so the contract is the same calls between the same checkpoints.
         */
        java.util.List<String> canonical() {
            java.util.List<String> out = new java.util.ArrayList<>();
            java.util.List<String> segment = new java.util.ArrayList<>();
            for (String line : log) {
                if (line.startsWith("checkpoint")) {
                    java.util.Collections.sort(segment);
                    out.addAll(segment);
                    segment.clear();
                    out.add(line);
                } else {
                    segment.add(line);
                }
            }
            java.util.Collections.sort(segment);
            out.addAll(segment);
            return out;
        }
    }

    @Test
    void theObserverSeesTheSameBlocksAndCheckpointsWithCompiledLoops() {
        // The bench guest's loop (aarch64-linux-gnu-objdump of bench.elf), then b .
        int[] loop = {0x8b060042, 0xcac23484, 0x8b040400, 0xcb0000a5, 0xca050042, 0x8a000087, 0x8b070063,
            0xf10004c6, 0x54ffff01, B_SELF};
        for (long interval : new long[] {7, 1000, 100_000}) {
            Pair pair = new Pair();
            pair.code(Pair.CODE, loop);
            pair.both(s -> s.cpu.x[6] = 500);
            Recorder ref = new Recorder(pair.interp, interval);
            Recorder jit = new Recorder(pair.compiled, interval);
            pair.run(4600, "checkpoints every " + interval);
            java.util.List<String> refLog = ref.canonical();
            java.util.List<String> jitLog = jit.canonical();
            int k = 0;
            while (k < Math.min(refLog.size(), jitLog.size()) && refLog.get(k).equals(jitLog.get(k))) {
                k++;
            }
            int at = k;
            assertEquals(refLog.size(), jitLog.size(), () -> "observer calls, checkpoints every " + interval
                    + "; first difference at call " + at);
            assertEquals(refLog.size(), at, () -> "observer call " + at + ", checkpoints every " + interval + ": "
                    + refLog.get(at) + " vs " + jitLog.get(at));
            assertTrue(ref.log.size() > 500, "one call per pass at least");
            assertTrue(pair.jit.compiledCount() > 0);
        }
    }

    @Test
    void simdAndFpInstructionsCompileAsCallsAndAgreeWithTheInterpreter() {
        // loop: fadd d0, d0, d1 ; add x0, x0, #1 ; ldr q2, [x2], #16 ; add v3.2d, v3.2d, v2.2d ;
        //       subs x4, x4, #1 ; b.ne loop   (aarch64-linux-gnu-objdump), then b .
        Pair pair = new Pair();
        pair.code(Pair.CODE, 0x1E612800, 0x91000400, 0x3CC10442, 0x4EE28463, 0xF1000484, 0x54FFFF61, B_SELF);
        pair.both(s -> {
            s.cpu.sys.cpacr = 3L << 20;
            s.cpu.x[2] = Pair.DATA;
            s.cpu.x[4] = 300;
            s.cpu.v[2] = Double.doubleToRawLongBits(0.25); // d1
            for (int k = 0; k < 600; k++) {
                s.mem.write(Pair.DATA + 8L * k, 8, 0x0101_0101_0101_0101L * (k & 7) + k);
            }
        });
        for (long budget : new long[] {7, 601, 1799, 5000}) {
            pair.run(budget, "budget " + budget);
            assertArrayEquals(pair.interp.cpu.v, pair.compiled.cpu.v, "budget " + budget + ": V registers");
        }
        assertEquals(300, pair.compiled.cpu.x[0]);
        assertEquals(75.0, Double.longBitsToDouble(pair.compiled.cpu.v[0]));
        assertTrue(pair.jit.compiledCount() > 0);
        assertEquals(0, pair.jit.rejectedCount(), "the SIMD&FP block is compiled, not left to the interpreter");
        // with the unit disabled for the vCPU's FP (CPACR), the access traps in both at the same instruction
        Pair trap = new Pair();
        trap.code(Pair.CODE, 0x91000400, 0x1E612800, B_SELF);
        trap.vectors();
        trap.run(50, "FP access trap");
    }
}
