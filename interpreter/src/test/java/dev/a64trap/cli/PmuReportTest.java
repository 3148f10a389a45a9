package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --pmu-report json}: parsed back and checked against the text report of the same run. */
class PmuReportTest {
    static final String EVENTS = PmuCommandsTest.GUESTS.resolve("prebuilt/pmu-events.elf").toString();
    static final String CALIBRATE = PmuCommandsTest.GUESTS.resolve("prebuilt/calibrate.elf").toString();
    static final Pattern COUNTER = Pattern.compile(
            "  (PMCCNTR|PMEVCNTR\\d+) += 0x([0-9a-f]{16})  event 0x([0-9a-f]{4}) ([a-z0-9_]+)( \\(counting\\))?  counted: (.*)");
    static final Pattern MIGRATION = Pattern.compile("    (\\d+)\\.(\\d{3}) ms  cpu(\\d+) \\(.*\\) -> cpu(\\d+) \\(.*\\)");

    @TempDir
    Path tmp;

    /** Runs IMAGE twice, text then json:FILE; returns (text stderr, parsed JSON). */
    private Map.Entry<String, JsonNode> both(String... args) throws IOException {
        Path file = tmp.resolve("report.json");
        List<String> text = new ArrayList<>(List.of("--pmu-report", "text"));
        List<String> json = new ArrayList<>(List.of("--pmu-report", "json:" + file));
        text.addAll(List.of(args));
        json.addAll(List.of(args));
        RunCommandTest.Result t = RunCommandTest.run(text.toArray(new String[0]));
        RunCommandTest.Result j = RunCommandTest.run(json.toArray(new String[0]));
        assertEquals(0, t.status(), t.err());
        assertEquals(0, j.status(), j.err());
        assertEquals(t.out(), j.out(), "the report must not change the guest's output");
        assertFalse(j.err().contains("vPMU report"), j.err());
        return Map.entry(t.err(), new ObjectMapper().readTree(file.toFile()));
    }

    private static void assertCountersMatch(String text, JsonNode root) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode c : root.get("counters")) {
            byName.put(c.get("name").asText(), c);
        }
        int lines = 0;
        for (String line : text.split("\n")) {
            Matcher m = COUNTER.matcher(line);
            if (!m.matches()) {
                continue;
            }
            lines++;
            JsonNode c = byName.get(m.group(1));
            assertTrue(c != null, "no JSON counter " + m.group(1));
            assertEquals(new BigInteger(m.group(2), 16), c.get("value").bigIntegerValue(), line);
            assertEquals("0x" + m.group(2), c.get("valueHex").asText(), line);
            assertEquals(Integer.parseInt(m.group(3), 16), c.get("event").asInt(), line);
            assertEquals(m.group(4), c.get("perfName").asText(), line);
            assertEquals(m.group(5) != null, c.get("counting").asBoolean(), line);
            StringBuilder per = new StringBuilder();
            JsonNode arr = c.get("countedPerCpu");
            for (int cpu = 0; cpu < arr.size(); cpu++) {
                if (arr.get(cpu).asLong() != 0) {
                    per.append(per.length() == 0 ? "" : ", ").append("cpu").append(cpu).append(' ')
                            .append(arr.get(cpu).asLong());
                }
            }
            assertEquals(m.group(6), per.length() == 0 ? "nothing" : per.toString(), line);
        }
        assertEquals(lines, byName.size(), "one JSON counter per text line");
        assertTrue(lines >= 1, text);
    }

    @Test
    void pinnedEventsRunMatchesTheTextReport() throws IOException {
        var r = both("--sched", "pinned:0", EVENTS);
        String text = r.getKey();
        JsonNode root = r.getValue();
        assertEquals("a64trap.pmu-report/1", root.get("schema").asText());
        assertEquals("rk3588", root.get("host").asText());
        assertEquals("PMUv3p1", root.get("pmuVersion").asText(), "the A55/A76 host's sanitised PMUVer");
        assertTrue(text.startsWith("vPMU report: mode " + root.get("mode").asText() + ", host rk3588, KVM PMU "
                + root.get("kvmPmu").get("name").asText() + " (CPUs " + root.get("kvmPmu").get("cpus").asText()
                + "), " + root.get("pmuVersion").asText() + ", PMCR_EL0.N=" + root.get("pmcrN").asInt() + ", guest time "
                + PmuOptions.micros(root.get("guestTimeNs").asLong())), text);
        assertTrue(root.get("guestTimeNs").asLong() > 0);
        assertEquals(8, root.get("hostCpus").size());
        assertEquals("armv8_cortex_a55", root.get("hostCpus").get(0).get("pmu").asText());
        assertEquals("armv8_cortex_a76", root.get("hostCpus").get(7).get("pmu").asText());
        assertCountersMatch(text, root);
        assertTrue(root.get("counters").size() >= 2, "event counters too: " + text);
        // pinned to cpu0: everything was counted there, nothing elsewhere, no migration
        for (JsonNode c : root.get("counters")) {
            for (int cpu = 1; cpu < 8; cpu++) {
                assertEquals(0, c.get("countedPerCpu").get(cpu).asLong(), c.toString());
            }
        }
        assertEquals(0, root.get("migrations").size());
        assertTrue(text.contains("  migrations: 0\n"), text);
        JsonNode irq = root.get("interrupt");
        assertTrue(text.contains("PMU interrupt (PPI " + irq.get("ppi").asInt() + "): level "
                + (irq.get("level").asBoolean() ? "high" : "low") + ", " + irq.get("risingEdges").asLong()
                + " rising edges"), text);
        assertTrue(text.contains("stalled (enabled, not counting): "
                + PmuOptions.micros(root.get("cycleCounterStalledNs").asLong())), text);
    }

    @Test
    void migrationsMatchTheTextReport() throws IOException {
        var r = both("--sched", "round-robin:500", "--pmu", "fixed-counters-only", CALIBRATE);
        String text = r.getKey();
        JsonNode root = r.getValue();
        assertEquals("fixed-counters-only", root.get("mode").asText());
        assertCountersMatch(text, root);
        List<String> fromText = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = MIGRATION.matcher(line);
            if (m.matches()) {
                fromText.add(m.group(1) + "." + m.group(2) + " " + m.group(3) + " " + m.group(4));
            }
        }
        List<String> fromJson = new ArrayList<>();
        for (JsonNode m : root.get("migrations")) {
            long ns = m.get("timeNs").asLong();
            fromJson.add(ns / 1_000_000 + "." + String.format("%03d", ns / 1000 % 1000) + " "
                    + m.get("from").asInt() + " " + m.get("to").asInt());
        }
        assertTrue(fromText.size() > 1, text);
        assertEquals(fromText, fromJson);
    }

    @Test
    void jsonWithoutFileGoesToStderr() throws IOException {
        RunCommandTest.Result j = RunCommandTest.run("--pmu-report", "json", "--pmu", "none", "--sched", "pinned:4",
                EVENTS.replace("pmu-events", "hello"));
        assertEquals(0, j.status(), j.err());
        JsonNode root = new ObjectMapper().readTree(j.err());
        assertEquals("a64trap.pmu-report/1", root.get("schema").asText());
        assertFalse(root.get("vcpuHasPmu").asBoolean());
        assertEquals(0, root.get("counters").size());
        assertTrue(root.get("interrupt").isNull());
        assertTrue(root.get("kvmPmu").isNull());
    }

    /**
     * perf's view: per counter, one row per host PMU type named as perf names hybrid events, the
     * events counted on that type, {@code <not counted>} where the counter never ran there, and the
     * running/enabled percentage; JSON carries the same figures (perfName, timeEnabledNs,
     * timeRunningNsPerCpu: fields added to schema /1).
     */
    @Test
    void perfViewSplitsCountersByPmuType() throws IOException {
        // default PMU (A55) with the vCPU moving to the A76s: the cycle counter runs only on the A55s
        RunCommandTest.Result perf = RunCommandTest.run("--pmu-report", "perf", "--sched", "round-robin:500", CALIBRATE);
        Path file = tmp.resolve("perf.json");
        RunCommandTest.Result j = RunCommandTest.run("--pmu-report", "json:" + file, "--sched", "round-robin:500", CALIBRATE);
        assertEquals(1, perf.status(), "the default PMU's stall crashes the calibration: " + perf.err());
        assertEquals(perf.out(), j.out(), "the report never changes the guest");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode cyc = null;
        for (JsonNode c : root.get("counters")) {
            if (c.get("index").asInt() == 31) {
                cyc = c;
            }
        }
        assertTrue(cyc != null, root.toString());
        assertEquals("cycles", cyc.get("perfName").asText());
        long enabled = cyc.get("timeEnabledNs").asLong();
        long runA55 = 0, runA76 = 0, countA55 = 0;
        for (int cpu = 0; cpu < 8; cpu++) {
            long t = cyc.get("timeRunningNsPerCpu").get(cpu).asLong();
            if (cpu < 4) {
                runA55 += t;
                countA55 += cyc.get("countedPerCpu").get(cpu).asLong();
            } else {
                runA76 += t;
            }
        }
        assertTrue(enabled > 0 && runA55 > 0 && runA55 < enabled, "enabled " + enabled + " running " + runA55);
        assertEquals(0, runA76, "the default PMU never backs the cycle counter on an A76");
        assertEquals(enabled - runA55, root.get("cycleCounterStalledNs").asLong(),
                "enabled but not running = the stall");
        String a55 = String.format(java.util.Locale.ROOT, "%,d      armv8_cortex_a55/cycles/", countA55);
        assertTrue(perf.err().contains(a55), perf.err());
        assertTrue(perf.err().contains(String.format(java.util.Locale.ROOT, "(%.2f%%)", 100.0 * runA55 / enabled)),
                perf.err());
        assertTrue(perf.err().matches("(?s).*<not counted>      armv8_cortex_a76/cycles/ +\\(0\\.00%\\).*"), perf.err());
        assertTrue(perf.err().contains("Performance counter stats for the guest (a64trap: mode default, host rk3588)"));
    }

    @Test
    void perfNamesAreLinuxPmuv3Names() {
        assertEquals("sw_incr", dev.a64trap.pmu.Events.perfName(0x00));
        assertEquals("inst_retired", dev.a64trap.pmu.Events.perfName(0x08));
        assertEquals("cpu_cycles", dev.a64trap.pmu.Events.perfName(0x11));
        assertEquals("mem_access", dev.a64trap.pmu.Events.perfName(0x13));
        assertEquals("br_retired", dev.a64trap.pmu.Events.perfName(0x21));
        assertEquals("stall_slot", dev.a64trap.pmu.Events.perfName(0x3F));
        assertEquals("r4004", dev.a64trap.pmu.Events.perfName(0x4004));
    }

    @Test
    void valuesAboveTwoToThe63AreUnsigned() throws IOException {
        PmuReport.Snapshot s = new PmuReport.Snapshot("default", "h", null, 1, "PMUv3p5", 5, true,
                List.of(new PmuReport.Counter(31, "PMCCNTR", -1L, 0x11, true, new long[] {3, 0}, "cycles", 5,
                        new long[] {5, 0})), 0, 23, false, 0,
                List.of(), List.of("p", "-"));
        JsonNode root = new ObjectMapper().readTree(PmuReport.json(s));
        JsonNode c = root.get("counters").get(0);
        assertEquals(new BigInteger("18446744073709551615"), c.get("value").bigIntegerValue());
        assertEquals("0xffffffffffffffff", c.get("valueHex").asText());
        assertTrue(root.get("hostCpus").get(1).get("pmu").isNull(), "a CPU without a PMU");
        assertEquals("p", root.get("hostCpus").get(0).get("pmu").asText());
    }

    @Test
    void comparePlotWithABadFileIsAUsageError() {
        CompareCommand c = new CompareCommand();
        PmuCommandsTest.Out r = PmuCommandsTest.exec(c, (o, e) -> {
            c.out = o;
            c.err = e;
        }, "--plot", "x.gif", CALIBRATE);
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.err().startsWith("a64trap compare: --plot x.gif: expected a file name ending in .png or .svg"),
                r.err());
    }
}
