package dev.a64trap.decode;

/** Renders {@link Insn} records in GNU objdump syntax. Placeholder until the table lands. */
public final class Disassembler {
    private Disassembler() {}

    /** The instruction text as objdump prints it after the word, for the instruction at {@code pc}. */
    public static String format(Insn insn, long pc) {
        return String.format(".inst\t0x%08x ; undefined", insn.word());
    }
}
