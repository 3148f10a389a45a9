package dev.a64trap.mem.mmu;

import dev.a64trap.mem.BusFault;

/**
 * The stage-1 translation table walk of the EL1&0 regime (VMSAv8-64 as ARMv8.0 has it: 4 KiB,
 * 16 KiB and 64 KiB granules, 48-bit VAs, no LPA/LVA, no hardware access-flag update, no PAN).
 * A pure function of the registers, the VA and the descriptors in memory; the TLB caches its
 * results. Choices the architecture leaves open follow QEMU (the project's oracle): a TxSZ out of
 * 16..39 raises a level-0 translation fault, an unimplemented granule is walked as 4 KiB, the
 * access flag is checked before permissions.
 */
public final class Walker {
    private Walker() {}

    public static final int NO_FAULT = -1;
    /** Fault status codes; the level goes in the low two bits. */
    public static final int FSC_ADDRESS_SIZE = 0x00, FSC_TRANSLATION = 0x04, FSC_ACCESS_FLAG = 0x08,
            FSC_PERMISSION = 0x0C, FSC_WALK_EXTERNAL = 0x14, FSC_ALIGNMENT = 0x21;

    /** Access kinds. */
    public static final int READ = 0, WRITE = 1, EXEC = 2;

    /** The registers that decide a translation. */
    public record Regs(long sctlr, long tcr, long ttbr0, long ttbr1, long mair) {}

    /** Reads one 8-byte descriptor at a physical address. @throws BusFault if nothing is there */
    @FunctionalInterface
    public interface Tables {
        long descriptor(long pa);
    }

    public static final long SCTLR_WXN = 1L << 19;
    /** ID_AA64MMFR0_EL1.PARange 4: 44-bit physical addresses (Cortex-A57). */
    public static final int PA_BITS = 44;
    private static final int[] IPS_BITS = {32, 36, 40, 42, 44, 48, 52, 52};

    /** Granule shift (12, 14 or 16) of TG0 or TG1; {@code has16k}: whether 16 KiB is implemented. */
    static int granule(long tcr, boolean upper, boolean has16k) {
        int g;
        if (!upper) {
            int tg = (int) (tcr >>> 14 & 3);
            g = tg == 1 ? 16 : tg == 2 ? 14 : 12;
        } else {
            int tg = (int) (tcr >>> 30 & 3);
            g = tg == 1 ? 14 : tg == 3 ? 16 : 12;
        }
        return g == 14 && !has16k ? 12 : g;
    }

    /** The effective output address size: TCR_EL1.IPS bounded by the implemented PA size. */
    static int outputBits(long tcr) {
        return Math.min(IPS_BITS[(int) (tcr >>> 32 & 7)], PA_BITS);
    }

    /** Whether a block descriptor is allowed at {@code level} for granule shift {@code g}. */
    static boolean blockAllowed(int g, int level) {
        return g == 12 ? level == 1 || level == 2 : level == 2;
    }

    public static Translation walk(Regs r, long va, Tables mem, boolean has16k) {
        long tcr = r.tcr();
        boolean upper = (va >>> 55 & 1) != 0;
        int tsz = (int) (upper ? tcr >>> 16 & 63 : tcr & 63);
        boolean tbi = (tcr >>> (upper ? 38 : 37) & 1) != 0;
        boolean epd = (tcr >>> (upper ? 23 : 7) & 1) != 0;
        long ttbr = upper ? r.ttbr1() : r.ttbr0();
        int g = granule(tcr, upper, has16k);
        if (tsz < 16 || tsz > 39) {
            return fault(FSC_TRANSLATION, 0);
        }
        int inputBits = 64 - tsz;
        int addrBits = tbi ? 56 : 64;
        long top = va >> inputBits; // sign of the bits above the input range, checked up to addrBits
        long checked = addrBits == 64 ? top : top << (64 - (addrBits - inputBits)) >> (64 - (addrBits - inputBits));
        if (checked != (upper ? -1L : 0L)) {
            return fault(FSC_TRANSLATION, 0);
        }
        if (epd) {
            return fault(FSC_TRANSLATION, 0);
        }
        int stride = g - 3;
        int startLevel = 4 - (inputBits - g + stride - 1) / stride;
        int outBits = outputBits(tcr);
        long base = ttbr & ((1L << 48) - 1);
        if (base >>> outBits != 0) {
            return fault(FSC_ADDRESS_SIZE, 0);
        }
        int firstIndexBits = inputBits - (g + (3 - startLevel) * stride);
        base &= ~((1L << (firstIndexBits + 3)) - 1);
        long[] addrs = new long[4 - startLevel];
        long[] descs = new long[4 - startLevel];
        int apTable = 0;
        boolean xnTable = false, pxnTable = false;
        long table = base;
        long oaMask = ((1L << 48) - 1) & -(1L << g);
        for (int level = startLevel; ; level++) {
            int shift = g + (3 - level) * stride;
            int bits = level == startLevel ? firstIndexBits : stride;
            long addr = table | ((va >>> shift) & ((1L << bits) - 1)) << 3;
            long d;
            try {
                d = mem.descriptor(addr);
            } catch (BusFault e) {
                return fault(FSC_WALK_EXTERNAL, level, addrs, descs, startLevel);
            }
            addrs[level - startLevel] = addr;
            descs[level - startLevel] = d;
            boolean isTable = (d & 2) != 0 && level < 3;
            if ((d & 1) == 0 || (level == 3 && (d & 2) == 0) || (!isTable && level < 3 && !blockAllowed(g, level))) {
                return fault(FSC_TRANSLATION, level, addrs, descs, startLevel);
            }
            long oa = d & oaMask;
            if (oa >>> outBits != 0) {
                return fault(FSC_ADDRESS_SIZE, level, addrs, descs, startLevel);
            }
            if (isTable) {
                apTable |= (int) (d >>> 61 & 3);
                xnTable |= (d >>> 60 & 1) != 0;
                pxnTable |= (d >>> 59 & 1) != 0;
                table = oa;
                continue;
            }
            if ((d >>> 10 & 1) == 0) {
                return fault(FSC_ACCESS_FLAG, level, addrs, descs, startLevel);
            }
            long blockMask = (1L << shift) - 1;
            long pa = (oa & ~blockMask) | (va & blockMask);
            boolean ap1 = (d >>> 6 & 1) != 0 && (apTable & 1) == 0; // EL0 access
            boolean ap2 = (d >>> 7 & 1) != 0 || (apTable & 2) != 0; // read-only
            boolean uxn = (d >>> 54 & 1) != 0 || xnTable;
            boolean pxn = (d >>> 53 & 1) != 0 || pxnTable;
            boolean wxn = (r.sctlr() & SCTLR_WXN) != 0;
            int perms = Translation.EL1_R | (ap2 ? 0 : Translation.EL1_W) | (ap1 ? Translation.EL0_R : 0)
                    | (ap1 && !ap2 ? Translation.EL0_W : 0);
            boolean el0W = (perms & Translation.EL0_W) != 0;
            boolean el1W = (perms & Translation.EL1_W) != 0;
            // EL0 may execute what it cannot read (execute-only); EL1 never executes EL0-writable memory.
            if (!uxn && !(wxn && el0W)) {
                perms |= Translation.EL0_X;
            }
            if (!pxn && !el0W && !(wxn && el1W)) {
                perms |= Translation.EL1_X;
            }
            int attr = (int) (r.mair() >>> (8 * (int) (d >>> 2 & 7)) & 0xFF);
            return new Translation(NO_FAULT, level, pa, shift, attr, (int) (d >>> 8 & 3), perms,
                    (d >>> 11 & 1) == 0, addrs, descs, startLevel);
        }
    }

    /** The permission fault code for an access of {@code kind} at {@code el}, or {@link #NO_FAULT}. */
    public static int permissionFault(Translation t, int el, int kind) {
        int need = kind == READ ? Translation.EL1_R : kind == WRITE ? Translation.EL1_W : Translation.EL1_X;
        if (el == 0) {
            need <<= 3;
        }
        return (t.perms & need) != 0 ? NO_FAULT : FSC_PERMISSION | t.level;
    }

    private static Translation fault(int fsc, int level) {
        return fault(fsc, level, new long[0], new long[0], level);
    }

    private static Translation fault(int fsc, int level, long[] addrs, long[] descs, int startLevel) {
        int n = level - startLevel + (fsc == FSC_WALK_EXTERNAL ? 0 : 1);
        return new Translation(fsc | level, level, 0, 0, 0, 0, 0, false, java.util.Arrays.copyOf(addrs, n),
                java.util.Arrays.copyOf(descs, n), startLevel);
    }
}
