package dev.a64trap.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
