package dev.a64trap.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed ELF64 little-endian AArch64 file: header, program headers, section headers with
 * names, and the symbol table. Everything is parsed and validated up front, so once
 * {@link #parse} returns, no accessor can fail. Every malformed input raises
 * {@link ElfException} (never another exception), with a message naming the file.
 */
public final class ElfFile {
    public static final int EM_AARCH64 = 183;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;

    /** Larger files are refused rather than read into the heap. Guest images are tiny. */
    public static final long MAX_FILE_SIZE = 256L << 20;
    /** Caps that keep a hostile header from making us allocate without bound. */
    static final int MAX_SECTIONS = 1 << 16;
    static final int MAX_SYMBOLS = 1 << 20;
    static final int MAX_NAME = 4096;

    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int SHN_XINDEX = 0xffff;
    private static final int PN_XNUM = 0xffff;

    private final String name;
    private final byte[] data;
    private final int type;
    private final int machine;
    private final long entry;
    private final int flags;
    private final List<ProgramHeader> programHeaders;
    private final List<Section> sections;
    private final List<ElfSymbol> symbols;

    private ElfFile(String name, byte[] data) throws ElfException {
        this.name = name;
        this.data = data;
        if (data.length < 4 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw fail(data.length < 4 ? "file too short to be ELF (" + data.length + " bytes)" : "not an ELF file (bad magic)");
        }
        if (data.length < EHDR_SIZE) {
            throw fail("truncated ELF header (" + data.length + " of 64 bytes)");
        }
        if (data[4] != 2) {
            throw fail(data[4] == 1 ? "32-bit ELF; need ELF64 for AArch64"
                    : String.format("bad ELF class 0x%02x (EI_CLASS must be 2, ELF64)", data[4] & 0xff));
        }
        if (data[5] != 1) {
            throw fail(data[5] == 2 ? "big-endian ELF; need little-endian AArch64"
                    : String.format("bad ELF data encoding 0x%02x (EI_DATA must be 1, little-endian)", data[5] & 0xff));
        }
        type = u16(16);
        machine = u16(18);
        if (machine != EM_AARCH64) {
            throw fail("wrong machine " + machine + " (" + machineName(machine) + "); need AArch64 (183)");
        }
        entry = u64(24);
        long phoff = u64(32);
        long shoff = u64(40);
        flags = (int) u32(48);
        int phentsize = u16(54);
        int phnum = u16(56);
        int shentsize = u16(58);
        int shnum = u16(60);
        long shstrndx = u16(62); // up to 2^32 - 1 with extended numbering

        // Extended numbering: the real counts live in section header 0.
        if (shoff != 0) {
            if (shentsize < SHDR_SIZE) {
                throw fail("section header entry size " + shentsize + " < 64");
            }
            if (!inFile(shoff, SHDR_SIZE)) {
                throw fail("section header table at offset 0x" + Long.toHexString(shoff) + " is outside the file");
            }
            if (shnum == 0) {
                long n = u64(shoff + 32);
                if (Long.compareUnsigned(n, MAX_SECTIONS) > 0) {
                    throw fail("too many sections (" + Long.toUnsignedString(n) + ")");
                }
                shnum = (int) n;
            }
            if (shstrndx == SHN_XINDEX) {
                shstrndx = u32(shoff + 40);
            }
            if (phnum == PN_XNUM) {
                phnum = (int) Math.min(u32(shoff + 44), Integer.MAX_VALUE);
            }
        } else {
            shnum = 0;
        }

        programHeaders = readProgramHeaders(phoff, phentsize, phnum);
        List<long[]> raw = readSectionHeaders(shoff, shentsize, shnum);
        sections = nameSections(raw, shstrndx);
        symbols = readSymbols();
    }

    /** Reads and parses an ELF file. */
    public static ElfFile read(Path path) throws ElfException {
        String name = path.toString();
        try {
            if (Files.isDirectory(path)) {
                throw new ElfException(name + ": is a directory, not an ELF file");
            }
            long size = Files.size(path);
            if (size > MAX_FILE_SIZE) {
                throw new ElfException(name + ": file too large (" + size + " bytes; limit " + MAX_FILE_SIZE + ")");
            }
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(path)) { // bounded: /dev/zero has size 0
                bytes = in.readNBytes((int) MAX_FILE_SIZE + 1);
            }
            if (bytes.length > MAX_FILE_SIZE) {
                throw new ElfException(name + ": file too large (over " + MAX_FILE_SIZE + " bytes, the limit)");
            }
            return new ElfFile(name, bytes);
        } catch (NoSuchFileException e) {
            throw new ElfException(name + ": no such file");
        } catch (IOException | SecurityException e) {
            throw new ElfException(name + ": cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new ElfException(name + ": file too large to read");
        }
    }

    /** Parses ELF bytes; {@code name} is used in error messages. The array is not copied. */
    public static ElfFile parse(byte[] bytes, String name) throws ElfException {
        return new ElfFile(name, bytes);
    }

    /** True if {@code head} starts with the ELF magic (used to detect the image format). */
    public static boolean hasElfMagic(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    public String name() {
        return name;
    }

    /** e_type: {@link #ET_EXEC}, {@link #ET_DYN}, {@link #ET_REL}, ... */
    public int type() {
        return type;
    }

    public int machine() {
        return machine;
    }

    public long entry() {
        return entry;
    }

    public int flags() {
        return flags;
    }

    public long fileSize() {
        return data.length;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** The PT_LOAD segments in file order. */
    public List<ProgramHeader> loadSegments() {
        return programHeaders.stream().filter(ProgramHeader::isLoad).toList();
    }

    /** All sections, index 0 (the null section) included, so {@code sections().get(i).index() == i}. */
    public List<Section> sections() {
        return sections;
    }

    public Optional<Section> section(String sectionName) {
        return sections.stream().filter(s -> s.name().equals(sectionName)).findFirst();
    }

    /** Sections that hold code, in file order. */
    public List<Section> executableSections() {
        return sections.stream().filter(Section::isExecutable).toList();
    }

    /** Symbols of .symtab (or .dynsym if there is no .symtab), entry 0 excluded, in table order. */
    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /** The name of the section a symbol is defined in, or "" for undefined/absolute/bad indices. */
    public String sectionName(ElfSymbol symbol) {
        int i = symbol.sectionIndex();
        return i > 0 && i < sections.size() ? sections.get(i).name() : "";
    }

    /** A copy of a section's bytes (empty for NOBITS). */
    public byte[] data(Section section) {
        if (!section.hasFileData()) {
            return new byte[0];
        }
        return copy(section.offset(), section.size());
    }

    /** A copy of a segment's file bytes ({@code filesz} of them). */
    public byte[] data(ProgramHeader segment) {
        return copy(segment.offset(), segment.filesz());
    }

    private byte[] copy(long offset, long size) {
        if (size == 0) {
            return new byte[0]; // the offset of an empty range is not validated
        }
        byte[] out = new byte[(int) size];
        System.arraycopy(data, (int) offset, out, 0, (int) size);
        return out;
    }

    private List<ProgramHeader> readProgramHeaders(long phoff, int phentsize, int phnum) throws ElfException {
        if (phnum == 0) {
            return List.of();
        }
        if (phentsize < PHDR_SIZE) {
            throw fail("program header entry size " + phentsize + " < 56");
        }
        if (!inFile(phoff, (long) phentsize * phnum)) {
            throw fail("program header table (" + phnum + " entries at offset 0x" + Long.toHexString(phoff)
                    + ") runs past the end of the file");
        }
        List<ProgramHeader> list = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            long p = phoff + (long) i * phentsize;
            ProgramHeader ph = new ProgramHeader(i, (int) u32(p), (int) u32(p + 4), u64(p + 8), u64(p + 16),
                    u64(p + 24), u64(p + 32), u64(p + 40), u64(p + 48));
            if (ph.filesz() != 0 && !inFile(ph.offset(), ph.filesz())) {
                throw fail("segment " + i + " (offset 0x" + Long.toHexString(ph.offset()) + ", size 0x"
                        + Long.toHexString(ph.filesz()) + ") is outside the file");
            }
            if (ph.isLoad()) {
                if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0) {
                    throw fail("segment " + i + " has file size 0x" + Long.toHexString(ph.filesz())
                            + " larger than its memory size 0x" + Long.toHexString(ph.memsz()));
                }
                if (Long.compareUnsigned(ph.paddr() + ph.memsz(), ph.paddr()) < 0
                        || Long.compareUnsigned(ph.vaddr() + ph.memsz(), ph.vaddr()) < 0) {
                    throw fail("segment " + i + " wraps around the end of the address space");
                }
            }
            list.add(ph);
        }
        return Collections.unmodifiableList(list);
    }

    /** Raw section fields: name, type, flags, addr, offset, size, link, info, addralign, entsize. */
    private List<long[]> readSectionHeaders(long shoff, int shentsize, int shnum) throws ElfException {
        if (shnum == 0) {
            return List.of();
        }
        if (shnum > MAX_SECTIONS) {
            throw fail("too many sections (" + shnum + ")");
        }
        if (!inFile(shoff, (long) shentsize * shnum)) {
            throw fail("section header table (" + shnum + " entries at offset 0x" + Long.toHexString(shoff)
                    + ") runs past the end of the file");
        }
        List<long[]> list = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long p = shoff + (long) i * shentsize;
            long[] s = {u32(p), u32(p + 4), u64(p + 8), u64(p + 16), u64(p + 24), u64(p + 32), u32(p + 40),
                u32(p + 44), u64(p + 48), u64(p + 56)};
            int stype = (int) s[1];
            if (stype != Section.SHT_NOBITS && stype != Section.SHT_NULL && !inFile(s[4], s[5])) {
                throw fail("section " + i + " (offset 0x" + Long.toHexString(s[4]) + ", size 0x"
                        + Long.toHexString(s[5]) + ") is outside the file");
            }
            list.add(s);
        }
        return list;
    }

    private List<Section> nameSections(List<long[]> raw, long shstrndx) throws ElfException {
        if (raw.isEmpty()) {
            return List.of();
        }
        long[] strtab = null;
        if (shstrndx != 0) {
            if (shstrndx >= raw.size()) {
                throw fail("section name table index " + shstrndx + " out of range (" + raw.size() + " sections)");
            }
            strtab = raw.get((int) shstrndx);
            if (strtab[1] == Section.SHT_NOBITS || strtab[1] == Section.SHT_NULL) {
                throw fail("section name table (section " + shstrndx + ") has no data");
            }
        }
        List<Section> list = new ArrayList<>(raw.size());
        Map<Long, String> cache = new HashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            long[] s = raw.get(i);
            String sname = strtab == null ? "" : string(strtab, s[0], "section " + i + " name", cache);
            list.add(new Section(i, sname, (int) s[1], s[2], s[3], s[4], s[5], (int) s[6], (int) s[7], s[8], s[9]));
        }
        return Collections.unmodifiableList(list);
    }

    private List<ElfSymbol> readSymbols() throws ElfException {
        Section table = sections.stream().filter(s -> s.type() == Section.SHT_SYMTAB).findFirst()
                .or(() -> sections.stream().filter(s -> s.type() == Section.SHT_DYNSYM).findFirst())
                .orElse(null);
        if (table == null || table.size() == 0) {
            return List.of();
        }
        if (table.entsize() != SYM_SIZE) {
            throw fail("symbol table " + table.name() + " has entry size " + table.entsize() + ", expected 24");
        }
        long count = table.size() / SYM_SIZE;
        if (count > MAX_SYMBOLS) {
            throw fail("too many symbols (" + count + ")");
        }
        if (table.link() == 0 || Integer.compareUnsigned(table.link(), sections.size()) >= 0) {
            throw fail("symbol table " + table.name() + " links to string table " + Integer.toUnsignedString(table.link())
                    + ", which does not exist");
        }
        Section strs = sections.get(table.link());
        if (!strs.hasFileData()) {
            throw fail("symbol string table " + strs.name() + " has no data");
        }
        long[] strRange = {0, 0, 0, 0, strs.offset(), strs.size()};
        List<ElfSymbol> list = new ArrayList<>((int) count);
        Map<Long, String> cache = new HashMap<>();
        for (int i = 1; i < count; i++) {
            long p = table.offset() + (long) i * SYM_SIZE;
            int info = u8(p + 4);
            String sname = string(strRange, u32(p), "symbol " + i + " name", cache);
            list.add(new ElfSymbol(sname, u64(p + 8), u64(p + 16), info & 0xf, info >>> 4, u16(p + 6)));
        }
        return Collections.unmodifiableList(list);
    }

    /** A NUL-terminated string at {@code off} inside the string-table section {@code strtab}. */
    private String string(long[] strtab, long off, String what, Map<Long, String> cache) throws ElfException {
        long base = strtab[4];
        long size = strtab[5];
        if (Long.compareUnsigned(off, size) >= 0) {
            if (off == 0 && size == 0) {
                return "";
            }
            throw fail(what + ": string offset 0x" + Long.toHexString(off) + " outside its string table");
        }
        String cached = cache.get(off);
        if (cached != null) {
            return cached;
        }
        int start = (int) (base + off);
        int end = start;
        int limit = (int) Math.min(base + size, (long) start + MAX_NAME);
        while (end < limit && data[end] != 0) {
            end++;
        }
        String s = new String(data, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        cache.put(off, s);
        return s;
    }

    private boolean inFile(long offset, long length) {
        long size = data.length;
        return Long.compareUnsigned(offset, size) <= 0 && Long.compareUnsigned(length, size - offset) <= 0;
    }

    private int u8(long p) {
        return data[(int) p] & 0xff;
    }

    private int u16(long p) {
        return u8(p) | u8(p + 1) << 8;
    }

    private long u32(long p) {
        return (u16(p) | (long) u16(p + 2) << 16) & 0xffffffffL;
    }

    private long u64(long p) {
        return u32(p) | u32(p + 4) << 32;
    }

    private ElfException fail(String problem) {
        return new ElfException(name + ": " + problem);
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "x86";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 40 -> "ARM (32-bit)";
            case 62 -> "x86-64";
            case 243 -> "RISC-V";
            default -> "unknown";
        };
    }
}
