package dev.a64trap.host;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of physical CPU ids 0..63, written like Linux cpulists ("0-3,6").
 */
public record CpuSet(long bits) {
    public static final int MAX_CPUS = 64;
    public static final CpuSet EMPTY = new CpuSet(0);

    public static CpuSet of(int... cpus) {
        long b = 0;
        for (int c : cpus) {
            check(c, "cpu " + c);
            b |= 1L << c;
        }
        return new CpuSet(b);
    }

    /** First {@code n} CPUs, 0..n-1. */
    public static CpuSet range(int from, int toInclusive) {
        long b = 0;
        for (int c = from; c <= toInclusive; c++) {
            b |= 1L << c;
        }
        return new CpuSet(b);
    }

    /** Parses a cpulist such as "0-3,6"; {@code what} names the input in error messages. */
    public static CpuSet parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new HostException(what + ": empty CPU list (expected e.g. 0-3,6)");
        }
        long b = 0;
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            int dash = p.indexOf('-');
            int lo;
            int hi;
            try {
                if (dash < 0) {
                    lo = hi = Integer.parseInt(p);
                } else {
                    lo = Integer.parseInt(p.substring(0, dash).trim());
                    hi = Integer.parseInt(p.substring(dash + 1).trim());
                }
            } catch (NumberFormatException e) {
                throw new HostException(what + ": bad CPU list '" + text + "' (expected e.g. 0-3,6)");
            }
            if (lo > hi) {
                throw new HostException(what + ": bad CPU range '" + p + "' (low end above high end)");
            }
            check(lo, what);
            check(hi, what);
            for (int c = lo; c <= hi; c++) {
                b |= 1L << c;
            }
        }
        return new CpuSet(b);
    }

    private static void check(int c, String what) {
        if (c < 0 || c >= MAX_CPUS) {
            throw new HostException(what + ": CPU id " + c + " out of range 0.." + (MAX_CPUS - 1));
        }
    }

    public boolean contains(int cpu) {
        return cpu >= 0 && cpu < MAX_CPUS && (bits >>> cpu & 1) != 0;
    }

    public boolean isEmpty() {
        return bits == 0;
    }

    public int size() {
        return Long.bitCount(bits);
    }

    public CpuSet union(CpuSet o) {
        return new CpuSet(bits | o.bits);
    }

    public CpuSet intersect(CpuSet o) {
        return new CpuSet(bits & o.bits);
    }

    public boolean containsAll(CpuSet o) {
        return (o.bits & ~bits) == 0;
    }

    /** The k-th CPU in ascending order (0-based). */
    public int nth(int k) {
        long b = bits;
        for (int i = 0; i < k; i++) {
            b &= b - 1;
        }
        if (b == 0) {
            throw new IndexOutOfBoundsException(k);
        }
        return Long.numberOfTrailingZeros(b);
    }

    public int first() {
        return nth(0);
    }

    public int[] toArray() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nth(i);
        }
        return out;
    }

    /** Linux cpulist form, e.g. "0-3,6". */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        int c = 0;
        while (c < MAX_CPUS) {
            if (!contains(c)) {
                c++;
                continue;
            }
            int start = c;
            while (c + 1 < MAX_CPUS && contains(c + 1)) {
                c++;
            }
            parts.add(start == c ? Integer.toString(start) : start + "-" + c);
            c++;
        }
        return String.join(",", parts);
    }
}
