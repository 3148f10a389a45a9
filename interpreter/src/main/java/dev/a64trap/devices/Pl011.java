package dev.a64trap.devices;

import dev.a64trap.mem.MmioDevice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The ARM PrimeCell PL011 UART as QEMU models it (hw/char/pl011.c), at 0x0900_0000 on virt
 * (4 KiB, SPI 1). Transmit is instantaneous: TXFE always set, TXFF and BUSY never. Receive
 * pulls bytes from a {@link SerialInput} into a 16-entry FIFO (1 entry while LCR_H.FEN is
 * clear) whenever the guest looks at FR or DR, so polling loops see input. Control registers
 * are stored and read back; offsets QEMU does not decode read as zero and ignore writes.
 * Output bytes go to the caller's stream as they are written; {@link #flush()} at exit.
 */
public final class Pl011 implements MmioDevice {
    public static final long BASE = 0x0900_0000L;
    public static final long SIZE = 0x1000;
    /** virt wires the PL011 to SPI 1 (GIC INTID 33). */
    public static final int IRQ = 33;

    // Register offsets.
    static final int DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028,
            LCR_H = 0x02c, CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040, ICR = 0x044,
            DMACR = 0x048;
    // FR bits.
    static final int FR_CTS = 1, FR_BUSY = 1 << 3, FR_RXFE = 1 << 4, FR_TXFF = 1 << 5, FR_RXFF = 1 << 6, FR_TXFE = 1 << 7;
    // Interrupt bits (RIS/MIS/IMSC/ICR).
    static final int INT_RX = 1 << 4, INT_TX = 1 << 5, INT_RT = 1 << 6;
    static final int LCR_FEN = 1 << 4;
    /** PrimeCell peripheral and cell ID bytes at 0xFE0..0xFFC (QEMU's pl011_id_arm). */
    private static final int[] ID = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    private static final int FIFO_DEPTH = 16;

    /** Tells the interrupt controller the level of the UART's interrupt line. */
    public interface IrqLine {
        void set(boolean level);
    }

    private final OutputStream out;
    private final SerialInput in;
    private IrqLine irq = level -> {};

    private final int[] rxFifo = new int[FIFO_DEPTH];
    private int rxHead;
    private int rxCount;
    private int rsr;
    private int ilpr;
    private int ibrd;
    private int fbrd;
    private int lcr;
    private int cr;
    private int ifls;
    private int imsc;
    private int ris;
    private int dmacr;
    private boolean irqLevel;

    public Pl011(OutputStream out, SerialInput in) {
        this.out = out;
        this.in = in;
        reset();
    }

    /** Power-on values, as QEMU's pl011_reset. */
    public void reset() {
        rxHead = 0;
        rxCount = 0;
        rsr = 0;
        ilpr = 0;
        ibrd = 0;
        fbrd = 0;
        lcr = 0;
        cr = 0x300; // TXE | RXE
        ifls = 0x12;
        imsc = 0;
        ris = 0;
        dmacr = 0;
        updateIrq();
    }

    public void setIrqLine(IrqLine line) {
        this.irq = line;
        line.set(irqLevel);
    }

    /** The level of the interrupt output (RIS & IMSC != 0). */
    public boolean irqPending() {
        return irqLevel;
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "pl011";
    }

    @Override
    public long read(long offset, int size) {
        int off = (int) offset;
        if (off >= 0xfe0 && off < 0x1000) {
            return ID[(off - 0xfe0) >> 2];
        }
        return switch (off) {
            case DR -> readData();
            case RSR -> rsr;
            case FR -> flags();
            case ILPR -> ilpr;
            case IBRD -> ibrd;
            case FBRD -> fbrd;
            case LCR_H -> lcr;
            case CR -> cr;
            case IFLS -> ifls;
            case IMSC -> imsc;
            case RIS -> {
                fillRx();
                yield ris;
            }
            case MIS -> {
                fillRx();
                yield ris & imsc;
            }
            case DMACR -> dmacr;
            default -> 0; // QEMU logs a guest error and reads zero
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        int v = (int) value;
        switch ((int) offset) {
            case DR -> {
                try {
                    out.write(v & 0xff);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                ris |= INT_TX; // QEMU raises TX at once: the FIFO drains instantly
                updateIrq();
            }
            case RSR -> rsr = 0; // ECR: any write clears the error bits
            case ILPR -> ilpr = v & 0xff;
            case IBRD -> ibrd = v & 0xffff;
            case FBRD -> fbrd = v & 0x3f;
            case LCR_H -> {
                if (((lcr ^ v) & LCR_FEN) != 0) {
                    rxHead = 0; // toggling FEN empties the FIFO, as in QEMU
                    rxCount = 0;
                }
                lcr = v & 0xff;
            }
            case CR -> cr = v & 0xffff;
            case IFLS -> ifls = v & 0x3f;
            case IMSC -> {
                imsc = v & 0x7ff;
                updateIrq();
            }
            case ICR -> {
                ris &= ~v;
                updateIrq();
            }
            case DMACR -> dmacr = v & 0x7;
            default -> { } // read-only or undecoded: ignored
        }
    }

    /**
     * Takes the oldest byte the receiver holds, or -1 if it holds none: the PL011 and semihosting
     * share one stdin, and a byte the UART pulled in while the guest only looked at FR is still the
     * next byte of that stdin for SYS_READC.
     */
    public int takeReceived() {
        if (rxCount == 0) {
            return -1;
        }
        int c = rxFifo[rxHead];
        rxHead = (rxHead + 1) % FIFO_DEPTH;
        rxCount--;
        if (rxCount == 0) {
            ris &= ~(INT_RX | INT_RT);
        }
        updateIrq();
        return c;
    }

    private int flags() {
        fillRx();
        int f = FR_TXFE;
        if (rxCount == 0) {
            f |= FR_RXFE;
        }
        if (rxCount == depth()) {
            f |= FR_RXFF;
        }
        return f;
    }

    private long readData() {
        fillRx();
        return Math.max(takeReceived(), 0);
    }

    private int depth() {
        return (lcr & LCR_FEN) != 0 ? FIFO_DEPTH : 1;
    }

    /** Moves available input into the FIFO (only with the receiver enabled in CR? QEMU ignores CR, so do we). */
    private void fillRx() {
        while (rxCount < depth()) {
            int b = in.poll();
            if (b < 0) {
                break;
            }
            rxFifo[(rxHead + rxCount) % FIFO_DEPTH] = b & 0xff;
            rxCount++;
            ris |= INT_RX;
        }
        updateIrq();
    }

    private void updateIrq() {
        boolean level = (ris & imsc) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }
}
