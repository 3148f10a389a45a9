package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL0;
import static dev.a64trap.pmu.Vms.EL1;
import static dev.a64trap.pmu.Vms.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.host.Host;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysRegTable;
import org.junit.jupiter.api.Test;

/**
 * The partitioned PMU (rule set partition-v9: Colton Lewis' "ARM64 PMU Partitioning", v9 2026-09-24
 * as summarised): ENABLE_PARTITION is attribute 5 of that rule set; the guest owns counters
 * [0, HPMN) of whichever core it runs on, so an event counts wherever the current core implements it
 * and values carry across migrations; PMCEID is the core's own; PMUSERENR is enforced by hardware.
 */
class PartitionedPmuTest {
    private static final int LD_RETIRED = 0x06;
    private final Host rk = Host.preset("rk3588");
    private final FakeClock clock = new FakeClock();

    private KvmVcpu partitioned(int hpmn) {
        KvmVm vm = new KvmVm(rk, KvmVm.Options.defaults().withAbi(KvmAbi.PARTITION_V9));
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        v.setAttr(KvmAbi.PARTITION_V9.partitionAttr(), null);
        v.setAttr(PmuAttr.SET_NR_COUNTERS, hpmn);
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        assertTrue(v.run(0).entered());
        v.pmu().attachClock(clock);
        return v;
    }

    @Test
    void attributeFiveIsTheRuleSetsOwn() {
        KvmVcpu p = Vms.vm("rk3588", KvmAbi.PARTITION_V9).createVcpu();
        p.init(true, 0);
        assertEquals(Errno.ENXIO, errno(() -> p.getAttr(5)), "GET before SET");
        assertNull(errno(() -> p.hasAttr(5)));
        p.setAttr(5, null);
        assertTrue(p.vm().partitioned());
        assertEquals(0, p.vm().fixedCountersOnly() ? 1 : 0, "5 is not fixed-counters-only here");
        assertEquals(0, p.getAttr(5));
        assertEquals("KVM_ARM_VCPU_PMU_V3_ENABLE_PARTITION", PmuAttr.name(5, KvmAbi.PARTITION_V9));
        assertEquals(Errno.EBUSY, errno(() -> p.setAttr(PmuAttr.SET_PMU, Host.FIRST_PERF_TYPE)), "SET_PMU after it");
        assertEquals(Errno.EINVAL, errno(() -> p.setAttr(PmuAttr.SET_NR_COUNTERS, 7)), "above the fewest counters");
        assertNull(errno(() -> p.setAttr(PmuAttr.SET_NR_COUNTERS, 0)), "FEAT_HPMN0: HPMN 0 allowed");
        assertEquals(0, p.vm().nrCounters());
        KvmVcpu v11 = Vms.vm("rk3588", KvmAbi.V11).createVcpu();
        v11.init(true, 0);
        v11.setAttr(5, null);
        assertTrue(v11.vm().fixedCountersOnly() && !v11.vm().partitioned(), "in v11, 5 is fixed-counters-only");
        KvmVcpu s = Vms.vm("rk3588", KvmAbi.PARTITION_V9).createVcpu();
        s.init(true, 0);
        s.setAttr(PmuAttr.SET_PMU, Host.FIRST_PERF_TYPE);
        assertEquals(Errno.EBUSY, errno(() -> s.setAttr(5, null)), "after SET_PMU");
    }

    @Test
    void countersFollowTheCoreAndKeepTheirValuesAcrossMigrations() {
        KvmVcpu v = partitioned(4);
        Vpmu p = v.pmu();
        assertEquals(4, p.read(PmuReg.PMCR, 0, EL1) >>> 11 & 0x1F, "PMCR_EL0.N = HPMN");
        assertEquals("0-7", v.vm().supportedCpus().toString(), "runs on every core");
        p.write(PmuReg.PMEVTYPER, 0, LD_RETIRED, EL1);
        p.write(PmuReg.PMEVTYPER, 1, Events.INST_RETIRED, EL1);
        p.write(PmuReg.PMEVCNTR, 0, 0, EL1);
        p.write(PmuReg.PMEVCNTR, 1, 0, EL1);
        p.write(PmuReg.PMCCNTR, 0, 0, EL1);
        p.write(PmuReg.PMCCFILTR, 0, 0, EL1);
        p.write(PmuReg.PMCNTENSET, 0, 1L << 31 | 3, EL1);
        p.write(PmuReg.PMCR, 0, 1, EL1);
        long a55Pmceid = p.read(PmuReg.PMCEID0, 0, EL1);
        clock.add(LD_RETIRED, EL1, 10).run(EL1, 100, 2);
        v.onVcpuLoad(5); // to an A76: no LD_RETIRED there
        assertNotEquals(a55Pmceid, p.read(PmuReg.PMCEID0, 0, EL1), "PMCEID is the core's own");
        assertEquals(0, p.read(PmuReg.PMCEID0, 0, EL1) >>> LD_RETIRED & 1, "the A76 has no LD_RETIRED");
        clock.add(LD_RETIRED, EL1, 7).run(EL1, 50, 1);
        v.onVcpuLoad(1); // back on an A55: counting resumes from the swapped-in value
        clock.add(LD_RETIRED, EL1, 3).run(EL1, 20, 2);
        assertEquals(13, p.read(PmuReg.PMEVCNTR, 0, EL1), "LD_RETIRED counts on the A55s only");
        assertEquals(170, p.read(PmuReg.PMEVCNTR, 1, EL1), "INST_RETIRED counts on every core");
        assertEquals(200 + 50 + 40, p.read(PmuReg.PMCCNTR, 0, EL1), "the cycle counter never stops");
        // the same program under KVM's default PMU (A55) stalls everything on the A76
        KvmVcpu d = Vms.initialised(Vms.vm("rk3588", KvmAbi.V11), 0);
        assertTrue(d.run(0).entered());
        FakeClock c2 = new FakeClock();
        d.pmu().attachClock(c2);
        d.pmu().write(PmuReg.PMEVTYPER, 1, Events.INST_RETIRED, EL1);
        d.pmu().write(PmuReg.PMEVCNTR, 1, 0, EL1);
        d.pmu().write(PmuReg.PMCNTENSET, 0, 2, EL1);
        d.pmu().write(PmuReg.PMCR, 0, 1, EL1);
        c2.run(EL1, 100, 2);
        d.onVcpuLoad(5);
        c2.run(EL1, 50, 1);
        assertEquals(100, d.pmu().read(PmuReg.PMEVCNTR, 1, EL1), "default PMU: nothing counted on the A76");
    }

    /** Direct access: an EL0 access PMUSERENR refuses traps to EL1 (EC 0x18) in hardware, not KVM's UNDEF. */
    @Test
    void refusedEl0AccessTrapsInsteadOfUndef() {
        KvmVcpu v = partitioned(4);
        SysRegTable table = SysRegTable.of(HostedVcpu.detached(rk, v.vm(), v).sysRegs(BaseSysRegs.cortexA57(false)));
        Cpu cpu = new Cpu(table, false);
        SysReg ccntr = table.byName("PMCCNTR_EL0");
        SysReg userenr = table.byName("PMUSERENR_EL0");
        SysReg inten = table.byName("PMINTENSET_EL1");
        cpu.el = EL0;
        assertEquals(SysReg.Access.TRAP, ccntr.access(cpu, false), "PMUSERENR = 0: EC 0x18");
        assertEquals(SysReg.Access.ALLOW, userenr.access(cpu, false), "PMUSERENR is always readable");
        assertEquals(SysReg.Access.ALLOW, userenr.access(cpu, true), "an EL0 PMUSERENR write stays UNDEFINED (vPMU)");
        assertEquals(SysReg.Access.ALLOW, inten.access(cpu, false), "an EL1 register stays UNDEFINED at EL0 (vPMU)");
        v.pmu().write(PmuReg.PMUSERENR, 0, PmuBits.CR, EL1);
        assertEquals(SysReg.Access.ALLOW, ccntr.access(cpu, false), "CR allows the read");
        assertEquals(SysReg.Access.TRAP, ccntr.access(cpu, true), "a write needs EN");
        cpu.el = EL1;
        v.pmu().write(PmuReg.PMUSERENR, 0, 0, EL1);
        assertEquals(SysReg.Access.ALLOW, ccntr.access(cpu, false), "EL1 is never refused");
        // KVM's emulation (any other rule set) keeps the UNDEF
        KvmVcpu k = Vms.initialised(Vms.vm("rk3588", KvmAbi.V11), 0);
        SysRegTable kt = SysRegTable.of(HostedVcpu.detached(rk, k.vm(), k).sysRegs(BaseSysRegs.cortexA57(false)));
        Cpu kc = new Cpu(kt, false);
        kc.el = EL0;
        assertEquals(SysReg.Access.ALLOW, kt.byName("PMCCNTR_EL0").access(kc, false), "the vPMU then UNDEFs");
    }
}
