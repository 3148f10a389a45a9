package dev.a64trap.mem.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.a64trap.mem.GuestMemory;
import org.junit.jupiter.api.Test;

/**
 * The TLB's direct host entries (what exec.Lsu's fast path uses): given only for RAM that exists,
 * never for stores into a granule watched for translated code (they must be reported), dropped
 * when a granule becomes watched, with TLB maintenance, and never for an access the EL may not make.
 */
class DirectTlbTest {
    static final long RAM = GuestMemory.RAM_BASE;
    static final long TABLES = RAM + 0x10_0000;
    static final long VA = 0x1000_0000L, PA = RAM + 0x20_0000, RO_VA = VA + 0x1000, RO_PA = PA + 0x1000;
    static final int I = (int) (VA >>> 12) & Mmu.TLB_MASK, RO_I = (int) (RO_VA >>> 12) & Mmu.TLB_MASK;

    final GuestMemory mem = new GuestMemory(16L << 20);
    final Mmu mmu = new Mmu(false);

    DirectTlbTest() {
        mmu.attach(mem);
        long l1 = TABLES, l2 = TABLES + 0x1000, l3 = TABLES + 0x2000;
        mem.write(l1, 8, l2 | 3);
        mem.write(l2 + 8 * 0x80, 8, l3 | 3);
        mem.write(l3, 8, PA | 1L << 10 | 3); // EL1 RW, EL0 none
        mem.write(l3 + 8, 8, RO_PA | 1L << 10 | 2L << 6 | 3); // EL1 read-only
        mmu.configure(1, 25 | 5L << 32, l1, 0, 0);
    }

    @Test
    void untouchedRamGetsNoDirectEntryUntilWrittenAndReadsAllocateNothing() {
        long allocated = mem.ramAllocated();
        assertEquals(PA + 8, mmu.translate(VA + 8, 1, Walker.READ));
        Mmu.Tlb t = mmu.tlb(1);
        assertEquals(Mmu.EMPTY, t.load[I]);
        assertEquals(Mmu.EMPTY, t.store[I]);
        assertEquals(allocated, mem.ramAllocated());
        mem.write(PA + 8, 8, 0x1234);
        mmu.direct(VA + 8, 1);
        assertEquals(VA, t.load[I]);
        assertEquals(VA, t.store[I]);
        assertSame(mem.directPage(PA, false), t.page[I]);
        assertEquals(0x1234, GuestMemory.getDirect(t.page[I], (int) (VA + 8) + t.delta[I], 3));
    }

    @Test
    void watchedGranulesGetNoDirectStoresAndWatchingDropsThem() {
        mem.write(PA, 8, 1);
        mmu.translate(VA, 1, Walker.WRITE);
        Mmu.Tlb t = mmu.tlb(1);
        assertEquals(VA, t.store[I]);
        mem.watch(PA + 0x10);
        assertEquals(Mmu.EMPTY, t.store[I]);
        assertEquals(VA, t.load[I]); // loads need no report
        mmu.direct(VA, 1);
        assertEquals(Mmu.EMPTY, t.store[I]);
        mem.unwatch(PA);
        mmu.direct(VA, 1);
        assertEquals(VA, t.store[I]);
        mmu.flush();
        mmu.translate(VA, 1, Walker.READ);
        mem.watch(PA);
        assertEquals(Mmu.EMPTY, t.store[I]);
    }

    @Test
    void storesIntoAWatchedGranuleTestTheirLineThroughTheMemorysMasks() {
        mem.write(PA, 8, 1);
        mmu.translate(VA, 1, Walker.WRITE);
        Mmu.Tlb t = mmu.tlb(1);
        assertEquals(VA, t.store[I]);
        assertEquals(Mmu.EMPTY, t.storeCode[I]);
        mem.watch(PA + 0x40, 0x10); // line 1 becomes code
        assertEquals(Mmu.EMPTY, t.store[I]);
        assertEquals(VA, t.storeCode[I]);
        assertSame(mem.codeLines(PA), t.lines[I]);
        int in = (int) (VA + 0x48) + t.delta[I];
        assertEquals(1, t.lines[I][in >>> 12] >>> (in >>> 6) & 1, "line 1: code");
        in = (int) (VA + 0x80) + t.delta[I];
        assertEquals(0, t.lines[I][in >>> 12] >>> (in >>> 6) & 1, "line 2: no code");
        mem.watch(PA + 0x80, 4); // the masks are the memory's own: a new watch is seen at once
        assertEquals(1, t.lines[I][in >>> 12] >>> (in >>> 6) & 1);
        mmu.flush();
        mmu.translate(VA, 1, Walker.WRITE); // a fill of a watched granule
        assertEquals(Mmu.EMPTY, t.store[I]);
        assertEquals(VA, t.storeCode[I]);
        mmu.flushVa(VA);
        assertEquals(Mmu.EMPTY, t.storeCode[I]);
        assertEquals(PA + 0x10, mmu.translate(VA + 0x10, 1, Walker.READ));
        assertEquals(VA, t.storeCode[I]);
        assertEquals(Mmu.EMPTY, t.storeCode[RO_I]);
        mmu.translate(RO_VA, 1, Walker.READ);
        mem.write(RO_PA, 8, 1);
        mem.watch(RO_PA, 4);
        mmu.direct(RO_VA, 1);
        assertEquals(Mmu.EMPTY, t.storeCode[RO_I], "read-only: no direct store of either kind");
    }

    @Test
    void directEntriesFollowPermissionsAndMaintenance() {
        mem.write(PA, 8, 1);
        mem.write(RO_PA, 8, 1);
        assertEquals(RO_PA, mmu.translate(RO_VA, 1, Walker.READ));
        Mmu.Tlb t = mmu.tlb(1);
        assertEquals(RO_VA, t.load[RO_I]);
        assertEquals(Mmu.EMPTY, t.store[RO_I]); // read-only: a store must take the faulting path
        assertEquals(Mmu.FAULT, mmu.translate(VA, 0, Walker.READ)); // EL0 may not
        assertEquals(Mmu.EMPTY, mmu.tlb(0).load[I]);
        mmu.direct(VA, 0);
        assertEquals(Mmu.EMPTY, mmu.tlb(0).load[I]);
        mmu.translate(VA, 1, Walker.READ);
        assertEquals(VA, t.load[I]);
        mmu.flushVa(VA);
        assertEquals(Mmu.EMPTY, t.load[I]);
        assertEquals(Mmu.EMPTY, t.store[I]);
        assertEquals(RO_VA, t.load[RO_I]); // by-VA maintenance leaves other pages
        mmu.flush();
        assertEquals(Mmu.EMPTY, t.load[RO_I]);
    }

    /** --smp N: the PEs share one memory; a TLBI ...IS on one empties the others' entries too, a non-IS one only its own. */
    @Test
    void innerShareableMaintenanceReachesEveryTlbOnTheMemory() {
        Mmu other = new Mmu(false);
        other.attach(mem);
        other.configure(1, 25 | 5L << 32, TABLES, 0, 0);
        mem.write(PA, 8, 1);
        for (Mmu m : new Mmu[] {mmu, other}) {
            assertEquals(PA, m.translate(VA, 1, Walker.READ));
            assertEquals(RO_PA, m.translate(RO_VA, 1, Walker.READ));
        }
        mmu.flushVa(VA);
        assertEquals(Mmu.EMPTY, mmu.tlb(1).read[I]);
        assertEquals(VA >>> 12, other.tlb(1).read[I], "TLBI VAE1: this PE only");
        mmu.flushVaShared(VA);
        assertEquals(Mmu.EMPTY, other.tlb(1).read[I], "TLBI VAE1IS: every PE");
        assertEquals(RO_VA, other.tlb(1).load[RO_I]);
        other.flushShared();
        assertEquals(Mmu.EMPTY, other.tlb(1).load[RO_I]);
        assertEquals(Mmu.EMPTY, mmu.tlb(1).read[RO_I], "TLBI VMALLE1IS: every PE");
        other.attach(new GuestMemory(16L << 20)); // another board: out of this domain
        assertEquals(java.util.List.of(mmu), mem.tlbDomain(), "the other PE left this memory's domain");
    }
}
