package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.elf.ElfException;
import dev.a64trap.elf.ElfFile;
import dev.a64trap.exec.Stop;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.machine.VirtBoard;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutated ELF files from guest-images/prebuilt through everything that reads an ELF: the parser,
 * {@code disasm}'s listing, the loader and a short run. Each must end as a clear refusal (what
 * {@code run} and {@code disasm} turn into exit 2) or as a run that stops; any other exception is
 * a bug. Deterministic: the seed is fixed, and a failure names the file, the mutant and its edits.
 */
class ElfFuzzTest {
    static final long SEED = Long.getLong("a64trap.elffuzz.seed", 0xE1F_F022L);
    static final int MUTANTS = Integer.getInteger("a64trap.elffuzz.mutants", 4000);
    /** Every this many mutants that parse are also listed (disassembly of whole sections is the slow part). */
    static final int LIST_EVERY = 8;

    /** Values that break header arithmetic: zero, one, extended-numbering escapes, sign and width edges. */
    static final long[] INTERESTING = {0, 1, 2, 0x7f, 0x80, 0xff, 0xffff, 0xfffe, 0x7fff_ffffL, 0x8000_0000L,
        0xffff_ffffL, 0x7fff_ffff_ffff_ffffL, 0x8000_0000_0000_0000L, -1L, 64, 56, 24, 0x1000, 0x4000_0000L};

    record Outcome(String kind) {}

    @Test
    void mutatedElfFilesAreRefusedOrRun() throws IOException {
        List<Path> seeds;
        try (Stream<Path> s = Files.list(RunCommandTest.GUESTS.resolve("prebuilt"))) {
            seeds = s.filter(p -> p.toString().endsWith(".elf")).sorted().toList();
        }
        assertTrue(seeds.size() >= 10, "seed ELF files: " + seeds);
        List<byte[]> originals = new ArrayList<>();
        for (Path p : seeds) {
            originals.add(Files.readAllBytes(p));
        }
        Random rnd = new Random(SEED);
        TreeMap<String, Integer> classes = new TreeMap<>();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        int parsed = 0;
        for (int m = 0; m < MUTANTS; m++) {
            int which = rnd.nextInt(seeds.size());
            List<String> edits = new ArrayList<>();
            byte[] b = mutate(originals.get(which).clone(), rnd, edits);
            String name = seeds.get(which).getFileName() + "#" + m;
            String outcome;
            try {
                outcome = exercise(b, name, sink, parsed++ % LIST_EVERY == 0);
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                AssertionError a = new AssertionError(name + " (seed " + SEED + ", edits " + edits + "): " + e, e);
                throw a;
            }
            classes.merge(outcome, 1, Integer::sum);
        }
        // the mutations must reach both ends: refusals and loaded images that run
        assertTrue(classes.getOrDefault("refused", 0) > MUTANTS / 10, classes.toString());
        assertTrue(classes.keySet().stream().anyMatch(k -> k.startsWith("ran:")), classes.toString());
        assertEquals(MUTANTS, classes.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** "refused" (an ElfException/ImageLoadException: exit 2) or "ran: KIND". */
    static String exercise(byte[] b, String name, PrintWriter sink, boolean list) {
        try {
            ElfFile elf = ElfFile.parse(b, name);
            if (list) {
                DisasmCommand.list(sink, elf, name);
            }
        } catch (ElfException e) {
            return "refused";
        }
        VirtBoard.Options o = new VirtBoard.Options();
        o.jit = false;
        try {
            VirtBoard board = VirtBoard.load(b, name, o);
            Stop s = board.run(20_000);
            return "ran: " + s.kind();
        } catch (ImageLoadException e) {
            return "refused";
        }
    }

    /** One to four edits: a header field set to an interesting value, random bytes in a header table, or truncation. */
    static byte[] mutate(byte[] b, Random rnd, List<String> edits) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = bb.getLong(32);
        long shoff = bb.getLong(40);
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            int kind = rnd.nextInt(10);
            if (kind == 0) {
                int len = rnd.nextInt(b.length);
                edits.add("truncate " + len);
                b = java.util.Arrays.copyOf(b, len);
                bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                continue;
            }
            if (kind == 1 && shoff > 0 && shoff + 64 <= b.length) {
                // extended numbering: an escape in the ELF header, the real value in section 0
                int field = new int[] {56, 60, 62}[rnd.nextInt(3)]; // e_phnum, e_shnum, e_shstrndx
                int escape = field == 60 ? 0 : 0xffff;
                int real = new int[] {32, 40, 44}[rnd.nextInt(3)]; // sh_size, sh_link, sh_info of section 0
                long v = rnd.nextBoolean() ? rnd.nextLong() : INTERESTING[rnd.nextInt(INTERESTING.length)];
                edits.add(String.format("header +%d = 0x%x, section 0 +%d = 0x%x", field, escape, real, v));
                bb.putShort(field, (short) escape);
                if (real == 32) {
                    bb.putLong((int) shoff + real, v);
                } else {
                    bb.putInt((int) shoff + real, (int) v);
                }
                continue;
            }
            // a field in the ELF header, a program header or a section header
            long base = switch (kind % 3) {
                case 0 -> 0;
                case 1 -> phoff + 56L * rnd.nextInt(4);
                default -> shoff + 64L * rnd.nextInt(24);
            };
            int width = new int[] {1, 2, 4, 8}[rnd.nextInt(4)];
            long at = base + (rnd.nextInt(64) & -width);
            if (at < 0 || at + width > b.length) {
                continue;
            }
            long v = rnd.nextInt(3) == 0 ? rnd.nextLong() : INTERESTING[rnd.nextInt(INTERESTING.length)];
            edits.add(String.format("%d bytes at 0x%x = 0x%x", width, at, v));
            for (int i = 0; i < width; i++) {
                b[(int) at + i] = (byte) (v >>> (8 * i));
            }
        }
        return b;
    }
}
