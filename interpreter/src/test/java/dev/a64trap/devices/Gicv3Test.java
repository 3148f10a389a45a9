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

    /** Three PEs with QEMU virt's affinities 0, 1 and 2, each with its own CPU and lines. */
    private static final class ThreePes {
        final Gicv3 gic = new Gicv3(new long[] {0, 1, 2});
        final Cpu[] cpu = new Cpu[3];
        final boolean[] irq = new boolean[3];

        ThreePes() {
            dev.a64trap.sysreg.SysRegTable table = SysRegTable.of(gic.sysRegs());
            gic.distributor.write(0, 4, 1 << 4 | 1 << 1);
            for (int p = 0; p < 3; p++) {
                int pe = p;
                cpu[p] = new Cpu(table, false);
                cpu[p].index = p;
                gic.connect(p, (i, f) -> irq[pe] = i);
                long sgi = p * Gicv3.REDIST_STRIDE + 0x1_0000;
                gic.redistributor.write(sgi + 0x080, 4, ~0L); // Group 1
                gic.redistributor.write(sgi + 0x100, 4, 0xFFFF); // SGIs enabled
                table.byName("ICC_PMR_EL1").write(cpu[p], 0xff);
                table.byName("ICC_IGRPEN1_EL1").write(cpu[p], 1);
            }
        }

        long icc(int p, String name) {
            return cpu[p].sysRegs.byName(name).read(cpu[p]);
        }

        void icc(int p, String name, long v) {
            cpu[p].sysRegs.byName(name).write(cpu[p], v);
        }
    }

    @Test
    void sgisReachTheTargetListOrWithIrmEveryOtherPe() {
        ThreePes g = new ThreePes();
        g.icc(0, "ICC_SGI1R_EL1", 3L << 24 | 0b110); // INTID 3 to PEs 1 and 2
        assertFalse(g.irq[0]);
        assertTrue(g.irq[1] && g.irq[2]);
        assertEquals(3, g.icc(1, "ICC_IAR1_EL1"));
        assertEquals(Gicv3.SPURIOUS, g.icc(0, "ICC_IAR1_EL1"), "the sender got nothing");
        assertTrue(g.irq[2], "PE 2's SGI is its own: still pending after PE 1 took its copy");
        g.icc(1, "ICC_EOIR1_EL1", 3);
        g.icc(2, "ICC_SGI1R_EL1", 7L << 24 | 1L << 40); // IRM: everyone but PE 2
        assertTrue(g.irq[0]);
        assertEquals(7, g.icc(0, "ICC_IAR1_EL1"));
        assertEquals(7, g.icc(1, "ICC_IAR1_EL1"));
        assertEquals(3, g.icc(2, "ICC_IAR1_EL1"), "PE 2 still has the INTID 3 it was sent, not 7");
        g.icc(0, "ICC_SGI1R_EL1", 4L << 24 | 1L << 16 | 1); // Aff1 = 1: no such PE
        assertEquals(0, g.gic.redistributor.read(0x1_0000 + 0x200, 4) & 1 << 4);
        g.gic.redistributor.write(Gicv3.REDIST_STRIDE + 0x1_0000 + 0x080, 4, 0); // PE 1: SGIs in Group 0
        g.icc(0, "ICC_SGI1R_EL1", 5L << 24 | 0b10);
        assertEquals(0, g.gic.redistributor.read(Gicv3.REDIST_STRIDE + 0x1_0000 + 0x200, 4) & 1 << 5,
                "SGI1R does not pend a Group 0 SGI (QEMU's gicv3_redist_send_sgi)");
        g.icc(0, "ICC_SGI0R_EL1", 5L << 24 | 0b10);
        assertEquals(1 << 5, g.gic.redistributor.read(Gicv3.REDIST_STRIDE + 0x1_0000 + 0x200, 4) & 1 << 5);
    }

    @Test
    void eachPeHasItsRedistributorAndPpisAndSpisGoWhereIrouterSays() {
        ThreePes g = new ThreePes();
        for (int p = 0; p < 3; p++) {
            long typer = g.gic.redistributor.read(p * Gicv3.REDIST_STRIDE + 8, 8);
            assertEquals((long) p << 32 | (long) p << 8 | (p == 2 ? 1 << 4 : 0), typer, "GICR_TYPER of PE " + p);
            assertEquals(6, g.gic.redistributor.read(p * Gicv3.REDIST_STRIDE + 0x14, 4));
        }
        g.gic.redistributor.write(Gicv3.REDIST_STRIDE + 0x14, 4, 0);
        assertEquals(0, g.gic.redistributor.read(Gicv3.REDIST_STRIDE + 0x14, 4), "PE 1 awake");
        assertEquals(6, g.gic.redistributor.read(0x14, 4), "PE 0 still asleep");
        assertEquals(0, g.gic.redistributor.read(3 * Gicv3.REDIST_STRIDE + 8, 8), "no fourth PE");
        // PPI 27 of PE 1 only
        g.gic.redistributor.write(Gicv3.REDIST_STRIDE + 0x1_0000 + 0x100, 4, 1 << 27);
        g.gic.setInput(1, 27, true);
        assertTrue(g.irq[1]);
        assertFalse(g.irq[0] || g.irq[2]);
        assertEquals(27, g.icc(1, "ICC_IAR1_EL1"));
        g.icc(1, "ICC_EOIR1_EL1", 27);
        // SPI 40 to affinity 2
        g.gic.distributor.write(0x080 + 4, 4, 1 << 8);
        g.gic.distributor.write(0x100 + 4, 4, 1 << 8);
        g.gic.distributor.write(0x6000 + 8 * 40, 8, 2);
        g.gic.setInput(40, true);
        assertTrue(g.irq[2]);
        assertFalse(g.irq[0]);
        g.gic.distributor.write(0x6000 + 8 * 40, 8, 1L << 31 | 0);
        assertEquals(0, g.gic.distributor.read(0x6000 + 8 * 40, 8), "IRM is RES0 (GICD_TYPER.No1N)");
        assertTrue(g.irq[0], "affinity 0 now");
        assertFalse(g.irq[2]);
        assertEquals(3, g.gic.distributor.read(4, 4) >> 24 & 3, "GICD_TYPER: A3V, No1N as QEMU");
    }
}
