package dev.a64trap.gdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link GdbSession} without Netty: the target runs inline (so every resume has
 * finished when {@link #send} returns) and output is recorded as "+", "-" or "$payload".
 */
final class SessionHarness {
    final FakeTarget target;
    final TargetRunner runner;
    final GdbSession session;
    final List<String> output = new ArrayList<>();
    final RspFramer framer = new RspFramer(GdbSession.PACKET_SIZE);
    boolean closed;

    SessionHarness(FakeTarget target) {
        this.target = target;
        this.runner = new TargetRunner(target, Runnable::run);
        this.session = new GdbSession(runner, new GdbSession.Transport() {
            @Override public void sendRaw(byte b) { output.add(String.valueOf((char) b)); }
            @Override public void sendPacket(byte[] payload) { output.add("$" + new String(payload, StandardCharsets.ISO_8859_1)); }
            @Override public void flush() { }
            @Override public void execute(Runnable task) { task.run(); }
            @Override public void close() { closed = true; }
        });
        session.start();
    }

    SessionHarness() {
        this(new FakeTarget(1));
    }

    /** Feeds raw bytes and returns what came out. */
    List<String> feed(byte[] bytes) {
        output.clear();
        framer.feed(bytes, session::onFrame);
        return new ArrayList<>(output);
    }

    /** Sends one packet (framed correctly) and returns the packet replies (acks dropped). */
    List<String> packets(String payload) {
        List<String> out = new ArrayList<>();
        for (String s : feed(RspEncoder.frame(payload.getBytes(StandardCharsets.ISO_8859_1)))) {
            if (s.startsWith("$")) out.add(s.substring(1));
        }
        return out;
    }

    /** Sends one packet and returns its single reply. */
    String ask(String payload) {
        List<String> replies = packets(payload);
        if (replies.size() != 1) throw new AssertionError("expected one reply to " + payload + ", got " + replies);
        return replies.get(0);
    }

    /** A stop reply without its expedited registers ("1d:...;1f:...;20:...;"). */
    static String stop(String reply) {
        return reply.replaceAll("[0-9a-f]{2}:[0-9a-f]{16};", "");
    }

    static String frame(String payload) {
        return new String(RspEncoder.frame(payload.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }
}
