package dev.a64trap.cpu;

import dev.a64trap.mem.mmu.Mmu;
import dev.a64trap.sysreg.SysRegContext;
import dev.a64trap.sysreg.SysRegFile;
import dev.a64trap.sysreg.SysRegTable;

/**
 * Architectural state of one AArch64 PE with EL0 and EL1 only (no EL2/EL3, as QEMU virt without
 * virtualization or secure mode): general registers, PC, PSTATE, the banked stack pointers, the
 * local exclusive monitor and the EL1 system registers (in {@link #sys}).
 *
 * <p>{@code x[31]} holds the <em>current</em> stack pointer (SP_EL0 or SP_EL1 as PSTATE selects);
 * the other one waits in {@code spBank}. Register 31 as the zero register is the caller's business.
 */
public final class Cpu implements SysRegContext {
    /** x[0..30], x[31] = current SP, x[32] = always zero, x[33] = write sink (see exec.Uop). */
    public final long[] x = new long[34];
    public long pc;
    /** PSTATE.NZCV as N<<3|Z<<2|C<<1|V. */
    public int nzcv;
    /** PSTATE.DAIF as D<<3|A<<2|I<<1|F. */
    public int daif;
    /** PSTATE.EL, 0 or 1. */
    public int el;
    /** PSTATE.SP. */
    public int spsel;
    /** PSTATE.IL: set by an illegal exception return, raises an Illegal State exception at the next instruction. */
    public boolean illegalState;
    /** PSTATE.SS (software step: set = active-not-pending). */
    public boolean ss;
    /** The software step's syndrome: an instruction was stepped (ISV) and it was a load-exclusive (EX). */
    public boolean stepIsv, stepEx;
    public static final long PSTATE_SS = 1L << 21;

    /**
     * The SIMD&FP registers V0..V31, 128 bits each: {@code v[2n]} holds bits [63:0] of Vn,
     * {@code v[2n+1]} bits [127:64]. FPCR and FPSR live in {@link #sys} ({@code fpcr}, {@code fpsr}).
     */
    public final long[] v = new long[64];

    /** Which PE of the board this is (MPIDR_EL1's affinity comes from it): 0 on a single-CPU board. */
    public int index;

    /** Instructions retired: the guest's only clock. */
    public long retired;

    // Local exclusive monitor (one address range).
    public boolean exclusiveValid;
    public long exclusiveAddress;
    public int exclusiveBytes;

    public final SysRegFile sys;
    public final SysRegTable sysRegs;
    /** Whether the LSE atomics (ARMv8.1) are implemented; Cortex-A57 has none. */
    public final boolean lse;

    private final long[] spBank = new long[2];

    /** Stage-1 translation of the EL1&0 regime (16 KiB granule not implemented, as Cortex-A57). */
    public final Mmu mmu = new Mmu(false);
    /** The TLB data accesses and fetches at the current EL use; null while the MMU is off (VA = PA). */
    public Mmu.Tlb tlb;
    /** The direct entries data accesses test first ({@link Mmu#dataTlb}): {@link #tlb}'s, or RAM's identity entries with the MMU off. Never null. */
    public Mmu.Tlb data;

    public Cpu(SysRegTable sysRegs, boolean lse) {
        this.sysRegs = sysRegs;
        this.sys = sysRegs.newFile();
        this.lse = lse;
        reset();
    }

    /** Reset state: EL1h, all interrupts masked, registers zero, system registers at their reset values. */
    public void reset() {
        java.util.Arrays.fill(x, 0);
        java.util.Arrays.fill(v, 0);
        spBank[0] = spBank[1] = 0;
        pc = 0;
        nzcv = 0;
        daif = 0xF;
        el = 1;
        spsel = 1;
        illegalState = false;
        ss = false;
        retired = 0;
        exclusiveValid = false;
        sysRegs.reset(this);
        translationChanged();
    }

    // ---- PSTATE and stack pointer selection

    private int spIndex() {
        return el == 0 ? 0 : spsel;
    }

    /** Changes EL and SPSel, swapping the banked stack pointer in and out of x[31]. */
    public void setMode(int newEl, int newSpsel) {
        spBank[spIndex()] = x[31];
        el = newEl;
        spsel = newSpsel;
        x[31] = spBank[spIndex()];
        tlb = mmu.tlb(newEl);
        data = mmu.dataTlb(newEl);
    }

    /** The stack pointer of EL{@code n}, wherever it currently lives. */
    public long sp(int n) {
        return spIndex() == n ? x[31] : spBank[n];
    }

    public void setSp(int n, long value) {
        if (spIndex() == n) {
            x[31] = value;
        } else {
            spBank[n] = value;
        }
    }

    /** PSTATE packed as SPSR_ELx holds it (AArch64 state). */
    public long pstate() {
        return (long) nzcv << 28 | (illegalState ? 1L << 20 : 0) | (ss ? PSTATE_SS : 0) | (long) daif << 6 | (long) el << 2 | spsel;
    }

    // ---- exceptions

    /**
     * Takes an exception to EL1: saves PSTATE to SPSR_EL1 and the return address to ELR_EL1, sets
     * ESR_EL1 (sync only) and FAR_EL1 (when {@code farValid}), enters EL1h with DAIF masked and
     * jumps to the vector. Returns the vector address.
     */
    public long takeException(ExceptionType type, long preferredReturn, int esr, boolean farValid, long far) {
        int offset = el == 0 ? 0x400 : spsel == 0 ? 0x000 : 0x200;
        sys.spsr = pstate();
        sys.elr = preferredReturn;
        if (type == ExceptionType.SYNC) {
            sys.esr = esr & 0xFFFFFFFFL;
        }
        if (farValid) {
            sys.far = far;
        }
        setMode(1, 1);
        daif = 0xF;
        illegalState = false;
        ss = false;
        pc = sys.vbar + offset + type.offset;
        return pc;
    }

    /** Vector offset of the next exception taken from the current state (for diagnostics). */
    public long vectorFor(ExceptionType type) {
        return sys.vbar + (el == 0 ? 0x400 : spsel == 0 ? 0x000 : 0x200) + type.offset;
    }

    /**
     * ERET from EL1: PSTATE from SPSR_EL1, PC from ELR_EL1, local monitor cleared. An illegal return
     * (AArch32, a reserved mode, a higher EL, EL0 with SP_EL1) keeps EL and SP selection, restores
     * the flags and sets PSTATE.IL, so the next instruction raises an Illegal State exception
     * (simplified from the architecture, which also leaves a few fields UNKNOWN).
     */
    public void exceptionReturn() {
        long spsr = sys.spsr;
        int m = (int) (spsr & 0x1F);
        boolean illegal = !(m == 0b00000 || m == 0b00100 || m == 0b00101);
        nzcv = (int) (spsr >>> 28 & 0xF);
        daif = (int) (spsr >>> 6 & 0xF);
        if (illegal) {
            illegalState = true;
        } else {
            setMode(m >> 2, m & 1);
            illegalState = (spsr & (1L << 20)) != 0;
        }
        ss = SelfHostedDebug.ssOnReturn(sys, spsr, el, (daif & 8) != 0);
        stepIsv = false; // a step exception before any instruction retires reports ISV = 0
        exclusiveValid = false;
        pc = sys.elr;
    }

    // ---- SysRegContext

    @Override
    public SysRegFile regs() {
        return sys;
    }

    @Override
    public int el() {
        return el;
    }

    @Override
    public int cpuIndex() {
        return index;
    }

    @Override
    public int nzcv() {
        return nzcv;
    }

    @Override
    public void setNzcv(int v) {
        nzcv = v & 0xF;
    }

    @Override
    public int daif() {
        return daif;
    }

    @Override
    public void setDaif(int v) {
        daif = v & 0xF;
    }

    @Override
    public int spsel() {
        return spsel;
    }

    @Override
    public void setSpsel(int v) {
        setMode(el, v & 1);
    }

    @Override
    public long spEl0() {
        return sp(0);
    }

    @Override
    public void setSpEl0(long v) {
        setSp(0, v);
    }

    @Override
    public void ttbrWritten(boolean asidChanged) {
        if (asidChanged) {
            translationChanged();
        } else {
            mmu.retarget(sys.ttbr0, sys.ttbr1); // walks use the new tables; the TLB keeps its entries
        }
    }

    @Override
    public void translationChanged() {
        mmu.configure(sys.sctlr, sys.tcr, sys.ttbr0, sys.ttbr1, sys.mair);
        tlb = mmu.tlb(el);
        data = mmu.dataTlb(el);
    }

    @Override
    public long instructionsRetired() {
        return retired;
    }
}
