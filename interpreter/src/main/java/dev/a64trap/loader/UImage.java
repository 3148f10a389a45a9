package dev.a64trap.loader;

/**
 * A U-Boot legacy image header (64 bytes, big-endian, magic 0x27051956) as QEMU's
 * load_uboot_image reads it for {@code -kernel}: only kernel images ({@code IH_TYPE_KERNEL}, loaded
 * at {@code ih_load}; {@code IH_TYPE_KERNEL_NOLOAD}, loaded just past the header's own place at
 * RAM base + 32 MiB), uncompressed or gzip. Neither CRC is checked (QEMU 7.2 boots a uImage with
 * both CRCs wrong, recorded by the boot probes).
 *
 * @param os      ih_os; {@link #OS_LINUX} selects the Linux boot protocol (QEMU's is_linux)
 * @param type    ih_type
 * @param gzip    ih_comp is gzip
 * @param load    ih_load
 * @param entry   ih_ep
 * @param size    ih_size, the payload length after the header
 */
record UImage(int os, int type, boolean gzip, long load, long entry, long size) {
    static final int MAGIC = 0x2705_1956;
    static final int HEADER_SIZE = 64;
    static final int OS_LINUX = 5;
    static final int TYPE_KERNEL = 2;
    static final int TYPE_KERNEL_NOLOAD = 14;
    private static final int COMP_NONE = 0;
    private static final int COMP_GZIP = 1;
    /** QEMU's KERNEL_NOLOAD_ADDR: where a KERNEL_NOLOAD image's header goes, from the RAM base. */
    static final long NOLOAD_OFFSET = 0x0200_0000L;

    static boolean hasMagic(byte[] b) {
        return b.length >= HEADER_SIZE && be32(b, 0) == MAGIC;
    }

    /** Parses the header of a file that {@link #hasMagic has the magic}; refuses what QEMU cannot load. */
    static UImage parse(byte[] b, String name) throws ImageLoadException {
        int type = b[30] & 0xff;
        int comp = b[31] & 0xff;
        if (type != TYPE_KERNEL && type != TYPE_KERNEL_NOLOAD) {
            throw new ImageLoadException(name + ": uImage of type " + type + "; only kernel images (type 2, or 14 kernel_noload) boot with -kernel");
        }
        if (comp != COMP_NONE && comp != COMP_GZIP) {
            throw new ImageLoadException(name + ": uImage compression type " + comp + " is not supported (none or gzip)");
        }
        long size = be32(b, 12) & 0xffff_ffffL;
        if (size > b.length - HEADER_SIZE) {
            throw new ImageLoadException(String.format("%s: truncated uImage (header says %d payload bytes, file has %d)",
                    name, size, b.length - HEADER_SIZE));
        }
        return new UImage(b[28] & 0xff, type, comp == COMP_GZIP, be32(b, 16) & 0xffff_ffffL,
                be32(b, 20) & 0xffff_ffffL, size);
    }

    boolean linux() {
        return os == OS_LINUX;
    }

    private static int be32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
