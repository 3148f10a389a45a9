package dev.a64trap.pmu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every PMU system-register encoding (spec 1.1) mapped to ({@link PmuReg}, index), so the sysreg table
 * can plug the whole group in at once.
 *
 * <p>Encoding key: {@code op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2} (the low 16 bits of a KVM
 * sysreg ONE_REG id; see {@link #encode}). The ID registers (ID_AA64DFR0_EL1, ID_DFR0_EL1) are not
 * in this table: the sysreg layer owns them and takes the PMU fields from {@link KvmVm#pmuVer()} and
 * {@link KvmVm#perfMon()}. Encodings not listed here are not PMU registers; in particular
 * CRn=14/CRm=11/op2=7 (would-be PMEVCNTR31) is unallocated and must UNDEF.
 *
 * <p>Deliberately absent, so they UNDEF (EC 0x00) as in KVM since Linux 6.16, whose fine-grained UNDEF
 * (FGU) handling refuses registers of features the guest's ID registers do not advertise (KVM never
 * advertises these; source: issue 15 and spec 1.1, the patch itself was not found): PMICNTR_EL0 and
 * PMICFILTR_EL0 (FEAT_PMUv3_ICNTR), PMUACR_EL1 and PMZR_EL0 (FEAT_PMUv3p9), PMSSCR_EL1
 * (FEAT_PMUv3_SS). PMMIR_EL1 stays, reading 0; PMUVer is capped at PMUv3p5 ({@link KvmVm#pmuVerLimit}).
 */
public final class PmuRegTable {
    private PmuRegTable() {}

    /** One row: the register's name (as in the Arm ARM), encoding and (reg, index). */
    public record Entry(String name, int encoding, PmuReg reg, int index) {
        public int op0() {
            return encoding >>> 14 & 3;
        }

        public int op1() {
            return encoding >>> 11 & 7;
        }

        public int crn() {
            return encoding >>> 7 & 15;
        }

        public int crm() {
            return encoding >>> 3 & 15;
        }

        public int op2() {
            return encoding & 7;
        }
    }

    public static int encode(int op0, int op1, int crn, int crm, int op2) {
        return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
    }

    private static final List<Entry> ENTRIES;
    private static final List<Entry> ICNTR = List.of(
            new Entry("PMICNTR_EL0", encode(3, 3, 9, 4, 0), PmuReg.PMICNTR, PmuBits.ICNTR_IDX),
            new Entry("PMICFILTR_EL0", encode(3, 3, 9, 6, 0), PmuReg.PMICFILTR, PmuBits.ICNTR_IDX));
    private static final Entry[] BY_ENCODING = new Entry[1 << 16];

    static {
        List<Entry> l = new ArrayList<>();
        add(l, "PMCR_EL0", 3, 3, 9, 12, 0, PmuReg.PMCR, 0);
        add(l, "PMCNTENSET_EL0", 3, 3, 9, 12, 1, PmuReg.PMCNTENSET, 0);
        add(l, "PMCNTENCLR_EL0", 3, 3, 9, 12, 2, PmuReg.PMCNTENCLR, 0);
        add(l, "PMOVSCLR_EL0", 3, 3, 9, 12, 3, PmuReg.PMOVSCLR, 0);
        add(l, "PMSWINC_EL0", 3, 3, 9, 12, 4, PmuReg.PMSWINC, 0);
        add(l, "PMSELR_EL0", 3, 3, 9, 12, 5, PmuReg.PMSELR, 0);
        add(l, "PMCEID0_EL0", 3, 3, 9, 12, 6, PmuReg.PMCEID0, 0);
        add(l, "PMCEID1_EL0", 3, 3, 9, 12, 7, PmuReg.PMCEID1, 0);
        add(l, "PMCCNTR_EL0", 3, 3, 9, 13, 0, PmuReg.PMCCNTR, 0);
        add(l, "PMXEVTYPER_EL0", 3, 3, 9, 13, 1, PmuReg.PMXEVTYPER, 0);
        add(l, "PMXEVCNTR_EL0", 3, 3, 9, 13, 2, PmuReg.PMXEVCNTR, 0);
        add(l, "PMUSERENR_EL0", 3, 3, 9, 14, 0, PmuReg.PMUSERENR, 0);
        add(l, "PMOVSSET_EL0", 3, 3, 9, 14, 3, PmuReg.PMOVSSET, 0);
        add(l, "PMINTENSET_EL1", 3, 0, 9, 14, 1, PmuReg.PMINTENSET, 0);
        add(l, "PMINTENCLR_EL1", 3, 0, 9, 14, 2, PmuReg.PMINTENCLR, 0);
        add(l, "PMMIR_EL1", 3, 0, 9, 14, 6, PmuReg.PMMIR, 0);
        for (int n = 0; n < 31; n++) {
            add(l, "PMEVCNTR" + n + "_EL0", 3, 3, 14, 8 | n >> 3, n & 7, PmuReg.PMEVCNTR, n);
            add(l, "PMEVTYPER" + n + "_EL0", 3, 3, 14, 12 | n >> 3, n & 7, PmuReg.PMEVTYPER, n);
        }
        add(l, "PMCCFILTR_EL0", 3, 3, 14, 15, 7, PmuReg.PMCCFILTR, PmuBits.CYCLE_IDX);
        l.sort((a, b) -> Integer.compare(a.encoding(), b.encoding()));
        ENTRIES = Collections.unmodifiableList(l);
    }

    private static void add(List<Entry> l, String name, int op0, int op1, int crn, int crm, int op2, PmuReg reg,
            int index) {
        int enc = encode(op0, op1, crn, crm, op2);
        if (BY_ENCODING[enc] != null) {
            throw new AssertionError("duplicate PMU encoding " + name);
        }
        Entry e = new Entry(name, enc, reg, index);
        BY_ENCODING[enc] = e;
        l.add(e);
    }

    /**
     * FEAT_PMUv3_ICNTR's two registers, which only the experimental {@code fixed-counters-only+icntr}
     * mode adds to a vCPU's table (not in {@link #entries()} or {@link #lookup}: KVM exposes them
     * nowhere, so elsewhere they stay unknown, UNDEFINED encodings).
     */
    public static List<Entry> icntrEntries() {
        return ICNTR;
    }

    /** All PMU registers, sorted by encoding. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry for a 16-bit encoding, or null when it is not a PMU register. */
    public static Entry lookup(int encoding) {
        return encoding >= 0 && encoding < BY_ENCODING.length ? BY_ENCODING[encoding] : null;
    }

    /** The entry for a register name such as "PMEVCNTR3_EL0", or null. */
    public static Entry byName(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        return null;
    }

    /** KVM ONE_REG id of a sysreg: KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | encoding. */
    public static long oneRegId(int encoding) {
        return 0x6030_0000_0013_0000L | encoding;
    }
}
