package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL1;
import static dev.a64trap.pmu.Vms.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import org.junit.jupiter.api.Test;

/**
 * The STRICT vCPU PMU feature (Congkai Tan's series, v3, as summarised in issue 15): no implicit
 * default PMU, KVM_RUN without SET_PMU fails, the STALL_SLOT events stay visible in PMCEID1, and
 * fixed-counters-only is refused.
 */
class StrictPmuTest {
    private static KvmVcpu strict(KvmVm vm) {
        KvmVcpu v = vm.createVcpu();
        v.init(true, true, 0);
        v.setAttr(PmuAttr.IRQ, 23);
        return v;
    }

    @Test
    void noDefaultPmuSoRunNeedsSetPmu() {
        KvmVm vm = Vms.vm("rk3588", KvmAbi.V11);
        KvmVcpu v = strict(vm);
        assertNull(vm.pmu(), "no implicit default PMU");
        assertEquals(0, vm.nrCounters());
        assertEquals(Errno.EINVAL, errno(() -> v.setAttr(PmuAttr.SET_NR_COUNTERS, 1)), "no PMU to size yet");
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        assertEquals(Errno.EINVAL, errno(() -> v.run(0)), "KVM_RUN without SET_PMU");
        // the same VM shape with SET_PMU runs
        KvmVm ok = Vms.vm("rk3588", KvmAbi.V11);
        KvmVcpu w = strict(ok);
        w.setAttr(PmuAttr.SET_PMU, Host.FIRST_PERF_TYPE);
        w.setAttr(PmuAttr.SET_NR_COUNTERS, 2);
        ok.initVgic();
        w.setAttr(PmuAttr.INIT, null);
        assertTrue(w.run(0).entered());
        assertEquals(2, w.pmu().read(PmuReg.PMCR, 0, EL1) >>> 11 & 0x1F);
        // a non-STRICT vCPU cannot join a STRICT VM
        assertEquals(Errno.EINVAL, errno(() -> vm.createVcpu().init(true, false, 0)));
        assertEquals(Errno.EINVAL, errno(() -> Vms.vm("rk3588", KvmAbi.V11).createVcpu().init(false, true, 0)),
                "STRICT needs the PMU feature");
    }

    @Test
    void fixedCountersOnlyIsRefused() {
        KvmVcpu v = strict(Vms.vm("rk3588", KvmAbi.V11));
        assertEquals(Errno.EINVAL, errno(() -> v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null)));
    }

    @Test
    void stallSlotEventsStayVisible() {
        Host host = Host.preset("tri-cluster");
        HostPmu p = host.pmus().get(0);
        assertTrue(p.supportsEvent(0x3F), p.name() + " implements STALL_SLOT (host data)");
        long[] pmceid1 = new long[2];
        for (int k = 0; k < 2; k++) {
            KvmVm vm = new KvmVm(host, KvmVm.Options.defaults());
            KvmVcpu v = vm.createVcpu();
            v.init(true, k == 1, host.allCpus().toArray()[0]);
            v.setAttr(PmuAttr.SET_PMU, p.typeId());
            v.setAttr(PmuAttr.IRQ, 23);
            vm.initVgic();
            v.setAttr(PmuAttr.INIT, null);
            assertTrue(v.run(p.cpus().toArray()[0]).entered());
            pmceid1[k] = v.pmu().read(PmuReg.PMCEID1, 0, EL1);
        }
        assertEquals(0, pmceid1[0] >>> 29 & 7, "KVM hides STALL_SLOT* (PMMIR_EL1 reads 0)");
        assertEquals(7, pmceid1[1] >>> 29 & 7, "STRICT keeps them");
    }
}
