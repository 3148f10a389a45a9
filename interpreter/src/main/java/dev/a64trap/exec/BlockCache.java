package dev.a64trap.exec;

import dev.a64trap.mem.GuestMemory;
import dev.a64trap.mem.PhysicalMemory;

/**
 * Decoded blocks keyed by PC (a VA) in a direct-mapped table, plus a bitmap of the physical pages
 * that hold decoded code ({@link Block#pa}; the caller checks that a block's PC still translates
 * to its PA before running it). A write into such a page drops every block of that page (self-modifying
 * code, loaders, semihosting reads, debugger writes). With {@link GuestMemory} the memory's own
 * 4 KiB write watch reports every writer; any other memory is wrapped ({@link #memory}) so that
 * at least CPU stores are seen.
 */
public final class BlockCache {
    private static final int BITS = 16;
    private static final int MASK = (1 << BITS) - 1;
    /** Pages below 16 GiB are tracked; blocks above are decoded but never cached. */
    private static final long MAX_PAGE = 1L << 22;

    private final Block[] table = new Block[1 << BITS];
    private final long[] codePages = new long[(int) (MAX_PAGE >>> 6)];
    private final PhysicalMemory memory;
    private final GuestMemory guest;
    private long invalidations;

    public BlockCache(PhysicalMemory raw) {
        if (raw instanceof GuestMemory g) {
            guest = g;
            memory = raw;
            g.setWriteWatcher(this::invalidatePage);
        } else {
            guest = null;
            memory = new Watch(raw);
        }
    }

    /** Guest memory with the code-page write watch: use this one for every data access. */
    public PhysicalMemory memory() {
        return memory;
    }

    public Block get(long pc) {
        Block b = table[(int) (pc >>> 2) & MASK];
        return b != null && b.pc == pc ? b : null;
    }

    /** Caches {@code b} (replacing whatever shared its slot) and marks its page as code. */
    public void put(Block b) {
        long page = b.pa >>> 12;
        if (page >= MAX_PAGE || page < 0) {
            return;
        }
        codePages[(int) (page >>> 6)] |= 1L << page;
        table[(int) (b.pc >>> 2) & MASK] = b;
        if (guest != null) {
            guest.watch(b.pa);
        }
    }

    public boolean isCodePage(long address) {
        long page = address >>> 12;
        return page >= 0 && page < MAX_PAGE && (codePages[(int) (page >>> 6)] & (1L << page)) != 0;
    }

    /** Drops every block on the physical page of {@code address}. */
    public void invalidatePage(long address) {
        long page = address >>> 12;
        codePages[(int) (page >>> 6)] &= ~(1L << page);
        for (int i = 0; i < table.length; i++) {
            Block b = table[i];
            if (b != null && b.pa >>> 12 == page) {
                b.stale = true;
                table[i] = null;
            }
        }
        if (guest != null) {
            guest.unwatch(address);
        }
        invalidations++;
    }

    public void invalidateAll() {
        if (guest != null) {
            for (Block b : table) {
                if (b != null) {
                    guest.unwatch(b.pa);
                }
            }
        }
        for (Block b : table) {
            if (b != null) {
                b.stale = true;
            }
        }
        java.util.Arrays.fill(table, null);
        java.util.Arrays.fill(codePages, 0);
        invalidations++;
    }

    public long invalidations() {
        return invalidations;
    }

    private final class Watch implements PhysicalMemory {
        private final PhysicalMemory raw;

        Watch(PhysicalMemory raw) {
            this.raw = raw;
        }

        @Override
        public long read(long address, int size) {
            return raw.read(address, size);
        }

        @Override
        public void write(long address, int size, long value) {
            raw.write(address, size, value);
            if (isCodePage(address)) {
                invalidatePage(address);
            }
            long last = address + size - 1;
            if ((last ^ address) >>> 12 != 0 && isCodePage(last)) {
                invalidatePage(last);
            }
        }

        @Override
        public int fetch(long address) {
            return raw.fetch(address);
        }
    }
}
