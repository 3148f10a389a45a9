package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TargetXmlTest {
    /** Reads target.xml through qXfer in small chunks, as gdb does. */
    private static String fetch(SessionHarness h, int chunk) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String r = h.ask("qXfer:features:read:target.xml:" + Integer.toHexString(sb.length()) + "," + Integer.toHexString(chunk));
            sb.append(r.substring(1));
            if (r.startsWith("l")) return sb.toString();
            assertEquals('m', r.charAt(0));
        }
    }

    @Test
    void chunkedReadReassemblesAndParses() throws Exception {
        SessionHarness h = new SessionHarness();
        String whole = fetch(h, 0x1000);
        assertEquals(whole, fetch(h, 37));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(whole.getBytes(StandardCharsets.UTF_8)));
        assertEquals("aarch64", doc.getElementsByTagName("architecture").item(0).getTextContent());
        NodeList features = doc.getElementsByTagName("feature");
        assertEquals("org.gnu.gdb.aarch64.core", ((Element) features.item(0)).getAttribute("name"));
        NodeList regs = doc.getElementsByTagName("reg");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < regs.getLength(); i++) {
            Element r = (Element) regs.item(i);
            assertEquals(i, Integer.parseInt(r.getAttribute("regnum")), r.getAttribute("name"));
            names.add(r.getAttribute("name") + "/" + r.getAttribute("bitsize"));
        }
        assertEquals("x0/64", names.get(0));
        assertEquals("x30/64", names.get(30));
        assertEquals(List.of("sp/64", "pc/64", "cpsr/32", "PMCR_EL0/64", "PMCCNTR_EL0/64", "PMOVSSET_EL0/64", "MIDR_EL1/64"),
                names.subList(31, names.size()));
    }

    @Test
    void unknownAnnexAndBadOffsets() {
        SessionHarness h = new SessionHarness();
        assertEquals("E00", h.ask("qXfer:features:read:other.xml:0,10"));
        assertEquals("l", h.ask("qXfer:features:read:target.xml:100000,10"));
        assertEquals("E01", h.ask("qXfer:features:read:target.xml:zz,10"));
        assertEquals("E01", h.ask("qXfer:features:read:target.xml"));
    }
}
