package dev.a64trap.mem.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.mem.GuestMemory;
import dev.a64trap.proptest.Action;
import dev.a64trap.proptest.Gen;
import dev.a64trap.proptest.Gens;
import dev.a64trap.proptest.PropertyFailure;
import dev.a64trap.proptest.Runner;
import dev.a64trap.proptest.StateMachine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random page tables, registers and accesses: every access through the MMU (TLB fast path as the
 * interpreter uses it, or a walk on a miss) and every AT-style walk must agree with
 * {@link ReferenceWalk}. Table edits are followed by the TLB maintenance a correct guest does
 * (TLBI VMALLE1 after any edit, or TLBI VAE1 for every VA whose walk read the edited leaf).
 */
class WalkerPropertiesTest {
    static final long RAM = GuestMemory.RAM_BASE;
    static final long RAM_SIZE = 16L << 20;
    /** Eight 64 KiB-aligned table pages (aligned for every granule). */
    static final long TABLES = RAM + 0x10_0000;

    static long table(int k) {
        return TABLES + ((long) k << 16);
    }

    static boolean backed(long pa) {
        return Long.compareUnsigned(pa - RAM, RAM_SIZE) < 0 || Long.compareUnsigned(pa, GuestMemory.FLASH_SIZE) < 0;
    }

    /** Model: registers, descriptor memory, the VAs accessed so far (for by-VA maintenance). */
    static final class Model {
        long sctlr = 1, tcr = 25 | 25L << 16 | 2L << 30 | 5L << 32, ttbr0 = table(0), ttbr1 = table(1), mair = 0x00FF_4404L;
        final Map<Long, Long> mem = new HashMap<>();
        final List<Long> accessed = new ArrayList<>();
        /** Successful accesses, to repeat exactly (the same EL and kind: TLB and direct-entry hits). */
        final List<Access> succeeded = new ArrayList<>();
        boolean has16k;

        ReferenceWalk.Result walk(long va) {
            return ReferenceWalk.walk(sctlr, tcr, ttbr0, ttbr1, mair, va, mem, WalkerPropertiesTest::backed, has16k);
        }
    }

    /** Accesses served by a direct TLB entry (the property must reach them). */
    static long directHits;

    static final class Impl {
        final GuestMemory memory = new GuestMemory(RAM_SIZE);
        final Mmu mmu;

        Impl(Model m) {
            mmu = new Mmu(m.has16k);
            for (long a = RAM; a < TABLES; a += 0x10000) {
                memory.write(a, 1, 0); // RAM pages that exist: their TLB entries get direct access
            }
            mmu.attach(memory);
            mmu.configure(m.sctlr, m.tcr, m.ttbr0, m.ttbr1, m.mair);
        }

        /**
         * An access as exec.Lsu makes it: a load or store through the entry's direct host page
         * (the PA is recovered from which RAM page array that is, independently of the addend),
         * else the TLB tag of its kind, else a walk that fills the TLB; then the entry is given
         * direct access as Lsu's slow path does.
         */
        long access(long va, int el, int kind) {
            Mmu.Tlb t = mmu.tlb(el);
            int i = (int) (va >>> 12) & Mmu.TLB_MASK;
            long[] direct = kind == Walker.READ ? t.load : kind == Walker.WRITE ? t.store : null;
            if (direct != null && (va & ~0xFFFL) == direct[i]) {
                directHits++;
                return ramAddressOf(t.page[i], (int) va + t.delta[i]);
            }
            long[] tags = kind == Walker.READ ? t.read : kind == Walker.WRITE ? t.write : t.exec;
            if (tags[i] == va >>> 12) {
                return va + t.addend[i];
            }
            long pa = mmu.translate(va, el, kind);
            if (pa != Mmu.FAULT) {
                mmu.direct(va, el);
            }
            return pa;
        }

        /** The RAM address whose 64 KiB host page is {@code page}, at {@code index} in it. */
        long ramAddressOf(byte[] page, int index) {
            for (long a = RAM; a < RAM + RAM_SIZE; a += 0x10000) {
                if (memory.directPage(a, false) == page) {
                    return a + index;
                }
            }
            throw new AssertionError("a direct TLB entry holds an array that is no RAM page");
        }
    }

    record Regs(long sctlr, long tcr, long ttbr0, long ttbr1, long mair) {}

    record Write(long address, long descriptor) {}

    record Access(long va, int el, int kind) {}

    static final Gen<Integer> SMALL = Gen.frequency(List.of(Gen.weighted(8, Gens.intRange(0, 3)),
            Gen.weighted(1, Gens.intRange(0, 8191))));

    static Gen<Long> bits(int n) {
        return r -> Gens.shrinkLong(r.nextLong() & ((1L << n) - 1));
    }

    static final Gen<Long> TCR = r -> {
        int[] sizes = {16, 25, 33, 39, 24, 20, 30, 40, 12};
        long t0 = sizes[r.nextInt(sizes.length)], t1 = sizes[r.nextInt(sizes.length)];
        long tcr = t0 | t1 << 16 | (long) r.nextInt(4) << 14 | (long) r.nextInt(4) << 30
                | (long) (r.nextInt(4) == 0 ? r.nextInt(8) : 4 + r.nextInt(2)) << 32;
        if (r.nextInt(8) == 0) {
            tcr |= 1L << 7;
        }
        if (r.nextInt(8) == 0) {
            tcr |= 1L << 23;
        }
        tcr |= (long) r.nextInt(4) << 37 | (long) r.nextInt(2) << 22;
        return Gens.shrinkLong(tcr).map(v -> v); // shrinking a TCR rarely helps; keep the value
    };

    static long ttbr(java.util.SplittableRandom r) {
        long base = table(r.nextInt(8));
        if (r.nextInt(16) == 0) {
            base = 1L << (40 + r.nextInt(6)); // above some output sizes
        }
        return base | (long) r.nextInt(1 << 16) << 48 | (r.nextInt(4) == 0 ? r.nextInt(2) : 0);
    }

    static final Gen<Regs> REGS = r -> {
        long sctlr = 1 | (r.nextInt(4) == 0 ? 1L << 19 : 0);
        long mair = r.nextLong();
        long tcr = TCR.sample(r);
        return dev.a64trap.proptest.Shrinkable.of(new Regs(sctlr, tcr, ttbr(r), ttbr(r), mair));
    };

    /** A descriptor: invalid, table (to one of the table pages, or elsewhere) or block/page with random attributes. */
    static long descriptor(java.util.SplittableRandom r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return r.nextLong() & ~1L; // invalid
        }
        long attrs = r.nextLong() & (0x7FFL << 52 | 0xFFCL); // upper and lower attributes
        if (r.nextInt(6) != 0) {
            attrs |= 1L << 10; // AF mostly set
        }
        long out;
        int o = r.nextInt(12);
        if (o < 6) {
            out = table(r.nextInt(8));
        } else if (o < 9) {
            out = RAM + ((r.nextLong() & 0xFF_FFFFL) & ~0xFFFL);
        } else if (o < 10) {
            out = (r.nextLong() & 0xFFFF_FFFF_F000L);
        } else if (o < 11) {
            out = 0x2000_0000L; // nothing there
        } else {
            out = 0;
        }
        boolean table = kind < 6;
        return attrs | out | (table ? 3 : r.nextInt(3) == 0 ? 1 : 3);
    }

    static final Gen<Write> WRITE = r -> {
        long at = table(r.nextInt(8)) + 8L * SMALL.sample(r);
        return dev.a64trap.proptest.Shrinkable.of(new Write(at, descriptor(r)));
    };

    static long va(java.util.SplittableRandom r) {
        if (r.nextInt(10) == 0) {
            return r.nextLong();
        }
        int g = new int[] {12, 14, 16}[r.nextInt(3)];
        int stride = g - 3;
        long va = r.nextLong() & ((1L << g) - 1);
        for (int level = 0; level < 4; level++) {
            int shift = g + (3 - level) * stride;
            if (shift < 48) {
                va |= (long) (r.nextInt(4) == 0 ? r.nextInt(1 << Math.min(stride, 16)) : r.nextInt(4)) << shift;
            }
        }
        int[] ib = {25, 31, 33, 39, 42, 48};
        int inputBits = ib[r.nextInt(ib.length)];
        va &= (1L << inputBits) - 1;
        if (r.nextBoolean()) {
            va |= -(1L << inputBits);
        }
        if (r.nextInt(4) == 0) {
            va = (va & ~(0xFFL << 56)) | (long) r.nextInt(256) << 56;
        }
        return va;
    }

    /** A VA whose walk follows descriptors the model holds (most random VAs miss every table). */
    static long guidedVa(Model m, java.util.SplittableRandom r) {
        boolean upper = r.nextBoolean();
        int tsz = (int) (upper ? m.tcr >>> 16 & 63 : m.tcr & 63);
        if (tsz < 16 || tsz > 39) {
            return va(r);
        }
        int g = Walker.granule(m.tcr, upper, m.has16k);
        int stride = g - 3;
        int inputBits = 64 - tsz;
        int start = 4 - (inputBits - g + stride - 1) / stride;
        long va = r.nextLong() & ((1L << g) - 1);
        long table = (upper ? m.ttbr1 : m.ttbr0) & 0xFFFF_FFFF_F000L;
        for (int level = start; level <= 3; level++) {
            int shift = g + (3 - level) * stride;
            int bits = level == start ? inputBits - shift : stride;
            final long t = table;
            List<Long> slots = m.mem.keySet().stream().filter(a -> a >= t && a < t + (8L << bits)).sorted().toList();
            long idx = !slots.isEmpty() && r.nextInt(4) != 0 ? (slots.get(r.nextInt(slots.size())) - t) >>> 3
                    : r.nextLong() & ((1L << bits) - 1);
            va |= idx << shift;
            long d = m.mem.getOrDefault(t + 8 * idx, 0L);
            if ((d & 3) != 3) {
                break;
            }
            table = d & 0xFFFF_FFFF_F000L & -(1L << g);
        }
        if (upper) {
            va |= -(1L << inputBits);
        }
        if (r.nextInt(4) == 0) {
            va = (va & ~(0xFFL << 56)) | (long) r.nextInt(256) << 56;
        }
        return va;
    }

    static Gen<Access> guided(Model m) {
        return r -> dev.a64trap.proptest.Shrinkable.of(new Access(r.nextInt(3) == 0 ? va(r) : guidedVa(m, r),
                r.nextInt(2), r.nextInt(3)));
    }

    static final Gen<Access> ACCESS = r -> dev.a64trap.proptest.Shrinkable.of(new Access(va(r), r.nextInt(2), r.nextInt(3)));

    static int expectedFault(ReferenceWalk.Result w, int el, int kind) {
        if (w.fsc() != -1) {
            return w.fsc();
        }
        boolean ok = switch (kind) {
            case Walker.READ -> el == 0 ? w.r0() : w.r1();
            case Walker.WRITE -> el == 0 ? w.w0() : w.w1();
            default -> el == 0 ? w.x0() : w.x1();
        };
        return ok ? -1 : Walker.FSC_PERMISSION | w.level();
    }

    static StateMachine<Model, Impl> machine(boolean has16k) {
        List<Action<Model, Impl, ?>> actions = new ArrayList<>();
        actions.add(Action.<Model, Impl, Regs>of("regs", 2, m -> REGS, (m, i, p) -> {
            m.sctlr = p.sctlr();
            m.tcr = p.tcr();
            m.ttbr0 = p.ttbr0();
            m.ttbr1 = p.ttbr1();
            m.mair = p.mair();
            m.accessed.clear();
            i.mmu.configure(p.sctlr(), p.tcr(), p.ttbr0(), p.ttbr1(), p.mair());
        }).describedBy(p -> String.format("sctlr=%x tcr=%x ttbr0=%x ttbr1=%x mair=%x", p.sctlr(), p.tcr(), p.ttbr0(),
                p.ttbr1(), p.mair())));
        actions.add(Action.<Model, Impl, Write>of("write+tlbi vmalle1", 6, m -> WRITE, (m, i, p) -> {
            m.mem.put(p.address(), p.descriptor());
            m.accessed.clear();
            i.memory.write(p.address(), 8, p.descriptor());
            i.mmu.flush();
        }).describedBy(p -> String.format("[%x]=%x", p.address(), p.descriptor())));
        actions.add(Action.<Model, Impl, Write>of("remap leaf+tlbi vae1", 4, m -> r -> {
            long at = table(0);
            if (!m.accessed.isEmpty()) {
                List<Long> path = m.walk(m.accessed.get(r.nextInt(m.accessed.size()))).path();
                if (!path.isEmpty()) {
                    at = path.get(path.size() - 1);
                }
            }
            return dev.a64trap.proptest.Shrinkable.of(new Write(at, descriptor(r)));
        }, (m, i, p) -> {
            List<Long> stale = new ArrayList<>();
            for (long va : m.accessed) {
                if (m.walk(va).path().contains(p.address())) {
                    stale.add(va);
                }
            }
            m.mem.put(p.address(), p.descriptor());
            i.memory.write(p.address(), 8, p.descriptor());
            for (long va : stale) {
                i.mmu.flushVa(va);
            }
        }).describedBy(p -> String.format("[%x]=%x", p.address(), p.descriptor())));
        actions.add(Action.<Model, Impl, Access>of("access", 12, m -> r -> {
            if (!m.succeeded.isEmpty() && r.nextBoolean()) { // the same again, maybe at another offset
                Access a = m.succeeded.get(r.nextInt(m.succeeded.size()));
                long va = r.nextBoolean() ? a.va() : a.va() & ~0xFFFL | r.nextInt(0x1000);
                return dev.a64trap.proptest.Shrinkable.of(new Access(va, a.el(), a.kind()));
            }
            if (!m.accessed.isEmpty() && r.nextBoolean()) { // again, maybe a TLB hit (or a stale entry)
                long va = m.accessed.get(r.nextInt(m.accessed.size()));
                return dev.a64trap.proptest.Shrinkable.of(new Access(va, r.nextInt(2), r.nextInt(3)));
            }
            return guided(m).generate(r);
        }, (m, i, p) -> {
            ReferenceWalk.Result w = m.walk(p.va());
            int want = expectedFault(w, p.el(), p.kind());
            long got = i.access(p.va(), p.el(), p.kind());
            int gotFault = got == Mmu.FAULT ? i.mmu.lastFault : -1;
            if (gotFault != want || (want == -1 && got != w.pa())) {
                throw new PropertyFailure("access agrees with the reference walk", String.format(
                        "va %x el %d kind %d: reference fsc %x pa %x, mmu fsc %x pa %x", p.va(), p.el(), p.kind(), want,
                        w.pa(), gotFault, got));
            }
            if (want == -1) {
                m.accessed.add(p.va());
                m.succeeded.add(p);
            }
        }).describedBy(p -> String.format("va=%x el=%d kind=%d", p.va(), p.el(), p.kind())));
        actions.add(Action.<Model, Impl, Access>of("walk (AT)", 4, WalkerPropertiesTest::guided, (m, i, p) -> {
            ReferenceWalk.Result w = m.walk(p.va());
            Translation t = i.mmu.walk(p.va());
            int perms = (w.r1() ? 1 : 0) | (w.w1() ? 2 : 0) | (w.x1() ? 4 : 0) | (w.r0() ? 8 : 0) | (w.w0() ? 16 : 0)
                    | (w.x0() ? 32 : 0);
            String want = String.format("fsc %x pa %x attr %x perms %x level %d", w.fsc(), w.pa(), w.attr(),
                    w.fsc() == -1 ? perms : 0, w.level());
            String got = String.format("fsc %x pa %x attr %x perms %x level %d", t.fault, t.pa, t.attr, t.perms, t.level);
            if (!want.equals(got)) {
                throw new PropertyFailure("walk agrees with the reference walk", "va " + Long.toHexString(p.va())
                        + ": reference " + want + ", walker " + got);
            }
        }).describedBy(p -> String.format("va=%x", p.va())));
        return new StateMachine<>("stage-1 walk and TLB" + (has16k ? " (16K granule)" : ""), () -> {
            Model m = new Model();
            m.has16k = has16k;
            return m;
        }, Impl::new, actions, List.of(), m -> Map.of("tcr", Long.toHexString(m.tcr)),
                i -> Map.of("tcr", Long.toHexString(i.mmu.regs().tcr())), 60);
    }

    @Test
    void walksAndTlbAgreeWithTheReferenceWalk() {
        directHits = 0;
        Runner.Outcome o = Runner.assertHolds(machine(false), 1, 400);
        assertTrue(o.steps() > 400 * 10);
        assertTrue(directHits > 5, "accesses through direct TLB entries: " + directHits);
    }

    @Test
    void withTheSixteenKilobyteGranule() {
        Runner.assertHolds(machine(true), 10_000, 300);
    }

    /** The generators reach every fault kind and successful translations (the property is not vacuous). */
    @Test
    void generatedWorldsCoverEveryOutcome() {
        java.util.Set<Integer> kinds = new java.util.TreeSet<>();
        int deep = 0;
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int chain = 0; chain < 200; chain++) {
            Model m = new Model();
            for (int k = 0; k < 40; k++) {
                Write w = WRITE.sample(r);
                m.mem.put(w.address(), w.descriptor());
            }
            if (chain % 2 == 1) {
                Regs g = REGS.sample(r);
                m.tcr = g.tcr();
                m.ttbr0 = g.ttbr0();
                m.ttbr1 = g.ttbr1();
            }
            for (int k = 0; k < 200; k++) {
                Access a = ACCESS.sample(r);
                int f = expectedFault(m.walk(a.va()), a.el(), a.kind());
                kinds.add(f == -1 ? -1 : f & ~3);
                ReferenceWalk.Result rw = m.walk(guidedVa(m, r));
                if (rw.fsc() == -1 && rw.path().size() > 1) {
                    deep++;
                }
            }
        }
        assertTrue(deep > 1000, "successful walks through tables: " + deep);
        assertEquals(java.util.Set.of(-1, 0x00, 0x04, 0x08, 0x0C, 0x14), kinds);
    }

    @Test
    void fourKilobyteThreeLevelWalkByHand() {
        GuestMemory mem = new GuestMemory(RAM_SIZE);
        Mmu mmu = new Mmu(false);
        mmu.attach(mem);
        long l1 = TABLES, l2 = TABLES + 0x1000, l3 = TABLES + 0x2000;
        mem.write(l1 + 8 * 1, 8, l2 | 3); // VA 0x4000_0000 -> L2
        mem.write(l2 + 8 * 2, 8, l3 | 3); // + 0x40_0000 -> L3
        mem.write(l3 + 8 * 5, 8, 0x4123_4000L | 1L << 10 | 1 << 6 | 3); // + 0x5000 page, EL0 RW, AF
        mmu.configure(1, 25 | 5L << 32, l1, 0, 0);
        Translation t = mmu.walk(0x4040_5678L);
        assertTrue(t.ok());
        assertEquals(0x4123_4678L, t.pa);
        assertEquals(3, t.level);
        assertEquals(1, t.startLevel);
        assertEquals(3, t.descriptors.length);
        assertEquals(l3 + 8 * 5, t.descriptorAddresses[2]);
        // EL1 cannot execute EL0-writable memory; EL0 can.
        assertEquals(Walker.FSC_PERMISSION | 3, Walker.permissionFault(t, 1, Walker.EXEC));
        assertEquals(Walker.NO_FAULT, Walker.permissionFault(t, 0, Walker.EXEC));
        Translation miss = mmu.walk(0x4040_6000L);
        assertEquals(Walker.FSC_TRANSLATION | 3, miss.fault);
        assertNotNull(miss.descriptors);
    }

    @Test
    void tlbiByVaDropsTheRemappedPageAndFlushesEverythingWhenBlocksAreCached() {
        GuestMemory mem = new GuestMemory(RAM_SIZE);
        Mmu mmu = new Mmu(false);
        mmu.attach(mem);
        long l1 = TABLES, l2 = TABLES + 0x1000, l3 = TABLES + 0x2000;
        mem.write(l1 + 8, 8, l2 | 3);
        mem.write(l2, 8, l3 | 3);
        mem.write(l3, 8, 0x4100_0000L | 1L << 10 | 3);
        mem.write(l2 + 8, 8, 0x4200_0000L | 1L << 10 | 1); // a 2 MiB block at VA 0x4020_0000
        mmu.configure(1, 25 | 5L << 32, l1, 0, 0);
        assertEquals(0x4100_0010L, mmu.translate(0x4000_0010L, 1, Walker.READ));
        assertEquals(0x4000_0000L >>> 12, mmu.tlb(1).read[0x4000_0000 >>> 12 & Mmu.TLB_MASK]);
        mem.write(l3, 8, 0x4180_0000L | 1L << 10 | 3);
        mmu.flushVa(0x4000_0000L);
        assertEquals(Mmu.EMPTY, mmu.tlb(1).read[0x4000_0000 >>> 12 & Mmu.TLB_MASK]);
        assertEquals(0x4180_0010L, mmu.translate(0x4000_0010L, 1, Walker.READ));
        // A block fills one entry per 4 KiB page touched; TLBI by one VA must drop them all.
        assertEquals(0x4200_3000L, mmu.translate(0x4020_3000L, 1, Walker.READ));
        assertEquals(0x4200_5000L, mmu.translate(0x4020_5000L, 1, Walker.READ));
        mmu.flushVa(0x4020_3000L);
        assertEquals(Mmu.EMPTY, mmu.tlb(1).read[0x4020_5000 >>> 12 & Mmu.TLB_MASK]);
    }
}
