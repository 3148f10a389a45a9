package dev.a64trap.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in core types. Counters and events come from the classpath resources
 * {@code /host-pmus/<core>.json} (ARM-software/data transcriptions); the columns below are the parts
 * those files do not carry.
 *
 * <p>ASSUMPTIONS: PMUVer follows the architecture version each core implements (Armv8.2 -> PMUv3p1 = 4,
 * Armv9.0 -> PMUv3p5 = 6, Armv9.2 -> PMUv3p7 = 7); AArch32 EL0 support follows the TRMs (Cortex-X3,
 * A720, X4 are AArch64-only). Clocks are the public maximum clocks of RK3588 (A55 1.8 GHz, A76
 * 2.4 GHz), Snapdragon 8 Gen 2 (A510 2.0, A710 2.8, X3 3.2 GHz) and Dimensity 9300 (A720 2.0,
 * X4 3.25 GHz).
 */
public final class CoreCatalog {
    private CoreCatalog() {}

    private record Extra(String pmuName, int pmuVer, boolean aarch32El0, CycleModel cycles) {}

    private static final Map<String, Extra> EXTRA = new LinkedHashMap<>();

    static {
        EXTRA.put("cortex-a55", new Extra("armv8_cortex_a55", 4, true, CycleModel.little(1800)));
        EXTRA.put("cortex-a76", new Extra("armv8_cortex_a76", 4, true, CycleModel.big(2400)));
        EXTRA.put("cortex-a510", new Extra("armv9_cortex_a510", 6, true, CycleModel.little(2000)));
        EXTRA.put("cortex-a520", new Extra("armv9_cortex_a520", 7, false, CycleModel.little(2000)));
        EXTRA.put("cortex-a710", new Extra("armv9_cortex_a710", 6, true, CycleModel.big(2800)));
        EXTRA.put("cortex-x3", new Extra("armv9_cortex_x3", 6, false, CycleModel.big(3200)));
        EXTRA.put("cortex-a720", new Extra("armv9_cortex_a720", 7, false, CycleModel.big(2000)));
        EXTRA.put("cortex-x4", new Extra("armv9_cortex_x4", 7, false, CycleModel.big(3250)));
    }

    /**
     * Cores parsed so far: each JSON file is read on first use, so a run pays for the two or three
     * cores of its host, not all eight (start-up time).
     */
    private static final Map<String, CoreType> LOADED = new ConcurrentHashMap<>();

    private static CoreType load(String core) {
        String res = "/host-pmus/" + core + ".json";
        Object root;
        try (InputStream in = CoreCatalog.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + res);
            }
            root = JsonText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + res, ex);
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(res + ": " + ex.getMessage(), ex);
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalStateException(res + ": not a JSON object");
        }
        if (!(top.get("counters") instanceof JsonText.Num counters)) {
            throw new IllegalStateException(res + ": no \"counters\"");
        }
        BitSet events = new BitSet();
        if (top.get("events") instanceof List<?> list) {
            for (Object ev : list) {
                Object code = ev instanceof Map<?, ?> m ? m.get("code") : null;
                if (code instanceof String text) {
                    events.set(Integer.decode(text));
                } else if (code instanceof JsonText.Num n) {
                    events.set(n.intValue());
                }
            }
        }
        Extra x = EXTRA.get(core);
        return new CoreType(core, x.pmuName(), counters.intValue(), events, x.pmuVer(), x.aarch32El0(), x.cycles());
    }

    /** All built-in cores by name ("cortex-a55", ...), in a fixed order. */
    public static Map<String, CoreType> all() {
        Map<String, CoreType> out = new LinkedHashMap<>();
        for (String core : EXTRA.keySet()) {
            out.put(core, get(core));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Looks a core up by core name ("cortex-a76") or PMU name ("armv8_cortex_a76"). */
    public static CoreType get(String name) {
        String core = EXTRA.containsKey(name) ? name : null;
        for (Map.Entry<String, Extra> e : EXTRA.entrySet()) {
            if (core == null && e.getValue().pmuName().equals(name)) {
                core = e.getKey();
            }
        }
        if (core == null) {
            throw new HostException("unknown core '" + name + "' (known: " + String.join(", ", EXTRA.keySet()) + ")");
        }
        return LOADED.computeIfAbsent(core, CoreCatalog::load);
    }
}
