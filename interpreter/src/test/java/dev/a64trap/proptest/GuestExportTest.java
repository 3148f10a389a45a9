package dev.a64trap.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cli.Main;
import dev.a64trap.machine.PlantedBug;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planted vPMU bug's counterexample exported as a guest: the expected values in it are the model's,
 * and the real {@code a64trap run} of the exported binary and schedule passes on the correct vPMU
 * (the run with the bug planted too is checked end to end in {@code FuzzCommandTest}).
 */
class GuestExportTest {
    @TempDir
    Path dir;

    private static Counterexample planted() {
        StateMachine<PmuProperties.World, PmuProperties.Sut> sm =
                PmuProperties.all(() -> PmuPropertiesTest.planted(PlantedBug.LOST_EL1_SWINC)).get(0);
        Counterexample c = Runner.search(sm, 1, 1000).failure();
        assertTrue(c != null, "planted bug not found");
        return c;
    }

    private int run(GuestExport.Result r) throws IOException {
        Files.write(dir.resolve("cx.bin"), r.bin());
        Files.writeString(dir.resolve("cx.sched"), r.sched());
        String[] cmd = r.cmd().trim().split(" ");
        assertEquals("a64trap", cmd[0]);
        String[] args = new String[cmd.length - 1];
        for (int i = 1; i < cmd.length; i++) {
            args[i - 1] = cmd[i].replace("trace:cx.sched", "trace:" + dir.resolve("cx.sched"))
                    .replace("cx.bin", dir.resolve("cx.bin").toString());
        }
        return Main.execute(args);
    }

    @Test
    void plantedBugCounterexampleExportsAndPassesOnTheCorrectVpmu() throws IOException {
        Counterexample c = planted();
        GuestExport.Result r = GuestExport.export(c, "cx");
        assertTrue(r.replayable(), r.notReplayable() + "\n" + c.report());
        // the exported checks carry the model's values for every register the diff names
        assertFalse(c.diff().isEmpty(), c.report());
        for (String d : c.diff()) {
            if (d.startsWith("irq")) {
                continue;
            }
            String model = d.replaceAll(".*model=(0x[0-9a-f]+).*", "$1");
            String reg = d.substring(0, d.indexOf(':'));
            assertTrue(r.asm().contains("read " + reg + " at EL1\n") && r.asm().contains("// model: " + model + "\n"),
                    reg + " model " + model + " not checked in\n" + r.asm());
        }
        assertEquals(0, run(r), r.asm() + "\n" + r.sched() + r.cmd());
    }

    @Test
    void aWrongExpectationFailsWithItsStepNumber() throws IOException {
        Counterexample c = planted();
        // the bug's view of the state as if it were the model: the guest must exit with the failing step
        Counterexample lying = new Counterexample(c.property(), c.seed(), c.originalLength(), c.steps(),
                c.failingStep(), c.check(), c.message(), c.diff());
        GuestExport.Result ok = GuestExport.export(lying, "cx");
        assertTrue(ok.replayable());
        // patch the first compared model value in the binary: one MOVZ x2 immediate plus one
        byte[] bin = ok.bin().clone();
        int at = -1;
        for (int i = 0; i + 4 <= bin.length; i += 4) {
            int w = java.nio.ByteBuffer.wrap(bin, i, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            if ((w & 0xFFE0001F) == 0xD2800002) { // movz x2, #imm
                at = i;
            }
        }
        assertTrue(at >= 0, ok.asm());
        int w = java.nio.ByteBuffer.wrap(bin, at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        java.nio.ByteBuffer.wrap(bin, at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(w ^ 1 << 5);
        GuestExport.Result bad = new GuestExport.Result(null, ok.asm(), bin, ok.sched(), ok.cmd());
        assertEquals(c.steps().size(), run(bad), "the last check (after the failing step) must report its step");
    }

    @Test
    void migrationsReplayInTheSameOrderThroughTheTrace() throws IOException {
        String setup = "setup(host=rk3588 hostPmuVer=6 mode=DEFAULT vmmCpu=0 firstCpu=0)";
        Counterexample c = new Counterexample("p", 7, 9, List.of(setup, "enable(EL1 PMCNTENSET <- 0x80000000)",
                "pmcr(EL1 PMCR <- 0x1)", "run(3000 insns at EL1)", "migrate(5)", "run(3000 insns at EL1)",
                "migrate(2)", "run(3000 insns at EL1)", "read(EL1 PMCNTENSET)"), 9, "k", "m", List.of());
        GuestExport.Result r = GuestExport.export(c, "cx");
        assertTrue(r.replayable(), r.notReplayable());
        List<String> lines = r.sched().lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(3, lines.size(), r.sched());
        assertEquals("0 0", lines.get(0));
        assertTrue(lines.get(1).endsWith(" 5") && lines.get(2).endsWith(" 2"), r.sched());
        Path report = dir.resolve("report.json");
        GuestExport.Result withReport = new GuestExport.Result(null, r.asm(), r.bin(), r.sched(),
                r.cmd().replace(" cx.bin", " --pmu-report json:" + report + " cx.bin"));
        assertEquals(0, run(withReport), r.asm());
        var ms = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile()).get("migrations");
        List<Integer> to = new java.util.ArrayList<>();
        ms.forEach(m -> to.add(m.get("to").asInt()));
        assertEquals(List.of(5, 2), to, ms.toString());
    }

    @Test
    void userspaceStepsAreNotReplayable() {
        Counterexample c = new Counterexample("p", 1, 3, List.of(
                "setup(host=rk3588 hostPmuVer=6 mode=DEFAULT vmmCpu=0 firstCpu=0)", "onereg(x)"), 2, "k", "m",
                List.of());
        assertFalse(GuestExport.export(c, "cx").replayable());
    }

    @Test
    void el0StepsReplayWithTheirUndefsChecked() throws IOException {
        String setup = "setup(host=rk3588 hostPmuVer=6 mode=DEFAULT vmmCpu=0 firstCpu=0)";
        // PMUSERENR=0: EL0 PMU accesses UNDEF; with EN (bit 0) they are allowed; runs at both ELs
        Counterexample c = new Counterexample("p", 7, 9, List.of(setup, "read(EL0 PMCR)",
                "write(EL0 PMSELR <- 0x3)", "run(100 insns at EL0)", "userenr(EL1 PMUSERENR <- 0x1)",
                "write(EL0 PMSELR <- 0x2)", "read(EL0 PMSELR)", "run(50 insns at EL1)", "read(EL0 PMUSERENR)"),
                9, "k", "m", List.of());
        GuestExport.Result r = GuestExport.export(c, "cx");
        assertTrue(r.replayable(), r.notReplayable());
        assertTrue(r.asm().contains("eret") && r.asm().contains("svc"), r.asm());
        assertTrue(r.asm().contains("// model: UNDEF") && r.asm().contains("// model: no UNDEF"), r.asm());
        assertEquals(0, run(r), r.asm());
        // the same guest against a model that expects the first EL0 read to be allowed fails at step 2
        String asm = r.asm();
        int at = asm.indexOf("cmp\tx3, #0x1");
        assertTrue(at > 0, asm);
        byte[] bin = r.bin().clone();
        int flipped = 0;
        for (int i = 0; i + 4 <= bin.length && flipped == 0; i += 4) {
            int w = java.nio.ByteBuffer.wrap(bin, i, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            if (w == A64Encoder.cmpImm(3, 1)) { // the first UNDEF expectation: step 2's read
                java.nio.ByteBuffer.wrap(bin, i, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(A64Encoder.cmpImm(3, 0));
                flipped++;
            }
        }
        assertEquals(1, flipped);
        assertEquals(2, run(new GuestExport.Result(null, r.asm(), bin, r.sched(), r.cmd())), r.asm());
    }

    @Test
    void setupAttributesBecomeRunOptions() throws IOException {
        // nr=3, then PMCR.N=2 by one-reg; INST_RETIRED denied: counter 0 programmed for it must not move
        String setup = "setup(host=rk3588 hostPmuVer=5 mode=DEFAULT nr=3 deny[0x8+1] onereg PMCR.N=2 vmmCpu=0 firstCpu=0)";
        Counterexample c = new Counterexample("p", 7, 5, List.of(setup, "program(counter 0 type=0x8 PMCR<-0x1)",
                "run(500 insns at EL1)", "read(EL1 PMEVCNTR0)", "read(EL1 PMCR)"), 5, "k", "m", List.of());
        GuestExport.Result r = GuestExport.export(c, "cx");
        assertTrue(r.replayable(), r.notReplayable());
        assertTrue(r.cmd().contains(" --host-pmu-version 3p4 --pmu-counters 3 --pmu-filter deny:0x8+1 --pmcr-n 2 "),
                r.cmd());
        assertTrue(r.asm().contains("read PMEVCNTR0 at EL1\n") && !r.asm().contains("value not compared"), r.asm());
        assertEquals(0, run(r), r.asm() + r.cmd());
        // each attribute matters: without it the guest sees another PMCR.N, or a counting counter
        for (String drop : List.of(" --pmcr-n 2", " --pmu-filter deny:0x8+1")) {
            GuestExport.Result without = new GuestExport.Result(null, r.asm(), r.bin(), r.sched(),
                    r.cmd().replace(drop, ""));
            assertEquals(drop.contains("pmcr") ? 5 : 4, run(without), drop + "\n" + r.asm());
        }
    }
}
