package dev.a64trap.devices;

import static dev.a64trap.sysreg.SysRegEncoding.of;

import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysReg.Access;
import java.util.List;

/**
 * The EL1 physical and virtual timers of the Arm generic timer (CNTP_* and CNTV_*; no EL2, so
 * CNTVOFF = 0 and the virtual count is the physical count), in guest time from a
 * {@link GuestClock}: deterministic, never the wall clock. Each timer's condition is
 * ENABLE and count &gt;= CVAL (ISTATUS); its output, ISTATUS and not IMASK, is a level on a PPI of
 * the GIC: 30 for the physical timer, 27 for the virtual one (QEMU virt's wiring, in its DTB).
 *
 * <p>The board asks for {@link #nextDeadline()} to schedule a checkpoint there and calls
 * {@link #update()} whenever time may have passed a deadline; a register write updates at once.
 * EL0 access follows CNTKCTL_EL1: EL0PTEN (bit 9) for CNTP_*, EL0VTEN (bit 8) for CNTV_*;
 * refused accesses trap (EC 0x18).
 */
public final class GenericTimer {
    public static final int PPI_PHYS = 30;
    public static final int PPI_VIRT = 27;
    static final int PHYS = 0;
    static final int VIRT = 1;
    static final long CTL_ENABLE = 1, CTL_IMASK = 2, CTL_ISTATUS = 4;
    private static final long CNTKCTL_EL0PTEN = 1 << 9, CNTKCTL_EL0VTEN = 1 << 8;

    /** Where the timer outputs go (the GIC's PPI inputs). */
    public interface Lines {
        void set(int intid, boolean level);
    }

    private final GuestClock clock;
    private final Lines lines;
    private final Runnable changed;
    private final long[] ctl = new long[2];
    private final long[] cval = new long[2];
    private final boolean[] level = new boolean[2];

    /**
     * @param clock   guest time in ns (= ticks: CNTFRQ_EL0 is 1 GHz)
     * @param lines   the PPI inputs
     * @param changed called after a register write, so the board can move its checkpoint
     */
    public GenericTimer(GuestClock clock, Lines lines, Runnable changed) {
        this.clock = clock;
        this.lines = lines;
        this.changed = changed;
    }

    private static boolean fires(long ctl, long cval, long now) {
        return (ctl & CTL_ENABLE) != 0 && Long.compareUnsigned(now, cval) >= 0;
    }

    /** Recomputes both timers' outputs at the current time and drives the PPIs that changed. */
    public void update() {
        long now = clock.nanoseconds();
        for (int t = PHYS; t <= VIRT; t++) {
            boolean out = fires(ctl[t], cval[t], now) && (ctl[t] & CTL_IMASK) == 0;
            if (out != level[t]) {
                level[t] = out;
                lines.set(t == PHYS ? PPI_PHYS : PPI_VIRT, out);
            }
        }
    }

    /**
     * The earliest guest time at which an output will rise (enabled, unmasked, not yet fired), or
     * {@link Long#MAX_VALUE} if none will: what a WFI can wait for.
     */
    public long nextDeadline() {
        long now = clock.nanoseconds();
        long next = Long.MAX_VALUE;
        for (int t = PHYS; t <= VIRT; t++) {
            if ((ctl[t] & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE && Long.compareUnsigned(now, cval[t]) < 0) {
                next = Math.min(next, cval[t]);
            }
        }
        return next;
    }

    private long readCtl(int t) {
        return ctl[t] | (fires(ctl[t], cval[t], clock.nanoseconds()) ? CTL_ISTATUS : 0);
    }

    private void write(int t, long newCtl, long newCval) {
        ctl[t] = newCtl & (CTL_ENABLE | CTL_IMASK);
        cval[t] = newCval;
        update();
        changed.run();
    }

    private static SysReg.El0Rule el0(long bit) {
        return (c, w) -> c.el() != 0 || (c.regs().cntkctl & bit) != 0 ? Access.ALLOW : Access.TRAP;
    }

    /** The six timer registers as system-register rows. */
    public List<SysReg> sysRegs() {
        return List.of(rows("CNTP", 2, PHYS, CNTKCTL_EL0PTEN), rows("CNTV", 3, VIRT, CNTKCTL_EL0VTEN)).stream()
                .flatMap(List::stream).toList();
    }

    private List<SysReg> rows(String prefix, int crm, int t, long el0Bit) {
        SysReg.El0Rule rule = el0(el0Bit);
        return List.of(
                // TVAL: the low 32 bits of CVAL - count; a write sets CVAL = count + sign-extended value
                SysReg.of(prefix + "_TVAL_EL0", of(3, 3, 14, crm, 0),
                        (c, r) -> (cval[t] - clock.nanoseconds()) & 0xFFFF_FFFFL,
                        (c, r, v) -> write(t, ctl[t], clock.nanoseconds() + (int) v)).el0(rule),
                SysReg.of(prefix + "_CTL_EL0", of(3, 3, 14, crm, 1), (c, r) -> readCtl(t),
                        (c, r, v) -> write(t, v, cval[t])).el0(rule),
                SysReg.of(prefix + "_CVAL_EL0", of(3, 3, 14, crm, 2), (c, r) -> cval[t],
                        (c, r, v) -> write(t, ctl[t], v)).el0(rule));
    }
}
