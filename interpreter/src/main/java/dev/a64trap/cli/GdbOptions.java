package dev.a64trap.cli;

import dev.a64trap.debug.BoardDebugTarget;
import dev.a64trap.gdb.GdbServer;
import dev.a64trap.gdb.GdbServerException;
import dev.a64trap.gdb.StopEvent;
import dev.a64trap.machine.VirtBoard;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Option;

/**
 * The run command's gdb options ({@code --gdb [HOST:]PORT}, {@code --wait}, QEMU's {@code -s} and
 * {@code -S}) and the debugged run itself: the gdb server owns execution, the guest console
 * stays on stdout, a64trap's messages go to stderr, and the exit status is the guest's.
 */
final class GdbOptions {
    static final int QEMU_PORT = 1234;

    @Option(names = "--gdb", paramLabel = "[HOST:]PORT",
            description = "serve the gdb remote protocol on PORT (127.0.0.1 unless HOST is given; 0 picks a free port)")
    String gdb;

    @Option(names = "--wait", description = "with --gdb: wait for the debugger before the first instruction")
    boolean waitFlag;

    @Option(names = "-s", description = "shorthand for --gdb 1234 (as QEMU)")
    boolean qemuS;

    @Option(names = "-S", description = "wait for the debugger before the first instruction (as QEMU; with -s or --gdb)")
    boolean qemuBigS;

    /** Whether a gdb server was asked for. */
    boolean enabled() {
        return gdb != null || qemuS;
    }

    /** Host and port to listen on. @throws RunCommand.UsageError for a malformed address */
    Address address() throws RunCommand.UsageError {
        if ((waitFlag || qemuBigS) && !enabled()) {
            throw new RunCommand.UsageError((waitFlag ? "--wait" : "-S") + " needs --gdb [HOST:]PORT or -s");
        }
        if (gdb == null) {
            return new Address(GdbServer.DEFAULT_HOST, QEMU_PORT);
        }
        return parse(gdb);
    }

    /**
     * The warning for a listener on every interface (0.0.0.0, ::), or null: the stub has no
     * authentication, so anyone who can reach the port controls the guest, and through
     * semihosting (with --semihosting-files) the user's files.
     */
    static String exposureWarning(Address a) {
        try {
            if (!java.net.InetAddress.getByName(a.host()).isAnyLocalAddress()) {
                return null;
            }
        } catch (java.net.UnknownHostException e) {
            return null; // binding fails and says so
        }
        return "a64trap: warning: the gdb server listens on every network interface (" + a + "): anyone who can "
                + "reach this port can control the guest and read or write whatever the guest can (host files too "
                + "with --semihosting-files); use 127.0.0.1 (the default) unless you mean it";
    }

    boolean waitForDebugger() {
        return waitFlag || qemuBigS;
    }

    record Address(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** {@code PORT}, {@code HOST:PORT}, {@code [V6]:PORT}, {@code :PORT} or QEMU's {@code tcp::PORT}. */
    static Address parse(String spec) throws RunCommand.UsageError {
        String s = spec.trim();
        if (s.startsWith("tcp:")) {
            s = s.substring(4);
        }
        String host = GdbServer.DEFAULT_HOST;
        String port = s;
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = GdbServer.DEFAULT_HOST;
            }
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new Address(host, p);
        } catch (NumberFormatException e) {
            throw new RunCommand.UsageError("--gdb: expected [HOST:]PORT with PORT 0-65535, got '" + spec + "'");
        }
    }

    /** Serves gdb until the guest exits or the debugger kills it; returns the exit status. */
    int serve(VirtBoard board, long maxInsns, Address at, PrintStream stderr,
            java.util.function.Supplier<VirtBoard> copies) {
        BoardDebugTarget target = new BoardDebugTarget(board, maxInsns, stderr);
        GdbServer server = new GdbServer(target, waitForDebugger());
        if (copies != null) {
            server.warmUpWith(() -> new BoardDebugTarget(copies.get(), maxInsns,
                    new PrintStream(java.io.OutputStream.nullOutputStream())));
        }
        try {
            server.start(at.host(), at.port());
        } catch (GdbServerException e) {
            stderr.println("a64trap run: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        try {
            Address bound = new Address(at.host(), server.port());
            String exposed = exposureWarning(bound);
            if (exposed != null) {
                stderr.println(exposed);
            }
            stderr.println("a64trap: gdb server listening on " + bound
                    + (waitForDebugger() ? "; waiting for the debugger (gdb: target remote " + bound + ")" : ""));
            server.onUnattendedStop(ev -> {
                if (!ev.detail().isEmpty()) {
                    stderr.println(ev.detail());
                }
                stderr.println("a64trap: guest stopped (" + ev.reason().name().toLowerCase(java.util.Locale.ROOT)
                        + ") at pc=0x" + Long.toHexString(board.cpu().pc) + "; waiting for a debugger");
            });
            // Ctrl-C, running or waiting for the debugger: stop the guest and say where, as plain run
            java.util.concurrent.CompletableFuture<StopEvent> ctrlC = new java.util.concurrent.CompletableFuture<>();
            Object sigint = Sigint.install(() -> ctrlC.complete(null));
            Object first;
            try {
                first = java.util.concurrent.CompletableFuture.anyOf(server.guestEnded(), ctrlC).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitStatus.INTERRUPTED;
            } catch (ExecutionException e) {
                stderr.println("a64trap: internal error in the gdb server: " + e.getCause());
                return ExitStatus.GUEST_FAILURE;
            } finally {
                Sigint.restore(sigint);
            }
            if (!(first instanceof StopEvent end)) {
                server.close(); // interrupts the guest and waits for its thread: pc and count are final
                board.flush();
                stderr.printf("a64trap: interrupted at pc=0x%x after %d instructions%n",
                        board.cpu().pc, board.cpu().retired);
                return ExitStatus.INTERRUPTED;
            }
            if (board.hostedVcpu() != null && board.hostedVcpu().failEntry() != null) {
                stderr.println(PmuOptions.failEntryLine(board.hostedVcpu()));
                return ExitStatus.FAIL_ENTRY;
            }
            if (end.reason() == StopEvent.Reason.KILLED) {
                stderr.println("a64trap: guest killed by the debugger");
                return ExitStatus.GUEST_FAILURE;
            }
            return end.code();
        } finally {
            server.close();
            board.flush();
        }
    }
}
