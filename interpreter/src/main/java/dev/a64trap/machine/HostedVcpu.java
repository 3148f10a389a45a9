package dev.a64trap.machine;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.exec.Block;
import dev.a64trap.exec.Interpreter;
import dev.a64trap.exec.RunObserver;
import dev.a64trap.exec.Stop;
import dev.a64trap.host.CycleModel;
import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import dev.a64trap.host.InsnClass;
import dev.a64trap.host.Scheduler;
import dev.a64trap.pmu.EntryResult;
import dev.a64trap.pmu.EventClock;
import dev.a64trap.pmu.KvmException;
import dev.a64trap.pmu.KvmVcpu;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.PmuRegTable;
import dev.a64trap.pmu.PmuUndefined;
import dev.a64trap.pmu.VmmPolicy;
import dev.a64trap.pmu.Vpmu;
import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysReg;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The vCPU on the simulated host: KVM's vPMU wired into the board. It is the interpreter's
 * {@link RunObserver} (per-block event sums, checkpoints at block boundaries) and the vPMU's
 * {@link EventClock}; it moves the vCPU between pCPUs as the {@link Scheduler} says (a vCPU load)
 * and stops the run on KVM_EXIT_FAIL_ENTRY.
 *
 * <h2>Guest time (deterministic)</h2>
 * Guest time advances only with executed work: each retired instruction costs the cycles of its
 * {@link InsnClass} in the cycle model of the pCPU it ran on (an exception entry costs the
 * EXCEPTION class), and the cycles of a stretch on one pCPU convert to nanoseconds at that pCPU's
 * clock ({@link CycleModel#cyclesToNanos}, rounded down per stretch). CNTVCT_EL0 = CNTPCT_EL0 =
 * guest nanoseconds (CNTFRQ_EL0 = 1 GHz); the scheduler's microseconds are guest ns / 1000. A read
 * of CNTVCT sees the time at the retirement of the reading instruction. Placement changes happen
 * at the first block boundary at or after the scheduler's change time.
 */
public final class HostedVcpu implements RunObserver, EventClock {
    /** Stop status used internally for KVM_EXIT_FAIL_ENTRY (the CLI maps it via {@link #failEntry()}). */
    public static final int FAIL_ENTRY_STOP = 123;

    /** One placement change: guest time, from and to pCPU. */
    public record Migration(long nanos, int from, int to) {}

    private final Host host;
    private final Scheduler scheduler;
    private final KvmVm vm;
    private final KvmVcpu vcpu;
    private final Vpmu pmu;
    private final VmmPolicy.Plan plan;

    private Interpreter interp;
    private Cpu cpu;
    private boolean entered;
    private EntryResult failEntry;

    // per-EL totals since power-on
    private final long[][] totals = new long[2][BlockSums.SLOTS];
    private long lastExceptions;
    // UNDEFs KVM injected for refused PMU accesses and not yet folded: in the guest's view of its
    // counters no exception is taken
    private long injectedUndefs;
    // the block whose MRS/MSR is executing: its sums count as retired while the vPMU looks
    private BlockSums pending;
    private boolean anyCounting = true;
    private int pendingEl;
    // Whole executions of blocks whose events (all but cycles) are not yet in the totals: the sums
    // are linear, so k executions of a block are added once, times k, at the next flush, and readers
    // add the deferred part of just the slot they read. Flushed before anyCounting changes (it says
    // whether they are added at all) and at checkpoints.
    private static final int DEFERRED_MAX = 32;
    private final BlockSums[] deferred = new BlockSums[DEFERRED_MAX];
    private int deferredN;
    /** False: every block is added at once (the reference the deferred path is tested against). */
    private boolean lazy = true;

    // time: the current stretch on one pCPU
    private int pcpu = -1;
    private CycleModel model;
    private long stretchStartNs;
    private long stretchCycles;

    private final List<Migration> migrations = new ArrayList<>();
    // a debugger's 'monitor migrate' holds the vCPU where it put it until the scheduler's next change (guest µs)
    private long manualUntilUs = -1;
    private long stalledNs;
    private long stallMarkNs;
    private boolean stalled;
    // perf's "time enabled" (PMCR.E and the PMCNTENSET bit) and "time running" (the vPMU counts it) per
    // counter, running per pCPU, closed at the same points as the stall interval
    private final long[] enabledNs = new long[32];
    private long[][] runningNs;
    private int enabledMask;
    private int runningMask;
    private boolean irqLevel;
    private long irqRises;
    private PlantedBug plantedBug;
    /**
     * The reader of this vCPU's own PMCCNTR_EL0 row (null while a planted bug wraps the rows): the
     * table keeps it through its copies of the row, so a block's descriptor with it is that row.
     */
    private SysReg.Reader cycleReader;

    /**
     * Creates the VM and vCPU and performs the VMM's plan: KVM_ARM_VCPU_INIT, the attribute steps,
     * vGIC init before PMU INIT, then the optional PMUVer write ({@code pmuVersion} &lt; 0 = keep).
     *
     * @throws dev.a64trap.pmu.KvmException when KVM refuses a step
     */
    public HostedVcpu(Host host, Scheduler scheduler, VmmPolicy.Plan plan, KvmVm.Options options, int vmmCpu,
            int pmuVersion) {
        this.host = host;
        this.scheduler = scheduler;
        this.plan = plan;
        this.vm = new KvmVm(host, options);
        vm.setOfflineCpus(scheduler.offlineAt(0)); // hotplug: KVM checks the CPUs online at vCPU init
        this.vcpu = vm.createVcpu();
        if (options.irqchip() != KvmVm.Irqchip.NONE) {
            vm.initVgic();
        }
        plan.apply(vcpu, vmmCpu);
        if (pmuVersion >= 0 && plan.pmuFeature()) {
            vm.setPmuVerField(pmuVersion);
        }
        this.pmu = vcpu.pmu();
        pmu.setIrqListener(high -> {
            if (high && !irqLevel) {
                irqRises++;
            }
            irqLevel = high;
            irqForward.accept(high);
        });
    }

    /** Where the overflow interrupt line goes besides the counters here (the board's GIC). */
    private java.util.function.Consumer<Boolean> irqForward = level -> {};

    /** Forwards the vPMU's overflow interrupt level to {@code line} (the board wires it to the GIC's PPI). */
    public void onIrq(java.util.function.Consumer<Boolean> line) {
        irqForward = line;
        line.accept(irqLevel);
    }

    /** A vCPU the caller already created (see {@link #detached} and {@link #adopt}). */
    private HostedVcpu(Host host, KvmVm vm, KvmVcpu vcpu, Scheduler scheduler) {
        this(host, vm, vcpu, scheduler, null);
    }

    private HostedVcpu(Host host, KvmVm vm, KvmVcpu vcpu, Scheduler scheduler, VmmPolicy.Plan plan) {
        this.host = host;
        this.scheduler = scheduler;
        this.plan = plan;
        this.vm = vm;
        this.vcpu = vcpu;
        this.pmu = vcpu.pmu();
    }

    /**
     * Another vCPU of this one's VM, as a VMM brings up vCPU n of an SMP guest: KVM_CREATE_VCPU,
     * then the same KVM_ARM_VCPU_INIT and attribute calls as this vCPU's (the VM-wide ones, SET_PMU,
     * the event filter, SET_NR_COUNTERS, FIXED_COUNTERS_ONLY, land on the same VM, so every vCPU sees
     * one PMU configuration; once any vCPU ran, KVM refuses them with EBUSY). It runs where
     * {@code scheduler} places it. Call before any vCPU of the VM runs.
     *
     * @throws dev.a64trap.pmu.KvmException when KVM refuses a step for this vCPU
     */
    public HostedVcpu sibling(Scheduler scheduler, int vmmCpu) {
        if (plan == null) {
            throw new IllegalStateException("a sibling needs the VMM plan this vCPU was built with");
        }
        KvmVcpu v = vm.createVcpu();
        plan.apply(v, vmmCpu);
        HostedVcpu h = new HostedVcpu(host, vm, v, scheduler, plan);
        h.pmu.setIrqListener(high -> {
            if (high && !h.irqLevel) {
                h.irqRises++;
            }
            h.irqLevel = high;
            h.irqForward.accept(high);
        });
        h.plantedBug = plantedBug;
        return h;
    }

    /**
     * A vCPU the caller created and configured itself (KVM_ARM_VCPU_INIT and the attribute steps
     * done, not yet run), to be {@link #attach attached} to an interpreter and {@link #enter entered}
     * like the one {@code a64trap run} builds; it then moves as {@code scheduler} says and when
     * {@link #loadNow} is called. {@link #plan()} is null. The property tests use this to run
     * generated guest code on the machine under a VMM setup they generated.
     */
    public static HostedVcpu adopt(Host host, KvmVm vm, KvmVcpu vcpu, Scheduler scheduler) {
        HostedVcpu h = new HostedVcpu(host, vm, vcpu, scheduler);
        h.pmu.setIrqListener(high -> {
            if (high && !h.irqLevel) {
                h.irqRises++;
            }
            h.irqLevel = high;
            h.irqForward.accept(high);
        });
        return h;
    }

    /**
     * The system-register rows' owner for a vCPU that the caller set up and clocks itself, with no
     * interpreter and no scheduler (the property tests drive the guest's MRS/MSR through
     * {@link #sysRegs} this way). Nothing executes, so no block retires around an access and there is
     * no checkpoint to move; everything else in the rows is what a run does. The vPMU's clock and
     * interrupt listener stay the caller's. Never {@link #attach} or {@link #enter} a detached vCPU.
     */
    public static HostedVcpu detached(Host host, KvmVm vm, KvmVcpu vcpu) {
        return new HostedVcpu(host, vm, vcpu, null);
    }

    // ------------------------------------------------------------------ system registers

    /** Plants a deliberate bug in the PMU rows that {@link #sysRegs} builds from now on (null: none). */
    public HostedVcpu plant(PlantedBug bug) {
        this.plantedBug = bug;
        return this;
    }

    public PlantedBug plantedBug() {
        return plantedBug;
    }

    /**
     * {@code base} with the vPMU's 79 registers added (EL0 accesses reach the vPMU, which applies
     * PMUSERENR itself), ID_AA64DFR0_EL1.PMUVer / ID_DFR0_EL1.PerfMon from the VM, and the counters
     * CNTPCT/CNTVCT_EL0 from guest time.
     */
    public List<SysReg> sysRegs(List<SysReg> base) {
        Set<Integer> pmuEncodings = new HashSet<>();
        for (PmuRegTable.Entry e : PmuRegTable.entries()) {
            pmuEncodings.add(e.encoding());
        }
        List<SysReg> rows = new ArrayList<>();
        for (SysReg r : base) {
            if (pmuEncodings.contains(r.encoding())) {
                continue;
            }
            switch (r.name()) {
                case "ID_AA64DFR0_EL1" -> rows.add(SysReg.of(r.name(), r.encoding(),
                        (c, x) -> (BaseSysRegs.ID_AA64DFR0 & ~0xF00L) | (long) vm.pmuVer() << 8, null));
                case "ID_AA64DFR1_EL1" -> { // PMICNTR [39:36]: only the experimental fixed-counters-only+icntr
                    long v = r.read(null) & ~(0xFL << 36) | (vm.icntr() ? 1L << 36 : 0);
                    rows.add(SysReg.of(r.name(), r.encoding(), (c, x) -> v, null));
                }
                case "ID_DFR0_EL1" -> {
                    long v = r.read(null);
                    rows.add(SysReg.of(r.name(), r.encoding(),
                            (c, x) -> (v & ~(0xFL << 24)) | (long) vm.perfMon() << 24, null));
                }
                case "CNTPCT_EL0", "CNTVCT_EL0" -> rows.add(SysReg.of(r.name(), r.encoding(),
                        (c, x) -> {
                            retireCurrent(c.el());
                            return nanoseconds();
                        }, null).el0(r::access).debugAccess((c, x) -> nanoseconds(), (c, x, v) -> {
                            throw new SysReg.Unavailable("guest time is derived from executed work");
                        }));
                default -> rows.add(r);
            }
        }
        List<PmuRegTable.Entry> pmuRows = new ArrayList<>(PmuRegTable.entries());
        if (vm.icntr()) {
            pmuRows.addAll(PmuRegTable.icntrEntries());
        }
        for (PmuRegTable.Entry e : pmuRows) {
            PmuReg reg = e.reg();
            int index = e.index();
            long oneRegId = PmuRegTable.oneRegId(e.encoding());
            // the debugger: the vPMU's side-effect-free peek (nothing retired or materialised), and
            // KVM_SET_ONE_REG for writes; without a PMU KVM has no such register (ENOENT)
            // the cycle counter, the register guests read in loops, has its own small reader
            SysReg.Reader reader = reg == PmuReg.PMCCNTR ? (c, x) -> pmuReadCycles(c.el())
                    : (c, x) -> pmuRead(reg, index, c.el());
            // EL0 accesses reach the vPMU, which applies PMUSERENR as KVM does (UNDEF); a partitioned
            // PMU is accessed directly, so the hardware traps a refused EL0 access to EL1 (EC 0x18)
            SysReg row = SysReg.of(e.name(), e.encoding(), reader,
                    (c, x, v) -> pmuWrite(reg, index, v, c.el())).el0((c, w) -> c.el() == 0 && pmu.el0Trapped(reg, w)
                            ? SysReg.Access.TRAP : SysReg.Access.ALLOW)
                    .debugAccess((c, x) -> {
                        if (!vcpu.hasPmu()) {
                            throw new SysReg.Unavailable("no vPMU");
                        }
                        return pmu.peek(reg, index);
                    }, (c, x, v) -> {
                        try {
                            vcpu.setOneReg(oneRegId, v);
                        } catch (KvmException refused) {
                            throw new SysReg.Unavailable(refused.getMessage());
                        }
                        vpmuChanged(); // a counter it starts must see the blocks that follow
                    });
            rows.add(plantedBug == null ? row : plantedBug.apply(row));
            if (reg == PmuReg.PMCCNTR && plantedBug == null) {
                cycleReader = reader;
            }
        }
        return rows;
    }

    private long pmuRead(PmuReg reg, int index, int el) {
        retireCurrent(el);
        try {
            return pmu.read(reg, index, el);
        } catch (PmuUndefined u) {
            pending = null; // the access does not retire
            injectedUndefs++;
            throw GuestFault.undefined();
        }
    }

    /** {@code pmuRead(PMCCNTR, 0, el)}, small enough for HotSpot to inline into a JIT unit. */
    private long pmuReadCycles(int el) {
        retireCurrent(el);
        try {
            return pmu.readCycleCounter(el);
        } catch (PmuUndefined u) {
            pending = null; // the access does not retire
            injectedUndefs++;
            throw GuestFault.undefined();
        }
    }

    private void pmuWrite(PmuReg reg, int index, long v, int el) {
        retireCurrent(el);
        try {
            pmu.write(reg, index, v, el);
        } catch (PmuUndefined u) {
            pending = null;
            injectedUndefs++;
            throw GuestFault.undefined();
        }
        refreshCounting();
        updateStall();
        if (interp != null) {
            interp.setCheckpoint(cpu.retired); // deadlines changed: recompute at the next boundary
        }
    }

    /**
     * While the vPMU or the timer looks, the executing block (ending in this MRS/MSR) counts as retired
     * but for the accessing instruction's own retirement: its cycles are spent, it retires after the access.
     */
    private void retireCurrent(int el) {
        if (interp == null) { // detached: no block is executing
            pending = null;
            pendingEl = el;
            return;
        }
        foldExceptions();
        Block b = interp.currentBlock();
        pending = b != null ? BlockSums.atAccess(b) : null;
        pendingEl = el;
    }

    // ------------------------------------------------------------------ wiring

    /** Connects the interpreter; call once, before the first run. */
    public void attach(Interpreter interpreter, Cpu c) {
        this.interp = interpreter;
        this.cpu = c;
        pmu.attachClock(this);
        interpreter.setObserver(this);
        interpreter.setCheckpoint(Long.MAX_VALUE);
    }

    /**
     * First KVM_RUN (once): loads the vCPU on the scheduler's pCPU at time 0. Returns a stop when
     * entry fails (the guest executes nothing), else null.
     */
    public Stop enter() {
        if (entered) {
            return failEntry != null ? Stop.exit(FAIL_ENTRY_STOP, cpu.pc) : null;
        }
        entered = true;
        int first = scheduler.cpuAt(0);
        place(first);
        EntryResult r = vcpu.run(first);
        if (!r.entered()) {
            failEntry = r;
            return Stop.exit(FAIL_ENTRY_STOP, cpu.pc);
        }
        refreshCounting();
        updateStall();
        planCheckpoint();
        return null;
    }

    private void place(int to) {
        stretchStartNs = nanoseconds();
        stretchCycles = 0;
        pcpu = to;
        model = host.cycleModel(to);
    }

    @Override
    public void retired(Block b, int n, int el, long nextPc) {
        pending = null;
        if (b.observerData instanceof BlockSums s && s.lazyCount != 0 && s.lazyNext == nextPc && s.lazyEl == el
                && n == b.length()) {
            // the block again, whole, at the same EL and to the same successor: one more deferred execution
            long cyc = s.cycles(model);
            stretchCycles += cyc;
            if (anyCounting) {
                totals[el][BlockSums.CYCLES] += cyc;
            }
            s.lazyCount++;
            return;
        }
        if (n > 0) {
            if (n == b.length()) {
                retiredWhole(BlockSums.of(b), el, nextPc, 1);
            } else {
                BlockSums s = BlockSums.prefix(b, n);
                addNow(s, el, s.pcWrites(nextPc));
            }
        }
    }

    /** A compiled loop: {@code times} whole passes of {@code b}, each back to its start (the sums are linear). */
    @Override
    public void retiredLoop(Block b, long times, int el) {
        pending = null;
        retiredWhole(BlockSums.of(b), el, b.pc, times);
    }

    /** A compiled unit's edge: {@code times} whole passes of {@code b}, each on to {@code nextPc}. */
    @Override
    public void retiredTimes(Block b, long times, int el, long nextPc) {
        pending = null;
        retiredWhole(BlockSums.of(b), el, nextPc, times);
    }

    /** The interpreter's deferred report of compiled executions: as {@link #retiredTimes}, leaving an executing access's block as it is. */
    @Override
    public void retiredDeferred(Block b, long times, int el, long nextPc) {
        retiredWhole(BlockSums.of(b), el, nextPc, times);
    }

    /**
     * Brings in what the interpreter ran and has not reported yet ({@link Interpreter#settleRuns}):
     * first thing wherever totals, guest time or placement are looked at or changed.
     */
    private void catchUp() {
        if (interp != null) {
            interp.settleRuns();
        }
    }

    /**
     * A region loop of {@code chain} whose accesses all read PMCCNTR_EL0 through this vCPU's reader at
     * {@code el}, the last just now: each pass adds the chain's cycles to the counter if it counts at
     * {@code el} (else nothing), and no read folds an overflow while the vPMU's room (measured at the
     * pass's last, largest read) lasts. Nothing else here changes between the passes but the sums
     * {@link #retiredTimes} adds, which are linear.
     */
    @Override
    public long steadyPasses(Block[] chain, int el, long[] step) {
        if (cycleReader == null || model == null || failEntry != null) {
            return 0;
        }
        for (int j = 0; j < chain.length - 1; j++) {
            if (chain[j].sysReg.reader() != cycleReader) {
                return 0;
            }
        }
        long perPass = 0;
        int len = 0;
        for (Block b : chain) {
            perPass += BlockSums.of(b).cycles(model);
            len += b.insns.length;
        }
        if (perPass <= 0) {
            return 0;
        }
        long passes = passesBeforeCheckpoint(perPass, len);
        long room = pmu.cycleCounterSteadyRoom(el);
        if (room >= 0) {
            passes = Math.min(passes, room / perPass);
        }
        if (passes <= 0) {
            return 0;
        }
        step[0] = room < 0 ? 0 : perPass;
        steadyGrants++;
        return passes;
    }

    /**
     * Whole passes of {@code cyclesPerPass} cycles and {@code len} instructions, after the pass in
     * progress, whose block boundaries all come before anything this vCPU's checkpoints stand for:
     * the scheduler's next change, exactly (the passes' cycles are known, where {@link #planCheckpoint}
     * must assume the costliest instruction), and the vPMU's next overflow deadline, as
     * planCheckpoint bounds it. Every checkpoint among those boundaries would find nothing to do, so
     * the interpreter's own checkpoint (planned for unknown code) need not stop the passes.
     */
    private long passesBeforeCheckpoint(long cyclesPerPass, int len) {
        catchUp();
        flushDeferred();
        foldExceptions();
        long passes = Long.MAX_VALUE;
        long now = nanoseconds();
        long change = scheduler.nextChange(now / 1000);
        if (change != Long.MAX_VALUE) {
            long mhz = model.frequencyMhz();
            long x = change * 1000 - stretchStartNs; // the change, in ns from this stretch's start
            if (x <= 0) {
                return 0;
            }
            if (x < Long.MAX_VALUE / mhz) {
                long maxCycles = (x * mhz - 1) / 1000; // the most cycles c with cyclesToNanos(c) < x
                long used = stretchCycles + (pending != null ? pending.cycles(model) : 0);
                // the last boundary is at most the rest of this pass and the passes after it away
                passes = (maxCycles - used) / cyclesPerPass - 1;
            }
        }
        long pb = pmu.instructionBudget(Math.max(2, model.maxCyclesPerInstruction()));
        if (pb != Long.MAX_VALUE) {
            passes = Math.min(passes, (pb - 1) / len - 2);
        }
        return Math.max(0, passes);
    }

    private long steadyGrants;

    /** How often a region loop was allowed to batch passes of its PMCCNTR reads ({@link #steadyPasses}). */
    public long steadyGrants() {
        return steadyGrants;
    }

    /**
     * {@code times} whole executions of a block: its cycles at once (guest time and the cycle
     * counter, read most, stay plain sums), its other events deferred (usually one increment).
     */
    private void retiredWhole(BlockSums s, int el, long nextPc, long times) {
        if (times <= 0) {
            return; // a listed entry always has a count
        }
        long pcWrites = s.pcWrites(nextPc);
        long cyc = s.cycles(model) * times;
        stretchCycles += cyc;
        if (anyCounting) {
            totals[el][BlockSums.CYCLES] += cyc;
        }
        if (s.lazyCount != 0 && s.lazyEl == el && s.lazyPcw == pcWrites) {
            s.lazyCount += times;
        } else if (lazy && anyCounting) { // nothing counts: the totals stay as they are, nothing to defer
            defer(s, el, pcWrites, nextPc, times);
        } else if (anyCounting) {
            addEvents(s, totals[el], pcWrites, times);
        }
    }

    private void defer(BlockSums s, int el, long pcWrites, long nextPc, long times) {
        if (s.lazyCount != 0) {
            // deferred at another EL or with other PC writes: add just its deferred part now and
            // keep its place in the list (a block that branches both ways would flush it all)
            if (anyCounting) {
                addEvents(s, totals[s.lazyEl], s.lazyPcw, s.lazyCount);
            }
        } else {
            if (deferredN == DEFERRED_MAX) {
                flushDeferred(); // the list is full
            }
            deferred[deferredN++] = s;
        }
        s.lazyEl = el;
        s.lazyPcw = pcWrites;
        s.lazyNext = nextPc;
        s.lazyCount = times;
    }

    /** Adds the deferred executions' events (not cycles: added at once) to the totals. */
    private void flushDeferred() {
        for (int k = 0; k < deferredN; k++) {
            BlockSums s = deferred[k];
            deferred[k] = null;
            long times = s.lazyCount;
            s.lazyCount = 0;
            if (anyCounting) {
                addEvents(s, totals[s.lazyEl], s.lazyPcw, times);
            }
        }
        deferredN = 0;
    }

    /** A prefix of a block, added now. */
    private void addNow(BlockSums s, int el, long pcWrites) {
        long cyc = s.cycles(model);
        stretchCycles += cyc;
        if (anyCounting) {
            addEvents(s, totals[el], pcWrites, 1);
            totals[el][BlockSums.CYCLES] += cyc;
        }
    }

    /** The deferred part of {@code totals[el][slot]} (they are added there only while a counter counts). */
    private long deferredTotal(int slot, int el) {
        long v = 0;
        for (int k = 0; k < deferredN; k++) {
            BlockSums s = deferred[k];
            if (s.lazyEl == el) {
                v += (slot == BlockSums.PC_WRITE ? s.lazyPcw : s.sums[slot]) * s.lazyCount;
            }
        }
        return v;
    }

    /** Test hook: {@code false} adds every block to the totals at once (the reference path). */
    void setLazy(boolean on) {
        catchUp();
        flushDeferred();
        lazy = on;
    }

    /**
     * Adds a block's event sums (all but cycles) to the totals. Skipped while no counter counts: the
     * vPMU only ever uses differences of totals taken while a counter counts (it snapshots the clock
     * when one starts), so totals frozen in between are indistinguishable from complete ones.
     */
    private static void addEvents(BlockSums s, long[] t, long pcWrites, long times) {
        long[] d = s.sums;
        t[BlockSums.INST] += d[BlockSums.INST] * times;
        t[BlockSums.BR] += d[BlockSums.BR] * times;
        t[BlockSums.BR_IMMED] += d[BlockSums.BR_IMMED] * times;
        t[BlockSums.BR_RETURN] += d[BlockSums.BR_RETURN] * times;
        t[BlockSums.PC_WRITE] += pcWrites * times;
        t[BlockSums.LD] += d[BlockSums.LD] * times;
        t[BlockSums.ST] += d[BlockSums.ST] * times;
        t[BlockSums.MEM] += d[BlockSums.MEM] * times;
        t[BlockSums.EXC_RETURN] += d[BlockSums.EXC_RETURN] * times;
        t[BlockSums.CID] += d[BlockSums.CID] * times;
        t[BlockSums.TTBR] += d[BlockSums.TTBR] * times;
    }

    /** Whether any counter accumulates from the clock; refreshed wherever the vPMU may start or stop one. */
    private void refreshCounting() {
        catchUp();
        flushDeferred(); // added (or not) under the old answer
        boolean any = false;
        for (int i = 0; i < 32 && !any; i++) {
            any = pmu.isCounting(i);
        }
        anyCounting = any;
    }

    /**
     * Exception entries (counted by the interpreter) since the last look: EXC_TAKEN and their cycles, at
     * EL1. A refused PMU access is not one: KVM traps it to EL2 and injects the UNDEF by software, and
     * the guest's counters see neither EL2 nor a hardware exception entry. Folded wherever the totals
     * or guest time are read (and at checkpoints and placements), not per block: sums do not care about
     * order, and the cycle model only changes at a placement, which folds first.
     */
    private void foldExceptions() {
        if (interp == null) {
            return; // detached: nothing executes
        }
        interp.settleRuns(); // see catchUp
        long e = interp.events.exceptions;
        if (e != lastExceptions) {
            foldExceptions(e); // rare: kept out of the block and access paths HotSpot inlines
        }
    }

    private void foldExceptions(long e) {
        long d = e - lastExceptions;
        lastExceptions = e;
        // the injected UNDEF is counted by the interpreter after the access throws (a fold may come between)
        long injected = Math.min(d, injectedUndefs);
        injectedUndefs -= injected;
        d -= injected;
        totals[1][BlockSums.EXC_TAKEN] += d;
        long cyc = d * model.cycles(InsnClass.EXCEPTION);
        totals[1][BlockSums.CYCLES] += cyc;
        stretchCycles += cyc;
    }

    @Override
    public Stop checkpoint() {
        if (failEntry != null) {
            return Stop.exit(FAIL_ENTRY_STOP, cpu.pc);
        }
        catchUp();
        flushDeferred();
        foldExceptions();
        long now = nanoseconds();
        int want = now / 1000 < manualUntilUs ? pcpu : scheduler.cpuAt(now / 1000);
        if (want != pcpu && !load(now, want)) {
            interp.setCheckpoint(cpu.retired);
            return Stop.exit(FAIL_ENTRY_STOP, cpu.pc);
        }
        syncIfOverflowDue();
        planCheckpoint();
        return null;
    }

    /** An overflow is due at this boundary: sync, which sets PMOVSSET and the interrupt line. */
    private void syncIfOverflowDue() {
        if (pmu.nextDeadline() == 0) {
            pmu.sync();
        }
    }

    /**
     * The run stopped (budget, breakpoint, exit...), possibly inside the block where a counter
     * overflowed: bring the vPMU's overflow status and interrupt line up to date, as the next
     * checkpoint would, so whoever looks now (a debugger, a report) sees them consistent.
     */
    public void settle() {
        if (!entered || failEntry != null || interp == null) {
            return;
        }
        catchUp();
        flushDeferred();
        foldExceptions();
        syncIfOverflowDue();
    }

    /** Moves the vCPU to {@code to} (a vCPU load); false when KVM refuses entry there (FAIL_ENTRY). */
    private boolean load(long now, int to) {
        updateStall();
        int from = pcpu;
        place(to);
        migrations.add(new Migration(now, from, to));
        EntryResult r = vcpu.onVcpuLoad(to);
        if (!r.entered()) {
            failEntry = r;
            return false;
        }
        refreshCounting();
        updateStall();
        return true;
    }

    /**
     * A debugger's migration: moves the vCPU to {@code to} now, exactly as a scheduler change would
     * (vCPU load, counters re-backed), and keeps it there until the scheduler's next change.
     * Returns a one-line description; when KVM refuses entry on that CPU (SET_PMU), the next resume
     * stops with KVM_EXIT_FAIL_ENTRY. Call only while the guest is stopped, after the first entry.
     */
    public String migrateNow(int to) {
        if (to < 0 || to >= host.cpuCount()) {
            return "no pCPU " + to + " on host " + host.name() + " (0-" + (host.cpuCount() - 1) + ")";
        }
        if (!entered || failEntry != null) {
            return "the vCPU is not running (not entered yet, or entry failed)";
        }
        if (to == pcpu) {
            return "the vCPU already runs on pCPU " + to;
        }
        foldExceptions();
        long now = nanoseconds();
        int from = pcpu;
        manualUntilUs = scheduler.nextChange(now / 1000);
        if (!load(now, to)) {
            interp.setCheckpoint(cpu.retired);
            return "KVM_EXIT_FAIL_ENTRY: pCPU " + to + " (" + pmuNameOf(to) + ") is outside the vCPU's supported CPUs;"
                    + " the next resume stops the guest";
        }
        planCheckpoint();
        return "vCPU moved from pCPU " + from + " (" + pmuNameOf(from) + ") to pCPU " + to + " (" + pmuNameOf(to) + ")";
    }

    /**
     * The VMM's KVM_RUN from pCPU {@code to} now, while the guest is stopped after {@link #enter}: a
     * vCPU load exactly as a scheduler change does, kept until the scheduler's next change. Unlike
     * {@link #migrateNow} it also loads on the current pCPU and re-enters after a failed entry (the
     * VMM moved its thread to a supported CPU and ran the vCPU again). Returns the entry result; on
     * failure the next resume stops with KVM_EXIT_FAIL_ENTRY.
     */
    public EntryResult loadNow(int to) {
        if (!entered) {
            throw new IllegalStateException("loadNow before the first entry");
        }
        foldExceptions();
        long now = nanoseconds();
        manualUntilUs = scheduler.nextChange(now / 1000);
        failEntry = null;
        if (!load(now, to)) {
            interp.setCheckpoint(cpu.retired);
            return failEntry;
        }
        planCheckpoint();
        return EntryResult.ok(to);
    }

    /**
     * The VMM (KVM_SET_ONE_REG) or a trap emulated outside any instruction changed the vPMU while the
     * guest is stopped: re-reads which counters count and recomputes the checkpoint at the next
     * block boundary, as after a guest PMU write. Without it a counter started that way would not
     * see the blocks that follow (totals are only kept while some counter counts).
     */
    public void vpmuChanged() {
        refreshCounting();
        updateStall();
        if (interp != null) {
            interp.setCheckpoint(cpu.retired);
        }
    }

    /** Next checkpoint: the earlier of the scheduler's next change and the vPMU's overflow deadline. */
    private void planCheckpoint() {
        int maxPerInsn = Math.max(2, model.maxCyclesPerInstruction());
        long budget = Long.MAX_VALUE;
        long now = nanoseconds();
        long change = scheduler.nextChange(now / 1000);
        if (change != Long.MAX_VALUE) {
            long ns = Math.max(0, change * 1000 - now);
            long cycles = ns * model.frequencyMhz() / 1000 + 1;
            budget = Math.max(1, cycles / maxPerInsn);
        }
        long pb = pmu.instructionBudget(maxPerInsn);
        if (pb == 0) {
            pmu.sync();
            pb = pmu.instructionBudget(maxPerInsn);
        }
        budget = Math.min(budget, Math.max(1, pb));
        interp.setCheckpoint(budget == Long.MAX_VALUE ? Long.MAX_VALUE : cpu.retired + budget);
    }

    // ------------------------------------------------------------------ EventClock

    @Override
    public long total(int event, int el) {
        foldExceptions();
        int slot = BlockSums.slotOf(event);
        if (slot < 0 || el < 0 || el > 1) {
            return 0;
        }
        long v = totals[el][slot];
        if (deferredN != 0 && anyCounting && slot != BlockSums.CYCLES) {
            v += deferredTotal(slot, el);
        }
        if (pending != null && pendingEl == el) {
            v += slot == BlockSums.CYCLES ? pending.cycles(model) : slot == BlockSums.PC_WRITE ? 0 : pending.sums[slot];
        }
        return v;
    }

    /** {@code total(event, 0) + total(event, 1)} for the ELs in {@code elBits}, in one pass (the vPMU's counter read). */
    @Override
    public long total2(int event, int elBits) {
        foldExceptions();
        int slot = BlockSums.slotOf(event);
        if (slot < 0) {
            return 0;
        }
        long v = 0;
        if ((elBits & 1) != 0) {
            v += totals[0][slot];
        }
        if ((elBits & 2) != 0) {
            v += totals[1][slot];
        }
        if (deferredN != 0 && anyCounting && slot != BlockSums.CYCLES) {
            v += (elBits & 1) != 0 ? deferredTotal(slot, 0) : 0;
            v += (elBits & 2) != 0 ? deferredTotal(slot, 1) : 0;
        }
        BlockSums p = pending;
        if (p != null && (elBits >>> pendingEl & 1) != 0) {
            v += slot == BlockSums.CYCLES ? p.cycles(model) : slot == BlockSums.PC_WRITE ? 0 : p.sums[slot];
        }
        return v;
    }

    /** Guest time in nanoseconds (see the class comment). */
    public long nanoseconds() {
        if (model == null) {
            return stretchStartNs;
        }
        foldExceptions();
        long c = stretchCycles + (pending != null ? pending.cycles(model) : 0);
        return stretchStartNs + model.cyclesToNanos(c);
    }

    // ------------------------------------------------------------------ stall accounting

    private boolean cycleCounterEnabled() {
        if (!vcpu.hasPmu()) {
            return false;
        }
        return (pmu.peek(PmuReg.PMCR, 0) & PmuBits.PMCR_E) != 0
                && (pmu.peek(PmuReg.PMCNTENSET, 0) >>> PmuBits.CYCLE_IDX & 1) != 0;
    }

    /**
     * Closes the stall interval (and each counter's enabled/running interval) up to now and starts a
     * new one with the current state. Called wherever the state can change: PMU writes, vCPU loads,
     * userspace changes, and before these figures are read.
     */
    private void updateStall() {
        long now = nanoseconds();
        long dt = now - stallMarkNs;
        if (stalled) {
            stalledNs += dt;
        }
        if (dt != 0 && (enabledMask | runningMask) != 0) {
            if (runningNs == null) {
                runningNs = new long[32][host.cpuCount()];
            }
            for (int m = enabledMask; m != 0; m &= m - 1) {
                enabledNs[Integer.numberOfTrailingZeros(m)] += dt;
            }
            for (int m = runningMask; m != 0; m &= m - 1) {
                runningNs[Integer.numberOfTrailingZeros(m)][pcpu] += dt;
            }
        }
        stallMarkNs = now;
        stalled = cycleCounterEnabled() && !pmu.isCounting(PmuBits.CYCLE_IDX);
        enabledMask = 0;
        runningMask = 0;
        if (vcpu.hasPmu() && pcpu >= 0 && (pmu.peek(PmuReg.PMCR, 0) & PmuBits.PMCR_E) != 0) {
            enabledMask = (int) pmu.peek(PmuReg.PMCNTENSET, 0);
            for (int m = enabledMask; m != 0; m &= m - 1) {
                int i = Integer.numberOfTrailingZeros(m);
                runningMask |= pmu.isCounting(i) ? 1 << i : 0;
            }
        }
    }

    // ------------------------------------------------------------------ reports

    /** Non-null when the run stopped with KVM_EXIT_FAIL_ENTRY. */
    public EntryResult failEntry() {
        return failEntry;
    }

    public List<Migration> migrations() {
        return List.copyOf(migrations);
    }

    /** Guest time during which the guest had the cycle counter enabled but it did not count. */
    public long stalledNanos() {
        updateStall();
        return stalledNs;
    }

    /** perf's "time enabled" of counter i (31 = cycle counter): guest ns with PMCR.E and its PMCNTENSET bit set. */
    public long timeEnabledNanos(int i) {
        updateStall();
        return enabledNs[i];
    }

    /** perf's "time running" of counter i on pCPU {@code cpu}: guest ns the vPMU counted it there. */
    public long timeRunningNanos(int i, int cpu) {
        updateStall();
        return runningNs == null ? 0 : runningNs[i][cpu];
    }

    public int currentCpu() {
        return pcpu;
    }

    public boolean irqLevel() {
        return irqLevel;
    }

    public long irqRisingEdges() {
        return irqRises;
    }

    public KvmVm vm() {
        return vm;
    }

    public KvmVcpu vcpu() {
        return vcpu;
    }

    public Vpmu pmu() {
        return pmu;
    }

    public VmmPolicy.Plan plan() {
        return plan;
    }

    public Host host() {
        return host;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** The host PMU name covering a pCPU, or "-". */
    public String pmuNameOf(int pcpuId) {
        HostPmu p = host.pmuOfCpu(pcpuId);
        return p == null ? "-" : p.name();
    }
}
