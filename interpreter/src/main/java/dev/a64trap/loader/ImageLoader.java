package dev.a64trap.loader;

import dev.a64trap.elf.ElfException;
import dev.a64trap.elf.ElfFile;
import dev.a64trap.elf.ProgramHeader;
import dev.a64trap.mem.GuestMemory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;

/**
 * Loads a guest image into {@link GuestMemory} the way {@code qemu-system-aarch64 -M virt -kernel}
 * does (hw/arm/boot.c), detecting the format by content, in QEMU's order:
 * <ol>
 *   <li>ELF64 AArch64 executables: PT_LOAD segments at their physical addresses, bss zero-filled,
 *       PC = e_entry.</li>
 *   <li>With {@code --load-addr} (our option): any other file is a raw binary copied there,
 *       PC = that address, no DTB.</li>
 *   <li>uImage (U-Boot legacy header, kernel or kernel_noload, plain or gzip): Linux boot protocol
 *       if ih_os is Linux, else PC = ih_ep with the DTB at 0 ({@link UImage}).</li>
 *   <li>Linux arm64 Image (magic "ARM\x64" at 0x38; gzip-compressed accepted): loaded at
 *       RAM base + text_offset (+2 MiB if text_offset &lt; 4 KiB, as QEMU does, to keep clear of its
 *       boot stub), or + 0x80000 if image_size is 0 (pre-3.17 kernels); Linux boot protocol.</li>
 *   <li>Anything else is a headerless raw image: loaded at RAM base + 0x80000 (0x4008_0000) and
 *       entered like an Image (x0 = DTB, x1-x3 = 0), as QEMU does.</li>
 * </ol>
 * Where QEMU would fall back to loading a broken file raw (corrupt gzip data, a uImage of another
 * type or compression), this loader refuses it with a message instead of running garbage.
 * Every problem raises {@link ImageLoadException} before memory is touched where it can be
 * detected up front; sizes are checked before anything is allocated, so no input can exhaust
 * the heap.
 */
public final class ImageLoader {
    static final int ARM64_MAGIC_OFFSET = 0x38;
    static final long KERNEL64_LOAD_ADDR = 0x80000;
    static final long BOOTLOADER_MAX_SIZE = 4096;
    static final long MIB = 1 << 20;
    /** QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES. */
    static final long MAX_GUNZIP = 256 * MIB;
    /** QEMU's UBOOT_MAX_GUNZIP_BYTES. */
    static final long MAX_UBOOT_GUNZIP = 64 * MIB;

    /** QEMU's bootloader_aarch64[]: ldr x0, dtb; mov x1..x3, xzr; ldr x4, entry; br x4. */
    private static final int[] BOOT_STUB = {0x580000c0, 0xaa1f03e1, 0xaa1f03e2, 0xaa1f03e3, 0x58000084, 0xd61f0080};
    /** The stub and its two 64-bit literals (DTB address, entry). */
    static final int BOOT_STUB_BYTES = BOOT_STUB.length * 4 + 16;

    private ImageLoader() {}

    /**
     * Loads {@code file}.
     *
     * @param loadAddress {@code --load-addr}: load a non-ELF file raw at this address (must be in RAM)
     */
    public static LoadedImage load(Path file, GuestMemory memory, OptionalLong loadAddress) throws ImageLoadException {
        return load(read(file, memory.ramSize()), file.toString(), memory, loadAddress);
    }

    /** Largest Java array: an image is read into one. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Reads an image file, opened once (FIFOs, pipes and {@code <(cat x)} work), never more than
     * the bound its first bytes call for: an ELF file {@link ElfFile#MAX_FILE_SIZE}, a gzip file
     * {@link #MAX_GUNZIP}, anything else the RAM size (and one Java array). A regular file over the
     * bound is refused before reading; a stream (/dev/zero...) once it passes the bound.
     */
    static byte[] read(Path file, long ramSize) throws ImageLoadException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ImageLoadException(name + ": is a directory, not an image");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            boolean elf = ElfFile.hasElfMagic(head);
            boolean gzip = head.length >= 2 && head[0] == 0x1f && (head[1] & 0xff) == 0x8b;
            long limit = elf ? ElfFile.MAX_FILE_SIZE : gzip ? MAX_GUNZIP : Math.min(ramSize, MAX_ARRAY);
            String what = elf ? "an ELF file" : gzip ? "a gzip-compressed image"
                    : ramSize > MAX_ARRAY ? "a raw or Image file (read into one Java array)" : "a raw or Image file with this --memory";
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (attrs.isRegularFile() && attrs.size() > limit) {
                throw tooLarge(name, Long.toString(attrs.size()), what, limit);
            }
            byte[] rest = in.readNBytes((int) Math.min(limit - head.length + 1, MAX_ARRAY));
            if ((long) head.length + rest.length > limit) {
                throw tooLarge(name, "over " + limit, what, limit);
            }
            byte[] all = Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            return all;
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(name + ": no such file");
        } catch (IOException | SecurityException e) {
            throw new ImageLoadException(name + ": cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new ImageLoadException(String.format("%s: does not fit in the Java heap (%d MiB at most); "
                    + "raise it with A64TRAP_JAVA_OPTS=-Xmx...", name, Runtime.getRuntime().maxMemory() >> 20));
        }
    }

    private static ImageLoadException tooLarge(String name, String size, String what, long limit) {
        return new ImageLoadException(String.format("%s: too large (%s bytes): %s may have at most %d bytes%s", name,
                size, what, limit, limit == MAX_ARRAY ? " (2 GiB)" : ""));
    }

    /** Loads an image held in memory; {@code name} is used in messages. */
    public static LoadedImage load(byte[] bytes, String name, GuestMemory memory, OptionalLong loadAddress)
            throws ImageLoadException {
        if (bytes.length == 0) {
            throw new ImageLoadException(name + ": empty file");
        }
        if (ElfFile.hasElfMagic(bytes)) {
            try {
                return loadElf(ElfFile.parse(bytes, name), memory, loadAddress);
            } catch (ElfException e) {
                throw new ImageLoadException(e.getMessage());
            }
        }
        if (loadAddress.isPresent()) {
            return loadRaw(bytes, name, memory, loadAddress.getAsLong());
        }
        if (UImage.hasMagic(bytes)) {
            return loadUImage(bytes, name, memory);
        }
        if (isGzip(bytes)) {
            bytes = gunzip(bytes, 0, bytes.length, name, Math.min(MAX_GUNZIP, memory.ramSize()));
        }
        return loadAarch64(bytes, name, memory);
    }

    /**
     * QEMU's {@code -bios FILE} on virt: the firmware goes into flash bank 0 at address 0 and the
     * CPU starts there (EL1h, registers zero); with no kernel to hand it to, QEMU puts the device
     * tree at the RAM base for the firmware to find (U-Boot's qemu_arm64 reads it there).
     */
    public static LoadedImage loadFirmware(byte[] bytes, String name, GuestMemory memory) throws ImageLoadException {
        if (bytes.length == 0) {
            throw new ImageLoadException(name + ": empty file");
        }
        if (bytes.length > FLASH_BANK) {
            throw new ImageLoadException(String.format("%s: firmware too large for the 64 MiB flash bank (%d bytes)", name, bytes.length));
        }
        memory.load(GuestMemory.FLASH_BASE, bytes);
        return new LoadedImage(LoadedImage.Format.FIRMWARE, GuestMemory.FLASH_BASE, GuestMemory.FLASH_BASE, false,
                GuestMemory.RAM_BASE, List.of(new LoadedImage.Range(GuestMemory.FLASH_BASE, bytes.length, bytes.length, "firmware")));
    }

    /** QEMU virt's flash bank size (the first bank holds -bios). */
    static final long FLASH_BANK = 64 * MIB;

    /**
     * Copies a device tree blob to where QEMU puts it for this image ({@link LoadedImage#dtbAddress()}).
     * Returns false, placing nothing, when QEMU would not place one (no address, or no room below an
     * ELF image that starts above the RAM base).
     */
    public static boolean installDtb(GuestMemory memory, LoadedImage image, byte[] dtb) {
        long at = image.dtbAddress();
        if (at < 0) {
            return false;
        }
        if (image.format() == LoadedImage.Format.ELF && at == GuestMemory.RAM_BASE
                && image.lowAddress() >= GuestMemory.RAM_BASE && dtb.length > image.lowAddress() - at) {
            return false; // QEMU: "would exceed addr_limit", silently not loaded
        }
        if (!memory.isRam(at, dtb.length) && !memory.isFlash(at, dtb.length)) {
            return false;
        }
        memory.load(at, dtb);
        return true;
    }

    // ---- ELF ----

    private static LoadedImage loadElf(ElfFile elf, GuestMemory memory, OptionalLong loadAddress) throws ImageLoadException {
        String name = elf.name();
        if (loadAddress.isPresent()) {
            throw new ImageLoadException(name + ": --load-addr applies to raw binaries only; an ELF file loads at its own addresses");
        }
        if (elf.type() != ElfFile.ET_EXEC && elf.type() != ElfFile.ET_DYN) {
            throw new ImageLoadException(name + ": not an executable ELF (e_type " + elf.type()
                    + (elf.type() == ElfFile.ET_REL ? ", a relocatable object: link it first" : "") + ")");
        }
        List<ProgramHeader> segments = elf.loadSegments().stream().filter(p -> p.memsz() != 0).toList();
        if (segments.isEmpty()) {
            throw new ImageLoadException(name + ": no loadable segments");
        }
        for (ProgramHeader p : segments) {
            if (!memory.isRam(p.paddr(), p.memsz())) {
                throw new ImageLoadException(String.format(
                        "%s: segment %d (0x%x-0x%x) is outside RAM (0x%x-0x%x); link the image at 0x%x or raise --memory",
                        name, p.index(), p.paddr(), p.paddr() + p.memsz() - 1, GuestMemory.RAM_BASE,
                        GuestMemory.RAM_BASE + memory.ramSize() - 1, GuestMemory.RAM_BASE));
            }
        }
        List<ProgramHeader> sorted = new ArrayList<>(segments);
        // not Comparator.comparingLong: its lambda (in an interface) is missing from JDK 25's AOT cache
        sorted.sort((a, b) -> Long.compare(a.paddr(), b.paddr()));
        for (int i = 1; i < sorted.size(); i++) {
            ProgramHeader a = sorted.get(i - 1);
            ProgramHeader b = sorted.get(i);
            if (b.paddr() < a.paddr() + a.memsz()) {
                throw new ImageLoadException(String.format("%s: segments %d and %d overlap at 0x%x", name,
                        a.index(), b.index(), b.paddr()));
            }
        }
        List<LoadedImage.Range> ranges = new ArrayList<>();
        for (ProgramHeader p : segments) {
            memory.load(p.paddr(), elf.data(p));
            memory.fill(p.paddr() + p.filesz(), p.memsz() - p.filesz(), (byte) 0);
            ranges.add(new LoadedImage.Range(p.paddr(), p.memsz(), p.filesz(), "segment " + p.index()));
        }
        long low = sorted.get(0).paddr();
        long high = sorted.stream().mapToLong(p -> p.paddr() + p.memsz()).max().getAsLong();
        // hw/arm/boot.c: the DTB goes to the RAM base if the image leaves it free, else to 0 (flash).
        long dtb = low > GuestMemory.RAM_BASE || high < GuestMemory.RAM_BASE ? GuestMemory.RAM_BASE : 0;
        return new LoadedImage(LoadedImage.Format.ELF, elf.entry(), elf.entry(), false, dtb, List.copyOf(ranges));
    }

    // ---- raw ----

    private static LoadedImage loadRaw(byte[] bytes, String name, GuestMemory memory, long at) throws ImageLoadException {
        if (bytes.length > memory.ramSize()) {
            throw new ImageLoadException(String.format("%s: image too large to fit in RAM (%d bytes, RAM size %d)",
                    name, bytes.length, memory.ramSize()));
        }
        if (!memory.isRam(at, bytes.length)) {
            throw new ImageLoadException(String.format("%s: load address 0x%x with size 0x%x is outside RAM (0x%x-0x%x)",
                    name, at, bytes.length, GuestMemory.RAM_BASE, GuestMemory.RAM_BASE + memory.ramSize() - 1));
        }
        memory.load(at, bytes);
        return new LoadedImage(LoadedImage.Format.RAW, at, at, false, -1,
                List.of(new LoadedImage.Range(at, bytes.length, bytes.length, "raw image")));
    }

    // ---- Linux Image, headerless raw image, uImage: QEMU's Linux boot ----

    /**
     * QEMU's arm_load_aarch64_image: an Image header decides the offset from the RAM base
     * (text_offset, +2 MiB below 4 KiB, 0x80000 when image_size is 0); a file without one is a
     * headerless raw image at RAM base + 0x80000 whose size is the file's.
     */
    private static LoadedImage loadAarch64(byte[] bytes, String name, GuestMemory memory) throws ImageLoadException {
        boolean header = hasImageMagic(bytes);
        long offset = KERNEL64_LOAD_ADDR;
        long kernelSize = header ? le64(bytes, 16) : 0;
        if (kernelSize != 0) {
            offset = le64(bytes, 8);
            if (Long.compareUnsigned(offset, BOOTLOADER_MAX_SIZE) < 0) {
                offset += 2 * MIB;
            }
        }
        if (kernelSize == 0) {
            kernelSize = bytes.length;
        }
        long ram = memory.ramSize();
        if (Long.compareUnsigned(kernelSize, ram) > 0) {
            throw new ImageLoadException(String.format("%s: kernel too large to fit in RAM (kernel size %s, RAM size %d)",
                    name, Long.toUnsignedString(kernelSize), ram));
        }
        long entry = GuestMemory.RAM_BASE + offset;
        if (Long.compareUnsigned(offset, ram) >= 0 || !memory.isRam(entry, Math.max(bytes.length, kernelSize))) {
            throw new ImageLoadException(String.format("%s: image at RAM offset 0x%x (text_offset) with size 0x%x does not fit in RAM (0x%x bytes)",
                    name, offset, Math.max(bytes.length, kernelSize), ram));
        }
        return linuxBoot(header ? LoadedImage.Format.LINUX_IMAGE : LoadedImage.Format.RAW, bytes, name, memory,
                entry, kernelSize, entry);
    }

    /** QEMU's load_uboot_image, then the Linux boot for ih_os = Linux, else a direct jump with the DTB at 0. */
    private static LoadedImage loadUImage(byte[] file, String name, GuestMemory memory) throws ImageLoadException {
        UImage u = UImage.parse(file, name);
        byte[] payload = u.gzip()
                ? gunzip(file, UImage.HEADER_SIZE, (int) u.size(), name, Math.min(MAX_UBOOT_GUNZIP, memory.ramSize()))
                : Arrays.copyOfRange(file, UImage.HEADER_SIZE, UImage.HEADER_SIZE + (int) u.size());
        boolean noload = u.type() == UImage.TYPE_KERNEL_NOLOAD;
        long at = noload ? GuestMemory.RAM_BASE + UImage.NOLOAD_OFFSET + UImage.HEADER_SIZE : u.load();
        long entry = noload ? (u.entry() + at) & 0xffff_ffffL : u.entry();
        if (!memory.isRam(at, Math.max(1, payload.length))) {
            throw new ImageLoadException(String.format("%s: uImage load address 0x%x with size 0x%x is outside RAM (0x%x-0x%x)",
                    name, at, payload.length, GuestMemory.RAM_BASE, GuestMemory.RAM_BASE + memory.ramSize() - 1));
        }
        if (!u.linux()) {
            memory.load(at, payload);
            return new LoadedImage(LoadedImage.Format.UIMAGE, entry, entry, false, GuestMemory.FLASH_BASE,
                    List.of(new LoadedImage.Range(at, payload.length, payload.length, "uImage payload")));
        }
        if (at < GuestMemory.RAM_BASE + BOOT_STUB_BYTES) {
            throw new ImageLoadException(String.format("%s: uImage load address 0x%x overlaps QEMU's boot stub at 0x%x-0x%x (QEMU refuses this too)",
                    name, at, GuestMemory.RAM_BASE, GuestMemory.RAM_BASE + BOOT_STUB_BYTES - 1));
        }
        return linuxBoot(LoadedImage.Format.UIMAGE, payload, name, memory, at, payload.length, entry);
    }

    /**
     * hw/arm/boot.c's Linux boot: the kernel at {@code at}; the DTB after the (empty) initrd at
     * max(RAM base + min(RAM/2, 128 MiB), image end), 2 MiB aligned; the boot stub at the RAM base
     * that enters {@code entry} with x0 = the DTB.
     */
    private static LoadedImage linuxBoot(LoadedImage.Format format, byte[] bytes, String name, GuestMemory memory,
                                         long at, long kernelSize, long entry) throws ImageLoadException {
        long base = GuestMemory.RAM_BASE;
        long ram = memory.ramSize();
        long initrd = alignUp(Math.max(base + Math.min(ram / 2, 128 * MIB), at + kernelSize), 4096);
        long dtb = alignUp(initrd, 2 * MIB);
        if (dtb >= base + ram) {
            throw new ImageLoadException(name + ": not enough space for the DTB after the kernel (QEMU refuses this too); raise --memory");
        }
        memory.load(at, bytes);
        memory.load(base, bootStub(dtb, entry));
        return new LoadedImage(format, entry, base, true, dtb, List.of(
                new LoadedImage.Range(base, BOOT_STUB_BYTES, BOOT_STUB_BYTES, "boot stub"),
                new LoadedImage.Range(at, Math.max(bytes.length, kernelSize), bytes.length, "kernel")));
    }

    /** True if {@code bytes} carries the arm64 Image magic "ARM\x64" at 0x38 (QEMU requires size > 0x3c). */
    public static boolean hasImageMagic(byte[] bytes) {
        return bytes.length > ARM64_MAGIC_OFFSET + 4 && bytes[ARM64_MAGIC_OFFSET] == 'A'
                && bytes[ARM64_MAGIC_OFFSET + 1] == 'R' && bytes[ARM64_MAGIC_OFFSET + 2] == 'M'
                && bytes[ARM64_MAGIC_OFFSET + 3] == 0x64;
    }

    static byte[] bootStub(long dtb, long entry) {
        int[] words = new int[BOOT_STUB.length + 4];
        System.arraycopy(BOOT_STUB, 0, words, 0, BOOT_STUB.length);
        int n = BOOT_STUB.length;
        words[n] = (int) dtb;
        words[n + 1] = (int) (dtb >>> 32);
        words[n + 2] = (int) entry;
        words[n + 3] = (int) (entry >>> 32);
        byte[] out = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            for (int b = 0; b < 4; b++) {
                out[4 * i + b] = (byte) (words[i] >>> (8 * b));
            }
        }
        return out;
    }

    private static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(byte[] bytes, int from, int length, String name, long limit) throws ImageLoadException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes, from, length))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new ImageLoadException(String.format("%s: decompressed image too large to fit in RAM (over %d bytes)", name, limit));
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            String why = e instanceof java.io.EOFException ? "it ends early (truncated?)"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ImageLoadException(name + ": corrupt gzip data: " + why);
        }
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }

    private static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
