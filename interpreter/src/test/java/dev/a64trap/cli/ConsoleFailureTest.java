package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A console nobody can write to ends the run quietly (exit 141, as SIGPIPE), never with a stack trace. */
class ConsoleFailureTest {
    @TempDir
    Path tmp;

    private static OutputStream failing(String why) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(why);
            }
        };
    }

    private static RunCommandTest.Result runTo(OutputStream console, String... args) {
        RunCommand rc = new RunCommand();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        rc.out = console;
        rc.err = err;
        rc.in = java.io.InputStream.nullInputStream();
        int status = new CommandLine(rc).execute(args);
        return new RunCommandTest.Result(status, "", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void brokenPipeEndsTheSpinningGuestSilently() throws IOException {
        // the guest prints a line and spins forever: only the failed write can end this run
        RunCommandTest.Result r = runTo(failing("Broken pipe"), "--load-addr", "0x40000000",
                InterruptTest.printerImage(tmp, "a line\n").toString());
        assertEquals(ExitStatus.CONSOLE_FAILED, r.status(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void fullDiskSaysSoInOneLine() throws IOException {
        RunCommandTest.Result r = runTo(failing("No space left on device"), "--load-addr", "0x40000000",
                InterruptTest.printerImage(tmp, "a line\n").toString());
        assertEquals(ExitStatus.CONSOLE_FAILED, r.status(), r.err());
        assertEquals("a64trap: guest console output failed: No space left on device\n", r.err());
    }

    @Test
    void realDevFullGivesNoStackTrace() throws Exception {
        File devFull = new File("/dev/full");
        assertTrue(devFull.exists(), "this test needs Linux's /dev/full");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                Path.of("..", "guest-images", "prebuilt", "hello.elf").toString())
                .redirectOutput(devFull).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ExitStatus.CONSOLE_FAILED, p.exitValue(), err);
        assertFalse(err.contains("Exception"), err);
        assertTrue(err.contains("No space left on device"), err);
    }
}
