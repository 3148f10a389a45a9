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

    @Test
    void aluFormsMatchTheAssembler() {
        // words from aarch64-linux-gnu-as 2.40 for the line in the comment
        assertEquals(0x8b030041, A64Encoder.reg(A64Encoder.RegOp.ADD, true, 1, 2, 3, A64Encoder.LSL, 0)); // add x1, x2, x3
        assertEquals(0x8b031441, A64Encoder.reg(A64Encoder.RegOp.ADD, true, 1, 2, 3, A64Encoder.LSL, 5));
        assertEquals(0x0b831c41, A64Encoder.reg(A64Encoder.RegOp.ADD, false, 1, 2, 3, A64Encoder.ASR, 7));
        assertEquals(0xcb46fca4, A64Encoder.reg(A64Encoder.RegOp.SUB, true, 4, 5, 6, A64Encoder.LSR, 63));
        assertEquals(0x8ac90d07, A64Encoder.reg(A64Encoder.RegOp.AND, true, 7, 8, 9, A64Encoder.ROR, 3));
        assertEquals(0x2a0c7d6a, A64Encoder.reg(A64Encoder.RegOp.ORR, false, 10, 11, 12, A64Encoder.LSL, 31));
        assertEquals(0xca8f05cd, A64Encoder.reg(A64Encoder.RegOp.EOR, true, 13, 14, 15, A64Encoder.ASR, 1));
        assertEquals(0xab030041, A64Encoder.reg(A64Encoder.RegOp.ADDS, true, 1, 2, 3, A64Encoder.LSL, 0));
        assertEquals(0x6b030041, A64Encoder.reg(A64Encoder.RegOp.SUBS, false, 1, 2, 3, A64Encoder.LSL, 0));
        assertEquals(0x912af230, A64Encoder.addImm(false, true, 16, 17, 0xabc)); // add x16, x17, #0xabc
        assertEquals(0x51048e72, A64Encoder.addImm(true, false, 18, 19, 0x123)); // sub w18, w19, #0x123
        assertEquals(0x92cacf14, A64Encoder.movn(true, 20, 0x5678, 2)); // movn x20, #0x5678, lsl #32
        assertEquals(0x52bffff5, A64Encoder.movz(false, 21, 0xffff, 1)); // movz w21, #0xffff, lsl #16
        assertEquals(0xf2e00036, A64Encoder.movk(22, 1, 3)); // movk x22, #0x1, lsl #48
    }

    @Test
    void aluFormsDecodeAsIntended() {
        assertEquals("add w1, w2, w3, asr #7", dis(A64Encoder.reg(A64Encoder.RegOp.ADD, false, 1, 2, 3, A64Encoder.ASR, 7)));
        assertEquals("sub x4, x5, x6, lsr #63", dis(A64Encoder.reg(A64Encoder.RegOp.SUB, true, 4, 5, 6, A64Encoder.LSR, 63)));
        assertEquals("and x7, x8, x9, ror #3", dis(A64Encoder.reg(A64Encoder.RegOp.AND, true, 7, 8, 9, A64Encoder.ROR, 3)));
        assertEquals("bic x7, x8, x9, lsl #2", dis(A64Encoder.reg(A64Encoder.RegOp.BIC, true, 7, 8, 9, A64Encoder.LSL, 2)));
        assertEquals("eor x13, x14, x15, asr #1", dis(A64Encoder.reg(A64Encoder.RegOp.EOR, true, 13, 14, 15, A64Encoder.ASR, 1)));
        assertEquals("add x16, x17, #0xabc", dis(A64Encoder.addImm(false, true, 16, 17, 0xabc)));
        assertEquals("sub w18, w19, #0x123", dis(A64Encoder.addImm(true, false, 18, 19, 0x123)));
        assertEquals("movk x22, #0x1, lsl #48", dis(A64Encoder.movk(22, 1, 3)));
    }
}
