package dev.a64trap.devices;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/** Where a UART's received bytes come from. {@link #poll()} never blocks. */
public interface SerialInput {
    /** The next byte (0..255), or -1 if none is available now (or ever). */
    int poll();

    /** No input at all: RX stays empty. */
    SerialInput NONE = () -> -1;

    /**
     * Takes a byte whenever the stream reports one available ({@link InputStream#available()}),
     * so polling the UART never blocks the guest, even on an idle terminal. Reproducible for
     * regular files, /dev/null and in-memory streams (available() is exact there); for pipes and
     * terminals what the guest sees depends on when the bytes arrive, as on real hardware.
     */
    static SerialInput eager(InputStream in) {
        return new SerialInput() {
            private boolean eof;

            @Override
            public int poll() {
                if (eof) {
                    return -1;
                }
                try {
                    if (in.available() <= 0) {
                        return -1;
                    }
                    int b = in.read();
                    eof = b < 0;
                    return b;
                } catch (IOException e) {
                    eof = true;
                    return -1;
                }
            }
        };
    }

    /**
     * For an interactive terminal: a daemon thread reads the stream, and a byte is available
     * once it has arrived. Timing-dependent by nature.
     */
    static SerialInput background(InputStream in) {
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                for (int b; (b = in.read()) >= 0; ) {
                    queue.add(b);
                }
            } catch (IOException e) {
                // end of input
            }
        }, "uart-input");
        reader.setDaemon(true);
        reader.start();
        return () -> {
            Integer b = queue.poll();
            return b == null ? -1 : b;
        };
    }
}
