package dev.a64trap.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.mem.GuestMemory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Expected trees are QEMU 7.2's own blob (src/test/resources/dtb/README says how it was dumped). */
class VirtDeviceTreeTest {
    private static final long MIB = 1 << 20;
    private static final String QEMU_APPEND = "console=ttyAMA0 earlycon";
    /** QEMU fills these from host randomness; a64trap leaves them out. */
    private static final Set<String> RANDOM = Set.of("rng-seed", "kaslr-seed");

    static FdtReader.Blob qemu() throws IOException {
        byte[] gz = ImageLoaderTest.resource("dtb/qemu-virt-gicv3-256M.dtb.gz");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return FdtReader.read(in.readAllBytes());
        }
    }

    @Test
    void everyNodeAndPropertyIsQemusInQemusOrder() throws IOException {
        FdtReader.Blob q = qemu();
        FdtReader.Blob ours = FdtReader.read(VirtDeviceTree.blob(256 * MIB, QEMU_APPEND, true));
        assertEquals(q.totalSize(), ours.totalSize(), "QEMU's 1 MiB totalsize");
        assertEquals(q.version(), ours.version());
        assertEquals(q.lastCompatible(), ours.lastCompatible());
        assertEquals(q.reservations().size(), ours.reservations().size());
        int nodes = sameAsQemu("/", ours.root(), q.root());
        assertEquals(17, nodes, "nodes compared: the root, its 11 children, 5 nodes under cpus");
    }

    /** Our node's properties equal QEMU's (order too); our children are QEMU's, in QEMU's order. */
    private static int sameAsQemu(String path, FdtReader.Node ours, FdtReader.Node q) {
        List<String> qNames = q.props().keySet().stream().filter(p -> !RANDOM.contains(p)).toList();
        assertEquals(qNames, List.copyOf(ours.props().keySet()), path + " properties");
        for (String p : qNames) {
            assertArrayEquals(q.prop(p), ours.prop(p), path + " " + p);
        }
        List<String> qChildren = q.children().stream().map(FdtReader.Node::name).toList();
        int last = -1;
        int count = 1;
        for (FdtReader.Node c : ours.children()) {
            int at = qChildren.indexOf(c.name());
            assertTrue(at > last, path + c.name() + " missing from QEMU's tree or out of QEMU's order");
            last = at;
            count += sameAsQemu(path + c.name() + "/", c, q.child(c.name()));
        }
        return count;
    }

    @Test
    void memoryNodeFollowsTheRamSize() {
        for (long size : new long[] {64 * 1024, 128 * MIB, 1024 * MIB, 8192 * MIB}) {
            FdtReader.Node mem = FdtReader.read(VirtDeviceTree.blob(size, null, false)).root().child("memory@40000000");
            assertArrayEquals(new int[] {0, (int) GuestMemory.RAM_BASE, (int) (size >>> 32), (int) size}, mem.cells("reg"));
            assertEquals(List.of("memory"), mem.strings("device_type"));
        }
    }

    @Test
    void bootargsOnlyWhenGiven() {
        FdtReader.Node chosen = FdtReader.read(VirtDeviceTree.blob(128 * MIB, "root=/dev/vda rw", false)).root().child("chosen");
        assertEquals(List.of("root=/dev/vda rw"), chosen.strings("bootargs"));
        assertEquals(List.of("/pl011@9000000"), chosen.strings("stdout-path"));
        for (String none : new String[] {null, ""}) {
            FdtReader.Node c = FdtReader.read(VirtDeviceTree.blob(128 * MIB, none, false)).root().child("chosen");
            assertFalse(c.props().containsKey("bootargs"));
            assertEquals(List.of("stdout-path"), List.copyOf(c.props().keySet()));
        }
    }

    @Test
    void pmuNodeOnlyWithAVpmu() {
        assertFalse(FdtReader.read(VirtDeviceTree.blob(128 * MIB, null, false)).root().has("pmu"));
        FdtReader.Node pmu = FdtReader.read(VirtDeviceTree.blob(128 * MIB, null, true)).root().child("pmu");
        assertArrayEquals(new int[] {1, 7, 4}, pmu.cells("interrupts"), "PPI 7 = INTID 23, level high");
        assertEquals(List.of("arm,armv8-pmuv3"), pmu.strings("compatible"));
    }

    @Test
    void everyPhandleReferenceResolves() {
        FdtReader.Node root = FdtReader.read(VirtDeviceTree.blob(128 * MIB, "x", true)).root();
        Set<Integer> defined = new HashSet<>();
        collect(root, defined);
        assertEquals(Set.of(0x8000, 0x8001, 0x8002), defined);
        assertTrue(defined.contains(root.cells("interrupt-parent")[0]));
        FdtReader.Node uart = root.child("pl011@9000000");
        for (int ph : uart.cells("clocks")) {
            assertTrue(defined.contains(ph));
        }
        assertEquals(uart.cells("clocks")[0], root.child("apb-pclk").cells("phandle")[0]);
        int cpu = root.child("cpus").child("cpu-map").child("socket0").child("cluster0").child("core0").cells("cpu")[0];
        assertEquals(root.child("cpus").child("cpu@0").cells("phandle")[0], cpu);
        assertEquals(root.cells("interrupt-parent")[0], root.child("intc@8000000").cells("phandle")[0]);
    }

    private static void collect(FdtReader.Node n, Set<Integer> out) {
        if (n.props().containsKey("phandle")) {
            assertTrue(out.add(n.cells("phandle")[0]), "phandle defined twice");
        }
        n.children().forEach(c -> collect(c, out));
    }

    @Test
    void sameInputsSameBytes() {
        assertArrayEquals(VirtDeviceTree.blob(128 * MIB, "a", true), VirtDeviceTree.blob(128 * MIB, "a", true));
    }
}
