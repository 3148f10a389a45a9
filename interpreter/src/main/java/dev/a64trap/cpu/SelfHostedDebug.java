package dev.a64trap.cpu;

import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysRegFile;

/**
 * Self-hosted debug for a PE with EL0 and EL1 only, non-secure (Arm ARM D2): when debug exceptions
 * are enabled, and whether a hardware breakpoint or watchpoint matches. The interpreter consults
 * this only while {@link SysRegFile#debugArmed} is set.
 */
public final class SelfHostedDebug {
    private SelfHostedDebug() {}

    static final long MDSCR_SS = 1, MDSCR_KDE = 1L << 13, MDSCR_MDE = 1L << 15;

    /** ISS bits [5:0] of debug exceptions: IFSC/DFSC = 0b100010 (debug event). */
    static final int FSC_DEBUG = 0x22;
    public static final int EC_BREAKPOINT_LOWER = 0x30, EC_BREAKPOINT_SAME = 0x31;
    public static final int EC_STEP_LOWER = 0x32, EC_STEP_SAME = 0x33;
    public static final int EC_WATCHPOINT_LOWER = 0x34, EC_WATCHPOINT_SAME = 0x35;

    /**
     * Debug exceptions (to EL1) enabled from {@code el} with PSTATE.D = {@code d}: never under the OS
     * lock or the OS double lock; always from EL0; from EL1 only with MDSCR_EL1.KDE set and D clear.
     */
    public static boolean enabled(SysRegFile s, int el, boolean d) {
        if (s.osLock || (s.osdlr & 1) != 0) {
            return false;
        }
        return el == 0 || (s.mdscr & MDSCR_KDE) != 0 && !d;
    }

    public static boolean enabled(Cpu cpu) {
        return enabled(cpu.sys, cpu.el, (cpu.daif & 8) != 0);
    }

    /** Software step is active at the current state (MDSCR_EL1.SS and debug exceptions enabled). */
    public static boolean stepActive(Cpu cpu) {
        return (cpu.sys.mdscr & MDSCR_SS) != 0 && enabled(cpu);
    }

    /** PSTATE.SS after an exception return to {@code el} with D = {@code d}: SPSR.SS only if stepping is active there. */
    static boolean ssOnReturn(SysRegFile s, long spsr, int el, boolean d) {
        return (spsr & Cpu.PSTATE_SS) != 0 && (s.mdscr & MDSCR_SS) != 0 && enabled(s, el, d);
    }

    /** DBGBCR.BT (bits [23:20]) values of an EL1&0-only PE. */
    static final int BT_ADDRESS = 0b0000, BT_LINKED_ADDRESS = 0b0001, BT_CONTEXT = 0b0010, BT_LINKED_CONTEXT = 0b0011;

    /**
     * An enabled breakpoint matches {@code pc} at the current EL (PMC): an address match (BAS =
     * 0b1111 for A64), unlinked or linked through LBN (bits [19:16]) to a linked context-ID
     * breakpoint that matches; or an unlinked context-ID match (CONTEXTIDR_EL1 = DBGBVR[31:0], on a
     * context-aware breakpoint), which fires on every instruction of that context. A linked
     * context-ID breakpoint (BT 0b0011) only ever matches through a link; other BT values (VMID,
     * mismatch) need EL2 or AArch32 and never match here. (Vector catch exists only for AArch32
     * EL1, which this PE does not have.)
     */
    public static boolean breakpointHit(Cpu cpu, long pc) {
        SysRegFile s = cpu.sys;
        if ((s.mdscr & MDSCR_MDE) == 0 || !enabled(cpu)) {
            return false;
        }
        for (int n = 0; n < s.dbgbcr.length; n++) {
            long c = s.dbgbcr[n];
            if ((c & 1) == 0 || !privilegeMatches(c, cpu.el)) {
                continue;
            }
            boolean hit = switch ((int) (c >>> 20 & 0xF)) {
                case BT_ADDRESS -> addressMatches(s, n, pc);
                case BT_LINKED_ADDRESS -> addressMatches(s, n, pc) && linkedContextMatches(s, (int) (c >>> 16 & 0xF));
                case BT_CONTEXT -> contextMatches(s, n);
                default -> false;
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    private static boolean addressMatches(SysRegFile s, int n, long pc) {
        return (s.dbgbcr[n] >>> 5 & 0xF) == 0xF && (s.dbgbvr[n] & ~3L) == (pc & ~3L);
    }

    /** Breakpoint {@code n} is context-aware and DBGBVR[31:0] equals CONTEXTIDR_EL1. */
    private static boolean contextMatches(SysRegFile s, int n) {
        return n >= BaseSysRegs.FIRST_CONTEXT_BREAKPOINT && n < BaseSysRegs.BREAKPOINTS
                && (s.dbgbvr[n] & 0xFFFF_FFFFL) == s.contextidr;
    }

    /** The link target {@code lbn} is an enabled linked context-ID breakpoint whose context matches. */
    private static boolean linkedContextMatches(SysRegFile s, int lbn) {
        long c = s.dbgbcr[lbn];
        return (c & 1) != 0 && (c >>> 20 & 0xF) == BT_LINKED_CONTEXT && contextMatches(s, lbn);
    }

    /** PMC (bits [2:1]): 0b01 EL1, 0b10 EL0, 0b11 both (HMC and SSC only matter with EL2/EL3). */
    private static boolean privilegeMatches(long ctrl, int el) {
        int pmc = (int) (ctrl >>> 1 & 3);
        return (pmc & (el == 0 ? 2 : 1)) != 0;
    }

    /**
     * Whether an access of {@code size} bytes at {@code address} ({@code write} or read) at the
     * current EL hits an enabled watchpoint: LSC (bits [4:3]) 0b01 loads, 0b10 stores; BAS
     * (bits [12:5]) selects bytes of the doubleword at DBGWVR; MASK (bits [28:24]) &ge; 3 watches
     * the naturally aligned 2^MASK bytes instead.
     */
    public static boolean watchpointHit(Cpu cpu, long address, int size, boolean write) {
        return firstWatchpoint(cpu, address, size, write) >= 0;
    }

    /**
     * FAR of a watchpoint hit ({@link #watchpointHit} true): the higher of the access address and
     * the start of the lowest-numbered hit watchpoint's watched bytes, as QEMU reports it (an
     * access that starts below the watched bytes reports where they start).
     */
    public static long watchpointFar(Cpu cpu, long address, int size, boolean write) {
        int n = firstWatchpoint(cpu, address, size, write);
        long c = cpu.sys.dbgwcr[n], wvr = cpu.sys.dbgwvr[n];
        int mask = (int) (c >>> 24 & 0x1F);
        long start = mask >= 3 ? wvr & ~((1L << mask) - 1)
                : (wvr & ~7L) + Integer.numberOfTrailingZeros((int) (c >>> 5 & 0xFF));
        return Long.compareUnsigned(start, address) > 0 ? start : address;
    }

    /** The lowest-numbered watchpoint the access hits, or -1. */
    private static int firstWatchpoint(Cpu cpu, long address, int size, boolean write) {
        SysRegFile s = cpu.sys;
        if ((s.mdscr & MDSCR_MDE) == 0 || !enabled(cpu)) {
            return -1;
        }
        for (int n = 0; n < s.dbgwcr.length; n++) {
            long c = s.dbgwcr[n];
            if ((c & 1) == 0 || !privilegeMatches(c, cpu.el) || (c >>> 3 & (write ? 2 : 1)) == 0) {
                continue;
            }
            if ((c >>> 20 & 1) != 0 && !linkedContextMatches(s, (int) (c >>> 16 & 0xF))) {
                continue; // WT: linked to a context-ID breakpoint (LBN) that does not match
            }
            int mask = (int) (c >>> 24 & 0x1F);
            long wvr = s.dbgwvr[n];
            if (mask >= 3) {
                long m = ~((1L << mask) - 1);
                long first = address & m, last = (address + size - 1) & m;
                if (first == (wvr & m) || last == (wvr & m)) {
                    return n;
                }
                continue;
            }
            int bas = (int) (c >>> 5 & 0xFF);
            long dw = wvr & ~7L;
            for (int b = 0; b < size; b++) {
                long a = address + b;
                if ((a & ~7L) == dw && (bas >>> (a & 7) & 1) != 0) {
                    return n;
                }
            }
        }
        return -1;
    }

    public static int breakpointSyndrome(boolean fromLowerEl) {
        return Syndrome.esr(fromLowerEl ? EC_BREAKPOINT_LOWER : EC_BREAKPOINT_SAME, FSC_DEBUG);
    }

    /** ISV (bit 24) says EX (bit 6, a load-exclusive was stepped) is valid: set once an instruction was stepped. */
    public static int stepSyndrome(boolean fromLowerEl, boolean isv, boolean ex) {
        return Syndrome.esr(fromLowerEl ? EC_STEP_LOWER : EC_STEP_SAME, (isv ? 1 << 24 : 0) | (isv && ex ? 1 << 6 : 0) | FSC_DEBUG);
    }

    public static int watchpointSyndrome(boolean fromLowerEl, boolean write) {
        return Syndrome.esr(fromLowerEl ? EC_WATCHPOINT_LOWER : EC_WATCHPOINT_SAME, (write ? Syndrome.WNR : 0) | FSC_DEBUG);
    }
}
