package dev.a64trap.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FdtTest {
    private static Fdt.Node sample() {
        Fdt.Node root = new Fdt.Node("").u32("#address-cells", 2).string("compatible", "a,b", "c");
        root.child("dev@1000")
                .phandle(0x42)
                .u64("reg", 0x1000, 0x1_0000_0000L)
                .cells("interrupts", 0, 1, 4)
                .bytes("odd", new byte[] {1, 2, 3, 4, 5})
                .empty("interrupt-controller")
                .string("status", "okay");
        root.child("a").child("b").u32("ref", 0x42);
        return root;
    }

    @Test
    void headerMatchesTheV17Layout() {
        byte[] blob = Fdt.write(sample(), List.of(new Fdt.Reservation(0x4000_0000L, 0x1000)), 0);
        ByteBuffer b = ByteBuffer.wrap(blob);
        assertEquals(0xd00dfeed, b.getInt(0));
        assertEquals(blob.length, b.getInt(4));
        assertEquals(0x30, b.getInt(16), "reservation block right after the padded header, as libfdt");
        assertEquals(0x30 + 32, b.getInt(8), "structure block after one entry and the terminator");
        assertEquals(17, b.getInt(20));
        assertEquals(16, b.getInt(24));
        assertEquals(b.getInt(8) + b.getInt(36), b.getInt(12), "strings block right after the structure");
        assertEquals(blob.length, b.getInt(12) + b.getInt(32), "packed: strings block ends the blob");
        assertEquals(0, b.getInt(36) % 4);
    }

    @Test
    void everyPropertyKindRoundTrips() {
        FdtReader.Blob blob = FdtReader.read(Fdt.write(sample(), List.of(new Fdt.Reservation(0x4000_0000L, 0x1000)), 0));
        assertEquals(1, blob.reservations().size());
        assertEquals(0x4000_0000L, blob.reservations().get(0)[0]);
        assertEquals(0x1000, blob.reservations().get(0)[1]);
        FdtReader.Node root = blob.root();
        assertEquals("", root.name());
        assertArrayEquals(new int[] {2}, root.cells("#address-cells"));
        assertEquals(List.of("a,b", "c"), root.strings("compatible"));
        FdtReader.Node dev = root.child("dev@1000");
        assertEquals(List.of("phandle", "reg", "interrupts", "odd", "interrupt-controller", "status"),
                List.copyOf(dev.props().keySet()), "insertion order kept");
        assertArrayEquals(new int[] {0x42}, dev.cells("phandle"));
        assertArrayEquals(new int[] {0, 0x1000, 1, 0}, dev.cells("reg"));
        assertArrayEquals(new int[] {0, 1, 4}, dev.cells("interrupts"));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, dev.prop("odd"));
        assertEquals(0, dev.prop("interrupt-controller").length);
        assertEquals(List.of("okay"), dev.strings("status"));
        assertArrayEquals(new int[] {0x42}, root.child("a").child("b").cells("ref"));
        assertEquals(List.of("dev@1000", "a"), root.children().stream().map(FdtReader.Node::name).toList());
    }

    @Test
    void propertyNamesAreStoredOnce() {
        Fdt.Node root = new Fdt.Node("").u32("x", 1);
        root.child("n1").u32("x", 2).u32("yy", 3);
        root.child("n2").u32("yy", 4);
        ByteBuffer b = ByteBuffer.wrap(Fdt.write(root, List.of(), 0));
        assertEquals("x\0yy\0".length(), b.getInt(32));
    }

    @Test
    void totalSizePadsWithFreeSpace() {
        byte[] blob = Fdt.write(sample(), List.of(), 4096);
        assertEquals(4096, blob.length);
        assertEquals(4096, ByteBuffer.wrap(blob).getInt(4));
        assertEquals(List.of("a,b", "c"), FdtReader.read(blob).root().strings("compatible"));
    }

    @Test
    void refusesWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> new Fdt.Node("a/b"));
        assertThrows(IllegalArgumentException.class, () -> new Fdt.Node("n").string("p", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> new Fdt.Node("n").u32("", 1));
        assertThrows(IllegalArgumentException.class, () -> new Fdt.Node("n").phandle(0));
        assertThrows(IllegalArgumentException.class, () -> Fdt.write(new Fdt.Node("x"), List.of(), 0));
    }
}
