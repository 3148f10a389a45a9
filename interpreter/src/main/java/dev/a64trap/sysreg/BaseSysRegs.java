package dev.a64trap.sysreg;

import static dev.a64trap.sysreg.SysRegEncoding.of;

import dev.a64trap.fp.FpStatus;
import dev.a64trap.sysreg.SysReg.Access;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The EL0/EL1 system registers of the emulated CPU, with the values QEMU 8+/9+ reports for
 * {@code -M virt -cpu cortex-a57} without EL2/EL3 (recorded from a guest that prints them).
 * The vPMU adds its own rows with {@link SysRegTable#with}.
 */
public final class BaseSysRegs {
    private BaseSysRegs() {}

    public static final long MIDR_CORTEX_A57_R1P3 = 0x411FD070L;
    public static final long MPIDR = 0x80000000L;
    /** QEMU's value with the PMUVer field [11:8] cleared: no PMU until the vPMU plugs in. */
    public static final long ID_AA64DFR0 = 0x10305006L;
    /** EL0 and EL1 AArch64 only (EL2/EL3 fields zero, as QEMU virt without virtualization/secure). */
    public static final long ID_AA64PFR0 = 0x22L;
    /** AES, SHA1, SHA2, CRC32; Atomic = 0 (Cortex-A57 is ARMv8.0: no LSE). */
    public static final long ID_AA64ISAR0 = 0x11120L;
    public static final long ID_AA64ISAR0_ATOMIC = 2L << 20;
    public static final long ID_AA64MMFR0 = 0x1124L;
    public static final long SCTLR_RESET = 0x00C50838L;
    public static final long CTR = 0x8444C004L;
    public static final long CLIDR = 0x0A200023L;
    public static final long DCZID = 4; // 64-byte DC ZVA blocks
    /** QEMU virt's generic timer frequency (1 GHz since QEMU 9): one tick per retired instruction. */
    public static final long CNTFRQ = 1_000_000_000L;

    public static final int SCTLR_M = 1, SCTLR_A = 1 << 1, SCTLR_SA = 1 << 3, SCTLR_SA0 = 1 << 4,
            SCTLR_UMA = 1 << 9, SCTLR_DZE = 1 << 14, SCTLR_UCT = 1 << 15, SCTLR_NTWI = 1 << 16, SCTLR_NTWE = 1 << 18,
            SCTLR_UCI = 1 << 26;

    private static final long[] CCSIDR = {0x701FE00AL, 0x201FE012L, 0x70FFE07AL};

    /** Trap rule for EL0 access controlled by one SCTLR_EL1 bit. */
    private static SysReg.El0Rule sctlrBit(long bit) {
        return (c, w) -> c.el() != 0 || (c.regs().sctlr & bit) != 0 ? Access.ALLOW : Access.TRAP;
    }

    /** Trap rule for EL0 counter access controlled by CNTKCTL_EL1 bits (any of {@code mask}). */
    private static SysReg.El0Rule cntkctl(long mask, boolean readOnly) {
        return (c, w) -> c.el() != 0 ? Access.ALLOW
                : readOnly && w ? Access.UNDEFINED
                : (c.regs().cntkctl & mask) != 0 ? Access.ALLOW : Access.TRAP;
    }

    /** CPACR_EL1.FPEN: 0b11 enables EL0 and EL1, 0b01 EL1 only; otherwise EC 0x07. */
    private static Access fpAccess(SysRegContext c, boolean write) {
        int fpen = (int) (c.regs().cpacr >>> 20) & 3;
        return fpen == 3 || (fpen == 1 && c.el() == 1) ? Access.ALLOW : Access.FP_TRAP;
    }

    /** Rows for a Cortex-A57; {@code lse} sets ID_AA64ISAR0_EL1.Atomic. */
    public static List<SysReg> cortexA57(boolean lse) {
        List<SysReg> r = new ArrayList<>();
        // ---- identification (op0=3, op1=0, CRn=0)
        r.add(SysReg.constant("MIDR_EL1", of(3, 0, 0, 0, 0), MIDR_CORTEX_A57_R1P3));
        r.add(SysReg.constant("MPIDR_EL1", of(3, 0, 0, 0, 5), MPIDR));
        r.add(SysReg.constant("REVIDR_EL1", of(3, 0, 0, 0, 6), 0));
        r.add(SysReg.constant("ID_PFR0_EL1", of(3, 0, 0, 1, 0), 0x131));
        r.add(SysReg.constant("ID_PFR1_EL1", of(3, 0, 0, 1, 1), 0x00011011));
        r.add(SysReg.constant("ID_DFR0_EL1", of(3, 0, 0, 1, 2), 0x03010006));
        r.add(SysReg.constant("ID_AFR0_EL1", of(3, 0, 0, 1, 3), 0));
        r.add(SysReg.constant("ID_MMFR0_EL1", of(3, 0, 0, 1, 4), 0x10101105));
        r.add(SysReg.constant("ID_MMFR1_EL1", of(3, 0, 0, 1, 5), 0x40000000));
        r.add(SysReg.constant("ID_MMFR2_EL1", of(3, 0, 0, 1, 6), 0x01260000));
        r.add(SysReg.constant("ID_MMFR3_EL1", of(3, 0, 0, 1, 7), 0x02102211));
        r.add(SysReg.constant("ID_ISAR0_EL1", of(3, 0, 0, 2, 0), 0x02101110));
        r.add(SysReg.constant("ID_ISAR1_EL1", of(3, 0, 0, 2, 1), 0x13112111));
        r.add(SysReg.constant("ID_ISAR2_EL1", of(3, 0, 0, 2, 2), 0x21232042));
        r.add(SysReg.constant("ID_ISAR3_EL1", of(3, 0, 0, 2, 3), 0x01112131));
        r.add(SysReg.constant("ID_ISAR4_EL1", of(3, 0, 0, 2, 4), 0x00011142));
        r.add(SysReg.constant("ID_ISAR5_EL1", of(3, 0, 0, 2, 5), 0x00011121));
        r.add(SysReg.constant("MVFR0_EL1", of(3, 0, 0, 3, 0), 0x10110222));
        r.add(SysReg.constant("MVFR1_EL1", of(3, 0, 0, 3, 1), 0x12111111));
        r.add(SysReg.constant("MVFR2_EL1", of(3, 0, 0, 3, 2), 0x43));
        r.add(SysReg.constant("ID_AA64PFR0_EL1", of(3, 0, 0, 4, 0), ID_AA64PFR0));
        r.add(SysReg.constant("ID_AA64PFR1_EL1", of(3, 0, 0, 4, 1), 0));
        r.add(SysReg.constant("ID_AA64DFR0_EL1", of(3, 0, 0, 5, 0), ID_AA64DFR0));
        r.add(SysReg.constant("ID_AA64DFR1_EL1", of(3, 0, 0, 5, 1), 0));
        r.add(SysReg.constant("ID_AA64AFR0_EL1", of(3, 0, 0, 5, 4), 0));
        r.add(SysReg.constant("ID_AA64AFR1_EL1", of(3, 0, 0, 5, 5), 0));
        r.add(SysReg.constant("ID_AA64ISAR0_EL1", of(3, 0, 0, 6, 0),
                ID_AA64ISAR0 | (lse ? ID_AA64ISAR0_ATOMIC : 0)));
        r.add(SysReg.constant("ID_AA64ISAR1_EL1", of(3, 0, 0, 6, 1), 0));
        r.add(SysReg.constant("ID_AA64MMFR0_EL1", of(3, 0, 0, 7, 0), ID_AA64MMFR0));
        r.add(SysReg.constant("ID_AA64MMFR1_EL1", of(3, 0, 0, 7, 1), 0));
        r.add(SysReg.constant("ID_AA64MMFR2_EL1", of(3, 0, 0, 7, 2), 0));
        // The rest of the ID space (CRm 1..7) is reserved and reads as zero (KVM: ID_UNALLOCATED).
        Set<Integer> named = new HashSet<>();
        r.forEach(x -> named.add(x.encoding()));
        for (int crm = 1; crm <= 7; crm++) {
            for (int op2 = 0; op2 < 8; op2++) {
                int enc = of(3, 0, 0, crm, op2);
                if (!named.contains(enc)) {
                    r.add(SysReg.constant("ID_UNALLOCATED_" + crm + "_" + op2, enc, 0));
                }
            }
        }
        r.add(SysReg.of("CCSIDR_EL1", of(3, 1, 0, 0, 0), (c, x) -> {
            long sel = c.regs().csselr;
            int level = (int) (sel >> 1 & 7);
            int idx = level * 2 + (int) (sel & 1);
            return idx < CCSIDR.length ? CCSIDR[idx] : 0;
        }, null));
        r.add(SysReg.constant("CLIDR_EL1", of(3, 1, 0, 0, 1), CLIDR));
        r.add(SysReg.constant("AIDR_EL1", of(3, 1, 0, 0, 7), 0));
        r.add(SysReg.of("CSSELR_EL1", of(3, 2, 0, 0, 0), (c, x) -> c.regs().csselr,
                (c, x, v) -> c.regs().csselr = v & 0xF).resetTo(0));
        r.add(SysReg.constant("CTR_EL0", of(3, 3, 0, 0, 1), CTR).el0(sctlrBit(SCTLR_UCT)));
        r.add(SysReg.of("DCZID_EL0", of(3, 3, 0, 0, 7),
                (c, x) -> DCZID | (c.el() == 0 && (c.regs().sctlr & SCTLR_DZE) == 0 ? 0x10 : 0), null)
                .el0(SysReg.EL0_READ));

        // ---- control
        r.add(SysReg.of("SCTLR_EL1", of(3, 0, 1, 0, 0), (c, x) -> c.regs().sctlr, (c, x, v) -> {
            c.regs().sctlr = v;
            c.translationChanged();
        }).resetTo(SCTLR_RESET));
        r.add(SysReg.stored("ACTLR_EL1", of(3, 0, 1, 0, 1), 0));
        // CPACR_EL1: only FPEN [21:20] is writable (no SVE/SME, no trace).
        r.add(SysReg.of("CPACR_EL1", of(3, 0, 1, 0, 2), (c, x) -> c.regs().cpacr,
                (c, x, v) -> c.regs().cpacr = v & (3L << 20)).resetTo(0));
        r.add(SysReg.of("TTBR0_EL1", of(3, 0, 2, 0, 0), (c, x) -> c.regs().ttbr0, (c, x, v) -> {
            c.regs().ttbr0 = v;
            c.translationChanged();
        }).resetTo(0));
        r.add(SysReg.of("TTBR1_EL1", of(3, 0, 2, 0, 1), (c, x) -> c.regs().ttbr1, (c, x, v) -> {
            c.regs().ttbr1 = v;
            c.translationChanged();
        }).resetTo(0));
        r.add(SysReg.of("TCR_EL1", of(3, 0, 2, 0, 2), (c, x) -> c.regs().tcr, (c, x, v) -> {
            c.regs().tcr = v; // stored whole, as QEMU does
            c.translationChanged();
        }).resetTo(0));
        r.add(SysReg.stored("AFSR0_EL1", of(3, 0, 5, 1, 0), 0));
        r.add(SysReg.stored("AFSR1_EL1", of(3, 0, 5, 1, 1), 0));
        r.add(SysReg.of("PAR_EL1", of(3, 0, 7, 4, 0), (c, x) -> c.regs().par,
                (c, x, v) -> c.regs().par = v).resetTo(0));
        r.add(SysReg.of("MAIR_EL1", of(3, 0, 10, 2, 0), (c, x) -> c.regs().mair, (c, x, v) -> {
            c.regs().mair = v;
            c.translationChanged();
        }).resetTo(0));
        r.add(SysReg.stored("AMAIR_EL1", of(3, 0, 10, 3, 0), 0));
        r.add(SysReg.of("VBAR_EL1", of(3, 0, 12, 0, 0), (c, x) -> c.regs().vbar,
                (c, x, v) -> c.regs().vbar = v & ~0x7FFL).resetTo(0));
        r.add(SysReg.stored("CONTEXTIDR_EL1", of(3, 0, 13, 0, 1), 0));
        r.add(SysReg.stored("TPIDR_EL1", of(3, 0, 13, 0, 4), 0));
        r.add(SysReg.stored("TPIDR_EL0", of(3, 3, 13, 0, 2), 0).el0(SysReg.EL0_RW));
        r.add(SysReg.stored("TPIDRRO_EL0", of(3, 3, 13, 0, 3), 0).el0(SysReg.EL0_READ));

        // ---- exception state and PSTATE views
        r.add(SysReg.of("SPSR_EL1", of(3, 0, 4, 0, 0), (c, x) -> c.regs().spsr,
                (c, x, v) -> c.regs().spsr = v & 0xFFFFFFFFL).resetTo(0));
        r.add(SysReg.of("ELR_EL1", of(3, 0, 4, 0, 1), (c, x) -> c.regs().elr,
                (c, x, v) -> c.regs().elr = v).resetTo(0));
        // SP_EL0 is UNDEFINED at EL1 while SPSel = 0 (it is then the current SP).
        r.add(SysReg.of("SP_EL0", of(3, 0, 4, 1, 0), (c, x) -> c.spEl0(), (c, x, v) -> c.setSpEl0(v))
                .el0((c, w) -> c.el() == 0 || c.spsel() == 0 ? Access.UNDEFINED : Access.ALLOW));
        r.add(SysReg.of("SPSel", of(3, 0, 4, 2, 0), (c, x) -> c.spsel(), (c, x, v) -> c.setSpsel((int) (v & 1))));
        r.add(SysReg.of("CurrentEL", of(3, 0, 4, 2, 2), (c, x) -> (long) c.el() << 2, null));
        r.add(SysReg.of("NZCV", of(3, 3, 4, 2, 0), (c, x) -> (long) c.nzcv() << 28,
                (c, x, v) -> c.setNzcv((int) (v >>> 28 & 0xF))).el0(SysReg.EL0_RW));
        r.add(SysReg.of("DAIF", of(3, 3, 4, 2, 1), (c, x) -> (long) c.daif() << 6,
                (c, x, v) -> c.setDaif((int) (v >>> 6 & 0xF))).el0(sctlrBit(SCTLR_UMA)));
        // FPCR/FPSR: EL0-accessible, both subject to the CPACR_EL1.FPEN trap.
        r.add(SysReg.of("FPCR", of(3, 3, 4, 4, 0), (c, x) -> c.regs().fp.fpcr,
                (c, x, v) -> c.regs().fp.fpcr = v & FpStatus.FPCR_MASK).el0(BaseSysRegs::fpAccess).resetTo(0));
        r.add(SysReg.of("FPSR", of(3, 3, 4, 4, 1), (c, x) -> c.regs().fp.fpsr,
                (c, x, v) -> c.regs().fp.fpsr = v & FpStatus.FPSR_MASK).el0(BaseSysRegs::fpAccess).resetTo(0));
        r.add(SysReg.of("ESR_EL1", of(3, 0, 5, 2, 0), (c, x) -> c.regs().esr,
                (c, x, v) -> c.regs().esr = v & 0xFFFFFFFFL).resetTo(0));
        r.add(SysReg.of("FAR_EL1", of(3, 0, 6, 0, 0), (c, x) -> c.regs().far,
                (c, x, v) -> c.regs().far = v).resetTo(0));

        // ---- generic timer: counters from guest time (1 tick per retired instruction)
        r.add(SysReg.of("CNTKCTL_EL1", of(3, 0, 14, 1, 0), (c, x) -> c.regs().cntkctl,
                (c, x, v) -> c.regs().cntkctl = v & 0x3FF).resetTo(0));
        r.add(SysReg.stored("CNTFRQ_EL0", of(3, 3, 14, 0, 0), CNTFRQ).el0(cntkctl(3, true)));
        r.add(SysReg.of("CNTPCT_EL0", of(3, 3, 14, 0, 1), (c, x) -> c.instructionsRetired(), null)
                .el0(cntkctl(1, true)));
        r.add(SysReg.of("CNTVCT_EL0", of(3, 3, 14, 0, 2), (c, x) -> c.instructionsRetired(), null)
                .el0(cntkctl(2, true)));

        // ---- debug (op0=2): what early boot code touches
        r.add(SysReg.of("MDSCR_EL1", of(2, 0, 0, 2, 2), (c, x) -> c.regs().mdscr, (c, x, v) -> {
            c.regs().mdscr = v & MDSCR_FIELDS;
            c.regs().recomputeDebugArmed();
        }).resetTo(0));
        r.add(SysReg.of("OSLAR_EL1", of(2, 0, 1, 0, 4), null, (c, x, v) -> c.regs().osLock = (v & 1) != 0)
                .resetTo(1)); // reset: locked
        // OSLM = 0b10 (lock implemented), OSLK; locked at reset as on QEMU
        r.add(SysReg.of("OSLSR_EL1", of(2, 0, 1, 1, 4), (c, x) -> 0x8L | (c.regs().osLock ? 2 : 0), null));
        r.add(SysReg.of("OSDLR_EL1", of(2, 0, 1, 3, 4), (c, x) -> c.regs().osdlr, (c, x, v) -> c.regs().osdlr = v & 1).resetTo(0));
        r.add(SysReg.stored("MDCCINT_EL1", of(2, 0, 0, 2, 0), 0));
        r.add(SysReg.constant("MDRAR_EL1", of(2, 0, 1, 0, 0), 0)); // no memory-mapped debug ROM
        r.add(SysReg.stored("DBGPRCR_EL1", of(2, 0, 1, 4, 4), 0));
        r.add(SysReg.stored("DBGCLAIMSET_EL1", of(2, 0, 7, 8, 6), 0));
        r.add(SysReg.stored("DBGCLAIMCLR_EL1", of(2, 0, 7, 9, 6), 0));
        r.add(SysReg.constant("DBGAUTHSTATUS_EL1", of(2, 0, 7, 14, 6), 0xAA)); // NS debug implemented, enabled
        // Breakpoint and watchpoint registers, as many as ID_AA64DFR0_EL1.BRPs/WRPs say (the A57's 6 and
        // 4), each keeping its architected fields. They hold what an OS (Linux's hw_breakpoint probe)
        // writes; breakpoint and watchpoint debug events themselves are not raised yet (README, Limits).
        for (int n = 0; n < BREAKPOINTS; n++) {
            final int k = n;
            r.add(debugPair("DBGBVR" + n + "_EL1", of(2, 0, 0, n, 4), f -> f.dbgbvr, k, ~3L));
            r.add(debugPair("DBGBCR" + n + "_EL1", of(2, 0, 0, n, 5), f -> f.dbgbcr, k, DBGBCR_FIELDS));
        }
        for (int n = 0; n < WATCHPOINTS; n++) {
            final int k = n;
            r.add(debugPair("DBGWVR" + n + "_EL1", of(2, 0, 0, n, 6), f -> f.dbgwvr, k, ~3L));
            r.add(debugPair("DBGWCR" + n + "_EL1", of(2, 0, 0, n, 7), f -> f.dbgwcr, k, DBGWCR_FIELDS));
        }
        return r;
    }

    /** Breakpoints and watchpoints: ID_AA64DFR0_EL1.BRPs and WRPs plus one. */
    static final int BREAKPOINTS = (int) (ID_AA64DFR0 >> 12 & 0xF) + 1;
    static final int WATCHPOINTS = (int) (ID_AA64DFR0 >> 20 & 0xF) + 1;
    /** DBGBCR: BT[23:20] LBN[19:16] SSC[15:14] HMC[13] BAS[8:5] PMC[2:1] E[0]. */
    static final long DBGBCR_FIELDS = 0xFF_E1E7L;
    /** DBGWCR: MASK[28:24] WT[20] LBN[19:16] SSC[15:14] HMC[13] BAS[12:5] LSC[4:3] PAC[2:1] E[0]. */
    static final long DBGWCR_FIELDS = 0x1F1F_FFFFL;

    /** A stored register whose bits outside {@code writable} read as zero (RES0). */
    /** MDSCR_EL1: MDE[15] KDE[13] SS[0] plus the rest QEMU keeps (TDCC[12], bits read back). */
    static final long MDSCR_FIELDS = 0xFFFF_FFFFL;

    private static SysReg debugPair(String name, int enc, java.util.function.Function<SysRegFile, long[]> bank, int n, long writable) {
        return SysReg.of(name, enc, (c, x) -> bank.apply(c.regs())[n], (c, x, v) -> {
            bank.apply(c.regs())[n] = v & writable;
            c.regs().recomputeDebugArmed();
        }).resetTo(0);
    }


    public static SysRegTable cortexA57Table(boolean lse) {
        return SysRegTable.of(cortexA57(lse));
    }
}
