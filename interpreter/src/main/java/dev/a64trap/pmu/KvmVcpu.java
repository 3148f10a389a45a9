package dev.a64trap.pmu;

import dev.a64trap.host.HostPmu;
import java.util.BitSet;

/**
 * One vCPU's view of the KVM PMU userspace API (spec 4): KVM_ARM_VCPU_INIT with the PMU feature,
 * the KVM_ARM_VCPU_PMU_V3_CTRL attributes, KVM_GET/SET_ONE_REG of the PMU registers, and KVM_RUN
 * entry checks. Every failure is a {@link KvmException} carrying the errno KVM returns.
 */
public final class KvmVcpu {
    /** Bit of kvm_vcpu_init.features[0] requesting a vPMU. */
    public static final int KVM_ARM_VCPU_PMU_V3 = 3;

    private final KvmVm vm;
    private final int id;
    private final Vpmu pmu;
    private boolean initialised;
    private boolean pmuFeature;
    private boolean pmuCreated;
    private int irq;
    private int loadedCpu = -1;

    KvmVcpu(KvmVm vm, int id) {
        this.vm = vm;
        this.id = id;
        this.pmu = new Vpmu(vm, this);
    }

    public int id() {
        return id;
    }

    public KvmVm vm() {
        return vm;
    }

    /** The guest-visible vPMU of this vCPU (register access entry points). */
    public Vpmu pmu() {
        return pmu;
    }

    public boolean hasPmu() {
        return pmuFeature;
    }

    public boolean pmuCreated() {
        return pmuCreated;
    }

    /** The physical CPU this vCPU is loaded on, or -1. */
    public int loadedCpu() {
        return loadedCpu;
    }

    /**
     * KVM_ARM_VCPU_INIT. The first init of a PMU vCPU on a VM with no PMU picks the default PMU: the
     * first registered host PMU covering {@code vmmCpu}, the CPU the VMM thread runs on. Re-init
     * resets the vCPU's registers; VM-wide N survives.
     */
    public void init(boolean pmuFeatureRequested, int vmmCpu) {
        init(pmuFeatureRequested, false, vmmCpu);
    }

    /**
     * KVM_ARM_VCPU_INIT with the STRICT PMU feature as well (Congkai Tan's series, v3, as summarised in
     * issue 15; the feature's bit number is not modelled): no implicit default PMU is chosen, so the VM
     * has none until SET_PMU (SET_NR_COUNTERS before it fails EINVAL, KVM_RUN without it fails EINVAL),
     * fixed-counters-only is refused (EINVAL, as the maintainers asked), and PMCEID1 keeps the host's
     * STALL_SLOT bits.
     */
    public void init(boolean pmuFeatureRequested, boolean strict, int vmmCpu) {
        if (strict && !pmuFeatureRequested) {
            throw new KvmException(Errno.EINVAL, "STRICT needs the PMU feature");
        }
        if (vm.strict != null && vm.strict != strict) {
            throw new KvmException(Errno.EINVAL, "STRICT differs from the VM's other vCPUs");
        }
        if (vm.pmuFeature != null && vm.pmuFeature != pmuFeatureRequested) {
            throw new KvmException(Errno.EINVAL, "feature set differs from the VM's other vCPUs");
        }
        if (initialised && pmuFeature != pmuFeatureRequested) {
            throw new KvmException(Errno.EINVAL, "feature set differs from this vCPU's first init");
        }
        if (pmuFeatureRequested) {
            if (!vm.capPmuV3()) {
                throw new KvmException(Errno.EINVAL, "the host has no usable PMU");
            }
            if (vm.abi().refusesUncoveredCpus() && !vm.host.cpusWithPmu().containsAll(vm.onlineCpus())) {
                throw new KvmException(Errno.EINVAL,
                        "host PMUs do not cover all CPUs online at vCPU init (refused since v8)");
            }
            if (vm.pmu == null && !strict) {
                HostPmu def = vm.host.pmuOfCpu(vmmCpu);
                if (def == null) {
                    throw new KvmException(Errno.ENODEV, "no host PMU covers the VMM's CPU " + vmmCpu);
                }
                vm.pmu = def;
                vm.nrCounters = def.counters();
            }
        }
        vm.strict = strict;
        vm.pmuFeature = pmuFeatureRequested;
        pmuFeature = pmuFeatureRequested;
        initialised = true;
        pmu.reset();
    }

    // ---------------------------------------------------------------- device attributes

    /** KVM_SET_DEVICE_ATTR, group KVM_ARM_VCPU_PMU_V3_CTRL. See {@link PmuAttr} for argument types. */
    public void setAttr(long attr, Object arg) {
        if (!pmuFeature) {
            throw new KvmException(Errno.ENODEV, "vCPU has no PMU feature");
        }
        if (pmuCreated) {
            throw new KvmException(Errno.EBUSY, "PMU of vCPU " + id + " already initialised");
        }
        if (attr == PmuAttr.IRQ) {
            setIrq(arg);
        } else if (attr == PmuAttr.INIT) {
            initPmu();
        } else if (attr == PmuAttr.FILTER) {
            setFilter(arg);
        } else if (attr == PmuAttr.SET_PMU) {
            setPmu(arg);
        } else if (attr == PmuAttr.SET_NR_COUNTERS) {
            setNrCounters(arg);
        } else if (vm.abi().hasFixedCountersOnly() && attr == vm.abi().fixedCountersOnlyAttr()) {
            setFixedCountersOnly();
        } else if (vm.abi().partitionAttr() >= 0 && attr == vm.abi().partitionAttr()) {
            setPartition();
        } else if (attr == PmuAttr.A64TRAP_ICNTR) {
            setIcntr();
        } else {
            throw new KvmException(Errno.ENXIO, "unknown PMU attribute " + attr);
        }
    }

    private static boolean isPpi(int i) {
        return i >= 16 && i < 32;
    }

    private static boolean isSpi(int i) {
        return i >= 32 && i < 1020;
    }

    private void setIrq(Object arg) {
        if (vm.options.irqchip() == KvmVm.Irqchip.NONE) {
            throw new KvmException(Errno.EINVAL, "no in-kernel irqchip");
        }
        if (!(arg instanceof Integer)) {
            throw new KvmException(Errno.EFAULT, "bad address");
        }
        int intid = (Integer) arg;
        if (!isPpi(intid) && !isSpi(intid)) {
            throw new KvmException(Errno.EINVAL, "INTID " + intid + " is neither a PPI nor an SPI");
        }
        for (KvmVcpu v : vm.vcpus()) {
            if (v.irq == 0) {
                continue;
            }
            if (isPpi(intid) ? v.irq != intid : v.irq == intid) {
                throw new KvmException(Errno.EINVAL, "INTID " + intid + " inconsistent with vCPU " + v.id
                        + "'s " + v.irq);
            }
        }
        if (vm.options.irqchip() == KvmVm.Irqchip.GICV5 && intid != 23) {
            throw new KvmException(Errno.EINVAL, "GICv5 vPMU must use INTID 23");
        }
        if (irq != 0) {
            throw new KvmException(Errno.EBUSY, "IRQ already set");
        }
        irq = intid;
    }

    private void initPmu() {
        if (vm.options.irqchip() != KvmVm.Irqchip.NONE) {
            if (!vm.vgicInitialised()) {
                throw new KvmException(Errno.ENODEV, "vGIC not initialised");
            }
            if (irq == 0) {
                if (vm.options.irqchip() != KvmVm.Irqchip.GICV5) {
                    throw new KvmException(Errno.ENXIO, "PMU IRQ not set");
                }
                irq = 23;
            }
            if (vm.intidOwnedByOther(irq)) {
                throw new KvmException(Errno.EEXIST, "INTID " + irq + " owned by another device");
            }
        }
        pmuCreated = true;
    }

    private void setFilter(Object arg) {
        if (!(arg instanceof EventFilter)) {
            throw new KvmException(Errno.EFAULT, "bad address");
        }
        EventFilter f = (EventFilter) arg;
        int space = vm.filterEventSpace();
        if (f.baseEvent() + f.nevents() > space
                || (f.action() != EventFilter.ALLOW && f.action() != EventFilter.DENY)) {
            throw new KvmException(Errno.EINVAL, "bad filter range or action");
        }
        if (vm.hasRun) {
            throw new KvmException(Errno.EBUSY, "VM has run");
        }
        if (vm.abi().fixedExclusiveWithSetPmuAndFilter() && vm.fixedCountersOnly) {
            throw new KvmException(Errno.EBUSY, "fixed-counters-only is set (v8+)");
        }
        if (vm.filter == null) {
            vm.filter = new BitSet(space);
            if (f.action() == EventFilter.DENY) {
                vm.filter.set(0, space);
            }
        }
        if (f.action() == EventFilter.ALLOW) {
            vm.filter.set(f.baseEvent(), f.baseEvent() + f.nevents());
        } else {
            vm.filter.clear(f.baseEvent(), f.baseEvent() + f.nevents());
        }
        reloadAll();
    }

    private void setPmu(Object arg) {
        if (!(arg instanceof Integer)) {
            throw new KvmException(Errno.EFAULT, "bad address");
        }
        HostPmu p = vm.host.pmuByType((Integer) arg);
        if (p == null) {
            throw new KvmException(Errno.ENXIO, "no host PMU with type " + arg);
        }
        if (vm.hasRun) {
            throw new KvmException(Errno.EBUSY, "VM has run");
        }
        if (vm.filter != null && p != vm.pmu) {
            throw new KvmException(Errno.EBUSY, "a filter exists and the PMU differs");
        }
        if (vm.abi().fixedExclusiveWithSetPmuAndFilter() && vm.fixedCountersOnly) {
            throw new KvmException(Errno.EBUSY, "fixed-counters-only is set (v8+)");
        }
        if (vm.partitioned) {
            throw new KvmException(Errno.EBUSY, "the PMU is partitioned (it spans every host PMU)");
        }
        vm.pmu = p;
        vm.explicitSetPmu = true;
        vm.supportedCpus = p.cpus();
        if (vm.abi().setPmuClearsFixed()) {
            vm.fixedCountersOnly = false;
            vm.icntr = false;
        }
        vm.setNrCounters(p.counters());
        reloadAll();
    }

    private void setNrCounters(Object arg) {
        if (!(arg instanceof Integer)) {
            throw new KvmException(Errno.EFAULT, "bad address");
        }
        long n = Integer.toUnsignedLong((Integer) arg);
        if (vm.pmu == null) {
            throw new KvmException(Errno.EINVAL, "VM has no PMU");
        }
        if (vm.abi().nrCountersFrozenAfterRun() && vm.hasRun) {
            throw new KvmException(Errno.EBUSY, "VM has run (SET_NR_COUNTERS frozen since v9)");
        }
        if (n > vm.maxCounters()) {
            throw new KvmException(Errno.EINVAL, n + " counters exceed the maximum " + vm.maxCounters());
        }
        vm.setNrCounters((int) n);
    }

    /**
     * a64trap's experimental FEAT_PMUv3_ICNTR (docs/vpmu-upstream.md): after fixed-counters-only,
     * the guest also gets PMICNTR_EL0, which like the cycle counter follows the vCPU from core to
     * core and counts retired instructions exactly. Only on top of fixed-counters-only (EINVAL
     * otherwise) and before the first run (EBUSY).
     */
    private void setIcntr() {
        if (!vm.fixedCountersOnly) {
            throw new KvmException(Errno.EINVAL, "FEAT_PMUv3_ICNTR needs fixed-counters-only first");
        }
        if (vm.hasRun) {
            throw new KvmException(Errno.EBUSY, "VM has run");
        }
        vm.icntr = true;
        reloadAll();
    }

    private void setFixedCountersOnly() {
        if (vm.isStrict()) {
            throw new KvmException(Errno.EINVAL, "a STRICT vCPU cannot have a fixed-counters-only PMU");
        }
        if (vm.hasRun) {
            throw new KvmException(Errno.EBUSY, "VM has run");
        }
        if (vm.abi().fixedExclusiveWithSetPmuAndFilter()) {
            if (vm.filter != null) {
                throw new KvmException(Errno.EBUSY, "a filter exists (v8+)");
            }
            if (vm.explicitSetPmu) {
                throw new KvmException(Errno.EBUSY, "SET_PMU was used (v8+)");
            }
        } else if (vm.filter != null && !vm.fixedCountersOnly) {
            throw new KvmException(Errno.EBUSY, "a filter exists");
        }
        vm.fixedCountersOnly = true;
        if (vm.abi().fixedOnUnionOfCpus()) {
            vm.supportedCpus = vm.host.cpusWithPmu();
        }
        vm.setNrCounters(0);
        reloadAll();
    }

    /**
     * ENABLE_PARTITION ("ARM64 PMU Partitioning", Colton Lewis, v9 2026-09-24, as summarised; v7
     * 2026-05-04 read): the guest owns counters [0, N) of the host PMU of whatever CPU it runs on,
     * with direct access (PMUSERENR enforced by hardware, PMCEID the core's own), its counters swapped
     * in and out lazily at vCPU load/put, the event filter applied at vcpu_load ("KVM: arm64: Enforce
     * PMU event filter at vcpu_load()"). N (HPMN) then comes from SET_NR_COUNTERS, 0 included
     * (FEAT_HPMN0). a64trap's choices where the summary is silent: EBUSY after the VM ran and after an
     * explicit SET_PMU (and SET_PMU after it), the vCPU may run on every CPU with a PMU, N at most the
     * fewest counters of any host PMU.
     */
    private void setPartition() {
        if (vm.hasRun) {
            throw new KvmException(Errno.EBUSY, "VM has run");
        }
        if (vm.explicitSetPmu) {
            throw new KvmException(Errno.EBUSY, "SET_PMU was used");
        }
        vm.partitioned = true;
        vm.supportedCpus = vm.host.cpusWithPmu();
        vm.setNrCounters(vm.maxCounters());
        reloadAll();
    }

    private void reloadAll() {
        for (KvmVcpu v : vm.vcpus()) {
            v.pmu.requestReload();
        }
    }

    /** KVM_GET_DEVICE_ATTR: IRQ returns the INTID; the fixed-counters-only attribute returns 0 when set. */
    public int getAttr(long attr) {
        if (attr == PmuAttr.IRQ) {
            if (vm.options.irqchip() == KvmVm.Irqchip.NONE) {
                throw new KvmException(Errno.EINVAL, "no in-kernel irqchip");
            }
            if (!pmuFeature) {
                throw new KvmException(Errno.ENODEV, "vCPU has no PMU feature");
            }
            if (irq == 0) {
                throw new KvmException(Errno.ENXIO, "PMU IRQ not set");
            }
            return irq;
        }
        if (vm.abi().hasFixedCountersOnly() && attr == vm.abi().fixedCountersOnlyAttr() && pmuFeature
                && vm.fixedCountersOnly) {
            return 0;
        }
        if (vm.abi().partitionAttr() >= 0 && attr == vm.abi().partitionAttr() && pmuFeature && vm.partitioned) {
            return 0;
        }
        throw new KvmException(Errno.ENXIO, "attribute " + attr + " cannot be read");
    }

    /** KVM_HAS_DEVICE_ATTR: returns normally when supported, else ENXIO. */
    public void hasAttr(long attr) {
        long last = vm.abi().lastAttr();
        if (attr < 0 || attr > last || !pmuFeature) {
            throw new KvmException(Errno.ENXIO, "attribute " + attr + " not supported");
        }
    }

    // ---------------------------------------------------------------- ONE_REG

    /** KVM_GET_ONE_REG of a PMU sysreg id (0x6030_0000_0013_xxxx). */
    public long getOneReg(long regId) {
        PmuRegTable.Entry e = oneRegEntry(regId);
        return pmu.userGet(e.reg(), e.index());
    }

    /** KVM_SET_ONE_REG of a PMU sysreg id. */
    public void setOneReg(long regId, long value) {
        PmuRegTable.Entry e = oneRegEntry(regId);
        pmu.userSet(e.reg(), e.index(), value);
    }

    private PmuRegTable.Entry oneRegEntry(long regId) {
        PmuRegTable.Entry e = (regId & ~0xFFFFL) == 0x6030_0000_0013_0000L ? PmuRegTable.lookup((int) (regId & 0xFFFF))
                : null;
        if (e == null) {
            throw new KvmException(Errno.ENOENT, "not a PMU register id 0x" + Long.toHexString(regId));
        }
        switch (e.reg()) {
            case PMCEID0:
            case PMCEID1:
            case PMXEVTYPER:
            case PMXEVCNTR:
                throw new KvmException(Errno.ENOENT, e.name() + " is not exposed to userspace");
            case PMMIR:
                return e;
            default:
                if (!pmuFeature) {
                    throw new KvmException(Errno.ENOENT, e.name() + " hidden: vCPU has no PMU");
                }
                return e;
        }
    }

    // ---------------------------------------------------------------- running

    /**
     * KVM_RUN entry on physical CPU {@code pcpu}: the first-run checks (PMU INIT done, IRQ valid), then
     * a vCPU load. Returns FAIL_ENTRY when the VM may not run on that CPU (the guest executes nothing).
     */
    public EntryResult run(int pcpu) {
        if (!initialised) {
            throw new KvmException(Errno.ENOEXEC, "KVM_RUN before KVM_ARM_VCPU_INIT");
        }
        if (pmuFeature) {
            if (!pmuCreated) {
                throw new KvmException(Errno.EINVAL, "KVM_ARM_VCPU_PMU_V3_INIT missing");
            }
            if (vm.isStrict() && !vm.explicitSetPmu) {
                throw new KvmException(Errno.EINVAL, "STRICT vCPU without SET_PMU (no implicit default PMU)");
            }
            if (vm.options.irqchip() != KvmVm.Irqchip.NONE ? !isPpi(irq) && !isSpi(irq) : irq != 0) {
                throw new KvmException(Errno.EINVAL, "PMU IRQ invalid for this irqchip");
            }
        }
        vm.hasRun = true;
        return onVcpuLoad(pcpu);
    }

    /**
     * vCPU load on {@code pcpu} (first entry or a migration). Folds the counts of the previous
     * placement, re-backs the counters on the new CPU as the KVM mode in force says, and reports
     * FAIL_ENTRY / CPU_UNSUPPORTED when the VM's supported-CPU set excludes the CPU.
     */
    public EntryResult onVcpuLoad(int pcpu) {
        loadedCpu = pcpu;
        if (pmuFeature) {
            pmu.load(pcpu);
        }
        return vm.supportedCpus.contains(pcpu) ? EntryResult.ok(pcpu) : EntryResult.failEntry(pcpu);
    }

    /** kvm_run->s.regs.device_irq_level bit of the PMU (KVM_ARM_DEV_PMU). */
    public static final long KVM_ARM_DEV_PMU = 1L << 2;

    /**
     * Without an in-kernel irqchip KVM mirrors the PMU interrupt level into
     * kvm_run->s.regs.device_irq_level (and KVM_RUN exits with KVM_EXIT_INTR when it changes): this is
     * that bit. With a vGIC the level drives {@link #irq()} instead and this reads 0.
     */
    public long deviceIrqLevel() {
        return pmuFeature && vm.options.irqchip() == KvmVm.Irqchip.NONE && pmu.irqLevel() ? KVM_ARM_DEV_PMU : 0;
    }

    /** The INTID of the PMU overflow interrupt (0 = unset). */
    public int irq() {
        return irq;
    }
}
