package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.decode.Insn;
import dev.a64trap.fp.FpStatus;
import dev.a64trap.fp.Lanes;
import dev.a64trap.fp.SoftFloat;

/** The scalar FP data-processing groups: operands from V registers, semantics from {@link SoftFloat}. */
final class FpScalarOps {
    private FpScalarOps() {}

    /** FP_1SRC opcodes 8..15 (FRINT*): the rounding mode, -1 = FPCR's; 13 is unallocated. */
    private static final int[] FRINT_MODE = {SoftFloat.RN, SoftFloat.RP, SoftFloat.RM, SoftFloat.RZ, SoftFloat.RA, 0, -1, -1};

    static void exec(Cpu cpu, Insn in) {
        long[] v = cpu.v;
        FpStatus st = cpu.sys.fp;
        int size = in.size();
        long n = v[2 * in.rn()], m = v[2 * (in.rm() & 31)];
        switch (in.op()) {
            case FMOV_IMM -> Lanes.setScalar(v, in.rd(), size, in.imm());
            case FP_2SRC -> Lanes.setScalar(v, in.rd(), size, twoSource((int) in.imm(), n, m, size, st));
            case FP_1SRC -> Lanes.setScalar(v, in.rd(), in.amount(), oneSource((int) in.imm(), n, size, in.amount(), st));
            case FP_3SRC -> {
                long a = v[2 * in.ra()];
                int o = (int) in.imm();
                if ((o & 2) != 0) {
                    a = SoftFloat.neg(a, size); // FNMADD, FNMSUB negate the addend
                }
                if (o == 1 || o == 2) {
                    n = SoftFloat.neg(n, size); // FMSUB, FNMADD negate the product
                }
                Lanes.setScalar(v, in.rd(), size, SoftFloat.mulAdd(a, n, m, size, st));
            }
            case FP_CMP -> cpu.nzcv = SoftFloat.compare(n, in.rm() == 32 ? 0 : m, size,
                    in.has(Insn.FLAG_SIGNALING), st);
            case FP_CCMP -> cpu.nzcv = Alu.condHolds(in.cond(), cpu.nzcv)
                    ? SoftFloat.compare(n, m, size, in.has(Insn.FLAG_SIGNALING), st) : (int) in.imm();
            case FP_CSEL -> Lanes.setScalar(v, in.rd(), size, Alu.condHolds(in.cond(), cpu.nzcv) ? n : m);
            case FP_CVT_INT -> convert(cpu, in, st);
            default -> throw new IllegalStateException(in.op().name());
        }
    }

    static long twoSource(int opcode, long n, long m, int size, FpStatus st) {
        return switch (opcode) {
            case 0 -> SoftFloat.mul(n, m, size, st);
            case 1 -> SoftFloat.div(n, m, size, st);
            case 2 -> SoftFloat.add(n, m, size, st);
            case 3 -> SoftFloat.sub(n, m, size, st);
            case 4 -> SoftFloat.maxMin(n, m, true, false, size, st);
            case 5 -> SoftFloat.maxMin(n, m, false, false, size, st);
            case 6 -> SoftFloat.maxMin(n, m, true, true, size, st);
            case 7 -> SoftFloat.maxMin(n, m, false, true, size, st);
            default -> SoftFloat.neg(SoftFloat.mul(n, m, size, st), size); // FNMUL
        };
    }

    static long oneSource(int opcode, long n, int size, int dst, FpStatus st) {
        return switch (opcode) {
            case 0 -> n;
            case 1 -> SoftFloat.abs(n, size);
            case 2 -> SoftFloat.neg(n, size);
            case 3 -> SoftFloat.sqrt(n, size, st);
            case 4, 5, 6, 7 -> SoftFloat.convert(n, size, dst, st);
            default -> {
                int mode = FRINT_MODE[opcode - 8];
                yield SoftFloat.roundInt(n, size, mode < 0 ? st.rmode() : mode, opcode == 14, st);
            }
        };
    }

    /** FCVT[NPMZA][SU], SCVTF, UCVTF (integer and fixed-point forms). */
    private static void convert(Cpu cpu, Insn in, FpStatus st) {
        int rmode = (int) in.imm() >> 3, opcode = (int) in.imm() & 7, size = in.size();
        int intBits = in.sf() ? 64 : 32, fbits = in.amount();
        boolean unsigned = (opcode & 1) != 0;
        if (opcode == 2 || opcode == 3) {
            long x = in.rn() == 31 ? 0 : cpu.x[in.rn()];
            Lanes.setScalar(cpu.v, in.rd(), size, SoftFloat.fromFixed(x, intBits, unsigned, fbits, size, st));
            return;
        }
        int mode = opcode >= 4 ? SoftFloat.RA : rmode; // FCVTN/P/M/Z: rmode 0..3 are RN, RP, RM, RZ
        long r = SoftFloat.toFixed(cpu.v[2 * in.rn()], size, fbits, unsigned, intBits, mode, st);
        if (in.rd() != 31) {
            cpu.x[in.rd()] = r;
        }
    }
}
