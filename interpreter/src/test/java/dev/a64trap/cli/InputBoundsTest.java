package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input files are read once and with a bound: an endless device, a FIFO, a file too large for RAM
 * or for one Java array, a RAM the heap cannot back: each one line and exit 2, never a hang or an
 * OutOfMemoryError.
 */
class InputBoundsTest {
    @TempDir
    Path tmp;

    private static void assertOneLineUsage(RunCommandTest.Result r, String expected) {
        MessagesTest.assertOneLine(r, expected);
    }

    @Test
    @Timeout(120)
    void endlessImageIsReadOnlyUpToTheRamSize() {
        assertOneLineUsage(RunCommandTest.run("--load-addr", "0x40000000", "/dev/zero"),
                "/dev/zero: too large (over 134217728 bytes): a raw or Image file with this --memory may have at most 134217728 bytes");
    }

    @Test
    @Timeout(120)
    void endlessHostAndTraceFilesAreRefused() {
        Path hello = RunCommandTest.GUESTS.resolve("prebuilt/hello.elf");
        assertOneLineUsage(RunCommandTest.run("--sched", "trace:/dev/zero", hello.toString()), "longer than");
        Path link = tmp.resolve("zero.json");
        try {
            Files.createSymbolicLink(link, Path.of("/dev/zero"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertOneLineUsage(RunCommandTest.run("--host", link.toString(), hello.toString()), "longer than");
    }

    @Test
    void regularFileTooLargeForRamIsRefusedBeforeReading() throws IOException {
        Path big = tmp.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((128L << 20) + 4096); // sparse: no disk used
        }
        assertOneLineUsage(RunCommandTest.run("--load-addr", "0x40000000", big.toString()),
                "too large (134221824 bytes)");
    }

    @Test
    void rawImageOver2GiBSaysSo() throws IOException {
        Path big = tmp.resolve("huge.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((2L << 30) + 4096);
        }
        assertOneLineUsage(RunCommandTest.run("--memory", "4G", "--load-addr", "0x40000000", big.toString()),
                "read into one Java array) may have at most 2147483639 bytes (2 GiB)");
    }

    @Test
    @Timeout(120) // opened twice, a FIFO blocked forever
    void rawImageFromAFifoKeepsItsFirstBytes() throws Exception {
        Path fifo = tmp.resolve("guest.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        byte[] image = Files.readAllBytes(InterruptTest.printerImage(tmp, "from a fifo\n"));
        // the printer spins at its end: replace that B . with PSCI SYSTEM_OFF
        byte[] psciOff = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(RunCommandTest.MOV_W0_8).putInt(RunCommandTest.MOVK_W0_8400_LSL16).putInt(RunCommandTest.HVC_0).array();
        byte[] guest = java.util.Arrays.copyOf(image, image.length - 4 + psciOff.length);
        System.arraycopy(psciOff, 0, guest, image.length - 4, psciOff.length);
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(guest);
            } catch (IOException ignored) {
                // the reader's failure shows in the assertion
            }
        });
        writer.start();
        RunCommandTest.Result r = RunCommandTest.run("--load-addr", "0x40000000", fifo.toString());
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(0, r.status(), r.err());
        assertEquals("from a fifo\n", r.out());
    }

    @Test
    void memoryTheHeapCannotBackIsRefusedUpFront() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max < (64L << 30) - RunCommand.HEAP_RESERVE, "this test needs a heap under 64 GiB, have " + max);
        assertOneLineUsage(RunCommandTest.run("--memory", "64G", RunCommandTest.GUESTS.resolve("prebuilt/hello.elf").toString()),
                "--memory 64G is more than this JVM's heap can back");
    }
}
