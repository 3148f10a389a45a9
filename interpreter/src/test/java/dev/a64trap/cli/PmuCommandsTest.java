package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The PMU guests against their recorded a64trap output, and the compare/demo/hosts commands. */
class PmuCommandsTest {
    static final Path GUESTS = Path.of("..", "guest-images");
    static final Path EXPECTED = GUESTS.resolve("expected/pmu");

    record Out(int status, String out, String err) {}

    static Out exec(Object command, java.util.function.BiConsumer<ByteArrayOutputStream, ByteArrayOutputStream> wire,
            String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        wire.accept(out, err);
        int status = new CommandLine(command).execute(args);
        return new Out(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Out demo() {
        DemoCommand d = new DemoCommand();
        return exec(d, (o, e) -> {
            d.out = o;
            d.err = e;
        });
    }

    @Test
    void pmuGuestsMatchTheirRecordedOutput() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(EXPECTED.resolve("runs.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            List<String> args = new ArrayList<>(Arrays.asList(f[2].trim().split(" +")));
            args.add(0, GUESTS.resolve("prebuilt/" + f[1] + ".elf").toString());
            RunCommandTest.Result r = RunCommandTest.run(args.toArray(new String[0]));
            String want = Files.readString(EXPECTED.resolve(f[0] + ".out"));
            int status = Integer.parseInt(Files.readString(EXPECTED.resolve(f[0] + ".status")).strip());
            if (!want.equals(r.out()) || status != r.status()) {
                failures.add(f[0] + ": status " + r.status() + " (want " + status + ")\n" + r.err());
            }
            checked++;
        }
        assertEquals(15, checked);
        assertEquals(List.of(), failures);
    }

    /** The recorded outputs say what the spec says (not just "whatever a64trap printed"). */
    @Test
    void recordedOutputsShowTheSpecifiedBehaviour() throws IOException {
        for (String ok : List.of("pmu-access-a55", "pmu-access-a76", "pmu-access-fixed", "pmu-access-tri-auto")) {
            String t = Files.readString(EXPECTED.resolve(ok + ".out"));
            assertTrue(t.contains("pmu-access: 131 passed, 0 failed"), ok);
        }
        assertTrue(Files.readString(EXPECTED.resolve("pmu-access-fixed.out")).contains("PMCR_EL0.N=0, PMCEID0=0x0 PMCEID1=0x0"));
        assertTrue(Files.readString(EXPECTED.resolve("pmu-access-a55.out")).contains("PMCR_EL0.N=6"));
        for (String ev : List.of("pmu-events-a55", "pmu-events-a76")) {
            assertTrue(Files.readString(EXPECTED.resolve(ev + ".out")).contains("pmu-events: 8 passed, 0 failed"), ev);
        }
        assertTrue(Files.readString(EXPECTED.resolve("pmu-events-a55.out"))
                .contains("got 10002 expected 10002 (2 + 10 x 1000)"), "the enabling MSR counts itself (issue 15)");
        for (String el0 : List.of("pmu-el0-a55", "pmu-el0-fixed")) {
            String t = Files.readString(EXPECTED.resolve(el0 + ".out"));
            assertTrue(t.contains("pmu-el0: 16 passed, 0 failed"), el0);
            assertEquals(16, t.lines().filter(l -> l.startsWith("PASS PMUSERENR=")).count());
            assertTrue(t.lines().filter(l -> l.startsWith("PASS PMUSERENR="))
                    .allMatch(l -> l.substring(l.indexOf("): ") + 3).matches("[aU]{14}")), "only allowed or EC 0x00");
        }
        assertTrue(Files.readString(EXPECTED.resolve("calibrate-default.out")).contains("KMODE_EXCEPTION_NOT_HANDLED"));
        assertTrue(Files.readString(EXPECTED.resolve("calibrate-fixed.out")).contains("calibrated: "));
        assertEquals("123", Files.readString(EXPECTED.resolve("calibrate-set-pmu-unpinned.status")).strip());
        assertEquals("1", Files.readString(EXPECTED.resolve("calibrate-none.status")).strip(), "no PMU: a bug-check");
        assertTrue(Files.readString(EXPECTED.resolve("calibrate-none.out")).contains("(illegal instruction, UNDEF at PC="));
    }

    @Test
    void demoTellsTheStoryAndIsDeterministic() {
        Out a = demo();
        Out b = demo();
        assertEquals(0, a.status(), a.err());
        assertEquals(a.out(), b.out());
        String[] rows = a.out().split("\n");
        // no PMU at all: Windows crashes too (it reads PMU registers without checking): an UNDEF bug-check
        assertTrue(rows[2].startsWith("none ") && rows[2].contains(" -  -  ")
                && rows[2].contains("exit 1: *** KMODE_EXCEPTION_NOT_HANDLED (illegal instruction"), rows[2]);
        rows = java.util.Arrays.copyOfRange(rows, 1, rows.length);
        assertTrue(rows[2].startsWith("default ") && rows[2].contains("exit 1: *** KMODE_EXCEPTION_NOT_HANDLED"), rows[2]);
        assertTrue(rows[3].startsWith("set-pmu ") && rows[3].contains("0-3") && rows[3].contains("exit 0: calibrated"), rows[3]);
        assertTrue(rows[4].startsWith("fixed-counters-only ") && rows[4].contains(" 0  0x0000000000000000")
                && rows[4].contains("exit 0: calibrated"), rows[4]);
        // partitioned: N = HPMN, PMCEID the core's own, the cycle counter follows the vCPU too
        assertTrue(rows[5].startsWith("partitioned:4 (partition-v9) ") && rows[5].contains(" 4  0x")
                && rows[5].contains("exit 0: calibrated"), rows[5]);
        assertTrue(rows[6].startsWith("fixed-counters-only+icntr (experimental) ") && rows[6].contains(" 0  0x0000000000000000")
                && rows[6].contains("exit 0: calibrated"), rows[6]);
        assertTrue(rows[7].startsWith("auto (fixed-counters-only)"), rows[7]);
        // the calibrated frequency is between the two clusters' clocks
        String mhz = rows[4].replaceAll(".*ticks: ([0-9.]+) MHz.*", "$1");
        double f = Double.parseDouble(mhz);
        assertTrue(f > 1800 && f < 2400, mhz);
        assertTrue(a.out().contains("--- default: console"));
    }

    @Test
    void compareUsesEachModeAndReportsFailEntryOutcome() {
        CompareCommand c = new CompareCommand();
        Out r = exec(c, (o, e) -> {
            c.out = o;
            c.err = e;
        }, "--sched", "round-robin:300", "--kvm-abi", "mainline",
                GUESTS.resolve("prebuilt/calibrate.elf").toString());
        // mainline KVM has no fixed-counters-only: that row says so, the others run (default divides by zero)
        assertEquals(ExitStatus.GUEST_FAILURE, r.status(), r.out() + r.err());
        String[] rows = r.out().split("\n");
        assertTrue(rows[2].startsWith("none ") && rows[2].contains("no PMU)"), rows[2]);
        assertTrue(rows[3].startsWith("default ") && rows[3].contains("exit 1: *** KMODE_EXCEPTION_NOT_HANDLED"), rows[3]);
        assertTrue(rows[4].startsWith("set-pmu ") && rows[4].contains("exit 0: calibrated"), rows[4]);
        assertTrue(rows[5].matches("fixed-counters-only +- +- +- +- +- +refused: ENXIO \\(KVM ABI mainline has no "
                + "fixed-counters-only attribute\\)"), rows[5]);
        assertTrue(rows[6].startsWith("partitioned:4 (partition-v9) ") && rows[6].contains("exit 0: calibrated"), rows[6]);
        assertTrue(rows[7].matches("fixed-counters-only\\+icntr \\(experimental\\) +- +- +- +- +- +refused: ENXIO.*"),
                rows[7]);
        assertTrue(rows[8].startsWith("auto (none)"), rows[8]);
        assertTrue(!r.out().contains("--- fixed-counters-only: console"), r.out());
    }

    @Test
    void compareTakesMaxInsnsZeroAsNoLimitLikeRun() {
        CompareCommand c = new CompareCommand();
        Out r = exec(c, (o, e) -> {
            c.out = o;
            c.err = e;
        }, "--max-insns", "0", GUESTS.resolve("prebuilt/hello.elf").toString());
        assertEquals(0, r.status(), r.out() + r.err());
        CompareCommand n = new CompareCommand();
        Out bad = exec(n, (o, e) -> {
            n.out = o;
            n.err = e;
        }, "--max-insns", "-1", GUESTS.resolve("prebuilt/hello.elf").toString());
        assertEquals(ExitStatus.USAGE, bad.status());
        assertTrue(bad.err().contains("--max-insns must be 0 (no limit) or positive, got -1"), bad.err());
    }

    @Test
    void compareOnAHostWhosePmusMissACpuRefusesOnlyThatMode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path host = tmp.resolve("gap.json");
        java.nio.file.Files.writeString(host, "{\"cpus\": 6, \"clusters\": [{\"core\": \"cortex-a55\", \"cpus\": \"0-3\"},"
                + " {\"core\": \"cortex-a76\", \"cpus\": \"4\"}]}");
        CompareCommand c = new CompareCommand();
        Out r = exec(c, (o, e) -> {
            c.out = o;
            c.err = e;
        }, "--host", host.toString(), "--memory", "256M", "--cpu", "cortex-a57", "--no-jit", "--pmu-report", "json",
                GUESTS.resolve("prebuilt/calibrate.elf").toString());
        assertTrue(r.status() != ExitStatus.USAGE, r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\nfixed-counters-only +- .*refused: EINVAL \\(host PMUs do not cover all CPUs online at vCPU init.*"),
                r.out());
        // v8 refuses a vPMU on such a host in every mode (fixed, fixed+icntr, and the rows needing
        // every CPU covered); auto chooses none and runs
        assertEquals(4, r.out().lines().filter(l -> l.contains("refused: EINVAL (host PMUs do not cover all CPUs online at vCPU init")).count(),
                r.out());
        assertTrue(r.out().contains("\n--- auto (none): console\n"), r.out());
        // --pmu-report: one JSON report per row that ran (none, partitioned, auto (none))
        long reports = r.err().lines().filter(l -> l.startsWith("{")).count();
        assertEquals(3, reports, r.err());
        assertTrue(r.err().contains("\"mode\" : \"none\""), r.err());
    }

    @Test
    void hostsListsPresets() {
        HostsCommand h = new HostsCommand();
        Out r = exec(h, (o, e) -> h.out = o);
        assertEquals(0, r.status());
        assertTrue(r.out().contains("rk3588: 8 CPUs - cpus 0-3 cortex-a55, 4-7 cortex-a76"));
        assertTrue(r.out().contains("armv8_cortex_a55     type  8  CPUs 0-3"));
        assertTrue(r.out().contains("uniform-a76"));
        // the A55 and A76 are PMUv3p1, the A720/X4 PMUv3p7; KVM exposes at most PMUv3p5
        assertTrue(r.out().matches("(?s)rk3588:.*1800 MHz, PMUv3p1\n.*2400 MHz, PMUv3p1\n"
                + "  guest PMU version \\(KVM's limit, min\\(host, PMUv3p5\\)\\): PMUv3p1\ntri-cluster.*"), r.out());
        assertTrue(r.out().matches("(?s).*3250 MHz, PMUv3p7\n  guest PMU version [^\n]*: PMUv3p5\nuniform.*"), r.out());
    }

    @Test
    void pmuReportShowsCountersPerCpuAndMigrations() {
        RunCommandTest.Result r = RunCommandTest.run("--pmu-report", "text", "--sched", "round-robin:500",
                "--pmu", "fixed-counters-only", GUESTS.resolve("prebuilt/calibrate.elf").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("vPMU report: mode fixed-counters-only"), r.err());
        assertTrue(r.err().matches("(?s).*PMCCNTR +=.*counted: cpu0 \\d+, cpu1 \\d+.*cpu4 \\d+.*"), r.err());
        assertTrue(r.err().contains("cpu3 (armv8_cortex_a55) -> cpu4 (armv8_cortex_a76)"), r.err());
    }

    @Test
    void badPmuOptionsAreUsageErrors() {
        String img = GUESTS.resolve("prebuilt/hello.elf").toString();
        String[][] bad = {{"--host", "nope"}, {"--sched", "bogus"}, {"--pmu", "pmu:nope"}, {"--kvm-abi", "v9"},
            {"--vmm-cpu", "8"}, {"--pmu-version", "4"}, {"--pmu-report", "xml"}, {"--pmu-report", "json:/nonexistent-dir/r.json"}, {"--pin-after", "x"},
            {"--pmu", "fixed-counters-only", "--kvm-abi", "mainline"}, {"--host-pmu-version", "3p9"},
            {"--pmu-counters", "32"}, {"--pmu-filter", "block:0x11"}, {"--pmu-filter", "deny:0xffff+2"}, {"--pmu-filter", "deny:0x11+0"}, {"--pmcr-n", "32"},
            {"--pmu", "none", "--pmcr-n", "2"}, {"--plant-bug", "nope"}};
        for (String[] b : bad) {
            List<String> args = new ArrayList<>(Arrays.asList(b));
            args.add(img);
            RunCommandTest.Result r = RunCommandTest.run(args.toArray(new String[0]));
            assertEquals(ExitStatus.USAGE, r.status(), String.join(" ", b));
            assertTrue(r.err().startsWith("a64trap run: " + b[0]), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void kvmAttributesFromTheCommandLineReachTheGuest() {
        // pmu-access checks every register against the N it reads from PMCR; N is what KVM was told
        String img = GUESTS.resolve("prebuilt/pmu-access.elf").toString();
        RunCommandTest.Result three = RunCommandTest.run("--sched", "pinned:0", "--pmu-counters", "3", img);
        assertEquals(0, three.status(), three.out() + three.err());
        assertTrue(three.out().startsWith("pmu-access: PMUv3p1, PMCR_EL0.N=3, PMCEID0=0x7fffffff "), three.out());
        assertTrue(three.out().contains(" 0 failed"), three.out());
        RunCommandTest.Result two = RunCommandTest.run("--sched", "pinned:0", "--pmu-counters", "3", "--pmcr-n", "2",
                "--pmu-filter", "deny:0x11", img);
        assertEquals(0, two.status(), two.out() + two.err());
        // the one-reg write lowers N after SET_NR_COUNTERS; the DENY filter clears CPU_CYCLES (0x11) in PMCEID0
        assertTrue(two.out().startsWith("pmu-access: PMUv3p1, PMCR_EL0.N=2, PMCEID0=0x7ffdffff "), two.out());
        assertTrue(two.out().contains(" 0 failed"), two.out());
        RunCommandTest.Result tooMany = RunCommandTest.run("--pmu-counters", "7", img); // the A55 has 6
        assertEquals(ExitStatus.USAGE, tooMany.status());
        assertTrue(tooMany.err().contains("KVM refused the setup") && tooMany.err().contains("EINVAL"), tooMany.err());
    }

    @Test
    void failEntryHasItsOwnStatusAndMessage() {
        RunCommandTest.Result r = RunCommandTest.run("--pmu", "pmu:armv8_cortex_a55", "--sched", "pinned:5",
                GUESTS.resolve("prebuilt/hello.elf").toString());
        assertEquals(ExitStatus.FAIL_ENTRY, r.status());
        assertEquals("", r.out(), "the guest executed nothing");
        assertTrue(r.err().contains("KVM_EXIT_FAIL_ENTRY") && r.err().contains("pCPU 5"), r.err());
    }
}
