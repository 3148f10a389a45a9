package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.errno;
import static dev.a64trap.pmu.Vms.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A port of the KVM selftest tools/testing/selftests/kvm/arm64/vpmu_counter_access.c as it stands in
 * late 2026, driving a64trap's KVM API call for call as the C drives KVM:
 * <ul>
 * <li>mainline: N is set with KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, not SET_ONE_REG of PMCR_EL0, and the
 *     test requires that attribute (Oliver Upton's selftest change, 2025-09-17, after Marc Zyngier's
 *     "KVM: arm64: Allow userspace to limit the number of PMU counters for EL2 VMs", Linux 6.16);</li>
 * <li>the multiple-host-PMU series' own cases (v8 onward, v11 2026-09-20): the FIXED_COUNTERS_ONLY
 *     error matrix, then the access tests again with N = 0.</li>
 * </ul>
 * Function names follow the C. The guest code's register checks are {@link SelftestChecksTest#guest}
 * (it runs at EL1 through the vPMU after KVM_RUN, as guest_code does after vcpu_run).
 */
class VpmuCounterAccessPortTest {
    /** struct vpmu_vm. */
    private record VpmuVm(KvmVm vm, KvmVcpu vcpu) {}

    private static final int IRQ = 23;

    /** create_vpmu_vm(guest_code): one vCPU with the PMU feature, vgic_v3_setup, the PMUVer check, IRQ 23. */
    private static VpmuVm createVpmuVm(KvmAbi abi) {
        KvmVm vm = Vms.vm("rk3588", abi);
        KvmVcpu vcpu = vm.createVcpu();
        vcpu.init(true, 0); // aarch64_vcpu_add with KVM_ARM_VCPU_PMU_V3, VMM thread on CPU 0
        vm.initVgic();
        int pmuver = vm.pmuVer(); // vcpu_get_reg(ID_AA64DFR0_EL1).PMUVer
        assertTrue(pmuver != PmuBits.PMUVER_IMP_DEF && pmuver >= PmuBits.PMUV3, "PMUv3 not supported: " + pmuver);
        vcpu.setAttr(PmuAttr.IRQ, IRQ);
        return new VpmuVm(vm, vcpu);
    }

    /** test_create_vpmu_vm_with_nr_counters(nr_counters, expect_fail), with the flag set first when {@code fixed}. */
    private static VpmuVm createVpmuVmWithNrCounters(KvmAbi abi, int nrCounters, boolean expectFail, boolean fixed) {
        VpmuVm v = createVpmuVm(abi);
        if (fixed) {
            v.vcpu().setAttr(abi.fixedCountersOnlyAttr(), null);
        }
        int prev = getPmcrN(v.vcpu());
        Errno ret = errno(() -> v.vcpu().setAttr(PmuAttr.SET_NR_COUNTERS, nrCounters));
        if (expectFail) {
            assertEquals(Errno.EINVAL, ret, "setting more PMU counters (" + nrCounters + ") than available (" + prev
                    + ") unexpectedly succeeded");
        } else {
            assertNull(ret, "KVM_SET_DEVICE_ATTR SET_NR_COUNTERS " + nrCounters);
        }
        v.vcpu().setAttr(PmuAttr.INIT, null);
        return v;
    }

    private static int getPmcrN(KvmVcpu vcpu) {
        return (int) (vcpu.getOneReg(id("PMCR_EL0")) >>> PmuBits.PMCR_N_SHIFT & 0x1F);
    }

    /** run_vcpu: KVM_RUN, then guest_code's checks for expected_pmcr_n. */
    private static void runVcpu(KvmVcpu vcpu, int pmcrN) {
        assertTrue(vcpu.run(0).entered(), "KVM_RUN");
        SelftestChecksTest.guest(vcpu.pmu(), pmcrN);
    }

    /** run_access_test(pmcr_n): run, reset with KVM_ARM_VCPU_INIT, run again (N must survive the reset). */
    private static void runAccessTest(KvmAbi abi, int pmcrN, boolean fixed) {
        VpmuVm v = createVpmuVmWithNrCounters(abi, pmcrN, false, fixed);
        runVcpu(v.vcpu(), pmcrN);
        v.vcpu().init(true, 0); // KVM_ARM_PREFERRED_TARGET + aarch64_vcpu_setup with the PMU feature
        runVcpu(v.vcpu(), pmcrN);
    }

    /** run_pmregs_valid_test(pmcr_n): userspace sees no bits of unimplemented counters, before and after a SET of all. */
    private static void runPmregsValidTest(KvmAbi abi, int pmcrN, boolean fixed) {
        VpmuVm v = createVpmuVmWithNrCounters(abi, pmcrN, false, fixed);
        assertEquals(pmcrN, getPmcrN(v.vcpu()));
        SelftestChecksTest.userspaceBitmapsStayInMask(v.vcpu(), pmcrN);
    }

    /** run_error_test(pmcr_n): SET_NR_COUNTERS above the limit fails EINVAL. */
    private static void runErrorTest(KvmAbi abi, int pmcrN, boolean fixed) {
        createVpmuVmWithNrCounters(abi, pmcrN, true, fixed);
    }

    /** get_pmcr_n_limit(): N of a fresh VM, read with KVM_GET_ONE_REG. */
    private static int getPmcrNLimit(KvmAbi abi) {
        return getPmcrN(createVpmuVm(abi).vcpu());
    }

    /** kvm_supports_nr_counters_attr(): KVM_HAS_DEVICE_ATTR of SET_NR_COUNTERS. */
    private static boolean kvmSupportsNrCountersAttr(KvmAbi abi) {
        return errno(() -> createVpmuVm(abi).vcpu().hasAttr(PmuAttr.SET_NR_COUNTERS)) == null;
    }

    /** main(): TEST_REQUIREs, then every n up to the limit, then every n above it. */
    @ParameterizedTest
    @EnumSource(KvmAbi.class)
    void mainlineFlow(KvmAbi abi) {
        assertTrue(Vms.vm("rk3588", abi).capPmuV3(), "TEST_REQUIRE(kvm_has_cap(KVM_CAP_ARM_PMU_V3))");
        assertTrue(kvmSupportsNrCountersAttr(abi), "TEST_REQUIRE(kvm_supports_nr_counters_attr())");
        int max = getPmcrNLimit(abi);
        assertEquals(6, max, "Cortex-A55: 6 counters");
        for (int i = 0; i <= max; i++) {
            runAccessTest(abi, i, false);
            runPmregsValidTest(abi, i, false);
        }
        for (int i = max + 1; i < 32; i++) {
            runErrorTest(abi, i, false);
        }
    }

    /**
     * The series' test (v8 onward): the attribute's probe and getter, the EBUSY/EINVAL matrix, then the
     * access tests in fixed-counters-only mode with N = 0 and SET_NR_COUNTERS n = 1..31 refused.
     * Mainline has no such attribute: the probe answers ENXIO (where the C test skips).
     */
    @ParameterizedTest
    @EnumSource(value = KvmAbi.class, names = {"MAINLINE", "V8", "V11"})
    void fixedCountersOnlyFlow(KvmAbi abi) {
        long attr = abi == KvmAbi.MAINLINE ? PmuAttr.FIXED_COUNTERS_ONLY : abi.fixedCountersOnlyAttr();
        VpmuVm probe = createVpmuVm(abi);
        Errno has = errno(() -> probe.vcpu().hasAttr(attr));
        if (abi == KvmAbi.MAINLINE) {
            assertEquals(Errno.ENXIO, has, "mainline: no FIXED_COUNTERS_ONLY (the C test skips here)");
            return;
        }
        assertNull(has, "KVM_HAS_DEVICE_ATTR");

        // ENXIO before set; set; get
        VpmuVm v = createVpmuVm(abi);
        assertEquals(Errno.ENXIO, errno(() -> v.vcpu().getAttr(attr)), "GET before SET");
        v.vcpu().setAttr(attr, null);
        assertEquals(0, v.vcpu().getAttr(attr), "GET after SET");
        // FILTER and SET_PMU after it: EBUSY
        assertEquals(Errno.EBUSY, errno(() -> v.vcpu().setAttr(PmuAttr.FILTER, EventFilter.allow(0x11, 1))),
                "FILTER after FIXED_COUNTERS_ONLY");
        int type = v.vm().pmu().typeId();
        assertEquals(Errno.EBUSY, errno(() -> v.vcpu().setAttr(PmuAttr.SET_PMU, type)),
                "SET_PMU after FIXED_COUNTERS_ONLY");
        // SET_NR_COUNTERS: only 0 under fixed-counters-only
        for (int n = 1; n < 32; n++) {
            int nn = n;
            assertEquals(Errno.EINVAL, errno(() -> v.vcpu().setAttr(PmuAttr.SET_NR_COUNTERS, nn)), "n=" + n);
        }
        assertNull(errno(() -> v.vcpu().setAttr(PmuAttr.SET_NR_COUNTERS, 0)));

        // EBUSY after a FILTER
        VpmuVm f = createVpmuVm(abi);
        f.vcpu().setAttr(PmuAttr.FILTER, EventFilter.allow(0x11, 1));
        assertEquals(Errno.EBUSY, errno(() -> f.vcpu().setAttr(attr, null)), "after FILTER");
        // EBUSY after SET_PMU
        VpmuVm s = createVpmuVm(abi);
        s.vcpu().setAttr(PmuAttr.SET_PMU, s.vm().pmu().typeId());
        assertEquals(Errno.EBUSY, errno(() -> s.vcpu().setAttr(attr, null)), "after SET_PMU");
        // EBUSY after a vCPU ran: vCPU 0 initialised and run, then SET on vCPU 1
        VpmuVm r = createVpmuVm(abi);
        KvmVcpu second = r.vm().createVcpu();
        second.init(true, 0);
        r.vcpu().setAttr(PmuAttr.INIT, null);
        assertTrue(r.vcpu().run(0).entered());
        assertEquals(Errno.EBUSY, errno(() -> second.setAttr(attr, null)), "after a vCPU ran");

        // the register-access cases again with N = 0
        runAccessTest(abi, 0, true);
        runPmregsValidTest(abi, 0, true);
        for (int i = 1; i < 32; i++) {
            runErrorTest(abi, i, true);
        }
    }
}
