package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replays the packets a real gdb-multiarch 13.1 sent in a recorded session (record-trace.sh:
 * connect, info registers, p/set $PMCCNTR_EL0, info threads, stepi, x/4xw, break/continue,
 * watch/continue, monitor help/pmu, set a register, detach) against the same fake target, and
 * checks each reply against the one gdb received and accepted then.
 */
class GdbTraceReplayTest {
    private static final Pattern OMITTED = Pattern.compile("^(.*) \\[(\\d+) bytes omitted\\]$");

    private static String resource(String name) throws IOException {
        try (InputStream in = GdbTraceReplayTest.class.getResourceAsStream(name)) {
            if (in == null) throw new AssertionError("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** gdb's debug log shows a newline as \n and truncates long packets. */
    private static String logForm(String payload) {
        return payload.replace("\\", "\\\\").replace("\n", "\\n");
    }

    @Test
    void realGdbSessionGetsTheRepliesItAccepted() throws IOException {
        String sendTag = "[remote] Sending packet: ";
        String recvTag = "[remote] Packet received: ";
        FakeTarget target = FakeTarget.demo();
        target.budget = 1000; // the inline runner would otherwise run the detached guest forever
        SessionHarness h = new SessionHarness(target);
        List<String> pending = new ArrayList<>();
        int exchanges = 0;
        for (String line : resource("session.trace").split("\n")) {
            if (line.startsWith(sendTag)) {
                String frame = line.substring(sendTag.length());
                assertTrue(pending.isEmpty(), "unanswered replies before " + frame + ": " + pending);
                // gdb's own bytes, checksum included (no-ack mode is on after the first packets)
                for (String out : h.feed(frame.getBytes(StandardCharsets.ISO_8859_1))) {
                    if (out.startsWith("$")) pending.add(out.substring(1));
                    else assertEquals("+", out, "only acks besides replies");
                }
            } else if (line.startsWith(recvTag)) {
                String expected = line.substring(recvTag.length());
                assertTrue(!pending.isEmpty(), "no reply produced where gdb received: " + expected);
                String actual = logForm(pending.remove(0));
                Matcher m = OMITTED.matcher(expected);
                if (m.matches()) {
                    assertTrue(actual.startsWith(m.group(1)), "reply starts like the recorded one: " + expected);
                } else {
                    assertEquals(expected, actual);
                }
                exchanges++;
            }
        }
        assertTrue(pending.isEmpty(), "extra replies: " + pending);
        assertTrue(exchanges > 80, "trace too short: " + exchanges);
        assertTrue(h.closed, "the session ends with gdb's detach");
    }
}
