package dev.a64trap.decode;

import static dev.a64trap.decode.Insn.*;

/**
 * Renders {@link Insn} records in GNU objdump (binutils 2.40) syntax: the text after the hex word,
 * mnemonic and operands separated by a tab, aliases chosen as objdump chooses them. Each table row
 * names its syntax method here.
 */
public final class Disassembler {
    private Disassembler() {}

    /** Renders a branch or literal target address. */
    @FunctionalInterface
    public interface AddressFormat {
        String format(long address);
    }

    /** Bare addresses, as objdump prints them for raw binaries ({@code 0x1bc}). */
    public static final AddressFormat RAW = a -> "0x" + Long.toHexString(a);

    /** The instruction text as objdump prints it after the word, for the instruction at {@code pc}. */
    public static String format(Insn insn, long pc) {
        return format(insn, pc, RAW);
    }

    /** As {@link #format(Insn, long)} with targets rendered by {@code addr} (e.g. with symbols). */
    public static String format(Insn insn, long pc, AddressFormat addr) {
        Pattern p = Decoder.pattern(insn);
        if (p == null) {
            return String.format(".inst\t0x%08x ; undefined", insn.word());
        }
        return p.syntax().print(insn, p, pc, addr);
    }

    // ---- operand helpers

    static String r(int n, boolean x) {
        return n == 31 ? (x ? "xzr" : "wzr") : (x ? "x" : "w") + n;
    }

    static String rsp(int n, boolean x) {
        return n == 31 ? (x ? "sp" : "wsp") : (x ? "x" : "w") + n;
    }

    static String hex(long v) {
        return "#0x" + Long.toHexString(v);
    }

    private static final String[] CONDS = {
        "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};
    /** objdump's other names for each condition (printed as a comment). */
    private static final String[][] COND_ALIASES = {
        {"none"}, {"any"}, {"hs", "nlast"}, {"lo", "ul", "last"}, {"first"}, {"nfrst"}, {}, {},
        {"pmore"}, {"plast"}, {"tcont"}, {"tstop"}, {}, {}, {}, {}};

    /** "cond" plus objdump's trailing comment ("\t// ne = any") where the condition has aliases. */
    static String cond(int c) {
        String[] a = COND_ALIASES[c];
        return a.length == 0 ? CONDS[c] : CONDS[c] + "\t// " + CONDS[c] + " = " + String.join(", ", a);
    }

    private static final String[] SHIFTS = {"lsl", "lsr", "asr", "ror"};

    private static String shift(Insn i) {
        return i.shift() == SHIFT_LSL && i.amount() == 0 ? "" : ", " + SHIFTS[i.shift()] + " #" + i.amount();
    }

    /** objdump's MOV-immediate operand: hex padded to 20 columns, then the decimal as a comment. */
    private static String movImm(Insn i, String rd, long value) {
        if (i.sf()) {
            return "mov\t" + rd + ", " + String.format("#0x%-20x", value) + "\t// #" + value;
        }
        int v = (int) value;
        return "mov\t" + rd + ", " + String.format("#0x%-20x", v) + "\t// #" + v;
    }

    /** binutils' aarch64_wide_constant_p: value is one 16-bit chunk (movz-encodable). */
    static boolean wideConstant(long value, boolean is32) {
        if (is32) {
            long hi = value >>> 32;
            if (hi != 0 && hi != 0xffffffffL) {
                return false;
            }
            value &= 0xffffffffL;
        }
        for (int sh = 0; sh < (is32 ? 32 : 64); sh += 16) {
            if ((value & (0xffffL << sh)) == value) {
                return true;
            }
        }
        return false;
    }

    // ---- data processing, immediate

    static String adr(Insn i, Pattern p, long pc, AddressFormat a) {
        long base = i.op() == Op.ADRP ? pc & ~0xfffL : pc;
        return p.mnemonic() + "\t" + r(i.rd(), true) + ", " + a.format(base + i.imm());
    }

    static String addSubImm(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf(), s = i.setsFlags();
        String imm = hex(i.imm() >>> i.amount()) + (i.amount() != 0 ? ", lsl #12" : "");
        if (!s && i.op() == Op.ADD_IMM && i.imm() == 0 && i.amount() == 0 && (i.rd() == 31 || i.rn() == 31)) {
            return "mov\t" + rsp(i.rd(), x) + ", " + rsp(i.rn(), x);
        }
        if (s && i.rd() == 31) {
            return (i.op() == Op.ADD_IMM ? "cmn" : "cmp") + "\t" + rsp(i.rn(), x) + ", " + imm;
        }
        String rd = s ? r(i.rd(), x) : rsp(i.rd(), x);
        return p.mnemonic() + "\t" + rd + ", " + rsp(i.rn(), x) + ", " + imm;
    }

    static String logicImm(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf(), s = i.setsFlags();
        if (s && i.rd() == 31) {
            return "tst\t" + r(i.rn(), x) + ", " + hex(i.imm());
        }
        if (i.op() == Op.ORR_IMM && i.rn() == 31) {
            long v = i.imm(); // zero-extended for the 32-bit form, as binutils holds it
            boolean wide = wideConstant(v, !x) || wideConstant(~v, !x);
            if (!(i.rd() != 31 && wide)) {
                return movImm(i, rsp(i.rd(), x), v);
            }
        }
        String rd = s ? r(i.rd(), x) : rsp(i.rd(), x);
        return p.mnemonic() + "\t" + rd + ", " + r(i.rn(), x) + ", " + hex(i.imm());
    }

    static String moveWide(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        String rd = r(i.rd(), x);
        if (i.op() != Op.MOVK && !(i.imm() == 0 && i.amount() != 0)) {
            long v = i.imm() << i.amount();
            if (i.op() == Op.MOVZ) {
                return movImm(i, rd, v);
            }
            v = ~v;
            if (!wideConstant(v, !x)) {
                return movImm(i, rd, v);
            }
        }
        return p.mnemonic() + "\t" + rd + ", " + hex(i.imm()) + (i.amount() != 0 ? ", lsl #" + i.amount() : "");
    }

    /** ARM's BFXPreferred: whether SBFM/UBFM print as sbfx/ubfx. */
    private static boolean bfxPreferred(boolean sf, boolean uns, int imms, int immr) {
        if (imms < immr || imms == (sf ? 63 : 31)) {
            return false;
        }
        if (immr == 0) {
            if (!sf && (imms == 7 || imms == 15)) {
                return false;
            }
            if (sf && !uns && (imms == 7 || imms == 15 || imms == 31)) {
                return false;
            }
        }
        return true;
    }

    static String sbfm(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        int immr = (int) i.imm(), imms = i.amount(), size = x ? 64 : 32;
        String rd = r(i.rd(), x), rn = r(i.rn(), x);
        if (imms == size - 1) {
            return "asr\t" + rd + ", " + rn + ", #" + immr;
        }
        if (imms < immr) {
            return "sbfiz\t" + rd + ", " + rn + ", #" + (size - immr) + ", #" + (imms + 1);
        }
        if (bfxPreferred(x, false, imms, immr)) {
            return "sbfx\t" + rd + ", " + rn + ", #" + immr + ", #" + (imms - immr + 1);
        }
        String ext = imms == 7 ? "sxtb" : imms == 15 ? "sxth" : "sxtw";
        return ext + "\t" + rd + ", " + r(i.rn(), false);
    }

    static String ubfm(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        int immr = (int) i.imm(), imms = i.amount(), size = x ? 64 : 32;
        String rd = r(i.rd(), x), rn = r(i.rn(), x);
        if (imms != size - 1 && imms + 1 == immr) {
            return "lsl\t" + rd + ", " + rn + ", #" + (size - 1 - imms);
        }
        if (imms == size - 1) {
            return "lsr\t" + rd + ", " + rn + ", #" + immr;
        }
        if (imms < immr) {
            return "ubfiz\t" + rd + ", " + rn + ", #" + (size - immr) + ", #" + (imms + 1);
        }
        if (bfxPreferred(x, true, imms, immr)) {
            return "ubfx\t" + rd + ", " + rn + ", #" + immr + ", #" + (imms - immr + 1);
        }
        return (imms == 7 ? "uxtb" : "uxth") + "\t" + rd + ", " + r(i.rn(), false);
    }

    static String bfm(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        int immr = (int) i.imm(), imms = i.amount(), size = x ? 64 : 32;
        String rd = r(i.rd(), x);
        if (imms < immr) {
            String tail = "#" + (size - immr) + ", #" + (imms + 1);
            return i.rn() == 31 ? "bfc\t" + rd + ", " + tail : "bfi\t" + rd + ", " + r(i.rn(), x) + ", " + tail;
        }
        return "bfxil\t" + rd + ", " + r(i.rn(), x) + ", #" + immr + ", #" + (imms - immr + 1);
    }

    static String extr(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        if (i.rn() == i.rm()) {
            return "ror\t" + r(i.rd(), x) + ", " + r(i.rn(), x) + ", #" + i.imm();
        }
        return "extr\t" + r(i.rd(), x) + ", " + r(i.rn(), x) + ", " + r(i.rm(), x) + ", #" + i.imm();
    }

    // ---- branches, exceptions, system

    static String branchImm(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + a.format(pc + i.imm());
    }

    static String branchCond(Insn i, Pattern p, long pc, AddressFormat a) {
        int c = i.cond();
        StringBuilder b = new StringBuilder("b.").append(CONDS[c]).append('\t').append(a.format(pc + i.imm()));
        String[] al = COND_ALIASES[c];
        for (int k = 0; k < al.length; k++) {
            b.append(k == 0 ? "  // b." : ", b.").append(al[k]);
        }
        return b.toString();
    }

    static String compareBranch(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + r(i.rd(), i.sf()) + ", " + a.format(pc + i.imm());
    }

    static String testBranch(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + r(i.rd(), i.sf()) + ", #" + i.amount() + ", " + a.format(pc + i.imm());
    }

    static String branchReg(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + r(i.rn(), true);
    }

    static String ret(Insn i, Pattern p, long pc, AddressFormat a) {
        return i.rn() == 30 ? "ret" : "ret\t" + r(i.rn(), true);
    }

    static String bare(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic();
    }

    static String exception(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + (i.op() == Op.UNDEFINED ? "#" + i.imm() : hex(i.imm()));
    }

    static String msrImm(Insn i, Pattern p, long pc, AddressFormat a) {
        String field = i.imm() == 0x05 ? "spsel" : i.imm() == 0x1e ? "daifset" : "daifclr";
        return "msr\t" + field + ", " + hex(i.amount());
    }

    static String hint(Insn i, Pattern p, long pc, AddressFormat a) {
        return SysNames.hint((int) i.imm());
    }

    private static final String[] BARRIER_OPTIONS = {
        null, "oshld", "oshst", "osh", null, "nshld", "nshst", "nsh",
        null, "ishld", "ishst", "ish", null, "ld", "st", "sy"};

    static String barrier(Insn i, Pattern p, long pc, AddressFormat a) {
        int crm = (int) i.imm();
        switch (i.op()) {
            case CLREX:
            case ISB:
                return crm == 15 ? p.mnemonic() : p.mnemonic() + "\t" + hex(crm);
            case DSB:
                if (crm == 0) {
                    return "ssbb";
                }
                if (crm == 4) {
                    return "pssbb";
                }
                // fall through
            default:
                String o = BARRIER_OPTIONS[crm];
                return p.mnemonic() + "\t" + (o != null ? o : String.format("#0x%02x", crm));
        }
    }

    private static String sysFields(int enc) {
        return "#" + ((enc >>> 11) & 7) + ", C" + ((enc >>> 7) & 15) + ", C" + ((enc >>> 3) & 15) + ", #" + (enc & 7);
    }

    static String sys(Insn i, Pattern p, long pc, AddressFormat a) {
        int enc = (int) i.imm();
        SysNames.SysOp op = SysNames.sysOp(enc);
        if (op != null) {
            return op.mnemonic() + "\t" + op.operation() + (op.takesXt() ? ", " + r(i.rd(), true) : "");
        }
        return "sys\t" + sysFields(enc) + (i.rd() != 31 ? ", " + r(i.rd(), true) : "");
    }

    static String sysl(Insn i, Pattern p, long pc, AddressFormat a) {
        return "sysl\t" + r(i.rd(), true) + ", " + sysFields((int) i.imm());
    }

    static String msrReg(Insn i, Pattern p, long pc, AddressFormat a) {
        return "msr\t" + SysNames.sysreg((int) i.imm(), false) + ", " + r(i.rd(), true);
    }

    static String mrs(Insn i, Pattern p, long pc, AddressFormat a) {
        return "mrs\t" + r(i.rd(), true) + ", " + SysNames.sysreg((int) i.imm(), true);
    }

    // ---- data processing, register

    static String logicReg(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        String rd = r(i.rd(), x), rn = r(i.rn(), x), rm = r(i.rm(), x);
        if (i.op() == Op.ORR_REG && i.rn() == 31 && i.shift() == SHIFT_LSL && i.amount() == 0) {
            return "mov\t" + rd + ", " + rm;
        }
        if (i.op() == Op.ORN_REG && i.rn() == 31) {
            return "mvn\t" + rd + ", " + rm + shift(i);
        }
        if (i.op() == Op.AND_REG && i.setsFlags() && i.rd() == 31) {
            return "tst\t" + rn + ", " + rm + shift(i);
        }
        return p.mnemonic() + "\t" + rd + ", " + rn + ", " + rm + shift(i);
    }

    static String addSubShifted(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf(), s = i.setsFlags(), add = i.op() == Op.ADD_SREG;
        String rd = r(i.rd(), x), rn = r(i.rn(), x), rm = r(i.rm(), x);
        if (s && i.rd() == 31) {
            return (add ? "cmn" : "cmp") + "\t" + rn + ", " + rm + shift(i);
        }
        if (!add && i.rn() == 31) {
            return (s ? "negs" : "neg") + "\t" + rd + ", " + rm + shift(i);
        }
        return p.mnemonic() + "\t" + rd + ", " + rn + ", " + rm + shift(i);
    }

    private static final String[] EXTENDS = {"uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"};

    static String addSubExtended(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf(), s = i.setsFlags(), add = i.op() == Op.ADD_EREG;
        int opt = i.shift();
        boolean rmX = x && (opt & 3) == 3;
        boolean alias = s && i.rd() == 31;
        // objdump prefers "lsl" when the first printed operand or (3-operand form) Rn is SP
        boolean sp = alias ? i.rn() == 31 : (!s && i.rd() == 31) || i.rn() == 31;
        String ext;
        if (sp && opt == (x ? EXT_UXTX : EXT_UXTW)) {
            ext = i.amount() == 0 ? "" : ", lsl #" + i.amount();
        } else {
            ext = ", " + EXTENDS[opt] + (i.amount() == 0 ? "" : " #" + i.amount());
        }
        String rm = r(i.rm(), rmX);
        if (alias) {
            return (add ? "cmn" : "cmp") + "\t" + rsp(i.rn(), x) + ", " + rm + ext;
        }
        String rd = s ? r(i.rd(), x) : rsp(i.rd(), x);
        return p.mnemonic() + "\t" + rd + ", " + rsp(i.rn(), x) + ", " + rm + ext;
    }

    static String adcSbc(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        if (i.op() == Op.SBC && i.rn() == 31) {
            return (i.setsFlags() ? "ngcs" : "ngc") + "\t" + r(i.rd(), x) + ", " + r(i.rm(), x);
        }
        return threeReg(i, p, pc, a);
    }

    static String condCompare(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        boolean imm = i.op() == Op.CCMN_IMM || i.op() == Op.CCMP_IMM;
        String second = imm ? hex(i.amount()) : r(i.rm(), x);
        return p.mnemonic() + "\t" + r(i.rn(), x) + ", " + second + ", " + hex(i.imm()) + ", " + cond(i.cond());
    }

    static String condSelect(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        int c = i.cond();
        String rd = r(i.rd(), x), rn = r(i.rn(), x);
        if (c < 14 && i.rn() == i.rm()) {
            String inv = cond(c ^ 1);
            switch (i.op()) {
                case CSINC:
                    return i.rn() == 31 ? "cset\t" + rd + ", " + inv : "cinc\t" + rd + ", " + rn + ", " + inv;
                case CSINV:
                    return i.rn() == 31 ? "csetm\t" + rd + ", " + inv : "cinv\t" + rd + ", " + rn + ", " + inv;
                case CSNEG:
                    return "cneg\t" + rd + ", " + rn + ", " + inv;
                default:
                    break;
            }
        }
        return p.mnemonic() + "\t" + rd + ", " + rn + ", " + r(i.rm(), x) + ", " + cond(c);
    }

    static String threeReg(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        return p.mnemonic() + "\t" + r(i.rd(), x) + ", " + r(i.rn(), x) + ", " + r(i.rm(), x);
    }

    static String twoReg(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        return p.mnemonic() + "\t" + r(i.rd(), x) + ", " + r(i.rn(), x);
    }

    static String crc32(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = "crc32" + (i.has(FLAG_CRC32C) ? "c" : "") + "bhwx".charAt(i.size());
        return mn + "\t" + r(i.rd(), false) + ", " + r(i.rn(), false) + ", " + r(i.rm(), i.size() == 3);
    }

    static String mulAdd(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        String ops = r(i.rd(), x) + ", " + r(i.rn(), x) + ", " + r(i.rm(), x);
        if (i.ra() == 31) {
            return (i.op() == Op.MADD ? "mul" : "mneg") + "\t" + ops;
        }
        return p.mnemonic() + "\t" + ops + ", " + r(i.ra(), x);
    }

    static String mulAddLong(Insn i, Pattern p, long pc, AddressFormat a) {
        String ops = r(i.rd(), true) + ", " + r(i.rn(), false) + ", " + r(i.rm(), false);
        if (i.ra() == 31) {
            String alias = switch (i.op()) {
                case SMADDL -> "smull";
                case SMSUBL -> "smnegl";
                case UMADDL -> "umull";
                default -> "umnegl";
            };
            return alias + "\t" + ops;
        }
        return p.mnemonic() + "\t" + ops + ", " + r(i.ra(), true);
    }

    // ---- loads and stores

    private static final String[] PRF_TYPE = {"pld", "pli", "pst"};

    static String prfop(int op) {
        int type = op >>> 3, target = (op >>> 1) & 3;
        if (type == 3 || target == 3) {
            return String.format("#0x%02x", op);
        }
        return PRF_TYPE[type] + "l" + (target + 1) + ((op & 1) == 0 ? "keep" : "strm");
    }

    static String literal(Insn i, Pattern p, long pc, AddressFormat a) {
        String rt = i.op() == Op.PRFM ? prfop(i.rd()) : r(i.rd(), i.sf());
        return p.mnemonic() + "\t" + rt + ", " + a.format(pc + i.imm());
    }

    private static final String[] SIZE_SUFFIX = {"b", "h", "", ""};

    private static String base(Insn i) {
        return "[" + rsp(i.rn(), true) + "]";
    }

    static String storeExclusive(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = (i.has(FLAG_RELEASE) ? "stlxr" : "stxr") + SIZE_SUFFIX[i.size()];
        return mn + "\t" + r(i.rm(), false) + ", " + r(i.rd(), i.sf()) + ", " + base(i);
    }

    static String loadExclusive(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = (i.has(FLAG_ACQUIRE) ? "ldaxr" : "ldxr") + SIZE_SUFFIX[i.size()];
        return mn + "\t" + r(i.rd(), i.sf()) + ", " + base(i);
    }

    static String storeExclusivePair(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = i.has(FLAG_RELEASE) ? "stlxp" : "stxp";
        return mn + "\t" + r(i.rm(), false) + ", " + r(i.rd(), i.sf()) + ", " + r(i.ra(), i.sf()) + ", " + base(i);
    }

    static String loadExclusivePair(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = i.has(FLAG_ACQUIRE) ? "ldaxp" : "ldxp";
        return mn + "\t" + r(i.rd(), i.sf()) + ", " + r(i.ra(), i.sf()) + ", " + base(i);
    }

    static String ordered(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + SIZE_SUFFIX[i.size()] + "\t" + r(i.rd(), i.sf()) + ", " + base(i);
    }

    private static String order(Insn i) {
        return (i.has(FLAG_ACQUIRE) ? "a" : "") + (i.has(FLAG_RELEASE) ? "l" : "");
    }

    static String cas(Insn i, Pattern p, long pc, AddressFormat a) {
        return "cas" + order(i) + SIZE_SUFFIX[i.size()] + "\t" + r(i.rm(), i.sf()) + ", " + r(i.rd(), i.sf()) + ", "
                + base(i);
    }

    static String casPair(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        return "casp" + order(i) + "\t" + r(i.rm(), x) + ", " + r(i.rm() + 1, x) + ", " + r(i.rd(), x) + ", "
                + r(i.rd() + 1, x) + ", " + base(i);
    }

    static String address(Insn i) {
        String rn = rsp(i.rn(), true);
        return switch (i.mode()) {
            case MODE_PRE -> "[" + rn + ", #" + i.imm() + "]!";
            case MODE_POST -> "[" + rn + "], #" + i.imm();
            default -> i.imm() == 0 ? "[" + rn + "]" : "[" + rn + ", #" + i.imm() + "]";
        };
    }

    static String pair(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        return p.mnemonic() + "\t" + r(i.rd(), x) + ", " + r(i.ra(), x) + ", " + address(i);
    }

    static String loadStore(Insn i, Pattern p, long pc, AddressFormat a) {
        String rt = i.op() == Op.PRFM ? prfop(i.rd()) : r(i.rd(), i.sf());
        return p.mnemonic() + "\t" + rt + ", " + address(i);
    }

    static String loadStoreReg(Insn i, Pattern p, long pc, AddressFormat a) {
        String rt = i.op() == Op.PRFM ? prfop(i.rd()) : r(i.rd(), i.sf());
        return p.mnemonic() + "\t" + rt + ", " + registerOffset(i);
    }

    /** The register-offset address operand: {@code [xn, xm{, lsl #size}]} or with an extend. */
    static String registerOffset(Insn i) {
        int opt = i.shift();
        boolean s = ((i.word() >>> 12) & 1) == 1;
        String ext;
        if (opt == EXT_UXTX) {
            ext = s ? ", lsl #" + i.size() : "";
        } else {
            ext = ", " + EXTENDS[opt] + (s ? " #" + i.size() : "");
        }
        return "[" + rsp(i.rn(), true) + ", " + r(i.rm(), (opt & 1) == 1) + ext + "]";
    }

    static String atomic(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean x = i.sf();
        String suffix = SIZE_SUFFIX[i.size()];
        if (i.op() != Op.SWP && i.rd() == 31 && !i.has(FLAG_ACQUIRE)) {
            String st = "st" + p.mnemonic().substring(2) + (i.has(FLAG_RELEASE) ? "l" : "") + suffix;
            return st + "\t" + r(i.rm(), x) + ", " + base(i);
        }
        return p.mnemonic() + order(i) + suffix + "\t" + r(i.rm(), x) + ", " + r(i.rd(), x) + ", " + base(i);
    }
}
