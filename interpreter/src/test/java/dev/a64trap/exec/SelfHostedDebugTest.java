package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import org.junit.jupiter.api.Test;

/** Self-hosted debug from an EL1 kernel debugging EL0 code: software step, breakpoints, watchpoints. */
class SelfHostedDebugTest {
    private static final long EL0_CODE = Rig.CODE + 0x40;
    private static final long LOWER_SYNC = Rig.VBAR + 0x400;
    private static final int IL = 1 << 25;

    private static I movz(int rd, long v) {
        return I.op(Op.MOVZ).rd(rd).imm(v & 0xFFFF).amount(0);
    }

    /** EL1 executes ERET to {@code EL0_CODE} (EL0t) with SPSR.SS = {@code ss}; debug registers written as MSR would. */
    private static Rig toEl0(boolean ss, boolean unlock, I... el0) {
        Rig r = new Rig().vectors().code(I.op(Op.ERET));
        r.at(EL0_CODE, el0);
        r.cpu.sys.elr = EL0_CODE;
        r.cpu.sys.spsr = ss ? 1L << 21 : 0;
        if (unlock) {
            write(r, "OSLAR_EL1", 0);
        }
        return r;
    }

    private static void write(Rig r, String name, long v) {
        r.cpu.sysRegs.byName(name).write(r.cpu, v);
    }

    @Test
    void softwareStepOfEl0TakesStepExceptionAfterOneInstruction() {
        Rig r = toEl0(true, true, movz(0, 1), movz(1, 2), InterpreterTest.PARK);
        write(r, "MDSCR_EL1", 1); // SS
        r.run(3); // ERET, one stepped MOVZ, then the vector's first instruction
        assertEquals(1, r.x(0));
        assertEquals(0, r.x(1), "only one instruction stepped");
        assertEquals(0x32L << 26 | IL | 1 << 24 | 0x22, r.cpu.sys.esr, "EC 0x32, ISV = 1, EX = 0, IFSC 0x22");
        assertEquals(EL0_CODE + 4, r.cpu.sys.elr);
        assertEquals(0, r.cpu.sys.spsr & 1L << 21, "SPSR.SS = 0: active-pending");
        assertEquals(LOWER_SYNC, r.cpu.pc);
    }

    @Test
    void eretWithSsClearStepsNothing() {
        Rig r = toEl0(false, true, movz(0, 1), InterpreterTest.PARK);
        write(r, "MDSCR_EL1", 1);
        r.run(2);
        assertEquals(0, r.x(0));
        assertEquals(0x32L << 26 | IL | 0x22, r.cpu.sys.esr, "ISV = 0: no instruction was stepped");
        assertEquals(EL0_CODE, r.cpu.sys.elr);
    }

    @Test
    void osLockAtResetDisablesStep() {
        Rig r = toEl0(true, false, movz(0, 1), movz(1, 2), InterpreterTest.PARK);
        write(r, "MDSCR_EL1", 1);
        r.run(3);
        assertEquals(0, r.cpu.el, "no debug exception under the OS lock");
        assertEquals(2, r.x(1));
        assertEquals(0xAL, r.cpu.sysRegs.byName("OSLSR_EL1").read(r.cpu), "OSLM = 0b10, OSLK = 1");
    }

    @Test
    void breakpointOnEl0Instruction() {
        Rig r = toEl0(false, true, movz(0, 1), movz(1, 2), InterpreterTest.PARK);
        write(r, "MDSCR_EL1", 1L << 15); // MDE
        write(r, "DBGBVR1_EL1", EL0_CODE + 4);
        write(r, "DBGBCR1_EL1", 0xF << 5 | 2 << 1 | 1); // BAS = 0b1111, PMC = EL0, E
        r.cpu.sys.far = 0x1234;
        r.run(3);
        assertEquals(1, r.x(0));
        assertEquals(0, r.x(1), "the breakpointed instruction did not execute");
        assertEquals(0x30L << 26 | IL | 0x22, r.cpu.sys.esr);
        assertEquals(EL0_CODE + 4, r.cpu.sys.elr);
        assertEquals(0x1234, r.cpu.sys.far, "FAR not written");
    }

    @Test
    void breakpointForEl1OnlyIgnoresEl0() {
        Rig r = toEl0(false, true, movz(0, 1), movz(1, 2), InterpreterTest.PARK);
        write(r, "MDSCR_EL1", 1L << 15);
        write(r, "DBGBVR0_EL1", EL0_CODE + 4);
        write(r, "DBGBCR0_EL1", 0xF << 5 | 1 << 1 | 1); // PMC = EL1 only
        r.run(3);
        assertEquals(2, r.x(1));
        assertEquals(0, r.cpu.el);
    }

    @Test
    void storeWatchpointIgnoresLoadAndCatchesStore() {
        Rig r = toEl0(false, true,
                I.op(Op.LDR).rd(3).rn(2).imm(0).mode(Insn.MODE_OFFSET),
                I.op(Op.STR).rd(1).rn(2).imm(0).mode(Insn.MODE_OFFSET),
                InterpreterTest.PARK);
        r.cpu.x[1] = 0x55;
        r.cpu.x[2] = Rig.DATA + 8;
        r.mem.write(Rig.DATA + 8, 8, 7);
        write(r, "MDSCR_EL1", 1L << 15);
        write(r, "DBGWVR2_EL1", Rig.DATA + 8);
        write(r, "DBGWCR2_EL1", 0xFF << 5 | 2 << 3 | 2 << 1 | 1); // BAS all bytes, LSC = store, PAC = EL0, E
        r.run(4);
        assertEquals(7, r.x(3), "the load ran");
        assertEquals(7, r.mem.read(Rig.DATA + 8, 8), "the store did not happen");
        assertEquals(0x34L << 26 | IL | 1 << 6 | 0x22, r.cpu.sys.esr, "EC 0x34, WnR, DFSC 0x22");
        assertEquals(Rig.DATA + 8, r.cpu.sys.far);
        assertEquals(EL0_CODE + 4, r.cpu.sys.elr);
    }

    @Test
    void gdbWatchpointStillStopsWhileGuestDebugIsArmed() {
        Rig r = toEl0(true, true,
                I.op(Op.STR).rd(1).rn(2).imm(0).mode(Insn.MODE_OFFSET),
                InterpreterTest.PARK);
        r.cpu.x[2] = Rig.DATA;
        write(r, "MDSCR_EL1", 1); // stepping: the guest debug path runs
        long[] seen = {-1};
        r.interp.setDebugHook(new DebugHook() {
            @Override
            public boolean dataAccess(long pc, long address, int size, boolean write) {
                seen[0] = address;
                return write;
            }

            @Override
            public boolean sysRegAccess(long pc, dev.a64trap.sysreg.SysReg reg, boolean write) {
                return false;
            }
        });
        Stop s = r.run(10);
        assertEquals(Stop.Kind.DEBUG, s.kind());
        assertEquals(Rig.DATA, seen[0]);
        assertEquals(EL0_CODE, r.cpu.pc, "stopped before the store");
        assertEquals(0, r.cpu.el);
    }

    @Test
    void debugOffKeepsFastPath() {
        Rig r = toEl0(true, true, movz(0, 1), InterpreterTest.PARK);
        assertFalse(r.cpu.sys.debugArmed);
        write(r, "DBGBCR0_EL1", 1); // enabled but MDE clear
        assertFalse(r.cpu.sys.debugArmed);
    }

    /** A breakpoint linked (LBN) to a context-aware linked context-ID breakpoint fires only in that context. */
    @Test
    void linkedBreakpointFiresOnlyInTheLinkedContext() {
        for (long cid : new long[] {0x42, 0x43}) {
            Rig r = toEl0(false, true, movz(0, 1), movz(1, 2), InterpreterTest.PARK);
            write(r, "CONTEXTIDR_EL1", cid);
            write(r, "MDSCR_EL1", 1L << 15);
            write(r, "DBGBVR4_EL1", 0x42); // context-aware (the A57's breakpoints 4 and 5)
            write(r, "DBGBCR4_EL1", 0b0011L << 20 | 3 << 1 | 1); // linked context ID, E
            write(r, "DBGBVR1_EL1", EL0_CODE + 4);
            write(r, "DBGBCR1_EL1", 0b0001L << 20 | 4L << 16 | 0xF << 5 | 2 << 1 | 1); // linked address, LBN = 4
            r.run(3);
            if (cid == 0x42) {
                assertEquals(0, r.x(1), "matched: the breakpointed instruction did not execute");
                assertEquals(0x30L << 26 | IL | 0x22, r.cpu.sys.esr);
                assertEquals(EL0_CODE + 4, r.cpu.sys.elr);
            } else {
                assertEquals(2, r.x(1), "another context: no breakpoint");
                assertEquals(0, r.cpu.el);
            }
        }
    }

    /** An unlinked context-ID breakpoint stops the first instruction of the context, on a context-aware breakpoint only. */
    @Test
    void unlinkedContextBreakpointNeedsAContextAwareBreakpoint() {
        for (int n : new int[] {5, 3}) {
            Rig r = toEl0(false, true, movz(0, 1), movz(1, 2), InterpreterTest.PARK);
            write(r, "CONTEXTIDR_EL1", 7);
            write(r, "MDSCR_EL1", 1L << 15);
            write(r, "DBGBVR" + n + "_EL1", 7);
            write(r, "DBGBCR" + n + "_EL1", 0b0010L << 20 | 2 << 1 | 1); // unlinked context ID, EL0
            r.run(3);
            if (n == 5) {
                assertEquals(0, r.x(0), "the first EL0 instruction is stopped");
                assertEquals(0x30L << 26 | IL | 0x22, r.cpu.sys.esr);
                assertEquals(EL0_CODE, r.cpu.sys.elr);
            } else {
                assertEquals(2, r.x(1), "breakpoint 3 cannot match a context");
            }
        }
    }

    /** A watchpoint with WT = 1 is linked to a context-ID breakpoint: it fires only in that context. */
    @Test
    void linkedWatchpointFollowsTheContext() {
        for (long cid : new long[] {9, 10}) {
            Rig r = toEl0(false, true, I.op(Op.STR).rd(1).rn(2).imm(0).mode(Insn.MODE_OFFSET), InterpreterTest.PARK);
            r.cpu.x[1] = 0x55;
            r.cpu.x[2] = Rig.DATA + 8;
            write(r, "CONTEXTIDR_EL1", cid);
            write(r, "MDSCR_EL1", 1L << 15);
            write(r, "DBGBVR5_EL1", 9);
            write(r, "DBGBCR5_EL1", 0b0011L << 20 | 3 << 1 | 1);
            write(r, "DBGWVR0_EL1", Rig.DATA + 8);
            write(r, "DBGWCR0_EL1", 1L << 20 | 5L << 16 | 0xFF << 5 | 2 << 3 | 2 << 1 | 1); // WT, LBN = 5, store, EL0
            r.run(2);
            assertEquals(cid == 9 ? 0 : 0x55, r.mem.read(Rig.DATA + 8, 8), "context " + cid);
            assertEquals(cid == 9 ? 1 : 0, r.cpu.el, "context " + cid);
        }
    }
}
