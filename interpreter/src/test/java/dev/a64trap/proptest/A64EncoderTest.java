package dev.a64trap.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import org.junit.jupiter.api.Test;

/** Every encoder form, read back by the project's decoder and disassembler (objdump-checked golden forms). */
class A64EncoderTest {
    private static final long PC = 0x40000000L;

    private static String dis(int w) {
        return Disassembler.format(Decoder.decode(w), PC).replaceAll("\\s*//.*$", "").replaceAll("\\s+", " ").trim();
    }

    @Test
    void formsDisassembleAsIntended() {
        // expected words are the ones aarch64-linux-gnu-as 2.40 emits for the same lines
        assertEquals(0xd2824681, A64Encoder.movz(1, 0x1234, 0));
        assertEquals(0xf2b579a1, A64Encoder.movk(1, 0xabcd, 1));
        assertEquals(0xd51b9c01, A64Encoder.msr(0xDCE0, 1)); // msr pmcr_el0, x1
        assertEquals(0xd53b9d01, A64Encoder.mrs(0xDCE8, 1)); // mrs x1, pmccntr_el0
        assertEquals(0xeb02003f, A64Encoder.cmp(1, 2));
        assertEquals(0x54000041, A64Encoder.bcond(A64Encoder.NE, 8));
        assertEquals(0x17fffffe, A64Encoder.b(-8));
        assertEquals(0xd45e0000, A64Encoder.hlt(0xF000));
        assertEquals(0x10000081, A64Encoder.adr(1, 16));
        assertEquals(0x30000001, A64Encoder.adr(1, 1));
        assertEquals("nop", dis(A64Encoder.NOP));
        assertEquals(0xd69f03e0, A64Encoder.ERET);
        assertEquals(0xd4000001, A64Encoder.svc(0));
        assertEquals(0xd61f0120, A64Encoder.br(9));
        assertEquals(0xd35afd29, A64Encoder.lsr(9, 9, 26));
        assertEquals(0x91001129, A64Encoder.addImm(9, 9, 4));
        assertEquals(0xf100553f, A64Encoder.cmpImm(9, 0x15));
        assertEquals(0xf100047f, A64Encoder.cmpImm(3, 1));
        assertEquals(0xd518c009, A64Encoder.msr(A64Encoder.VBAR_EL1, 9));
        assertEquals(0xd5385209, A64Encoder.mrs(A64Encoder.ESR_EL1, 9));
        assertEquals(0xd5384029, A64Encoder.mrs(A64Encoder.ELR_EL1, 9));
        assertEquals(0xd5184029, A64Encoder.msr(A64Encoder.ELR_EL1, 9));
        assertEquals(0xd5184009, A64Encoder.msr(A64Encoder.SPSR_EL1, 9));
    }

    @Test
    void decoderAgrees() {
        assertEquals("mov x1, #0x1234", dis(A64Encoder.movz(1, 0x1234, 0)));
        assertEquals("movk x1, #0xabcd, lsl #16", dis(A64Encoder.movk(1, 0xabcd, 1)));
        assertEquals("msr pmcr_el0, x1", dis(A64Encoder.msr(0xDCE0, 1)));
        assertEquals("mrs x1, pmccntr_el0", dis(A64Encoder.mrs(0xDCE8, 1)));
        assertEquals("cmp x1, x2", dis(A64Encoder.cmp(1, 2)));
        assertEquals("b.ne 0x40000008", dis(A64Encoder.bcond(A64Encoder.NE, 8)));
        assertEquals("b 0x3ffffff8", dis(A64Encoder.b(-8)));
        assertEquals("hlt #0xf000", dis(A64Encoder.hlt(0xF000)));
        assertEquals("adr x1, 0x40000010", dis(A64Encoder.adr(1, 16)));
        assertEquals("eret", dis(A64Encoder.ERET));
        assertEquals("svc #0x0", dis(A64Encoder.svc(0)));
        assertEquals("br x9", dis(A64Encoder.br(9)));
        assertEquals("lsr x9, x9, #26", dis(A64Encoder.lsr(9, 9, 26)));
        assertEquals("add x9, x9, #0x4", dis(A64Encoder.addImm(9, 9, 4)));
        assertEquals("cmp x9, #0x15", dis(A64Encoder.cmpImm(9, 0x15)));
        assertEquals("msr vbar_el1, x9", dis(A64Encoder.msr(A64Encoder.VBAR_EL1, 9)));
        assertEquals("mrs x9, esr_el1", dis(A64Encoder.mrs(A64Encoder.ESR_EL1, 9)));
    }
}
