package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.errno;
import static dev.a64trap.pmu.Vms.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Errnos and ordering rules of the KVM PMU attributes (spec 4.1-4.4, 5.2, 5.4). */
class AttrRulesTest {
    private static final int A55 = Host.FIRST_PERF_TYPE; // rk3588 probe order: a55, a76
    private static final int A76 = Host.FIRST_PERF_TYPE + 1;

    private static KvmVcpu fresh(KvmAbi abi) {
        KvmVcpu v = Vms.vm("rk3588", abi).createVcpu();
        v.init(true, 0);
        return v;
    }

    @ParameterizedTest
    @EnumSource(KvmAbi.class)
    void commonChecksComeBeforeTheAttributeSwitch(KvmAbi abi) {
        KvmVcpu noPmu = Vms.vm("rk3588", abi).createVcpu();
        noPmu.init(false, 0);
        for (long a = 0; a <= 6; a++) {
            long attr = a;
            assertEquals(Errno.ENODEV, errno(() -> noPmu.setAttr(attr, 23)), "no PMU feature, attr " + a);
            assertEquals(Errno.ENXIO, errno(() -> noPmu.hasAttr(attr)));
        }
        KvmVcpu v = Vms.initialised(Vms.vm("rk3588", abi), 0);
        for (long a = 0; a <= 6; a++) {
            long attr = a;
            assertEquals(Errno.EBUSY, errno(() -> v.setAttr(attr, 23)), "after INIT, attr " + a);
        }
        KvmVcpu w = fresh(abi);
        assertEquals(Errno.ENXIO, errno(() -> w.setAttr(6, null)), "unknown attribute");
        assertEquals(Errno.ENXIO, errno(() -> w.setAttr(-1, null)), "unknown attribute");
    }

    @Test
    void hasAttrListsTheAttributesOfTheAbi() {
        KvmVcpu v8 = fresh(KvmAbi.V8);
        for (long a = 0; a <= 5; a++) {
            long attr = a;
            assertNull(errno(() -> v8.hasAttr(attr)));
        }
        assertEquals(Errno.ENXIO, errno(() -> v8.hasAttr(6)));
        KvmVcpu main = fresh(KvmAbi.MAINLINE);
        assertNull(errno(() -> main.hasAttr(PmuAttr.SET_NR_COUNTERS)));
        assertEquals(Errno.ENXIO, errno(() -> main.hasAttr(5)));
    }

    @Test
    void irqRules() {
        KvmVm none = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withIrqchip(KvmVm.Irqchip.NONE));
        KvmVcpu n = none.createVcpu();
        n.init(true, 0);
        assertEquals(Errno.EINVAL, errno(() -> n.setAttr(PmuAttr.IRQ, 23)), "no irqchip");
        assertEquals(Errno.EINVAL, errno(() -> n.getAttr(PmuAttr.IRQ)), "GET without irqchip");

        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        KvmVcpu a = vm.createVcpu();
        KvmVcpu b = vm.createVcpu();
        KvmVcpu c = vm.createVcpu();
        a.init(true, 0);
        b.init(true, 0);
        c.init(true, 0);
        assertEquals(Errno.EFAULT, errno(() -> a.setAttr(PmuAttr.IRQ, PmuAttr.BAD_ADDRESS)));
        assertEquals(Errno.EINVAL, errno(() -> a.setAttr(PmuAttr.IRQ, 15)), "SGI");
        assertEquals(Errno.EINVAL, errno(() -> a.setAttr(PmuAttr.IRQ, 1020)), "beyond SPIs");
        assertEquals(Errno.ENXIO, errno(() -> a.getAttr(PmuAttr.IRQ)), "GET unset");
        a.setAttr(PmuAttr.IRQ, 23);
        assertEquals(23, a.getAttr(PmuAttr.IRQ));
        assertEquals(Errno.EINVAL, errno(() -> b.setAttr(PmuAttr.IRQ, 24)), "PPI must match other vCPUs");
        assertEquals(Errno.EINVAL, errno(() -> a.setAttr(PmuAttr.IRQ, 22)), "PPI differs from this vCPU's own");
        assertEquals(Errno.EBUSY, errno(() -> a.setAttr(PmuAttr.IRQ, 23)), "already set");
        b.setAttr(PmuAttr.IRQ, 23);

        KvmVm spi = Vms.vm("rk3588", KvmAbi.V8);
        KvmVcpu s0 = spi.createVcpu();
        KvmVcpu s1 = spi.createVcpu();
        s0.init(true, 0);
        s1.init(true, 0);
        s0.setAttr(PmuAttr.IRQ, 40);
        assertEquals(Errno.EINVAL, errno(() -> s1.setAttr(PmuAttr.IRQ, 40)), "SPI must be distinct");
        assertEquals(Errno.EINVAL, errno(() -> s0.setAttr(PmuAttr.IRQ, 40)), "SPI equal to its own");
        s1.setAttr(PmuAttr.IRQ, 41);

        KvmVm v5 = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withIrqchip(KvmVm.Irqchip.GICV5));
        KvmVcpu g = v5.createVcpu();
        g.init(true, 0);
        assertEquals(Errno.EINVAL, errno(() -> g.setAttr(PmuAttr.IRQ, 24)), "GICv5 accepts only 23");
        v5.initVgic();
        g.setAttr(PmuAttr.INIT, null);
        assertEquals(23, g.getAttr(PmuAttr.IRQ), "GICv5 INIT fills in 23");
    }

    @Test
    void initRules() {
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        v.setAttr(PmuAttr.IRQ, 23);
        assertEquals(Errno.ENODEV, errno(() -> v.setAttr(PmuAttr.INIT, null)), "vGIC not initialised");
        vm.initVgic();
        KvmVcpu w = vm.createVcpu();
        w.init(true, 0);
        assertEquals(Errno.ENXIO, errno(() -> w.setAttr(PmuAttr.INIT, null)), "IRQ unset");
        vm.reserveIntid(23);
        assertEquals(Errno.EEXIST, errno(() -> v.setAttr(PmuAttr.INIT, null)), "INTID owned by another device");

        KvmVm none = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withIrqchip(KvmVm.Irqchip.NONE));
        KvmVcpu n = none.createVcpu();
        n.init(true, 0);
        assertEquals(Errno.EINVAL, errno(() -> n.run(0)), "KVM_RUN before PMU INIT");
        n.setAttr(PmuAttr.INIT, null);
        assertTrue(n.run(0).entered(), "no irqchip: INIT succeeds without IRQ");
    }

    @Test
    void pmuFeatureNeedsAHostPmuAndIdenticalFeatures() {
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        KvmVcpu a = vm.createVcpu();
        KvmVcpu b = vm.createVcpu();
        a.init(true, 0);
        assertEquals(Errno.EINVAL, errno(() -> b.init(false, 0)), "feature sets must be identical");
    }

    @Test
    void defaultPmuComesFromTheVmmThreadsCpu() {
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        vm.createVcpu().init(true, 5);
        assertEquals("armv8_cortex_a76", vm.pmu().name());
        assertEquals(vm.host().allCpus(), vm.supportedCpus(), "default PMU does not narrow the CPUs");
        KvmVm vm2 = Vms.vm("rk3588", KvmAbi.V8);
        vm2.createVcpu().init(true, 2);
        assertEquals("armv8_cortex_a55", vm2.pmu().name());
        KvmVcpu second = vm2.createVcpu();
        second.init(true, 6);
        assertEquals("armv8_cortex_a55", vm2.pmu().name(), "only the first init chooses");
    }

    @Test
    void filterRules() {
        KvmVcpu v = fresh(KvmAbi.V8);
        assertEquals(Errno.EFAULT, errno(() -> v.setAttr(PmuAttr.FILTER, PmuAttr.BAD_ADDRESS)));
        assertEquals(Errno.EINVAL, errno(() -> v.setAttr(PmuAttr.FILTER, new EventFilter(0xFFFF, 2, 0))),
                "beyond the 65536-event space");
        assertNull(errno(() -> v.setAttr(PmuAttr.FILTER, new EventFilter(0xFFFF, 1, 0))), "last event is fine");
        assertEquals(Errno.EINVAL, errno(() -> v.setAttr(PmuAttr.FILTER, new EventFilter(0, 1, 2))), "action");
        assertNull(errno(() -> v.setAttr(PmuAttr.FILTER, new EventFilter(5, 0, 1))), "nevents 0 is legal");

        KvmVm pmuV3 = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withHostPmuVer(PmuBits.PMUV3));
        KvmVcpu p = pmuV3.createVcpu();
        p.init(true, 0);
        assertEquals(Errno.EINVAL, errno(() -> p.setAttr(PmuAttr.FILTER, EventFilter.allow(1000, 25))),
                "PMUv3 host: 1024 events");
        p.setAttr(PmuAttr.FILTER, EventFilter.allow(1000, 24));
    }

    @Test
    void vmWideAttributesAreBusyOnceAnyVcpuRan() {
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V8);
        KvmVcpu a = Vms.initialised(vm, 0);
        KvmVcpu b = vm.createVcpu();
        b.init(true, 0);
        assertTrue(a.run(0).entered());
        assertEquals(Errno.EBUSY, errno(() -> b.setAttr(PmuAttr.FILTER, EventFilter.allow(8, 1))));
        assertEquals(Errno.EBUSY, errno(() -> b.setAttr(PmuAttr.SET_PMU, A55)));
        assertEquals(Errno.EBUSY, errno(() -> b.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null)));
        // per-vCPU IRQ is still allowed on the uninitialised vCPU
        assertNull(errno(() -> b.setAttr(PmuAttr.IRQ, 23)));
        // userspace N writes are ignored after the VM ran
        long pmcr = a.getOneReg(id("PMCR_EL0"));
        a.setOneReg(id("PMCR_EL0"), pmcr & ~(0x1FL << 11) | 2L << 11);
        assertEquals(6, a.getOneReg(id("PMCR_EL0")) >>> 11 & 0x1F);
    }

    /** v9+ (spec 4.5 update): SET_NR_COUNTERS is frozen once any vCPU ran; mainline and v8 still take it. */
    @ParameterizedTest
    @EnumSource(KvmAbi.class)
    void setNrCountersAfterTheFirstRunIsBusyFromV11(KvmAbi abi) {
        KvmVm vm = Vms.vm("rk3588", abi);
        KvmVcpu a = Vms.initialised(vm, 0);
        KvmVcpu b = vm.createVcpu();
        b.init(true, 0);
        assertTrue(a.run(0).entered());
        Errno got = errno(() -> b.setAttr(PmuAttr.SET_NR_COUNTERS, 2));
        if (abi == KvmAbi.V11) {
            assertEquals(Errno.EBUSY, got);
            assertEquals(6, vm.nrCounters(), "N unchanged");
        } else {
            assertNull(got, abi + " accepts it (the running vCPU's N changes under it)");
            assertEquals(2, vm.nrCounters());
        }
        assertEquals(abi == KvmAbi.V11, abi.nrCountersFrozenAfterRun());
    }

    /** The fixed-counters-only attribute number is the rule set's: mainline has none, so 5 is unknown there. */
    @Test
    void attributeNumberIsAPropertyOfTheRuleSet() {
        assertEquals(-1, KvmAbi.MAINLINE.fixedCountersOnlyAttr());
        for (KvmAbi a : new KvmAbi[] {KvmAbi.V2, KvmAbi.V5, KvmAbi.V8, KvmAbi.V11}) {
            assertEquals(5, a.fixedCountersOnlyAttr(), a.name());
        }
        assertEquals("attr 5", PmuAttr.name(5, KvmAbi.MAINLINE));
        assertEquals("KVM_ARM_VCPU_PMU_V3_COMPOSITION", PmuAttr.name(5, KvmAbi.V2));
        assertEquals(KvmAbi.V11, KvmAbi.DEFAULT);
        assertEquals(KvmAbi.V11, KvmAbi.parse("v11"));
        assertNull(KvmAbi.parse("v9"));
        assertEquals("mainline, v2, v5, v8, v11, partition-v9", KvmAbi.choices());
        assertEquals(KvmAbi.PARTITION_V9, KvmAbi.parse("partition-v9"));
        assertEquals(-1, KvmAbi.PARTITION_V9.fixedCountersOnlyAttr(), "its 5 is ENABLE_PARTITION");
    }

    @Test
    void setPmuRules() {
        KvmVcpu v = fresh(KvmAbi.MAINLINE);
        KvmVm vm = v.vm();
        assertEquals(Errno.EFAULT, errno(() -> v.setAttr(PmuAttr.SET_PMU, PmuAttr.BAD_ADDRESS)));
        assertEquals(Errno.ENXIO, errno(() -> v.setAttr(PmuAttr.SET_PMU, 99)));
        v.setAttr(PmuAttr.SET_NR_COUNTERS, 2);
        assertEquals(2, vm.nrCounters());
        v.setAttr(PmuAttr.SET_PMU, A76);
        assertEquals(6, vm.nrCounters(), "SET_PMU resets N to the PMU maximum");
        assertEquals("4-7", vm.supportedCpus().toString());
        v.setAttr(PmuAttr.FILTER, EventFilter.deny(0x08, 1));
        assertNull(errno(() -> v.setAttr(PmuAttr.SET_PMU, A76)), "same PMU after a filter");
        assertEquals(Errno.EBUSY, errno(() -> v.setAttr(PmuAttr.SET_PMU, A55)), "other PMU after a filter");
    }

    @Test
    void setNrCountersRules() {
        KvmVcpu v = fresh(KvmAbi.V8);
        assertEquals(Errno.EFAULT, errno(() -> v.setAttr(PmuAttr.SET_NR_COUNTERS, PmuAttr.BAD_ADDRESS)));
        assertEquals(Errno.EINVAL, errno(() -> v.setAttr(PmuAttr.SET_NR_COUNTERS, 7)));
        assertEquals(Errno.EINVAL, errno(() -> v.setAttr(PmuAttr.SET_NR_COUNTERS, -1)), "unsigned");
        // code behaviour (spec 4.2 discrepancy): the default PMU suffices and a filter does not block
        v.setAttr(PmuAttr.FILTER, EventFilter.allow(8, 1));
        v.setAttr(PmuAttr.SET_NR_COUNTERS, 0);
        assertEquals(0, v.vm().nrCounters());
    }

    @ParameterizedTest
    @EnumSource(value = KvmAbi.class, names = {"V8", "V11"})
    void v8MakesFixedExclusiveWithSetPmuAndFilter(KvmAbi abi) {
        KvmVcpu a = fresh(abi);
        a.setAttr(PmuAttr.SET_PMU, A55);
        assertEquals(Errno.EBUSY, errno(() -> a.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null)), "after SET_PMU");
        KvmVcpu b = fresh(abi);
        b.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null);
        assertEquals(Errno.EBUSY, errno(() -> b.setAttr(PmuAttr.SET_PMU, A55)), "SET_PMU after it");
        assertEquals(Errno.EBUSY, errno(() -> b.setAttr(PmuAttr.FILTER, EventFilter.allow(0, 1))), "FILTER after");
        assertEquals(Errno.EINVAL, errno(() -> b.setAttr(PmuAttr.SET_NR_COUNTERS, 1)), "max is 0");
        assertNull(errno(() -> b.setAttr(PmuAttr.SET_NR_COUNTERS, 0)));
        assertEquals(b.vm().host().allCpus(), b.vm().supportedCpus(), "v8 leaves the CPU set unchanged");
    }

    @ParameterizedTest
    @EnumSource(value = KvmAbi.class, names = {"V2", "V5"})
    void v2AndV5LetSetPmuClearTheFlag(KvmAbi abi) {
        KvmVcpu v = fresh(abi);
        v.setAttr(PmuAttr.SET_PMU, A76);
        v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null); // explicit SET_PMU does not block before v8
        assertEquals(0, v.vm().nrCounters());
        assertEquals("0-7", v.vm().supportedCpus().toString(), "union of the PMUs' CPUs");
        v.setAttr(PmuAttr.SET_PMU, A55);
        assertFalse(v.vm().fixedCountersOnly(), "last writer wins");
        assertEquals(Errno.ENXIO, errno(() -> v.getAttr(PmuAttr.FIXED_COUNTERS_ONLY)));
        assertEquals(6, v.vm().nrCounters());
        assertEquals("0-3", v.vm().supportedCpus().toString());
    }

    @Test
    void getOfWriteOnlyAttributesIsEnxio() {
        KvmVcpu v = fresh(KvmAbi.V8);
        for (long a : new long[] {PmuAttr.INIT, PmuAttr.FILTER, PmuAttr.SET_PMU, PmuAttr.SET_NR_COUNTERS}) {
            assertEquals(Errno.ENXIO, errno(() -> v.getAttr(a)));
        }
        KvmVcpu noPmu = Vms.vm("rk3588", KvmAbi.V8).createVcpu();
        noPmu.init(false, 0);
        assertEquals(Errno.ENODEV, errno(() -> noPmu.getAttr(PmuAttr.IRQ)));
    }

    @Test
    void oneRegVisibility() {
        KvmVcpu noPmu = Vms.vm("rk3588", KvmAbi.V8).createVcpu();
        noPmu.init(false, 0);
        assertEquals(Errno.ENOENT, errno(() -> noPmu.getOneReg(id("PMCR_EL0"))));
        assertEquals(Errno.ENOENT, errno(() -> noPmu.setOneReg(id("PMCCNTR_EL0"), 1)));
        assertEquals(0, noPmu.vm().pmuVer(), "PMUVer reads 0 without the feature");
        KvmVcpu v = fresh(KvmAbi.V8);
        for (String hidden : new String[] {"PMCEID0_EL0", "PMCEID1_EL0", "PMXEVTYPER_EL0", "PMXEVCNTR_EL0"}) {
            assertEquals(Errno.ENOENT, errno(() -> v.getOneReg(id(hidden))), hidden);
        }
        assertEquals(Errno.ENOENT, errno(() -> v.getOneReg(0x6030_0000_0013_0000L | PmuRegTable.encode(3, 3, 14, 11, 7))),
                "would-be PMEVCNTR31");
        assertEquals(0, v.getOneReg(id("PMSWINC_EL0")));
        v.setOneReg(id("PMSWINC_EL0"), 0xFF); // ignored
        v.setOneReg(id("PMSELR_EL0"), 0x1234);
        assertEquals(0x1234, v.getOneReg(id("PMSELR_EL0")), "plain get/set, no masking");
        v.setOneReg(id("PMEVTYPER5_EL0"), 0xFFFF_FFFF_FFFF_FFFFL);
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, v.getOneReg(id("PMEVTYPER5_EL0")));
        // PMEVCNTR n >= N: allowed from userspace
        v.setAttr(PmuAttr.SET_NR_COUNTERS, 1);
        v.setOneReg(id("PMEVCNTR4_EL0"), 0x55);
        assertEquals(0x55, v.getOneReg(id("PMEVCNTR4_EL0")));
    }

    @Test
    void userspacePmcrKeepsLowBitsAndLp() {
        KvmVcpu v = fresh(KvmAbi.V8);
        v.setOneReg(id("PMCR_EL0"), 0xFFFF_FFFF_4100_00FFL & ~(0x1FL << 11) | 6L << 11);
        assertEquals(0xF9L | 6L << 11, v.getOneReg(id("PMCR_EL0")), "P, C not stored; IMP/IDCODE dropped");
    }

    @Test
    void pmuVerUserspaceRules() {
        KvmVcpu v = fresh(KvmAbi.V8);
        KvmVm vm = v.vm();
        assertEquals(PmuBits.PMUV3P5, vm.pmuVer(), "default PMUv3p5");
        assertEquals(6, vm.perfMon());
        assertEquals(Errno.EINVAL, errno(() -> vm.setPmuVerField(7)), "above the KVM limit");
        vm.setPmuVerField(PmuBits.PMUV3);
        assertEquals(3, vm.perfMon(), "PerfMon mirrors PMUv3 as 3");
        vm.setPmuVerField(0xF);
        assertEquals(0, vm.pmuVer(), "IMP_DEF is turned into 0");
        assertEquals(Errno.EINVAL, errno(() -> vm.setPerfMonField(2)));
        vm.setPerfMonField(4);
        assertEquals(PmuBits.PMUV3P1, vm.pmuVer());
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        v.run(0);
        assertEquals(Errno.EBUSY, errno(() -> vm.setPmuVerField(PmuBits.PMUV3P5)), "change after run");
        assertNull(errno(() -> vm.setPmuVerField(PmuBits.PMUV3P1)), "same value after run");
    }

    @Test
    void v8RefusesAVpmuWhenPmusDoNotCoverAllCpus() {
        Host gap = Host.fromJson("{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0-1\"},"
                + "{\"core\":\"cortex-a76\",\"cpus\":\"3\"}]}", "gap.json", "gap");
        KvmVm v8 = new KvmVm(gap, KvmVm.Options.defaults());
        assertEquals(Errno.EINVAL, errno(() -> v8.createVcpu().init(true, 0)));
        KvmVm v5 = new KvmVm(gap, KvmVm.Options.defaults().withAbi(KvmAbi.V5));
        KvmVcpu v = v5.createVcpu();
        v.init(true, 0);
        v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null);
        assertEquals("0-1,3", v5.supportedCpus().toString());
        v.setAttr(PmuAttr.IRQ, 23);
        v5.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        EntryResult r = v.run(2);
        assertFalse(r.entered(), "CPU 2 has no PMU");
        assertEquals(2, r.cpu());
        assertTrue(v.onVcpuLoad(3).entered());
        HostPmu none = gap.pmuOfCpu(2);
        assertNull(none);
        assertThrows(KvmException.class, () -> Vms.vm("rk3588", KvmAbi.V8).createVcpu().init(true, 9));
    }

    @Test
    void runBeforeVcpuInitAndVersionParsing() {
        KvmVcpu v = Vms.vm("rk3588", KvmAbi.V8).createVcpu();
        assertEquals(Errno.ENOEXEC, errno(() -> v.run(0)));
        assertEquals(6, PmuBits.parseVersion("3p5"));
        assertEquals(1, PmuBits.parseVersion("PMUv3"));
        assertEquals(4, PmuBits.parseVersion("3p1"));
        assertEquals(5, PmuBits.parseVersion("3p4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PmuBits.parseVersion("3p7")).getMessage()
                .contains("expected 3, 3p1, 3p4 or 3p5"));
    }
}
