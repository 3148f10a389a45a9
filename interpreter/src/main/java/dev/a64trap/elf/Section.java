package dev.a64trap.elf;

/** One ELF64 section header with its resolved name. */
public record Section(int index, String name, int type, long flags, long addr, long offset, long size,
                      int link, int info, long addralign, long entsize) {
    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_DYNSYM = 11;
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    /** True for sections holding code (objdump -d disassembles these). */
    public boolean isExecutable() {
        return (flags & SHF_EXECINSTR) != 0 && type != SHT_NOBITS;
    }

    public boolean isAlloc() {
        return (flags & SHF_ALLOC) != 0;
    }

    /** True if the section occupies bytes in the file (not NOBITS/NULL). */
    public boolean hasFileData() {
        return type != SHT_NOBITS && type != SHT_NULL;
    }
}
