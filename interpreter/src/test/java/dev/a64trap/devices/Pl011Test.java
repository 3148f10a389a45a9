package dev.a64trap.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.mem.GuestMemory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pl011Test {
    private static final long B = Pl011.BASE;

    private static GuestMemory board(Pl011 uart) {
        GuestMemory mem = new GuestMemory();
        mem.map(Pl011.BASE, Pl011.SIZE, uart);
        return mem;
    }

    @Test
    void transmitsThroughTheBus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pl011 uart = new Pl011(out, SerialInput.NONE);
        GuestMemory mem = board(uart);
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            // A polling putc: wait while TXFF, then write DR (a 32-bit store as compilers emit it).
            assertEquals(0, mem.read(B + 0x18, 4) & Pl011.FR_TXFF);
            mem.write(B, 4, b & 0xff | 0xABCD00);
        }
        assertEquals("hi\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void flagsOutOfResetMatchQemu() {
        Pl011 uart = new Pl011(new ByteArrayOutputStream(), SerialInput.NONE);
        assertEquals(0x90, uart.read(0x18, 4)); // TXFE | RXFE
        assertEquals(0x300, uart.read(0x30, 4)); // CR: TXE | RXE
        assertEquals(0x12, uart.read(0x34, 4)); // IFLS
    }

    @Test
    void receivesWithRxfeTracking() {
        Pl011 uart = new Pl011(new ByteArrayOutputStream(), SerialInput.eager(new ByteArrayInputStream("ab".getBytes())));
        assertEquals(0, uart.read(0x18, 4) & Pl011.FR_RXFE);
        assertTrue((uart.read(0x18, 4) & Pl011.FR_RXFF) != 0, "FIFO disabled: one byte fills it");
        assertEquals('a', uart.read(0, 4));
        assertEquals('b', uart.read(0, 4));
        assertEquals(Pl011.FR_RXFE, uart.read(0x18, 4) & Pl011.FR_RXFE);
        assertEquals(0, uart.read(0, 4));
    }

    @Test
    void pollingNeverBlocksOnAnIdleStream() throws Exception {
        // A pipe nobody writes to: available() is 0, so FR says RX empty instead of blocking.
        java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
        java.io.PipedInputStream reader = new java.io.PipedInputStream(writer);
        Pl011 uart = new Pl011(new ByteArrayOutputStream(), SerialInput.eager(reader));
        assertEquals(Pl011.FR_RXFE | Pl011.FR_TXFE, uart.read(0x18, 4));
        writer.write('k');
        assertEquals(0, uart.read(0x18, 4) & Pl011.FR_RXFE);
        assertEquals('k', uart.read(0, 4));
    }

    @Test
    void fifoEnabledHoldsSixteen() {
        Pl011 uart = new Pl011(new ByteArrayOutputStream(), SerialInput.eager(new ByteArrayInputStream(new byte[20])));
        uart.write(0x2c, 4, Pl011.LCR_FEN | 0x60);
        assertEquals(Pl011.LCR_FEN | 0x60, uart.read(0x2c, 4));
        assertTrue((uart.read(0x18, 4) & Pl011.FR_RXFF) != 0);
        for (int i = 0; i < 15; i++) {
            uart.read(0, 4);
        }
        assertEquals(0, uart.read(0x18, 4) & (Pl011.FR_RXFF | Pl011.FR_RXFE), "1 left, refilled to 16 on next look");
    }

    @Test
    void controlRegistersReadBackAndIdRegistersArePl011() {
        Pl011 uart = new Pl011(new ByteArrayOutputStream(), SerialInput.NONE);
        uart.write(0x24, 4, 13);
        uart.write(0x28, 4, 1);
        uart.write(0x30, 4, 0x301);
        assertEquals(13, uart.read(0x24, 4));
        assertEquals(1, uart.read(0x28, 4));
        assertEquals(0x301, uart.read(0x30, 4));
        int[] expected = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1}; // PL011 r1p5, PrimeCell
        for (int i = 0; i < 8; i++) {
            assertEquals(expected[i], uart.read(0xfe0 + 4 * i, 4));
        }
        assertEquals(0, uart.read(0x100, 4));
        uart.write(0x100, 4, 5); // ignored, no exception
    }

    @Test
    void interruptsFollowImscAndIcr() {
        List<Boolean> levels = new ArrayList<>();
        Pl011 uart = new Pl011(new ByteArrayOutputStream(), SerialInput.NONE);
        uart.setIrqLine(levels::add);
        uart.write(0, 1, 'x');
        assertEquals(Pl011.INT_TX, uart.read(0x3c, 4)); // RIS
        assertFalse(uart.irqPending());
        uart.write(0x38, 4, Pl011.INT_TX); // IMSC
        assertTrue(uart.irqPending());
        assertEquals(Pl011.INT_TX, uart.read(0x40, 4)); // MIS
        uart.write(0x44, 4, Pl011.INT_TX); // ICR
        assertFalse(uart.irqPending());
        assertEquals(List.of(false, true, false), levels);
    }
}
