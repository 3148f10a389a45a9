package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.decode.Decoder;
import dev.a64trap.exec.Block;
import dev.a64trap.exec.RunObserver;
import dev.a64trap.exec.Stop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random multi-block programs (loops, conditional branches both ways, calls and returns, an
 * indirect branch) run under the interpreter and with graph units from the first execution: the
 * architectural state, the event sums, what a vPMU-like observer is told (each block's whole and
 * partial executions with their successors, summed) and the retired counts at which checkpoints
 * fire must agree. Budgets and checkpoint intervals are random, so both end inside graph units.
 * Seed: {@code -Da64trap.test.seed=N}; count: {@code -Da64trap.test.graphPrograms=N}.
 */
class JitGraphDifferentialTest {
    /** Words per block slot: blocks start at CODE + SLOT * k. */
    private static final int SLOT = 8;

    @Test
    void randomProgramsOfManyBlocksAgreeWithTheInterpreter() {
        long seed = Long.getLong("a64trap.test.seed", 0x6A9F_0A64L);
        int programs = Integer.getInteger("a64trap.test.graphPrograms", 10_000);
        long graphs = runPrograms(seed, programs, 0, null);
        assertTrue(graphs > programs, "graph units were made: " + graphs);
    }

    /**
     * The same programs with one unit per block (no graph units): the run loop goes from one unit
     * straight into the next wherever it would find nothing else to do at the block boundary, and
     * the budgets, checkpoints and observer sums must still be the interpreter's.
     */
    @Test
    void randomProgramsOfChainedBlockUnitsAgreeWithTheInterpreter() {
        long seed = Long.getLong("a64trap.test.seed", 0x6A9F_0A64L) + 1;
        int programs = Integer.getInteger("a64trap.test.graphPrograms", 10_000);
        long[] chained = new long[1];
        long graphs = runPrograms(seed, programs, Integer.MAX_VALUE, chained);
        assertEquals(0, graphs, "no graph units");
        assertTrue(chained[0] > 10L * programs, "units entered straight from the unit before: " + chained[0]);
    }

    /**
     * The same programs with graph units made from profiles: plain units first, a block entered 3
     * times by the run loop becomes the head of a graph unit of its hot successors only (exits
     * wherever a cold one was left out), and everything must still be the interpreter's.
     */
    @Test
    void randomProgramsOfProfiledGraphUnitsAgreeWithTheInterpreter() {
        long seed = Long.getLong("a64trap.test.seed", 0x6A9F_0A64L) + 2;
        int programs = Integer.getInteger("a64trap.test.graphPrograms", 10_000);
        long[] profiled = new long[1];
        long graphs = runPrograms(seed, programs, 3, profiled);
        assertTrue(profiled[0] > programs / 10, "graph units chosen by profile: " + profiled[0] + " of " + graphs);
    }

    /**
     * Runs {@code programs} random programs both ways; returns the graph units made, adds the chained
     * entries (no second tier) or the graph units chosen by profile (else) to {@code count}.
     */
    private static long runPrograms(long seed, int programs, int hotThreshold, long[] count) {
        long[] chained = hotThreshold == Integer.MAX_VALUE ? count : null;
        Random rnd = new Random(seed);
        int[] pool = JitDifferentialTest.pool(seed);
        long graphs = 0;
        Jit jit = null;
        Pair pair = null;
        for (int p = 0; p < programs; p++) {
            if (p % 200 == 0) { // a fresh pair now and then; in between, new code drops the old blocks
                if (jit != null) {
                    graphs += jit.graphCount();
                    if (count != null && chained == null) {
                        count[0] += jit.profiledGraphCount();
                    }
                    if (chained != null) {
                        chained[0] += pair.compiled.interp.chainedEntries();
                    }
                }
                jit = new Jit(0, hotThreshold, p % 1000 == 0, null);
                pair = new Pair(jit);
                pair.vectors();
            }
            int[] words = program(rnd, pool);
            pair.both(s -> s.mem.writeBytes(Pair.CODE, new byte[4 * 8 * 8 + 0x400]));
            pair.code(Pair.CODE, words);
            pair.both(s -> {
                s.cpu.sys.sctlr &= ~dev.a64trap.sysreg.BaseSysRegs.SCTLR_M;
                s.cpu.pc = Pair.CODE;
            });
            JitDifferentialTest.randomState(pair, rnd, false);
            // returns land on block starts: x30 and the BR register hold a block address
            long block = Pair.CODE + 4L * SLOT * rnd.nextInt(words.length / SLOT);
            pair.both(s -> {
                s.cpu.x[30] = block;
                s.cpu.x[29] = block;
            });
            long start = pair.interp.cpu.retired;
            long interval = rnd.nextBoolean() ? Long.MAX_VALUE : 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 3000);
            Summing ref = new Summing(pair.interp, interval);
            Summing jitSums = new Summing(pair.compiled, interval);
            long budget = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 20_000 : 600);
            String what = "seed " + seed + " program " + p + " budget " + budget + " checkpoints every " + interval;
            try {
                pair.run(start + budget, what);
                assertEquals(ref.blocks, jitSums.blocks, what + ": observer sums per block and successor");
                assertEquals(ref.checkpoints, jitSums.checkpoints, what + ": checkpoints");
                assertEquals(0, jit.malformedCount(), what + ": units the JVM refused");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + listing(words), e);
            }
        }
        graphs += jit.graphCount();
        if (count != null && chained == null) {
            count[0] += jit.profiledGraphCount();
        }
        if (chained != null) {
            chained[0] += pair.compiled.interp.chainedEntries();
        }
        return graphs;
    }

    /**
     * 2..8 block slots of SLOT words: each 0..5 pool instructions, then a branch to a random slot (b,
     * b.cond, cbz/cbnz, tbz/tbnz, bl), a ret, a br x29, or a fall-through; the rest of the slot is
     * b to the next slot, and the last slot's branch may leave the page of code.
     */
    static int[] program(Random rnd, int[] pool) {
        int slots = 2 + rnd.nextInt(7);
        int[] w = new int[slots * SLOT];
        for (int k = 0; k < slots; k++) {
            int at = k * SLOT;
            int n = rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                w[at + i] = pool[rnd.nextInt(pool.length)];
            }
            int here = at + n;
            int target = rnd.nextInt(slots) * SLOT;
            int off = target - here;
            w[here] = switch (rnd.nextInt(9)) {
                case 0 -> 0x14000000 | (off & 0x3FF_FFFF); // b
                case 1 -> 0x54000000 | (off & 0x7FFFF) << 5 | rnd.nextInt(15); // b.cond
                case 2 -> (rnd.nextBoolean() ? 0xB4000000 : 0xB5000000) | (off & 0x7FFFF) << 5 | rnd.nextInt(31); // cbz/cbnz
                case 3 -> (rnd.nextBoolean() ? 0x36000000 : 0x37000000) | rnd.nextInt(32) << 19 | (off & 0x3FFF) << 5
                        | rnd.nextInt(31); // tbz/tbnz wN
                case 4 -> 0x94000000 | (off & 0x3FF_FFFF); // bl
                case 5 -> 0xD65F03C0; // ret
                case 6 -> 0xD61F03A0; // br x29
                case 7 -> 0x14000000 | ((slots * SLOT + 64 - here) & 0x3FF_FFFF); // b out of the program
                default -> 0xD503201F; // nop: falls through into the b below
            };
            for (int i = here + 1; i < at + SLOT; i++) {
                w[i] = 0x14000000 | ((at + SLOT - i) & 0x3FF_FFFF); // b next slot
            }
        }
        return w;
    }

    private static String listing(int[] words) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < words.length; k++) {
            sb.append(String.format("%n  %x: %08x  %s", Pair.CODE + 4L * k, words[k],
                    dev.a64trap.decode.Disassembler.format(Decoder.decode(words[k]), Pair.CODE + 4L * k)));
        }
        return sb.toString();
    }

    /** Sums what the interpreter reports per (block, instructions, EL, successor); checkpoints every {@code interval}. */
    static final class Summing implements RunObserver {
        final Map<String, Long> blocks = new TreeMap<>();
        final List<Long> checkpoints = new ArrayList<>();
        final Pair.Side side;
        final long interval;

        Summing(Pair.Side side, long interval) {
            this.side = side;
            this.interval = interval;
            side.interp.setObserver(this);
            side.interp.setCheckpoint(interval == Long.MAX_VALUE ? interval : side.cpu.retired + interval);
        }

        private void add(Block b, int n, int el, long nextPc, long times) {
            blocks.merge(String.format("%x+%d el%d -> %x", b.pc, n, el, nextPc), times, Long::sum);
        }

        @Override
        public void retired(Block b, int n, int el, long nextPc) {
            add(b, n, el, nextPc, 1);
        }

        @Override
        public void retiredLoop(Block b, long times, int el) {
            add(b, b.length(), el, b.pc, times);
        }

        @Override
        public void retiredTimes(Block b, long times, int el, long nextPc) {
            add(b, b.length(), el, nextPc, times);
        }

        @Override
        public Stop checkpoint() {
            checkpoints.add(side.cpu.retired);
            side.interp.setCheckpoint(interval == Long.MAX_VALUE ? Long.MAX_VALUE : side.cpu.retired + interval);
            return null;
        }
    }
}
