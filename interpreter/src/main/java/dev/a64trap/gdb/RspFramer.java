package dev.a64trap.gdb;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The frame decoder's core, free of Netty: feed it bytes in any fragmentation, it emits
 * {@link RspFrame}s when they are complete. Memory is bounded: a packet longer than
 * {@code maxPayload} raw bytes is skipped (not buffered) up to its checksum and reported as
 * {@link RspFrame.Problem#OVERSIZED}.
 *
 * <p>Outside a packet '+', '-' and 0x03 are frames and every other byte is ignored (line noise).
 * A '$' inside a packet restarts the packet (gdb escapes a literal '$'), so junk cannot
 * swallow the next real packet.
 */
final class RspFramer {
    private enum State { IDLE, PAYLOAD, CHECKSUM_HI, CHECKSUM_LO }

    private final int maxPayload;
    private final ByteArrayOutputStream raw;
    private State state = State.IDLE;
    private int sum;
    private int rawLength;
    private boolean oversized;
    private int checksumHi;

    RspFramer(int maxPayload) {
        if (maxPayload < 16) throw new IllegalArgumentException("maxPayload too small: " + maxPayload);
        this.maxPayload = maxPayload;
        this.raw = new ByteArrayOutputStream(256);
    }

    /** Feeds one byte; calls {@code out} for each completed frame. */
    void feed(byte b, Consumer<RspFrame> out) {
        int c = b & 0xff;
        switch (state) {
            case IDLE -> {
                switch (c) {
                    case '$' -> startPacket();
                    case '+' -> out.accept(RspFrame.ACK);
                    case '-' -> out.accept(RspFrame.NAK);
                    case 0x03 -> out.accept(RspFrame.INTERRUPT);
                    default -> { } // noise between packets
                }
            }
            case PAYLOAD -> {
                if (c == '$') {
                    startPacket();
                } else if (c == '#') {
                    state = State.CHECKSUM_HI;
                } else {
                    sum = (sum + c) & 0xff;
                    if (++rawLength > maxPayload) {
                        oversized = true;
                        raw.reset();
                    } else if (!oversized) {
                        raw.write(c);
                    }
                }
            }
            case CHECKSUM_HI -> {
                checksumHi = Character.digit(c, 16);
                state = State.CHECKSUM_LO;
            }
            case CHECKSUM_LO -> {
                int lo = Character.digit(c, 16);
                state = State.IDLE;
                out.accept(finish(checksumHi < 0 || lo < 0 ? -1 : checksumHi << 4 | lo));
            }
        }
    }

    /** Feeds a whole array. */
    void feed(byte[] bytes, Consumer<RspFrame> out) {
        for (byte b : bytes) feed(b, out);
    }

    /** True if bytes of an incomplete packet are buffered (nothing is lost between frames otherwise). */
    boolean inPacket() {
        return state != State.IDLE;
    }

    private void startPacket() {
        state = State.PAYLOAD;
        sum = 0;
        rawLength = 0;
        oversized = false;
        raw.reset();
    }

    private RspFrame finish(int checksum) {
        byte[] bytes = raw.toByteArray();
        raw.reset();
        if (checksum != sum) return new RspFrame.Invalid(RspFrame.Problem.CHECKSUM);
        if (oversized) return new RspFrame.Invalid(RspFrame.Problem.OVERSIZED);
        byte[] payload = decodePayload(bytes, maxPayload);
        return payload == null ? new RspFrame.Invalid(RspFrame.Problem.MALFORMED) : new RspFrame.Packet(payload);
    }

    /**
     * Undoes '}' escapes and '*' run-length encoding; null if malformed (a trailing '}', a '*'
     * with nothing before it or without a count) or if it expands beyond {@code limit} bytes.
     */
    static byte[] decodePayload(byte[] raw, int limit) {
        byte[] out = new byte[Math.min(limit, Math.max(raw.length, 16))];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            int c = raw[i] & 0xff;
            int repeat = 1;
            int value;
            if (c == '}') {
                if (++i == raw.length) return null;
                value = (raw[i] & 0xff) ^ 0x20;
            } else if (c == '*') {
                // "X*n" repeats X a further n-29 times (n is printable, so 0..97 more)
                if (n == 0 || ++i == raw.length) return null;
                int count = (raw[i] & 0xff) - 29;
                if (count < 0) return null;
                value = out[n - 1] & 0xff;
                repeat = count;
            } else {
                value = c;
            }
            if (n + repeat > limit) return null;
            if (n + repeat > out.length) out = Arrays.copyOf(out, Math.min(limit, Math.max(out.length * 2, n + repeat)));
            for (int k = 0; k < repeat; k++) out[n++] = (byte) value;
        }
        return Arrays.copyOf(out, n);
    }
}
