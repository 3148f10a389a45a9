package dev.a64trap.sysreg;

import java.util.List;
import java.util.Objects;

/**
 * One system register descriptor, modelled on KVM's {@code struct sys_reg_desc}: everything about
 * a register in one row (name, encoding, EL0 rule, read, write, reset). Build rows with the named
 * factories and withers; a {@link SysRegTable} sorts, validates and indexes them.
 *
 * <p>Handlers receive the descriptor too, so a group of registers can share one handler and tell
 * its members apart by {@link #encoding()} (as the vPMU's counter registers will).
 */
public final class SysReg {

    /** Outcome of an access check. */
    public enum Access {
        ALLOW,
        /** Unallocated for this access: UNDEFINED (EC 0x00). */
        UNDEFINED,
        /** Configurably trapped MSR/MRS (EC 0x18) to EL1. */
        TRAP,
        /** SIMD&FP register access trapped by CPACR_EL1.FPEN (EC 0x07): FPCR, FPSR. */
        FP_TRAP
    }

    @FunctionalInterface
    public interface Reader {
        long read(SysRegContext c, SysReg reg);
    }

    @FunctionalInterface
    public interface Writer {
        void write(SysRegContext c, SysReg reg, long value);
    }

    /**
     * Decides whether an access is allowed in the current state. Called for every access that has a
     * handler; the usual rules only restrict EL0 (see {@link #EL1_ONLY}, {@link #EL0_RW},
     * {@link #EL0_READ}); a rule may also look at other state (SP_EL0 is UNDEFINED while SPSel is 0).
     */
    @FunctionalInterface
    public interface El0Rule {
        Access check(SysRegContext c, boolean write);
    }

    /**
     * Thrown by a debugger path ({@link #peek}, {@link #setFromUser}) when the register has no value
     * for the debugger right now, or refuses the write (KVM's ENOENT for PMU registers of a vCPU
     * without a PMU, a read-only derived counter); the debugger shows it as unavailable.
     */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String why) {
            super(why, null, false, false);
        }
    }

    public static final El0Rule EL1_ONLY = (c, w) -> c.el() == 0 ? Access.UNDEFINED : Access.ALLOW;
    public static final El0Rule EL0_RW = (c, w) -> Access.ALLOW;
    public static final El0Rule EL0_READ = (c, w) -> c.el() == 0 && w ? Access.UNDEFINED : Access.ALLOW;

    private final String name;
    private final int encoding;
    private final El0Rule el0;
    private final Reader reader;
    private final Writer writer;
    private final boolean hasReset;
    private final long reset;
    private final int index;
    /** Debugger read without side effects; null = {@link #reader} (which then must have none). */
    private final Reader peek;
    /** Userspace (KVM set-one-reg) write; null = {@link #writer}. */
    private final Writer userWriter;

    private SysReg(String name, int encoding, El0Rule el0, Reader reader, Writer writer,
            boolean hasReset, long reset, int index) {
        this(name, encoding, el0, reader, writer, hasReset, reset, index, null, null);
    }

    private SysReg(String name, int encoding, El0Rule el0, Reader reader, Writer writer,
            boolean hasReset, long reset, int index, Reader peek, Writer userWriter) {
        this.peek = peek;
        this.userWriter = userWriter;
        this.name = Objects.requireNonNull(name);
        this.encoding = encoding;
        this.el0 = Objects.requireNonNull(el0);
        this.reader = reader;
        this.writer = writer;
        this.hasReset = hasReset;
        this.reset = reset;
        this.index = index;
    }

    // ---- factories

    /** A read-only register with a fixed value (ID registers). */
    public static SysReg constant(String name, int enc, long value) {
        return new SysReg(name, enc, EL1_ONLY, (c, r) -> value, null, false, 0, -1);
    }

    /** Read-as-zero, writes ignored. */
    public static SysReg razWi(String name, int enc) {
        return new SysReg(name, enc, EL1_ONLY, (c, r) -> 0L, (c, r, v) -> {}, false, 0, -1);
    }

    /** A plain read/write register kept in the register file's slots. */
    public static SysReg stored(String name, int enc, long reset) {
        return new SysReg(name, enc, EL1_ONLY,
                (c, r) -> c.regs().slots[r.index],
                (c, r, v) -> c.regs().slots[r.index] = v,
                true, reset, -1);
    }

    /** A register with its own handlers; {@code reader} or {@code writer} null makes that direction UNDEFINED. */
    public static SysReg of(String name, int enc, Reader reader, Writer writer) {
        return new SysReg(name, enc, EL1_ONLY, reader, writer, false, 0, -1);
    }

    /** A write-only register (e.g. OSLAR_EL1) whose writes are ignored. */
    public static SysReg writeIgnored(String name, int enc) {
        return new SysReg(name, enc, EL1_ONLY, null, (c, r, v) -> {}, false, 0, -1);
    }

    /**
     * One row standing for the same register of several CPUs: every access goes to
     * {@code variants[c.cpuIndex()]} (its handlers, access rule and debugger paths), so CPUs can
     * share one table while each has its own device state (timers, a vPMU). Name, encoding and reset
     * come from the first variant; all must have the same encoding.
     */
    public static SysReg perCpu(List<SysReg> variants) {
        SysReg[] v = variants.toArray(new SysReg[0]);
        SysReg first = v[0];
        for (SysReg r : v) {
            if (r.encoding != first.encoding) {
                throw new IllegalArgumentException("per-CPU rows differ: " + first + " and " + r);
            }
        }
        return new SysReg(first.name, first.encoding,
                (c, w) -> {
                    SysReg r = v[c.cpuIndex()];
                    return (w ? r.writer == null : r.reader == null) ? Access.UNDEFINED : r.el0.check(c, w);
                },
                first.reader == null ? null : (c, r) -> v[c.cpuIndex()].reader.read(c, r),
                first.writer == null ? null : (c, r, x) -> v[c.cpuIndex()].writer.write(c, r, x),
                first.hasReset, first.reset, first.index,
                (c, r) -> {
                    SysReg own = v[c.cpuIndex()];
                    return (own.peek != null ? own.peek : own.reader).read(c, r);
                },
                (c, r, x) -> {
                    SysReg own = v[c.cpuIndex()];
                    (own.userWriter != null ? own.userWriter : own.writer).write(c, r, x);
                });
    }

    // ---- withers

    public SysReg el0(El0Rule rule) {
        return new SysReg(name, encoding, rule, reader, writer, hasReset, reset, index, peek, userWriter);
    }

    /** The same row with other guest handlers (null makes that direction UNDEFINED); debugger paths kept. */
    public SysReg withHandlers(Reader reader, Writer writer) {
        return new SysReg(name, encoding, el0, reader, writer, hasReset, reset, index, peek, userWriter);
    }

    /** Value written through the writer on reset. */
    public SysReg resetTo(long value) {
        return new SysReg(name, encoding, el0, reader, writer, true, value, index, peek, userWriter);
    }

    SysReg withIndex(int i) {
        return new SysReg(name, encoding, el0, reader, writer, hasReset, reset, i, peek, userWriter);
    }

    /**
     * The debugger's paths (gdb {@code p}/{@code P}): {@code peek} reads without any guest-visible
     * side effect (no counter materialised, nothing counted as a guest access); {@code set} is the
     * userspace (KVM set-one-reg) write. Either may be null to keep the default: the guest reader
     * (rows whose reader has side effects must give a peek) and the guest writer.
     */
    public SysReg debugAccess(Reader peek, Writer set) {
        return new SysReg(name, encoding, el0, reader, writer, hasReset, reset, index, peek, set);
    }

    // ---- use

    /** Whether this access is allowed at the context's current EL. */
    public Access access(SysRegContext c, boolean write) {
        if (write ? writer == null : reader == null) {
            return Access.UNDEFINED;
        }
        return el0.check(c, write);
    }

    public long read(SysRegContext c) {
        return reader.read(c, this);
    }

    public void write(SysRegContext c, long value) {
        writer.write(c, this, value);
    }

    // Compiled code (the JIT) checks and calls an access itself, with these as constants of its unit:
    // access(c, w) is "handler of that direction null ? UNDEFINED : el0Rule().check(c, w)".

    /** The access rule ({@link #access} consults it when the direction has a handler). */
    public El0Rule el0Rule() {
        return el0;
    }

    /** The guest read handler, null when reads are UNDEFINED. */
    public Reader reader() {
        return reader;
    }

    /** The guest write handler, null when writes are UNDEFINED. */
    public Writer writer() {
        return writer;
    }

    /** Whether the debugger can read this register ({@link #peek}). */
    public boolean peekable() {
        return peek != null || reader != null;
    }

    /** The debugger's read: no guest-visible side effects. Only if {@link #peekable()}. */
    public long peek(SysRegContext c) {
        return (peek != null ? peek : reader).read(c, this);
    }

    /** Whether userspace (the debugger) can write this register ({@link #setFromUser}). */
    public boolean userWritable() {
        return userWriter != null || writer != null;
    }

    /** The userspace (KVM set-one-reg) write. Only if {@link #userWritable()}. */
    public void setFromUser(SysRegContext c, long value) {
        (userWriter != null ? userWriter : writer).write(c, this, value);
    }

    void reset(SysRegContext c) {
        if (hasReset && writer != null) {
            writer.write(c, this, reset);
        }
    }

    public String name() {
        return name;
    }

    public int encoding() {
        return encoding;
    }

    public boolean readable() {
        return reader != null;
    }

    public boolean writable() {
        return writer != null;
    }

    /** Position in its table (slot index for stored registers); -1 before the table is built. */
    public int index() {
        return index;
    }

    @Override
    public String toString() {
        return name + "(" + SysRegEncoding.genericName(encoding) + ")";
    }
}
