package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisasmCommandTest {

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 1];
            full[0] = "disasm";
            System.arraycopy(args, 0, full, 1, args.length);
            int status = Main.execute(full);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void hexWordsPrintOneLineEach() {
        Run r = run("--hex", "d2800020", "0xd65f03c0", "ffffffff");
        assertEquals(0, r.status());
        assertEquals("d2800020\tmov\tx0, #0x1                   \t// #1\n"
                + "d65f03c0\tret\n"
                + "ffffffff\t.inst\t0xffffffff ; undefined\n", r.out().replace("\r\n", "\n"));
    }

    @Test
    void pcAppliesToBranchTargets() {
        Run r = run("--pc", "40000000", "--hex", "14000002", "17ffffff");
        assertEquals("14000002\tb\t0x40000008\n17ffffff\tb\t0x40000000\n", r.out().replace("\r\n", "\n"));
    }

    @Test
    void wordsFileAndSampleAreDeterministic(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.txt");
        Files.writeString(f, "d503201f\n\n  d503203f  \n");
        Run r = run("--words", f.toString());
        assertEquals(0, r.status());
        assertEquals("d503201f\tnop\nd503203f\tyield\n", r.out().replace("\r\n", "\n"));
        assertEquals(run("--sample", "50", "--seed", "9").out(), run("--sample", "50", "--seed", "9").out());
        assertEquals(50, run("--sample", "50").out().lines().count());
    }

    @Test
    void badInputIsOneMessageAndStatus2(@TempDir Path dir) throws IOException {
        Path notElf = dir.resolve("notes.txt");
        Files.writeString(notElf, "hello, not an ELF file at all");
        Path truncated = dir.resolve("trunc.elf");
        byte[] elf = readResource("/decode/listing.elf");
        Files.write(truncated, java.util.Arrays.copyOf(elf, 40));
        Path badWords = dir.resolve("bad.txt");
        Files.writeString(badWords, "d503201f\nzzz\n");
        for (String[] args : new String[][] {
                {dir.resolve("missing.elf").toString()}, {notElf.toString()}, {truncated.toString()},
                {dir.toString()}, {"--words", badWords.toString()}, {"--hex", "123456789"}, {}}) {
            Run r = run(args);
            assertEquals(ExitStatus.USAGE, r.status(), String.join(" ", args));
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertTrue(r.err().startsWith("a64trap disasm: "), r.err());
            if (args.length == 1) {
                assertTrue(r.err().contains(args[0]), r.err());
            }
        }
        assertTrue(run("--words", badWords.toString()).err().contains(":2: "));
    }

    private static byte[] readResource(String name) throws IOException {
        try (InputStream in = DisasmCommandTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]{8}) \\t(.*)$", Pattern.MULTILINE);

    private static Map<String, String> instructions(String listing) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = LINE.matcher(listing);
        while (x.find()) {
            m.put(x.group(1) + " " + x.group(2), x.group(3));
        }
        return m;
    }

    @Test
    void elfListingMatchesObjdump(@TempDir Path dir) throws IOException {
        // listing.elf and its objdump -d output are golden data (tools/conformance.d/disasm/gen-golden.sh).
        Path elf = dir.resolve("listing.elf");
        Files.write(elf, readResource("/decode/listing.elf"));
        String expected = new String(readResource("/decode/listing.elf.objdump"), StandardCharsets.UTF_8);
        Run r = run(elf.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, String> want = instructions(expected), got = instructions(r.out());
        assertTrue(want.size() > 50);
        assertEquals(want, got);
        // The whole listing is byte-identical to objdump's, apart from the file name it echoes.
        assertEquals(expected.replace("listing.elf:", elf + ":"), r.out().replace("\r\n", "\n"));
    }
}
