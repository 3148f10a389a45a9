package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input named in one clear line (exit 2), never "null", a negative byte or a stack trace. */
class MessagesTest {
    @TempDir
    Path tmp;

    static final String HELLO = RunCommandTest.GUESTS.resolve("prebuilt/hello.elf").toString();

    static void assertOneLine(RunCommandTest.Result r, String expected) {
        assertEquals(ExitStatus.USAGE, r.status(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("null") || r.err().contains("Exception") || r.err().contains("Error"), r.err());
    }

    @Test
    void truncatedGzip() throws IOException {
        Path gz = tmp.resolve("Image.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0});
        assertOneLine(RunCommandTest.run(gz.toString()), "Image.gz: corrupt gzip data: it ends early (truncated?)");
    }

    @Test
    void hostJsonNestedDeeperThanTheParserAllows() throws IOException {
        Path deep = tmp.resolve("deep.json");
        Files.writeString(deep, "[".repeat(1001) + "]".repeat(1001));
        assertOneLine(RunCommandTest.run("--host", deep.toString(), HELLO), "deep.json: not valid JSON (");
    }

    @Test
    void gdbOnAnUnknownHost() {
        assertOneLine(RunCommandTest.run("--gdb", "host.invalid:1234", HELLO),
                "cannot listen for gdb on host.invalid:1234: no such host");
    }

    @Test
    void aGdbServerOnEveryInterfaceIsWarnedAbout() {
        for (String any : new String[] {"0.0.0.0", "::"}) {
            String w = GdbOptions.exposureWarning(new GdbOptions.Address(any, 1234));
            assertTrue(w != null && w.contains("listens on every network interface")
                    && w.contains("anyone who can reach this port can control the guest"), any + ": " + w);
        }
        assertEquals(null, GdbOptions.exposureWarning(new GdbOptions.Address("127.0.0.1", 1234)));
        assertEquals(null, GdbOptions.exposureWarning(new GdbOptions.Address("::1", 1234)));
    }
}
