package dev.a64trap.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    private static final long RAM = GuestMemory.RAM_BASE;

    @Test
    void littleEndianAccessesOfEverySize() {
        GuestMemory m = new GuestMemory();
        m.write(RAM, 8, 0x1122_3344_5566_7788L);
        assertEquals(0x88, m.read(RAM, 1));
        assertEquals(0x7788, m.read(RAM, 2));
        assertEquals(0x5566_7788L, m.read(RAM, 4));
        assertEquals(0x1122_3344_5566_7788L, m.read(RAM, 8));
        assertEquals(0x3344_5566L, m.read(RAM + 2, 4));
        assertEquals(0x5566_7788, m.fetch(RAM));
        m.write(RAM + 1, 1, 0xAB);
        assertEquals(0x1122_3344_5566_AB88L, m.read(RAM, 8));
        // Reads are zero-extended, writes truncate.
        m.write(RAM + 16, 4, 0xFFFF_FFFF_8000_0001L);
        assertEquals(0x8000_0001L, m.read(RAM + 16, 4));
        assertEquals(0, m.read(RAM + 20, 4));
        m.write(RAM + 24, 2, -1);
        assertEquals(0xFFFF, m.read(RAM + 24, 2));
    }

    @Test
    void accessesCrossingAPageBoundary() {
        GuestMemory m = new GuestMemory();
        long edge = RAM + GuestMemory.PAGE_SIZE;
        for (int size : new int[] {2, 4, 8}) {
            for (int back = 1; back < size; back++) {
                long a = edge - back;
                long v = 0x0102_0304_0506_0708L * (back + size);
                long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
                m.write(a, size, v);
                assertEquals(v & mask, m.read(a, size), "size " + size + " back " + back);
                // Byte view agrees with little-endian order.
                for (int i = 0; i < size; i++) {
                    assertEquals((v >>> (8 * i)) & 0xff, m.read(a + i, 1));
                }
            }
        }
        m.write(edge - 2, 4, 0xCAFEBABEL);
        assertEquals(0xCAFEBABE, m.fetch(edge - 2));
    }

    @Test
    void matchesAReferenceByteArrayUnderRandomAccesses() {
        // Two small pages' worth of RAM exercised against a plain little-endian model.
        GuestMemory m = new GuestMemory(4 * GuestMemory.PAGE_SIZE);
        byte[] model = new byte[4 * GuestMemory.PAGE_SIZE];
        Random r = new Random(42);
        int[] sizes = {1, 2, 4, 8};
        for (int i = 0; i < 200_000; i++) {
            int size = sizes[r.nextInt(4)];
            // Concentrate around the page boundaries to hit the slow path often.
            int off = r.nextBoolean() ? r.nextInt(model.length - 8)
                    : (1 + r.nextInt(3)) * GuestMemory.PAGE_SIZE - 1 - r.nextInt(8);
            if (r.nextBoolean()) {
                long v = r.nextLong();
                m.write(RAM + off, size, v);
                for (int b = 0; b < size; b++) {
                    model[off + b] = (byte) (v >>> (8 * b));
                }
            } else {
                long expect = 0;
                for (int b = size - 1; b >= 0; b--) {
                    expect = expect << 8 | (model[off + b] & 0xff);
                }
                assertEquals(expect, m.read(RAM + off, size), "offset " + off + " size " + size);
            }
        }
        assertArrayEquals(model, m.readBytes(RAM, model.length));
    }

    @Test
    void pagesAreAllocatedOnFirstWriteOnly() {
        GuestMemory m = new GuestMemory(4L << 30);
        assertEquals(4L << 30, m.ramSize());
        assertEquals(0, m.ramAllocated());
        assertEquals(0, m.read(RAM + (3L << 30), 8));
        assertEquals(0, m.fetch(RAM + (4L << 30) - 4));
        assertEquals(0, m.ramAllocated());
        m.write(RAM + (3L << 30), 8, 5);
        assertEquals(GuestMemory.PAGE_SIZE, m.ramAllocated());
        assertEquals(5, m.read(RAM + (3L << 30), 8));
        // A read of an untouched page between writes must not see another page's data.
        assertEquals(0, m.read(RAM + (2L << 30), 8));
        assertEquals(5, m.read(RAM + (3L << 30), 8));
        m.fill(RAM, 1L << 30, (byte) 0); // zero-fill of untouched RAM allocates nothing
        assertEquals(GuestMemory.PAGE_SIZE, m.ramAllocated());
    }

    @Test
    void unmappedAddressesFault() {
        GuestMemory m = new GuestMemory(1L << 20);
        long[] holes = {0x0800_0000L, 0x0900_0000L, 0x3FFF_FFFFL, RAM + (1L << 20), -8L, 0x1_0000_0000_0000L};
        for (long a : holes) {
            BusFault r = assertThrows(BusFault.class, () -> m.read(a, 4));
            assertEquals(a, r.address());
            assertFalse(r.isWrite());
            BusFault w = assertThrows(BusFault.class, () -> m.write(a, 8, 1));
            assertTrue(w.isWrite());
            assertThrows(BusFault.class, () -> m.fetch(a));
        }
        // Straddling the end of RAM faults rather than wrapping or truncating.
        assertThrows(BusFault.class, () -> m.read(RAM + (1L << 20) - 4, 8));
        assertThrows(BusFault.class, () -> m.write(RAM + (1L << 20) - 1, 2, 0));
        assertEquals(0, m.read(RAM + (1L << 20) - 8, 8));
    }

    @Test
    void flashReadsZeroIgnoresGuestWritesButAcceptsLoads() {
        GuestMemory m = new GuestMemory();
        assertEquals(0, m.read(0, 8));
        assertEquals(0, m.read(GuestMemory.FLASH_SIZE - 8, 8));
        assertEquals(0, m.fetch(0x100));
        m.write(0x100, 4, 0x1234);
        assertEquals(0, m.read(0x100, 4));
        m.load(0x200, new byte[] {1, 2, 3, 4});
        assertEquals(0x04030201, m.fetch(0x200));
        assertThrows(BusFault.class, () -> m.read(GuestMemory.FLASH_SIZE, 1));
    }

    @Test
    void bulkLoadReadAndFillAcrossPages() {
        GuestMemory m = new GuestMemory();
        byte[] data = new byte[3 * GuestMemory.PAGE_SIZE + 17];
        new Random(7).nextBytes(data);
        long at = RAM + GuestMemory.PAGE_SIZE - 5;
        m.load(at, data);
        assertArrayEquals(data, m.readBytes(at, data.length));
        assertEquals(data[100] & 0xff, m.read(at + 100, 1));
        m.fill(at + 10, GuestMemory.PAGE_SIZE, (byte) 0);
        byte[] back = m.readBytes(at, data.length);
        for (int i = 0; i < data.length; i++) {
            byte expect = i >= 10 && i < 10 + GuestMemory.PAGE_SIZE ? 0 : data[i];
            assertEquals(expect, back[i], "byte " + i);
        }
        m.fill(at, 3, (byte) 0x5A);
        assertEquals(0x5A5A5A, m.read(at, 4) & 0xFFFFFF);
    }

    @Test
    void bulkAccessOutsideRamOrFlashFaultsAndWritesNothing() {
        GuestMemory m = new GuestMemory(1L << 20);
        long end = RAM + (1L << 20);
        BusFault f = assertThrows(BusFault.class, () -> m.load(end - 2, new byte[] {1, 2, 3, 4}));
        assertEquals(end, f.address());
        assertEquals(0, m.read(end - 2, 2));
        assertThrows(BusFault.class, () -> m.readBytes(0x0900_0000L, 4));
        assertThrows(BusFault.class, () -> m.readBytes(end - 1, 2));
        assertEquals(0, m.readBytes(end, 0).length);
    }

    @Test
    void cachesSeeFreshlyAllocatedPages() {
        GuestMemory m = new GuestMemory();
        long a = RAM + 5 * GuestMemory.PAGE_SIZE + 8;
        assertEquals(0, m.read(a, 8)); // read cache now holds the shared zero page
        assertEquals(0, m.fetch(a)); // so does the fetch cache
        m.write(a, 8, 0x1122334455667788L); // allocates the page
        assertEquals(0x1122334455667788L, m.read(a, 8));
        assertEquals(0x55667788, m.fetch(a));
    }

    @Test
    void watchedGranulesReportEveryKindOfWrite() {
        GuestMemory m = new GuestMemory();
        List<Long> seen = new ArrayList<>();
        m.setWriteWatcher(seen::add);
        long code = RAM + 0x1000;
        m.write(code + 0x100, 4, 1); // before watching: nothing reported, and the page is write-cached
        m.watch(code + 0x123);
        assertTrue(m.isWatched(code));
        assertFalse(m.isWatched(code + 0x1000));
        m.write(code + 0x100, 4, 2); // the cached page must not bypass the watch
        m.write(code + 0x1000, 8, 3); // next granule, same 64 KiB page: not reported
        m.write(code - 2, 4, 4); // straddles into the watched granule
        m.load(code + 0xff0, new byte[0x20]); // bulk write over two granules, one watched
        m.fill(code, 4, (byte) 0);
        assertEquals(List.of(code, code, code, code), seen);
        assertEquals(2, m.read(code + 0x100, 4)); // data was still written
        m.unwatch(code);
        m.write(code + 0x100, 4, 5);
        assertEquals(4, seen.size());
        assertEquals(5, m.read(code + 0x100, 4));
        m.watch(0x0900_0000L); // outside RAM: ignored
        assertFalse(m.isWatched(0x0900_0000L));
    }

    @Test
    void watchedLinesReportOnlyWritesOverThem() {
        GuestMemory m = new GuestMemory();
        List<Long> seen = new ArrayList<>();
        m.setWriteWatcher(new GuestMemory.WriteWatcher() {
            @Override
            public void written(long granuleBase) {
                throw new AssertionError("the three-argument form is called");
            }

            @Override
            public void written(long granuleBase, long address, long length) {
                seen.add(address);
                seen.add(length);
            }
        });
        long code = RAM + 0x3000;
        m.write(code + 0x100, 8, 1); // the page is now write-cached
        m.watch(code + 0x44, 8); // line 1 only
        assertEquals(0b10, m.watchedLines(code));
        assertTrue(m.isWatched(code));
        m.write(code + 0x80, 8, 2); // same granule, line 2
        m.write(code + 0x38, 8, 3); // line 0, ends where line 1 starts
        m.write(code + 0x100, 8, 4);
        assertEquals(List.of(), seen, "writes beside the watched line are not reported");
        m.write(code + 0x7C, 4, 5); // line 1, its last word
        m.write(code + 0x3E, 4, 6); // unaligned, straddles lines 0 and 1
        m.load(code + 0x10, new byte[0x40]); // bulk, ends in line 1
        m.fill(code + 0x80, 0x40, (byte) 0); // bulk over line 2: not reported
        assertEquals(List.of(code + 0x7C, 4L, code + 0x3E, 4L, code + 0x10, 0x40L), seen);
        assertEquals(4, m.read(code + 0x100, 8), "unreported writes land all the same");
        m.watch(code + 0xFC0, 0x80); // the granule's last line and the next granule's first
        assertEquals(0b10 | 1L << 63, m.watchedLines(code));
        assertEquals(1, m.watchedLines(code + 0x1000));
        m.setWatchedLines(code, 0);
        assertFalse(m.isWatched(code));
        m.write(code + 0x7C, 4, 7);
        assertEquals(6, seen.size());
        assertEquals(0b111L << 2, GuestMemory.lineMask(code + 0x80, 0xC0));
        assertEquals(-1L, GuestMemory.lineMask(code, 0x1000));
    }

    /** Records accesses; reads return offset-derived values. */
    static final class Probe implements MmioDevice {
        final List<String> log = new ArrayList<>();

        @Override
        public long read(long offset, int size) {
            log.add("r" + size + "@" + offset);
            return 0xA0A1_A2A3_A4A5_A6A7L + offset;
        }

        @Override
        public void write(long offset, int size, long value) {
            log.add("w" + size + "@" + offset + "=" + Long.toHexString(value));
        }
    }

    @Test
    void mmioDispatchWithOffsetsAndSizeMasking() {
        GuestMemory m = new GuestMemory();
        Probe p = new Probe();
        m.map(0x0900_0000L, 0x1000, p);
        assertEquals(0xA6A7L + 4 & 0xffff, m.read(0x0900_0004L, 2));
        assertEquals(0xA4A5_A6A7L + 0x18, m.read(0x0900_0018L, 4));
        m.write(0x0900_0000L, 1, 0x41);
        assertEquals(List.of("r2@4", "r4@24", "w1@0=41"), p.log);
        assertThrows(BusFault.class, () -> m.fetch(0x0900_0000L));
        assertThrows(BusFault.class, () -> m.read(0x0900_0FFCL, 8)); // straddles the device end
        assertThrows(BusFault.class, () -> m.read(0x0900_1000L, 4));
    }

    @Test
    void overlappingMappingsAreRefused() {
        GuestMemory m = new GuestMemory();
        m.map(0x0900_0000L, 0x1000, new Probe());
        assertThrows(IllegalArgumentException.class, () -> m.map(0x0900_0800L, 0x1000, new Probe()));
        assertThrows(IllegalArgumentException.class, () -> m.map(RAM - 0x1000, 0x2000, new Probe()));
        assertThrows(IllegalArgumentException.class, () -> m.map(0x100, 0x10, new Probe()));
        m.map(0x0900_1000L, 0x1000, new Probe()); // adjacent is fine
    }

    @Test
    void ramSizeIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new GuestMemory(0));
        assertThrows(IllegalArgumentException.class, () -> new GuestMemory(1000));
        assertThrows(IllegalArgumentException.class, () -> new GuestMemory(GuestMemory.MAX_RAM_SIZE * 2));
        assertTrue(new GuestMemory().isRam(RAM, GuestMemory.DEFAULT_RAM_SIZE));
        assertFalse(new GuestMemory().isRam(RAM, GuestMemory.DEFAULT_RAM_SIZE + 1));
    }
}
