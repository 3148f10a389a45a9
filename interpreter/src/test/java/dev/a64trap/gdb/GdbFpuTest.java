package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The org.gnu.gdb.aarch64.fpu feature: v0-v31 and fpsr/fpcr at gdb's numbers, system registers after them. */
class GdbFpuTest {
    private static String le(long v, int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) sb.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
        return sb.toString();
    }

    private static FakeTarget target() {
        FakeTarget t = new FakeTarget(1);
        t.fpu = true;
        return t;
    }

    @Test
    void vectorAndStatusRegistersReadAndWriteAtGdbNumbers() {
        FakeTarget t = target();
        SessionHarness h = new SessionHarness(t);
        t.fpuRegs[2 * 3] = 0x0123456789abcdefL;
        t.fpuRegs[2 * 3 + 1] = 0xfedcba9876543210L;
        t.fpuRegs[2 * 32] = 0x8000010L; // fpsr: QC, IXC
        assertEquals(le(0x0123456789abcdefL, 8) + le(0xfedcba9876543210L, 8), h.ask("p25"), "v3 = regnum 37");
        assertEquals(le(0x8000010L, 4), h.ask("p42"), "fpsr = regnum 66, 32 bits");
        assertEquals("OK", h.ask("P43=" + le(0x00c00000L, 4)), "fpcr = regnum 67");
        assertEquals(0x00c00000L, t.fpuRegs[2 * 33]);
        assertEquals("OK", h.ask("P41=" + le(1, 8) + le(2, 8)), "v31");
        assertEquals(1, t.fpuRegs[62]);
        assertEquals(2, t.fpuRegs[63]);
        assertEquals("E01", h.ask("P22=" + le(1, 8)), "a vector register takes 16 bytes");
        assertEquals(le(1000, 8), h.ask("p45"), "PMCCNTR_EL0, system register 1, now regnum 69");
    }

    @Test
    void targetXmlDeclaresTheFpuFeatureBeforeTheSystemRegisters() {
        SessionHarness h = new SessionHarness(target());
        StringBuilder sb = new StringBuilder();
        while (true) {
            String r = h.ask("qXfer:features:read:target.xml:" + Integer.toHexString(sb.length()) + ",400");
            sb.append(r.substring(1));
            if (r.startsWith("l")) break;
        }
        String xml = sb.toString();
        assertTrue(xml.contains("<feature name=\"org.gnu.gdb.aarch64.fpu\">"));
        assertTrue(xml.contains("<reg name=\"v0\" bitsize=\"128\" type=\"aarch64v\" regnum=\"34\""));
        assertTrue(xml.contains("<reg name=\"fpcr\" bitsize=\"32\" type=\"int\" regnum=\"67\""));
        assertTrue(xml.contains("<reg name=\"PMCR_EL0\" bitsize=\"64\" type=\"uint64\" regnum=\"68\""));
        assertTrue(xml.indexOf("aarch64.fpu") < xml.indexOf("PMCR_EL0"));
    }
}
