package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.sysreg.BaseSysRegs;
import java.util.ArrayList;
import java.util.List;

/**
 * Test rig: places hand-built instructions in RAM as tokens (word = 0xA64_0000 + index) that a
 * custom decoder maps back to the records, so programs run through the real block loop.
 */
final class Rig {
    static final long CODE = TestMemory.BASE;
    static final long DATA = TestMemory.BASE + 0x10000;
    static final long VBAR = TestMemory.BASE + 0x8000;
    static final int TOKEN = 0x0A640000;

    final TestMemory mem = new TestMemory(1 << 20);
    final List<Insn> table = new ArrayList<>();
    final Cpu cpu;
    final Interpreter interp;
    Platform platform = Platform.NONE;

    Rig() {
        this(false);
    }

    Rig(boolean lse) {
        cpu = new Cpu(BaseSysRegs.cortexA57Table(lse), lse);
        cpu.pc = CODE;
        interp = new Interpreter(cpu, mem, new Platform() {
            @Override
            public int semihosting(Cpu c) {
                return platform.semihosting(c);
            }

            @Override
            public int hvc(Cpu c, int imm) {
                return platform.hvc(c, imm);
            }

            @Override
            public int smc(Cpu c, int imm) {
                return platform.smc(c, imm);
            }
        }, null, this::decode);
    }

    private Insn decode(int word) {
        int i = word - TOKEN;
        return i >= 0 && i < table.size() ? table.get(i)
                : new Insn(word, Op.UNDEFINED, "UNDEFINED", false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Writes the instructions at {@code address}. */
    Rig at(long address, I... insns) {
        for (int k = 0; k < insns.length; k++) {
            table.add(insns[k].build());
            mem.write(address + 4L * k, 4, TOKEN + table.size() - 1);
        }
        return this;
    }

    /** Writes one already-decoded instruction (e.g. from the real decoder) at {@code address}. */
    Rig at(long address, Insn insn) {
        table.add(insn);
        mem.write(address, 4, TOKEN + table.size() - 1);
        return this;
    }

    Rig code(I... insns) {
        return at(CODE, insns);
    }

    /** Installs VBAR_EL1 with an HLT-free "park" at every vector: a B . loop. */
    Rig vectors() {
        cpu.sys.vbar = VBAR;
        for (int v = 0; v < 16; v++) {
            at(VBAR + 0x80L * v, I.op(Op.B).imm(0));
        }
        return this;
    }

    Stop run(long maxInsns) {
        return interp.run(maxInsns);
    }

    long x(int n) {
        return cpu.x[n];
    }
}
