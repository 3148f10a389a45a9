package dev.a64trap.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.sysreg.BaseSysRegs;
import org.junit.jupiter.api.Test;

class CpuTest {
    final Cpu cpu = new Cpu(BaseSysRegs.cortexA57Table(false), false);

    @Test
    void resetIsEl1hMasked() {
        assertEquals(0x3C5L, cpu.pstate());
    }

    @Test
    void stackPointersAreBanked() {
        cpu.x[31] = 0x1000; // SP_EL1
        cpu.setMode(0, 0);
        assertEquals(0, cpu.x[31]);
        cpu.x[31] = 0x2000;
        cpu.setMode(1, 1);
        assertEquals(0x1000, cpu.x[31]);
        assertEquals(0x2000, cpu.spEl0());
        cpu.setSpsel(0);
        assertEquals(0x2000, cpu.x[31]);
        assertEquals(0x1000, cpu.sp(1));
    }

    @Test
    void allSixteenVectorOffsets() {
        cpu.sys.vbar = 0x4000_0800L;
        int[][] states = {{1, 0}, {1, 1}, {0, 0}}; // EL1t, EL1h, EL0t
        int[] groups = {0x000, 0x200, 0x400};
        for (int s = 0; s < states.length; s++) {
            for (ExceptionType t : ExceptionType.values()) {
                cpu.setMode(states[s][0], states[s][1]);
                long v = cpu.takeException(t, 0x1234, Syndrome.svc(1), false, 0);
                assertEquals(0x4000_0800L + groups[s] + t.offset, v, s + " " + t);
                assertEquals(1, cpu.el);
                assertEquals(1, cpu.spsel);
                assertEquals(0xF, cpu.daif);
            }
        }
        // Lower EL AArch32 (0x600) cannot occur: EL0 is AArch64 only.
    }

    @Test
    void irqDoesNotChangeEsr() {
        cpu.sys.vbar = 0x1000;
        cpu.sys.esr = 0x1234;
        cpu.takeException(ExceptionType.IRQ, 0, Syndrome.svc(1), false, 0);
        assertEquals(0x1234, cpu.sys.esr);
    }

    @Test
    void eretRestoresPstate() {
        cpu.sys.spsr = 0xA000_0340L; // N, C, D A I F? 0x340 = D A F; EL0t
        cpu.sys.elr = 0x4000_1000L;
        cpu.exclusiveValid = true;
        cpu.exceptionReturn();
        assertEquals(0, cpu.el);
        assertEquals(0xA, cpu.nzcv);
        assertEquals(0xD, cpu.daif);
        assertEquals(0x4000_1000L, cpu.pc);
        assertEquals(false, cpu.exclusiveValid);
    }

    @Test
    void syndromeEncodings() {
        assertEquals(0x5600_0000 | 0xABCD, Syndrome.svc(0xABCD));
        assertEquals(0x5A00_0000, Syndrome.hvc(0));
        assertEquals(0x5E00_0000, Syndrome.smc(0));
        assertEquals(0xF200_0000 | 5, Syndrome.brk(5));
        assertEquals(0x9200_0021, Syndrome.dataAbort(true, Syndrome.FSC_ALIGNMENT, false));
        assertEquals(0x8200_0010, Syndrome.instructionAbort(true, Syndrome.FSC_SYNC_EXTERNAL));
    }
}
