package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.mem.MmioDevice;
import dev.a64trap.mem.mmu.Mmu;
import dev.a64trap.sysreg.BaseSysRegs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MMU off, Lsu's direct path ({@link Cpu#data} = the identity entries of {@link Mmu#dataTlb}):
 * aligned accesses to RAM that exists go straight to its array after the first slow one, and
 * everything else keeps today's slow path exactly: devices see every access, unaligned accesses and
 * addresses beyond the PA size fault, stores onto watched code lines are reported, untouched RAM
 * and flash get no entry, and switching the MMU on and off picks the right table.
 */
class PhysicalDirectTest {
    static final long RAM = GuestMemory.RAM_BASE, DATA = RAM + 0x40_0000, DEV = 0x0A00_0000L;
    static final int D = index(DATA);

    final GuestMemory mem = new GuestMemory(16L << 20);
    final Cpu cpu = new Cpu(BaseSysRegs.cortexA57Table(false), false);
    final List<String> device = new ArrayList<>();
    final List<Long> reported = new ArrayList<>();

    PhysicalDirectTest() {
        cpu.mmu.attach(mem);
        mem.map(DEV, 0x1000, new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                device.add("r" + offset + "/" + size);
                return 0x5A;
            }

            @Override
            public void write(long offset, int size, long value) {
                device.add("w" + offset + "/" + size + "=" + value);
            }
        });
        mem.setWriteWatcher(granule -> reported.add(granule));
    }

    static int index(long address) {
        return (int) (address >>> 12) & Mmu.TLB_MASK;
    }

    @Test
    void aSuccessfulAccessToRamFillsTheIdentityEntryAndLaterOnesUseIt() {
        assertEquals(Mmu.EMPTY, cpu.data.load[D]);
        Lsu.write(cpu, mem, DATA + 8, 3, 0x1122_3344_5566_7788L, false);
        assertEquals(DATA, cpu.data.load[D]);
        assertEquals(DATA, cpu.data.store[D]);
        assertSame(mem.directPage(DATA, true), cpu.data.page[D]);
        Lsu.write(cpu, mem, DATA + 16, 2, 0xAABBCCDDL, false);
        assertEquals(0xAABBCCDDL, mem.read(DATA + 16, 4), "a direct store lands in guest memory");
        mem.write(DATA + 24, 8, 42);
        assertEquals(42, Lsu.read(cpu, mem, DATA + 24, 3, false), "a direct load sees it");
        assertEquals(0x7788, Lsu.read(cpu, mem, DATA + 8, 1, false));
        assertEquals(0x88, Lsu.read64(cpu, mem, DATA + 8, false) & 0xFF);
        assertEquals(0x77, Lsu.read8(cpu, mem, DATA + 9, false));
        Lsu.write16(cpu, mem, DATA + 30, 0xBEEF, false);
        assertEquals(0xBEEF, Lsu.read16(cpu, mem, DATA + 30, false));
    }

    @Test
    void untouchedRamReadsZeroWithoutAnEntryUntilWritten() {
        long allocated = mem.ramAllocated();
        assertEquals(0, Lsu.read(cpu, mem, DATA, 3, false));
        assertEquals(Mmu.EMPTY, cpu.data.load[D]);
        assertEquals(allocated, mem.ramAllocated());
        Lsu.write(cpu, mem, DATA, 3, 7, false);
        assertEquals(DATA, cpu.data.load[D]);
    }

    @Test
    void devicesAndFlashNeverGetAnEntryAndSeeEveryAccess() {
        for (int k = 0; k < 3; k++) {
            assertEquals(0x5A, Lsu.read(cpu, mem, DEV + 8, 2, false));
            Lsu.write(cpu, mem, DEV + 16, 3, k, false);
        }
        assertEquals(List.of("r8/4", "w16/8=0", "r8/4", "w16/8=1", "r8/4", "w16/8=2"), device);
        assertEquals(Mmu.EMPTY, cpu.data.load[index(DEV)]);
        assertEquals(Mmu.EMPTY, cpu.data.store[index(DEV)]);
        mem.load(0x1000, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(0x0807060504030201L, Lsu.read(cpu, mem, 0x1000, 3, false));
        assertEquals(Mmu.EMPTY, cpu.data.load[index(0x1000)]);
        Lsu.write(cpu, mem, 0x1000, 3, 0, false); // flash without a command set ignores writes
        assertEquals(0x0807060504030201L, Lsu.read(cpu, mem, 0x1000, 3, false));
    }

    @Test
    void unalignedAccessesStillFaultOnAGranuleWithAnEntry() {
        Lsu.write(cpu, mem, DATA, 3, 1, false);
        assertEquals(DATA, cpu.data.load[D]);
        for (int size = 1; size <= 3; size++) {
            int s = size;
            assertEquals(Syndrome.FSC_ALIGNMENT, fsc(assertThrows(GuestFault.class, () -> Lsu.read(cpu, mem, DATA + 1, s, false))));
            assertEquals(Syndrome.FSC_ALIGNMENT,
                    fsc(assertThrows(GuestFault.class, () -> Lsu.write(cpu, mem, DATA + 0x101, s, 9, false))));
        }
        assertThrows(GuestFault.class, () -> Lsu.read32(cpu, mem, DATA + 2, false));
        assertThrows(GuestFault.class, () -> Lsu.write64(cpu, mem, DATA + 4, 9, false));
        assertEquals(1, mem.read(DATA, 8), "no faulting store wrote anything");
        assertEquals(0, mem.read(DATA + 0x100, 8));
    }

    @Test
    void addressesBeyondThePaSizeFaultEvenWhenTheirLowBitsHaveAnEntry() {
        Lsu.write(cpu, mem, DATA, 3, 1, false);
        long high = DATA | 1L << 50;
        GuestFault f = assertThrows(GuestFault.class, () -> Lsu.read(cpu, mem, high, 3, false));
        assertEquals(Syndrome.FSC_ADDRESS_SIZE_L0, fsc(f));
        assertThrows(GuestFault.class, () -> Lsu.write(cpu, mem, high, 3, 5, false));
        assertEquals(1, mem.read(DATA, 8));
    }

    @Test
    void storesBesideCodeGoDirectAndStoresOntoItAreReported() {
        Lsu.write(cpu, mem, DATA, 3, 1, false);
        assertEquals(DATA, cpu.data.store[D]);
        mem.watch(DATA + 0x80, 4); // line 2 of the granule now holds translated code
        assertEquals(Mmu.EMPTY, cpu.data.store[D], "the direct store entry is dropped at once");
        assertEquals(DATA, cpu.data.storeCode[D]);
        assertEquals(DATA, cpu.data.load[D], "loads need no report");
        Lsu.write(cpu, mem, DATA + 0x78, 3, 2, false); // line 1, beside the code
        Lsu.write(cpu, mem, DATA + 0xC0, 3, 3, false); // line 3
        assertEquals(List.of(), reported);
        assertEquals(2, mem.read(DATA + 0x78, 8));
        Lsu.write(cpu, mem, DATA + 0xBC, 2, 4, false); // the last word of line 2
        assertEquals(List.of(DATA), reported);
        assertEquals(4, mem.read(DATA + 0xBC, 4));
        Lsu.write8(cpu, mem, DATA + 0x80, 5, false);
        assertEquals(List.of(DATA, DATA), reported);
    }

    @Test
    void aGranuleWatchedBeforeItsFirstStoreGetsOnlyTheLineTestedEntry() {
        mem.write(DATA, 8, 1);
        mem.watch(DATA);
        Lsu.write(cpu, mem, DATA + 0x800, 3, 2, false); // reported (whole granule watched), still fills
        assertEquals(List.of(DATA), reported);
        assertEquals(Mmu.EMPTY, cpu.data.store[D]);
        assertEquals(DATA, cpu.data.storeCode[D]);
        Lsu.write(cpu, mem, DATA + 0x808, 3, 3, false);
        assertEquals(List.of(DATA, DATA), reported, "every line is code: every store reported");
    }

    @Test
    void aGranuleWatchedForAnotherPeDropsThisPesDirectStores() {
        Cpu other = new Cpu(BaseSysRegs.cortexA57Table(false), false);
        other.mmu.attach(mem);
        Lsu.write(cpu, mem, DATA, 3, 1, false);
        Lsu.write(other, mem, DATA + 8, 3, 2, false);
        assertEquals(DATA, cpu.data.store[D]);
        assertEquals(DATA, other.data.store[D]);
        mem.watch(DATA + 0x40, 4); // the other PE translated code there
        assertEquals(Mmu.EMPTY, cpu.data.store[D]);
        assertEquals(Mmu.EMPTY, other.data.store[D]);
        Lsu.write(cpu, mem, DATA + 0x44, 2, 3, false);
        assertEquals(List.of(DATA), reported, "this PE's store onto the other's code is reported");
    }

    @Test
    void switchingTheMmuOnAndOffPicksTheTableOfTheMode() {
        long va = 0x1000_0000L, pa = RAM + 0x30_0000, root = RAM + 0x10_0000;
        TtbrAsidTest.tables(mem, root, pa);
        mem.write(pa, 8, 111);
        Lsu.write(cpu, mem, pa, 3, 222, false); // MMU off: identity entry for pa's granule
        Mmu.Tlb physical = cpu.data;
        assertEquals(pa, physical.load[index(pa)]);
        sys("TCR_EL1", 25 | 5L << 32);
        sys("TTBR0_EL1", root);
        sys("SCTLR_EL1", cpu.sys.sctlr | BaseSysRegs.SCTLR_M);
        assertSame(cpu.tlb, cpu.data);
        assertNotSame(physical, cpu.data);
        assertEquals(222, Lsu.read(cpu, mem, va, 3, false), "translated");
        Lsu.write(cpu, mem, va + 8, 3, 333, false);
        assertEquals(333, mem.read(pa + 8, 8));
        sys("SCTLR_EL1", cpu.sys.sctlr & ~BaseSysRegs.SCTLR_M);
        assertSame(physical, cpu.data);
        assertEquals(Mmu.EMPTY, physical.load[index(pa)], "emptied with the TLBs");
        assertEquals(333, Lsu.read(cpu, mem, pa + 8, 3, false));
        GuestFault f = assertThrows(GuestFault.class, () -> Lsu.read(cpu, mem, va, 3, false));
        assertEquals(Syndrome.FSC_SYNC_EXTERNAL, fsc(f), "VA = PA again: nothing there");
    }

    @Test
    void aReattachDropsEveryEntryAndAMemoryNotAttachedGetsNone() {
        GuestMemory other = new GuestMemory(16L << 20);
        other.write(DATA, 8, 99);
        assertEquals(99, Lsu.read(cpu, other, DATA, 3, false));
        assertEquals(Mmu.EMPTY, cpu.data.load[D], "no entry from a memory the MMU does not know");
        Lsu.write(cpu, mem, DATA, 3, 1, false);
        assertEquals(DATA, cpu.data.load[D]);
        cpu.mmu.attach(other);
        assertEquals(Mmu.EMPTY, cpu.data.load[D]);
        assertEquals(99, Lsu.read(cpu, other, DATA, 3, false));
        assertEquals(DATA, cpu.data.load[D]);
    }

    private void sys(String name, long v) {
        cpu.sysRegs.byName(name).write(cpu, v);
    }

    private static int fsc(GuestFault f) {
        return f.esr & 0x3F;
    }
}
