package dev.a64trap.gdb;

import java.util.List;

/**
 * The target description gdb reads with qXfer:features:read:target.xml: gdb's
 * org.gnu.gdb.aarch64.core feature (x0-x30, sp, pc, cpsr = remote registers 0-33), for a target
 * with SIMD&FP registers gdb's org.gnu.gdb.aarch64.fpu feature (v0-v31, fpsr, fpcr = 34-67, the
 * union types as gdb's own aarch64-fpu.xml), and a system-register feature with one 64-bit
 * register per entry of the target's list, numbered after those in list order.
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

    /** gdb's aarch64-fpu.xml vector types: element type per view, then the unions gdb expects. */
    private static final String FPU_TYPES = String.join("\n",
            "    <vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>",
            "    <vector id=\"v2u\" type=\"uint64\" count=\"2\"/>",
            "    <vector id=\"v2i\" type=\"int64\" count=\"2\"/>",
            "    <vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>",
            "    <vector id=\"v4u\" type=\"uint32\" count=\"4\"/>",
            "    <vector id=\"v4i\" type=\"int32\" count=\"4\"/>",
            "    <vector id=\"v8f\" type=\"ieee_half\" count=\"8\"/>",
            "    <vector id=\"v8u\" type=\"uint16\" count=\"8\"/>",
            "    <vector id=\"v8i\" type=\"int16\" count=\"8\"/>",
            "    <vector id=\"v8bf16\" type=\"bfloat16\" count=\"8\"/>",
            "    <vector id=\"v16u\" type=\"uint8\" count=\"16\"/>",
            "    <vector id=\"v16i\" type=\"int8\" count=\"16\"/>",
            "    <vector id=\"v1u\" type=\"uint128\" count=\"1\"/>",
            "    <vector id=\"v1i\" type=\"int128\" count=\"1\"/>",
            "    <union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/><field name=\"s\" type=\"v2i\"/></union>",
            "    <union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/><field name=\"s\" type=\"v4i\"/></union>",
            "    <union id=\"vnh\"><field name=\"bf\" type=\"v8bf16\"/><field name=\"f\" type=\"v8f\"/><field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>",
            "    <union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/></union>",
            "    <union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>",
            "    <union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/><field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"vnq\"/></union>",
            "");

    static String build(List<SysRegInfo> sysregs) {
        return build(sysregs, false);
    }

    /** With {@code fpu}: gdb's org.gnu.gdb.aarch64.fpu (v0-v31, fpsr, fpcr) from regnum 34, sysregs after it. */
    static String build(List<SysRegInfo> sysregs, boolean fpu) {
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
        int next = DebugTarget.CORE_REGISTERS;
        if (fpu) {
            sb.append("  <feature name=\"org.gnu.gdb.aarch64.fpu\">\n").append(FPU_TYPES);
            for (int i = 0; i < 32; i++) reg(sb, "v" + i, 128, "aarch64v", next++, "vector");
            reg(sb, "fpsr", 32, "int", next++, "float");
            reg(sb, "fpcr", 32, "int", next++, "float");
            sb.append("  </feature>\n");
        }
        if (!sysregs.isEmpty()) {
            sb.append("  <feature name=\"").append(SYSREG_FEATURE).append("\">\n");
            for (int i = 0; i < sysregs.size(); i++) {
                reg(sb, sysregs.get(i).name(), 64, "uint64", next + i, "system");
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
