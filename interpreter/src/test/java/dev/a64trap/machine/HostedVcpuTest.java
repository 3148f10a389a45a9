package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.exec.Stop;
import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.pmu.EventClock;
import dev.a64trap.pmu.KvmVcpu;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuAttr;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.VmmPolicy;
import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysRegTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HostedVcpuTest {
    /**
     * From aarch64-linux-gnu-as (binutils 2.40):
     * <pre>
     *     mov x0, #1 ; msr pmcr_el0, x0 ; mov x0, #0x80000000 ; msr pmcntenset_el0, x0
     *     mov x2, #0 ; mov x3, #0 ; mov x4, #0x100000
     * loop: mrs x1, pmccntr_el0 ; cmp x1, x2 ; cinc x3, x3, eq ; mov x2, x1 ; subs x4, x4, #1 ; b.ne loop
     * done: b done
     * </pre>
     * x3 = number of reads that saw the same value as the previous read (a stalled cycle counter).
     */
    static final int[] PMCCNTR_LOOP = {0xd2800020, 0xd51b9c00, 0xd2b00000, 0xd51b9c20, 0xd2800002, 0xd2800003,
        0xd2a00204, 0xd53b9d01, 0xeb02003f, 0x9a831463, 0xaa0103e2, 0xf1000484, 0x54ffff61, 0x14000000};
    static final long LOOP_INSNS = 7 + 6L * 0x100000;

    static byte[] bytes(int[] words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    static HostedVcpu vcpu(String pmu, String sched, String pinAfter) {
        Host host = Host.preset("rk3588");
        return new HostedVcpu(host, Scheduler.parse(sched, pinAfter, host, 1),
                VmmPolicy.plan(pmu, host, KvmAbi.V8, true), KvmVm.Options.defaults(), 0, -1);
    }

    static VirtBoard board(HostedVcpu v, int[] words) throws ImageLoadException {
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.vcpu = v;
        return VirtBoard.load(bytes(words), "loop.bin", o);
    }

    /** The loop visited both clusters (so the stall test means something). */
    static void assertVisitedBothClusters(HostedVcpu v) {
        assertTrue(v.migrations().stream().anyMatch(m -> m.to() >= 4), "ran on a Cortex-A76 CPU");
        assertTrue(v.migrations().stream().anyMatch(m -> m.to() < 4), "ran on a Cortex-A55 CPU");
    }

    @Test
    void defaultPmuCycleCounterStallsOnTheOtherCluster() throws ImageLoadException {
        HostedVcpu v = vcpu("default", "random:1000", null);
        VirtBoard b = board(v, PMCCNTR_LOOP);
        Stop s = b.run(LOOP_INSNS + 100);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(0, b.cpu().x[4], "loop finished");
        assertVisitedBothClusters(v);
        assertTrue(b.cpu().x[3] > 1000, "reads that saw no change: " + b.cpu().x[3]);
        assertTrue(v.stalledNanos() > 0);
    }

    @Test
    void fixedCountersOnlyCycleCounterNeverStalls() throws ImageLoadException {
        HostedVcpu v = vcpu("fixed-counters-only", "random:1000", null);
        VirtBoard b = board(v, PMCCNTR_LOOP);
        b.run(LOOP_INSNS + 100);
        assertEquals(0, b.cpu().x[4], "loop finished");
        assertVisitedBothClusters(v);
        assertEquals(0, b.cpu().x[3], "every read advanced");
        assertEquals(0, v.stalledNanos());
        assertTrue(v.pmu().cycleCounterReloads() > 0, "the backing event followed the vCPU to the other PMU");
    }

    @Test
    void setPmuUnpinnedFailsEntryAndRunsNothingMore() throws ImageLoadException {
        HostedVcpu v = vcpu("pmu:armv8_cortex_a55", "round-robin:100", null);
        VirtBoard b = board(v, PMCCNTR_LOOP);
        Stop s = b.run(LOOP_INSNS + 100);
        assertNotNull(v.failEntry());
        assertEquals(HostedVcpu.FAIL_ENTRY_STOP, s.status());
        assertTrue(v.failEntry().cpu() >= 4, "failed on the A76 cluster: cpu " + v.failEntry().cpu());
        long retired = b.cpu().retired;
        assertTrue(retired > 0 && retired < LOOP_INSNS);
        b.run(LOOP_INSNS + 100); // a second KVM_RUN fails again: nothing executes
        assertEquals(retired, b.cpu().retired);
    }

    @Test
    void setPmuPinnedAfterInitNeverFails() throws ImageLoadException {
        HostedVcpu v = vcpu("pmu:armv8_cortex_a55", "round-robin:100", "0:0-3");
        VirtBoard b = board(v, PMCCNTR_LOOP);
        b.run(LOOP_INSNS + 100);
        assertNull(v.failEntry());
        assertEquals(0, b.cpu().x[3], "pinned to the PMU's CPUs: the cycle counter always counts");
        assertTrue(v.migrations().stream().allMatch(m -> m.to() < 4));
    }

    /**
     * mov x0, #0xffffff00 ; msr pmccntr_el0, x0 ; mov x0, #-1 ; msr pmovsclr_el0, x0 ;
     * msr pmintenclr_el1, x0 (reset values are UNKNOWN: KVM's poison sets some bits) ;
     * mov x0, #0x80000000 ; msr pmintenset_el1, x0 ; msr pmcntenset_el0, x0 ; mov x0, #1 ;
     * msr pmcr_el0, x0 ; loop: add x1, x1, #1 ; b loop
     */
    static final int[] OVERFLOW = {0xb2785fe0, 0xd51b9d00, 0x92800000, 0xd51b9c60, 0xd5189e40, 0xd2b00000,
        0xd5189e20, 0xd51b9c20, 0xd2800020, 0xd51b9c00, 0x91000421, 0x17ffffff};

    @Test
    void overflowDeadlineRaisesTheInterruptLineWithoutAnyPmuAccess() throws ImageLoadException {
        // On the A55 (2 cycles per add and per b) the 256 cycles to the bit-31 carry take 64 iterations.
        HostedVcpu v = vcpu("default", "pinned:0", null);
        VirtBoard b = board(v, OVERFLOW);
        b.run(10 + 120);
        assertEquals(false, v.irqLevel(), "240 cycles: no overflow yet");
        b.run(10 + 140);
        assertTrue(v.irqLevel(), "the deadline synced the vPMU: PMOVSSET[31] & PMINTENSET[31]");
        assertEquals(1, v.irqRisingEdges());
        assertEquals(0xffffff00L + 280, v.pmu().peek(dev.a64trap.pmu.PmuReg.PMCCNTR, 0));
        assertEquals(0x80000000L, v.pmu().peek(dev.a64trap.pmu.PmuReg.PMOVSSET, 0));
    }

    /**
     * Wherever a run stops (here after every instruction, so inside the block where the cycle counter
     * overflows), the interrupt line is what the vPMU's registers say: PMOVSSET & PMINTENSET and PMCR.E.
     */
    @Test
    void theInterruptLineIsCurrentWhereverARunStops() throws ImageLoadException {
        HostedVcpu v = vcpu("default", "pinned:0", null);
        VirtBoard b = board(v, OVERFLOW);
        boolean rose = false;
        for (long n = 1; n <= 400; n++) {
            b.run(n);
            long ovs = v.pmu().peek(dev.a64trap.pmu.PmuReg.PMOVSSET, 0);
            long inten = v.pmu().peek(dev.a64trap.pmu.PmuReg.PMINTENSET, 0);
            long pmcr = v.pmu().peek(dev.a64trap.pmu.PmuReg.PMCR, 0);
            boolean want = (ovs & inten) != 0 && (pmcr & 1) != 0;
            assertEquals(want, v.irqLevel(), "after " + n + " instructions: PMOVSSET 0x" + Long.toHexString(ovs));
            rose |= want;
        }
        assertTrue(rose, "the cycle counter overflowed within the run");
        assertEquals(1, v.irqRisingEdges());
    }

    /**
     * Counter 0 = P|INST_RETIRED (EL0 only), counter 1 = U|INST_RETIRED (EL1 only), then at EL1:
     * 5 x nop ; adr x0, el0 ; msr elr_el1, x0 ; msr spsr_el1, xzr ; eret (9 instructions), and at EL0:
     * 7 x nop ; svc #0 (no vector installed: the run stops, the SVC does not retire).
     */
    static final int[] EL_SPLIT = {0xd2800100, 0xf2b00000, 0xd51bec00, 0xd2800100, 0xf2a80000, 0xd51bec20,
        0xd51be81f, 0xd51be83f, 0xd2800060, 0xd51b9c20, 0xd2800020, 0xd51b9c00, 0xd503201f, 0xd503201f,
        0xd503201f, 0xd503201f, 0xd503201f, 0x10000080, 0xd5184020, 0xd518401f, 0xd69f03e0, 0xd503201f,
        0xd503201f, 0xd503201f, 0xd503201f, 0xd503201f, 0xd503201f, 0xd503201f, 0xd4000001};

    @Test
    void eventsAreSplitByExceptionLevel() throws ImageLoadException {
        HostedVcpu v = vcpu("default", "pinned:0", null);
        VirtBoard b = board(v, EL_SPLIT);
        Stop s = b.run(1000);
        assertEquals(Stop.Kind.EXCEPTION, s.kind());
        assertEquals(0, b.cpu().el);
        assertEquals(7, v.pmu().peek(dev.a64trap.pmu.PmuReg.PMEVCNTR, 0), "EL0 instructions");
        // the enabling PMCR write takes effect before it retires, so it counts itself
        assertEquals(10, v.pmu().peek(dev.a64trap.pmu.PmuReg.PMEVCNTR, 1), "EL1 instructions from the PMCR write on");
    }

    @Test
    void guestTimeComesFromCyclesOfTheCurrentCore() throws ImageLoadException {
        // 1M iterations of 5 ALU/branch instructions and an MRS: A55 (1800 MHz) 2 cycles each and 12 for
        // the MRS (22 per iteration) vs A76 (2400 MHz) 1 and 6 (11): guest time differs by the cycle model,
        // not the wall clock.
        HostedVcpu little = vcpu("default", "pinned:0", null);
        board(little, PMCCNTR_LOOP).run(LOOP_INSNS);
        HostedVcpu big = vcpu("default", "pinned:4", null);
        board(big, PMCCNTR_LOOP).run(LOOP_INSNS);
        long l = little.nanoseconds();
        long g = big.nanoseconds();
        assertEquals(1_048_576L * 22 * 1000 / 1800, l, 2000);
        assertEquals(1_048_576L * 11 * 1000 / 2400, g, 2000);
    }

    /** A debugger's migration is a vCPU load like a scheduler's: default mode stalls on the A76 at once. */
    @Test
    void migrateNowMovesTheVcpuAndTheDefaultPmuStops() throws ImageLoadException {
        HostedVcpu v = vcpu("default", "pinned:0", null);
        VirtBoard b = board(v, PMCCNTR_LOOP);
        b.run(1000);
        assertEquals(0, v.currentCpu());
        assertEquals(0, b.cpu().x[3], "on the A55 every read advances");
        assertTrue(v.migrateNow(5).startsWith("vCPU moved from pCPU 0"));
        assertEquals(5, v.currentCpu());
        assertEquals(1, v.migrations().size());
        b.run(2000);
        assertEquals(5, v.currentCpu(), "pinned:0 has no next change, so the vCPU stays where the debugger put it");
        assertTrue(b.cpu().x[3] > 100, "on the A76 the default (A55) PMU's cycle counter stalls: " + b.cpu().x[3]);
        assertTrue(v.migrateNow(9).startsWith("no pCPU 9"));
    }

    /** Under SET_PMU a debugger's migration off the PMU's CPUs fails entry at the next resume. */
    @Test
    void migrateNowOffTheSetPmuCpusFailsEntry() throws ImageLoadException {
        HostedVcpu v = vcpu("pmu:armv8_cortex_a55", "pinned:0", null);
        VirtBoard b = board(v, PMCCNTR_LOOP);
        b.run(1000);
        long retired = b.cpu().retired;
        assertTrue(v.migrateNow(4).startsWith("KVM_EXIT_FAIL_ENTRY"));
        Stop s = b.run(5000);
        assertEquals(Stop.Kind.EXIT, s.kind());
        assertEquals(HostedVcpu.FAIL_ENTRY_STOP, s.status());
        assertEquals(retired, b.cpu().retired, "the guest executed nothing after the failed entry");
    }

    /** The rows of a detached vCPU (no interpreter) behave as in a run: handlers, PMUSERENR gate, UNDEF fault. */
    @Test
    void detachedRowsWorkWithoutAnInterpreter() {
        Host host = Host.preset("rk3588");
        KvmVm vm = new KvmVm(host, KvmVm.Options.defaults());
        KvmVcpu vcpu = vm.createVcpu();
        vcpu.init(true, 0);
        vm.initVgic();
        vcpu.setAttr(PmuAttr.IRQ, 23);
        vcpu.setAttr(PmuAttr.INIT, null);
        vcpu.pmu().attachClock(EventClock.ZERO);
        assertTrue(vcpu.run(0).entered());
        SysRegTable table = SysRegTable.of(HostedVcpu.detached(host, vm, vcpu).sysRegs(BaseSysRegs.cortexA57(false)));
        Cpu cpu = new Cpu(table, false);
        SysReg pmcr = table.byName("PMCR_EL0");
        SysReg ccntr = table.byName("PMCCNTR_EL0");
        assertNotNull(pmcr);
        pmcr.write(cpu, 1);
        assertEquals(1, vcpu.pmu().peek(PmuReg.PMCR, 0) & 1, "the write reached the vPMU");
        assertEquals(1, pmcr.read(cpu) & 1);
        ccntr.write(cpu, 0x1234);
        assertEquals(0x1234, ccntr.read(cpu), "a stopped clock: nothing retired around the accesses");
        cpu.el = 0; // PMUSERENR = 0: the vPMU refuses EL0, the row raises UNDEF
        assertEquals(SysReg.Access.ALLOW, pmcr.access(cpu, false));
        GuestFault f = assertThrows(GuestFault.class, () -> pmcr.read(cpu));
        assertEquals(Syndrome.undefined(), f.esr);
    }
}
