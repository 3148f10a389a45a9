package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GdbServerSocketTest {
    /** A minimal gdb: sends packets, acks replies, checks their checksums. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Client(Socket socket, InputStream in) throws IOException {
            this.socket = socket;
            this.in = in;
            this.out = socket.getOutputStream();
        }

        void sendRaw(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void send(String payload) throws IOException {
            sendRaw(SessionHarness.frame(payload));
        }

        /** Next packet's payload, skipping acks; acknowledges it. */
        String read() throws IOException {
            int c;
            while ((c = in.read()) != '$') {
                if (c < 0) throw new IOException("connection closed");
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int sum = 0;
            while ((c = in.read()) != '#') {
                if (c < 0) throw new IOException("connection closed");
                body.write(c);
                sum += c;
            }
            int cs = Integer.parseInt("" + (char) in.read() + (char) in.read(), 16);
            assertEquals(sum & 0xff, cs, "checksum");
            sendRaw("+");
            byte[] decoded = RspFramer.decodePayload(body.toByteArray(), 1 << 20);
            return new String(decoded, StandardCharsets.ISO_8859_1);
        }

        String ask(String payload) throws IOException {
            send(payload);
            return read();
        }

        String readAll() throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Connects and sends '?'; retries while the server still sees the previous client (it learns
     * of a disconnect asynchronously) and answers with the busy message.
     */
    static Client connectWhenFree(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Client c = new Client(port);
            c.send("?");
            java.io.PushbackInputStream peek = new java.io.PushbackInputStream(c.in, 1);
            int first = peek.read();
            if (first == '+' || first == '$') {
                peek.unread(first);
                return new Client(c.socket, peek);
            }
            c.close();
            if (System.nanoTime() > deadline) throw new AssertionError("server still busy after 10 s");
            Thread.sleep(20);
        }
    }

    @Test
    void realSocketSessionWithInterruptBusySecondClientAndReconnect() throws Exception {
        FakeTarget t = new FakeTarget(1);
        t.exitPc = -1; // runs until interrupted
        t.budget = Long.MAX_VALUE;
        try (GdbServer server = new GdbServer(t, true)) {
            server.start(null, 0);
            assertTrue(server.port() > 0);
            try (Client gdb = new Client(server.port())) {
                assertTrue(gdb.ask("qSupported:swbreak+;hwbreak+").contains("PacketSize=20000"));
                assertEquals("T05thread:1;", SessionHarness.stop(gdb.ask("?")));
                assertEquals(536, gdb.ask("g").length());
                assertEquals("OK", gdb.ask("Z0,40000020,4"));
                assertEquals("T05thread:1;swbreak:;", SessionHarness.stop(gdb.ask("c")));
                assertEquals("OK", gdb.ask("z0,40000020,4"));

                gdb.send("c");
                Thread.sleep(50);
                try (Client second = new Client(server.port())) {
                    assertEquals(GdbServer.BUSY_MESSAGE, second.readAll());
                }
                gdb.sendRaw("\u0003");
                assertEquals("T02thread:1;", SessionHarness.stop(gdb.read()));
                assertEquals("OK", gdb.ask("QStartNoAckMode"));
                assertTrue(gdb.ask("m40000000,10").length() == 32);
            }
            // a disconnect without detach leaves the target stopped and the server accepting
            try (Client again = connectWhenFree(server.port())) {
                assertEquals("T02thread:1;", SessionHarness.stop(again.read()));
                String x0 = again.ask("p0");
                Thread.sleep(100);
                assertEquals(x0, again.ask("p0"), "the target must stay stopped");
            }
        }
    }

    @Test
    void reconnectingRightAfterADisconnectGetsASessionNotTheBusyMessage() throws Exception {
        try (GdbServer server = new GdbServer(new FakeTarget(1), true)) {
            server.start(null, 0);
            // gdb's "disconnect" then "target remote" again: no pause in between
            for (int i = 0; i < 30; i++) {
                try (Client gdb = new Client(server.port())) {
                    assertEquals("T05thread:1;", SessionHarness.stop(gdb.ask("?")), "session " + i);
                    assertEquals(536, gdb.ask("g").length(), "session " + i);
                }
            }
        }
    }

    @Test
    void freeRunningGuestIsStoppedWhenADebuggerAttaches() throws Exception {
        FakeTarget t = new FakeTarget(1);
        t.exitPc = -1;
        t.budget = Long.MAX_VALUE;
        try (GdbServer server = new GdbServer(t, false)) {
            server.start("127.0.0.1", 0);
            try (Client gdb = new Client(server.port())) {
                assertEquals("T02thread:1;", SessionHarness.stop(gdb.ask("?")));
                gdb.send("D");
                assertEquals("OK", gdb.read());
            }
            // detached: it runs again; the next debugger interrupts it again
            try (Client gdb = connectWhenFree(server.port())) {
                assertEquals("T02thread:1;", SessionHarness.stop(gdb.read()));
                gdb.send("k");
                assertEquals("", gdb.readAll().replace("+", ""));
            }
            assertEquals(StopEvent.Reason.KILLED, server.guestEnded().get(10, TimeUnit.SECONDS).reason());
        }
    }

    @Test
    void abruptDisconnectsMidPacketAndWhileRunningLeaveTheServerServing() throws Exception {
        FakeTarget t = new FakeTarget(1);
        t.exitPc = -1;
        t.budget = Long.MAX_VALUE;
        try (GdbServer server = new GdbServer(t, true)) {
            java.util.concurrent.LinkedBlockingQueue<StopEvent> unattended = new java.util.concurrent.LinkedBlockingQueue<>();
            server.onUnattendedStop(unattended::add);
            server.start(null, 0);
            try (Client gdb = new Client(server.port())) {
                gdb.sendRaw("$m40000000,4#5"); // hang up inside the checksum
            }
            try (Client gdb = connectWhenFree(server.port())) {
                assertEquals("T05thread:1;", SessionHarness.stop(gdb.read()));
                gdb.send("c"); // hang up while the guest runs: it must end up stopped
                Thread.sleep(20);
            }
            assertEquals(StopEvent.Reason.INTERRUPTED, unattended.poll(10, TimeUnit.SECONDS).reason(),
                    "the run command hears that the guest stopped with nobody attached");
            try (Client gdb = connectWhenFree(server.port())) {
                assertEquals("T02thread:1;", SessionHarness.stop(gdb.read()));
                String pc = gdb.ask("p20");
                Thread.sleep(50);
                assertEquals(pc, gdb.ask("p20"));
                gdb.sendRaw("garbage$$$###\u0003}}}*");
                assertEquals("T02thread:1;", SessionHarness.stop(gdb.ask("?")));
            }
        }
    }

    @Test
    void randomBytesOverTheSocketThenTheServerStillAnswers() throws Exception {
        FakeTarget t = new FakeTarget(1);
        try (GdbServer server = new GdbServer(t, true)) {
            server.start(null, 0);
            Client gdb = new Client(server.port());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = gdb.in.read(buf)) > 0; ) {
                        synchronized (received) {
                            received.write(buf, 0, n);
                        }
                    }
                } catch (IOException closed) {
                    // the test closes the socket at the end
                }
            });
            reader.setDaemon(true);
            reader.start();
            java.util.Random r = new java.util.Random(7);
            byte[] alphabet = "$#}*+-\u0003mMgGpPXZzqQvs0123456789abcdef,:;".getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 2000; i++) {
                byte[] chunk = new byte[r.nextInt(200)];
                for (int k = 0; k < chunk.length; k++) {
                    chunk[k] = r.nextBoolean() ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
                }
                gdb.out.write(chunk);
            }
            gdb.sendRaw("#00$#00");
            gdb.send("qThreadExtraInfo,1");
            String marker = "66616b652076435055203"; // hex("fake vCPU 0") up to the last digit
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                synchronized (received) {
                    if (received.toString(StandardCharsets.ISO_8859_1).contains(marker)) break;
                }
                if (System.nanoTime() > deadline) throw new AssertionError("no answer after the junk");
                Thread.sleep(10);
            }
            gdb.close();
        }
    }

    @Test
    void aDebuggerConnectingAfterKillIsToldTheGuestIsGone() throws Exception {
        try (GdbServer server = new GdbServer(new FakeTarget(1), true)) {
            server.start(null, 0);
            try (Client gdb = new Client(server.port())) {
                gdb.send("k");
                gdb.readAll();
            }
            try (Client gdb = connectWhenFree(server.port())) {
                assertEquals("X09", gdb.read());
                assertEquals("X09", gdb.ask("c"));
            }
        }
    }

    @Test
    void guestExitWithoutDebuggerCompletesTheFuture() throws Exception {
        FakeTarget t = new FakeTarget(1);
        t.regs[0][0] = 7;
        try (GdbServer server = new GdbServer(t, false)) {
            server.start(null, 0);
            StopEvent end = server.guestEnded().get(10, TimeUnit.SECONDS);
            assertEquals(StopEvent.Reason.EXITED, end.reason());
            assertEquals(7, end.code(), "x0 = 7 + 256 instructions, & 0xff");
        }
    }

    @Test
    void portInUseIsAClearError() throws Exception {
        try (GdbServer first = new GdbServer(new FakeTarget(1), true)) {
            first.start(null, 0);
            GdbServer second = new GdbServer(new FakeTarget(1), true);
            GdbServerException e = assertThrows(GdbServerException.class, () -> second.start(null, first.port()));
            assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()), e.getMessage());
            second.close();
        }
    }
}
