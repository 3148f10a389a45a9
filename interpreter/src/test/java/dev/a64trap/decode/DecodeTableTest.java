package dev.a64trap.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Structural properties of the pattern table: no hidden overlaps, every row reachable, fast path = slow path. */
class DecodeTableTest {

    private static boolean masksOverlap(Pattern a, Pattern b) {
        return ((a.match() ^ b.match()) & a.mask() & b.mask()) == 0;
    }

    @Test
    void noTwoUngroupedPatternsCanMatchTheSameWord() {
        // By construction: two rows can match a common word iff they agree on every bit both fix.
        List<Pattern> rows = Decoder.patterns();
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                Pattern a = rows.get(i), b = rows.get(j);
                boolean sameGroup = a.group() != null && Objects.equals(a.group(), b.group());
                if (!sameGroup && masksOverlap(a, b)) {
                    overlaps.add(a.name() + " / " + b.name());
                }
            }
        }
        assertEquals(List.of(), overlaps);
    }

    @Test
    void groupsAreContiguousAndOrderedSpecificFirst() {
        List<Pattern> rows = Decoder.patterns();
        List<String> seen = new ArrayList<>();
        String current = null;
        for (Pattern p : rows) {
            if (p.group() != null && !p.group().equals(current)) {
                assertFalse(seen.contains(p.group()), "group split: " + p.group());
                seen.add(p.group());
            }
            current = p.group();
        }
        assertTrue(seen.contains("hint"));
        // Within a group a later row must never be entirely covered by an earlier one.
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                Pattern a = rows.get(i), b = rows.get(j);
                if (a.group() != null && a.group().equals(b.group())) {
                    boolean aCoversB = (a.mask() & ~b.mask()) == 0 && (b.match() & a.mask()) == a.match();
                    assertFalse(aCoversB, a.name() + " shadows " + b.name());
                }
            }
        }
        assertEquals("WFI", Decoder.decode(0xd503207f).form());
        assertEquals("HINT", Decoder.decode(0xd503245f).form()); // bti c
    }

    @Test
    void everyRowIsReachable() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (Pattern p : Decoder.patterns()) {
            boolean hit = false;
            for (int k = 0; k < 2000 && !hit; k++) {
                int w = (rnd.nextInt() & ~p.mask()) | p.match();
                hit = Decoder.decode(w).form().equals(p.name());
            }
            assertTrue(hit, "row never decodes: " + p.name());
        }
    }

    @Test
    void bucketLookupAgreesWithALinearScanOfTheTable() {
        SplittableRandom rnd = new SplittableRandom(11);
        int[] sampled = PatternSampler.sample(50_000, 3);
        for (int k = 0; k < 100_000; k++) {
            int w = k < sampled.length ? sampled[k] : rnd.nextInt();
            Insn slow = null;
            for (Pattern p : Decoder.patterns()) {
                if (p.matches(w) && (slow = p.format().decode(p, w)) != null) {
                    break;
                }
            }
            Insn fast = Decoder.decode(w);
            assertEquals(slow == null ? Decoder.undefined(w) : slow, fast, String.format("%08x", w));
        }
    }

    @Test
    void bucketsStayShort() {
        int max = 0;
        for (int k = 0; k < 4096; k++) {
            int w = ((k >>> 4) & 0xff) << 21 | (k & 0xf) << 10;
            max = Math.max(max, Decoder.bucketSize(w));
        }
        // 16: the Advanced SIMD two-register group keeps U and opcode<4:2> outside the key; a scan
        // happens once per decoded word (blocks are cached), never per execution.
        assertTrue(max <= 16, "longest bucket scan " + max);
    }

    @Test
    void theOneFallbackIsUndefined() {
        for (int w : new int[] {0xffffffff, 0x1ee22820 /* fadd h0, h1, h2: FP16, not implemented */, 0x04a00000 /* SVE */, 0xd50b7220 /* ok: sys */}) {
            Insn i = Decoder.decode(w);
            assertNotNull(i);
            if (w != 0xd50b7220) {
                assertSame(Op.UNDEFINED, i.op());
                assertEquals("UNDEFINED", i.form());
                assertEquals(String.format(".inst\t0x%08x ; undefined", w), Disassembler.format(i, 0));
            } else {
                assertSame(Op.SYS, i.op());
            }
        }
    }

    @Test
    void bitStringsReadMostSignificantFirstWithSpacesIgnored() {
        int[] mm = Pattern.bits("1x0 x1" + "x".repeat(25) + " 10");
        assertEquals(0b10101 << 27 | 0b11, mm[0]); // fixed bits 31, 29, 27 and 1, 0
        assertEquals(1 << 31 | 1 << 27 | 0b10, mm[1]);
        assertEquals(-1, Pattern.bits("0".repeat(16) + " " + "1".repeat(16))[0]);
        assertEquals(0xffff, Pattern.bits("0".repeat(16) + " " + "1".repeat(16))[1]);
        for (String bad : new String[] {"x".repeat(31), "x".repeat(33), "x".repeat(31) + "2", "x".repeat(31) + "X"}) {
            assertThrows(IllegalArgumentException.class, () -> Pattern.bits(bad), bad);
        }
    }

    @Test
    void rowNamesAreUnique() {
        List<String> names = Decoder.patternNames();
        assertEquals(names.size(), names.stream().distinct().count());
    }
}
