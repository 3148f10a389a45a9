package dev.a64trap.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the vCPU runs over guest time: a pure function from guest time (microseconds since power-on)
 * to a physical CPU. Same policy, host and seed give the same placements on every run; nothing
 * depends on wall-clock time or host randomness.
 *
 * <p>Policies ({@code --sched}):
 * <ul>
 * <li>{@code pinned:CPUS} - affinity CPUS; the vCPU stays on the lowest CPU of the set.</li>
 * <li>{@code round-robin:SLICE_US[:CPUS]} - slice k (guest time [k*SLICE, (k+1)*SLICE)) runs on the
 *     (k mod |CPUS|)-th CPU of CPUS (default all host CPUs).</li>
 * <li>{@code random:SLICE_US[:CPUS]} - slice k runs on a CPU of CPUS drawn by SplitMix64 from
 *     (seed, k); default {@code random:1000}. Random access: no hidden state.</li>
 * <li>{@code trace:FILE} - replay: each non-comment line is "START_US CPU"; starts ascend, the first
 *     is 0; the CPU holds from START_US until the next line's start. Host CPU hotplug lines
 *     "START_US offline CPU" and "START_US online CPU" (their own ascending order) take a pCPU out
 *     and back; "0 offline CPU" then "T online CPU" is a CPU added at T (for example one without a
 *     PMU). The vCPU is never placed on an offline CPU; KVM and the VMM see the CPUs online at vCPU
 *     init ({@link #offlineAt offlineAt(0)}).</li>
 * </ul>
 * {@code --pin-after US:CPUS}: from guest time US on, the affinity becomes CPUS (a VMM that pins its
 * vCPU thread after initialisation). Slice policies then draw from CPUS; pinned and trace placements
 * keep their CPU if it is in CPUS and otherwise move to the lowest CPU of CPUS.
 */
public final class Scheduler {
    public static final String DEFAULT = "random:1000";

    private enum Kind { PINNED, ROUND_ROBIN, RANDOM, TRACE }

    private final String spec;
    private final Kind kind;
    private final long sliceUs;
    private final CpuSet cpus;
    private final long seed;
    private final long[] traceStart;
    private final int[] traceCpu;
    private final long pinAfterUs;
    private final CpuSet pinCpus;
    // trace hotplug events: time, CPU, online (true) or offline
    private long[] hotplugUs = new long[0];
    private int[] hotplugCpu = new int[0];
    private boolean[] hotplugOnline = new boolean[0];

    private Scheduler(String spec, Kind kind, long sliceUs, CpuSet cpus, long seed, long[] traceStart,
            int[] traceCpu, long pinAfterUs, CpuSet pinCpus) {
        this.spec = spec;
        this.kind = kind;
        this.sliceUs = sliceUs;
        this.cpus = cpus;
        this.seed = seed;
        this.traceStart = traceStart;
        this.traceCpu = traceCpu;
        this.pinAfterUs = pinAfterUs;
        this.pinCpus = pinCpus;
    }

    /**
     * Parses {@code --sched} and {@code --pin-after} (null = none) for {@code host}.
     *
     * @throws HostException with a message naming the option and the problem
     */
    /** Bound of a trace:FILE ("START_US CPU" lines: about a million placements). */
    static final int MAX_TRACE_FILE = 16 << 20;

    public static Scheduler parse(String sched, String pinAfter, Host host, long seed) {
        if (sched == null) {
            sched = DEFAULT;
        }
        String opt = "--sched " + sched;
        String[] p = sched.split(":", -1);
        long pinUs = Long.MAX_VALUE;
        CpuSet pin = null;
        if (pinAfter != null) {
            String[] q = pinAfter.split(":", -1);
            if (q.length != 2) {
                throw new HostException("--pin-after " + pinAfter + ": expected US:CPUS, e.g. 1000:0-3");
            }
            pinUs = parseLong(q[0], "--pin-after " + pinAfter, "US");
            pin = cpus(q[1], "--pin-after " + pinAfter, host);
        }
        switch (p[0]) {
            case "pinned": {
                if (p.length != 2) {
                    throw new HostException(opt + ": expected pinned:CPUS, e.g. pinned:4-7");
                }
                return new Scheduler(sched, Kind.PINNED, 0, cpus(p[1], opt, host), seed, null, null, pinUs, pin);
            }
            case "round-robin":
            case "random": {
                if (p.length < 2 || p.length > 3) {
                    throw new HostException(opt + ": expected " + p[0] + ":SLICE_US[:CPUS], e.g. " + p[0]
                            + ":1000:0-7");
                }
                long slice = parseLong(p[1], opt, "SLICE_US");
                if (slice == 0) {
                    throw new HostException(opt + ": SLICE_US must be at least 1");
                }
                CpuSet set = p.length == 3 ? cpus(p[2], opt, host) : host.allCpus();
                return new Scheduler(sched, p[0].equals("random") ? Kind.RANDOM : Kind.ROUND_ROBIN, slice, set,
                        seed, null, null, pinUs, pin);
            }
            case "trace": {
                if (p.length < 2 || sched.length() <= "trace:".length()) {
                    throw new HostException(opt + ": expected trace:FILE");
                }
                String file = sched.substring("trace:".length());
                String text;
                try {
                    text = Host.readBounded(Path.of(file), MAX_TRACE_FILE);
                } catch (NoSuchFileException e) {
                    throw new HostException(opt + ": no such file " + file);
                } catch (IOException | RuntimeException e) {
                    throw new HostException(opt + ": cannot read " + file + " (" + e.getMessage() + ")");
                }
                return parseTrace(sched, text, file, host, seed, pinUs, pin);
            }
            default:
                throw new HostException(opt + ": unknown policy '" + p[0]
                        + "' (expected pinned:CPUS, round-robin:SLICE_US[:CPUS], random:SLICE_US[:CPUS], trace:FILE)");
        }
    }

    /** Parses a placement list ("START_US CPU" per line, '#' comments); {@code file} names it in errors. */
    public static Scheduler parseTrace(String spec, String text, String file, Host host, long seed, long pinUs,
            CpuSet pin) {
        List<long[]> rows = new ArrayList<>();
        List<long[]> hotplug = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length == 3 && (f[1].equals("offline") || f[1].equals("online"))) {
                long at = parseLong(f[0], where, "START_US");
                long cpu = parseLong(f[2], where, "CPU");
                if (cpu >= host.cpuCount()) {
                    throw new HostException(where + ": CPU " + cpu + " does not exist on host " + host.name()
                            + " (CPUs 0-" + (host.cpuCount() - 1) + ")");
                }
                if (!hotplug.isEmpty() && at < hotplug.get(hotplug.size() - 1)[0]) {
                    throw new HostException(where + ": hotplug START_US " + at + " does not ascend");
                }
                hotplug.add(new long[] {at, cpu, f[1].equals("online") ? 1 : 0});
                continue;
            }
            if (f.length != 2) {
                throw new HostException(where + ": expected \"START_US CPU\", \"START_US offline CPU\" or "
                        + "\"START_US online CPU\", got '" + line + "'");
            }
            long start = parseLong(f[0], where, "START_US");
            long cpu = parseLong(f[1], where, "CPU");
            if (cpu >= host.cpuCount()) {
                throw new HostException(where + ": CPU " + cpu + " does not exist on host " + host.name()
                        + " (CPUs 0-" + (host.cpuCount() - 1) + ")");
            }
            if (rows.isEmpty() && start != 0) {
                throw new HostException(where + ": the first placement must start at 0");
            }
            if (!rows.isEmpty() && start <= rows.get(rows.size() - 1)[0]) {
                throw new HostException(where + ": START_US " + start + " does not ascend");
            }
            rows.add(new long[] {start, cpu});
        }
        if (rows.isEmpty()) {
            throw new HostException(file + ": no placements (expected lines \"START_US CPU\")");
        }
        long[] st = new long[rows.size()];
        int[] cp = new int[rows.size()];
        for (int i = 0; i < st.length; i++) {
            st[i] = rows.get(i)[0];
            cp[i] = (int) rows.get(i)[1];
        }
        Scheduler sch = new Scheduler(spec, Kind.TRACE, 0, null, seed, st, cp, pinUs, pin);
        sch.hotplugUs = new long[hotplug.size()];
        sch.hotplugCpu = new int[hotplug.size()];
        sch.hotplugOnline = new boolean[hotplug.size()];
        for (int i = 0; i < hotplug.size(); i++) {
            sch.hotplugUs[i] = hotplug.get(i)[0];
            sch.hotplugCpu[i] = (int) hotplug.get(i)[1];
            sch.hotplugOnline[i] = hotplug.get(i)[2] == 1;
        }
        // never on an offline CPU: at each placement's start and at each offline event
        for (int i = 0; i < st.length; i++) {
            if (sch.offlineAt(st[i]).contains(cp[i])) {
                throw new HostException(file + ": the placement at " + st[i] + " us is on CPU " + cp[i]
                        + ", which is offline then");
            }
        }
        for (int i = 0; i < sch.hotplugUs.length; i++) {
            if (!sch.hotplugOnline[i] && sch.cpuAt(sch.hotplugUs[i]) == sch.hotplugCpu[i]) {
                throw new HostException(file + ": CPU " + sch.hotplugCpu[i] + " goes offline at " + sch.hotplugUs[i]
                        + " us while the vCPU is placed on it");
            }
        }
        return sch;
    }

    /** The CPUs offline at guest time {@code us} (hotplug lines of a trace; empty otherwise). */
    public CpuSet offlineAt(long us) {
        long off = 0;
        for (int i = 0; i < hotplugUs.length && hotplugUs[i] <= us; i++) {
            long bit = 1L << hotplugCpu[i];
            off = hotplugOnline[i] ? off & ~bit : off | bit;
        }
        return new CpuSet(off);
    }

    private static long parseLong(String s, String opt, String what) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HostException(opt + ": " + what + " '" + s + "' is not a non-negative integer");
        }
    }

    private static CpuSet cpus(String s, String opt, Host host) {
        CpuSet set = CpuSet.parse(s, opt);
        if (!host.allCpus().containsAll(set)) {
            throw new HostException(opt + ": CPUs " + new CpuSet(set.bits() & ~host.allCpus().bits())
                    + " do not exist on host " + host.name() + " (CPUs " + host.allCpus() + ")");
        }
        return set;
    }

    /** The physical CPU the vCPU runs on at guest time {@code us} (>= 0). */
    public int cpuAt(long us) {
        boolean pinned = us >= pinAfterUs;
        switch (kind) {
            case PINNED: {
                int c = cpus.first();
                return pinned && !pinCpus.contains(c) ? pinCpus.first() : c;
            }
            case ROUND_ROBIN: {
                CpuSet s = pinned ? pinCpus : cpus;
                return s.nth((int) Long.remainderUnsigned(us / sliceUs, s.size()));
            }
            case RANDOM: {
                CpuSet s = pinned ? pinCpus : cpus;
                return s.nth((int) Long.remainderUnsigned(splitMix64(seed * 0x9E3779B97F4A7C15L + us / sliceUs),
                        s.size()));
            }
            case TRACE: {
                int c = traceCpu[traceIndex(us)];
                return pinned && !pinCpus.contains(c) ? pinCpus.first() : c;
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * The first guest time after {@code us} at which the placement may change (a slice or trace
     * boundary, or the pin-after time); Long.MAX_VALUE when it never changes. The interpreter
     * runs until then and calls {@code cpuAt} again.
     */
    public long nextChange(long us) {
        long next = Long.MAX_VALUE;
        switch (kind) {
            case ROUND_ROBIN:
            case RANDOM:
                next = (us / sliceUs + 1) * sliceUs;
                break;
            case TRACE: {
                int i = traceIndex(us);
                if (i + 1 < traceStart.length) {
                    next = traceStart[i + 1];
                }
                break;
            }
            default:
                break;
        }
        if (pinAfterUs > us && pinAfterUs < next) {
            next = pinAfterUs;
        }
        return next;
    }

    private int traceIndex(long us) {
        int lo = 0;
        int hi = traceStart.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (traceStart[mid] <= us) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** SplitMix64 finaliser (Steele, Lea, Flood 2014): a fixed, JDK-independent mixing function. */
    static long splitMix64(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec + (pinCpus != null ? " (pin-after " + pinAfterUs + ":" + pinCpus + ")" : "");
    }
}
