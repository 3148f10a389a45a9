package dev.a64trap.proptest;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.host.Host;
import dev.a64trap.host.InsnClass;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.PlantedBug;
import dev.a64trap.pmu.EntryResult;
import dev.a64trap.pmu.EventClock;
import dev.a64trap.pmu.Events;
import dev.a64trap.pmu.KvmVcpu;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.Vpmu;
import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysRegTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The implementation side of the vPMU properties: the real KVM API objects and vPMU, driven through
 * the same calls the machine makes (guest MRS/MSR through the machine's system-register table and
 * {@link HostedVcpu}'s rows, vCPU loads, deadline syncs), with a fake {@link EventClock} instead of the interpreter: a run of k
 * instructions adds k INST_RETIRED and k * cpi(pCPU) CPU_CYCLES at one EL, in chunks bounded by the
 * vPMU's instruction budget exactly as the machine's checkpoints are.
 */
public class PmuTarget implements EventClock {
    public Host host;
    public KvmVm vm;
    public KvmVcpu vcpu;
    public Vpmu pmu;
    private final long[][] totals = new long[2][0x40];
    public int pcpu = -1;
    public boolean blocked;

    public PmuTarget(Host host) {
        this.host = host;
    }

    private PlantedBug plantedBug;

    /** This target with a deliberate bug in the machine's PMU rows (see {@link PlantedBug}). */
    public PmuTarget planting(PlantedBug bug) {
        this.plantedBug = bug;
        return this;
    }

    /** The bug planted with {@link #planting}, or null. */
    public PlantedBug plantedBug() {
        return plantedBug;
    }

    /** The fake clock's cycle model: the pCPU's ALU cost, at least 1. */
    public static long cyclesPerInstruction(Host host, int cpu) {
        return Math.max(1, host.cycleModel(cpu).cycles(InsnClass.ALU));
    }

    @Override
    public long total(int event, int el) {
        return event >= 0 && event < 0x40 ? totals[el][event] : 0;
    }

    /** Result of a guest access: the value read, or UNDEF. */
    public record Access(boolean undef, long value) {
        @Override
        public String toString() {
            return undef ? "UNDEF" : "0x" + Long.toHexString(value);
        }
    }

    public Access read(int encoding, int el) {
        return access(encoding, el, false, 0);
    }

    /**
     * Whether a guest access of {@code encoding} now executes as an instruction that costs cycles and
     * retires (a real MRS/MSR); false here: the trap path executes nothing.
     */
    public boolean accessRetires(int encoding, int el) {
        return false;
    }

    public Access write(int encoding, long value, int el) {
        return access(encoding, el, true, value);
    }

    /**
     * One guest MRS/MSR through the machine's trap path: the descriptor from the same table the
     * interpreter uses (binary search by encoding; a miss UNDEFs), its access rule at {@code el},
     * then its handler; a GuestFault from the rule or the handler is the model's UNDEF.
     */
    private Access access(int encoding, int el, boolean write, long value) {
        SysReg r = trapTable().lookup(encoding);
        if (r == null) {
            return new Access(true, 0);
        }
        trapCpu.el = el;
        switch (r.access(trapCpu, write)) {
            case UNDEFINED -> {
                return new Access(true, 0);
            }
            case TRAP -> {
                if (!vm.partitioned()) {
                    throw new IllegalStateException(r + " traps (EC 0x18) at EL" + el + ": not a PMU outcome");
                }
                return new Access(true, 0); // partitioned: hardware refuses it (EC 0x18), the model's "refused"
            }
            default -> { }
        }
        try {
            if (write) {
                r.write(trapCpu, value);
                return new Access(false, 0);
            }
            return new Access(false, r.read(trapCpu));
        } catch (GuestFault f) {
            if (f.esr != Syndrome.undefined()) {
                throw new IllegalStateException(r + " raised ESR 0x" + Integer.toHexString(f.esr) + ", not UNDEF");
            }
            return new Access(true, 0);
        }
    }

    // the rows are static descriptors: built once, shared by every chain
    static final List<SysReg> BASE_ROWS = BaseSysRegs.cortexA57(false);
    private SysRegTable trapTable;
    private Cpu trapCpu;
    private KvmVcpu trapFor;

    /** The machine's table for this chain's vCPU (HostedVcpu's rows over base Cortex-A57), built on first use. */
    private SysRegTable trapTable() {
        if (trapFor != vcpu) {
            trapTable = SysRegTable.of(trapRows(HostedVcpu.detached(host, vm, vcpu).plant(plantedBug).sysRegs(BASE_ROWS)));
            trapCpu = new Cpu(trapTable, false);
            trapFor = vcpu;
        }
        return trapTable;
    }

    /** The machine's rows as the table gets them; tests plant trap-path bugs by overriding this. */
    protected List<SysReg> trapRows(List<SysReg> rows) {
        return rows;
    }

    /**
     * The first KVM_RUN on {@code cpu}, after the VMM setup filled {@link #host}, {@link #vm},
     * {@link #vcpu} and {@link #pmu}: attaches the event clock and enters. Returns the entry result.
     */
    public EntryResult start(int cpu) {
        pmu.attachClock(this);
        EntryResult r = vcpu.run(cpu);
        pcpu = cpu;
        blocked = !r.entered();
        return r;
    }

    /** Runs k instructions at el, syncing at every budget boundary like the machine's checkpoints. */
    public void run(long k, int el) {
        if (blocked) {
            return;
        }
        long cpi = cyclesPerInstruction(host, pcpu);
        int maxPerInsn = (int) Math.max(2, cpi);
        while (k > 0) {
            long budget = pmu.instructionBudget(maxPerInsn);
            if (budget == 0) {
                pmu.sync();
                budget = Math.max(1, pmu.instructionBudget(maxPerInsn));
            }
            long chunk = Math.min(k, budget);
            totals[el][Events.INST_RETIRED] += chunk;
            totals[el][Events.CPU_CYCLES] += chunk * cpi;
            k -= chunk;
            if (chunk == budget) {
                pmu.sync();
            }
        }
    }

    /** KVM_SET_ONE_REG from the VMM. */
    public void setOneReg(long id, long value) {
        vcpu.setOneReg(id, value);
    }

    /** A vCPU load on another pCPU; returns the entry result. */
    public EntryResult migrate(int cpu) {
        EntryResult r = vcpu.onVcpuLoad(cpu);
        pcpu = cpu;
        blocked = !r.entered();
        return r;
    }

    /** Guest-visible state through the debugger's side-effect-free peek, for the diff. */
    public Map<String, String> view() {
        Map<String, String> m = new LinkedHashMap<>();
        int n = vm.nrCounters();
        Vpmu.Snapshot snap = pmu.snapshot(); // one synced copy for every register
        m.put("PMCR", hex(snap.peek(PmuReg.PMCR, 0)));
        m.put("PMCNTENSET", hex(snap.peek(PmuReg.PMCNTENSET, 0)));
        m.put("PMINTENSET", hex(snap.peek(PmuReg.PMINTENSET, 0)));
        m.put("PMOVSSET", hex(snap.peek(PmuReg.PMOVSSET, 0)));
        m.put("PMSELR", hex(snap.peek(PmuReg.PMSELR, 0)));
        m.put("PMUSERENR", hex(snap.peek(PmuReg.PMUSERENR, 0)));
        m.put("PMCCNTR", hex(snap.peek(PmuReg.PMCCNTR, 0)));
        m.put("PMCCFILTR", hex(snap.peek(PmuReg.PMCCFILTR, 31)));
        for (int i = 0; i < n; i++) {
            m.put("PMEVCNTR" + i, hex(snap.peek(PmuReg.PMEVCNTR, i)));
            m.put("PMEVTYPER" + i, hex(snap.peek(PmuReg.PMEVTYPER, i)));
        }
        m.put("irq", Boolean.toString(pmu.irqLevel()));
        return m;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static final long PMCR_E = PmuBits.PMCR_E;
}
