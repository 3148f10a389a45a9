package dev.a64trap.loader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A flattened device tree (DTB, version 17) writer: build a tree of {@link Node}s, then
 * {@link #write} lays it out as libfdt does (header, memory reservation block at 0x30, structure
 * block, strings block; big-endian cells, every token and property value padded to 4 bytes,
 * property names deduplicated in the strings block).
 */
public final class Fdt {
    public static final int MAGIC = 0xd00dfeed;
    public static final int VERSION = 17;
    public static final int LAST_COMPATIBLE_VERSION = 16;
    static final int HEADER_SIZE = 40;
    static final int BEGIN_NODE = 1;
    static final int END_NODE = 2;
    static final int PROP = 3;
    static final int END = 9;

    private Fdt() {}

    /** One memory reservation block entry. */
    public record Reservation(long address, long size) {}

    /** A property: its name and raw (big-endian) value. */
    public record Property(String name, byte[] value) {}

    /** A node; properties and children keep the order in which they were added. */
    public static final class Node {
        private final String name;
        private final List<Property> properties = new ArrayList<>();
        private final List<Node> children = new ArrayList<>();

        /** @param name the node name with unit address ("pl011@9000000"); "" for the root */
        public Node(String name) {
            if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("bad node name: " + name);
            }
            this.name = name;
        }

        public String name() {
            return name;
        }

        public List<Property> properties() {
            return List.copyOf(properties);
        }

        public List<Node> children() {
            return List.copyOf(children);
        }

        /** Adds a child node and returns it. */
        public Node child(String childName) {
            Node n = new Node(childName);
            children.add(n);
            return n;
        }

        public Node bytes(String prop, byte[] value) {
            if (prop.isEmpty() || prop.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("bad property name: " + prop);
            }
            properties.add(new Property(prop, value.clone()));
            return this;
        }

        /** A property with no value ("interrupt-controller;"). */
        public Node empty(String prop) {
            return bytes(prop, new byte[0]);
        }

        /** One or more 32-bit cells. */
        public Node cells(String prop, int... cells) {
            ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
            for (int c : cells) {
                b.putInt(c);
            }
            return bytes(prop, b.array());
        }

        public Node u32(String prop, int value) {
            return cells(prop, value);
        }

        /** 64-bit values, each as two cells, high first. */
        public Node u64(String prop, long... values) {
            ByteBuffer b = ByteBuffer.allocate(8 * values.length);
            for (long v : values) {
                b.putLong(v);
            }
            return bytes(prop, b.array());
        }

        /** A string, or a string list: each NUL-terminated. */
        public Node string(String prop, String... values) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String s : values) {
                if (s.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("NUL inside string of " + prop);
                }
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            return bytes(prop, out.toByteArray());
        }

        /** Marks this node as the target of {@code phandle} references. */
        public Node phandle(int phandle) {
            if (phandle == 0 || phandle == -1) {
                throw new IllegalArgumentException("phandle 0x" + Integer.toHexString(phandle) + " is reserved");
            }
            return u32("phandle", phandle);
        }
    }

    /**
     * Lays out the tree.
     *
     * @param totalSize the header's totalsize: 0 for a packed blob; larger pads with free space
     *                  at the end, as QEMU's 1 MiB tree does
     */
    public static byte[] write(Node root, List<Reservation> reservations, int totalSize) {
        if (!root.name().isEmpty()) {
            throw new IllegalArgumentException("the root node has an empty name");
        }
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        Map<String, Integer> offsets = new HashMap<>();
        ByteBuffer struct = ByteBuffer.allocate(structSize(root) + 4);
        writeNode(struct, root, strings, offsets);
        struct.putInt(END);

        int rsvOffset = align(HEADER_SIZE, 16); // libfdt: the header rounded up to one reservation entry
        int structOffset = rsvOffset + 16 * (reservations.size() + 1);
        int stringsOffset = structOffset + struct.capacity();
        int used = stringsOffset + strings.size();
        int size = Math.max(used, totalSize);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).putInt(size).putInt(structOffset).putInt(stringsOffset).putInt(rsvOffset)
                .putInt(VERSION).putInt(LAST_COMPATIBLE_VERSION).putInt(0) // boot_cpuid_phys
                .putInt(strings.size()).putInt(struct.capacity());
        out.position(rsvOffset);
        for (Reservation r : reservations) {
            out.putLong(r.address()).putLong(r.size());
        }
        out.putLong(0).putLong(0);
        out.put(struct.array());
        out.put(strings.toByteArray());
        return out.array();
    }

    private static int structSize(Node n) {
        int size = 4 + align(n.name().getBytes(StandardCharsets.UTF_8).length + 1, 4) + 4;
        for (Property p : n.properties) {
            size += 12 + align(p.value().length, 4);
        }
        for (Node c : n.children) {
            size += structSize(c);
        }
        return size;
    }

    private static void writeNode(ByteBuffer out, Node n, ByteArrayOutputStream strings, Map<String, Integer> offsets) {
        out.putInt(BEGIN_NODE);
        byte[] name = n.name().getBytes(StandardCharsets.UTF_8);
        out.put(name);
        zeros(out, align(name.length + 1, 4) - name.length); // the NUL, then padding
        for (Property p : n.properties) {
            Integer off = offsets.get(p.name());
            if (off == null) {
                off = strings.size();
                offsets.put(p.name(), off);
                strings.writeBytes(p.name().getBytes(StandardCharsets.UTF_8));
                strings.write(0);
            }
            out.putInt(PROP).putInt(p.value().length).putInt(off);
            out.put(p.value());
            zeros(out, align(p.value().length, 4) - p.value().length);
        }
        for (Node c : n.children) {
            writeNode(out, c, strings, offsets);
        }
        out.putInt(END_NODE);
    }

    private static void zeros(ByteBuffer out, int n) {
        for (int i = 0; i < n; i++) {
            out.put((byte) 0);
        }
    }

    static int align(int v, int a) {
        return (v + a - 1) & -a;
    }
}
