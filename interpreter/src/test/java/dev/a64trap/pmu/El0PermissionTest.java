package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL0;
import static dev.a64trap.pmu.Vms.EL1;
import static dev.a64trap.pmu.Vms.undef;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The EL0 permission table of spec 1.5 for all 16 PMUSERENR values. The table is re-encoded here
 * from the spec text, independently of {@link PmuReg}'s columns.
 */
class El0PermissionTest {
    private static final int EN = 1;
    private static final int SW = 2;
    private static final int CR = 4;
    private static final int ER = 8;

    private record Row(PmuReg reg, int index, boolean write, IntPredicate allowed) {}

    private static boolean has(int u, int bit) {
        return (u & bit) != 0;
    }

    private static List<Row> table() {
        List<Row> t = new ArrayList<>();
        IntPredicate en = u -> has(u, EN);
        for (PmuReg r : new PmuReg[] {PmuReg.PMCR, PmuReg.PMCNTENSET, PmuReg.PMCNTENCLR, PmuReg.PMOVSSET,
            PmuReg.PMOVSCLR, PmuReg.PMXEVTYPER, PmuReg.PMCCFILTR}) {
            t.add(new Row(r, 0, false, en));
            t.add(new Row(r, 0, true, en));
        }
        t.add(new Row(PmuReg.PMCEID0, 0, false, en));
        t.add(new Row(PmuReg.PMCEID1, 0, false, en));
        t.add(new Row(PmuReg.PMEVTYPER, 1, false, en));
        t.add(new Row(PmuReg.PMEVTYPER, 1, true, en));
        IntPredicate erOrEn = u -> has(u, ER) || has(u, EN);
        t.add(new Row(PmuReg.PMSELR, 0, false, erOrEn));
        t.add(new Row(PmuReg.PMSELR, 0, true, erOrEn));
        t.add(new Row(PmuReg.PMEVCNTR, 1, false, erOrEn));
        t.add(new Row(PmuReg.PMXEVCNTR, 0, false, erOrEn));
        t.add(new Row(PmuReg.PMEVCNTR, 1, true, u -> erOrEn.test(u) && has(u, EN)));
        t.add(new Row(PmuReg.PMXEVCNTR, 0, true, u -> erOrEn.test(u) && has(u, EN)));
        t.add(new Row(PmuReg.PMCCNTR, 0, false, u -> has(u, CR) || has(u, EN)));
        t.add(new Row(PmuReg.PMCCNTR, 0, true, u -> (has(u, CR) || has(u, EN)) && has(u, EN)));
        t.add(new Row(PmuReg.PMSWINC, 0, true, u -> has(u, SW) || has(u, EN)));
        t.add(new Row(PmuReg.PMUSERENR, 0, false, u -> true));
        t.add(new Row(PmuReg.PMUSERENR, 0, true, u -> false));
        for (PmuReg r : new PmuReg[] {PmuReg.PMINTENSET, PmuReg.PMINTENCLR}) {
            t.add(new Row(r, 0, false, u -> false));
            t.add(new Row(r, 0, true, u -> false));
        }
        t.add(new Row(PmuReg.PMMIR, 0, false, u -> false));
        return t;
    }

    private static Vpmu running() {
        KvmVcpu v = Vms.initialised(Vms.vm("rk3588", KvmAbi.V8), 0);
        v.run(0);
        Vpmu p = v.pmu();
        p.write(PmuReg.PMSELR, 0, 1, EL1); // PMXEV* select counter 1 (< N = 6)
        return p;
    }

    @Test
    void everyPmuserenrValue() {
        int checked = 0;
        for (int u = 0; u < 16; u++) {
            for (Row row : table()) {
                Vpmu p = running();
                p.write(PmuReg.PMUSERENR, 0, u, EL1);
                boolean denied = undef(() -> {
                    if (row.write()) {
                        p.write(row.reg(), row.index(), 0, EL0);
                    } else {
                        p.read(row.reg(), row.index(), EL0);
                    }
                });
                assertEquals(!row.allowed().test(u), denied,
                        "PMUSERENR=" + u + " " + (row.write() ? "write " : "read ") + row.reg());
                checked++;
            }
        }
        assertEquals(16 * table().size(), checked);
    }

    @Test
    void deniedAccessLeavesStateUnchanged() {
        Vpmu p = running();
        p.write(PmuReg.PMEVCNTR, 1, 1234, EL1);
        p.write(PmuReg.PMUSERENR, 0, ER, EL1); // ER without EN: counter reads allowed, writes not
        assertEquals(1234, p.read(PmuReg.PMEVCNTR, 1, EL0));
        assertTrue(undef(() -> p.write(PmuReg.PMEVCNTR, 1, 99, EL0)));
        assertEquals(1234, p.read(PmuReg.PMEVCNTR, 1, EL1));
        assertTrue(undef(() -> p.write(PmuReg.PMCR, 0, 1, EL0)));
        assertEquals(0, p.read(PmuReg.PMCR, 0, EL1) & 1, "PMCR.E unchanged");
    }

    @Test
    void indexCheckStillAppliesAtEl0() {
        Vpmu p = running();
        p.write(PmuReg.PMUSERENR, 0, EN | ER, EL1);
        assertTrue(undef(() -> p.read(PmuReg.PMEVCNTR, 6, EL0)), "index 6 >= N");
        p.write(PmuReg.PMSELR, 0, 20, EL0);
        assertTrue(undef(() -> p.read(PmuReg.PMXEVCNTR, 0, EL0)));
        assertTrue(undef(() -> p.read(PmuReg.PMXEVTYPER, 0, EL0)));
        assertEquals(20, p.read(PmuReg.PMSELR, 0, EL0), "PMSELR stores SEL >= N");
    }

    @Test
    void el1RulesForWriteOnlyAndReadOnlyRegisters() {
        Vpmu p = running();
        assertTrue(undef(() -> p.read(PmuReg.PMSWINC, 0, EL1)), "PMSWINC read");
        assertTrue(undef(() -> p.write(PmuReg.PMCEID0, 0, 0, EL1)), "PMCEID0 write");
        assertTrue(undef(() -> p.write(PmuReg.PMCEID1, 0, 0, EL1)), "PMCEID1 write");
        assertTrue(undef(() -> p.write(PmuReg.PMMIR, 0, 0, EL1)), "PMMIR write");
        assertEquals(0, p.read(PmuReg.PMMIR, 0, EL1));
        p.write(PmuReg.PMSELR, 0, 0xFFFF_FFE5L, EL1);
        assertEquals(5, p.read(PmuReg.PMSELR, 0, EL1), "PMSELR reads SEL only");
        p.write(PmuReg.PMUSERENR, 0, 0xFF, EL1);
        assertEquals(0xF, p.read(PmuReg.PMUSERENR, 0, EL1));
    }

    @Test
    void withoutThePmuFeatureEverythingButPmmirUndefs() {
        KvmVcpu v = Vms.vm("rk3588", KvmAbi.V8).createVcpu();
        v.init(false, 0);
        v.run(0);
        Vpmu p = v.pmu();
        for (PmuRegTable.Entry e : PmuRegTable.entries()) {
            if (e.reg() == PmuReg.PMMIR) {
                assertEquals(0, p.read(PmuReg.PMMIR, 0, EL1));
                continue;
            }
            if (e.reg().readable) {
                assertTrue(undef(() -> p.read(e.reg(), e.index(), EL1)), e.name());
            }
            if (e.reg().writable) {
                assertTrue(undef(() -> p.write(e.reg(), e.index(), 0, EL1)), e.name());
            }
        }
    }
}
