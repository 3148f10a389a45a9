package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.mem.PhysicalMemory;
import dev.a64trap.mem.mmu.Mmu;
import dev.a64trap.mem.mmu.Translation;
import dev.a64trap.mem.mmu.Walker;
import dev.a64trap.sysreg.BaseSysRegs;
import dev.a64trap.sysreg.SysReg;
import dev.a64trap.sysreg.SysRegEncoding;

/**
 * MRS, MSR (register and immediate) and SYS (cache, TLB and address-translation maintenance).
 * The MRS/MSR descriptor comes from the block (looked up once at decode time).
 */
final class SystemOps {
    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final BlockCache cache;

    SystemOps(Cpu cpu, PhysicalMemory mem, BlockCache cache) {
        this.cpu = cpu;
        this.mem = mem;
        this.cache = cache;
    }

    private void check(SysReg reg, Insn in, boolean write) {
        if (reg == null) {
            throw GuestFault.undefined();
        }
        SysReg.Access a = reg.access(cpu, write);
        if (a != SysReg.Access.ALLOW) {
            throw refused(in, a, write);
        }
    }

    /** The exception for an MRS/MSR {@code in} that its register's rule refused with {@code a}. */
    static GuestFault refused(Insn in, SysReg.Access a, boolean write) {
        return switch (a) {
            case TRAP -> GuestFault.of(Syndrome.sysreg((int) in.imm(), in.rd(), !write));
            case FP_TRAP -> GuestFault.of(Syndrome.fpAccess());
            default -> GuestFault.undefined();
        };
    }

    void mrs(Insn in, SysReg reg) {
        check(reg, in, false);
        long v = reg.read(cpu);
        if (in.rd() != 31) {
            cpu.x[in.rd()] = v;
        }
    }

    void msr(Insn in, SysReg reg) {
        check(reg, in, true);
        reg.write(cpu, in.rd() == 31 ? 0 : cpu.x[in.rd()]);
    }

    /** PSTATE field encodings (op1<<3|op2) of MSR (immediate). */
    private static final int PSTATE_SPSEL = 0b000_101, PSTATE_DAIFSET = 0b011_110, PSTATE_DAIFCLR = 0b011_111;

    void msrImmediate(Insn in) {
        int field = (int) in.imm();
        int crm = in.amount() & 0xF;
        switch (field) {
            case PSTATE_SPSEL -> {
                if (cpu.el == 0) {
                    throw GuestFault.undefined();
                }
                cpu.setSpsel(crm & 1);
            }
            case PSTATE_DAIFSET, PSTATE_DAIFCLR -> {
                if (cpu.el == 0 && (cpu.sys.sctlr & BaseSysRegs.SCTLR_UMA) == 0) {
                    int enc = SysRegEncoding.of(0, field >> 3, 4, crm, field & 7);
                    throw GuestFault.of(Syndrome.sysreg(enc, 31, false));
                }
                cpu.daif = field == PSTATE_DAIFSET ? cpu.daif | crm : cpu.daif & ~crm;
            }
            default -> throw GuestFault.undefined();
        }
    }

    /**
     * SYS: DC ZVA zeroes its 64-byte block; IC invalidation drops decoded blocks; TLBI empties
     * (part of) the TLB; AT walks and sets PAR_EL1; the other cache operations have nothing to do.
     * EL0 may use DC ZVA (SCTLR_EL1.DZE) and the by-VA cache operations (SCTLR_EL1.UCI); otherwise
     * these trap (EC 0x18); everything else is UNDEFINED at EL0.
     */
    /** EC 0x01: a trapped WFI or WFE (ISS: CV = 1, COND = 0xE as QEMU reports them, TI = 0 for WFI, 1 for WFE). */
    static final int EC_WFX = 0x01;

    /**
     * WFI at EL0 with SCTLR_EL1.nTWI = 0 traps to EL1 when it would wait, that is when no
     * interrupt is pending (masked or not), as QEMU 7.2 does. An EL0 WFE never traps, whatever
     * nTWE says, as on QEMU 7.2 (which never traps WFE): it completes or waits for an event as the
     * board decides. The architecture would trap one that waits; the QEMU oracle wins here.
     */
    void wfi(boolean interruptPending) {
        if (cpu.el == 0 && (cpu.sys.sctlr & BaseSysRegs.SCTLR_NTWI) == 0 && !interruptPending) {
            throw GuestFault.of(Syndrome.esr(EC_WFX, 1 << 24 | 0xE << 20));
        }
    }

    void sys(Insn in) {
        int enc = (int) in.imm();
        int op1 = SysRegEncoding.op1(enc), crn = SysRegEncoding.crn(enc), crm = SysRegEncoding.crm(enc),
                op2 = SysRegEncoding.op2(enc);
        long rt = in.rd() == 31 ? 0 : cpu.x[in.rd()];
        if (crn == 8 && op1 == 0) { // TLBI (EL1 forms; the inner-shareable ones reach every PE)
            el1Only();
            tlbi(crm, op2, rt);
            return;
        }
        if (crn != 7) {
            throw GuestFault.undefined();
        }
        if (op1 == 3) {
            boolean zva = crm == 4 && op2 == 1;
            boolean byVa = (crm == 5 && op2 == 1) || (op2 == 1 && (crm == 10 || crm == 11 || crm == 14 || crm == 12));
            if (!zva && !byVa) {
                throw GuestFault.undefined();
            }
            if (cpu.el == 0) {
                long bit = zva ? BaseSysRegs.SCTLR_DZE : BaseSysRegs.SCTLR_UCI;
                if ((cpu.sys.sctlr & bit) == 0) {
                    throw GuestFault.of(Syndrome.sysreg(enc, in.rd(), false));
                }
            }
            if (zva) {
                long base = rt & ~63L;
                for (int i = 0; i < 64; i += 8) {
                    Lsu.write(cpu, mem, base + i, 3, 0, false);
                }
            } else {
                cacheByVa(enc, in.rd(), rt);
            }
            return;
        }
        if (op1 == 0) {
            el1Only();
            if (crm == 1 || crm == 5) { // IC IALLUIS / IC IALLU
                cache.invalidateAll();
            } else if (crm == 8 && op2 <= 3) { // AT S1E1R/W, S1E0R/W
                cpu.sys.par = at(rt, op2 >= 2 ? 0 : 1, (op2 & 1) != 0 ? Walker.WRITE : Walker.READ);
            } else if (!(crm == 6 && (op2 == 1 || op2 == 2)) && !(crm == 10 && op2 == 2)
                    && !(crm == 14 && op2 == 2)) {
                throw GuestFault.undefined(); // not DC IVAC/ISW/CSW/CISW
            }
            return;
        }
        throw GuestFault.undefined();
    }

    /**
     * DC CVAC, CVAU, CVAP, CIVAC and IC IVAU of {@code va} (encoding {@code enc}, register {@code rt}):
     * they do not end a block ({@link #inBlock}), so compiled code calls this directly. At EL0 they
     * trap unless SCTLR_EL1.UCI; IC IVAU drops the blocks of its line (stores already dropped what
     * they overwrote); the data-cache operations have nothing to do.
     */
    void cacheByVa(int enc, int rt, long va) {
        if (cpu.el == 0 && (cpu.sys.sctlr & BaseSysRegs.SCTLR_UCI) == 0) {
            throw GuestFault.of(Syndrome.sysreg(enc, rt, false));
        }
        if (SysRegEncoding.crm(enc) == 5) {
            long pa = cpu.mmu.enabled() ? codePa(va) : va;
            if (pa != -1) {
                cache.invalidate(pa & ~63L, 64);
            }
        }
    }

    /**
     * Whether {@code in} is one of {@link #cacheByVa}'s operations: they change nothing a block
     * depends on (a block IC IVAU drops runs to its end, as after a store into it), so they need not
     * end a block, and a cache-maintenance loop stays one block, compiled whole.
     */
    static boolean inBlock(Insn in) {
        if (in.op() != Op.SYS) {
            return false;
        }
        int enc = (int) in.imm();
        int crm = SysRegEncoding.crm(enc);
        return SysRegEncoding.op1(enc) == 3 && SysRegEncoding.crn(enc) == 7 && SysRegEncoding.op2(enc) == 1
                && (crm == 5 || crm == 10 || crm == 11 || crm == 12 || crm == 14);
    }

    /**
     * The PA of IC IVAU's {@code va} with the MMU on: from the TLB when it holds the page, else a
     * walk that fills nothing; -1 when {@code va} does not translate (no block can run from it
     * before a walk that succeeds, and stores to its code were seen by PA). Never faults, as on QEMU.
     */
    private long codePa(long va) {
        Mmu.Tlb t = cpu.tlb;
        int i = (int) (va >>> 12) & Mmu.TLB_MASK;
        long tag = va >>> 12;
        if (t.read[i] == tag || t.exec[i] == tag || t.write[i] == tag) {
            return va + t.addend[i];
        }
        return cpu.mmu.debugTranslate(va);
    }

    /**
     * TLBI VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1 and their IS forms (CRm 3 = IS: every PE
     * sharing the memory, 7 = this PE).
     * By-VA forms drop that VA (Xt holds VA[55:12]); the rest empty the TLB. Other encodings are
     * UNDEFINED (ARMv8.0 has no range or outer-shareable forms).
     */
    private void tlbi(int crm, int op2, long rt) {
        if ((crm != 3 && crm != 7) || op2 == 4 || op2 == 6) {
            throw GuestFault.undefined();
        }
        boolean shared = crm == 3; // IS: every PE on this memory (--smp N), else this PE's TLB
        if (op2 == 1 || op2 == 3 || op2 == 5 || op2 == 7) {
            long va = rt << 20 >> 8; // VA[55:12] from Xt[43:0], sign from VA[55]
            if (shared) {
                cpu.mmu.flushVaShared(va);
            } else {
                cpu.mmu.flushVa(va);
            }
        } else if (shared) {
            cpu.mmu.flushShared();
        } else {
            cpu.mmu.flush();
        }
    }

    /**
     * The PAR_EL1 value of an AT S1E{el}{R,W} of {@code va}, as QEMU 7.2 forms it: F = 0 with
     * PA[47:12], NS (bit 9, non-secure), SH, ATTR and the RES1 bit 11; or F = 1 with the fault
     * status code in FST. With the MMU off the PA is the VA (Device-nGnRnE for data).
     */
    long at(long va, int el, int kind) {
        long par = 1L << 11;
        if (!cpu.mmu.enabled()) {
            if (Lsu.beyondPa(cpu, va)) {
                return par | 1 | (long) Syndrome.FSC_ADDRESS_SIZE_L0 << 1;
            }
            return par | (va & 0xFFFF_FFFF_F000L) | 1L << 9;
        }
        Translation t = cpu.mmu.walk(va);
        int fsc = t.ok() ? Walker.permissionFault(t, el, kind) : t.fault;
        if (fsc != Walker.NO_FAULT) {
            return par | 1 | (long) (fsc & 0x3F) << 1;
        }
        return par | (t.pa & 0xFFFF_FFFF_F000L) | 1L << 9 | (long) t.sh << 7 | (long) t.attr << 56;
    }

    private void el1Only() {
        if (cpu.el == 0) {
            throw GuestFault.undefined();
        }
    }
}
