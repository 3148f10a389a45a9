package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL0;
import static dev.a64trap.pmu.Vms.EL1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.Host;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counting semantics of spec 3: EL filters, widths, overflow, CHAIN, SW_INCR, P/C, LC/LP, filters. */
class CountingTest {
    private static final long E = 1;
    private static final long P_RESET = 2;
    private static final long C_RESET = 4;
    private static final long LC = 1 << 6;
    private static final long LP = 1 << 7;
    private static final long TYPE_P = 1L << 31;
    private static final long TYPE_U = 1L << 30;

    private final FakeClock clock = new FakeClock();
    private final List<Boolean> irqEdges = new ArrayList<>();

    /** Running guest on rk3588 (default PMU = A55, VMM on CPU 0), loaded on {@code cpu}. */
    private Vpmu guest(int hostPmuVer, int cpu) {
        KvmVm vm = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withHostPmuVer(hostPmuVer));
        return start(vm, 0, cpu);
    }

    private Vpmu start(KvmVm vm, int vmmCpu, int cpu) {
        KvmVcpu v = Vms.initialised(vm, vmmCpu);
        assertTrue(v.run(cpu).entered());
        Vpmu p = v.pmu();
        p.attachClock(clock);
        p.setIrqListener(irqEdges::add);
        // a clean slate: everything disabled and cleared
        p.write(PmuReg.PMCNTENCLR, 0, ~0L, EL1);
        p.write(PmuReg.PMOVSCLR, 0, ~0L, EL1);
        p.write(PmuReg.PMINTENCLR, 0, ~0L, EL1);
        p.write(PmuReg.PMCR, 0, P_RESET | C_RESET, EL1);
        return p;
    }

    private static void counter(Vpmu p, int i, long type, long value) {
        p.write(PmuReg.PMEVTYPER, i, type, EL1);
        p.write(PmuReg.PMEVCNTR, i, value, EL1);
        p.write(PmuReg.PMCNTENSET, 0, 1L << i, EL1);
    }

    private static long cnt(Vpmu p, int i) {
        return p.read(PmuReg.PMEVCNTR, i, EL1);
    }

    private static long ovs(Vpmu p) {
        return p.read(PmuReg.PMOVSSET, 0, EL1);
    }

    @Test
    void instRetiredCountsOnlyWhileEnabledAndAtAllowedEls() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        counter(p, 0, Events.INST_RETIRED, 0); // counts EL0 and EL1
        counter(p, 1, TYPE_U | Events.INST_RETIRED, 0); // EL1 only
        counter(p, 2, TYPE_P | Events.INST_RETIRED, 0); // EL0 only
        counter(p, 3, TYPE_P | TYPE_U | Events.INST_RETIRED, 0); // nothing
        clock.run(EL1, 100, 2);
        assertEquals(0, cnt(p, 0), "PMCR.E = 0: nothing counts");
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 100, 2).run(EL0, 30, 2);
        assertEquals(130, cnt(p, 0));
        assertEquals(100, cnt(p, 1));
        assertEquals(30, cnt(p, 2));
        assertEquals(0, cnt(p, 3));
        p.write(PmuReg.PMCNTENCLR, 0, 1, EL1);
        clock.run(EL1, 50, 2);
        assertEquals(130, cnt(p, 0), "disabled counter keeps its value");
        assertEquals(150, cnt(p, 1));
        p.write(PmuReg.PMCNTENSET, 0, 1, EL1);
        clock.run(EL0, 5, 2);
        assertEquals(135, cnt(p, 0), "enabling resumes from the stored value");
    }

    @Test
    void cycleCounterFollowsPmccfiltr() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        p.write(PmuReg.PMCCNTR, 0, 0, EL1);
        p.write(PmuReg.PMCCFILTR, 0, TYPE_U | 0x3FF, EL1); // KVM keeps evtCount bits; they have no effect
        assertEquals(TYPE_U | 0x3FF, p.read(PmuReg.PMCCFILTR, 0, EL1));
        p.write(PmuReg.PMCNTENSET, 0, 1L << 31, EL1);
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 10, 3).run(EL0, 10, 5);
        assertEquals(30, p.read(PmuReg.PMCCNTR, 0, EL1), "only EL1 cycles");
    }

    @Test
    void pmuV3p1CountersAre32BitAndWrap() {
        Vpmu p = guest(PmuBits.PMUV3P1, 0);
        counter(p, 0, Events.INST_RETIRED, 0xFFFF_FFF0L);
        p.write(PmuReg.PMINTENSET, 0, 1, EL1);
        p.write(PmuReg.PMCR, 0, E | LP, EL1);
        assertEquals(E, p.read(PmuReg.PMCR, 0, EL1) & 0xFF & ~(LC), "LP is RES0 without PMUv3p5");
        clock.run(EL1, 0x20, 1);
        assertEquals(0x10, cnt(p, 0));
        assertEquals(1, ovs(p) & 1);
        assertTrue(p.irqLevel());
        p.write(PmuReg.PMEVCNTR, 0, 0x1_2345_6789L, EL1);
        assertEquals(0x2345_6789L, cnt(p, 0), "upper half invisible");
    }

    @Test
    void pmuV3p5CountersAre64BitWithOverflowAtBit31UnlessLp() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        counter(p, 0, Events.INST_RETIRED, 0xFFFF_FFF0L);
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 0x20, 1);
        assertEquals(0x1_0000_0010L, cnt(p, 0), "keeps counting in 64 bits");
        assertEquals(1, ovs(p) & 1, "LP = 0: overflow at the bit-31 carry");
        p.write(PmuReg.PMOVSCLR, 0, 1, EL1);
        p.write(PmuReg.PMCR, 0, E | LP, EL1);
        p.write(PmuReg.PMEVCNTR, 0, 0xFFFF_FFF0L, EL1);
        clock.run(EL1, 0x20, 1);
        assertEquals(0, ovs(p) & 1, "LP = 1: no overflow at bit 31");
        p.write(PmuReg.PMEVCNTR, 0, -0x10L, EL1);
        clock.run(EL1, 0x20, 1);
        assertEquals(0x10, cnt(p, 0));
        assertEquals(1, ovs(p) & 1, "LP = 1: overflow at the 64-bit wrap");
    }

    @Test
    void cycleCounterOverflowFollowsLc() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        p.write(PmuReg.PMCNTENSET, 0, 1L << 31, EL1);
        p.write(PmuReg.PMCCNTR, 0, 0xFFFF_FFFEL, EL1);
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 2, 2);
        assertEquals(0x1_0000_0002L, p.read(PmuReg.PMCCNTR, 0, EL1), "64-bit register");
        assertEquals(1L << 31, ovs(p), "LC = 0: overflow at the bit-31 carry");
        p.write(PmuReg.PMOVSCLR, 0, 1L << 31, EL1);
        p.write(PmuReg.PMCR, 0, E | LC, EL1);
        p.write(PmuReg.PMCCNTR, 0, 0xFFFF_FFFEL, EL1);
        clock.run(EL1, 2, 2);
        assertEquals(0, ovs(p), "LC = 1: no overflow at bit 31");
        p.write(PmuReg.PMCCNTR, 0, -2L, EL1);
        clock.run(EL1, 2, 2);
        assertEquals(2, p.read(PmuReg.PMCCNTR, 0, EL1));
        assertEquals(1L << 31, ovs(p));
    }

    @Test
    void lcIsForcedWhenTheHostHasNoAArch32El0() {
        KvmVm vm = new KvmVm(Host.preset("dimensity9300"), KvmVm.Options.defaults());
        Vpmu p = start(vm, 0, 0);
        assertEquals(LC, p.read(PmuReg.PMCR, 0, EL1) & LC);
        p.write(PmuReg.PMCR, 0, 0, EL1);
        assertEquals(LC, p.read(PmuReg.PMCR, 0, EL1) & LC, "RES1");
        Vpmu q = guest(PmuBits.PMUV3P5, 0);
        assertEquals(0, q.read(PmuReg.PMCR, 0, EL1) & LC, "rk3588 has AArch32 EL0: LC resets to 0");
    }

    @Test
    void pResetsEventCountersAndCResetsTheCycleCounter() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        p.write(PmuReg.PMEVCNTR, 0, 5, EL1);
        p.write(PmuReg.PMEVCNTR, 5, 6, EL1);
        p.write(PmuReg.PMCCNTR, 0, 7, EL1);
        p.write(PmuReg.PMCR, 0, P_RESET, EL1);
        assertEquals(0, cnt(p, 0));
        assertEquals(0, cnt(p, 5));
        assertEquals(7, p.read(PmuReg.PMCCNTR, 0, EL1), "P leaves the cycle counter");
        p.write(PmuReg.PMEVCNTR, 0, 5, EL1);
        p.write(PmuReg.PMCR, 0, C_RESET, EL1);
        assertEquals(0, p.read(PmuReg.PMCCNTR, 0, EL1));
        assertEquals(5, cnt(p, 0), "C leaves event counters");
        assertEquals(0, p.read(PmuReg.PMCR, 0, EL1) & (P_RESET | C_RESET), "P and C read 0");
    }

    @Test
    void chainCountsOverflowsOfTheEvenCounter() {
        Vpmu p = guest(PmuBits.PMUV3P1, 0);
        counter(p, 0, Events.INST_RETIRED, 0xFFFF_FFF6L);
        counter(p, 1, Events.CHAIN, 0);
        counter(p, 3, Events.CHAIN, 0); // partner 2 disabled: never counts
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 10, 1);
        assertEquals(0, cnt(p, 0));
        assertEquals(1, cnt(p, 1), "one overflow of counter 0");
        clock.run(EL1, 3L << 32, 1);
        assertEquals(4, cnt(p, 1), "three more overflows");
        assertEquals(0, cnt(p, 3));
        assertEquals(1, ovs(p) & 1);
        assertEquals(0, ovs(p) & 2, "the odd counter did not overflow");
        p.write(PmuReg.PMCNTENCLR, 0, 2, EL1);
        clock.run(EL1, 1L << 32, 1);
        assertEquals(4, cnt(p, 1), "disabled CHAIN counter receives nothing");
    }

    @Test
    void oddChainCounterOverflowsButDoesNotChainFurther() {
        Vpmu p = guest(PmuBits.PMUV3P1, 0);
        counter(p, 0, Events.INST_RETIRED, 0xFFFF_FFFFL);
        counter(p, 1, Events.CHAIN, 0xFFFF_FFFFL);
        counter(p, 2, Events.CHAIN, 0);
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 1, 1);
        assertEquals(0, cnt(p, 1));
        assertEquals(3, ovs(p) & 7, "counters 0 and 1 overflowed");
        assertEquals(0, cnt(p, 2), "an even CHAIN counter counts nothing");
    }

    @Test
    void noChainWithLp() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        counter(p, 0, Events.INST_RETIRED, -1L);
        counter(p, 1, Events.CHAIN, 0);
        p.write(PmuReg.PMCR, 0, E | LP, EL1);
        clock.run(EL1, 1, 1);
        assertEquals(1, ovs(p) & 1, "64-bit wrap");
        assertEquals(0, cnt(p, 1), "LP = 1: nothing chains");
    }

    @Test
    void softwareIncrement() {
        Vpmu p = guest(PmuBits.PMUV3P1, 0);
        counter(p, 0, Events.SW_INCR, 0xFFFF_FFFFL);
        counter(p, 1, Events.CHAIN, 0);
        counter(p, 2, Events.SW_INCR, 0);
        counter(p, 3, Events.INST_RETIRED, 0);
        counter(p, 4, TYPE_P | TYPE_U | Events.SW_INCR, 0); // EL filter not consulted
        p.write(PmuReg.PMEVTYPER, 5, Events.SW_INCR, EL1); // not enabled
        p.write(PmuReg.PMEVCNTR, 5, 0, EL1);
        p.write(PmuReg.PMSWINC, 0, 0x3D, EL1); // nothing: E = 0
        assertEquals(0, cnt(p, 2));
        p.write(PmuReg.PMCR, 0, E, EL1);
        p.write(PmuReg.PMSWINC, 0, 0x8000_003DL, EL1);
        assertEquals(0, cnt(p, 0), "wrapped");
        assertEquals(1, ovs(p) & 1);
        assertEquals(1, cnt(p, 1), "CHAIN from the SW_INCR overflow");
        assertEquals(1, cnt(p, 2));
        assertEquals(0, cnt(p, 3), "other event types ignore the bit");
        assertEquals(1, cnt(p, 4));
        assertEquals(0, cnt(p, 5));
        p.write(PmuReg.PMSWINC, 0, 1L << 31 | 1L << 7, EL1); // bit 31 and bits >= N ignored
        assertEquals(1, cnt(p, 2));
    }

    @Test
    void interruptLevelIsOverflowAndEnableGatedByPmcrE() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        p.write(PmuReg.PMOVSSET, 0, 1L << 2, EL1); // a guest SET creates an overflow
        assertFalse(p.irqLevel(), "PMINTENSET clear");
        p.write(PmuReg.PMINTENSET, 0, 1L << 2, EL1);
        assertFalse(p.irqLevel(), "PMCR.E = 0");
        p.write(PmuReg.PMCR, 0, E, EL1);
        assertTrue(p.irqLevel(), "PMCNTENSET is not part of the condition");
        p.write(PmuReg.PMOVSCLR, 0, 1L << 2, EL1);
        assertFalse(p.irqLevel());
        assertEquals(List.of(true, false), irqEdges);
    }

    @Test
    void deadlineTellsTheInterpreterWhenToSync() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        assertEquals(Long.MAX_VALUE, p.nextDeadline(), "nothing counts");
        counter(p, 0, Events.INST_RETIRED, 0xFFFF_FFFFL - 49);
        p.write(PmuReg.PMINTENSET, 0, 1, EL1);
        p.write(PmuReg.PMCR, 0, E, EL1);
        assertEquals(50, p.nextDeadline());
        clock.run(EL1, 20, 1);
        assertEquals(30, p.nextDeadline());
        clock.run(EL1, 40, 1);
        assertEquals(0, p.nextDeadline(), "overflow pending");
        assertFalse(p.irqLevel(), "not materialised yet");
        assertTrue(p.sync());
        assertEquals(0x1_0000_000AL, cnt(p, 0), "the value is exact although sync came late");
        assertEquals((1L << 32) - 10, p.nextDeadline(), "next bit-31 carry");
    }

    @Test
    void unsupportedEventsNeverCount() {
        // default PMU A76 (VMM on CPU 4): no LD_RETIRED (0x06); A55 has it
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        Vpmu big = start(vm, 4, 4);
        counter(big, 0, Events.LD_RETIRED, 0);
        counter(big, 1, Events.INST_RETIRED, 0);
        counter(big, 2, 0x03 /* L1D_CACHE_REFILL */, 0); // listed by the core, not modelled
        big.write(PmuReg.PMCR, 0, E, EL1);
        clock.add(Events.LD_RETIRED, EL1, 7).run(EL1, 9, 1);
        assertEquals(0, cnt(big, 0));
        assertEquals(9, cnt(big, 1));
        assertEquals(0, cnt(big, 2));
        big.write(PmuReg.PMEVCNTR, 0, 3, EL1);
        assertEquals(3, cnt(big, 0), "frozen but writable");

        Vpmu little = guest(PmuBits.PMUV3P5, 0);
        counter(little, 0, Events.LD_RETIRED, 0);
        counter(little, 1, Events.INST_SPEC, 0); // alias of INST_RETIRED
        little.write(PmuReg.PMCR, 0, E, EL1);
        clock.add(Events.LD_RETIRED, EL1, 7).run(EL1, 9, 1);
        assertEquals(7, cnt(little, 0));
        assertEquals(9, cnt(little, 1));
    }

    @Test
    void eventFilterHidesAndStopsEvents() {
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        v.setAttr(PmuAttr.FILTER, EventFilter.deny(Events.INST_RETIRED, 1));
        v.setAttr(PmuAttr.FILTER, EventFilter.allow(Events.INST_RETIRED, 1)); // cancelling does re-allow
        v.setAttr(PmuAttr.FILTER, EventFilter.deny(Events.CPU_CYCLES, 1));
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        v.run(0);
        Vpmu p = v.pmu();
        p.attachClock(clock);
        // A55 PMCEID0 = 0x7fffffff (data file), minus denied CPU_CYCLES (bit 17)
        assertEquals(0x7fffffffL & ~(1L << 0x11), p.read(PmuReg.PMCEID0, 0, EL1));
        counter(p, 0, Events.INST_RETIRED, 0);
        p.write(PmuReg.PMCNTENSET, 0, 1L << 31, EL1);
        p.write(PmuReg.PMCCNTR, 0, 0, EL1);
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 10, 2);
        assertEquals(10, cnt(p, 0), "INST_RETIRED allowed again by the later ALLOW");
        assertEquals(0, p.read(PmuReg.PMCCNTR, 0, EL1), "cycle counter denied with CPU_CYCLES");
    }

    @Test
    void firstAllowDeniesEverythingElse() {
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        KvmVcpu v = vm.createVcpu();
        v.init(true, 4); // A76
        v.setAttr(PmuAttr.FILTER, EventFilter.allow(Events.CPU_CYCLES, 1));
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        v.run(4);
        assertEquals(1L << 0x11, v.pmu().read(PmuReg.PMCEID0, 0, EL1), "SW_INCR/CHAIN bits are ANDed too");
        assertEquals(0, v.pmu().read(PmuReg.PMCEID1, 0, EL1));
    }

    @Test
    void pmceidOfTheVmPmu() {
        // derived_pmceid0/1 of cortex-a76.json with SW_INCR, CHAIN forced on and 0x3D-0x3F forced off
        KvmVm vm = Vms.vm("tri-cluster", KvmAbi.V8);
        Vpmu p = start(vm, 4, 4); // A710
        assertEquals(0x0f0f1a707fff0f3fL | 1 | 1L << 30, p.read(PmuReg.PMCEID0, 0, EL1));
        assertEquals(0x00000077fef2ae7fL & ~(7L << 29), p.read(PmuReg.PMCEID1, 0, EL1));
        KvmVm old = new KvmVm(Host.preset("tri-cluster"), KvmVm.Options.defaults().withHostPmuVer(PmuBits.PMUV3));
        Vpmu q = start(old, 4, 4);
        assertEquals(0x7fff0f3fL | 1 | 1L << 30, q.read(PmuReg.PMCEID0, 0, EL1), "PMUv3: no 0x4000 window");
        q.write(PmuReg.PMEVTYPER, 0, 0xFFFF, EL1);
        assertEquals(0x3FF, q.read(PmuReg.PMEVTYPER, 0, EL1), "PMUv3: 10-bit evtCount");
        p.write(PmuReg.PMEVTYPER, 0, ~0L, EL1);
        assertEquals(0xC000_FFFFL, p.read(PmuReg.PMEVTYPER, 0, EL1), "P, U and 16-bit evtCount only");
    }

    @Test
    void peekHasNoSideEffects() {
        Vpmu p = guest(PmuBits.PMUV3P1, 0);
        counter(p, 0, Events.INST_RETIRED, 0xFFFF_FFFFL);
        p.write(PmuReg.PMINTENSET, 0, 1, EL1);
        p.write(PmuReg.PMCR, 0, E, EL1);
        clock.run(EL1, 3, 1);
        assertEquals(2, p.peek(PmuReg.PMEVCNTR, 0));
        assertEquals(1, p.peek(PmuReg.PMOVSSET, 0) & 1, "pending overflow visible to the debugger");
        assertFalse(p.irqLevel(), "but not materialised");
        assertTrue(irqEdges.isEmpty());
        assertEquals(PmuBits.UNKNOWN_POISON & 0xFFFF_FFFFL, p.peek(PmuReg.PMEVCNTR, 20),
                "no UNDEF for the debugger: index >= N reads its stored (reset) state");
        assertEquals(2, cnt(p, 0));
        assertTrue(p.irqLevel());
    }

    @Test
    void instructionBudgetDividesTheDeadlineByTheWorstIncrement() {
        Vpmu p = guest(PmuBits.PMUV3P5, 0);
        assertEquals(Long.MAX_VALUE, p.instructionBudget(4));
        p.write(PmuReg.PMCNTENSET, 0, 1L << 31, EL1);
        p.write(PmuReg.PMCCNTR, 0, 0xFFFF_FFFFL - 99, EL1); // 100 cycles to the bit-31 carry
        p.write(PmuReg.PMCR, 0, E, EL1);
        assertEquals(25, p.instructionBudget(4));
        clock.run(EL1, 1, 98);
        assertEquals(1, p.instructionBudget(4), "always at least one instruction");
        clock.run(EL1, 1, 2);
        assertEquals(0, p.instructionBudget(4), "sync first");
    }

    @Test
    void userspaceCounterAccessTruncatesLikeTheGuestAndReloadsMasks() {
        KvmVm vm = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withHostPmuVer(PmuBits.PMUV3P1));
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        v.setOneReg(Vms.id("PMEVCNTR2_EL0"), 0x1_0000_0005L);
        assertEquals(5, v.getOneReg(Vms.id("PMEVCNTR2_EL0")), "32-bit without PMUv3p5");
        v.setOneReg(Vms.id("PMCCNTR_EL0"), 0x1_0000_0005L);
        assertEquals(0x1_0000_0005L, v.getOneReg(Vms.id("PMCCNTR_EL0")), "cycle counter is 64-bit");
        v.setOneReg(Vms.id("PMCNTENSET_EL0"), 0x8000_003FL);
        long pmcr = v.getOneReg(Vms.id("PMCR_EL0"));
        v.setOneReg(Vms.id("PMCR_EL0"), pmcr & ~(0x1FL << 11) | 2L << 11);
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        v.run(0);
        assertEquals(0x8000_0003L, v.pmu().read(PmuReg.PMCNTENSET, 0, EL1), "reload ANDs with the new mask(N)");
    }

    @Test
    void withoutIrqchipTheLevelIsMirroredToDeviceIrqLevel() {
        KvmVm vm = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withIrqchip(KvmVm.Irqchip.NONE));
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        v.setAttr(PmuAttr.INIT, null);
        v.run(0);
        Vpmu p = v.pmu();
        p.write(PmuReg.PMOVSCLR, 0, ~0L, EL1);
        p.write(PmuReg.PMINTENSET, 0, 1, EL1);
        p.write(PmuReg.PMCR, 0, E, EL1);
        assertEquals(0, v.deviceIrqLevel());
        p.write(PmuReg.PMOVSSET, 0, 1, EL1);
        assertEquals(1L << 2, v.deviceIrqLevel(), "KVM_ARM_DEV_PMU");
    }
}
