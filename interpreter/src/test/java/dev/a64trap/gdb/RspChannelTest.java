package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RspChannelTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void decoderEmitsNothingUntilAFrameCompletes() {
        EmbeddedChannel ch = new EmbeddedChannel(new RspFrameDecoder(GdbSession.PACKET_SIZE));
        String frame = SessionHarness.frame("m40000000,4");
        for (String piece : new String[] {frame.substring(0, 1), frame.substring(1, 5), frame.substring(5, frame.length() - 1)}) {
            ch.writeInbound(bytes(piece));
            assertNull(ch.readInbound(), "after '" + piece + "'");
        }
        ch.writeInbound(bytes(frame.substring(frame.length() - 1) + "+\u0003"));
        RspFrame.Packet p = assertInstanceOf(RspFrame.Packet.class, ch.readInbound());
        assertEquals("m40000000,4", new String(p.payload(), StandardCharsets.ISO_8859_1));
        assertEquals(RspFrame.ACK, ch.readInbound());
        assertEquals(RspFrame.INTERRUPT, ch.readInbound());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    /** The whole pipeline (decoder, encoder, session) on an EmbeddedChannel. */
    static EmbeddedChannel pipeline(FakeTarget target) {
        TargetRunner runner = new TargetRunner(target, Runnable::run);
        return new EmbeddedChannel(new RspFrameDecoder(GdbSession.PACKET_SIZE), new RspEncoder(),
                new GdbChannelHandler(runner, () -> { }));
    }

    static String drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void fragmentedPacketsThroughThePipeline() {
        EmbeddedChannel ch = pipeline(new FakeTarget(1));
        drain(ch);
        String frame = SessionHarness.frame("qSupported:swbreak+");
        for (int i = 0; i < frame.length() - 1; i++) {
            ch.writeInbound(bytes(frame.substring(i, i + 1)));
            assertEquals("", drain(ch), "nothing before the frame completes (byte " + i + ")");
        }
        ch.writeInbound(bytes(frame.substring(frame.length() - 1)));
        assertEquals("+" + SessionHarness.frame("PacketSize=20000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+"), drain(ch));
        // two packets in one read, one with a bad checksum
        ch.writeInbound(bytes("$g#00" + SessionHarness.frame("m40000000,2")));
        assertEquals("-+" + SessionHarness.frame("0007"), drain(ch));
        // RLE input: "m4* ,2" is m4000,2 → unmapped
        ch.writeInbound(bytes("$m4* ,2#" + String.format("%02x", ("m4* ,2".chars().sum()) & 0xff)));
        assertEquals("+" + SessionHarness.frame("E03"), drain(ch));
        // no-ack mode: no more '+' in front of replies
        ch.writeInbound(bytes(SessionHarness.frame("QStartNoAckMode")));
        assertEquals("+" + SessionHarness.frame("OK"), drain(ch));
        ch.writeInbound(bytes(SessionHarness.frame("?")));
        assertEquals(SessionHarness.frame("T05thread:1;1d:0000000000000000;1f:0010004000000000;20:0000004000000000;"), drain(ch));
        assertTrue(ch.isOpen());
        ch.finishAndReleaseAll();
    }
}
