package dev.a64trap.proptest;

import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import dev.a64trap.pmu.EntryResult;
import dev.a64trap.pmu.Errno;
import dev.a64trap.pmu.EventFilter;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmException;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuAttr;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.PmuReg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The vPMU stateful properties (spec section 6 and issue 5), as state machines over
 * {@link PmuModel} (the oracle) and {@link PmuTarget} (the real vPMU). Every chain starts with a
 * generated VMM setup (host, mode, counters, filters, placement), then guest accesses, runs,
 * migrations, userspace calls and debugger peeks.
 */
public final class PmuProperties {
    private PmuProperties() {}

    static final String[] HOSTS = {"rk3588", "tri-cluster", "dimensity9300", "uniform-a76"};

    /** Register kinds a guest access names; index matters for PMEVCNTR/PMEVTYPER only. */
    enum Kind {
        PMCR(3, 9, 12, 0), PMCNTENSET(3, 9, 12, 1), PMCNTENCLR(3, 9, 12, 2), PMOVSCLR(3, 9, 12, 3),
        PMSWINC(3, 9, 12, 4), PMSELR(3, 9, 12, 5), PMCEID0(3, 9, 12, 6), PMCEID1(3, 9, 12, 7),
        PMCCNTR(3, 9, 13, 0), PMXEVTYPER(3, 9, 13, 1), PMXEVCNTR(3, 9, 13, 2), PMUSERENR(3, 9, 14, 0),
        PMOVSSET(3, 9, 14, 3), PMINTENSET(0, 9, 14, 1), PMINTENCLR(0, 9, 14, 2), PMMIR(0, 9, 14, 6),
        PMEVCNTR(3, 14, 8, 0), PMEVTYPER(3, 14, 12, 0);

        final int op1, crn, crm, op2;

        Kind(int op1, int crn, int crm, int op2) {
            this.op1 = op1;
            this.crn = crn;
            this.crm = crm;
            this.op2 = op2;
        }

        /** The encoding from the spec's table 1.1 (independent of the pmu package's table). */
        int encoding(int index) {
            boolean indexed = this == PMEVCNTR || this == PMEVTYPER;
            int cm = indexed ? crm | (index >> 3) & 3 : crm;
            int o2 = indexed ? index & 7 : op2;
            return 3 << 14 | op1 << 11 | crn << 7 | cm << 3 | o2;
        }

        /** The model's register name: PMEVTYPER31 is PMCCFILTR, PMEVCNTR31 is unallocated (null). */
        String modelName(int index) {
            if (this == PMEVTYPER && index == 31) {
                return "PMCCFILTR";
            }
            if (this == PMEVCNTR && index == 31) {
                return null;
            }
            return name();
        }

        String text(int index) {
            return this == PMEVCNTR || this == PMEVTYPER ? name() + index : name();
        }
    }

    /** VMM setup of a chain. */
    public record Setup(int host, int hostPmuVer, PmuModel.Mode mode, int setPmu, int nrCounters, List<int[]> filters,
            int vmmCpu, int firstCpu, int pmcrN) {
        Setup(int host, int hostPmuVer, PmuModel.Mode mode, int setPmu, int nrCounters, List<int[]> filters,
                int vmmCpu, int firstCpu) {
            this(host, hostPmuVer, mode, setPmu, nrCounters, filters, vmmCpu, firstCpu, -1);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("host=" + HOSTS[host] + " hostPmuVer=" + hostPmuVer + " mode=" + mode);
            if (mode == PmuModel.Mode.SET_PMU) {
                b.append(" pmu#").append(setPmu);
            }
            if (nrCounters >= 0) {
                b.append(" nr=").append(nrCounters);
            }
            for (int[] f : filters) {
                b.append(f[2] == 0 ? " allow" : " deny").append(String.format("[0x%x+%d]", f[0], f[1]));
            }
            if (pmcrN >= 0) {
                b.append(" onereg PMCR.N=").append(pmcrN);
            }
            return b.append(" vmmCpu=").append(vmmCpu).append(" firstCpu=").append(firstCpu).toString();
        }
    }

    public record Access(Kind kind, int index, long value, int el) {
        String describeRead() {
            return "EL" + el + " " + kind.text(index);
        }

        String describeWrite() {
            return "EL" + el + " " + kind.text(index) + " <- 0x" + Long.toHexString(value);
        }
    }

    static final class Sut {
        final PmuTarget t;

        Sut(PmuTarget t) {
            this.t = t;
        }
    }

    /** Model plus the chain's host (chosen by the setup step). */
    public static final class World {
        PmuModel m;
    }

    static PropertyFailure fail(String check, String msg) {
        return new PropertyFailure(check, msg);
    }

    // ------------------------------------------------------------------ generators

    static Gen<Setup> setupGen(boolean fixedOnly, boolean noFixed) {
        return r -> {
            int h = Gens.intRange(0, HOSTS.length - 1).sample(r);
            Host host = Host.preset(HOSTS[h]);
            PmuModel.Mode mode = fixedOnly ? PmuModel.Mode.FIXED
                    : PmuModel.Mode.values()[r.nextInt(noFixed ? 2 : 4)];
            int setPmu = r.nextInt(host.pmus().size());
            int nr = mode == PmuModel.Mode.PARTITIONED ? r.nextInt(8)
                    : mode != PmuModel.Mode.FIXED && r.nextInt(3) == 0 ? r.nextInt(8) : -1;
            List<int[]> filters = new ArrayList<>();
            if (mode != PmuModel.Mode.FIXED && r.nextInt(3) == 0) {
                int k = 1 + r.nextInt(3);
                for (int i = 0; i < k; i++) {
                    int[] pick = {PmuModel.INST_RETIRED, PmuModel.CPU_CYCLES, 0, 0x1B, 0x1E, r.nextInt(0x40)};
                    int base = pick[r.nextInt(pick.length)];
                    filters.add(new int[] {base, 1 + r.nextInt(Math.min(4, 0x40 - base)), r.nextInt(2)});
                }
            }
            int[] vers = {6, 4, 1, 5};
            int pmcrN = r.nextInt(3) == 0 ? Gens.counterIndex(host.pmus().get(setPmu).counters()).sample(r) : -1;
            Setup s = new Setup(h, vers[r.nextInt(vers.length)], mode, setPmu, nr, filters, r.nextInt(host.cpuCount()),
                    r.nextInt(host.cpuCount()), pmcrN);
            return shrinkSetup(s);
        };
    }

    static Shrinkable<Setup> shrinkSetup(Setup s) {
        return new Shrinkable<>(s, () -> {
            List<Shrinkable<Setup>> out = new ArrayList<>();
            if (s.pmcrN() >= 0) {
                out.add(shrinkSetup(new Setup(s.host(), s.hostPmuVer(), s.mode(), s.setPmu(), s.nrCounters(),
                        s.filters(), s.vmmCpu(), s.firstCpu())));
            }
            if (!s.filters().isEmpty()) {
                out.add(shrinkSetup(new Setup(s.host(), s.hostPmuVer(), s.mode(), s.setPmu(), s.nrCounters(), List.of(), s.vmmCpu(),
                        s.firstCpu(), s.pmcrN())));
            }
            if (s.nrCounters() >= 0) {
                out.add(shrinkSetup(new Setup(s.host(), s.hostPmuVer(), s.mode(), s.setPmu(), -1, s.filters(), s.vmmCpu(),
                        s.firstCpu(), s.pmcrN())));
            }
            if (s.hostPmuVer() != PmuBits.PMUV3P5) { // toward the newest version KVM exposes
                out.add(shrinkSetup(new Setup(s.host(), PmuBits.PMUV3P5, s.mode(), s.setPmu(), s.nrCounters(),
                        s.filters(), s.vmmCpu(), s.firstCpu(), s.pmcrN())));
            }
            if (s.host() > 0) {
                out.add(shrinkSetup(new Setup(0, s.hostPmuVer(), s.mode(), 0, s.nrCounters(), s.filters(), 0, 0, s.pmcrN())));
            }
            if (s.vmmCpu() > 0 || s.firstCpu() > 0) {
                out.add(shrinkSetup(new Setup(s.host(), s.hostPmuVer(), s.mode(), s.setPmu(), s.nrCounters(), s.filters(), 0, 0, s.pmcrN())));
            }
            return out;
        });
    }

    static final long[] EVENTS = {0, PmuModel.INST_RETIRED, PmuModel.CPU_CYCLES, PmuModel.CHAIN, 0x1B, 0x06, 0x23};

    static Gen<Long> valueFor(Kind k, PmuModel m) {
        return switch (k) {
            case PMCR -> Gen.frequency(List.of(Gen.weighted(3, Gen.elements(1L, 3L, 5L, 7L, 0L, 0x41L, 0xC1L, 0x81L)),
                    Gen.weighted(1, Gens.longs())));
            case PMUSERENR -> Gens.intRange(0, 15).map(Integer::longValue);
            case PMSELR -> Gen.frequency(List.of(Gen.weighted(3, Gens.counterIndex(m.n).map(Integer::longValue)),
                    Gen.weighted(1, Gens.longs())));
            case PMEVTYPER, PMXEVTYPER -> Gen.frequency(List.of(
                    Gen.weighted(4, r -> Shrinkable.of(EVENTS[r.nextInt(EVENTS.length)] | (r.nextInt(4) == 0 ? PmuModel.P : 0)
                            | (r.nextInt(4) == 0 ? PmuModel.U : 0))),
                    Gen.weighted(1, Gens.longs())));
            case PMCNTENSET, PMCNTENCLR, PMOVSSET, PMOVSCLR, PMINTENSET, PMINTENCLR, PMSWINC -> Gen.frequency(List.of(
                    Gen.weighted(3, Gens.counterIndex(m.n).map(i -> 1L << i)), Gen.weighted(1, Gens.longs())));
            default -> Gens.longs();
        };
    }

    static Gen<Access> accessGen(PmuModel m, boolean write) {
        return r -> {
            Kind[] ks = Kind.values();
            Kind k = r.nextInt(3) == 0 ? (r.nextBoolean() ? Kind.PMEVCNTR : Kind.PMEVTYPER) : ks[r.nextInt(ks.length)];
            if (write && r.nextInt(6) == 0) {
                k = Kind.PMSWINC;
            }
            int idx = Gens.counterIndex(m.n).sample(r);
            int el = r.nextInt(3) == 0 ? 0 : 1;
            Shrinkable<Long> v = write ? valueFor(k, m).generate(r) : Shrinkable.of(0L);
            Kind kk = k;
            return v.map(x -> new Access(kk, idx, x, el));
        };
    }

    // ------------------------------------------------------------------ actions

    static void setup(World w, Sut s, Setup p) {
        Host host = Host.preset(HOSTS[p.host()]);
        PmuModel m = new PmuModel(host);
        w.m = m;
        PmuTarget t = s.t;
        t.host = host;
        // the partitioned PMU has its own rule set: its ENABLE_PARTITION is attribute 5 too
        KvmVm vm = new KvmVm(host, KvmVm.Options.defaults().withHostPmuVer(p.hostPmuVer())
                .withAbi(p.mode() == PmuModel.Mode.PARTITIONED ? KvmAbi.PARTITION_V9 : KvmAbi.DEFAULT));
        t.vm = vm;
        t.vcpu = vm.createVcpu();
        t.vcpu.init(true, p.vmmCpu());
        t.pmu = t.vcpu.pmu();
        HostPmu def = host.pmuOfCpu(p.vmmCpu());
        m.vmPmu = def;
        m.n = def.counters();
        vm.initVgic();
        t.vcpu.setAttr(PmuAttr.IRQ, 23);
        m.mode = p.mode();
        if (p.mode() == PmuModel.Mode.SET_PMU) {
            HostPmu hp = host.pmus().get(p.setPmu());
            t.vcpu.setAttr(PmuAttr.SET_PMU, hp.typeId());
            m.vmPmu = hp;
            m.n = hp.counters();
        } else if (p.mode() == PmuModel.Mode.FIXED) {
            Errno before = errno(() -> t.vcpu.getAttr(PmuAttr.FIXED_COUNTERS_ONLY));
            t.vcpu.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null);
            Errno after = errno(() -> t.vcpu.getAttr(PmuAttr.FIXED_COUNTERS_ONLY));
            if (before != Errno.ENXIO || after != null) {
                throw fail("GET of FIXED_COUNTERS_ONLY is ENXIO until set (18)", "before " + before + ", after " + after);
            }
            m.n = 0;
        } else if (p.mode() == PmuModel.Mode.PARTITIONED) {
            t.vcpu.setAttr(KvmAbi.PARTITION_V9.partitionAttr(), null);
            m.n = m.maxCounters();
        }
        if (p.nrCounters() >= 0) {
            Errno got = errno(() -> t.vcpu.setAttr(PmuAttr.SET_NR_COUNTERS, p.nrCounters()));
            Errno want = p.nrCounters() > m.maxCounters() ? Errno.EINVAL : null;
            if (got != want) {
                throw fail("SET_NR_COUNTERS errors (4.2)", "n=" + p.nrCounters() + " got " + got + " want " + want);
            }
            if (want == null) {
                m.n = p.nrCounters();
            }
        }
        for (int[] f : p.filters()) {
            t.vcpu.setAttr(PmuAttr.FILTER, new EventFilter(f[0], f[1], f[2]));
            if (m.filter == null) {
                m.filter = new boolean[0x40];
                java.util.Arrays.fill(m.filter, f[2] != 0); // first DENY -> default allow
            }
            for (int e = f[0]; e < f[0] + f[1]; e++) {
                m.filter[e] = f[2] == 0;
            }
        }
        t.vcpu.setAttr(PmuAttr.INIT, null);
        // spec 1.9: min(host sanitised PMUVer, PMUv3p5); the host's PMUVer is KvmVm.Options.hostPmuVer (the
        // generated setup's, as 'run --host-pmu-version' sets it), and the model follows the option
        m.pmuVer = Math.min(vm.options().hostPmuVer(), 6);
        if (m.pmuVer == 0xF) {
            m.pmuVer = 0;
        }
        if (vm.pmuVer() != m.pmuVer) {
            throw fail("guest PMUVer (1.9)", "vm.pmuVer()=" + vm.pmuVer() + " model " + m.pmuVer);
        }
        if (p.pmcrN() >= 0) { // 1.7 / invariant 6: before the first run N applies iff n <= max, and never fails
            int max = m.maxCounters();
            long id = dev.a64trap.pmu.PmuRegTable.oneRegId(Kind.PMCR.encoding(0));
            // read-modify-write of the N field, as the KVM selftest and 'a64trap run --pmcr-n' do
            Errno e = errno(() -> t.vcpu.setOneReg(id, t.vcpu.getOneReg(id) & ~PmuBits.PMCR_N_MASK
                    | (long) p.pmcrN() << PmuBits.PMCR_N_SHIFT));
            if (e != null) {
                throw fail("userspace PMCR.N write succeeds (6)", "N=" + p.pmcrN() + ": " + e);
            }
            if (p.pmcrN() <= max) {
                m.n = p.pmcrN();
            }
        }
        EntryResult r = t.start(p.firstCpu());
        m.pcpu = p.firstCpu();
        m.blocked = !expectEntered(m, p.firstCpu());
        checkEntry(m, r, p.firstCpu());
        m.started = true;
        // reset values are UNKNOWN (masked): take them from userspace, the invariants check the masks
        m.pmcr = oneGet(t, Kind.PMCR, 0) & 0xFF;
        m.cnten = oneGet(t, Kind.PMCNTENSET, 0);
        m.inten = oneGet(t, Kind.PMINTENSET, 0);
        m.ovs = oneGet(t, Kind.PMOVSSET, 0);
        m.pmselr = oneGet(t, Kind.PMSELR, 0);
        m.userenr = oneGet(t, Kind.PMUSERENR, 0);
        m.counter[31] = oneGet(t, Kind.PMCCNTR, 0);
        m.evtyper[31] = oneGet(t, Kind.PMEVTYPER, 31);
        for (int i = 0; i < 31; i++) {
            m.counter[i] = oneGet(t, Kind.PMEVCNTR, i);
            m.evtyper[i] = oneGet(t, Kind.PMEVTYPER, i);
        }
    }

    static long oneGet(PmuTarget t, Kind k, int i) {
        return t.vcpu.getOneReg(dev.a64trap.pmu.PmuRegTable.oneRegId(k.encoding(i) & 0xFFFF));
    }

    static Errno errno(Runnable r) {
        try {
            r.run();
            return null;
        } catch (KvmException e) {
            return e.errno();
        }
    }

    static boolean expectEntered(PmuModel m, int cpu) {
        return switch (m.mode) {
            case SET_PMU -> m.vmPmu.cpus().contains(cpu);
            case DEFAULT, FIXED -> true; // v8: the VM's CPU set stays all CPUs
            case PARTITIONED -> m.host.pmuOfCpu(cpu) != null;
        };
    }

    static void checkEntry(PmuModel m, EntryResult r, int cpu) {
        boolean want = expectEntered(m, cpu);
        if (r.entered() != want || !r.entered() && r.cpu() != cpu) {
            throw fail(m.mode == PmuModel.Mode.SET_PMU ? "SET_PMU fail entry on foreign CPUs (16)"
                    : "no fail-entry exit outside SET_PMU (15)", "entry on cpu " + cpu + ": " + r.describe()
                            + ", expected entered=" + want);
        }
    }

    static PmuTarget.Access guestRead(World w, Sut s, Access a) {
        String name = a.kind().modelName(a.index());
        int enc = a.kind().encoding(a.index()) & 0xFFFF;
        boolean retires = name != null && s.t.accessRetires(enc, a.el()) && w.m.read(name, a.index(), a.el()) != null;
        if (retires) {
            w.m.retire(0, w.m.accessCycles(), a.el()); // an executed MRS reads after its own cost
        }
        Map<String, String> before = s.t.view();
        PmuTarget.Access got = s.t.read(enc, a.el());
        Long want = name == null ? null : w.m.read(name, a.index(), a.el());
        long gotValue = got.value();
        if (want != null && name.startsWith("PMCEID")) {
            // the model computes events 0x00-0x3F (low half); the high half (0x4000-) must be 0 below PMUv3p1
            if (w.m.pmuVer < 4 && gotValue >>> 32 != 0) {
                throw fail("PMCEID high half is 0 on PMUv3 (2)", name + " = 0x" + Long.toHexString(gotValue));
            }
            gotValue &= 0xFFFF_FFFFL;
        }
        if (got.undef() != (want == null) || want != null && gotValue != want) {
            throw fail("guest read matches model (2-5, 9)", "read " + a.kind().text(a.index()) + " at EL" + a.el()
                    + " got " + got + ", model " + (want == null ? "UNDEF" : PmuModel.hex(want)));
        }
        if (got.undef() && !before.equals(s.t.view())) {
            throw fail("UNDEF leaves PMU state unchanged (4)", "after read " + a.kind().text(a.index()));
        }
        if (retires) {
            w.m.retire(1, 0, a.el()); // and retires after the read
        }
        return got;
    }

    static void guestWrite(World w, Sut s, Access a) {
        String name = a.kind().modelName(a.index());
        int enc = a.kind().encoding(a.index()) & 0xFFFF;
        boolean retires = name != null && s.t.accessRetires(enc, a.el()) && !w.m.writeUndefined(name, a.index(), a.el());
        if (retires) {
            w.m.retire(0, w.m.accessCycles(), a.el()); // an executed MSR writes after its own cost
        }
        Map<String, String> before = s.t.view();
        PmuTarget.Access got = s.t.write(enc, a.value(), a.el());
        boolean ok = name != null && w.m.write(name, a.index(), a.value(), a.el());
        if (retires) {
            w.m.retire(1, 0, a.el()); // and retires after the write
        }
        if (got.undef() == ok) {
            throw fail("guest write UNDEFs as the model says (4, 5)", "write " + a.kind().text(a.index()) + " <- 0x"
                    + Long.toHexString(a.value()) + " at EL" + a.el() + ": impl " + (got.undef() ? "UNDEF" : "ok")
                    + ", model " + (ok ? "ok" : "UNDEF"));
        }
        if (got.undef() && !before.equals(s.t.view())) {
            throw fail("UNDEF leaves PMU state unchanged (4)", "after write " + a.kind().text(a.index()));
        }
    }

    /** Two reads in a row of one counter (direct, or PMXEVCNTR with PMSELR already pointing at it). */
    record ReadPair(Kind kind, int index, int el) {
        @Override
        public String toString() {
            return "EL" + el + " " + kind.text(index) + " twice";
        }
    }

    /**
     * Issue 15: reads advance like hardware. Where accesses are executed instructions, two reads in a
     * row of a counting counter differ by exactly the second read's cost: the system-instruction
     * cycles for a cycle-sourced counter (so successive reads strictly increase, modulo the width),
     * one for an instruction-sourced one (the first read retired in between). Where nothing executes
     * (the trap path) they are equal. Each read is also checked against the model.
     */
    static void readPair(World w, Sut s, ReadPair p) {
        PmuModel m = w.m;
        int i = p.kind() == Kind.PMCCNTR ? 31 : p.kind() == Kind.PMXEVCNTR ? (int) (m.pmselr & 0x1F) : p.index();
        boolean counting = !m.blocked && (i < m.n || i == 31) && m.counts(i, p.el());
        int src = counting ? PmuModel.source(m.evt(i)) : 0;
        long cyc = m.pcpu >= 0 ? m.accessCycles() : 0;
        Access a = new Access(p.kind(), p.index(), 0, p.el());
        PmuTarget.Access first = guestRead(w, s, a);
        PmuTarget.Access second = guestRead(w, s, a);
        if (first.undef() || second.undef()) {
            return;
        }
        boolean retires = s.t.accessRetires(a.kind().encoding(a.index()) & 0xFFFF, p.el());
        long widthMask = i == 31 || m.pmuVer >= 6 ? -1L : 0xFFFF_FFFFL;
        long d = second.value() - first.value() & widthMask;
        long want = !retires || src == 0 ? 0 : src == 1 ? 1 : cyc;
        if (d != want) {
            throw fail("back-to-back reads advance by the second read's cost (issue 15)", p + ": 0x"
                    + Long.toHexString(first.value()) + " then 0x" + Long.toHexString(second.value()) + ", want +" + want
                    + (retires ? " (executed accesses)" : " (trap path)"));
        }
    }

    record Run(long k, int el) {
        @Override
        public String toString() {
            return k + " insns at EL" + el;
        }
    }

    static void run(World w, Sut s, Run p) {
        PmuModel m = w.m;
        long[] before = counters(s.t, m.n);
        boolean[] counting = new boolean[32];
        for (int i = 0; i < 32; i++) {
            counting[i] = !m.blocked && (i < m.n || i == 31) && m.counts(i, p.el()) && PmuModel.source(m.evt(i)) != 0;
        }
        boolean anyChain = false;
        for (int i = 1; i < m.n; i += 2) {
            anyChain |= m.evt(i) == PmuModel.CHAIN;
        }
        m.run(p.k(), p.el());
        s.t.run(p.k(), p.el());
        long[] after = counters(s.t, m.n);
        long bound = p.k() * m.cpi(m.pcpu);
        for (int i = 0; i < 32; i++) {
            if (i >= m.n && i != 31) {
                continue;
            }
            boolean chainTarget = anyChain && i % 2 == 1 && m.evt(i) == PmuModel.CHAIN;
            if (!counting[i] && !chainTarget && after[i] != before[i]) {
                throw fail("counters never move while disabled, filtered or off-PMU (7, 15)", "counter " + i
                        + " moved 0x" + Long.toHexString(before[i]) + " -> 0x" + Long.toHexString(after[i])
                        + " over " + p);
            }
            long widthMask = i == 31 || m.pmuVer >= 6 ? -1L : 0xFFFF_FFFFL;
            long d = after[i] - before[i] & widthMask;
            if (counting[i] && Long.compareUnsigned(d, bound) > 0) {
                throw fail("enabled counters monotonic modulo width (7)", "counter " + i + " advanced by " + d
                        + " > " + bound + " over " + p);
            }
        }
    }

    static long[] counters(PmuTarget t, int n) {
        long[] c = new long[32];
        for (int i = 0; i < n; i++) {
            c[i] = t.pmu.peek(PmuReg.PMEVCNTR, i);
        }
        c[31] = t.pmu.peek(PmuReg.PMCCNTR, 0);
        return c;
    }

    static void migrate(World w, Sut s, Integer cpu) {
        HostPmu from = w.m.pcpu < 0 ? null : w.m.host.pmuOfCpu(w.m.pcpu);
        long reloads = s.t.pmu.cycleCounterReloads();
        EntryResult r = s.t.migrate(cpu);
        if (w.m.mode == PmuModel.Mode.FIXED && from != null && from == w.m.host.pmuOfCpu(cpu)
                && s.t.pmu.cycleCounterReloads() != reloads) {
            throw fail("same-PMU migration recreates nothing (17)", "cpu " + w.m.pcpu + " -> " + cpu + " ("
                    + from.name() + "): cycle counter reloads " + reloads + " -> " + s.t.pmu.cycleCounterReloads());
        }
        w.m.pcpu = cpu;
        w.m.blocked = !expectEntered(w.m, cpu);
        checkEntry(w.m, r, cpu);
    }

    record OneReg(Kind kind, int index, boolean set, long value) {}

    static final Kind[] ONE_REG_KINDS = {Kind.PMCR, Kind.PMCNTENSET, Kind.PMCNTENCLR, Kind.PMOVSSET, Kind.PMOVSCLR,
        Kind.PMINTENSET, Kind.PMINTENCLR, Kind.PMSELR, Kind.PMUSERENR, Kind.PMCCNTR, Kind.PMEVCNTR, Kind.PMEVTYPER,
        Kind.PMSWINC};

    static void oneReg(World w, Sut s, OneReg p) {
        PmuModel m = w.m;
        long id = dev.a64trap.pmu.PmuRegTable.oneRegId(p.kind().encoding(p.index()) & 0xFFFF);
        if (p.set()) {
            s.t.setOneReg(id, p.value());
            long v = p.value();
            switch (p.kind()) {
                case PMCR -> { // after the first run N is kept (6); only [7:0] stored
                    long nv = v & 0xFF & ~6L;
                    if (m.lcForced()) {
                        nv |= 1L << 6;
                    }
                    m.pmcr = nv;
                }
                case PMCNTENSET, PMCNTENCLR -> m.cnten = v & m.mask();
                case PMOVSSET, PMOVSCLR -> m.ovs = v & m.mask();
                case PMINTENSET, PMINTENCLR -> m.inten = v & m.mask();
                case PMSELR -> m.pmselr = v;
                case PMUSERENR -> m.userenr = v;
                case PMCCNTR -> m.counter[31] = v;
                case PMEVCNTR -> m.counter[p.index()] = v;
                case PMEVTYPER -> m.evtyper[p.index()] = v;
                default -> { }
            }
        } else {
            long got = s.t.vcpu.getOneReg(id);
            long want = switch (p.kind()) {
                case PMCR -> m.read("PMCR", 0, 1);
                case PMSWINC -> 0;
                case PMSELR -> m.pmselr;
                case PMUSERENR -> m.userenr;
                case PMCCNTR -> m.counter[31];
                case PMEVCNTR -> m.counterView(p.index());
                case PMEVTYPER -> m.evtyper[p.index()];
                default -> m.read(p.kind().name(), 0, 1);
            };
            if (got != want) {
                throw fail("KVM_GET_ONE_REG matches model (1.7)", p.kind().text(p.index()) + " got 0x"
                        + Long.toHexString(got) + " model 0x" + Long.toHexString(want));
            }
        }
    }

    static void attrAfterInit(World w, Sut s, Integer attr) {
        Object arg = switch (attr) {
            case 0 -> 23;
            case 2 -> EventFilter.allow(8, 1);
            case 3 -> w.m.vmPmu.typeId();
            case 4 -> 0;
            default -> null;
        };
        Errno got = errno(() -> s.t.vcpu.setAttr(attr, arg));
        if (got != Errno.EBUSY) {
            throw fail("every SET after INIT is EBUSY (18)", PmuAttr.name(attr, s.t.vm.abi()) + " got " + got);
        }
    }

    /** Counter i (31 = cycle) set to {@code distance} below the 32- or 64-bit overflow. */
    record NearOverflow(int index, long distance, boolean wide, boolean indirect) {
        @Override
        public String toString() {
            return (index == 31 ? "PMCCNTR" : "PMEVCNTR" + index) + " = " + (wide ? "2^64" : "2^32") + " - " + distance
                    + (indirect ? " via PMSELR/PMXEVCNTR" : "");
        }
    }

    static void nearOverflow(World w, Sut s, NearOverflow p) {
        long v = (p.wide() ? 0 : 1L << 32) - p.distance();
        if (p.indirect()) {
            guestWrite(w, s, new Access(Kind.PMSELR, 0, p.index(), 1));
            guestWrite(w, s, new Access(Kind.PMXEVCNTR, 0, v, 1));
        } else if (p.index() == 31) {
            guestWrite(w, s, new Access(Kind.PMCCNTR, 0, v, 1));
        } else {
            guestWrite(w, s, new Access(Kind.PMEVCNTR, p.index(), v, 1));
        }
    }

    /** Programs counter i: type (event, P/U), enable, interrupt enable, PMCR (E plus LC/LP choice). */
    record Program(int index, long type, boolean intEnable, long pmcr) {
        @Override
        public String toString() {
            return (index == 31 ? "cycle" : "counter " + index) + " type=0x" + Long.toHexString(type)
                    + (intEnable ? " +irq" : "") + " PMCR<-0x" + Long.toHexString(pmcr);
        }
    }

    static void program(World w, Sut s, Program p) {
        guestWrite(w, s, new Access(Kind.PMEVTYPER, p.index(), p.type(), 1));
        guestWrite(w, s, new Access(Kind.PMCNTENSET, 0, 1L << p.index(), 1));
        if (p.intEnable()) {
            guestWrite(w, s, new Access(Kind.PMINTENSET, 0, 1L << p.index(), 1));
        }
        guestWrite(w, s, new Access(Kind.PMCR, 0, p.pmcr(), 1));
    }

    /** An even counter counting instructions chained to its odd partner, the even one near overflow. */
    record ChainPair(int even, long distance, long oddStart) {
        @Override
        public String toString() {
            return "PMEVCNTR" + even + " = 2^32 - " + distance + " chained to PMEVCNTR" + (even + 1) + " = 0x"
                    + Long.toHexString(oddStart);
        }
    }

    static void chainPair(World w, Sut s, ChainPair p) {
        program(w, s, new Program(p.even(), PmuModel.INST_RETIRED, false, 1));
        program(w, s, new Program(p.even() + 1, PmuModel.CHAIN, true, 1));
        guestWrite(w, s, new Access(Kind.PMEVCNTR, p.even(), (1L << 32) - p.distance(), 1));
        guestWrite(w, s, new Access(Kind.PMEVCNTR, p.even() + 1, p.oddStart(), 1));
    }

    static Gen<Integer> implementedIndex(PmuModel m) {
        return m.n == 0 ? Gen.constant(31) : Gen.frequency(List.of(Gen.weighted(1, Gen.constant(31)),
                Gen.weighted(3, Gens.intRange(0, m.n - 1))));
    }

    static void peek(World w, Sut s, Integer ignored) {
        Map<String, String> a = s.t.view();
        Map<String, String> b = s.t.view();
        if (!a.equals(b)) {
            throw fail("debugger peek has no side effect", "two peeks differ: " + Runner.diff(a, b));
        }
    }

    // ------------------------------------------------------------------ invariants

    static List<Invariant<World, Sut>> invariants() {
        List<Invariant<World, Sut>> l = new ArrayList<>();
        l.add(new Invariant<>("bitmaps within mask(N), SET and CLR read the same (1)", (w, s) -> {
            if (!started(w)) {
                return null;
            }
            long mask = w.m.mask();
            PmuReg[][] pairs = {{PmuReg.PMCNTENSET, PmuReg.PMCNTENCLR}, {PmuReg.PMOVSSET, PmuReg.PMOVSCLR},
                {PmuReg.PMINTENSET, PmuReg.PMINTENCLR}};
            for (PmuReg[] p : pairs) {
                long a = s.t.pmu.peek(p[0], 0), b = s.t.pmu.peek(p[1], 0);
                if ((a & ~mask) != 0 || a != b) {
                    return p[0] + "=0x" + Long.toHexString(a) + " " + p[1] + "=0x" + Long.toHexString(b) + " mask 0x"
                            + Long.toHexString(mask);
                }
            }
            return null;
        }));
        l.add(new Invariant<>("PMCR reads P=C=IMP=IDCODE=0 and N = VM N (2)", (w, s) -> {
            if (!started(w)) {
                return null;
            }
            long v = s.t.pmu.peek(PmuReg.PMCR, 0);
            long want = w.m.n;
            return (v & 6) == 0 && (v & ~0xFFFFL) == 0 && (v >> 11 & 0x1F) == want && s.t.vm.nrCounters() == want
                    ? null : "PMCR=0x" + Long.toHexString(v) + " N expected " + want;
        }));
        l.add(new Invariant<>("interrupt line == (PMOVSSET & PMINTENSET) != 0 && PMCR.E (12)", (w, s) -> {
            if (!started(w)) {
                return null;
            }
            boolean e = (s.t.pmu.peek(PmuReg.PMCR, 0) & 1) != 0;
            boolean want = e && (s.t.pmu.peek(PmuReg.PMOVSSET, 0) & s.t.pmu.peek(PmuReg.PMINTENSET, 0)) != 0;
            return s.t.pmu.irqLevel() == want ? null : "irqLevel " + s.t.pmu.irqLevel() + ", registers say " + want;
        }));
        l.add(new Invariant<>("fixed-counters-only: N = 0, PMCEID0 = PMCEID1 = 0 (17)", (w, s) -> {
            if (!started(w) || w.m.mode != PmuModel.Mode.FIXED) {
                return null;
            }
            long c0 = s.t.pmu.peek(PmuReg.PMCEID0, 0), c1 = s.t.pmu.peek(PmuReg.PMCEID1, 0);
            return s.t.vm.nrCounters() == 0 && c0 == 0 && c1 == 0 ? null
                    : "N=" + s.t.vm.nrCounters() + " PMCEID0=0x" + Long.toHexString(c0) + " PMCEID1=0x"
                            + Long.toHexString(c1);
        }));
        l.add(new Invariant<>("PMCEID1 bits 0x3D-0x3F are 0 (14)", (w, s) -> {
            if (!started(w)) {
                return null;
            }
            long c1 = s.t.pmu.peek(PmuReg.PMCEID1, 0);
            return (c1 & 0xE000_0000L) == 0 ? null : "PMCEID1=0x" + Long.toHexString(c1);
        }));
        l.add(new Invariant<>("implementation equals reference model", (w, s) -> {
            if (!started(w)) {
                return null;
            }
            List<String> d = Runner.diff(w.m.view(), s.t.view());
            return d.isEmpty() ? null : String.join("; ", d);
        }));
        l.add(new Invariant<>("fixed-counters-only: cycles counted per pCPU match the runs there (17)", (w, s) -> {
            if (!started(w) || w.m.mode != PmuModel.Mode.FIXED) {
                return null;
            }
            long[] per = s.t.pmu.countedPerCpu(31);
            for (int c = 0; c < s.t.host.cpuCount(); c++) {
                long got = c < per.length ? per[c] : 0;
                if (got != w.m.cyclesCountedOn[c]) {
                    return "pCPU " + c + ": vPMU counted " + got + " cycles, model ran " + w.m.cyclesCountedOn[c];
                }
            }
            return null;
        }));
        return l;
    }

    static boolean started(World w) {
        return w.m != null && w.m.started;
    }

    // ------------------------------------------------------------------ machines

    static List<Action<World, Sut, ?>> actions(boolean fixedOnly, boolean noFixed, boolean migrationsOnly) {
        List<Action<World, Sut, ?>> a = new ArrayList<>();
        a.add(Action.<World, Sut, Setup>of("setup", 1, w -> setupGen(fixedOnly, noFixed), PmuProperties::setup)
                .when(w -> !started(w)));
        if (migrationsOnly) {
            a.add(Action.<World, Sut, Access>of("enable", 2, w -> r -> Shrinkable.of(new Access(Kind.PMCNTENSET, 0,
                    1L << 31, 1)), PmuProperties::guestWrite).when(PmuProperties::started)
                    .describedBy(Access::describeWrite));
            a.add(Action.<World, Sut, Access>of("pmcr", 2, w -> valueFor(Kind.PMCR, w.m)
                    .map(v -> new Access(Kind.PMCR, 0, v, 1)), PmuProperties::guestWrite).when(PmuProperties::started)
                    .describedBy(Access::describeWrite));
            a.add(Action.<World, Sut, Access>of("ccfiltr", 1, w -> Gen.elements(0L, PmuModel.P, PmuModel.U)
                    .map(v -> new Access(Kind.PMEVTYPER, 31, v, 1)), PmuProperties::guestWrite)
                    .when(PmuProperties::started).describedBy(Access::describeWrite));
        } else {
            a.add(Action.<World, Sut, Access>of("read", 6, w -> accessGen(w.m, false), PmuProperties::guestRead)
                    .when(PmuProperties::started).describedBy(Access::describeRead));
            a.add(Action.<World, Sut, Access>of("write", 8, w -> accessGen(w.m, true), PmuProperties::guestWrite)
                    .when(PmuProperties::started).describedBy(Access::describeWrite));
            a.add(Action.<World, Sut, OneReg>of("onereg", 2, w -> r -> {
                Kind k = ONE_REG_KINDS[r.nextInt(ONE_REG_KINDS.length)];
                int idx = r.nextInt(31);
                boolean set = r.nextBoolean();
                return valueFor(k, w.m).generate(r).map(v -> new OneReg(k, idx, set, set ? v : 0));
            }, PmuProperties::oneReg).when(PmuProperties::started));
            a.add(Action.<World, Sut, Integer>of("setAttrAfterInit", 1, w -> Gens.intRange(0, 5),
                    PmuProperties::attrAfterInit).when(PmuProperties::started));
            a.add(Action.<World, Sut, Integer>of("peek", 1, w -> Gen.constant(0), PmuProperties::peek)
                    .when(PmuProperties::started).describedBy(x -> ""));
        }
        a.add(Action.<World, Sut, ReadPair>of("readPair", 2, w -> r -> {
            Kind k = migrationsOnly ? Kind.PMCCNTR : new Kind[] {Kind.PMCCNTR, Kind.PMEVCNTR, Kind.PMXEVCNTR}[r.nextInt(3)];
            return Shrinkable.of(new ReadPair(k, implementedIndex(w.m).sample(r), migrationsOnly || r.nextInt(4) != 0 ? 1 : 0));
        }, PmuProperties::readPair).when(PmuProperties::started));
        a.add(Action.<World, Sut, NearOverflow>of("nearOverflow", 3, w -> r -> {
            int idx = implementedIndex(w.m).sample(r);
            boolean wide = r.nextInt(4) == 0;
            boolean ind = !migrationsOnly && r.nextInt(3) == 0;
            return Gens.intRange(1, 4000).generate(r).map(d -> new NearOverflow(idx, d, wide, ind));
        }, PmuProperties::nearOverflow).when(PmuProperties::started));
        a.add(Action.<World, Sut, Program>of("program", 3, w -> r -> {
            int idx = migrationsOnly ? 31 : implementedIndex(w.m).sample(r);
            long ev = idx % 2 == 1 && idx != 31 && r.nextInt(3) == 0 ? PmuModel.CHAIN
                    : new long[] {PmuModel.INST_RETIRED, PmuModel.CPU_CYCLES, 0, 0x1B}[r.nextInt(4)];
            long type = ev | (r.nextInt(5) == 0 ? PmuModel.P : 0) | (r.nextInt(5) == 0 ? PmuModel.U : 0);
            long pmcr = 1 | (r.nextBoolean() ? 1L << 6 : 0) | (r.nextBoolean() ? 1L << 7 : 0);
            return Shrinkable.of(new Program(idx, type, r.nextBoolean(), pmcr));
        }, PmuProperties::program).when(PmuProperties::started));
        if (!migrationsOnly) {
            a.add(Action.<World, Sut, ChainPair>of("chainPair", 2, w -> r -> {
                int even = 2 * r.nextInt(Math.max(1, w.m.n / 2));
                long odd = r.nextBoolean() ? 0 : 0xFFFF_FFFFL;
                return Gens.intRange(1, 3000).generate(r).map(d -> new ChainPair(even, d, odd));
            }, PmuProperties::chainPair).when(w -> started(w) && w.m.n >= 2));
            a.add(Action.<World, Sut, Access>of("userenr", 2, w -> Gens.intRange(0, 15)
                    .map(v -> new Access(Kind.PMUSERENR, 0, v, 1)), PmuProperties::guestWrite)
                    .when(PmuProperties::started).describedBy(Access::describeWrite));
            a.add(Action.<World, Sut, Access>of("swinc", 2, w -> Gens.counterIndex(w.m.n)
                    .map(i -> new Access(Kind.PMSWINC, 0, 1L << i, 1)), PmuProperties::guestWrite)
                    .when(PmuProperties::started).describedBy(Access::describeWrite));
        }
        a.add(Action.<World, Sut, Run>of("run", 6, w -> r -> {
            int el = r.nextInt(3) == 0 ? 0 : 1;
            return Gens.intRange(1, 5000).generate(r).map(k -> new Run(k, el));
        }, PmuProperties::run).when(PmuProperties::started));
        a.add(Action.<World, Sut, Integer>of("migrate", 3, w -> Gens.intRange(0, w.m.host.cpuCount() - 1),
                PmuProperties::migrate).when(PmuProperties::started));
        return a;
    }

    static StateMachine<World, Sut> machine(String name, boolean fixedOnly, boolean noFixed, boolean migrationsOnly,
            java.util.function.Supplier<PmuTarget> targets) {
        return new StateMachine<>(name, World::new, w -> new Sut(targets.get()),
                actions(fixedOnly, noFixed, migrationsOnly), invariants(),
                w -> w.m == null ? Map.of() : w.m.view(), s -> s.t.vm == null ? Map.of() : s.t.view(), 40);
    }

    /** All vPMU properties, in the order a campaign runs them. */
    public static List<StateMachine<World, Sut>> all() {
        return all(() -> new PmuTarget(null));
    }

    /** The properties against targets from {@code targets} (tests plant bugs in a subclass). */
    public static List<StateMachine<World, Sut>> all(java.util.function.Supplier<PmuTarget> targets) {
        return List.of(
                machine("pmu: registers, counting, userspace, all modes", false, false, false, targets),
                machine("pmu: default and SET_PMU placement", false, true, false, targets),
                machine("pmu: fixed-counters-only cycle counter across migrations", true, false, true, targets));
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
