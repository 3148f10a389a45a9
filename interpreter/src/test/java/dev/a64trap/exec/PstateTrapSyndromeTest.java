package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Insn;
import org.junit.jupiter.api.Test;

/**
 * MSR DAIFSet at EL0 with SCTLR_EL1.UMA = 0 traps to EL1 with EC 0x18. The ISS carries the
 * instruction's own fields: op0 = 0, op1 = 3, op2 = 6, CRn = 4, CRm = the immediate, Rt = 31,
 * direction = write. (QEMU 7.2 swaps op1 and op2 here, so the el0 guest image leaves it out.)
 */
class PstateTrapSyndromeTest {
    @Test
    void daifsetAtEl0TrapsWithTheArchitecturalIss() {
        Insn msr = Decoder.decode(0xd50342df); // msr daifset, #0x2
        Rig rig = new Rig().vectors();
        rig.at(Rig.CODE, msr);
        rig.cpu.el = 0;
        rig.run(1);
        int iss = (0 << 20) | (6 << 17) | (3 << 14) | (4 << 10) | (31 << 5) | (2 << 1);
        assertEquals((0x18L << 26) | (1L << 25) | iss, rig.cpu.sys.esr);
        assertEquals(0x620cd3e4L, rig.cpu.sys.esr);
    }
}
