package dev.a64trap.proptest;

import dev.a64trap.host.Host;
import dev.a64trap.machine.PlantedBug;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.proptest.PmuProperties.Access;
import dev.a64trap.proptest.PmuProperties.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a vPMU counterexample whose steps are all guest-side (register accesses and runs at EL0 or EL1,
 * migrations) into a bare-metal guest for {@code a64trap run}: the same MSR/MRS sequence, NOPs for
 * runs, ERET to EL0 and SVC back to EL1 where the chain changes EL, and a vector table whose handler
 * records an UNDEF in x3 and skips the instruction. After each access the guest checks that it UNDEFed
 * exactly when the reference model says so; after each read (and, after the last step, a read of every
 * register in the diff) it compares the value with the model's. The first mismatch exits through
 * semihosting (SYS_EXIT_EXTENDED, ADP_Stopped_ApplicationExit) with subcode = its step number, 0 if
 * none, {@value #UNEXPECTED} on any other exception. Also a {@code --sched trace:} file for the
 * migrations and the exact run command (with the chain's {@code --host-pmu-version}, and
 * {@code --plant-bug} when the campaign had one). On a mismatch the guest first prints which check failed.
 *
 * <p>Approximations (documented in the output files): reads of counters (and PMOVS) are compared only
 * while no counter counts anything but SW_INCR, because the guest's own MOV/MSR/MRS/CMP, branches,
 * exceptions and ERETs are events too; migration times are guest microseconds computed from the NOP runs
 * and every emitted instruction at the pCPU's ALU cycle cost, rounded up, so they keep the placement order
 * but not the exact instruction boundary. The setup's userspace calls become {@code run} options
 * ({@code --pmu-counters}, {@code --pmu-filter}, {@code --pmcr-n}); KVM calls after the first run are
 * not exported.
 */
public final class GuestExport {
    private GuestExport() {}

    public static final long LOAD_ADDR = 0x40000000L;

    /** The exported guest, or why the chain is not replayable as a guest. */
    public record Result(String notReplayable, String asm, byte[] bin, String sched, String cmd) {
        public boolean replayable() {
            return notReplayable == null;
        }
    }

    private sealed interface Op permits Rd, Wr, RunOp, Mig {}

    private record Rd(int step, Kind kind, int index, int el) implements Op {}

    private record Wr(int step, Kind kind, int index, long value, int el) implements Op {
        Wr(int step, Kind kind, int index, long value) {
            this(step, kind, index, value, 1);
        }
    }

    private record RunOp(int step, long k, int el) implements Op {}

    private record Mig(int step, int cpu) implements Op {}

    private static final Pattern SETUP = Pattern.compile("setup\\(host=(\\S+) hostPmuVer=(\\d+) mode=(\\w+)"
            + "(?: pmu#(\\d+))?(.*?) vmmCpu=(\\d+) firstCpu=(\\d+)\\)");
    private static final Pattern ACCESS = Pattern.compile("(\\w+)\\(EL(\\d) ([A-Z0-9]+)(?: <- 0x([0-9a-f]+))?\\)");
    private static final Pattern RUN = Pattern.compile("run\\((\\d+) insns at EL(\\d)\\)");
    private static final Pattern PROGRAM = Pattern.compile(
            "program\\((cycle|counter \\d+) type=0x([0-9a-f]+)( \\+irq)? PMCR<-0x([0-9a-f]+)\\)");
    private static final Pattern NEAR = Pattern.compile(
            "nearOverflow\\((PMCCNTR|PMEVCNTR\\d+) = 2\\^(32|64) - (\\d+)( via PMSELR/PMXEVCNTR)?\\)");
    private static final Pattern CHAIN = Pattern.compile(
            "chainPair\\(PMEVCNTR(\\d+) = 2\\^32 - (\\d+) chained to PMEVCNTR(\\d+) = 0x([0-9a-f]+)\\)");
    private static final Pattern MIGRATE = Pattern.compile("migrate\\((\\d+)\\)");
    private static final List<String> ACCESS_ACTIONS = List.of("read", "write", "enable", "pmcr", "ccfiltr",
            "userenr", "swinc");

    public static Result export(Counterexample c, String name) {
        return export(c, name, null);
    }

    /**
     * The guest for {@code c}; with {@code planted} non-null (the campaign ran with that bug) the run
     * command plants it too, so the guest fails the way the chain did.
     */
    public static Result export(Counterexample c, String name, PlantedBug planted) {
        List<String> steps = c.steps();
        if (steps.isEmpty()) {
            return no("empty chain");
        }
        Matcher sm = SETUP.matcher(steps.get(0));
        if (!sm.matches()) {
            return no("step 1 is not a VMM setup: " + steps.get(0));
        }
        int hostIx = List.of(PmuProperties.HOSTS).indexOf(sm.group(1));
        PmuModel.Mode mode = PmuModel.Mode.valueOf(sm.group(3));
        int setPmu = sm.group(4) == null ? 0 : Integer.parseInt(sm.group(4));
        int vmmCpu = Integer.parseInt(sm.group(6));
        int firstCpu = Integer.parseInt(sm.group(7));
        // the setup's userspace extras, as 'run' options: nr=N, allow[0xB+N] / deny[0xB+N], onereg PMCR.N=K
        int nr = -1;
        int pmcrN = -1;
        List<int[]> filters = new ArrayList<>();
        List<String> runOptions = new ArrayList<>();
        Matcher extra = Pattern.compile(" nr=(\\d+)| (allow|deny)\\[0x([0-9a-f]+)\\+(\\d+)\\]| onereg PMCR\\.N=(\\d+)")
                .matcher(sm.group(5));
        int consumed = 0;
        while (extra.find() && extra.start() == consumed) {
            consumed = extra.end();
            if (extra.group(1) != null) {
                nr = Integer.parseInt(extra.group(1));
                Host h = Host.preset(PmuProperties.HOSTS[hostIx]);
                int max = (mode == PmuModel.Mode.SET_PMU ? h.pmus().get(setPmu) : h.pmuOfCpu(vmmCpu)).counters();
                if (nr <= max && mode != PmuModel.Mode.PARTITIONED) { // above it KVM says EINVAL and the chain went
                    // on without it (run would stop); partitioned:HPMN sets N itself
                    runOptions.add("--pmu-counters " + nr);
                }
            } else if (extra.group(2) != null) {
                int base = Integer.parseInt(extra.group(3), 16), n = Integer.parseInt(extra.group(4));
                filters.add(new int[] {base, n, extra.group(2).equals("allow") ? 0 : 1});
                runOptions.add("--pmu-filter " + extra.group(2) + ":0x" + Integer.toHexString(base) + "+" + n);
            } else {
                pmcrN = Integer.parseInt(extra.group(5));
                runOptions.add("--pmcr-n " + pmcrN);
            }
        }
        if (consumed != sm.group(5).length()) {
            return no("setup has userspace calls the run command has no option for (" + steps.get(0) + ")");
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 1; i < steps.size(); i++) {
            String s = steps.get(i);
            Matcher m;
            if ((m = ACCESS.matcher(s)).matches() && ACCESS_ACTIONS.contains(m.group(1))) {
                int el = Integer.parseInt(m.group(2));
                String reg = m.group(3);
                Kind k;
                int idx = 0;
                Matcher ix = Pattern.compile("(PMEVCNTR|PMEVTYPER)(\\d+)").matcher(reg);
                if (ix.matches()) {
                    k = Kind.valueOf(ix.group(1));
                    idx = Integer.parseInt(ix.group(2));
                } else {
                    k = Kind.valueOf(reg);
                }
                ops.add(m.group(4) == null ? new Rd(i + 1, k, idx, el)
                        : new Wr(i + 1, k, idx, Long.parseUnsignedLong(m.group(4), 16), el));
            } else if ((m = RUN.matcher(s)).matches()) {
                ops.add(new RunOp(i + 1, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
            } else if ((m = PROGRAM.matcher(s)).matches()) { // as PmuProperties.program does it
                int idx = m.group(1).equals("cycle") ? 31 : Integer.parseInt(m.group(1).substring(8));
                ops.add(new Wr(i + 1, Kind.PMEVTYPER, idx, Long.parseUnsignedLong(m.group(2), 16)));
                ops.add(new Wr(i + 1, Kind.PMCNTENSET, 0, 1L << idx));
                if (m.group(3) != null) {
                    ops.add(new Wr(i + 1, Kind.PMINTENSET, 0, 1L << idx));
                }
                ops.add(new Wr(i + 1, Kind.PMCR, 0, Long.parseUnsignedLong(m.group(4), 16)));
            } else if ((m = NEAR.matcher(s)).matches()) { // as PmuProperties.nearOverflow does it
                int idx = m.group(1).equals("PMCCNTR") ? 31 : Integer.parseInt(m.group(1).substring(8));
                long v = (m.group(2).equals("64") ? 0 : 1L << 32) - Long.parseLong(m.group(3));
                if (m.group(4) != null) {
                    ops.add(new Wr(i + 1, Kind.PMSELR, 0, idx));
                    ops.add(new Wr(i + 1, Kind.PMXEVCNTR, 0, v));
                } else {
                    ops.add(idx == 31 ? new Wr(i + 1, Kind.PMCCNTR, 0, v) : new Wr(i + 1, Kind.PMEVCNTR, idx, v));
                }
            } else if ((m = CHAIN.matcher(s)).matches()) { // as PmuProperties.chainPair does it
                int even = Integer.parseInt(m.group(1));
                for (int[] pr : new int[][] {{even, (int) PmuModel.INST_RETIRED, 0}, {even + 1, (int) PmuModel.CHAIN, 1}}) {
                    ops.add(new Wr(i + 1, Kind.PMEVTYPER, pr[0], pr[1]));
                    ops.add(new Wr(i + 1, Kind.PMCNTENSET, 0, 1L << pr[0]));
                    if (pr[2] == 1) {
                        ops.add(new Wr(i + 1, Kind.PMINTENSET, 0, 1L << pr[0]));
                    }
                    ops.add(new Wr(i + 1, Kind.PMCR, 0, 1));
                }
                ops.add(new Wr(i + 1, Kind.PMEVCNTR, even, (1L << 32) - Long.parseLong(m.group(2))));
                ops.add(new Wr(i + 1, Kind.PMEVCNTR, even + 1, Long.parseUnsignedLong(m.group(4), 16)));
            } else if ((m = MIGRATE.matcher(s)).matches()) {
                ops.add(new Mig(i + 1, Integer.parseInt(m.group(1))));
            } else if (!s.startsWith("peek(")) {
                return no("step " + (i + 1) + " is not a guest-side step: " + s);
            }
        }
        int hostPmuVer = Integer.parseInt(sm.group(2));
        return build(c, name, new PmuProperties.Setup(hostIx, hostPmuVer, mode, setPmu, nr, filters, vmmCpu, firstCpu,
                pmcrN), ops, runOptions, planted);
    }

    private static Result no(String why) {
        return new Result(why, null, null, null, null);
    }

    /** One emitted instruction or data word; encoded once every label's address is known. */
    private interface Emit {
        int encode(long pc, java.util.Map<String, Long> labels);
    }

    private static final class Prog {
        final List<Object> items = new ArrayList<>(); // String label, Emit, long[] quads
        final StringBuilder asm = new StringBuilder();

        void label(String l) {
            items.add(l);
            asm.append(l).append(":\n");
        }

        void insn(String text, Emit e) {
            items.add(e);
            asm.append("\t").append(text).append('\n');
        }

        void align(int bytes) {
            items.add(new Align(bytes));
            asm.append("\t.balign ").append(bytes).append('\n');
        }

        /** A NUL-terminated line of printable ASCII (ends the program: code after it is not aligned). */
        void string(String label, String text) {
            label(label);
            asm.append("\t.asciz\t\"").append(text).append("\\n\"\n");
            items.add((text + "\n\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        void comment(String c) {
            asm.append("\t// ").append(c).append('\n');
        }

        void mov(int rd, long v, String why) {
            insn(String.format(Locale.ROOT, "movz\tx%d, #0x%x", rd, v & 0xFFFF) + (why == null ? "" : "\t// " + why),
                    (pc, l) -> A64Encoder.movz(rd, (int) (v & 0xFFFF), 0));
            for (int hw = 1; hw < 4; hw++) {
                int part = (int) (v >>> 16 * hw & 0xFFFF);
                if (part != 0) {
                    int h = hw;
                    insn(String.format(Locale.ROOT, "movk\tx%d, #0x%x, lsl #%d", rd, part, 16 * hw),
                            (pc, l) -> A64Encoder.movk(rd, part, h));
                }
            }
        }
    }

    static String sysreg(int enc) {
        return String.format(Locale.ROOT, "s%d_%d_c%d_c%d_%d", enc >> 14 & 3, enc >> 11 & 7, enc >> 7 & 15,
                enc >> 3 & 15, enc & 7);
    }

    private static Result build(Counterexample c, String name, PmuProperties.Setup setup, List<Op> ops,
            List<String> runOptions, PlantedBug planted) {
        PmuProperties.World w = new PmuProperties.World();
        PmuProperties.Sut s = new PmuProperties.Sut(new PmuTarget(null));
        PmuProperties.setup(w, s, setup);
        Host host = w.m.host;
        Prog p = new Prog();
        p.asm.append("// a64trap fuzz counterexample '").append(c.property()).append("' seed ").append(c.seed())
                .append(", exported as a guest\n// check: ").append(c.check()).append("\n// exit subcode = step number of "
                + "the first mismatching access, 0 if none, " + UNEXPECTED + " for an unexpected exception\n"
                + "// x3 is set to 1 by the vector code when an access UNDEFs\n\t.text\n\t.globl _start\n");
        p.label("_start");
        p.insn("adr\tx9, vectors", (pc, l) -> A64Encoder.adr(9, l.get("vectors") - pc));
        p.insn("msr\tvbar_el1, x9", (pc, l) -> A64Encoder.msr(A64Encoder.VBAR_EL1, 9));
        List<Check> checks = new ArrayList<>();
        List<String> sched = new ArrayList<>();
        sched.add("0 " + setup.firstCpu());
        double[] ns = {0};
        int[] cpu = {setup.firstCpu()};
        int[] el = {1};
        for (Op op : ops) {
            int before = p.items.size();
            if (op instanceof Wr wr) {
                switchEl(p, el, wr.el());
                p.comment("step " + wr.step() + ": " + wr.kind().text(wr.index()) + " <- 0x"
                        + Long.toHexString(wr.value()) + " at EL" + wr.el());
                String reg = wr.kind().modelName(wr.index());
                boolean undef = reg == null || w.m.writeUndefined(reg, wr.index(), wr.el());
                p.mov(1, wr.value(), null);
                p.insn("movz\tx3, #0x0", (pc, l) -> A64Encoder.movz(3, 0, 0));
                int enc = wr.kind().encoding(wr.index()) & 0xFFFF;
                p.insn("msr\t" + sysreg(enc) + ", x1", (pc, l) -> A64Encoder.msr(enc, 1));
                emitUndefCheck(p, wr.step(), "write " + wr.kind().text(wr.index()) + " <- 0x"
                        + Long.toHexString(wr.value()) + " at EL" + wr.el(), undef, checks);
                PmuProperties.guestWrite(w, s, new Access(wr.kind(), wr.index(), wr.value(), wr.el()));
            } else if (op instanceof Rd rd) {
                switchEl(p, el, rd.el());
                emitRead(p, w, rd.step(), rd.kind(), rd.index(), rd.el(), checks);
                PmuProperties.guestRead(w, s, new Access(rd.kind(), rd.index(), 0, rd.el()));
            } else if (op instanceof RunOp r) {
                switchEl(p, el, r.el());
                p.comment("step " + r.step() + ": run " + r.k() + " instructions at EL" + r.el());
                p.asm.append("\t.rept ").append(r.k()).append("\n\tnop\n\t.endr\n");
                for (long i = 0; i < r.k(); i++) {
                    p.items.add((Emit) (pc, l) -> A64Encoder.NOP);
                }
                PmuProperties.run(w, s, new PmuProperties.Run(r.k(), r.el()));
            } else if (op instanceof Mig m) {
                p.comment("step " + m.step() + ": migrate to pCPU " + m.cpu() + " (done by the .sched trace)");
                PmuProperties.migrate(w, s, m.cpu());
                // the next microsecond after the guest time reached so far
                long us = (long) Math.floor(ns[0] / 1000) + 1;
                if (sched.get(sched.size() - 1).startsWith(us + " ")) {
                    sched.remove(sched.size() - 1); // back-to-back moves: only the last one is visible
                }
                sched.add(us + " " + m.cpu());
            }
            long added = p.items.stream().skip(before).filter(x -> x instanceof Emit).count();
            ns[0] += added * PmuTarget.cyclesPerInstruction(host, cpu[0]) * 1000.0
                    / host.cycleModel(cpu[0]).frequencyMhz();
            if (op instanceof Mig m) {
                cpu[0] = m.cpu();
            }
        }
        switchEl(p, el, 1);
        // after the failing step: every register the diff names, against the model
        for (String d : c.diff()) {
            String key = d.substring(0, d.indexOf(':'));
            Matcher ix = Pattern.compile("(PMEVCNTR|PMEVTYPER)(\\d+)").matcher(key);
            if (ix.matches()) {
                emitRead(p, w, c.steps().size(), Kind.valueOf(ix.group(1)), Integer.parseInt(ix.group(2)), 1, checks);
            } else if (key.equals("PMCCFILTR")) {
                emitRead(p, w, c.steps().size(), Kind.PMEVTYPER, 31, 1, checks);
            } else if (!key.equals("irq")) {
                emitRead(p, w, c.steps().size(), Kind.valueOf(key), 0, 1, checks);
            }
        }
        p.comment("no mismatch: exit 0");
        p.insn("adr\tx1, result_0", (pc, l) -> A64Encoder.adr(1, l.get("result_0") - pc));
        p.label("exit");
        p.insn("svc\t#0x0\t// to EL1 (from EL1 too: the vector code carries on after the svc)",
                (pc, l) -> A64Encoder.svc(0));
        p.insn("movz\tx0, #0x20\t// SYS_EXIT_EXTENDED", (pc, l) -> A64Encoder.movz(0, 0x20, 0));
        p.insn("hlt\t#0xf000", (pc, l) -> A64Encoder.hlt(0xF000));
        p.label("hang");
        p.insn("b\thang", (pc, l) -> A64Encoder.b(l.get("hang") - pc));
        List<Integer> codes = new ArrayList<>(List.of(0));
        for (int i = 0; i < checks.size(); i++) {
            int step = checks.get(i).step();
            String msg = "msg_" + i;
            p.label("fail_" + i);
            p.insn("svc\t#0x0\t// to EL1 for semihosting", (pc, l) -> A64Encoder.svc(0));
            p.insn("adr\tx1, " + msg, (pc, l) -> A64Encoder.adr(1, l.get(msg) - pc));
            p.insn("movz\tx0, #0x4\t// SYS_WRITE0", (pc, l) -> A64Encoder.movz(0, 4, 0));
            p.insn("hlt\t#0xf000", (pc, l) -> A64Encoder.hlt(0xF000));
            p.insn("adr\tx1, result_" + step, (pc, l) -> A64Encoder.adr(1, l.get("result_" + step) - pc));
            p.insn("b\texit", (pc, l) -> A64Encoder.b(l.get("exit") - pc));
            if (!codes.contains(step)) {
                codes.add(step);
            }
        }
        emitVectors(p);
        codes.add(UNEXPECTED);
        p.align(8);
        for (int code : codes) {
            p.label("result_" + code);
            p.asm.append("\t.quad\t0x20026, ").append(code).append('\n');
            p.items.add(new long[] {0x20026, code});
        }
        for (int i = 0; i < checks.size(); i++) {
            p.string("msg_" + i, "a64trap counterexample: step " + checks.get(i).step() + ": " + checks.get(i).message());
        }
        p.string("msg_unexpected", "a64trap counterexample: unexpected exception (neither UNDEF nor SVC)");
        byte[] bin = layout(p.items);
        String cmd = "a64trap run --load-addr 0x" + Long.toHexString(LOAD_ADDR) + " --sched trace:" + name + ".sched"
                + " --host " + PmuProperties.HOSTS[setup.host()] + " --vmm-cpu " + setup.vmmCpu() + " --pmu "
                + switch (setup.mode()) {
                    case DEFAULT -> "default";
                    case FIXED -> "fixed-counters-only";
                    case SET_PMU -> "pmu:" + host.pmus().get(setup.setPmu()).name();
                    case PARTITIONED -> "partitioned:" + partitionedN(host, setup.nrCounters()) + " --kvm-abi "
                            + dev.a64trap.pmu.KvmAbi.PARTITION_V9.optionName();
                } + " --host-pmu-version " + PmuBits.versionName(setup.hostPmuVer()) // run's default is the host's
                + runOptions.stream().map(o -> " " + o).collect(java.util.stream.Collectors.joining())
                + (planted == null ? "" : " --plant-bug " + planted.cliName()) + " " + name + ".bin";
        String schedText = "# a64trap fuzz counterexample '" + c.property() + "' seed " + c.seed()
                + ": START_US CPU\n# approximate: guest time from every emitted instruction at the pCPU's ALU cost\n"
                + String.join("\n", sched) + "\n";
        return new Result(null, p.asm.toString(), bin, schedText, cmd + "\n");
    }

    /** HPMN of a partitioned setup: its SET_NR_COUNTERS when KVM took it, else the fewest counters of any PMU. */
    private static int partitionedN(Host host, int nr) {
        int min = Integer.MAX_VALUE;
        for (dev.a64trap.host.HostPmu p : host.pmus()) {
            min = Math.min(min, p.counters());
        }
        return nr >= 0 && nr <= min ? nr : min;
    }

    /** Exit subcode when the guest takes an exception other than an UNDEF or its own SVC. */
    static final int UNEXPECTED = 255;

    /** Moves the guest to {@code to}: ERET to EL0 (EL0t, interrupts masked), SVC back to EL1. */
    private static void switchEl(Prog p, int[] el, int to) {
        if (el[0] == to) {
            return;
        }
        if (to == 0) {
            String back = "el0_" + p.items.size();
            p.comment("to EL0");
            p.insn("movz\tx9, #0x3c0\t// SPSR: EL0t, DAIF masked", (pc, l) -> A64Encoder.movz(9, 0x3C0, 0));
            p.insn("msr\tspsr_el1, x9", (pc, l) -> A64Encoder.msr(A64Encoder.SPSR_EL1, 9));
            p.insn("adr\tx9, " + back, (pc, l) -> A64Encoder.adr(9, l.get(back) - pc));
            p.insn("msr\telr_el1, x9", (pc, l) -> A64Encoder.msr(A64Encoder.ELR_EL1, 9));
            p.insn("eret", (pc, l) -> A64Encoder.ERET);
            p.label(back);
        } else {
            p.insn("svc\t#0x0\t// back to EL1", (pc, l) -> A64Encoder.svc(0));
        }
        el[0] = to;
    }

    /**
     * VBAR_EL1: every entry branches to one handler. An SVC carries on at EL1 after it (the guest's way
     * back from EL0); an UNDEF (EC 0x00) sets x3 and skips the instruction; anything else exits
     * with subcode {@link #UNEXPECTED}.
     */
    private static void emitVectors(Prog p) {
        p.align(2048);
        p.label("vectors");
        for (int i = 0; i < 16; i++) {
            if (i > 0) {
                p.align(128);
            }
            p.insn("b\tvector_handler", (pc, l) -> A64Encoder.b(l.get("vector_handler") - pc));
        }
        p.label("vector_handler");
        p.insn("mrs\tx9, esr_el1", (pc, l) -> A64Encoder.mrs(A64Encoder.ESR_EL1, 9));
        p.insn("lsr\tx9, x9, #26\t// EC", (pc, l) -> A64Encoder.lsr(9, 9, 26));
        p.insn("cmp\tx9, #0x15\t// SVC", (pc, l) -> A64Encoder.cmpImm(9, 0x15));
        p.insn("b.eq\tafter_svc", (pc, l) -> A64Encoder.bcond(A64Encoder.EQ, l.get("after_svc") - pc));
        p.insn("cmp\tx9, #0x0\t// UNDEFINED", (pc, l) -> A64Encoder.cmpImm(9, 0));
        p.insn("b.ne\tunexpected", (pc, l) -> A64Encoder.bcond(A64Encoder.NE, l.get("unexpected") - pc));
        p.insn("movz\tx3, #0x1", (pc, l) -> A64Encoder.movz(3, 1, 0));
        p.insn("mrs\tx9, elr_el1", (pc, l) -> A64Encoder.mrs(A64Encoder.ELR_EL1, 9));
        p.insn("add\tx9, x9, #0x4", (pc, l) -> A64Encoder.addImm(9, 9, 4));
        p.insn("msr\telr_el1, x9", (pc, l) -> A64Encoder.msr(A64Encoder.ELR_EL1, 9));
        p.insn("eret", (pc, l) -> A64Encoder.ERET);
        p.label("after_svc");
        p.insn("mrs\tx9, elr_el1", (pc, l) -> A64Encoder.mrs(A64Encoder.ELR_EL1, 9));
        p.insn("br\tx9", (pc, l) -> A64Encoder.br(9));
        p.label("unexpected");
        p.insn("adr\tx1, msg_unexpected", (pc, l) -> A64Encoder.adr(1, l.get("msg_unexpected") - pc));
        p.insn("movz\tx0, #0x4\t// SYS_WRITE0", (pc, l) -> A64Encoder.movz(0, 4, 0));
        p.insn("hlt\t#0xf000", (pc, l) -> A64Encoder.hlt(0xF000));
        p.insn("adr\tx1, result_" + UNEXPECTED, (pc, l) -> A64Encoder.adr(1, l.get("result_" + UNEXPECTED) - pc));
        p.insn("b\texit", (pc, l) -> A64Encoder.b(l.get("exit") - pc));
    }

    /**
     * Whether the guest's own instructions may move this register's value: a related counter counts
     * anything but SW_INCR at an EL the guest runs at (its MOV/MSR/MRS/CMP, branches, exceptions and
     * ERETs are events too, and the model does not see them).
     */
    private static boolean movedByOverhead(PmuModel m, Kind k, int index) {
        int i = switch (k) {
            case PMCCNTR -> 31;
            case PMEVCNTR -> index;
            case PMXEVCNTR -> (int) (m.pmselr & 0x1F);
            case PMOVSSET, PMOVSCLR -> -1;
            default -> -2;
        };
        if (i == -2) {
            return false;
        }
        for (int j = 0; j < 32; j++) {
            boolean related = i == -1 || j == i || i % 2 == 1 && i != 31 && j == i - 1 && m.evt(i) == PmuModel.CHAIN;
            if (related && (j < m.n || j == 31) && (m.counts(j, 0) || m.counts(j, 1))
                    && m.evt(j) != PmuModel.SW_INCR) {
                return true;
            }
        }
        return false;
    }

    /** One compare in the guest: the step it belongs to and what a mismatch means, printed on failure. */
    private record Check(int step, String message) {}

    private static void emitUndefCheck(Prog p, int step, String access, boolean undef, List<Check> checks) {
        int fail = checks.size();
        checks.add(new Check(step, access + ": the model says " + (undef ? "UNDEF" : "no UNDEF")));
        p.insn("cmp\tx3, #0x" + (undef ? 1 : 0) + "\t// model: " + (undef ? "UNDEF" : "no UNDEF"),
                (pc, l) -> A64Encoder.cmpImm(3, undef ? 1 : 0));
        p.insn("b.ne\tfail_" + fail, (pc, l) -> A64Encoder.bcond(A64Encoder.NE, l.get("fail_" + fail) - pc));
    }

    private static void emitRead(Prog p, PmuProperties.World w, int step, Kind k, int index, int el,
            List<Check> checks) {
        int enc = k.encoding(index) & 0xFFFF;
        String name = k.modelName(index);
        Long want = name == null ? null : w.m.read(name, index, el);
        p.comment("step " + step + ": read " + k.text(index) + " at EL" + el);
        p.insn("movz\tx3, #0x0", (pc, l) -> A64Encoder.movz(3, 0, 0));
        p.insn("mrs\tx1, " + sysreg(enc), (pc, l) -> A64Encoder.mrs(enc, 1));
        emitUndefCheck(p, step, "read " + k.text(index) + " at EL" + el, want == null, checks);
        if (want == null || k == Kind.PMCEID0 || k == Kind.PMCEID1 || movedByOverhead(w.m, k, index)) {
            if (want != null) {
                p.comment("value not compared: " + (k.name().startsWith("PMCEID") ? "the model has the low half only"
                        : "the guest's own instructions count"));
            }
            return;
        }
        int fail = checks.size();
        checks.add(new Check(step, "read " + k.text(index) + " at EL" + el + ": the model says 0x" + Long.toHexString(want)));
        p.mov(2, want, "model: 0x" + Long.toHexString(want));
        p.insn("cmp\tx1, x2", (pc, l) -> A64Encoder.cmp(1, 2));
        p.insn("b.ne\tfail_" + fail, (pc, l) -> A64Encoder.bcond(A64Encoder.NE, l.get("fail_" + fail) - pc));
    }

    /** Alignment to a power of two, padded with NOPs (as GNU as pads code). */
    private record Align(int bytes) {}

    private static byte[] layout(List<Object> items) {
        java.util.Map<String, Long> labels = new java.util.HashMap<>();
        long pc = LOAD_ADDR;
        for (Object o : items) {
            if (o instanceof String l) {
                labels.put(l, pc);
            } else if (o instanceof Align a) {
                pc = pc + a.bytes() - 1 & -a.bytes();
            } else if (o instanceof byte[] bytes) {
                pc += bytes.length;
            } else {
                pc += o instanceof Emit ? 4 : 16;
            }
        }
        ByteBuffer b = ByteBuffer.allocate((int) (pc - LOAD_ADDR)).order(ByteOrder.LITTLE_ENDIAN);
        pc = LOAD_ADDR;
        for (Object o : items) {
            if (o instanceof Emit e) {
                b.putInt(e.encode(pc, labels));
                pc += 4;
            } else if (o instanceof Align a) {
                for (; (pc & a.bytes() - 1) != 0; pc += 4) {
                    b.putInt(A64Encoder.NOP);
                }
            } else if (o instanceof long[] q) {
                b.putLong(q[0]).putLong(q[1]);
                pc += 16;
            } else if (o instanceof byte[] bytes) {
                b.put(bytes);
                pc += bytes.length;
            }
        }
        return b.array();
    }
}
