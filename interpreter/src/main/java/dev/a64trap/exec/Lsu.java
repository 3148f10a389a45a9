package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.mem.BusFault;
import dev.a64trap.mem.PhysicalMemory;
import dev.a64trap.sysreg.BaseSysRegs;

/**
 * Load/store semantics shared by the interpreter and the JIT: address generation, the alignment
 * rules, bus faults turned into data aborts, sign extension and the LSE atomic operations.
 *
 * <p>Alignment: with the MMU off (SCTLR_EL1.M = 0) every data access is to Device-nGnRnE memory,
 * so any unaligned access faults; with it on (no translation is implemented: identity, Normal
 * memory) only SCTLR_EL1.A makes unaligned plain accesses fault. Exclusives, acquire/release and
 * atomics must always be aligned (no FEAT_LSE2).
 */
public final class Lsu {
    private Lsu() {}

    /** Whether an access of {@code bytes} at {@code address} raises an alignment fault. */
    public static boolean misaligned(Cpu cpu, long address, int bytes, boolean alwaysAligned) {
        if ((address & (bytes - 1)) == 0) {
            return false;
        }
        long sctlr = cpu.sys.sctlr;
        return alwaysAligned || (sctlr & BaseSysRegs.SCTLR_M) == 0 || (sctlr & BaseSysRegs.SCTLR_A) != 0;
    }

    /** Reads {@code 1 << size} bytes zero-extended, or throws the data abort the guest must see. */
    public static long read(Cpu cpu, PhysicalMemory mem, long address, int size, boolean alwaysAligned) {
        int bytes = 1 << size;
        if (misaligned(cpu, address, bytes, alwaysAligned)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, false);
        }
        try {
            return mem.read(address, bytes);
        } catch (BusFault f) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_SYNC_EXTERNAL, address, false);
        }
    }

    public static void write(Cpu cpu, PhysicalMemory mem, long address, int size, long value, boolean alwaysAligned) {
        int bytes = 1 << size;
        if (misaligned(cpu, address, bytes, alwaysAligned)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, true);
        }
        try {
            mem.write(address, bytes, value);
        } catch (BusFault f) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_SYNC_EXTERNAL, address, true);
        }
    }

    /** Raises an alignment fault unless {@code address} is aligned to {@code bytes} (pair exclusives, CASP). */
    public static void requireAligned(Cpu cpu, long address, int bytes, boolean write) {
        if ((address & (bytes - 1)) != 0) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, address, write);
        }
    }

    /** Sign-extends the low {@code 1 << size} bytes. */
    public static long signExtend(long v, int size) {
        int sh = 64 - (8 << size);
        return v << sh >> sh;
    }

    public static long truncate(long v, int size) {
        return size == 3 ? v : v & ((1L << (8 << size)) - 1);
    }

    /**
     * The access address of a load/store. Checks SP alignment (SCTLR_EL1.SA/SA0) when the base is SP.
     */
    public static long address(Cpu cpu, Insn in, long pc) {
        int mode = in.mode();
        if (mode == Insn.MODE_LITERAL) {
            return pc + in.imm();
        }
        int rn = in.rn();
        long base = cpu.x[rn];
        if (rn == 31) {
            checkSp(cpu, base);
        }
        return switch (mode) {
            case Insn.MODE_OFFSET, Insn.MODE_PRE -> base + in.imm();
            case Insn.MODE_REG -> base + Alu.extend(in.rm() == 31 ? 0 : cpu.x[in.rm()], in.shift(), in.amount());
            default -> base; // POST, BASE
        };
    }

    /** SP alignment check: with SA (EL1) / SA0 (EL0) set, SP must be 16-byte aligned when used as a base. */
    public static void checkSp(Cpu cpu, long sp) {
        if ((sp & 15) != 0) {
            long bit = cpu.el == 0 ? BaseSysRegs.SCTLR_SA0 : BaseSysRegs.SCTLR_SA;
            if ((cpu.sys.sctlr & bit) != 0) {
                throw GuestFault.of(Syndrome.spAlignment());
            }
        }
    }

    /** Base register writeback for pre/post-indexed forms (after the access succeeded). */
    public static void writeback(Cpu cpu, Insn in, long address) {
        int mode = in.mode();
        if (mode == Insn.MODE_PRE) {
            cpu.x[in.rn()] = address;
        } else if (mode == Insn.MODE_POST) {
            cpu.x[in.rn()] = address + in.imm();
        }
    }

    /** The value an LSE atomic stores, from the old memory value and the operand (both {@code size} wide). */
    public static long atomicResult(Op op, long old, long operand, int size) {
        return switch (op) {
            case LDADD -> old + operand;
            case LDCLR -> old & ~operand;
            case LDEOR -> old ^ operand;
            case LDSET -> old | operand;
            case LDSMAX -> signExtend(old, size) >= signExtend(operand, size) ? old : operand;
            case LDSMIN -> signExtend(old, size) <= signExtend(operand, size) ? old : operand;
            case LDUMAX -> Long.compareUnsigned(truncate(old, size), truncate(operand, size)) >= 0 ? old : operand;
            case LDUMIN -> Long.compareUnsigned(truncate(old, size), truncate(operand, size)) <= 0 ? old : operand;
            case SWP -> operand;
            default -> throw new IllegalArgumentException(op.name());
        };
    }
}
