package dev.a64trap.loader;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict DTB reader for tests: checks the header, alignment and tokens, and returns the tree. */
/** A test-side DTB parser (public: the machine and devices tests read the board's DTB too). */
public final class FdtReader {
    public record Node(String name, Map<String, byte[]> props, List<Node> children) {
        public Node child(String n) {
            return children.stream().filter(c -> c.name().equals(n)).findFirst()
                    .orElseThrow(() -> new AssertionError("no node " + n + " under '" + name + "'"));
        }

        public boolean has(String n) {
            return children.stream().anyMatch(c -> c.name().equals(n));
        }

        public byte[] prop(String p) {
            byte[] v = props.get(p);
            if (v == null) {
                throw new AssertionError("no property " + p + " in '" + name + "'");
            }
            return v;
        }

        public int[] cells(String p) {
            ByteBuffer b = ByteBuffer.wrap(prop(p));
            if (b.remaining() % 4 != 0) {
                throw new AssertionError(p + " is not a cell list");
            }
            int[] out = new int[b.remaining() / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getInt();
            }
            return out;
        }

        public List<String> strings(String p) {
            byte[] v = prop(p);
            if (v.length == 0 || v[v.length - 1] != 0) {
                throw new AssertionError(p + " is not NUL-terminated");
            }
            return List.of(new String(v, 0, v.length - 1, StandardCharsets.UTF_8).split("\0", -1));
        }
    }

    public record Blob(int totalSize, int version, int lastCompatible, List<long[]> reservations, Node root) {}

    private FdtReader() {}

    public static Blob read(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        check(bytes.length >= 40, "shorter than the header");
        check(b.getInt(0) == Fdt.MAGIC, "bad magic");
        int total = b.getInt(4);
        int offStruct = b.getInt(8);
        int offStrings = b.getInt(12);
        int offRsv = b.getInt(16);
        int version = b.getInt(20);
        int lastComp = b.getInt(24);
        int sizeStrings = b.getInt(32);
        int sizeStruct = b.getInt(36);
        check(total <= bytes.length, "totalsize beyond the data");
        check(offRsv % 8 == 0 && offRsv >= 40, "reservation block misaligned");
        check(offStruct % 4 == 0 && offStruct + sizeStruct <= offStrings, "structure block misplaced");
        check(offStrings + sizeStrings <= total, "strings block beyond totalsize");
        List<long[]> rsv = new ArrayList<>();
        for (int at = offRsv; ; at += 16) {
            check(at + 16 <= offStruct, "reservation block not terminated");
            long a = b.getLong(at);
            long s = b.getLong(at + 8);
            if (a == 0 && s == 0) {
                break;
            }
            rsv.add(new long[] {a, s});
        }
        byte[] strings = Arrays.copyOfRange(bytes, offStrings, offStrings + sizeStrings);
        int[] pos = {offStruct};
        int end = offStruct + sizeStruct;
        skipNops(b, pos);
        check(b.getInt(pos[0]) == Fdt.BEGIN_NODE, "structure does not start with a node");
        Node root = node(b, pos, end, strings);
        skipNops(b, pos);
        check(b.getInt(pos[0]) == Fdt.END, "no END token after the root");
        check(pos[0] + 4 == end, "size_dt_struct does not end at END");
        return new Blob(total, version, lastComp, rsv, root);
    }

    private static Node node(ByteBuffer b, int[] pos, int end, byte[] strings) {
        pos[0] += 4;
        String name = cstring(b.array(), pos[0], end);
        pos[0] = align(pos[0] + name.getBytes(StandardCharsets.UTF_8).length + 1);
        Map<String, byte[]> props = new LinkedHashMap<>();
        List<Node> children = new ArrayList<>();
        while (true) {
            check(pos[0] + 4 <= end, "node " + name + " runs past the structure block");
            int tag = b.getInt(pos[0]);
            if (tag == Fdt.PROP) {
                check(children.isEmpty(), "property after a subnode in " + name);
                int len = b.getInt(pos[0] + 4);
                int nameOff = b.getInt(pos[0] + 8);
                check(nameOff >= 0 && nameOff < strings.length, "property name offset out of range");
                String pn = cstring(strings, nameOff, strings.length);
                check(!props.containsKey(pn), "duplicate property " + pn + " in " + name);
                check(pos[0] + 12 + len <= end, "property " + pn + " runs past the block");
                props.put(pn, Arrays.copyOfRange(b.array(), pos[0] + 12, pos[0] + 12 + len));
                pos[0] = align(pos[0] + 12 + len);
            } else if (tag == Fdt.BEGIN_NODE) {
                children.add(node(b, pos, end, strings));
            } else if (tag == Fdt.END_NODE) {
                pos[0] += 4;
                return new Node(name, props, children);
            } else if (tag == 4) { // FDT_NOP
                pos[0] += 4;
            } else {
                throw new AssertionError("bad token " + tag + " at " + pos[0]);
            }
        }
    }

    private static void skipNops(ByteBuffer b, int[] pos) {
        while (b.getInt(pos[0]) == 4) {
            pos[0] += 4;
        }
    }

    private static String cstring(byte[] a, int from, int end) {
        int i = from;
        while (i < end && a[i] != 0) {
            i++;
        }
        check(i < end, "unterminated string at " + from);
        return new String(a, from, i - from, StandardCharsets.UTF_8);
    }

    private static int align(int v) {
        return (v + 3) & -4;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("malformed DTB: " + what);
        }
    }
}
