package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL0;
import static dev.a64trap.pmu.Vms.EL1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The experimental fixed-counters-only+icntr mode (FEAT_PMUv3_ICNTR's PMICNTR_EL0, counter 32):
 * random sequences of retired instructions at EL0 and EL1, migrations between core types, filter
 * (PMICFILTR P/U), enable (PMCNTENSET/CLR bit 32, PMCR.E), PMCR.P and direct writes; after every
 * step PMICNTR equals a model that counts exactly the instructions retired while enabled at the
 * ELs the filter allows, whatever core the vCPU was on. Without the mode the registers UNDEF and
 * bit 32 is RAZ/WI.
 */
class IcntrTest {
    static final long BIT32 = 1L << 32;

    static KvmVcpu vcpu(Host host, boolean icntr) {
        KvmVm vm = new KvmVm(host, KvmVm.Options.defaults());
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null);
        if (icntr) {
            v.setAttr(PmuAttr.A64TRAP_ICNTR, null);
        }
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        v.run(0);
        return v;
    }

    @Test
    void pmicntrCountsExactlyTheRetiredInstructionsItsFilterAllowsAcrossMigrations() {
        long base = Long.getLong("a64trap.seed", 1L);
        int migrationsBetweenTypes = 0;
        for (long seed = base; seed < base + 40; seed++) {
            migrationsBetweenTypes += chain(seed);
        }
        assertTrue(migrationsBetweenTypes > 100, "migrations between core types: " + migrationsBetweenTypes);
    }

    /** One random chain; returns how many migrations changed the host PMU type. */
    private static int chain(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Host host = Host.preset(r.nextBoolean() ? "rk3588" : "dimensity9300");
        KvmVcpu v = vcpu(host, true);
        Vpmu p = v.pmu();
        FakeClock clock = new FakeClock();
        p.attachClock(clock);
        p.write(PmuReg.PMICNTR, 0, 0, EL1);
        long model = 0;
        boolean e = false, en = false, countEl0 = true, countEl1 = true;
        int cpu = 0, typeChanges = 0;
        List<String> steps = new ArrayList<>();
        for (int step = 0; step < 200; step++) {
            switch (r.nextInt(8)) {
                case 0, 1, 2 -> {
                    int el = r.nextInt(2);
                    long n = r.nextInt(4) == 0 ? r.nextLong(1L << 33) : r.nextInt(1000);
                    clock.run(el, n, 1 + r.nextInt(3));
                    if (e && en && (el == 0 ? countEl0 : countEl1)) {
                        model += n;
                    }
                    steps.add(n + " insns at EL" + el);
                }
                case 3 -> {
                    int to = r.nextInt(host.cpuCount());
                    if (host.pmuOfCpu(to) != host.pmuOfCpu(cpu)) {
                        typeChanges++;
                    }
                    cpu = to;
                    v.onVcpuLoad(to);
                    steps.add("migrate to CPU " + to);
                }
                case 4 -> {
                    long f = (r.nextBoolean() ? PmuBits.EVTYPER_P : 0) | (r.nextBoolean() ? PmuBits.EVTYPER_U : 0);
                    p.write(PmuReg.PMICFILTR, 0, f, EL1);
                    countEl1 = (f & PmuBits.EVTYPER_P) == 0;
                    countEl0 = (f & PmuBits.EVTYPER_U) == 0;
                    steps.add("PMICFILTR = 0x" + Long.toHexString(f));
                }
                case 5 -> {
                    boolean set = r.nextBoolean();
                    p.write(set ? PmuReg.PMCNTENSET : PmuReg.PMCNTENCLR, 0, BIT32 | 1L << 31, EL1);
                    en = set;
                    steps.add(set ? "PMCNTENSET bit 32" : "PMCNTENCLR bit 32");
                }
                case 6 -> {
                    long pmcr = r.nextBoolean() ? PmuBits.PMCR_E : 0;
                    if (r.nextInt(3) == 0) {
                        pmcr |= PmuBits.PMCR_P;
                        model = 0;
                    }
                    p.write(PmuReg.PMCR, 0, pmcr, EL1);
                    e = (pmcr & PmuBits.PMCR_E) != 0;
                    steps.add("PMCR = 0x" + Long.toHexString(pmcr));
                }
                default -> {
                    model = r.nextBoolean() ? r.nextLong() : r.nextInt(100);
                    p.write(PmuReg.PMICNTR, 0, model, EL1);
                    steps.add("PMICNTR = 0x" + Long.toHexString(model));
                }
            }
            long got = p.read(PmuReg.PMICNTR, 0, EL1);
            if (got != model) {
                throw new AssertionError("seed " + seed + " (-Da64trap.seed=" + seed + "): PMICNTR 0x"
                        + Long.toHexString(got) + ", retired under the filter 0x" + Long.toHexString(model)
                        + " after " + String.join("; ", steps));
            }
            assertEquals(en ? BIT32 : 0, p.read(PmuReg.PMCNTENSET, 0, EL1) & BIT32, "seed " + seed);
        }
        return typeChanges;
    }

    @Test
    void theRegistersUndefAndBit32IsRazWiWithoutTheMode() {
        KvmVcpu v = vcpu(Host.preset("rk3588"), false);
        Vpmu p = v.pmu();
        for (PmuReg reg : new PmuReg[] {PmuReg.PMICNTR, PmuReg.PMICFILTR}) {
            assertTrue(Vms.undef(() -> p.read(reg, 0, EL1)), reg + " read");
            assertTrue(Vms.undef(() -> p.write(reg, 0, 1, EL1)), reg + " write");
        }
        p.write(PmuReg.PMCNTENSET, 0, BIT32, EL1);
        p.write(PmuReg.PMINTENSET, 0, BIT32, EL1);
        p.write(PmuReg.PMOVSSET, 0, BIT32, EL1);
        assertEquals(0, p.read(PmuReg.PMCNTENSET, 0, EL1) & BIT32);
        assertEquals(0, p.read(PmuReg.PMINTENSET, 0, EL1) & BIT32);
        assertEquals(0, p.read(PmuReg.PMOVSSET, 0, EL1) & BIT32);
        assertEquals(0, v.vm().icntr() ? 1 : 0);
    }

    @Test
    void theModeNeedsFixedCountersOnlyAndAnOverflowAt64BitsSetsBit32() {
        KvmVm vm = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults());
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        assertEquals(Errno.EINVAL, Vms.errno(() -> v.setAttr(PmuAttr.A64TRAP_ICNTR, null)));
        KvmVcpu w = vcpu(Host.preset("rk3588"), true);
        Vpmu p = w.pmu();
        FakeClock clock = new FakeClock();
        p.attachClock(clock);
        p.write(PmuReg.PMICNTR, 0, -3L, EL1);
        p.write(PmuReg.PMINTENSET, 0, BIT32, EL1);
        p.write(PmuReg.PMCNTENSET, 0, BIT32, EL1);
        p.write(PmuReg.PMCR, 0, PmuBits.PMCR_E, EL1);
        clock.run(EL0, 2, 1);
        assertEquals(0, p.read(PmuReg.PMOVSSET, 0, EL1) & BIT32);
        clock.run(EL1, 5, 1);
        assertEquals(4, p.read(PmuReg.PMICNTR, 0, EL1));
        assertEquals(BIT32, p.read(PmuReg.PMOVSSET, 0, EL1) & BIT32);
        assertTrue(p.irqLevel(), "PMINTENSET bit 32 raises the overflow interrupt");
        assertEquals(Events.INST_RETIRED, p.read(PmuReg.PMICFILTR, 0, EL1) & 0xFFFF);
    }
}
