package dev.a64trap.exec;

import dev.a64trap.decode.Insn;
import dev.a64trap.sysreg.SysReg;

/** Tests in other packages build {@link Block}s by hand through this. */
public final class BlockAccess {
    private BlockAccess() {
    }

    public static Block block(long pc, Insn[] insns, SysReg sysReg) {
        return new Block(pc, insns, sysReg);
    }
}
