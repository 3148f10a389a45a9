package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import dev.a64trap.decode.Op;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JIT keeps the flags of ADDS/SUBS/ANDS/BICS as their operands and evaluates a condition straight
 * from them. Every flag-setting form (shifted, extended and immediate operands, 64 and 32 bits, with
 * ADCS/SBCS beside them) followed by every condition in every consumer (B.cond, CSEL, CSINC, CSINV,
 * CSNEG, CCMP, CCMN) runs under the interpreter and compiled (single-block units and graph units),
 * on operands at the edges (0, -1, MIN/MAX, 32-bit carry and overflow boundaries, equal and
 * off-by-one pairs): registers, NZCV, the stop and the exception registers (SPSR holds NZCV) must
 * agree at the end of the budget and at a data abort right after the consumer, and in a loop whose
 * first instruction reads the flags the previous pass set. Seed: {@code -Da64trap.test.seed=N}.
 */
class JitFlagsDifferentialTest {
    private static final long[] EDGES = {0, 1, -1, 2, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L,
            0x1_7FFF_FFFFL, 0xFFFF_FFFF_0000_0000L, 0xFFFF_FFFF_8000_0000L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1, 0x8000_0000_7FFF_FFFFL};

    /** Flag setters writing x2 (or the zero register: CMP/CMN/TST) from x0 and x1. */
    private static int setter(int form, boolean sf, Random rnd) {
        int s = sf ? 1 << 31 : 0;
        int rd = rnd.nextBoolean() ? 31 : 2;
        int amount = rnd.nextInt(4) == 0 ? rnd.nextInt(sf ? 64 : 32) : 0;
        int shift = rnd.nextInt(form == 2 || form == 3 ? 4 : 3); // logical forms also rotate
        return switch (form) {
            case 0 -> s | 0x6B000000 | shift << 22 | 1 << 16 | amount << 10 | rd; // SUBS (shifted register)
            case 1 -> s | 0x2B000000 | shift << 22 | 1 << 16 | amount << 10 | rd; // ADDS (shifted register)
            case 2 -> s | 0x6A000000 | shift << 22 | 1 << 16 | amount << 10 | rd; // ANDS (shifted register)
            case 3 -> s | 0x6A200000 | shift << 22 | 1 << 16 | amount << 10 | rd; // BICS (shifted register)
            case 4 -> s | 0x71000000 | rnd.nextInt(2) << 22 | imm12(rnd) << 10 | rd; // SUBS (immediate)
            case 5 -> s | 0x31000000 | rnd.nextInt(2) << 22 | imm12(rnd) << 10 | rd; // ADDS (immediate)
            case 6 -> s | 0x72000000 | (sf ? 1 << 22 | rnd.nextInt(64) << 16 | rnd.nextInt(63) << 10
                    : rnd.nextInt(32) << 16 | rnd.nextInt(31) << 10) | rd; // ANDS (immediate, a valid bitmask)
            case 7 -> s | 0x6B200000 | 1 << 16 | rnd.nextInt(8) << 13 | rnd.nextInt(5) << 10 | rd; // SUBS (extended)
            case 8 -> s | 0x2B200000 | 1 << 16 | rnd.nextInt(8) << 13 | rnd.nextInt(5) << 10 | rd; // ADDS (extended)
            case 9 -> s | 0x3A000000 | 1 << 16 | rd; // ADCS
            default -> s | 0x7A000000 | 1 << 16 | rd; // SBCS
        };
    }

    private static final int FORMS = 11;

    private static int imm12(Random rnd) {
        return rnd.nextBoolean() ? rnd.nextInt(4) : rnd.nextBoolean() ? 0xFFF : rnd.nextInt(0x1000);
    }

    /** Consumers of condition {@code cond}; B.cond skips the next word. */
    private static int consumer(int kind, int cond, boolean sf, Random rnd) {
        int s = sf ? 1 << 31 : 0;
        int nzcv = rnd.nextInt(16);
        int rn = rnd.nextBoolean() ? 0 : 4, rm = rnd.nextBoolean() ? 1 : 5;
        return switch (kind) {
            case 0 -> 0x54000000 | 2 << 5 | cond; // b.cond .+8
            case 1 -> s | 0x1A800000 | 5 << 16 | cond << 12 | 4 << 5 | 3; // CSEL x3, x4, x5
            case 2 -> s | 0x1A800400 | 5 << 16 | cond << 12 | 4 << 5 | 3; // CSINC
            case 3 -> s | 0x5A800000 | 5 << 16 | cond << 12 | 4 << 5 | 3; // CSINV
            case 4 -> s | 0x5A800400 | 5 << 16 | cond << 12 | 4 << 5 | 3; // CSNEG
            case 5 -> s | 0x7A400000 | rm << 16 | cond << 12 | rn << 5 | nzcv; // CCMP (register)
            case 6 -> s | 0x7A400800 | rnd.nextInt(32) << 16 | cond << 12 | rn << 5 | nzcv; // CCMP (immediate)
            case 7 -> s | 0x3A400000 | rm << 16 | cond << 12 | rn << 5 | nzcv; // CCMN (register)
            default -> s | 0x3A400800 | rnd.nextInt(32) << 16 | cond << 12 | rn << 5 | nzcv; // CCMN (immediate)
        };
    }

    private static final int CONSUMERS = 9;
    private static final Op[] CONSUMER_OPS = {Op.B_COND, Op.CSEL, Op.CSINC, Op.CSINV, Op.CSNEG, Op.CCMP_REG,
        Op.CCMP_IMM, Op.CCMN_REG, Op.CCMN_IMM};
    private static final Set<Op> SETTERS = EnumSet.of(Op.SUB_SREG, Op.ADD_SREG, Op.AND_REG, Op.BIC_REG, Op.SUB_IMM,
            Op.ADD_IMM, Op.AND_IMM, Op.SUB_EREG, Op.ADD_EREG, Op.ADC, Op.SBC);

    private static long operand(Random rnd) {
        return rnd.nextInt(3) == 0 ? rnd.nextLong() : EDGES[rnd.nextInt(EDGES.length)];
    }

    @Test
    void everyConditionOfEveryFlagSetterInEveryConsumerAgreesWithTheInterpreter() {
        long seed = Long.getLong("a64trap.test.seed", 0xF1A6_0A64L);
        Random rnd = new Random(seed);
        Jit jit = null;
        Pair pair = null;
        int programs = 0;
        long graphs = 0;
        int compiled = 0;
        for (int form = 0; form < FORMS; form++) {
            for (int cond = 0; cond < 16; cond++) {
                for (int kind = 0; kind < CONSUMERS; kind++) {
                    if (programs % 150 == 0) { // a fresh pair now and then; in between, new code drops the old blocks
                        if (jit != null) {
                            graphs += jit.graphCount();
                        }
                        boolean graph = (programs / 150) % 2 == 1;
                        jit = new Jit(0, graph ? 0 : Integer.MAX_VALUE, programs == 0, null);
                        pair = new Pair(jit);
                    }
                    programs++;
                    long before = jit.compiledCount();
                    run(pair, rnd, form, cond, kind, "seed " + seed + " form " + form + " cond " + cond + " consumer " + kind);
                    assertEquals(0, jit.malformedCount(), "units the JVM refused");
                    compiled += jit.compiledCount() > before ? 1 : 0;
                }
            }
        }
        graphs += jit.graphCount();
        assertTrue(graphs > 0, "some programs ran as graph units");
        assertTrue(compiled > programs / 2, "most programs ran compiled: " + compiled + " of " + programs);
    }

    /**
     * One program: setter; consumer; CSINC x10 (a second reader); LDR x6, [x7] (a data abort when x7 is
     * off RAM); then a B.cond back to the start (the loop's first instruction reads the flags the
     * pass before set) or B .; the budget ends it anywhere.
     */
    private static void run(Pair pair, Random rnd, int form, int cond, int kind, String what) {
        boolean sf = rnd.nextBoolean();
        int[] words = {
            setter(form, sf, rnd),
            consumer(kind, cond, sf, rnd),
            (rnd.nextBoolean() ? 1 << 31 : 0) | 0x1A9F07EA | (rnd.nextInt(16) << 12), // csinc x10, xzr, xzr, c
            0xF94000E6, // ldr x6, [x7]
            rnd.nextBoolean() ? 0x54000000 | (-4 & 0x7FFFF) << 5 | rnd.nextInt(16) : 0x14000000, // b.c start / b .
            0x14000000, // b .
        };
        var set = Decoder.decode(words[0]);
        assertTrue(SETTERS.contains(set.op()) && set.setsFlags(), "a flag setter: " + set);
        assertEquals(CONSUMER_OPS[kind], Decoder.decode(words[1]).op(), "the consumer");
        boolean loop = (words[4] >>> 24) == 0x54;
        if (loop && rnd.nextBoolean()) { // the loop reads the flags before it sets them
            int t = words[0];
            words[0] = words[1];
            words[1] = t;
            if (kind == 0) { // b.cond .+8 would leave the loop body: a CSEL instead
                words[0] = consumer(1, cond, sf, rnd);
            }
        }
        pair.both(s -> s.mem.writeBytes(Pair.CODE, new byte[64]));
        pair.code(Pair.CODE, words);
        long a = operand(rnd);
        long b = switch (rnd.nextInt(5)) {
            case 0 -> a;
            case 1 -> a + (rnd.nextBoolean() ? 1 : -1);
            case 2 -> a ^ 0xFFFF_FFFF_0000_0000L; // equal on 32 bits only
            default -> operand(rnd);
        };
        int nzcv = rnd.nextInt(16);
        boolean fault = rnd.nextBoolean();
        boolean vectors = rnd.nextBoolean();
        long c = operand(rnd), d = operand(rnd), e = operand(rnd);
        pair.both(s -> {
            java.util.Arrays.fill(s.cpu.x, 0);
            s.cpu.x[0] = a;
            s.cpu.x[1] = b;
            s.cpu.x[4] = c;
            s.cpu.x[5] = d;
            s.cpu.x[10] = e;
            s.cpu.x[7] = fault ? Pair.RAM - 0x1000 : Pair.DATA;
            s.cpu.nzcv = nzcv;
            s.cpu.pc = Pair.CODE;
            s.cpu.sys.vbar = vectors ? Pair.VBAR : 0;
        });
        if (vectors) {
            pair.vectors();
        }
        long budget = pair.interp.cpu.retired + 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 60);
        StringBuilder listing = new StringBuilder();
        for (int k = 0; k < words.length; k++) {
            listing.append(String.format("%n  %08x  %s", words[k], Disassembler.format(Decoder.decode(words[k]), Pair.CODE + 4L * k)));
        }
        String full = String.format("%s (x0 %#x, x1 %#x, nzcv %x, fault %b)%s", what, a, b, nzcv, fault, listing);
        pair.run(budget, full);
    }
}
