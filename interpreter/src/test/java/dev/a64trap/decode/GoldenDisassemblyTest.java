package dev.a64trap.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Disassembly per instruction class against text recorded from objdump (binutils 2.40) by
 * tools/conformance.d/disasm/gen-golden.py: edge cases (maximal shifts, negative offsets, every
 * alias), logical immediates of every element size and rotation, and pattern-drawn words.
 */
class GoldenDisassemblyTest {

    record Golden(String cls, long pc, int word, String text) {}

    static List<Golden> load() throws IOException {
        List<Golden> rows = new ArrayList<>();
        try (InputStream in = GoldenDisassemblyTest.class.getResourceAsStream("/decode/golden.tsv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                String text = f[3].replace("\\t", "\t").replace("\\\\", "\\");
                rows.add(new Golden(f[0], Long.parseLong(f[1], 16), (int) Long.parseLong(f[2], 16), text));
            }
        }
        return rows;
    }

    /** Encodings objdump decodes that lie outside the covered integer/system set. */
    private static final java.util.regex.Pattern OUT_OF_SCOPE = java.util.regex.Pattern.compile(
            "^(msr\ts0_|mrs\t\\w+, s0_|msr\t(uao|pan|ssbs|dit|tco|allint), #|cfinv|xaflag|axflag|smstart|smstop"
            + "|ldlar|stllr|dsb\t\\w+nxs|sb$|tcommit|wfet|wfit)");

    /** A word a64trap calls UNDEFINED: objdump must not decode it, or only as an out-of-scope class. */
    private static boolean acceptableUndefined(String text) {
        return text.startsWith(".inst\t") && (text.endsWith("; undefined") || text.endsWith("; NYI"))
                || OUT_OF_SCOPE.matcher(text).find();
    }

    @TestFactory
    Stream<DynamicTest> eachClassDisassemblesLikeObjdump() throws IOException {
        Map<String, List<Golden>> byClass = new LinkedHashMap<>();
        for (Golden g : load()) {
            byClass.computeIfAbsent(g.cls(), k -> new ArrayList<>()).add(g);
        }
        assertTrue(byClass.keySet().containsAll(List.of("dp-immediate", "bitfield", "dp-register", "branch",
                "exception-system", "load-store", "atomics", "bitmask-2", "bitmask-64", "sampled")));
        return byClass.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<String> bad = new ArrayList<>();
            int decoded = 0;
            for (Golden g : e.getValue()) {
                Insn insn = Decoder.decode(g.word());
                String mine = Disassembler.format(insn, g.pc());
                boolean ok = insn.op() == Op.UNDEFINED && !insn.form().equals("UDF")
                        ? acceptableUndefined(g.text())
                        : mine.equals(g.text());
                if (insn.op() != Op.UNDEFINED || insn.form().equals("UDF")) {
                    decoded++;
                }
                if (!ok) {
                    bad.add(String.format("%08x: a64trap '%s' objdump '%s'", g.word(), mine, g.text()));
                }
            }
            assertEquals(List.of(), bad.subList(0, Math.min(bad.size(), 20)), bad.size() + " mismatches");
            assertTrue(decoded > 0);
        }));
    }
}
