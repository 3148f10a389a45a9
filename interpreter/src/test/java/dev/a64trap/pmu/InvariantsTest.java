package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL0;
import static dev.a64trap.pmu.Vms.EL1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Register invariants of spec 6 (1-5, 12) checked after every step of seeded random guest access
 * sequences. A failure names the seed (override with -Da64trap.seed=N) and the step list.
 */
class InvariantsTest {
    private static final PmuReg[] REGS = PmuReg.values();
    private static final long[] VALUES = {0, 1, ~0L, 0xFFFF_FFFFL, 0x8000_0000L, 0x7FFF_FFFFL, 0x3F, 0x1F, 0x20, 0xFF};

    private static long value(SplittableRandom r) {
        return r.nextInt(3) == 0 ? r.nextLong() : VALUES[r.nextInt(VALUES.length)];
    }

    private static long[] snapshot(Vpmu p) {
        List<Long> s = new ArrayList<>();
        for (PmuRegTable.Entry e : PmuRegTable.entries()) {
            s.add(p.peek(e.reg(), e.index()));
        }
        s.add(p.irqLevel() ? 1L : 0L);
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void invariantsHoldAfterEveryStep() {
        long base = Long.getLong("a64trap.seed", 1L);
        for (long seed = base; seed < base + 20; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        KvmVm vm = new KvmVm(dev.a64trap.host.Host.preset(r.nextBoolean() ? "rk3588" : "dimensity9300"),
                KvmVm.Options.defaults().withHostPmuVer(r.nextBoolean() ? PmuBits.PMUV3P1 : PmuBits.PMUV3P5));
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        v.setAttr(PmuAttr.SET_NR_COUNTERS, r.nextInt(7));
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        v.run(0);
        Vpmu p = v.pmu();
        FakeClock clock = new FakeClock();
        p.attachClock(clock);
        int n = vm.nrCounters();
        long mask = PmuBits.counterMask(n);
        long lastSel = p.read(PmuReg.PMSELR, 0, EL1);
        long lastUserenr = 0;
        List<String> steps = new ArrayList<>();
        for (int step = 0; step < 250; step++) {
            PmuReg reg = REGS[r.nextInt(REGS.length)];
            int index = r.nextInt(32);
            boolean write = r.nextBoolean();
            int el = r.nextInt(4) == 0 ? EL0 : EL1;
            long val = value(r);
            if (r.nextInt(5) == 0) {
                int ev = r.nextBoolean() ? Events.INST_RETIRED : Events.CPU_CYCLES;
                long k = r.nextInt(3) == 0 ? 1L << 31 : r.nextInt(1000);
                clock.add(ev, r.nextInt(2), k);
                steps.add("clock +" + k + " of 0x" + Integer.toHexString(ev));
                continue;
            }
            String desc = (write ? "MSR " : "MRS ") + reg + "[" + index + "] EL" + el + (write ? " = 0x"
                    + Long.toHexString(val) : "");
            steps.add(desc);
            long[] before = snapshot(p);
            try {
                if (write) {
                    p.write(reg, index, val, el);
                    if (reg == PmuReg.PMSELR) {
                        lastSel = val & 0x1F;
                    }
                    if (reg == PmuReg.PMUSERENR) {
                        lastUserenr = val & 0xF;
                    }
                } else {
                    p.read(reg, index, el);
                }
            } catch (PmuUndefined u) {
                // invariant 4: an UNDEF leaves all PMU state unchanged
                check(seed, steps, () -> assertArrayEquals(before, snapshot(p), "UNDEF changed state"));
            }
            long lastSelF = lastSel;
            long lastUserenrF = lastUserenr;
            check(seed, steps, () -> {
                for (PmuReg b : new PmuReg[] {PmuReg.PMCNTENSET, PmuReg.PMINTENSET, PmuReg.PMOVSSET}) {
                    assertEquals(0, p.peek(b, 0) & ~mask, b + " outside mask(N)");
                }
                assertEquals(p.peek(PmuReg.PMCNTENSET, 0), p.peek(PmuReg.PMCNTENCLR, 0));
                assertEquals(p.peek(PmuReg.PMINTENSET, 0), p.peek(PmuReg.PMINTENCLR, 0));
                assertEquals(p.peek(PmuReg.PMOVSSET, 0), p.peek(PmuReg.PMOVSCLR, 0));
                long pmcr = p.peek(PmuReg.PMCR, 0);
                assertEquals(0, pmcr & 6, "P and C read 0");
                assertEquals(n, pmcr >>> 11 & 0x1F, "N");
                assertEquals(0, pmcr >>> 16, "IDCODE, IMP, upper half");
                assertEquals(lastSelF, p.peek(PmuReg.PMSELR, 0));
                assertEquals(lastUserenrF, p.peek(PmuReg.PMUSERENR, 0));
                long evtMask = vm.pmuVer() >= PmuBits.PMUV3P1 ? 0xFFFF : 0x3FF;
                for (int i = 0; i < 31; i++) {
                    assertEquals(0, p.peek(PmuReg.PMEVTYPER, i) & ~(0xC000_0000L | evtMask), "PMEVTYPER" + i);
                }
                p.sync();
                boolean level = (p.peek(PmuReg.PMOVSSET, 0) & p.peek(PmuReg.PMINTENSET, 0)) != 0
                        && (p.peek(PmuReg.PMCR, 0) & 1) != 0;
                assertEquals(level, p.irqLevel(), "interrupt level");
            });
        }
    }

    private static void check(long seed, List<String> steps, Runnable r) {
        try {
            r.run();
        } catch (AssertionError e) {
            fail("seed " + seed + " (rerun with -Da64trap.seed=" + seed + "), step " + steps.size() + " of the run: "
                    + e.getMessage() + "\nsteps: " + steps, e);
        }
    }
}
