package dev.a64trap.proptest;

import java.util.List;
import java.util.function.Supplier;

/**
 * Prints chains per second of the vPMU properties with the fake-clock {@link PmuTarget} and with
 * {@link MachineTarget} (a measurement, not a test): {@code java -cp CLASSES:TEST_CLASSES:DEPS
 * dev.a64trap.proptest.TargetRates [chains]}.
 */
public final class TargetRates {
    private TargetRates() {}

    public static void main(String[] args) {
        int chains = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<Supplier<PmuTarget>> targets = List.of(() -> new PmuTarget(null), MachineTarget::new);
        List<String> names = List.of("fake clock (PmuTarget)", "machine (MachineTarget)");
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT up
            for (int t = 0; t < targets.size(); t++) {
                for (StateMachine<PmuProperties.World, PmuProperties.Sut> sm : PmuProperties.all(targets.get(t))) {
                    long t0 = System.nanoTime();
                    Runner.Outcome o = Runner.check(sm, 1, chains);
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (round == 1) {
                        System.out.printf("%-24s %-58s %5d chains %6.2f s %7.0f chains/s%s%n", names.get(t), sm.name(),
                                o.chains(), s, o.chains() / s, o.passed() ? "" : " (FAILED)");
                    }
                }
            }
        }
    }
}
