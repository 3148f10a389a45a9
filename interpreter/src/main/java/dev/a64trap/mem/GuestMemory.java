package dev.a64trap.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Guest physical memory laid out as QEMU's {@code virt} board:
 * <ul>
 *   <li>flash: two 64 MiB banks at 0x0 and 0x0400_0000. Without a firmware image QEMU's pflash
 *       storage is zero-filled RAM, so it reads as zero. Guest writes go to the bank's
 *       {@link FlashCommands} (the CFI command set) if one is attached, else they are ignored;
 *       while a bank is in a command mode its reads go there too. Loaders may fill it.</li>
 *   <li>RAM at 0x4000_0000, {@code ramSize} bytes, in 64 KiB pages allocated on the first write
 *       (reads of untouched pages return zero without allocating), so a large RAM costs nothing
 *       until used.</li>
 *   <li>MMIO devices registered with {@link #map}.</li>
 * </ul>
 * Anything else raises {@link BusFault}. Instruction fetch works from RAM and flash only (QEMU
 * refuses to execute from MMIO). A JIT can {@link #watch} the 64-byte lines of RAM holding translated
 * code and is told about every write there (guest stores, loads, debugger writes); a store beside
 * code, even on the same 4 KiB granule, costs one bit test. Not thread-safe: one vCPU thread owns it.
 */
public final class GuestMemory implements PhysicalMemory {
    public static final long RAM_BASE = 0x4000_0000L;
    public static final long DEFAULT_RAM_SIZE = 128L << 20;
    /** Largest RAM we accept (the page table is an array; 64 GiB = 1 Mi pages). */
    public static final long MAX_RAM_SIZE = 64L << 30;
    public static final long FLASH_BASE = 0;
    public static final long FLASH_SIZE = 128L << 20;
    public static final long FLASH_BANK_SIZE = 64L << 20;

    static final int PAGE_SHIFT = 16;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE_SIZE - 1;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Stands in for every untouched page on reads; never written. */
    private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

    private final long ramSize;
    private final byte[][] ramPages;
    private final byte[][] flashPages = new byte[(int) (FLASH_SIZE >>> PAGE_SHIFT)][];
    /** Per flash bank: its command set, or null (writes ignored). */
    private final FlashCommands[] flashCommands = new FlashCommands[(int) (FLASH_SIZE / FLASH_BANK_SIZE)];
    private final List<Mapping> mappings = new ArrayList<>();
    /**
     * Per 64 KiB RAM page, null until something in it is watched (then kept for good): one mask per
     * 4 KiB granule, bit k = its 64-byte line k holds watched code; writes there are reported.
     */
    private final long[][] codeLines;
    private WriteWatcher watcher;
    /** Told when a granule becomes watched (TLBs that write RAM directly must stop doing so there). */
    private final List<java.util.function.LongConsumer> watchListeners = new ArrayList<>();
    private Mapping[] mmio = new Mapping[0];

    // One-entry caches of the last RAM page used by fetches, by data reads and by writes
    // (index -1 = none), so code and data pages do not evict each other. The read caches may
    // hold ZERO_PAGE for an untouched page; the write cache holds only allocated, unwatched pages.
    private long fetchIndex = -1;
    private byte[] fetchPage = ZERO_PAGE;
    private long readIndex = -1;
    private byte[] readPage = ZERO_PAGE;
    private long writeIndex = -1;
    private byte[] writePage;
    /** {@link #codeLines} of the write-cached page (null: nothing watched there). */
    private long[] writeLines;

    private record Mapping(long base, long size, MmioDevice device) {
        boolean contains(long address) {
            return Long.compareUnsigned(address - base, size) < 0;
        }
    }

    public GuestMemory() {
        this(DEFAULT_RAM_SIZE);
    }

    /** @param ramSize bytes of RAM at {@link #RAM_BASE}; a positive multiple of 64 KiB up to {@link #MAX_RAM_SIZE} */
    public GuestMemory(long ramSize) {
        if (ramSize <= 0 || ramSize > MAX_RAM_SIZE || (ramSize & PAGE_MASK) != 0) {
            throw new IllegalArgumentException("RAM size must be a multiple of 64 KiB between 64 KiB and 64 GiB, got " + ramSize);
        }
        this.ramSize = ramSize;
        this.ramPages = new byte[(int) (ramSize >>> PAGE_SHIFT)][];
        this.codeLines = new long[ramPages.length][];
    }

    // ---- write watching (for translated-code invalidation) ----

    /** 4 KiB: the granule of direct TLB access, and of {@link #watch}ing listeners. */
    public static final int GRANULE_SHIFT = 12;
    /** 64 bytes: the granularity of write watching (a cache line, as IC IVAU's). */
    public static final int LINE_SHIFT = 6;

    /** Told about guest and bulk writes to watched lines of RAM. */
    @FunctionalInterface
    public interface WriteWatcher {
        /**
         * Called after a write that touched a watched line of the 4 KiB granule at {@code granuleBase}.
         * The watch stays until {@link #setWatchedLines} or {@link #unwatch} (typically the watcher
         * drops its translations there and watches only what code remains).
         */
        void written(long granuleBase);

        /** The same, with the bytes written there: [address, address+length) within the granule. */
        default void written(long granuleBase, long address, long length) {
            written(granuleBase);
        }
    }

    public void setWriteWatcher(WriteWatcher watcher) {
        this.watcher = watcher;
    }

    /** Reports future writes anywhere in the 4 KiB RAM granule holding {@code address} (no-op outside RAM). */
    public void watch(long address) {
        if (isRam(address, 1)) {
            setWatchedLines(address, -1L);
        }
    }

    /** Reports future writes to the 64-byte lines of RAM that [address, address+length) touches (RAM only). */
    public void watch(long address, long length) {
        long end = address + length;
        for (long a = address; a < end && isRam(a, 1); a = (a | 0xFFF) + 1) {
            long gEnd = Math.min(end, (a | 0xFFF) + 1);
            setWatchedLines(a, watchedLines(a) | lineMask(a, gEnd - a));
        }
    }

    /** The mask of the 64-byte lines of one 4 KiB granule that [address, address+length) (within it, length > 0) touches. */
    public static long lineMask(long address, long length) {
        int first = (int) (address >>> LINE_SHIFT) & 63;
        int last = (int) ((address + length - 1) >>> LINE_SHIFT) & 63;
        return (-1L >>> (63 - last)) & (-1L << first);
    }

    /**
     * Sets which 64-byte lines of the RAM granule holding {@code address} are watched (bit k: line
     * k; 0: none). A granule that had none and gets some is announced to the {@link #addWatchListener
     * listeners} before this returns.
     */
    public void setWatchedLines(long address, long mask) {
        if (!isRam(address, 1)) {
            return;
        }
        int page = (int) ((address - RAM_BASE) >>> PAGE_SHIFT);
        int g = (int) (address >>> GRANULE_SHIFT) & 15;
        long[] lines = codeLines[page];
        if (lines == null) {
            if (mask == 0) {
                return;
            }
            lines = codeLines[page] = new long[1 << (PAGE_SHIFT - GRANULE_SHIFT)];
            if (writeIndex == page) {
                writeLines = lines;
            }
        }
        boolean was = lines[g] != 0;
        lines[g] = mask;
        if (!was && mask != 0) {
            long base = address & ~((1L << GRANULE_SHIFT) - 1);
            for (java.util.function.LongConsumer l : watchListeners) {
                l.accept(base);
            }
        }
    }

    /** The watched 64-byte lines of the RAM granule holding {@code address} (0 outside RAM). */
    public long watchedLines(long address) {
        if (!isRam(address, 1)) {
            return 0;
        }
        long[] lines = codeLines[(int) ((address - RAM_BASE) >>> PAGE_SHIFT)];
        return lines == null ? 0 : lines[(int) (address >>> GRANULE_SHIFT) & 15];
    }

    /**
     * The watched-line masks of the 64 KiB RAM page holding {@code pa} (index: granule in the page,
     * {@code directOffset(pa) >>> 12}), for a TLB that stores directly into a watched granule after
     * testing the line's bit; null when nothing on that page was ever watched. Once given, the
     * array stays the page's for good.
     */
    public long[] codeLines(long pa) {
        return isRam(pa, 1) ? codeLines[(int) ((pa - RAM_BASE) >>> PAGE_SHIFT)] : null;
    }

    /**
     * Calls {@code listener} with the base of each 4 KiB RAM granule that becomes watched, before
     * {@link #watch} returns: whoever holds a {@link #directPage} for writes there must drop it.
     */
    public void addWatchListener(java.util.function.LongConsumer listener) {
        watchListeners.add(listener);
    }

    public void removeWatchListener(java.util.function.LongConsumer listener) {
        watchListeners.remove(listener);
    }

    /**
     * The stage-1 TLBs of the PEs using this memory, one inner-shareable domain: a TLBI ...IS on
     * one PE reaches them all (mem.mmu's Mmu adds itself when attached; typed Object because this
     * package knows nothing of translation).
     */
    private final List<Object> tlbDomain = new ArrayList<>();

    public List<Object> tlbDomain() {
        return tlbDomain;
    }

    // ---- direct access for software TLBs ----

    /**
     * The host array holding the 4 KiB RAM granule at {@code pa}, for a TLB that then reads (or,
     * with {@code write}, writes) it without calling this class: null when {@code pa} is not RAM,
     * when the granule has never been written (it reads as zero without a page) or, for writes,
     * when it is watched (its writes must be reported). The granule starts at index
     * {@link #directOffset}; pages are never freed, so the array stays valid. A write use must be
     * dropped when {@link #addWatchListener the granule becomes watched}.
     */
    public byte[] directPage(long pa, boolean write) {
        if (!isRam(pa, 1)) {
            return null;
        }
        if (write && watchedLines(pa) != 0) {
            return null;
        }
        return ramPages[(int) ((pa - RAM_BASE) >>> PAGE_SHIFT)];
    }

    /** Where the 4 KiB granule of RAM address {@code pa} starts in its {@link #directPage}. */
    public static int directOffset(long pa) {
        return (int) (pa - RAM_BASE) & PAGE_MASK & ~((1 << GRANULE_SHIFT) - 1);
    }

    /** Reads {@code 1 << size} bytes at {@code in} of a {@link #directPage}, zero-extended. */
    public static long getDirect(byte[] page, int in, int size) {
        return switch (size) {
            case 0 -> page[in] & 0xffL;
            case 1 -> (short) SHORT.get(page, in) & 0xffffL;
            case 2 -> (int) INT.get(page, in) & 0xffff_ffffL;
            default -> (long) LONG.get(page, in);
        };
    }

    /** Writes the low {@code 1 << size} bytes of {@code value} at {@code in} of a {@link #directPage}. */
    public static void putDirect(byte[] page, int in, int size, long value) {
        switch (size) {
            case 0 -> page[in] = (byte) value;
            case 1 -> SHORT.set(page, in, (short) value);
            case 2 -> INT.set(page, in, (int) value);
            default -> LONG.set(page, in, value);
        }
    }

    /** Stops reporting writes to the 4 KiB RAM granule holding {@code address}. */
    public void unwatch(long address) {
        setWatchedLines(address, 0);
    }

    public boolean isWatched(long address) {
        return watchedLines(address) != 0;
    }

    /** Whether a write of {@code size} bytes at offset {@code in} of a 64 KiB page with masks {@code lines} touches a watched line. */
    private static boolean touchesCode(long[] lines, int in, int size) {
        int first = in >>> LINE_SHIFT;
        int last = (in + size - 1) >>> LINE_SHIFT; // the shifts below take the line's bit from its low 6 bits
        return (lines[first >>> 6] >>> first & 1) != 0 || (lines[last >>> 6] >>> last & 1) != 0;
    }

    /** After a write of [address, address+length) to RAM: report the watched granules whose watched lines it touched. */
    private void written(long address, long length) {
        if (watcher == null) {
            return;
        }
        long end = address + length;
        for (long a = address; a < end; a = (a | 0xFFF) + 1) {
            long gEnd = Math.min(end, (a | 0xFFF) + 1);
            if ((watchedLines(a) & lineMask(a, gEnd - a)) != 0) {
                watcher.written(a & ~0xFFFL, a, gEnd - a);
            }
        }
    }

    public long ramBase() {
        return RAM_BASE;
    }

    public long ramSize() {
        return ramSize;
    }

    /** Bytes of RAM actually allocated so far (touched pages). */
    public long ramAllocated() {
        long n = 0;
        for (byte[] p : ramPages) {
            if (p != null) {
                n += PAGE_SIZE;
            }
        }
        return n;
    }

    /** True if [address, address+length) lies entirely in RAM. */
    public boolean isRam(long address, long length) {
        long off = address - RAM_BASE;
        return length >= 0 && Long.compareUnsigned(off, ramSize) <= 0 && Long.compareUnsigned(length, ramSize - off) <= 0;
    }

    /** True if [address, address+length) lies entirely in flash. */
    public boolean isFlash(long address, long length) {
        return length >= 0 && Long.compareUnsigned(address, FLASH_SIZE) <= 0
                && Long.compareUnsigned(length, FLASH_SIZE - address) <= 0;
    }

    /** Attaches the command set of the flash bank starting at {@code bankBase} (0 or 64 MiB). */
    public void attachFlash(long bankBase, FlashCommands commands) {
        if (bankBase % FLASH_BANK_SIZE != 0 || !isFlash(bankBase, FLASH_BANK_SIZE)) {
            throw new IllegalArgumentException(String.format("no flash bank at 0x%x", bankBase));
        }
        flashCommands[(int) (bankBase / FLASH_BANK_SIZE)] = commands;
    }

    /** The command set of the bank holding {@code address} if it answers reads itself now, else null. */
    private FlashCommands flashInCommandMode(long address, int size) {
        FlashCommands c = flashCommands[(int) (address / FLASH_BANK_SIZE)];
        boolean oneBank = address / FLASH_BANK_SIZE == (address + size - 1) / FLASH_BANK_SIZE;
        return c != null && oneBank && !c.readsArray() ? c : null;
    }

    /**
     * Puts a device on the bus at [base, base+size).
     *
     * @throws IllegalArgumentException if the range is empty or overlaps RAM, flash or another device
     */
    public void map(long base, long size, MmioDevice device) {
        if (size <= 0 || base + size < base) {
            throw new IllegalArgumentException("bad MMIO range for " + device.name());
        }
        boolean overlaps = overlap(base, size, FLASH_BASE, FLASH_SIZE) || overlap(base, size, RAM_BASE, ramSize)
                || mappings.stream().anyMatch(m -> overlap(base, size, m.base, m.size));
        if (overlaps) {
            throw new IllegalArgumentException(String.format("%s at 0x%x+0x%x overlaps mapped memory", device.name(), base, size));
        }
        mappings.add(new Mapping(base, size, device));
        mmio = mappings.toArray(new Mapping[0]);
    }

    private static boolean overlap(long a, long as, long b, long bs) {
        return Long.compareUnsigned(a, b + bs) < 0 && Long.compareUnsigned(b, a + as) < 0;
    }

    // ---- PhysicalMemory ----

    @Override
    public long read(long address, int size) {
        long off = address - RAM_BASE;
        if (Long.compareUnsigned(off, ramSize - size) <= 0) {
            int in = (int) off & PAGE_MASK;
            if (in <= PAGE_SIZE - size) {
                long index = off >>> PAGE_SHIFT;
                byte[] page = index == readIndex ? readPage : ramPageForRead(index);
                return get(page, in, size);
            }
        }
        return readSlow(address, size);
    }

    @Override
    public void write(long address, int size, long value) {
        long off = address - RAM_BASE;
        if (Long.compareUnsigned(off, ramSize - size) <= 0) {
            int in = (int) off & PAGE_MASK;
            if (in <= PAGE_SIZE - size) {
                long index = off >>> PAGE_SHIFT;
                if (index != writeIndex) {
                    ramPageForWrite(index);
                }
                put(writePage, in, size, value);
                long[] lines = writeLines;
                if (lines != null && touchesCode(lines, in, size)) {
                    written(address, size);
                }
                return;
            }
        }
        writeSlow(address, size, value);
    }

    @Override
    public int fetch(long address) {
        long off = address - RAM_BASE;
        if (Long.compareUnsigned(off, ramSize - 4) <= 0 && ((int) off & PAGE_MASK) <= PAGE_SIZE - 4) {
            long index = off >>> PAGE_SHIFT;
            if (index != fetchIndex) {
                byte[] p = ramPages[(int) index];
                fetchPage = p != null ? p : ZERO_PAGE;
                fetchIndex = index;
            }
            return (int) INT.get(fetchPage, (int) off & PAGE_MASK);
        }
        if (isRam(address, 4) || isFlash(address, 4)) {
            return (int) readSlow(address, 4);
        }
        throw new BusFault(address, false);
    }

    // ---- bulk helpers for loaders, semihosting and the debugger (RAM and flash only, no MMIO) ----

    /**
     * Copies {@code data} into RAM or flash at {@code address}.
     *
     * @throws BusFault at the first byte that is not RAM or flash (nothing is written then)
     */
    public void load(long address, byte[] data) {
        load(address, data, 0, data.length);
    }

    public void load(long address, byte[] data, int from, int length) {
        checkBacked(address, length, true);
        int done = 0;
        while (done < length) {
            long a = address + done;
            byte[] page = backedPageForWrite(a);
            int in = (int) (a - regionBase(a)) & PAGE_MASK;
            int n = Math.min(length - done, PAGE_SIZE - in);
            System.arraycopy(data, from + done, page, in, n);
            done += n;
        }
        if (length > 0 && isRam(address, length)) {
            written(address, length);
        }
    }

    /** Sets {@code length} bytes of RAM or flash to {@code value} (a loader's bss zero-fill). */
    public void fill(long address, long length, byte value) {
        checkBacked(address, length, true);
        long done = 0;
        while (done < length) {
            long a = address + done;
            int in = (int) (a - regionBase(a)) & PAGE_MASK;
            int n = (int) Math.min(length - done, PAGE_SIZE - in);
            if (value == 0 && backedPageIfPresent(a) == null) {
                done += n; // an untouched page already reads as zero
                continue;
            }
            Arrays.fill(backedPageForWrite(a), in, in + n, value);
            done += n;
        }
        if (length > 0 && isRam(address, length)) {
            written(address, length);
        }
    }

    /**
     * Reads {@code length} bytes of RAM or flash.
     *
     * @throws BusFault if any byte is not RAM or flash
     */
    public byte[] readBytes(long address, int length) {
        checkBacked(address, length, false);
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long a = address + done;
            byte[] page = backedPageIfPresent(a);
            int in = (int) (a - regionBase(a)) & PAGE_MASK;
            int n = Math.min(length - done, PAGE_SIZE - in);
            if (page != null) {
                System.arraycopy(page, in, out, done, n);
            }
            done += n;
        }
        return out;
    }

    /** Writes bytes to RAM or flash (debugger memory writes, semihosting SYS_READ); same as {@link #load}. */
    public void writeBytes(long address, byte[] data) {
        load(address, data);
    }

    private void checkBacked(long address, long length, boolean write) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (length == 0) {
            return;
        }
        if (!isRam(address, length) && !isFlash(address, length)) {
            // Report the first byte that is outside the region the range starts in.
            long bad = isRam(address, 1) ? RAM_BASE + ramSize : isFlash(address, 1) ? FLASH_SIZE : address;
            throw new BusFault(bad, write);
        }
    }

    private long regionBase(long address) {
        return isRam(address, 1) ? RAM_BASE : FLASH_BASE;
    }

    private byte[] backedPageIfPresent(long address) {
        return isRam(address, 1) ? ramPages[(int) ((address - RAM_BASE) >>> PAGE_SHIFT)]
                : flashPages[(int) (address >>> PAGE_SHIFT)];
    }

    private byte[] backedPageForWrite(long address) {
        if (isRam(address, 1)) {
            return ramPageForWrite((address - RAM_BASE) >>> PAGE_SHIFT);
        }
        int i = (int) (address >>> PAGE_SHIFT);
        byte[] p = flashPages[i];
        if (p == null) {
            p = flashPages[i] = new byte[PAGE_SIZE];
        }
        return p;
    }

    // ---- pages ----

    private byte[] ramPageForRead(long index) {
        byte[] p = ramPages[(int) index];
        readIndex = index;
        readPage = p != null ? p : ZERO_PAGE;
        return readPage;
    }

    /** The page for a write, allocated if needed, and made the write-cached page. */
    private byte[] ramPageForWrite(long index) {
        if (index == writeIndex) {
            return writePage;
        }
        byte[] p = ramPages[(int) index];
        if (p == null) {
            p = ramPages[(int) index] = new byte[PAGE_SIZE];
            // The read caches may hold ZERO_PAGE for this index.
            if (readIndex == index) {
                readPage = p;
            }
            if (fetchIndex == index) {
                fetchPage = p;
            }
        }
        writeIndex = index;
        writePage = p;
        writeLines = codeLines[(int) index];
        return p;
    }

    private static long get(byte[] page, int in, int size) {
        return switch (size) {
            case 1 -> page[in] & 0xffL;
            case 2 -> (short) SHORT.get(page, in) & 0xffffL;
            case 4 -> (int) INT.get(page, in) & 0xffff_ffffL;
            case 8 -> (long) LONG.get(page, in);
            default -> throw new IllegalArgumentException("access size " + size);
        };
    }

    private static void put(byte[] page, int in, int size, long value) {
        switch (size) {
            case 1 -> page[in] = (byte) value;
            case 2 -> SHORT.set(page, in, (short) value);
            case 4 -> INT.set(page, in, (int) value);
            case 8 -> LONG.set(page, in, value);
            default -> throw new IllegalArgumentException("access size " + size);
        }
    }

    // ---- slow paths: page-crossing, flash, MMIO, unmapped ----

    private long readSlow(long address, int size) {
        checkSize(size);
        if (isFlash(address, size)) {
            FlashCommands c = flashInCommandMode(address, size);
            if (c != null) {
                return c.read(address, size);
            }
        }
        if (isRam(address, size) || isFlash(address, size)) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                long a = address + i;
                byte[] page = backedPageIfPresent(a);
                int in = (int) (a - regionBase(a)) & PAGE_MASK;
                v = v << 8 | (page == null ? 0 : page[in] & 0xff);
            }
            return v;
        }
        Mapping m = device(address, size, false);
        long v = m.device.read(address - m.base, size);
        return size == 8 ? v : v & ((1L << (8 * size)) - 1);
    }

    private void writeSlow(long address, int size, long value) {
        checkSize(size);
        if (isRam(address, size)) {
            for (int i = 0; i < size; i++) {
                long a = address + i;
                ramPageForWrite((a - RAM_BASE) >>> PAGE_SHIFT)[(int) (a - RAM_BASE) & PAGE_MASK] = (byte) (value >>> (8 * i));
            }
            written(address, size);
            return;
        }
        if (isFlash(address, size)) {
            FlashCommands c = flashCommands[(int) (address / FLASH_BANK_SIZE)];
            if (c != null) {
                c.write(address, size, value);
            }
            return; // without a command set: read-only from the guest's side (class comment)
        }
        Mapping m = device(address, size, true);
        m.device.write(address - m.base, size, value);
    }

    private Mapping device(long address, int size, boolean write) {
        for (Mapping m : mmio) {
            if (m.contains(address)) {
                if (!m.contains(address + size - 1)) {
                    break; // straddles the end of the device
                }
                return m;
            }
        }
        throw new BusFault(address, write);
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("access size " + size);
        }
    }
}
