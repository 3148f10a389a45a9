package dev.a64trap.devices;

import dev.a64trap.mem.FlashCommands;
import dev.a64trap.mem.GuestMemory;

/**
 * One bank of the virt board's NOR flash as QEMU 7.2 models it (hw/block/pflash_cfi01.c with
 * hw/arm/virt.c's settings): two x16 Intel/Sharp command-set parts side by side on a 32-bit bus
 * (bank width 4, device width 2), 256 KiB erase blocks, manufacturer 0x89, device 0x18.
 *
 * <p>The bank's bytes live in {@link GuestMemory}'s flash pages, so reads in array mode (the
 * normal state) never come here. A write is a command: it may switch the bank to answering
 * reads with the status register, the device id or the CFI query table until the guest writes
 * "read array" (0xff) again. Programming and erasing act at once and report "ready", as in
 * QEMU; UEFI's variable store and U-Boot's flash driver need exactly this.
 */
public final class CfiFlash implements FlashCommands {
    public static final int BANK_WIDTH = 4;
    public static final int DEVICE_WIDTH = 2;
    public static final int SECTOR_SIZE = 256 << 10;
    public static final int MANUFACTURER_ID = 0x89;
    public static final int DEVICE_ID = 0x18;
    /** Status register: ready, block erase error, program error. */
    static final int READY = 0x80;
    static final int ERASE_ERROR = 0x20;
    static final int PROGRAM_ERROR = 0x10;

    private final GuestMemory memory;
    private final long base;
    private final long size;
    /** The CFI query table of one part (QEMU's, 0x52 bytes); reads past it give 0. */
    private final byte[] cfi = new byte[0x52];

    /** The command in force (0 = read array) and how many of its bus cycles have been seen. */
    private int cmd;
    private int cycle;
    private int status = READY; // the write state machine is ready at reset
    /** Bus writes left in a buffered write, minus one (as the guest gives it). */
    private long counter;
    /**
     * The write buffer: a buffered write collects its data here and reaches the array only on
     * the confirm. As in QEMU 7.2 it covers both parts' 2 KiB buffers and is placed where the
     * word count was written (aligned down), not where the data goes: a driver that writes the
     * count at the block's start and data further in (U-Boot's saveenv past its first 4 KiB)
     * gets a programming error, exactly as on QEMU.
     */
    private final byte[] buffer = new byte[WRITE_BUFFER];
    private long bufferStart = -1;
    static final int WRITE_BUFFER = (1 << 11) * (BANK_WIDTH / DEVICE_WIDTH);

    public CfiFlash(GuestMemory memory, long base, long size) {
        this.memory = memory;
        this.base = base;
        this.size = size;
        // each part holds half of every 256 KiB block: 128 KiB blocks, as many as the bank has
        int sectorPerDevice = SECTOR_SIZE / (BANK_WIDTH / DEVICE_WIDTH);
        long blocksPerDevice = size / SECTOR_SIZE;
        long deviceBytes = sectorPerDevice * blocksPerDevice;
        byte[][] table = {
            {0x10, 'Q'}, {0x11, 'R'}, {0x12, 'Y'},
            {0x13, 0x01}, {0x15, 0x31}, // Intel command set; primary extended table at 0x31
            {0x1b, 0x45}, {0x1c, 0x55}, // Vcc min/max
            {0x1f, 0x07}, {0x20, 0x07}, {0x21, 0x0a}, {0x23, 0x04}, {0x24, 0x04}, {0x25, 0x04},
            {0x27, (byte) Long.numberOfTrailingZeros(deviceBytes)},
            {0x28, 0x02}, // x8/x16 interface
            {0x2a, 0x0b}, // 2 KiB buffered writes
            {0x2c, 0x01}, // one uniform erase-block region
            {0x2d, (byte) (blocksPerDevice - 1)}, {0x2e, (byte) ((blocksPerDevice - 1) >> 8)},
            {0x2f, (byte) (sectorPerDevice >> 8)}, {0x30, (byte) (sectorPerDevice >> 16)},
            {0x31, 'P'}, {0x32, 'R'}, {0x33, 'I'}, {0x34, '1'}, {0x35, '0'},
            {0x3f, 0x01}, // protection fields
        };
        for (byte[] row : table) {
            cfi[row[0]] = row[1];
        }
    }

    @Override
    public boolean readsArray() {
        return cmd == 0;
    }

    @Override
    public long read(long address, int size) {
        long offset = address - base;
        long value = 0;
        for (int i = 0; i < size; i += Math.min(size, BANK_WIDTH)) {
            value |= (read32(offset + i, Math.min(size, BANK_WIDTH)) & 0xffff_ffffL) << (8 * i);
        }
        return size == 8 ? value : value & ((1L << (8 * size)) - 1);
    }

    /** One bus read of at most the bank width in command mode. */
    private int read32(long offset, int width) {
        switch (cmd) {
            case 0x10, 0x20, 0x28, 0x40, 0x50, 0x60, 0x70, 0xe8 -> {
                int v = status;
                for (int shift = DEVICE_WIDTH * 8; shift + DEVICE_WIDTH * 8 <= width * 8; shift += DEVICE_WIDTH * 8) {
                    v |= status << shift; // every part in the bank answers
                }
                return v;
            }
            case 0x90 -> {
                int slot = (int) (offset >>> 2) & 0xff;
                return replicate(slot == 0 ? MANUFACTURER_ID : slot == 1 ? DEVICE_ID : 0, slot <= 1);
            }
            case 0x98 -> {
                long slot = offset >>> 2;
                return slot < cfi.length ? replicate(cfi[(int) slot] & 0xff, true) : 0;
            }
            default -> {
                cmd = 0; // cannot happen: back to array reads, as QEMU
                cycle = 0;
                byte[] b = memory.readBytes(base + offset, width);
                int v = 0;
                for (int i = width - 1; i >= 0; i--) {
                    v = v << 8 | b[i] & 0xff;
                }
                return v;
            }
        }
    }

    private static int replicate(int partAnswer, boolean valid) {
        return valid ? partAnswer | partAnswer << 16 : 0;
    }

    @Override
    public void write(long address, int size, long value) {
        if (size > BANK_WIDTH) { // the bus splits wide accesses, low address first, as QEMU's memory core
            for (int i = 0; i < size; i += BANK_WIDTH) {
                write(address + i, BANK_WIDTH, value >>> (8 * i));
            }
            return;
        }
        long offset = address - base;
        int command = (int) value & 0xff;
        switch (cycle) {
            case 0 -> firstCycle(offset, command);
            case 1 -> secondCycle(offset, size, value, command);
            case 2 -> bufferData(offset, size, value);
            default -> confirm(command);
        }
    }

    private void firstCycle(long offset, int command) {
        switch (command) {
            case 0x10, 0x40, 0x60, 0x98 -> { /* program, (un)lock, query: more cycles follow */ }
            case 0x20 -> {
                memory.fill(base + (offset & ~(long) (SECTOR_SIZE - 1)), SECTOR_SIZE, (byte) 0xff);
                status |= READY;
            }
            case 0x50 -> {
                status = 0;
                resetToArray();
                return;
            }
            case 0x70, 0x90 -> {
                cmd = command; // status / device id reads until "read array"
                return;
            }
            case 0xe8 -> status |= READY;
            default -> { // 0x00, 0xf0 (AMD probe), 0xff and anything unknown
                resetToArray();
                return;
            }
        }
        cycle = 1;
        cmd = command;
    }

    private void secondCycle(long offset, int size, long value, int command) {
        switch (cmd) {
            case 0x10, 0x40 -> {
                program(offset, size, value);
                status |= READY;
                cycle = 0;
            }
            case 0x20, 0x28 -> {
                if (command == 0xd0) {
                    cycle = 0;
                    status |= READY;
                } else {
                    resetToArray();
                }
            }
            case 0xe8 -> {
                counter = value & ((1L << (8 * DEVICE_WIDTH)) - 1); // one part's word count
                bufferStart = offset & -WRITE_BUFFER; // starts as a copy of the array
                byte[] current = memory.readBytes(base + bufferStart, WRITE_BUFFER);
                System.arraycopy(current, 0, buffer, 0, WRITE_BUFFER);
                cycle = 2;
            }
            case 0x60 -> {
                if (command == 0xd0 || command == 0x01) {
                    cycle = 0;
                    status |= READY;
                } else {
                    resetToArray();
                }
            }
            case 0x98 -> {
                if (command == 0xff) {
                    resetToArray();
                } // anything else: stay in query mode
            }
            default -> resetToArray();
        }
    }

    private void bufferData(long offset, int size, long value) {
        if (offset >= bufferStart && offset + size <= bufferStart + WRITE_BUFFER) {
            for (int i = 0; i < size; i++) {
                buffer[(int) (offset - bufferStart) + i] = (byte) (value >>> (8 * i));
            }
        } else {
            status |= PROGRAM_ERROR;
        }
        status |= READY;
        if (counter == 0) {
            cycle = 3; // the block is written; the confirm (0xd0) comes next
        } else {
            counter--;
        }
    }

    private void confirm(int command) {
        if (command == 0xd0 && (status & PROGRAM_ERROR) == 0) {
            memory.load(base + bufferStart, buffer);
            cycle = 0;
            status |= READY;
        } else {
            resetToArray(); // the buffer is dropped
        }
    }

    private void program(long offset, int size, long value) {
        if (offset < 0 || offset + size > this.size) {
            status |= PROGRAM_ERROR;
            return;
        }
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        memory.load(base + offset, bytes);
    }

    private void resetToArray() {
        cmd = 0;
        cycle = 0;
    }

    @Override
    public String toString() {
        return String.format("cfi-flash@0x%x cmd 0x%02x cycle %d status 0x%02x", base, cmd, cycle, status);
    }
}
