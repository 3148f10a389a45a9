package dev.a64trap.exec;

import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;

/** Test builder for hand-made {@link Insn} records (field meanings as documented on Insn/Op). */
final class I {
    private Op op;
    private boolean sf = true;
    private int rd, rn, rm, ra, amount, shift, cond, size = 3, mode, flags;
    private long imm;

    static I op(Op op) {
        I b = new I();
        b.op = op;
        return b;
    }

    I w() { sf = false; return this; }
    I rd(int v) { rd = v; return this; }
    I rn(int v) { rn = v; return this; }
    I rm(int v) { rm = v; return this; }
    I ra(int v) { ra = v; return this; }
    I imm(long v) { imm = v; return this; }
    I amount(int v) { amount = v; return this; }
    I shift(int v) { shift = v; return this; }
    I cond(int v) { cond = v; return this; }
    I size(int v) { size = v; return this; }
    I mode(int v) { mode = v; return this; }
    I flags(int v) { flags |= v; return this; }
    I s() { return flags(Insn.FLAG_SETFLAGS); }

    Insn build() {
        return new Insn(0, op, op.name(), sf, rd, rn, rm, ra, imm, amount, shift, cond, size, mode, flags);
    }
}
