package dev.a64trap.pmu;

import dev.a64trap.host.Host;

/** Builders for test VMs, the way the selftest and a VMM set them up. */
final class Vms {
    private Vms() {}

    static final int EL0 = 0;
    static final int EL1 = 1;

    static KvmVm vm(String preset, KvmAbi abi) {
        return new KvmVm(Host.preset(preset), KvmVm.Options.defaults().withAbi(abi));
    }

    /** Selftest-style vCPU: PMU feature, IRQ 23, vGIC initialised, PMU INIT; VMM thread on vmmCpu. */
    static KvmVcpu initialised(KvmVm vm, int vmmCpu) {
        KvmVcpu v = vm.createVcpu();
        v.init(true, vmmCpu);
        v.setAttr(PmuAttr.IRQ, 23);
        initVgicOnce(vm);
        v.setAttr(PmuAttr.INIT, null);
        return v;
    }

    static void initVgicOnce(KvmVm vm) {
        vm.initVgic();
    }

    static long id(String name) {
        return PmuRegTable.oneRegId(PmuRegTable.byName(name).encoding());
    }

    static Errno errno(Runnable r) {
        try {
            r.run();
        } catch (KvmException e) {
            return e.errno();
        }
        return null;
    }

    static boolean undef(Runnable r) {
        try {
            r.run();
            return false;
        } catch (PmuUndefined e) {
            return true;
        }
    }
}
