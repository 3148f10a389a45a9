package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C (a real SIGINT to a real a64trap JVM) stops {@code run} and {@code fuzz} cleanly: exit status
 * 130 and the closing lines printed, not a JVM killed mid-write. The planted-bug warning on stderr is
 * the sign that the command got past its option checks.
 */
class InterruptTest {

    private record Result(int status, String out, String err) {}

    private static Result interrupt(String... args) throws Exception {
        return signal("INT", "warning: planted bug", false, args);
    }

    /** Starts a64trap, waits for {@code ready} on stderr (or stdout), sends SIGsig, returns the outcome. */
    private static Result signal(String sig, String ready, boolean readyOnStdout, String... args) throws Exception {
        return signal(sig, ready, readyOnStdout, false, args);
    }

    /**
     * As above; {@code onTerminal}: under script(1), so the JVM's stdin, stdout and stderr are a
     * pseudo-terminal as at a prompt (both streams then arrive on stdout).
     */
    private static Result signal(String sig, String ready, boolean readyOnStdout, boolean onTerminal, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        if (onTerminal) {
            String line = "exec " + String.join(" ", cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
            cmd = List.of("script", "-qfec", line, "/dev/null");
        }
        Process p = new ProcessBuilder(cmd).start();
        // under script the JVM is its child (the shell execs it); the signal goes to the JVM
        java.util.function.Supplier<Long> target = () -> onTerminal
                ? p.children().findFirst().map(ProcessHandle::pid).orElseThrow() : p.pid();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = drain(p.getInputStream(), out);
        Thread e = drain(p.getErrorStream(), err);
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(readyOnStdout ? out : err).toString(StandardCharsets.UTF_8).contains(ready)
                    && System.nanoTime() < until) {
                assertTrue(p.isAlive(), "ended before the interrupt: " + err);
                Thread.sleep(50);
            }
            Thread.sleep(1500); // past the signal handler's installation
            assertTrue(p.isAlive(), "ended before the interrupt: " + out + err);
            assertTrue((readyOnStdout ? out : err).toString(StandardCharsets.UTF_8).contains(ready),
                    "never printed '" + ready + "': " + out + err);
            assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(target.get())).start().waitFor());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "no exit 30 s after SIGINT");
        } finally {
            p.destroyForcibly();
        }
        o.join();
        e.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            byte[] b = new byte[4096];
            try {
                for (int n; (n = in.read(b)) > 0; ) {
                    synchronized (to) {
                        to.write(b, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.start();
        return t;
    }

    @Test
    void fuzzStopsAfterTheCurrentChainAndPrintsItsSummary() throws Exception {
        Result r = interrupt("fuzz", "--target", "pmu", "--time", "300", "--no-progress", "--plant-bug",
                "pmccntr-write-low32");
        assertEquals(ExitStatus.INTERRUPTED, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("fuzz pmu: interrupted (Ctrl-C)"), r.out());
        assertTrue(r.out().matches("(?s).*fuzz pmu: [1-9]\\d* chains over 3 properties.*"), r.out());
    }

    @Test
    void fuzzWithItsBarOnATerminalStopsAfterTheChainAndPrintsItsSummary() throws Exception {
        Result r = signal("INT", "fuzz pmu", true, true, "fuzz", "--target", "pmu", "--time", "300",
                "--plant-bug", "pmccntr-write-low32");
        assertEquals(ExitStatus.INTERRUPTED, r.status(), r.out());
        assertTrue(r.out().contains("fuzz pmu: interrupted (Ctrl-C)"), r.out());
        assertTrue(r.out().matches("(?s).*fuzz pmu: [1-9]\\d* chains over 3 properties.*"), r.out());
        // --time fixes the end: a percentage and an ETA, not "?"
        assertTrue(r.out().matches("(?s).*fuzz pmu +\\d+% \\[.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\).*"), "ETA: " + r.out());
    }

    /** A raw image that prints {@code text} on the PL011 and then spins forever. */
    static Path printerImage(Path dir, String text) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * text.length() + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(RunCommandTest.MOVZ_X1_0900_LSL16);
        for (char c : text.toCharArray()) {
            b.putInt(0x52800000 | c << 5); // movz w0, #c
            b.putInt(0x39000020); // strb w0, [x1]
        }
        b.putInt(RunCommandTest.B_SELF);
        Path p = dir.resolve("printer.bin");
        java.nio.file.Files.write(p, b.array());
        return p;
    }

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "HUP"})
    void terminationKeepsEveryByteThePrinterPrinted(String sig) throws Exception {
        // the first line must show up while the guest runs (flushed at the newline), the partial
        // line by the signal (or the few-ms flush) at the latest: nothing sits in a buffer and dies
        Result r = signal(sig, "first line\n", true, "run", "--load-addr", "0x40000000",
                printerImage(tmp, "first line\nsecond, partial").toString());
        assertEquals("first line\nsecond, partial", r.out(), r.err());
        assertTrue(r.err().contains("a64trap: terminated by a signal at pc=0x"), r.err());
    }

    @Test
    void compareStopsTheCurrentModeAndSaysWhere() throws Exception {
        // the first row, none (no vPMU), is the one running when Ctrl-C comes
        Result r = interrupt("compare", "--append", "100000000000", "--max-insns", "100000000000000", "--plant-bug",
                "lost-el1-swinc", Path.of("..", "guest-images", "prebuilt", "bench.elf").toString());
        assertEquals(ExitStatus.INTERRUPTED, r.status(), r.out() + r.err());
        assertTrue(r.err().matches("(?s).*a64trap compare: none: interrupted at pc=0x[0-9a-f]+ after [1-9]\\d* "
                + "instructions; the remaining modes were not run.*"), r.err());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runWithGdbStopsTheGuestAndSaysWhere(boolean waiting) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--gdb", "0", "--append", "100000000000"));
        if (waiting) {
            args.add("--wait");
        }
        args.add(Path.of("..", "guest-images", "prebuilt", "bench.elf").toString());
        Result r = signal("INT", "gdb server listening", false, args.toArray(String[]::new));
        assertEquals(ExitStatus.INTERRUPTED, r.status(), r.out() + r.err());
        // waiting for the debugger, the guest has not run yet
        String count = waiting ? "0" : "[1-9]\\d*";
        assertTrue(r.err().matches("(?s).*a64trap: interrupted at pc=0x[0-9a-f]+ after " + count + " instructions.*"),
                r.err());
    }

    @Test
    void runStopsTheGuestAndSaysWhere() throws Exception {
        Result r = interrupt("run", "--append", "100000000000", "--plant-bug", "lost-el1-swinc",
                Path.of("..", "guest-images", "prebuilt", "bench.elf").toString());
        assertEquals(ExitStatus.INTERRUPTED, r.status(), r.out() + r.err());
        assertTrue(r.err().matches("(?s).*a64trap: interrupted at pc=0x[0-9a-f]+ after [1-9]\\d* instructions.*"),
                r.err());
    }
}
