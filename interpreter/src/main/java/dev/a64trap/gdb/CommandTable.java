package dev.a64trap.gdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Packet dispatch by prefix, longest first (as QEMU's gdb_gen_query_table). A single-letter
 * entry ({@code m}, {@code Z}...) takes every packet starting with that letter. A named entry
 * ({@code qSupported}, {@code vCont}...) takes a packet only if the name is followed by the end
 * of the packet or by ':', ';' or ','; so {@code qC} never answers {@code qCRC:...} and unknown
 * names fall through to the empty reply.
 */
final class CommandTable<H> {
    /** One row: the packet prefix and what handles it. */
    record Entry<H>(String prefix, H handler) {
        boolean matches(String packet) {
            if (!packet.startsWith(prefix)) return false;
            if (prefix.length() == 1 || packet.length() == prefix.length()) return true;
            return ":;,".indexOf(packet.charAt(prefix.length())) >= 0;
        }
    }

    private final List<Entry<H>> entries;

    CommandTable(List<Entry<H>> rows) {
        Set<String> seen = new HashSet<>();
        for (Entry<H> e : rows) {
            if (e.prefix().isEmpty()) throw new IllegalArgumentException("empty prefix");
            if (!seen.add(e.prefix())) throw new IllegalArgumentException("duplicate prefix " + e.prefix());
        }
        List<Entry<H>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt((Entry<H> e) -> e.prefix().length()).reversed());
        this.entries = List.copyOf(sorted);
    }

    /** The handler for {@code packet}, or null if no row takes it (answer: empty packet). */
    Entry<H> lookup(String packet) {
        for (Entry<H> e : entries) {
            if (e.matches(packet)) return e;
        }
        return null;
    }

    List<Entry<H>> entries() {
        return entries;
    }
}
