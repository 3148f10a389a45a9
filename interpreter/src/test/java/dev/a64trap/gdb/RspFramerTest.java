package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RspFramerTest {
    private final RspFramer framer = new RspFramer(64);

    private List<RspFrame> feed(String s) {
        List<RspFrame> out = new ArrayList<>();
        framer.feed(s.getBytes(StandardCharsets.ISO_8859_1), out::add);
        return out;
    }

    private static String payload(RspFrame f) {
        return new String(assertInstanceOf(RspFrame.Packet.class, f).payload(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void packetByteByByteOnlyCompletesAtTheLastChecksumDigit() {
        String frame = "$qSupported#37";
        for (int i = 0; i < frame.length() - 1; i++) {
            assertEquals(List.of(), feed(frame.substring(i, i + 1)), "after byte " + i);
        }
        List<RspFrame> out = feed(frame.substring(frame.length() - 1));
        assertEquals(1, out.size());
        assertEquals("qSupported", payload(out.get(0)));
    }

    @Test
    void acksNaksAndInterruptOutsidePackets() {
        List<RspFrame> out = feed("+-\u0003xyz+");
        assertEquals(List.of(RspFrame.ACK, RspFrame.NAK, RspFrame.INTERRUPT, RspFrame.ACK), out);
    }

    @Test
    void interruptByteInsideAPacketIsData() {
        // X payloads are binary; gdb escapes only # $ } *
        String body = "X0,1:\u0003";
        int sum = 0;
        for (char c : body.toCharArray()) sum += c;
        List<RspFrame> out = feed("$" + body + "#" + String.format("%02x", sum & 0xff));
        assertEquals(1, out.size());
        assertEquals(body, payload(out.get(0)));
    }

    @Test
    void escapesAreUndoneAndChecksumCoversTheEscapedForm() {
        // "}" + ('#' ^ 0x20 = 0x03) encodes '#'; '}'^0x20 = ']'
        String raw = "a}\u0003b}]";
        int sum = 0;
        for (char c : raw.toCharArray()) sum += c;
        List<RspFrame> out = feed("$" + raw + "#" + String.format("%02x", sum & 0xff));
        assertEquals("a#b}", payload(out.get(0)));
    }

    @Test
    void runLengthEncodingIsExpanded() {
        // "0* " = '0' + (' ' - 29 = 3) more '0's; checksum of the raw text
        String raw = "0* 1";
        int sum = 0;
        for (char c : raw.toCharArray()) sum += c;
        List<RspFrame> out = feed("$" + raw + "#" + String.format("%02x", sum & 0xff));
        assertEquals("00001", payload(out.get(0)));
    }

    @Test
    void badChecksumIsReportedNotDelivered() {
        List<RspFrame> out = feed("$g#00");
        assertEquals(List.of(new RspFrame.Invalid(RspFrame.Problem.CHECKSUM)), out);
        out = feed("$g#zz");
        assertEquals(List.of(new RspFrame.Invalid(RspFrame.Problem.CHECKSUM)), out);
        assertEquals("g", payload(feed("$g#67").get(0)));
    }

    @Test
    void oversizedPacketIsSkippedAndReported() {
        String big = "a".repeat(1000);
        int sum = 'a' * 1000;
        List<RspFrame> out = feed("$" + big + "#" + String.format("%02x", sum & 0xff));
        assertEquals(List.of(new RspFrame.Invalid(RspFrame.Problem.OVERSIZED)), out);
        assertEquals("g", payload(feed("$g#67").get(0)));
    }

    @Test
    void malformedEscapeOrRunLength() {
        assertEquals(List.of(new RspFrame.Invalid(RspFrame.Problem.MALFORMED)), feed("$}#7d"));
        assertEquals(List.of(new RspFrame.Invalid(RspFrame.Problem.MALFORMED)), feed("$*!#4b"));
        assertNull(RspFramer.decodePayload("a*~".getBytes(StandardCharsets.ISO_8859_1), 10));
    }

    @Test
    void dollarInsideAPacketRestartsIt() {
        List<RspFrame> out = feed("$junk$g#67");
        assertEquals(1, out.size());
        assertEquals("g", payload(out.get(0)));
    }

    @Test
    void encoderOutputRoundTripsForRandomBinaryPayloads() {
        Random r = new Random(42);
        RspFramer big = new RspFramer(4096);
        for (int i = 0; i < 2000; i++) {
            byte[] p = new byte[r.nextInt(200)];
            r.nextBytes(p);
            List<RspFrame> out = new ArrayList<>();
            big.feed(RspEncoder.frame(p), out::add);
            assertEquals(1, out.size());
            assertArrayEquals(p, assertInstanceOf(RspFrame.Packet.class, out.get(0)).payload());
        }
    }

    @Test
    void encoderRunLengthEncodesHexRunsAndTheFramerExpandsThem() {
        RspFramer big = new RspFramer(4096);
        for (int len = 1; len < 400; len++) {
            for (String unit : new String[] {"0", "f", "x", "a0", "#"}) {
                String text = "1" + unit.repeat(len) + "2";
                byte[] framed = RspEncoder.frame(text.getBytes(StandardCharsets.ISO_8859_1));
                String wire = new String(framed, StandardCharsets.ISO_8859_1);
                String body = wire.substring(1, wire.lastIndexOf('#'));
                assertTrue(body.indexOf('#') < 0 && body.indexOf('$') < 0, "no # or $ in " + wire);
                if (unit.length() == 1 && !unit.equals("#") && len >= 8) assertTrue(body.length() < text.length(), "compressed " + wire);
                List<RspFrame> out = new ArrayList<>();
                big.feed(framed, out::add);
                assertEquals(text, payload(out.get(0)), "round trip of " + wire);
            }
        }
    }

    @Test
    void encoderEscapesSpecialCharactersAsCharacters() {
        String framed = new String(RspEncoder.frame("#$}*ok".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1);
        // checksum over "}\x03}\x04}]}\x0aok" = 0x7d*4 + 3 + 4 + 0x5d + 0x0a + 'o' + 'k'
        int sum = (0x7d * 4 + 3 + 4 + 0x5d + 0x0a + 'o' + 'k') & 0xff;
        assertEquals("$}\u0003}\u0004}]}\nok#" + String.format("%02x", sum), framed);
        assertTrue(new String(RspEncoder.frame(new byte[0]), StandardCharsets.US_ASCII).equals("$#00"));
    }
}
