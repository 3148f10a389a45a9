package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code run --gdb}'s options and a whole run served to a debugger over a real socket. */
class GdbOptionsTest {
    static final Path PREBUILT = Path.of("..", "guest-images", "prebuilt");

    @Test
    void gdbAddressParsing() throws Exception {
        assertEquals(new GdbOptions.Address("127.0.0.1", 1234), GdbOptions.parse("1234"));
        assertEquals(new GdbOptions.Address("0.0.0.0", 9), GdbOptions.parse("0.0.0.0:9"));
        assertEquals(new GdbOptions.Address("127.0.0.1", 1234), GdbOptions.parse("tcp::1234"));
        assertEquals(new GdbOptions.Address("::1", 7), GdbOptions.parse("[::1]:7"));
        for (String bad : new String[] {"", "x", "host:", "70000", "-1"}) {
            try {
                GdbOptions.parse(bad);
                throw new AssertionError("accepted " + bad);
            } catch (RunCommand.UsageError expected) {
                assertTrue(expected.getMessage().contains("--gdb"));
            }
        }
    }

    @Test
    void waitWithoutGdbIsAUsageError() {
        RunCommandTest.Result r = RunCommandTest.run("-S", PREBUILT.resolve("hello.elf").toString());
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.err().contains("-S needs --gdb"), r.err());
    }

    /** run --gdb over a real socket: the guest waits, 'c' runs it, the exit comes back as W00. */
    @Test
    void runServesGdbAndExitsWithTheGuestStatus() throws Exception {
        RunCommand rc = new RunCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.PipedOutputStream errPipe = new java.io.PipedOutputStream();
        java.io.BufferedReader errLines = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.io.PipedInputStream(errPipe, 1 << 16), StandardCharsets.UTF_8));
        rc.out = out;
        rc.err = errPipe;
        rc.in = java.io.InputStream.nullInputStream();
        java.util.concurrent.CompletableFuture<Integer> status = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> new picocli.CommandLine(rc).execute("--gdb", "127.0.0.1:0", "--wait",
                        PREBUILT.resolve("hello.elf").toString()));
        String line = errLines.readLine();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
            s.setSoTimeout(20_000);
            assertEquals("", out.toString(StandardCharsets.UTF_8), "the guest waits for the debugger");
            s.getOutputStream().write("$c#63".getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = s.getInputStream();
            StringBuilder reply = new StringBuilder();
            while (!reply.toString().contains("#")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                reply.append((char) c);
            }
            assertTrue(reply.toString().startsWith("+$W00#"), reply.toString());
        }
        assertEquals(0, status.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Hello from a64trap guest"));
    }
}
