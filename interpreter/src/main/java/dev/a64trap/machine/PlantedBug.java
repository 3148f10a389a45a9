package dev.a64trap.machine;

import dev.a64trap.sysreg.SysReg;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Deliberate bugs in the vPMU's trap path, off unless asked for ({@code --plant-bug NAME} on
 * {@code run} and {@code fuzz}). They exist to check the checker end to end: a fuzz campaign with a
 * bug planted must find it, and the guest it exports must fail the same way under {@code run} with the
 * same bug planted (and pass without it). Each bug rewrites the PMU rows of {@link HostedVcpu#sysRegs},
 * the one place both the machine and the property tests take their MRS/MSR handlers from.
 */
public enum PlantedBug {
    LOST_EL1_SWINC("lost-el1-swinc", "EL1 writes to PMSWINC_EL0 are dropped before they reach the vPMU",
            row -> !row.name().equals("PMSWINC_EL0") ? row : row.withHandlers((c, r) -> row.read(c), (c, r, v) -> {
                if (c.el() == 0) {
                    row.write(c, v);
                }
            })),
    EL0_READ_ONLY_PMU("el0-read-only-pmu", "every EL0 write to a PMU register UNDEFs, whatever PMUSERENR says",
            row -> row.el0(SysReg.EL0_READ)),
    PMCCNTR_WRITE_LOW32("pmccntr-write-low32", "guest writes to PMCCNTR_EL0 keep only the low 32 bits",
            row -> !row.name().equals("PMCCNTR_EL0") ? row
                    : row.withHandlers((c, r) -> row.read(c), (c, r, v) -> row.write(c, v & 0xFFFF_FFFFL)));

    private final String cliName;
    private final String description;
    private final UnaryOperator<SysReg> pmuRow;

    PlantedBug(String cliName, String description, UnaryOperator<SysReg> pmuRow) {
        this.cliName = cliName;
        this.description = description;
        this.pmuRow = pmuRow;
    }

    /** The name on the command line. */
    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** One of the vPMU's rows as this bug leaves it. */
    SysReg apply(SysReg pmuRow) {
        return this.pmuRow.apply(pmuRow);
    }

    public static Optional<PlantedBug> parse(String name) {
        return Arrays.stream(values()).filter(b -> b.cliName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(PlantedBug::cliName).toList();
    }
}
