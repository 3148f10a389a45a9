package dev.a64trap.cli;

import dev.a64trap.host.CpuSet;
import dev.a64trap.host.Host;
import dev.a64trap.host.HostException;
import dev.a64trap.host.Scheduler;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.PlantedBug;
import dev.a64trap.pmu.EventFilter;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmException;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.PmuRegTable;
import dev.a64trap.pmu.QemuMachine;
import dev.a64trap.pmu.VmmPolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The simulated host, scheduler and VMM PMU policy shared by {@code run} and {@code compare}
 * (a picocli mixin). {@link #build} turns them into a {@link HostedVcpu}; a user mistake raises
 * {@link RunCommand.UsageError} (exit 2).
 */
public final class PmuOptions {

    @Option(names = "--host", paramLabel = "PRESET|FILE.json",
            description = "simulated host: a preset (see 'a64trap hosts'; default ${DEFAULT-VALUE}) or a host file")
    String host = Host.DEFAULT_PRESET;

    @Option(names = "--sched", paramLabel = "POLICY",
            description = "where the vCPU runs over guest time: pinned:CPUS, round-robin:SLICE_US[:CPUS], "
                    + "random:SLICE_US[:CPUS], trace:FILE (default ${DEFAULT-VALUE})")
    String sched = Scheduler.DEFAULT;

    @Option(names = "--pin-after", paramLabel = "US:CPUS",
            description = "from guest time US on, restrict the vCPU to CPUS (a VMM pinning after vCPU init)")
    String pinAfter;

    @Option(names = "--vmm-cpu", paramLabel = "N",
            description = "pCPU the VMM thread runs on at vCPU init; decides KVM's default PMU (default ${DEFAULT-VALUE})")
    int vmmCpu = 0;

    @Option(names = "--seed", paramLabel = "N",
            description = "seed of the random scheduler (default ${DEFAULT-VALUE}); same seed, same run")
    long seed = 1;

    @Option(names = "--pmu", paramLabel = "MODE",
            description = "VMM PMU policy: none, default (plain KVM: PMU of the VMM's CPU, vCPU unpinned), "
                    + "pmu:NAME (SET_PMU; the vCPU may only run on that PMU's CPUs), fixed-counters-only, "
                    + "fixed-counters-only+icntr (experimental, beyond upstream: also FEAT_PMUv3_ICNTR's PMICNTR_EL0, "
                    + "counting retired instructions across migrations), "
                    + "partitioned:HPMN (the guest owns counters 0..HPMN-1 of whichever core it runs on; "
                    + "needs --kvm-abi partition-v9), "
                    + "auto (QEMU RFC v4 order: machine types up to 10.2 keep default, else a PMU covering all "
                    + "CPUs, else fixed-counters-only if the PMUs cover all CPUs, else none; the choice and why "
                    + "are printed). Default ${DEFAULT-VALUE}")
    String pmu = "default";

    @Option(names = "--vcpu-strict",
            description = "KVM_ARM_VCPU_INIT with the proposed STRICT PMU feature: no implicit default PMU (needs "
                    + "--pmu pmu:NAME, else KVM_RUN fails), STALL_SLOT events kept in PMCEID1, no fixed-counters-only")
    boolean vcpuStrict;

    @Option(names = "--qemu-machine", paramLabel = "VERSION",
            description = "QEMU virt machine version for --pmu auto's compat rule: latest, or e.g. 10.2 "
                    + "(up to 10.2 auto keeps KVM's legacy default PMU). Default ${DEFAULT-VALUE}")
    String qemuMachine = "latest";

    @Option(names = "--kvm-abi", paramLabel = "REV",
            description = "KVM rule set: mainline (no fixed-counters-only), v2 (COMPOSITION), v5, v8, v11 "
                    + "(v8 plus SET_NR_COUNTERS frozen after the first run), partition-v9 (mainline plus the "
                    + "partitioned PMU; attribute 5 is its ENABLE_PARTITION). Default ${DEFAULT-VALUE}")
    String kvmAbi = "v11";

    @Option(names = "--pmu-version", paramLabel = "V",
            description = "guest PMUVer written before the first run: 3, 3p1, 3p4 or 3p5, at most KVM's limit "
                    + "(default: the limit, min(host, 3p5))")
    String pmuVersion;

    @Option(names = "--host-pmu-version", paramLabel = "V",
            description = "the host PMU's PMUVer as KVM sees it, KVM's limit for the guest: 3, 3p1, 3p4 or 3p5 "
                    + "(default: the lowest of the host's PMUs, e.g. 3p1 on rk3588)")
    String hostPmuVersion;

    @Option(names = "--pmu-counters", paramLabel = "N",
            description = "KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS N before PMU init: the guest sees N event counters")
    Integer pmuCounters;

    @Option(names = "--pmu-filter", paramLabel = "allow|deny:EVENT[+COUNT]",
            description = "KVM_ARM_VCPU_PMU_V3_FILTER before PMU init, repeatable, applied in order (a first allow "
                    + "denies every other event, a first deny allows them); EVENT is a number (0x11), COUNT default 1")
    java.util.List<String> pmuFilters = new java.util.ArrayList<>();

    @Option(names = "--pmcr-n", paramLabel = "N",
            description = "KVM_SET_ONE_REG of PMCR_EL0 with its N field set to N, before the first run")
    Integer pmcrN;

    @Option(names = "--pmu-report", paramLabel = "FORMAT",
            description = "after the run print to stderr, per counter, its value and events counted on each pCPU, "
                    + "and the migrations; FORMAT: text, perf (a perf stat-like table per host PMU type), json (to "
                    + "stderr) or json:FILE (schema a64trap.pmu-report/1)")
    String pmuReport;

    @Option(names = "--plant-bug", paramLabel = "NAME",
            description = "plant a deliberate vPMU bug, to check that a fuzz counterexample replays: "
                    + "lost-el1-swinc, el0-read-only-pmu or pmccntr-write-low32 (see 'a64trap fuzz --help')")
    String plantBug;

    /** The bug named by --plant-bug, or null. */
    PlantedBug plantedBug() throws RunCommand.UsageError {
        if (plantBug == null) {
            return null;
        }
        return PlantedBug.parse(plantBug).orElseThrow(() -> new RunCommand.UsageError(unknownBug(plantBug)));
    }

    /** The usage message for a --plant-bug NAME that names no bug (run, compare and fuzz). */
    static String unknownBug(String name) {
        return "--plant-bug " + name + ": unknown bug (known: " + String.join(", ", PlantedBug.names()) + ")";
    }

    /**
     * The vCPU for these options, with {@code pmuMode} overriding {@code --pmu} (null = keep). Public
     * for the tests of the layers below that need a vCPU as {@code run} makes it.
     */
    public HostedVcpu build(String pmuMode) throws RunCommand.UsageError {
        return build(pmuMode, null);
    }

    /** {@link #build(String)} with {@code abiOverride} overriding {@code --kvm-abi} (null = keep). */
    HostedVcpu build(String pmuMode, KvmAbi abiOverride) throws RunCommand.UsageError {
        String mode = pmuMode != null ? pmuMode : pmu;
        try {
            Host h = resolveHost();
            KvmAbi abi = abiOverride != null ? abiOverride : KvmAbi.parse(kvmAbi);
            if (abi == null) {
                throw new RunCommand.UsageError("--kvm-abi " + kvmAbi + ": expected " + KvmAbi.choices());
            }
            if (vmmCpu < 0 || vmmCpu >= h.cpuCount()) {
                throw new RunCommand.UsageError("--vmm-cpu " + vmmCpu + ": host " + h.name() + " has CPUs 0-"
                        + (h.cpuCount() - 1));
            }
            if (pmuReport != null && PmuReport.Format.parse(pmuReport) == null) {
                throw new RunCommand.UsageError("--pmu-report " + pmuReport + ": expected text, perf, json or json:FILE");
            }
            if (pmuReport != null && PmuReport.Format.parse(pmuReport).file() != null) {
                Path dir = PmuReport.Format.parse(pmuReport).file().toAbsolutePath().getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    throw new RunCommand.UsageError("--pmu-report " + pmuReport + ": no such directory " + dir);
                }
            }
            int version = pmuVersion == null ? -1 : PmuBits.parseVersion(pmuVersion);
            // KVM sees the host's sanitised PMUVer (the lowest over its PMUs) unless the user says otherwise
            KvmVm.Options options = KvmVm.Options.defaults().withAbi(abi).withHostPmuVer(h.sanitisedPmuVer());
            if (hostPmuVersion != null) {
                try {
                    options = options.withHostPmuVer(PmuBits.parseVersion(hostPmuVersion));
                } catch (IllegalArgumentException e) {
                    throw new RunCommand.UsageError("--host-pmu-version " + hostPmuVersion + ": expected 3, 3p1, 3p4 or 3p5");
                }
            }
            Scheduler s = Scheduler.parse(sched, pinAfter, h, seed);
            QemuMachine machine = QemuMachine.parse(qemuMachine);
            if (machine == null) {
                throw new RunCommand.UsageError("--qemu-machine " + qemuMachine + ": expected latest or MAJOR.MINOR, "
                        + "e.g. 10.2");
            }
            CpuSet online = new CpuSet(h.allCpus().bits() & ~s.offlineAt(0).bits()); // hotplug lines of a trace
            VmmPolicy.Plan plan = VmmPolicy.plan(mode, h, abi, true, machine, online);
            if (vcpuStrict) {
                if (!plan.steps().stream().anyMatch(st -> st.attr() == dev.a64trap.pmu.PmuAttr.SET_PMU)
                        && !plan.mode().startsWith("fixed-counters-only")) {
                    throw new RunCommand.UsageError("--vcpu-strict with --pmu " + mode + ": a STRICT vCPU has no "
                            + "default PMU, so KVM_RUN would fail EINVAL without SET_PMU (use --pmu pmu:NAME)");
                }
                plan = plan.withStrict(); // fixed-counters-only: KVM refuses it below (EINVAL)
            }
            PlantedBug bug = plantedBug();
            List<VmmPolicy.Step> extra = attributeSteps();
            if (!plan.pmuFeature() && (!extra.isEmpty() || pmcrN != null)) {
                throw new RunCommand.UsageError("--pmu " + mode + ": no PMU, so --pmu-counters, --pmu-filter and "
                        + "--pmcr-n have nothing to set");
            }
            HostedVcpu v = new HostedVcpu(h, s, plan.withAttributes(extra), options, vmmCpu, version).plant(bug);
            if (pmcrN != null) {
                long id = PmuRegTable.oneRegId(PmuRegTable.byName("PMCR_EL0").encoding());
                v.vcpu().setOneReg(id, v.vcpu().getOneReg(id) & ~PmuBits.PMCR_N_MASK
                        | ((long) pmcrN << PmuBits.PMCR_N_SHIFT & PmuBits.PMCR_N_MASK));
            }
            return v;
        } catch (HostException | IllegalArgumentException e) {
            throw new RunCommand.UsageError(e.getMessage());
        } catch (KvmException e) {
            throw new RunCommand.UsageError("--pmu " + mode + ": KVM refused the setup: " + e.getMessage(),
                    e.errno().name(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
    }

    /** {@code --pmu auto} says what it chose and why: one line on stderr before the run. */
    static void announceAuto(HostedVcpu v, String option, String command, PrintStream err) {
        if (option.equals("auto") && v.plan() != null) {
            err.println("a64trap " + command + ": --pmu auto chose " + v.plan().mode() + ": "
                    + v.plan().reason().replaceFirst("^auto: ", ""));
        }
    }

    /** A planted bug is never silent: one line on stderr before the run. */
    static void warnPlanted(HostedVcpu v, String command, PrintStream err) {
        if (v.plantedBug() != null) {
            err.println("a64trap " + command + ": warning: planted bug " + v.plantedBug().cliName() + " is active ("
                    + v.plantedBug().description() + ")");
        }
    }

    /** The SET_NR_COUNTERS and FILTER calls the options ask for, in order. */
    private List<VmmPolicy.Step> attributeSteps() throws RunCommand.UsageError {
        List<VmmPolicy.Step> steps = new ArrayList<>();
        if (pmuCounters != null) {
            if (pmuCounters < 0 || pmuCounters > 31) {
                throw new RunCommand.UsageError("--pmu-counters " + pmuCounters + ": expected 0 to 31");
            }
            steps.add(VmmPolicy.nrCounters(pmuCounters));
        }
        for (String f : pmuFilters) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(allow|deny):(0x[0-9a-fA-F]+|\\d+)(?:\\+(\\d+))?")
                    .matcher(f);
            if (!m.matches()) {
                throw new RunCommand.UsageError("--pmu-filter " + f + ": expected allow:EVENT[+COUNT] or "
                        + "deny:EVENT[+COUNT], e.g. deny:0x11 or allow:0x8+2");
            }
            long base = Long.decode(m.group(2));
            long n = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
            if (n < 1) {
                throw new RunCommand.UsageError("--pmu-filter " + f + ": COUNT must be at least 1");
            }
            if (base > 0xFFFF || n > 0x10000 - base) {
                throw new RunCommand.UsageError("--pmu-filter " + f + ": events must lie within 0-0xffff");
            }
            steps.add(VmmPolicy.filter(new EventFilter((int) base, (int) n,
                    m.group(1).equals("allow") ? EventFilter.ALLOW : EventFilter.DENY)));
        }
        if (pmcrN != null && (pmcrN < 0 || pmcrN > 31)) {
            throw new RunCommand.UsageError("--pmcr-n " + pmcrN + ": expected 0 to 31 (the 5-bit PMCR_EL0.N field)");
        }
        return steps;
    }

    Host resolveHost() throws RunCommand.UsageError {
        try {
            return Host.resolve(host);
        } catch (HostException e) {
            throw new RunCommand.UsageError("--host " + host + ": " + e.getMessage());
        }
    }

    /**
     * vCPUs 1..n-1 of an SMP run: siblings of {@code first} in its VM (the same KVM calls), each placed
     * by its own scheduler from the same --sched policy, seeded --seed + i so random placements differ.
     */
    public java.util.function.IntFunction<HostedVcpu> siblings(HostedVcpu first, int n) throws RunCommand.UsageError {
        if (n == 1 || first == null) {
            return null;
        }
        List<HostedVcpu> more = new ArrayList<>();
        try {
            for (int i = 1; i < n; i++) {
                HostedVcpu v = first.sibling(Scheduler.parse(sched, pinAfter, first.host(), seed + i), vmmCpu);
                if (pmcrN != null) { // as for vCPU 0 (build)
                    long id = PmuRegTable.oneRegId(PmuRegTable.byName("PMCR_EL0").encoding());
                    v.vcpu().setOneReg(id, v.vcpu().getOneReg(id) & ~PmuBits.PMCR_N_MASK
                            | ((long) pmcrN << PmuBits.PMCR_N_SHIFT & PmuBits.PMCR_N_MASK));
                }
                more.add(v);
            }
        } catch (HostException | IllegalArgumentException e) {
            throw new RunCommand.UsageError(e.getMessage());
        } catch (KvmException e) {
            throw new RunCommand.UsageError("--pmu " + pmu + " with --smp " + n + ": KVM refused a vCPU: " + e.getMessage());
        }
        return i -> more.get(i - 1);
    }

    boolean wantsReport() {
        return pmuReport != null;
    }

    /** --pmu-report json:FILE (nothing goes to stderr). */
    boolean reportsToFile() {
        return pmuReport != null && PmuReport.Format.parse(pmuReport).file() != null;
    }

    /** The KVM_EXIT_FAIL_ENTRY line. */
    static String failEntryLine(HostedVcpu v) {
        int c = v.failEntry().cpu();
        return String.format(Locale.ROOT, "a64trap: KVM_EXIT_FAIL_ENTRY (hardware_entry_failure_reason "
                + "CPU_UNSUPPORTED) on pCPU %d (%s) at guest time %s: %s supports CPUs %s only",
                c, v.pmuNameOf(c), micros(v.nanoseconds()), v.plan().mode(), v.vm().supportedCpus());
    }

    static String micros(long ns) {
        return String.format(Locale.ROOT, "%d.%03d ms", ns / 1_000_000, ns / 1000 % 1000);
    }

    /**
     * Writes the --pmu-report (text or JSON); returns an error message when its FILE cannot be
     * written, else null. Call only after {@link #build} accepted the options.
     */
    String report(HostedVcpu v, PrintStream out) {
        return PmuReport.write(v, PmuReport.Format.parse(pmuReport), out);
    }

    /**
     * The report of one {@code compare} row: on stderr as for run (each report names its mode), or
     * for json:FILE one file per row, the row's label before the extension (r.json: r-default.json...).
     */
    String report(HostedVcpu v, PrintStream out, String row) {
        PmuReport.Format f = PmuReport.Format.parse(pmuReport);
        if (f.file() != null) {
            String n = f.file().getFileName().toString();
            int dot = n.lastIndexOf('.');
            String perRow = dot > 0 ? n.substring(0, dot) + "-" + row + n.substring(dot) : n + "-" + row;
            f = new PmuReport.Format(true, f.file().resolveSibling(perRow), f.perf());
        }
        return PmuReport.write(v, f, out);
    }
}
