package dev.a64trap.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTest {
    @Test
    void rk3588IsTheDefaultAndHasTwoPmusInProbeOrder() {
        Host h = Host.preset(Host.DEFAULT_PRESET);
        assertEquals("rk3588", h.name());
        assertEquals(8, h.cpuCount());
        List<HostPmu> p = h.pmus();
        assertEquals(2, p.size());
        assertEquals("armv8_cortex_a55", p.get(0).name());
        assertEquals("0-3", p.get(0).cpus().toString());
        assertEquals("armv8_cortex_a76", p.get(1).name());
        assertEquals("4-7", p.get(1).cpus().toString());
        assertEquals(p.get(0).typeId() + 1, p.get(1).typeId());
        assertSame(p.get(1), h.pmuOfCpu(5));
        assertSame(p.get(0), h.pmuOfCpu(3));
        assertNull(h.pmuOfCpu(8));
        assertSame(p.get(1), h.pmuByType(p.get(1).typeId()));
        assertSame(p.get(0), h.pmuByName("cortex-a55"));
    }

    @Test
    void otherPresets() {
        Host t = Host.preset("tri-cluster");
        assertEquals(List.of("armv9_cortex_a510", "armv9_cortex_a710", "armv9_cortex_x3"),
                t.pmus().stream().map(HostPmu::name).toList());
        assertEquals("0-2", t.pmus().get(0).cpus().toString());
        assertEquals("3-6", t.pmus().get(1).cpus().toString());
        assertEquals("7", t.pmus().get(2).cpus().toString());
        Host d = Host.preset("dimensity9300");
        assertEquals(List.of("armv9_cortex_a720", "armv9_cortex_x4"), d.pmus().stream().map(HostPmu::name).toList());
        assertEquals("4-7", d.pmus().get(1).cpus().toString());
        Host u = Host.preset("uniform-a76");
        assertEquals(1, u.pmus().size());
        assertEquals(4, u.cpuCount());
        assertEquals("0-3", u.pmus().get(0).cpus().toString());
    }

    @Test
    void unknownPresetNamesTheKnownOnes() {
        HostException e = assertThrows(HostException.class, () -> Host.preset("rk9999"));
        assertTrue(e.getMessage().contains("rk9999") && e.getMessage().contains("tri-cluster"), e.getMessage());
    }

    @Test
    void eventSupportFollowsTheDataFiles() {
        // spec 3.2: LITTLE cores implement 0x06/0x07/0x0C, big/prime ones none of them, A720 only 0x0C
        for (String little : List.of("cortex-a55", "cortex-a510", "cortex-a520")) {
            CoreType c = CoreCatalog.get(little);
            assertTrue(c.supportsEvent(0x06) && c.supportsEvent(0x07) && c.supportsEvent(0x0C), little);
        }
        for (String big : List.of("cortex-a76", "cortex-a710", "cortex-x3", "cortex-x4")) {
            CoreType c = CoreCatalog.get(big);
            assertFalse(c.supportsEvent(0x06) || c.supportsEvent(0x07) || c.supportsEvent(0x0C), big);
        }
        CoreType a720 = CoreCatalog.get("cortex-a720");
        assertFalse(a720.supportsEvent(0x06) || a720.supportsEvent(0x07));
        assertTrue(a720.supportsEvent(0x0C));
        for (CoreType c : CoreCatalog.all().values()) {
            for (int ev : new int[] {0x08, 0x11, 0x1B, 0x21, 0x09, 0x0A}) {
                assertTrue(c.supportsEvent(ev), c.name() + " event " + ev);
            }
            assertEquals(6, c.counters(), c.name());
        }
    }

    @Test
    void everyCatalogRowAgreesWithItsCoreFile() throws Exception {
        // the catalog's counters and events columns are transcribed from /host-pmus/*.json; a full
        // tree read of those files (Jackson's ObjectMapper) is the oracle
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(8, CoreCatalog.all().size());
        for (CoreType c : CoreCatalog.all().values()) {
            com.fasterxml.jackson.databind.JsonNode root;
            try (java.io.InputStream in = CoreCatalog.class.getResourceAsStream("/host-pmus/" + c.name() + ".json")) {
                root = om.readTree(in);
            }
            java.util.BitSet events = new java.util.BitSet();
            for (com.fasterxml.jackson.databind.JsonNode ev : root.get("events")) {
                events.set(Integer.decode(ev.get("code").asText()));
            }
            assertTrue(events.cardinality() > 30, c.name());
            assertEquals(events, c.events(), c.name());
            assertEquals(root.get("counters").asInt(), c.counters(), c.name());
        }
        assertSame(CoreCatalog.get("cortex-a76"), CoreCatalog.get("armv8_cortex_a76"));
        assertThrows(HostException.class, () -> CoreCatalog.get("cortex-a99"));
    }

    @Test
    void pmceidMatchesTheDerivedValuesInTheDataFiles() {
        // values copied from the "derived_pmceid0/1" fields of shared/data/host-pmus
        assertEquals(0x000000007fffffffL, CoreCatalog.get("cortex-a55").pmceid0());
        assertEquals(0x0000000001f0ae7fL, CoreCatalog.get("cortex-a55").pmceid1());
        assertEquals(0x000000007fff0f3fL, CoreCatalog.get("cortex-a76").pmceid0());
        assertEquals(0x0000000000f2ae7fL, CoreCatalog.get("cortex-a76").pmceid1());
        assertEquals(0x0f0f1a707fff0f3fL, CoreCatalog.get("cortex-a710").pmceid0());
        assertEquals(0x00000077fef2ae7fL, CoreCatalog.get("cortex-x3").pmceid1());
        assertEquals(0x0f0ffa7f7fff6f3fL, CoreCatalog.get("cortex-x4").pmceid0());
    }

    @Test
    void bigCoresNeedFewerCyclesPerInstructionThanLittleOnes() {
        CycleModel little = CoreCatalog.get("cortex-a55").cycleModel();
        CycleModel big = CoreCatalog.get("cortex-a76").cycleModel();
        for (InsnClass c : InsnClass.values()) {
            assertTrue(big.cycles(c) <= little.cycles(c), c.toString());
            assertTrue(big.cycles(c) >= 1, c.toString());
        }
        assertTrue(big.cycles(InsnClass.ALU) < little.cycles(InsnClass.ALU));
        assertEquals(1800, little.frequencyMhz());
        assertEquals(1000, little.cyclesToNanos(1800));
    }

    @Test
    void aarch32El0IsSystemWide() {
        assertTrue(Host.preset("rk3588").supportsAArch32El0());
        assertFalse(Host.preset("tri-cluster").supportsAArch32El0()); // Cortex-X3 is AArch64-only
        assertFalse(Host.preset("dimensity9300").supportsAArch32El0());
    }

    @Test
    void hostFileIsParsed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("board.json");
        Files.writeString(f, "{\"clusters\":[{\"core\":\"armv8_cortex_a76\",\"cpus\":\"2-3\",\"frequency_mhz\":1000},"
                + "{\"core\":\"cortex-a55\",\"cpus\":\"0,1\"}], \"cpus\": 5}");
        Host h = Host.resolve(f.toString());
        assertEquals("board", h.name());
        assertEquals(5, h.cpuCount());
        assertEquals("armv8_cortex_a76", h.pmus().get(0).name());
        assertEquals(Host.FIRST_PERF_TYPE, h.pmus().get(0).typeId());
        assertEquals(1000, h.cycleModel(2).frequencyMhz());
        assertNull(h.pmuOfCpu(4), "CPU 4 is listed in no cluster: no PMU");
        assertEquals("0-3", h.cpusWithPmu().toString());
    }

    @Test
    void hostFileErrorsNameTheInputAndProblem(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"{", "not valid JSON"},
            {"[]", "JSON object"},
            {"{\"clusters\":[]}", "non-empty array"},
            {"{\"clusters\":[{\"core\":\"cortex-z9\",\"cpus\":\"0\"}]}", "unknown core 'cortex-z9'"},
            {"{\"clusters\":[{\"core\":\"cortex-a55\"}]}", "needs \"core\" and \"cpus\""},
            {"{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0-x\"}]}", "bad CPU list"},
            {"{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0-3\"},{\"core\":\"cortex-a76\",\"cpus\":\"3-4\"}]}",
                "more than one cluster"},
            {"{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0\"},{\"core\":\"cortex-a55\",\"cpus\":\"1\"}]}",
                "listed twice"},
            {"{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0\"}],\"colour\":1}", "unknown field \"colour\""},
            {"{\"cpus\":2,\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0-3\"}]}", "only 2 CPUs"},
            {"{\"clusters\":[{\"core\":\"cortex-a55\",\"cpus\":\"0\",\"frequency_mhz\":-5}]}", "frequency_mhz"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("bad.json");
            Files.writeString(f, c[0]);
            HostException e = assertThrows(HostException.class, () -> Host.resolve(f.toString()), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("bad"),
                    c[0] + " -> " + e.getMessage());
        }
        HostException missing = assertThrows(HostException.class,
                () -> Host.resolve(dir.resolve("nope.json").toString()));
        assertTrue(missing.getMessage().contains("no such file"));
    }

    @Test
    void cpuSetParsingAndPrinting() {
        assertEquals("0-3,6", CpuSet.parse("0-3,6", "x").toString());
        assertEquals(5, CpuSet.parse("6,0-3", "x").size());
        assertEquals(2, CpuSet.parse("0-3,6", "x").nth(2));
        assertThrows(HostException.class, () -> CpuSet.parse("3-1", "x"));
        assertThrows(HostException.class, () -> CpuSet.parse("64", "x"));
        assertThrows(HostException.class, () -> CpuSet.parse("", "x"));
    }
}
