package dev.a64trap.pmu;

import static dev.a64trap.pmu.Vms.EL1;
import static dev.a64trap.pmu.Vms.errno;
import static dev.a64trap.pmu.Vms.id;
import static dev.a64trap.pmu.Vms.undef;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The checks of KVM's selftest vpmu_counter_access (spec 4.5), against the Java API. Guest-side
 * checks go through {@link Vpmu#read}/{@link Vpmu#write} at EL1 after KVM_RUN.
 */
class SelftestChecksTest {
    private static final long PMCR_N_MASK = 0x1FL << 11;
    private static final long INST_RETIRED = 0x08;
    private static final long P = 1L << 31;
    private static final List<PmuReg> SETS = List.of(PmuReg.PMCNTENSET, PmuReg.PMINTENSET, PmuReg.PMOVSSET);
    private static final List<PmuReg> CLRS = List.of(PmuReg.PMCNTENCLR, PmuReg.PMINTENCLR, PmuReg.PMOVSCLR);
    private static final List<PmuReg> SIX = List.of(PmuReg.PMCNTENSET, PmuReg.PMCNTENCLR, PmuReg.PMINTENSET,
            PmuReg.PMINTENCLR, PmuReg.PMOVSSET, PmuReg.PMOVSCLR);

    /** The 4 accessor combinations: (read indirect?, write indirect?). */
    private static final boolean[][] ACCESSORS = {{false, false}, {true, true}, {false, true}, {true, false}};

    private enum Mode { DEFAULT, FIXED_V2, FIXED_V5, FIXED_V8 }

    /** Builds the selftest's 1-vCPU VM; in fixed mode the attribute is set before PMU INIT. */
    private static KvmVcpu create(Mode mode) {
        KvmAbi abi = switch (mode) {
            case DEFAULT, FIXED_V8 -> KvmAbi.V8;
            case FIXED_V2 -> KvmAbi.V2;
            case FIXED_V5 -> KvmAbi.V5;
        };
        KvmVm vm = Vms.vm("rk3588", abi);
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        int pmuVer = vm.pmuVer();
        assertTrue(pmuVer >= PmuBits.PMUV3 && pmuVer != PmuBits.PMUVER_IMP_DEF);
        if (mode != Mode.DEFAULT) {
            v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null);
        }
        v.setAttr(PmuAttr.IRQ, 23);
        vm.initVgic();
        v.setAttr(PmuAttr.INIT, null);
        return v;
    }

    private static int limit(Mode mode) {
        return mode == Mode.DEFAULT ? 6 : 0; // Cortex-A55 "counters": 6 in host-pmus/cortex-a55.json
    }

    private static void setN(KvmVcpu v, int n) {
        long pmcr = v.getOneReg(id("PMCR_EL0"));
        v.setOneReg(id("PMCR_EL0"), pmcr & ~PMCR_N_MASK | (long) n << 11);
    }

    private static int getN(KvmVcpu v) {
        return (int) (v.getOneReg(id("PMCR_EL0")) >>> 11 & 0x1F);
    }

    // check 1
    @ParameterizedTest
    @EnumSource(Mode.class)
    void defaultNIsTheLimit(Mode mode) {
        assertEquals(limit(mode), getN(create(mode)));
    }

    // checks 2, 4, 5, 6, 7, 8, 9 for every n in 0..L
    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyNUpToTheLimitWorks(Mode mode) {
        for (int n = 0; n <= limit(mode); n++) {
            KvmVcpu v = create(mode);
            setN(v, n);
            assertEquals(n, getN(v), "check 2: N=" + n + " reads back");
            userspaceBitmapsStayInMask(v, n); // check 9
            assertTrue(v.run(0).entered());
            guest(v.pmu(), n);
            // check 8: reset with KVM_ARM_VCPU_INIT and run again; N survives
            v.init(true, 0);
            assertEquals(n, getN(v), "check 8");
            assertTrue(v.run(0).entered());
            guest(v.pmu(), n);
        }
    }

    // check 3
    @ParameterizedTest
    @EnumSource(Mode.class)
    void nAboveTheLimitIsIgnoredButSucceeds(Mode mode) {
        for (int n = limit(mode) + 1; n <= 31; n++) {
            KvmVcpu v = create(mode);
            int nn = n;
            assertNull(errno(() -> setN(v, nn)), "SET_ONE_REG succeeds");
            assertEquals(limit(mode), getN(v), "N=" + n + " ignored");
        }
    }

    static void userspaceBitmapsStayInMask(KvmVcpu v, int n) {
        long outside = ~PmuBits.counterMask(n);
        String[][] pairs = {{"PMCNTENSET_EL0", "PMCNTENCLR_EL0"}, {"PMINTENSET_EL1", "PMINTENCLR_EL1"},
            {"PMOVSSET_EL0", "PMOVSCLR_EL0"}};
        for (String[] pair : pairs) {
            assertEquals(0, v.getOneReg(id(pair[0])) & outside, pair[0]);
            assertEquals(0, v.getOneReg(id(pair[1])) & outside, pair[1]);
            v.setOneReg(id(pair[0]), 0xFFFF_FFFFL);
            assertEquals(0, v.getOneReg(id(pair[0])) & outside, pair[0] + " after SET of all bits");
            assertEquals(0, v.getOneReg(id(pair[1])) & outside, pair[1] + " after SET of all bits");
            assertEquals(PmuBits.counterMask(n), v.getOneReg(id(pair[1])), "userspace SET replaces the bitmap");
        }
    }

    /** The guest code of the selftest for N = n. */
    static void guest(Vpmu p, int n) {
        // check 4
        assertEquals(n, (p.read(PmuReg.PMCR, 0, EL1) >>> 11) & 0x1F);
        // check 5: bits n..30 are 0 at start
        long unimpl = 0x7FFF_FFFFL & ~((1L << n) - 1);
        for (PmuReg r : SIX) {
            assertEquals(0, p.read(r, 0, EL1) & unimpl, r + " at start");
        }
        // check 6
        for (int i = 0; i < n; i++) {
            for (boolean[] acc : ACCESSORS) {
                implementedCounter(p, i, acc[0], acc[1]);
            }
        }
        // check 7
        for (int i = n; i < 31; i++) {
            for (boolean[] acc : ACCESSORS) {
                unimplementedCounter(p, i, acc[0], acc[1]);
            }
        }
    }

    private static void disableReset(Vpmu p) {
        long pmcr = p.read(PmuReg.PMCR, 0, EL1);
        p.write(PmuReg.PMCR, 0, (pmcr & ~1L) | PmuBits.PMCR_P, EL1);
    }

    private static void writeBitmaps(Vpmu p, List<PmuReg> regs, int i) {
        for (PmuReg r : regs) {
            p.write(r, 0, 1L << i, EL1);
        }
    }

    private static void expectBit(Vpmu p, int i, long expected, String step) {
        for (PmuReg r : SIX) {
            assertEquals(expected, p.read(r, 0, EL1) >>> i & 1, step + ": " + r + " bit " + i);
        }
    }

    private static long readCounter(Vpmu p, int i, boolean indirect) {
        if (indirect) {
            p.write(PmuReg.PMSELR, 0, i, EL1);
            return p.read(PmuReg.PMXEVCNTR, 0, EL1);
        }
        return p.read(PmuReg.PMEVCNTR, i, EL1);
    }

    private static void writeCounter(Vpmu p, int i, long v, boolean indirect) {
        if (indirect) {
            p.write(PmuReg.PMSELR, 0, i, EL1);
            p.write(PmuReg.PMXEVCNTR, 0, v, EL1);
        } else {
            p.write(PmuReg.PMEVCNTR, i, v, EL1);
        }
    }

    private static long readType(Vpmu p, int i, boolean indirect) {
        if (indirect) {
            p.write(PmuReg.PMSELR, 0, i, EL1);
            return p.read(PmuReg.PMXEVTYPER, 0, EL1);
        }
        return p.read(PmuReg.PMEVTYPER, i, EL1);
    }

    private static void writeType(Vpmu p, int i, long v, boolean indirect) {
        if (indirect) {
            p.write(PmuReg.PMSELR, 0, i, EL1);
            p.write(PmuReg.PMXEVTYPER, 0, v, EL1);
        } else {
            p.write(PmuReg.PMEVTYPER, i, v, EL1);
        }
    }

    private static void implementedCounter(Vpmu p, int i, boolean rdIndirect, boolean wrIndirect) {
        disableReset(p);
        writeBitmaps(p, CLRS, i);
        expectBit(p, i, 0, "(a) CLR");
        writeBitmaps(p, SETS, i);
        expectBit(p, i, 1, "(b) SET");
        writeBitmaps(p, CLRS, i);
        expectBit(p, i, 0, "(c) CLR again");
        writeType(p, i, P | INST_RETIRED, wrIndirect);
        assertEquals(P | INST_RETIRED, readType(p, i, rdIndirect), "(d) type reads back");
        assertEquals(0, readCounter(p, i, rdIndirect), "(e) counter is 0 after PMCR.P");
        writeCounter(p, i, i + 0x12345, wrIndirect);
        assertEquals(i + 0x12345, readCounter(p, i, rdIndirect), "(f) counter reads back");
    }

    private static void unimplementedCounter(Vpmu p, int i, boolean rdIndirect, boolean wrIndirect) {
        assertTrue(undef(() -> readCounter(p, i, rdIndirect)), "read counter " + i);
        assertTrue(undef(() -> writeCounter(p, i, 0, wrIndirect)), "write counter " + i);
        assertTrue(undef(() -> readType(p, i, rdIndirect)), "read type " + i);
        assertTrue(undef(() -> writeType(p, i, 0, wrIndirect)), "write type " + i);
        writeBitmaps(p, SETS, i);
        expectBit(p, i, 0, "SET of unimplemented bit");
        writeBitmaps(p, CLRS, i);
        expectBit(p, i, 0, "CLR of unimplemented bit");
    }

    // check 10: the series additions, per ABI revision
    @ParameterizedTest
    @EnumSource(value = KvmAbi.class, names = {"V2", "V5", "V8", "V11"})
    void fixedCountersOnlyAttributeLifecycle(KvmAbi abi) {
        KvmVm vm = Vms.vm("rk3588", abi);
        KvmVcpu v = vm.createVcpu();
        v.init(true, 0);
        assertNull(errno(() -> v.hasAttr(PmuAttr.FIXED_COUNTERS_ONLY)), "HAS probe");
        assertEquals(Errno.ENXIO, errno(() -> v.getAttr(PmuAttr.FIXED_COUNTERS_ONLY)), "GET before SET");
        v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null);
        assertEquals(0, v.getAttr(PmuAttr.FIXED_COUNTERS_ONLY), "GET after SET");
        Errno afterFilter = errno(() -> v.setAttr(PmuAttr.FILTER, EventFilter.allow(0x11, 1)));
        if (abi.fixedExclusiveWithSetPmuAndFilter()) {
            assertEquals(Errno.EBUSY, afterFilter, "v8+: FILTER after the flag");
        } else {
            assertNull(afterFilter);
            assertNull(errno(() -> v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null)), "setting it again after a filter");
        }
        // fresh VM: FILTER first, then SET -> EBUSY
        KvmVm vm2 = Vms.vm("rk3588", abi);
        KvmVcpu w = vm2.createVcpu();
        w.init(true, 0);
        w.setAttr(PmuAttr.FILTER, EventFilter.allow(0x11, 1));
        assertEquals(Errno.EBUSY, errno(() -> w.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null)));
        // 2-vCPU VM: INIT and run vCPU 0, then SET on vCPU 1 -> EBUSY
        KvmVm vm3 = Vms.vm("rk3588", abi);
        KvmVcpu a = vm3.createVcpu();
        KvmVcpu b = vm3.createVcpu();
        a.init(true, 0);
        b.init(true, 0);
        a.setAttr(PmuAttr.IRQ, 23);
        b.setAttr(PmuAttr.IRQ, 23);
        vm3.initVgic();
        a.setAttr(PmuAttr.INIT, null);
        assertTrue(a.run(0).entered());
        assertEquals(Errno.EBUSY, errno(() -> b.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null)));
    }

    @Test
    void mainlineHasNoFixedCountersOnlyAttribute() {
        KvmVcpu v = Vms.vm("rk3588", KvmAbi.MAINLINE).createVcpu();
        v.init(true, 0);
        assertEquals(Errno.ENXIO, errno(() -> v.hasAttr(PmuAttr.FIXED_COUNTERS_ONLY)));
        assertEquals(Errno.ENXIO, errno(() -> v.setAttr(PmuAttr.FIXED_COUNTERS_ONLY, null)));
        assertEquals(Errno.ENXIO, errno(() -> v.getAttr(PmuAttr.FIXED_COUNTERS_ONLY)));
    }

    @Test
    void fixedModeHidesEventCountersAndPmceid() {
        KvmVcpu v = create(Mode.FIXED_V8);
        assertTrue(v.run(4).entered());
        Vpmu p = v.pmu();
        assertEquals(0, p.read(PmuReg.PMCEID0, 0, EL1));
        assertEquals(0, p.read(PmuReg.PMCEID1, 0, EL1));
        p.write(PmuReg.PMCNTENSET, 0, 0xFFFF_FFFFL, EL1);
        assertEquals(1L << 31, p.read(PmuReg.PMCNTENSET, 0, EL1), "bitmaps only have bit 31");
        p.write(PmuReg.PMSELR, 0, 31, EL1);
        p.write(PmuReg.PMXEVCNTR, 0, 77, EL1);
        assertEquals(77, p.read(PmuReg.PMCCNTR, 0, EL1), "SEL = 31 reaches the cycle counter");
        assertNotEquals(0, v.vm().pmuVer(), "PMUVer unchanged");
    }
}
