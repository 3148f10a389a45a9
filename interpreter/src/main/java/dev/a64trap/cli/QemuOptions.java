package dev.a64trap.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * qemu-system-aarch64's spellings of run's options, so a QEMU command line for a bare-metal guest
 * runs unchanged: {@code -M virt -cpu cortex-a57 -m 256M -smp 1 -nographic -semihosting -kernel
 * IMAGE -append STR}, or {@code -bios FILE} for firmware (with {@code -s}/{@code -S} in {@link GdbOptions}). Each maps onto the long
 * option; what a64trap has always on (semihosting, no graphics) is accepted as is.
 */
final class QemuOptions {
    @Option(names = "-kernel", paramLabel = "IMAGE", description = "the guest image (as QEMU; same as the IMAGE argument)")
    Path kernel;

    @Option(names = "-bios", paramLabel = "FILE", description = "firmware, as --bios with FILE as the image (QEMU's spelling)")
    Path bios;

    @Option(names = "-append", paramLabel = "STR", description = "as --append (QEMU's spelling)")
    String append;

    @Option(names = "-m", paramLabel = "SIZE", description = "as --memory, but a bare number is MiB (QEMU's -m)")
    String memory;

    @Option(names = "-cpu", paramLabel = "MODEL", description = "as --cpu (QEMU's spelling)")
    String cpu;

    @Option(names = "-smp", paramLabel = "N", description = "vCPUs, as QEMU (N or cpus=N[,...]): same as --smp N")
    String smp;

    @Option(names = {"-M", "-machine"}, paramLabel = "virt", description = "the board: only QEMU's virt")
    String machine;

    @Option(names = "-semihosting", description = "accepted: semihosting is always on")
    boolean semihosting;

    @Option(names = "-semihosting-config", paramLabel = "enable=on[,...]", description = "accepted with enable=on")
    String semihostingConfig;

    @Option(names = "-nographic", description = "accepted: a64trap has no graphics; the console is stdio")
    boolean nographic;

    /** The image: exactly one of the IMAGE argument, -kernel and -bios. */
    Path image(Path positional) throws RunCommand.UsageError {
        if (positional != null && kernel != null) {
            throw new RunCommand.UsageError("give the image once: as IMAGE or with -kernel, not both");
        }
        if (bios != null && (positional != null || kernel != null)) {
            // QEMU would load both; a64trap boots one image, firmware or kernel
            throw new RunCommand.UsageError("-bios with a kernel image: a64trap boots one image, give -bios FILE "
                    + "alone (firmware) or the kernel alone");
        }
        Path p = positional != null ? positional : kernel != null ? kernel : bios;
        if (p == null) {
            throw new RunCommand.UsageError("no image: give IMAGE (or -kernel IMAGE, or -bios FILE)");
        }
        return p;
    }

    /** {@code longValue} or this QEMU spelling's, refusing both at once; null if neither. */
    static String either(String longName, String longValue, String qemuName, String qemuValue) throws RunCommand.UsageError {
        if (longValue != null && qemuValue != null) {
            throw new RunCommand.UsageError(longName + " and " + qemuName + " are the same option; give one");
        }
        return longValue != null ? longValue : qemuValue;
    }

    /** -m's value as --memory reads it: QEMU takes a bare number as MiB. */
    String memoryAsSize() {
        if (memory == null) {
            return null;
        }
        String m = memory.startsWith("size=") ? memory.substring(5) : memory;
        return m.chars().allMatch(Character::isDigit) && !m.isEmpty() ? m + "M" : m;
    }

    /** Refuses what a64trap cannot honour; call after parsing. */
    void check(PrintStream stderr) throws RunCommand.UsageError {
        if (machine != null && !machine.equals("virt") && !machine.startsWith("virt,")) {
            throw new RunCommand.UsageError("-M " + machine + ": a64trap models QEMU's virt board only (-M virt)");
        }
        if (semihostingConfig != null
                && !("," + semihostingConfig + ",").toLowerCase(Locale.ROOT).contains(",enable=on,")) {
            throw new RunCommand.UsageError("-semihosting-config " + semihostingConfig
                    + ": semihosting is always on in a64trap (give enable=on, or leave the option out)");
        }
    }

    /** -smp's CPU count (N, or cpus=N with further topology ignored), null if not given. */
    Integer cpuCount() throws RunCommand.UsageError {
        if (smp == null) {
            return null;
        }
        String n = smp.startsWith("cpus=") ? smp.substring(5).split(",")[0] : smp.split(",")[0];
        try {
            return Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new RunCommand.UsageError("-smp: not a CPU count: '" + smp + "'");
        }
    }
}
