package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Stop;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Several vCPUs on the board: guest-images/src/smp.c against QEMU's recorded output, the round-robin
 * interleaving's determinism, PSCI power states, SGIs and WFE/SEV on hand-assembled code.
 */
class VirtBoardSmpTest {
    private static final Path GUESTS = Path.of("..", "guest-images");

    private record Run(Stop stop, String out, long[] retired) {}

    private static Run smpGuest(boolean jit, long quantum) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VirtBoard.Options o = new VirtBoard.Options();
        o.smp = 8;
        o.lse = true;
        o.jit = jit;
        o.quantum = quantum;
        o.stdout = out;
        VirtBoard b = VirtBoard.load(GUESTS.resolve("prebuilt/smp.elf"), o);
        Stop s = b.run(400_000_000L);
        long[] retired = b.vcpus().stream().mapToLong(v -> v.cpu().retired).toArray();
        return new Run(s, out.toString(StandardCharsets.UTF_8), retired);
    }

    /** --trace with several vCPUs: every line names the vCPU that executed it; one vCPU keeps the plain format. */
    @Test
    void traceLinesNameTheirVcpu() throws Exception {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        VirtBoard.Options o = new VirtBoard.Options();
        o.smp = 8;
        o.lse = true;
        o.stdout = new ByteArrayOutputStream();
        o.trace = new java.io.PrintStream(trace, true, StandardCharsets.UTF_8);
        VirtBoard b = VirtBoard.load(GUESTS.resolve("prebuilt/smp.elf"), o);
        assertEquals(Stop.Kind.BUDGET, b.run(300_000).kind());
        String[] lines = trace.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines.length > 1000, "traced " + lines.length);
        for (String l : lines) {
            assertTrue(l.matches("cpu[0-7] [0-9a-f]{16}: [0-9a-f]{8}  .*"), l);
        }
        assertTrue(java.util.Arrays.stream(lines).anyMatch(l -> l.startsWith("cpu1 ")), "a secondary ran and was traced");
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        VirtBoard.Options o1 = new VirtBoard.Options();
        o1.stdout = new ByteArrayOutputStream();
        o1.trace = new java.io.PrintStream(one, true, StandardCharsets.UTF_8);
        VirtBoard.load(GUESTS.resolve("prebuilt/hello.elf"), o1).run(0);
        assertTrue(one.toString(StandardCharsets.UTF_8).matches("(?s)[0-9a-f]{16}: .*"), "one vCPU: no prefix");
    }

    @Test
    void theSmpGuestPrintsWhatQemuPrintsWhateverTheQuantum() throws Exception {
        String expected = Files.readString(GUESTS.resolve("expected/smp.out"));
        for (long quantum : new long[] {1000, 37, 5000}) {
            Run r = smpGuest(true, quantum);
            assertEquals(Stop.Kind.EXIT, r.stop().kind(), "quantum " + quantum + ":\n" + r.out());
            assertEquals(0, r.stop().status(), r.out());
            assertEquals(expected, r.out(), "quantum " + quantum);
        }
    }

    @Test
    void sameOptionsSameInterleaving() throws Exception {
        Run a = smpGuest(false, 101);
        Run b = smpGuest(false, 101);
        assertEquals(a.out(), b.out());
        assertEquals(java.util.Arrays.toString(a.retired()), java.util.Arrays.toString(b.retired()),
                "every vCPU retired the same instructions in both runs");
        Run c = smpGuest(false, 1000);
        assertFalse(java.util.Arrays.equals(a.retired(), c.retired()),
                "another quantum interleaves differently (and spins differently), so the counts show the interleaving");
    }

    /**
     * A run cut into slices by its budget (as run --plot samples it, or a debugger that polls) is the
     * run in one go: the next slice goes on with the round, even inside a vCPU's turn, where the last
     * one stopped. Slices of a prime size and of random sizes land inside turns of quantum 101.
     */
    @Test
    void aRunInSlicesIsTheRunInOneGo() throws Exception {
        Run whole = smpGuest(true, 101);
        assertEquals(Stop.Kind.EXIT, whole.stop().kind(), whole.out());
        java.util.Random rnd = new java.util.Random(7);
        for (int variant = 0; variant < 2; variant++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VirtBoard.Options o = new VirtBoard.Options();
            o.smp = 8;
            o.lse = true;
            o.jit = true;
            o.quantum = 101;
            o.stdout = out;
            VirtBoard b = VirtBoard.load(GUESTS.resolve("prebuilt/smp.elf"), o);
            Stop s;
            int slices = 0;
            do {
                long step = variant == 0 ? 997 : 1 + rnd.nextInt(5000);
                s = b.run(b.retiredTotal() + step);
                slices++;
            } while (s.kind() == Stop.Kind.BUDGET && b.retiredTotal() < 400_000_000L);
            long[] retired = b.vcpus().stream().mapToLong(v -> v.cpu().retired).toArray();
            assertTrue(slices > 100, "slices " + slices);
            assertEquals(whole.stop().kind(), s.kind(), out.toString(StandardCharsets.UTF_8));
            assertEquals(whole.out(), out.toString(StandardCharsets.UTF_8), "variant " + variant);
            assertEquals(java.util.Arrays.toString(whole.retired()), java.util.Arrays.toString(retired),
                    "variant " + variant + ": every vCPU retired the same instructions, in slices or not");
        }
    }

    // hand-assembled (aarch64-linux-gnu-as)
    private static final int MOVZ_X0_C400_LSL16 = 0xd2b88000, MOVK_X0_3 = 0xf2800060, MOV_X1_1 = 0xd2800021,
            ADR_X2_PLUS_20 = 0x100000a2, MOV_X3_42 = 0xd2800543, HVC_0 = 0xd4000002, WFE = 0xd503205f,
            SEV = 0xd503209f, B_SELF = 0x14000000, MRS_X5_MPIDR = 0xd53800a5, B_MINUS_4 = 0x17ffffff;

    private static VirtBoard raw(int smp, int... words) throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.smp = smp;
        o.jit = false;
        return VirtBoard.load(HostedVcpuTest.bytes(words), "smp.bin", o);
    }

    @Test
    void cpuOnStartsASecondaryWithTheContextIdAndItsOwnMpidr() throws Exception {
        // vCPU 0: CPU_ON64(target 1, entry = the SEV's address, context 42), then WFE until vCPU 1's SEV
        VirtBoard b = raw(2, MOVZ_X0_C400_LSL16, MOVK_X0_3, MOV_X1_1, ADR_X2_PLUS_20, MOV_X3_42, HVC_0, WFE, B_SELF,
                MRS_X5_MPIDR, SEV, B_SELF);
        VirtBoard.Vcpu one = b.vcpus().get(1);
        assertFalse(one.isOn(), "secondaries start powered off, as on QEMU");
        Stop s = b.run(20_000);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(0, b.cpu().x[0], "CPU_ON: SUCCESS");
        assertTrue(one.isOn());
        assertEquals(42, one.cpu().x[0], "the context id in x0");
        assertEquals(0x8000_0001L, one.cpu().x[5], "vCPU 1's MPIDR_EL1");
        assertEquals(0x4000_0000L + 7 * 4, b.cpu().pc, "vCPU 0 woke from WFE by vCPU 1's SEV and spins after it");
        assertEquals(0x4000_0000L + 10 * 4, one.cpu().pc);
        assertEquals(1, one.cpu().el);
        assertEquals(0xF, one.cpu().daif, "entered with DAIF masked");
    }

    @Test
    void everyVcpuWaitingWithNothingToWakeItStopsTheRun() throws Exception {
        VirtBoard b = raw(2, WFE, WFE, B_MINUS_4);
        Stop s = b.run(0);
        assertEquals(Stop.Kind.WFI_NO_WAKEUP, s.kind(), "vCPU 1 is off and vCPU 0 waits for an event nobody sends");
        assertTrue(b.exitReason().contains("every vCPU waits"), b.exitReason());
    }

    /** Each vCPU is its own KVM vCPU of one VM on the simulated host; the VM's attributes are shared and freeze once it ran. */
    @Test
    void everyVcpuIsAKvmVcpuOfOneVm() throws Exception {
        dev.a64trap.host.Host host = dev.a64trap.host.Host.preset("rk3588");
        HostedVcpu first = new HostedVcpu(host, dev.a64trap.host.Scheduler.parse("random:10", null, host, 1),
                dev.a64trap.pmu.VmmPolicy.plan("fixed-counters-only", host, dev.a64trap.pmu.KvmAbi.V8, true),
                dev.a64trap.pmu.KvmVm.Options.defaults(), 0, -1);
        HostedVcpu second = first.sibling(dev.a64trap.host.Scheduler.parse("random:10", null, host, 2), 0);
        assertTrue(first.vm() == second.vm(), "one VM");
        assertEquals(2, first.vm().vcpus().size());
        assertTrue(second.vm().fixedCountersOnly(), "the VM-wide attribute holds for the sibling too");
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.smp = 2;
        o.jit = false;
        o.vcpu = first;
        o.moreVcpus = i -> second;
        VirtBoard b = VirtBoard.load(HostedVcpuTest.bytes(new int[] {MOVZ_X0_C400_LSL16, MOVK_X0_3, MOV_X1_1,
            ADR_X2_PLUS_20, MOV_X3_42, HVC_0, WFE, B_SELF, MRS_X5_MPIDR, SEV, B_MINUS_4}), "smp.bin", o);
        assertEquals(Stop.Kind.BUDGET, b.run(200_000).kind());
        assertTrue(b.vcpus().get(1).isOn());
        assertTrue(first.currentCpu() >= 0 && second.currentCpu() >= 0, "both vCPUs were placed on pCPUs");
        assertTrue(first.vm().hasRun());
        dev.a64trap.pmu.KvmVcpu late = first.vm().createVcpu();
        late.init(true, false, 0);
        dev.a64trap.pmu.KvmException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.a64trap.pmu.KvmException.class,
                () -> late.setAttr(dev.a64trap.pmu.PmuAttr.SET_PMU, host.pmus().get(0).typeId()));
        assertEquals(dev.a64trap.pmu.Errno.EBUSY, e.errno(), "a VM-wide attribute after a vCPU ran");
    }

    /**
     * vCPU 0: CPU_ON(1, context = an address), LDXR there, WFE, STXR. vCPU 1 stores 7 at the address
     * it was given, then SEV. A store into vCPU 0's reservation granule clears its monitor (the STXR
     * fails, status 1); one into another granule does not (the SEV wakes it and the STXR succeeds).
     */
    private static long stxrStatusAfterOtherVcpuStoresTo(int movkX3Context) throws Exception {
        VirtBoard b = raw(2, 0xd2b88000, 0xf2800060, 0xd2800021, 0x10000142, 0xd2a80003, movkX3Context, 0xd4000002,
                0xd2a80001, 0xf2820001, 0xc85f7c22, WFE, 0xc8047c22, B_SELF, 0xd28000e5, 0xf9000005, SEV, B_SELF);
        assertEquals(Stop.Kind.BUDGET, b.run(10_000).kind());
        assertEquals(0x4000_0000L + 12 * 4, b.cpu().pc, "vCPU 0 got past its WFE");
        return b.cpu().x[4];
    }

    @Test
    void anotherVcpusStoreToTheGranuleClearsTheExclusiveMonitor() throws Exception {
        assertEquals(1, stxrStatusAfterOtherVcpuStoresTo(0xf2820003), "store to 0x4000_1000: STXR fails");
        assertEquals(0, stxrStatusAfterOtherVcpuStoresTo(0xf2840003), "store to 0x4000_2000: STXR succeeds");
    }
}
