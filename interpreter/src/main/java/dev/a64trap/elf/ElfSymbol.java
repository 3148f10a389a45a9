package dev.a64trap.elf;

/**
 * One symbol-table entry. {@code sectionIndex} is the raw st_shndx (0 = undefined,
 * 0xfff1 = absolute, 0xfff2 = common).
 */
public record ElfSymbol(String name, long value, long size, int type, int bind, int sectionIndex) {
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;

    public boolean isFunction() {
        return type == STT_FUNC;
    }

    /** AArch64 mapping symbols ($x code, $d data) mark where code and literal pools start. */
    public boolean isMappingSymbol() {
        return name.equals("$x") || name.equals("$d") || name.startsWith("$x.") || name.startsWith("$d.");
    }

    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF;
    }
}
