package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Stop;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The board's generic timer, GIC and WFI in guest time, on hand-assembled code. */
class VirtBoardTimerTest {
    private static final int MRS_X1_CNTVCT = 0xd53be041, MOV_X2_1000 = 0xd2807d02, MSR_CNTV_TVAL_X2 = 0xd51be302,
            MOV_X3_1 = 0xd2800023, MSR_CNTV_CTL_X3 = 0xd51be323, WFI = 0xd503207f, MRS_X4_CNTVCT = 0xd53be044,
            MRS_X5_CNTV_CTL = 0xd53be325, B_SELF = 0x14000000;
    private static final long GICR_SGI_ISPENDR0 = 0x080A_0000L + 0x1_0000 + 0x200;

    private static VirtBoard board(HostedVcpu v, boolean jit, int... words) throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.vcpu = v;
        o.jit = jit;
        return VirtBoard.load(HostedVcpuTest.bytes(words), "timer.bin", o);
    }

    /** What the guest's GIC setup does (guest-images/src/gic.h), for PPI 27. */
    private static void openGicForPpi27(VirtBoard b) {
        b.memory().write(0x0800_0000L, 4, 1 << 4 | 1 << 1); // GICD_CTLR: ARE, EnableGrp1
        b.memory().write(0x080B_0080L, 4, 1L << 27); // GICR_IGROUPR0: Group 1
        b.memory().write(0x080B_0100L, 4, 1L << 27); // GICR_ISENABLER0
        b.cpu().sysRegs.byName("ICC_PMR_EL1").write(b.cpu(), 0xff);
        b.cpu().sysRegs.byName("ICC_IGRPEN1_EL1").write(b.cpu(), 1);
    }

    @Test
    void wfiSkipsGuestTimeToTheDeadlineWithoutRetiringInstructions() throws Exception {
        int[] code = {MRS_X1_CNTVCT, MOV_X2_1000, MSR_CNTV_TVAL_X2, MOV_X3_1, MSR_CNTV_CTL_X3, WFI, MRS_X4_CNTVCT,
            MRS_X5_CNTV_CTL, B_SELF};
        VirtBoard closed = board(null, false, code);
        assertEquals(Stop.Kind.WFI_NO_WAKEUP, closed.run(8).kind(), "PPI 27 not enabled: the timer cannot reach the PE");
        VirtBoard b = board(null, false, code);
        openGicForPpi27(b);
        Stop s = b.run(8);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        long[] x = b.cpu().x;
        // armed at t0 + 2 (TVAL written by the third instruction): the WFI ends exactly at that deadline
        assertEquals(x[1] + 2 + 1000, x[4] - 1, "CNTVCT after the WFI: the deadline, then one more instruction");
        assertEquals(5, x[5], "ENABLE | ISTATUS");
        assertEquals(8, b.cpu().retired, "the skipped time retired nothing");
    }

    @Test
    void theIdRegisterAdvertisesTheGicSystemRegisterInterface() throws Exception {
        VirtBoard b = board(null, false, B_SELF);
        long pfr0 = b.cpu().sysRegs.byName("ID_AA64PFR0_EL1").read(b.cpu());
        assertEquals(1, pfr0 >> 24 & 0xF, "GIC field: GICv3 CPU interface system registers implemented");
        assertEquals(0x22, pfr0 & 0xFF, "EL0/EL1 fields unchanged");
    }

    /** PSCI CPU_SUSPEND is a WFI (as in QEMU): it returns SUCCESS when the timer fires, or ends a run nothing can wake. */
    @Test
    void cpuSuspendWaitsForTheTimer() throws Exception {
        int movzX0 = 0xd2800020, movkX0 = 0xf2b08000, movX1 = 0xd2800001, hvc = 0xd4000002;
        int[] code = {MOV_X2_1000, MSR_CNTV_TVAL_X2, MOV_X3_1, MSR_CNTV_CTL_X3, movzX0, movkX0, movX1, hvc, MRS_X4_CNTVCT, B_SELF};
        VirtBoard b = board(null, false, code);
        openGicForPpi27(b);
        b.run(9);
        assertEquals(0, b.cpu().x[0], "SUCCESS");
        assertTrue(b.cpu().x[4] >= 1000, "woke at the deadline: " + b.cpu().x[4]);
        VirtBoard forever = board(null, false, movzX0, movkX0, movX1, hvc, B_SELF);
        Stop s = forever.run(100);
        assertEquals(Stop.Kind.EXIT, s.kind());
        assertEquals(VirtBoard.CPU_SUSPEND_FOREVER, s.status());
        assertTrue(forever.exitReason().contains("CPU_SUSPEND"), forever.exitReason());
    }

    @Test
    void aWfiNothingCanEndStopsTheRun() throws Exception {
        VirtBoard b = board(null, false, WFI, B_SELF);
        Stop s = b.run(1000);
        assertEquals(Stop.Kind.WFI_NO_WAKEUP, s.kind());
        assertEquals(0x4000_0000L, s.pc());
    }

    /** The deadline passes inside a loop (compiled with the JIT): the board's checkpoint raises PPI 27 on time. */
    @Test
    void theTimerPpiRisesAtTheDeadlineInsideCompiledCodeOnTheSimulatedHost() throws Exception {
        for (boolean jit : new boolean[] {false, true}) {
            HostedVcpu v = HostedVcpuTest.vcpu("default", "pinned:0", null);
            VirtBoard b = board(v, jit, MRS_X1_CNTVCT, MOV_X2_1000, MSR_CNTV_TVAL_X2, MOV_X3_1, MSR_CNTV_CTL_X3, B_SELF);
            b.run(5);
            assertEquals(0, b.memory().read(GICR_SGI_ISPENDR0, 4) >>> 27 & 1, "armed, not yet due");
            long armed = b.cpu().x[1];
            b.run(200_000);
            assertEquals(1, b.memory().read(GICR_SGI_ISPENDR0, 4) >>> 27 & 1, "pending after the deadline (jit " + jit + ")");
            assertTrue(v.nanoseconds() >= armed + 1000);
        }
    }
}
