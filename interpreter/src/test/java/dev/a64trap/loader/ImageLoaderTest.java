package dev.a64trap.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.elf.ElfFile;
import dev.a64trap.mem.GuestMemory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boot-state expectations come from src/test/resources/boot/*.qemu.txt: what each probe printed
 * about itself when booted by qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M -kernel.
 */
public class ImageLoaderTest {
    private static final long RAM = GuestMemory.RAM_BASE;
    private static final OptionalLong NONE = OptionalLong.empty();
    private static final long MIB = 1 << 20;

    public static byte[] resource(String path) throws IOException {
        try (InputStream in = ImageLoaderTest.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return in.readAllBytes();
        }
    }

    /** Parses "name=0x..." lines recorded from QEMU. */
    public static Map<String, Long> qemuRecord(String probe) throws IOException {
        Map<String, Long> m = new HashMap<>();
        for (String line : new String(resource("boot/" + probe + ".qemu.txt"), StandardCharsets.US_ASCII).split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), Long.parseUnsignedLong(line.substring(eq + 3).trim(), 16));
            }
        }
        return m;
    }

    @Test
    void elfLoadsSegmentsAndZeroesBss() throws Exception {
        GuestMemory mem = new GuestMemory();
        mem.fill(0x40001000L, 0x100, (byte) 0xEE); // stale data where .bss goes
        byte[] bytes = resource("elf/hello.elf");
        LoadedImage img = ImageLoader.load(bytes, "hello.elf", mem, NONE);
        assertEquals(LoadedImage.Format.ELF, img.format());
        assertEquals(0x40000000L, img.entry());
        assertEquals(img.entry(), img.resetPc());
        assertFalse(img.linuxBoot());
        assertEquals(2, img.ranges().size());
        // readelf: LOAD 0x1000 -> 0x40000000 filesz 0x55; LOAD 0x2000 -> 0x40001000 filesz 0x30 memsz 0x38
        assertArrayEquals(Arrays.copyOfRange(bytes, 0x1000, 0x1055), mem.readBytes(0x40000000L, 0x55));
        assertArrayEquals(Arrays.copyOfRange(bytes, 0x2000, 0x2030), mem.readBytes(0x40001000L, 0x30));
        assertEquals(0, mem.read(0x40001030L, 8), ".bss zero-filled");
        assertEquals(0xEE, mem.read(0x40001038L, 1), "nothing written past memsz");
        assertEquals(0x40001038L, img.highAddress());
    }

    @Test
    void elfBootStateMatchesQemu() throws Exception {
        Map<String, Long> q = qemuRecord("probe.elf");
        GuestMemory mem = new GuestMemory(128L << 20);
        LoadedImage img = ImageLoader.load(resource("boot/probe.elf"), "probe.elf", mem, NONE);
        assertEquals(q.get("head"), img.resetPc());
        assertEquals(0, q.get("x0"));
        assertFalse(img.linuxBoot());
        // QEMU put its FDT (magic d00dfeed) at 0, in flash, because the image starts at the RAM base.
        assertEquals(0xedfe0dd0L, q.get("[0x0]") & 0xffffffffL);
        assertEquals(0, img.dtbAddress());
        assertTrue(ImageLoader.installDtb(mem, img, new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed}));
        assertEquals(q.get("[0x0]") & 0xffffffffL, mem.read(0, 4));
        assertEquals(q.get("[0x40000000]"), mem.read(RAM, 8));
    }

    @Test
    void elfAboveRamBaseGetsDtbAtRamBaseIfItFits() throws Exception {
        // Shift hello.elf's segments 64 KiB up: QEMU then puts the DTB at the RAM base, limited by the image.
        byte[] b = resource("elf/hello.elf");
        for (int ph = 0; ph < 2; ph++) {
            int at = 64 + ph * 56;
            putLong(b, at + 16, getLong(b, at + 16) + 0x10000);
            putLong(b, at + 24, getLong(b, at + 24) + 0x10000);
        }
        GuestMemory mem = new GuestMemory();
        LoadedImage img = ImageLoader.load(b, "shifted.elf", mem, NONE);
        assertEquals(RAM, img.dtbAddress());
        assertTrue(ImageLoader.installDtb(mem, img, new byte[0x10000]));
        assertFalse(ImageLoader.installDtb(mem, img, new byte[0x10001]));
    }

    @Test
    void linuxImageBootStateMatchesQemu() throws Exception {
        for (String probe : new String[] {"probe.Image", "probe80.Image", "probe.Image.gz"}) {
            Map<String, Long> q = qemuRecord(probe);
            GuestMemory mem = new GuestMemory(128L << 20);
            byte[] bytes = resource("boot/" + probe);
            LoadedImage img = ImageLoader.load(bytes, probe, mem, NONE);
            assertEquals(LoadedImage.Format.LINUX_IMAGE, img.format(), probe);
            assertTrue(img.linuxBoot());
            assertEquals(q.get("head"), img.entry(), probe + " load address");
            assertEquals(q.get("x4"), img.entry(), probe + " x4");
            assertEquals(q.get("x0"), img.dtbAddress(), probe + " DTB address in x0");
            assertEquals(RAM, img.resetPc());
            // The stub at the RAM base is QEMU's, word for word, and points at our DTB and entry.
            assertEquals(q.get("[0x40000000]"), mem.read(RAM, 8), probe + " stub");
            assertEquals(img.dtbAddress(), mem.read(RAM + 24, 8));
            assertEquals(img.entry(), mem.read(RAM + 32, 8));
            byte[] kernel = probe.endsWith(".gz") ? resource("boot/probe.Image") : bytes;
            assertArrayEquals(kernel, mem.readBytes(img.entry(), kernel.length));
        }
    }

    /** Headerless raw images and uImages, each as QEMU's -kernel booted the same probe. */
    @Test
    void rawAndUImageBootStateMatchesQemu() throws Exception {
        Map<String, LoadedImage.Format> kinds = Map.of("probe.raw", LoadedImage.Format.RAW,
                "probe.uimg", LoadedImage.Format.UIMAGE, "probe-gz.uimg", LoadedImage.Format.UIMAGE);
        for (var k : kinds.entrySet()) {
            String probe = k.getKey();
            Map<String, Long> q = qemuRecord(probe);
            GuestMemory mem = new GuestMemory(128L << 20);
            LoadedImage img = ImageLoader.load(resource("boot/" + probe), probe, mem, NONE);
            assertEquals(k.getValue(), img.format(), probe);
            assertTrue(img.linuxBoot(), probe);
            assertEquals(q.get("head"), img.entry(), probe + " load address");
            assertEquals(q.get("x0"), img.dtbAddress(), probe + " DTB address in x0");
            assertEquals(RAM, img.resetPc());
            assertEquals(q.get("[0x40000000]"), mem.read(RAM, 8), probe + " stub");
            byte[] raw = resource("boot/probe.raw");
            assertArrayEquals(raw, mem.readBytes(img.entry(), raw.length), probe + " payload");
        }
        assertEquals(0x4008_0000L, ImageLoader.load(resource("boot/probe.raw"), "r", new GuestMemory(), NONE).entry());
    }

    @Test
    void nonLinuxUImageJumpsToItsEntryWithTheDtbAtZero() throws Exception {
        Map<String, Long> q = qemuRecord("probe-bare.uimg");
        GuestMemory mem = new GuestMemory(128L << 20);
        LoadedImage img = ImageLoader.load(resource("boot/probe-bare.uimg"), "bare", mem, NONE);
        assertFalse(img.linuxBoot());
        assertEquals(q.get("head"), img.resetPc());
        assertEquals(0, img.dtbAddress());
        assertEquals(q.get("[0x40000000]"), mem.read(RAM, 8), "no stub");
    }

    @Test
    void uImageNoloadGoesPastItsHeaderAt32MiB() throws Exception {
        byte[] b = resource("boot/probe.uimg");
        b[30] = 14; // kernel_noload: ih_load ignored, ih_ep relative
        putBe32(b, 20, 0x40);
        LoadedImage img = ImageLoader.load(b, "noload", new GuestMemory(128L << 20), NONE);
        assertEquals(0x4200_0040L, img.ranges().get(1).start());
        assertEquals(0x4200_0080L, img.entry());
        assertEquals(0x4400_0000L, img.dtbAddress());
    }

    @Test
    void refusesUImagesQemuCannotBoot() throws Exception {
        byte[] ramdisk = resource("boot/probe.uimg");
        ramdisk[30] = 3;
        assertTrue(refused(ramdisk, new GuestMemory(), NONE).contains("type 3"));
        byte[] lzma = resource("boot/probe.uimg");
        lzma[31] = 3;
        assertTrue(refused(lzma, new GuestMemory(), NONE).contains("compression type 3"));
        byte[] cut = resource("boot/probe.uimg");
        assertTrue(refused(Arrays.copyOf(cut, cut.length - 1), new GuestMemory(), NONE).contains("truncated uImage"));
        byte[] low = resource("boot/probe.uimg");
        putBe32(low, 16, 0x4000_0010);
        assertTrue(refused(low, new GuestMemory(), NONE).contains("boot stub"));
        byte[] out = resource("boot/probe.uimg");
        putBe32(out, 16, 0x0900_0000);
        assertTrue(refused(out, new GuestMemory(), NONE).contains("outside RAM"));
    }

    @Test
    void firmwareGoesToFlashAndMustFitItsBank() throws Exception {
        GuestMemory mem = new GuestMemory();
        LoadedImage img = ImageLoader.loadFirmware(new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5}, "fw", mem);
        assertEquals(LoadedImage.Format.FIRMWARE, img.format());
        assertEquals(0, img.resetPc());
        assertEquals(RAM, img.dtbAddress());
        assertEquals(0xd503201f, mem.fetch(0));
        ImageLoadException e = assertThrows(ImageLoadException.class,
                () -> ImageLoader.loadFirmware(new byte[(int) (64 * MIB) + 1], "big", mem));
        assertTrue(e.getMessage().startsWith("big: firmware too large"), e.getMessage());
    }

    @Test
    void rawBinaryAtLoadAddress() throws Exception {
        GuestMemory mem = new GuestMemory();
        byte[] code = {0x1f, 0x20, 0x03, (byte) 0xd5}; // nop
        LoadedImage img = ImageLoader.load(code, "nop.bin", mem, OptionalLong.of(0x40100000L));
        assertEquals(LoadedImage.Format.RAW, img.format());
        assertEquals(0x40100000L, img.entry());
        assertEquals(0x40100000L, img.resetPc());
        assertEquals(-1, img.dtbAddress());
        assertEquals(0xd503201f, mem.fetch(0x40100000L));
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("hello.elf");
        Files.write(f, resource("elf/hello.elf"));
        assertEquals(0x40000000L, ImageLoader.load(f, new GuestMemory(), NONE).entry());
    }

    // ---- bad input: one ImageLoadException whose message names the file ----

    private static String refused(byte[] bytes, GuestMemory mem, OptionalLong at) {
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageLoader.load(bytes, "img", mem, at));
        assertTrue(e.getMessage().startsWith("img: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void refusesMissingFileAndEmptyFile(@TempDir Path dir) throws Exception {
        String m = assertThrows(ImageLoadException.class,
                () -> ImageLoader.load(dir.resolve("gone.elf"), new GuestMemory(), NONE)).getMessage();
        assertTrue(m.contains("gone.elf") && m.contains("no such file"), m);
        assertTrue(refused(new byte[0], new GuestMemory(), NONE).contains("empty"));
    }

    @Test
    void refusesTruncatedElf() throws Exception {
        byte[] b = resource("elf/hello.elf");
        for (int len : new int[] {4, 40, 64, 100, 0x1000, b.length - 1}) {
            refused(Arrays.copyOf(b, len), new GuestMemory(), NONE);
        }
    }

    @Test
    void anyOtherFileIsAHeaderlessRawImageAt0x40080000() throws Exception {
        byte[] text = "just some text, long enough to pass the magic offset of an Image header\n".getBytes(StandardCharsets.US_ASCII);
        GuestMemory mem = new GuestMemory();
        LoadedImage img = ImageLoader.load(text, "text", mem, NONE);
        assertEquals(LoadedImage.Format.RAW, img.format());
        assertEquals(0x4008_0000L, img.entry());
        assertArrayEquals(text, mem.readBytes(0x4008_0000L, text.length));
        // A raw image too big for the room below the DTB area pushes the DTB past its end, 2 MiB aligned.
        LoadedImage big = ImageLoader.load(new byte[(int) (65 * MIB)], "big", new GuestMemory(128 * MIB), NONE);
        assertEquals(0x4000_0000L + 0x80000 + 65 * MIB, big.highAddress());
        assertEquals(0x4000_0000L + 66 * MIB, big.dtbAddress());
        assertTrue(refused(new byte[(int) (127 * MIB)], new GuestMemory(128 * MIB), NONE).contains("not enough space for the DTB"));
    }

    @Test
    void refusesWrongArchitectureAndRelocatable() throws Exception {
        byte[] b = resource("elf/hello.elf");
        b[18] = 62;
        assertTrue(refused(b, new GuestMemory(), NONE).contains("wrong machine 62"));
        assertTrue(refused(resource("elf/hello.o"), new GuestMemory(), NONE).contains("relocatable"));
    }

    @Test
    void refusesOverlappingSegments() throws Exception {
        byte[] b = resource("elf/hello.elf");
        putLong(b, 64 + 56 + 24, 0x40000040L); // segment 1 paddr inside segment 0
        String m = refused(b, new GuestMemory(), NONE);
        assertTrue(m.contains("segments 0 and 1 overlap"), m);
    }

    @Test
    void refusesSegmentOutsideRam() throws Exception {
        byte[] b = resource("elf/hello.elf");
        putLong(b, 64 + 56 + 24, 0x0900_0000L);
        assertTrue(refused(b, new GuestMemory(), NONE).contains("segment 1 (0x9000000-0x9000037) is outside RAM"));
        // Huge bss: memsz beyond RAM is refused without allocating anything.
        byte[] c = resource("elf/hello.elf");
        putLong(c, 64 + 56 + 40, 1L << 40);
        assertTrue(refused(c, new GuestMemory(), NONE).contains("outside RAM"));
    }

    @Test
    void refusesLoadAddressOutsideRamAndElfWithLoadAddress() throws Exception {
        byte[] code = new byte[16];
        assertTrue(refused(code, new GuestMemory(), OptionalLong.of(0)).contains("outside RAM"));
        assertTrue(refused(code, new GuestMemory(1 << 20), OptionalLong.of(RAM + (1 << 20) - 8)).contains("outside RAM"));
        assertTrue(refused(resource("elf/hello.elf"), new GuestMemory(), OptionalLong.of(RAM)).contains("raw binaries only"));
    }

    @Test
    void refusesImagesLargerThanRam(@TempDir Path dir) throws Exception {
        GuestMemory small = new GuestMemory(1 << 20);
        assertTrue(refused(new byte[(1 << 20) + 1], small, OptionalLong.of(RAM)).contains("too large"));
        // An Image header claiming 1 TiB is refused from the header alone.
        byte[] img = resource("boot/probe.Image");
        putLong(img, 16, 1L << 40);
        assertTrue(refused(img, new GuestMemory(), NONE).contains("too large"));
        // A text_offset far beyond RAM.
        byte[] far = resource("boot/probe.Image");
        putLong(far, 8, 1L << 40);
        assertTrue(refused(far, new GuestMemory(), NONE).contains("does not fit in RAM"));
        // From a file, the size is checked before the file is read.
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[(1 << 20) + 16]);
        String m = assertThrows(ImageLoadException.class, () -> ImageLoader.load(big, small, OptionalLong.of(RAM))).getMessage();
        assertTrue(m.contains("big.bin") && m.contains("too large"), m);
    }

    @Test
    void refusesCorruptGzip() throws Exception {
        byte[] gz = resource("boot/probe.Image.gz");
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        assertTrue(refused(cut, new GuestMemory(), NONE).contains("gzip"));
    }

    @Test
    void elfReaderMessagesPassThrough() throws Exception {
        byte[] b = resource("elf/hello.elf");
        b[4] = 1;
        assertTrue(refused(b, new GuestMemory(), NONE).contains("32-bit"));
        assertTrue(ElfFile.hasElfMagic(b));
    }

    @Test
    void randomCorruptionsOnlyRaiseImageLoadException() throws Exception {
        int rounds = Integer.getInteger("elf.fuzz.rounds", 2000);
        String[] files = {"elf/hello.elf", "boot/probe.Image", "boot/probe.Image.gz", "boot/probe-gz.uimg"};
        Random random = new Random(0x10AD);
        int loaded = 0;
        int refused = 0;
        GuestMemory mem = new GuestMemory(1L << 20); // small RAM: sizes and addresses hit its limits
        for (int round = 0; round < rounds; round++) {
            byte[] b = resource(files[round % files.length]);
            int hits = 1 + random.nextInt(6);
            for (int h = 0; h < hits; h++) {
                int pos = random.nextInt(4) == 0 ? random.nextInt(b.length) : random.nextInt(Math.min(b.length, 64 + 3 * 56));
                b[pos] = (byte) random.nextInt(256);
            }
            OptionalLong at = random.nextInt(10) == 0 ? OptionalLong.of(RAM + random.nextInt(1 << 21)) : NONE;
            try {
                ImageLoader.load(b, "fuzz", mem, at);
                loaded++;
            } catch (ImageLoadException e) {
                assertTrue(e.getMessage().startsWith("fuzz: "), e.getMessage());
                refused++;
            }
        }
        assertTrue(loaded > 0 && refused > 0, loaded + " loaded, " + refused + " refused");
    }

    static void putBe32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (24 - 8 * i));
        }
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
