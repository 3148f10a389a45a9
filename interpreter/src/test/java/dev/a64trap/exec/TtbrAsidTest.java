package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.sysreg.BaseSysRegs;
import org.junit.jupiter.api.Test;

/**
 * A TTBR0_EL1 write that keeps the ASID keeps the TLB (the old mapping stays usable until a TLBI,
 * as on hardware and QEMU, which flushes only when the ASID changes); one that changes the ASID
 * empties it, and the new tables are walked.
 */
class TtbrAsidTest {
    static final long RAM = GuestMemory.RAM_BASE, A = RAM + 0x10_0000, B = RAM + 0x20_0000;
    static final long VA = 0x1000_0000L, PA1 = RAM + 0x30_0000, PA2 = RAM + 0x31_0000;

    /** Three-level 4 KiB tables at {@code root} mapping VA to {@code pa}. */
    static void tables(GuestMemory m, long root, long pa) {
        m.write(root, 8, (root + 0x1000) | 3);
        m.write(root + 0x1000 + 8 * 0x80, 8, (root + 0x2000) | 3);
        m.write(root + 0x2000, 8, pa | 1L << 10 | 3);
    }

    @Test
    void onlyAnAsidChangeEmptiesTheTlb() {
        GuestMemory mem = new GuestMemory(16L << 20);
        Cpu cpu = new Cpu(BaseSysRegs.cortexA57Table(false), false);
        cpu.mmu.attach(mem);
        tables(mem, A, PA1);
        tables(mem, B, PA2);
        mem.write(PA1, 8, 111);
        mem.write(PA2, 8, 222);
        write(cpu, "TCR_EL1", 25 | 5L << 32);
        write(cpu, "TTBR0_EL1", A | 1L << 48);
        write(cpu, "SCTLR_EL1", cpu.sys.sctlr | BaseSysRegs.SCTLR_M);
        assertEquals(111, Lsu.read(cpu, mem, VA, 3, false));
        long epoch = cpu.mmu.epoch();
        write(cpu, "TTBR0_EL1", B | 1L << 48); // same ASID: the cached entry still answers
        assertEquals(111, Lsu.read(cpu, mem, VA, 3, false));
        assertEquals(epoch, cpu.mmu.epoch(), "no flush");
        assertEquals(PA2, cpu.mmu.debugTranslate(VA), "walks use the new tables");
        write(cpu, "TTBR0_EL1", B | 2L << 48); // new ASID: flushed, walked again
        assertEquals(222, Lsu.read(cpu, mem, VA, 3, false));
        write(cpu, "TTBR0_EL1", A | 2L << 48);
        cpu.mmu.flushVa(VA); // the guest's TLBI VAE1 after a new base under one ASID
        assertEquals(111, Lsu.read(cpu, mem, VA, 3, false));
    }

    private static void write(Cpu cpu, String name, long v) {
        cpu.sysRegs.byName(name).write(cpu, v);
    }
}
