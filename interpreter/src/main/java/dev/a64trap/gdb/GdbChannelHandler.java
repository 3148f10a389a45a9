package dev.a64trap.gdb;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/** Netty adapter: frames in, a {@link GdbSession} in the middle, replies out. */
final class GdbChannelHandler extends SimpleChannelInboundHandler<RspFrame> {
    private final TargetRunner runner;
    private final Runnable onGone;
    private GdbSession session;

    GdbChannelHandler(TargetRunner runner, Runnable onGone) {
        this.runner = runner;
        this.onGone = onGone;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new GdbSession(runner, new GdbSession.Transport() {
            @Override
            public void sendRaw(byte b) {
                ctx.write(Unpooled.wrappedBuffer(new byte[] {b}));
            }

            @Override
            public void sendPacket(byte[] payload) {
                ctx.write(new RspEncoder.Reply(payload));
            }

            @Override
            public void flush() {
                ctx.flush();
            }

            @Override
            public void execute(Runnable task) {
                ctx.executor().execute(task);
            }

            @Override
            public void close() {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        });
        session.start();
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RspFrame frame) {
        session.onFrame(frame);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) session.disconnected();
        onGone.run();
        ctx.fireChannelInactive();
    }

    /** Back-pressure: a client that sends but never reads must not make us buffer replies without bound. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (connection reset...) end this connection only; the target stays stopped
        ctx.close();
    }
}
