package dev.a64trap.host;

import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in core types, one row each. The counters and events columns are transcribed from the
 * classpath resources {@code /host-pmus/<core>.json} (ARM-software/data transcriptions; HostTest
 * reads those files and checks every row against them); the other columns are the parts those files
 * do not carry. Not read from the files at run time: the first resource read costs a short run
 * several milliseconds (the jar URL handler, a method handle spun at run time).
 *
 * <p>ASSUMPTIONS: PMUVer follows the architecture version each core implements (Armv8.2 -> PMUv3p1 = 4,
 * Armv9.0 -> PMUv3p5 = 6, Armv9.2 -> PMUv3p7 = 7); AArch32 EL0 support follows the TRMs (Cortex-X3,
 * A720, X4 are AArch64-only). Clocks are the public maximum clocks of RK3588 (A55 1.8 GHz, A76
 * 2.4 GHz), Snapdragon 8 Gen 2 (A510 2.0, A710 2.8, X3 3.2 GHz) and Dimensity 9300 (A720 2.0,
 * X4 3.25 GHz).
 */
public final class CoreCatalog {
    private CoreCatalog() {}

    /** {@code events}: the implemented common event numbers, hex, as ranges ("0-1e,20-26,2d"). */
    private record Row(String pmuName, int counters, String events, int pmuVer, boolean aarch32El0, CycleModel cycles) {}

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    private static void row(String core, String pmuName, int counters, String events, int pmuVer, boolean aarch32El0,
            CycleModel cycles) {
        ROWS.put(core, new Row(pmuName, counters, events, pmuVer, aarch32El0, cycles));
    }

    static {
        //  core           PMU name              counters  events (hex ranges)
        row("cortex-a55", "armv8_cortex_a55", 6, "0-1e,20-26,29-2b,2d,2f,34-38",
                4, true, CycleModel.little(1800));
        row("cortex-a76", "armv8_cortex_a76", 6, "0-5,8-b,10-1e,20-26,29-2b,2d,2f,31,34-37",
                4, true, CycleModel.big(2400));
        row("cortex-a510", "armv9_cortex_a510", 6, "1-e,10-1e,20-26,2b,2d,2f,34-3f,4005-4006,4009,400b-4013,"
                + "4018-401b,4020-4022,4024-4026", 6, true, CycleModel.little(2000));
        row("cortex-a520", "armv9_cortex_a520", 6, "0-e,10-1e,20-26,2b,2d,2f,34-3f,4005-4006,4009,400b-4013,"
                + "4018-401b,4020-4022,4024-4026", 7, false, CycleModel.little(2000));
        row("cortex-a710", "armv9_cortex_a710", 6, "0-5,8-b,10-1e,20-26,29-2b,2d,2f,31,34-37,39-3f,4004-4006,4009,"
                + "400b-400c,4010-4013,4018-401b,4020-4022,4024-4026", 6, true, CycleModel.big(2800));
        row("cortex-x3", "armv9_cortex_x3", 6, "0-5,8-b,10-1e,20-26,29-2b,2d,2f,31,34-37,39-3f,4000-4006,4009,"
                + "400b-400c,4010-4013,4018-401b,4020-4022,4024-4026", 6, false, CycleModel.big(3200));
        row("cortex-a720", "armv9_cortex_a720", 6, "0-5,8-e,10-19,1b-1e,20-26,29-2b,2d,2f,31,34-37,39-3f,4000-4006,"
                + "4009,400b-4013,4018-401b,4020-4022,4024-4026", 7, false, CycleModel.big(2000));
        row("cortex-x4", "armv9_cortex_x4", 6, "0-5,8-b,d-e,10-1e,20-26,29-2b,2d,2f,31,34-37,39-3f,4000-4006,4009,"
                + "400b-4013,4018-401b,4020-4022,4024-4026", 7, false, CycleModel.big(3250));
    }

    /** Cores built so far (each once: callers compare them by identity). */
    private static final Map<String, CoreType> LOADED = new ConcurrentHashMap<>();

    private static CoreType load(String core) {
        Row r = ROWS.get(core);
        return new CoreType(core, r.pmuName(), r.counters(), events(r.events()), r.pmuVer(), r.aarch32El0(), r.cycles());
    }

    /** "0-1e,2d" -> {0..0x1e, 0x2d}. */
    static BitSet events(String ranges) {
        BitSet b = new BitSet();
        for (String part : ranges.split(",")) {
            int dash = part.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash), 16);
            int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1), 16);
            b.set(lo, hi + 1);
        }
        return b;
    }

    /** All built-in cores by name ("cortex-a55", ...), in a fixed order. */
    public static Map<String, CoreType> all() {
        Map<String, CoreType> out = new LinkedHashMap<>();
        for (String core : ROWS.keySet()) {
            out.put(core, get(core));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Looks a core up by core name ("cortex-a76") or PMU name ("armv8_cortex_a76"). */
    public static CoreType get(String name) {
        String core = ROWS.containsKey(name) ? name : null;
        for (Map.Entry<String, Row> e : ROWS.entrySet()) {
            if (core == null && e.getValue().pmuName().equals(name)) {
                core = e.getKey();
            }
        }
        if (core == null) {
            throw new HostException("unknown core '" + name + "' (known: " + String.join(", ", ROWS.keySet()) + ")");
        }
        return LOADED.computeIfAbsent(core, CoreCatalog::load);
    }
}
