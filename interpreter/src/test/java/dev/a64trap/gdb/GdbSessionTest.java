package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang is a failure, not a stuck build
class GdbSessionTest {
    private final SessionHarness h = new SessionHarness();
    private final FakeTarget t = h.target;

    private static String le(long v, int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) sb.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
        return sb.toString();
    }

    @Test
    void everyPacketIsAckedThenAnsweredUntilNoAckMode() {
        assertEquals(List.of("+", "$"), h.feed(SessionHarness.frame("vMustReplyEmpty").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("+", "$OK"), h.feed(SessionHarness.frame("QStartNoAckMode").getBytes(StandardCharsets.ISO_8859_1)));
        List<String> out = h.feed(SessionHarness.frame("?").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, out.size());
        assertEquals("$T05thread:1;", SessionHarness.stop(out.get(0)));
    }

    @Test
    void badChecksumGetsNakAndNakResendsLastReply() {
        assertEquals(List.of("-"), h.feed("$g#00".getBytes(StandardCharsets.US_ASCII)));
        h.ask("qOffsets");
        assertEquals(List.of("$Text=0;Data=0;Bss=0"), h.feed("-".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void qSupportedAdvertisesTheFeatures() {
        String r = h.ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
        assertEquals("PacketSize=20000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+", r);
    }

    @Test
    void unknownPacketsGetTheEmptyReply() {
        for (String p : List.of("qTStatus", "qCRC:40000000,4", "vFile:open:x", "!", "qL1200", "Qbogus", "vMustReplyEmpty", "qSupportedX")) {
            assertEquals("", h.ask(p), p);
        }
    }

    @Test
    void gReadsCoreRegistersInGdbOrder() {
        t.regs[0][0] = 0x1122334455667788L;
        t.regs[0][30] = 0xdeadL;
        String g = h.ask("g");
        assertEquals(31 * 16 + 16 + 16 + 8, g.length());
        assertEquals("8877665544332211", g.substring(0, 16));
        assertEquals(le(0xdead, 8), g.substring(30 * 16, 31 * 16));
        assertEquals(le(FakeTarget.BASE + FakeTarget.SIZE, 8), g.substring(31 * 16, 32 * 16));
        assertEquals(le(FakeTarget.BASE, 8), g.substring(32 * 16, 33 * 16));
        assertEquals(le(0x3c5, 4), g.substring(33 * 16));
    }

    @Test
    void gWritesAllAndRejectsWrongLengthWithoutChange() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 33; r++) sb.append(le(r * 0x101L, 8));
        sb.append(le(0x80000005L, 4));
        String before = t.snapshot();
        assertEquals("E01", h.ask("G" + sb.substring(2)));
        assertEquals("E01", h.ask("G" + sb.substring(0, sb.length() - 1) + "z"));
        assertEquals(before, t.snapshot());
        assertEquals("OK", h.ask("G" + sb));
        assertEquals(7 * 0x101L, t.regs[0][7]);
        assertEquals(32 * 0x101L, t.regs[0][DebugTarget.PC]);
        assertEquals(0x80000005L, t.regs[0][DebugTarget.CPSR]);
    }

    @Test
    void pAndPForCoreAndSystemRegisters() {
        assertEquals(le(FakeTarget.BASE, 8), h.ask("p20"));
        assertEquals(le(0x3c5, 4), h.ask("p21"));
        assertEquals("OK", h.ask("P5=" + le(0xabcdef, 8)));
        assertEquals(0xabcdefL, t.regs[0][5]);
        assertEquals("E01", h.ask("P21=" + le(1, 8)), "cpsr is 32 bits");
        // PMCCNTR_EL0 is system register 1 → regnum 35 = 0x23
        assertEquals(le(1000, 8), h.ask("p23"));
        assertEquals("OK", h.ask("P23=" + le(77, 8)));
        assertEquals(77, t.sys[0][1]);
        String before = t.snapshot();
        assertEquals("E02", h.ask("P25=" + le(1, 8)), "MIDR_EL1 refuses writes");
        assertEquals("E02", h.ask("p26"));
        assertEquals("E01", h.ask("pzz"));
        assertEquals("E01", h.ask("P5"));
        assertEquals(before, t.snapshot());
    }

    @Test
    void memoryReadsWritesAndFaults() {
        assertEquals("00070e15", h.ask("m40000000,4"));
        assertEquals(2 * 4, h.ask("m40000ffc,10").length(), "short read up to the end of RAM");
        assertEquals("E03", h.ask("m3fffff00,4"));
        assertEquals("", h.ask("m40000000,0"));
        assertEquals("OK", h.ask("M40000010,3:aabbcc"));
        assertEquals("aabbcc", h.ask("m40000010,3"));
        String before = t.snapshot();
        assertEquals("E03", h.ask("M40000ffe,4:01020304"));
        assertEquals("E01", h.ask("M40000010,3:aabb"));
        assertEquals("E01", h.ask("M40000010,3"));
        assertEquals("E01", h.ask("m40000010"));
        assertEquals("E01", h.ask("m40000010,100000"));
        assertEquals(2 * (FakeTarget.SIZE - 0x10), h.ask("m40000010,10000").length(), "gdb's largest request: short read");
        assertEquals("E03", h.ask("X40000000,1ff00:" + "a".repeat(0x1ff00)), "a PacketSize-sized X is accepted, then faults");
        assertEquals(before, t.snapshot());
    }

    @Test
    void binaryWriteCarriesEscapedBytes() {
        assertEquals("OK", h.ask("X40000000,0:"));
        byte[] data = {'#', '$', '}', '*', 0x03, 0, (byte) 0xff};
        String payload = "X40000020,7:" + new String(data, StandardCharsets.ISO_8859_1);
        assertEquals("OK", h.ask(payload));
        assertEquals("23247d2a0300ff", h.ask("m40000020,7"));
    }

    @Test
    void stepAndStopReplies() {
        assertEquals("T05thread:1;", SessionHarness.stop(h.ask("?")));
        assertEquals("T05thread:1;", SessionHarness.stop(h.ask("s")));
        assertEquals(FakeTarget.BASE + 4, t.regs[0][DebugTarget.PC]);
        assertEquals("T05thread:1;", SessionHarness.stop(h.ask("vCont;s:1")));
        assertEquals(FakeTarget.BASE + 8, t.regs[0][DebugTarget.PC]);
        assertEquals("vCont;c;C;s;S", h.ask("vCont?"));
        assertEquals("T05thread:1;", SessionHarness.stop(h.ask("S05")));
        assertEquals("E01", h.ask("vCont;t"));
        assertEquals("E02", h.ask("vCont;s:9"));
    }

    @Test
    void stopRepliesExpediteFramePointerSpAndPc() {
        t.regs[0][29] = 0x1122L;
        assertEquals("T05thread:1;1d:" + le(0x1122, 8) + ";1f:" + le(FakeTarget.BASE + FakeTarget.SIZE, 8)
                + ";20:" + le(FakeTarget.BASE + 4, 8) + ";", h.ask("s"));
    }

    @Test
    void breakpointsReportTheirKindOnlyIfGdbSupportsIt() {
        assertEquals("OK", h.ask("Z0,40000010,4"));
        assertEquals("T05thread:1;", SessionHarness.stop(h.ask("c")));
        assertEquals(FakeTarget.BASE + 0x10, t.regs[0][DebugTarget.PC]);
        h.ask("qSupported:swbreak+;hwbreak+");
        assertEquals("OK", h.ask("z0,40000010,4"));
        assertEquals("OK", h.ask("Z0,40000020,4"));
        assertEquals("T05thread:1;swbreak:;", SessionHarness.stop(h.ask("c")));
        assertEquals("OK", h.ask("Z1,40000030,4"));
        assertEquals("T05thread:1;hwbreak:;", SessionHarness.stop(h.ask("vCont;c")));
        assertEquals(FakeTarget.BASE + 0x30, t.regs[0][DebugTarget.PC]);
        assertEquals("E02", h.ask("z1,40000099,4"), "removing a missing breakpoint");
        assertEquals("", h.ask("Z5,40000010,4"), "unknown type: not supported");
        assertEquals("E01", h.ask("Z0,40000010"));
    }

    @Test
    void watchpointsReportTheDataAddress() {
        t.regs[0][1] = FakeTarget.BASE + 0x800; // the fake stores x0 at [x1]
        t.regs[0][2] = FakeTarget.BASE + 0x900; // and loads from [x2]
        assertEquals("OK", h.ask("Z2,40000800,8"));
        assertEquals("T05thread:1;watch:40000800;", SessionHarness.stop(h.ask("c")));
        assertEquals("OK", h.ask("z2,40000800,8"));
        assertEquals("OK", h.ask("Z3,40000904,4"));
        assertEquals("T05thread:1;rwatch:40000900;", SessionHarness.stop(h.ask("c")));
        assertEquals("OK", h.ask("z3,40000904,4"));
        assertEquals("OK", h.ask("Z4,40000800,1"));
        assertEquals("T05thread:1;awatch:40000800;", SessionHarness.stop(h.ask("s")));
    }

    @Test
    void continueToExitThenExitStatusSticks() {
        t.regs[0][0] = 5;
        assertEquals("W05", h.ask("c"), "256 instructions add 256 to x0, status is x0 & 0xff");
        assertEquals("W05", h.ask("c"));
        assertEquals("W05", h.ask("?"));
        assertTrue(h.runner.ended().isDone());
    }

    @Test
    void continueAtAddressSetsPc() {
        assertEquals("T05thread:1;", SessionHarness.stop(h.ask("s40000100")));
        assertEquals(FakeTarget.BASE + 0x104, t.regs[0][DebugTarget.PC]);
        String before = t.snapshot();
        assertEquals("E01", h.ask("cxyz"));
        assertEquals("E01", h.ask("C5"));
        assertEquals(before, t.snapshot());
    }

    @Test
    void threadsArePerVcpu() {
        SessionHarness two = new SessionHarness(new FakeTarget(2));
        two.target.regs[1][3] = 0x33;
        assertEquals("m1,2", two.ask("qfThreadInfo"));
        assertEquals("l", two.ask("qsThreadInfo"));
        assertEquals("QC1", two.ask("qC"));
        assertEquals("OK", two.ask("Hg2"));
        assertEquals("QC2", two.ask("qC"));
        assertEquals(le(0x33, 8), two.ask("p3"));
        assertEquals("E02", two.ask("Hg3"));
        assertEquals("OK", two.ask("Hc-1"));
        assertEquals("OK", two.ask("T2"));
        assertEquals("E02", two.ask("T3"));
        assertEquals(hex("fake vCPU 1"), two.ask("qThreadExtraInfo,2"));
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) sb.append(String.format("%02x", b));
        return sb.toString();
    }

    @Test
    void simpleQueries() {
        assertEquals("1", h.ask("qAttached"));
        assertEquals("1", h.ask("qAttached:1"));
        assertEquals("Text=0;Data=0;Bss=0", h.ask("qOffsets"));
        assertEquals("OK", h.ask("qSymbol::"));
    }

    @Test
    void monitorHelpAndPluggedCommands() {
        t.monitorCommands.add(new MonitorCommand("pmu", "pmu", "show the vPMU counters", arg -> "PMCCNTR_EL0 1000"));
        t.monitorCommands.add(new MonitorCommand("catch sysreg", "catch sysreg NAME|pmu|off", "stop on a sysreg access", arg -> "catching " + arg));
        SessionHarness m = new SessionHarness(t);
        String help = new String(Hex.decode(m.ask("qRcmd," + hex("help"))), StandardCharsets.UTF_8);
        assertTrue(help.contains("help") && help.contains("pmu") && help.contains("catch sysreg NAME|pmu|off"), help);
        assertEquals(hex("PMCCNTR_EL0 1000\n"), m.ask("qRcmd," + hex("pmu")));
        assertEquals(hex("catching PMCCNTR_EL0\n"), m.ask("qRcmd," + hex("catch  sysreg PMCCNTR_EL0")));
        assertTrue(new String(Hex.decode(m.ask("qRcmd," + hex("frob"))), StandardCharsets.UTF_8).startsWith("unknown monitor command 'frob'"));
        assertEquals("E01", m.ask("qRcmd,zz"));
    }

    @Test
    void longMonitorOutputIsSplitIntoConsolePackets() {
        String big = "x".repeat(100_000);
        t.monitorCommands.add(new MonitorCommand("dump", "dump", "a lot of text", arg -> big));
        SessionHarness m = new SessionHarness(t);
        List<String> replies = m.packets("qRcmd," + hex("dump"));
        assertEquals("OK", replies.get(replies.size() - 1));
        StringBuilder text = new StringBuilder();
        for (String r : replies.subList(0, replies.size() - 1)) {
            assertTrue(r.startsWith("O") && r.length() <= GdbSession.PACKET_SIZE, "console packet");
            text.append(new String(Hex.decode(r.substring(1)), StandardCharsets.UTF_8));
        }
        assertEquals(big + "\n", text.toString());
    }

    @Test
    void stopWithDetailPrintsItBeforeTheStopReply() {
        t.catchPc = FakeTarget.BASE + 0x40;
        List<String> replies = h.packets("c");
        assertEquals(2, replies.size(), replies.toString());
        assertEquals("O" + hex("guest read PMCCNTR_EL0\n"), replies.get(0));
        assertEquals("T05thread:1;", SessionHarness.stop(replies.get(1)));
        assertEquals(FakeTarget.BASE + 0x40, t.regs[0][DebugTarget.PC]);
    }

    @Test
    void detachResumesTheGuestAndCloses() {
        assertEquals("OK", h.ask("D"));
        assertTrue(h.closed);
        assertTrue(h.runner.ended().isDone(), "the detached guest ran to its exit");
    }

    @Test
    void killEndsTheGuestWithoutReply() {
        assertEquals(List.of(), h.packets("k"));
        assertTrue(h.closed);
        assertEquals(StopEvent.Reason.KILLED, h.runner.ended().join().reason());
        assertFalse(t.steps > 0);
    }

    @Test
    void malformedFramesGetAnErrorReply() {
        assertEquals(List.of("+", "$E01"), h.feed("$}#7d".getBytes(StandardCharsets.US_ASCII)));
    }
}
