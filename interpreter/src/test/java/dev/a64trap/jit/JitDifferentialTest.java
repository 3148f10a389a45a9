package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.decode.PatternSampler;
import dev.a64trap.exec.Stop;
import dev.a64trap.sysreg.BaseSysRegs;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random programs of translatable instructions (words drawn from the decoder's own patterns) run
 * from the same random state under the interpreter and with every block compiled: registers,
 * flags, PC, retired count, exception registers, event sums and data memory must all agree. Each
 * program is one block closed by a loop back to itself (unconditional, conditional, CBNZ) or a
 * branch away, run under a random budget, so budgets end inside compiled loops and faults arrive
 * in the middle of iterations. Seed: {@code -Da64trap.test.seed=N}.
 */
class JitDifferentialTest {
    private static final Set<Op> ENDS_BLOCK = EnumSet.of(Op.B, Op.BL, Op.B_COND, Op.CBZ, Op.CBNZ, Op.TBZ, Op.TBNZ,
            Op.BR, Op.BLR, Op.RET, Op.ISB);
    private static final Set<Op> MEMORY = EnumSet.of(Op.LDR, Op.STR, Op.LDP, Op.STP, Op.LDAR, Op.STLR, Op.PRFM);
    /**
     * mrs x0, nzcv; msr nzcv, x1; svc #0; brk #0; hlt #0xf000; mrs x3, cntvct_el0; isb
     * (aarch64-linux-gnu-as 2.40): a block ending in one of the MRS/MSR is a region unit (the access
     * compiled), one ending in the others is compiled without its last instruction.
     */
    private static final int[] SYSTEM_CLOSERS = {0xd53b4200, 0xd51b4201, 0xd4000001, 0xd4200000, 0xd45e0000,
        0xd53be043, 0xd5033fdf};
    private static final long[] EDGES = {0, 1, -1, 2, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L,
            Long.MAX_VALUE, Long.MIN_VALUE, 63, 64, 32};

    @Test
    void randomBlocksAgreeWithTheInterpreter() {
        long seed = Long.getLong("a64trap.test.seed", 0x5EED_0A64L);
        Random rnd = new Random(seed);
        int[] pool = pool(seed);
        assertTrue(pool.length > 500, "the sampler yields translatable words: " + pool.length);
        int programs = 400;
        int compiledPrograms = 0;
        for (int p = 0; p < programs; p++) {
            String what = "seed " + seed + " program " + p;
            Pair pair = new Pair();
            long before = pair.jit.compiledCount();
            int len = 1 + rnd.nextInt(24);
            int[] words = new int[len + 2];
            for (int k = 0; k < len; k++) {
                words[k] = pool[rnd.nextInt(pool.length)];
            }
            int close = rnd.nextInt(5);
            words[len] = switch (close) {
                case 0 -> branchBack(len);
                case 1 -> 0x54000000 | (-len & 0x7FFFF) << 5 | rnd.nextInt(15); // b.cond start
                case 2 -> 0xB5000000 | (-len & 0x7FFFF) << 5 | rnd.nextInt(31); // cbnz xN, start
                case 3 -> 0x14000002; // b over the next word
                default -> SYSTEM_CLOSERS[rnd.nextInt(SYSTEM_CLOSERS.length)]; // left to the interpreter
            };
            words[len + 1] = 0x14000000; // b .
            pair.code(Pair.CODE, words);
            if (close == 3) {
                pair.code(Pair.CODE + 4L * (len + 2), 0x14000000);
            }
            randomState(pair, rnd);
            StringBuilder listing = new StringBuilder();
            for (int k = 0; k < words.length; k++) {
                listing.append(String.format("%n  %08x  %s", words[k],
                        dev.a64trap.decode.Disassembler.format(Decoder.decode(words[k]), Pair.CODE + 4L * k)));
            }
            long budget = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(20000) : 1 + rnd.nextInt(6 * (len + 1));
            try {
                pair.run(budget, what + " budget " + budget);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + listing, e);
            }
            if (pair.jit.compiledCount() > before) {
                compiledPrograms++;
            }
        }
        assertTrue(compiledPrograms > programs / 2, "most programs ran compiled: " + compiledPrograms);
    }

    private static int branchBack(int words) {
        return 0x14000000 | (-words & 0x3FF_FFFF);
    }

    /** Translatable, non-branching words; memory accesses rebased on x28 (data) with x27 as a small index. */
    static int[] pool(long seed) {
        List<Integer> out = new ArrayList<>();
        for (int w : PatternSampler.sample(40000, seed)) {
            Insn in = Decoder.decode(w);
            if (!Translator.SUPPORTED.contains(in.op()) || ENDS_BLOCK.contains(in.op())) {
                continue;
            }
            if (MEMORY.contains(in.op()) && in.mode() != Insn.MODE_LITERAL) {
                w = (w & ~(31 << 5)) | 28 << 5;
                if (in.mode() == Insn.MODE_REG) {
                    w = (w & ~(31 << 16)) | 27 << 16;
                }
                in = Decoder.decode(w);
                if (!Translator.SUPPORTED.contains(in.op()) || ENDS_BLOCK.contains(in.op())) {
                    continue;
                }
            }
            out.add(w);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void randomState(Pair pair, Random rnd) {
        randomState(pair, rnd, true);
    }

    /** Random registers, flags and data; with {@code installVectors} maybe a parking vector table. */
    static void randomState(Pair pair, Random rnd, boolean installVectors) {
        long[] x = new long[32];
        for (int r = 0; r < 31; r++) {
            x[r] = rnd.nextBoolean() ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextLong();
        }
        x[27] = rnd.nextInt(64);
        x[28] = Pair.DATA + 0x4000 + (rnd.nextInt(0x4000) & (rnd.nextBoolean() ? ~7 : ~0));
        x[31] = Pair.DATA + 0x8000;
        int nzcv = rnd.nextInt(16);
        boolean mmu = rnd.nextBoolean();
        boolean vectors = installVectors && rnd.nextBoolean();
        byte[] data = new byte[(int) Pair.DATA_SIZE];
        rnd.nextBytes(data);
        if (vectors) {
            pair.vectors();
        }
        pair.both(s -> {
            System.arraycopy(x, 0, s.cpu.x, 0, 32);
            s.cpu.nzcv = nzcv;
            if (mmu) {
                s.cpu.sys.sctlr |= BaseSysRegs.SCTLR_M;
            }
            s.mem.writeBytes(Pair.DATA, data);
        });
    }

    @Test
    void theSamplerPoolCoversEveryKindOfInstruction() {
        Set<Op> seen = EnumSet.noneOf(Op.class);
        for (int w : pool(1)) {
            seen.add(Decoder.decode(w).op());
        }
        for (Op op : List.of(Op.ADD_IMM, Op.SUB_SREG, Op.ADC, Op.ORR_REG, Op.UBFM, Op.CSEL, Op.CCMP_IMM, Op.MADD,
                Op.UDIV, Op.LDR, Op.STP, Op.LDP, Op.MOVK)) {
            assertTrue(seen.contains(op), "pool has " + op);
        }
        assertEquals(Set.of(), EnumSet.copyOf(seen).stream().filter(ENDS_BLOCK::contains).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void stopsAgreeForAFaultInsideACompiledLoop() {
        // loop: ldr x1, [x2], #8 ; add x0, x0, #1 ; b loop — walks off the end of RAM into a bus fault
        Pair pair = new Pair();
        pair.code(Pair.CODE, 0xF8408441, 0x91000400, branchBack(2));
        pair.both(s -> s.cpu.x[2] = Pair.RAM + (1 << 20) - 8 * 100);
        Stop stop = pair.run(0, "fault without vector");
        assertEquals(Stop.Kind.EXCEPTION, stop.kind());
        assertEquals(Pair.CODE, stop.pc());
        assertEquals(100, pair.compiled.cpu.x[0]);
        assertEquals(300, pair.compiled.cpu.retired);
        assertTrue(pair.jit.compiledCount() > 0);
    }
}
