package dev.a64trap.devices;

import dev.a64trap.mem.MmioDevice;
import java.util.function.Consumer;

/**
 * The virt board's PL031 real-time clock as QEMU 7.2 models it (hw/rtc/pl031.c): a seconds
 * counter that is always running, a match register raising SPI 2 (level, masked by IMSC) when
 * the count reaches it, and the PrimeCell id bytes.
 *
 * <p>QEMU starts the count at the host's date; a64trap starts it at a fixed date given by the
 * user (QEMU's {@code -rtc base=}), so runs stay deterministic, and counts guest time.
 */
public final class Pl031 implements MmioDevice {
    public static final long BASE = 0x0901_0000L;
    public static final long SIZE = 0x1000;
    /** SPI 2 as an INTID. */
    public static final int IRQ = 32 + 2;
    /** The default date: 2000-01-01T00:00:00Z, in seconds since the epoch. */
    public static final long DEFAULT_BASE = 946_684_800L;
    private static final int[] ID = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    private static final long NS = 1_000_000_000L;

    private final GuestClock clock;
    private final Runnable changed;
    private Consumer<Boolean> irq = level -> { };
    /** What the count reads minus guest seconds elapsed (QEMU's tick_offset). */
    private long tickOffset;
    private int match;
    private int load;
    private int mask;
    private int raw;
    /** Guest time of the pending alarm, or Long.MAX_VALUE. */
    private long alarmNs = Long.MAX_VALUE;

    /**
     * @param epochSeconds the date the count starts at
     * @param changed      told when the alarm's deadline moves (the board plans a checkpoint there)
     */
    public Pl031(GuestClock clock, long epochSeconds, Runnable changed) {
        this.clock = clock;
        this.changed = changed;
        this.tickOffset = epochSeconds - clock.nanoseconds() / NS;
    }

    public void setIrqLine(Consumer<Boolean> line) {
        irq = line;
        line.accept(false);
    }

    private int count() {
        return (int) (tickOffset + clock.nanoseconds() / NS);
    }

    @Override
    public long read(long offset, int size) {
        update();
        return switch ((int) offset) {
            case 0x00 -> count() & 0xffff_ffffL;
            case 0x04 -> match & 0xffff_ffffL;
            case 0x08 -> load & 0xffff_ffffL;
            case 0x0c -> 1; // always enabled
            case 0x10 -> mask;
            case 0x14 -> raw;
            case 0x18 -> raw & mask;
            default -> offset >= 0xfe0 && offset < 0x1000 ? ID[(int) (offset - 0xfe0) >> 2] : 0;
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        update();
        switch ((int) offset) {
            case 0x08 -> {
                load = (int) value;
                tickOffset += (value & 0xffff_ffffL) - (count() & 0xffff_ffffL);
                setAlarm();
            }
            case 0x04 -> {
                match = (int) value;
                setAlarm();
            }
            case 0x10 -> {
                mask = (int) value & 1;
                drive();
            }
            case 0x1c -> {
                raw &= (int) ~value;
                drive();
            }
            default -> { } // CR: ignored; DR, RIS, MIS: read-only; others: not decoded
        }
    }

    /** As QEMU: the alarm fires (match - count) whole seconds from now, modulo 2^32; 0 fires at once. */
    private void setAlarm() {
        long ticks = (match - count()) & 0xffff_ffffL;
        if (ticks == 0) {
            alarmNs = Long.MAX_VALUE;
            raw = 1;
            drive();
        } else {
            alarmNs = clock.nanoseconds() + ticks * NS;
        }
        changed.run();
    }

    /** Guest time of the next alarm, or Long.MAX_VALUE. */
    public long nextDeadline() {
        return alarmNs;
    }

    /** Raises the alarm if guest time has reached it. */
    public void update() {
        if (clock.nanoseconds() >= alarmNs) {
            alarmNs = Long.MAX_VALUE;
            raw = 1;
            drive();
            changed.run();
        }
    }

    private void drive() {
        irq.accept((raw & mask) != 0);
    }

    @Override
    public String name() {
        return "pl031";
    }
}
