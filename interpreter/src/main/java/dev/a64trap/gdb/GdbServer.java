package dev.a64trap.gdb;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gdb remote server: listens (127.0.0.1 unless a host is given), serves one debugger at a
 * time and runs the target on its own thread. A second connection gets a one-line message and
 * is closed (after a short grace in case the first is just hanging up); the first keeps
 * working. A debugger that disconnects without detaching leaves the target stopped and the server
 * accepting again.
 *
 * <p>Usage by the run command: {@code new GdbServer(target, waitForDebugger).start(host, port)},
 * then wait on {@link #guestEnded()} (the target runs on the server's thread; unless waiting for
 * the debugger it is started at once), then {@link #close()}.
 */
public final class GdbServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    static final String BUSY_MESSAGE = "a64trap: another debugger is already connected to this guest; closing\n";

    private final DebugTarget target;
    private final boolean waitForDebugger;
    private final ExecutorService targetThread;
    private final TargetRunner runner;
    private final AtomicReference<Channel> client = new AtomicReference<>();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;

    /**
     * @param waitForDebugger if true the guest does not run until a debugger resumes it (QEMU -S);
     *                        if false it starts running as soon as the server listens
     */
    public GdbServer(DebugTarget target, boolean waitForDebugger) {
        this.target = target;
        this.waitForDebugger = waitForDebugger;
        this.targetThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "a64trap-gdb-target");
            t.setDaemon(true);
            return t;
        });
        this.runner = new TargetRunner(target, targetThread);
    }

    /**
     * Binds and starts serving; {@code host} null or empty means 127.0.0.1, {@code port} 0 picks
     * a free port (see {@link #port()}).
     *
     * @throws GdbServerException if the address cannot be bound (message names it)
     */
    public synchronized void start(String host, int port) {
        bind(host, port);
        if (!waitForDebugger) runner.start(DebugTarget::resume, null);
        warmUp();
    }

    private void bind(String host, int port) {
        if (listener != null) throw new IllegalStateException("already started");
        String h = host == null || host.isEmpty() ? DEFAULT_HOST : host;
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (client.compareAndSet(null, ch)) {
                            addSession(ch);
                            return;
                        }
                        // Leave its bytes in the kernel until it gets the slot or is turned away.
                        ch.config().setAutoRead(false);
                        ch.pipeline().addLast(new Waiting());
                    }
                });
        try {
            listener = b.bind(new InetSocketAddress(h, port)).sync().channel();
        } catch (Exception e) {
            shutdownGroups();
            String why = e instanceof java.nio.channels.UnresolvedAddressException ? "no such host"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new GdbServerException("cannot listen for gdb on " + h + ":" + port + ": " + why, e);
        }
    }

    /** Steps of the scratch guest over loopback TCP, each with the reads gdb's stepi sends. */
    static final int WARM_STEPS = 12_000;
    /** Wall-clock bound on the synchronous warm-up, whatever the machine's load. */
    static final long WARM_LIMIT_NANOS = 3_000_000_000L;

    /**
     * Compiles the bulk memory path (hex, framing: a cold JVM interprets those per-byte loops several
     * times slower, which the first 'x' or dump would feel) and, with {@link #warmUpWith} and a
     * waiting guest, the stepping path, both before {@link #start} returns; otherwise the bulk path
     * in the background.
     */
    private void warmUp() {
        // Only while the guest waits for its debugger: a free-running guest needs the CPU itself.
        java.util.function.Supplier<DebugTarget> copies = waitForDebugger ? scratch : null;
        if (copies == null) {
            Thread t = new Thread(GdbServer::warmUpBulk, "a64trap-gdb-warmup");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
            return;
        }
        // Before the caller announces the port: a warm-up racing the debugger's first steps for
        // the CPU (and the JIT compiler threads) slows them down more than it helps.
        long deadline = System.nanoTime() + WARM_LIMIT_NANOS;
        try {
            warmUpBulk();
            exerciseOverTcp(copies.get(), WARM_STEPS, deadline);
        } catch (RuntimeException | Error ignored) {
            // only a warm-up: the real session does not depend on it
        }
    }

    /** The bulk memory path: hex and framing of the largest m reply. */
    private static void warmUpBulk() {
        byte[] data = new byte[GdbSession.MAX_READ];
        for (int i = 0; i < data.length / 2; i++) {
            data[i] = (byte) (i * 0x9E3779B1 >>> 13);
        }
        for (int round = 0; round < 12; round++) {
            RspEncoder.frame(Hex.encodeBytes(data, 0, data.length));
        }
    }

    private java.util.function.Supplier<DebugTarget> scratch;

    /**
     * A source of throwaway copies of the target (same image and options, no console, nothing
     * shared with the real one). When set, {@link #start} first single-steps a copy through a
     * throwaway server over loopback TCP as gdb's stepi does (the whole packet path: NIO transport,
     * decoder, session, step, encoder), for at most 3 s, so the JIT has compiled it before the port
     * is announced: a cold JVM single-steps at a third to half speed for its first few thousand
     * steps, and a warm-up running beside the debugger's first steps competes with them. The real
     * target is never touched. Only used when the server waits for the debugger (a free-running
     * guest needs the CPU itself). Call before {@link #start}.
     */
    public void warmUpWith(java.util.function.Supplier<DebugTarget> copies) {
        this.scratch = copies;
    }

    /**
     * Single steps and small reads (the packets of gdb's stepi) from a plain socket client against a
     * throwaway server for {@code t}, until {@code steps}, the guest's end or {@code deadline}
     * (System.nanoTime). Returns the steps done.
     */
    static int exerciseOverTcp(DebugTarget t, int steps, long deadline) {
        GdbServer s = new GdbServer(t, true);
        s.bind(DEFAULT_HOST, 0);
        int done = 0;
        try (java.net.Socket c = new java.net.Socket()) {
            c.setTcpNoDelay(true);
            c.connect(new InetSocketAddress(DEFAULT_HOST, s.port()), 2000);
            c.setSoTimeout(2000);
            java.io.OutputStream o = c.getOutputStream();
            java.io.InputStream in = new java.io.BufferedInputStream(c.getInputStream());
            for (String p : HANDSHAKE) {
                if (p.startsWith("+")) {
                    o.write('+'); // gdb acknowledges replies until no-ack mode
                    p = p.substring(1);
                }
                request(o, in, p);
            }
            long pc = t.readCoreRegister(0, DebugTarget.PC);
            String read = "m" + Long.toHexString(pc) + ",4";
            String before = "m" + Long.toHexString(pc - 4) + ",4";
            String block = "m" + Long.toHexString(pc & ~0x3fL) + ",40";
            for (; done < steps && System.nanoTime() - deadline < 0; done++) {
                if (!request(o, in, "vCont;s:1;c").startsWith("T")) break;
                request(o, in, read);
                request(o, in, before);
                request(o, in, read);
                request(o, in, block);
                request(o, in, read);
                if ((done & 15) == 0) {
                    request(o, in, "g");
                    request(o, in, "qfThreadInfo");
                    request(o, in, "qsThreadInfo");
                }
            }
        } catch (java.io.IOException ignored) {
            // only a warm-up
        } finally {
            s.close();
        }
        return done;
    }

    /**
     * What gdb 13 sends on {@code target remote} before its first step ('+': acknowledged first):
     * the warm-up takes the same branches, or the JIT would deoptimise code on the debugger's first
     * packets and recompile it during its first steps.
     */
    private static final List<String> HANDSHAKE = List.of(
            "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;"
                    + "vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386",
            "+vMustReplyEmpty", "+QStartNoAckMode", "Hg0",
            "qXfer:features:read:target.xml:0,1000", "qXfer:features:read:target.xml:1000,1000",
            "qXfer:features:read:target.xml:2000,1000", "qXfer:features:read:target.xml:3000,1000",
            "qXfer:features:read:target.xml:4000,1000", "qXfer:features:read:target.xml:5000,1000",
            "qTStatus", "?", "qfThreadInfo", "qsThreadInfo", "qAttached", "Hc-1", "qOffsets",
            "m0,4", "m3ffffffc,4", "qSymbol::", "vCont?");

    /** Sends one packet and returns the payload of the reply (console 'O' packets skipped). */
    private static String request(java.io.OutputStream o, java.io.InputStream in, String packet)
            throws java.io.IOException {
        int sum = 0;
        for (int i = 0; i < packet.length(); i++) sum += packet.charAt(i);
        o.write(("$" + packet + "#" + Hex.twoDigits(sum & 0xff)).getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
        while (true) {
            int b;
            while ((b = in.read()) != '$') {
                if (b < 0) throw new java.io.EOFException();
            }
            StringBuilder sb = new StringBuilder();
            while ((b = in.read()) != '#') {
                if (b < 0) throw new java.io.EOFException();
                sb.append((char) b);
            }
            if (in.read() < 0 || in.read() < 0) throw new java.io.EOFException();
            String reply = sb.toString();
            if (!reply.startsWith("O") || reply.equals("OK")) return reply;
        }
    }

    /**
     * {@code callback} hears about stops that no debugger asked for: the free-running or detached
     * guest hit a fault or a catch, or a debugger hung up without detaching (INTERRUPTED). The
     * guest then stays stopped until a debugger connects; the run command may print a line
     * saying so. Called on the target thread; must not block.
     */
    public void onUnattendedStop(java.util.function.Consumer<StopEvent> callback) {
        runner.onUnattendedStop(callback);
    }

    /** The bound port (useful after {@code start(host, 0)}). */
    public int port() {
        if (listener == null) throw new IllegalStateException("not started");
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Completes when the guest exits (EXITED, with its status) or a debugger kills it (KILLED). */
    public CompletableFuture<StopEvent> guestEnded() {
        return runner.ended();
    }

    DebugTarget target() {
        return target;
    }

    /** Stops listening, drops the client, interrupts a running target and ends the threads. */
    @Override
    public synchronized void close() {
        runner.interrupt();
        if (listener != null) listener.close().awaitUninterruptibly();
        Channel c = client.get();
        if (c != null) c.close().awaitUninterruptibly();
        shutdownGroups();
        targetThread.shutdown();
        try {
            targetThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownGroups() {
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private void addSession(Channel ch) {
        ch.pipeline().addLast(
                new RspFrameDecoder(GdbSession.PACKET_SIZE),
                new RspEncoder(),
                new GdbChannelHandler(runner, () -> client.compareAndSet(ch, null)));
    }

    /**
     * How long a connection arriving while the slot is taken waits for it. gdb's "disconnect" then
     * "target remote" reconnects within a millisecond: the old socket's end of stream is already
     * in the kernel but the event loop has not read it yet, so the slot is about to be released.
     */
    static final long SLOT_GRACE_MILLIS = 500;
    private static final long SLOT_POLL_MILLIS = 2;

    /**
     * For a connection that finds the slot taken: it gets the slot if the holder goes away within
     * {@link #SLOT_GRACE_MILLIS}, else a one-line reason and a hang-up.
     */
    private final class Waiting extends ChannelInboundHandlerAdapter {
        private long deadline;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SLOT_GRACE_MILLIS);
            poll(ctx);
        }

        private void poll(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            if (!ch.isActive()) return;
            if (client.compareAndSet(null, ch)) {
                ctx.pipeline().remove(this);
                addSession(ch);
                ch.pipeline().fireChannelActive();
                ch.config().setAutoRead(true);
            } else if (System.nanoTime() - deadline > 0) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(BUSY_MESSAGE, StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.executor().schedule(() -> poll(ctx), SLOT_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
