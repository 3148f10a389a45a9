package dev.a64trap.gdb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Frames a reply payload as {@code $payload#cs}, escaping '#', '$', '}' and '*' as
 * '}' followed by the byte XOR 0x20, and run-length encoding runs of hex digits (gdb reads a
 * reply one character at a time, so a mostly-zero memory dump gets much faster). Acknowledgements are not this encoder's job: the session
 * writes '+' itself, only when ack mode is on and only in answer to a received packet.
 */
final class RspEncoder extends MessageToByteEncoder<RspEncoder.Reply> {
    /** A reply payload to frame (raw bytes: binary qXfer/X data is allowed). */
    record Reply(byte[] payload) {}

    RspEncoder() {
        super(Reply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply msg, ByteBuf out) {
        out.writeBytes(frame(msg.payload()));
    }

    /** The complete frame for {@code payload}. */
    static byte[] frame(byte[] payload) {
        byte[] out = new byte[payload.length * 2 + 4];
        int n = 0;
        int sum = 0;
        out[n++] = '$';
        for (int i = 0; i < payload.length; ) {
            int c = payload[i] & 0xff;
            if (c == '#' || c == '$' || c == '}' || c == '*') {
                out[n++] = '}';
                out[n++] = (byte) (c ^ 0x20);
                sum += '}' + (c ^ 0x20);
                i++;
                continue;
            }
            out[n++] = (byte) c;
            sum += c;
            int run = 1;
            while (i + run < payload.length && payload[i + run] == payload[i] && run <= MAX_REPEAT) run++;
            int repeat = run - 1;
            if (repeat >= 3 && isRunLengthChar(c)) {
                // "c*N" stands for c repeated N-29 more times; N must be printable and not '#' or '$'
                if (repeat == 6 || repeat == 7) repeat = 5;
                out[n++] = '*';
                out[n++] = (byte) (repeat + 29);
                sum += '*' + repeat + 29;
                i += 1 + repeat;
            } else {
                i++;
            }
        }
        out[n++] = '#';
        out[n++] = (byte) Character.forDigit(sum >> 4 & 0xf, 16);
        out[n++] = (byte) Character.forDigit(sum & 0xf, 16);
        return java.util.Arrays.copyOf(out, n);
    }

    /** Longest repeat one '*' can express (N = 126). */
    private static final int MAX_REPEAT = 126 - 29;

    /**
     * Run-length encoding only for hex digits and 'x' (register/memory text), never inside binary
     * data, where it could interact with '}' escapes.
     */
    private static boolean isRunLengthChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x';
    }
}
