package dev.a64trap.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import dev.a64trap.decode.Op;
import dev.a64trap.exec.Block;
import dev.a64trap.exec.RunObserver;
import dev.a64trap.exec.Stop;
import dev.a64trap.machine.HostedVcpu;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vPMU properties against {@link MachineTarget}: runs, accesses and migrations on the real machine. */
class MachinePropertiesTest {
    static final int CHAINS = 1000;

    static Runner.Outcome holds(int which) {
        StateMachine<PmuProperties.World, PmuProperties.Sut> sm = PmuProperties.all(MachineTarget::new).get(which);
        long t0 = System.nanoTime();
        Runner.Outcome o = Runner.assertHolds(sm, 1, CHAINS);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("machine target, %s: %d chains, %d steps, %.1f s (%.0f chains/s)%n", sm.name(), o.chains(),
                o.steps(), s, o.chains() / s);
        if (System.getProperty(Runner.SEED_PROPERTY) == null) {
            assertEquals(CHAINS, o.chains());
        }
        return o;
    }

    @Test
    void registersCountingUserspaceAllModes() {
        holds(0);
    }

    @Test
    void defaultAndSetPmuPlacement() {
        holds(1);
    }

    @Test
    void fixedCountersOnlyAcrossMigrations() {
        holds(2);
    }

    /** A planted run-path bug: the last instruction of every whole block retired at EL0 is not counted. */
    static final class DropsOneInstruction extends MachineTarget {
        @Override
        protected RunObserver observer(HostedVcpu h) {
            return new RunObserver() {
                @Override
                public void retired(Block b, int n, int el, long nextPc) {
                    h.retired(b, el == 0 && n == b.length() && n > 1 ? n - 1 : n, el, nextPc);
                }

                @Override
                public void retiredLoop(Block b, long times, int el) {
                    h.retiredLoop(b, times, el);
                }

                @Override
                public Stop checkpoint() {
                    return h.checkpoint();
                }
            };
        }
    }

    @Test
    void plantedRunPathBugIsFoundAndShrunk() {
        StateMachine<PmuProperties.World, PmuProperties.Sut> sm = PmuProperties.all(DropsOneInstruction::new).get(0);
        Counterexample c = Runner.search(sm, 1, CHAINS).failure();
        assertTrue(c != null, "planted run-path bug not found");
        System.out.print(c.report());
        assertEquals("implementation equals reference model", c.check(), c.report());
        assertTrue(c.steps().size() <= 4, c.report());
        assertTrue(c.steps().get(c.failingStep() - 1).startsWith("run(") && c.steps().get(c.failingStep() - 1)
                .contains("at EL0"), c.report());
        assertEquals(c, Runner.runChain(sm, c.seed()), "the seed must replay the same counterexample");
    }

    /** The snippet holds only what the model's runs mean: ALU-class instructions, no branch, memory or system access. */
    @Test
    void snippetIsStraightLineAlu() {
        Set<Op> alu = EnumSet.of(Op.ADD_SREG, Op.SUB_SREG, Op.AND_REG, Op.BIC_REG, Op.ORR_REG, Op.EOR_REG, Op.ADD_IMM,
                Op.SUB_IMM, Op.MOVZ, Op.MOVN, Op.MOVK);
        Set<Op> seen = EnumSet.noneOf(Op.class);
        for (int w : MachineTarget.aluSnippet(new SplittableRandom(7), 20000)) {
            Op op = Decoder.decode(w).op();
            assertTrue(alu.contains(op), Integer.toHexString(w) + ": " + Disassembler.format(Decoder.decode(w), 0));
            seen.add(op);
        }
        assertEquals(alu, seen);
    }
}
