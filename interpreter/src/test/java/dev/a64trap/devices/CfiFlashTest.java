package dev.a64trap.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.mem.GuestMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CFI command set of the virt board's second flash bank through the bus, as a driver sees
 * it. Expected values are QEMU 7.2's (hw/block/pflash_cfi01.c with virt's two x16 parts); the
 * whole-firmware check is conformance stage 60-firmware (U-Boot's flinfo/erase/cp/saveenv).
 */
class CfiFlashTest {
    private static final long BANK = GuestMemory.FLASH_BANK_SIZE;
    private GuestMemory memory;

    @BeforeEach
    void board() {
        memory = new GuestMemory();
        memory.attachFlash(BANK, new CfiFlash(memory, BANK, GuestMemory.FLASH_BANK_SIZE));
    }

    private void command(long offset, int value) {
        memory.write(BANK + offset, 4, value | (long) value << 16); // both parts, as drivers write it
    }

    @Test
    void cfiQueryAnswersFromBothPartsAndReadArrayReturns() {
        memory.write(BANK + 0x1000, 4, 0x1234_5678L);
        command(0x55 * 4, 0x98);
        assertEquals(0x0051_0051L, memory.read(BANK + 0x10 * 4, 4)); // 'Q' from each part
        assertEquals(0x0052_0052L, memory.read(BANK + 0x11 * 4, 4));
        assertEquals(0x0059_0059L, memory.read(BANK + 0x12 * 4, 4));
        assertEquals(25, memory.read(BANK + 0x27 * 4, 4) & 0xff); // 32 MiB per part
        assertEquals(0xff, memory.read(BANK + 0x2d * 4, 4) & 0xff); // 256 blocks
        assertEquals(0x02, memory.read(BANK + 0x30 * 4, 4) & 0xff); // 128 KiB blocks per part (2 * 64 KiB)
        assertEquals(0x0b, memory.read(BANK + 0x2a * 4, 4) & 0xff); // 2 KiB write buffer
        assertEquals(0, memory.read(BANK + 0x60 * 4, 4)); // past the table
        command(0, 0xff);
        assertEquals(0, memory.read(BANK + 0x10 * 4, 4)); // array again: erased-to-zero storage
        assertEquals(0, memory.read(BANK + 0x1000, 4)); // the plain store was ignored: flash is not RAM
    }

    @Test
    void deviceIdAndStatus() {
        command(0, 0x90);
        assertEquals(0x0089_0089L, memory.read(BANK, 4));
        assertEquals(0x0018_0018L, memory.read(BANK + 4, 4));
        assertEquals(0, memory.read(BANK + 8, 4)); // block lock status: not emulated
        command(0, 0x70);
        assertEquals(0x0080_0080L, memory.read(BANK, 4)); // ready after reset
        assertEquals(0x80L, memory.read(BANK, 2)); // a 2-byte read sees one part
        command(0, 0x50);
        command(0, 0x70);
        assertEquals(0, memory.read(BANK, 4)); // cleared
    }

    @Test
    void eraseProgramAndBufferedWrite() {
        command(0x40000, 0x20); // block erase of the 256 KiB block at 0x40000
        command(0x40000, 0xd0);
        assertEquals(0x0080_0080L, memory.read(BANK + 0x41234, 4)); // status while in the command
        command(0, 0xff);
        assertEquals(0xffff_ffffL, memory.read(BANK + 0x7fffc, 4));
        assertEquals(0, memory.read(BANK + 0x80000, 4)); // the next block untouched
        command(0x40010, 0x40); // word program
        memory.write(BANK + 0x40010, 4, 0xcafe_f00dL);
        command(0, 0xff);
        assertEquals(0xcafe_f00dL, memory.read(BANK + 0x40010, 4));

        command(0x41000, 0xe8); // buffered write: count (words - 1) per part, data, confirm
        command(0x41000, 3);
        for (int i = 0; i < 4; i++) {
            memory.write(BANK + 0x41000 + 4 * i, 4, 0x1111_1111L * (i + 1));
        }
        assertEquals(0xffff_ffffL, peekArray(0x41000)); // nothing reaches the array before the confirm
        command(0x41000, 0xd0);
        command(0, 0xff);
        assertEquals(0x4444_4444L, memory.read(BANK + 0x4100c, 4));
        assertEquals(0x1111_1111L, memory.read(BANK + 0x41000, 4));
    }

    @Test
    void bufferedWriteOutsideTheWindowOfTheCountIsAProgrammingError() {
        command(0x40000, 0x20);
        command(0x40000, 0xd0);
        command(0x40000, 0xe8);
        command(0x40000, 0); // one word, count written at the block start
        memory.write(BANK + 0x41000, 4, 0x1234_5678L); // 4 KiB further: outside QEMU's buffer
        command(0x41000, 0xd0);
        assertEquals(0xffff_ffffL, memory.read(BANK + 0x41000, 4)); // dropped, back to array mode
        command(0, 0x70);
        assertEquals(0x0090_0090L, memory.read(BANK, 4)); // ready + program error, sticky
    }

    @Test
    void eightByteAccessesAreTwoBusCycles() {
        command(0, 0x90);
        assertEquals(0x0018_0018_0089_0089L, memory.read(BANK, 8));
        command(0, 0xff);
        command(0x40000, 0x20);
        command(0x40000, 0xd0);
        memory.write(BANK + 0x40000, 8, 0x0000_0000_0040_0040L | 0xdead_beefL << 32); // program cmd, then its data
        command(0, 0xff);
        assertEquals(0xdead_beefL, memory.read(BANK + 0x40004, 4));
    }

    private long peekArray(long offset) {
        byte[] b = memory.readBytes(BANK + offset, 4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (long) (b[3] & 0xff) << 24;
    }
}
