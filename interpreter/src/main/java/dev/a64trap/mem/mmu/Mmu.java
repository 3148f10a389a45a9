package dev.a64trap.mem.mmu;

import dev.a64trap.mem.GuestMemory;
import dev.a64trap.mem.PhysicalMemory;
import java.util.Arrays;

/**
 * Stage-1 translation for one PE: the registers that decide it, the {@link Walker}, and a software
 * TLB per exception level (EL0 and EL1 see different permissions). The TLB is direct-mapped by
 * 4 KiB VA page and holds, for each page, one tag per access kind (read, write, execute) that is
 * set only when that access is permitted, and the VA-to-PA addend: a hit is one array load and a
 * compare, as the interpreter and translated code do inline (see exec.Lsu).
 *
 * <p>The TLB holds translations of the current ASIDs only: any write to SCTLR_EL1, TCR_EL1 or
 * MAIR_EL1, and a TTBR0/1_EL1 write that changes its ASID, empties it, and so does every TLBI except
 * the by-VA forms on a TLB without block entries (a block is cached as many 4 KiB entries, so one
 * VA cannot name them all). So ASIDs need no tag here: switching ASID switches the contents. A
 * TTBR write that keeps the ASID ({@link #retarget}) keeps the entries, as hardware may and QEMU does. Flushing more than the
 * architecture requires is always allowed; flushing less never happens. {@link #epoch} counts the
 * flushes so translated code can tell that the mapping it was built under may have changed.
 */
public final class Mmu {
    public static final int TLB_BITS = 10;
    public static final int TLB_SIZE = 1 << TLB_BITS;
    public static final int TLB_MASK = TLB_SIZE - 1;
    /** An empty tag: never equal to {@code va >>> 12}. */
    public static final long EMPTY = -1;

    /** One exception level's TLB. Index {@code (int) (va >>> 12) & TLB_MASK}; hit when the kind's tag equals {@code va >>> 12}. */
    public static final class Tlb {
        public final long[] read = new long[TLB_SIZE];
        public final long[] write = new long[TLB_SIZE];
        public final long[] exec = new long[TLB_SIZE];
        /** PA minus VA of the entry's page. */
        public final long[] addend = new long[TLB_SIZE];
        /** Device memory: unaligned accesses fault. */
        public final boolean[] device = new boolean[TLB_SIZE];
        /**
         * Direct host access, the common case of an aligned load or store to RAM: the page-aligned
         * VA when the entry permits the access and its RAM is at hand, else {@link #EMPTY}. A hit
         * is {@code (va & (~0xFFF | bytes - 1)) == load[i]} (the compare also rejects unaligned
         * accesses) and the bytes are at {@code page[i]}, index {@code (int) va + delta[i]}.
         */
        public final long[] load = new long[TLB_SIZE];
        public final long[] store = new long[TLB_SIZE];
        public final byte[][] page = new byte[TLB_SIZE][];
        public final int[] delta = new int[TLB_SIZE];
        /**
         * Direct stores into a granule that holds translated code: the page-aligned VA as in
         * {@link #store} (which is {@link #EMPTY} for such a granule), and the memory's watched-line
         * masks of the 64 KiB page ({@link GuestMemory#codeLines}). A store may go to {@code
         * page[i]} at {@code in = (int) va + delta[i]} only when {@code lines[i][in >>> 12] >>> (in
         * >>> 6) & 1} is 0 (an aligned access stays within its 64-byte line); else it takes the
         * slow path, which reports it.
         */
        public final long[] storeCode = new long[TLB_SIZE];
        public final long[][] lines = new long[TLB_SIZE][];
        /** exec.Lsu's second result of a 64-bit pair load (the JIT reads it right after the call); no TLB state. */
        public long second;

        Tlb() {
            clear();
        }

        void clear() {
            Arrays.fill(read, EMPTY);
            Arrays.fill(write, EMPTY);
            Arrays.fill(exec, EMPTY);
            Arrays.fill(load, EMPTY);
            Arrays.fill(store, EMPTY);
            Arrays.fill(storeCode, EMPTY);
        }

        void clear(int i) {
            read[i] = write[i] = exec[i] = load[i] = store[i] = storeCode[i] = EMPTY;
        }

        /** Moves direct stores into the RAM granule at {@code pa} (now watched for code) to {@link #storeCode}. */
        void dropStores(long pa, long[] codeLines) {
            for (int i = 0; i < TLB_SIZE; i++) {
                if (store[i] != EMPTY && store[i] + addend[i] == pa) {
                    storeCode[i] = store[i];
                    lines[i] = codeLines;
                    store[i] = EMPTY;
                }
            }
        }
    }

    private final Tlb[] tlbs = {new Tlb(), new Tlb()};
    /**
     * MMU off: direct entries for PA = VA, laid out and hit-tested as {@link Tlb#load}/{@link
     * Tlb#store}/{@link Tlb#storeCode} (so exec.Lsu's fast path serves both), filled by {@link
     * #directPhysical} after an access to RAM succeeded: only RAM granules that exist, stores into a
     * granule with translated code only through its line masks, nothing for flash or devices. The
     * tags keep the alignment bits clear, so an unaligned access (always a fault with the MMU off)
     * misses. Emptied with the TLBs and when the memory changes.
     */
    private final Tlb physical = new Tlb();
    /** Some {@link #physical} entry was filled since it was last emptied. */
    private boolean physicalUsed;
    private final boolean has16k;
    private PhysicalMemory memory;
    /** {@link #memory} when its RAM can be accessed directly by the TLB, else null. */
    private GuestMemory guest;
    private final java.util.function.LongConsumer watched = pa -> {
        long[] lines = guest.codeLines(pa);
        tlbs[0].dropStores(pa, lines);
        tlbs[1].dropStores(pa, lines);
        physical.dropStores(pa, lines);
    };
    private final Walker.Tables tables = pa -> memory.read(pa, 8);
    private Walker.Regs regs = new Walker.Regs(0, 0, 0, 0, 0);
    private boolean enabled;
    /** Some TLB entry came from a block or page larger than 4 KiB. */
    private boolean large;
    private long epoch;
    private long walks;

    /** @param has16k whether the 16 KiB granule is implemented (ID_AA64MMFR0_EL1.TGran16) */
    public Mmu(boolean has16k) {
        this.has16k = has16k;
    }

    /** The memory the walker reads descriptors from (physical). */
    public void attach(PhysicalMemory memory) {
        if (guest != null) {
            guest.removeWatchListener(watched);
            guest.tlbDomain().remove(this);
        }
        this.memory = memory;
        guest = memory instanceof GuestMemory g ? g : null;
        if (guest != null) {
            guest.addWatchListener(watched);
            guest.tlbDomain().add(this);
        }
        flush(); // no direct entry may point into the old memory
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** New register values (any of them changed): the TLB empties. */
    public void configure(long sctlr, long tcr, long ttbr0, long ttbr1, long mair) {
        regs = new Walker.Regs(sctlr, tcr, ttbr0, ttbr1, mair);
        enabled = (sctlr & 1) != 0;
        flush();
    }

    /**
     * New table bases under the same ASIDs: later walks use them, the TLB keeps what it holds
     * (until the guest's TLBI, as on hardware; QEMU flushes on a TTBR write only when the ASID changes).
     */
    public void retarget(long ttbr0, long ttbr1) {
        regs = new Walker.Regs(regs.sctlr(), regs.tcr(), ttbr0, ttbr1, regs.mair());
    }

    public Walker.Regs regs() {
        return regs;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The TLB the accesses at {@code el} use, or null while the MMU is off (VA = PA). */
    public Tlb tlb(int el) {
        return enabled ? tlbs[el == 0 ? 0 : 1] : null;
    }

    /**
     * Whose direct entries ({@link Tlb#load}, {@link Tlb#store}, {@link Tlb#storeCode}) data accesses
     * at {@code el} test first: {@link #tlb} with the MMU on, else the identity entries of RAM
     * (never null). Only those three tags and {@code page}/{@code delta}/{@code lines} are meaningful
     * in the MMU-off table.
     */
    public Tlb dataTlb(int el) {
        return enabled ? tlbs[el == 0 ? 0 : 1] : physical;
    }

    /**
     * MMU off, after an aligned access at {@code pa} succeeded: gives its 4 KiB granule a direct
     * entry in the identity table when the granule is RAM that exists (loads; stores too, through the
     * line masks if the granule holds translated code). Nothing for flash, devices or untouched RAM,
     * nor when {@code mem} (the memory accessed) is not the one attached.
     */
    public void directPhysical(PhysicalMemory mem, long pa) {
        if (guest == null || mem != guest) {
            return;
        }
        long base = pa & ~0xFFFL;
        byte[] p = guest.directPage(base, false);
        if (p == null) {
            return;
        }
        int i = (int) (base >>> 12) & TLB_MASK;
        Tlb t = physical;
        t.clear(i);
        t.read[i] = t.write[i] = base >>> 12;
        t.addend[i] = 0;
        t.page[i] = p;
        t.delta[i] = GuestMemory.directOffset(base) - (int) base;
        t.load[i] = base;
        if (guest.directPage(base, true) != null) {
            t.store[i] = base;
        } else { // the granule holds code: stores test their line first
            t.storeCode[i] = base;
            t.lines[i] = guest.codeLines(base);
        }
        physicalUsed = true;
    }

    /** Counts TLB flushes (also register changes): code built under an older epoch must re-check its mapping. */
    public long epoch() {
        return epoch;
    }

    /** Walks since creation (TLB misses); for tests and statistics. */
    public long walks() {
        return walks;
    }

    public void flush() {
        tlbs[0].clear();
        tlbs[1].clear();
        if (physicalUsed) { // nothing the identity entries depend on changed, but flushing more is always allowed
            physical.clear();
            physicalUsed = false;
        }
        large = false;
        epoch++;
    }

    /** TLBI VMALLE1IS and the other IS forms that empty: every TLB of the inner-shareable domain (all PEs on this memory). */
    public void flushShared() {
        for (Mmu m : domain()) {
            m.flush();
        }
    }

    /** TLBI VAE1IS and the other by-VA IS forms: {@link #flushVa} on every PE of the domain. */
    public void flushVaShared(long va) {
        for (Mmu m : domain()) {
            m.flushVa(va);
        }
    }

    private java.util.List<Mmu> domain() {
        if (guest == null) {
            return java.util.List.of(this);
        }
        java.util.List<Mmu> all = new java.util.ArrayList<>();
        for (Object o : guest.tlbDomain()) {
            all.add((Mmu) o);
        }
        return all;
    }

    /** TLBI by VA (any ASID): drops the entries of {@code va}'s page, or everything if blocks are cached. */
    public void flushVa(long va) {
        if (large) {
            flush();
            return;
        }
        int i = (int) (va >>> 12) & TLB_MASK;
        tlbs[0].clear(i);
        tlbs[1].clear(i);
        epoch++;
    }

    /** The walk for {@code va} under the current registers, ignoring the TLB and filling nothing. */
    public Translation walk(long va) {
        walks++;
        return Walker.walk(regs, va, tables, has16k);
    }

    /**
     * Translates an access of {@code kind} at {@code el} that missed the TLB: walks, checks the
     * permission and on success fills the TLB entry of {@code va}'s 4 KiB page (every kind this EL
     * may use there) and returns the PA. On a fault returns {@link #FAULT} with the code in
     * {@link #lastFault}. Call only with the MMU on.
     */
    public long translate(long va, int el, int kind) {
        Translation t = walk(va);
        int fsc = t.ok() ? Walker.permissionFault(t, el, kind) : t.fault;
        if (fsc != Walker.NO_FAULT) {
            lastFault = fsc;
            lastTranslation = t;
            return FAULT;
        }
        fill(tlbs[el == 0 ? 0 : 1], va, t, el);
        lastTranslation = t;
        return t.pa;
    }

    /** What {@link #translate} returns on a fault (not a valid PA: above any output address size). */
    public static final long FAULT = -1;
    /** The fault code of the last {@link #translate} that returned {@link #FAULT}. */
    public int lastFault;
    /** The walk of the last {@link #translate} (for the device attribute of an unaligned access). */
    public Translation lastTranslation;

    private void fill(Tlb tlb, long va, Translation t, int el) {
        int i = (int) (va >>> 12) & TLB_MASK;
        long tag = va >>> 12;
        int p = el == 0 ? t.perms >>> 3 : t.perms;
        tlb.read[i] = (p & Translation.EL1_R) != 0 ? tag : EMPTY;
        tlb.write[i] = (p & Translation.EL1_W) != 0 ? tag : EMPTY;
        tlb.exec[i] = (p & Translation.EL1_X) != 0 ? tag : EMPTY;
        tlb.addend[i] = (t.pa & ~0xFFFL) - (va & ~0xFFFL);
        tlb.device[i] = t.device();
        tlb.load[i] = tlb.store[i] = tlb.storeCode[i] = EMPTY;
        direct(tlb, i);
        if (t.sizeShift > 12) {
            large = true;
        }
    }

    /**
     * Gives the TLB entry of {@code va} at {@code el} direct host access where it now can (after a
     * slow access: the RAM page may have been allocated since the fill). Call only with the MMU on.
     */
    public void direct(long va, int el) {
        Tlb tlb = tlbs[el == 0 ? 0 : 1];
        int i = (int) (va >>> 12) & TLB_MASK;
        if (tlb.read[i] == va >>> 12 || tlb.write[i] == va >>> 12) {
            direct(tlb, i);
        }
    }

    private void direct(Tlb tlb, int i) {
        if (guest == null) {
            return;
        }
        long tag = tlb.read[i] != EMPTY ? tlb.read[i] : tlb.write[i] != EMPTY ? tlb.write[i] : tlb.exec[i];
        if (tag == EMPTY) {
            return;
        }
        long va = tag << 12;
        long pa = va + tlb.addend[i];
        byte[] p = guest.directPage(pa, false);
        if (p == null) {
            return;
        }
        tlb.page[i] = p;
        tlb.delta[i] = GuestMemory.directOffset(pa) - (int) va;
        if (tlb.read[i] != EMPTY) {
            tlb.load[i] = va;
        }
        if (tlb.write[i] != EMPTY) {
            if (guest.directPage(pa, true) != null) {
                tlb.store[i] = va;
            } else { // the granule holds code: stores test their line first
                tlb.storeCode[i] = va;
                tlb.lines[i] = guest.codeLines(pa);
            }
        }
    }

    /**
     * The PA of {@code va} for a debugger (current registers, EL1 view, no fault, no TLB fill):
     * {@code va} itself with the MMU off, -1 when the walk faults.
     */
    public long debugTranslate(long va) {
        if (!enabled) {
            return va;
        }
        Translation t = Walker.walk(regs, va, tables, has16k);
        return t.ok() ? t.pa : -1;
    }

    private static final String[] FAULTS = {"address size", "translation", "access flag", "permission", null,
        "synchronous external abort on the walk"};

    /** A readable walk of {@code va} (gdb's {@code monitor translate}): each level's descriptor, then PA and attributes or the fault. */
    public String describe(long va) {
        if (!enabled) {
            return String.format("VA 0x%016x: MMU off (SCTLR_EL1.M = 0), PA = VA%n", va);
        }
        StringBuilder sb = new StringBuilder();
        boolean upper = (va >>> 55 & 1) != 0;
        int g = Walker.granule(regs.tcr(), upper, has16k);
        long ttbr = upper ? regs.ttbr1() : regs.ttbr0();
        sb.append(String.format("VA 0x%016x: TTBR%d_EL1 0x%016x (ASID %d), %d KiB granule%n", va, upper ? 1 : 0, ttbr,
                (regs.tcr() >>> 22 & 1) != 0 ? regs.ttbr1() >>> 48 : regs.ttbr0() >>> 48, 1 << (g - 10)));
        Translation t = Walker.walk(regs, va, tables, has16k);
        for (int k = 0; k < t.descriptors.length; k++) {
            long d = t.descriptors[k];
            int level = t.startLevel + k;
            String kind = (d & 1) == 0 ? "invalid" : (d & 2) != 0 && level < 3 ? "table" : level == 3 ? "page" : "block";
            sb.append(String.format("  level %d  [0x%x] = 0x%016x  %s%n", level, t.descriptorAddresses[k], d, kind));
        }
        if (!t.ok()) {
            int type = t.fault >> 2;
            String name = type < FAULTS.length && FAULTS[type] != null ? FAULTS[type] : "fault";
            sb.append(String.format("  %s fault, level %d (FSC 0x%02x)%n", name, t.fault & 3, t.fault));
            return sb.toString();
        }
        int p = t.perms;
        sb.append(String.format("  PA 0x%x  %s %s  attr 0x%02x (%s)  SH %d  EL1 %s  EL0 %s%s%n", t.pa,
                sizeName(t.sizeShift), t.level == 3 ? "page" : "block", t.attr, t.device() ? "Device" : "Normal", t.sh,
                rwx(p), rwx(p >>> 3), t.global ? "  global" : "  nG"));
        return sb.toString();
    }

    private static String sizeName(int shift) {
        return shift >= 30 ? (1 << (shift - 30)) + " GiB" : shift >= 20 ? (1 << (shift - 20)) + " MiB" : (1 << (shift - 10)) + " KiB";
    }

    private static String rwx(int p) {
        return ((p & Translation.EL1_R) != 0 ? "r" : "-") + ((p & Translation.EL1_W) != 0 ? "w" : "-")
                + ((p & Translation.EL1_X) != 0 ? "x" : "-");
    }
}
