package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random, malformed, oversized and fragmented input against the frame decoder, the
 * command handler and the whole pipeline. Set -Dgdb.fuzz.seed=N to replay a failure.
 * Together the tests feed 130,000 inputs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang is a failure, not a stuck build
class RspFuzzTest {
    private static final long SEED = Long.getLong("gdb.fuzz.seed", 0x5eedL);
    private static final byte[] ALPHABET = "$#}*+-\u00030123456789abcdefABCDEFgGmMpPXZzcsvqQ:;,=?HkD ".getBytes(StandardCharsets.ISO_8859_1);

    /** Known command shapes to mutate: most fuzz input should get past the first character. */
    private static final String[] SEEDS = {
        "?", "g", "G" + "00".repeat(268), "p20", "P5=0100000000000000", "p23", "P23=0200000000000000", "P25=00",
        "m40000000,10", "m40000ff8,20", "M40000010,4:01020304", "X40000010,2:ab", "c", "s", "C05", "S05;40000000",
        "vCont?", "vCont;c", "vCont;s:1", "vCont;S05:1;c", "Z0,40000010,4", "z0,40000010,4", "Z1,40000020,4",
        "Z2,40000800,8", "Z3,40000800,8", "Z4,40000800,8", "z4,40000800,8", "Hg1", "Hc-1", "T1", "qfThreadInfo",
        "qsThreadInfo", "qC", "qAttached", "qOffsets", "qSymbol::", "qSupported:swbreak+;hwbreak+",
        "qXfer:features:read:target.xml:0,100", "qRcmd,68656c70", "qThreadExtraInfo,1", "vMustReplyEmpty",
    };

    private final Random random = new Random(SEED);

    private byte[] randomBytes(int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return b;
    }

    /** A packet payload: a mutated known command, random text, or an oversized one. */
    private String randomPacket() {
        int kind = random.nextInt(10);
        if (kind < 6) {
            StringBuilder sb = new StringBuilder(SEEDS[random.nextInt(SEEDS.length)]);
            int edits = random.nextInt(4);
            for (int e = 0; e < edits && sb.length() > 0; e++) {
                int pos = random.nextInt(sb.length());
                switch (random.nextInt(4)) {
                    case 0 -> sb.deleteCharAt(pos);
                    case 1 -> sb.insert(pos, (char) ALPHABET[random.nextInt(ALPHABET.length)]);
                    case 2 -> sb.setCharAt(pos, (char) random.nextInt(256));
                    default -> sb.setLength(pos);
                }
            }
            return sb.toString();
        }
        if (kind < 9) return new String(randomBytes(40), StandardCharsets.ISO_8859_1);
        return "m" + "f".repeat(random.nextInt(40)) + "," + Integer.toHexString(random.nextInt());
    }

    @Test
    void frameDecoderSurvivesRandomFragmentedInputAndRecovers() {
        int inputs = 60_000;
        int limit = 256;
        for (int i = 0; i < inputs; i++) {
            RspFramer framer = new RspFramer(limit);
            List<RspFrame> frames = new ArrayList<>();
            byte[] junk = randomBytes(random.nextInt(8) == 0 ? 2000 : 60);
            framer.feed(junk, frames::add);
            for (RspFrame f : frames) {
                if (f instanceof RspFrame.Packet p) assertTrue(p.payload().length <= limit, "seed " + SEED + " input " + i);
            }
            // whatever state the junk left, a valid frame sent twice gets through (gdb resends after '-')
            frames.clear();
            framer.feed("$?#3f$?#3f".getBytes(StandardCharsets.US_ASCII), frames::add);
            assertTrue(frames.stream().anyMatch(f -> f instanceof RspFrame.Packet p && p.payload().length == 1 && p.payload()[0] == '?'),
                    "seed " + SEED + " input " + i + ": no recovery after " + frames);
        }
    }

    @Test
    void commandHandlerNeverThrowsAndRejectedInputChangesNothing() {
        int inputs = 60_000;
        SessionHarness h = new SessionHarness();
        int rejected = 0;
        for (int i = 0; i < inputs; i++) {
            if (h.closed || i % 2000 == 0) h = new SessionHarness(); // after D/k, and to keep the guest alive
            String packet = randomPacket();
            String before = h.target.snapshot();
            List<String> out = h.packets(packet);
            for (String reply : out) {
                assertTrue(reply.length() <= GdbSession.PACKET_SIZE, "reply too large for " + packet);
            }
            boolean isRejection = out.size() == 1 && (out.get(0).isEmpty() || out.get(0).matches("E[0-9a-fA-F]{2}"));
            if (isRejection) {
                rejected++;
                assertEquals(before, h.target.snapshot(), "seed " + SEED + " input " + i + ": rejected '" + packet + "' changed the target");
            }
        }
        assertTrue(rejected > inputs / 10, "the fuzzer should produce many malformed packets: " + rejected);
        assertEquals("T05thread:1;", SessionHarness.stop(new SessionHarness().ask("?")));
    }

    @Test
    void pipelineKeepsAnsweringAfterRandomBytes() {
        int inputs = 10_000;
        FakeTarget target = new FakeTarget(1);
        EmbeddedChannel ch = RspChannelTest.pipeline(target);
        for (int i = 0; i < inputs; i++) {
            byte[] chunk = random.nextBoolean() ? randomBytes(100)
                    : RspEncoder.frame(randomPacket().getBytes(StandardCharsets.ISO_8859_1));
            // fragment at a random point
            int cut = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
            ch.writeInbound(Unpooled.wrappedBuffer(chunk, 0, cut));
            ch.writeInbound(Unpooled.wrappedBuffer(chunk, cut, chunk.length - cut));
            RspChannelTest.drain(ch);
            if (!ch.isOpen()) { // a fuzzed D or k legitimately closes the connection
                ch.finishAndReleaseAll();
                target = new FakeTarget(1);
                ch = RspChannelTest.pipeline(target);
            }
        }
        ch.writeInbound(Unpooled.copiedBuffer("#00$?#3f$?#3f", StandardCharsets.US_ASCII));
        String out = RspChannelTest.drain(ch);
        assertTrue(out.contains("$T05thread:1;") || out.contains("$W"), "still answering: " + out);
        ch.finishAndReleaseAll();
    }
}
