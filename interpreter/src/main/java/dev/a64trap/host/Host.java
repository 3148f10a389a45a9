package dev.a64trap.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated host: physical CPUs 0..cpuCount-1 grouped into host PMUs, registered in probe order.
 *
 * <p>Perf type ids: Linux hands dynamic PMUs ids from an IDR in registration order; the exact first
 * number depends on the kernel's other PMUs. ASSUMPTION: the first CPU PMU gets
 * {@link #FIRST_PERF_TYPE} (8, as commonly seen on arm64 boards) and each further PMU the next id.
 *
 * <h2>Host file format ({@code --host FILE.json})</h2>
 * <pre>
 * {
 *   "name": "my-board",                         // optional, defaults to the file name
 *   "cpus": 8,                                  // optional; default = highest listed CPU + 1
 *   "clusters": [                               // one entry per host PMU, in registration order
 *     { "core": "cortex-a55", "cpus": "0-3" },
 *     { "core": "cortex-a76", "cpus": "4-7", "frequency_mhz": 2256 }   // clock override optional
 *   ]
 * }
 * </pre>
 * "core" is a built-in core name (see {@link CoreCatalog#all()}) or its Linux PMU name. Clusters must
 * not overlap and a core may appear once (Linux registers one PMU per core type). CPUs listed in no
 * cluster exist but have no PMU.
 */
public final class Host {
    public static final int FIRST_PERF_TYPE = 8;

    private final String name;
    private final int cpuCount;
    private final List<HostPmu> pmus;
    private final HostPmu[] pmuOfCpu;

    /** Cluster description used to build a host: core and CPUs. */
    public record Cluster(CoreType core, CpuSet cpus) {}

    public Host(String name, int cpuCount, List<Cluster> clusters) {
        this.name = name;
        if (clusters.isEmpty()) {
            throw new HostException("host '" + name + "': no clusters");
        }
        List<HostPmu> list = new ArrayList<>();
        CpuSet seen = CpuSet.EMPTY;
        int maxCpu = -1;
        for (int i = 0; i < clusters.size(); i++) {
            Cluster c = clusters.get(i);
            if (c.cpus().isEmpty()) {
                throw new HostException("host '" + name + "': cluster " + c.core().name() + " has no CPUs");
            }
            if (!seen.intersect(c.cpus()).isEmpty()) {
                throw new HostException("host '" + name + "': CPUs " + seen.intersect(c.cpus())
                        + " are in more than one cluster");
            }
            for (HostPmu p : list) {
                if (p.core().name().equals(c.core().name())) {
                    throw new HostException("host '" + name + "': core " + c.core().name()
                            + " listed twice; list all its CPUs in one cluster");
                }
            }
            seen = seen.union(c.cpus());
            int[] cs = c.cpus().toArray();
            maxCpu = Math.max(maxCpu, cs[cs.length - 1]);
            list.add(new HostPmu(FIRST_PERF_TYPE + i, c.core().pmuName(), c.core(), c.cpus()));
        }
        if (cpuCount <= 0) {
            cpuCount = maxCpu + 1;
        }
        if (maxCpu >= cpuCount) {
            throw new HostException("host '" + name + "': CPU " + maxCpu + " listed but the host has only "
                    + cpuCount + " CPUs");
        }
        this.cpuCount = cpuCount;
        this.pmus = Collections.unmodifiableList(list);
        this.pmuOfCpu = new HostPmu[cpuCount];
        for (HostPmu p : list) {
            for (int c : p.cpus().toArray()) {
                pmuOfCpu[c] = p;
            }
        }
    }

    public String name() {
        return name;
    }

    public int cpuCount() {
        return cpuCount;
    }

    /** All CPUs 0..cpuCount-1. */
    public CpuSet allCpus() {
        return CpuSet.range(0, cpuCount - 1);
    }

    /** Host PMUs in registration order. */
    public List<HostPmu> pmus() {
        return pmus;
    }

    /** The PMU covering {@code cpu}, or null when the CPU has none (or does not exist). */
    public HostPmu pmuOfCpu(int cpu) {
        return cpu >= 0 && cpu < cpuCount ? pmuOfCpu[cpu] : null;
    }

    /** The PMU with that perf type id, or null. */
    public HostPmu pmuByType(int typeId) {
        for (HostPmu p : pmus) {
            if (p.typeId() == typeId) {
                return p;
            }
        }
        return null;
    }

    /** The PMU with that Linux name ("armv8_cortex_a76") or core name ("cortex-a76"), or null. */
    public HostPmu pmuByName(String n) {
        for (HostPmu p : pmus) {
            if (p.name().equals(n) || p.core().name().equals(n)) {
                return p;
            }
        }
        return null;
    }

    /** Union of the CPUs of all PMUs. */
    public CpuSet cpusWithPmu() {
        CpuSet s = CpuSet.EMPTY;
        for (HostPmu p : pmus) {
            s = s.union(p.cpus());
        }
        return s;
    }

    /** AArch32 EL0 is a system-wide capability: only when every core type has it. */
    public boolean supportsAArch32El0() {
        for (HostPmu p : pmus) {
            if (!p.core().aarch32El0()) {
                return false;
            }
        }
        return true;
    }

    /** System-wide (sanitised) PMUVer: the lowest of all PMUs. */
    public int sanitisedPmuVer() {
        int v = Integer.MAX_VALUE;
        for (HostPmu p : pmus) {
            v = Math.min(v, p.pmuVer());
        }
        return v;
    }

    /** The cycle model of {@code cpu}; a CPU without PMU uses the first cluster's model. */
    public CycleModel cycleModel(int cpu) {
        HostPmu p = pmuOfCpu(cpu);
        return (p != null ? p : pmus.get(0)).core().cycleModel();
    }

    // ---------------------------------------------------------------- presets

    private static final Map<String, String> PRESET_DESCRIPTIONS = new LinkedHashMap<>();

    static {
        PRESET_DESCRIPTIONS.put("rk3588", "cpus 0-3 cortex-a55, 4-7 cortex-a76 (default)");
        PRESET_DESCRIPTIONS.put("tri-cluster", "cpus 0-2 cortex-a510, 3-6 cortex-a710, 7 cortex-x3");
        PRESET_DESCRIPTIONS.put("dimensity9300", "cpus 0-3 cortex-a720, 4-7 cortex-x4");
        PRESET_DESCRIPTIONS.put("uniform-a76", "cpus 0-3 cortex-a76 (homogeneous control)");
    }

    public static final String DEFAULT_PRESET = "rk3588";

    /** Preset name -> one-line description, in listing order. */
    public static Map<String, String> presets() {
        return Collections.unmodifiableMap(PRESET_DESCRIPTIONS);
    }

    public static Host preset(String name) {
        switch (name) {
            case "rk3588":
                return of(name, "cortex-a55", "0-3", "cortex-a76", "4-7");
            case "tri-cluster":
                return of(name, "cortex-a510", "0-2", "cortex-a710", "3-6", "cortex-x3", "7");
            case "dimensity9300":
                return of(name, "cortex-a720", "0-3", "cortex-x4", "4-7");
            case "uniform-a76":
                return of(name, "cortex-a76", "0-3");
            default:
                throw new HostException("unknown host preset '" + name + "' (known: "
                        + String.join(", ", PRESET_DESCRIPTIONS.keySet()) + "; or a FILE.json)");
        }
    }

    private static Host of(String name, String... coreCpus) {
        List<Cluster> cl = new ArrayList<>();
        for (int i = 0; i < coreCpus.length; i += 2) {
            cl.add(new Cluster(CoreCatalog.get(coreCpus[i]), CpuSet.parse(coreCpus[i + 1], name)));
        }
        return new Host(name, 0, cl);
    }

    /** {@code --host PRESET|FILE.json}: a name ending in ".json" is read as a host file. */
    public static Host resolve(String spec) {
        if (spec.endsWith(".json")) {
            return fromFile(Path.of(spec));
        }
        return preset(spec);
    }

    /** A host file is a few hundred bytes; anything past this is not one (/dev/zero...). */
    static final int MAX_HOST_FILE = 1 << 20;

    /**
     * The text of {@code file}, opened once and read no further than {@code limit} bytes.
     * @throws IOException also when the file is longer than that
     */
    static String readBounded(Path file, int limit) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new IOException("longer than " + limit + " bytes");
            }
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public static Host fromFile(Path file) {
        String text;
        try {
            text = readBounded(file, MAX_HOST_FILE);
        } catch (NoSuchFileException e) {
            throw new HostException("host file " + file + ": no such file");
        } catch (IOException e) {
            throw new HostException("host file " + file + ": cannot read (" + e.getMessage() + ")");
        }
        String base = file.getFileName().toString().replaceFirst("\\.json$", "");
        return fromJson(text, file.toString(), base);
    }

    /** Parses the host file format; {@code source} names the input in messages. */
    public static Host fromJson(String json, String source, String defaultName) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            // a limit (e.g. nesting deeper than Jackson's 1,000) comes without a location
            throw new HostException("host file " + source + ": not valid JSON" + (e.getLocation() == null
                    ? " (" + e.getOriginalMessage() + ")"
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new HostException("host file " + source + ": expected a JSON object with \"clusters\"");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("name") && !f.equals("cpus") && !f.equals("clusters")) {
                throw new HostException("host file " + source + ": unknown field \"" + f
                        + "\" (allowed: name, cpus, clusters)");
            }
        }
        String name = root.hasNonNull("name") ? text(root.get("name"), source, "name") : defaultName;
        int cpus = 0;
        if (root.has("cpus")) {
            JsonNode n = root.get("cpus");
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > CpuSet.MAX_CPUS) {
                throw new HostException("host file " + source + ": \"cpus\" must be an integer 1.."
                        + CpuSet.MAX_CPUS);
            }
            cpus = n.asInt();
        }
        JsonNode clusters = root.get("clusters");
        if (clusters == null || !clusters.isArray() || clusters.isEmpty()) {
            throw new HostException("host file " + source + ": \"clusters\" must be a non-empty array");
        }
        List<Cluster> list = new ArrayList<>();
        int i = 0;
        for (JsonNode c : clusters) {
            String where = "host file " + source + ": clusters[" + i + "]";
            if (!c.isObject()) {
                throw new HostException(where + ": expected an object {\"core\": ..., \"cpus\": ...}");
            }
            for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!f.equals("core") && !f.equals("cpus") && !f.equals("frequency_mhz")) {
                    throw new HostException(where + ": unknown field \"" + f
                            + "\" (allowed: core, cpus, frequency_mhz)");
                }
            }
            if (!c.hasNonNull("core") || !c.hasNonNull("cpus")) {
                throw new HostException(where + ": needs \"core\" and \"cpus\"");
            }
            CoreType core;
            try {
                core = CoreCatalog.get(text(c.get("core"), source, "core"));
            } catch (HostException e) {
                throw new HostException(where + ": " + e.getMessage());
            }
            CpuSet set = CpuSet.parse(text(c.get("cpus"), source, "cpus"), where + " cpus");
            if (c.has("frequency_mhz")) {
                JsonNode f = c.get("frequency_mhz");
                if (!f.isIntegralNumber() || f.asInt() < 1 || f.asInt() > 100_000) {
                    throw new HostException(where + ": \"frequency_mhz\" must be an integer 1..100000");
                }
                CycleModel m = core.cycleModel();
                core = core.withCycleModel(new CycleModel(f.asInt(), m.cyclesPerClass()));
            }
            list.add(new Cluster(core, set));
            i++;
        }
        return new Host(name, cpus, list);
    }

    private static String text(JsonNode n, String source, String field) {
        if (!n.isTextual()) {
            throw new HostException("host file " + source + ": \"" + field + "\" must be a string");
        }
        return n.asText();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(':');
        for (HostPmu p : pmus) {
            sb.append(' ').append(p.name()).append('(').append(p.typeId()).append(")=").append(p.cpus());
        }
        return sb.toString();
    }
}
