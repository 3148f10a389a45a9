package dev.a64trap.pmu;

import static dev.a64trap.pmu.PmuBits.CYCLE_IDX;
import static dev.a64trap.pmu.PmuBits.EN;
import static dev.a64trap.pmu.PmuBits.EVTYPER_P;
import static dev.a64trap.pmu.PmuBits.EVTYPER_U;
import static dev.a64trap.pmu.PmuBits.ICNTR_IDX;
import static dev.a64trap.pmu.PmuBits.PMCR_C;
import static dev.a64trap.pmu.PmuBits.PMCR_E;
import static dev.a64trap.pmu.PmuBits.PMCR_LC;
import static dev.a64trap.pmu.PmuBits.PMCR_LP;
import static dev.a64trap.pmu.PmuBits.PMCR_N_SHIFT;
import static dev.a64trap.pmu.PmuBits.PMCR_P;
import static dev.a64trap.pmu.PmuBits.UNKNOWN_POISON;

import dev.a64trap.host.HostPmu;

/**
 * The guest-visible vPMU of one vCPU (spec sections 1-3), with lazily materialised counters.
 *
 * <h2>Interfaces for the rest of the machine</h2>
 * <ul>
 * <li>Guest access: {@link #read(PmuReg, int, int)} / {@link #write(PmuReg, int, long, int)} perform
 *     an MRS/MSR at EL {@code el} (0 or 1) or throw {@link PmuUndefined} (inject UNDEFINED, EC 0x00,
 *     PC not advanced; state unchanged). Look the (reg, index) up once per instruction with
 *     {@link PmuRegTable#lookup(int)}.</li>
 * <li>Counting: {@link #attachClock(EventClock)}; the vPMU reads cumulative totals only when it
 *     materialises (register access, {@link #load}, PMCR/enable/type changes, {@link #sync()}).</li>
 * <li>Overflow deadline: {@link #nextDeadline()} = how many more occurrences of any single source
 *     event (summed over the ELs it is counted at) may happen before the earliest overflow; the
 *     interpreter calls {@link #sync()} no later than that (e.g. after at most
 *     deadline / maxIncrementPerInstruction instructions), which sets PMOVSSET, applies CHAIN and
 *     updates the interrupt line. Overflow <em>values</em> are exact even if sync comes late; only the
 *     interrupt timing depends on it.</li>
 * <li>Interrupt: {@link #irqLevel()} = ((PMOVSSET &amp; PMINTENSET) != 0) &amp;&amp; PMCR.E; a listener set
 *     with {@link #setIrqListener} hears every change.</li>
 * <li>vCPU load: through {@link KvmVcpu#onVcpuLoad(int)}.</li>
 * <li>Debugger: {@link #peek(PmuReg, int)} reads without side effects or permission checks.</li>
 * </ul>
 */
public final class Vpmu {
    /** Called when the overflow interrupt level changes. */
    @FunctionalInterface
    public interface IrqListener {
        void level(boolean high);
    }

    private final KvmVm vm;
    private final KvmVcpu vcpu;

    // architectural state
    private long pmcr; // bits [7:0], without P and C
    private long pmselr;
    private long cntenset;
    private long intenset;
    private long ovsset;
    private long userenr;
    /** Counters 0-30, the cycle counter (31) and FEAT_PMUv3_ICNTR's instruction counter (32). */
    private static final int SLOTS = 33;
    private final long[] evtyper = new long[SLOTS]; // [31] = PMCCFILTR, [32] = PMICFILTR
    private final long[] value = new long[SLOTS]; // counter shadows, [31] = PMCCNTR, [32] = PMICNTR

    // lazy-counting state
    private EventClock clock = EventClock.ZERO;
    private long counting; // bit i: counter i accumulates from the clock (bit 32: PMICNTR)
    private final int[] source = new int[SLOTS];
    private final int[] elBits = new int[SLOTS]; // bit 0: counts at EL0, bit 1: at EL1
    private final long[] snap = new long[SLOTS];
    private int cpu = -1;
    private HostPmu cycleBacking;
    private long cycleReloads;
    private long[][] perCpu;
    private boolean reloadPending;

    private boolean irqLevel;
    private IrqListener irqListener = high -> { };

    Vpmu(KvmVm vm, KvmVcpu vcpu) {
        this.vm = vm;
        this.vcpu = vcpu;
        this.perCpu = new long[SLOTS][vm.host.cpuCount()];
    }

    private Vpmu(Vpmu o) {
        this.vm = o.vm;
        this.vcpu = o.vcpu;
        this.pmcr = o.pmcr;
        this.pmselr = o.pmselr;
        this.cntenset = o.cntenset;
        this.intenset = o.intenset;
        this.ovsset = o.ovsset;
        this.userenr = o.userenr;
        System.arraycopy(o.evtyper, 0, evtyper, 0, SLOTS);
        System.arraycopy(o.value, 0, value, 0, SLOTS);
        this.clock = o.clock;
        this.counting = o.counting;
        System.arraycopy(o.source, 0, source, 0, SLOTS);
        System.arraycopy(o.elBits, 0, elBits, 0, SLOTS);
        System.arraycopy(o.snap, 0, snap, 0, SLOTS);
        this.cpu = o.cpu;
        this.perCpu = null; // a debugger copy attributes nothing
    }

    public void attachClock(EventClock c) {
        syncAll();
        this.clock = c;
        for (int i = 0; i < SLOTS; i++) {
            reprogram(i);
        }
    }

    public void setIrqListener(IrqListener l) {
        irqListener = l;
    }

    // ------------------------------------------------------------------ reset / helpers

    /** vCPU reset (KVM_ARM_VCPU_INIT): KVM's reset values, UNKNOWN = poison masked (spec 1.1). */
    void reset() {
        long mask = mask();
        pmcr = lcForced() ? PMCR_LC : 0;
        cntenset = UNKNOWN_POISON & mask;
        intenset = UNKNOWN_POISON & mask;
        ovsset = UNKNOWN_POISON & mask;
        pmselr = UNKNOWN_POISON & 0x1F;
        userenr = 0;
        for (int i = 0; i < 31; i++) {
            value[i] = UNKNOWN_POISON & 0xFFFF_FFFFL;
            evtyper[i] = UNKNOWN_POISON & vm.evtyperMask();
        }
        value[CYCLE_IDX] = UNKNOWN_POISON;
        evtyper[CYCLE_IDX] = 0;
        value[ICNTR_IDX] = UNKNOWN_POISON;
        evtyper[ICNTR_IDX] = 0;
        counting = 0;
        reloadPending = false;
        for (int i = 0; i < SLOTS; i++) {
            reprogram(i);
        }
        updateIrq();
    }

    private boolean lcForced() {
        return !vm.host.supportsAArch32El0();
    }

    private int n() {
        return vm.nrCounters();
    }

    /** mask(N), with bit 32 when the guest has PMICNTR_EL0. */
    private long mask() {
        return PmuBits.counterMask(n()) | (vm.icntr ? 1L << ICNTR_IDX : 0);
    }

    private boolean validIdx(int i) {
        return i < n() || i == CYCLE_IDX || i == ICNTR_IDX && vm.icntr;
    }

    private boolean p5() {
        return vm.pmuVer() >= PmuBits.PMUV3P5;
    }

    private boolean is64(int i) {
        return i >= CYCLE_IDX || p5();
    }

    /**
     * KVM's kvm_pmc_has_64bit_overflow: LC for the cycle counter, LP for event counters; PMICNTR
     * always overflows at 64 bits (a64trap's choice for the experimental counter).
     */
    private boolean overflowFlag64(int i) {
        return i == ICNTR_IDX || (pmcr & (i == CYCLE_IDX ? PMCR_LC : PMCR_LP)) != 0;
    }

    private boolean overflowsAt64(int i) {
        return is64(i) && overflowFlag64(i);
    }

    private boolean canChain(int i) {
        return (i & 1) == 0 && i + 1 < CYCLE_IDX && !overflowFlag64(i);
    }

    private boolean enabled(int i) {
        return (pmcr & PMCR_E) != 0 && (cntenset >>> i & 1) != 0 && validIdx(i);
    }

    private int eventOf(int i) {
        return i == CYCLE_IDX ? Events.CPU_CYCLES : i == ICNTR_IDX ? Events.INST_RETIRED
                : (int) (evtyper[i] & vm.eventMask());
    }

    private long readValue(int i) {
        return is64(i) ? value[i] : value[i] & 0xFFFF_FFFFL;
    }

    /** The host PMU backing counters now, per the KVM mode (null: nothing can count here). */
    private HostPmu backing() {
        if (cpu < 0) {
            return null;
        }
        if (vm.fixedCountersOnly || vm.partitioned) {
            return vm.host.pmuOfCpu(cpu); // the counters live on whatever core the vCPU is on
        }
        HostPmu p = vm.pmu;
        return p != null && p.cpus().contains(cpu) ? p : null;
    }

    // ------------------------------------------------------------------ lazy counting

    private long clockSum(int i) {
        return clock.total2(source[i], elBits[i]);
    }

    /** Folds counter i's pending events into its shadow (processing the even partner first for CHAIN). */
    private void materialise(int i) {
        if (i < CYCLE_IDX && (i & 1) == 1 && eventOf(i) == Events.CHAIN) {
            materialise(i - 1);
        }
        if ((counting >>> i & 1) != 0) {
            fold(i);
        }
    }

    /** Folds counting counter i's events since its snapshot into its shadow. */
    private void fold(int i) {
        long now = clockSum(i);
        long d = now - snap[i];
        snap[i] = now;
        if (d != 0) {
            if (perCpu != null && cpu >= 0 && cpu < perCpu[i].length) {
                perCpu[i][cpu] += d;
            }
            add(i, d);
        }
    }

    private void syncAll() {
        long c = counting;
        while (c != 0) {
            int i = Long.numberOfTrailingZeros(c);
            c &= c - 1;
            materialise(i);
        }
    }

    /** Adds {@code d} events to counter i: wrap, overflow status and CHAIN (spec 3.3, 3.4). */
    private void add(int i, long d) {
        long old = value[i];
        long nv = old + d;
        long overflows;
        if (overflowsAt64(i)) {
            overflows = Long.compareUnsigned(nv, old) < 0 ? 1 : 0;
        } else {
            overflows = ((old & 0xFFFF_FFFFL) + d) >>> 32;
        }
        if (!is64(i)) {
            nv &= 0xFFFF_FFFFL;
        }
        value[i] = nv;
        if (overflows != 0) {
            overflowed(i, overflows);
        }
    }

    private void overflowed(int i, long overflows) {
        ovsset |= 1L << i;
        if (canChain(i)) {
            chain(i + 1, overflows);
        }
    }

    private void chain(int j, long count) {
        if (enabled(j) && eventOf(j) == Events.CHAIN) {
            add(j, count);
        }
    }

    /** Recomputes whether counter i counts from the clock now (call after {@link #materialise}). */
    private void reprogram(int i) {
        programme(i);
        if (i == CYCLE_IDX) {
            // fixed-counters-only: the backing event follows the CPU's PMU; count the recreations
            HostPmu now = (counting >>> CYCLE_IDX & 1) != 0 ? backing() : null;
            if (vm.fixedCountersOnly && now != null && cycleBacking != null && now != cycleBacking) {
                cycleReloads++;
            }
            cycleBacking = now;
        }
    }

    private void programme(int i) {
        counting &= ~(1L << i);
        if (!enabled(i)) {
            return;
        }
        int evt = eventOf(i);
        if (evt == Events.SW_INCR && i < CYCLE_IDX || evt == Events.CHAIN) {
            return;
        }
        int src = Events.source(evt);
        HostPmu b = backing();
        if (src == Events.NONE || b == null || !b.supportsEvent(evt) || !vm.filterAllows(evt)) {
            return;
        }
        long t = evtyper[i];
        int bits = ((t & EVTYPER_U) == 0 ? 1 : 0) | ((t & EVTYPER_P) == 0 ? 2 : 0);
        if (bits == 0) {
            return;
        }
        source[i] = src;
        elBits[i] = bits;
        snap[i] = clockSum(i);
        counting |= 1L << i;
    }

    private void reprogramAll() {
        syncAll();
        for (int i = 0; i < SLOTS; i++) {
            reprogram(i);
        }
    }

    void requestReload() {
        reloadPending = true;
    }

    private void applyReload() {
        if (reloadPending) {
            reloadPending = false;
            syncAll();
            long m = mask();
            cntenset &= m;
            intenset &= m;
            ovsset &= m;
            reprogramAll();
            updateIrq();
        }
    }

    /** vCPU load on {@code pcpu}: fold counts of the old placement, re-back on the new CPU. */
    void load(int pcpu) {
        syncAll();
        cpu = pcpu;
        applyReload();
        for (int i = 0; i < SLOTS; i++) {
            reprogram(i);
        }
        updateIrq();
    }

    /**
     * Materialises every counting counter (overflow deadline reached, or before the interpreter
     * samples the interrupt line). Returns the interrupt level.
     */
    public boolean sync() {
        syncAll();
        updateIrq();
        return irqLevel;
    }

    /** Events counter i's shadow value can take before it overflows (Long.MAX_VALUE: 2^63 or more). */
    private long headroom(int i) {
        long v = value[i];
        if (overflowsAt64(i)) {
            long dist = -v;
            return v == 0 || dist < 0 ? Long.MAX_VALUE : dist;
        }
        return (1L << 32) - (v & 0xFFFF_FFFFL);
    }

    /**
     * Events (of the counted source, summed over the counted ELs) that may still occur before the
     * earliest counter overflow; 0 = sync now; Long.MAX_VALUE = no counter can overflow.
     */
    public long nextDeadline() {
        long min = Long.MAX_VALUE;
        long c = counting;
        while (c != 0) {
            int i = Long.numberOfTrailingZeros(c);
            c &= c - 1;
            long h = headroom(i);
            if (h == Long.MAX_VALUE) {
                continue; // 2^63 events or more to go: no deadline (whether or not a read folded)
            }
            long rem = h - (clockSum(i) - snap[i]);
            if (rem <= 0) {
                return 0;
            }
            min = Math.min(min, rem);
        }
        return min;
    }

    /**
     * How many instructions the interpreter may run before it must call {@link #sync()}, when one
     * instruction adds at most {@code maxEventsPerInstruction} to any source event (the cycle model's
     * {@code maxCyclesPerInstruction()}, and at least 2 for MEM_ACCESS of pairs). 0 = sync first;
     * Long.MAX_VALUE = no deadline.
     */
    public long instructionBudget(int maxEventsPerInstruction) {
        long d = nextDeadline();
        if (d == Long.MAX_VALUE || d == 0) {
            return d;
        }
        return Math.max(1, d / Math.max(1, maxEventsPerInstruction));
    }

    public boolean irqLevel() {
        return irqLevel;
    }

    private void updateIrq() {
        boolean l = (ovsset & intenset) != 0 && (pmcr & PMCR_E) != 0;
        if (l != irqLevel) {
            irqChanged(l);
        }
    }

    private void irqChanged(boolean l) {
        irqLevel = l;
        irqListener.level(l);
    }

    // ------------------------------------------------------------------ guest access

    /**
     * PMCEID0/1 as the guest reads them: KVM's computed value (spec 5.3), or with a partitioned PMU
     * the current core's own register (direct access: it changes when the vCPU migrates).
     */
    private long pmceid(int which) {
        HostPmu here = vm.partitioned && cpu >= 0 ? vm.host.pmuOfCpu(cpu) : null;
        if (here == null) {
            return vm.pmceid(which);
        }
        // STALL_SLOT* stay hidden as KVM hides them while PMMIR_EL1 reads 0 (a64trap's choice here)
        long v = which == 0 ? here.core().pmceid0() : here.core().pmceid1() & ~(7L << 29);
        return vm.pmuVer() < PmuBits.PMUV3P1 ? v & 0xFFFF_FFFFL : v;
    }

    /**
     * Whether a guest EL0 access is refused by PMUSERENR in hardware (partitioned PMU: direct
     * access), so it traps to EL1 with EC 0x18 as the architecture says, instead of KVM's UNDEF.
     * Registers EL0 may never access (EL1 registers, a PMUSERENR write) stay UNDEFINED. No side effect.
     */
    public boolean el0Trapped(PmuReg reg, boolean write) {
        if (!vm.partitioned || !vcpu.hasPmu()) {
            return false;
        }
        if (write) {
            return reg.writable && reg.el0Write != 0 && ((userenr & reg.el0Write) == 0
                    || reg.el0WriteNeedsEn && (userenr & PmuBits.EN) == 0);
        }
        return reg.readable && reg.el0Read != 0 && reg.el0Read != PmuBits.ALWAYS && (userenr & reg.el0Read) == 0;
    }

    private static PmuUndefined undef(String why) {
        return new PmuUndefined(why);
    }

    private void checkPresent(PmuReg reg) {
        if (!vcpu.hasPmu() && reg != PmuReg.PMMIR) {
            throw undef("no vPMU");
        }
    }

    private int selIdx() {
        return (int) (pmselr & 0x1F);
    }

    /**
     * MRS of {@code reg} at exception level {@code el}. {@code index} is n for PMEVCNTR/PMEVTYPER
     * (ignored otherwise).
     *
     * @throws PmuUndefined when KVM injects UNDEFINED
     */
    public long read(PmuReg reg, int index, int el) {
        checkPresent(reg);
        if (!reg.readable) {
            throw undef(reg + " is write-only");
        }
        if (el == 0 && reg.el0Read != PmuBits.ALWAYS && (userenr & reg.el0Read) == 0) {
            throw undef(reg + " read at EL0 denied by PMUSERENR");
        }
        switch (reg) {
            case PMCR:
                return pmcr | (long) n() << PMCR_N_SHIFT;
            case PMCNTENSET:
            case PMCNTENCLR:
                return cntenset;
            case PMOVSSET:
            case PMOVSCLR:
                syncAll();
                updateIrq();
                return ovsset;
            case PMINTENSET:
            case PMINTENCLR:
                return intenset;
            case PMSELR:
                return pmselr & 0x1F;
            case PMCEID0:
                return pmceid(0);
            case PMCEID1:
                return pmceid(1);
            case PMUSERENR:
                return userenr & 0xF;
            case PMMIR:
                return 0;
            case PMCCNTR:
                return counterRead(CYCLE_IDX);
            case PMEVCNTR:
                return counterRead(checkIdx(index));
            case PMXEVCNTR:
                return counterRead(checkIdx(selIdx()));
            case PMEVTYPER:
                return evtyper[checkIdx(index)];
            case PMXEVTYPER:
                return evtyper[checkIdx(selIdx())];
            case PMCCFILTR:
                return evtyper[CYCLE_IDX];
            case PMICNTR:
                return counterRead(icntr());
            case PMICFILTR:
                return evtyper[icntr()] | Events.INST_RETIRED; // evtCount reads as INST_RETIRED
            default:
                throw undef(reg + " not readable");
        }
    }

    /** The instruction counter's index, or UNDEFINED when the guest has no FEAT_PMUv3_ICNTR (KVM 6.16's FGU). */
    private int icntr() {
        if (!vm.icntr) {
            throw undef("no FEAT_PMUv3_ICNTR");
        }
        return ICNTR_IDX;
    }

    private int checkIdx(int i) {
        if (i < 0 || i > CYCLE_IDX || !validIdx(i)) {
            throw undef("counter index " + i + " >= N=" + n());
        }
        return i;
    }

    /**
     * {@code read(PMCCNTR, 0, el)}: the same checks and result, with the common case (EL1, a vPMU)
     * in a few small methods so that a JIT unit reading the counter in a loop can inline it.
     *
     * @throws PmuUndefined when KVM injects UNDEFINED
     */
    public long readCycleCounter(int el) {
        if (el != 1 || !vcpu.hasPmu()) {
            return read(PmuReg.PMCCNTR, 0, el);
        }
        long v = value[CYCLE_IDX]; // 64 bits wide: readValue(CYCLE_IDX)
        if ((counting >>> CYCLE_IDX & 1) != 0) {
            long d = clockSum(CYCLE_IDX) - snap[CYCLE_IDX];
            if (d >= headroom(CYCLE_IDX)) {
                fold(CYCLE_IDX); // it overflows: materialise(CYCLE_IDX) (the cycle counter never chains)
                v = value[CYCLE_IDX];
            } else {
                // short of the overflow folding changes nothing but where value and snapshot meet
                // (a later fold adds the same events, with the same pCPU: a load folds first)
                v += d;
            }
        }
        updateIrq();
        return v;
    }

    /**
     * Right after a PMCCNTR_EL0 read at {@code el} that did not UNDEF, for a loop that reads it again
     * and does nothing else to the vPMU: how many more cycles may reach the clock (CPU_CYCLES at
     * {@code el}) while each later read only adds them to the value read now — no overflow folds,
     * nothing else changes. -1: the counter does not count at {@code el} (later reads return the same
     * value); 0: none. No side effect.
     */
    public long cycleCounterSteadyRoom(int el) {
        if (!vcpu.hasPmu()) {
            return 0;
        }
        if ((counting >>> CYCLE_IDX & 1) == 0 || (elBits[CYCLE_IDX] >>> el & 1) == 0) {
            return -1;
        }
        long h = headroom(CYCLE_IDX);
        if (h == Long.MAX_VALUE) {
            return Long.MAX_VALUE; // 2^63 cycles or more to go
        }
        return Math.max(0, h - 1 - (clockSum(CYCLE_IDX) - snap[CYCLE_IDX]));
    }

    private long counterRead(int i) {
        materialise(i);
        updateIrq();
        return readValue(i);
    }

    /**
     * MSR of {@code value} to {@code reg} at exception level {@code el}.
     *
     * @throws PmuUndefined when KVM injects UNDEFINED (no state changed)
     */
    public void write(PmuReg reg, int index, long v, int el) {
        checkPresent(reg);
        if (!reg.writable) {
            throw undef(reg + " is read-only");
        }
        boolean el0 = el == 0;
        if (el0 && (userenr & reg.el0Write) == 0) {
            throw undef(reg + " write at EL0 denied by PMUSERENR");
        }
        switch (reg) {
            case PMCR:
                writePmcr(v);
                break;
            case PMCNTENSET:
                setEnables(cntenset | (v & mask()));
                break;
            case PMCNTENCLR:
                setEnables(cntenset & ~(v & mask()));
                break;
            case PMOVSSET:
                syncAll();
                ovsset |= v & mask();
                break;
            case PMOVSCLR:
                syncAll();
                ovsset &= ~(v & mask());
                break;
            case PMINTENSET:
                intenset |= v & mask();
                break;
            case PMINTENCLR:
                intenset &= ~(v & mask());
                break;
            case PMSWINC:
                swinc(v & mask());
                break;
            case PMSELR:
                pmselr = v;
                break;
            case PMUSERENR:
                if (el0) {
                    throw undef("PMUSERENR write at EL0");
                }
                userenr = v & 0xF;
                break;
            case PMCCNTR:
                counterWrite(CYCLE_IDX, v, el0);
                break;
            case PMEVCNTR:
                counterWrite(checkIdx(index), v, el0);
                break;
            case PMXEVCNTR:
                counterWrite(checkIdx(selIdx()), v, el0);
                break;
            case PMEVTYPER:
                typeWrite(checkIdx(index), v);
                break;
            case PMXEVTYPER:
                typeWrite(checkIdx(selIdx()), v);
                break;
            case PMCCFILTR:
                typeWrite(CYCLE_IDX, v);
                break;
            case PMICNTR:
                counterWrite(icntr(), v, el0);
                break;
            case PMICFILTR:
                typeWrite(icntr(), v);
                break;
            default:
                throw undef(reg + " not writable");
        }
        updateIrq();
    }

    private void counterWrite(int i, long v, boolean el0) {
        if (el0 && (userenr & EN) == 0) {
            throw undef("counter write at EL0 needs PMUSERENR.EN");
        }
        materialise(i);
        value[i] = v;
        reprogram(i);
    }

    private void typeWrite(int i, long v) {
        if (i < CYCLE_IDX && (i & 1) == 1) {
            materialise(i - 1); // the partner's overflows so far chain (or not) under the old type
        }
        materialise(i);
        evtyper[i] = v & (i == ICNTR_IDX ? EVTYPER_P | EVTYPER_U : vm.evtyperMask());
        reprogram(i);
    }

    private void setEnables(long newBits) {
        syncAll();
        cntenset = newBits;
        for (int i = 0; i < SLOTS; i++) {
            reprogram(i);
        }
    }

    private void writePmcr(long v) {
        syncAll();
        long nv = v & 0xFF;
        if (lcForced()) {
            nv |= PMCR_LC;
        }
        if (!p5()) {
            nv &= ~PMCR_LP;
        }
        pmcr = nv & ~(PMCR_P | PMCR_C);
        if ((v & PMCR_C) != 0) {
            value[CYCLE_IDX] = 0;
        }
        if ((v & PMCR_P) != 0) {
            for (int i = 0; i < n(); i++) {
                value[i] = 0;
            }
            if (vm.icntr) {
                value[ICNTR_IDX] = 0; // PMICNTR is an event counter for PMCR.P
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            reprogram(i);
        }
    }

    /** PMSWINC (spec 3.5): {@code bits} is already masked with mask(N). */
    private void swinc(long bits) {
        syncAll();
        for (int i = 0; i < CYCLE_IDX; i++) {
            if ((bits >>> i & 1) != 0 && enabled(i) && eventOf(i) == Events.SW_INCR) {
                add(i, 1);
            }
        }
    }

    // ------------------------------------------------------------------ userspace (ONE_REG)

    long userGet(PmuReg reg, int index) {
        switch (reg) {
            case PMCR:
                return pmcr | (long) n() << PMCR_N_SHIFT;
            case PMCNTENSET:
            case PMCNTENCLR:
                return cntenset & mask();
            case PMOVSSET:
            case PMOVSCLR:
                syncAll();
                return ovsset & mask();
            case PMINTENSET:
            case PMINTENCLR:
                return intenset & mask();
            case PMSWINC:
            case PMMIR:
                return 0;
            case PMSELR:
                return pmselr;
            case PMUSERENR:
                return userenr;
            case PMCCNTR:
            case PMEVCNTR: {
                int i = reg == PmuReg.PMCCNTR ? CYCLE_IDX : index;
                materialise(i);
                return readValue(i);
            }
            case PMEVTYPER:
            case PMCCFILTR:
                return evtyper[reg == PmuReg.PMCCFILTR ? CYCLE_IDX : index];
            case PMICNTR:
            case PMICFILTR:
                if (!vm.icntr) {
                    throw new KvmException(Errno.ENOENT, reg + " not exposed");
                }
                materialise(ICNTR_IDX);
                return reg == PmuReg.PMICNTR ? value[ICNTR_IDX] : evtyper[ICNTR_IDX] | Events.INST_RETIRED;
            default:
                throw new KvmException(Errno.ENOENT, reg + " not exposed");
        }
    }

    void userSet(PmuReg reg, int index, long v) {
        switch (reg) {
            case PMCR: {
                int newN = (int) (v >>> PMCR_N_SHIFT & 0x1F);
                if (!vm.hasRun && newN <= vm.maxCounters() && newN != vm.nrCounters()) {
                    vm.setNrCounters(newN);
                }
                syncAll();
                long nv = v & 0xFF & ~(PMCR_P | PMCR_C);
                if (lcForced()) {
                    nv |= PMCR_LC;
                }
                pmcr = nv;
                reprogramAll();
                break;
            }
            case PMCNTENSET:
            case PMCNTENCLR:
                setEnables(v & mask());
                break;
            case PMOVSSET:
            case PMOVSCLR:
                syncAll();
                ovsset = v & mask();
                break;
            case PMINTENSET:
            case PMINTENCLR:
                intenset = v & mask();
                break;
            case PMSWINC:
            case PMMIR:
                break;
            case PMSELR:
                pmselr = v;
                break;
            case PMUSERENR:
                userenr = v;
                break;
            case PMCCNTR:
            case PMEVCNTR: {
                int i = reg == PmuReg.PMCCNTR ? CYCLE_IDX : index;
                materialise(i);
                value[i] = v;
                reprogram(i);
                break;
            }
            case PMEVTYPER:
            case PMCCFILTR: {
                int i = reg == PmuReg.PMCCFILTR ? CYCLE_IDX : index;
                materialise(i);
                evtyper[i] = v;
                reprogram(i);
                break;
            }
            default:
                throw new KvmException(Errno.ENOENT, reg + " not exposed");
        }
        updateIrq();
    }

    // ------------------------------------------------------------------ debugger / report

    /**
     * Side-effect-free read for the debugger: the value an EL1 MRS would return now, without
     * permission or index checks (invalid indices read their stored state), without materialising.
     * Returns 0 for PMSWINC and for a vCPU without a vPMU.
     */
    public long peek(PmuReg reg, int index) {
        return vcpu.hasPmu() ? snapshot().peek(reg, index) : 0;
    }

    /**
     * Every register as {@link #peek} would read it now, from one synced copy (a peek copies the
     * vPMU each time; a view of many registers takes one snapshot instead). Without a vPMU every
     * register reads 0.
     */
    public Snapshot snapshot() {
        if (!vcpu.hasPmu()) {
            return new Snapshot(null);
        }
        Vpmu copy = new Vpmu(this);
        copy.irqListener = high -> { };
        copy.syncAll();
        return new Snapshot(copy);
    }

    /** The vPMU's guest-visible state frozen at {@link #snapshot()}. */
    public static final class Snapshot {
        private final Vpmu copy;

        private Snapshot(Vpmu copy) {
            this.copy = copy;
        }

        public long peek(PmuReg reg, int index) {
            if (copy == null) {
                return 0;
            }
            return switch (reg) {
                case PMSWINC -> 0;
                case PMEVCNTR -> copy.readValue(index & 31);
                case PMEVTYPER -> copy.evtyper[index & 31];
                case PMXEVCNTR -> copy.readValue(copy.selIdx());
                case PMXEVTYPER -> copy.evtyper[copy.selIdx()];
                default -> copy.read(reg, index, 1);
            };
        }
    }

    /** Events counter i has accumulated from the clock on each pCPU (for --pmu-report), materialised. */
    public long[] countedPerCpu(int i) {
        materialise(i);
        return perCpu[i].clone();
    }

    /** Fixed-counters-only: how often the cycle counter's backing event moved to another host PMU. */
    public long cycleCounterReloads() {
        return cycleReloads;
    }

    /** The host PMU currently backing the cycle counter, or null when it does not count. */
    public HostPmu cycleCounterBacking() {
        return (counting >>> CYCLE_IDX & 1) != 0 ? backing() : null;
    }

    /** Whether counter i (0..30, or 31) is accumulating events right now. */
    public boolean isCounting(int i) {
        return (counting >>> i & 1) != 0;
    }
}
