package dev.a64trap.gdb;

import java.util.List;

/**
 * The target description gdb reads with qXfer:features:read:target.xml: gdb's
 * org.gnu.gdb.aarch64.core feature (x0-x30, sp, pc, cpsr = remote registers 0-33) and a
 * system-register feature with one 64-bit register per entry of the target's list, numbered
 * from 34 in list order.
 */
final class TargetXml {
    static final String SYSREG_FEATURE = "dev.a64trap.aarch64.sysregs";

    /** PSTATE fields as cpsr shows them (name, first bit, last bit), as gdb's own aarch64-core.xml. */
    private static final Object[][] CPSR_FIELDS = {
        {"SP", 0, 0}, {"EL", 2, 3}, {"nRW", 4, 4}, {"F", 6, 6}, {"I", 7, 7}, {"A", 8, 8}, {"D", 9, 9},
        {"BTYPE", 10, 11}, {"SSBS", 12, 12}, {"IL", 20, 20}, {"SS", 21, 21}, {"PAN", 22, 22},
        {"UAO", 23, 23}, {"DIT", 24, 24}, {"TCO", 25, 25}, {"V", 28, 28}, {"C", 29, 29}, {"Z", 30, 30},
        {"N", 31, 31},
    };

    private TargetXml() {}

    static String build(List<SysRegInfo> sysregs) {
        StringBuilder sb = new StringBuilder(4096 + sysregs.size() * 80);
        sb.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        sb.append("  <architecture>aarch64</architecture>\n");
        sb.append("  <feature name=\"org.gnu.gdb.aarch64.core\">\n");
        sb.append("    <flags id=\"cpsr_flags\" size=\"4\">\n");
        for (Object[] f : CPSR_FIELDS) {
            sb.append("      <field name=\"").append(f[0]).append("\" start=\"").append(f[1])
                    .append("\" end=\"").append(f[2]).append("\"/>\n");
        }
        sb.append("    </flags>\n");
        for (int i = 0; i <= 30; i++) reg(sb, "x" + i, 64, "int", i, null);
        reg(sb, "sp", 64, "data_ptr", DebugTarget.SP, null);
        reg(sb, "pc", 64, "code_ptr", DebugTarget.PC, null);
        reg(sb, "cpsr", 32, "cpsr_flags", DebugTarget.CPSR, null);
        sb.append("  </feature>\n");
        if (!sysregs.isEmpty()) {
            sb.append("  <feature name=\"").append(SYSREG_FEATURE).append("\">\n");
            for (int i = 0; i < sysregs.size(); i++) {
                reg(sb, sysregs.get(i).name(), 64, "uint64", DebugTarget.CORE_REGISTERS + i, "system");
            }
            sb.append("  </feature>\n");
        }
        sb.append("</target>\n");
        return sb.toString();
    }

    private static void reg(StringBuilder sb, String name, int bits, String type, int regnum, String group) {
        // names are [A-Za-z0-9_]+ (checked by SysRegInfo), so no XML escaping is needed
        sb.append("    <reg name=\"").append(name).append("\" bitsize=\"").append(bits)
                .append("\" type=\"").append(type).append("\" regnum=\"").append(regnum).append('"');
        if (group != null) sb.append(" group=\"").append(group).append('"');
        sb.append("/>\n");
    }
}
