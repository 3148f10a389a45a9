package dev.a64trap.gdb;

import java.util.Objects;

/**
 * One system register as the debugger sees it: its architectural name (e.g. {@code PMCCNTR_EL0})
 * and its MRS/MSR encoding. All system registers are 64 bits wide in gdb.
 */
public record SysRegInfo(String name, int op0, int op1, int crn, int crm, int op2) {
    public SysRegInfo {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
            throw new IllegalArgumentException("system register name must be [A-Za-z0-9_]+: '" + name + "'");
        }
    }

    /** The encoding in the S3_1_C15_C2_0 form, for listings. */
    public String encoding() {
        return "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2;
    }
}
