package dev.a64trap.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.machine.PlantedBug;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vPMU stateful properties, 1,000+ chains each. */
class PmuPropertiesTest {
    static final int CHAINS = 1000;

    static void holds(int which) {
        StateMachine<PmuProperties.World, PmuProperties.Sut> sm = PmuProperties.all().get(which);
        long t0 = System.nanoTime();
        Runner.Outcome o = Runner.assertHolds(sm, 1, CHAINS);
        System.out.printf("%s: %d chains, %d steps, %.1f s%n", sm.name(), o.chains(), o.steps(),
                (System.nanoTime() - t0) / 1e9);
        if (System.getProperty(Runner.SEED_PROPERTY) == null) {
            assertEquals(CHAINS, o.chains());
        }
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

    @Test
    void sameSeedSameTrace() {
        for (StateMachine<PmuProperties.World, PmuProperties.Sut> sm : PmuProperties.all()) {
            for (long seed = 1; seed <= 20; seed++) {
                List<String> a = Runner.trace(sm, seed);
                assertEquals(a, Runner.trace(sm, seed));
                assertTrue(a.get(0).startsWith("setup("), a.get(0));
            }
        }
    }

    /** A target with one of the product's planted trap-path bugs (the same rows `run --plant-bug` uses). */
    static PmuTarget planted(PlantedBug bug) {
        return new PmuTarget(null).planting(bug);
    }

    @Test
    void plantedTrapPathBugIsFound() {
        StateMachine<PmuProperties.World, PmuProperties.Sut> sm = PmuProperties.all(() -> planted(PlantedBug.EL0_READ_ONLY_PMU)).get(0);
        Counterexample c = Runner.search(sm, 1, CHAINS).failure();
        assertTrue(c != null, "planted trap-path bug not found");
        assertEquals("guest write UNDEFs as the model says (4, 5)", c.check(), c.report());
        // minimal: set up, let EL0 in through PMUSERENR, then one EL0 write
        assertTrue(c.steps().size() <= 3, c.report());
        assertTrue(c.steps().get(c.failingStep() - 1).contains("write(EL0 "), c.report());
        assertTrue(c.message().contains("impl UNDEF, model ok"), c.report());
    }

    @Test
    void plantedImplementationBugIsFoundShrunkAndReplayedBySeed() {
        StateMachine<PmuProperties.World, PmuProperties.Sut> sm = PmuProperties.all(() -> planted(PlantedBug.LOST_EL1_SWINC)).get(0);
        Counterexample c = Runner.search(sm, 1, CHAINS).failure();
        assertTrue(c != null, "planted bug not found");
        assertEquals("implementation equals reference model", c.check());
        // minimal: set up, make a SW_INCR counter count (its type, enable, E), then the lost increment
        assertTrue(c.steps().size() <= 4, c.report());
        assertTrue(c.steps().get(c.failingStep() - 1).contains("PMSWINC"), c.report());
        assertTrue(c.diff().stream().anyMatch(d -> d.startsWith("PMEVCNTR")), c.report());
        assertEquals(c, Runner.runChain(sm, c.seed()), "the seed must replay the same counterexample");
        System.out.print(c.report());
    }
}
