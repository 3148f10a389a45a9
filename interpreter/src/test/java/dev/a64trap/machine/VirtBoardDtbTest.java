package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.a64trap.loader.FdtReader;
import dev.a64trap.loader.ImageLoaderTest;
import dev.a64trap.loader.VirtDeviceTree;
import dev.a64trap.mem.GuestMemory;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The board puts the device tree where QEMU does; expectations from the QEMU records in boot/. */
class VirtBoardDtbTest {
    private static final long MIB = 1 << 20;

    private static VirtBoard board(String resource, long ram, String append) throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.ramSize = ram;
        o.append = append;
        o.jit = false;
        return VirtBoard.load(ImageLoaderTest.resource(resource), resource, o);
    }

    @Test
    void linuxImageEntersWithX0AtAValidDtb() throws Exception {
        Map<String, Long> q = ImageLoaderTest.qemuRecord("probe.Image");
        VirtBoard b = board("boot/probe.Image", 128 * MIB, "console=ttyAMA0 loglevel=8");
        b.run(6); // QEMU's boot stub: ldr x0; mov x1..x3; ldr x4; br x4
        assertEquals(b.image().entry(), b.cpu().pc, "at the kernel entry");
        long x0 = b.cpu().x[0];
        assertEquals(q.get("x0"), x0, "x0 as QEMU passes it");
        assertEquals(0xd00dfeedL, Long.reverseBytes(b.memory().read(x0, 8)) >>> 32, "FDT magic at x0");
        int total = (int) (Long.reverseBytes(b.memory().read(x0, 8)) & 0xffff_ffffL);
        FdtReader.Node root = FdtReader.read(b.memory().readBytes(x0, total)).root();
        assertEquals(List.of("console=ttyAMA0 loglevel=8"), root.child("chosen").strings("bootargs"));
        assertArrayEquals(new int[] {0, 0x4000_0000, 0, 128 << 20}, root.child("memory@40000000").cells("reg"));
        assertFalse(root.has("pmu"), "no vPMU without --vcpu");
    }

    @Test
    void memoryNodeFollowsTheBoardsRam() throws Exception {
        VirtBoard b = board("boot/probe.Image", 512 * MIB, null);
        long at = b.image().dtbAddress();
        FdtReader.Node root = FdtReader.read(b.memory().readBytes(at, VirtDeviceTree.QEMU_FDT_SIZE)).root();
        assertArrayEquals(new int[] {0, 0x4000_0000, 0, 512 << 20}, root.child("memory@40000000").cells("reg"));
        assertFalse(root.child("chosen").props().containsKey("bootargs"));
    }

    @Test
    void elfAtRamBaseFindsTheDtbAtZeroInFlashAndX0StaysZero() throws Exception {
        Map<String, Long> q = ImageLoaderTest.qemuRecord("probe.elf");
        VirtBoard b = board("boot/probe.elf", 128 * MIB, null);
        assertEquals(0, b.image().dtbAddress());
        assertEquals(0, b.cpu().x[0]);
        assertEquals(q.get("x0"), b.cpu().x[0]);
        assertEquals(0xedfe0dd0L, b.memory().read(GuestMemory.FLASH_BASE, 4), "FDT magic (big-endian) at 0");
        assertEquals(q.get("[0x0]"), b.memory().read(0, 8), "magic and 1 MiB totalsize, as QEMU's guest read them");
        FdtReader.Node root = FdtReader.read(b.memory().readBytes(0, VirtDeviceTree.QEMU_FDT_SIZE)).root();
        assertEquals(List.of("linux,dummy-virt"), root.strings("compatible"));
    }

    @Test
    void pmuNodeFollowsTheVcpusPmuFeature() throws Exception {
        for (String mode : new String[] {"default", "fixed-counters-only", "none"}) {
            VirtBoard.Options o = new VirtBoard.Options();
            o.jit = false;
            o.vcpu = HostedVcpuTest.vcpu(mode, "pinned:0", null);
            VirtBoard b = VirtBoard.load(ImageLoaderTest.resource("boot/probe.Image"), "probe.Image", o);
            FdtReader.Node root = FdtReader.read(b.memory().readBytes(b.image().dtbAddress(), VirtDeviceTree.QEMU_FDT_SIZE)).root();
            assertEquals(!mode.equals("none"), root.has("pmu"), mode);
        }
    }

    @Test
    void semihostingHeapLeavesTheDtbAlone() throws Exception {
        VirtBoard b = board("boot/probe.Image", 128 * MIB, null);
        long entry = b.image().entry();
        // at the kernel entry: SYS_HEAPINFO (0x16) with the parameter block at 0x40100000
        int[] code = {0xd28002c0, 0xd2a80201, 0xd45e0000}; // movz x0, #0x16; movz x1, #0x4010, lsl #16; hlt #0xf000
        for (int i = 0; i < code.length; i++) {
            b.memory().write(entry + 4L * i, 4, code[i]);
        }
        b.memory().write(0x4010_0000L, 8, 0x4010_0100L);
        b.run(6 + 3);
        assertEquals(entry + 12, b.cpu().pc, "after the semihosting call");
        // the largest gap is above the DTB (0x44000000 + 1 MiB), as QEMU's ROM-aware search finds it
        assertEquals(0x4410_0000L, b.memory().read(0x4010_0100L, 8), "heap base");
        assertEquals(0x4800_0000L, b.memory().read(0x4010_0108L, 8), "heap limit");
    }

    /** The boot probes print x0..x5, the boot state, [0x0] and [x0]; QEMU's whole output is the oracle. */
    @Test
    void bootProbesPrintWhatTheyPrintedUnderQemu() throws Exception {
        for (String probe : new String[] {"probe.Image", "probe80.Image", "probe.Image.gz", "probe.elf", "probe.raw",
                "probe.uimg", "probe-gz.uimg", "probe-bare.uimg"}) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            VirtBoard.Options o = new VirtBoard.Options();
            o.jit = false;
            o.stdout = out;
            VirtBoard b = VirtBoard.load(ImageLoaderTest.resource("boot/" + probe), probe, o);
            b.run(10_000_000);
            String expected = new String(ImageLoaderTest.resource("boot/" + probe + ".qemu.txt"), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(expected, out.toString(java.nio.charset.StandardCharsets.US_ASCII), probe);
        }
    }

    /** QEMU's -bios: firmware in flash at 0, the CPU starts there, the DTB waits at the RAM base. */
    @Test
    void firmwareStartsAtZeroAndFindsTheDtbAtTheRamBase() throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.bios = true;
        o.jit = false;
        // movz x1, #0x4000, lsl #16; ldr w2, [x1]; b .
        int[] code = {0xd2a80001, 0xb9400022, 0x14000000};
        byte[] fw = new byte[code.length * 4];
        for (int i = 0; i < code.length; i++) {
            for (int b = 0; b < 4; b++) {
                fw[4 * i + b] = (byte) (code[i] >>> (8 * b));
            }
        }
        VirtBoard b = VirtBoard.load(fw, "fw.bin", o);
        assertEquals(0, b.cpu().pc, "reset vector at 0, in flash");
        b.run(3);
        assertEquals(8, b.cpu().pc);
        assertEquals(0xedfe0dd0L, b.cpu().x[2], "FDT magic (big-endian) at 0x40000000");
        FdtReader.Node root = FdtReader.read(b.memory().readBytes(GuestMemory.RAM_BASE, VirtDeviceTree.QEMU_FDT_SIZE)).root();
        assertEquals(List.of("arm,gic-v3"), root.child("intc@8000000").strings("compatible"));
        assertEquals(0, b.cpu().x[0], "no boot protocol: x0 = 0");
    }

    @Test
    void rawImageGetsNoDtb() throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.jit = false;
        VirtBoard b = VirtBoard.load(new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5}, "nop.bin", o);
        assertEquals(0, b.memory().read(0, 8), "flash untouched");
        assertEquals(0, b.memory().read(0x4400_0000L, 8), "nothing where a Linux DTB would go");
    }
}
