package dev.a64trap.pmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Encodings from the table in spec 1.1. */
class PmuRegTableTest {
    private static void expect(String name, int op0, int op1, int crn, int crm, int op2, PmuReg reg, int index) {
        PmuRegTable.Entry e = PmuRegTable.lookup(op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2);
        assertEquals(name, e.name());
        assertEquals(reg, e.reg());
        assertEquals(index, e.index());
    }

    @Test
    void encodingsMatchTheSpec() {
        expect("PMCR_EL0", 3, 3, 9, 12, 0, PmuReg.PMCR, 0);
        expect("PMCNTENSET_EL0", 3, 3, 9, 12, 1, PmuReg.PMCNTENSET, 0);
        expect("PMCNTENCLR_EL0", 3, 3, 9, 12, 2, PmuReg.PMCNTENCLR, 0);
        expect("PMOVSCLR_EL0", 3, 3, 9, 12, 3, PmuReg.PMOVSCLR, 0);
        expect("PMSWINC_EL0", 3, 3, 9, 12, 4, PmuReg.PMSWINC, 0);
        expect("PMSELR_EL0", 3, 3, 9, 12, 5, PmuReg.PMSELR, 0);
        expect("PMCEID0_EL0", 3, 3, 9, 12, 6, PmuReg.PMCEID0, 0);
        expect("PMCEID1_EL0", 3, 3, 9, 12, 7, PmuReg.PMCEID1, 0);
        expect("PMCCNTR_EL0", 3, 3, 9, 13, 0, PmuReg.PMCCNTR, 0);
        expect("PMXEVTYPER_EL0", 3, 3, 9, 13, 1, PmuReg.PMXEVTYPER, 0);
        expect("PMXEVCNTR_EL0", 3, 3, 9, 13, 2, PmuReg.PMXEVCNTR, 0);
        expect("PMUSERENR_EL0", 3, 3, 9, 14, 0, PmuReg.PMUSERENR, 0);
        expect("PMOVSSET_EL0", 3, 3, 9, 14, 3, PmuReg.PMOVSSET, 0);
        expect("PMINTENSET_EL1", 3, 0, 9, 14, 1, PmuReg.PMINTENSET, 0);
        expect("PMINTENCLR_EL1", 3, 0, 9, 14, 2, PmuReg.PMINTENCLR, 0);
        expect("PMMIR_EL1", 3, 0, 9, 14, 6, PmuReg.PMMIR, 0);
        expect("PMEVCNTR0_EL0", 3, 3, 14, 8, 0, PmuReg.PMEVCNTR, 0);
        expect("PMEVCNTR13_EL0", 3, 3, 14, 9, 5, PmuReg.PMEVCNTR, 13);
        expect("PMEVCNTR30_EL0", 3, 3, 14, 11, 6, PmuReg.PMEVCNTR, 30);
        expect("PMEVTYPER0_EL0", 3, 3, 14, 12, 0, PmuReg.PMEVTYPER, 0);
        expect("PMEVTYPER30_EL0", 3, 3, 14, 15, 6, PmuReg.PMEVTYPER, 30);
        expect("PMCCFILTR_EL0", 3, 3, 14, 15, 7, PmuReg.PMCCFILTR, 31);
        assertNull(PmuRegTable.lookup(PmuRegTable.encode(3, 3, 14, 11, 7)), "would-be PMEVCNTR31 is unallocated");
        assertNull(PmuRegTable.lookup(PmuRegTable.encode(3, 3, 9, 14, 4)), "PMICNTR-area encodings are not emulated");
        assertEquals(16 + 31 + 31 + 1, PmuRegTable.entries().size());
        assertEquals(0x6030_0000_0013_DCE0L, PmuRegTable.oneRegId(PmuRegTable.encode(3, 3, 9, 12, 0)),
                "ARM64_SYS_REG(3,3,9,12,0)");
    }
}
