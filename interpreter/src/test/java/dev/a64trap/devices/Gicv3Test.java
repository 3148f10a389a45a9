package dev.a64trap.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.sysreg.SysRegTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GICv3 model through its MMIO frames and ICC registers, as a guest drives it (src/gic.h). */
class Gicv3Test {
    private Gicv3 gic;
    private Cpu cpu;
    private boolean irq;
    private boolean fiq;

    private long icc(String name) {
        return cpu.sysRegs.byName(name).read(cpu);
    }

    private void icc(String name, long v) {
        cpu.sysRegs.byName(name).write(cpu, v);
    }

    private void gicr(int sgiOffset, int v) {
        gic.redistributor.write(0x1_0000 + sgiOffset, 4, v);
    }

    @BeforeEach
    void setUp() {
        gic = new Gicv3();
        cpu = new Cpu(SysRegTable.of(gic.sysRegs()), false);
        gic.connect((i, f) -> {
            irq = i;
            fiq = f;
        });
        gic.distributor.write(0, 4, 1 << 4 | 1 << 1 | 1); // ARE, EnableGrp1, EnableGrp0
        gicr(0x080, ~0); // all private interrupts Group 1
        for (int i = 0; i < 32; i += 4) {
            gicr(0x400 + i, 0xa0a0a0a0);
        }
        icc("ICC_PMR_EL1", 0xff);
        icc("ICC_IGRPEN1_EL1", 1);
    }

    @Test
    void levelPpiIsSignalledAcknowledgedAndPendingAgainWhileHigh() {
        gicr(0x100, 1 << 27);
        assertFalse(irq);
        gic.setInput(27, true);
        assertTrue(irq, "enabled Group 1 PPI above the mask: IRQ");
        assertEquals(27, icc("ICC_HPPIR1_EL1"));
        assertEquals(27, icc("ICC_IAR1_EL1"));
        assertFalse(irq, "active: not signalled again");
        assertEquals(0xa0, icc("ICC_RPR_EL1"));
        assertEquals(Gicv3.SPURIOUS, icc("ICC_IAR1_EL1"), "nothing else pending");
        icc("ICC_EOIR1_EL1", 27);
        assertEquals(0xff, icc("ICC_RPR_EL1"));
        assertTrue(irq, "level still high after EOI: pending again");
        gic.setInput(27, false);
        assertFalse(irq);
        assertEquals(Gicv3.SPURIOUS, icc("ICC_HPPIR1_EL1"));
    }

    @Test
    void aDebuggerReadOfTheAcknowledgeRegisterAcknowledgesNothing() {
        gicr(0x100, 1 << 27);
        gic.setInput(27, true);
        assertEquals(27, cpu.sysRegs.byName("ICC_IAR1_EL1").peek(cpu), "gdb sees the pending INTID");
        assertEquals(27, cpu.sysRegs.byName("ICC_IAR1_EL1").peek(cpu), "and again: nothing was acknowledged");
        assertTrue(irq, "still signalled");
        assertEquals(0xff, icc("ICC_RPR_EL1"), "nothing active");
        assertEquals(27, icc("ICC_IAR1_EL1"), "the guest's own read acknowledges it");
    }

    @Test
    void edgeSpiLatchesUntilAcknowledged() {
        gic.distributor.write(0xC00 + 2 * 4, 4, 2L << 2); // ICFGR2: INTID 33 edge
        gic.distributor.write(0x100 + 4, 4, 1 << 1); // ISENABLER1: INTID 33
        gic.distributor.write(0x080 + 4, 4, 1 << 1); // Group 1
        gic.distributor.write(0x400 + 33, 1, 0x80);
        gic.setInput(33, true);
        gic.setInput(33, false);
        assertTrue(irq, "the rising edge latched");
        assertEquals(33, icc("ICC_IAR1_EL1"));
        icc("ICC_EOIR1_EL1", 33);
        assertFalse(irq);
    }

    @Test
    void group0IsFiqAndHasItsOwnAcknowledge() {
        gicr(0x080, ~(1 << 30)); // INTID 30 in Group 0
        gicr(0x100, 1 << 30);
        gic.setInput(30, true);
        assertFalse(fiq, "Group 0 not enabled at the CPU interface");
        icc("ICC_IGRPEN0_EL1", 1);
        assertTrue(fiq);
        assertFalse(irq);
        assertEquals(Gicv3.SPURIOUS, icc("ICC_IAR1_EL1"));
        assertEquals(30, icc("ICC_IAR0_EL1"));
    }

    @Test
    void priorityMaskAndRunningPriorityGateTheSignal() {
        gicr(0x100, 1 << 27 | 1 << 30 | 1 << 23);
        gic.redistributor.write(0x1_0000 + 0x400 + 30, 1, 0x80);
        gic.redistributor.write(0x1_0000 + 0x400 + 23, 1, 0xc0);
        icc("ICC_PMR_EL1", 0xa0);
        gic.setInput(27, true);
        assertFalse(irq, "priority 0xa0 is not above PMR 0xa0");
        icc("ICC_PMR_EL1", 0xa7);
        assertEquals(0xa0, icc("ICC_PMR_EL1"), "5 priority bits");
        icc("ICC_PMR_EL1", 0xff);
        assertEquals(0xf8, icc("ICC_PMR_EL1"));
        assertTrue(irq);
        assertEquals(27, icc("ICC_IAR1_EL1"));
        gic.setInput(23, true);
        assertFalse(irq, "0xc0 does not preempt the running 0xa0");
        gic.setInput(30, true);
        assertTrue(irq, "0x80 preempts");
        assertEquals(30, icc("ICC_IAR1_EL1"));
        assertEquals(0x80, icc("ICC_RPR_EL1"));
        icc("ICC_EOIR1_EL1", 30);
        assertEquals(0xa0, icc("ICC_RPR_EL1"), "back to the preempted priority");
    }

    @Test
    void eoiModeOneSplitsPriorityDropAndDeactivation() {
        icc("ICC_CTLR_EL1", 2);
        gicr(0x100, 1 << 27);
        gic.setInput(27, true);
        assertEquals(27, icc("ICC_IAR1_EL1"));
        icc("ICC_EOIR1_EL1", 27);
        assertEquals(0xff, icc("ICC_RPR_EL1"), "priority dropped");
        assertFalse(irq, "still active");
        assertEquals(1L << 27, gic.redistributor.read(0x1_0000 + 0x300, 4), "ISACTIVER0");
        icc("ICC_DIR_EL1", 27);
        assertTrue(irq);
    }

    @Test
    void sgiToSelfAndIdentification() {
        gicr(0x100, 1 << 5);
        icc("ICC_SGI1R_EL1", 5L << 24 | 1); // INTID 5, target list: PE 0
        assertEquals(5, icc("ICC_IAR1_EL1"));
        assertEquals(0xAAAA_AAAAL, gic.redistributor.read(0x1_0000 + 0xC00, 4), "SGIs are edge-triggered");
        assertEquals(7, gic.distributor.read(4, 4) & 0x1f, "ITLinesNumber: 256 IDs");
        assertEquals(0x3b, gic.distributor.read(0xFFE8, 4));
        assertEquals(1L << 4, gic.redistributor.read(8, 8), "GICR_TYPER: Last, processor 0");
        assertEquals(6, gic.redistributor.read(0x14, 4), "asleep at reset");
        gic.redistributor.write(0x14, 4, 0);
        assertEquals(0, gic.redistributor.read(0x14, 4));
        assertEquals(0, gic.redistributor.read(0x2_0000 + 8, 8), "no second redistributor");
        assertEquals(1 << 4 | 1 << 6 | 3, gic.distributor.read(0, 4), "ARE and DS read as one");
        gic.distributor.write(0x400 + 40, 1, 0xff);
        assertEquals(0xf8, gic.distributor.read(0x400 + 40, 1));
    }
}
