package dev.a64trap.gdb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/** Netty adapter around {@link RspFramer}: bytes in, {@link RspFrame}s out. */
final class RspFrameDecoder extends ByteToMessageDecoder {
    private final RspFramer framer;

    RspFrameDecoder(int maxPayload) {
        this.framer = new RspFramer(maxPayload);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // the framer keeps partial state itself, so every byte can be consumed now
        in.forEachByte(b -> {
            framer.feed(b, out::add);
            return true;
        });
        in.skipBytes(in.readableBytes());
    }
}
