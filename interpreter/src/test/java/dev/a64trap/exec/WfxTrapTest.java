package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.decode.Decoder;
import dev.a64trap.sysreg.BaseSysRegs;
import org.junit.jupiter.api.Test;

/**
 * SCTLR_EL1.nTWI = 0: an EL0 WFI that would wait traps to EL1 with EC 0x01, ISS CV = 1, COND =
 * 0xE, TI = 0 (QEMU 7.2's syndrome), ELR at the WFI. With nTWI = 1, at EL1, or with an interrupt
 * pending it does not trap. WFE never traps (no event register; as QEMU 7.2). The mmu guest image
 * checks the same against QEMU.
 */
class WfxTrapTest {
    static final int WFI = 0xd503207f, WFE = 0xd503205f;

    private static Rig rig(int word, int el, boolean ntwi) {
        return rig(word, el, ntwi, false);
    }

    private static Rig rig(int word, int el, boolean ntwi, boolean irq) {
        Rig rig = new Rig().vectors();
        rig.at(Rig.CODE, Decoder.decode(word));
        rig.at(Rig.CODE + 4, Decoder.decode(0xd503201f)); // nop
        rig.interp.setInterruptLines(irq, false); // IRQ masked (DAIF at reset): pending, not taken
        rig.cpu.sys.sctlr = ntwi ? rig.cpu.sys.sctlr | BaseSysRegs.SCTLR_NTWI | BaseSysRegs.SCTLR_NTWE
                : rig.cpu.sys.sctlr & ~(BaseSysRegs.SCTLR_NTWI | BaseSysRegs.SCTLR_NTWE);
        rig.cpu.el = el;
        rig.run(1);
        return rig;
    }

    @Test
    void el0WfiTrapsWhenNtwiIsClear() {
        Rig rig = rig(WFI, 0, false);
        assertEquals(0x07e0_0000L, rig.cpu.sys.esr);
        assertEquals(Rig.CODE, rig.cpu.sys.elr);
        assertEquals(1, rig.cpu.el);
    }

    @Test
    void noTrapWithNtwiSetAtEl1OrForWfe() {
        for (Rig rig : new Rig[] {rig(WFI, 0, true), rig(WFI, 1, false), rig(WFE, 0, false),
            rig(WFI, 0, false, true)}) {
            assertEquals(0, rig.cpu.sys.esr);
            assertEquals(Rig.CODE + 4, rig.cpu.pc);
        }
    }
}
