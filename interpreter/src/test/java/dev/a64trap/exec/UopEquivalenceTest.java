package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast uops must mean exactly what the general path ({@code Interpreter.exec}) means: every
 * shape with a uop runs both ways from the same random states and must leave the same registers,
 * flags, memory and next PC.
 */
class UopEquivalenceTest {

    static List<I> shapes() {
        List<I> s = new ArrayList<>();
        int[][] regs = {{1, 2, 3}, {31, 2, 3}, {1, 31, 3}, {1, 2, 31}, {31, 31, 31}};
        for (int[] r : regs) {
            for (boolean w : new boolean[] {false, true}) {
                for (Op op : new Op[] {Op.ADD_IMM, Op.SUB_IMM}) {
                    s.add(sf(I.op(op).rd(r[0]).rn(r[1]).imm(0x123), w));
                    s.add(sf(I.op(op).rd(r[0]).rn(r[1]).imm(0xFFF000).s(), w));
                }
                for (Op op : new Op[] {Op.ADD_SREG, Op.SUB_SREG, Op.AND_REG, Op.ORR_REG, Op.EOR_REG, Op.BIC_REG}) {
                    for (int sh = 0; sh < 4; sh++) {
                        if (sh == 3 && (op == Op.ADD_SREG || op == Op.SUB_SREG)) {
                            continue;
                        }
                        for (int amt : new int[] {0, 1, 13, w ? 31 : 63}) {
                            s.add(sf(I.op(op).rd(r[0]).rn(r[1]).rm(r[2]).shift(sh).amount(amt), w));
                            if (op == Op.ADD_SREG || op == Op.SUB_SREG) {
                                s.add(sf(I.op(op).rd(r[0]).rn(r[1]).rm(r[2]).shift(sh).amount(amt).s(), w));
                            }
                        }
                    }
                }
                s.add(sf(I.op(Op.MOVZ).rd(r[0]).imm(0xBEEF).amount(w ? 16 : 48), w));
                s.add(sf(I.op(Op.MOVN).rd(r[0]).imm(0xBEEF).amount(16), w));
                s.add(sf(I.op(Op.ORR_IMM).rd(r[0]).rn(31).imm(0x00FF00FF00FF00FFL), w));
                s.add(sf(I.op(Op.CBZ).rd(r[0]).imm(0x40), w));
                s.add(sf(I.op(Op.CBNZ).rd(r[0]).imm(-0x40), w));
            }
            s.add(I.op(Op.RET).rn(r[1]));
            s.add(I.op(Op.BR).rn(r[1]));
        }
        for (int cond = 0; cond < 16; cond++) {
            s.add(I.op(Op.B_COND).cond(cond).imm(0x80));
        }
        s.add(I.op(Op.B).imm(-0x100));
        s.add(I.op(Op.BL).imm(0x100));
        for (int size = 0; size <= 3; size++) {
            s.add(I.op(Op.LDR).size(size).rd(4).rn(5).imm(8L << size).mode(Insn.MODE_OFFSET));
            s.add(I.op(Op.LDR).size(size).rd(31).rn(5).imm(0).mode(Insn.MODE_OFFSET));
            s.add(I.op(Op.STR).size(size).rd(4).rn(5).imm(16).mode(Insn.MODE_OFFSET));
            s.add(I.op(Op.STR).size(size).rd(31).rn(5).imm(16).mode(Insn.MODE_OFFSET));
        }
        return s;
    }

    private static I sf(I i, boolean w) {
        return w ? i.w() : i;
    }

    @Test
    void fastAndGeneralPathsAgree() {
        SplittableRandom rnd = new SplittableRandom(42);
        int fast = 0;
        for (I shape : shapes()) {
            Insn in = shape.build();
            if (Uop.of(in, Rig.CODE).kind != Uop.SLOW) {
                fast++;
            }
            for (int trial = 0; trial < 20; trial++) {
                long[] regs = new long[32];
                for (int k = 0; k < 31; k++) {
                    regs[k] = switch (rnd.nextInt(4)) {
                        case 0 -> rnd.nextLong();
                        case 1 -> rnd.nextInt(3) - 1;
                        case 2 -> Long.MIN_VALUE + rnd.nextInt(2) - 1;
                        default -> 0x7FFF_FFFFL + rnd.nextInt(3) - 1;
                    };
                }
                regs[5] = Rig.DATA; // load/store base
                regs[31] = Rig.DATA + 0x100;
                int nzcv = rnd.nextInt(16);

                Rig a = new Rig().code(shape);
                Rig b = new Rig();
                for (Rig r : new Rig[] {a, b}) {
                    System.arraycopy(regs, 0, r.cpu.x, 0, 32);
                    r.cpu.nzcv = nzcv;
                    r.mem.write(Rig.DATA + 8, 8, 0x8877_6655_4433_2211L);
                    r.mem.write(Rig.DATA + 16, 8, 0x0102_0304_0506_0708L);
                }
                a.run(1);
                long next = b.interp.exec(in, Rig.CODE);
                String what = in + " trial " + trial;
                assertArrayEquals(Arrays.copyOf(b.cpu.x, 32), Arrays.copyOf(a.cpu.x, 32), what);
                assertEquals(b.cpu.nzcv, a.cpu.nzcv, what);
                assertEquals(next, a.cpu.pc, what);
                assertEquals(b.mem.read(Rig.DATA + 16, 8), a.mem.read(Rig.DATA + 16, 8), what);
                assertEquals(0, a.cpu.x[Uop.ZR], "the zero register stays zero");
            }
        }
        assertTrue(fast > 100, "most shapes exercise a uop, got " + fast);
    }

    /** Compare + B.cond closing a block run as one fused dispatch; a budget may split the pair. */
    @Test
    void fusedCompareAndBranchAgreesWithTheGeneralPath() {
        SplittableRandom rnd = new SplittableRandom(7);
        I[] compares = {
            I.op(Op.SUB_IMM).rd(31).rn(1).imm(5).s(),
            I.op(Op.SUB_IMM).w().rd(2).rn(1).imm(1).s(),
            I.op(Op.ADD_IMM).rd(31).rn(1).imm(3).s(),
            I.op(Op.SUB_SREG).rd(31).rn(1).rm(2).amount(0).s(),
            I.op(Op.SUB_SREG).rd(3).rn(1).rm(2).amount(4).s(),
            I.op(Op.SUB_SREG).w().rd(31).rn(1).rm(2).amount(0).s(),
            I.op(Op.ADD_SREG).w().rd(3).rn(1).rm(2).amount(2).s(),
        };
        for (I cmp : compares) {
            for (int cond = 0; cond < 16; cond++) {
                I bc = I.op(Op.B_COND).cond(cond).imm(0x40);
                for (int budget = 1; budget <= 2; budget++) {
                    long v1 = rnd.nextInt(3) == 0 ? 5 : rnd.nextLong();
                    long v2 = rnd.nextInt(2) == 0 ? v1 : rnd.nextLong();
                    Rig a = new Rig().code(cmp, bc);
                    Rig b = new Rig();
                    for (Rig r : new Rig[] {a, b}) {
                        r.cpu.x[1] = v1;
                        r.cpu.x[2] = v2;
                    }
                    a.run(budget);
                    long pc = b.interp.exec(cmp.build(), Rig.CODE);
                    if (budget == 2) {
                        pc = b.interp.exec(bc.build(), pc);
                    }
                    String what = cmp.build() + " cond " + cond + " budget " + budget;
                    assertArrayEquals(Arrays.copyOf(b.cpu.x, 32), Arrays.copyOf(a.cpu.x, 32), what);
                    assertEquals(b.cpu.nzcv, a.cpu.nzcv, what);
                    assertEquals(pc, a.cpu.pc, what);
                    assertEquals(budget, a.cpu.retired, what);
                    assertEquals(budget - 1, a.interp.events.branches, what);
                }
            }
        }
    }
}
