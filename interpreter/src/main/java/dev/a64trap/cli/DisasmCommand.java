package dev.a64trap.cli;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import dev.a64trap.decode.PatternSampler;
import dev.a64trap.elf.ElfException;
import dev.a64trap.elf.ElfFile;
import dev.a64trap.elf.ElfSymbol;
import dev.a64trap.elf.Section;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code a64trap disasm}: objdump-style listings of ELF images, hex words, or sampled words. */
@Command(
        name = "disasm",
        mixinStandardHelpOptions = true,
        description = {
            "Disassemble AArch64 code in GNU objdump syntax.",
            "  disasm IMAGE            list the executable sections of an ELF like objdump -d",
            "  disasm --hex WORD...    one line 'WORD<TAB>text' per hex word",
            "  disasm --words FILE     the same for a file with one hex word per line",
            "  disasm --sample N       N words drawn from the decoder's patterns (see --seed)"
        })
public final class DisasmCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "IMAGE", description = "AArch64 ELF file to list")
    Path image;

    @Option(names = "--hex", arity = "1..*", paramLabel = "WORD", description = "hex instruction words")
    List<String> hex;

    @Option(names = "--words", paramLabel = "FILE", description = "file of hex words, one per line")
    Path wordsFile;

    @Option(names = "--sample", paramLabel = "N", description = "print N words sampled from the pattern table")
    Integer sample;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed for --sample (default 1)")
    long seed;

    @Option(names = "--pc", paramLabel = "ADDR", defaultValue = "0",
            description = "address of the first word for --hex/--words/--sample (hex, default 0); each word is 4 further")
    String pcText;

    @Override
    public Integer call() {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        try {
            int modes = (image != null ? 1 : 0) + (hex != null ? 1 : 0) + (wordsFile != null ? 1 : 0) + (sample != null ? 1 : 0);
            if (modes != 1) {
                return usage("give exactly one of IMAGE, --hex, --words or --sample");
            }
            long pc;
            try {
                pc = Long.parseUnsignedLong(strip0x(pcText), 16);
            } catch (NumberFormatException e) {
                return usage("--pc: not a hex address: " + pcText);
            }
            if (image != null) {
                return listElf(out);
            }
            int[] words;
            if (sample != null) {
                if (sample < 0) {
                    return usage("--sample: N must be >= 0");
                }
                words = PatternSampler.sample(sample, seed);
            } else {
                List<String> texts = hex;
                if (wordsFile != null) {
                    try {
                        texts = Files.readAllLines(wordsFile, StandardCharsets.UTF_8);
                    } catch (NoSuchFileException e) {
                        return usage(wordsFile + ": no such file");
                    } catch (IOException e) {
                        return usage(wordsFile + ": cannot read: " + e.getMessage());
                    }
                }
                List<Integer> parsed = new ArrayList<>();
                int line = 0;
                for (String t : texts) {
                    line++;
                    String s = t.strip();
                    if (s.isEmpty()) {
                        continue;
                    }
                    try {
                        long v = Long.parseLong(strip0x(s), 16);
                        if (v < 0 || v > 0xffffffffL) {
                            throw new NumberFormatException();
                        }
                        parsed.add((int) v);
                    } catch (NumberFormatException e) {
                        String where = wordsFile != null ? wordsFile + ":" + line + ": " : "";
                        return usage(where + "not a 32-bit hex word: " + s);
                    }
                }
                words = parsed.stream().mapToInt(Integer::intValue).toArray();
            }
            for (int w : words) {
                out.printf("%08x\t%s%n", w, Disassembler.format(Decoder.decode(w), pc));
                pc += 4;
            }
            return ExitStatus.OK;
        } finally {
            out.flush();
        }
    }

    private static String strip0x(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    }

    private static int usage(String message) {
        System.err.println("a64trap disasm: " + message);
        return ExitStatus.USAGE;
    }

    private int listElf(PrintWriter out) {
        ElfFile elf;
        try {
            elf = ElfFile.read(image);
        } catch (ElfException e) {
            return usage(e.getMessage());
        }
        list(out, elf, image.toString());
        return ExitStatus.OK;
    }

    /** objdump -d's listing of every executable section of {@code elf}, headed with {@code shownName}. */
    static void list(PrintWriter out, ElfFile elf, String shownName) {
        out.printf("%n%s:     file format elf64-littleaarch64%n%n", shownName);
        SymbolIndex symbols = new SymbolIndex(elf);
        for (Section s : elf.executableSections()) {
            listSection(out, elf, s, symbols);
        }
    }

    private static void listSection(PrintWriter out, ElfFile elf, Section s, SymbolIndex symbols) {
        out.printf("%nDisassembly of section %s:%n", s.name());
        byte[] data = elf.data(s);
        List<ElfSymbol> labels = symbols.labelsIn(s);
        List<ElfSymbol> mapping = symbols.mappingIn(s);
        Disassembler.AddressFormat addr = a -> symbols.annotate(a, s);
        int skip = addressDigitsToSkip(s);
        int li = 0, mi = 0;
        boolean dataMode = false;
        if (labels.isEmpty() || labels.get(0).value() != s.addr()) {
            out.printf("%n%016x <%s>:%n", s.addr(), symbols.annotateName(s.addr(), s));
        }
        java.util.TreeSet<Long> bounds = new java.util.TreeSet<>();
        labels.forEach(l -> bounds.add(l.value()));
        mapping.forEach(m -> bounds.add(m.value()));
        int off = 0;
        while (off + 4 <= data.length) {
            long pc = s.addr() + off;
            while (mi < mapping.size() && mapping.get(mi).value() <= pc) {
                dataMode = mapping.get(mi).name().startsWith("$d");
                mi++;
            }
            boolean header = false;
            while (li < labels.size() && labels.get(li).value() <= pc) {
                if (labels.get(li).value() == pc && !header) {
                    out.printf("%n%016x <%s>:%n", pc, labels.get(li).name());
                    header = true;
                }
                li++;
            }
            // objdump prints a run of 8 or more zero bytes as "..."; the run stops at the next symbol
            // and, unless it reaches that symbol, is rounded down to whole words.
            Long next = bounds.higher(pc);
            int stop = next == null ? data.length : (int) Math.min(data.length, next - s.addr());
            int z = off;
            while (z < stop && data[z] == 0) {
                z++;
            }
            if (z - off >= 8) {
                if (z != stop) {
                    z = off + ((z - off) & ~3);
                }
                out.printf("\t...%n");
                off = z;
                continue;
            }
            int w = (data[off] & 0xff) | (data[off + 1] & 0xff) << 8 | (data[off + 2] & 0xff) << 16
                    | (data[off + 3] & 0xff) << 24;
            String text = dataMode ? String.format(".word\t0x%08x", w) : Disassembler.format(Decoder.decode(w), pc, addr);
            out.printf("%s:\t%08x \t%s%n", address(pc, skip), w, text);
            off += 4;
        }
    }

    /** objdump's column: leading zeros common to the section's end address dropped in groups of 4. */
    private static int addressDigitsToSkip(Section s) {
        String end = String.format("%016x", s.addr() + s.size());
        int z = 0;
        while (z < 16 && end.charAt(z) == '0') {
            z++;
        }
        if (z == 16 && s.addr() != 0) {
            return 0;
        }
        return z == 0 ? 0 : (z - 1) & -4;
    }

    /** The address as objdump prints it before the word: remaining leading zeros become spaces. */
    private static String address(long pc, int skip) {
        char[] c = String.format("%016x", pc).substring(skip).toCharArray();
        for (int i = 0; i < c.length - 1 && c[i] == '0'; i++) {
            c[i] = ' ';
        }
        return new String(c);
    }

    /**
     * Symbols by address, for headers and objdump's {@code <sym+0x..>} annotations. Mirrors
     * objdump: symbols sorted by value and then by its preference order (functions, objects,
     * globals, larger sizes, names not starting with '.', name); the annotation uses the first
     * symbol of the run with the greatest value not above the address, preferring one in the
     * section being listed; mapping symbols ($x/$d) are never shown.
     */
    private static final class SymbolIndex {
        private final List<ElfSymbol> labels = new ArrayList<>();
        private final List<ElfSymbol> mapping = new ArrayList<>();
        private final ElfSymbol[] sorted;

        SymbolIndex(ElfFile elf) {
            List<ElfSymbol> all = new ArrayList<>();
            for (ElfSymbol sym : elf.symbols()) {
                if (!sym.isDefined() || sym.sectionIndex() == 0xfff2 || sym.name().isEmpty()
                        || sym.type() == ElfSymbol.STT_FILE || sym.type() == ElfSymbol.STT_SECTION) {
                    continue;
                }
                all.add(sym);
                if (sym.isMappingSymbol()) {
                    mapping.add(sym);
                } else if (sym.sectionIndex() < 0xff00) {
                    labels.add(sym);
                }
            }
            all.sort(OBJDUMP_ORDER);
            sorted = all.toArray(new ElfSymbol[0]);
            labels.sort(OBJDUMP_ORDER);
            mapping.sort(Comparator.comparingLong(ElfSymbol::value));
        }

        private static boolean fileLike(ElfSymbol s) {
            String n = s.name();
            return n.length() > 2 && n.charAt(n.length() - 2) == '.'
                    && (n.endsWith("o") || n.endsWith("a"));
        }

        static final Comparator<ElfSymbol> OBJDUMP_ORDER = Comparator
                .comparing((ElfSymbol s) -> s.value(), Long::compareUnsigned)
                .thenComparingInt(ElfSymbol::sectionIndex)
                .thenComparing(s -> s.name().contains("gnu_compiled") || s.name().contains("gcc2_compiled"))
                .thenComparing(SymbolIndex::fileLike)
                .thenComparing(s -> !s.isFunction())
                .thenComparing(s -> s.type() != ElfSymbol.STT_OBJECT)
                .thenComparing(s -> s.bind() == ElfSymbol.STB_LOCAL)
                .thenComparing(s -> s.bind() != ElfSymbol.STB_GLOBAL)
                .thenComparing(ElfSymbol::size, Comparator.reverseOrder())
                .thenComparing(s -> s.name().startsWith("."))
                .thenComparing(ElfSymbol::name);

        List<ElfSymbol> labelsIn(Section s) {
            return labels.stream().filter(x -> x.sectionIndex() == s.index()).toList();
        }

        List<ElfSymbol> mappingIn(Section s) {
            return mapping.stream().filter(x -> x.sectionIndex() == s.index()).toList();
        }

        /** objdump's find_symbol_for_address, or null. */
        private ElfSymbol find(long a, Section current) {
            if (sorted.length == 0) {
                return null;
            }
            int lo = 0, hi = sorted.length;
            while (lo < hi) { // first index with value > a
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(sorted[mid].value(), a) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int place = Math.max(lo - 1, 0);
            while (place > 0 && sorted[place - 1].value() == sorted[place].value()) {
                place--;
            }
            for (int i = place; i < sorted.length && sorted[i].value() == sorted[place].value(); i++) {
                if (sorted[i].sectionIndex() == current.index() && !sorted[i].isMappingSymbol()) {
                    return sorted[i];
                }
            }
            // Mapping symbols are never shown: take the nearest valid symbol below, else above.
            for (int i = place; i >= 0; i--) {
                if (!sorted[i].isMappingSymbol()) {
                    return sorted[i];
                }
            }
            for (int i = place + 1; i < sorted.length; i++) {
                if (!sorted[i].isMappingSymbol()) {
                    return sorted[i];
                }
            }
            return null;
        }

        private static String offset(long a, long base) {
            return a == base ? "" : Long.compareUnsigned(a, base) > 0
                    ? "+0x" + Long.toHexString(a - base) : "-0x" + Long.toHexString(base - a);
        }

        String annotateName(long a, Section current) {
            ElfSymbol sym = find(a, current);
            return sym == null ? current.name() + offset(a, current.addr()) : sym.name() + offset(a, sym.value());
        }

        String annotate(long a, Section current) {
            if (sorted.length == 0) {
                return Disassembler.RAW.format(a); // objdump: no symbols at all, bare address
            }
            return Long.toHexString(a) + " <" + annotateName(a, current) + ">";
        }
    }
}
