package dev.a64trap.cli;

import dev.a64trap.pmu.KvmAbi;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code a64trap demo}: {@code compare} of the embedded calibrate guest on rk3588 with a round-robin
 * schedule that moves the vCPU from the Cortex-A55 cluster to the Cortex-A76 cluster during the
 * calibration rounds. Deterministic: the same output on every run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "The Windows calibration crash on big.LITTLE, and its fix, side by side.",
        description = {"Windows-style clock calibration on a big.LITTLE host (rk3588) under each VMM PMU choice:",
            "KVM's default PMU stalls PMCCNTR_EL0 on the other cluster and the guest bug-checks (divide by zero);",
            "fixed-counters-only keeps counting and the guest calibrates. Same as, byte for byte, from the",
            "repository root (the image path is part of the guest's command line, as on QEMU):",
            "  a64trap compare " + DemoCommand.IMAGE + " " + DemoCommand.ARGS_TEXT,
            "With --smp N the guest runs on N vCPUs of one VM (add --smp N to that command line)."})
public final class DemoCommand implements Callable<Integer> {
    static final String SCHED = "round-robin:500";
    /** The embedded image's name: its path in the repository, so the "Same as" line reproduces the output. */
    static final String IMAGE = "guest-images/prebuilt/calibrate.elf";
    static final String ARGS_TEXT = "--host rk3588 --sched " + SCHED + " --seed 1";

    @Option(names = "--smp", paramLabel = "N",
            description = "run every mode's guest on N vCPUs of one VM (as compare --smp; default 1)")
    Integer smp;

    OutputStream out;
    OutputStream err;

    @Override
    public Integer call() {
        PrintStream e = new PrintStream(err != null ? err : new FileOutputStream(FileDescriptor.err), true);
        byte[] elf;
        try (InputStream in = DemoCommand.class.getResourceAsStream("/guest-images/calibrate.elf")) {
            if (in == null) {
                e.println("a64trap demo: the calibrate image is not in this build (guest-images/prebuilt missing)");
                return ExitStatus.USAGE;
            }
            elf = in.readAllBytes();
        } catch (IOException x) {
            e.println("a64trap demo: cannot read the embedded calibrate image: " + x.getMessage());
            return ExitStatus.USAGE;
        }
        CompareCommand c = new CompareCommand();
        c.out = out;
        c.err = err;
        c.imageBytes = elf;
        c.imageName = IMAGE;
        c.maxInsns = GuestRun.DEFAULT_MAX_INSNS;
        c.smp = smp;
        c.pmu = new PmuOptions();
        c.pmu.host = "rk3588";
        c.pmu.sched = SCHED;
        c.pmu.seed = 1;
        c.pmu.vmmCpu = 0;
        c.pmu.pmu = "default";
        c.pmu.kvmAbi = KvmAbi.DEFAULT.optionName();
        Integer status = c.call();
        // The demo succeeds when it shows the story; the default-mode crash is the point, not a failure.
        return status == ExitStatus.USAGE || status == ExitStatus.INTERRUPTED ? status : ExitStatus.OK;
    }
}
