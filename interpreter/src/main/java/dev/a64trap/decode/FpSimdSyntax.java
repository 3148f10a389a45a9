package dev.a64trap.decode;

import static dev.a64trap.decode.Disassembler.r;
import static dev.a64trap.decode.Insn.*;

import dev.a64trap.decode.Disassembler.AddressFormat;
import java.util.Locale;

/** GNU objdump (binutils 2.40) syntax of the SIMD&FP rows ({@link FpSimdTable}). */
final class FpSimdSyntax {
    private FpSimdSyntax() {}

    private static final String[] ARRANGEMENT = {"8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d"};

    /** Scalar register name: b/h/s/d/q by log2 bytes. */
    static String fr(int size, int n) {
        return "bhsdq".charAt(size) + Integer.toString(n);
    }

    static String arr(int size, boolean q) {
        return ARRANGEMENT[size * 2 + (q ? 1 : 0)];
    }

    static char elem(int size) {
        return "bhsd".charAt(size);
    }

    /** objdump's register list: a range for three or more ascending registers, else a comma list. */
    static String list(int first, int count, String suffix) {
        if (count > 2 && first + count - 1 <= 31) {
            return "{v" + first + suffix + "-v" + (first + count - 1) + suffix + "}";
        }
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < count; k++) {
            b.append(k == 0 ? "" : ", ").append('v').append((first + k) & 31).append(suffix);
        }
        return b.append('}').toString();
    }

    // ---- loads and stores

    static String literal(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + fr(i.size(), i.rd()) + ", " + a.format(pc + i.imm());
    }

    static String loadStore(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + fr(i.size(), i.rd()) + ", " + Disassembler.address(i);
    }

    static String loadStoreReg(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + fr(i.size(), i.rd()) + ", " + Disassembler.registerOffset(i);
    }

    static String pair(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\t" + fr(i.size(), i.rd()) + ", " + fr(i.size(), i.ra()) + ", " + Disassembler.address(i);
    }

    private static String structAddress(Insn i) {
        String base = "[" + Disassembler.rsp(i.rn(), true) + "]";
        if (i.rm() == 32) {
            return base;
        }
        return base + ", " + (i.rm() == 31 ? "#" + i.shift() : r(i.rm(), true));
    }

    static String multiple(Insn i, Pattern p, long pc, AddressFormat a) {
        String suffix = "." + arr(i.size(), i.sf());
        return p.mnemonic() + i.amount() + "\t" + list(i.rd(), (int) i.imm(), suffix) + ", " + structAddress(i);
    }

    static String singleStructure(Insn i, Pattern p, long pc, AddressFormat a) {
        if (i.has(FLAG_REPLICATE)) {
            return p.mnemonic() + i.amount() + "r\t" + list(i.rd(), i.amount(), "." + arr(i.size(), i.sf())) + ", "
                    + structAddress(i);
        }
        return p.mnemonic() + i.amount() + "\t" + list(i.rd(), i.amount(), "." + elem(i.size())) + "[" + i.imm() + "], "
                + structAddress(i);
    }

    // ---- copy and modified immediate

    private static String lane(int v, int size, long index) {
        return "v" + v + "." + elem(size) + "[" + index + "]";
    }

    static String dupElem(Insn i, Pattern p, long pc, AddressFormat a) {
        return "dup\tv" + i.rd() + "." + arr(i.size(), i.sf()) + ", " + lane(i.rn(), i.size(), i.imm());
    }

    static String dupGen(Insn i, Pattern p, long pc, AddressFormat a) {
        return "dup\tv" + i.rd() + "." + arr(i.size(), i.sf()) + ", " + r(i.rn(), i.size() == 3);
    }

    static String moveToGen(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean alias = i.op() == Op.SIMD_UMOV && i.size() >= 2;
        return (alias ? "mov" : p.mnemonic()) + "\t" + r(i.rd(), i.sf()) + ", " + lane(i.rn(), i.size(), i.imm());
    }

    static String insGen(Insn i, Pattern p, long pc, AddressFormat a) {
        return "mov\t" + lane(i.rd(), i.size(), i.imm()) + ", " + r(i.rn(), i.size() == 3);
    }

    static String insElem(Insn i, Pattern p, long pc, AddressFormat a) {
        return "mov\t" + lane(i.rd(), i.size(), i.imm()) + ", " + lane(i.rn(), i.size(), i.amount());
    }

    static String dupScalar(Insn i, Pattern p, long pc, AddressFormat a) {
        return "mov\t" + fr(i.size(), i.rd()) + ", " + lane(i.rn(), i.size(), i.imm());
    }

    private static final String[] MOVI_NAMES = {"movi", "mvni", "orr", "bic", "fmov"};

    static String movi(Insn i, Pattern p, long pc, AddressFormat a) {
        int kind = i.amount(), cmode = i.cond(), imm8 = i.shift(), size = i.size();
        String name = MOVI_NAMES[kind];
        String vd = "v" + i.rd() + "." + arr(size, i.sf());
        if (kind == FpSimdTable.MOVI_FMOV) {
            return name + "\t" + vd + ", #" + fp(FpSimdTable.vfpImm(imm8));
        }
        if (size == 3) {
            return name + "\t" + (i.sf() ? vd : "d" + i.rd()) + ", " + Disassembler.hex(i.imm());
        }
        String sh;
        if (size == 0) {
            sh = "";
        } else if (cmode == 12 || cmode == 13) {
            sh = ", msl #" + ((cmode & 1) + 1) * 8;
        } else {
            int amount = size == 2 ? 8 * (cmode >> 1 & 3) : 8 * (cmode >> 1 & 1);
            sh = amount == 0 ? "" : ", lsl #" + amount;
        }
        return name + "\t" + vd + ", " + Disassembler.hex(imm8) + sh;
    }

    /** objdump prints FP immediates with printf's %.18e. */
    static String fp(double v) {
        return String.format(Locale.ROOT, "%.18e", v);
    }

    // ---- scalar FP

    static String fmovGen(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        return "fmov\t" + switch ((int) i.imm()) {
            case FpSimdTable.FMOV_TO_GEN -> r(i.rd(), i.sf()) + ", " + fr(s, i.rn());
            case FpSimdTable.FMOV_FROM_GEN -> fr(s, i.rd()) + ", " + r(i.rn(), i.sf());
            case FpSimdTable.FMOV_TO_GEN_HI -> r(i.rd(), true) + ", v" + i.rn() + ".d[1]";
            default -> "v" + i.rd() + ".d[1], " + r(i.rn(), true);
        };
    }

    static String convertInt(Insn i, Pattern p, long pc, AddressFormat a) {
        int rmode = (int) i.imm() >> 3, opcode = (int) i.imm() & 7;
        String fixed = i.amount() > 0 ? ", #" + i.amount() : "";
        String f = fr(i.size(), opcode == 2 || opcode == 3 ? i.rd() : i.rn());
        return switch (opcode) {
            case 2, 3 -> (opcode == 2 ? "scvtf" : "ucvtf") + "\t" + f + ", " + r(i.rn(), i.sf()) + fixed;
            default -> {
                char mode = opcode >= 4 ? 'a' : "npmz".charAt(rmode);
                yield "fcvt" + mode + ((opcode & 1) == 0 ? "s" : "u") + "\t" + r(i.rd(), i.sf()) + ", " + f + fixed;
            }
        };
    }

    private static final String[] ONE_SOURCE = {
        "fmov", "fabs", "fneg", "fsqrt", "fcvt", "fcvt", "fcvt", "fcvt",
        "frintn", "frintp", "frintm", "frintz", "frinta", null, "frintx", "frinti"};

    static String oneSource(Insn i, Pattern p, long pc, AddressFormat a) {
        return ONE_SOURCE[(int) i.imm()] + "\t" + fr(i.amount(), i.rd()) + ", " + fr(i.size(), i.rn());
    }

    static String compare(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = i.has(FLAG_SIGNALING) ? "fcmpe" : "fcmp";
        return mn + "\t" + fr(i.size(), i.rn()) + ", " + (i.rm() == 32 ? "#0.0" : fr(i.size(), i.rm()));
    }

    static String fmovImm(Insn i, Pattern p, long pc, AddressFormat a) {
        return "fmov\t" + fr(i.size(), i.rd()) + ", #" + fp(FpSimdTable.vfpImm(i.amount()));
    }

    static String condCompare(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = i.has(FLAG_SIGNALING) ? "fccmpe" : "fccmp";
        return mn + "\t" + fr(i.size(), i.rn()) + ", " + fr(i.size(), i.rm()) + ", " + Disassembler.hex(i.imm()) + ", "
                + Disassembler.cond(i.cond());
    }

    private static final String[] TWO_SOURCE = {
        "fmul", "fdiv", "fadd", "fsub", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul"};

    static String twoSource(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        return TWO_SOURCE[(int) i.imm()] + "\t" + fr(s, i.rd()) + ", " + fr(s, i.rn()) + ", " + fr(s, i.rm());
    }

    static String condSelect(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        return "fcsel\t" + fr(s, i.rd()) + ", " + fr(s, i.rn()) + ", " + fr(s, i.rm()) + ", " + Disassembler.cond(i.cond());
    }

    private static final String[] THREE_SOURCE = {"fmadd", "fmsub", "fnmadd", "fnmsub"};

    static String threeSource(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        return THREE_SOURCE[(int) i.imm()] + "\t" + fr(s, i.rd()) + ", " + fr(s, i.rn()) + ", " + fr(s, i.rm()) + ", "
                + fr(s, i.ra());
    }

    // ---- Advanced SIMD integer

    private static String vec(int reg, int size, boolean q) {
        return "v" + reg + "." + arr(size, q);
    }

    private static final String[][] LOGIC = {{"and", "bic", "orr", "orn"}, {"eor", "bsl", "bit", "bif"}};

    static String threeSame(Insn i, Pattern p, long pc, AddressFormat a) {
        int op = (int) i.imm();
        boolean q = i.sf();
        if ((op & 31) == 0b00011) {
            if (op == 0b00011 && i.size() == 2 && i.rn() == i.rm()) {
                return "mov\t" + vec(i.rd(), 0, q) + ", " + vec(i.rn(), 0, q);
            }
            String mn = LOGIC[op >> 5][i.size()];
            return mn + "\t" + vec(i.rd(), 0, q) + ", " + vec(i.rn(), 0, q) + ", " + vec(i.rm(), 0, q);
        }
        int s = i.size();
        return p.mnemonic() + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q) + ", " + vec(i.rm(), s, q);
    }

    static String twoMisc(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        boolean q = i.sf();
        String mn = p.mnemonic();
        switch (mn) {
            case "not":
                return (s == 0 ? "mvn" : "rbit") + "\t" + vec(i.rd(), 0, q) + ", " + vec(i.rn(), 0, q);
            case "saddlp", "uaddlp", "sadalp", "uadalp":
                return mn + "\t" + vec(i.rd(), s + 1, q) + ", " + vec(i.rn(), s, q);
            case "xtn", "sqxtn", "uqxtn", "sqxtun":
                return mn + (q ? "2" : "") + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s + 1, true);
            case "shll":
                return mn + (q ? "2" : "") + "\t" + vec(i.rd(), s + 1, true) + ", " + vec(i.rn(), s, q) + ", #" + (8 << s);
            case "cmgt", "cmge", "cmeq", "cmle", "cmlt":
                return mn + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q) + ", #0";
            default:
                return mn + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q);
        }
    }

    static String across(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        boolean wide = p.mnemonic().endsWith("addlv");
        return p.mnemonic() + "\t" + fr(wide ? s + 1 : s, i.rd()) + ", " + vec(i.rn(), s, i.sf());
    }

    private static final String[] PERMUTE = {null, "uzp1", "trn1", "zip1", null, "uzp2", "trn2", "zip2"};

    static String permute(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        boolean q = i.sf();
        return PERMUTE[(int) i.imm()] + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q) + ", " + vec(i.rm(), s, q);
    }

    static String ext(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean q = i.sf();
        return "ext\t" + vec(i.rd(), 0, q) + ", " + vec(i.rn(), 0, q) + ", " + vec(i.rm(), 0, q) + ", #" + i.imm();
    }

    static String table(Insn i, Pattern p, long pc, AddressFormat a) {
        boolean q = i.sf();
        return (i.amount() == 1 ? "tbx" : "tbl") + "\t" + vec(i.rd(), 0, q) + ", " + list(i.rn(), (int) i.imm(), ".16b")
                + ", " + vec(i.rm(), 0, q);
    }

    static String shiftImmediate(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size(), shift = i.amount();
        boolean q = i.sf();
        String mn = p.mnemonic();
        switch (mn) {
            case "shrn", "rshrn", "sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun":
                return mn + (q ? "2" : "") + "\t" + vec(i.rd(), s - 1, q) + ", " + vec(i.rn(), s, true) + ", #" + shift;
            case "sshll", "ushll": {
                String two = q ? "2" : "";
                String ops = vec(i.rd(), s + 1, true) + ", " + vec(i.rn(), s, q);
                if (shift == 0) {
                    return (mn.charAt(0) == 's' ? "sxtl" : "uxtl") + two + "\t" + ops;
                }
                return mn + two + "\t" + ops + ", #" + shift;
            }
            default:
                return mn + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q) + ", #" + shift;
        }
    }

    /** The scalar Advanced SIMD forms: the vector syntax with B/H/S/D registers. */
    static String scalar(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size(), op = (int) i.imm(), d = i.rd(), n = i.rn(), m = i.rm();
        String mn = p.mnemonic();
        switch (i.op()) {
            case SIMD_SHIFT_IMM: {
                boolean narrow = (op & 0b11100) == 0b10000;
                return mn + "\t" + fr(narrow ? s - 1 : s, d) + ", " + fr(s, n) + ", #" + i.amount();
            }
            case SIMD_2MISC: {
                boolean narrow = mn.endsWith("xtn") || mn.endsWith("xtun");
                String zero = mn.startsWith("cm") ? ", #0" : "";
                return mn + "\t" + fr(s, d) + ", " + fr(narrow ? s + 1 : s, n) + zero;
            }
            case SIMD_3DIFF:
                return mn + "\t" + fr(s + 1, d) + ", " + fr(s, n) + ", " + fr(s, m);
            case SIMD_ELEM: {
                boolean wide = mn.startsWith("sqdml") || mn.equals("sqdmull");
                return mn + "\t" + fr(wide ? s + 1 : s, d) + ", " + fr(s, n) + ", " + lane(m, s, i.amount());
            }
            case SIMD_FP_3SAME:
                mn = FpSimdTable.FP_THREE_SAME[(op >> 6) << 4 | (op >> 5 & 1) << 3 | (op & 7)];
                return mn + "\t" + fr(s, d) + ", " + fr(s, n) + ", " + fr(s, m);
            case SIMD_FP_2MISC: {
                boolean narrow = mn.equals("fcvtxn");
                return mn + "\t" + fr(s, d) + ", " + fr(narrow ? s + 1 : s, n) + (mn.startsWith("fcm") ? ", #0.0" : "");
            }
            default:
                return mn + "\t" + fr(s, d) + ", " + fr(s, n) + ", " + fr(s, m);
        }
    }

    static String fpThreeSame(Insn i, Pattern p, long pc, AddressFormat a) {
        int op = (int) i.imm(), s = i.size();
        boolean q = i.sf();
        String mn = FpSimdTable.FP_THREE_SAME[(op >> 6) << 4 | (op >> 5 & 1) << 3 | (op & 7)];
        return mn + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q) + ", " + vec(i.rm(), s, q);
    }

    static String fpTwoMisc(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        boolean q = i.sf();
        String mn = p.mnemonic(), ops = vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q);
        switch (mn) {
            case "fcvtn", "fcvtxn":
                return mn + (q ? "2" : "") + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s + 1, true);
            case "fcvtl":
                return mn + (q ? "2" : "") + "\t" + vec(i.rd(), s, true) + ", " + vec(i.rn(), s - 1, q);
            default:
                return mn + "\t" + ops + (mn.startsWith("fcm") ? ", #0.0" : "");
        }
    }

    static String fpAcross(Insn i, Pattern p, long pc, AddressFormat a) {
        return p.mnemonic() + "\ts" + i.rd() + ", " + vec(i.rn(), 2, true);
    }

    static String threeDifferent(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size(), op = (int) i.imm() & 15;
        boolean q = i.sf();
        String mn = p.mnemonic() + (q ? "2" : "");
        String narrow = vec(i.rn(), s, q).replace("v" + i.rn(), ""), wideArr = s == 3 ? ".1q" : "." + arr(s + 1, true);
        if (op == 0b0100 || op == 0b0110) { // narrowing high half: Vd.<Tb>, Vn.<Ta>, Vm.<Ta>
            return mn + "\t" + vec(i.rd(), s, q) + ", v" + i.rn() + wideArr + ", v" + i.rm() + wideArr;
        }
        String first = op == 0b0001 || op == 0b0011 ? "v" + i.rn() + wideArr : "v" + i.rn() + narrow;
        return mn + "\tv" + i.rd() + wideArr + ", " + first + ", v" + i.rm() + narrow;
    }

    static String crypto(Insn i, Pattern p, long pc, AddressFormat a) {
        String mn = p.mnemonic();
        String d = "v" + i.rd() + ".4s", n = "v" + i.rn() + ".4s", m = "v" + i.rm() + ".4s";
        return mn + "\t" + switch (mn) {
            case "aese", "aesd", "aesmc", "aesimc" -> "v" + i.rd() + ".16b, v" + i.rn() + ".16b";
            case "sha1c", "sha1p", "sha1m" -> "q" + i.rd() + ", s" + i.rn() + ", " + m;
            case "sha256h", "sha256h2" -> "q" + i.rd() + ", q" + i.rn() + ", " + m;
            case "sha1h" -> "s" + i.rd() + ", s" + i.rn();
            case "sha1su1", "sha256su0" -> d + ", " + n;
            default -> d + ", " + n + ", " + m; // sha1su0, sha256su1
        };
    }

    static String scalarPair(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        return p.mnemonic() + "\t" + fr(s, i.rd()) + ", " + vec(i.rn(), s, s == 3);
    }

    static String byElement(Insn i, Pattern p, long pc, AddressFormat a) {
        int s = i.size();
        boolean q = i.sf();
        String mn = p.mnemonic();
        if (mn.matches("[su](mull|mlal|mlsl)|sqdm(ull|lal|lsl)")) { // the long forms
            return mn + (q ? "2" : "") + "\t" + vec(i.rd(), s + 1, true) + ", " + vec(i.rn(), s, q) + ", "
                    + lane(i.rm(), s, i.amount());
        }
        return mn + "\t" + vec(i.rd(), s, q) + ", " + vec(i.rn(), s, q) + ", " + lane(i.rm(), s, i.amount());
    }
}
