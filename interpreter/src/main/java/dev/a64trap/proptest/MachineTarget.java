package dev.a64trap.proptest;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.exec.BlockCompiler;
import dev.a64trap.exec.Interpreter;
import dev.a64trap.exec.Platform;
import dev.a64trap.exec.RunObserver;
import dev.a64trap.exec.Stop;
import dev.a64trap.host.InsnClass;
import dev.a64trap.host.Scheduler;
import dev.a64trap.jit.Jit;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.pmu.EntryResult;
import dev.a64trap.pmu.Events;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.PmuRegTable;
import dev.a64trap.sysreg.SysRegTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The vPMU properties' target on the real machine: the chain's KVM objects adopted by a
 * {@link HostedVcpu} that is the run observer and event clock of a real {@link Interpreter} (with
 * the JIT as {@code a64trap run} installs it), so block sums, instruction budgets, checkpoints,
 * compiled loops and vPMU syncs are the machine's.
 *
 * <ul>
 * <li>A run of k instructions at ELn executes k instructions of a generated straight-line snippet of
 *     register-to-register ALU instructions (every one of the ALU class in the pCPU's cycle model,
 *     so the model's k INST_RETIRED and k * cpi CPU_CYCLES are what the machine must count). Runs
 *     start at block-aligned offsets so decoded blocks are reused; the run stops after exactly k
 *     instructions on the interpreter's budget, often inside a block. With {@link #withLoops} (the
 *     default) about half of the runs spin in a short generated loop instead, which the JIT
 *     compiles and the machine retires as compiled loops.</li>
 * <li>A guest access, with {@link Accesses#INSTRUCTIONS}, is one real MRS/MSR instruction executed by
 *     the interpreter at ELn, its Xt set beforehand as a debugger would; UNDEF is the guest taking a
 *     synchronous exception with EC 0x00 at that instruction (a vector table is installed; the run
 *     stops at the vector, then the harness returns to the interrupted state without executing
 *     guest code). An access that executes costs its system-instruction cycles before its effect and
 *     retires after it, as the model's {@code retire} says; a refused PMU access is an UNDEF KVM
 *     injects, which costs the guest's counters nothing, as in the model; an encoding that names no register (PMEVCNTR31) would be a real
 *     exception the model has no cost for, so it takes the trap path. The default is
 *     {@link Accesses#TRAP_PATH}, {@link PmuTarget}'s access through the machine's rows, with nothing
 *     executed ({@code fuzz --mrs} chooses instructions).</li>
 * <li>A migration is {@link HostedVcpu#loadNow}: the machine's vCPU load.</li>
 * </ul>
 * While the vCPU is blocked (a failed SET_PMU entry) nothing executes; guest accesses then take
 * {@link PmuTarget}'s trap path, as the model does not block them.
 */
public class MachineTarget extends PmuTarget {
    static final long RAM_SIZE = 256 << 10;
    /** VBAR_EL1: a 2 KiB vector table; never executed (the run stops at the vector). */
    static final long VECTORS = GuestMemory.RAM_BASE;
    /** One MRS/MSR word per (encoding, direction), written once when first needed. */
    static final long SLOTS = GuestMemory.RAM_BASE + 0x1000;
    static final int MAX_SLOTS = 0x7000 / 4;
    static final long SNIPPET = GuestMemory.RAM_BASE + 0x8000;
    /** The snippet: longer than the longest generated run (5000). */
    static final int SNIPPET_WORDS = 8192;
    /** Runs start at multiples of this many instructions (the interpreter's longest block). */
    static final int ALIGN = 128;
    /** The loop: a body of ALU instructions and a B back to its start. */
    static final long LOOP = SNIPPET + 4L * SNIPPET_WORDS;
    static final int MAX_LOOP_BODY = 32;

    /** How guest MRS/MSR reach the vPMU. */
    public enum Accesses {
        /** Real MRS/MSR instructions on the interpreter; UNDEF = an exception taken. */
        INSTRUCTIONS,
        /** The machine's trap path without executing anything (as {@link PmuTarget}). */
        TRAP_PATH
    }

    private final Accesses accesses;
    private final BlockCompiler compiler;
    public HostedVcpu hosted;
    public Cpu cpu;
    public Interpreter interp;
    private GuestMemory mem;
    private SplittableRandom rnd;
    private final Map<Integer, long[]> slots = new HashMap<>();
    private static final Map<Integer, byte[]> SNIPPETS = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean loops;
    private int loopBody;

    /**
     * Trap-path accesses, straight-line runs and loops ({@link #withLoops}), the JIT exactly as
     * {@code a64trap run} installs it (system properties {@code a64trap.jit*}).
     */
    public MachineTarget() {
        this(Accesses.TRAP_PATH, Jit.enabledByProperties() ? Jit.fromProperties() : null);
        withLoops();
    }

    /** With {@code compiler} (null: interpret only). */
    public MachineTarget(Accesses accesses, BlockCompiler compiler) {
        super(null);
        this.accesses = accesses;
        this.compiler = compiler;
    }

    /** Real MRS/MSR accesses, the JIT as {@code a64trap run} installs it. */
    public static MachineTarget instructions() {
        return new MachineTarget(Accesses.INSTRUCTIONS, Jit.enabledByProperties() ? Jit.fromProperties() : null);
    }

    /**
     * Lets half of the runs (chosen by the target's seeded random) spin in a loop instead of the
     * straight line, so hot loops are compiled and retired as compiled loops. The loop's branch is
     * an instruction of the BRANCH class and counts the branch events, which PmuModel's runs do not
     * have: so a run only loops on hosts where a branch costs what an ALU instruction costs (true of
     * the presets) and while no event counter's type names a branch event.
     */
    public MachineTarget withLoops() {
        loops = true;
        return this;
    }

    /** Whether some event counter's type reads a branch source (then a loop would count it). */
    private boolean branchEventProgrammed() {
        for (int i = 0; i < vm.nrCounters(); i++) {
            int src = Events.source((int) (pmu.peek(PmuReg.PMEVTYPER, i) & 0xFFFF));
            if (src == Events.BR_RETIRED || src == Events.BR_IMMED_RETIRED || src == Events.PC_WRITE_RETIRED) {
                return true;
            }
        }
        return false;
    }

    /** The machine's run observer; tests plant run-path bugs by wrapping it. */
    protected RunObserver observer(HostedVcpu h) {
        return h;
    }

    @Override
    public EntryResult start(int first) {
        hosted = HostedVcpu.adopt(host, vm, vcpu, Scheduler.parse("pinned:" + first, null, host, 0)).plant(plantedBug());
        cpu = new Cpu(SysRegTable.of(trapRows(hosted.sysRegs(BASE_ROWS))), false);
        mem = new GuestMemory(RAM_SIZE);
        // the snippet depends only on the setup, so a replayed chain runs the same code
        int seed = Objects.hash(host.name(), first, vm.nrCounters(), vm.pmuVer());
        byte[] snippet = SNIPPETS.get(seed);
        if (snippet == null) {
            snippet = words(aluSnippet(new SplittableRandom(seed), SNIPPET_WORDS));
            if (SNIPPETS.size() < 1024) { // 32 KiB each; generating one costs more than the rest of a chain's setup
                SNIPPETS.put(seed, snippet);
            }
        }
        mem.load(SNIPPET, snippet);
        rnd = new SplittableRandom(~seed);
        loopBody = 1 + rnd.nextInt(MAX_LOOP_BODY);
        int[] loop = java.util.Arrays.copyOf(aluSnippet(rnd, loopBody), loopBody + 1);
        loop[loopBody] = A64Encoder.b(-4L * loopBody);
        mem.load(LOOP, words(loop));
        loops &= sameBranchCost();
        interp = new Interpreter(cpu, mem, Platform.NONE, null);
        interp.setCompiler(compiler);
        hosted.attach(interp, cpu);
        interp.setObserver(observer(hosted));
        interp.setStopAfterException(true);
        cpu.sys.vbar = VECTORS;
        cpu.pc = SNIPPET;
        Stop s = hosted.enter();
        EntryResult r = s == null ? EntryResult.ok(first) : hosted.failEntry();
        pcpu = first;
        blocked = !r.entered();
        return r;
    }

    @Override
    public void run(long k, int el) {
        if (blocked) {
            return;
        }
        enter(el);
        while (k > 0) {
            long chunk;
            if (loops && !branchEventProgrammed() && rnd.nextBoolean()) {
                chunk = k;
                cpu.pc = LOOP + 4L * rnd.nextInt(loopBody + 1); // from any instruction of the loop
            } else {
                chunk = Math.min(k, SNIPPET_WORDS);
                cpu.pc = SNIPPET + 4L * ALIGN * rnd.nextInt((int) (SNIPPET_WORDS - chunk) / ALIGN + 1);
            }
            long end = cpu.retired + chunk;
            Stop s = interp.run(end);
            if (s.kind() != Stop.Kind.BUDGET || cpu.retired != end || cpu.el != el) {
                throw new IllegalStateException("run of " + chunk + " at EL" + el + " stopped with " + s + " after "
                        + (cpu.retired - end + chunk) + " instructions at EL" + cpu.el);
            }
            k -= chunk;
        }
        // a stopped run settles as VirtBoard.run does: overflow status and interrupt line current
        hosted.settle();
    }

    /**
     * Whether this access runs as an instruction: with {@link Accesses#INSTRUCTIONS}, for every PMU
     * register that exists. An encoding that names none (PMEVCNTR31) is UNDEFINED in hardware, a real
     * exception the model has no cost for, so it takes the trap path.
     */
    private boolean executes(int encoding) {
        return !blocked && accesses == Accesses.INSTRUCTIONS && PmuRegTable.lookup(encoding) != null;
    }

    @Override
    public boolean accessRetires(int encoding, int el) {
        return executes(encoding, el);
    }

    /**
     * With a partitioned PMU a refused EL0 access is a real trap (EC 0x18) whose exception entry the
     * counters see, which the model does not price: EL0 accesses take the trap path there.
     */
    private boolean executes(int encoding, int el) {
        return executes(encoding) && !(el == 0 && vm.partitioned());
    }

    @Override
    public Access read(int encoding, int el) {
        return executes(encoding, el) ? execute(encoding, el, false, 0) : super.read(encoding, el);
    }

    @Override
    public Access write(int encoding, long value, int el) {
        if (!executes(encoding, el)) {
            Access a = super.write(encoding, value, el);
            hosted.vpmuChanged(); // emulated outside an instruction: tell the machine
            return a;
        }
        return execute(encoding, el, true, value);
    }

    @Override
    public void setOneReg(long id, long value) {
        super.setOneReg(id, value);
        hosted.vpmuChanged();
    }

    @Override
    public EntryResult migrate(int to) {
        EntryResult r = hosted.loadNow(to);
        pcpu = to;
        blocked = !r.entered();
        return r;
    }

    /** One MRS/MSR at el; UNDEF = the guest took EC 0x00 at it. */
    private Access execute(int encoding, int el, boolean write, long value) {
        long[] slot = slot(encoding, write);
        long at = slot[0];
        int rt = (int) slot[1];
        enter(el);
        cpu.pc = at;
        cpu.x[rt] = write ? value : 0x5EED_0000_0000_0000L | encoding;
        long end = cpu.retired + 1;
        Stop s = interp.run(end);
        if (s.kind() == Stop.Kind.BUDGET && cpu.pc == at + 4 && cpu.el == el && cpu.retired == end) {
            return new Access(false, write ? 0 : cpu.x[rt]);
        }
        long vector = VECTORS + (el == 0 ? 0x400 : 0x200);
        if (s.kind() == Stop.Kind.BUDGET && cpu.pc == vector && cpu.el == 1 && cpu.sys.elr == at) {
            if ((int) cpu.sys.esr != Syndrome.undefined()) {
                throw new IllegalStateException((write ? "MSR" : "MRS") + " 0x" + Integer.toHexString(encoding) + " at EL"
                        + el + " raised ESR 0x" + Long.toHexString(cpu.sys.esr) + ", not UNDEF");
            }
            cpu.exceptionReturn(); // back to the access's state; the handler is not the property's
            return new Access(true, 0);
        }
        throw new IllegalStateException((write ? "MSR" : "MRS") + " 0x" + Integer.toHexString(encoding) + " at EL" + el
                + " stopped with " + s + " at pc 0x" + Long.toHexString(cpu.pc));
    }

    private boolean sameBranchCost() {
        for (int c = 0; c < host.cpuCount(); c++) {
            if (host.cycleModel(c).cycles(InsnClass.BRANCH) != host.cycleModel(c).cycles(InsnClass.ALU)) {
                return false;
            }
        }
        return true;
    }

    private void enter(int el) {
        if (cpu.el != el) {
            cpu.setMode(el, el == 0 ? 0 : 1);
        }
    }

    /** The slot holding MRS/MSR Xt of {@code encoding}: {address, t}, written on first use. */
    private long[] slot(int encoding, boolean write) {
        return slots.computeIfAbsent(encoding << 1 | (write ? 1 : 0), key -> {
            if (slots.size() >= MAX_SLOTS) {
                throw new IllegalStateException("out of access slots");
            }
            long at = SLOTS + 4L * slots.size();
            int rt = rnd.nextInt(31);
            int word = write ? A64Encoder.msr(encoding, rt) : A64Encoder.mrs(encoding, rt);
            mem.load(at, words(new int[] {word}));
            return new long[] {at, rt};
        });
    }

    /**
     * {@code n} random register-to-register ALU instructions (add/sub/logical shifted register,
     * add/sub immediate, MOVZ/MOVN/MOVK on X0-X30, no SP, no flags consumers): every one of the
     * ALU class, no branch, no memory access, no system instruction.
     */
    static int[] aluSnippet(SplittableRandom r, int n) {
        A64Encoder.RegOp[] ops = A64Encoder.RegOp.values();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            int rd = r.nextInt(31), rn = r.nextInt(31), rm = r.nextInt(31);
            boolean sf = r.nextBoolean();
            int pick = r.nextInt(10);
            if (pick < 6) {
                A64Encoder.RegOp op = ops[r.nextInt(ops.length)];
                int shift = r.nextInt(op.logical ? 4 : 3);
                w[i] = A64Encoder.reg(op, sf, rd, rn, rm, shift, r.nextInt(sf ? 64 : 32));
            } else if (pick < 8) {
                w[i] = A64Encoder.addImm(r.nextBoolean(), sf, rd, rn, r.nextInt(0x1000));
            } else {
                int hw = r.nextInt(sf ? 4 : 2);
                int imm = r.nextInt(0x10000);
                w[i] = switch (r.nextInt(3)) {
                    case 0 -> A64Encoder.movz(sf, rd, imm, hw);
                    case 1 -> A64Encoder.movn(sf, rd, imm, hw);
                    default -> sf ? A64Encoder.movk(rd, imm, hw) : A64Encoder.movk(rd, imm, hw & 1) & 0x7FFFFFFF;
                };
            }
        }
        return w;
    }

    static byte[] words(int[] w) {
        ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) {
            b.putInt(x);
        }
        return b.array();
    }
}
