package dev.a64trap.pmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.Host;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --pmu} policies and the auto priority of QEMU's "Choose PMU backend" RFC. */
class VmmPolicyTest {
    private static List<Long> attrs(VmmPolicy.Plan p) {
        return p.steps().stream().map(VmmPolicy.Step::attr).toList();
    }

    @Test
    void autoPicksAPmuCoveringAllCpusFirst() {
        VmmPolicy.Plan p = VmmPolicy.plan("auto", Host.preset("uniform-a76"), KvmAbi.V8, true);
        assertEquals("pmu:armv8_cortex_a76", p.mode());
        assertEquals(List.of(PmuAttr.SET_PMU, PmuAttr.IRQ, PmuAttr.INIT), attrs(p));
        assertEquals(Host.FIRST_PERF_TYPE, p.steps().get(0).arg());
    }

    @Test
    void autoFallsBackToFixedCountersOnlyOnBigLittle() {
        VmmPolicy.Plan p = VmmPolicy.plan("auto", Host.preset("rk3588"), KvmAbi.V8, true);
        assertEquals("fixed-counters-only", p.mode());
        assertEquals(List.of(PmuAttr.FIXED_COUNTERS_ONLY, PmuAttr.IRQ, PmuAttr.INIT), attrs(p));
        assertTrue(p.describe().contains("KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY"));
        assertTrue(VmmPolicy.plan("auto", Host.preset("rk3588"), KvmAbi.V2, true).describe()
                .contains("KVM_ARM_VCPU_PMU_V3_COMPOSITION"));
    }

    @Test
    void autoGivesNoPmuWhenNothingWorks() {
        VmmPolicy.Plan mainline = VmmPolicy.plan("auto", Host.preset("tri-cluster"), KvmAbi.MAINLINE, true);
        assertEquals("none", mainline.mode());
        assertFalse(mainline.pmuFeature());
        Host gap = Host.fromJson("{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0\"},"
                + "{\"core\":\"cortex-a76\",\"cpus\":\"2\"}]}", "gap.json", "gap");
        assertEquals("none", VmmPolicy.plan("auto", gap, KvmAbi.V5, true).mode());
    }

    @Test
    void explicitChoices() {
        Host rk = Host.preset("rk3588");
        assertFalse(VmmPolicy.plan("none", rk, KvmAbi.V8, true).pmuFeature());
        assertEquals(List.of(PmuAttr.IRQ, PmuAttr.INIT), attrs(VmmPolicy.plan("default", rk, KvmAbi.V8, true)));
        assertEquals(List.of(PmuAttr.INIT), attrs(VmmPolicy.plan("default", rk, KvmAbi.V8, false)));
        VmmPolicy.Plan a76 = VmmPolicy.plan("pmu:cortex-a76", rk, KvmAbi.MAINLINE, true);
        assertEquals("pmu:armv8_cortex_a76", a76.mode());
        assertEquals(Host.FIRST_PERF_TYPE + 1, a76.steps().get(0).arg());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VmmPolicy.plan("pmu:armv9_cortex_x4", rk, KvmAbi.V8, true));
        assertTrue(e.getMessage().contains("armv8_cortex_a55, armv8_cortex_a76"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> VmmPolicy.plan("fixed-counters-only", rk, KvmAbi.MAINLINE, true)).getMessage().contains("mainline"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> VmmPolicy.plan("sometimes", rk, KvmAbi.V8, true)).getMessage().contains("expected none"));
    }

    @Test
    void planAppliesToAVcpu() {
        Host rk = Host.preset("rk3588");
        KvmVm vm = new KvmVm(rk, KvmVm.Options.defaults());
        vm.initVgic();
        KvmVcpu v = vm.createVcpu();
        VmmPolicy.plan("auto", rk, KvmAbi.V8, true).apply(v, 0);
        assertTrue(v.pmuCreated());
        assertTrue(vm.fixedCountersOnly());
        assertEquals(0, vm.nrCounters());
        assertEquals(23, v.getAttr(PmuAttr.IRQ));
    }

    /** QEMU RFC v4: machine types up to 10.2 keep the legacy default under auto; newer ones choose. */
    @Test
    void autoKeepsTheLegacyDefaultOnMachineTypesUpTo10_2() {
        Host rk = Host.preset("rk3588");
        VmmPolicy.Plan old = VmmPolicy.plan("auto", rk, KvmAbi.V11, true, QemuMachine.parse("10.2"));
        assertEquals("default", old.mode());
        assertTrue(old.reason().contains("virt-10.2 keeps the legacy default PMU"), old.reason());
        assertEquals("fixed-counters-only", VmmPolicy.plan("auto", rk, KvmAbi.V11, true, QemuMachine.parse("virt-11.0")).mode());
        assertEquals("fixed-counters-only", VmmPolicy.plan("auto", rk, KvmAbi.V11, true, QemuMachine.LATEST).mode());
        // an explicit choice wins whatever the machine type
        assertEquals("fixed-counters-only",
                VmmPolicy.plan("fixed-counters-only", rk, KvmAbi.V11, true, QemuMachine.parse("9.0")).mode());
        assertTrue(QemuMachine.parse("10.1").keepsLegacyPmu());
        assertFalse(QemuMachine.parse("10.3").keepsLegacyPmu());
        assertNull(QemuMachine.parse("ten"));
    }
}
