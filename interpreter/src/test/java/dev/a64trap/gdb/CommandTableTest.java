package dev.a64trap.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTableTest {
    private final List<String> prefixes = new SessionHarness().session.prefixes();
    private final CommandTable<String> table = new CommandTable<>(
            prefixes.stream().map(p -> new CommandTable.Entry<>(p, p)).toList());

    /** Packets each row must own: the bare name and the name with each argument separator. */
    private static List<String> samples(String prefix) {
        if (prefix.length() == 1) return List.of(prefix, prefix + "0", prefix + "1,2", prefix + ";x");
        return List.of(prefix, prefix + ":1", prefix + ";c", prefix + ",2");
    }

    @Test
    void noPrefixShadowsAnother() {
        for (String p : prefixes) {
            for (String sample : samples(p)) {
                CommandTable.Entry<String> e = table.lookup(sample);
                assertNotNull(e, sample);
                assertEquals(p, e.handler(), "packet '" + sample + "' must go to '" + p + "'");
            }
        }
    }

    @Test
    void longerNamesWinAndNamesNeedASeparator() {
        assertEquals("vCont?", table.lookup("vCont?").handler());
        assertEquals("vCont", table.lookup("vCont;s:1;c").handler());
        assertEquals("qXfer:features:read", table.lookup("qXfer:features:read:target.xml:0,fff").handler());
        assertNull(table.lookup("qCRC:0,4"), "qC must not answer qCRC");
        assertNull(table.lookup("vContX"));
        assertNull(table.lookup("qXfer:memory-map:read::0,1"));
        assertNull(table.lookup(""));
    }

    @Test
    void duplicatePrefixesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CommandTable<>(List.of(
                new CommandTable.Entry<>("qC", 1), new CommandTable.Entry<>("qC", 2))));
    }
}
