package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.ExceptionType;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.SelfHostedDebug;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.mem.BusFault;
import dev.a64trap.mem.PhysicalMemory;
import dev.a64trap.mem.mmu.Mmu;
import dev.a64trap.mem.mmu.Walker;
import dev.a64trap.sysreg.SysReg;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The interpreter: runs decoded blocks from the {@link BlockCache}, delivers synchronous
 * exceptions, enforces the instruction budget and stops cleanly (guest exit, budget, exception
 * with no vector, external interrupt). Semantics live in {@link Alu}, {@link Lsu} and
 * {@link SystemOps}; this class only dispatches.
 */
public final class Interpreter {
    /** Longest block, so budget checks and interrupts stay responsive. */
    static final int MAX_BLOCK = 128;
    private static final int SLICE_BLOCKS = 4096;
    /**
     * Passes of a compiled loop per call: returning now and then lets HotSpot compile the unit as a
     * normally entered method instead of only by on-stack replacement, and bounds the time between
     * the run loop's own checks.
     */
    private static final long MAX_PASSES = Long.getLong("a64trap.jit.passes", 4096);

    private final Cpu cpu;
    private final long[] x;
    private final PhysicalMemory mem;
    private final BlockCache cache;
    private final Platform platform;
    private final SystemOps sys;
    private final PrintStream trace;
    private final IntFunction<Insn> decoder;
    public final Events events = new Events();

    private volatile boolean interruptRequested;
    /** Breakpoint addresses (debugger); blocks end before them so the loop sees each one. */
    private final java.util.Set<Long> breakpoints = new java.util.HashSet<>();
    private Stop stop;
    // a debugger's single step ends at an exception entry, before the vector's first instruction
    private boolean stopAfterException;
    private Block current;
    /** The JIT (null = interpret only) and what its units share with this loop. */
    private BlockCompiler compiler;
    private final JitFrame jitFrame;
    /** Debugger hook (watchpoints, catches); null in a normal run. */
    private DebugHook debugHook;
    /** The vPMU wiring (null = none): sees every retired block and the checkpoints. */
    private RunObserver observer;
    /** The earlier of the observer's and the board's checkpoints (or now, for a poll of the interrupt lines). */
    long checkpoint = Long.MAX_VALUE;
    /** {@code cpu.retired} at which {@link RunObserver#checkpoint()} runs (a block boundary). */
    private long observerCheckpoint = Long.MAX_VALUE;
    /** {@code cpu.retired} at which {@link Platform#deviceCheckpoint} runs. */
    private long deviceCheckpoint = Long.MAX_VALUE;
    private static final int LINE_IRQ = 1, LINE_FIQ = 2;
    /** The interrupt controller's IRQ/FIQ outputs to this PE. */
    private int interruptLines;
    // While a region unit runs: retired count at the start of its current block, the budget's end,
    // the EL it runs at and its first block (dropped with its page, which holds the whole chain).
    private long regionStart;
    private long regionLimit;
    private int regionEl;
    private Block regionHead;
    /** The TLB epoch the region unit was entered under: a TLBI or translation register write ends it. */
    private long regionEpoch;

    public Interpreter(Cpu cpu, PhysicalMemory memory, Platform platform, PrintStream trace) {
        this(cpu, memory, platform, trace, Decoder::decode);
    }

    /**
     * Another CPU of the same board: it shares {@code cache} (decoded and compiled blocks, the
     * code-page write watch) with the interpreters already using it; they run one at a time.
     */
    public Interpreter(Cpu cpu, BlockCache cache, Platform platform, PrintStream trace) {
        this(cpu, cache, platform, trace, Decoder::decode);
    }

    /** With a custom decoder (tests run hand-built {@link Insn} records through it). */
    Interpreter(Cpu cpu, PhysicalMemory memory, Platform platform, PrintStream trace, IntFunction<Insn> decoder) {
        this(cpu, new BlockCache(memory), platform, trace, decoder);
    }

    private Interpreter(Cpu cpu, BlockCache cache, Platform platform, PrintStream trace, IntFunction<Insn> decoder) {
        this.decoder = decoder;
        this.cpu = cpu;
        this.x = cpu.x;
        this.cache = cache;
        this.mem = cache.memory();
        cpu.mmu.attach(mem); // the walker reads descriptors from physical memory
        this.platform = platform;
        this.sys = new SystemOps(cpu, mem, cache);
        this.trace = trace;
        this.jitFrame = new JitFrame(mem, this);
    }

    /** Installs a JIT (null: interpret only). Blocks are compiled once they have run {@code threshold()} times. */
    public void setCompiler(BlockCompiler c) {
        compiler = c;
        hotThreshold = c == null ? Integer.MAX_VALUE : c.hotThreshold();
    }

    /** {@link BlockCompiler#hotThreshold()} of {@link #compiler}, read once. */
    private int hotThreshold = Integer.MAX_VALUE;

    /** The installed JIT, or null. */
    public BlockCompiler compiler() {
        return compiler;
    }

    public Cpu cpu() {
        return cpu;
    }

    public BlockCache cache() {
        return cache;
    }

    /** Installs the observer (the vPMU wiring); it must set its first checkpoint itself. */
    public void setObserver(RunObserver o) {
        observer = o;
    }

    /** Runs {@link RunObserver#checkpoint()} at the first block boundary with {@code cpu.retired >= at}. */
    public void setCheckpoint(long at) {
        observerCheckpoint = at;
        checkpoint = Math.min(at, deviceCheckpoint);
    }

    /**
     * Runs {@link Platform#deviceCheckpoint} at the first block boundary with {@code cpu.retired >= at}
     * (the board's next timer deadline); compiled code stops there as at the observer's checkpoint.
     */
    public void setDeviceCheckpoint(long at) {
        deviceCheckpoint = Math.max(at, cpu.retired + 1); // never now: the board fires what is due at once
        checkpoint = Math.min(observerCheckpoint, deviceCheckpoint);
    }

    /**
     * The interrupt controller's outputs to this PE (levels). An unmasked one is taken at the next
     * block boundary: IRQ when PSTATE.I is clear, FIQ when PSTATE.F is clear (FIQ first), with the
     * preferred return address the next instruction to execute. A line that rises also stops
     * compiled code at its next block boundary.
     */
    public void setInterruptLines(boolean irq, boolean fiq) {
        int lines = (irq ? LINE_IRQ : 0) | (fiq ? LINE_FIQ : 0);
        boolean rose = (lines & ~interruptLines) != 0;
        interruptLines = lines;
        if (rose) {
            pollInterrupts();
        }
    }

    /** Makes the loop look at the interrupt lines at the next block boundary, even inside compiled code (PSTATE.I/F cleared). */
    public void pollInterrupts() {
        if (interruptLines != 0) {
            checkpoint = Math.min(checkpoint, cpu.retired);
        }
    }

    /** Whether the interrupt controller signals an IRQ or FIQ now, masked or not (what ends a WFI). */
    public boolean interruptPending() {
        return interruptLines != 0;
    }

    private boolean takeInterrupt() {
        ExceptionType type;
        if ((interruptLines & LINE_FIQ) != 0 && (cpu.daif & 1) == 0) {
            type = ExceptionType.FIQ;
        } else if ((interruptLines & LINE_IRQ) != 0 && (cpu.daif & 2) == 0) {
            type = ExceptionType.IRQ;
        } else {
            return false;
        }
        events.exceptions++;
        long vector = cpu.takeException(type, cpu.pc, 0, false, 0);
        if (stopAfterException) {
            stop = Stop.budget(vector);
        }
        return true;
    }

    /** The block whose MRS/MSR is executing (for system-register handlers that need the block's sums). */
    public Block currentBlock() {
        return current;
    }

    /** Asks the run loop to stop at the next block boundary (safe from any thread, e.g. a SIGINT handler). */
    public void interrupt() {
        jitFrame.interrupt = true; // first: the loop clears both once it sees interruptRequested
        interruptRequested = true;
    }

    /** Stops {@link #run} before the instruction at {@code pc} executes (returns false if already set). */
    public boolean addBreakpoint(long pc) {
        boolean added = breakpoints.add(pc);
        if (added) {
            cache.invalidateAll(); // rebuild blocks so they end at the new breakpoint
        }
        return added;
    }

    public boolean removeBreakpoint(long pc) {
        return breakpoints.remove(pc);
    }

    /**
     * Runs until the guest exits, {@code maxRetired} instructions have retired in total (0 = no
     * limit), an exception arrives with no vector installed, {@link #interrupt()} is called, or
     * execution reaches a breakpoint (other than one at the PC the run starts from, so a debugger
     * can resume from a breakpoint; {@code run(retired + 1)} is a single step).
     */
    public Stop run(long maxRetired) {
        return run(maxRetired, true);
    }

    /**
     * {@link #run(long)}; {@code resuming} false: a breakpoint at the PC the run starts from stops it
     * too (a board that runs its vCPUs in turns resumes a vCPU from a breakpoint only once).
     */
    public Stop run(long maxRetired, boolean resuming) {
        long limit = maxRetired <= 0 ? Long.MAX_VALUE : maxRetired;
        stop = null;
        firstBlock = resuming;
        Stop s;
        // Slices keep the hot loop a normally entered method: HotSpot compiles it properly rather
        // than through on-stack replacement of one endless call, which runs markedly slower.
        while ((s = slice(limit)) == null) {
            // next slice
        }
        settleRuns();
        return s;
    }

    /** Blocks whose compiled executions are counted in them and not yet reported (see {@link #settleRuns}). */
    private Block[] runsList = new Block[256];
    private int runsN;
    /** The EL every listed block ran at. */
    private int runsEl;

    /**
     * {@code k} whole passes of {@code b}'s plain unit at {@code el}, each but the last back to its
     * start, the last on to {@code nextPc}: counted in the block, reported at the next
     * {@link #settleRuns} (the sums are linear, so they are the same in one go). Keeps the observer's
     * and the events' work off the path from one unit to the next.
     */
    private void deferRuns(Block b, long k, int el, long nextPc) {
        list(b, el);
        if (k > 1) {
            deferOther(b, k - 1, b.pc); // each pass but the last looped back to the start
        }
        deferTo(b, 1, nextPc);
    }

    /** {@code t} whole executions of a listed {@code b} on to {@code next}. */
    private void deferTo(Block b, long t, long next) {
        if (next == b.pc + 4L * b.len) {
            b.runsFall += t;
        } else {
            deferOther(b, t, next);
        }
    }

    /** {@code b} is about to get deferred executions at {@code el}: on the list, which holds one EL. */
    private void list(Block b, int el) {
        if (el != runsEl) {
            settleRuns();
            runsEl = el;
        }
        if (!b.runsListed) {
            if (runsN == runsList.length) {
                settleRuns();
            }
            runsList[runsN++] = b;
            b.runsListed = true;
        }
    }

    /** {@code t} whole executions of a listed {@code b} on to {@code next}, not its fall-through. */
    private void deferOther(Block b, long t, long next) {
        if (b.runsOther != 0 && b.runsOtherNext != next) { // another successor (an indirect branch): the old one now
            report(b, b.runsOther, b.runsOtherNext);
            b.runsOther = 0;
        }
        b.runsOther += t;
        b.runsOtherNext = next;
    }

    private void report(Block b, long t, long next) {
        if (next == b.pc + 4L * b.len) {
            b.profFall += t;
        } else {
            b.profOther += t;
        }
        Events e = events;
        e.branches += t * b.branches;
        e.loads += t * b.loads;
        e.stores += t * b.stores;
        if (observer != null) {
            observer.retiredDeferred(b, t, runsEl, next);
        }
    }

    /**
     * Reports the executions compiled units ran since the last call: events and the observer's
     * {@link RunObserver#retiredDeferred}. Called before the run returns and before the observer's
     * checkpoint; an observer reads its totals or guest time only after calling it (the vPMU wiring
     * does so wherever it looks), so nobody ever sees a count without them.
     */
    public void settleRuns() {
        if (talliesN != 0) {
            settleTallies();
        }
        int n = runsN;
        if (n == 0) {
            return;
        }
        runsN = 0;
        Block[] list = runsList;
        for (int j = 0; j < n; j++) {
            Block b = list[j];
            list[j] = null;
            b.runsListed = false;
            if (b.runsOther != 0) {
                report(b, b.runsOther, b.runsOtherNext);
                b.runsOther = 0;
            }
            if (b.runsFall != 0) {
                report(b, b.runsFall, b.pc + 4L * b.len);
                b.runsFall = 0;
            }
        }
    }

    /** Graph units' tallies with counts not yet reported, all at {@link #runsEl} (see {@link GraphTally}). */
    private GraphTally[] tallies = new GraphTally[64];
    private int talliesN;

    /** A graph unit's exit: {@code t} (not listed) has counts to report at the next settle. */
    void tallied(GraphTally t) {
        if (talliesN == tallies.length) {
            settleRuns();
        }
        tallies[talliesN++] = t;
        t.listed = true;
    }

    private void settleTallies() {
        int n = talliesN;
        talliesN = 0;
        GraphTally[] list = tallies;
        for (int j = 0; j < n; j++) {
            GraphTally t = list[j];
            list[j] = null;
            t.listed = false;
            long[] c = t.counts;
            for (int e = 0; e < c.length; e++) {
                long k = c[e];
                if (k != 0) {
                    c[e] = 0;
                    report(t.chain[t.block[e]], k, t.next[e]);
                }
            }
        }
    }

    private boolean firstBlock;

    /** Runs up to {@link #SLICE_BLOCKS} blocks; null if the run should go on. */
    private Stop slice(long limit) {
        boolean first = firstBlock;
        firstBlock = false;
        for (int blocks = 0; blocks < SLICE_BLOCKS && stop == null; blocks++) {
            if (!breakpoints.isEmpty()) {
                if (!first && breakpoints.contains(cpu.pc)) {
                    return Stop.breakpoint(cpu.pc);
                }
                first = false;
            }
            if (interruptRequested) {
                interruptRequested = false;
                jitFrame.interrupt = false;
                return Stop.interrupted(cpu.pc);
            }
            long remaining = limit - cpu.retired;
            if (remaining <= 0) {
                return Stop.budget(cpu.pc);
            }
            if (cpu.retired >= checkpoint) {
                checkpoint = Math.min(observerCheckpoint, deviceCheckpoint); // also ends a poll (pollInterrupts)
                if (cpu.retired >= deviceCheckpoint) {
                    deviceCheckpoint = Long.MAX_VALUE;
                    checkpoint = observerCheckpoint;
                    platform.deviceCheckpoint(cpu); // timers fire, lines change, the next one is set
                }
                if (cpu.retired >= observerCheckpoint) {
                    settleRuns();
                    Stop cs = observer.checkpoint();
                    if (cs != null) {
                        return cs;
                    }
                    continue;
                }
            }
            if (interruptLines != 0) {
                if (takeInterrupt()) {
                    continue;
                }
                checkpoint = Math.min(observerCheckpoint, deviceCheckpoint); // masked: the poll is over
            }
            long pc = cpu.pc;
            // Software step, active-pending: the step exception comes before anything else.
            if (cpu.sys.debugArmed && !cpu.ss && SelfHostedDebug.stepActive(cpu)) {
                takeSync(pc, GuestFault.of(SelfHostedDebug.stepSyndrome(cpu.el == 0, cpu.stepIsv, cpu.stepEx)));
                continue;
            }
            if (cpu.illegalState) {
                takeSync(pc, GuestFault.of(Syndrome.illegalState()));
                continue;
            }
            if ((pc & 3) != 0) {
                takeSync(pc, new GuestFault(Syndrome.pcAlignment(), true, pc));
                continue;
            }
            Block b = cache.get(pc);
            long pa = pc;
            if (cpu.tlb != null) { // MMU on: the block must come from where pc translates to now
                pa = fetchPa(pc);
                if (pa == Mmu.FAULT) {
                    fetchAbort(pc, cpu.mmu.lastFault);
                    continue;
                }
                if (b != null && b.pa != pa) {
                    b = null;
                }
            }
            if (b == null) {
                b = decodeBlock(pc, pa, true);
                if (b == null) {
                    fetchAbort(pc, fetchFault(pc));
                    continue;
                }
            }
            if (cpu.sys.debugArmed) {
                runGuestDebug(b);
                continue;
            }
            if (compiler != null && trace == null && debugHook == null && breakpoints.isEmpty() && remaining >= b.length()) {
                CompiledBlock cb = b.compiled;
                if (cb == null && b.heat >= 0 && ++b.heat >= compiler.threshold()) {
                    cb = compile(b);
                }
                if (cb != null) {
                    if (b.hot >= 0 && ++b.hot >= compiler.hotThreshold()) {
                        cb = compileHot(b, cb);
                    }
                    runCompiled(b, cb, limit);
                    continue;
                }
            }
            interpret(b, remaining);
        }
        return stop;
    }

    /**
     * Interprets {@code b} (at most {@code remaining} of its instructions) from its start.
     * Its own method, not part of the loop in {@link #slice}: HotSpot recompiles this large switch
     * whenever a path it had not seen turns up (a new instruction kind, a flag case), and the run
     * loop and the compiled-unit dispatch then stay compiled meanwhile. No PC is kept per
     * instruction (the loop is short of registers): only the block's successor, which its last
     * instruction may set.
     */
    private void interpret(Block b, long remaining) {
        final int[] code = b.code;
        final long[] imms = b.imms;
        int n = code.length;
        boolean whole = true;
        if (remaining < n) {
            n = (int) remaining;
            whole = false;
        }
        final long[] x = this.x;
        final long base = cpu.retired;
        final int el = cpu.el;
        final long start = b.pc;
        long next = start + 4L * n;
        int i = 0;
        if (trace != null) {
            runTraced(b, n, whole);
            return;
        }
        if (debugHook != null) {
            runDebug(b, n);
            return;
        }
        // Kept small on purpose: HotSpot stops inlining helpers into a method once about 8000 bytes
        // of bytecode are in, so every load and store shares the one access after the switch and
        // the rarer instructions call out ({@link #exec} via {@link #slow}).
        try {
            // a counted loop (i changes nowhere else): HotSpot drops the per-iteration checks
            run:
            for (; i < n; i++) {
                final int c = code[i];
                final long imm = imms[i];
                final int d = c >>> Uop.D & 63, rn = c >>> Uop.N & 63, rm = c >>> Uop.M & 63;
                final int aux = c >>> Uop.AUX;
                switch (c & Uop.KIND_MASK) {
                    // No case tests its own kind's fields (a branch a C2 compile found one-sided is a
                    // trap, and each trap recompiles this whole method): one kind per shape, and
                    // selects and flags computed without branches.
                    case Uop.ADD64:
                        x[d] = x[rn] + imm;
                        continue;
                    case Uop.ADD32:
                        x[d] = (x[rn] + imm) & Alu.MASK32;
                        continue;
                    case Uop.ADDS64: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        cpu.nzcv = Alu.addFlags64(a, imm, cin);
                        x[d] = a + imm + cin;
                        continue;
                    }
                    case Uop.ADDS32: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        cpu.nzcv = Alu.addFlags32(a, imm, cin);
                        x[d] = (a + imm + cin) & Alu.MASK32;
                        continue;
                    }
                    // the compare, then the block's closing B.cond unless the budget ends between them
                    case Uop.ADDS64_BC: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        int f = Alu.addFlags64(a, imm, cin);
                        x[d] = a + imm + cin;
                        cpu.nzcv = f;
                        if (i + 1 < n) { // the B.cond too: the block's last instruction
                            next = closingBranch(code[i + 1], imms[i + 1], f, next);
                            break run;
                        }
                        continue;
                    }
                    case Uop.ADDS32_BC: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        int f = Alu.addFlags32(a, imm, cin);
                        x[d] = (a + imm + cin) & Alu.MASK32;
                        cpu.nzcv = f;
                        if (i + 1 < n) { // the B.cond too: the block's last instruction
                            next = closingBranch(code[i + 1], imms[i + 1], f, next);
                            break run;
                        }
                        continue;
                    }
                    case Uop.ADDSR64_BC: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        long bv = x[rm] << imm ^ -cin;
                        int f = Alu.addFlags64(a, bv, cin);
                        x[d] = a + bv + cin;
                        cpu.nzcv = f;
                        if (i + 1 < n) { // the B.cond too: the block's last instruction
                            next = closingBranch(code[i + 1], imms[i + 1], f, next);
                            break run;
                        }
                        continue;
                    }
                    case Uop.ADDSR32_BC: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        long bv = x[rm] << imm ^ -cin;
                        int f = Alu.addFlags32(a, bv, cin);
                        x[d] = (a + bv + cin) & Alu.MASK32;
                        cpu.nzcv = f;
                        if (i + 1 < n) { // the B.cond too: the block's last instruction
                            next = closingBranch(code[i + 1], imms[i + 1], f, next);
                            break run;
                        }
                        continue;
                    }
                    case Uop.ADDR64:
                        x[d] = x[rn] + (x[rm] << imm);
                        continue;
                    case Uop.SUBR64:
                        x[d] = x[rn] - (x[rm] << imm);
                        continue;
                    case Uop.ADDR32: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = (x[rn] + ((x[rm] << imm ^ neg) - neg)) & Alu.MASK32;
                        continue;
                    }
                    case Uop.ADDSR64: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        long bv = x[rm] << imm ^ -cin;
                        cpu.nzcv = Alu.addFlags64(a, bv, cin);
                        x[d] = a + bv + cin;
                        continue;
                    }
                    case Uop.ADDSR32: {
                        long a = x[rn];
                        int cin = c >>> Uop.CARRY & 1;
                        long bv = x[rm] << imm ^ -cin;
                        cpu.nzcv = Alu.addFlags32(a, bv, cin);
                        x[d] = (a + bv + cin) & Alu.MASK32;
                        continue;
                    }
                    case Uop.AND64:
                        x[d] = x[rn] & x[rm] << imm;
                        continue;
                    case Uop.ORR64:
                        x[d] = x[rn] | x[rm] << imm;
                        continue;
                    case Uop.EOR64:
                        x[d] = x[rn] ^ x[rm] << imm;
                        continue;
                    case Uop.AND32:
                        x[d] = (x[rn] & x[rm] << imm) & Alu.MASK32;
                        continue;
                    case Uop.ORR32:
                        x[d] = (x[rn] | x[rm] << imm) & Alu.MASK32;
                        continue;
                    case Uop.EOR32:
                        x[d] = (x[rn] ^ x[rm] << imm) & Alu.MASK32;
                        continue;
                    case Uop.AND64_LSR:
                        x[d] = x[rn] & x[rm] >>> imm;
                        continue;
                    case Uop.AND64_ASR:
                        x[d] = x[rn] & x[rm] >> imm;
                        continue;
                    case Uop.AND64_ROR:
                        x[d] = x[rn] & Long.rotateRight(x[rm], (int) imm);
                        continue;
                    case Uop.ORR64_LSR:
                        x[d] = x[rn] | x[rm] >>> imm;
                        continue;
                    case Uop.ORR64_ASR:
                        x[d] = x[rn] | x[rm] >> imm;
                        continue;
                    case Uop.ORR64_ROR:
                        x[d] = x[rn] | Long.rotateRight(x[rm], (int) imm);
                        continue;
                    case Uop.EOR64_LSR:
                        x[d] = x[rn] ^ x[rm] >>> imm;
                        continue;
                    case Uop.EOR64_ASR:
                        x[d] = x[rn] ^ x[rm] >> imm;
                        continue;
                    case Uop.EOR64_ROR:
                        x[d] = x[rn] ^ Long.rotateRight(x[rm], (int) imm);
                        continue;
                    case Uop.BIC64:
                        x[d] = x[rn] & ~(x[rm] << imm);
                        continue;
                    case Uop.ADD64_LSR: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = x[rn] + ((x[rm] >>> imm ^ neg) - neg);
                        continue;
                    }
                    case Uop.ADD64_ASR: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = x[rn] + ((x[rm] >> imm ^ neg) - neg);
                        continue;
                    }
                    case Uop.MOVI:
                        x[d] = imm;
                        continue;
                    case Uop.UBFM: {
                        int p = (int) imm;
                        x[d] = x[rn] << p >>> (p >>> 8) << (p >>> 16);
                        continue;
                    }
                    case Uop.SBFM64: {
                        int p = (int) imm;
                        x[d] = x[rn] << p >> (p >>> 8) << (p >>> 16);
                        continue;
                    }
                    case Uop.SBFM32: {
                        int p = (int) imm;
                        x[d] = x[rn] << p >> (p >>> 8) << (p >>> 16) & Alu.MASK32;
                        continue;
                    }
                    case Uop.MADD64: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = x[(int) imm] + ((x[rn] * x[rm] ^ neg) - neg);
                        continue;
                    }
                    case Uop.MADD32: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = x[(int) imm] + ((x[rn] * x[rm] ^ neg) - neg) & Alu.MASK32;
                        continue;
                    }
                    case Uop.UMADDL: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = x[(int) imm] + (((x[rn] & Alu.MASK32) * (x[rm] & Alu.MASK32) ^ neg) - neg);
                        continue;
                    }
                    case Uop.SMADDL: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = x[(int) imm] + (((long) (int) x[rn] * (int) x[rm] ^ neg) - neg);
                        continue;
                    }
                    case Uop.UMULH:
                        x[d] = Alu.umulh(x[rn], x[rm]);
                        continue;
                    case Uop.SMULH:
                        x[d] = Math.multiplyHigh(x[rn], x[rm]);
                        continue;
                    case Uop.UDIV64: {
                        long v = x[rm], nz = (v | -v) >> 63; // division by zero gives 0
                        x[d] = Long.divideUnsigned(x[rn], v | ~nz & 1) & nz;
                        continue;
                    }
                    case Uop.UDIV32: {
                        int v = (int) x[rm], nz = (v | -v) >> 31;
                        x[d] = Integer.divideUnsigned((int) x[rn], v | ~nz & 1) & nz & Alu.MASK32;
                        continue;
                    }
                    case Uop.SDIV64: {
                        long v = x[rm], nz = (v | -v) >> 63;
                        x[d] = x[rn] / (v | ~nz & 1) & nz;
                        continue;
                    }
                    case Uop.SDIV32: {
                        int v = (int) x[rm], nz = (v | -v) >> 31;
                        x[d] = (int) x[rn] / (v | ~nz & 1) & nz & Alu.MASK32;
                        continue;
                    }
                    case Uop.LSLV64:
                        x[d] = x[rn] << x[rm];
                        continue;
                    case Uop.LSRV64:
                        x[d] = x[rn] >>> x[rm];
                        continue;
                    case Uop.ASRV64:
                        x[d] = x[rn] >> x[rm];
                        continue;
                    case Uop.RORV64:
                        x[d] = Long.rotateRight(x[rn], (int) x[rm]);
                        continue;
                    case Uop.LSLV32:
                        x[d] = (int) x[rn] << x[rm] & Alu.MASK32;
                        continue;
                    case Uop.LSRV32:
                        x[d] = (int) x[rn] >>> x[rm] & Alu.MASK32;
                        continue;
                    case Uop.ASRV32:
                        x[d] = (int) x[rn] >> x[rm] & Alu.MASK32;
                        continue;
                    case Uop.RORV32:
                        x[d] = Integer.rotateRight((int) x[rn], (int) x[rm]) & Alu.MASK32;
                        continue;
                    case Uop.ANDI:
                        x[d] = x[rn] & imm;
                        continue;
                    case Uop.ORRI64:
                        x[d] = x[rn] | imm;
                        continue;
                    case Uop.EORI64:
                        x[d] = x[rn] ^ imm;
                        continue;
                    case Uop.ORRI32:
                        x[d] = (x[rn] | imm) & Alu.MASK32;
                        continue;
                    case Uop.EORI32:
                        x[d] = (x[rn] ^ imm) & Alu.MASK32;
                        continue;
                    case Uop.ANDSI: { // a 32-bit immediate has no bits above 31, nor has the result
                        long r = x[rn] & imm;
                        cpu.nzcv = (int) (r >>> (31 | (c >>> Uop.CARRY & 1) << 5) & 1) << 3 | Alu.zeroFlag(r);
                        x[d] = r;
                        continue;
                    }
                    case Uop.ADDX: {
                        long neg = -(c >>> Uop.CARRY & 1);
                        x[d] = (x[rn] + ((Alu.extend(x[rm], aux & 7, aux >>> 3) ^ neg) - neg)) & imm;
                        continue;
                    }
                    case Uop.CSEL: {
                        long v = x[rm];
                        x[d] = (v ^ (x[rn] ^ v) & Alu.when(aux, cpu.nzcv)) & imm;
                        continue;
                    }
                    case Uop.CSINC: {
                        long v = x[rm] + 1;
                        x[d] = (v ^ (x[rn] ^ v) & Alu.when(aux, cpu.nzcv)) & imm;
                        continue;
                    }
                    case Uop.CSINV: {
                        long v = ~x[rm];
                        x[d] = (v ^ (x[rn] ^ v) & Alu.when(aux, cpu.nzcv)) & imm;
                        continue;
                    }
                    case Uop.CSNEG: {
                        long v = -x[rm];
                        x[d] = (v ^ (x[rn] ^ v) & Alu.when(aux, cpu.nzcv)) & imm;
                        continue;
                    }
                    case Uop.CCMPI: {
                        // d = the NZCV if the condition fails, imm = operand, m = sf; 32 bits compare
                        // as 64 with the operands in the top half
                        int sh = (1 - rm) << 5;
                        int cin = c >>> Uop.CARRY & 1;
                        int f = Alu.addFlagsHigh(x[rn] << sh, imm << sh, (long) cin << sh);
                        int w = (int) Alu.when(aux, cpu.nzcv);
                        cpu.nzcv = d ^ (f ^ d) & w;
                        continue;
                    }
                    case Uop.CCMPR: { // as CCMPI, with imm = sf
                        int sh = (1 - (int) imm) << 5;
                        int cin = c >>> Uop.CARRY & 1;
                        int f = Alu.addFlagsHigh(x[rn] << sh, (x[rm] ^ -cin) << sh, (long) cin << sh);
                        int w = (int) Alu.when(aux, cpu.nzcv);
                        cpu.nzcv = d ^ (f ^ d) & w;
                        continue;
                    }
                    case Uop.MOVK: { // carry = 32-bit
                        long r = (x[d] & ~(0xFFFFL << aux)) | imm;
                        x[d] = r & -1L >>> ((c >>> Uop.CARRY & 1) << 5);
                        continue;
                    }
                    case Uop.NOP:
                        continue;
                    // Branches end the block, so they only set its successor. Guest branches stay host
                    // branches: predicted, they let the next block's lookup start early, and every
                    // kind shares each one, so both ways show up soon.
                    case Uop.BCOND:
                        if (Alu.condHolds(aux, cpu.nzcv)) {
                            next = imm;
                        }
                        continue;
                    case Uop.CBZ64:
                        if (x[rn] == 0) {
                            next = imm;
                        }
                        continue;
                    case Uop.CBNZ64:
                        if (x[rn] != 0) {
                            next = imm;
                        }
                        continue;
                    case Uop.CBZ32:
                        if ((int) x[rn] == 0) {
                            next = imm;
                        }
                        continue;
                    case Uop.CBNZ32:
                        if ((int) x[rn] != 0) {
                            next = imm;
                        }
                        continue;
                    case Uop.TBZ:
                        if ((x[rn] >>> aux & 1) == 0) {
                            next = imm;
                        }
                        continue;
                    case Uop.TBNZ:
                        if ((x[rn] >>> aux & 1) != 0) {
                            next = imm;
                        }
                        continue;
                    case Uop.BRANCH:
                        next = imm;
                        continue;
                    case Uop.BL:
                        x[30] = start + 4L * i + 4;
                        next = imm;
                        continue;
                    case Uop.RET:
                        next = x[rn];
                        continue;
                    case Uop.BLR: {
                        long t = x[rn];
                        x[30] = start + 4L * i + 4;
                        next = t;
                        continue;
                    }
                    case Uop.LDST_OFF: case Uop.LDST_SP: case Uop.LDST_PRE: case Uop.LDST_POST: case Uop.LDST_REG:
                        loadStore(c, imm);
                        continue;
                    default:
                        // General path, out of line. It may read the clock (MRS CNTVCT): retire what precedes it first.
                        long r = slow(b, i, start + 4L * i, base + i);
                        next = r ^ (r ^ next) & (i - n + 1) >> 31; // the last one's successor; one before goes on in sequence
                        continue;
                }
            }
        } catch (GuestFault f) {
            faultInBlock(b, base + i, i, el, b.pc + 4L * i, f);
            return;
        }
        cpu.retired = base + n;
        cpu.pc = next;
        if (whole) {
            Events e = events;
            e.branches += b.branches;
            e.loads += b.loads;
            e.stores += b.stores;
        } else {
            count(b, n);
        }
        if (observer != null) {
            observer.retired(b, n, el, next);
        }
    }

    /**
     * A load or store uop ({@link Uop#LDST_OFF} and its kin): the address, one access (two for a
     * pair), then the writeback. Out of line on purpose: the memory path it inlines is large, and
     * kept apart it neither slows HotSpot's compiles of {@link #interpret} nor sends them back to
     * the start when a path in it turns up for the first time. Two switches and no other branch on
     * the uop's fields (so few such paths): the address form, then the access shape, each with a
     * constant size (the memory's own switch on the size folds away).
     */
    /** Where a fused compare's closing B.cond (uop {@code bc}, target {@code target}) goes on flags {@code f}. */
    private static long closingBranch(int bc, long target, int f, long fallThrough) {
        if (Alu.condHolds(bc >>> Uop.AUX, f)) {
            return target;
        }
        return fallThrough;
    }

    private void loadStore(int c, long imm) {
        final long[] x = this.x;
        final int d = c >>> Uop.D & 63, rn = c >>> Uop.N & 63, rm = c >>> Uop.M & 63;
        final int aux = c >>> Uop.AUX;
        long addr;
        long wb; // the base register's value after the access: unchanged but for PRE/POST
        switch (c & Uop.KIND_MASK) {
            case Uop.LDST_OFF -> { // base never SP
                wb = x[rn];
                addr = wb + imm;
            }
            case Uop.LDST_SP -> {
                wb = sp();
                addr = wb + imm;
            }
            case Uop.LDST_PRE -> {
                addr = base(rn) + imm;
                wb = addr;
            }
            case Uop.LDST_POST -> {
                addr = base(rn);
                wb = addr + imm;
            }
            default -> { // REG
                wb = base(rn);
                addr = wb + Alu.extend(x[rm], (int) imm & 7, (int) (imm >>> 8));
            }
        }
        // the X-destination bit matters to sign-extending loads only
        switch (aux & ~(Uop.MEM_SF & ~(aux << 1))) {
            case 0 -> loaded(d, rn, wb, Lsu.read(cpu, mem, addr, 0, false));
            case 1 -> loaded(d, rn, wb, Lsu.read(cpu, mem, addr, 1, false));
            case 2 -> loaded(d, rn, wb, Lsu.read(cpu, mem, addr, 2, false));
            case 3 -> loaded(d, rn, wb, Lsu.read(cpu, mem, addr, 3, false));
            case Uop.MEM_SIGNED -> loaded(d, rn, wb, (byte) Lsu.read(cpu, mem, addr, 0, false) & Alu.MASK32);
            case Uop.MEM_SIGNED | 1 -> loaded(d, rn, wb, (short) Lsu.read(cpu, mem, addr, 1, false) & Alu.MASK32);
            case Uop.MEM_SIGNED | Uop.MEM_SF -> loaded(d, rn, wb, (byte) Lsu.read(cpu, mem, addr, 0, false));
            case Uop.MEM_SIGNED | Uop.MEM_SF | 1 -> loaded(d, rn, wb, (short) Lsu.read(cpu, mem, addr, 1, false));
            case Uop.MEM_SIGNED | Uop.MEM_SF | 2 -> loaded(d, rn, wb, (int) Lsu.read(cpu, mem, addr, 2, false));
            case Uop.MEM_STORE -> stored(rn, wb, addr, 0, x[d]);
            case Uop.MEM_STORE | 1 -> stored(rn, wb, addr, 1, x[d]);
            case Uop.MEM_STORE | 2 -> stored(rn, wb, addr, 2, x[d]);
            case Uop.MEM_STORE | 3 -> stored(rn, wb, addr, 3, x[d]);
            case Uop.MEM_PAIR | 2 -> { // LDP W (LDPSW is not a uop)
                long both = Lsu.readPair32(cpu, mem, addr);
                x[rn] = wb;
                x[d] = both & Alu.MASK32;
                x[rm] = both >>> 32;
            }
            case Uop.MEM_PAIR | 3 -> {
                long v = Lsu.readPair64(cpu, mem, addr);
                long v2 = cpu.data.second;
                x[rn] = wb;
                x[d] = v;
                x[rm] = v2;
            }
            case Uop.MEM_PAIR | Uop.MEM_STORE | 2 -> {
                Lsu.writePair32(cpu, mem, addr, x[d], x[rm]);
                x[rn] = wb;
            }
            case Uop.MEM_PAIR | Uop.MEM_STORE | 3 -> {
                Lsu.writePair64(cpu, mem, addr, x[d], x[rm]);
                x[rn] = wb;
            }
            default -> throw new IllegalStateException("load/store uop shape " + aux);
        }
    }

    /** A load's base writeback (before the loaded value, which wins if they are the same register). */
    private void loaded(int d, int rn, long wb, long v) {
        x[rn] = wb;
        x[d] = v;
    }

    private void stored(int rn, long wb, long addr, int size, long v) {
        Lsu.write(cpu, mem, addr, size, v, false);
        x[rn] = wb;
    }

    /** A load/store base register: SP (checked) for 31. */
    private long base(int rn) {
        return rn == 31 ? sp() : x[rn];
    }

    /** SP as a load/store base: 16-byte aligned when SCTLR_EL1.SA/SA0 say so. */
    private long sp() {
        long b = x[31];
        Lsu.checkSp(cpu, b);
        return b;
    }

    private CompiledBlock compile(Block b) {
        CompiledBlock cb = compiler.compile(b, this::peekBlock);
        if (cb == null) {
            b.heat = -1; // never again: the interpreter keeps this block
        } else {
            b.compiledPrefix = cb.prefixOnly();
            b.compiledRegion = cb.region();
            b.compiledGraph = cb.graph();
            b.compiledPlain = !b.compiledPrefix && !b.compiledRegion && !b.compiledGraph;
            if (hotThreshold == Integer.MAX_VALUE) {
                b.hot = -1; // no second tier: nothing to count
            }
            cache.watchCode(b); // a unit's code may reach past b's own
        }
        b.compiled = cb;
        return cb;
    }

    /** The second tier for {@code b} (asked once): swapped in when the compiler gives one, else {@code cb} stays. */
    private CompiledBlock compileHot(Block b, CompiledBlock cb) {
        b.hot = -1;
        if (b.compiledGraph || b.compiledRegion) {
            return cb;
        }
        settleRuns(); // the blocks' profiles (Block.profFall, profOther) up to date for the selection
        CompiledBlock hot = compiler.compileHot(b, this::peekBlock);
        if (hot == null) {
            return cb;
        }
        b.compiledPrefix = hot.prefixOnly();
        b.compiledRegion = hot.region();
        b.compiledGraph = hot.graph();
        b.compiledPlain = !b.compiledPrefix && !b.compiledRegion && !b.compiledGraph;
        cache.watchCode(b);
        b.compiled = hot;
        return hot;
    }

    /** Units entered straight from the unit before ({@link #runCompiled}), for tests and statistics. */
    private long chained;

    /** How many compiled units were entered straight from the unit before, without the run loop's full checks. */
    public long chainedEntries() {
        return chained;
    }

    /** Most units {@link #runCompiled} runs in a row before the slice loop looks again. */
    private static final int CHAIN_BLOCKS = 256;

    /**
     * Runs {@code b}'s unit, then, as long as the loop above would do nothing at a block boundary but
     * find the next block and call its unit, the next block's unit, and so on: the same calls, the
     * same accounting, without the loop's rarer checks. It hands back to the loop at anything else
     * (a fault, a checkpoint, an interrupt, a block not compiled or not cached, a TLB miss).
     */
    private void runCompiled(Block b, CompiledBlock cb, long limit) {
        if (b.compiledRegion) {
            runRegion(b, cb, limit - cpu.retired);
            return;
        }
        if (b.compiledPrefix) {
            runUnit(b, cb, limit);
            return;
        }
        for (int n = CHAIN_BLOCKS; (b.compiledGraph ? runGraph(cb, b, limit - cpu.retired) : runUnit(b, cb, limit))
                && --n > 0; ) {
            b = nextUnit(b, cpu.pc, limit);
            if (b == null) {
                return;
            }
            cb = b.compiled;
        }
    }

    /**
     * The block at {@code pc}, where {@code from} went on to, when the loop above would at this block
     * boundary do nothing but find it and run its (plain) unit; else null. Counts the entry towards
     * the second tier. The block comes from {@code from}'s successor links while no code has been
     * invalidated since they were set (a block the cache has since replaced in its slot is the same
     * code, still dropped on a write to it), else from the cache.
     */
    private Block nextUnit(Block from, long pc, long limit) {
        // the loop's checks at a block boundary, all of which must find nothing to do
        if (interruptRequested || cpu.retired >= checkpoint || interruptLines != 0 || stop != null
                || cpu.sys.debugArmed || cpu.illegalState) {
            return null;
        }
        // small enough for HotSpot to inline into the chain: the rarer cases are methods of their own
        long gen = cache.invalidations();
        Block nb = from.succ0;
        if (from.succGen != gen || nb == null || nb.pc != pc) {
            nb = from.succ1;
            if (from.succGen != gen || nb == null || nb.pc != pc) {
                nb = newSuccessor(from, pc, gen);
                if (nb == null) {
                    return null;
                }
            }
        }
        if (cpu.tlb != null && !tlbHit(nb, pc)) {
            return null; // MMU on: a TLB hit only (a walk is the loop's business)
        }
        if (!(nb.compiledPlain || nb.compiledGraph) || limit - cpu.retired < nb.len
                || (nb.hot >= 0 && !countHot(nb))) {
            return null; // the loop compiles, counts towards the second tier, or runs it otherwise
        }
        chained++;
        return nb;
    }

    /** {@link #nextUnit}: the block at {@code pc} from the cache, made {@code from}'s latest successor link; null if not cached. */
    private Block newSuccessor(Block from, long pc, long gen) {
        Block nb = cache.get(pc);
        if (nb == null || (pc & 3) != 0) {
            return null;
        }
        if (from.succGen != gen) {
            from.succGen = gen;
            from.succ1 = null;
        } else {
            from.succ1 = from.succ0;
        }
        from.succ0 = nb;
        return nb;
    }

    /** {@link #nextUnit} with the MMU on: whether {@code pc} hits the TLB at {@code nb}'s physical address. */
    private boolean tlbHit(Block nb, long pc) {
        Mmu.Tlb t = cpu.tlb;
        int i = (int) (pc >>> 12) & Mmu.TLB_MASK;
        return t.exec[i] == pc >>> 12 && nb.pa == pc + t.addend[i];
    }

    /** {@link #nextUnit}: counts an entry of {@code nb} towards the second tier; false when the loop must ask for it. */
    private boolean countHot(Block nb) {
        if (nb.hot >= hotThreshold - 1) {
            return false;
        }
        nb.hot++;
        return true;
    }

    /** Passes of {@code b}'s unit per call: the budget's {@code remaining} and the checkpoint allow no more. */
    private long passes(Block b, long remaining) {
        int len = b.len;
        long toCheckpoint = checkpoint - cpu.retired; // > 0 here
        long max = MAX_PASSES;
        if (remaining < MAX_PASSES * len || toCheckpoint < MAX_PASSES * len) { // rare: no divisions per block
            max = Math.min(remaining / len, MAX_PASSES);
            max = Math.min(max, toCheckpoint / len + (toCheckpoint % len != 0 ? 1 : 0));
        }
        return max;
    }

    /**
     * Runs a block's unit for as many whole executions of {@code b} as the budget (ending at retired
     * count {@code limit}) allows, stopping at the first block boundary at or past the checkpoint, as
     * the loop above would. Returns false when it stopped at a fault.
     */
    private boolean runUnit(Block b, CompiledBlock cb, long limit) {
        final int el = cpu.el;
        JitFrame f = jitFrame;
        f.fault = null;
        long base = cpu.retired;
        long k = cb.run(cpu, b, f, passes(b, limit - base));
        if (f.fault != null || b.compiledPrefix) {
            unitEnded(b, f, base, k, el); // out of line: keeps this method small enough to inline into the chain
            return false;
        }
        long next = f.nextPc;
        if (k == 1 && b.runsListed && el == runsEl) { // deferRuns' usual case, inline
            if (next == b.pc + 4L * b.len) {
                b.runsFall++;
            } else if (next == b.runsOtherNext) { // (stale when runsOther is 0, but then it is right to set)
                b.runsOther++;
            } else {
                deferOther(b, 1, next);
            }
        } else {
            deferRuns(b, k, el, next);
        }
        cpu.retired = base + k * b.len;
        cpu.pc = next;
        return true;
    }

    /** {@link #runUnit}: the unit stopped at a fault after {@code k} whole passes, or ran a prefix unit's block. */
    private void unitEnded(Block b, JitFrame f, long base, long k, int el) {
        GuestFault fault = f.fault;
        if (fault == null) {
            finishPrefix(b, base, el);
            return;
        }
        f.fault = null;
        retired(b, k, el, b.pc);
        int i = f.faultIndex;
        faultInBlock(b, base + k * b.len + i, i, el, b.pc + 4L * i, fault);
    }

    /** A unit's {@code k} whole passes of {@code b}, each but the last back to its start, the last on to {@code nextPc}: events and observer. */
    private void retired(Block b, long k, int el, long nextPc) {
        Events e = events;
        e.branches += k * b.branches;
        e.loads += k * b.loads;
        e.stores += k * b.stores;
        if (observer != null) {
            if (k > 1) {
                observer.retiredLoop(b, k - 1, el); // each pass but the last looped back to the start
            }
            if (k > 0) {
                observer.retired(b, b.len, el, nextPc);
            }
        }
    }

    /**
     * Runs a region unit: a chain of blocks linked by the fall-through after their MRS/MSR. The unit
     * does the block accounting itself at every block boundary ({@link #regionNext}) and runs each
     * MRS/MSR through {@link #regionAccess}, so the observer sees exactly the interpreter's calls.
     */
    private void runRegion(Block b, CompiledBlock cb, long remaining) {
        JitFrame f = jitFrame;
        f.fault = null;
        regionStart = cpu.retired;
        regionLimit = cpu.retired + remaining;
        regionEl = cpu.el;
        regionHead = b;
        regionEpoch = cpu.mmu.epoch();
        cb.run(cpu, b, f, MAX_PASSES);
        regionHead = null;
        if (f.fault != null) {
            unitFault(f, regionStart, regionEl);
            return;
        }
        cpu.retired = regionStart;
        cpu.pc = f.nextPc;
    }

    /** A region or graph unit stopped at a fault in {@code f.faultBlock}, which started at retired count {@code start}. */
    private void unitFault(JitFrame f, long start, int el) {
        GuestFault fault = f.fault;
        Block fb = f.faultBlock;
        int i = f.faultIndex;
        f.fault = null;
        f.faultBlock = null;
        faultInBlock(fb, start + i, i, el, fb.pc + 4L * i, fault);
    }

    /** The EL a graph unit runs at (its edges are reported at exit). */
    private int graphEl;

    /**
     * Runs a graph unit from {@code b} with the budget ending at {@code remaining} more instructions;
     * the unit reports its edges ({@link #graphEdge}) and stops where this loop would look.
     */
    private boolean runGraph(CompiledBlock cb, Block b, long remaining) {
        JitFrame f = jitFrame;
        f.fault = null;
        int el = cpu.el;
        graphEl = el;
        if (el != runsEl) { // the tallies hold one EL, as the list does
            settleRuns();
            runsEl = el;
        }
        long r = cb.run(cpu, b, f, cpu.retired + remaining);
        if (f.fault != null) {
            unitFault(f, r, el);
            return false;
        }
        cpu.retired = r;
        cpu.pc = f.nextPc;
        return true;
    }

    /** A graph unit's edge: {@code b} retired whole {@code times} times, each on to {@code nextPc} (reported at the next {@link #settleRuns}). */
    void graphEdge(Block b, long times, long nextPc) {
        list(b, graphEl);
        deferTo(b, times, nextPc);
    }

    /** Before the MRS/MSR ending {@code b}: it is the executing block, everything before it retired. */
    void regionBeforeAccess(Block b) {
        current = b;
        cpu.retired = regionStart + b.insns.length - 1;
    }

    /** The MRS/MSR ending {@code b}, with everything before it retired: what {@link #slow} does for it. */
    void regionAccess(Block b) {
        int last = b.insns.length - 1;
        current = b;
        cpu.retired = regionStart + last;
        Insn in = b.insns[last];
        if (in.op() == Op.MRS) {
            sys.mrs(in, b.sysReg);
        } else {
            sys.msr(in, b.sysReg);
        }
    }

    /** {@code done} retired whole (next PC {@code nextPc}); whether the unit may run {@code next} as the loop would. */
    boolean regionNext(Block done, long nextPc, Block next) {
        long r = regionStart + done.insns.length;
        regionStart = r;
        cpu.retired = r;
        if ((done.branches | done.loads | done.stores) != 0) { // most chain blocks end at an MRS/MSR: none
            Events e = events;
            e.branches += done.branches;
            e.loads += done.loads;
            e.stores += done.stores;
        }
        if (observer != null) {
            observer.retired(done, done.insns.length, regionEl, nextPc);
        }
        return next != null && r < checkpoint && regionLimit - r >= next.insns.length && !regionHead.stale
                && !interruptRequested && cpu.mmu.epoch() == regionEpoch
                && !cpu.sys.debugArmed; // an MSR armed guest debug: one instruction at a time from here
    }

    /**
     * A steady region loop ({@code chain}: blocks ending in its MRSs, then one that branches back) right
     * after the last MRS of a pass: how many further whole passes it may run with their accounting
     * deferred to {@link #regionSettle} — every block boundary of them would pass {@link #regionNext}'s
     * checks (checkpoint, budget; nothing in such passes changes the others) and the observer says
     * each MRS reads {@code step[0]} more each pass. 0: run them one by one.
     */
    long regionSteady(Block[] chain, long[] step) {
        RunObserver o = observer;
        if (o == null || regionHead.stale || interruptRequested || cpu.mmu.epoch() != regionEpoch || cpu.sys.debugArmed) {
            return 0;
        }
        int n = chain.length;
        long len = 0;
        long start = regionStart; // this pass's start: regionStart is that of its block n - 2
        for (int j = 0; j < n; j++) {
            len += chain[j].insns.length;
            start -= j < n - 2 ? chain[j].insns.length : 0;
        }
        // batched pass q starts at start + (q + 1) * len; its last boundary, at the start of the pass
        // after it, must leave room in the budget for the head block. The checkpoint is the observer's
        // (planned for unknown code): its steadyPasses bounds the passes by what the checkpoint is for.
        long room = regionLimit - chain[0].insns.length - start;
        long passes = room / len - 1;
        if (passes <= 0) {
            return 0;
        }
        return Math.min(passes, o.steadyPasses(chain, regionEl, step));
    }

    /**
     * The accounting of {@code passes} whole passes of a steady loop's {@code chain} (see
     * {@link #regionSteady}), then of the first {@code blocks} blocks of the pass in progress: what
     * {@link #regionNext} would have done at each of their boundaries.
     */
    void regionSettle(Block[] chain, long passes, int blocks) {
        int n = chain.length;
        if (passes > 0) {
            RunObserver o = observer;
            Events e = events;
            for (int j = 0; j < n; j++) {
                Block b = chain[j];
                e.branches += passes * b.branches;
                e.loads += passes * b.loads;
                e.stores += passes * b.stores;
                regionStart += passes * b.insns.length;
                if (o != null) {
                    o.retiredTimes(b, passes, regionEl, chain[(j + 1) % n].pc);
                }
            }
        }
        for (int j = 0; j < blocks; j++) {
            regionNext(chain[j], chain[j + 1].pc, null);
        }
        cpu.retired = regionStart;
    }

    /**
     * The block at {@code pc} for the JIT to chain into a region: the cached one, else decoded
     * without caching it (nothing about the guest changes until the interpreter reaches it); null
     * when its first word cannot be fetched.
     */
    private Block peekBlock(long pc) {
        long pa = cpu.tlb == null ? pc : fetchPa(pc);
        if (pa == Mmu.FAULT) {
            return null;
        }
        Block b = cache.get(pc);
        return b != null && b.pa == pa ? b : decodeBlock(pc, pa, false);
    }

    /** After a prefix unit: the block's last instruction through the general path, then the block's accounting. */
    private void finishPrefix(Block b, long base, int el) {
        int last = b.length() - 1;
        long pc = b.pc + 4L * last;
        long next;
        try {
            next = slow(b, last, pc, base + last);
        } catch (GuestFault g) {
            faultInBlock(b, base + last, last, el, pc, g);
            return;
        }
        cpu.retired = base + last + 1;
        cpu.pc = next;
        Events e = events;
        e.branches += b.branches;
        e.loads += b.loads;
        e.stores += b.stores;
        if (observer != null) {
            observer.retired(b, last + 1, el, next);
        }
    }

    /** Decodes and caches the block at {@code pc}; null when the first word cannot be fetched or translated. */
    Block build(long pc) {
        long pa = cpu.tlb == null ? pc : fetchPa(pc);
        return pa == Mmu.FAULT ? null : decodeBlock(pc, pa, true);
    }

    /**
     * MMU on: the PA of an instruction fetch at {@code va} at the current EL (the TLB's execute tag,
     * else a walk), or {@link Mmu#FAULT} with the code in {@code cpu.mmu.lastFault}.
     */
    private long fetchPa(long va) {
        Mmu.Tlb t = cpu.tlb;
        int i = (int) (va >>> 12) & Mmu.TLB_MASK;
        if (t.exec[i] == va >>> 12) {
            return va + t.addend[i];
        }
        return cpu.mmu.translate(va, cpu.el, Walker.EXEC);
    }

    /** An instruction abort at {@code pc} (translation fault or nothing to fetch there). */
    private void fetchAbort(long pc, int fsc) {
        takeSync(pc, GuestFault.instructionAbort(cpu, fsc, pc));
    }

    /** The IFSC for a first word that could not be fetched from its (translated) address. */
    private int fetchFault(long pc) {
        return cpu.tlb == null && Lsu.beyondPa(cpu, pc) ? Syndrome.FSC_ADDRESS_SIZE_L0 : Syndrome.FSC_SYNC_EXTERNAL;
    }

    /**
     * Decodes the block at {@code pc}, whose first instruction is at physical {@code pa} (the block
     * stays in one 4 KiB page, so the rest follows it); {@code cacheIt}: cache it and report an
     * unknown system register.
     */
    private Block decodeBlock(long pc, long pa, boolean cacheIt) {
        List<Insn> list = new ArrayList<>();
        long a = pc;
        SysReg desc = null;
        while (list.size() < MAX_BLOCK) {
            int word;
            try {
                word = mem.fetch(pa + (a - pc));
            } catch (BusFault f) {
                break;
            }
            Insn in = decoder.apply(word);
            list.add(in);
            a += 4;
            if ((endsBlock(in.op()) && !isCacheMaintenance(in)) || isEventHint(in)) {
                if (in.op() == Op.MRS || in.op() == Op.MSR_REG) {
                    desc = cpu.sysRegs.lookup((int) in.imm());
                    if (desc == null && cacheIt) {
                        cpu.sysRegs.reportUnknown((int) in.imm());
                    }
                }
                break;
            }
            if ((a & 0xFFF) == 0 || (!breakpoints.isEmpty() && breakpoints.contains(a))) {
                break;
            }
        }
        if (list.isEmpty()) {
            return null;
        }
        Block b = new Block(pc, list.toArray(new Insn[0]), desc);
        b.pa = pa;
        b.codeLo = pa;
        b.codeHi = pa + 4L * b.length();
        if (cacheIt) {
            cache.put(b);
        }
        return b;
    }

    private long slow(Block b, int i, long pc, long retiredBefore) {
        current = b;
        cpu.retired = retiredBefore;
        return exec(b.insns[i], pc);
    }

    /**
     * Installs (or with null removes) a debugger hook; while installed every instruction goes
     * through {@link #runDebug}. Call only while the interpreter is not running.
     */
    public void setDebugHook(DebugHook hook) {
        debugHook = hook;
    }

    /**
     * Debugger path: one instruction at a time through the general path, asking the hook about
     * each instruction's data accesses (before it executes) and system-register accesses (after).
     * A hook that answers true ends the run with {@link Stop.Kind#DEBUG}.
     */
    private void runDebug(Block b, int n) {
        current = b;
        final DebugHook hook = debugHook;
        final long base = cpu.retired;
        final int el = cpu.el;
        long pc = b.pc;
        int i = 0;
        try {
            for (; i < n; i++) {
                Insn in = b.insns[i];
                Op op = in.op();
                boolean ld = loads(op), st = stores(op);
                long addr = 0;
                int size = 0;
                if (ld || st) {
                    try {
                        addr = Lsu.address(cpu, in, pc);
                        size = 1 << in.size();
                        if (op == Op.LDP || op == Op.STP || op == Op.LDXP || op == Op.STXP || op == Op.CASP) {
                            size *= 2;
                        }
                    } catch (GuestFault f) {
                        ld = st = false; // the instruction itself will fault; no access happens
                    }
                }
                cpu.retired = base + i;
                // Watchpoints stop before the access, as hardware does (gdb then steps over it).
                boolean hit = ld && hook.dataAccess(pc, addr, size, false);
                hit |= st && hook.dataAccess(pc, addr, size, true);
                if (hit) {
                    cpu.pc = pc;
                    count(b, i);
                    if (observer != null) {
                        observer.retired(b, i, el, pc);
                    }
                    stop = Stop.debug(pc);
                    return;
                }
                hook.beforeInstruction(pc, in);
                long next = exec(in, pc);
                if ((op == Op.MRS || op == Op.MSR_REG) && i == b.insns.length - 1 && b.sysReg != null) {
                    hit = hook.sysRegAccess(pc, b.sysReg, op == Op.MSR_REG);
                }
                pc = next;
                if (hit && stop == null) {
                    i++;
                    retiredInBlock(b, base + i, i, el, pc);
                    stop = Stop.debug(pc);
                    return;
                }
            }
        } catch (GuestFault f) {
            faultInBlock(b, base + i, i, el, b.pc + 4L * i, f);
            return;
        }
        retiredInBlock(b, base + n, n, el, pc);
    }

    /**
     * Guest self-hosted debug armed: the first instruction of {@code b} only, checking its hardware
     * breakpoint (before it executes), its watchpoints (before the access) and advancing the software
     * step state machine (PSTATE.SS cleared once it retires; the loop then takes the step exception).
     */
    private void runGuestDebug(Block b) {
        current = b;
        final long base = cpu.retired;
        final int el = cpu.el;
        final long pc = b.pc;
        final boolean lower = el == 0;
        if (SelfHostedDebug.breakpointHit(cpu, pc)) {
            takeSync(pc, GuestFault.of(SelfHostedDebug.breakpointSyndrome(lower)));
            return;
        }
        Insn in = b.insns[0];
        Op op = in.op();
        boolean ld = loads(op), st = stores(op);
        final DebugHook hook = debugHook; // gdb's watchpoints and catches still apply
        if (ld || st) {
            long addr;
            int size;
            try {
                addr = Lsu.address(cpu, in, pc);
                size = 1 << in.size();
                if (op == Op.LDP || op == Op.STP || op == Op.LDXP || op == Op.STXP || op == Op.CASP) {
                    size *= 2;
                }
            } catch (GuestFault f) {
                ld = st = false; // the instruction itself faults below
                addr = 0;
                size = 0;
            }
            for (int w = 0; w < 2; w++) { // a read-modify-write reports its read first
                boolean write = w == 1;
                if ((write ? st : ld) && SelfHostedDebug.watchpointHit(cpu, addr, size, write)) {
                    cpu.retired = base;
                    takeSync(pc, new GuestFault(SelfHostedDebug.watchpointSyndrome(lower, write), true,
                            SelfHostedDebug.watchpointFar(cpu, addr, size, write)));
                    return;
                }
            }
            if (hook != null) {
                cpu.retired = base;
                boolean hit = ld && hook.dataAccess(pc, addr, size, false);
                hit |= st && hook.dataAccess(pc, addr, size, true);
                if (hit) {
                    cpu.pc = pc;
                    stop = Stop.debug(pc);
                    return;
                }
            }
        }
        if (hook != null) {
            hook.beforeInstruction(pc, in);
        }
        boolean stepping = cpu.ss && SelfHostedDebug.stepActive(cpu);
        boolean generates = op == Op.SVC || op == Op.HVC || op == Op.SMC;
        if (stepping && generates) {
            cpu.ss = false; // the exception-generating instruction completes: SPSR.SS = 0
        }
        long next;
        try {
            cpu.retired = base;
            next = exec(in, pc);
        } catch (GuestFault f) {
            faultInBlock(b, base, 0, el, pc, f); // not stepped: SPSR.SS keeps 1, the return retries it
            return;
        }
        if (stepping && !generates && op != Op.ERET) {
            cpu.ss = false;
            cpu.stepIsv = true;
            cpu.stepEx = op == Op.LDXR || op == Op.LDXP;
        }
        retiredInBlock(b, base + 1, 1, el, next);
        if (hook != null && (op == Op.MRS || op == Op.MSR_REG) && b.insns.length == 1 && b.sysReg != null
                && hook.sysRegAccess(pc, b.sysReg, op == Op.MSR_REG) && stop == null) {
            stop = Stop.debug(next);
        }
    }

    /** --trace: one instruction at a time through the general path, printing each first. */
    private void runTraced(Block b, int n, boolean whole) {
        current = b;
        final long base = cpu.retired;
        final int el = cpu.el;
        long pc = b.pc;
        int i = 0;
        try {
            for (; i < n; i++) {
                Insn in = b.insns[i];
                trace(in, pc);
                cpu.retired = base + i;
                pc = exec(in, pc);
            }
        } catch (GuestFault f) {
            faultInBlock(b, base + i, i, el, b.pc + 4L * i, f);
            return;
        }
        retiredInBlock(b, base + n, n, el, pc);
    }

    /** Instruction {@code i} of {@code b} faulted: the ones before it retired; deliver the exception. */
    private void faultInBlock(Block b, long retired, int i, int el, long faultPc, GuestFault f) {
        cpu.retired = retired;
        count(b, i);
        if (observer != null) {
            observer.retired(b, i, el, -1);
        }
        takeSync(faultPc, f);
    }

    /** The first {@code n} instructions of {@code b} retired (slow paths); execution goes on at {@code pc}. */
    private void retiredInBlock(Block b, long retired, int n, int el, long pc) {
        cpu.retired = retired;
        cpu.pc = pc;
        count(b, n);
        if (observer != null) {
            observer.retired(b, n, el, pc);
        }
    }

    /** Slow path: add the events of the first {@code n} instructions of {@code b}. */
    private void count(Block b, int n) {
        for (int k = 0; k < n; k++) {
            Op op = b.insns[k].op();
            events.branches += isBranch(op) ? 1 : 0;
            events.loads += loads(op) ? 1 : 0;
            events.stores += stores(op) ? 1 : 0;
        }
    }

    private void trace(Insn in, long pc) {
        trace.printf("%016x: %08x  %s%n", pc, in.word(), Disassembler.format(in, pc));
    }

    /** Delivers a synchronous exception with the given preferred return address, or stops if no vector is installed. */
    private long takeSync(long preferredReturn, GuestFault f) {
        events.exceptions++;
        if (cpu.retired == retiredAtLastEntry && ++entriesWithoutProgress >= STUCK_ENTRIES) {
            entriesWithoutProgress = 0;
            stop = Stop.exceptionLoop(preferredReturn, f.esr & 0xFFFFFFFFL, f.farValid ? f.far : 0, fetchOrZero(preferredReturn));
            cpu.pc = preferredReturn;
            return preferredReturn;
        }
        if (cpu.retired != retiredAtLastEntry) {
            entriesWithoutProgress = 0;
        }
        retiredAtLastEntry = cpu.retired;
        if (cpu.sys.vbar == 0) {
            int word = 0;
            try {
                word = mem.fetch(debugPa(preferredReturn));
            } catch (BusFault ignored) {
                // the instruction itself could not be fetched; report word 0
            }
            stop = Stop.exception(preferredReturn, f.esr & 0xFFFFFFFFL, f.farValid ? f.far : 0, word);
            cpu.pc = preferredReturn;
            return preferredReturn;
        }
        long vector = cpu.takeException(ExceptionType.SYNC, preferredReturn, f.esr, f.farValid, f.far);
        if (stopAfterException) {
            stop = Stop.budget(vector);
        }
        return vector;
    }

    /**
     * Synchronous exceptions taken in a row with no instruction retiring between them before the run
     * stops as {@link Stop.Kind#EXCEPTION_LOOP}. Two such entries already reach a fixed point (same
     * vector, same syndrome, same registers); a few more make the diagnosis beyond doubt.
     */
    static final int STUCK_ENTRIES = 8;
    private long retiredAtLastEntry = -1;
    private int entriesWithoutProgress;

    private int fetchOrZero(long pc) {
        try {
            return mem.fetch(debugPa(pc));
        } catch (BusFault ignored) {
            return 0; // the instruction itself could not be fetched
        }
    }

    /**
     * The PA of {@code va} under the current translation for a look that must not change anything
     * (no fault, no TLB fill): VA = PA with the MMU off; an address nothing answers at on a fault.
     */
    public long debugPa(long va) {
        if (!cpu.mmu.enabled()) {
            return va;
        }
        dev.a64trap.mem.mmu.Translation t = cpu.mmu.walk(va);
        return t.ok() ? t.pa : -1L;
    }

    /**
     * For a debugger's single step: when on, a run ends right after an exception entry (PC at the
     * vector, nothing of the handler executed) with a {@link Stop.Kind#BUDGET} stop, since the
     * faulting instruction itself does not retire. Call only while the interpreter is not running.
     */
    public void setStopAfterException(boolean on) {
        stopAfterException = on;
    }

    // ---- register access (31 = XZR here; SP-capable operands read x[31] directly)

    private long rz(int n) {
        return n == 31 ? 0 : x[n];
    }

    private void wz(int n, long v) {
        if (n != 31) {
            x[n] = v;
        }
    }

    /** Executes one instruction at {@code pc}; returns the next PC. */
    long exec(Insn in, long pc) {
        final boolean sf = in.sf();
        switch (in.op()) {
            case ADD_IMM -> addSub(in, x[in.rn()], in.imm(), 0, true);
            case SUB_IMM -> addSub(in, x[in.rn()], ~in.imm(), 1, true);
            case ADD_SREG -> addSub(in, rz(in.rn()), Alu.shift(sf, rz(in.rm()), in.shift(), in.amount()), 0, false);
            case SUB_SREG -> addSub(in, rz(in.rn()), ~Alu.shift(sf, rz(in.rm()), in.shift(), in.amount()), 1, false);
            case ADD_EREG -> addSub(in, x[in.rn()], Alu.extend(rz(in.rm()), in.shift(), in.amount()), 0, true);
            case SUB_EREG -> addSub(in, x[in.rn()], ~Alu.extend(rz(in.rm()), in.shift(), in.amount()), 1, true);
            case ADC -> addSub(in, rz(in.rn()), rz(in.rm()), cpu.nzcv >> 1 & 1, false);
            case SBC -> addSub(in, rz(in.rn()), ~rz(in.rm()), cpu.nzcv >> 1 & 1, false);
            case AND_IMM -> logical(in, rz(in.rn()) & in.imm(), true);
            case ORR_IMM -> logical(in, rz(in.rn()) | in.imm(), true);
            case EOR_IMM -> logical(in, rz(in.rn()) ^ in.imm(), true);
            case AND_REG -> logical(in, rz(in.rn()) & shifted(in), false);
            case BIC_REG -> logical(in, rz(in.rn()) & ~shifted(in), false);
            case ORR_REG -> logical(in, rz(in.rn()) | shifted(in), false);
            case ORN_REG -> logical(in, rz(in.rn()) | ~shifted(in), false);
            case EOR_REG -> logical(in, rz(in.rn()) ^ shifted(in), false);
            case EON_REG -> logical(in, rz(in.rn()) ^ ~shifted(in), false);
            case MOVZ -> wz(in.rd(), Alu.width(sf, in.imm() << in.amount()));
            case MOVN -> wz(in.rd(), Alu.width(sf, ~(in.imm() << in.amount())));
            case MOVK -> wz(in.rd(), Alu.width(sf, (rz(in.rd()) & ~(0xFFFFL << in.amount())) | in.imm() << in.amount()));
            case ADR -> wz(in.rd(), pc + in.imm());
            case ADRP -> wz(in.rd(), (pc & ~0xFFFL) + in.imm());
            case SBFM -> wz(in.rd(), Alu.sbfm(sf, rz(in.rn()), (int) in.imm(), in.amount()));
            case UBFM -> wz(in.rd(), Alu.ubfm(sf, rz(in.rn()), (int) in.imm(), in.amount()));
            case BFM -> wz(in.rd(), Alu.bfm(sf, rz(in.rd()), rz(in.rn()), (int) in.imm(), in.amount()));
            case EXTR -> wz(in.rd(), Alu.extr(sf, rz(in.rn()), rz(in.rm()), (int) in.imm()));
            case CCMN_REG, CCMP_REG, CCMN_IMM, CCMP_IMM -> condCompare(in);
            case CSEL, CSINC, CSINV, CSNEG -> condSelect(in);
            case MADD -> wz(in.rd(), Alu.width(sf, rz(in.ra()) + rz(in.rn()) * rz(in.rm())));
            case MSUB -> wz(in.rd(), Alu.width(sf, rz(in.ra()) - rz(in.rn()) * rz(in.rm())));
            case SMADDL -> wz(in.rd(), rz(in.ra()) + (long) (int) rz(in.rn()) * (int) rz(in.rm()));
            case SMSUBL -> wz(in.rd(), rz(in.ra()) - (long) (int) rz(in.rn()) * (int) rz(in.rm()));
            case UMADDL -> wz(in.rd(), rz(in.ra()) + (rz(in.rn()) & Alu.MASK32) * (rz(in.rm()) & Alu.MASK32));
            case UMSUBL -> wz(in.rd(), rz(in.ra()) - (rz(in.rn()) & Alu.MASK32) * (rz(in.rm()) & Alu.MASK32));
            case SMULH -> wz(in.rd(), Math.multiplyHigh(rz(in.rn()), rz(in.rm())));
            case UMULH -> wz(in.rd(), Alu.umulh(rz(in.rn()), rz(in.rm())));
            case UDIV -> wz(in.rd(), Alu.udiv(sf, rz(in.rn()), rz(in.rm())));
            case SDIV -> wz(in.rd(), Alu.sdiv(sf, rz(in.rn()), rz(in.rm())));
            case LSLV -> wz(in.rd(), Alu.shiftVar(sf, rz(in.rn()), Insn.SHIFT_LSL, rz(in.rm())));
            case LSRV -> wz(in.rd(), Alu.shiftVar(sf, rz(in.rn()), Insn.SHIFT_LSR, rz(in.rm())));
            case ASRV -> wz(in.rd(), Alu.shiftVar(sf, rz(in.rn()), Insn.SHIFT_ASR, rz(in.rm())));
            case RORV -> wz(in.rd(), Alu.shiftVar(sf, rz(in.rn()), Insn.SHIFT_ROR, rz(in.rm())));
            case CRC32 -> wz(in.rd(), Alu.crc32(in.has(Insn.FLAG_CRC32C), rz(in.rn()), rz(in.rm()), in.size()));
            case RBIT -> wz(in.rd(), Alu.rbit(sf, rz(in.rn())));
            case REV16 -> wz(in.rd(), Alu.rev16(sf, rz(in.rn())));
            case REV32 -> wz(in.rd(), Alu.rev32(rz(in.rn())));
            case REV -> wz(in.rd(), Alu.rev(sf, rz(in.rn())));
            case CLZ -> wz(in.rd(), Alu.clz(sf, rz(in.rn())));
            case CLS -> wz(in.rd(), Alu.cls(sf, rz(in.rn())));

            case B -> {
                return pc + in.imm();
            }
            case BL -> {
                x[30] = pc + 4;
                return pc + in.imm();
            }
            case B_COND -> {
                return Alu.condHolds(in.cond(), cpu.nzcv) ? pc + in.imm() : pc + 4;
            }
            case CBZ -> {
                return Alu.width(sf, rz(in.rd())) == 0 ? pc + in.imm() : pc + 4;
            }
            case CBNZ -> {
                return Alu.width(sf, rz(in.rd())) != 0 ? pc + in.imm() : pc + 4;
            }
            case TBZ -> {
                return (rz(in.rd()) >>> in.amount() & 1) == 0 ? pc + in.imm() : pc + 4;
            }
            case TBNZ -> {
                return (rz(in.rd()) >>> in.amount() & 1) != 0 ? pc + in.imm() : pc + 4;
            }
            case BR, RET -> {
                return rz(in.rn());
            }
            case BLR -> {
                long target = rz(in.rn());
                x[30] = pc + 4;
                return target;
            }
            case ERET -> {
                if (cpu.el == 0) {
                    throw GuestFault.undefined();
                }
                cpu.exceptionReturn();
                return cpu.pc;
            }

            case LDR, STR, LDP, STP, LDAR, STLR, PRFM -> memory(in, pc);
            case LDXR, STXR, LDXP, STXP -> exclusive(in, pc);
            case LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP, CAS, CASP -> atomic(in, pc);

            case HINT, DSB, DMB, ISB -> {
                // No architectural effect in an in-order model, but for the hints the board decides.
                if (isWfi(in)) {
                    sys.wfi(interruptPending()); // EL0 with SCTLR_EL1.nTWI = 0: trapped
                }
                if (isEventHint(in) && !eventHint((int) in.imm())) {
                    stop = Stop.wfiNoWakeup(pc); // ends its block: the run stops right after it
                }
            }
            case CLREX -> cpu.exclusiveValid = false;
            case MRS -> sys.mrs(in, current.sysReg);
            case MSR_REG -> sys.msr(in, current.sysReg);
            case MSR_IMM -> sys.msrImmediate(in);
            case SYS -> sys.sys(in);
            case SVC -> {
                return takeSvc(in, pc);
            }
            case HVC, SMC, HLT -> {
                return firmware(in, pc);
            }
            case BRK -> throw GuestFault.of(Syndrome.brk((int) in.imm()));
            default -> {
                if (FpSimdOps.handles(in.op())) {
                    return FpSimdOps.exec(cpu, mem, in, pc);
                }
                throw GuestFault.undefined(); // UNDEFINED, SYSL
            }
        }
        return pc + 4;
    }

    private long shifted(Insn in) {
        return Alu.shift(in.sf(), rz(in.rm()), in.shift(), in.amount());
    }

    /** ADD/SUB/ADC/SBC (b already inverted for subtraction); {@code spDest}: rd is SP when flags are not set. */
    private void addSub(Insn in, long a, long b, int carry, boolean spDest) {
        boolean sf = in.sf();
        long r = Alu.width(sf, a + b + carry);
        if (in.setsFlags()) {
            cpu.nzcv = Alu.addFlags(sf, a, b, carry);
            wz(in.rd(), r);
        } else if (spDest) {
            x[in.rd()] = r;
        } else {
            wz(in.rd(), r);
        }
    }

    private void logical(Insn in, long r, boolean spDest) {
        boolean sf = in.sf();
        r = Alu.width(sf, r);
        if (in.setsFlags()) {
            cpu.nzcv = Alu.logicFlags(sf, r);
            wz(in.rd(), r);
        } else if (spDest) {
            x[in.rd()] = r;
        } else {
            wz(in.rd(), r);
        }
    }

    private void condCompare(Insn in) {
        if (!Alu.condHolds(in.cond(), cpu.nzcv)) {
            cpu.nzcv = (int) in.imm() & 0xF;
            return;
        }
        Op op = in.op();
        long a = rz(in.rn());
        long b = op == Op.CCMN_IMM || op == Op.CCMP_IMM ? in.amount() : rz(in.rm());
        boolean sub = op == Op.CCMP_REG || op == Op.CCMP_IMM;
        cpu.nzcv = sub ? Alu.addFlags(in.sf(), a, ~b, 1) : Alu.addFlags(in.sf(), a, b, 0);
    }

    private void condSelect(Insn in) {
        long r;
        if (Alu.condHolds(in.cond(), cpu.nzcv)) {
            r = rz(in.rn());
        } else {
            long m = rz(in.rm());
            r = switch (in.op()) {
                case CSINC -> m + 1;
                case CSINV -> ~m;
                case CSNEG -> -m;
                default -> m;
            };
        }
        wz(in.rd(), Alu.width(in.sf(), r));
    }

    // ---- loads and stores

    private void memory(Insn in, long pc) {
        Op op = in.op();
        if (op == Op.PRFM) {
            return;
        }
        long addr = Lsu.address(cpu, in, pc);
        int size = in.size();
        boolean ordered = op == Op.LDAR || op == Op.STLR;
        switch (op) {
            case LDR, LDAR -> {
                long v = in.has(Insn.FLAG_UNPRIV) ? Lsu.readUnprivileged(cpu, mem, addr, size, false)
                        : Lsu.read(cpu, mem, addr, size, ordered);
                Lsu.writeback(cpu, in, addr);
                wz(in.rd(), loaded(in, v));
            }
            case STR, STLR -> {
                if (in.has(Insn.FLAG_UNPRIV)) {
                    Lsu.writeUnprivileged(cpu, mem, addr, size, rz(in.rd()), false);
                } else {
                    Lsu.write(cpu, mem, addr, size, rz(in.rd()), ordered);
                }
                Lsu.writeback(cpu, in, addr);
            }
            case LDP -> {
                long v1 = Lsu.read(cpu, mem, addr, size, false);
                long v2 = Lsu.read(cpu, mem, addr + (1L << size), size, false);
                Lsu.writeback(cpu, in, addr);
                wz(in.rd(), loaded(in, v1));
                wz(in.ra(), loaded(in, v2));
            }
            default -> { // STP
                long v1 = rz(in.rd());
                long v2 = rz(in.ra());
                Lsu.write(cpu, mem, addr, size, v1, false);
                Lsu.write(cpu, mem, addr + (1L << size), size, v2, false);
                Lsu.writeback(cpu, in, addr);
            }
        }
    }

    /** A loaded value as the destination register receives it (sign extension, W-register zeroing). */
    private static long loaded(Insn in, long v) {
        if (in.has(Insn.FLAG_SIGNED)) {
            return Alu.width(in.sf(), Lsu.signExtend(v, in.size()));
        }
        return v;
    }

    private void exclusive(Insn in, long pc) {
        long addr = Lsu.address(cpu, in, pc);
        int size = in.size();
        int bytes = 1 << size;
        switch (in.op()) {
            case LDXR -> {
                long v = Lsu.read(cpu, mem, addr, size, true);
                cpu.exclusiveValid = true;
                cpu.exclusiveAddress = addr;
                cpu.exclusiveBytes = bytes;
                wz(in.rd(), v);
            }
            case LDXP -> {
                Lsu.requireAligned(cpu, addr, 2 * bytes, false);
                long v1 = Lsu.read(cpu, mem, addr, size, true);
                long v2 = Lsu.read(cpu, mem, addr + bytes, size, true);
                cpu.exclusiveValid = true;
                cpu.exclusiveAddress = addr;
                cpu.exclusiveBytes = 2 * bytes;
                wz(in.rd(), v1);
                wz(in.ra(), v2);
            }
            case STXR -> {
                Lsu.requireAligned(cpu, addr, bytes, true);
                boolean pass = monitorMatches(addr, bytes);
                if (pass) {
                    Lsu.write(cpu, mem, addr, size, rz(in.rd()), true);
                }
                cpu.exclusiveValid = false;
                wz(in.rm(), pass ? 0 : 1);
            }
            default -> { // STXP
                Lsu.requireAligned(cpu, addr, 2 * bytes, true);
                boolean pass = monitorMatches(addr, 2 * bytes);
                if (pass) {
                    Lsu.write(cpu, mem, addr, size, rz(in.rd()), true);
                    Lsu.write(cpu, mem, addr + bytes, size, rz(in.ra()), true);
                }
                cpu.exclusiveValid = false;
                wz(in.rm(), pass ? 0 : 1);
            }
        }
    }

    private boolean monitorMatches(long addr, int bytes) {
        return cpu.exclusiveValid && cpu.exclusiveAddress == addr && cpu.exclusiveBytes == bytes;
    }

    private void atomic(Insn in, long pc) {
        if (!cpu.lse) {
            throw GuestFault.undefined();
        }
        long addr = Lsu.address(cpu, in, pc);
        int size = in.size();
        Op op = in.op();
        if (op == Op.CASP) {
            int bytes = 1 << size;
            Lsu.requireAligned(cpu, addr, 2 * bytes, false);
            long old1 = Lsu.read(cpu, mem, addr, size, true);
            long old2 = Lsu.read(cpu, mem, addr + bytes, size, true);
            int rs = in.rm(), rt = in.rd();
            if (old1 == Lsu.truncate(rz(rs), size) && old2 == Lsu.truncate(rz(rs + 1), size)) {
                Lsu.write(cpu, mem, addr, size, rz(rt), true);
                Lsu.write(cpu, mem, addr + bytes, size, rz(rt + 1), true);
            }
            wz(rs, old1);
            wz(rs + 1, old2);
            return;
        }
        long old = Lsu.read(cpu, mem, addr, size, true);
        if (op == Op.CAS) {
            if (old == Lsu.truncate(rz(in.rm()), size)) {
                Lsu.write(cpu, mem, addr, size, rz(in.rd()), true);
            }
            wz(in.rm(), old);
            return;
        }
        long operand = Lsu.truncate(rz(in.rm()), size);
        Lsu.write(cpu, mem, addr, size, Lsu.atomicResult(op, old, operand, size), true);
        wz(in.rd(), old);
    }

    // ---- exception-generating instructions

    private long takeSvc(Insn in, long pc) {
        if (cpu.sys.vbar == 0) {
            // No vector: report like any other exception, with the SVC itself as the PC.
            throw GuestFault.of(Syndrome.svc((int) in.imm()));
        }
        events.exceptions++;
        return cpu.takeException(ExceptionType.SYNC, pc + 4, Syndrome.svc((int) in.imm()), false, 0);
    }

    private long firmware(Insn in, long pc) {
        if (cpu.el == 0) {
            throw GuestFault.undefined();
        }
        int imm = (int) in.imm();
        int r = switch (in.op()) {
            case HVC -> platform.hvc(cpu, imm);
            case SMC -> platform.smc(cpu, imm);
            default -> imm == 0xF000 ? platform.semihosting(cpu) : Platform.UNDEFINED;
        };
        if (r == Platform.UNDEFINED) {
            throw GuestFault.undefined();
        }
        if (r >= 0) {
            stop = Stop.exit(r, pc);
        }
        return pc + 4;
    }

    // ---- instruction classes

    static boolean endsBlock(Op op) {
        return switch (op) {
            case B, BL, B_COND, CBZ, CBNZ, TBZ, TBNZ, BR, BLR, RET, ERET,
                    SVC, HVC, SMC, BRK, HLT, MRS, MSR_REG, MSR_IMM, SYS, SYSL, ISB, UNDEFINED -> true;
            default -> false;
        };
    }

    /** DC CVAC/CVAU/CVAP/CIVAC and IC IVAU: SYS that does not end a block; compiled as a call to {@link JitFrame#cacheByVa}. */
    public static boolean isCacheMaintenance(Insn in) {
        return SystemOps.inBlock(in);
    }

    /** Compiled code's DC/IC by VA ({@link #isCacheMaintenance}). */
    void cacheByVa(int enc, int rt, long va) {
        sys.cacheByVa(enc, rt, va);
    }

    /** WFI (HINT #3). */
    public static boolean isWfi(Insn in) {
        return in.op() == Op.HINT && in.imm() == 3;
    }

    /**
     * WFE, WFI, SEV and SEVL (HINT #2 to #5): the board decides what they do, so each ends its block
     * and the translator leaves it to the interpreter.
     */
    public static boolean isEventHint(Insn in) {
        return in.op() == Op.HINT && in.imm() >= 2 && in.imm() <= 5;
    }

    /** Runs an event hint; false: the vCPU waits (the run stops after it, {@link Stop.Kind#WFI_NO_WAKEUP}). */
    private boolean eventHint(int imm) {
        return switch (imm) {
            case 2 -> platform.canWakeFromWfe(cpu);
            case 3 -> platform.canWakeFromWfi(cpu);
            default -> {
                platform.sendEvent(cpu, imm == 4); // SEV: every PE; SEVL: this one
                yield true;
            }
        };
    }

    static boolean isBranch(Op op) {
        return switch (op) {
            case B, BL, B_COND, CBZ, CBNZ, TBZ, TBNZ, BR, BLR, RET -> true;
            default -> false;
        };
    }

    static boolean loads(Op op) {
        return switch (op) {
            case LDR, LDP, LDXR, LDXP, LDAR, LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN,
                    SWP, CAS, CASP -> true;
            default -> FpSimdOps.loads(op);
        };
    }

    static boolean stores(Op op) {
        return switch (op) {
            case STR, STP, STXR, STXP, STLR, LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN,
                    SWP, CAS, CASP -> true;
            default -> FpSimdOps.stores(op);
        };
    }

}
