package dev.a64trap.machine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The guest console on the process's stdout, so that no printed byte is lost: bytes are buffered,
 * written out at every newline, at most {@link #PARTIAL_LINE_MS} ms after a partial line, and by
 * {@link #flush()} (which the run's shutdown hook calls on SIGTERM/SIGHUP). A write that fails
 * (stdout closed, a pipe whose reader left, a full disk) never throws into the guest: the console
 * remembers the failure ({@link #failure()}), drops further output and tells {@code onFailure} once,
 * so the run can stop the way a tool killed by SIGPIPE stops.
 */
public final class ConsoleOutput extends OutputStream {
    /** The longest a partial line waits before it is written (wall time; output only, never guest state). */
    public static final long PARTIAL_LINE_MS = 20;

    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int count;
    private IOException failure;
    private Runnable onFailure = () -> {};
    private ScheduledExecutorService ticker;

    public ConsoleOutput(OutputStream out) {
        this.out = out;
    }

    /** Called once, on the writing thread, when the first write fails. */
    public synchronized void onFailure(Runnable action) {
        this.onFailure = action;
    }

    /** Starts the background flush of partial lines (a daemon thread; stop it with {@link #close()}). */
    public synchronized ConsoleOutput startTicker() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "console-flush");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::flush, PARTIAL_LINE_MS, PARTIAL_LINE_MS, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** The write error that ended console output, or null while all output got through. */
    public synchronized IOException failure() {
        return failure;
    }

    @Override
    public synchronized void write(int b) {
        if (failure != null) {
            return;
        }
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
        if (b == '\n') {
            drain();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    @Override
    public synchronized void flush() {
        drain();
    }

    /** Flushes and stops the ticker; the underlying stream stays open (it is the process's stdout). */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
            ticker = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        flush();
    }

    private void drain() {
        if (failure != null || count == 0) {
            return;
        }
        try {
            out.write(buffer, 0, count);
            out.flush();
        } catch (IOException e) {
            failure = e;
            onFailure.run();
        } finally {
            count = 0;
        }
    }

    /** True if the failure is the reader going away (EPIPE), which tools end on silently. */
    public static boolean isBrokenPipe(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("Broken pipe");
    }
}
