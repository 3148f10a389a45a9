package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysRegEncoding;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    static final I PARK = I.op(Op.B).imm(0);

    private static I movz(int rd, long v) {
        return I.op(Op.MOVZ).rd(rd).imm(v & 0xFFFF).amount(0);
    }

    private static I addi(int rd, int rn, long imm) {
        return I.op(Op.ADD_IMM).rd(rd).rn(rn).imm(imm);
    }

    @Test
    void countedLoopRetiresExactInstructions() {
        // x0 = 10; loop: x1 += 3; subs x0, x0, #1; b.ne loop; park
        Rig r = new Rig().code(
                movz(0, 10),
                addi(1, 1, 3),
                I.op(Op.SUB_IMM).rd(0).rn(0).imm(1).s(),
                I.op(Op.B_COND).cond(1).imm(-8),
                PARK);
        Stop s = r.run(1 + 3 * 10 + 5);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(30, r.x(1));
        assertEquals(0, r.x(0));
        assertEquals(Rig.CODE + 16, r.cpu.pc, "4 park iterations then stopped exactly at the budget");
        assertEquals(36, r.cpu.retired);
        assertEquals(10 + 5, r.interp.events.branches);
    }

    @Test
    void budgetStopsInsideABlock() {
        Rig r = new Rig().code(movz(0, 1), movz(1, 2), movz(2, 3), PARK);
        Stop s = r.run(2);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(Rig.CODE + 8, s.pc());
        assertEquals(0, r.x(2));
        assertEquals(2, r.cpu.retired);
    }

    @Test
    void subsFlagsAndCsel() {
        Rig r = new Rig().code(
                movz(0, 5),
                I.op(Op.SUB_IMM).rd(31).rn(0).imm(6).s(), // cmp x0, #6 -> N, borrow
                I.op(Op.CSINC).rd(2).rn(31).rm(31).cond(0xB), // cset-ish: lt? rn(0) : 0+1
                I.op(Op.CSNEG).rd(3).rn(0).rm(0).cond(0xA), // ge ? x0 : -x0
                PARK);
        r.run(5);
        assertEquals(0b1000, r.cpu.nzcv);
        assertEquals(0, r.x(2), "LT holds: rn = xzr");
        assertEquals(-5L, r.x(3), "GE fails: negated rm");
    }

    @Test
    void addImmediateUsesSpButSetFlagsFormWritesZr() {
        Rig r = new Rig().code(
                I.op(Op.ADD_IMM).rd(31).rn(31).imm(0x40),
                I.op(Op.ADD_IMM).rd(31).rn(31).imm(0x10).s(),
                PARK);
        r.cpu.x[31] = 0x1000;
        r.run(2);
        assertEquals(0x1040, r.cpu.x[31], "cmn form must not write SP");
        assertEquals(0x1040, r.cpu.sp(1));
    }

    @Test
    void thirtyTwoBitResultsZeroExtend() {
        Rig r = new Rig().code(
                I.op(Op.MOVN).rd(0).imm(0).amount(0), // x0 = -1
                I.op(Op.ADD_IMM).w().rd(1).rn(0).imm(1).s(),
                PARK);
        r.run(2);
        assertEquals(0, r.x(1));
        assertEquals(0b0110, r.cpu.nzcv, "w: 0xffffffff + 1 = 0, Z and C");
    }

    @Test
    void loadStoreModesAndWriteback() {
        Rig r = new Rig().code(
                I.op(Op.STR).rd(1).rn(2).imm(16).mode(Insn.MODE_PRE), // [x2, #16]!
                I.op(Op.STR).w().size(2).rd(1).rn(2).imm(8).mode(Insn.MODE_POST), // str w1, [x2], #8
                I.op(Op.LDR).rd(3).rn(4).rm(5).shift(Insn.EXT_UXTX).amount(3).mode(Insn.MODE_REG),
                I.op(Op.LDR).size(0).flags(Insn.FLAG_SIGNED).rd(6).rn(4).imm(23).mode(Insn.MODE_OFFSET),
                I.op(Op.LDR).w().size(1).flags(Insn.FLAG_SIGNED).rd(7).rn(4).imm(22).mode(Insn.MODE_OFFSET),
                I.op(Op.STP).rd(1).ra(8).rn(2).imm(-16).mode(Insn.MODE_PRE),
                I.op(Op.LDP).size(2).flags(Insn.FLAG_SIGNED).rd(9).ra(10).rn(2).imm(0).mode(Insn.MODE_OFFSET),
                PARK);
        r.cpu.x[1] = 0xFFEE_DDCC_8899_AABBL;
        r.cpu.x[2] = Rig.DATA;
        r.cpu.x[4] = Rig.DATA;
        r.cpu.x[5] = 2;
        r.cpu.x[8] = 0x8000_0000_7FFF_FFFFL;
        r.run(7);
        assertEquals(Rig.DATA + 24 - 16, r.x(2), "pre then post then pre writeback");
        assertEquals(0xFFEE_DDCC_8899_AABBL, r.mem.read(Rig.DATA + 8, 8), "stp first register");
        assertEquals(0x8000_0000_7FFF_FFFFL, r.mem.read(Rig.DATA + 16, 8), "stp second register");
        assertEquals(0xFFEE_DDCC_8899_AABBL, r.x(3), "[x4, x5, lsl #3]");
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, r.x(6), "ldrsb x: byte 0xFF at +23");
        assertEquals(0xFFFF_FFEEL, r.x(7), "ldrsh w: sign-extended to 32 then zero-extended");
        assertEquals(0xFFFF_FFFF_8899_AABBL, r.x(9), "ldpsw first");
        assertEquals(0xFFFF_FFFF_FFEE_DDCCL, r.x(10), "ldpsw second");
    }

    @Test
    void unalignedLoadWithMmuOffIsAlignmentFault() {
        Rig r = new Rig().vectors().code(
                I.op(Op.LDR).rd(0).rn(1).imm(0).mode(Insn.MODE_OFFSET), PARK);
        r.cpu.x[1] = Rig.DATA + 4;
        r.run(1);
        assertEquals(Rig.VBAR + 0x200, r.cpu.pc, "current EL with SPx, synchronous");
        assertEquals(0x9600_0021L, r.cpu.sys.esr, "EC 0x25, IL, DFSC alignment");
        assertEquals(Rig.DATA + 4, r.cpu.sys.far);
        assertEquals(Rig.CODE, r.cpu.sys.elr);
        assertEquals(0x3C5L, r.cpu.sys.spsr, "EL1h, DAIF masked");
    }

    @Test
    void unalignedLoadWithMmuOnAndAClearIsAllowed() {
        Rig r = new Rig().vectors().code(I.op(Op.LDR).size(2).w().rd(0).rn(1).mode(Insn.MODE_OFFSET), PARK);
        r.cpu.sys.sctlr |= BaseSysRegs.SCTLR_M;
        r.mem.write(Rig.DATA, 8, 0x1122_3344_5566_7788L);
        r.cpu.x[1] = Rig.DATA + 1;
        r.run(2);
        assertEquals(0x4455_6677L, r.x(0));
    }

    @Test
    void storeToUnmappedAddressIsSynchronousExternalAbortWithWnR() {
        Rig r = new Rig().vectors().code(I.op(Op.STR).rd(0).rn(1).mode(Insn.MODE_OFFSET), PARK);
        r.cpu.x[1] = 0x1000;
        r.run(1);
        assertEquals(0x9600_0050L, r.cpu.sys.esr, "EC 0x25, DFSC 0x10, WnR");
        assertEquals(0x1000, r.cpu.sys.far);
        assertEquals(1, r.interp.events.exceptions);
    }

    @Test
    void spAlignmentFault() {
        Rig r = new Rig().vectors().code(I.op(Op.LDR).rd(0).rn(31).mode(Insn.MODE_OFFSET), PARK);
        r.cpu.x[31] = Rig.DATA + 8;
        r.run(1);
        assertEquals(0x9A00_0000L, r.cpu.sys.esr, "EC 0x26");
        assertEquals(Rig.CODE, r.cpu.sys.elr);
    }

    @Test
    void exclusivesPassThenFailAfterClrex() {
        Rig r = new Rig().code(
                I.op(Op.LDXR).rd(0).rn(1).mode(Insn.MODE_BASE),
                I.op(Op.ADD_IMM).rd(0).rn(0).imm(1),
                I.op(Op.STXR).rd(0).rm(2).rn(1).mode(Insn.MODE_BASE),
                I.op(Op.LDXR).rd(0).rn(1).mode(Insn.MODE_BASE),
                I.op(Op.CLREX),
                I.op(Op.STXR).rd(5).rm(3).rn(1).mode(Insn.MODE_BASE),
                PARK);
        r.cpu.x[1] = Rig.DATA;
        r.cpu.x[5] = 99;
        r.mem.write(Rig.DATA, 8, 41);
        r.run(6);
        assertEquals(0, r.x(2), "first stxr succeeds");
        assertEquals(1, r.x(3), "stxr after clrex fails");
        assertEquals(42, r.mem.read(Rig.DATA, 8));
    }

    @Test
    void exceptionReturnClearsMonitor() {
        Rig r = new Rig().code(
                I.op(Op.LDXR).rd(0).rn(1).mode(Insn.MODE_BASE),
                I.op(Op.ERET));
        r.at(Rig.CODE + 0x100, I.op(Op.STXR).rd(0).rm(2).rn(1).mode(Insn.MODE_BASE), PARK);
        r.cpu.x[1] = Rig.DATA;
        r.cpu.sys.elr = Rig.CODE + 0x100;
        r.cpu.sys.spsr = 0x3C5;
        r.run(3);
        assertEquals(1, r.x(2));
    }

    @Test
    void atomicsUndefinedWithoutLse() {
        Rig r = new Rig(false).vectors().code(I.op(Op.LDADD).rm(0).rd(1).rn(2).mode(Insn.MODE_BASE), PARK);
        r.cpu.x[2] = Rig.DATA;
        r.run(1);
        assertEquals(0x0200_0000L, r.cpu.sys.esr);
    }

    @Test
    void lseAtomics() {
        Rig r = new Rig(true).code(
                I.op(Op.LDADD).rm(0).rd(1).rn(9).mode(Insn.MODE_BASE),
                I.op(Op.LDSMAX).size(2).rm(3).rd(4).rn(10).mode(Insn.MODE_BASE),
                I.op(Op.SWP).rm(5).rd(6).rn(11).mode(Insn.MODE_BASE),
                I.op(Op.CAS).rm(7).rd(8).rn(9).mode(Insn.MODE_BASE),
                PARK);
        r.mem.write(Rig.DATA, 8, 100);
        r.mem.write(Rig.DATA + 8, 4, 0xFFFF_FFF0L); // -16 as int
        r.mem.write(Rig.DATA + 16, 8, 7);
        r.cpu.x[0] = 5;
        r.cpu.x[3] = 0xFFFF_FFFFL; // -1 as int: bigger than -16
        r.cpu.x[5] = 9;
        r.cpu.x[7] = 105;
        r.cpu.x[8] = 1234;
        r.cpu.x[9] = Rig.DATA;
        r.cpu.x[10] = Rig.DATA + 8;
        r.cpu.x[11] = Rig.DATA + 16;
        r.run(4);
        assertEquals(100, r.x(1));
        assertEquals(0xFFFF_FFF0L, r.x(4));
        assertEquals(0xFFFF_FFFFL, r.mem.read(Rig.DATA + 8, 4));
        assertEquals(7, r.x(6));
        assertEquals(9, r.mem.read(Rig.DATA + 16, 8));
        assertEquals(105, r.x(7), "cas returns old value");
        assertEquals(1234, r.mem.read(Rig.DATA, 8), "cas matched 105 and stored");
    }

    @Test
    void svcBrkUndefSyndromesAndReturnAddresses() {
        Rig r = new Rig().vectors().code(I.op(Op.SVC).imm(0x1234));
        r.run(1);
        assertEquals(0x5600_1234L, r.cpu.sys.esr);
        assertEquals(Rig.CODE + 4, r.cpu.sys.elr, "SVC returns past itself");
        assertEquals(Rig.VBAR + 0x200, r.cpu.pc);

        r = new Rig().vectors().code(I.op(Op.BRK).imm(7));
        r.run(1);
        assertEquals(0xF200_0007L, r.cpu.sys.esr);
        assertEquals(Rig.CODE, r.cpu.sys.elr, "BRK returns to itself");

        r = new Rig().vectors().code(I.op(Op.UNDEFINED));
        r.run(1);
        assertEquals(0x0200_0000L, r.cpu.sys.esr);
        assertEquals(Rig.CODE, r.cpu.sys.elr);
        assertEquals(1, r.cpu.retired, "an UNDEFINED instruction does not retire: the one retired is the vector's");
        assertEquals(Rig.VBAR + 0x200, r.cpu.pc);
    }

    @Test
    void hvcAndSmcWithoutFirmwareAreUndefined() {
        Rig r = new Rig().vectors().code(I.op(Op.HVC).imm(0));
        r.run(1);
        assertEquals(0x0200_0000L, r.cpu.sys.esr);
        r = new Rig().vectors().code(I.op(Op.SMC).imm(0));
        r.run(1);
        assertEquals(0x0200_0000L, r.cpu.sys.esr);
    }

    @Test
    void platformExitStopsWithStatus() {
        Rig r = new Rig().code(movz(0, 0x18), I.op(Op.HLT).imm(0xF000), PARK);
        r.platform = new Platform() {
            @Override
            public int semihosting(Cpu c) {
                return c.x[0] == 0x18 ? 3 : CONTINUE;
            }

            @Override
            public int hvc(Cpu c, int imm) {
                return UNDEFINED;
            }

            @Override
            public int smc(Cpu c, int imm) {
                return UNDEFINED;
            }
        };
        Stop s = r.run(100);
        assertEquals(Stop.Kind.EXIT, s.kind());
        assertEquals(3, s.status());
        assertEquals(2, r.cpu.retired);
    }

    @Test
    void exceptionWithoutVectorStopsTheRun() {
        Rig r = new Rig().code(movz(0, 1), I.op(Op.BRK).imm(3));
        Stop s = r.run(100);
        assertEquals(Stop.Kind.EXCEPTION, s.kind());
        assertEquals(Rig.CODE + 4, s.pc());
        assertEquals(0xF200_0003L, s.esr());
        assertEquals(Rig.TOKEN + 1, s.word());
    }

    @Test
    void vectorOffsetsFromEl0AndSp0() {
        Rig r = new Rig().vectors().code(I.op(Op.SVC).imm(1));
        r.cpu.setMode(0, 0);
        r.run(1);
        assertEquals(Rig.VBAR + 0x400, r.cpu.pc, "lower EL AArch64");
        assertEquals(0x3C0L, r.cpu.sys.spsr, "EL0t with the reset DAIF mask");
        assertEquals(1, r.cpu.el);

        r = new Rig().vectors().code(I.op(Op.SVC).imm(1));
        r.cpu.setMode(1, 0);
        r.run(1);
        assertEquals(Rig.VBAR, r.cpu.pc, "current EL with SP0");
        assertEquals(0x3C4L, r.cpu.sys.spsr);
    }

    @Test
    void mrsTrapAtEl0AndUndefinedForEl1Registers() {
        int ctr = SysRegEncoding.of(3, 3, 0, 0, 1);
        Rig r = new Rig().vectors().code(I.op(Op.MRS).rd(3).imm(ctr));
        r.cpu.setMode(0, 0);
        r.run(1);
        // EC 0x18, op0=3 op2=1 op1=3 CRn=0 Rt=3 CRm=0 read
        assertEquals((0x18L << 26) | (1 << 25) | (3 << 20) | (1 << 17) | (3 << 14) | (3 << 5) | 1, r.cpu.sys.esr);

        r = new Rig().vectors().code(I.op(Op.MRS).rd(3).imm(SysRegEncoding.of(3, 0, 1, 0, 0)));
        r.cpu.setMode(0, 0);
        r.run(1);
        assertEquals(0x0200_0000L, r.cpu.sys.esr, "SCTLR_EL1 at EL0 is UNDEFINED");
    }

    @Test
    void mrsReadsGuestTimeAndIdRegisters() {
        Rig r = new Rig().code(movz(0, 1), movz(0, 2), I.op(Op.MRS).rd(1).imm(SysRegEncoding.of(3, 3, 14, 0, 2)),
                I.op(Op.MRS).rd(2).imm(SysRegEncoding.of(3, 0, 0, 0, 0)), PARK);
        r.run(4);
        assertEquals(2, r.x(1), "CNTVCT = instructions retired before the MRS");
        assertEquals(0x411FD070L, r.x(2));
    }

    @Test
    void unknownSysregIsUndefined() {
        Rig r = new Rig().vectors().code(I.op(Op.MRS).rd(1).imm(SysRegEncoding.of(3, 0, 15, 2, 0)));
        r.run(1);
        assertEquals(0x0200_0000L, r.cpu.sys.esr);
    }

    @Test
    void daifSetClearAndSpselImmediate() {
        Rig r = new Rig().code(
                I.op(Op.MSR_IMM).imm(0b011_111).amount(0xF), // daifclr #15
                I.op(Op.MSR_IMM).imm(0b011_110).amount(0x2), // daifset #2
                I.op(Op.MSR_IMM).imm(0b000_101).amount(0), // spsel #0
                PARK);
        r.cpu.x[31] = 0x5000;
        r.run(3);
        assertEquals(0x2, r.cpu.daif);
        assertEquals(0, r.cpu.spsel);
        assertEquals(0x5000, r.cpu.sp(1));
    }

    @Test
    void eretToEl0AndIllegalReturn() {
        Rig r = new Rig().vectors().code(I.op(Op.ERET));
        r.at(Rig.CODE + 0x40, movz(0, 1), PARK);
        r.cpu.sys.elr = Rig.CODE + 0x40;
        r.cpu.sys.spsr = 0x8000_0000L; // EL0t, N set
        r.run(2);
        assertEquals(0, r.cpu.el);
        assertEquals(8, r.cpu.nzcv);
        assertEquals(1, r.x(0));

        r = new Rig().vectors().code(I.op(Op.ERET));
        r.cpu.sys.elr = Rig.CODE + 0x40;
        r.cpu.sys.spsr = 0x9; // EL2h: illegal here
        r.run(2);
        assertEquals(0x3800_0000L | (1 << 25), r.cpu.sys.esr, "Illegal State, EC 0x0E");
        assertEquals(Rig.CODE + 0x40, r.cpu.sys.elr);
        assertTrue((r.cpu.sys.spsr & (1L << 20)) != 0, "SPSR.IL recorded");
    }

    @Test
    void misalignedBranchTargetIsPcAlignmentFault() {
        Rig r = new Rig().vectors().code(I.op(Op.BR).rn(0));
        r.cpu.x[0] = Rig.CODE + 0x102;
        r.run(2);
        assertEquals(0x8A00_0000L, r.cpu.sys.esr);
        assertEquals(Rig.CODE + 0x102, r.cpu.sys.far);
        assertEquals(Rig.CODE + 0x102, r.cpu.sys.elr);
    }

    @Test
    void fetchFromUnmappedIsInstructionAbort() {
        Rig r = new Rig().vectors().code(I.op(Op.BR).rn(0));
        r.cpu.x[0] = 0x2000;
        r.run(2);
        assertEquals(0x8600_0010L, r.cpu.sys.esr);
        assertEquals(0x2000, r.cpu.sys.far);
    }

    @Test
    void storeIntoDecodedCodeInvalidatesIt() {
        // CODE: mov x0, #1 ; b +8 ; (park) ; park.   CODE+0x100: str w1, [x2] ; b CODE
        Rig r = new Rig().code(movz(0, 1), I.op(Op.B).imm(8), PARK, PARK);
        r.at(Rig.CODE + 0x100, I.op(Op.STR).w().size(2).rd(1).rn(2).mode(Insn.MODE_OFFSET), I.op(Op.B).imm(-0x104));
        r.run(2); // decodes and caches the block at CODE
        assertEquals(1, r.x(0));
        r.at(Rig.CODE + 0x200, movz(0, 7)); // a token for "mov x0, #7", stored over CODE by the guest below
        r.cpu.pc = Rig.CODE + 0x100;
        r.cpu.x[1] = r.mem.read(Rig.CODE + 0x200, 4);
        r.cpu.x[2] = Rig.CODE;
        r.run(r.cpu.retired + 3); // str, b CODE, then the (re-decoded) first instruction
        assertEquals(7, r.x(0), "the block at CODE was re-decoded after the store");
    }

    @Test
    void interruptStopsAtTheNextBlock() {
        Rig r = new Rig().code(movz(0, 1), PARK);
        r.interp.interrupt();
        Stop s = r.run(0);
        assertEquals(Stop.Kind.INTERRUPTED, s.kind());
        assertEquals(Rig.CODE, s.pc());
        assertEquals(Stop.Kind.BUDGET, r.run(50).kind(), "the request is consumed: the next run goes on");
    }

    @Test
    void eventsCountPerBlock() {
        Rig r = new Rig().code(
                I.op(Op.STR).rd(0).rn(1).mode(Insn.MODE_OFFSET),
                I.op(Op.LDR).rd(2).rn(1).mode(Insn.MODE_OFFSET),
                I.op(Op.B).imm(-8));
        r.cpu.x[1] = Rig.DATA;
        r.run(3 * 10 + 1);
        assertEquals(10, r.interp.events.branches);
        assertEquals(10, r.interp.events.loads);
        assertEquals(11, r.interp.events.stores, "the partial last block counts its store");
    }

    @Test
    void dcZvaZeroesItsBlockAndTrapsAtEl0WithoutDze() {
        int dcZva = SysRegEncoding.of(1, 3, 7, 4, 1);
        Rig r = new Rig().vectors().code(I.op(Op.SYS).rd(0).imm(dcZva), PARK);
        for (int k = 0; k < 128; k += 8) {
            r.mem.write(Rig.DATA + k, 8, -1L);
        }
        r.cpu.x[0] = Rig.DATA + 64 + 13;
        r.run(1);
        assertEquals(-1L, r.mem.read(Rig.DATA + 56, 8));
        assertEquals(0, r.mem.read(Rig.DATA + 64, 8));
        assertEquals(0, r.mem.read(Rig.DATA + 120, 8));
        assertEquals(Rig.CODE + 4, r.cpu.pc);

        r = new Rig().vectors().code(I.op(Op.SYS).rd(0).imm(dcZva));
        r.cpu.setMode(0, 0);
        r.cpu.x[0] = Rig.DATA;
        r.run(1);
        assertEquals(0x18, r.cpu.sys.esr >>> 26, "trapped to EL1 (SCTLR_EL1.DZE = 0)");
    }

    @Test
    void tlbiIsANopAtEl1AndUndefinedAtEl0() {
        int tlbiVmalle1 = SysRegEncoding.of(1, 0, 8, 7, 0);
        Rig r = new Rig().vectors().code(I.op(Op.SYS).rd(31).imm(tlbiVmalle1), PARK);
        r.run(1);
        assertEquals(Rig.CODE + 4, r.cpu.pc);
        r = new Rig().vectors().code(I.op(Op.SYS).rd(31).imm(tlbiVmalle1));
        r.cpu.setMode(0, 0);
        r.run(1);
        assertEquals(0x0200_0000L, r.cpu.sys.esr);
    }

    @Test
    void msrWritesGoThroughTheDescriptor() {
        Rig r = new Rig().vectors().code(
                I.op(Op.MSR_REG).rd(0).imm(SysRegEncoding.of(3, 0, 12, 0, 0)), // vbar_el1
                I.op(Op.MSR_REG).rd(1).imm(SysRegEncoding.of(3, 3, 4, 2, 0)), // nzcv
                I.op(Op.MRS).rd(2).imm(SysRegEncoding.of(3, 0, 4, 2, 2)), // currentel
                PARK);
        r.cpu.x[0] = Rig.VBAR + 0x7FF;
        r.cpu.x[1] = 0x6000_0000L;
        r.run(3);
        assertEquals(Rig.VBAR, r.cpu.sys.vbar, "VBAR_EL1 bits [10:0] are RES0");
        assertEquals(0x6, r.cpu.nzcv);
        assertEquals(4, r.x(2));
    }

    @Test
    void breakpointsStopBeforeTheInstructionAndResumeFromIt() {
        Rig r = new Rig().code(movz(0, 1), movz(1, 2), movz(2, 3), movz(3, 4), PARK);
        r.run(1); // a block already decoded across the breakpoint address must be rebuilt
        r.cpu.pc = Rig.CODE;
        assertTrue(r.interp.addBreakpoint(Rig.CODE + 8));
        Stop s = r.run(0);
        assertEquals(Stop.Kind.BREAKPOINT, s.kind());
        assertEquals(Rig.CODE + 8, s.pc());
        assertEquals(0, r.x(2));
        assertEquals(Stop.Kind.BUDGET, r.run(r.cpu.retired + 1).kind(), "single step off the breakpoint");
        assertEquals(3, r.x(2));
        assertEquals(0, r.x(3));
        r.interp.removeBreakpoint(Rig.CODE + 8);
        r.cpu.pc = Rig.CODE;
        assertEquals(Stop.Kind.BUDGET, r.run(r.cpu.retired + 10).kind());
        assertEquals(4, r.x(3));
    }
}
