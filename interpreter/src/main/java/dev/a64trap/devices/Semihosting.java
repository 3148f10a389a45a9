package dev.a64trap.devices;

import dev.a64trap.mem.BusFault;
import dev.a64trap.mem.PhysicalMemory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Arm semihosting (A64, {@code HLT #0xF000}) as QEMU's semihosting/arm-compat-semi.c answers it,
 * checked against QEMU 7.2 with the probe in src/test/resources/semihosting. The CPU calls
 * {@link #call(long, long)} with x0 (operation) and x1 (parameter) and writes the result to x0.
 *
 * <p>Where QEMU's answers depend on the host, ours are fixed so runs are reproducible:
 * <ul>
 *   <li>Time comes from a {@link GuestClock}: SYS_CLOCK = guest ns / 10^7 (centiseconds),
 *       SYS_ELAPSED = guest ns, SYS_TICKFREQ = 10^9 (as QEMU), SYS_TIME = {@link #EPOCH} + guest
 *       seconds.</li>
 *   <li>SYS_ISTTY on a ":tt" handle answers {@code consoleIsTty} (default false: what QEMU
 *       answers when output is redirected, as in every scripted run); 0 sets errno ENOTTY.</li>
 *   <li>Host files (anything but ":tt" and ":semihosting-features") open only when enabled;
 *       otherwise SYS_OPEN fails with ENOENT. With a root, only under it (else EACCES).
 *       SYS_SYSTEM, SYS_TMPNAM, SYS_REMOVE, SYS_RENAME fail with ENOSYS.</li>
 *   <li>SYS_READC at end of input returns -1 (QEMU returns a stale byte).</li>
 *   <li>An operation QEMU does not know makes QEMU abort; we end the run with status 1 and say why.</li>
 * </ul>
 * Output routing follows QEMU: SYS_WRITEC/SYS_WRITE0 go to the semihosting console (QEMU: stderr
 * unless a chardev is configured), ":tt" opened for writing goes to stdout, for appending to
 * stderr, for reading comes from stdin. Addresses are physical (the MMU is off in our guests).
 * Not thread-safe.
 */
public final class Semihosting {
    /** SYS_TIME at guest time 0: 2024-01-01T00:00:00Z. */
    public static final long EPOCH = 1_704_067_200L;
    /** ADP_Stopped_ApplicationExit: the only exit reason that passes a status through. */
    public static final long APPLICATION_EXIT = 0x20026;
    /** The immediate of the A64 semihosting trap, {@code HLT #0xF000}. */
    public static final int HLT_IMMEDIATE = 0xF000;

    // errno values QEMU reports (Linux host).
    static final int EPERM = 1, ENOENT = 2, EIO = 5, E2BIG = 7, EBADF = 9, EACCES = 13, EFAULT = 14,
            EEXIST = 17, EISDIR = 21, EINVAL = 22, ENOTTY = 25, ESPIPE = 29, ENOSYS = 38;
    static final long DEADBEEF = 0xdeadbeefL;
    private static final long MAX_STRING = 1 << 20;
    private static final byte[] FEATURES = {'S', 'H', 'F', 'B', 0x03}; // EXIT_EXTENDED | STDOUT_STDERR

    @FunctionalInterface
    private interface Handler {
        long call(Semihosting s, long param);
    }

    private record Op(int number, String name, Handler handler) {}

    /** The operation table, by number. */
    private static final TreeMap<Integer, Op> OPS = new TreeMap<>();

    static {
        op(0x01, "SYS_OPEN", Semihosting::open);
        op(0x02, "SYS_CLOSE", Semihosting::close);
        op(0x03, "SYS_WRITEC", Semihosting::writec);
        op(0x04, "SYS_WRITE0", Semihosting::write0);
        op(0x05, "SYS_WRITE", Semihosting::write);
        op(0x06, "SYS_READ", Semihosting::read);
        op(0x07, "SYS_READC", Semihosting::readc);
        op(0x08, "SYS_ISERROR", (s, p) -> s.arg(p, 0) < 0 ? 1 : 0);
        op(0x09, "SYS_ISTTY", Semihosting::istty);
        op(0x0a, "SYS_SEEK", Semihosting::seek);
        op(0x0c, "SYS_FLEN", Semihosting::flen);
        op(0x0d, "SYS_TMPNAM", (s, p) -> s.fail(ENOSYS));
        op(0x0e, "SYS_REMOVE", (s, p) -> s.fail(ENOSYS));
        op(0x0f, "SYS_RENAME", (s, p) -> s.fail(ENOSYS));
        op(0x10, "SYS_CLOCK", (s, p) -> s.clock.nanoseconds() / 10_000_000L);
        op(0x11, "SYS_TIME", (s, p) -> EPOCH + s.clock.nanoseconds() / 1_000_000_000L);
        op(0x12, "SYS_SYSTEM", (s, p) -> s.fail(ENOSYS));
        op(0x13, "SYS_ERRNO", (s, p) -> s.errno);
        op(0x15, "SYS_GET_CMDLINE", Semihosting::getCmdline);
        op(0x16, "SYS_HEAPINFO", Semihosting::heapinfo);
        op(0x18, "SYS_EXIT", Semihosting::exit);
        op(0x19, "SYS_SYNCCACHE", (s, p) -> 0);
        op(0x20, "SYS_EXIT_EXTENDED", Semihosting::exit);
        op(0x30, "SYS_ELAPSED", Semihosting::elapsed);
        op(0x31, "SYS_TICKFREQ", (s, p) -> 1_000_000_000L);
    }

    private static void op(int number, String name, Handler handler) {
        if (OPS.put(number, new Op(number, name, handler)) != null) {
            throw new IllegalStateException("duplicate semihosting op " + number);
        }
    }

    /** The name of an operation number, or null if QEMU does not implement it. */
    public static String opName(long op) {
        Op o = OPS.get((int) op);
        return o == null ? null : o.name;
    }

    private final PhysicalMemory memory;
    private final GuestClock clock;
    private final InputStream stdin;
    private final OutputStream console;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final byte[] commandLine;
    private final long heapBase;
    private final long heapLimit;
    private final boolean hostFiles;
    private final Path hostRoot;
    private final boolean consoleIsTty;
    private final List<Handle> handles = new ArrayList<>(); // index = guest fd; 0 never used
    private long errno;

    private Semihosting(Builder b) {
        this.memory = b.memory;
        this.clock = b.clock;
        this.stdin = b.stdin;
        this.console = b.console;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.commandLine = b.commandLine.getBytes(StandardCharsets.UTF_8);
        this.heapBase = b.heapBase;
        this.heapLimit = b.heapLimit;
        this.hostFiles = b.hostFiles;
        this.hostRoot = b.hostRoot;
        this.consoleIsTty = b.consoleIsTty;
        handles.add(null);
    }

    public static Builder builder(PhysicalMemory memory, GuestClock clock) {
        return new Builder(memory, clock);
    }

    /** Options; everything but memory and clock has a harmless default (no input, output discarded). */
    public static final class Builder {
        private final PhysicalMemory memory;
        private final GuestClock clock;
        private InputStream stdin = InputStream.nullInputStream();
        private OutputStream console = OutputStream.nullOutputStream();
        private OutputStream stdout = OutputStream.nullOutputStream();
        private OutputStream stderr = OutputStream.nullOutputStream();
        private String commandLine = "";
        private long heapBase;
        private long heapLimit;
        private boolean hostFiles;
        private Path hostRoot;
        private boolean consoleIsTty;

        private Builder(PhysicalMemory memory, GuestClock clock) {
            this.memory = memory;
            this.clock = clock;
        }

        /** Where SYS_WRITEC and SYS_WRITE0 go (QEMU: stderr). */
        public Builder console(OutputStream out) {
            this.console = out;
            return this;
        }

        public Builder stdout(OutputStream out) {
            this.stdout = out;
            return this;
        }

        public Builder stderr(OutputStream out) {
            this.stderr = out;
            return this;
        }

        /** SYS_READC and reads from ":tt". */
        public Builder stdin(InputStream in) {
            this.stdin = in;
            return this;
        }

        /** SYS_GET_CMDLINE's answer; see {@link Semihosting#qemuCommandLine}. */
        public Builder commandLine(String line) {
            this.commandLine = line;
            return this;
        }

        /** SYS_HEAPINFO's heap [base, limit); stack base = limit, stack limit = base, as QEMU. */
        public Builder heap(long base, long limit) {
            this.heapBase = base;
            this.heapLimit = limit;
            return this;
        }

        /** Let SYS_OPEN open host files (the --semihosting-files option). */
        public Builder hostFiles(boolean enabled) {
            this.hostFiles = enabled;
            return this;
        }

        /**
         * Let SYS_OPEN open host files under {@code dir} only (the --semihosting-root option):
         * relative names are taken from {@code dir}; a name that resolves (after {@code ..} and
         * symbolic links) outside it fails with EACCES. Null: no confinement.
         *
         * @throws IllegalArgumentException if {@code dir} is not an existing directory
         */
        public Builder hostRoot(Path dir) {
            if (dir == null) {
                this.hostRoot = null;
                return this;
            }
            try {
                Path real = dir.toRealPath();
                if (!Files.isDirectory(real)) {
                    throw new IllegalArgumentException(dir + " is not a directory");
                }
                this.hostRoot = real;
                this.hostFiles = true;
            } catch (IOException e) {
                throw new IllegalArgumentException(dir + ": no such directory");
            }
            return this;
        }

        public Builder consoleIsTty(boolean tty) {
            this.consoleIsTty = tty;
            return this;
        }

        public Semihosting build() {
            return new Semihosting(this);
        }
    }

    /**
     * QEMU's command line for a -kernel run without -semihosting-config arg=...: the kernel path as
     * given, then the words of -append (split on single spaces, empty words dropped), joined by spaces.
     */
    public static String qemuCommandLine(String kernelPath, String append) {
        StringBuilder sb = new StringBuilder(kernelPath);
        if (append != null) {
            for (String word : append.split(" ")) {
                if (!word.isEmpty()) {
                    sb.append(' ').append(word);
                }
            }
        }
        return sb.toString();
    }

    /** Memory the image (or the DTB) occupies: [start, end). */
    public record Span(long start, long end) {}

    /**
     * QEMU's heap for SYS_HEAPINFO: the largest gap in RAM between loaded blobs (the first one if
     * several tie). Pass the image's ranges plus the DTB's if it was put in RAM.
     *
     * @return {base, limit}
     */
    public static long[] largestGap(long ramBase, long ramSize, List<Span> used) {
        List<Span> sorted = new ArrayList<>(used);
        sorted.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        long end = ramBase + ramSize;
        long gapStart = ramBase;
        long bestBase = 0;
        long bestSize = 0;
        for (Span r : sorted) {
            if (r.end() <= ramBase || r.start() >= end) {
                continue;
            }
            if (r.start() > gapStart && r.start() - gapStart > bestSize) {
                bestBase = gapStart;
                bestSize = r.start() - gapStart;
            }
            gapStart = Math.max(gapStart, r.end());
        }
        if (end > gapStart && end - gapStart > bestSize) {
            bestBase = gapStart;
            bestSize = end - gapStart;
        }
        return new long[] {bestBase, bestBase + bestSize};
    }

    /**
     * Performs semihosting call {@code op} (x0) with parameter {@code param} (x1).
     *
     * @return the new x0
     * @throws GuestExit for SYS_EXIT/SYS_EXIT_EXTENDED, and for operations QEMU does not implement
     */
    public long call(long op, long param) {
        Op o = OPS.get((int) op);
        if (o == null) {
            throw new GuestExit(1, String.format("unsupported semihosting call 0x%02x", (int) op));
        }
        try {
            return o.handler.call(this, param);
        } catch (BusFault f) {
            return fail(EFAULT);
        }
    }

    /** The last error a call set (SYS_ERRNO). */
    public long errno() {
        return errno;
    }

    // ---- helpers ----

    private long fail(int code) {
        errno = code;
        return -1;
    }

    private long arg(long block, int n) {
        return memory.read(block + 8L * n, 8);
    }

    private void setArg(long block, int n, long value) {
        memory.write(block + 8L * n, 8, value);
    }

    private byte[] readBytes(long address, long length) {
        byte[] out = new byte[(int) length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) memory.read(address + i, 1);
        }
        return out;
    }

    private byte[] readString(long address) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long i = 0; i < MAX_STRING; i++) {
            int b = (int) memory.read(address + i, 1);
            if (b == 0) {
                break;
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    private static void emit(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            // The host stream is gone (closed pipe); the guest cannot do anything about it.
        }
    }

    private Handle handle(long fd) {
        return fd > 0 && fd < handles.size() ? handles.get((int) fd) : null;
    }

    private long allocate(Handle h) {
        for (int i = 1; i < handles.size(); i++) {
            if (handles.get(i) == null) {
                handles.set(i, h);
                return i;
            }
        }
        handles.add(h);
        return handles.size() - 1;
    }

    // ---- handles ----

    private abstract static class Handle {
        boolean isConsole() {
            return false;
        }

        /** Bytes read into buf, 0 at end of input; throws on error. */
        abstract int read(byte[] buf) throws IOException;

        abstract void write(byte[] buf) throws IOException;

        void seek(long position) throws IOException {
            throw new IOException("ESPIPE");
        }

        long length() throws IOException {
            return 0;
        }

        void close() throws IOException {}
    }

    private final class Console extends Handle {
        private final InputStream in;
        private final OutputStream out;

        Console(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        @Override
        boolean isConsole() {
            return true;
        }

        @Override
        int read(byte[] buf) throws IOException {
            if (in == null) {
                throw new IOException("EBADF");
            }
            int n = buf.length == 0 ? 0 : in.read(buf);
            return Math.max(n, 0);
        }

        @Override
        void write(byte[] buf) throws IOException {
            if (out == null) {
                throw new IOException("EBADF");
            }
            out.write(buf);
        }
    }

    private static final class StaticFile extends Handle {
        private final byte[] data;
        private int position;

        StaticFile(byte[] data) {
            this.data = data;
        }

        @Override
        int read(byte[] buf) {
            int n = Math.min(buf.length, data.length - position);
            System.arraycopy(data, position, buf, 0, n);
            position += n;
            return n;
        }

        @Override
        void write(byte[] buf) throws IOException {
            throw new IOException("EBADF");
        }

        @Override
        void seek(long p) {
            position = (int) Math.min(Math.max(p, 0), data.length);
        }

        @Override
        long length() {
            return data.length;
        }
    }

    private static final class HostFile extends Handle {
        private final FileChannel channel;

        HostFile(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        int read(byte[] buf) throws IOException {
            int n = channel.read(ByteBuffer.wrap(buf));
            return Math.max(n, 0);
        }

        @Override
        void write(byte[] buf) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(buf);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        @Override
        void seek(long position) throws IOException {
            channel.position(position);
        }

        @Override
        long length() throws IOException {
            return channel.size();
        }

        @Override
        void close() throws IOException {
            channel.close();
        }
    }

    /** fopen modes r, rb, r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b (the SYS_OPEN mode numbers). */
    private static Set<StandardOpenOption> openOptions(int mode) {
        return switch (mode / 2) {
            case 0 -> EnumSet.of(StandardOpenOption.READ);
            case 1 -> EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
            case 2 -> EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            case 3 -> EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            case 4 -> EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            default -> EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        };
    }

    private static int errnoOf(IOException e) {
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return EACCES;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EEXIST;
        }
        String m = String.valueOf(e.getMessage());
        if (m.equals("EBADF")) {
            return EBADF;
        }
        if (m.equals("ESPIPE")) {
            return ESPIPE;
        }
        if (m.contains("Is a directory")) {
            return EISDIR;
        }
        return EIO;
    }

    // ---- operations ----

    private long open(long p) {
        long nameAddr = arg(p, 0);
        long mode = arg(p, 1);
        byte[] name = readString(nameAddr);
        if (Long.compareUnsigned(mode, 12) >= 0) {
            return fail(EINVAL);
        }
        String s = new String(name, StandardCharsets.ISO_8859_1);
        if (s.equals(":tt")) {
            // SH_EXT_STDOUT_STDERR: read = stdin, write = stdout, append = stderr.
            return mode < 4 ? allocate(new Console(stdin, null))
                    : mode < 8 ? allocate(new Console(null, stdout)) : allocate(new Console(null, stderr));
        }
        if (s.equals(":semihosting-features")) {
            return mode <= 1 ? allocate(new StaticFile(FEATURES)) : fail(EACCES);
        }
        if (!hostFiles) {
            return fail(ENOENT);
        }
        try {
            Path path = hostRoot == null ? Path.of(s) : confine(hostRoot, s);
            if (path == null) {
                return fail(EACCES);
            }
            FileChannel ch = FileChannel.open(path, openOptions((int) mode));
            if (mode >= 10) {
                ch.position(ch.size()); // a+: Java cannot combine READ and APPEND; start at the end
            }
            return allocate(new HostFile(ch));
        } catch (IOException e) {
            return fail(errnoOf(e));
        } catch (RuntimeException e) {
            return fail(EINVAL); // e.g. an invalid path string
        }
    }

    /**
     * The real path SYS_OPEN opens for {@code name} under {@code root} (a real path), or null if it
     * lies outside: symbolic links are resolved before the check, and a dangling link is refused
     * (creating through it would write wherever it points).
     */
    static Path confine(Path root, String name) throws IOException {
        Path p = root.resolve(name).normalize();
        Path real;
        if (Files.exists(p)) {
            real = p.toRealPath();
        } else if (Files.isSymbolicLink(p) || p.getParent() == null) {
            return null;
        } else {
            real = p.getParent().toRealPath().resolve(p.getFileName());
        }
        return real.startsWith(root) ? real : null;
    }

    private long close(long p) {
        long fd = arg(p, 0);
        Handle h = handle(fd);
        if (h == null) {
            return fail(EBADF);
        }
        handles.set((int) fd, null);
        try {
            h.close();
            return 0;
        } catch (IOException e) {
            return fail(errnoOf(e));
        }
    }

    private long writec(long p) {
        emit(console, new byte[] {(byte) memory.read(p, 1)});
        return DEADBEEF;
    }

    private long write0(long p) {
        emit(console, readString(p));
        return DEADBEEF;
    }

    /** The open handle for a SYS_READ/SYS_WRITE of {@code len} bytes, or null with errno set (EBADF, EINVAL). */
    private Handle transferHandle(long fd, long len) {
        Handle h = handle(fd);
        if (h == null) {
            errno = EBADF;
        } else if (Long.compareUnsigned(len, MAX_STRING * 64) > 0) {
            errno = EINVAL;
            return null;
        }
        return h;
    }

    /** Returns the number of bytes NOT written. */
    private long write(long p) {
        long fd = arg(p, 0);
        long buf = arg(p, 1);
        long len = arg(p, 2);
        Handle h = transferHandle(fd, len);
        if (h == null) {
            return len;
        }
        byte[] data = readBytes(buf, len);
        try {
            h.write(data);
            return 0;
        } catch (IOException e) {
            errno = errnoOf(e);
            return len;
        }
    }

    /** Returns the number of bytes NOT read (len at end of input). */
    private long read(long p) {
        long fd = arg(p, 0);
        long buf = arg(p, 1);
        long len = arg(p, 2);
        Handle h = transferHandle(fd, len);
        if (h == null) {
            return len;
        }
        byte[] data = new byte[(int) len];
        try {
            int n = h.read(data);
            for (int i = 0; i < n; i++) {
                memory.write(buf + i, 1, data[i]);
            }
            return len - n;
        } catch (IOException e) {
            errno = errnoOf(e);
            return len;
        }
    }

    private long readc(long p) {
        try {
            int b = stdin.read();
            return b < 0 ? -1 : b;
        } catch (IOException e) {
            return fail(EIO);
        }
    }

    private long istty(long p) {
        Handle h = handle(arg(p, 0));
        if (h == null) {
            return fail(EBADF);
        }
        if (h.isConsole() && consoleIsTty) {
            return 1;
        }
        errno = ENOTTY;
        return 0;
    }

    private long seek(long p) {
        Handle h = handle(arg(p, 0));
        if (h == null) {
            return fail(EBADF);
        }
        try {
            h.seek(arg(p, 1));
            return 0;
        } catch (IOException e) {
            return fail(errnoOf(e));
        }
    }

    private long flen(long p) {
        Handle h = handle(arg(p, 0));
        if (h == null) {
            return fail(EBADF);
        }
        try {
            return h.length();
        } catch (IOException e) {
            return fail(errnoOf(e));
        }
    }

    private long getCmdline(long p) {
        long buf = arg(p, 0);
        long size = arg(p, 1);
        if (Long.compareUnsigned(commandLine.length + 1L, size) > 0) {
            return fail(E2BIG);
        }
        setArg(p, 1, commandLine.length);
        for (int i = 0; i < commandLine.length; i++) {
            memory.write(buf + i, 1, commandLine[i]);
        }
        memory.write(buf + commandLine.length, 1, 0);
        return 0;
    }

    private long heapinfo(long p) {
        long block = arg(p, 0);
        setArg(block, 0, heapBase);
        setArg(block, 1, heapLimit);
        setArg(block, 2, heapLimit); // stack base
        setArg(block, 3, heapBase); // stack limit
        return 0;
    }

    private long exit(long p) {
        // A64: both SYS_EXIT and SYS_EXIT_EXTENDED take a block {reason, subcode}.
        long reason = arg(p, 0);
        long subcode = arg(p, 1);
        long code = reason == APPLICATION_EXIT ? subcode & 0xffffffffL : 1;
        // no String.format: its %d loads the locale data, ~10% of a short run's start-up
        throw new GuestExit(code, "semihosting exit (reason 0x" + Long.toHexString(reason) + ", subcode " + subcode + ")");
    }

    private long elapsed(long p) {
        setArg(p, 0, clock.nanoseconds());
        return 0;
    }
}
