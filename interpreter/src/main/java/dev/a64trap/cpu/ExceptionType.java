package dev.a64trap.cpu;

/** The four exception types, with their offset inside a 0x200-byte vector group. */
public enum ExceptionType {
    SYNC(0x000), IRQ(0x080), FIQ(0x100), SERROR(0x180);

    public final int offset;

    ExceptionType(int offset) {
        this.offset = offset;
    }
}
