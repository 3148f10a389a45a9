package dev.a64trap.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected values below were read off {@code aarch64-linux-gnu-readelf -hlSs hello.elf}. */
class ElfFileTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = ElfFileTest.class.getResourceAsStream("/elf/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /elf/" + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void parsesHeaderAndSegments() throws Exception {
        ElfFile elf = ElfFile.parse(resource("hello.elf"), "hello.elf");
        assertEquals(ElfFile.ET_EXEC, elf.type());
        assertEquals(0x40000000L, elf.entry());
        assertEquals(3, elf.programHeaders().size());
        List<ProgramHeader> load = elf.loadSegments();
        assertEquals(2, load.size());
        ProgramHeader text = load.get(0);
        assertEquals(0x1000, text.offset());
        assertEquals(0x40000000L, text.vaddr());
        assertEquals(0x55, text.filesz());
        assertEquals(0x55, text.memsz());
        assertTrue(text.isExecutable());
        ProgramHeader rw = load.get(1);
        assertEquals(0x40001000L, rw.paddr());
        assertEquals(0x30, rw.filesz());
        assertEquals(0x38, rw.memsz());
        assertTrue(rw.isWritable());
        assertFalse(rw.isExecutable());
    }

    @Test
    void parsesSectionsWithNames() throws Exception {
        ElfFile elf = ElfFile.parse(resource("hello.elf"), "hello.elf");
        List<String> names = elf.sections().stream().map(Section::name).toList();
        assertEquals(List.of("", ".text", ".rodata", ".data", ".bss", ".symtab", ".strtab", ".shstrtab"), names);
        assertEquals(List.of(".text"), elf.executableSections().stream().map(Section::name).toList());
        Section bss = elf.section(".bss").orElseThrow();
        assertEquals(Section.SHT_NOBITS, bss.type());
        assertEquals(0, elf.data(bss).length);
        Section rodata = elf.section(".rodata").orElseThrow();
        assertEquals(0x40000038L, rodata.addr());
        assertEquals("hello from a64trap test elf\n", new String(elf.data(rodata), 0, 28, "US-ASCII"));
        // The first instruction word of _start, as objdump shows it.
        byte[] text = elf.data(elf.section(".text").orElseThrow());
        assertEquals(0x34, text.length);
    }

    @Test
    void parsesSymbols() throws Exception {
        ElfFile elf = ElfFile.parse(resource("hello.elf"), "hello.elf");
        ElfSymbol start = elf.symbols().stream().filter(s -> s.name().equals("_start")).findFirst().orElseThrow();
        assertEquals(0x40000000L, start.value());
        assertEquals(52, start.size());
        assertTrue(start.isFunction());
        assertEquals(ElfSymbol.STB_GLOBAL, start.bind());
        assertEquals(".text", elf.sectionName(start));
        ElfSymbol counter = elf.symbols().stream().filter(s -> s.name().equals("counter")).findFirst().orElseThrow();
        assertEquals(ElfSymbol.STT_OBJECT, counter.type());
        assertEquals(".bss", elf.sectionName(counter));
        assertTrue(elf.symbols().stream().anyMatch(ElfSymbol::isMappingSymbol));
    }

    @Test
    void strippedFileHasNoSymbolsButSameSegments() throws Exception {
        ElfFile full = ElfFile.parse(resource("hello.elf"), "a");
        ElfFile stripped = ElfFile.parse(resource("hello-stripped.elf"), "b");
        assertTrue(stripped.symbols().isEmpty());
        assertEquals(full.loadSegments().size(), stripped.loadSegments().size());
        for (int i = 0; i < full.loadSegments().size(); i++) {
            assertArrayEquals(full.data(full.loadSegments().get(i)), stripped.data(stripped.loadSegments().get(i)));
        }
    }

    @Test
    void relocatableObjectParses() throws Exception {
        ElfFile obj = ElfFile.parse(resource("hello.o"), "hello.o");
        assertEquals(ElfFile.ET_REL, obj.type());
        assertTrue(obj.loadSegments().isEmpty());
        assertTrue(obj.symbols().stream().anyMatch(s -> s.name().equals("_start")));
    }

    private static String failure(byte[] bytes) {
        return assertThrows(ElfException.class, () -> ElfFile.parse(bytes, "img.elf")).getMessage();
    }

    @Test
    void rejectsNonElf() {
        String m = failure("#!/bin/sh\necho hi\n".getBytes());
        assertTrue(m.startsWith("img.elf: ") && m.contains("not an ELF"), m);
        assertTrue(failure(new byte[0]).contains("too short"));
    }

    @Test
    void rejectsWrongClassEncodingAndMachine() throws Exception {
        byte[] b = resource("hello.elf");
        byte[] c32 = b.clone();
        c32[4] = 1;
        assertTrue(failure(c32).contains("32-bit"), failure(c32));
        byte[] be = b.clone();
        be[5] = 2;
        assertTrue(failure(be).contains("big-endian"));
        byte[] x86 = b.clone();
        x86[18] = 62;
        String m = failure(x86);
        assertTrue(m.contains("wrong machine 62") && m.contains("x86-64"), m);
    }

    @Test
    void rejectsEveryTruncation() throws Exception {
        byte[] b = resource("hello.elf");
        // Section headers sit at the end of the file, so every proper prefix must be refused.
        for (int len = 0; len < b.length; len++) {
            byte[] cut = Arrays.copyOf(b, len);
            assertThrows(ElfException.class, () -> ElfFile.parse(cut, "cut"), "length " + len);
        }
    }

    @Test
    void rejectsSegmentOutsideFile() throws Exception {
        byte[] b = resource("hello.elf");
        // p_offset of program header 1 (phoff 64 + 56 + 8) pushed past the end of the file.
        putLong(b, 64 + 56 + 8, b.length - 4);
        String m = failure(b);
        assertTrue(m.contains("segment 1") && m.contains("outside the file"), m);
    }

    @Test
    void rejectsSectionOutsideFile() throws Exception {
        byte[] b = resource("hello.elf");
        long shoff = getLong(b, 40);
        putLong(b, (int) shoff + 64 + 32, 1L << 40); // sh_size of section 1
        String m = failure(b);
        assertTrue(m.contains("section 1") && m.contains("outside the file"), m);
    }

    @Test
    void rejectsFileSizeLargerThanMemorySize() throws Exception {
        byte[] b = resource("hello.elf");
        putLong(b, 64 + 40, 1); // p_memsz of segment 0 below its p_filesz
        assertTrue(failure(b).contains("larger than its memory size"));
    }

    @Test
    void extendedSectionNameIndexOutOfRangeIsRefused() throws Exception {
        byte[] b = resource("hello.elf");
        long shoff = getLong(b, 40);
        b[62] = (byte) 0xff; // e_shstrndx = SHN_XINDEX: the index is section 0's sh_link
        b[63] = (byte) 0xff;
        for (int i = 0; i < 4; i++) {
            b[(int) shoff + 40 + i] = (byte) 0xff;
        }
        String m = failure(b);
        assertTrue(m.contains("section name table index 4294967295 out of range"), m);
    }

    @Test
    void hugeSymbolTableLinkIsNamedUnsigned() throws Exception {
        byte[] b = resource("hello.elf");
        ElfFile elf = ElfFile.parse(b, "hello.elf");
        Section symtab = elf.section(".symtab").orElseThrow();
        long shoff = getLong(b, 40);
        for (int i = 0; i < 4; i++) {
            b[(int) shoff + 64 * symtab.index() + 40 + i] = (byte) 0xff; // sh_link
        }
        String m = failure(b);
        assertTrue(m.contains("links to string table 4294967295, which does not exist"), m);
    }

    @Test
    void badClassAndEncodingAreShownAsUnsignedBytes() throws Exception {
        byte[] b = resource("hello.elf");
        b[4] = (byte) 0x80;
        String m = failure(b);
        assertTrue(m.contains("bad ELF class 0x80 (EI_CLASS must be 2, ELF64)"), m);
        b = resource("hello.elf");
        b[5] = (byte) 0xfe;
        m = failure(b);
        assertTrue(m.contains("bad ELF data encoding 0xfe (EI_DATA must be 1, little-endian)"), m);
    }

    /** Rounds per file; raise with -Delf.fuzz.rounds=200000 for a longer campaign. */
    private static final int ROUNDS = Integer.getInteger("elf.fuzz.rounds", 2000);

    @ParameterizedTest
    @ValueSource(strings = {"elf/hello.elf", "elf/hello.o", "boot/probe.elf"})
    void randomCorruptionsOnlyRaiseElfException(String file) throws Exception {
        byte[] original;
        try (InputStream in = ElfFileTest.class.getResourceAsStream("/" + file)) {
            original = in.readAllBytes();
        }
        long shoff = getLong(original, 40);
        Random random = new Random(0xE1F ^ file.hashCode());
        int parsed = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] b = original.clone();
            int hits = 1 + random.nextInt(8);
            for (int h = 0; h < hits; h++) {
                // Aim most corruptions at the headers, where they matter.
                int pos = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(64 + 3 * 56);
                    case 1 -> (int) shoff + random.nextInt(b.length - (int) shoff);
                    default -> random.nextInt(b.length);
                };
                b[pos] = (byte) (random.nextBoolean() ? random.nextInt(256) : (random.nextBoolean() ? 0xff : 0));
            }
            if (random.nextInt(8) == 0) {
                b = Arrays.copyOf(b, random.nextInt(b.length));
            }
            try {
                ElfFile elf = ElfFile.parse(b, "corrupt");
                exercise(elf);
                parsed++;
            } catch (ElfException e) {
                assertTrue(e.getMessage().startsWith("corrupt: "), e.getMessage());
                refused++;
            }
        }
        assertTrue(parsed > 0 && refused > 0, parsed + " parsed, " + refused + " refused");
    }

    /** Every accessor must work on anything parse() accepted. */
    private static void exercise(ElfFile elf) {
        for (Section s : elf.sections()) {
            elf.data(s);
        }
        for (ProgramHeader p : elf.programHeaders()) {
            elf.data(p);
        }
        for (ElfSymbol s : elf.symbols()) {
            elf.sectionName(s);
        }
        elf.executableSections();
    }

    @Test
    void readReportsMissingFileAndDirectory(@TempDir Path dir) throws Exception {
        String m = assertThrows(ElfException.class, () -> ElfFile.read(dir.resolve("nope.elf"))).getMessage();
        assertTrue(m.contains("nope.elf") && m.contains("no such file"), m);
        assertTrue(assertThrows(ElfException.class, () -> ElfFile.read(dir)).getMessage().contains("directory"));
        Path ok = dir.resolve("hello.elf");
        Files.write(ok, resource("hello.elf"));
        assertEquals(0x40000000L, ElfFile.read(ok).entry());
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
