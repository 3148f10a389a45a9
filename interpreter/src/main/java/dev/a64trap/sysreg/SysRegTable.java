package dev.a64trap.sysreg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system register table: rows sorted by encoding, validated once (no duplicate encodings or
 * names), looked up by binary search. The miss policy is explicit: {@link #lookup} answers null and
 * the caller raises UNDEFINED; {@link #reportUnknown} logs each unknown encoding once.
 */
public final class SysRegTable {
    private final SysReg[] regs;
    private final int[] encodings;
    private final Set<Integer> reported = ConcurrentHashMap.newKeySet();

    private SysRegTable(SysReg[] regs) {
        this.regs = regs;
        this.encodings = new int[regs.length];
        for (int i = 0; i < regs.length; i++) {
            encodings[i] = regs[i].encoding();
        }
    }

    /** Sorts and validates the rows; throws IllegalArgumentException on a duplicate encoding or name. */
    public static SysRegTable of(List<SysReg> rows) {
        SysReg[] sorted = rows.toArray(new SysReg[0]);
        // not Comparator.comparingInt: its lambda (in an interface) is missing from JDK 25's AOT cache
        Arrays.sort(sorted, (a, b) -> Integer.compare(a.encoding(), b.encoding()));
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0 && sorted[i].encoding() == sorted[i - 1].encoding()) {
                throw new IllegalArgumentException("duplicate system register encoding "
                        + SysRegEncoding.genericName(sorted[i].encoding()) + ": " + sorted[i - 1].name()
                        + " and " + sorted[i].name());
            }
            if ((sorted[i].encoding() & ~0xffff) != 0) {
                throw new IllegalArgumentException("bad encoding for " + sorted[i].name());
            }
            if (!names.add(sorted[i].name())) {
                throw new IllegalArgumentException("duplicate system register name " + sorted[i].name());
            }
            sorted[i] = sorted[i].withIndex(i);
        }
        return new SysRegTable(sorted);
    }

    /** The descriptor for an MRS/MSR encoding, or null when the register does not exist. */
    public SysReg lookup(int encoding) {
        int i = Arrays.binarySearch(encodings, encoding);
        return i >= 0 ? regs[i] : null;
    }

    public SysReg byName(String name) {
        for (SysReg r : regs) {
            if (r.name().equalsIgnoreCase(name)) {
                return r;
            }
        }
        return null;
    }

    public int size() {
        return regs.length;
    }

    public List<SysReg> all() {
        return List.of(regs);
    }

    /** A fresh register file sized for this table. */
    public SysRegFile newFile() {
        return new SysRegFile(regs.length);
    }

    /** Writes every register's reset value. */
    public void reset(SysRegContext c) {
        for (SysReg r : regs) {
            r.reset(c);
        }
    }

    /** Logs an unknown encoding to stderr the first time it is seen; returns true if it logged. */
    public boolean reportUnknown(int encoding) {
        if (!reported.add(encoding)) {
            return false;
        }
        System.err.println("a64trap: unknown system register " + SysRegEncoding.genericName(encoding)
                + ": UNDEFINED");
        return true;
    }

    /** Rows from this table plus {@code more} (e.g. a vPMU's register group), re-validated. */
    public SysRegTable with(List<SysReg> more) {
        List<SysReg> rows = new ArrayList<>(List.of(regs));
        rows.addAll(more);
        return of(rows);
    }
}
