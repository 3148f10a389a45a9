package dev.a64trap.mem.mmu;

/**
 * The outcome of one stage-1 walk: either a fault (its fault status code, level included) or the
 * output address with what the TLB and PAR_EL1 need. {@link #descriptors} keeps every descriptor
 * read on the way (for {@code monitor translate}).
 */
public final class Translation {
    /** Permission bits of {@link #perms}. */
    public static final int EL1_R = 1, EL1_W = 2, EL1_X = 4, EL0_R = 8, EL0_W = 16, EL0_X = 32;

    /** Fault status code (DFSC/IFSC, level in its low bits), or {@link Walker#NO_FAULT}. */
    public final int fault;
    /** Level of the last descriptor used (the fault level for a walk fault). */
    public final int level;
    /** Output address of the translated VA itself (offset inside the page or block included). */
    public final long pa;
    /** log2 of the page or block size. */
    public final int sizeShift;
    /** The MAIR_EL1 attribute byte selected by AttrIndx. */
    public final int attr;
    /** Shareability SH[1:0] of the descriptor. */
    public final int sh;
    public final int perms;
    public final boolean global;
    /** Descriptor addresses and values read, level by level from the start level. */
    public final long[] descriptorAddresses;
    public final long[] descriptors;
    public final int startLevel;

    Translation(int fault, int level, long pa, int sizeShift, int attr, int sh, int perms, boolean global,
            long[] addrs, long[] descs, int startLevel) {
        this.fault = fault;
        this.level = level;
        this.pa = pa;
        this.sizeShift = sizeShift;
        this.attr = attr;
        this.sh = sh;
        this.perms = perms;
        this.global = global;
        this.descriptorAddresses = addrs;
        this.descriptors = descs;
        this.startLevel = startLevel;
    }

    public boolean ok() {
        return fault == Walker.NO_FAULT;
    }

    /** Device memory (MAIR attribute 0b0000xxxx): unaligned accesses fault. */
    public boolean device() {
        return (attr & 0xF0) == 0;
    }
}
