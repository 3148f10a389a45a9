package dev.a64trap.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysRegTable;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic timer against a clock the test moves by hand. */
class GenericTimerTest {
    private long now = 1000;
    private final Map<Integer, Boolean> lines = new HashMap<>();
    private int changes;
    private final GenericTimer timer = new GenericTimer(() -> now, lines::put, () -> changes++);
    private final Cpu cpu = new Cpu(SysRegTable.of(timer.sysRegs()), false);

    private long read(String name) {
        return cpu.sysRegs.byName(name).read(cpu);
    }

    private void write(String name, long v) {
        cpu.sysRegs.byName(name).write(cpu, v);
    }

    @Test
    void firesAtTheDeadlineAsALevelOnItsPpi() {
        write("CNTV_CVAL_EL0", 1500);
        write("CNTV_CTL_EL0", 1);
        assertEquals(1500, timer.nextDeadline());
        assertEquals(1, read("CNTV_CTL_EL0"), "not yet: no ISTATUS");
        now = 1499;
        timer.update();
        assertFalse(lines.getOrDefault(GenericTimer.PPI_VIRT, false));
        now = 1500;
        timer.update();
        assertTrue(lines.get(GenericTimer.PPI_VIRT));
        assertEquals(5, read("CNTV_CTL_EL0"), "ENABLE | ISTATUS");
        assertEquals(Long.MAX_VALUE, timer.nextDeadline(), "fired: nothing more to wait for");
        write("CNTV_CTL_EL0", 3); // IMASK
        assertFalse(lines.get(GenericTimer.PPI_VIRT));
        assertEquals(7, read("CNTV_CTL_EL0"), "the condition stays visible");
        assertTrue(changes >= 3, "every write tells the board");
        assertFalse(lines.containsKey(GenericTimer.PPI_PHYS), "the physical timer did nothing");
    }

    @Test
    void tvalIsASigned32BitViewOfCval() {
        write("CNTP_TVAL_EL0", 250);
        assertEquals(1250, read("CNTP_CVAL_EL0"));
        write("CNTP_TVAL_EL0", 0xFFFF_FFFFL); // -1
        assertEquals(999, read("CNTP_CVAL_EL0"));
        assertEquals(0xFFFF_FFFFL, read("CNTP_TVAL_EL0"));
        write("CNTP_CTL_EL0", 1);
        assertTrue(lines.get(GenericTimer.PPI_PHYS), "a deadline in the past fires at once");
    }

    @Test
    void el0AccessFollowsCntkctl() {
        cpu.setMode(0, 0);
        SysReg ctl = cpu.sysRegs.byName("CNTV_CTL_EL0");
        SysReg pctl = cpu.sysRegs.byName("CNTP_CTL_EL0");
        assertEquals(SysReg.Access.TRAP, ctl.access(cpu, false));
        cpu.sys.cntkctl = 1 << 8; // EL0VTEN
        assertEquals(SysReg.Access.ALLOW, ctl.access(cpu, true));
        assertEquals(SysReg.Access.TRAP, pctl.access(cpu, false));
        cpu.sys.cntkctl = 1 << 9; // EL0PTEN
        assertEquals(SysReg.Access.ALLOW, pctl.access(cpu, false));
    }
}
