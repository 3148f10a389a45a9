package dev.a64trap.proptest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Runs stateful chains: chain k of a run uses seed {@code firstSeed + k}, so one seed replays one chain
 * exactly and seed ranges shard a campaign. A failing chain is shrunk (drop steps, then simplify
 * parameters) keeping the same broken check.
 */
public final class Runner {
    /** System property that replays one chain seed: {@code -Da64trap.seed=S}. */
    public static final String SEED_PROPERTY = "a64trap.seed";

    /** Replays allowed while shrinking one counterexample. */
    static final int SHRINK_BUDGET = 4000;

    private Runner() {}

    /** Result of a run: chains and steps executed, and the first counterexample (or null). */
    public record Outcome(String property, long firstSeed, int chains, long steps, Counterexample failure) {
        public boolean passed() {
            return failure == null;
        }
    }

    private record Failure(int index, String check, String message) {}

    private record Trace<M, I>(List<Step<M, I>> steps, Failure failure) {}

    /**
     * Runs {@code chains} chains from {@code firstSeed}; when the system property {@link #SEED_PROPERTY}
     * is set, runs only that seed. Stops at the first counterexample.
     */
    public static <M, I> Outcome check(StateMachine<M, I> sm, long firstSeed, int chains) {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed != null && !fixed.isBlank()) {
            return search(sm, Long.parseLong(fixed.trim()), 1);
        }
        return search(sm, firstSeed, chains);
    }

    /** Runs chains {@code firstSeed ..} regardless of {@link #SEED_PROPERTY}; stops at the first counterexample. */
    public static <M, I> Outcome search(StateMachine<M, I> sm, long firstSeed, int chains) {
        long steps = 0;
        for (int k = 0; k < chains; k++) {
            long seed = firstSeed + k;
            Trace<M, I> t = generate(sm, seed);
            steps += t.steps().size();
            if (t.failure() != null) {
                return new Outcome(sm.name(), firstSeed, k + 1, steps, shrink(sm, seed, t));
            }
        }
        return new Outcome(sm.name(), firstSeed, chains, steps, null);
    }

    /** Runs and throws an AssertionError carrying the report when a counterexample is found. */
    public static <M, I> Outcome assertHolds(StateMachine<M, I> sm, long firstSeed, int chains) {
        Outcome o = check(sm, firstSeed, chains);
        if (!o.passed()) {
            throw new AssertionError(o.failure().report());
        }
        return o;
    }

    /** One chain for one seed, its failure shrunk; null when it passes. */
    public static <M, I> Counterexample runChain(StateMachine<M, I> sm, long seed) {
        Trace<M, I> t = generate(sm, seed);
        return t.failure() == null ? null : shrink(sm, seed, t);
    }

    /** The step descriptions of the chain a seed generates (for determinism checks and traces). */
    public static <M, I> List<String> trace(StateMachine<M, I> sm, long seed) {
        return generate(sm, seed).steps().stream().map(Step::description).toList();
    }

    static <M, I> Trace<M, I> generate(StateMachine<M, I> sm, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int length = 1 + r.nextInt(sm.maxSteps());
        M model = sm.newModel().get();
        I impl = sm.newImpl().apply(model);
        List<Step<M, I>> steps = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            List<Action<M, I, ?>> enabled = new ArrayList<>();
            int total = 0;
            for (Action<M, I, ?> a : sm.actions()) {
                if (a.precondition().test(model)) {
                    enabled.add(a);
                    total += a.weight();
                }
            }
            if (enabled.isEmpty()) {
                break;
            }
            int x = r.nextInt(total);
            Action<M, I, ?> chosen = null;
            for (Action<M, I, ?> a : enabled) {
                if (x < a.weight()) {
                    chosen = a;
                    break;
                }
                x -= a.weight();
            }
            Step<M, I> step = newStep(chosen, model, r);
            steps.add(step);
            Failure f = execute(sm, step, model, impl, i);
            if (f != null) {
                return new Trace<>(steps, f);
            }
        }
        return new Trace<>(steps, null);
    }

    private static <M, I, P> Step<M, I> newStep(Action<M, I, P> a, M model, SplittableRandom r) {
        return a.step(a.params().apply(model).generate(r));
    }

    private static <M, I> Failure execute(StateMachine<M, I> sm, Step<M, I> step, M model, I impl, int index) {
        try {
            step.apply(model, impl);
        } catch (PropertyFailure pf) {
            return new Failure(index, pf.check(), pf.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return new Failure(index, "no exception (" + e.getClass().getSimpleName() + ")", String.valueOf(e));
        }
        for (Invariant<M, I> inv : sm.invariants()) {
            String v;
            try {
                v = inv.check().violation(model, impl);
            } catch (RuntimeException e) {
                v = "threw " + e;
            }
            if (v != null) {
                return new Failure(index, inv.name(), v);
            }
        }
        return null;
    }

    /** Replays fixed steps; null = passes, INVALID = a precondition no longer holds. */
    private static <M, I> Object replay(StateMachine<M, I> sm, List<Step<M, I>> steps, Map<String, String>[] views) {
        M model = sm.newModel().get();
        I impl = sm.newImpl().apply(model);
        for (int i = 0; i < steps.size(); i++) {
            Step<M, I> s = steps.get(i);
            if (!s.enabled(model)) {
                return INVALID;
            }
            Failure f = execute(sm, s, model, impl, i);
            if (f != null) {
                if (views != null) {
                    views[0] = safeView(() -> sm.modelView().apply(model));
                    views[1] = safeView(() -> sm.implView().apply(impl));
                }
                return f;
            }
        }
        return null;
    }

    private static final Object INVALID = new Object();

    private static Map<String, String> safeView(java.util.function.Supplier<Map<String, String>> v) {
        try {
            return v.get();
        } catch (RuntimeException e) {
            return Map.of("view", "threw " + e);
        }
    }

    private static <M, I> Counterexample shrink(StateMachine<M, I> sm, long seed, Trace<M, I> t) {
        String check = t.failure().check();
        List<Step<M, I>> cur = new ArrayList<>(t.steps().subList(0, t.failure().index() + 1));
        int originalLength = cur.size();
        int[] budget = {SHRINK_BUDGET};
        boolean progress = true;
        while (progress && budget[0] > 0) {
            progress = false;
            // 1. drop runs of steps, long runs first
            for (int size = Math.max(1, cur.size() / 2); size >= 1 && budget[0] > 0; size /= 2) {
                for (int i = 0; i + size <= cur.size() && budget[0] > 0; ) {
                    List<Step<M, I>> cand = new ArrayList<>(cur.subList(0, i));
                    cand.addAll(cur.subList(i + size, cur.size()));
                    List<Step<M, I>> kept = stillFails(sm, cand, check, budget);
                    if (kept != null) {
                        cur = kept;
                        progress = true;
                    } else {
                        i++;
                    }
                }
            }
            // 2. simplify parameters toward the edge cases
            for (int i = 0; i < cur.size() && budget[0] > 0; i++) {
                boolean again = true;
                while (again && budget[0] > 0 && i < cur.size()) {
                    again = false;
                    for (Step<M, I> s : cur.get(i).shrinks()) {
                        List<Step<M, I>> cand = new ArrayList<>(cur);
                        cand.set(i, s);
                        List<Step<M, I>> kept = stillFails(sm, cand, check, budget);
                        if (kept != null) {
                            cur = kept;
                            progress = again = true;
                            break;
                        }
                        if (budget[0] <= 0) {
                            break;
                        }
                    }
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, String>[] views = new Map[2];
        Failure f = (Failure) replay(sm, cur, views);
        return new Counterexample(sm.name(), seed, originalLength, cur.stream().map(Step::description).toList(),
                f.index() + 1, f.check(), f.message(), diff(views[0], views[1]),
                cur.stream().<StepData>map(StepData::of).toList());
    }

    /** The candidate cut after its failing step when it fails the same check, else null. */
    private static <M, I> List<Step<M, I>> stillFails(StateMachine<M, I> sm, List<Step<M, I>> cand, String check,
            int[] budget) {
        if (cand.isEmpty()) {
            return null;
        }
        budget[0]--;
        Object r = replay(sm, cand, null);
        if (r instanceof Failure f && f.check().equals(check)) {
            return new ArrayList<>(cand.subList(0, f.index() + 1));
        }
        return null;
    }

    static List<String> diff(Map<String, String> model, Map<String, String> impl) {
        List<String> out = new ArrayList<>();
        if (model == null || impl == null) {
            return out;
        }
        TreeSet<String> keys = new TreeSet<>(model.keySet());
        keys.addAll(impl.keySet());
        for (String k : keys) {
            String a = model.get(k);
            String b = impl.get(k);
            if (!Objects.equals(a, b)) {
                out.add(k + ": model=" + a + " impl=" + b);
            }
        }
        return out;
    }
}
