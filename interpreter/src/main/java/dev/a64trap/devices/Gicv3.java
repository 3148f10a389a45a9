package dev.a64trap.devices;

import static dev.a64trap.sysreg.SysRegEncoding.of;

import dev.a64trap.mem.MmioDevice;
import dev.a64trap.sysreg.SysReg;
import java.util.ArrayList;
import java.util.List;

/**
 * A GICv3 for one PE, laid out as QEMU's {@code virt,gic-version=3} (hw/intc/arm_gicv3*): the
 * distributor at 0x0800_0000 (64 KiB) for the SPIs, one redistributor (RD and SGI frames) at
 * 0x080A_0000 for the SGIs and PPIs, and the CPU interface as ICC_* system registers. No EL3, so
 * one security state (GICD_CTLR.DS = 1, affinity routing always on); no ITS, no LPIs.
 *
 * <p>Group 0 interrupts are signalled as FIQ, Group 1 as IRQ (IGROUPR resets to 0: guests put
 * their interrupts in Group 1, as Linux and the KVM unit tests do). 5 bits of priority as QEMU's
 * CPU interface (PMR and priorities compare on bits [7:3]); the running priority comes from the
 * active-priority bits (ICC_AP0R0/AP1R0, one bit per priority); preemption compares whole
 * priorities (binary points are stored, not used). EOImode 0: EOIR drops the priority and
 * deactivates; EOImode 1: EOIR drops, DIR deactivates. Level-sensitive inputs (PPIs of the timer
 * and PMU) are pending while high; edge ones latch. The outputs go to the PE through
 * {@link CpuLines} after every change.
 */
public final class Gicv3 {
    public static final long DIST_BASE = 0x0800_0000L;
    public static final long DIST_SIZE = 0x1_0000L;
    public static final long REDIST_BASE = 0x080A_0000L;
    /** QEMU virt's redistributor region (room for 123 PEs); only the first frame pair decodes. */
    public static final long REDIST_SIZE = 0xF6_0000L;
    /** QEMU virt's NUM_IRQS: 256 interrupt IDs, the 32 private ones and 224 SPIs (GICD_TYPER.ITLinesNumber 7). */
    public static final int NUM_IRQS = 256;
    public static final int SPURIOUS = 1023;
    static final int PRIO_MASK = 0xF8; // 5 priority bits
    static final long IIDR = 0x43B; // Arm, as QEMU reports
    static final int PIDR2 = 0x3B; // ArchRev 3

    /** The GIC's outputs to the PE. */
    public interface CpuLines {
        void set(boolean irq, boolean fiq);
    }

    // per interrupt
    private final boolean[] enabled = new boolean[NUM_IRQS];
    private final boolean[] latched = new boolean[NUM_IRQS]; // edge pending, or software set
    private final boolean[] input = new boolean[NUM_IRQS]; // level of the input line
    private final boolean[] edge = new boolean[NUM_IRQS];
    private final boolean[] active = new boolean[NUM_IRQS];
    private final boolean[] group1 = new boolean[NUM_IRQS];
    private final int[] priority = new int[NUM_IRQS];
    private final long[] irouter = new long[NUM_IRQS];

    private int gicdCtlr; // EnableGrp0 bit 0, EnableGrp1 bit 1
    private boolean processorSleep = true;
    // CPU interface
    private int pmr;
    private int bpr0;
    private int bpr1;
    private boolean eoiMode;
    private boolean cbpr;
    private boolean grpEn0;
    private boolean grpEn1;
    private long ap0;
    private long ap1;

    private CpuLines cpu = (irq, fiq) -> {};
    private boolean irqOut;
    private boolean fiqOut;

    public Gicv3() {
        for (int i = 0; i < 16; i++) {
            edge[i] = true; // SGIs
        }
        reset();
    }

    private void reset() {
        bpr0 = 2; // the minimum with 5 priority bits
        bpr1 = 3;
    }

    public void connect(CpuLines lines) {
        this.cpu = lines;
        update();
    }

    /** Drives input {@code intid} (a PPI or SPI) to {@code level}; an edge-triggered one latches on a rising edge. */
    public void setInput(int intid, boolean level) {
        if (intid < 16 || intid >= NUM_IRQS) {
            throw new IllegalArgumentException("no input for INTID " + intid);
        }
        if (edge[intid] && level && !input[intid]) {
            latched[intid] = true;
        }
        input[intid] = level;
        update();
    }

    boolean pending(int i) {
        return latched[i] || (!edge[i] && input[i]);
    }

    private boolean groupEnabled(int i) {
        return group1[i] ? (gicdCtlr & 2) != 0 && grpEn1 : (gicdCtlr & 1) != 0 && grpEn0;
    }

    private int runningPriority() {
        long ap = ap0 | ap1;
        return ap == 0 ? 0x100 : Long.numberOfTrailingZeros(ap) << 3;
    }

    /** The highest-priority pending, enabled, inactive interrupt of {@code group} (-1 for either), or -1. */
    private int highestPending(int group) {
        int best = -1;
        int bestPrio = 0x100;
        for (int i = 0; i < NUM_IRQS; i++) {
            if (enabled[i] && !active[i] && pending(i) && (group < 0 || (group1[i] ? 1 : 0) == group)
                    && (i < 32 || routedHere(i)) && (priority[i] & PRIO_MASK) < bestPrio) {
                best = i;
                bestPrio = priority[i] & PRIO_MASK;
            }
        }
        return best;
    }

    private boolean routedHere(int i) {
        long r = irouter[i];
        return (r & (1L << 31)) != 0 || (r & 0xFF_00FF_FFFFL) == 0; // IRM, or affinity 0.0.0.0
    }

    /** Whether {@code i} may be signalled now: group enabled, above the priority mask and the running priority. */
    private boolean signalled(int i) {
        int p = priority[i] & PRIO_MASK;
        return i >= 0 && groupEnabled(i) && p < (pmr & PRIO_MASK) && p < runningPriority();
    }

    /** Recomputes the outputs to the PE. */
    public void update() {
        int i = highestPending(-1);
        boolean sig = i >= 0 && signalled(i);
        boolean irq = sig && group1[i];
        boolean fiq = sig && !group1[i];
        if (irq != irqOut || fiq != fiqOut) {
            irqOut = irq;
            fiqOut = fiq;
            cpu.set(irq, fiq);
        }
    }

    public boolean irqOut() {
        return irqOut;
    }

    // ------------------------------------------------------------------ CPU interface

    private long acknowledge(int group) {
        int i = highestPending(group);
        if (i < 0 || !signalled(i)) {
            return SPURIOUS;
        }
        latched[i] = false;
        active[i] = true;
        long bit = 1L << ((priority[i] & PRIO_MASK) >> 3);
        if (group == 1) {
            ap1 |= bit;
        } else {
            ap0 |= bit;
        }
        update();
        return i;
    }

    private long highestPendingId(int group) {
        int i = highestPending(group);
        return i >= 0 && signalled(i) ? i : SPURIOUS;
    }

    private void endOfInterrupt(int group, long value) {
        int id = (int) (value & 0xFF_FFFF);
        long ap = ap0 | ap1;
        if (ap != 0) { // drop the running priority
            long low = Long.lowestOneBit(ap);
            ap0 &= ~low;
            ap1 &= ~low;
        }
        if (!eoiMode) {
            deactivate(id);
        }
        update();
    }

    private void deactivate(int id) {
        if (id < NUM_IRQS) {
            active[id] = false;
        }
        update();
    }

    private void sgi(long v) {
        int id = (int) (v >>> 24 & 0xF);
        boolean all = (v >>> 40 & 1) != 0;
        boolean us = (v & 1) != 0 && (v >>> 16 & 0xFF) == 0 && (v >>> 32 & 0xFF) == 0 && (v >>> 48 & 0xFF) == 0;
        if (us && !all) { // IRM = 1 targets every PE but the sender: none here
            latched[id] = true;
            update();
        }
    }

    private long ctlr() {
        return (cbpr ? 1 : 0) | (eoiMode ? 2 : 0) | 4L << 8 /* PRIbits: 5 */ | 1L << 15 /* A3V */;
    }

    /** The CPU interface's system registers (EL1 only). */
    public List<SysReg> sysRegs() {
        List<SysReg> r = new ArrayList<>();
        r.add(SysReg.of("ICC_PMR_EL1", of(3, 0, 4, 6, 0), (c, x) -> pmr, (c, x, v) -> {
            pmr = (int) v & PRIO_MASK;
            update();
        }));
        r.add(SysReg.of("ICC_IAR0_EL1", of(3, 0, 12, 8, 0), (c, x) -> acknowledge(0), null)
                .debugAccess((c, x) -> highestPendingId(0), null)); // a debugger's look acknowledges nothing
        r.add(SysReg.of("ICC_EOIR0_EL1", of(3, 0, 12, 8, 1), null, (c, x, v) -> endOfInterrupt(0, v)));
        r.add(SysReg.of("ICC_HPPIR0_EL1", of(3, 0, 12, 8, 2), (c, x) -> highestPendingId(0), null));
        r.add(SysReg.of("ICC_BPR0_EL1", of(3, 0, 12, 8, 3), (c, x) -> bpr0, (c, x, v) -> bpr0 = (int) Math.max(2, v & 7)));
        r.add(SysReg.of("ICC_AP0R0_EL1", of(3, 0, 12, 8, 4), (c, x) -> ap0, (c, x, v) -> {
            ap0 = v & 0xFFFF_FFFFL;
            update();
        }));
        r.add(SysReg.of("ICC_AP1R0_EL1", of(3, 0, 12, 9, 0), (c, x) -> ap1, (c, x, v) -> {
            ap1 = v & 0xFFFF_FFFFL;
            update();
        }));
        r.add(SysReg.of("ICC_DIR_EL1", of(3, 0, 12, 11, 1), null, (c, x, v) -> deactivate((int) (v & 0xFF_FFFF))));
        r.add(SysReg.of("ICC_RPR_EL1", of(3, 0, 12, 11, 3), (c, x) -> (long) Math.min(0xFF, runningPriority()), null));
        r.add(SysReg.of("ICC_SGI1R_EL1", of(3, 0, 12, 11, 5), null, (c, x, v) -> sgi(v)));
        r.add(SysReg.of("ICC_ASGI1R_EL1", of(3, 0, 12, 11, 6), null, (c, x, v) -> sgi(v)));
        r.add(SysReg.of("ICC_SGI0R_EL1", of(3, 0, 12, 11, 7), null, (c, x, v) -> sgi(v)));
        r.add(SysReg.of("ICC_IAR1_EL1", of(3, 0, 12, 12, 0), (c, x) -> acknowledge(1), null)
                .debugAccess((c, x) -> highestPendingId(1), null)); // a debugger's look acknowledges nothing
        r.add(SysReg.of("ICC_EOIR1_EL1", of(3, 0, 12, 12, 1), null, (c, x, v) -> endOfInterrupt(1, v)));
        r.add(SysReg.of("ICC_HPPIR1_EL1", of(3, 0, 12, 12, 2), (c, x) -> highestPendingId(1), null));
        r.add(SysReg.of("ICC_BPR1_EL1", of(3, 0, 12, 12, 3), (c, x) -> cbpr ? Math.min(bpr0 + 1, 7) : bpr1,
                (c, x, v) -> {
                    if (!cbpr) {
                        bpr1 = (int) Math.max(3, v & 7);
                    }
                }));
        r.add(SysReg.of("ICC_CTLR_EL1", of(3, 0, 12, 12, 4), (c, x) -> ctlr(), (c, x, v) -> {
            cbpr = (v & 1) != 0;
            eoiMode = (v & 2) != 0;
        }));
        r.add(SysReg.of("ICC_SRE_EL1", of(3, 0, 12, 12, 5), (c, x) -> 7L, (c, x, v) -> {})); // SRE, DFB, DIB: RAO/WI
        r.add(SysReg.of("ICC_IGRPEN0_EL1", of(3, 0, 12, 12, 6), (c, x) -> grpEn0 ? 1L : 0L, (c, x, v) -> {
            grpEn0 = (v & 1) != 0;
            update();
        }));
        r.add(SysReg.of("ICC_IGRPEN1_EL1", of(3, 0, 12, 12, 7), (c, x) -> grpEn1 ? 1L : 0L, (c, x, v) -> {
            grpEn1 = (v & 1) != 0;
            update();
        }));
        return r;
    }

    // ------------------------------------------------------------------ MMIO

    /** The bit registers shared by GICD (SPIs) and the redistributor's SGI frame (INTIDs 0-31). */
    private long bitRegister(int reg, int first, boolean write, long v) {
        int base = reg & ~0x7F; // IGROUPR 0x080, ISENABLER 0x100 ... ICACTIVER 0x380
        long out = 0;
        for (int b = 0; b < 32; b++) {
            int i = first + b;
            if (i >= NUM_IRQS) {
                break;
            }
            boolean set = (v >>> b & 1) != 0;
            switch (base) {
                case 0x080 -> {
                    if (write) {
                        group1[i] = set;
                    }
                    out |= group1[i] ? 1L << b : 0;
                }
                case 0x100, 0x180 -> {
                    if (write && set) {
                        enabled[i] = base == 0x100;
                    }
                    out |= enabled[i] ? 1L << b : 0;
                }
                case 0x200, 0x280 -> {
                    if (write && set) {
                        latched[i] = base == 0x200; // a level input stays pending while high
                    }
                    out |= pending(i) ? 1L << b : 0;
                }
                default -> { // 0x300 ISACTIVER, 0x380 ICACTIVER
                    if (write && set) {
                        active[i] = base == 0x300;
                    }
                    out |= active[i] ? 1L << b : 0;
                }
            }
        }
        if (write) {
            update();
        }
        return out;
    }

    /** GICD_* and GICR SGI-frame registers from offset 0x080 to 0xCFF (bits, priorities, configuration). */
    private long irqRegisters(int off, int size, boolean write, long v, int firstBank, int banks) {
        if (off >= 0x080 && off < 0x400) {
            int n = (off & 0x7F) / 4;
            if (n < firstBank || n >= firstBank + banks) {
                return 0;
            }
            return bitRegister(off, n * 32, write, v) & 0xFFFF_FFFFL;
        }
        if (off >= 0x400 && off < 0x800) {
            int i = off - 0x400;
            if (i < firstBank * 32 || i + size > Math.min((firstBank + banks) * 32, NUM_IRQS)) {
                return 0;
            }
            long out = 0;
            for (int k = 0; k < size; k++) {
                if (write) {
                    priority[i + k] = (int) (v >>> (8 * k)) & PRIO_MASK;
                }
                out |= (long) priority[i + k] << (8 * k);
            }
            if (write) {
                update();
            }
            return out;
        }
        if (off >= 0xC00 && off < 0xD00) {
            int n = (off - 0xC00) / 4; // 16 interrupts per word, bit 2k+1 = edge
            if (n < firstBank * 2 || n >= (firstBank + banks) * 2) {
                return 0;
            }
            long out = 0;
            for (int k = 0; k < 16; k++) {
                int i = n * 16 + k;
                if (i >= NUM_IRQS) {
                    break;
                }
                if (write && i >= 16) {
                    edge[i] = (v >>> (2 * k + 1) & 1) != 0;
                }
                out |= edge[i] ? 2L << (2 * k) : 0;
            }
            return out;
        }
        return 0;
    }

    /** The distributor's 64 KiB frame. */
    public final MmioDevice distributor = new MmioDevice() {
        @Override
        public long read(long offset, int size) {
            return access((int) offset, size, false, 0);
        }

        @Override
        public void write(long offset, int size, long value) {
            access((int) offset, size, true, value);
        }

        private long access(int off, int size, boolean write, long v) {
            switch (off) {
                case 0x0000 -> {
                    if (write) {
                        gicdCtlr = (int) v & 3;
                        update();
                    }
                    return gicdCtlr | 1 << 4 | 1 << 6; // ARE (always on), DS (one security state)
                }
                case 0x0004 -> {
                    return (NUM_IRQS / 32 - 1) | 15 << 19; // ITLinesNumber, IDbits = 16 bits
                }
                case 0x0008 -> {
                    return IIDR;
                }
                case 0xFFE8 -> {
                    return PIDR2;
                }
                default -> {
                    // nothing else to decode
                }
            }
            if (off >= 0x6100 && off < 0x6000 + 8 * NUM_IRQS) { // IROUTER<n>, n >= 32
                int i = (off - 0x6000) / 8;
                int shift = (off & 4) * 8;
                long mask = size == 8 ? -1L : 0xFFFF_FFFFL << shift;
                if (write) {
                    irouter[i] = (irouter[i] & ~mask) | (v << shift & mask & 0x0000_00FF_80FF_FFFFL);
                    update();
                }
                return irouter[i] >>> shift;
            }
            return irqRegisters(off, size, write, v, 1, NUM_IRQS / 32 - 1); // INTIDs 0-31 are the redistributor's
        }

        @Override
        public String name() {
            return "GICv3 distributor";
        }
    };

    /** The redistributor region: the first PE's RD frame (64 KiB) and SGI frame (64 KiB). */
    public final MmioDevice redistributor = new MmioDevice() {
        @Override
        public long read(long offset, int size) {
            return access(offset, size, false, 0);
        }

        @Override
        public void write(long offset, int size, long value) {
            access(offset, size, true, value);
        }

        private long access(long offset, int size, boolean write, long v) {
            if (offset >= 0x2_0000) {
                return 0; // no other PE
            }
            int off = (int) offset;
            if (off >= 0x1_0000) {
                return irqRegisters(off - 0x1_0000, size, write, v, 0, 1);
            }
            switch (off) {
                case 0x0004 -> {
                    return IIDR;
                }
                case 0x0008 -> {
                    return 1L << 4; // TYPER: Last, processor 0, affinity 0.0.0.0, no LPIs
                }
                case 0x000C -> {
                    return 0; // TYPER[63:32]: affinity
                }
                case 0x0014 -> {
                    if (write) {
                        processorSleep = (v & 2) != 0;
                    }
                    return processorSleep ? 6 : 0; // ProcessorSleep, ChildrenAsleep
                }
                case 0xFFE8 -> {
                    return PIDR2;
                }
                default -> {
                    return 0;
                }
            }
        }

        @Override
        public String name() {
            return "GICv3 redistributor";
        }
    };
}
