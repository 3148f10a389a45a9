package dev.a64trap.exec;

import dev.a64trap.mem.GuestMemory;
import dev.a64trap.mem.PhysicalMemory;

/**
 * Decoded blocks keyed by PC (a VA) in a direct-mapped table, plus a bitmap of the physical pages
 * that hold decoded code ({@link Block#pa}; the caller checks that a block's PC still translates
 * to its PA before running it) and, per such page, its blocks. A write over a block's code (for a
 * unit of several blocks: all of their code, {@link Block#codeLo}..{@link Block#codeHi}) drops it,
 * and nothing else: self-modifying code, loaders, semihosting reads, debugger writes.
 *
 * <p>With {@link GuestMemory} the memory watches exactly the 64-byte lines that hold cached code
 * (always a superset of every cached block's code: {@link #put}, {@link #watchCode}, and after a
 * drop the lines of the blocks that remain), so a store beside code, even on its page, stays on the
 * memory's and the TLB's fast path and never reaches this class. Any other memory is wrapped
 * ({@link #memory}) so that at least CPU stores to code pages are seen.
 *
 * <p>Invalidation contract: a dropped block gets {@link Block#stale} set (never cleared) and leaves
 * the table before the write that dropped it returns; it is never handed out again by {@link #get}.
 * Code holding a Block (a compiled unit, a successor cache) must check {@code stale} before running
 * it again; a block that is not stale has had no byte of [codeLo, codeHi) written since it was decoded.
 */
public final class BlockCache {
    private static final int BITS = 16;
    private static final int MASK = (1 << BITS) - 1;
    /** Pages below 16 GiB are tracked; blocks above are decoded but never cached. */
    private static final long MAX_PAGE = 1L << 22;

    private final Block[] table = new Block[1 << BITS];
    /** Physical page -> the cached blocks on it (and blocks since replaced in {@link #table}, dropped with it). */
    private final java.util.HashMap<Long, java.util.ArrayList<Block>> byPage = new java.util.HashMap<>();
    private final long[] codePages = new long[(int) (MAX_PAGE >>> 6)];
    private final PhysicalMemory memory;
    private final GuestMemory guest;
    private long invalidations;

    public BlockCache(PhysicalMemory raw) {
        if (raw instanceof GuestMemory g) {
            guest = g;
            memory = raw;
            g.setWriteWatcher(new GuestMemory.WriteWatcher() {
                @Override
                public void written(long granuleBase) {
                    invalidatePage(granuleBase);
                }

                @Override
                public void written(long granuleBase, long address, long length) {
                    invalidate(address, length);
                }
            });
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
        byPage.computeIfAbsent(page, k -> new java.util.ArrayList<>()).add(b);
        if (guest != null) {
            guest.watch(b.codeLo, b.codeHi - b.codeLo);
        }
    }

    /**
     * After the JIT made {@code b} the head of a unit whose code ({@link Block#codeLo}..{@link
     * Block#codeHi}, on b's page) goes beyond b's own: watches all of it (the members need not be cached).
     */
    public void watchCode(Block b) {
        long page = b.pa >>> 12;
        if (guest != null && !b.stale && page >= 0 && page < MAX_PAGE) {
            guest.watch(b.codeLo, b.codeHi - b.codeLo);
        }
    }

    public boolean isCodePage(long address) {
        long page = address >>> 12;
        return page >= 0 && page < MAX_PAGE && (codePages[(int) (page >>> 6)] & (1L << page)) != 0;
    }

    /** Drops every block on the physical page of {@code address}. */
    public void invalidatePage(long address) {
        invalidate(address & ~0xFFFL, 0x1000);
    }

    /**
     * Drops the blocks whose code overlaps physical [address, address+length) (within one page):
     * marked stale (a compiled loop or unit running one stops at its next block boundary) and
     * removed. The memory then watches only the lines of the blocks that remain.
     */
    public void invalidate(long address, long length) {
        if (guest != null && guest.isRam(address, length)
                && (guest.watchedLines(address) & GuestMemory.lineMask(address, length)) == 0) {
            return; // no cached code there (IC IVAU over data, a bulk write beside code)
        }
        long page = address >>> 12;
        java.util.ArrayList<Block> list = byPage.get(page);
        if (list == null) {
            return;
        }
        long end = address + length;
        boolean dropped = false;
        for (int k = list.size() - 1; k >= 0; k--) {
            Block b = list.get(k);
            if (b.codeLo < end && address < b.codeHi) {
                b.stale = true;
                int slot = (int) (b.pc >>> 2) & MASK;
                if (table[slot] == b) {
                    table[slot] = null;
                }
                list.set(k, list.get(list.size() - 1));
                list.remove(list.size() - 1);
                dropped = true;
            }
        }
        if (list.isEmpty()) {
            byPage.remove(page);
            codePages[(int) (page >>> 6)] &= ~(1L << page);
        }
        if (dropped) {
            invalidations++;
            if (guest != null) {
                long base = page << 12, mask = 0;
                for (Block b : list) {
                    long lo = Math.max(b.codeLo, base), hi = Math.min(b.codeHi, base + 0x1000);
                    mask |= lo < hi ? GuestMemory.lineMask(lo, hi - lo) : 0;
                }
                guest.setWatchedLines(base, mask);
            }
        }
    }

    public void invalidateAll() {
        for (java.util.Map.Entry<Long, java.util.ArrayList<Block>> e : byPage.entrySet()) {
            if (guest != null) {
                guest.unwatch(e.getKey() << 12);
            }
            for (Block b : e.getValue()) {
                b.stale = true;
            }
        }
        for (Block b : table) {
            if (b != null) {
                b.stale = true;
            }
        }
        java.util.Arrays.fill(table, null);
        java.util.Arrays.fill(codePages, 0);
        byPage.clear();
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
            long bytes = 1L << size;
            long last = address + bytes - 1;
            if (isCodePage(address)) {
                invalidate(address, Math.min(bytes, 0x1000 - (address & 0xFFF)));
            }
            if ((last ^ address) >>> 12 != 0 && isCodePage(last)) {
                invalidate(last & ~0xFFFL, (last & 0xFFF) + 1);
            }
        }

        @Override
        public int fetch(long address) {
            return raw.fetch(address);
        }
    }
}
