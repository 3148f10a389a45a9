package dev.a64trap.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonText against Jackson's tree reader (the oracle) on random documents, and its refusals. */
class JsonTextTest {
    private static final ObjectMapper OM = new ObjectMapper();

    @Test
    void randomDocumentsReadAsJacksonReadsThem() throws Exception {
        Random r = new Random(14);
        for (int n = 0; n < 400; n++) {
            String doc = value(r, 0);
            assertSame(OM.readTree(doc), JsonText.parse(doc), doc);
        }
    }

    @Test
    void theCoreFilesReadAsJacksonReadsThem() throws Exception {
        for (String core : CoreCatalog.all().keySet()) {
            String text;
            try (java.io.InputStream in = CoreCatalog.class.getResourceAsStream("/host-pmus/" + core + ".json")) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertSame(OM.readTree(text), JsonText.parse(text), core);
        }
    }

    @Test
    void malformedTextIsRefusedWithItsOffset() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "\"abc", "01x", "-", "1.", "1e",
                "tru", "nul", "01", "-01", "[1] 2", "\"\\x\"", "\"\\u12\"", "{1:2}", "\"a\tb\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonText.parse(bad), bad);
            assertTrue(e.getMessage().contains("at offset"), e.getMessage());
        }
    }

    /** Jackson's node and the reader's value hold the same data. */
    private static void assertSame(JsonNode want, Object got, String doc) {
        if (want.isObject()) {
            Map<?, ?> m = (Map<?, ?>) got;
            assertEquals(want.size(), m.size(), doc);
            Iterator<Map.Entry<String, JsonNode>> it = want.fields();
            List<?> keys = new ArrayList<>(m.keySet());
            for (int k = 0; it.hasNext(); k++) {
                Map.Entry<String, JsonNode> e = it.next();
                assertEquals(e.getKey(), keys.get(k), doc); // in document order
                assertSame(e.getValue(), m.get(e.getKey()), doc);
            }
        } else if (want.isArray()) {
            List<?> l = (List<?>) got;
            assertEquals(want.size(), l.size(), doc);
            for (int k = 0; k < l.size(); k++) {
                assertSame(want.get(k), l.get(k), doc);
            }
        } else if (want.isTextual()) {
            assertEquals(want.textValue(), got, doc);
        } else if (want.isNumber()) {
            assertEquals(want.doubleValue(), Double.parseDouble(((JsonText.Num) got).text()), doc);
        } else if (want.isBoolean()) {
            assertEquals(want.booleanValue(), got, doc);
        } else {
            assertTrue(want.isNull() && got == null, doc);
        }
    }

    private static final String[] WS = {"", " ", "\n", "\t ", "\r\n"};

    /** A random JSON document: nested objects and arrays, escapes, numbers of every shape. */
    private static String value(Random r, int depth) {
        String ws = WS[r.nextInt(WS.length)];
        int kind = depth > 3 ? 2 + r.nextInt(4) : r.nextInt(6);
        StringBuilder b = new StringBuilder(ws);
        switch (kind) {
            case 0 -> {
                b.append('{');
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    b.append(k > 0 ? "," : "").append(ws).append(string(r, "k" + k)).append(ws).append(':')
                            .append(value(r, depth + 1));
                }
                b.append(ws).append('}');
            }
            case 1 -> {
                b.append('[');
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    b.append(k > 0 ? "," : "").append(value(r, depth + 1));
                }
                b.append(ws).append(']');
            }
            case 2 -> b.append(string(r, ""));
            case 3 -> b.append(r.nextBoolean() ? "-" : "").append(r.nextInt(100000))
                    .append(r.nextBoolean() ? "." + r.nextInt(1000) : "")
                    .append(r.nextBoolean() ? (r.nextBoolean() ? "e" : "E+") + r.nextInt(20) : "");
            case 4 -> b.append(r.nextBoolean() ? "true" : "false");
            default -> b.append("null");
        }
        return b.append(ws).toString();
    }

    private static String string(Random r, String prefix) {
        StringBuilder b = new StringBuilder("\"").append(prefix);
        String[] parts = {"a", "Z", "0x11", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f", "\\r", "\\u00e9",
            "\\u20AC", "é", "\u20ac"};
        int n = r.nextInt(6);
        for (int k = 0; k < n; k++) {
            b.append(parts[r.nextInt(parts.length)]);
        }
        return b.append('"').toString();
    }
}
