package dev.a64trap.proptest;

import java.util.List;

/**
 * A shrunk failing chain: everything needed to understand and replay it. Serialisable with Jackson
 * as the JSON action list.
 *
 * @param property       the state machine's name
 * @param seed           the chain seed; {@code -Da64trap.seed=SEED} (or {@code fuzz --seed}) replays it
 * @param originalLength steps in the chain as generated, up to and including the failing one
 * @param steps          the shrunk chain, one description per step
 * @param failingStep    1-based index of the step after which the check failed
 * @param check          the invariant or postcondition that broke
 * @param message        what the check said
 * @param diff           model vs implementation, "key: model=... impl=..." for every differing key
 * @param stepData       each step's action and parameters as fields (same order as {@code steps})
 */
public record Counterexample(String property, long seed, int originalLength, List<String> steps, int failingStep,
        String check, String message, List<String> diff, List<StepData> stepData) {

    /** A counterexample known by its step descriptions only. */
    public Counterexample(String property, long seed, int originalLength, List<String> steps, int failingStep,
            String check, String message, List<String> diff) {
        this(property, seed, originalLength, steps, failingStep, check, message, diff, List.of());
    }

    /** The report a person reads first. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append("property '").append(property).append("' falsified\n");
        b.append("  seed:            ").append(seed).append("   (replay: -D").append(Runner.SEED_PROPERTY).append('=')
                .append(seed).append(" or a64trap fuzz --seed ").append(seed).append(")\n");
        b.append("  original chain:  ").append(originalLength).append(" steps; shrunk to ").append(steps.size())
                .append('\n');
        b.append("  broken check:    ").append(check).append('\n');
        b.append("  message:         ").append(message).append('\n');
        b.append("  shrunk chain:\n");
        for (int i = 0; i < steps.size(); i++) {
            b.append(i + 1 == failingStep ? "  -> " : "     ").append(String.format("%2d. ", i + 1))
                    .append(steps.get(i)).append('\n');
        }
        b.append("  model vs implementation after step ").append(failingStep).append(':');
        if (diff.isEmpty()) {
            b.append(" (no difference in the compared state)\n");
        } else {
            b.append('\n');
            for (String d : diff) {
                b.append("     ").append(d).append('\n');
            }
        }
        return b.toString();
    }
}
