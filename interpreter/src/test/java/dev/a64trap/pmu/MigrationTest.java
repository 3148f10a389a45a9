package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import dev.a64trap.host.InsnClass;
import dev.a64trap.host.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * vCPU loads on a big.LITTLE host (spec 5.2, 5.4): default-PMU stall, SET_PMU fail entry,
 * fixed-counters-only continuity, driven by the deterministic scheduler and a fake clock.
 */
class MigrationTest {
    private static final long E = 1;
    private static final int SLICE_US = 1000;
    private static final long INSNS_PER_SLICE = 10_000;

    private final Host rk = Host.preset("rk3588");
    private final FakeClock clock = new FakeClock();

    /** Guest runs one slice of ALU instructions on cpu, with that core's cycle model. */
    private long runSlice(int cpu) {
        long cycles = INSNS_PER_SLICE * rk.cycleModel(cpu).cycles(InsnClass.ALU);
        clock.run(EL1, INSNS_PER_SLICE, rk.cycleModel(cpu).cycles(InsnClass.ALU));
        return cycles;
    }

    /** Plan step glue: the policy's INIT step is applied separately so the vGIC can be set up first. */
    private static VmmPolicy.Plan withoutInit(VmmPolicy.Plan p) {
        return new VmmPolicy.Plan(p.pmuFeature(), p.steps().subList(0, p.steps().size() - 1), p.mode(), p.reason());
    }

    private KvmVcpu vcpuFor(String mode, KvmAbi abi, int vmmCpu, int firstCpu) {
        KvmVm vm = new KvmVm(rk, KvmVm.Options.defaults().withAbi(abi));
        KvmVcpu v = vm.createVcpu();
        withoutInit(VmmPolicy.plan(mode, rk, abi, true)).apply(v, vmmCpu);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        EntryResult r = v.run(firstCpu);
        if (r.entered()) {
            Vpmu p = v.pmu();
            p.attachClock(clock);
            p.write(PmuReg.PMOVSCLR, 0, ~0L, EL1); // reset values are UNKNOWN
            p.write(PmuReg.PMINTENCLR, 0, ~0L, EL1);
            p.write(PmuReg.PMCCNTR, 0, 0, EL1);
            p.write(PmuReg.PMCCFILTR, 0, 0, EL1);
            p.write(PmuReg.PMCNTENSET, 0, 1L << 31, EL1);
            p.write(PmuReg.PMCR, 0, E, EL1);
        }
        return v;
    }

    @Test
    void defaultPmuStallsOffClusterWhileFixedCountersOnlyNeverStalls() {
        Scheduler sched = Scheduler.parse("random:" + SLICE_US, null, rk, 7);
        int first = sched.cpuAt(0);
        KvmVcpu def = vcpuFor("default", KvmAbi.V8, 0, first); // VMM on CPU 0: default PMU = A55
        // both VMs read the same clock: the same guest work, two KVM modes
        KvmVcpu fixed = vcpuFor("fixed-counters-only", KvmAbi.V8, 0, first);
        assertEquals("armv8_cortex_a55", def.vm().pmu().name());

        long expectDefault = 0;
        long expectFixed = 0;
        int stalledSlices = 0;
        long expectReloads = 0;
        HostPmu prev = rk.pmuOfCpu(first);
        for (int k = 0; k < 300; k++) {
            int cpu = sched.cpuAt((long) k * SLICE_US);
            assertTrue(def.onVcpuLoad(cpu).entered(), "default PMU never fails entry");
            assertTrue(fixed.onVcpuLoad(cpu).entered());
            if (rk.pmuOfCpu(cpu) != prev) {
                expectReloads++;
                prev = rk.pmuOfCpu(cpu);
            }
            long before = def.pmu().read(PmuReg.PMCCNTR, 0, EL1);
            long beforeFixed = fixed.pmu().read(PmuReg.PMCCNTR, 0, EL1);
            long cycles = runSlice(cpu);
            long delta = def.pmu().read(PmuReg.PMCCNTR, 0, EL1) - before;
            long deltaFixed = fixed.pmu().read(PmuReg.PMCCNTR, 0, EL1) - beforeFixed;
            assertEquals(cycles, deltaFixed, "fixed-counters-only counts on every core, slice " + k);
            if (cpu < 4) {
                assertEquals(cycles, delta, "default PMU counts on its own cluster");
                expectDefault += cycles;
            } else {
                assertEquals(0, delta, "default PMU: cycle counter stalls on CPU " + cpu);
                assertNull(def.pmu().cycleCounterBacking());
                stalledSlices++;
            }
            expectFixed += cycles;
        }
        assertTrue(stalledSlices > 50 && stalledSlices < 250, "the schedule visits both clusters: " + stalledSlices);
        assertEquals(expectDefault, def.pmu().read(PmuReg.PMCCNTR, 0, EL1));
        assertEquals(expectFixed, fixed.pmu().read(PmuReg.PMCCNTR, 0, EL1), "no cycle lost or double counted");
        assertEquals(expectReloads, fixed.pmu().cycleCounterReloads(), "one recreation per change of PMU");
        long[] perCpu = fixed.pmu().countedPerCpu(31);
        long sum = 0;
        for (long c : perCpu) {
            sum += c;
        }
        assertEquals(expectFixed, sum, "per-pCPU attribution adds up");
    }

    @Test
    void sameClusterMigrationRecreatesNothing() {
        KvmVcpu v = vcpuFor("fixed-counters-only", KvmAbi.V8, 0, 0);
        runSlice(0);
        v.onVcpuLoad(1);
        runSlice(1);
        v.onVcpuLoad(3);
        assertEquals(0, v.pmu().cycleCounterReloads());
        v.onVcpuLoad(5);
        runSlice(5);
        assertEquals(1, v.pmu().cycleCounterReloads());
        assertEquals("armv8_cortex_a76", v.pmu().cycleCounterBacking().name());
        assertEquals(2 * INSNS_PER_SLICE * 2 + INSNS_PER_SLICE, v.pmu().read(PmuReg.PMCCNTR, 0, EL1),
                "A55 slices at 2 cycles per ALU instruction, A76 at 1");
    }

    @Test
    void fixedModeOverflowHappensAtTheBoundaryAcrossMigrations() {
        KvmVcpu v = vcpuFor("fixed-counters-only", KvmAbi.V8, 0, 0);
        Vpmu p = v.pmu();
        long start = (1L << 32) - 3 * INSNS_PER_SLICE - 123;
        p.write(PmuReg.PMCCNTR, 0, start, EL1);
        p.write(PmuReg.PMINTENSET, 0, 1L << 31, EL1);
        int[] cpus = {4, 0, 5, 6, 1};
        long total = start;
        int overflowSlice = -1;
        for (int k = 0; k < cpus.length; k++) {
            v.onVcpuLoad(cpus[k]);
            long before = total;
            total += runSlice(cpus[k]);
            long deadline = p.nextDeadline();
            boolean crossed = (before >>> 32) != (total >>> 32);
            assertEquals(crossed, deadline == 0, "deadline says an overflow is due, slice " + k);
            p.sync();
            if (crossed) {
                overflowSlice = k;
            }
            assertEquals(crossed || overflowSlice >= 0, p.irqLevel(), "slice " + k);
        }
        assertEquals(2, overflowSlice, "after A76 (10k cycles) and A55 (20k) 123 remain: the 3rd slice crosses");
        assertEquals(total, p.read(PmuReg.PMCCNTR, 0, EL1));
    }

    @Test
    void setPmuFailsEntryOutsideItsCpus() {
        KvmVcpu v = vcpuFor("pmu:armv8_cortex_a76", KvmAbi.MAINLINE, 0, 5);
        assertEquals("4-7", v.vm().supportedCpus().toString());
        for (int cpu = 0; cpu < 8; cpu++) {
            EntryResult r = v.onVcpuLoad(cpu);
            assertEquals(cpu >= 4, r.entered(), "cpu " + cpu);
            assertEquals(cpu, r.cpu());
        }
        KvmVcpu w = vcpuFor("pmu:armv8_cortex_a76", KvmAbi.MAINLINE, 0, 2);
        assertFalse(w.run(2).entered(), "first entry on a LITTLE core fails");
        assertEquals(EntryResult.KVM_EXIT_FAIL_ENTRY, 9);
        assertEquals(1L, EntryResult.CPU_UNSUPPORTED);
    }

    @Test
    void pinAfterInitKeepsSetPmuRunsAlive() {
        // VMM pins to the A55 cluster only after init; before that the vCPU may sit anywhere
        Scheduler sched = Scheduler.parse("random:" + SLICE_US, "5000:0-3", rk, 3);
        KvmVcpu v = vcpuFor("pmu:armv8_cortex_a55", KvmAbi.MAINLINE, 0, 0);
        for (int k = 5; k < 100; k++) {
            assertTrue(v.onVcpuLoad(sched.cpuAt(k * (long) SLICE_US)).entered());
        }
    }

    @Test
    void defaultPmuFollowsTheVmmCpu() {
        KvmVcpu v = vcpuFor("default", KvmAbi.V8, 6, 6); // VMM on a big core: default PMU = A76
        assertEquals("armv8_cortex_a76", v.vm().pmu().name());
        runSlice(6);
        v.onVcpuLoad(1);
        runSlice(1);
        assertEquals(INSNS_PER_SLICE, v.pmu().read(PmuReg.PMCCNTR, 0, EL1), "only the A76 slice counted");
    }
}
