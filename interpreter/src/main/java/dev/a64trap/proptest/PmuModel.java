package dev.a64trap.proptest;

import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reference model of the guest-visible vPMU, written from the behavioural spec (vpmu.md sections 1-3,
 * 5) without looking at the {@code pmu} package's internals: plain fields, plain loops, no laziness.
 * Registers are addressed by name ("PMCR", "PMEVCNTR" ...) and index; counters 0..30 and 31 = cycle.
 */
public final class PmuModel {
    public enum Mode { DEFAULT, SET_PMU, FIXED, PARTITIONED }

    static final long P = 1L << 31, U = 1L << 30;
    static final int CYC = 31;
    static final int SW_INCR = 0x00, INST_RETIRED = 0x08, CPU_CYCLES = 0x11, CHAIN = 0x1E;

    // configuration (fixed at setup)
    public final Host host;
    public Mode mode = Mode.DEFAULT;
    public HostPmu vmPmu;
    public int n;
    public int pmuVer;
    /** null = no filter; else allowed[e] for events 0..0x3F (the only ones the chains use). */
    public boolean[] filter;
    public boolean started;

    // stored state
    public long pmcr; // bits [7:0] without P, C
    public long pmselr;
    public long cnten, inten, ovs;
    public long userenr;
    public final long[] evtyper = new long[32]; // 31 = PMCCFILTR
    public final long[] counter = new long[32]; // 31 = PMCCNTR

    // placement
    public int pcpu = -1;
    /** SET_PMU mode: the last entry failed, the guest executes nothing until a good CPU. */
    public boolean blocked;
    /** Cycles executed (at allowed ELs for the cycle counter) per pCPU, for the migration property. */
    public final long[] cyclesCountedOn = new long[64];

    public PmuModel(Host host) {
        this.host = host;
    }

    /** Most counters the VM may have: 0 fixed-counters-only, the fewest of any PMU partitioned, else the VM PMU's. */
    public int maxCounters() {
        if (mode == Mode.FIXED) {
            return 0;
        }
        if (mode == Mode.PARTITIONED) {
            int min = Integer.MAX_VALUE;
            for (HostPmu p : host.pmus()) {
                min = Math.min(min, p.counters());
            }
            return min;
        }
        return vmPmu.counters();
    }

    public long mask() {
        return (n == 0 ? 0 : (1L << n) - 1) | 1L << 31;
    }

    boolean lcForced() {
        return !host.supportsAArch32El0();
    }

    long evtMask() {
        return P | U | (pmuVer >= 4 ? 0xFFFF : 0x3FF);
    }

    boolean validIndex(int i) {
        return i < n || i == CYC;
    }

    boolean en() {
        return (pmcr & 1) != 0;
    }

    /** Cycles one instruction costs on a pCPU in the fake clock (same rule as {@link PmuTarget}). */
    public long cpi(int cpu) {
        return PmuTarget.cyclesPerInstruction(host, cpu);
    }

    // ---------------------------------------------------------------- guest access

    /** EL0 permission per spec 1.5: null = allowed, else why UNDEF. */
    String el0Denied(String reg, boolean write) {
        long ue = userenr;
        boolean en = (ue & 1) != 0, sw = (ue & 2) != 0, cr = (ue & 4) != 0, er = (ue & 8) != 0;
        boolean ok = switch (reg) {
            case "PMCR", "PMCNTENSET", "PMCNTENCLR", "PMOVSSET", "PMOVSCLR", "PMCEID0", "PMCEID1", "PMEVTYPER",
                    "PMXEVTYPER", "PMCCFILTR" -> en;
            case "PMSELR" -> er || en;
            case "PMEVCNTR", "PMXEVCNTR" -> write ? (er || en) && en : er || en;
            case "PMCCNTR" -> write ? (cr || en) && en : cr || en;
            case "PMSWINC" -> sw || en;
            case "PMUSERENR" -> !write;
            default -> false; // EL1 registers
        };
        return ok ? null : "EL0 " + (write ? "write" : "read") + " of " + reg + " with PMUSERENR=" + ue;
    }

    /** Guest MRS: the value, or null for UNDEF (state unchanged). */
    public Long read(String reg, int index, int el) {
        if (reg.equals("PMSWINC") || el == 0 && el0Denied(reg, false) != null) {
            return null;
        }
        int sel = (int) (pmselr & 0x1F);
        switch (reg) {
            case "PMEVCNTR", "PMEVTYPER" -> {
                if (!validIndex(index)) {
                    return null;
                }
            }
            case "PMXEVCNTR", "PMXEVTYPER" -> {
                if (!validIndex(sel)) {
                    return null;
                }
            }
            default -> { }
        }
        return switch (reg) {
            case "PMCR" -> pmcr & 0xF9 | (long) n << 11;
            case "PMCNTENSET", "PMCNTENCLR" -> cnten;
            case "PMOVSSET", "PMOVSCLR" -> ovs;
            case "PMINTENSET", "PMINTENCLR" -> inten;
            case "PMSELR" -> (long) sel;
            case "PMUSERENR" -> userenr & 0xF;
            case "PMCEID0", "PMCEID1" -> pmceid(reg.equals("PMCEID1"));
            case "PMCCNTR" -> counter[CYC];
            case "PMEVCNTR" -> counterView(index);
            case "PMXEVCNTR" -> counterView(sel);
            case "PMEVTYPER" -> evtyper[index];
            case "PMXEVTYPER" -> evtyper[sel];
            case "PMCCFILTR" -> evtyper[CYC];
            case "PMMIR" -> 0L;
            default -> throw new IllegalArgumentException(reg);
        };
    }

    long counterView(int i) {
        return i == CYC || pmuVer >= 6 ? counter[i] : counter[i] & 0xFFFF_FFFFL;
    }

    /** Low 32 bits of PMCEID0/1 (events 0x00-0x3F), spec 5.3 and 4.3. */
    long pmceid(boolean one) {
        if (mode == Mode.FIXED) {
            return 0;
        }
        if (mode == Mode.PARTITIONED) { // direct access: the current core's own register, unfiltered
            HostPmu here = host.pmuOfCpu(pcpu);
            long raw = here == null ? 0 : one ? here.core().pmceid1() & ~(7L << 29) : here.core().pmceid0();
            return raw & 0xFFFF_FFFFL; // STALL_SLOT* (PMCEID1 bits 29-31) hidden as in every KVM mode
        }
        long v = 0;
        for (int b = 0; b < 32; b++) {
            int e = (one ? 0x20 : 0) + b;
            boolean has = vmPmu.supportsEvent(e);
            if (e == SW_INCR || e == CHAIN) {
                has = true;
            }
            if (e >= 0x3D) {
                has = false;
            }
            // 5.3: forced bits first, then ANDed with the filter (so a denied SW_INCR/CHAIN reads 0 here,
            // though it still counts: 4.3 exempts them from filtering only for counting)
            if (filter != null && !filter[e]) {
                has = false;
            }
            if (has) {
                v |= 1L << b;
            }
        }
        return v;
    }

    /** Whether a guest MSR of {@code reg} at {@code el} UNDEFs in the current state (no side effect). */
    public boolean writeUndefined(String reg, int index, int el) {
        if (reg.equals("PMCEID0") || reg.equals("PMCEID1") || reg.equals("PMMIR")
                || el == 0 && el0Denied(reg, true) != null) {
            return true;
        }
        int sel = (int) (pmselr & 0x1F);
        return switch (reg) {
            case "PMEVCNTR", "PMEVTYPER" -> !validIndex(index);
            case "PMXEVCNTR", "PMXEVTYPER" -> !validIndex(sel);
            default -> false;
        };
    }

    /** Guest MSR: false for UNDEF (state unchanged). */
    public boolean write(String reg, int index, long v, int el) {
        if (writeUndefined(reg, index, el)) {
            return false;
        }
        int sel = (int) (pmselr & 0x1F);
        long m = v & mask();
        switch (reg) {
            case "PMCR" -> {
                long nv = pmcr & ~0xFFL | v & 0xFF;
                if (lcForced()) {
                    nv |= 1L << 6;
                }
                if (pmuVer < 6) {
                    nv &= ~(1L << 7);
                }
                pmcr = nv & ~6L;
                if ((v & 4) != 0) {
                    counter[CYC] = 0;
                }
                if ((v & 2) != 0) {
                    for (int i = 0; i < n; i++) {
                        counter[i] = 0;
                    }
                }
            }
            case "PMCNTENSET" -> cnten |= m;
            case "PMCNTENCLR" -> cnten &= ~m;
            case "PMOVSSET" -> ovs |= m;
            case "PMOVSCLR" -> ovs &= ~m;
            case "PMINTENSET" -> inten |= m;
            case "PMINTENCLR" -> inten &= ~m;
            case "PMSWINC" -> swinc(m);
            case "PMSELR" -> pmselr = v;
            case "PMUSERENR" -> userenr = v & 0xF;
            case "PMCCNTR" -> counter[CYC] = v;
            case "PMEVCNTR" -> counter[index] = v;
            case "PMXEVCNTR" -> counter[sel] = v;
            case "PMEVTYPER" -> evtyper[index] = v & evtMask();
            case "PMXEVTYPER" -> evtyper[sel] = v & evtMask();
            case "PMCCFILTR" -> evtyper[CYC] = v & evtMask();
            default -> throw new IllegalArgumentException(reg);
        }
        return true;
    }

    int evt(int i) {
        return i == CYC ? CPU_CYCLES : (int) (evtyper[i] & (pmuVer >= 4 ? 0xFFFF : 0x3FF));
    }

    boolean enabled(int i) {
        return en() && (cnten >>> i & 1) != 0;
    }

    /** Software increment, spec 3.5. */
    void swinc(long m) {
        for (int i = 0; i < 31; i++) {
            if ((m >>> i & 1) != 0 && enabled(i) && evt(i) == SW_INCR) {
                add(i, 1);
            }
        }
    }

    /** Adds {@code d} events to counter i, sets its overflow bit, forwards CHAIN events. */
    void add(int i, long d) {
        long old = counter[i];
        counter[i] = old + d;
        boolean wide = i == CYC ? (pmcr & 1L << 6) != 0 : pmuVer >= 6 && (pmcr & 1L << 7) != 0;
        long overflows = wide ? (Long.compareUnsigned(old + d, old) < 0 ? 1 : 0) : ((old & 0xFFFF_FFFFL) + d) >>> 32;
        if (i != CYC && pmuVer < 6) {
            counter[i] &= 0xFFFF_FFFFL; // a 32-bit register wraps
        }
        if (overflows > 0) {
            ovs |= 1L << i;
            // 3.4 "with LP = 1 nothing chains": the stored bit, even when a non-p5 guest got it from
            // userspace (1.7 keeps LP there until the first guest PMCR write), as KVM's can_chain does
            boolean lp = (pmcr & 1L << 7) != 0;
            int odd = i + 1;
            if (i != CYC && i % 2 == 0 && odd < 31 && odd < n && !lp && enabled(odd) && evt(odd) == CHAIN) {
                add(odd, overflows);
            }
        }
    }

    /** Whether counter i counts an event occurring now at {@code el} (spec 3.1). */
    boolean counts(int i, int el) {
        if (!enabled(i) || i != CYC && i >= n) {
            return false;
        }
        long t = evtyper[i];
        if (el == 0 ? (t & U) != 0 : (t & P) != 0) {
            return false;
        }
        int e = evt(i);
        if (filter != null && e < 0x40 && !filter[e]) {
            return false;
        }
        HostPmu here = host.pmuOfCpu(pcpu);
        if (mode == Mode.FIXED) {
            return i == CYC && here != null && here.supportsEvent(e);
        }
        if (mode == Mode.PARTITIONED) { // the counters live on whatever core the vCPU is on
            return here != null && (i == CYC || here.supportsEvent(e));
        }
        return here == vmPmu && vmPmu.supportsEvent(e);
    }

    /** Source of an event in the fake clock: 1 = instructions, 2 = cycles, 0 = never counts here. */
    static int source(int e) {
        return switch (e) {
            case INST_RETIRED, 0x1B, 0x3A, 0x3B -> 1;
            case CPU_CYCLES, 0x1D -> 2;
            default -> 0;
        };
    }

    /** The guest executes k instructions at el on the current pCPU. */
    public void run(long k, int el) {
        retire(k, k * cpi(pcpu), el);
    }

    /**
     * Cycles a guest MRS/MSR of a PMU register costs on the current pCPU: the cycle model's
     * system-instruction class (an access that executes is an ordinary instruction).
     */
    public long accessCycles() {
        return host.cycleModel(pcpu).cycles(dev.a64trap.host.InsnClass.SYSTEM);
    }

    /**
     * {@code k} instructions retire and {@code cycles} cycles pass at el. An executed access is
     * {@code retire(0, accessCycles(), el)} before its effect (its cost up to the access) and
     * {@code retire(1, 0, el)} after (it retires once it has read or written).
     */
    public void retire(long k, long cycles, int el) {
        if (blocked) {
            return;
        }
        if (counts(CYC, el)) {
            cyclesCountedOn[pcpu] += cycles;
        }
        long[] delta = new long[32];
        for (int i = 0; i < 32; i++) {
            if ((i < n || i == CYC) && counts(i, el)) {
                int s = source(evt(i));
                delta[i] = s == 1 ? k : s == 2 ? cycles : 0;
            }
        }
        // even counters first so their CHAIN events land on odd partners after their own counting
        for (int pass = 0; pass < 2; pass++) {
            for (int i = pass == 0 ? 0 : 1; i < 32; i += 2) {
                if (delta[i] != 0) {
                    add(i, delta[i]);
                }
            }
        }
    }

    public boolean irq() {
        return (ovs & inten) != 0 && en();
    }

    /** Guest-visible state, for the failure diff. */
    public Map<String, String> view() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PMCR", hex(read("PMCR", 0, 1)));
        m.put("PMCNTENSET", hex(cnten));
        m.put("PMINTENSET", hex(inten));
        m.put("PMOVSSET", hex(ovs));
        m.put("PMSELR", hex(pmselr & 0x1F));
        m.put("PMUSERENR", hex(userenr & 0xF));
        m.put("PMCCNTR", hex(counter[CYC]));
        m.put("PMCCFILTR", hex(evtyper[CYC]));
        for (int i = 0; i < n; i++) {
            m.put("PMEVCNTR" + i, hex(counterView(i)));
            m.put("PMEVTYPER" + i, hex(evtyper[i]));
        }
        m.put("irq", Boolean.toString(irq()));
        return m;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
