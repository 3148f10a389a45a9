package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.mem.BusFault;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.mem.PhysicalMemory;
import dev.a64trap.mem.mmu.Mmu;
import dev.a64trap.mem.mmu.Walker;
import dev.a64trap.sysreg.BaseSysRegs;

/**
 * Load/store semantics shared by the interpreter and the JIT: address generation, the alignment
 * rules, bus faults turned into data aborts, sign extension and the LSE atomic operations.
 *
 * <p>Translation: with the MMU on, an aligned access to RAM whose page is in the current EL's TLB
 * with the access's permission costs one compare (tag and alignment together) and an access to
 * the host array the entry holds ({@code cpu.data}, {@link Mmu.Tlb#load}/{@link Mmu.Tlb#store});
 * with it off the same test runs against the identity entries of RAM granules that an earlier
 * access reached ({@link Mmu#dataTlb}, {@link Mmu#directPhysical}), so both cost the same;
 * a store into a granule holding translated code tests its 64-byte line's bit first ({@link
 * Mmu.Tlb#storeCode}); everything else (TLB miss, unaligned, page-crossing, MMIO, flash, stores over
 * translated code) takes {@link #readMapped}/{@link #writeMapped}, which walk and raise the
 * translation, access-flag, permission or address-size fault the guest must see (MMU off: the
 * physical access, with its alignment, external-abort and address-size faults).
 *
 * <p>Alignment: with the MMU off (SCTLR_EL1.M = 0) every data access is to Device-nGnRnE memory,
 * so any unaligned access faults; with it on, unaligned accesses fault on Device memory (after
 * translation) or with SCTLR_EL1.A (before it). Exclusives, acquire/release and atomics must
 * always be aligned (no FEAT_LSE2).
 */
public final class Lsu {
    private Lsu() {}

    /** Whether an access of {@code bytes} at {@code address} raises an alignment fault. */
    public static boolean misaligned(Cpu cpu, long address, int bytes, boolean alwaysAligned) {
        if ((address & (bytes - 1)) == 0) {
            return false;
        }
        long sctlr = cpu.sys.sctlr;
        return alwaysAligned || (sctlr & BaseSysRegs.SCTLR_M) == 0 || (sctlr & BaseSysRegs.SCTLR_A) != 0;
    }

    /** Reads {@code 1 << size} bytes zero-extended, or throws the data abort the guest must see. */
    public static long read(Cpu cpu, PhysicalMemory mem, long address, int size, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & (~0xFFFL | ((1 << size) - 1))) == t.load[i]) {
            return GuestMemory.getDirect(t.page[i], (int) address + t.delta[i], size);
        }
        return readSlow(cpu, mem, address, size, alwaysAligned);
    }

    public static void write(Cpu cpu, PhysicalMemory mem, long address, int size, long value, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        long tag = address & (~0xFFFL | ((1 << size) - 1));
        if (tag == t.store[i] || tag == t.storeCode[i] && besideCode(t, i, address)) {
            GuestMemory.putDirect(t.page[i], (int) address + t.delta[i], size, value);
            return;
        }
        writeSlow(cpu, mem, address, size, value, alwaysAligned);
    }

    // One method per access size for translated code: small enough that C2 inlines the hit (the
    // size folds to one VarHandle access) into every unit; misses call the shared slow paths.
    // Copies on purpose: delegating each to read/write with a constant size ran the single-word
    // load/store loop (bench-mmu "off mem") about 20% slower (821-838 against 1,008-1,048 MIPS).

    public static long read8(Cpu cpu, PhysicalMemory mem, long address, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFFFL) == t.load[i]) {
            return GuestMemory.getDirect(t.page[i], (int) address + t.delta[i], 0);
        }
        return readSlow(cpu, mem, address, 0, alwaysAligned);
    }

    public static long read16(Cpu cpu, PhysicalMemory mem, long address, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFFEL) == t.load[i]) {
            return GuestMemory.getDirect(t.page[i], (int) address + t.delta[i], 1);
        }
        return readSlow(cpu, mem, address, 1, alwaysAligned);
    }

    public static long read32(Cpu cpu, PhysicalMemory mem, long address, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFFCL) == t.load[i]) {
            return GuestMemory.getDirect(t.page[i], (int) address + t.delta[i], 2);
        }
        return readSlow(cpu, mem, address, 2, alwaysAligned);
    }

    public static long read64(Cpu cpu, PhysicalMemory mem, long address, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFF8L) == t.load[i]) {
            return GuestMemory.getDirect(t.page[i], (int) address + t.delta[i], 3);
        }
        return readSlow(cpu, mem, address, 3, alwaysAligned);
    }

    public static void write8(Cpu cpu, PhysicalMemory mem, long address, long value, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        long tag = address & ~0xFFFL;
        if (tag == t.store[i] || tag == t.storeCode[i] && besideCode(t, i, address)) {
            GuestMemory.putDirect(t.page[i], (int) address + t.delta[i], 0, value);
            return;
        }
        writeSlow(cpu, mem, address, 0, value, alwaysAligned);
    }

    public static void write16(Cpu cpu, PhysicalMemory mem, long address, long value, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        long tag = address & ~0xFFEL;
        if (tag == t.store[i] || tag == t.storeCode[i] && besideCode(t, i, address)) {
            GuestMemory.putDirect(t.page[i], (int) address + t.delta[i], 1, value);
            return;
        }
        writeSlow(cpu, mem, address, 1, value, alwaysAligned);
    }

    public static void write32(Cpu cpu, PhysicalMemory mem, long address, long value, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        long tag = address & ~0xFFCL;
        if (tag == t.store[i] || tag == t.storeCode[i] && besideCode(t, i, address)) {
            GuestMemory.putDirect(t.page[i], (int) address + t.delta[i], 2, value);
            return;
        }
        writeSlow(cpu, mem, address, 2, value, alwaysAligned);
    }

    public static void write64(Cpu cpu, PhysicalMemory mem, long address, long value, boolean alwaysAligned) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        long tag = address & ~0xFF8L;
        if (tag == t.store[i] || tag == t.storeCode[i] && besideCode(t, i, address)) {
            GuestMemory.putDirect(t.page[i], (int) address + t.delta[i], 3, value);
            return;
        }
        writeSlow(cpu, mem, address, 3, value, alwaysAligned);
    }

    // LDP/STP of two aligned registers in one granule: one tag test for both halves. Anything else
    // (a half on the next granule, a granule with translated code, a miss) runs the halves one
    // after the other as the interpreter does, so faults and partial effects are the same.

    /** LDP Xt1, Xt2: returns the first value; the second is then in {@code cpu.data.second}. */
    public static long readPair64(Cpu cpu, PhysicalMemory mem, long address) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFF8L) == t.load[i] && (address & 0xFF8) != 0xFF8) {
            byte[] p = t.page[i];
            int in = (int) address + t.delta[i];
            t.second = GuestMemory.getDirect(p, in + 8, 3);
            return GuestMemory.getDirect(p, in, 3);
        }
        long v = read64(cpu, mem, address, false);
        long v2 = read64(cpu, mem, address + 8, false);
        cpu.data.second = v2;
        return v;
    }

    /** LDP Wt1, Wt2 (and LDPSW): the first value in the low 32 bits, the second in the high ones. */
    public static long readPair32(Cpu cpu, PhysicalMemory mem, long address) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFFCL) == t.load[i] && (address & 0xFFC) != 0xFFC) {
            return GuestMemory.getDirect(t.page[i], (int) address + t.delta[i], 3);
        }
        long v = read32(cpu, mem, address, false);
        return v | read32(cpu, mem, address + 4, false) << 32;
    }

    /** STP Xt1, Xt2. */
    public static void writePair64(Cpu cpu, PhysicalMemory mem, long address, long v1, long v2) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFF8L) == t.store[i] && (address & 0xFF8) != 0xFF8) {
            byte[] p = t.page[i];
            int in = (int) address + t.delta[i];
            GuestMemory.putDirect(p, in, 3, v1);
            GuestMemory.putDirect(p, in + 8, 3, v2);
            return;
        }
        write64(cpu, mem, address, v1, false);
        write64(cpu, mem, address + 8, v2, false);
    }

    /** STP Wt1, Wt2. */
    public static void writePair32(Cpu cpu, PhysicalMemory mem, long address, long v1, long v2) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & ~0xFFCL) == t.store[i] && (address & 0xFFC) != 0xFFC) {
            GuestMemory.putDirect(t.page[i], (int) address + t.delta[i], 3, v1 & 0xFFFF_FFFFL | v2 << 32);
            return;
        }
        write32(cpu, mem, address, v1, false);
        write32(cpu, mem, address + 4, v2, false);
    }

    // The JIT's load/store sites that keep their granule in locals (plain loop units): right after a
    // miss, the data TLB's entry for the address, read once rather than at every access.

    /** The host array of {@code address}'s granule if {@link Cpu#data} lets loads (or stores) go there directly, else null. */
    public static byte[] directPage(Cpu cpu, long address, boolean store) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        long tag = address & ~0xFFFL;
        return (store ? t.store[i] : t.load[i]) == tag ? t.page[i] : null;
    }

    /** The index of {@code address} in {@link #directPage}'s array, less {@code (int) address}. */
    public static int directDelta(Cpu cpu, long address) {
        return cpu.data.delta[(int) (address >>> 12) & Mmu.TLB_MASK];
    }

    /**
     * Whether the data TLB still lets loads (or stores) to the granule at {@code tag} go directly to
     * {@code page} at index {@code (int) va + delta} (false for {@link Mmu#EMPTY}).
     */
    public static boolean stillDirect(Cpu cpu, long tag, boolean store, byte[] page, int delta) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (tag >>> 12) & Mmu.TLB_MASK;
        return tag != Mmu.EMPTY && (store ? t.store[i] : t.load[i]) == tag && t.page[i] == page && t.delta[i] == delta;
    }

    /**
     * For a single-register store site: the host array of {@code address}'s granule if {@link Cpu#data}
     * lets stores go there only beside translated code ({@link Mmu.Tlb#storeCode}) and {@code
     * address}'s 64-byte line holds none, else null.
     */
    public static byte[] directLine(Cpu cpu, long address) {
        Mmu.Tlb t = cpu.data;
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        return t.storeCode[i] == (address & ~0xFFFL) && besideCode(t, i, address) ? t.page[i] : null;
    }

    /** Whether {@link #directLine} still holds for the line at {@code line} with {@code page} and {@code delta} (false for -1). */
    public static boolean stillDirectLine(Cpu cpu, long line, byte[] page, int delta) {
        return line != Mmu.EMPTY && directLine(cpu, line) == page
                && cpu.data.delta[(int) (line >>> 12) & Mmu.TLB_MASK] == delta;
    }

    /** A miss in {@link Cpu#data}: the walk (MMU on) or the physical access (MMU off), faults, devices, watched code. */
    static long readSlow(Cpu cpu, PhysicalMemory mem, long address, int size, boolean alwaysAligned) {
        if (cpu.tlb == null) {
            return readPhysical(cpu, mem, address, size, alwaysAligned);
        }
        return readMapped(cpu, mem, address, 1 << size, alwaysAligned, cpu.el);
    }

    static void writeSlow(Cpu cpu, PhysicalMemory mem, long address, int size, long value, boolean alwaysAligned) {
        if (cpu.tlb == null) {
            writePhysical(cpu, mem, address, size, value, alwaysAligned);
        } else {
            writeMapped(cpu, mem, address, 1 << size, value, alwaysAligned, cpu.el);
        }
    }

    /** For a {@link Mmu.Tlb#storeCode} hit: whether the aligned access at {@code address} misses every line of translated code. */
    private static boolean besideCode(Mmu.Tlb t, int i, long address) {
        int in = (int) address + t.delta[i];
        return (t.lines[i][in >>> 12] >>> (in >>> 6) & 1) == 0;
    }

    /**
     * LDTR and its kin: at EL1 the access is checked with EL0's permissions (AP[1]; execute
     * permissions do not matter for data), as if EL0 made it; a fault is still taken from EL1 (EC
     * 0x25). At EL0 and with the MMU off it is an ordinary load. (No FEAT_UAO or FEAT_PAN on the
     * modelled cores.)
     */
    public static long readUnprivileged(Cpu cpu, PhysicalMemory mem, long address, int size, boolean alwaysAligned) {
        if (cpu.el == 0 || cpu.tlb == null) {
            return read(cpu, mem, address, size, alwaysAligned);
        }
        Mmu.Tlb t = cpu.mmu.tlb(0);
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        if ((address & (~0xFFFL | ((1 << size) - 1))) == t.load[i]) {
            return GuestMemory.getDirect(t.page[i], (int) address + t.delta[i], size);
        }
        return readMapped(cpu, mem, address, 1 << size, alwaysAligned, 0);
    }

    /** STTR and its kin: see {@link #readUnprivileged}. */
    public static void writeUnprivileged(Cpu cpu, PhysicalMemory mem, long address, int size, long value,
            boolean alwaysAligned) {
        if (cpu.el == 0 || cpu.tlb == null) {
            write(cpu, mem, address, size, value, alwaysAligned);
            return;
        }
        Mmu.Tlb t = cpu.mmu.tlb(0);
        int i = (int) (address >>> 12) & Mmu.TLB_MASK;
        long tag = address & (~0xFFFL | ((1 << size) - 1));
        if (tag == t.store[i] || tag == t.storeCode[i] && besideCode(t, i, address)) {
            GuestMemory.putDirect(t.page[i], (int) address + t.delta[i], size, value);
            return;
        }
        writeMapped(cpu, mem, address, 1 << size, value, alwaysAligned, 0);
    }

    /** MMU off: VA = PA, Device memory (every unaligned access faults). */
    private static long readPhysical(Cpu cpu, PhysicalMemory mem, long address, int size, boolean alwaysAligned) {
        int bytes = 1 << size;
        if (misaligned(cpu, address, bytes, alwaysAligned)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, false);
        }
        long v = readAt(cpu, mem, address, address, bytes);
        cpu.mmu.directPhysical(mem, address); // aligned and it worked: RAM may take the direct path from now on
        return v;
    }

    private static void writePhysical(Cpu cpu, PhysicalMemory mem, long address, int size, long value,
            boolean alwaysAligned) {
        int bytes = 1 << size;
        if (misaligned(cpu, address, bytes, alwaysAligned)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, true);
        }
        writeAt(cpu, mem, address, address, bytes, value);
        cpu.mmu.directPhysical(mem, address); // the write may have allocated the page
    }

    /** The access at {@code pa} for VA {@code va}: a bus error becomes the data abort. */
    private static long readAt(Cpu cpu, PhysicalMemory mem, long va, long pa, int bytes) {
        try {
            return mem.read(pa, bytes);
        } catch (BusFault f) {
            throw external(cpu, va, false);
        }
    }

    private static void writeAt(Cpu cpu, PhysicalMemory mem, long va, long pa, int bytes, long value) {
        try {
            mem.write(pa, bytes, value);
        } catch (BusFault f) {
            throw external(cpu, va, true);
        }
    }

    /**
     * A bus error at VA {@code address}: a synchronous external abort, or with the MMU off an
     * address-size fault when the address has bits above the 44-bit PA range (QEMU's choice,
     * honouring TBI).
     */
    static GuestFault external(Cpu cpu, long address, boolean write) {
        if (cpu.tlb == null && beyondPa(cpu, address)) {
            return GuestFault.dataAbort(cpu, Syndrome.FSC_ADDRESS_SIZE_L0, address, write);
        }
        return GuestFault.dataAbort(cpu, Syndrome.FSC_SYNC_EXTERNAL, address, write);
    }

    /** MMU off: whether {@code va} has bits set between the PA size and bit 63 (bit 55 with TBI). */
    public static boolean beyondPa(Cpu cpu, long va) {
        boolean tbi = (cpu.sys.tcr >>> ((va >>> 55 & 1) != 0 ? 38 : 37) & 1) != 0;
        long top = tbi ? va << 8 >>> 8 : va;
        return top >>> Walker.PA_BITS != 0;
    }

    /**
     * The PA of a data access of {@code kind} ({@link Walker#READ}/{@link Walker#WRITE}) at
     * {@code va} with the MMU on: the TLB, else a walk; throws the data abort on a fault.
     */
    public static long translateData(Cpu cpu, long va, int kind) {
        return translateData(cpu, va, kind, cpu.el);
    }

    /** {@link #translateData} with the permissions of {@code el} (0 for an unprivileged access at EL1). */
    static long translateData(Cpu cpu, long va, int kind, int el) {
        Mmu.Tlb t = cpu.mmu.tlb(el);
        int i = (int) (va >>> 12) & Mmu.TLB_MASK;
        long[] tags = kind == Walker.WRITE ? t.write : t.read;
        if (tags[i] == va >>> 12) {
            return va + t.addend[i];
        }
        long pa = cpu.mmu.translate(va, el, kind);
        if (pa == Mmu.FAULT) {
            throw GuestFault.dataAbort(cpu, cpu.mmu.lastFault, va, kind == Walker.WRITE);
        }
        return pa;
    }

    /** The slow path of a translated access: alignment, translation of each page it touches, Device checks. */
    private static long[] mapped(Cpu cpu, long address, int bytes, boolean alwaysAligned, boolean write, int el) {
        boolean aligned = (address & (bytes - 1)) == 0;
        if (!aligned && (alwaysAligned || (cpu.sys.sctlr & BaseSysRegs.SCTLR_A) != 0)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, write);
        }
        int kind = write ? Walker.WRITE : Walker.READ;
        long pa = translateData(cpu, address, kind, el);
        if (aligned) {
            return new long[] {pa};
        }
        if (deviceAt(cpu, address, el)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, write);
        }
        long last = address + bytes - 1;
        if ((last ^ address) >>> 12 == 0) {
            return new long[] {pa};
        }
        long second = last & ~0xFFFL;
        long pa2 = translateData(cpu, second, kind, el);
        if (deviceAt(cpu, second, el)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, write);
        }
        return new long[] {pa, pa2, second - address};
    }

    /** Whether the TLB entry just filled or hit for {@code va} is Device memory. */
    private static boolean deviceAt(Cpu cpu, long va, int el) {
        return cpu.mmu.tlb(el).device[(int) (va >>> 12) & Mmu.TLB_MASK];
    }

    static long readMapped(Cpu cpu, PhysicalMemory mem, long address, int bytes, boolean alwaysAligned, int el) {
        long[] m = mapped(cpu, address, bytes, alwaysAligned, false, el);
        try {
            if (m.length == 1) {
                long v = mem.read(m[0], bytes);
                cpu.mmu.direct(address, el);
                return v;
            }
            long v = 0;
            for (int k = bytes - 1; k >= 0; k--) {
                v = v << 8 | mem.read(k < m[2] ? m[0] + k : m[1] + (k - m[2]), 1);
            }
            return v;
        } catch (BusFault f) {
            throw external(cpu, address, false);
        }
    }

    static void writeMapped(Cpu cpu, PhysicalMemory mem, long address, int bytes, long value, boolean alwaysAligned,
            int el) {
        long[] m = mapped(cpu, address, bytes, alwaysAligned, true, el);
        try {
            if (m.length == 1) {
                mem.write(m[0], bytes, value);
                cpu.mmu.direct(address, el); // the write may have allocated the page
                return;
            }
            for (int k = 0; k < bytes; k++) {
                mem.write(k < m[2] ? m[0] + k : m[1] + (k - m[2]), 1, value >>> (8 * k));
            }
        } catch (BusFault f) {
            throw external(cpu, address, true);
        }
    }

    /** Raises an alignment fault unless {@code address} is aligned to {@code bytes} (pair exclusives, CASP). */
    public static void requireAligned(Cpu cpu, long address, int bytes, boolean write) {
        if ((address & (bytes - 1)) != 0) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, write);
        }
    }

    /** Sign-extends the low {@code 1 << size} bytes. */
    public static long signExtend(long v, int size) {
        int sh = 64 - (8 << size);
        return v << sh >> sh;
    }

    public static long truncate(long v, int size) {
        return size == 3 ? v : v & ((1L << (8 << size)) - 1);
    }

    /**
     * The access address of a load/store. Checks SP alignment (SCTLR_EL1.SA/SA0) when the base is SP.
     */
    public static long address(Cpu cpu, Insn in, long pc) {
        int mode = in.mode();
        if (mode == Insn.MODE_LITERAL) {
            return pc + in.imm();
        }
        int rn = in.rn();
        long base = cpu.x[rn];
        if (rn == 31) {
            checkSp(cpu, base);
        }
        return switch (mode) {
            case Insn.MODE_OFFSET, Insn.MODE_PRE -> base + in.imm();
            case Insn.MODE_REG -> base + Alu.extend(in.rm() == 31 ? 0 : cpu.x[in.rm()], in.shift(), in.amount());
            default -> base; // POST, BASE
        };
    }

    /** SP alignment check: with SA (EL1) / SA0 (EL0) set, SP must be 16-byte aligned when used as a base. */
    public static void checkSp(Cpu cpu, long sp) {
        if ((sp & 15) != 0) {
            long bit = cpu.el == 0 ? BaseSysRegs.SCTLR_SA0 : BaseSysRegs.SCTLR_SA;
            if ((cpu.sys.sctlr & bit) != 0) {
                throw GuestFault.of(Syndrome.spAlignment());
            }
        }
    }

    /** Base register writeback for pre/post-indexed forms (after the access succeeded). */
    public static void writeback(Cpu cpu, Insn in, long address) {
        int mode = in.mode();
        if (mode == Insn.MODE_PRE) {
            cpu.x[in.rn()] = address;
        } else if (mode == Insn.MODE_POST) {
            cpu.x[in.rn()] = address + in.imm();
        }
    }

    /** The value an LSE atomic stores, from the old memory value and the operand (both {@code size} wide). */
    public static long atomicResult(Op op, long old, long operand, int size) {
        return switch (op) {
            case LDADD -> old + operand;
            case LDCLR -> old & ~operand;
            case LDEOR -> old ^ operand;
            case LDSET -> old | operand;
            case LDSMAX -> signExtend(old, size) >= signExtend(operand, size) ? old : operand;
            case LDSMIN -> signExtend(old, size) <= signExtend(operand, size) ? old : operand;
            case LDUMAX -> Long.compareUnsigned(truncate(old, size), truncate(operand, size)) >= 0 ? old : operand;
            case LDUMIN -> Long.compareUnsigned(truncate(old, size), truncate(operand, size)) <= 0 ? old : operand;
            case SWP -> operand;
            default -> throw new IllegalArgumentException(op.name());
        };
    }
}
