package dev.a64trap.devices;

import static dev.a64trap.sysreg.SysRegEncoding.of;

import dev.a64trap.mem.MmioDevice;
import dev.a64trap.sysreg.SysReg;
import java.util.ArrayList;
import java.util.List;

/**
 * A GICv3 for one or more PEs, laid out as QEMU's {@code virt,gic-version=3} (hw/intc/arm_gicv3*): the
 * distributor at 0x0800_0000 (64 KiB) for the SPIs, one redistributor per PE (RD and SGI frames,
 * 128 KiB apart from 0x080A_0000, the last with GICR_TYPER.Last) for its SGIs and PPIs, and a CPU
 * interface per PE as ICC_* system registers (a row finds its PE by {@code SysRegContext.cpuIndex()}).
 * SPIs go to the PE whose affinity IROUTER names (GICD_TYPER.No1N: no 1-of-N routing, as QEMU); SGIs through
 * ICC_SGI1R_EL1 to the target list of an affinity, or with IRM to every other PE. No EL3, so
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
    /** QEMU virt's redistributor region (room for 123 PEs, {@link #MAX_PES}). */
    public static final long REDIST_SIZE = 0xF6_0000L;
    /** One PE's redistributor: RD frame and SGI frame, 64 KiB each. */
    public static final long REDIST_STRIDE = 0x2_0000L;
    /** PEs the one redistributor region holds (QEMU virt adds a second region beyond; not modelled). */
    public static final int MAX_PES = (int) (REDIST_SIZE / REDIST_STRIDE);
    /** QEMU virt's NUM_IRQS: 256 interrupt IDs, the 32 private ones and 224 SPIs (GICD_TYPER.ITLinesNumber 7). */
    public static final int NUM_IRQS = 256;
    public static final int SPURIOUS = 1023;
    static final int PRIO_MASK = 0xF8; // 5 priority bits
    static final long IIDR = 0x43B; // Arm, as QEMU reports
    static final int PIDR2 = 0x3B; // ArchRev 3
    private static final long AFF_MASK = 0xFF_00FF_FFFFL;

    /** The GIC's outputs to one PE. */
    public interface CpuLines {
        void set(boolean irq, boolean fiq);
    }

    /**
     * Interrupt state, one bank per PE for INTIDs 0-31 (its redistributor) and one more bank,
     * index {@code pes}, for the SPIs (the distributor): {@code bank(pe, i)} picks it.
     */
    private final boolean[][] enabled;
    private final boolean[][] latched; // edge pending, or software set
    private final boolean[][] input; // level of the input line
    private final boolean[][] edge;
    private final boolean[][] active;
    private final boolean[][] group1;
    private final int[][] priority;
    private final long[] irouter = new long[NUM_IRQS];

    private int gicdCtlr; // EnableGrp0 bit 0, EnableGrp1 bit 1
    private final Pe[] pe;

    /** One PE's redistributor and CPU interface state. */
    private static final class Pe {
        final long affinity; // Aff3.Aff2.Aff1.Aff0 as MPIDR holds them
        boolean processorSleep = true;
        int pmr;
        int bpr0 = 2; // the minimum with 5 priority bits
        int bpr1 = 3;
        boolean eoiMode;
        boolean cbpr;
        boolean grpEn0;
        boolean grpEn1;
        long ap0;
        long ap1;
        CpuLines cpu = (irq, fiq) -> {};
        boolean irqOut;
        boolean fiqOut;

        Pe(long affinity) {
            this.affinity = affinity;
        }
    }

    /** One PE with affinity 0.0.0.0 (a single-CPU virt board). */
    public Gicv3() {
        this(new long[] {0});
    }

    /** @param affinities each PE's MPIDR affinity fields (MPIDR_EL1 &amp; 0xff00ffffff), in PE order */
    public Gicv3(long[] affinities) {
        int n = affinities.length;
        if (n < 1 || n > MAX_PES) {
            throw new IllegalArgumentException("a GICv3 for 1 to " + MAX_PES + " PEs, not " + n);
        }
        pe = new Pe[n];
        for (int i = 0; i < n; i++) {
            pe[i] = new Pe(affinities[i] & AFF_MASK);
        }
        enabled = new boolean[n + 1][NUM_IRQS];
        latched = new boolean[n + 1][NUM_IRQS];
        input = new boolean[n + 1][NUM_IRQS];
        edge = new boolean[n + 1][NUM_IRQS];
        active = new boolean[n + 1][NUM_IRQS];
        group1 = new boolean[n + 1][NUM_IRQS];
        priority = new int[n + 1][NUM_IRQS];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < 16; i++) {
                edge[p][i] = true; // SGIs
            }
        }
    }

    /** Number of PEs. */
    public int pes() {
        return pe.length;
    }

    private int bank(int p, int i) {
        return i < 32 ? p : pe.length;
    }

    /** Connects PE 0's outputs. */
    public void connect(CpuLines lines) {
        connect(0, lines);
    }

    public void connect(int p, CpuLines lines) {
        pe[p].cpu = lines;
        update(p);
    }

    /** Drives input {@code intid} (a PPI of PE 0, or an SPI) to {@code level}. */
    public void setInput(int intid, boolean level) {
        setInput(0, intid, level);
    }

    /**
     * Drives input {@code intid} to {@code level}: a PPI of PE {@code p}, or an SPI ({@code p} ignored);
     * an edge-triggered one latches on a rising edge.
     */
    public void setInput(int p, int intid, boolean level) {
        if (intid < 16 || intid >= NUM_IRQS) {
            throw new IllegalArgumentException("no input for INTID " + intid);
        }
        int b = bank(p, intid);
        if (edge[b][intid] && level && !input[b][intid]) {
            latched[b][intid] = true;
        }
        input[b][intid] = level;
        if (intid < 32) {
            update(p);
        } else {
            update();
        }
    }

    boolean pending(int b, int i) {
        return latched[b][i] || (!edge[b][i] && input[b][i]);
    }

    private boolean groupEnabled(Pe c, int b, int i) {
        return group1[b][i] ? (gicdCtlr & 2) != 0 && c.grpEn1 : (gicdCtlr & 1) != 0 && c.grpEn0;
    }

    private static int runningPriority(Pe c) {
        long ap = c.ap0 | c.ap1;
        return ap == 0 ? 0x100 : Long.numberOfTrailingZeros(ap) << 3;
    }

    /** PE {@code p}'s highest-priority pending, enabled, inactive interrupt of {@code group} (-1 for either), or -1. */
    private int highestPending(int p, int group) {
        int best = -1;
        int bestPrio = 0x100;
        for (int i = 0; i < NUM_IRQS; i++) {
            int b = bank(p, i);
            if (enabled[b][i] && !active[b][i] && pending(b, i) && (group < 0 || (group1[b][i] ? 1 : 0) == group)
                    && (i < 32 || routedTo(i) == p) && (priority[b][i] & PRIO_MASK) < bestPrio) {
                best = i;
                bestPrio = priority[b][i] & PRIO_MASK;
            }
        }
        return best;
    }

    /** The PE SPI {@code i} goes to, or -1 (an affinity no PE has). */
    private int routedTo(int i) {
        return peOf(irouter[i]);
    }

    private int peOf(long affinity) {
        for (int p = 0; p < pe.length; p++) {
            if (pe[p].affinity == affinity) {
                return p;
            }
        }
        return -1;
    }

    /** Whether {@code i} may be signalled to PE {@code p} now: group enabled, above the priority mask and the running priority. */
    private boolean signalled(int p, int i) {
        if (i < 0) {
            return false;
        }
        Pe c = pe[p];
        int b = bank(p, i);
        int prio = priority[b][i] & PRIO_MASK;
        return groupEnabled(c, b, i) && prio < (c.pmr & PRIO_MASK) && prio < runningPriority(c);
    }

    /** Recomputes every PE's outputs. */
    public void update() {
        for (int p = 0; p < pe.length; p++) {
            update(p);
        }
    }

    /** Recomputes PE {@code p}'s outputs. */
    private void update(int p) {
        int i = highestPending(p, -1);
        boolean sig = signalled(p, i);
        boolean g1 = sig && group1[bank(p, i)][i];
        boolean irq = sig && g1;
        boolean fiq = sig && !g1;
        Pe c = pe[p];
        if (irq != c.irqOut || fiq != c.fiqOut) {
            c.irqOut = irq;
            c.fiqOut = fiq;
            c.cpu.set(irq, fiq);
        }
    }

    public boolean irqOut() {
        return pe[0].irqOut;
    }

    public boolean irqOut(int p) {
        return pe[p].irqOut;
    }

    // ------------------------------------------------------------------ CPU interface

    private long acknowledge(int p, int group) {
        int i = highestPending(p, group);
        if (!signalled(p, i)) {
            return SPURIOUS;
        }
        int b = bank(p, i);
        latched[b][i] = false;
        active[b][i] = true;
        long bit = 1L << ((priority[b][i] & PRIO_MASK) >> 3);
        Pe c = pe[p];
        if (group == 1) {
            c.ap1 |= bit;
        } else {
            c.ap0 |= bit;
        }
        refresh(i, p);
        return i;
    }

    /** After a change to interrupt {@code i} by PE {@code p}: an SPI may concern every PE. */
    private void refresh(int i, int p) {
        if (i >= 32) {
            update();
        } else {
            update(p);
        }
    }

    private long highestPendingId(int p, int group) {
        int i = highestPending(p, group);
        return signalled(p, i) ? i : SPURIOUS;
    }

    private void endOfInterrupt(int p, long value) {
        int id = (int) (value & 0xFF_FFFF);
        Pe c = pe[p];
        long ap = c.ap0 | c.ap1;
        if (ap != 0) { // drop the running priority
            long low = Long.lowestOneBit(ap);
            c.ap0 &= ~low;
            c.ap1 &= ~low;
        }
        if (!c.eoiMode) {
            deactivate(p, id);
        }
        update(p);
    }

    private void deactivate(int p, int id) {
        if (id < NUM_IRQS) {
            active[bank(p, id)][id] = false;
            refresh(id, p);
        }
    }

    /**
     * ICC_SGI0R/SGI1R/ASGI1R from PE {@code from}: INTID [27:24], IRM [40] (every PE but the sender), else
     * the PEs of affinity Aff3 [55:48].Aff2 [39:32].Aff1 [23:16] whose Aff0 is RS [47:44] * 16 + a bit of
     * TargetList [15:0]. With one security state an SGI pends only if its group is the register's
     * ({@code group1}), as QEMU's gicv3_redist_send_sgi.
     */
    private void sgi(int from, long v, boolean toGroup1) {
        int id = (int) (v >>> 24 & 0xF);
        boolean all = (v >>> 40 & 1) != 0;
        long aff = (v >>> 48 & 0xFF) << 32 | (v >>> 32 & 0xFF) << 16 | (v >>> 16 & 0xFF) << 8;
        int rs = (int) (v >>> 44 & 0xF);
        for (int p = 0; p < pe.length; p++) {
            long a = pe[p].affinity;
            boolean target;
            if (all) {
                target = p != from;
            } else {
                int aff0 = (int) (a & 0xFF) - rs * 16;
                target = (a & ~0xFFL) == aff && aff0 >= 0 && aff0 < 16 && (v >>> aff0 & 1) != 0;
            }
            if (target && group1[p][id] == toGroup1) {
                latched[p][id] = true;
                update(p);
            }
        }
    }

    private long ctlr(Pe c) {
        return (c.cbpr ? 1 : 0) | (c.eoiMode ? 2 : 0) | 4L << 8 /* PRIbits: 5 */ | 1L << 15 /* A3V */;
    }

    private Pe pe(dev.a64trap.sysreg.SysRegContext c) {
        return pe[c.cpuIndex()];
    }

    /** The CPU interface's system registers (EL1 only); each access goes to the PE of the accessing CPU. */
    public List<SysReg> sysRegs() {
        List<SysReg> r = new ArrayList<>();
        r.add(SysReg.of("ICC_PMR_EL1", of(3, 0, 4, 6, 0), (c, x) -> pe(c).pmr, (c, x, v) -> {
            pe(c).pmr = (int) v & PRIO_MASK;
            update(c.cpuIndex());
        }));
        r.add(SysReg.of("ICC_IAR0_EL1", of(3, 0, 12, 8, 0), (c, x) -> acknowledge(c.cpuIndex(), 0), null)
                .debugAccess((c, x) -> highestPendingId(c.cpuIndex(), 0), null)); // a debugger's look acknowledges nothing
        r.add(SysReg.of("ICC_EOIR0_EL1", of(3, 0, 12, 8, 1), null, (c, x, v) -> endOfInterrupt(c.cpuIndex(), v)));
        r.add(SysReg.of("ICC_HPPIR0_EL1", of(3, 0, 12, 8, 2), (c, x) -> highestPendingId(c.cpuIndex(), 0), null));
        r.add(SysReg.of("ICC_BPR0_EL1", of(3, 0, 12, 8, 3), (c, x) -> pe(c).bpr0,
                (c, x, v) -> pe(c).bpr0 = (int) Math.max(2, v & 7)));
        r.add(SysReg.of("ICC_AP0R0_EL1", of(3, 0, 12, 8, 4), (c, x) -> pe(c).ap0, (c, x, v) -> {
            pe(c).ap0 = v & 0xFFFF_FFFFL;
            update(c.cpuIndex());
        }));
        r.add(SysReg.of("ICC_AP1R0_EL1", of(3, 0, 12, 9, 0), (c, x) -> pe(c).ap1, (c, x, v) -> {
            pe(c).ap1 = v & 0xFFFF_FFFFL;
            update(c.cpuIndex());
        }));
        r.add(SysReg.of("ICC_DIR_EL1", of(3, 0, 12, 11, 1), null,
                (c, x, v) -> deactivate(c.cpuIndex(), (int) (v & 0xFF_FFFF))));
        r.add(SysReg.of("ICC_RPR_EL1", of(3, 0, 12, 11, 3), (c, x) -> (long) Math.min(0xFF, runningPriority(pe(c))), null));
        r.add(SysReg.of("ICC_SGI1R_EL1", of(3, 0, 12, 11, 5), null, (c, x, v) -> sgi(c.cpuIndex(), v, true)));
        // the other security state's Group 1 from Non-secure: only a Group 0 SGI accepts it (QEMU)
        r.add(SysReg.of("ICC_ASGI1R_EL1", of(3, 0, 12, 11, 6), null, (c, x, v) -> sgi(c.cpuIndex(), v, false)));
        r.add(SysReg.of("ICC_SGI0R_EL1", of(3, 0, 12, 11, 7), null, (c, x, v) -> sgi(c.cpuIndex(), v, false)));
        r.add(SysReg.of("ICC_IAR1_EL1", of(3, 0, 12, 12, 0), (c, x) -> acknowledge(c.cpuIndex(), 1), null)
                .debugAccess((c, x) -> highestPendingId(c.cpuIndex(), 1), null)); // a debugger's look acknowledges nothing
        r.add(SysReg.of("ICC_EOIR1_EL1", of(3, 0, 12, 12, 1), null, (c, x, v) -> endOfInterrupt(c.cpuIndex(), v)));
        r.add(SysReg.of("ICC_HPPIR1_EL1", of(3, 0, 12, 12, 2), (c, x) -> highestPendingId(c.cpuIndex(), 1), null));
        r.add(SysReg.of("ICC_BPR1_EL1", of(3, 0, 12, 12, 3), (c, x) -> pe(c).cbpr ? Math.min(pe(c).bpr0 + 1, 7) : pe(c).bpr1,
                (c, x, v) -> {
                    if (!pe(c).cbpr) {
                        pe(c).bpr1 = (int) Math.max(3, v & 7);
                    }
                }));
        r.add(SysReg.of("ICC_CTLR_EL1", of(3, 0, 12, 12, 4), (c, x) -> ctlr(pe(c)), (c, x, v) -> {
            pe(c).cbpr = (v & 1) != 0;
            pe(c).eoiMode = (v & 2) != 0;
        }));
        r.add(SysReg.of("ICC_SRE_EL1", of(3, 0, 12, 12, 5), (c, x) -> 7L, (c, x, v) -> {})); // SRE, DFB, DIB: RAO/WI
        r.add(SysReg.of("ICC_IGRPEN0_EL1", of(3, 0, 12, 12, 6), (c, x) -> pe(c).grpEn0 ? 1L : 0L, (c, x, v) -> {
            pe(c).grpEn0 = (v & 1) != 0;
            update(c.cpuIndex());
        }));
        r.add(SysReg.of("ICC_IGRPEN1_EL1", of(3, 0, 12, 12, 7), (c, x) -> pe(c).grpEn1 ? 1L : 0L, (c, x, v) -> {
            pe(c).grpEn1 = (v & 1) != 0;
            update(c.cpuIndex());
        }));
        return r;
    }

    // ------------------------------------------------------------------ MMIO

    /** The bit registers shared by GICD (SPIs) and a redistributor's SGI frame (INTIDs 0-31 of PE {@code p}). */
    private long bitRegister(int p, int reg, int first, boolean write, long v) {
        int base = reg & ~0x7F; // IGROUPR 0x080, ISENABLER 0x100 ... ICACTIVER 0x380
        long out = 0;
        for (int k = 0; k < 32; k++) {
            int i = first + k;
            if (i >= NUM_IRQS) {
                break;
            }
            int b = bank(p, i);
            boolean set = (v >>> k & 1) != 0;
            switch (base) {
                case 0x080 -> {
                    if (write) {
                        group1[b][i] = set;
                    }
                    out |= group1[b][i] ? 1L << k : 0;
                }
                case 0x100, 0x180 -> {
                    if (write && set) {
                        enabled[b][i] = base == 0x100;
                    }
                    out |= enabled[b][i] ? 1L << k : 0;
                }
                case 0x200, 0x280 -> {
                    if (write && set) {
                        latched[b][i] = base == 0x200; // a level input stays pending while high
                    }
                    out |= pending(b, i) ? 1L << k : 0;
                }
                default -> { // 0x300 ISACTIVER, 0x380 ICACTIVER
                    if (write && set) {
                        active[b][i] = base == 0x300;
                    }
                    out |= active[b][i] ? 1L << k : 0;
                }
            }
        }
        if (write) {
            refresh(first, p);
        }
        return out;
    }

    /** GICD_* and GICR SGI-frame registers from offset 0x080 to 0xCFF (bits, priorities, configuration). */
    private long irqRegisters(int p, int off, int size, boolean write, long v, int firstBank, int banks) {
        if (off >= 0x080 && off < 0x400) {
            int n = (off & 0x7F) / 4;
            if (n < firstBank || n >= firstBank + banks) {
                return 0;
            }
            return bitRegister(p, off, n * 32, write, v) & 0xFFFF_FFFFL;
        }
        if (off >= 0x400 && off < 0x800) {
            int i = off - 0x400;
            if (i < firstBank * 32 || i + size > Math.min((firstBank + banks) * 32, NUM_IRQS)) {
                return 0;
            }
            int b = bank(p, i);
            long out = 0;
            for (int k = 0; k < size; k++) {
                if (write) {
                    priority[b][i + k] = (int) (v >>> (8 * k)) & PRIO_MASK;
                }
                out |= (long) priority[b][i + k] << (8 * k);
            }
            if (write) {
                refresh(i, p);
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
                int b = bank(p, i);
                if (write && i >= 16) {
                    edge[b][i] = (v >>> (2 * k + 1) & 1) != 0;
                }
                out |= edge[b][i] ? 2L << (2 * k) : 0;
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
                    // ITLinesNumber, IDbits = 16 bits, A3V, No1N (no 1-of-N routing), as QEMU
                    return (NUM_IRQS / 32 - 1) | 15 << 19 | 1 << 24 | 1 << 25;
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
                    irouter[i] = (irouter[i] & ~mask) | (v << shift & mask & AFF_MASK); // IRM is RES0 with No1N
                    update();
                }
                return irouter[i] >>> shift;
            }
            return irqRegisters(0, off, size, write, v, 1, NUM_IRQS / 32 - 1); // INTIDs 0-31 are the redistributors'
        }

        @Override
        public String name() {
            return "GICv3 distributor";
        }
    };

    /** The redistributor region: each PE's RD frame (64 KiB) and SGI frame (64 KiB), in PE order. */
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
            int p = (int) (offset / REDIST_STRIDE);
            if (p >= pe.length) {
                return 0; // no such PE
            }
            int off = (int) (offset % REDIST_STRIDE);
            if (off >= 0x1_0000) {
                return irqRegisters(p, off - 0x1_0000, size, write, v, 0, 1);
            }
            Pe c = pe[p];
            // TYPER: affinity [63:32], processor number [23:8], Last [4]; no LPIs
            long typer = (c.affinity >>> 8 & 0xFF00_0000L | c.affinity & 0xFF_FFFFL) << 32 | (long) p << 8
                    | (p == pe.length - 1 ? 1L << 4 : 0);
            switch (off) {
                case 0x0004 -> {
                    return IIDR;
                }
                case 0x0008 -> {
                    return size == 8 ? typer : typer & 0xFFFF_FFFFL;
                }
                case 0x000C -> {
                    return typer >>> 32;
                }
                case 0x0014 -> {
                    if (write) {
                        c.processorSleep = (v & 2) != 0;
                    }
                    return c.processorSleep ? 6 : 0; // ProcessorSleep, ChildrenAsleep
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
