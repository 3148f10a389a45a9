package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
    // Words from aarch64-linux-gnu-as (binutils 2.40).
    static final int MOV_W0_8 = 0x52800100, MOVK_W0_8400_LSL16 = 0x72b08000, HVC_0 = 0xd4000002,
            BRK_1 = 0xd4200020, B_SELF = 0x14000000, LDR_X0_X1 = 0xf9400020,
            MOVZ_X1_0900_LSL16 = 0xd2a12001, MOVK_X1_8000 = 0xf2900001;

    static final Path GUESTS = Path.of("..", "guest-images");

    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {}

    static Result run(String... args) {
        RunCommand rc = new RunCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        rc.out = out;
        rc.err = err;
        rc.in = java.io.InputStream.nullInputStream();
        int status = new CommandLine(rc).execute(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path raw(int... words) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        Path p = tmp.resolve("guest.bin");
        Files.write(p, b.array());
        return p;
    }

    /** --pmu auto prints its choice and why (QEMU RFC v4 order); --qemu-machine selects the compat rule. */
    @Test
    void pmuAutoPrintsTheChoiceAndTheQemuMachineRule() throws IOException {
        String guest = raw(MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0, B_SELF).toString();
        Result latest = run("--load-addr", "0x40000000", "--pmu", "auto", guest);
        assertEquals(0, latest.status(), latest.err());
        assertTrue(latest.err().contains("a64trap run: --pmu auto chose fixed-counters-only: no single PMU covers all"
                + " CPUs; together they do"), latest.err());
        Result old = run("--load-addr", "0x40000000", "--pmu", "auto", "--qemu-machine", "10.2", guest);
        assertTrue(old.err().contains("--pmu auto chose default: machine virt-10.2 keeps the legacy default PMU"),
                old.err());
        Result uniform = run("--load-addr", "0x40000000", "--pmu", "auto", "--host", "uniform-a76", guest);
        assertTrue(uniform.err().contains("--pmu auto chose pmu:armv8_cortex_a76: armv8_cortex_a76 covers all CPUs"),
                uniform.err());
        Result bad = run("--load-addr", "0x40000000", "--pmu", "auto", "--qemu-machine", "ten", guest);
        assertEquals(ExitStatus.USAGE, bad.status());
        assertEquals("a64trap run: --qemu-machine ten: expected latest or MAJOR.MINOR, e.g. 10.2\n", bad.err());
        Result explicit = run("--load-addr", "0x40000000", "--pmu", "default", guest);
        assertFalse(explicit.err().contains("auto"), explicit.err());
    }

    /** --vcpu-strict: no default PMU, so only SET_PMU runs; fixed-counters-only is refused by KVM. */
    @Test
    void strictVcpuNeedsSetPmu() throws IOException {
        String guest = raw(MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0, B_SELF).toString();
        Result def = run("--load-addr", "0x40000000", "--vcpu-strict", guest);
        assertEquals(ExitStatus.USAGE, def.status());
        assertTrue(def.err().contains("a STRICT vCPU has no default PMU, so KVM_RUN would fail EINVAL"), def.err());
        Result fixed = run("--load-addr", "0x40000000", "--vcpu-strict", "--pmu", "fixed-counters-only", guest);
        assertEquals(ExitStatus.USAGE, fixed.status());
        assertTrue(fixed.err().contains("KVM refused the setup: EINVAL"), fixed.err());
        Result ok = run("--load-addr", "0x40000000", "--vcpu-strict", "--pmu", "pmu:armv8_cortex_a55", "--sched",
                "pinned:0", guest);
        assertEquals(0, ok.status(), ok.err());
    }

    @Test
    void psciSystemOffExitsZero() throws IOException {
        Result r = run("--load-addr", "0x40000000", raw(MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0, B_SELF).toString());
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void exceptionWithoutVectorIs125WithDiagnosis() throws IOException {
        Result r = run("--load-addr", "0x40000000", raw(BRK_1).toString());
        assertEquals(ExitStatus.GUEST_EXCEPTION, r.status());
        assertTrue(r.err().contains("pc   0x0000000040000000  d4200020  brk\t#0x1"), r.err());
        assertTrue(r.err().contains("ESR  0xf2000001 (EC 0x3c: BRK)"), r.err());
    }

    @Test
    void unmappedLoadReportsDataAbort() throws IOException {
        Result r = run("--load-addr", "0x40000000", raw(MOVZ_X1_0900_LSL16, MOVK_X1_8000, LDR_X0_X1).toString());
        assertEquals(ExitStatus.GUEST_EXCEPTION, r.status());
        assertTrue(r.err().contains("ESR  0x96000010 (EC 0x25: data abort)"), r.err());
        assertTrue(r.err().contains("FAR  0x0000000009008000"), r.err());
    }

    @Test
    void budgetExhaustedIs124() throws IOException {
        Result r = run("--max-insns", "1000", "--stats", "--load-addr", "0x40000000", raw(B_SELF).toString());
        assertEquals(ExitStatus.BUDGET_EXHAUSTED, r.status());
        assertTrue(r.err().contains("after 1000 instructions"), r.err());
        assertTrue(r.err().contains("1000 guest instructions in"), r.err());
    }

    @Test
    void traceListsEachInstruction() throws IOException {
        Result r = run("--trace", "--max-insns", "3", "--load-addr", "0x40000000",
                raw(MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0).toString());
        assertEquals(0, r.status());
        String[] lines = r.err().strip().split("\n");
        assertEquals("0000000040000000: 52800100  mov\tw0, #0x8                   \t// #8", lines[0]);
        assertTrue(lines[2].startsWith("0000000040000008: d4000002  hvc\t#0x0"), lines[2]);
    }

    @Test
    void usageErrors() throws IOException {
        assertEquals(ExitStatus.USAGE, run(tmp.resolve("missing.elf").toString()).status());
        Result r = run("--memory", "12Q", raw(B_SELF).toString());
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.err().contains("--memory"), r.err());
        assertEquals(ExitStatus.USAGE, run("--load-addr", "zz", raw(B_SELF).toString()).status());
        assertEquals(ExitStatus.USAGE, run("--cpu", "pentium", raw(B_SELF).toString()).status());
        r = run("--load-addr", "0x1000", raw(B_SELF).toString());
        assertEquals(ExitStatus.USAGE, r.status(), "load address outside RAM");
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    @Test
    void badImagesAreUsageErrorsWithOneLine() throws IOException {
        Path garbage = tmp.resolve("empty.bin"); // any non-empty file is a raw image, as for QEMU's -kernel
        Files.write(garbage, new byte[0]);
        Path truncated = tmp.resolve("truncated.elf");
        byte[] hello = Files.readAllBytes(GUESTS.resolve("prebuilt/hello.elf"));
        Files.write(truncated, java.util.Arrays.copyOf(hello, 100));
        Path big = tmp.resolve("big.bin");
        Files.write(big, new byte[256 << 10]);
        String[][] cases = {
            {garbage.toString()},
            {truncated.toString()},
            {"--memory", "64K", "--load-addr", "0x40000000", big.toString()},
        };
        for (String[] args : cases) {
            Result r = run(args);
            assertEquals(ExitStatus.USAGE, r.status(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
            assertTrue(r.err().startsWith("a64trap run: "), r.err());
            assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
        }
    }

    /**
     * Every guest image with expected output recorded from qemu-system-aarch64 7.2 (guest-images/
     * expected, written by the guests' Makefile): same stdout, same exit status. el0 is checked
     * separately below.
     */
    @Test
    void guestImagesMatchQemu() throws IOException {
        checkGuestImages("--no-jit");
    }

    /** The same with every block translated at its first execution (JIT threshold 0, units verified by ASM). */
    @Test
    void guestImagesMatchQemuWithJitForced() throws IOException {
        withJitForced(() -> checkGuestImages(null));
    }

    /**
     * The PMU guests under the vPMU with a random scheduler (migrations, checkpoints, deadlines): with
     * every block compiled, stdout, the per-counter report and the exit status are the interpreter's.
     */
    @Test
    void pmuGuestsReportTheSameCountsWithTheJit() throws IOException {
        for (String name : List.of("pmu-access", "pmu-el0", "pmu-events", "calibrate", "deviations")) {
            for (String pmu : List.of("fixed-counters-only", "default")) {
                String image = GUESTS.resolve("prebuilt/" + name + ".elf").toString();
                String[] args = {"--pmu=" + pmu, "--sched=random:100", "--pmu-report=text", "--max-insns", "50000000", image};
                String[] noJit = new String[args.length + 1];
                noJit[0] = "--no-jit";
                System.arraycopy(args, 0, noJit, 1, args.length);
                Result ref = run(noJit);
                Result[] jit = new Result[1];
                withJitForced(() -> jit[0] = run(args));
                String what = name + " --pmu=" + pmu;
                assertEquals(ref.status(), jit[0].status(), what + "\n" + jit[0].err());
                assertEquals(ref.out(), jit[0].out(), what);
                assertEquals(ref.err(), jit[0].err(), what);
                assertTrue(ref.err().contains("migrations"), what + ": the report is printed\n" + ref.err());
            }
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    /** Runs {@code body} with -Da64trap.jit.threshold=0 and -Da64trap.jit.verify=true. */
    static void withJitForced(IoAction body) throws IOException {
        String[] keys = {"a64trap.jit.threshold", "a64trap.jit.verify"};
        String[] old = {System.getProperty(keys[0]), System.getProperty(keys[1])};
        System.setProperty(keys[0], "0");
        System.setProperty(keys[1], "true");
        try {
            body.run();
        } finally {
            for (int k = 0; k < keys.length; k++) {
                if (old[k] == null) {
                    System.clearProperty(keys[k]);
                } else {
                    System.setProperty(keys[k], old[k]);
                }
            }
        }
    }

    @Test
    void aBadJitThresholdIsAUsageError() throws IOException {
        String old = System.getProperty("a64trap.jit.threshold");
        System.setProperty("a64trap.jit.threshold", "lots");
        try {
            Result r = run(GUESTS.resolve("prebuilt/hello.elf").toString());
            assertEquals(ExitStatus.USAGE, r.status());
            assertTrue(r.err().contains("a64trap.jit.threshold") && !r.err().contains("\tat "), r.err());
        } finally {
            if (old == null) {
                System.clearProperty("a64trap.jit.threshold");
            } else {
                System.setProperty("a64trap.jit.threshold", old);
            }
        }
    }

    private void checkGuestImages(String option) throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(GUESTS.resolve("expected/images.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String name = f[0];
            List<String> args = new ArrayList<>();
            if (option != null) {
                args.add(option);
            }
            if (f.length > 2 && !f[2].isEmpty()) {
                args.add("--append");
                args.add(f[2]);
            }
            if (f.length > 4 && !f[4].isEmpty()) {
                args.add("--smp");
                args.add(f[4]);
            }
            args.add("--max-insns");
            args.add("200000000");
            Path elf = GUESTS.resolve("prebuilt/" + name + ".elf");
            args.add((Files.exists(elf) ? elf : GUESTS.resolve("prebuilt/" + name + ".bin")).toString()); // .bin: a raw image
            Result r = run(args.toArray(new String[0]));
            String out = Files.readString(GUESTS.resolve("expected/" + name + ".out"));
            int status = Integer.parseInt(Files.readString(GUESTS.resolve("expected/" + name + ".status")).strip());
            if (!out.equals(r.out()) || status != r.status()) {
                failures.add(name + ": status " + r.status() + " (want " + status + ")\n" + r.out() + r.err());
            }
            checked++;
        }
        assertTrue(checked >= 8, "images.tsv lists the guest images");
        assertEquals(List.of(), failures);
    }

    // Words from aarch64-linux-gnu-as (binutils 2.40).
    static final int MOVZ_X0_7000_LSL16 = 0xd2ae0000, MOVZ_X0_4000_LSL16 = 0xd2a80000, ADD_X0_X0_1000 = 0x91400400,
            MSR_VBAR_EL1_X0 = 0xd518c000, UDF_0 = 0x00000000, WFI = 0xd503207f, B_MINUS_4 = 0x17ffffff;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--max-insns=1000", "--max-insns=0", "--no-jit"})
    @org.junit.jupiter.api.Timeout(120) // the hang this guards against would otherwise block the build
    void vectorAtUnmappedMemoryStopsAsAnExceptionLoop(String option) throws IOException {
        // VBAR_EL1 = 0x7000_0000, past the end of 128M of RAM: the UDF's vector cannot be fetched
        Result r = run(option, "--load-addr", "0x40000000", raw(MOVZ_X0_7000_LSL16, MSR_VBAR_EL1_X0, UDF_0).toString());
        assertEquals(ExitStatus.GUEST_EXCEPTION, r.status(), r.err());
        assertTrue(r.err().contains("guest stuck in an exception loop"), r.err());
        assertTrue(r.err().contains("pc   0x0000000070000200"), r.err()); // current EL, SPx: VBAR + 0x200
        assertTrue(r.err().contains("EC 0x21: instruction abort"), r.err());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void vectorThatIsItselfUndefinedStopsAsAnExceptionLoop() throws IOException {
        // VBAR_EL1 = 0x4000_1000: zeroed RAM, so every vector is UDF #0
        Result r = run("--load-addr", "0x40000000",
                raw(MOVZ_X0_4000_LSL16, ADD_X0_X0_1000, MSR_VBAR_EL1_X0, UDF_0).toString());
        assertEquals(ExitStatus.GUEST_EXCEPTION, r.status(), r.err());
        assertTrue(r.err().contains("guest stuck in an exception loop"), r.err());
        assertTrue(r.err().contains("pc   0x0000000040001200  00000000  udf\t#0"), r.err());
        assertTrue(r.err().contains("EC 0x00: UNDEFINED instruction"), r.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--stats", "--no-jit"})
    @org.junit.jupiter.api.Timeout(120)
    void wfiWithNothingToWakeItStops(String option) throws IOException {
        Result r = run(option, "--load-addr", "0x40000000", raw(MOV_W0_8, WFI, B_MINUS_4).toString());
        assertEquals(ExitStatus.GUEST_EXCEPTION, r.status(), r.err());
        assertTrue(r.err().contains("a64trap: WFI with no wake-up source (no interrupt can reach the guest), "
                + "stopped at pc=0x40000004"), r.err());
    }

    @Test
    void smpRunReportsEveryVcpusPmu() throws IOException {
        Result r = run("--smp", "8", "--pmu", "fixed-counters-only", "--pmu-report", "text",
                GUESTS.resolve("prebuilt/smp.elf").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().endsWith("smp: 19 passed, 0 failed\n"), r.out());
        for (int i = 0; i < 8; i++) {
            assertTrue(r.err().contains("vCPU " + i + ":\nvPMU report: mode fixed-counters-only"), r.err());
        }
        assertEquals(8, r.err().split("PMCR_EL0.N=0,", -1).length - 1, "every vCPU sees the same PMCR_EL0.N");
    }

    /**
     * pmu-smp on 4 vCPUs of the rk3588 host: every vCPU sees the same PMCR_EL0.N; under
     * fixed-counters-only each vCPU's cycle counter counts in every round wherever it runs, under
     * KVM's default PMU (the A55's) it stalls on some vCPU while that one sits on an A76.
     */
    @Test
    void smpPmuFixedCountersOnlyCountsOnEveryVcpuWhereTheDefaultPmuStalls() throws IOException {
        String image = GUESTS.resolve("prebuilt/pmu-smp.elf").toString();
        Result fixed = run("--smp", "4", "--pmu", "fixed-counters-only", image);
        assertEquals(0, fixed.status(), fixed.err());
        for (int i = 0; i < 4; i++) {
            assertTrue(fixed.out().contains("cpu" + i + ": PMCR_EL0.N=0, cycle counter stalled in 0 of 8 rounds"),
                    fixed.out());
        }
        Result dflt = run("--smp", "4", "--pmu", "default", image);
        assertEquals(0, dflt.status(), dflt.err());
        assertEquals(4, dflt.out().split("PMCR_EL0.N=6,", -1).length - 1, dflt.out());
        assertTrue(java.util.regex.Pattern.compile("stalled in [1-8] of 8").matcher(dflt.out()).find(),
                "some vCPU's cycle counter stopped on an A76: " + dflt.out());
    }

    @Test
    void qemuSpellingsMapOntoRunsOptions() throws IOException {
        // -m 256M is QEMU's --memory: the image after it is the image, not an unknown option
        Result r = run("-m", "256M", tmp.resolve("x.elf").toString());
        assertEquals(ExitStatus.USAGE, r.status(), r.err());
        assertTrue(r.err().endsWith("x.elf: no such file\n"), r.err());
        // a bare -m number is MiB, as in QEMU: 64 MiB holds this image at 0x40000000
        r = run("-M", "virt", "-cpu", "cortex-a57", "-m", "64", "-smp", "1", "-nographic", "-semihosting",
                "--load-addr", "0x40000000", "-kernel", raw(MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0).toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        r = run("-smp", "4", "--load-addr", "0x40000000", raw(MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0).toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "-smp 4 is --smp 4: vCPU 0 powers the board off");
        assertEquals(ExitStatus.USAGE, run("-smp", "4", "--smp", "4", raw(B_SELF).toString()).status());
        r = run("-smp", "cpus=124", "--load-addr", "0x40000000", raw(B_SELF).toString());
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.err().contains("--smp 124: expected 1 to 123 vCPUs"), r.err());
        assertEquals(ExitStatus.USAGE, run("-smp", "0", raw(B_SELF).toString()).status());
        assertEquals(ExitStatus.USAGE, run("-M", "sbsa-ref", "--load-addr", "0x40000000", raw(B_SELF).toString()).status());
        assertEquals(ExitStatus.USAGE, run("--memory", "1G", "-m", "1G", "--load-addr", "0x40000000",
                raw(B_SELF).toString()).status());
        assertEquals(ExitStatus.USAGE, run("-kernel", raw(B_SELF).toString(), raw(B_SELF).toString()).status());
        // -bios FILE is --bios with FILE as the image: it starts at 0 in flash (mov w0, #0x84000008; hvc #0 = SYSTEM_OFF)
        r = run("--trace", "-bios", raw(MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0).toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().startsWith("0000000000000000: 52800100"), "first instruction at 0, in flash: " + r.err());
        r = run("-bios", raw(B_SELF).toString(), "-kernel", raw(B_SELF).toString());
        assertEquals(ExitStatus.USAGE, r.status());
        assertTrue(r.err().contains("-bios with a kernel image"), r.err());
    }

    @Test
    void semihostingReadcAfterTheUartLookedAtStdinGetsTheFirstByte() throws IOException {
        // ldr w2, [x1, #0x18] (FR: the UART pulls 'A' into its receiver); SYS_READC; strb w0 to DR; SYSTEM_OFF
        RunCommand rc = new RunCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        rc.out = out;
        rc.err = err;
        rc.in = new java.io.ByteArrayInputStream("ABC".getBytes(StandardCharsets.US_ASCII));
        int status = new CommandLine(rc).execute("--load-addr", "0x40000000", raw(MOVZ_X1_0900_LSL16, 0xb9401822,
                0x528000e0, 0xd45e0000, 0x39000020, MOV_W0_8, MOVK_W0_8400_LSL16, HVC_0).toString());
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("A", out.toString(StandardCharsets.UTF_8));
    }
}
