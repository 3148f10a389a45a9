package dev.a64trap.debug;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import dev.a64trap.decode.Insn;
import dev.a64trap.exec.DebugHook;
import dev.a64trap.exec.Interpreter;
import dev.a64trap.exec.Stop;
import dev.a64trap.gdb.BreakKind;
import dev.a64trap.gdb.DebugTarget;
import dev.a64trap.gdb.MonitorCommand;
import dev.a64trap.gdb.StopEvent;
import dev.a64trap.gdb.SysRegInfo;
import dev.a64trap.host.Host;
import dev.a64trap.host.HostPmu;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.VirtBoard;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.PmuRegTable;
import dev.a64trap.pmu.Vpmu;
import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysRegEncoding;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The gdb stub's view of a {@link VirtBoard}: its vCPUs (gdb threads 1..N, all-stop: a resume runs
 * them all, a step runs one), their registers, the system registers of
 * its descriptor table (debugger reads through {@link SysReg#peek}, writes through the userspace
 * path), RAM and flash (never MMIO: a debugger read must not pop a UART FIFO), breakpoints (the
 * interpreter stops before them), and watchpoints, sysreg catches and tracing through an
 * {@link DebugHook} that is installed only while one of them is active.
 */
public final class BoardDebugTarget implements DebugTarget {
    private static final int SIGTRAP = 5;
    private static final int SIGSEGV = 11;

    private final VirtBoard board;
    /** vCPU 0's CPU: what the monitor commands look at. */
    private final Cpu cpu;
    private final List<VirtBoard.Vcpu> vcpus;
    private final GuestMemory memory;
    private final long maxInsns;
    private final PrintStream log;
    private final List<SysReg> sysRegs;
    private final List<SysRegInfo> sysRegInfo;
    /** The vCPU on the simulated host (vPMU, guest time), or null. */
    private final HostedVcpu hosted;

    /** Breakpoint addresses per kind; the interpreter holds their union. */
    private final Map<BreakKind, Set<Long>> breakpoints = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    /** A catch from a step that gdb may have taken for its step over a breakpoint (see step). */
    private StopEvent deferredCatch;
    private long deferredFrom;
    private long deferredPc;
    private boolean deferredArmed;

    /** Caught system registers (by encoding); {@link #catchPmu} adds every PMU register. */
    private final Set<Integer> caught = new HashSet<>();
    private boolean catchPmu;
    private boolean tracing;
    /** Why the hook stopped the last run. */
    private StopEvent hookStop;
    /** Each vCPU's {@code retired} when the current run started: its first instruction ignores watchpoints. */
    private final long[] runStart;
    /** One hook per vCPU (it knows whose access it sees). */
    private final Hook[] hooks;
    /** When the step in progress started (0: none); the watchdog interrupts one that runs too long. */
    private volatile long stepStarted;
    private static final long STEP_LIMIT_NANOS = 500_000_000L;

    private record Watch(BreakKind kind, long address, int length) {
        boolean matches(long a, int size, boolean write) {
            boolean kindOk = kind == BreakKind.WATCH_ACCESS || (kind == BreakKind.WATCH_WRITE) == write;
            return kindOk && a < address + length && address < a + size;
        }
    }

    /**
     * @param maxInsns the run's instruction budget (0 = none)
     * @param log      where tracing and a64trap's own messages go (stderr)
     */
    public BoardDebugTarget(VirtBoard board, long maxInsns, PrintStream log) {
        this.board = board;
        this.cpu = board.cpu();
        this.vcpus = board.vcpus();
        this.runStart = new long[vcpus.size()];
        this.hooks = new Hook[vcpus.size()];
        for (int i = 0; i < hooks.length; i++) {
            hooks[i] = new Hook(i);
        }
        this.memory = board.memory();
        this.maxInsns = maxInsns;
        this.log = log;
        this.hosted = board.hostedVcpu();
        this.sysRegs = cpu.sysRegs.all();
        List<SysRegInfo> info = new ArrayList<>(sysRegs.size());
        for (SysReg r : sysRegs) {
            int e = r.encoding();
            info.add(new SysRegInfo(r.name(), SysRegEncoding.op0(e), SysRegEncoding.op1(e),
                    SysRegEncoding.crn(e), SysRegEncoding.crm(e), SysRegEncoding.op2(e)));
        }
        this.sysRegInfo = List.copyOf(info);
        for (BreakKind k : BreakKind.values()) {
            breakpoints.put(k, new HashSet<>());
        }
        startWatchdog();
    }

    /**
     * Steps run on the gdb server's network thread, so one that never retires its instruction
     * (an exception loop through an unmapped vector) must not hang it: after half a second the
     * watchdog interrupts the step, which then reports SIGINT.
     */
    private void startWatchdog() {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                long started = stepStarted;
                if (started != 0 && System.nanoTime() - started > STEP_LIMIT_NANOS) {
                    board.interrupt();
                }
            }
        }, "a64trap-gdb-step-watchdog");
        t.setDaemon(true);
        t.start();
    }

    VirtBoard board() {
        return board;
    }

    @Override
    public int cpuCount() {
        return vcpus.size();
    }

    @Override
    public String cpuDescription(int c) {
        VirtBoard.Vcpu v = vcpus.get(c);
        return String.format(Locale.ROOT, "vCPU %d, MPIDR 0x%x%s", c, v.mpidr(), v.isOn() ? "" : ", powered off");
    }

    private Cpu cpu(int c) {
        return vcpus.get(c).cpu();
    }

    // ---- registers

    @Override
    public long readCoreRegister(int c, int reg) {
        Cpu cpu = cpu(c);
        return switch (reg) {
            case PC -> cpu.pc;
            case CPSR -> cpu.pstate() & 0xFFFF_FFFFL;
            default -> cpu.x[reg]; // x0-x30, and 31 = the current SP
        };
    }

    @Override
    public void writeCoreRegister(int c, int reg, long value) {
        Cpu cpu = cpu(c);
        switch (reg) {
            case PC -> cpu.pc = value;
            case CPSR -> writePstate(cpu, value);
            default -> cpu.x[reg] = value;
        }
    }

    /** CPSR as SPSR lays it out: NZCV, IL, DAIF, M[3:0] (EL0t, EL1t, EL1h; other modes keep EL/SP). */
    private static void writePstate(Cpu cpu, long v) {
        cpu.nzcv = (int) (v >>> 28 & 0xF);
        cpu.daif = (int) (v >>> 6 & 0xF);
        cpu.illegalState = (v & (1L << 20)) != 0;
        int m = (int) (v & 0xF);
        if (m == 0b0000 || m == 0b0100 || m == 0b0101) {
            cpu.setMode(m >> 2, m & 1);
        }
    }

    @Override
    public boolean hasFpu() {
        return true;
    }

    @Override
    public long[] readFpuRegister(int c, int n) {
        Cpu cpu = cpu(c);
        return switch (n) {
            case 32 -> new long[] {cpu.sys.fp.fpsr, 0};
            case 33 -> new long[] {cpu.sys.fp.fpcr, 0};
            default -> new long[] {cpu.v[2 * n], cpu.v[2 * n + 1]};
        };
    }

    @Override
    public void writeFpuRegister(int c, int n, long lo, long hi) {
        Cpu cpu = cpu(c);
        switch (n) {
            case 32 -> cpu.sys.fp.fpsr = lo & dev.a64trap.fp.FpStatus.FPSR_MASK;
            case 33 -> cpu.sys.fp.fpcr = lo & dev.a64trap.fp.FpStatus.FPCR_MASK;
            default -> {
                cpu.v[2 * n] = lo;
                cpu.v[2 * n + 1] = hi;
            }
        }
    }

    @Override
    public List<SysRegInfo> systemRegisters() {
        return sysRegInfo;
    }

    @Override
    public OptionalLong readSystemRegister(int c, int index) {
        if (index < 0 || index >= sysRegs.size()) {
            return OptionalLong.empty();
        }
        SysReg r = sysRegs.get(index);
        try {
            return r.peekable() ? OptionalLong.of(r.peek(cpu(c))) : OptionalLong.empty();
        } catch (SysReg.Unavailable none) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean writeSystemRegister(int c, int index, long value) {
        if (index < 0 || index >= sysRegs.size()) {
            return false;
        }
        SysReg r = sysRegs.get(index);
        if (!r.userWritable()) {
            return false;
        }
        try {
            r.setFromUser(cpu(c), value);
            return true;
        } catch (SysReg.Unavailable refused) {
            return false;
        }
    }

    // ---- memory: RAM and flash only

    /** How many bytes from {@code address} on are RAM or flash (up to {@code length}). */
    private int backed(long address, int length) {
        long end;
        if (memory.isRam(address, 1)) {
            end = memory.ramBase() + memory.ramSize();
        } else if (memory.isFlash(address, 1)) {
            end = GuestMemory.FLASH_SIZE;
        } else {
            return 0;
        }
        return (int) Math.min(length, end - address);
    }

    /**
     * Memory as the guest sees it now (as QEMU's stub does): with the MMU on, each page of the range
     * through the current stage-1 translation (EL1's view, no TLB fill); a read stops at the first
     * untranslated or unbacked byte.
     */
    @Override
    public int readMemory(int c, long address, byte[] buffer, int offset, int length) {
        int done = 0;
        while (done < length) {
            long va = address + done;
            int chunk = (int) Math.min(length - done, 0x1000 - (va & 0xFFF));
            long pa = cpu(c).mmu.debugTranslate(va);
            int n = pa == -1 ? 0 : backed(pa, chunk);
            if (n > 0) {
                System.arraycopy(memory.readBytes(pa, n), 0, buffer, offset + done, n);
            }
            done += n;
            if (n < chunk) {
                break;
            }
        }
        return done;
    }

    @Override
    public boolean writeMemory(int c, long address, byte[] data, int offset, int length) {
        List<long[]> chunks = new ArrayList<>(); // {pa, from, n}: all checked before anything is written
        for (int done = 0; done < length; ) {
            long va = address + done;
            int chunk = (int) Math.min(length - done, 0x1000 - (va & 0xFFF));
            long pa = cpu(c).mmu.debugTranslate(va);
            if (pa == -1 || backed(pa, chunk) != chunk) {
                return false;
            }
            chunks.add(new long[] {pa, done, chunk});
            done += chunk;
        }
        for (long[] k : chunks) {
            memory.load(k[0], data, offset + (int) k[1], (int) k[2]); // reported to the block cache's write watch
        }
        return true;
    }

    // ---- breakpoints and watchpoints

    @Override
    public Set<BreakKind> supportedBreakKinds() {
        return EnumSet.allOf(BreakKind.class);
    }

    @Override
    public boolean insertBreakpoint(BreakKind kind, long address, int length) {
        if (deferredCatch != null && address == deferredFrom
                && (kind == BreakKind.SOFTWARE || kind == BreakKind.HARDWARE)) {
            deferredArmed = true;
        }
        switch (kind) {
            case SOFTWARE, HARDWARE -> {
                breakpoints.get(kind).add(address);
                vcpus.forEach(v -> v.interpreter().addBreakpoint(address));
            }
            default -> {
                if (length <= 0) {
                    return false;
                }
                Watch w = new Watch(kind, address, length);
                if (!watches.contains(w)) {
                    watches.add(w);
                }
                updateHook();
            }
        }
        return true;
    }

    @Override
    public boolean removeBreakpoint(BreakKind kind, long address, int length) {
        deferredCatch = null; // gdb removes its breakpoints when it shows a stop: the catch was seen
        switch (kind) {
            case SOFTWARE, HARDWARE -> {
                if (!breakpoints.get(kind).remove(address)) {
                    return false;
                }
                BreakKind other = kind == BreakKind.SOFTWARE ? BreakKind.HARDWARE : BreakKind.SOFTWARE;
                if (!breakpoints.get(other).contains(address)) {
                    vcpus.forEach(v -> v.interpreter().removeBreakpoint(address));
                }
                return true;
            }
            default -> {
                boolean removed = watches.remove(new Watch(kind, address, length));
                updateHook();
                return removed;
            }
        }
    }

    /** The hook is installed only while something needs it, so a plain run keeps the fast path. */
    private void updateHook() {
        boolean on = !watches.isEmpty() || catchPmu || !caught.isEmpty() || tracing;
        for (int i = 0; i < hooks.length; i++) {
            vcpus.get(i).interpreter().setDebugHook(on ? hooks[i] : null);
        }
    }

    // ---- execution

    @Override
    public StopEvent step(int c) {
        Cpu cpu = cpu(c);
        long from = cpu.pc;
        StopEvent e = stepOnce(c);
        // gdb continuing from a breakpoint steps over it first (the breakpoint out), puts the breakpoint
        // back and continues, taking any SIGTRAP in that step for the step's end: a catch there would be
        // lost. So a catch in a step is kept, armed when gdb re-inserts a breakpoint where the step
        // began, and reported by the resume that follows; gdb showing a stop removes its breakpoints
        // first, which drops it.
        deferredCatch = isCatch(e) ? e : null;
        deferredFrom = from;
        deferredArmed = false;
        deferredPc = cpu.pc;
        deferredCpu = c;
        return e;
    }

    private int deferredCpu;

    private boolean isCatch(StopEvent e) {
        return e.reason() == StopEvent.Reason.SIGNAL && e.code() == SIGTRAP && e.detail().startsWith("guest ");
    }

    private StopEvent stepOnce(int c) {
        Cpu cpu = cpu(c);
        Interpreter interpreter = vcpus.get(c).interpreter();
        long target = cpu.retired + 1;
        if (maxInsns > 0 && vcpus.size() == 1) {
            target = Math.min(target, maxInsns);
        }
        Stop s;
        long exceptions = interpreter.events.exceptions;
        stepStarted = System.nanoTime() | 1;
        interpreter.setStopAfterException(true);
        try {
            hookStop = null;
            markRunStart();
            s = board.runVcpu(c, target);
        } finally {
            interpreter.setStopAfterException(false);
            stepStarted = 0;
        }
        if (s == null) {
            return StopEvent.signal(c, SIGTRAP, "a64trap: vCPU " + c + " is powered off (PSCI): it has nothing to step");
        }
        // Retired its instruction, then met the step's budget or a breakpoint: a completed step.
        if (cpu.retired == target && (s.kind() == Stop.Kind.BUDGET || s.kind() == Stop.Kind.BREAKPOINT)) {
            return StopEvent.stepped(c);
        }
        // The instruction faulted: the step ends at the exception vector, as on hardware.
        if (s.kind() == Stop.Kind.BUDGET && interpreter.events.exceptions != exceptions) {
            return StopEvent.stepped(c);
        }
        return toStopEvent(s, c);
    }

    @Override
    public StopEvent resume() {
        StopEvent deferred = deferredArmed ? deferredCatch : null;
        deferredCatch = null;
        if (deferred != null && cpu(deferredCpu).pc == deferredPc) { // its line was printed with the step
            return StopEvent.signal(deferred.cpu(), deferred.code(), "");
        }
        hookStop = null;
        markRunStart();
        Stop s = board.run(maxInsns);
        return toStopEvent(s, board.lastVcpu());
    }

    private void markRunStart() {
        for (int i = 0; i < runStart.length; i++) {
            runStart[i] = cpu(i).retired;
        }
    }

    @Override
    public void interrupt() {
        board.interrupt();
    }

    private StopEvent toStopEvent(Stop s, int c) {
        return switch (s.kind()) {
            case EXIT -> StopEvent.exited(s.status());
            case INTERRUPTED -> StopEvent.interrupted(c);
            case BREAKPOINT -> StopEvent.breakpoint(breakpoints.get(BreakKind.SOFTWARE).contains(s.pc())
                    ? BreakKind.SOFTWARE : BreakKind.HARDWARE, c, s.pc());
            case DEBUG -> hookStop != null ? hookStop : StopEvent.signal(c, SIGTRAP, "");
            case BUDGET -> StopEvent.signal(c, SIGTRAP, "a64trap: instruction budget exhausted after "
                    + vcpus.stream().mapToLong(v -> v.cpu().retired).sum() + " instructions");
            case EXCEPTION, EXCEPTION_LOOP -> StopEvent.signal(c, SIGSEGV, s.stuckReport("  ").strip());
            case WFI_NO_WAKEUP -> StopEvent.signal(c, SIGTRAP, s.stuckReport("  ").strip());
        };
    }

    /** Watchpoints, catches and tracing, called by the interpreter's debug path. */
    private final class Hook implements DebugHook {
        private final int c;

        Hook(int c) {
            this.c = c;
        }

        @Override
        public void beforeInstruction(long pc, Insn in) {
            if (tracing) {
                log.printf("%016x: %08x  %s%n", pc, in.word(), Disassembler.format(in, pc));
            }
        }

        @Override
        public boolean dataAccess(long pc, long address, int size, boolean write) {
            if (cpu(c).retired == runStart[c]) {
                return false; // resuming from a watchpoint stop: let the access happen
            }
            for (Watch w : watches) {
                if (w.matches(address, size, write)) {
                    BreakKind reported = w.kind == BreakKind.WATCH_ACCESS ? BreakKind.WATCH_ACCESS
                            : write ? BreakKind.WATCH_WRITE : BreakKind.WATCH_READ;
                    // gdb matches the data address against its watch ranges: report one inside it
                    hookStop = StopEvent.breakpoint(reported, c, Math.max(address, w.address));
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean sysRegAccess(long pc, SysReg reg, boolean write) {
            if (caught.contains(reg.encoding()) || (catchPmu && isPmu(reg))) {
                hookStop = StopEvent.signal(c, SIGTRAP, "guest " + (write ? "wrote " : "read ") + reg.name());
                return true;
            }
            return false;
        }
    }

    /** PMU registers: the rows of the vPMU's register table. */
    static boolean isPmu(SysReg r) {
        return PmuRegTable.lookup(r.encoding()) != null;
    }

    // ---- monitor commands

    @Override
    public List<MonitorCommand> monitorCommands() {
        return List.of(
                new MonitorCommand("catch sysreg", "catch sysreg NAME|pmu|off",
                        "stop when the guest reads or writes a system register (or any PMU register)", this::catchSysreg),
                new MonitorCommand("trace", "trace on|off", "print each executed instruction on a64trap's stderr",
                        this::trace),
                new MonitorCommand("pmu", "pmu", "the vPMU's counters: value, enable, event, filter, backing",
                        arg -> pmu()),
                new MonitorCommand("host", "host", "the simulated host: pCPUs, PMUs, where the vCPU runs, migrations",
                        arg -> host()),
                new MonitorCommand("migrate", "migrate CPU", "move the vCPU to pCPU CPU now",
                        this::migrate),
                new MonitorCommand("translate", "translate ADDR",
                        "walk ADDR (a VA) through the guest's stage-1 tables: each level's descriptor, the PA and attributes",
                        this::translate));
    }

    /** monitor translate ADDR: the walk of a VA under the current translation registers. */
    private String translate(String arg) {
        String a = arg.strip();
        try {
            long va = a.startsWith("0x") || a.startsWith("0X") ? Long.parseUnsignedLong(a.substring(2), 16)
                    : Long.parseUnsignedLong(a);
            return cpu.mmu.describe(va);
        } catch (NumberFormatException e) {
            return "usage: monitor translate ADDR (a virtual address, hex with 0x or decimal)\n";
        }
    }

    private static String micros(long ns) {
        return String.format(Locale.ROOT, "%d.%03d us", ns / 1000, ns % 1000);
    }

    /** monitor pmu: every counter through the side-effect-free peek (nothing materialised); with --smp, every vCPU's. */
    private String pmu() {
        if (hosted == null || !hosted.vcpu().hasPmu()) {
            return "this vCPU has no vPMU (run with --pmu ...)\n";
        }
        if (vcpus.size() == 1) {
            return pmu(hosted);
        }
        StringBuilder sb = new StringBuilder();
        for (VirtBoard.Vcpu v : vcpus) {
            sb.append("vCPU ").append(v.index()).append(": ").append(pmu(v.hosted()));
        }
        return sb.toString();
    }

    private String pmu(HostedVcpu hosted) {
        Vpmu p = hosted.pmu();
        Vpmu.Snapshot now = p.snapshot(); // every counter at the same instant
        HostPmu vmPmu = hosted.vm().pmu();
        StringBuilder sb = new StringBuilder();
        long pmcr = now.peek(PmuReg.PMCR, 0);
        long enabled = now.peek(PmuReg.PMCNTENSET, 0);
        sb.append(String.format(Locale.ROOT, "vPMU: mode %s, KVM PMU %s, PMCR_EL0 0x%x (E=%d, N=%d), guest time %s%n",
                hosted.plan().mode(), vmPmu == null ? "none" : vmPmu.name(), pmcr, pmcr & 1,
                hosted.vm().nrCounters(), micros(hosted.nanoseconds())));
        sb.append("  counter      value               enabled  counting  event   filter (PMEVTYPER/PMCCFILTR)\n");
        int n = hosted.vm().nrCounters();
        for (int i = 0; i <= PmuBits.CYCLE_IDX; i++) {
            if (i >= n && i != PmuBits.CYCLE_IDX) {
                continue;
            }
            boolean cyc = i == PmuBits.CYCLE_IDX;
            long value = cyc ? now.peek(PmuReg.PMCCNTR, 0) : now.peek(PmuReg.PMEVCNTR, i);
            long type = cyc ? now.peek(PmuReg.PMCCFILTR, 0) : now.peek(PmuReg.PMEVTYPER, i);
            sb.append(String.format(Locale.ROOT, "  %-11s  0x%016x  %-7s  %-8s  0x%04x  0x%08x%n",
                    cyc ? "PMCCNTR" : "PMEVCNTR" + i, value, (enabled >>> i & 1) != 0 ? "yes" : "no",
                    p.isCounting(i) ? "yes" : "no", cyc ? 0x11 : type & 0xFFFF, type & 0xFFFF_0000L));
        }
        HostPmu backing = p.cycleCounterBacking();
        sb.append("  cycle counter backed by: ").append(backing == null ? "nothing (not counting)" : backing.name())
                .append(" on pCPU ").append(hosted.currentCpu()).append('\n');
        Host h = hosted.host();
        sb.append("  host PMU per pCPU:");
        for (int c = 0; c < h.cpuCount(); c++) {
            sb.append(' ').append(c).append('=').append(hosted.pmuNameOf(c));
        }
        sb.append('\n');
        sb.append("  cycle counter stalled (enabled, not counting): ").append(micros(hosted.stalledNanos())).append('\n');
        return sb.toString();
    }

    /** monitor host: topology, where the vCPU runs, the migrations so far. */
    private String migrate(String arg) {
        if (hosted == null) {
            return "no simulated host on this board\n";
        }
        try {
            return hosted.migrateNow(Integer.parseInt(arg.strip())) + "\n";
        } catch (NumberFormatException e) {
            return "usage: monitor migrate CPU (a pCPU number; see monitor host)\n";
        }
    }

    private String host() {
        if (hosted == null) {
            return "no simulated host on this board\n";
        }
        Host h = hosted.host();
        StringBuilder sb = new StringBuilder();
        sb.append("host ").append(h.name()).append(": ").append(h.cpuCount()).append(" pCPUs\n");
        for (HostPmu p : h.pmus()) {
            sb.append(String.format(Locale.ROOT, "  %-24s CPUs %-8s %2d counters%n", p.name(), p.cpus(), p.counters()));
        }
        for (VirtBoard.Vcpu v : vcpus) { // with --smp N, every vCPU: each is placed by its own scheduler
            HostedVcpu hv = v.hosted();
            if (hv.currentCpu() < 0) {
                sb.append("vCPU ").append(v.index()).append(" not placed yet (it has not run)\n");
                continue;
            }
            sb.append("vCPU ").append(v.index()).append(" runs on pCPU ").append(hv.currentCpu()).append(" (")
                    .append(hv.pmuNameOf(hv.currentCpu())).append("), scheduler ").append(hv.scheduler().spec())
                    .append(", guest time ").append(micros(hv.nanoseconds())).append('\n');
        }
        List<HostedVcpu.Migration> ms = hosted.migrations();
        sb.append("migrations: ").append(ms.size()).append('\n');
        int from = Math.max(0, ms.size() - 20);
        if (from > 0) {
            sb.append("  ... (").append(from).append(" earlier)\n");
        }
        for (HostedVcpu.Migration m : ms.subList(from, ms.size())) {
            sb.append(String.format(Locale.ROOT, "  %s  pCPU %d (%s) -> pCPU %d (%s)%n", micros(m.nanos()), m.from(),
                    hosted.pmuNameOf(m.from()), m.to(), hosted.pmuNameOf(m.to())));
        }
        return sb.toString();
    }

    private String catchSysreg(String arg) {
        if (arg.isEmpty()) {
            return catchStatus();
        }
        if (arg.equalsIgnoreCase("off")) {
            caught.clear();
            catchPmu = false;
            updateHook();
            return "sysreg catch off\n";
        }
        if (arg.equalsIgnoreCase("pmu")) {
            catchPmu = true;
            updateHook();
            return "catching guest accesses to every PMU register\n";
        }
        SysReg r = cpu.sysRegs.byName(arg);
        if (r == null) {
            return "unknown system register '" + arg + "'; use an architectural name such as SCTLR_EL1, or pmu, or off\n";
        }
        caught.add(r.encoding());
        updateHook();
        return "catching guest accesses to " + r.name() + "\n";
    }

    private String catchStatus() {
        List<String> names = new ArrayList<>();
        for (SysReg r : sysRegs) {
            if (caught.contains(r.encoding())) {
                names.add(r.name());
            }
        }
        if (catchPmu) {
            names.add("pmu");
        }
        return names.isEmpty() ? "no sysreg catch; usage: monitor catch sysreg NAME|pmu|off\n"
                : "catching: " + String.join(" ", names) + "\n";
    }

    private String trace(String arg) {
        switch (arg.toLowerCase(Locale.ROOT)) {
            case "on" -> tracing = true;
            case "off" -> tracing = false;
            case "" -> {
                return "trace is " + (tracing ? "on" : "off") + "\n";
            }
            default -> {
                return "usage: monitor trace on|off\n";
            }
        }
        updateHook();
        return tracing ? "trace on: executed instructions go to a64trap's stderr\n" : "trace off\n";
    }
}
