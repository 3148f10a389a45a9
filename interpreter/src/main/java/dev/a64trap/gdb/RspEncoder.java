package dev.a64trap.gdb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Frames a reply payload as {@code $payload#cs}, escaping '#', '$', '}' and '*' as
 * '}' followed by the byte XOR 0x20. Acknowledgements are not this encoder's job: the session
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
        for (byte b : payload) {
            int c = b & 0xff;
            if (c == '#' || c == '$' || c == '}' || c == '*') {
                out[n++] = '}';
                sum += '}';
                c ^= 0x20;
            }
            out[n++] = (byte) c;
            sum += c;
        }
        out[n++] = '#';
        out[n++] = (byte) Character.forDigit(sum >> 4 & 0xf, 16);
        out[n++] = (byte) Character.forDigit(sum & 0xf, 16);
        return java.util.Arrays.copyOf(out, n);
    }
}
