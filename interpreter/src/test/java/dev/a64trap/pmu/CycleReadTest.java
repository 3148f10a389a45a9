package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL0;
import static dev.a64trap.pmu.Vms.EL1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Vpmu#readCycleCounter} (the cycle counter read that adds the events since the snapshot
 * without folding them while short of an overflow) against {@code read(PMCCNTR)} (which folds every
 * time): two vPMUs driven by identical clocks, one read each way, agree after every step on the value,
 * PMOVSSET, the interrupt line and its edges and the overflow deadline, across the bit-31 and 64-bit
 * overflow points.
 */
class CycleReadTest {
    private static final long E = 1;
    private static final long LC = 1 << 6;

    static final class Side {
        final FakeClock clock = new FakeClock();
        final List<Boolean> edges = new ArrayList<>();
        final Vpmu p;

        Side(long pmcr, long start) {
            KvmVm vm = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults());
            KvmVcpu v = Vms.initialised(vm, 0);
            assertTrue(v.run(0).entered());
            p = v.pmu();
            p.attachClock(clock);
            p.setIrqListener(edges::add);
            p.write(PmuReg.PMCNTENCLR, 0, ~0L, EL1);
            p.write(PmuReg.PMOVSCLR, 0, ~0L, EL1);
            p.write(PmuReg.PMINTENCLR, 0, ~0L, EL1);
            p.write(PmuReg.PMUSERENR, 0, 0x5, EL1); // EN | CR: EL0 may read the cycle counter
            p.write(PmuReg.PMCR, 0, pmcr, EL1);
            p.write(PmuReg.PMCCNTR, 0, start, EL1);
            p.write(PmuReg.PMINTENSET, 0, 1L << 31, EL1);
            p.write(PmuReg.PMCNTENSET, 0, 1L << 31, EL1);
        }

        String state() {
            return "PMOVSSET=" + Long.toHexString(p.peek(PmuReg.PMOVSSET, 0)) + " irq=" + p.irqLevel() + " edges=" + edges
                    + " deadline=" + p.nextDeadline();
        }
    }

    @ParameterizedTest(name = "PMCR.LC={0}")
    @ValueSource(booleans = {false, true})
    void fastReadMatchesTheFoldingRead(boolean lc) {
        long start = lc ? -5000L : 0xFFFF_F000L; // a few thousand cycles short of the overflow point
        Side fast = new Side(E | (lc ? LC : 0), start);
        Side ref = new Side(E | (lc ? LC : 0), start);
        SplittableRandom rnd = new SplittableRandom(lc ? 2 : 1);
        for (int step = 0; step < 4000; step++) {
            long n = rnd.nextInt(8) == 0 ? rnd.nextLong(1L << 33) : rnd.nextInt(5);
            int el = rnd.nextInt(4) == 0 ? EL0 : EL1;
            fast.clock.run(el, n, 1);
            ref.clock.run(el, n, 1);
            int readEl = rnd.nextInt(3) == 0 ? EL0 : EL1;
            long a = fast.p.readCycleCounter(readEl);
            long b = ref.p.read(PmuReg.PMCCNTR, 0, readEl);
            assertEquals(b, a, "value at step " + step);
            assertEquals(ref.state(), fast.state(), "state at step " + step);
            if (rnd.nextInt(50) == 0) { // the guest clears the overflow: the line drops, a later one rises again
                fast.p.write(PmuReg.PMOVSCLR, 0, 1L << 31, EL1);
                ref.p.write(PmuReg.PMOVSCLR, 0, 1L << 31, EL1);
            }
        }
        assertTrue(ref.edges.contains(true), "the runs crossed an overflow");
    }
}
