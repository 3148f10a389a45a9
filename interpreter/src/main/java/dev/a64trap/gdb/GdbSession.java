package dev.a64trap.gdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * One debugger connection: acknowledgements, the command table and the handlers over
 * {@link DebugTarget}. Not thread-safe: every method runs on the connection's thread (the
 * Netty event loop, or the test thread); stops come back through {@link Transport#execute}.
 *
 * <p>While the target runs (after c/s/vCont, or while a new connection waits for a running
 * guest to stop) packets are acknowledged and queued (at most {@value #MAX_QUEUED}; gdb sends
 * none in all-stop mode) and only 0x03 acts at once.
 */
final class GdbSession {
    /** Largest packet we accept and advertise (qSupported PacketSize). */
    static final int PACKET_SIZE = 0x20000;
    /** Largest m reply in bytes (hex doubles it to PacketSize); longer requests get a short read. */
    static final int MAX_READ = PACKET_SIZE / 2;
    static final int MAX_QUEUED = 64;
    /** Upper bound on a breakpoint or watchpoint length. */
    static final int MAX_BREAK_LENGTH = 1 << 20;

    static final String E_MALFORMED = "E01";
    static final String E_INVALID = "E02";
    static final String E_MEMORY = "E03";
    static final String E_TARGET = "E04";

    /** Where the session's bytes go. */
    interface Transport {
        /** Writes one raw byte ('+' or '-'). */
        void sendRaw(byte b);

        /** Writes a packet (framed by the encoder). */
        void sendPacket(byte[] payload);

        /** Makes written bytes leave. */
        void flush();

        /** Runs {@code task} on this session's thread. */
        void execute(Runnable task);

        /** Closes the connection after pending writes. */
        void close();
    }

    private interface Handler {
        /** The reply payload, or null if there is no reply now (resume, kill). */
        String handle(String packet);
    }

    private final TargetRunner runner;
    private final DebugTarget target;
    private final Transport out;
    private final Monitor monitor;
    private final CommandTable<Handler> table;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private final int cpus;
    private String targetXml;

    private boolean noAck;
    private boolean gdbSwBreak;
    private boolean gdbHwBreak;
    /** Hg: the vCPU for registers and memory. */
    private int gCpu;
    /** Hc: the vCPU to step; -1 = not set (use gCpu). */
    private int cCpu = -1;
    /** Waiting for the target to stop; {@link #replyOnStop} says whether gdb awaits a stop reply. */
    private boolean waiting;
    private boolean replyOnStop;
    private boolean closed;
    private byte[] lastSent;

    GdbSession(TargetRunner runner, Transport out) {
        this.runner = runner;
        this.target = runner.target();
        this.out = out;
        this.cpus = Math.max(1, target.cpuCount());
        this.monitor = new Monitor(target.monitorCommands());
        this.table = new CommandTable<>(rows());
    }

    private List<CommandTable.Entry<Handler>> rows() {
        return List.of(
                row("?", p -> stopReply(runner.lastStop())),
                row("g", p -> readAllRegisters()),
                row("G", this::writeAllRegisters),
                row("p", this::readRegister),
                row("P", this::writeRegister),
                row("m", this::readMemory),
                row("M", this::writeMemoryHex),
                row("X", this::writeMemoryBinary),
                row("c", p -> resumeCommand(p.substring(1), false)),
                row("C", p -> resumeCommand(afterSignal(p), false)),
                row("s", p -> resumeCommand(p.substring(1), true)),
                row("S", p -> resumeCommand(afterSignal(p), true)),
                row("vCont?", p -> "vCont;c;C;s;S"),
                row("vCont", this::vCont),
                row("Z", p -> breakpoint(p, true)),
                row("z", p -> breakpoint(p, false)),
                row("H", this::setThread),
                row("T", p -> parseThread(p.substring(1)) >= 0 ? "OK" : E_INVALID),
                row("qfThreadInfo", p -> threadList()),
                row("qsThreadInfo", p -> "l"),
                row("qC", p -> "QC" + Integer.toHexString(gCpu + 1)),
                row("qThreadExtraInfo", this::threadExtraInfo),
                row("qAttached", p -> "1"),
                row("qOffsets", p -> "Text=0;Data=0;Bss=0"),
                row("qSymbol", p -> "OK"),
                row("qSupported", this::supported),
                row("qXfer:features:read", this::features),
                row("qRcmd", this::monitorCommand),
                row("QStartNoAckMode", p -> "OK"),
                row("vMustReplyEmpty", p -> ""),
                row("D", p -> detach()),
                row("k", p -> kill(null)),
                row("vKill", p -> kill("OK")));
    }

    private static CommandTable.Entry<Handler> row(String prefix, Handler h) {
        return new CommandTable.Entry<>(prefix, h);
    }

    /** The table's prefixes (for the shadowing test). */
    List<String> prefixes() {
        return table.entries().stream().map(CommandTable.Entry::prefix).toList();
    }

    // ---- connection life cycle ----

    /** Called once the connection is up: stop the target if it runs, then serve. */
    void start() {
        waiting = true;
        replyOnStop = false;
        runner.attach(ev -> out.execute(() -> stopped(ev)));
    }

    void disconnected() {
        if (closed) return;
        closed = true;
        queued.clear();
        runner.disconnect();
    }

    void onFrame(RspFrame frame) {
        if (closed) return;
        if (frame instanceof RspFrame.Packet p) {
            ack();
            if (waiting) {
                if (queued.size() < MAX_QUEUED) queued.add(p.payload());
            } else {
                handle(p.payload());
            }
        } else if (frame instanceof RspFrame.Nak) {
            if (!noAck && lastSent != null) out.sendPacket(lastSent);
        } else if (frame instanceof RspFrame.Interrupt) {
            if (waiting) runner.interrupt();
        } else if (frame instanceof RspFrame.Invalid bad) {
            if (bad.problem() == RspFrame.Problem.CHECKSUM) {
                if (!noAck) out.sendRaw((byte) '-');
            } else {
                ack();
                if (!waiting) send(E_MALFORMED);
            }
        }
        out.flush();
    }

    private void ack() {
        if (!noAck) out.sendRaw((byte) '+');
    }

    private void send(String reply) {
        sendPayload(reply.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void sendPayload(byte[] payload) {
        lastSent = payload;
        out.sendPacket(payload);
    }

    /** Dispatches one packet; never throws. */
    void handle(byte[] payload) {
        String packet = new String(payload, StandardCharsets.ISO_8859_1);
        CommandTable.Entry<Handler> e = table.lookup(packet);
        String reply;
        if (e == null) {
            reply = "";
        } else {
            try {
                reply = e.handler().handle(packet);
            } catch (Hex.BadPacket | IndexOutOfBoundsException | NumberFormatException bad) {
                reply = E_MALFORMED;
            } catch (RuntimeException targetFailure) {
                reply = E_TARGET;
            }
        }
        if (reply != null) send(reply);
        if (packet.equals("QStartNoAckMode")) noAck = true;
    }

    private void stopped(StopEvent ev) {
        if (closed) return;
        boolean reply = replyOnStop;
        waiting = false;
        replyOnStop = false;
        if (ev != null && ev.reason() != StopEvent.Reason.EXITED && ev.reason() != StopEvent.Reason.KILLED) {
            gCpu = clampCpu(ev.cpu());
        }
        if (reply) {
            if (ev != null && !ev.detail().isEmpty()) send("O" + Hex.encode(ev.detail() + "\n"));
            send(stopReply(ev));
        }
        while (!waiting && !closed && !queued.isEmpty()) handle(queued.poll());
        out.flush();
    }

    private int clampCpu(int cpu) {
        return cpu >= 0 && cpu < cpus ? cpu : 0;
    }

    // ---- stop replies ----

    String stopReply(StopEvent ev) {
        if (ev == null) return "T05thread:" + thread(gCpu) + ";" + expedited(gCpu);
        String t = "thread:" + thread(clampCpu(ev.cpu())) + ";" + expedited(clampCpu(ev.cpu()));
        return switch (ev.reason()) {
            case EXITED -> "W" + Hex.twoDigits(ev.code());
            case KILLED -> "X09";
            case INTERRUPTED -> "T02" + t;
            case SIGNAL -> "T" + Hex.twoDigits(ev.code()) + t;
            case STEPPED -> "T05" + t;
            case SW_BREAK -> "T05" + t + (gdbSwBreak ? "swbreak:;" : "");
            case HW_BREAK -> "T05" + t + (gdbHwBreak ? "hwbreak:;" : "");
            case WATCH_WRITE -> "T05" + t + "watch:" + Long.toHexString(ev.address()) + ";";
            case WATCH_READ -> "T05" + t + "rwatch:" + Long.toHexString(ev.address()) + ";";
            case WATCH_ACCESS -> "T05" + t + "awatch:" + Long.toHexString(ev.address()) + ";";
        };
    }

    /** Registers sent with every stop (as gdbserver does: x29, sp, pc) so gdb needs no 'g' to unwind. */
    private static final int[] EXPEDITED = {29, DebugTarget.SP, DebugTarget.PC};

    private String expedited(int cpu) {
        StringBuilder sb = new StringBuilder(3 * 22);
        for (int reg : EXPEDITED) {
            sb.append(Hex.twoDigits(reg)).append(':');
            Hex.appendLe(sb, target.readCoreRegister(cpu, reg), 8);
            sb.append(';');
        }
        return sb.toString();
    }

    private static String thread(int cpu) {
        return Integer.toHexString(cpu + 1);
    }

    // ---- registers ----

    private static int coreRegisterBytes(int reg) {
        return reg == DebugTarget.CPSR ? 4 : 8;
    }

    private String readAllRegisters() {
        StringBuilder sb = new StringBuilder(DebugTarget.CORE_REGISTERS * 16);
        for (int r = 0; r < DebugTarget.CORE_REGISTERS; r++) {
            Hex.appendLe(sb, target.readCoreRegister(gCpu, r), coreRegisterBytes(r));
        }
        return sb.toString();
    }

    private String writeAllRegisters(String p) {
        String data = p.substring(1);
        int expected = 0;
        for (int r = 0; r < DebugTarget.CORE_REGISTERS; r++) expected += 2 * coreRegisterBytes(r);
        if (data.length() != expected) return E_MALFORMED;
        long[] values = new long[DebugTarget.CORE_REGISTERS];
        int pos = 0;
        for (int r = 0; r < values.length; r++) {
            values[r] = Hex.parseLe(data, pos, coreRegisterBytes(r));
            pos += 2 * coreRegisterBytes(r);
        }
        for (int r = 0; r < values.length; r++) target.writeCoreRegister(gCpu, r, values[r]);
        return "OK";
    }

    private int fpuRegisters() {
        return target.hasFpu() ? DebugTarget.FPU_REGISTERS : 0;
    }

    private String readRegister(String p) {
        int reg = Hex.parseInt(p.substring(1));
        StringBuilder sb = new StringBuilder(16);
        if (reg < DebugTarget.CORE_REGISTERS) {
            Hex.appendLe(sb, target.readCoreRegister(gCpu, reg), coreRegisterBytes(reg));
            return sb.toString();
        }
        int f = reg - DebugTarget.CORE_REGISTERS;
        if (f < fpuRegisters()) {
            long[] v = target.readFpuRegister(gCpu, f);
            Hex.appendLe(sb, v[0], f < 32 ? 8 : 4);
            if (f < 32) Hex.appendLe(sb, v[1], 8);
            return sb.toString();
        }
        int index = f - fpuRegisters();
        if (index >= target.systemRegisters().size()) return E_INVALID;
        OptionalLong v = target.readSystemRegister(gCpu, index);
        if (v.isEmpty()) return "xxxxxxxxxxxxxxxx";
        Hex.appendLe(sb, v.getAsLong(), 8);
        return sb.toString();
    }

    private String writeRegister(String p) {
        int eq = p.indexOf('=');
        if (eq < 0) return E_MALFORMED;
        int reg = Hex.parseInt(p.substring(1, eq));
        String data = p.substring(eq + 1);
        if (reg < DebugTarget.CORE_REGISTERS) {
            int bytes = coreRegisterBytes(reg);
            if (data.length() != 2 * bytes) return E_MALFORMED;
            target.writeCoreRegister(gCpu, reg, Hex.parseLe(data, 0, bytes));
            return "OK";
        }
        int f = reg - DebugTarget.CORE_REGISTERS;
        if (f < fpuRegisters()) {
            if (data.length() != (f < 32 ? 32 : 8)) return E_MALFORMED;
            target.writeFpuRegister(gCpu, f, Hex.parseLe(data, 0, f < 32 ? 8 : 4), f < 32 ? Hex.parseLe(data, 16, 8) : 0);
            return "OK";
        }
        int index = f - fpuRegisters();
        if (index >= target.systemRegisters().size()) return E_INVALID;
        if (data.length() != 16) return E_MALFORMED;
        return target.writeSystemRegister(gCpu, index, Hex.parseLe(data, 0, 8)) ? "OK" : E_INVALID;
    }

    // ---- memory ----

    /** "addr,len" → {addr, len}; len is at most one packet's worth. */
    private static long[] addressAndLength(String s) {
        int comma = s.indexOf(',');
        if (comma < 0) throw new Hex.BadPacket("missing ','");
        long addr = Hex.parseLong(s.substring(0, comma));
        long len = Hex.parseLong(s.substring(comma + 1));
        if (len < 0 || len > PACKET_SIZE) throw new Hex.BadPacket("length out of range");
        return new long[] {addr, len};
    }

    private String readMemory(String p) {
        long[] al = addressAndLength(p.substring(1));
        int len = (int) Math.min(al[1], MAX_READ);
        if (len == 0) return "";
        byte[] buf = new byte[len];
        int n = target.readMemory(gCpu, al[0], buf, 0, len);
        if (n <= 0) return E_MEMORY;
        // The bulk path: hex straight into the payload, no String round trip.
        sendPayload(Hex.encodeBytes(buf, 0, Math.min(n, len)));
        return null;
    }

    private String writeMemoryHex(String p) {
        int colon = p.indexOf(':');
        if (colon < 0) return E_MALFORMED;
        long[] al = addressAndLength(p.substring(1, colon));
        byte[] data = Hex.decode(p.substring(colon + 1));
        return writeMemory(al, data);
    }

    private String writeMemoryBinary(String p) {
        int colon = p.indexOf(':');
        if (colon < 0) return E_MALFORMED;
        long[] al = addressAndLength(p.substring(1, colon));
        byte[] data = p.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1);
        return writeMemory(al, data);
    }

    private String writeMemory(long[] al, byte[] data) {
        if (data.length != al[1]) return E_MALFORMED;
        if (data.length == 0) return "OK"; // gdb probes X support with a zero-length write
        return target.writeMemory(gCpu, al[0], data, 0, data.length) ? "OK" : E_MEMORY;
    }

    // ---- execution ----

    private static String afterSignal(String p) {
        // "Csig[;addr]": the signal is checked and ignored (a bare-metal guest has no signals)
        String rest = p.substring(1);
        int semi = rest.indexOf(';');
        String sig = semi < 0 ? rest : rest.substring(0, semi);
        if (sig.length() != 2) throw new Hex.BadPacket("bad signal");
        Hex.parseInt(sig);
        return semi < 0 ? "" : rest.substring(semi + 1);
    }

    private int stepCpu() {
        return cCpu >= 0 ? cCpu : gCpu;
    }

    private String resumeCommand(String address, boolean step) {
        int cpu = stepCpu();
        if (!address.isEmpty()) {
            long pc = Hex.parseLong(address);
            if (runner.state() == TargetRunner.State.STOPPED) target.writeCoreRegister(cpu, DebugTarget.PC, pc);
        }
        return resume(cpu, step);
    }

    private String resume(int cpu, boolean step) {
        Function<DebugTarget, StopEvent> action = step ? t -> t.step(cpu) : DebugTarget::resume;
        waiting = true;
        replyOnStop = true;
        java.util.function.Consumer<StopEvent> onStop = ev -> out.execute(() -> stopped(ev));
        if (!(step ? runner.startHere(action, onStop) : runner.start(action, onStop))) {
            waiting = false;
            replyOnStop = false;
            return stopReply(runner.lastStop());
        }
        return null;
    }

    private String vCont(String p) {
        if (!p.startsWith("vCont;")) return E_MALFORMED;
        int stepCpu = -1;
        boolean cont = false;
        for (String action : p.substring(6).split(";", -1)) {
            if (action.isEmpty()) return E_MALFORMED;
            int colon = action.indexOf(':');
            String verb = colon < 0 ? action : action.substring(0, colon);
            int cpu = colon < 0 ? -1 : parseThread(action.substring(colon + 1));
            if (colon >= 0 && cpu == -2) return E_INVALID;
            switch (verb.charAt(0)) {
                case 'c', 'C' -> {
                    if (verb.charAt(0) == 'C') checkSignal(verb);
                    else if (verb.length() != 1) return E_MALFORMED;
                    cont = true;
                }
                case 's', 'S' -> {
                    if (verb.charAt(0) == 'S') checkSignal(verb);
                    else if (verb.length() != 1) return E_MALFORMED;
                    if (stepCpu < 0) stepCpu = cpu >= 0 ? cpu : gCpu;
                }
                default -> {
                    return E_MALFORMED;
                }
            }
        }
        if (stepCpu >= 0) return resume(stepCpu, true);
        return cont ? resume(gCpu, false) : E_MALFORMED;
    }

    private static void checkSignal(String verb) {
        if (verb.length() != 3) throw new Hex.BadPacket("bad signal");
        Hex.parseInt(verb.substring(1));
    }

    private String detach() {
        send("OK");
        out.flush();
        closed = true;
        queued.clear();
        runner.detach();
        out.close();
        return null;
    }

    private String kill(String reply) {
        if (reply != null) send(reply);
        out.flush();
        closed = true;
        queued.clear();
        runner.kill();
        out.close();
        return null;
    }

    // ---- breakpoints ----

    private String breakpoint(String p, boolean insert) {
        String body = p.substring(1);
        int semi = body.indexOf(';'); // conditions and commands: not supported, ignored
        if (semi >= 0) body = body.substring(0, semi);
        String[] parts = body.split(",", -1);
        if (parts.length != 3 || parts[0].length() != 1) return E_MALFORMED;
        int type = Hex.parseInt(parts[0]);
        long addr = Hex.parseLong(parts[1]);
        int len = Hex.parseInt(parts[2]);
        BreakKind kind = BreakKind.ofType(type);
        if (kind == null || !target.supportedBreakKinds().contains(kind)) return "";
        if (len == 0 || len > MAX_BREAK_LENGTH) return E_INVALID;
        boolean ok = insert ? target.insertBreakpoint(kind, addr, len) : target.removeBreakpoint(kind, addr, len);
        return ok ? "OK" : E_INVALID;
    }

    // ---- threads ----

    /** Thread id → vCPU; -1 for "all" (-1) or "any" (0); -2 if invalid. */
    private int parseThread(String s) {
        if (s.equals("-1") || s.equals("0")) return -1;
        long v;
        try {
            v = Hex.parseLong(s);
        } catch (Hex.BadPacket e) {
            return -2;
        }
        return v >= 1 && v <= cpus ? (int) v - 1 : -2;
    }

    private String setThread(String p) {
        if (p.length() < 3) return E_MALFORMED;
        char op = p.charAt(1);
        int cpu = parseThread(p.substring(2));
        if (cpu == -2) return E_INVALID;
        switch (op) {
            case 'g' -> gCpu = cpu >= 0 ? cpu : gCpu;
            case 'c' -> cCpu = cpu;
            default -> {
                return E_MALFORMED;
            }
        }
        return "OK";
    }

    private String threadList() {
        StringBuilder sb = new StringBuilder("m");
        for (int i = 0; i < cpus; i++) {
            if (i > 0) sb.append(',');
            sb.append(thread(i));
        }
        return sb.toString();
    }

    private String threadExtraInfo(String p) {
        if (!p.startsWith("qThreadExtraInfo,")) return E_MALFORMED;
        int cpu = parseThread(p.substring("qThreadExtraInfo,".length()));
        if (cpu < 0) return E_INVALID;
        return Hex.encode(target.cpuDescription(cpu));
    }

    // ---- queries ----

    private String supported(String p) {
        if (p.startsWith("qSupported:")) {
            Set<String> features = Set.of(p.substring("qSupported:".length()).split(";"));
            gdbSwBreak = features.contains("swbreak+");
            gdbHwBreak = features.contains("hwbreak+");
        }
        return "PacketSize=" + Integer.toHexString(PACKET_SIZE)
                + ";qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+";
    }

    private String features(String p) {
        // qXfer:features:read:ANNEX:OFFSET,LENGTH
        String rest = p.substring("qXfer:features:read".length());
        if (!rest.startsWith(":")) return E_MALFORMED;
        int colon = rest.indexOf(':', 1);
        if (colon < 0) return E_MALFORMED;
        String annex = rest.substring(1, colon);
        long[] al = addressAndLength(rest.substring(colon + 1));
        if (!annex.equals("target.xml")) return "E00";
        if (targetXml == null) targetXml = TargetXml.build(target.systemRegisters(), target.hasFpu());
        if (al[0] >= targetXml.length()) return "l";
        al[1] = Math.min(al[1], PACKET_SIZE / 2); // room for escapes
        int start = (int) al[0];
        int end = (int) Math.min(targetXml.length(), start + al[1]);
        return (end < targetXml.length() ? "m" : "l") + targetXml.substring(start, end);
    }

    private String monitorCommand(String p) {
        if (!p.startsWith("qRcmd,")) return E_MALFORMED;
        String line = new String(Hex.decode(p.substring(6)), StandardCharsets.UTF_8);
        String text;
        try {
            text = monitor.run(line);
        } catch (RuntimeException e) {
            text = "monitor command failed: " + e.getMessage() + "\n";
        }
        if (text.isEmpty()) return "OK";
        String hex = Hex.encode(text);
        if (hex.length() <= MAX_READ) return hex;
        // too long for one reply: console output packets, then OK (gdb prints O packets during qRcmd)
        for (int i = 0; i < hex.length(); i += MAX_READ) {
            send("O" + hex.substring(i, Math.min(hex.length(), i + MAX_READ)));
        }
        return "OK";
    }
}
