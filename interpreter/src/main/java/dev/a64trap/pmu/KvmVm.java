package dev.a64trap.pmu;

import dev.a64trap.host.CpuSet;
import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * VM-wide KVM PMU state (spec 1.2, 4, 5): the chosen host PMU, N, the event filter, the
 * fixed-counters-only flag, the supported-CPU set, "has run", and the PMU fields of the per-VM ID
 * registers.
 *
 * <p>Host PMU version: {@link Options#hostPmuVer} is the host's sanitised PMUVer as KVM sees it.
 * {@code a64trap run} passes {@link dev.a64trap.host.Host#sanitisedPmuVer()} (the lowest of the host's
 * PMUs) unless {@code --host-pmu-version} says otherwise; {@link Options#defaults()} keeps PMUv3p5 for
 * callers that build a VM without a host in mind. KVM's limit is min(host, PMUv3p5).
 */
public final class KvmVm {
    /** Interrupt controller of the VM. */
    public enum Irqchip { NONE, GICV3, GICV5 }

    /** VM creation options. */
    public record Options(KvmAbi abi, Irqchip irqchip, int hostPmuVer) {
        public static Options defaults() {
            return new Options(KvmAbi.DEFAULT, Irqchip.GICV3, PmuBits.PMUV3P5);
        }

        public Options withAbi(KvmAbi a) {
            return new Options(a, irqchip, hostPmuVer);
        }

        public Options withIrqchip(Irqchip i) {
            return new Options(abi, i, hostPmuVer);
        }

        public Options withHostPmuVer(int v) {
            return new Options(abi, irqchip, v);
        }
    }

    final Host host;
    final Options options;
    private final List<KvmVcpu> vcpus = new ArrayList<>();
    private final Set<Integer> otherDeviceIntids = new HashSet<>();
    private boolean vgicInitialised;

    HostPmu pmu;
    boolean explicitSetPmu;
    int nrCounters;
    BitSet filter;
    boolean fixedCountersOnly;
    boolean partitioned;
    /** Experimental: fixed-counters-only with FEAT_PMUv3_ICNTR's PMICNTR_EL0 ({@link PmuAttr#A64TRAP_ICNTR}). */
    boolean icntr;
    Boolean strict;
    /** Host CPUs offline when the VMM creates the vCPUs (hotplug): KVM's coverage checks skip them. */
    CpuSet offlineCpus = CpuSet.EMPTY;
    CpuSet supportedCpus;
    boolean hasRun;
    Boolean pmuFeature;
    int pmuVer;

    public KvmVm(Host host, Options options) {
        this.host = host;
        this.options = options;
        this.supportedCpus = host.allCpus();
        this.pmuVer = pmuVerLimit();
    }

    public Host host() {
        return host;
    }

    public Options options() {
        return options;
    }

    public KvmAbi abi() {
        return options.abi();
    }

    /** KVM_CAP_ARM_PMU_V3: at least one host PMU is registered. */
    public boolean capPmuV3() {
        return !host.pmus().isEmpty();
    }

    /** KVM_CREATE_VCPU. */
    public KvmVcpu createVcpu() {
        KvmVcpu v = new KvmVcpu(this, vcpus.size());
        vcpus.add(v);
        return v;
    }

    public List<KvmVcpu> vcpus() {
        return Collections.unmodifiableList(vcpus);
    }

    /** KVM_DEV_ARM_VGIC_CTRL_INIT on the in-kernel vGIC. */
    public void initVgic() {
        if (options.irqchip() == Irqchip.NONE) {
            throw new KvmException(Errno.ENODEV, "no in-kernel irqchip");
        }
        vgicInitialised = true;
    }

    boolean vgicInitialised() {
        return vgicInitialised;
    }

    /** Marks an INTID as owned by another in-kernel device (e.g. a timer PPI); PMU INIT on it fails EEXIST. */
    public void reserveIntid(int intid) {
        otherDeviceIntids.add(intid);
    }

    boolean intidOwnedByOther(int intid) {
        return otherDeviceIntids.contains(intid);
    }

    /** The VM's host PMU (the default one chosen at vCPU init, or SET_PMU's), or null. */
    public HostPmu pmu() {
        return pmu;
    }

    /** VM-wide N (PMCR_EL0.N as the guest sees it). */
    public int nrCounters() {
        return nrCounters;
    }

    public boolean fixedCountersOnly() {
        return fixedCountersOnly;
    }

    /** CPUs on which vCPUs of this VM may enter (others give KVM_EXIT_FAIL_ENTRY). */
    public CpuSet supportedCpus() {
        return supportedCpus;
    }

    public boolean hasRun() {
        return hasRun;
    }

    public boolean hasFilter() {
        return filter != null;
    }

    /**
     * The host CPUs offline now (before KVM_ARM_VCPU_INIT): KVM's "the PMUs cover every CPU" test
     * (v8+) looks at the online CPUs only, as the kernel's cpumask of possible-and-online CPUs does; a
     * CPU without a PMU that comes online later is not re-checked (the vCPU may then run there).
     */
    public void setOfflineCpus(CpuSet offline) {
        offlineCpus = offline;
    }

    /** Host CPUs online for KVM's checks. */
    public CpuSet onlineCpus() {
        return new CpuSet(host.allCpus().bits() & ~offlineCpus.bits());
    }

    /** Whether the vCPUs were initialised with the STRICT PMU feature. */
    public boolean isStrict() {
        return Boolean.TRUE.equals(strict);
    }

    /** Whether ENABLE_PARTITION is set (the guest owns counters [0, N) of whichever PMU it runs on). */
    /** Whether the guest has FEAT_PMUv3_ICNTR (experimental, fixed-counters-only+icntr): ID_AA64DFR1_EL1.PMICNTR = 1. */
    public boolean icntr() {
        return icntr;
    }

    public boolean partitioned() {
        return partitioned;
    }

    /**
     * Max N the VM's PMU allows: 0 in fixed-counters-only mode; partitioned, the fewest counters of any
     * host PMU, as the vCPU may run on every one (the counters the host reserves for guests, here all).
     */
    int maxCounters() {
        if (fixedCountersOnly || pmu == null) {
            return 0;
        }
        if (partitioned) {
            int min = Integer.MAX_VALUE;
            for (HostPmu p : host.pmus()) {
                min = Math.min(min, p.counters());
            }
            return min;
        }
        return pmu.counters();
    }

    void setNrCounters(int n) {
        nrCounters = n;
        for (KvmVcpu v : vcpus) {
            v.pmu().requestReload();
        }
    }

    /** KVM's PMUVer limit: min(host, PMUv3p5); IMP_DEF hosts give 0. */
    public int pmuVerLimit() {
        int h = options.hostPmuVer();
        if (h == PmuBits.PMUVER_IMP_DEF) {
            return 0;
        }
        return Math.min(h, PmuBits.PMUV3P5);
    }

    /** Event-space size for FILTER, by the host limit: 1024 for PMUv3, 65536 for PMUv3p1+. */
    int filterEventSpace() {
        return pmuVerLimit() >= PmuBits.PMUV3P1 ? 65536 : 1024;
    }

    /** Event-number mask of the guest-visible PMUVer (evtCount width 10 or 16 bits). */
    long eventMask() {
        return pmuVer() >= PmuBits.PMUV3P1 ? 0xFFFF : 0x3FF;
    }

    long evtyperMask() {
        return PmuBits.EVTYPER_P | PmuBits.EVTYPER_U | eventMask();
    }

    boolean filterAllows(int event) {
        return filter == null || event < filter.size() && filter.get(event);
    }

    // ---------------------------------------------------------------- ID registers

    /** ID_AA64DFR0_EL1.PMUVer as the guest sees it (0 without the PMU feature). */
    public int pmuVer() {
        return Boolean.FALSE.equals(pmuFeature) ? 0 : pmuVer;
    }

    /** ID_DFR0_EL1.PerfMon: the AArch32 mirror (PMUv3 -> 3). */
    public int perfMon() {
        int v = pmuVer();
        return v == PmuBits.PMUV3 ? 3 : v;
    }

    /** Userspace write of ID_AA64DFR0_EL1.PMUVer (spec 1.7). */
    public void setPmuVerField(int value) {
        int v = value == PmuBits.PMUVER_IMP_DEF ? 0 : value;
        if (hasRun) {
            if (v != pmuVer) {
                throw new KvmException(Errno.EBUSY, "PMUVer change after the VM ran");
            }
            return;
        }
        if (v < 0 || v > pmuVerLimit()) {
            throw new KvmException(Errno.EINVAL, "PMUVer " + value + " above the limit " + pmuVerLimit());
        }
        pmuVer = v;
    }

    /** Userspace write of ID_DFR0_EL1.PerfMon: 0 or >= 3 (PMUv3), at most the limit. */
    public void setPerfMonField(int value) {
        if (value != 0 && value < 3) {
            throw new KvmException(Errno.EINVAL, "PerfMon " + value + " is not PMUv3");
        }
        int limit = pmuVerLimit() == PmuBits.PMUV3 ? 3 : pmuVerLimit();
        if (value > limit) {
            throw new KvmException(Errno.EINVAL, "PerfMon " + value + " above the limit " + limit);
        }
        setPmuVerField(value == 3 ? PmuBits.PMUV3 : value);
    }

    // ---------------------------------------------------------------- PMCEID

    /** PMCEID0/1 of spec 5.3 ({@code which} = 0 or 1). */
    long pmceid(int which) {
        if (fixedCountersOnly || pmu == null) {
            return 0;
        }
        long v;
        if (which == 0) {
            v = pmu.core().pmceid0() | 1L << Events.SW_INCR | 1L << Events.CHAIN;
        } else {
            // STALL_SLOT* (0x3D-0x3F) hidden because PMMIR_EL1 reads 0, except for a STRICT vCPU
            v = isStrict() ? pmu.core().pmceid1() : pmu.core().pmceid1() & ~(7L << 29);
        }
        if (pmuVer() < PmuBits.PMUV3P1) {
            v &= 0xFFFF_FFFFL;
        }
        if (filter != null) {
            int base = which * 32;
            long m = 0;
            for (int i = 0; i < 32; i++) {
                if (filterAllows(base + i)) {
                    m |= 1L << i;
                }
                if (eventMask() + 1 >= 0x4000 + base + 32 && filterAllows(0x4000 + base + i)) {
                    m |= 1L << (32 + i);
                }
            }
            v &= m;
        }
        return v;
    }
}
