package dev.a64trap.mem.mmu;

import java.util.Map;

/**
 * A second, independent stage-1 walk written in the shape of the architecture's pseudocode
 * (AArch64.TranslationTableWalk and AArch64.CheckPermission of ARMv8.0, EL1&0 regime): bit
 * slices, a base-address lower bound, a loop that tests "blocktranslate" and "lookup" flags.
 * Memory is a plain map of descriptors (absent = zero) and a predicate saying which physical
 * addresses have memory behind them (a walk read elsewhere is an external abort). The test compares {@link Walker} and the TLB with it.
 */
final class ReferenceWalk {
    record Result(int fsc, long pa, int attr, int level, boolean r1, boolean w1, boolean x1, boolean r0, boolean w0,
            boolean x0, java.util.List<Long> path) {}

    private ReferenceWalk() {}

    static long bits(long x, int hi, int lo) {
        int n = hi - lo + 1;
        return n == 64 ? x : (x >>> lo) & ((1L << n) - 1);
    }

    static boolean bit(long x, int n) {
        return (x >>> n & 1) != 0;
    }

    static Result fault(int type, int level, java.util.List<Long> path) {
        return new Result(type | level, 0, 0, level, false, false, false, false, false, false, path);
    }

    static Result walk(long sctlr, long tcr, long ttbr0, long ttbr1, long mair, long va, Map<Long, Long> mem,
            java.util.function.LongPredicate backed, boolean has16k) {
        // Which half of the address space, from VA<55> (top byte ignored or not).
        java.util.List<Long> path = new java.util.ArrayList<>();
        boolean top = bit(va, 55);
        int tsz = (int) (top ? bits(tcr, 21, 16) : bits(tcr, 5, 0));
        int tg = (int) (top ? bits(tcr, 31, 30) : bits(tcr, 15, 14));
        boolean tbi = top ? bit(tcr, 38) : bit(tcr, 37);
        boolean epd = top ? bit(tcr, 23) : bit(tcr, 7);
        long baseregister = top ? ttbr1 : ttbr0;
        int grainsize;
        if (top) {
            grainsize = tg == 0b01 ? 14 : tg == 0b11 ? 16 : 12;
        } else {
            grainsize = tg == 0b01 ? 16 : tg == 0b10 ? 14 : 12;
        }
        if (grainsize == 14 && !has16k) {
            grainsize = 12;
        }
        int stride = grainsize - 3;
        if (tsz > 39 || tsz < 16) {
            return fault(0b000100, 0, path);
        }
        int inputsize = 64 - tsz;
        int addrtop = tbi ? 55 : 63;
        // Every bit from addrtop down to inputsize must equal VA<55>.
        for (int i = inputsize; i <= addrtop; i++) {
            if (bit(va, i) != top) {
                return fault(0b000100, 0, path);
            }
        }
        if (epd) {
            return fault(0b000100, 0, path);
        }
        int[] psBits = {32, 36, 40, 42, 44, 48, 52, 52};
        int outputsize = Math.min(psBits[(int) bits(tcr, 34, 32)], 44);
        // Number of levels needed for inputsize bits, each resolving stride bits above the granule.
        int level = 4 - (int) Math.ceil((inputsize - grainsize) / (double) stride);
        if (bits(baseregister, 47, outputsize) != 0) {
            return fault(0b000000, 0, path);
        }
        int baselowerbound = 3 + inputsize - ((3 - level) * stride + grainsize);
        long baseaddress = bits(baseregister, 47, baselowerbound) << baselowerbound;
        boolean blocktranslate = false;
        boolean lookup = true;
        boolean apTable0 = false, apTable1 = false, xnTable = false, pxnTable = false;
        long desc = 0;
        int addrselecttop = inputsize - 1;
        int addrselectbottom = 0;
        while (lookup) {
            addrselectbottom = (3 - level) * stride + grainsize;
            long index = bits(va, addrselecttop, addrselectbottom) << 3;
            long descaddr = baseaddress | index;
            if (!backed.test(descaddr)) {
                return fault(0b010100, level, path);
            }
            path.add(descaddr);
            desc = mem.getOrDefault(descaddr, 0L);
            if (!bit(desc, 0) || (!bit(desc, 1) && level == 3)) {
                return fault(0b000100, level, path);
            }
            if (!bit(desc, 1)) { // block
                boolean allowed = grainsize == 12 ? level == 1 || level == 2 : level == 2;
                if (!allowed) {
                    return fault(0b000100, level, path);
                }
                blocktranslate = true;
                lookup = false;
            } else if (level == 3) {
                lookup = false;
            } else {
                // Table: the next table's address, with the hierarchical controls gathered.
                pxnTable |= bit(desc, 59);
                xnTable |= bit(desc, 60);
                apTable0 |= bit(desc, 61);
                apTable1 |= bit(desc, 62);
            }
            if (bits(desc, 47, outputsize) != 0) {
                return fault(0b000000, level, path);
            }
            if (lookup) {
                baseaddress = bits(desc, 47, grainsize) << grainsize;
                level++;
                addrselecttop = addrselectbottom - 1;
            }
        }
        if (!bit(desc, 10)) {
            return fault(0b001000, level, path);
        }
        long outputaddress = (bits(desc, 47, addrselectbottom) << addrselectbottom) | bits(va, addrselectbottom - 1, 0);
        boolean ap1 = bit(desc, 6) && !apTable0;
        boolean ap2 = bit(desc, 7) || apTable1;
        boolean xn = bit(desc, 54) || xnTable;
        boolean pxn = bit(desc, 53) || pxnTable;
        boolean wxn = bit(sctlr, 19);
        boolean privR = true, privW = !ap2, userR = ap1, userW = ap1 && !ap2;
        boolean userXn = xn || (userW && wxn);
        boolean privXn = pxn || (privW && wxn) || userW;
        int attr = (int) bits(mair, 8 * (int) bits(desc, 4, 2) + 7, 8 * (int) bits(desc, 4, 2));
        return new Result(-1, outputaddress, attr, level, privR, privW, !privXn, userR, userW, !userXn, path);
    }
}
