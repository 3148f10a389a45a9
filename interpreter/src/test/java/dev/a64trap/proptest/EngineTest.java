package dev.a64trap.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The engine finds planted bugs and shrinks them to the minimal chain. */
class EngineTest {

    /** Model: a 64-bit register. */
    static final class Model {
        long value;
    }

    /** Implementation with switchable planted bugs. */
    static final class Impl {
        final int bug;
        long value;

        Impl(int bug) {
            this.bug = bug;
        }

        void write(long v) {
            value = bug == 1 ? (int) v : v; // bug 1: stored as a signed 32-bit int
        }

        void inc() {
            value = bug == 2 && value == 3 ? 5 : value + 1; // bug 2: the 4th increment jumps
        }
    }

    static StateMachine<Model, Impl> machine(int bug, boolean withWrite) {
        List<Action<Model, Impl, ?>> actions = new ArrayList<>();
        actions.add(Action.<Model, Impl, Integer>of("inc", 3, m -> Gen.constant(0), (m, i, p) -> {
            m.value++;
            i.inc();
        }).describedBy(p -> ""));
        actions.add(Action.<Model, Impl, Long>of("noop", 2, m -> Gens.longs(), (m, i, p) -> {}));
        actions.add(Action.<Model, Impl, Long>of("read", 2, m -> Gen.constant(m.value), (m, i, expected) -> {
            if (i.value != expected) {
                throw new PropertyFailure("read returns the model value", "read " + i.value + ", expected " + expected);
            }
        }).describedBy(v -> "expect=" + v));
        if (withWrite) {
            actions.add(Action.<Model, Impl, Long>of("write", 2, m -> Gens.longs(), (m, i, v) -> {
                m.value = v;
                i.write(v);
            }).describedBy(v -> "0x" + Long.toHexString(v)));
        }
        Invariant<Model, Impl> same = new Invariant<>("impl equals model",
                (m, i) -> m.value == i.value ? null : "model " + m.value + " impl " + i.value);
        return new StateMachine<>("register(bug " + bug + ")", Model::new, m -> new Impl(bug), actions,
                List.of(same), m -> Map.of("value", Long.toString(m.value)),
                i -> Map.of("value", Long.toString(i.value)), 40);
    }

    @Test
    void correctImplementationPasses() {
        Runner.Outcome o = Runner.search(machine(0, true), 1, 300);
        assertTrue(o.passed());
        assertEquals(300, o.chains());
        assertTrue(o.steps() > 300);
    }

    @Test
    void truncationBugShrinksToOneWriteOfTheSimplestFailingEdge() {
        Runner.Outcome o = Runner.search(machine(1, true), 1, 500);
        Counterexample c = o.failure();
        assertNotNull(c, "the planted bug must be found");
        // 0, 1 and -1 survive an int round trip; 0xFFFFFFFF is the simplest edge that does not
        assertEquals(List.of("write(0xffffffff)"), c.steps());
        assertEquals(1, c.failingStep());
        assertEquals("impl equals model", c.check());
        assertEquals(List.of("value: model=4294967295 impl=-1"), c.diff());
        assertTrue(c.originalLength() >= 1);
    }

    @Test
    void sequenceBugShrinksToFourIncrementsAndNothingElse() {
        Counterexample c = Runner.search(machine(2, false), 7, 500).failure();
        assertNotNull(c);
        assertEquals(List.of("inc()", "inc()", "inc()", "inc()"), c.steps());
        assertEquals(4, c.failingStep());
        assertTrue(c.originalLength() >= 4, "original " + c.originalLength());
        String r = c.report();
        assertTrue(r.contains("seed:            " + c.seed()), r);
        assertTrue(r.contains("original chain:  " + c.originalLength() + " steps; shrunk to 4"), r);
        assertTrue(r.contains("->  4. inc()"), r);
        assertTrue(r.contains("broken check:    impl equals model"), r);
        assertTrue(r.contains("value: model=4 impl=5"), r);
    }

    @Test
    void sameSeedSameTraceAndSameCounterexample() {
        StateMachine<Model, Impl> sm = machine(2, true);
        assertEquals(Runner.trace(sm, 99), Runner.trace(sm, 99));
        assertNotEquals(Runner.trace(sm, 99), Runner.trace(sm, 100));
        Counterexample a = Runner.search(sm, 5, 500).failure();
        assertNotNull(a);
        assertEquals(a, Runner.runChain(sm, a.seed()));
    }

    @Test
    void seedPropertyReplaysExactlyOneChain() {
        StateMachine<Model, Impl> sm = machine(2, false);
        Counterexample c = Runner.search(sm, 7, 500).failure();
        assertNotNull(c);
        String saved = System.getProperty(Runner.SEED_PROPERTY);
        System.setProperty(Runner.SEED_PROPERTY, Long.toString(c.seed()));
        try {
            Runner.Outcome o = Runner.check(sm, 123456, 1000);
            assertEquals(1, o.chains());
            assertEquals(c, o.failure());
            AssertionError e = assertThrows(AssertionError.class, () -> Runner.assertHolds(sm, 0, 10));
            assertTrue(e.getMessage().contains("seed:            " + c.seed()));
        } finally {
            if (saved == null) {
                System.clearProperty(Runner.SEED_PROPERTY);
            } else {
                System.setProperty(Runner.SEED_PROPERTY, saved);
            }
        }
    }

    @Test
    void descriptionIsFixedWhenTheStepIsGenerated() {
        // "read" captures the model value at generation; later steps must not change its text
        List<String> t = Runner.trace(machine(0, false), 3);
        long count = 0;
        for (String s : t) {
            if (s.equals("inc()")) {
                count++;
            } else if (s.startsWith("read(")) {
                assertEquals("read(expect=" + count + ")", s);
            }
        }
    }

    @Test
    void longsAreBiasedToEdgesAndShrinkToZero() {
        SplittableRandom r = new SplittableRandom(1);
        int edges = 0;
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 4000; i++) {
            long v = Gens.longs().sample(r);
            seen.add(v);
            if (Gens.edgeRank(v) >= 0) {
                edges++;
            }
        }
        assertTrue(edges > 800 && edges < 2000, "edges " + edges);
        for (long e : Gens.EDGES) {
            assertTrue(seen.contains(e), "never generated edge 0x" + Long.toHexString(e));
        }
        // greedy shrinking of any value toward "is nonzero" ends at 1, toward "any" ends at 0
        for (long v : new long[] {123456789L, -987654321L, 0x7FFF_FFFF_FFFF_FFFFL, 0xFFFF_FFF3L}) {
            assertEquals(1L, greedy(Gens.shrinkLong(v), x -> x != 0));
            assertEquals(0L, greedy(Gens.shrinkLong(v), x -> true));
            assertEquals(0xFFFF_FFFFL, greedy(Gens.shrinkLong(v), x -> x > 0xFFFF_FFFEL || x < -1));
        }
    }

    static <T> T greedy(Shrinkable<T> s, java.util.function.Predicate<T> fails) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Shrinkable<T> c : s.shrinks()) {
                if (fails.test(c.value())) {
                    s = c;
                    progress = true;
                    break;
                }
            }
        }
        return s.value();
    }

    @Test
    void combinators() {
        SplittableRandom r = new SplittableRandom(2);
        Gen<Integer> even = Gens.intRange(0, 100).filter(x -> x % 2 == 0);
        Gen<String> f = Gen.frequency(List.of(Gen.weighted(9, Gen.constant("a")), Gen.weighted(1, Gen.constant("b"))));
        int as = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, even.sample(r) % 2);
            if (f.sample(r).equals("a")) {
                as++;
            }
        }
        assertTrue(as > 850 && as < 950, "a " + as);
        assertEquals(List.of("x", "y"), List.of(Gen.oneOf(Gen.constant("x")).sample(r), Gen.constant("y").sample(r)));
        assertEquals(42, (int) Gens.intRange(0, 100).map(x -> 42).sample(r));
        // filter keeps shrink candidates inside the predicate
        assertEquals(2, (int) greedy(even.generate(new SplittableRandom(5)).shrinks().isEmpty()
                ? Gens.shrinkInt(2, 0).map(x -> x) : filteredFrom(even), x -> x > 0));
        // lists shrink by dropping elements first, down to the minimum size
        Shrinkable<List<Integer>> l = Gen.listOf(Gens.intRange(0, 9), 2, 6).generate(new SplittableRandom(3));
        assertEquals(List.of(0, 0), greedy(l, x -> true));
        assertThrows(IllegalStateException.class, () -> Gens.intRange(0, 3).filter(x -> x > 5).sample(r));
        // counter indices hit N-1, N, N+1 and 31
        Set<Integer> idx = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            idx.add(Gens.counterIndex(6).sample(r));
        }
        assertTrue(idx.containsAll(List.of(0, 5, 6, 7, 30, 31)), idx.toString());
    }

    private static Shrinkable<Integer> filteredFrom(Gen<Integer> even) {
        SplittableRandom r = new SplittableRandom(11);
        Shrinkable<Integer> s;
        do {
            s = even.generate(r);
        } while (s.value() < 10);
        return s;
    }

    @Test
    void invalidMachineRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StateMachine<Model, Impl>("x", Model::new,
                m -> new Impl(0), List.of(), List.of(), m -> Map.of(), i -> Map.of(), 5));
        assertNull(Runner.runChain(machine(0, true), 4));
    }
}
