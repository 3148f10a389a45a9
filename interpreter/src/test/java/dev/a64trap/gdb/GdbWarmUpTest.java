package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The JIT warm-up drives a throwaway target through the whole packet path, and only that target. */
class GdbWarmUpTest {
    @Test
    void exerciseStepsTheScratchTargetThroughPackets() {
        FakeTarget scratch = new FakeTarget(1);
        GdbServer.exercise(scratch, 50);
        assertEquals(50, scratch.steps, "each vCont;s reached the target's step");
    }

    @Test
    void exerciseStopsWhenTheScratchGuestExits() {
        FakeTarget scratch = new FakeTarget(1);
        scratch.exitPc = scratch.regs[0][DebugTarget.PC] + 4 * 10;
        GdbServer.exercise(scratch, 1000);
        assertEquals(10, scratch.steps);
    }
}
