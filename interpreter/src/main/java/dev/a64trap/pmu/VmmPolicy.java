package dev.a64trap.pmu;

import dev.a64trap.host.CpuSet;
import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import java.util.ArrayList;
import java.util.List;

/**
 * What a VMM does for {@code --pmu none|default|pmu:NAME|fixed-counters-only|auto}: the vCPU
 * feature and the ordered KVM PMU attribute calls, as data that can be printed and applied.
 *
 * <p>{@code auto} follows the order of QEMU's "[PATCH RFC v4] target/arm/kvm: Choose PMU backend"
 * (Akihiko Odaki, qemu-devel, 2026; the order as issue 15 states it, the patch text itself was not
 * available here): (1) an explicit choice wins (QEMU's {@code pmu=on|off}; here the other values);
 * (2) machine types up to 10.2 keep the legacy default PMU (a compat property; {@link QemuMachine});
 * (3) a host PMU that covers every CPU, ties broken by sysfs order (the host's probe order), gets
 * SET_PMU; (4) fixed-counters-only when the PMUs together cover every CPU and the KVM rule set has
 * the attribute; (5) otherwise the PMU is off. The reason is kept in the plan for the CLI to print.
 */
public final class VmmPolicy {
    private VmmPolicy() {}

    /** One attribute call: attr, its argument ({@link PmuAttr} types), and a line for reports. */
    public record Step(long attr, Object arg, String text) {}

    /**
     * @param pmuFeature whether KVM_ARM_VCPU_INIT requests KVM_ARM_VCPU_PMU_V3
     * @param steps      attribute calls, in order, after KVM_ARM_VCPU_INIT
     * @param mode       resolved mode: none, default, pmu:NAME or fixed-counters-only
     * @param reason     why this mode was chosen (for auto)
     */
    public record Plan(boolean pmuFeature, List<Step> steps, String mode, String reason, boolean strict) {
        public Plan(boolean pmuFeature, List<Step> steps, String mode, String reason) {
            this(pmuFeature, steps, mode, reason, false);
        }

        /** This plan with the STRICT vCPU feature requested at KVM_ARM_VCPU_INIT. */
        public Plan withStrict() {
            return new Plan(pmuFeature, steps, mode, reason, true);
        }

        /** Performs the plan on a fresh vCPU: init with the feature, then each step. */
        public void apply(KvmVcpu vcpu, int vmmCpu) {
            vcpu.init(pmuFeature, strict, vmmCpu);
            for (Step s : steps) {
                vcpu.setAttr(s.attr(), s.arg());
            }
        }

        /**
         * This plan with more attribute calls (SET_NR_COUNTERS, FILTER, ...) placed just before
         * KVM_ARM_VCPU_PMU_V3_INIT, where KVM accepts them.
         */
        public Plan withAttributes(List<Step> extra) {
            if (extra.isEmpty()) {
                return this;
            }
            List<Step> all = new ArrayList<>(steps);
            int init = all.size();
            while (init > 0 && all.get(init - 1).attr() != PmuAttr.INIT) {
                init--;
            }
            all.addAll(init > 0 ? init - 1 : all.size(), extra);
            return new Plan(pmuFeature, List.copyOf(all), mode, reason, strict);
        }

        /** The KVM calls as text, one per line. */
        public List<String> describe() {
            List<String> out = new ArrayList<>();
            out.add("KVM_ARM_VCPU_INIT features[0]" + (pmuFeature ? " |= 1 << KVM_ARM_VCPU_PMU_V3" : " (no PMU)")
                    + (strict ? " | STRICT" : ""));
            for (Step s : steps) {
                out.add(s.text());
            }
            return out;
        }
    }

    /** KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS n. */
    public static Step nrCounters(int n) {
        return new Step(PmuAttr.SET_NR_COUNTERS, n, "KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS " + n);
    }

    /** KVM_ARM_VCPU_PMU_V3_FILTER {base, n, action}. */
    public static Step filter(EventFilter f) {
        return new Step(PmuAttr.FILTER, f, String.format(java.util.Locale.ROOT,
                "KVM_ARM_VCPU_PMU_V3_FILTER {base_event 0x%x, nevents %d, %s}", f.baseEvent(), f.nevents(),
                f.action() == EventFilter.ALLOW ? "ALLOW" : "DENY"));
    }

    /**
     * The experimental mode: fixed-counters-only plus FEAT_PMUv3_ICNTR's PMICNTR_EL0, counting
     * retired instructions exactly across migrations. No upstream series has it (docs/vpmu-upstream.md).
     */
    public static final String ICNTR_MODE = "fixed-counters-only+icntr";

    /** PPI used by QEMU virt, kvmtool and the selftest for the PMU. */
    public static final int PMU_PPI = 23;

    /**
     * Resolves {@code option} for a host and KVM.
     *
     * @throws IllegalArgumentException with a user-facing message for an unknown option or PMU name,
     *         or fixed-counters-only on a KVM ABI without it
     */
    public static Plan plan(String option, Host host, KvmAbi abi, boolean irqchip) {
        return plan(option, host, abi, irqchip, QemuMachine.LATEST);
    }

    /** {@link #plan(String, Host, KvmAbi, boolean)} for a QEMU {@code virt} machine version (auto's compat rule). */
    public static Plan plan(String option, Host host, KvmAbi abi, boolean irqchip, QemuMachine machine) {
        return plan(option, host, abi, irqchip, machine, host.allCpus());
    }

    /**
     * ... with only {@code online} host CPUs online when the VMM decides (hotplug): auto's "covers
     * every CPU" tests look at the online CPUs, as QEMU's RFC v4 and the KVM series evaluate them at
     * VM creation.
     */
    public static Plan plan(String option, Host host, KvmAbi abi, boolean irqchip, QemuMachine machine,
            CpuSet online) {
        String reason = "requested";
        String mode = option;
        if (option.equals("auto") && machine.keepsLegacyPmu()) {
            mode = "default";
            reason = "auto: machine " + machine + " keeps the legacy default PMU (QEMU compat for types up to "
                    + QemuMachine.LAST_LEGACY + ")";
        } else if (option.equals("auto")) {
            HostPmu all = null;
            for (HostPmu p : host.pmus()) {
                if (p.cpus().containsAll(online)) {
                    all = p;
                    break;
                }
            }
            String cpus = online.equals(host.allCpus()) ? "all CPUs " + online : "all online CPUs " + online;
            if (all != null) {
                mode = "pmu:" + all.name();
                reason = "auto: " + all.name() + " covers " + cpus
                        + (host.pmus().size() > 1 ? " (first in sysfs order)" : "");
            } else if (abi.hasFixedCountersOnly() && host.cpusWithPmu().containsAll(online)) {
                mode = "fixed-counters-only";
                reason = "auto: no single PMU covers " + (online.equals(host.allCpus()) ? "all CPUs"
                        : "the online CPUs " + online) + "; together they do";
            } else {
                mode = "none";
                reason = abi.hasFixedCountersOnly() ? "auto: the host PMUs do not cover all CPUs"
                        : "auto: no single PMU covers all CPUs and KVM ABI " + abi.name().toLowerCase()
                                + " has no fixed-counters-only";
            }
        }
        List<Step> steps = new ArrayList<>();
        if (mode.equals("none")) {
            return new Plan(false, steps, mode, reason);
        }
        if (mode.startsWith("pmu:")) {
            String name = mode.substring(4);
            HostPmu p = host.pmuByName(name);
            if (p == null) {
                List<String> names = new ArrayList<>();
                for (HostPmu q : host.pmus()) {
                    names.add(q.name());
                }
                throw new IllegalArgumentException("--pmu " + option + ": host " + host.name() + " has no PMU '"
                        + name + "' (has: " + String.join(", ", names) + ")");
            }
            mode = "pmu:" + p.name();
            steps.add(new Step(PmuAttr.SET_PMU, p.typeId(), "KVM_ARM_VCPU_PMU_V3_SET_PMU " + p.typeId() + " ("
                    + p.name() + ", CPUs " + p.cpus() + ")"));
        } else if (mode.equals("fixed-counters-only") || mode.equals(ICNTR_MODE)) {
            if (!abi.hasFixedCountersOnly()) {
                throw new IllegalArgumentException("--pmu " + mode + ": KVM ABI " + abi.optionName()
                        + " has no fixed-counters-only (use --kvm-abi v2, v5, v8 or v11)");
            }
            steps.add(new Step(abi.fixedCountersOnlyAttr(), null, abi.fixedAttrName()));
            if (mode.equals(ICNTR_MODE)) { // experimental, beyond upstream: docs/vpmu-upstream.md
                steps.add(new Step(PmuAttr.A64TRAP_ICNTR, null, PmuAttr.name(PmuAttr.A64TRAP_ICNTR, abi)));
            }
        } else if (mode.startsWith("partitioned:")) {
            if (abi.partitionAttr() < 0) {
                throw new IllegalArgumentException("--pmu " + option + ": KVM ABI " + abi.optionName()
                        + " has no partitioned PMU (use --kvm-abi " + KvmAbi.PARTITION_V9.optionName()
                        + ": both series number their attribute 5)");
            }
            int hpmn;
            try {
                hpmn = Integer.parseInt(mode.substring("partitioned:".length()));
            } catch (NumberFormatException e) {
                hpmn = -1;
            }
            int limit = Integer.MAX_VALUE;
            for (HostPmu p : host.pmus()) {
                limit = Math.min(limit, p.counters());
            }
            if (hpmn < 0 || hpmn > limit) {
                throw new IllegalArgumentException("--pmu " + option + ": HPMN must be 0 to " + limit
                        + " (the fewest counters of host " + host.name() + "'s PMUs)");
            }
            steps.add(new Step(abi.partitionAttr(), null, "KVM_ARM_VCPU_PMU_V3_ENABLE_PARTITION"));
            steps.add(nrCounters(hpmn));
        } else if (!mode.equals("default")) {
            throw new IllegalArgumentException("--pmu " + option
                    + ": expected none, default, pmu:NAME, fixed-counters-only, " + ICNTR_MODE
                    + " (experimental), partitioned:HPMN or auto");
        }
        if (irqchip) {
            steps.add(new Step(PmuAttr.IRQ, PMU_PPI, "KVM_ARM_VCPU_PMU_V3_IRQ " + PMU_PPI));
        }
        steps.add(new Step(PmuAttr.INIT, null, "KVM_ARM_VCPU_PMU_V3_INIT"));
        return new Plan(true, steps, mode, reason);
    }
}
