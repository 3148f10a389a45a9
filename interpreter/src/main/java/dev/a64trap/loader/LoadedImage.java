package dev.a64trap.loader;

import java.util.List;

/**
 * What a loader put into guest memory and how the CPU must start.
 *
 * <p>Boot state, as QEMU 7.2 gives a {@code -kernel} image on {@code -M virt -cpu cortex-a57}
 * (recorded with the probes in src/test/resources/boot): the CPU comes out of reset at EL1h
 * (CurrentEL = 4, SPSel = 1), DAIF = 0x3c0 (D, A, I, F masked), SCTLR_EL1 = 0x00c50838 (MMU and
 * caches off), every general register and SP = 0, and
 * <ul>
 *   <li>ELF: PC = e_entry, x0 = 0. No bootloader stub.</li>
 *   <li>Linux Image: QEMU writes
 *       a six-instruction stub at the RAM base that does {@code ldr x0, =dtb; mov x1..x3, xzr;
 *       ldr x4, =entry; br x4}, and the CPU starts at the stub. So at the kernel's entry
 *       x0 = DTB address, x1 = x2 = x3 = 0, x4 = entry. This loader writes the same stub, so the
 *       glue only has to set PC = {@link #resetPc()}; {@link #linuxBoot()} tells it that.</li>
 *   <li>Headerless raw image: as a Linux Image at RAM base + 0x80000 (the stub, x0 = DTB).</li>
 *   <li>uImage: Linux boot (stub) if its OS is Linux, else PC = its entry, x0 = 0, DTB at 0.</li>
 *   <li>Firmware ({@code --bios}, QEMU's -bios): in flash at 0, PC = 0, DTB at the RAM base, x0 = 0.</li>
 *   <li>Raw binary with {@code --load-addr} (our option; QEMU's nearest is -device loader): PC = the
 *       load address, no DTB.</li>
 * </ul>
 * For ELF images QEMU also writes its DTB at 0 (flash) or the RAM base; see {@code dtbAddress}.
 *
 * @param format      what the file was detected as
 * @param entry       the image's own entry point
 * @param resetPc     where the CPU starts: {@code entry}, or the stub at the RAM base for a Linux boot
 * @param linuxBoot   true if the Linux boot protocol applies (stub written, x0 = {@code dtbAddress} at entry)
 * @param dtbAddress  where QEMU puts its device tree for this image, or -1 if it puts none where a
 *                    guest could find it; for ELF images QEMU puts it at the RAM base if the
 *                    image leaves room below itself, else at 0 (in flash)
 * @param ranges      the memory the image occupies, in load order
 */
public record LoadedImage(Format format, long entry, long resetPc, boolean linuxBoot, long dtbAddress,
                          List<Range> ranges) {
    public enum Format { ELF, LINUX_IMAGE, UIMAGE, RAW, FIRMWARE }

    /** [start, start + size) filled from the file ({@code fileSize} bytes) then zeros. */
    public record Range(long start, long size, long fileSize, String what) {
        public long end() {
            return start + size;
        }
    }

    /** The lowest and highest+1 addresses the image occupies (QEMU's image_low_addr/image_high_addr). */
    public long lowAddress() {
        return ranges.stream().mapToLong(Range::start).min().orElse(entry);
    }

    public long highAddress() {
        return ranges.stream().mapToLong(Range::end).max().orElse(entry);
    }
}
