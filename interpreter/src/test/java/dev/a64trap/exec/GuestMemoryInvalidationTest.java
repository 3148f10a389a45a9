package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.sysreg.BaseSysRegs;
import org.junit.jupiter.api.Test;

/** With GuestMemory, writes from outside the CPU (debugger, loader, semihosting) drop decoded blocks too. */
class GuestMemoryInvalidationTest {
    // aarch64-linux-gnu-as: mov x0, #1 ; mov x0, #7 ; b .
    static final int MOV_X0_1 = 0xd2800020, MOV_X0_7 = 0xd28000e0, B_SELF = 0x14000000;

    @Test
    void bulkWriteOverDecodedCodeIsSeen() {
        GuestMemory mem = new GuestMemory(1 << 20);
        long base = GuestMemory.RAM_BASE;
        mem.write(base, 4, MOV_X0_1);
        mem.write(base + 4, 4, B_SELF);
        Cpu cpu = new Cpu(BaseSysRegs.cortexA57Table(false), false);
        cpu.pc = base;
        Interpreter in = new Interpreter(cpu, mem, Platform.NONE, null);
        in.run(3);
        assertEquals(1, cpu.x[0]);
        mem.writeBytes(base, new byte[] {(byte) 0xe0, 0x00, (byte) 0x80, (byte) 0xd2}); // debugger-style write
        cpu.pc = base;
        in.run(cpu.retired + 2);
        assertEquals(7, cpu.x[0], "the block was re-decoded");
    }

    @Test
    void aWriteBesideCodeOnItsPageKeepsTheBlocksAndOneOverTheCodeDropsOnlyThem() {
        GuestMemory mem = new GuestMemory(1 << 20);
        long base = GuestMemory.RAM_BASE;
        mem.write(base, 4, MOV_X0_1);
        mem.write(base + 4, 4, B_SELF);
        mem.write(base + 0x100, 4, MOV_X0_7);
        mem.write(base + 0x104, 4, B_SELF);
        Cpu cpu = new Cpu(BaseSysRegs.cortexA57Table(false), false);
        Interpreter in = new Interpreter(cpu, mem, Platform.NONE, null);
        cpu.pc = base;
        in.run(3);
        cpu.pc = base + 0x100;
        in.run(cpu.retired + 3);
        BlockCache cache = in.cache();
        Block first = cache.get(base);
        Block second = cache.get(base + 0x100);
        assertEquals(base, first.pc);
        mem.write(base + 0x80, 8, -1L); // data on the same page, no code there
        assertEquals(0, cache.invalidations(), "nothing dropped");
        assertEquals(first, cache.get(base));
        mem.write(base + 0x104, 4, B_SELF); // over the second block's branch
        assertEquals(1, cache.invalidations());
        assertEquals(first, cache.get(base), "the first block stays");
        assertEquals(null, cache.get(base + 0x100));
        assertEquals(true, second.stale);
        assertEquals(false, first.stale);
        mem.write(base + 0x102, 2, 0); // between blocks now
        assertEquals(1, cache.invalidations());
        assertEquals(true, mem.isWatched(base), "the page stays watched while code is on it");
    }
}
