package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The JIT warm-up drives a throwaway target through the whole packet path, and only that target. */
class GdbWarmUpTest {
    private static final long NO_DEADLINE = System.nanoTime() + 600_000_000_000L;

    @Test
    void exerciseStepsTheScratchTargetThroughPackets() {
        FakeTarget scratch = new FakeTarget(1);
        assertEquals(50, GdbServer.exerciseOverTcp(scratch, 50, NO_DEADLINE));
        assertEquals(50, scratch.steps, "each vCont;s reached the target's step");
    }

    @Test
    void exerciseStopsWhenTheScratchGuestExits() {
        FakeTarget scratch = new FakeTarget(1);
        scratch.exitPc = scratch.regs[0][DebugTarget.PC] + 4 * 10;
        GdbServer.exerciseOverTcp(scratch, 1000, NO_DEADLINE);
        assertEquals(10, scratch.steps);
    }

    @Test
    void exerciseStopsAtItsDeadline() {
        FakeTarget scratch = new FakeTarget(1);
        assertEquals(0, GdbServer.exerciseOverTcp(scratch, 1000, System.nanoTime() - 1));
        assertEquals(0, scratch.steps);
    }
}
