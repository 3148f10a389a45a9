package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.a64trap.proptest.Action;
import dev.a64trap.proptest.Gens;
import dev.a64trap.proptest.Invariant;
import dev.a64trap.proptest.StateMachine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FuzzCommandTest {
    record Out(int status, String out, String err) {}

    static Out fuzz(List<? extends StateMachine<?, ?>> props, String... args) {
        return fuzz(new FuzzCommand(), props, args);
    }

    static Out fuzz(FuzzCommand f, List<? extends StateMachine<?, ?>> props, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        f.out = o;
        f.err = e;
        f.properties = props;
        CommandLine cl = new CommandLine(f);
        java.io.PrintWriter pw = new java.io.PrintWriter(e, true, StandardCharsets.UTF_8);
        cl.setErr(pw);
        int status = cl.execute(args);
        pw.flush();
        return new Out(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** A planted bug: the implementation keeps only 32 bits of a written value. */
    static StateMachine<long[], long[]> planted() {
        List<Action<long[], long[], ?>> actions = List.of(
                Action.<long[], long[], Long>of("write", 1, m -> Gens.longs(), (m, i, v) -> {
                    m[0] = v;
                    i[0] = v & 0xFFFF_FFFFL;
                }).describedBy(v -> "0x" + Long.toHexString(v)));
        return new StateMachine<>("planted truncation", () -> new long[1], m -> new long[1], actions,
                List.of(new Invariant<>("same value", (m, i) -> m[0] == i[0] ? null : "differs")),
                m -> Map.of("v", Long.toHexString(m[0])), i -> Map.of("v", Long.toHexString(i[0])), 10);
    }

    @Test
    void noProgressBarWhenStderrIsAPipe() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "fuzz", "--target", "pmu", "--tries", "3").start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out + err);
        assertTrue(out.contains("fuzz pmu: 9 chains over 3 properties"), out);
        assertEquals("", err, "a bar on a pipe is only noise");
    }

    @Test
    void realPropertiesPassAndReportThroughput() {
        Out r = fuzz(null, "--target", "pmu", "--tries", "30", "--no-progress");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*fuzz pmu: 90 chains over 3 properties \\(runs: machine\\) in [0-9.]+ s: [0-9]+ chains/s; "
                + "0 counterexample\\(s\\)\\n"), r.out());
    }

    @Test
    void progressBarGoesToStderr() {
        FuzzCommand f = new FuzzCommand();
        f.stderrTerminal = () -> true;
        Out r = fuzz(f, null, "--target", "pmu", "--seed-range", "5..9");
        assertEquals(0, r.status());
        assertTrue(r.err().contains("fuzz pmu 100% ["), r.err());
        assertTrue(r.err().contains(" 15 chains"), r.err());
        assertTrue(r.out().contains("fuzz pmu: 15 chains"), r.out());
    }

    @Test
    void counterexampleIsShrunkWrittenAsJsonAndExitsNonZero(@TempDir Path dir) throws Exception {
        Out r = fuzz(List.of(planted()), "--target", "pmu", "--tries", "50", "--out", dir.toString(), "--no-progress");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("property 'planted truncation' falsified"), r.out());
        assertTrue(r.out().contains("1 counterexample(s)"), r.out());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertEquals(1, files.size());
        JsonNode j = new ObjectMapper().readTree(files.get(0).toFile());
        assertEquals("planted truncation", j.get("property").asText());
        // -1 is the simplest 64-bit edge that loses its upper half
        assertEquals("write(0xffffffffffffffff)", j.get("steps").get(0).asText());
        assertEquals(1, j.get("steps").size());
        assertEquals("same value", j.get("check").asText());
        long seed = j.get("seed").asLong();
        assertTrue(files.get(0).getFileName().toString().endsWith("-seed-" + seed + ".json"));
        // the seed replays the same counterexample
        Out again = fuzz(List.of(planted()), "--target", "pmu", "--seed", Long.toString(seed), "--no-progress");
        assertEquals(1, again.status());
        assertTrue(again.out().contains("seed:            " + seed), again.out());
        assertTrue(again.out().contains("fuzz pmu: 1 chains"), again.out());
    }

    /** The exported guest's run command, with its relative file names resolved in {@code dir}. */
    static String[] runArgs(Path dir, String cmd, boolean keepPlantedBug) {
        List<String> args = new java.util.ArrayList<>();
        String[] words = cmd.trim().split(" ");
        assertEquals("a64trap", words[0], cmd);
        for (int i = 1; i < words.length; i++) {
            if (!keepPlantedBug && words[i].equals("--plant-bug")) {
                i++;
                continue;
            }
            String w = words[i];
            args.add(w.startsWith("trace:") ? "trace:" + dir.resolve(w.substring(6))
                    : w.endsWith(".bin") ? dir.resolve(w).toString() : w);
        }
        return args.toArray(String[]::new);
    }

    /**
     * The end-to-end check: a campaign with a bug planted in the product's trap path finds it,
     * and the exported guest, run with the same bug planted, fails the same way (exit status = the
     * counterexample's failing step), while on the correct vPMU it passes.
     */
    @Test
    void plantedBugCounterexampleReplaysAndFailsTheSameWay(@TempDir Path dir) throws Exception {
        Out r = fuzz(null, "--target", "pmu", "--plant-bug", "lost-el1-swinc", "--tries", "1000", "--out",
                dir.toString(), "--no-progress");
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().contains("warning: planted bug lost-el1-swinc is active"), r.err());
        assertTrue(r.out().contains("as a guest: "), r.out());
        String name;
        try (Stream<Path> s = Files.list(dir)) {
            name = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().findFirst()
                    .orElseThrow().replace(".json", "");
        }
        for (String ext : List.of(".S", ".bin", ".sched", ".cmd")) {
            assertTrue(Files.size(dir.resolve(name + ext)) > 0, name + ext);
        }
        JsonNode j = new ObjectMapper().readTree(dir.resolve(name + ".json").toFile());
        assertEquals("lost-el1-swinc", j.get("plantedBug").asText());
        int failingStep = j.get("failingStep").asInt();
        assertTrue(j.get("steps").get(failingStep - 1).asText().contains("PMSWINC"), j.toString());
        // the same step as fields
        assertEquals(j.get("steps").size(), j.get("stepData").size(), j.toString());
        JsonNode failing = j.get("stepData").get(failingStep - 1).get("params");
        assertEquals("PMSWINC", failing.get("kind").asText(), j.toString());
        assertEquals(1, failing.get("el").asInt(), j.toString());
        assertTrue(failing.get("value").asText().matches("0x[0-9a-f]+"), j.toString());
        assertEquals("setup", j.get("stepData").get(0).get("action").asText(), j.toString());
        String cmd = Files.readString(dir.resolve(name + ".cmd")).trim();
        assertTrue(cmd.startsWith("a64trap run --load-addr 0x40000000 --sched trace:" + name + ".sched --host "), cmd);
        assertTrue(cmd.endsWith(" --plant-bug lost-el1-swinc " + name + ".bin"), cmd);
        assertTrue(Files.readString(dir.resolve(name + ".S")).contains("hlt\t#0xf000"));

        String[] withBug = runArgs(dir, cmd, true);
        RunCommandTest.Result replay = RunCommandTest.run(java.util.Arrays.copyOfRange(withBug, 1, withBug.length));
        assertEquals(failingStep, replay.status(), "with the bug: exit = failing step\n" + cmd);
        assertTrue(replay.out().matches("a64trap counterexample: step " + failingStep + ": read PMEVCNTR\\d+ at EL1: "
                + "the model says 0x[0-9a-f]+\n"), replay.out());
        assertTrue(replay.err().contains("warning: planted bug lost-el1-swinc is active"), replay.err());
        assertEquals(0, Main.execute(runArgs(dir, cmd, false)), "without the bug the guest passes\n" + cmd);
    }

    /** Every planted bug is found, and every counterexample exported as a guest fails the same way. */
    @Test
    void everyPlantedBugIsFoundAndItsGuestsReplay(@TempDir Path root) throws Exception {
        for (dev.a64trap.machine.PlantedBug bug : dev.a64trap.machine.PlantedBug.values()) {
            Path dir = Files.createDirectories(root.resolve(bug.cliName()));
            Out r = fuzz(null, "--target", "pmu", "--plant-bug", bug.cliName(), "--tries", "1000", "--out",
                    dir.toString(), "--no-progress");
            assertEquals(1, r.status(), bug + ": " + r.out());
            List<Path> cmds;
            try (Stream<Path> s = Files.list(dir)) {
                cmds = s.filter(p -> p.toString().endsWith(".cmd")).sorted().toList();
            }
            assertFalse(cmds.isEmpty(), bug + ": no counterexample exported as a guest\n" + r.out());
            for (Path cmdFile : cmds) {
                String cmd = Files.readString(cmdFile);
                JsonNode j = new ObjectMapper().readTree(
                        Path.of(cmdFile.toString().replace(".cmd", ".json")).toFile());
                String why = bug + " " + cmdFile.getFileName() + "\n" + j.toPrettyString() + "\n"
                        + Files.readString(Path.of(cmdFile.toString().replace(".cmd", ".S")));
                assertEquals(j.get("failingStep").asInt(), Main.execute(runArgs(dir, cmd, true)), why);
                assertEquals(0, Main.execute(runArgs(dir, cmd, false)), why);
            }
        }
    }

    @Test
    void usageErrorsExit2WithOneClearLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        String[][] bad = {
            {"--target", "gdb"},
            {"--target", "pmu", "--tries", "0"},
            {"--target", "pmu", "--time", "0"},
            {"--target", "pmu", "--seed-range", "9..2"},
            {"--target", "pmu", "--seed-range", "abc"},
            {"--target", "pmu", "--seed", "1", "--seed-range", "1..2"},
            {"--target", "pmu", "--out", file.toString()},
            {"--tries", "3"},
            {"--target", "pmu", "--plant-bug", "nope"},
            {"--target", "pmu", "--runs", "qemu"},
            {"--target", "pmu", "--runs", "fake", "--mrs"},
        };
        for (String[] a : bad) {
            Out r = fuzz(null, a);
            assertEquals(2, r.status(), String.join(" ", a) + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertTrue(r.err().contains("fuzz") || r.err().contains("Missing required option"), r.err());
        }
    }

    @Test
    void hugeSeedRangeWithTriesRunsTheTries() {
        Out r = fuzz(null, "--target", "pmu", "--seed-range", "-9223372036854775808..9223372036854775807", "--tries",
                "2", "--no-progress");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("fuzz pmu: 6 chains over 3 properties (runs: machine) in "), r.out());
    }

    @Test
    void registeredInMain() {
        assertEquals(2, Main.execute("fuzz", "--target", "nope"));
    }
}
