package dev.a64trap.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.loader.ImageLoader;
import dev.a64trap.loader.ImageLoaderTest;
import dev.a64trap.loader.LoadedImage;
import dev.a64trap.mem.GuestMemory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the calls of src/test/resources/semihosting/semi.c and compares every answer with
 * what QEMU 7.2 gave that probe (semi.elf.qemu-*.txt: stdin "xyzQ", -append "a  b c").
 */
class SemihostingTest {
    private static final long BLOCK = 0x4001_0000L;
    private static final long STR = 0x4002_0000L;
    private static final long BUF = 0x4003_0000L;

    private GuestMemory mem;
    private ByteArrayOutputStream console;
    private ByteArrayOutputStream stdout;
    private ByteArrayOutputStream stderr;
    private long[] now;
    private Semihosting semi;

    @BeforeEach
    void setUp() {
        mem = new GuestMemory();
        console = new ByteArrayOutputStream();
        stdout = new ByteArrayOutputStream();
        stderr = new ByteArrayOutputStream();
        now = new long[] {0};
        semi = Semihosting.builder(mem, () -> now[0]).console(console).stdout(stdout).stderr(stderr)
                .stdin(new ByteArrayInputStream("xyzQ".getBytes(StandardCharsets.US_ASCII)))
                .commandLine(Semihosting.qemuCommandLine("semi.elf", "a  b c"))
                .heap(0x4000_3918L, 0x4800_0000L).build();
    }

    private long block(long... args) {
        for (int i = 0; i < args.length; i++) {
            mem.write(BLOCK + 8L * i, 8, args[i]);
        }
        return BLOCK;
    }

    private long str(String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
        mem.load(STR, b);
        return STR;
    }

    static Map<String, Long> qemu() throws Exception {
        Map<String, Long> m = new HashMap<>();
        String text = new String(ImageLoaderTest.resource("semihosting/semi.elf.qemu-stderr.txt"), StandardCharsets.US_ASCII);
        for (String line : text.split("\\R")) {
            int eq = line.indexOf("=0x");
            if (eq > 0) {
                m.put(line.substring(0, eq), Long.parseUnsignedLong(line.substring(eq + 3).trim(), 16));
            }
        }
        return m;
    }

    @Test
    void answersAsQemuDid() throws Exception {
        Map<String, Long> q = qemu();
        Map<String, Long> us = new HashMap<>();
        us.put("open_r", semi.call(1, block(str(":tt"), 0, 3)));
        long fo = semi.call(1, block(str(":tt"), 4, 3));
        us.put("open_w", fo);
        long fa = semi.call(1, block(str(":tt"), 8, 3));
        us.put("open_a", fa);
        us.put("open_mode12", semi.call(1, block(str(":tt"), 12, 3)));
        us.put("errno_after_mode12", semi.call(0x13, 0));
        us.put("open_missing", semi.call(1, block(str("/nonexistent/x"), 0, 14)));
        us.put("errno_after_missing", semi.call(0x13, 0));
        long ff = semi.call(1, block(str(":semihosting-features"), 0, 21));
        us.put("open_features", ff);
        mem.write(BUF, 8, 0);
        us.put("read_features_left", semi.call(6, block(ff, BUF, 8)));
        us.put("features", mem.read(BUF, 8));
        us.put("istty_w", semi.call(9, block(fo)));
        us.put("istty_99", semi.call(9, block(99)));
        us.put("errno_after_istty99", semi.call(0x13, 0));
        mem.load(BUF, "to-tt-w\n".getBytes(StandardCharsets.US_ASCII));
        us.put("write_w_left", semi.call(5, block(fo, BUF, 8)));
        mem.load(BUF, "to-tt-a\n".getBytes(StandardCharsets.US_ASCII));
        us.put("write_a_left", semi.call(5, block(fa, BUF, 8)));
        us.put("write_bad_left", semi.call(5, block(77, BUF, 1)));
        us.put("errno_after_bad_write", semi.call(0x13, 0));
        us.put("close_w", semi.call(2, block(fo)));
        us.put("close_again", semi.call(2, block(fo)));
        us.put("errno_after_close_again", semi.call(0x13, 0));
        mem.write(BUF, 1, 'C');
        us.put("writec_ret", semi.call(3, BUF));
        us.put("write0_ret", semi.call(4, str("W0\n")));
        us.put("cmdline_ret", semi.call(0x15, block(BUF, 256)));
        us.put("cmdline_len", mem.read(BLOCK + 8, 8));
        String cmd = new String(mem.readBytes(BUF, (int) (long) us.get("cmdline_len")), StandardCharsets.US_ASCII);
        us.put("cmdline_small_ret", semi.call(0x15, block(BUF, 2)));
        us.put("errno_after_small", semi.call(0x13, 0));
        long h = 0x4004_0000L;
        us.put("heapinfo_ret", semi.call(0x16, block(h)));
        us.put("heap_base", mem.read(h, 8));
        us.put("heap_limit", mem.read(h + 8, 8));
        us.put("stack_base", mem.read(h + 16, 8));
        us.put("stack_limit", mem.read(h + 24, 8));
        mem.write(BUF, 8, 0);
        us.put("read_tt_left", semi.call(6, block(1, BUF, 4)));
        us.put("read_tt_bytes", mem.read(BUF, 8));
        us.put("read_tt_eof_left", semi.call(6, block(1, BUF, 8)));
        us.put("tickfreq", semi.call(0x31, 0));
        us.put("iserror_neg", semi.call(8, block(-5)));

        for (Map.Entry<String, Long> e : q.entrySet()) {
            assertEquals(e.getValue(), us.get(e.getKey()), e.getKey());
        }
        assertEquals(q.keySet(), us.keySet());
        String qemuText = new String(ImageLoaderTest.resource("semihosting/semi.elf.qemu-stderr.txt"), StandardCharsets.US_ASCII);
        assertEquals(true, qemuText.contains("cmdline=[" + cmd + "]"), cmd);
        // Routing: ":tt" w -> stdout, a -> stderr, WRITEC/WRITE0 -> console, in QEMU's order.
        assertEquals(new String(ImageLoaderTest.resource("semihosting/semi.elf.qemu-stdout.txt"), StandardCharsets.US_ASCII),
                stdout.toString(StandardCharsets.US_ASCII));
        assertEquals("to-tt-a\n", stderr.toString(StandardCharsets.US_ASCII));
        assertEquals("CW0\n", console.toString(StandardCharsets.US_ASCII));
        assertEquals(qemuText.substring(0, "to-tt-a\nCW0\n".length()), stderr.toString(StandardCharsets.US_ASCII) + console);
    }

    @Test
    void exitMappingMatchesQemu() {
        // The probe exited with {0x20026, 0x1234}; QEMU's process status was 52 (0x34).
        GuestExit e = assertThrows(GuestExit.class, () -> semi.call(0x20, block(0x20026, 0x1234)));
        assertEquals(52, e.status());
        assertEquals(0x1234, e.code());
        // SYS_EXIT on A64 takes the same block.
        assertEquals(3, assertThrows(GuestExit.class, () -> semi.call(0x18, block(0x20026, 3))).status());
        // Any other reason is a failure: status 1.
        assertEquals(1, assertThrows(GuestExit.class, () -> semi.call(0x18, block(0x20023, 0))).status());
        // Negative subcodes keep their low 8 bits, like exit(-1) = 255.
        assertEquals(255, assertThrows(GuestExit.class, () -> semi.call(0x20, block(0x20026, -1))).status());
    }

    @Test
    void badParameterBlockFaultsWithEfault() {
        assertEquals(-1, semi.call(0x20, 0x0900_0000L)); // unmapped: no exit, EFAULT
        assertEquals(Semihosting.EFAULT, semi.call(0x13, 0));
        assertEquals(-1, semi.call(5, 0x7000_0000_0000L));
        assertEquals(Semihosting.EFAULT, semi.errno());
    }

    @Test
    void timeComesFromTheGuestClock() {
        assertEquals(Semihosting.EPOCH, semi.call(0x11, 0));
        assertEquals(0, semi.call(0x10, 0));
        now[0] = 2_500_000_000L;
        assertEquals(Semihosting.EPOCH + 2, semi.call(0x11, 0));
        assertEquals(250, semi.call(0x10, 0));
        assertEquals(0, semi.call(0x30, block(0)));
        assertEquals(2_500_000_000L, mem.read(BLOCK, 8));
    }

    @Test
    void unknownOperationEndsTheRun() {
        GuestExit e = assertThrows(GuestExit.class, () -> semi.call(0x99, 0));
        assertEquals(1, e.status());
        assertEquals("unsupported semihosting call 0x99", e.reason());
        assertNull(Semihosting.opName(0x99));
        assertEquals("SYS_WRITE0", Semihosting.opName(4));
    }

    @Test
    void readcAndLowestFreeHandle() {
        assertEquals('x', semi.call(7, 0));
        long a = semi.call(1, block(str(":tt"), 4, 3));
        long b = semi.call(1, block(str(":tt"), 4, 3));
        assertEquals(List.of(1L, 2L), List.of(a, b));
        semi.call(2, block(a));
        assertEquals(1, semi.call(1, block(str(":tt"), 0, 3)));
    }

    @Test
    void hostFilesOnlyWhenEnabled(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("in.txt");
        Files.writeString(f, "hello file");
        assertEquals(-1, semi.call(1, block(str(f.toString()), 0, f.toString().length())));
        assertEquals(Semihosting.ENOENT, semi.errno());

        Semihosting files = Semihosting.builder(mem, () -> 0).hostFiles(true).build();
        long fd = files.call(1, block(str(f.toString()), 1, f.toString().length()));
        assertEquals(1, fd);
        assertEquals(10, files.call(0x0c, block(fd)));
        assertEquals(0, files.call(0x0a, block(fd, 6)));
        assertEquals(6, files.call(6, block(fd, BUF, 10)), "4 of 10 read");
        assertArrayEquals("file".getBytes(), mem.readBytes(BUF, 4));
        assertEquals(0, files.call(2, block(fd)));
        Path out = dir.resolve("out.txt");
        long wfd = files.call(1, block(str(out.toString()), 4, out.toString().length()));
        mem.load(BUF, "written".getBytes());
        assertEquals(0, files.call(5, block(wfd, BUF, 7)));
        files.call(2, block(wfd));
        assertEquals("written", Files.readString(out));
    }

    @Test
    void aRootConfinesOpenToOneDirectory(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.writeString(root.resolve("in.txt"), "inside");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(root.resolve("escape"), secret);
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("created-outside.txt"));
        Files.createSymbolicLink(root.resolve("up"), dir);
        Semihosting confined = Semihosting.builder(mem, () -> 0).hostRoot(root).build();

        for (String name : List.of("in.txt", root.resolve("in.txt").toString(), "./in.txt")) {
            long fd = confined.call(1, block(str(name), 0, name.length()));
            assertTrue(fd > 0, name);
            assertEquals(6, confined.call(0x0c, block(fd)), name);
            assertEquals(0, confined.call(2, block(fd)));
        }
        String[] outside = {"../secret.txt", secret.toString(), "escape", "up/secret.txt", "/etc/passwd"};
        for (String name : outside) {
            assertEquals(-1, confined.call(1, block(str(name), 0, name.length())), name);
            assertEquals(Semihosting.EACCES, confined.errno(), name);
        }
        for (String name : List.of("dangling", "../new.txt", "up/new.txt")) {
            assertEquals(-1, confined.call(1, block(str(name), 4, name.length())), name);
            assertEquals(Semihosting.EACCES, confined.errno(), name);
        }
        assertFalse(Files.exists(dir.resolve("created-outside.txt")));
        assertFalse(Files.exists(dir.resolve("new.txt")));
        assertEquals("outside", Files.readString(secret));

        long wfd = confined.call(1, block(str("out.txt"), 4, 7));
        assertTrue(wfd > 0);
        confined.call(2, block(wfd));
        assertTrue(Files.exists(root.resolve("out.txt")), "relative names are taken from the root");
        assertThrows(IllegalArgumentException.class,
                () -> Semihosting.builder(mem, () -> 0).hostRoot(dir.resolve("missing")));
    }

    @Test
    void qemuCommandLineAndHeapGap() {
        assertEquals("img.elf", Semihosting.qemuCommandLine("img.elf", null));
        assertEquals("img.elf", Semihosting.qemuCommandLine("img.elf", ""));
        assertEquals("k 10 x", Semihosting.qemuCommandLine("k", " 10   x"));
        // The probe's ELF occupies 0x40000000..0x40003918 of 128 MiB: QEMU answered that gap.
        long[] gap = Semihosting.largestGap(GuestMemory.RAM_BASE, 128L << 20,
                List.of(new Semihosting.Span(0x4000_0000L, 0x4000_3918L)));
        assertArrayEquals(new long[] {0x4000_3918L, 0x4800_0000L}, gap);
        // A Linux boot: stub at the base, kernel at +2 MiB, DTB at 0x44000000 (1 MiB): the largest gap wins.
        long[] linux = Semihosting.largestGap(GuestMemory.RAM_BASE, 128L << 20, List.of(
                new Semihosting.Span(0x4000_0000L, 0x4000_0028L),
                new Semihosting.Span(0x4020_0000L, 0x4020_1000L),
                new Semihosting.Span(0x4400_0000L, 0x4410_0000L)));
        assertArrayEquals(new long[] {0x4410_0000L, 0x4800_0000L}, linux);
    }

    @Test
    void imageRangesFeedTheHeap() throws Exception {
        GuestMemory m = new GuestMemory();
        LoadedImage img = ImageLoader.load(ImageLoaderTest.resource("semihosting/semi.elf"), "semi.elf", m, OptionalLong.empty());
        long[] gap = Semihosting.largestGap(GuestMemory.RAM_BASE, m.ramSize(),
                img.ranges().stream().map(r -> new Semihosting.Span(r.start(), r.end())).toList());
        Map<String, Long> q = qemu();
        assertEquals(q.get("heap_base"), gap[0]);
        assertEquals(q.get("heap_limit"), gap[1]);
    }
}
