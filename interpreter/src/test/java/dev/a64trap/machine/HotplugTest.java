package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.host.CpuSet;
import dev.a64trap.host.Host;
import dev.a64trap.host.HostException;
import dev.a64trap.host.Scheduler;
import dev.a64trap.pmu.Errno;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmException;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.QemuMachine;
import dev.a64trap.pmu.VmmPolicy;
import org.junit.jupiter.api.Test;

/**
 * Host CPU hotplug in a {@code trace:} schedule: a CPU without a PMU that is offline while the VMM
 * creates the vCPU and comes online later. KVM's v8+ precondition "the PMUs cover every CPU" and
 * {@code --pmu auto} look at the CPUs online at vCPU init; the vCPU may later run on the added CPU,
 * where nothing backs its cycle counter (fixed-counters-only v11: it stalls there; v5: the supported
 * set was the union of the PMUs' CPUs, so entry on it fails).
 */
class HotplugTest {
    /** CPUs 0-1 Cortex-A55, CPU 2 without a PMU, CPU 3 Cortex-A76. */
    static final Host GAP = Host.fromJson("{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0-1\"},"
            + "{\"core\":\"cortex-a76\",\"cpus\":\"3\"}]}", "gap.json", "gap");

    /** CPU 2 offline at init, online at 200 us; the vCPU goes 0 -> 3 -> 2 -> 0. */
    static final String TRACE = "0 offline 2\n0 0\n100 3\n200 online 2\n300 2\n400 0\n";

    static Scheduler trace(String text) {
        return Scheduler.parseTrace("trace:t", text, "t", GAP, 1, Long.MAX_VALUE, null);
    }

    @Test
    void traceHotplugLines() {
        Scheduler s = trace(TRACE);
        assertEquals(CpuSet.of(2), s.offlineAt(0));
        assertEquals(CpuSet.of(2), s.offlineAt(199));
        assertEquals(CpuSet.EMPTY, s.offlineAt(200));
        assertEquals(2, s.cpuAt(350));
        HostException early = assertThrows(HostException.class, () -> trace("0 offline 2\n0 0\n100 2\n300 online 2\n"));
        assertTrue(early.getMessage().contains("the placement at 100 us is on CPU 2, which is offline then"),
                early.getMessage());
        HostException away = assertThrows(HostException.class, () -> trace("0 3\n50 offline 3\n100 0\n"));
        assertTrue(away.getMessage().contains("CPU 3 goes offline at 50 us while the vCPU is placed on it"),
                away.getMessage());
        assertThrows(HostException.class, () -> trace("0 0\n10 offline 9\n"), "no CPU 9");
    }

    static HostedVcpu vcpu(String pmu, KvmAbi abi, Scheduler s) {
        CpuSet online = new CpuSet(GAP.allCpus().bits() & ~s.offlineAt(0).bits());
        return new HostedVcpu(GAP, s, VmmPolicy.plan(pmu, GAP, abi, true, QemuMachine.LATEST, online),
                KvmVm.Options.defaults().withAbi(abi), 0, -1);
    }

    @Test
    void kvmAndAutoLookAtTheCpusOnlineAtInit() {
        // all CPUs online: CPU 2 has no PMU, so v11 refuses a vPMU and auto gives none
        Scheduler allOnline = trace("0 0\n");
        KvmException e = assertThrows(KvmException.class, () -> vcpu("fixed-counters-only", KvmAbi.V11, allOnline));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("none", VmmPolicy.plan("auto", GAP, KvmAbi.V11, true).mode());
        // CPU 2 offline at init: accepted, and auto chooses fixed-counters-only
        VmmPolicy.Plan auto = VmmPolicy.plan("auto", GAP, KvmAbi.V11, true, QemuMachine.LATEST, CpuSet.of(0, 1, 3));
        assertEquals("fixed-counters-only", auto.mode());
        assertTrue(auto.reason().contains("the online CPUs 0-1,3"), auto.reason());
    }

    @Test
    void theCycleCounterStallsOnTheAddedCpu() throws Exception { // ImageLoadException moves to loader on main
        HostedVcpu v = vcpu("fixed-counters-only", KvmAbi.V11, trace(TRACE));
        VirtBoard b = HostedVcpuTest.board(v, HostedVcpuTest.PMCCNTR_LOOP);
        b.run(HostedVcpuTest.LOOP_INSNS + 100);
        assertNull(v.failEntry(), "v11 leaves the VM's CPU set alone: the vCPU may run on CPU 2");
        assertTrue(v.migrations().stream().anyMatch(m -> m.to() == 2), "ran on the added CPU");
        assertTrue(v.stalledNanos() >= 50_000, "no PMU backs the cycle counter on CPU 2: " + v.stalledNanos());
        assertTrue(b.cpu().x[3] > 1000, "reads that saw no change: " + b.cpu().x[3]);
        // v5: the flag narrowed the VM to the union of the PMUs' CPUs, so entry on CPU 2 fails
        HostedVcpu v5 = vcpu("fixed-counters-only", KvmAbi.V5, trace(TRACE));
        VirtBoard b5 = HostedVcpuTest.board(v5, HostedVcpuTest.PMCCNTR_LOOP);
        b5.run(HostedVcpuTest.LOOP_INSNS + 100);
        assertNotNull(v5.failEntry());
        assertEquals(2, v5.failEntry().cpu());
    }
}
