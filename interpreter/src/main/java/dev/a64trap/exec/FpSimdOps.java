package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.cpu.GuestFault;
import dev.a64trap.cpu.Syndrome;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.fp.Crypto;
import dev.a64trap.fp.Lanes;
import dev.a64trap.fp.SimdFp;
import dev.a64trap.fp.SimdInt;
import dev.a64trap.mem.PhysicalMemory;

/**
 * The SIMD&FP instructions for the interpreter (the JIT leaves blocks holding them to it): the
 * CPACR_EL1.FPEN check, V register loads and stores through {@link Lsu} (the integer loads' own
 * entry points, so they see whatever translation those do), moves, and dispatch to the semantics in
 * {@code dev.a64trap.fp}.
 */
public final class FpSimdOps {
    private FpSimdOps() {}

    /** Whether {@code op} is a SIMD&FP instruction executed here. */
    public static boolean handles(Op op) {
        return op.ordinal() >= Op.FP_LDR.ordinal() && op != Op.UNDEFINED;
    }

    static boolean loads(Op op) {
        return op == Op.FP_LDR || op == Op.FP_LDP || op == Op.SIMD_LD_MULT || op == Op.SIMD_LD_ONE;
    }

    static boolean stores(Op op) {
        return op == Op.FP_STR || op == Op.FP_STP || op == Op.SIMD_ST_MULT || op == Op.SIMD_ST_ONE;
    }

    /** CPACR_EL1.FPEN: 0b11 enables EL0 and EL1, 0b01 EL1 only; otherwise the access traps (EC 0x07). */
    public static void checkAccess(Cpu cpu) {
        int fpen = (int) (cpu.sys.cpacr >>> 20) & 3;
        if (fpen == 3 || (fpen == 1 && cpu.el == 1)) {
            return;
        }
        throw GuestFault.of(Syndrome.fpAccess());
    }

    /** Executes {@code in} at {@code pc}; returns the next PC. */
    public static long exec(Cpu cpu, PhysicalMemory mem, Insn in, long pc) {
        checkAccess(cpu);
        switch (in.op()) {
            case FP_LDR, FP_STR -> single(cpu, mem, in, pc);
            case FP_LDP, FP_STP -> pair(cpu, mem, in, pc);
            case SIMD_LD_MULT, SIMD_ST_MULT -> multiple(cpu, mem, in, pc);
            case SIMD_LD_ONE, SIMD_ST_ONE -> singleStructure(cpu, mem, in, pc);
            default -> {
                if (in.has(Insn.FLAG_SCALAR)) {
                    scalar(cpu, in);
                } else {
                    vector(cpu, cpu.v, in, in.rd(), in.rn(), in.rm());
                }
            }
        }
        return pc + 4;
    }

    /**
     * The scalar Advanced SIMD forms (add d0, d1, d2; sqxtn b0, h1; fmul s0, s1, v2.s[1]): the
     * vector operation on a scratch file whose lanes all hold element 0 of the operands, so every
     * lane computes the same result and raises the same (sticky) FPSR flags; element 0 goes to Vd.
     */
    private static void scalar(Cpu cpu, Insn in) {
        long[] v = cpu.v;
        int nsize = in.size(), dsize = in.size(), op = (int) in.imm();
        switch (in.op()) {
            case SIMD_2MISC -> nsize = SimdInt.narrows(op) ? in.size() + 1 : in.size();
            case SIMD_SHIFT_IMM -> dsize = SimdInt.shiftNarrows(op) ? in.size() - 1 : in.size();
            case SIMD_3DIFF -> dsize = in.size() + 1;
            case SIMD_ELEM -> dsize = !in.has(Insn.FLAG_FP) && SimdInt.elementWidens(op) ? in.size() + 1 : in.size();
            case SIMD_FP_2MISC -> nsize = SimdFp.narrows(op) ? in.size() + 1 : in.size();
            default -> { }
        }
        long[] t = new long[8];
        long d = Lanes.replicate(v[2 * in.rd()], dsize), n = Lanes.replicate(v[2 * in.rn()], nsize);
        long m = Lanes.replicate(v[2 * (in.rm() & 31)], nsize);
        t[0] = t[1] = d;
        t[2] = t[3] = n;
        t[4] = t[5] = m;
        int mreg = 2;
        if (in.op() == Op.SIMD_ELEM) { // the element register keeps its lanes
            t[6] = v[2 * in.rm()];
            t[7] = v[2 * in.rm() + 1];
            mreg = 3;
        }
        vector(cpu, t, in, 0, 1, mreg);
        Lanes.setScalar(v, in.rd(), dsize, t[0]);
    }

    private static void vector(Cpu cpu, long[] v, Insn in, int rd, int rn, int rm) {
        switch (in.op()) {
            case SIMD_DUP_ELEM -> dup(v, in, Lanes.get(v, in.rn(), (int) in.imm(), in.size()));
            case SIMD_DUP_GEN -> dup(v, in, xr(cpu, in.rn()));
            case SIMD_INS_GEN -> Lanes.set(v, in.rd(), (int) in.imm(), in.size(), xr(cpu, in.rn()));
            case SIMD_INS_ELEM -> Lanes.set(v, in.rd(), (int) in.imm(), in.size(),
                    Lanes.get(v, in.rn(), in.amount(), in.size()));
            case SIMD_UMOV -> xw(cpu, in.rd(), Lanes.get(v, in.rn(), (int) in.imm(), in.size()));
            case SIMD_SMOV -> {
                long e = Lanes.signExtend(Lanes.get(v, in.rn(), (int) in.imm(), in.size()), in.size());
                xw(cpu, in.rd(), in.sf() ? e : e & 0xffffffffL);
            }
            case SIMD_DUP_SCALAR -> Lanes.setScalar(v, in.rd(), in.size(), Lanes.get(v, in.rn(), (int) in.imm(), in.size()));
            case SIMD_MOVI -> movi(v, in);
            case FMOV_GEN -> fmovGen(cpu, in);
            case SIMD_3SAME -> SimdInt.threeSame(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn, rm);
            case SIMD_2MISC -> {
                if (in.imm() == SimdInt.NOT_RBIT && in.size() == 1) {
                    SimdInt.rbitBytes(v, in.sf(), rd, rn);
                } else {
                    SimdInt.twoMisc(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn);
                }
            }
            case SIMD_ACROSS -> {
                int op = (int) in.imm();
                int dsize = op == SimdInt.SADDLV || op == SimdInt.UADDLV ? in.size() + 1 : in.size();
                Lanes.setScalar(v, rd, dsize, SimdInt.across(v, op, in.size(), in.sf(), rn));
            }
            case SIMD_FP_3SAME -> SimdFp.threeSame(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn, rm);
            case SIMD_FP_2MISC -> SimdFp.twoMisc(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn);
            case SIMD_FP_ACROSS -> Lanes.setScalar(v, rd, 2, SimdFp.across(v, cpu.sys.fp, (int) in.imm(), rn));
            case SIMD_3DIFF -> SimdInt.threeDifferent(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn, rm);
            case CRYPTO -> crypto(v, in);
            case SIMD_ELEM -> {
                if (in.has(Insn.FLAG_FP)) {
                    SimdFp.byElement(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn, rm, in.amount());
                } else {
                    SimdInt.byElement(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn, rm, in.amount());
                }
            }
            case SIMD_SCALAR_PAIR -> Lanes.setScalar(v, rd, in.size(), in.has(Insn.FLAG_FP)
                    ? SimdFp.scalarPairwise(v, cpu.sys.fp, (int) in.imm(), in.size(), rn)
                    : v[2 * rn] + v[2 * rn + 1]);
            case SIMD_PERMUTE -> SimdInt.permute(v, (int) in.imm(), in.size(), in.sf(), rd, rn, rm);
            case SIMD_EXT -> SimdInt.ext(v, in.sf(), rd, rn, rm, (int) in.imm());
            case SIMD_TBL -> SimdInt.table(v, in.sf(), rd, rn, (int) in.imm(), rm, in.amount() == 1);
            case SIMD_SHIFT_IMM -> {
                if (SimdFp.isFixedConvert((int) in.imm())) {
                    SimdFp.fixedConvert(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn, in.amount());
                } else {
                    SimdInt.shiftImmediate(v, cpu.sys.fp, (int) in.imm(), in.size(), in.sf(), rd, rn, in.amount());
                }
            }
            default -> FpScalarOps.exec(cpu, in);
        }
    }

    private static void crypto(long[] v, Insn in) {
        int d = in.rd(), n = in.rn(), m = in.rm();
        switch ((int) in.imm()) {
            case 0 -> Crypto.aes(v, d, n, false);
            case 1 -> Crypto.aes(v, d, n, true);
            case 2 -> Crypto.mixColumns(v, d, n, false);
            case 3 -> Crypto.mixColumns(v, d, n, true);
            case 4, 5, 6 -> Crypto.sha1Hash(v, d, n, m, (int) in.imm() - 4);
            case 7 -> Crypto.sha1su0(v, d, n, m);
            case 8 -> Crypto.sha256Hash(v, d, n, m, true);
            case 9 -> Crypto.sha256Hash(v, d, n, m, false);
            case 10 -> Crypto.sha256su1(v, d, n, m);
            case 11 -> Crypto.sha1h(v, d, n);
            case 12 -> Crypto.sha1su1(v, d, n);
            default -> Crypto.sha256su0(v, d, n);
        }
    }

    // ---- registers

    private static long xr(Cpu cpu, int n) {
        return n == 31 ? 0 : cpu.x[n];
    }

    private static void xw(Cpu cpu, int n, long value) {
        if (n != 31) {
            cpu.x[n] = value;
        }
    }

    /** Vd = both halves {@code lo}/{@code hi}, the upper one zeroed for a 64-bit (Q = 0) result. */
    private static void setVector(long[] v, int d, boolean q, long lo, long hi) {
        v[2 * d] = lo;
        v[2 * d + 1] = q ? hi : 0;
    }

    private static void dup(long[] v, Insn in, long element) {
        long r = Lanes.replicate(element, in.size());
        setVector(v, in.rd(), in.sf(), r, r);
    }

    private static void movi(long[] v, Insn in) {
        long imm = in.imm();
        int d = in.rd();
        switch (in.amount()) {
            case 2 -> setVector(v, d, in.sf(), v[2 * d] | imm, v[2 * d + 1] | imm); // ORR
            case 3 -> setVector(v, d, in.sf(), v[2 * d] & ~imm, v[2 * d + 1] & ~imm); // BIC
            default -> setVector(v, d, in.sf(), imm, imm); // MOVI, MVNI (inverted at decode), FMOV
        }
    }

    private static void fmovGen(Cpu cpu, Insn in) {
        long[] v = cpu.v;
        switch ((int) in.imm()) {
            case 0 -> xw(cpu, in.rd(), in.size() == 3 ? v[2 * in.rn()] : v[2 * in.rn()] & 0xffffffffL);
            case 1 -> Lanes.setScalar(v, in.rd(), in.size(), xr(cpu, in.rn()));
            case 2 -> xw(cpu, in.rd(), v[2 * in.rn() + 1]);
            default -> v[2 * in.rd() + 1] = xr(cpu, in.rn());
        }
    }

    // ---- loads and stores

    /** Reads {@code 1 << size} bytes (size 4: 16 bytes, aligned as one access) into lo/hi. */
    private static void load(Cpu cpu, PhysicalMemory mem, long addr, int size, long[] out) {
        if (size < 4) {
            out[0] = Lsu.read(cpu, mem, addr, size, false);
            out[1] = 0;
            return;
        }
        if (Lsu.misaligned(cpu, addr, 16, false)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, addr, false);
        }
        out[0] = Lsu.read(cpu, mem, addr, 3, false);
        out[1] = Lsu.read(cpu, mem, addr + 8, 3, false);
    }

    private static void store(Cpu cpu, PhysicalMemory mem, long addr, int size, long lo, long hi) {
        if (size < 4) {
            Lsu.write(cpu, mem, addr, size, lo, false);
            return;
        }
        if (Lsu.misaligned(cpu, addr, 16, false)) {
            throw GuestFault.dataAbort(cpu, Syndrome.FSC_ALIGNMENT, addr, true);
        }
        Lsu.write(cpu, mem, addr, 3, lo, false);
        Lsu.write(cpu, mem, addr + 8, 3, hi, false);
    }

    private static void single(Cpu cpu, PhysicalMemory mem, Insn in, long pc) {
        long addr = Lsu.address(cpu, in, pc);
        long[] v = cpu.v;
        int t = in.rd(), size = in.size();
        if (in.op() == Op.FP_LDR) {
            long[] val = new long[2];
            load(cpu, mem, addr, size, val);
            v[2 * t] = val[0];
            v[2 * t + 1] = val[1];
        } else {
            store(cpu, mem, addr, size, v[2 * t], v[2 * t + 1]);
        }
        Lsu.writeback(cpu, in, addr);
    }

    private static void pair(Cpu cpu, PhysicalMemory mem, Insn in, long pc) {
        long addr = Lsu.address(cpu, in, pc);
        long[] v = cpu.v;
        int t = in.rd(), t2 = in.ra(), size = in.size();
        long step = 1L << size;
        if (in.op() == Op.FP_LDP) {
            long[] a = new long[2], b = new long[2];
            load(cpu, mem, addr, size, a);
            load(cpu, mem, addr + step, size, b);
            v[2 * t] = a[0];
            v[2 * t + 1] = a[1];
            v[2 * t2] = b[0];
            v[2 * t2 + 1] = b[1];
        } else {
            store(cpu, mem, addr, size, v[2 * t], v[2 * t + 1]);
            store(cpu, mem, addr + step, size, v[2 * t2], v[2 * t2 + 1]);
        }
        Lsu.writeback(cpu, in, addr);
    }

    /** Base address of a structure access (SP alignment checked as for any SP base). */
    private static long structBase(Cpu cpu, Insn in) {
        long base = cpu.x[in.rn()];
        if (in.rn() == 31) {
            Lsu.checkSp(cpu, base);
        }
        return base;
    }

    private static void structWriteback(Cpu cpu, Insn in, long base) {
        int m = in.rm();
        if (m == 32) {
            return;
        }
        cpu.x[in.rn()] = base + (m == 31 ? in.shift() : cpu.x[m]);
    }

    /** LD1-4/ST1-4 (multiple structures), element by element as the pseudocode orders them. */
    private static void multiple(Cpu cpu, PhysicalMemory mem, Insn in, long pc) {
        long base = structBase(cpu, in);
        long[] v = cpu.v;
        boolean load = in.op() == Op.SIMD_LD_MULT;
        int selem = in.amount(), regs = (int) in.imm(), rpt = regs / selem, size = in.size();
        int elements = (in.sf() ? 16 : 8) >> size;
        // Loads go to a copy so a fault leaves the registers untouched.
        long[] work = load ? v.clone() : v;
        long offs = 0;
        for (int r = 0; r < rpt; r++) {
            for (int e = 0; e < elements; e++) {
                int tt = (in.rd() + r) & 31;
                for (int s = 0; s < selem; s++) {
                    long addr = base + offs;
                    if (load) {
                        Lanes.set(work, tt, e, size, Lsu.read(cpu, mem, addr, size, false));
                    } else {
                        Lsu.write(cpu, mem, addr, size, Lanes.get(v, tt, e, size), false);
                    }
                    offs += 1L << size;
                    tt = (tt + 1) & 31;
                }
            }
        }
        if (load) {
            for (int k = 0; k < regs; k++) {
                int t = (in.rd() + k) & 31;
                setVector(v, t, in.sf(), work[2 * t], work[2 * t + 1]);
            }
        }
        structWriteback(cpu, in, base);
    }

    /** LD1-4/ST1-4 (single structure) and LD1R-LD4R. */
    private static void singleStructure(Cpu cpu, PhysicalMemory mem, Insn in, long pc) {
        long base = structBase(cpu, in);
        long[] v = cpu.v;
        int selem = in.amount(), size = in.size(), index = (int) in.imm();
        long step = 1L << size;
        if (in.op() == Op.SIMD_ST_ONE) {
            for (int s = 0; s < selem; s++) {
                Lsu.write(cpu, mem, base + s * step, size, Lanes.get(v, (in.rd() + s) & 31, index, size), false);
            }
        } else {
            long[] vals = new long[selem];
            for (int s = 0; s < selem; s++) {
                vals[s] = Lsu.read(cpu, mem, base + s * step, size, false);
            }
            for (int s = 0; s < selem; s++) {
                int t = (in.rd() + s) & 31;
                if (in.has(Insn.FLAG_REPLICATE)) {
                    long r = Lanes.replicate(vals[s], size);
                    setVector(v, t, in.sf(), r, r);
                } else {
                    Lanes.set(v, t, index, size, vals[s]);
                }
            }
        }
        structWriteback(cpu, in, base);
    }
}
