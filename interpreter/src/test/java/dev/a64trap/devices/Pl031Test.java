package dev.a64trap.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The PL031 as a driver sees it, with the register behaviour of QEMU 7.2's hw/rtc/pl031.c. */
class Pl031Test {
    private long now;
    private final AtomicBoolean line = new AtomicBoolean();
    private final Pl031 rtc = new Pl031(() -> now, 1_000_000L, () -> { });

    Pl031Test() {
        rtc.setIrqLine(line::set);
    }

    @Test
    void countsWholeSecondsOfGuestTimeFromItsBase() {
        assertEquals(1_000_000L, rtc.read(0x00, 4));
        now = 2_999_999_999L;
        assertEquals(1_000_002L, rtc.read(0x00, 4));
        assertEquals(1, rtc.read(0x0c, 4)); // always enabled
        rtc.write(0x08, 4, 5); // load
        assertEquals(5, rtc.read(0x00, 4));
        assertEquals(5, rtc.read(0x08, 4));
        now += 1_000_000_000L;
        assertEquals(6, rtc.read(0x00, 4));
    }

    @Test
    void primeCellIdAsQemu() {
        int[] expected = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], rtc.read(0xfe0 + 4 * i, 4));
        }
    }

    @Test
    void matchRaisesTheLineWhenUnmaskedAndTheClearDropsIt() {
        rtc.write(0x04, 4, 1_000_003L); // three seconds from now
        assertEquals(3_000_000_000L, rtc.nextDeadline());
        rtc.write(0x10, 4, 1); // unmask
        now = 2_999_999_999L;
        rtc.update();
        assertFalse(line.get());
        assertEquals(0, rtc.read(0x14, 4));
        now = 3_000_000_000L;
        rtc.update();
        assertTrue(line.get());
        assertEquals(1, rtc.read(0x14, 4));
        assertEquals(1, rtc.read(0x18, 4));
        assertEquals(Long.MAX_VALUE, rtc.nextDeadline());
        rtc.write(0x10, 4, 0); // masked: raw stays, line drops
        assertFalse(line.get());
        assertEquals(1, rtc.read(0x14, 4));
        assertEquals(0, rtc.read(0x18, 4));
        rtc.write(0x10, 4, 1);
        assertTrue(line.get());
        rtc.write(0x1c, 4, 1); // clear
        assertFalse(line.get());
        assertEquals(0, rtc.read(0x14, 4));
    }

    @Test
    void aMatchEqualToTheCountFiresAtOnceAndOneInThePastWrapsAround() {
        rtc.write(0x10, 4, 1);
        rtc.write(0x04, 4, 1_000_000L);
        assertTrue(line.get());
        rtc.write(0x1c, 4, 1);
        rtc.write(0x04, 4, 999_999L); // a second ago: 2^32 - 1 seconds from now, as QEMU
        assertEquals(((1L << 32) - 1) * 1_000_000_000L, rtc.nextDeadline());
        assertFalse(line.get());
    }
}
