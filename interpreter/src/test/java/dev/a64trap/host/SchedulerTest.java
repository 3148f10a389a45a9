package dev.a64trap.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {
    private final Host rk = Host.preset("rk3588");

    private static int[] placements(Scheduler s, long slice, int count) {
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = s.cpuAt(k * slice + slice / 2);
        }
        return out;
    }

    @Test
    void sameSeedSamePlacements() {
        int[] a = placements(Scheduler.parse("random:1000", null, rk, 42), 1000, 500);
        int[] b = placements(Scheduler.parse("random:1000", null, rk, 42), 1000, 500);
        assertArrayEquals(a, b);
        int[] c = placements(Scheduler.parse("random:1000", null, rk, 43), 1000, 500);
        assertFalse(Arrays.equals(a, c), "another seed gives another schedule");
    }

    @Test
    void randomIsConstantWithinASliceAndUsesEveryAllowedCpu() {
        Scheduler s = Scheduler.parse("random:1000:2-5", null, rk, 1);
        boolean[] seen = new boolean[8];
        for (long k = 0; k < 400; k++) {
            int cpu = s.cpuAt(k * 1000);
            assertEquals(cpu, s.cpuAt(k * 1000 + 999));
            assertTrue(cpu >= 2 && cpu <= 5, "cpu " + cpu);
            seen[cpu] = true;
            assertEquals((k + 1) * 1000, s.nextChange(k * 1000 + 3));
        }
        assertTrue(seen[2] && seen[3] && seen[4] && seen[5]);
    }

    @Test
    void defaultIsRandom1000OverAllCpus() {
        Scheduler s = Scheduler.parse(null, null, rk, 1);
        assertEquals("random:1000", s.spec());
        boolean[] seen = new boolean[8];
        for (long k = 0; k < 400; k++) {
            seen[s.cpuAt(k * 1000)] = true;
        }
        for (boolean b : seen) {
            assertTrue(b);
        }
    }

    @Test
    void roundRobinCyclesThroughTheSet() {
        Scheduler s = Scheduler.parse("round-robin:100:4-7", null, rk, 1);
        assertEquals(4, s.cpuAt(0));
        assertEquals(5, s.cpuAt(100));
        assertEquals(7, s.cpuAt(350));
        assertEquals(4, s.cpuAt(400));
        assertEquals(200, s.nextChange(100));
    }

    @Test
    void pinnedNeverMoves() {
        Scheduler s = Scheduler.parse("pinned:4-7", null, rk, 1);
        assertEquals(4, s.cpuAt(0));
        assertEquals(4, s.cpuAt(1_000_000_000L));
        assertEquals(Long.MAX_VALUE, s.nextChange(0));
    }

    @Test
    void pinAfterRestrictsFromThatTimeOn() {
        Scheduler s = Scheduler.parse("round-robin:100:4-7", "500:0-3", rk, 1);
        assertEquals(4, s.cpuAt(400));
        assertEquals(500, s.nextChange(450));
        assertEquals(1, s.cpuAt(500)); // slice 5 over {0,1,2,3}
        assertEquals(2, s.cpuAt(600));
        Scheduler p = Scheduler.parse("pinned:5", "1000:0-3", rk, 1);
        assertEquals(5, p.cpuAt(999));
        assertEquals(0, p.cpuAt(1000));
        assertEquals(1000, p.nextChange(0));
        Scheduler keep = Scheduler.parse("pinned:1", "1000:0-3", rk, 1);
        assertEquals(1, keep.cpuAt(5000));
        Scheduler r = Scheduler.parse("random:10", "100:6", rk, 9);
        for (long t = 100; t < 2000; t += 10) {
            assertEquals(6, r.cpuAt(t));
        }
    }

    @Test
    void traceReplaysAPlacementList(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "# start cpu\n0 0\n\n250 4   # big\n900 1\n");
        Scheduler s = Scheduler.parse("trace:" + f, null, rk, 1);
        assertEquals(0, s.cpuAt(0));
        assertEquals(0, s.cpuAt(249));
        assertEquals(4, s.cpuAt(250));
        assertEquals(4, s.cpuAt(899));
        assertEquals(1, s.cpuAt(5000));
        assertEquals(250, s.nextChange(0));
        assertEquals(900, s.nextChange(250));
        assertEquals(Long.MAX_VALUE, s.nextChange(900));
    }

    @Test
    void errorsNameTheOptionAndProblem(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"fifo:10", "unknown policy 'fifo'"},
            {"random:abc", "SLICE_US 'abc'"},
            {"random:0", "at least 1"},
            {"round-robin", "round-robin:SLICE_US"},
            {"pinned:9", "do not exist on host rk3588"},
            {"pinned:", "empty CPU list"},
            {"random:10:1-2:3", "random:SLICE_US"},
            {"trace:" + dir.resolve("missing.txt"), "no such file"},
        };
        for (String[] c : cases) {
            HostException e = assertThrows(HostException.class, () -> Scheduler.parse(c[0], null, rk, 1), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        assertTrue(assertThrows(HostException.class, () -> Scheduler.parse("pinned:1", "10", rk, 1))
                .getMessage().contains("--pin-after 10"));
        String[][] traces = {
            {"5 0\n", ":1: the first placement must start at 0"},
            {"0 0\n7 1\n7 2\n", ":3: START_US 7 does not ascend"},
            {"0 12\n", ":1: CPU 12 does not exist"},
            {"0\n", ":1: expected \"START_US CPU\""},
            {"# nothing\n", "no placements"},
        };
        for (String[] t : traces) {
            Path f = dir.resolve("bad.trace");
            Files.writeString(f, t[0]);
            HostException e = assertThrows(HostException.class, () -> Scheduler.parse("trace:" + f, null, rk, 1));
            assertTrue(e.getMessage().contains("bad.trace") && e.getMessage().contains(t[1]), e.getMessage());
        }
    }
}
