package dev.a64trap.decode;

import static dev.a64trap.decode.DecodeTable.IMM19;
import static dev.a64trap.decode.DecodeTable.IMM9;
import static dev.a64trap.decode.DecodeTable.OPTION;
import static dev.a64trap.decode.DecodeTable.RA;
import static dev.a64trap.decode.DecodeTable.RD;
import static dev.a64trap.decode.DecodeTable.RM;
import static dev.a64trap.decode.DecodeTable.RN;
import static dev.a64trap.decode.DecodeTable.RT2;
import static dev.a64trap.decode.Field.s;
import static dev.a64trap.decode.Field.u;
import static dev.a64trap.decode.Insn.*;

import dev.a64trap.decode.Pattern.Format;
import dev.a64trap.decode.Pattern.Syntax;
import java.util.List;

/**
 * The SIMD&FP rows of the decode table (appended to {@link DecodeTable}'s rows): loads and stores
 * of V registers, the Advanced SIMD copy and modified-immediate groups, and the scalar FP groups.
 *
 * <p>Field use: {@code sf} is Q for vector forms (and the general register width for conversions
 * and FMOV), {@code size} the log2 of the access or element bytes (FP scalars: 1 = H, 2 = S,
 * 3 = D; loads 4 = Q). Immediates are expanded here (MOVI, FMOV), never in consumers. Encodings
 * not listed (FP16 arithmetic, the rest of Advanced SIMD, crypto) decode to UNDEFINED.
 */
final class FpSimdTable {
    private FpSimdTable() {}

    static final Field Q = u(30, 1), FTYPE = u(22, 2), IMM5 = u(16, 5), IMM4 = u(11, 4), IMM8 = u(13, 8);
    static final Field COND = u(12, 4), NZCV = u(0, 4), OP4 = u(12, 4), OP6 = u(15, 6), SCALE = u(10, 6);
    static final Field IMM7_S = s(15, 7);

    /** SIMD_MOVI kinds (amount). */
    static final int MOVI_MOVI = 0, MOVI_MVNI = 1, MOVI_ORR = 2, MOVI_BIC = 3, MOVI_FMOV = 4;
    /** FMOV_GEN variants (imm): to/from a general register, the whole register or the upper D lane. */
    static final int FMOV_TO_GEN = 0, FMOV_FROM_GEN = 1, FMOV_TO_GEN_HI = 2, FMOV_FROM_GEN_HI = 3;

    private static List<Pattern> out;
    private static String group;

    private static void row(String bits, String name, String mnemonic, Op op, int flags, Format f, Syntax syn) {
        int[] mm = Pattern.bits(bits);
        out.add(new Pattern(name, mnemonic, mm[0], mm[1], op, flags, f, syn, group));
    }

    /**
     * The SIMD&FP rows, built on first use: a guest that runs none (and a short run) skips two thirds
     * of the table's start-up work. Every one fixes bits 27:26 to 11 (the A64 encoding groups of
     * SIMD&FP data processing and of V-register loads and stores; the decoder checks it).
     */
    static List<Pattern> rows() {
        return Rows.ROWS;
    }

    private static final class Rows {
        static final List<Pattern> ROWS;

        static {
            out = new java.util.ArrayList<>();
            loadsAndStores();
            structures();
            copyAndImmediate();
            scalarFp();
            ROWS = java.util.Collections.unmodifiableList(out);
            out = null;
        }
    }

    // =====================================================================================
    private static void loadsAndStores() {
        String[] lit = {"00", "01", "10"};
        for (int k = 0; k < 3; k++) {
            row(lit[k] + " 011 1 00 xxxxxxxxxxxxxxxxxxx xxxxx", "FP_LDR_lit_" + "sdq".charAt(k), "ldr", Op.FP_LDR, 0,
                    literal(k + 2), FpSimdSyntax::literal);
        }
        // size:opc<1> gives the access size (00:1 = Q); opc<0> = load.
        for (int sz = 0; sz < 5; sz++) {
            String size = sz == 4 ? "00" : DecodeTable.bin(sz, 2), hi = sz == 4 ? "1" : "0";
            for (int l = 0; l < 2; l++) {
                String opc = hi + l, tag = (l == 1 ? "FP_LDR_" : "FP_STR_") + "bhsdq".charAt(sz);
                Op op = l == 1 ? Op.FP_LDR : Op.FP_STR;
                String mn = l == 1 ? "ldr" : "str";
                row(size + "111101" + opc + "xxxxxxxxxxxx xxxxx xxxxx", tag + "_uimm", mn, op, 0,
                        single(sz, MODE_OFFSET, u(10, 12).times(sz)), FpSimdSyntax::loadStore);
                row(size + "111100" + opc + "0 xxxxxxxxx 00 xxxxx xxxxx", tag + "_unscaled", l == 1 ? "ldur" : "stur", op, 0,
                        single(sz, MODE_OFFSET, IMM9), FpSimdSyntax::loadStore);
                row(size + "111100" + opc + "0 xxxxxxxxx 01 xxxxx xxxxx", tag + "_post", mn, op, 0,
                        single(sz, MODE_POST, IMM9), FpSimdSyntax::loadStore);
                row(size + "111100" + opc + "0 xxxxxxxxx 11 xxxxx xxxxx", tag + "_pre", mn, op, 0,
                        single(sz, MODE_PRE, IMM9), FpSimdSyntax::loadStore);
                row(size + "111100" + opc + "1 xxxxx xxx x 10 xxxxx xxxxx", tag + "_reg", mn, op, 0,
                        registerOffset(sz), FpSimdSyntax::loadStoreReg);
            }
        }
        String[] types = {"000", "001", "010", "011"};
        int[] modes = {MODE_OFFSET, MODE_POST, MODE_OFFSET, MODE_PRE};
        String[] tnames = {"nt", "post", "off", "pre"};
        for (int t = 0; t < 4; t++) {
            for (int l = 0; l < 2; l++) {
                for (int opc = 0; opc < 3; opc++) {
                    String mn = (l == 1 ? "ld" : "st") + (t == 0 ? "np" : "p");
                    row(DecodeTable.bin(opc, 2) + "1011" + types[t] + l + "xxxxxxx xxxxx xxxxx xxxxx",
                            "FP_" + mn.toUpperCase() + "_" + "sdq".charAt(opc) + "_" + tnames[t], mn,
                            l == 1 ? Op.FP_LDP : Op.FP_STP, t == 0 ? FLAG_NONTEMPORAL : 0, pair(opc + 2, modes[t]),
                            FpSimdSyntax::pair);
                }
            }
        }
    }

    static Format literal(int size) {
        return (p, w) -> p.insn(w, false, RD.i(w), 0, 0, 0, IMM19.get(w), 0, 0, 0, size, MODE_LITERAL, 0);
    }

    static Format single(int size, int mode, Field offset) {
        return (p, w) -> p.insn(w, false, RD.i(w), RN.i(w), 0, 0, offset.get(w), 0, 0, 0, size, mode, 0);
    }

    static Format registerOffset(int size) {
        return (p, w) -> {
            int option = OPTION.i(w);
            if ((option & 2) == 0) {
                return null;
            }
            int amount = DecodeTable.BIT_S.i(w) == 1 ? size : 0;
            return p.insn(w, false, RD.i(w), RN.i(w), RM.i(w), 0, 0, amount, option, 0, size, MODE_REG, 0);
        };
    }

    static Format pair(int size, int mode) {
        return (p, w) -> {
            // LDP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE; objdump decodes it, so do we.
            long imm = IMM7_S.get(w) << size;
            return p.insn(w, false, RD.i(w), RN.i(w), 0, RT2.i(w), imm, 0, 0, 0, size, mode, 0);
        };
    }

    // =====================================================================================
    private static void structures() {
        for (int l = 0; l < 2; l++) {
            Op op = l == 1 ? Op.SIMD_LD_MULT : Op.SIMD_ST_MULT;
            String t = l == 1 ? "LD" : "ST";
            row("0 x 0011000 " + l + " 000000 xxxx xx xxxxx xxxxx", "SIMD_" + t + "_MULT", t.toLowerCase(), op, 0,
                    FpSimdTable::multiple, FpSimdSyntax::multiple);
            row("0 x 0011001 " + l + " 0 xxxxx xxxx xx xxxxx xxxxx", "SIMD_" + t + "_MULT_post", t.toLowerCase(), op, 0,
                    FpSimdTable::multiple, FpSimdSyntax::multiple);
            Op one = l == 1 ? Op.SIMD_LD_ONE : Op.SIMD_ST_ONE;
            row("0 x 0011010 " + l + " x 00000 xxx x xx xxxxx xxxxx", "SIMD_" + t + "_ONE", t.toLowerCase(), one, 0,
                    FpSimdTable::singleStructure, FpSimdSyntax::singleStructure);
            row("0 x 0011011 " + l + " x xxxxx xxx x xx xxxxx xxxxx", "SIMD_" + t + "_ONE_post", t.toLowerCase(), one, 0,
                    FpSimdTable::singleStructure, FpSimdSyntax::singleStructure);
        }
    }

    /** opcode -> {registers, structure elements}; null = unallocated. */
    private static final int[][] MULT = {
        {4, 4}, null, {4, 1}, null, {3, 3}, null, {3, 1}, {1, 1}, {2, 2}, null, {2, 1}, null, null, null, null, null};

    /** Post-index register: 32 = no writeback, 31 = by the transfer size, else Xm. */
    private static int postIndex(int w) {
        return (w >>> 23 & 1) == 0 ? 32 : RM.i(w);
    }

    static Insn multiple(Pattern p, int w) {
        int[] m = MULT[w >>> 12 & 15];
        int size = w >>> 10 & 3;
        boolean q = Q.i(w) == 1;
        if (m == null || (size == 3 && !q && m[1] > 1)) {
            return null;
        }
        int rm = postIndex(w);
        long bytes = (long) m[0] * (q ? 16 : 8);
        return p.insn(w, q, RD.i(w), RN.i(w), rm, 0, m[0], m[1], (int) bytes, 0, size, rm == 32 ? MODE_BASE : MODE_POST, 0);
    }

    static Insn singleStructure(Pattern p, int w) {
        int opcode = w >>> 13 & 7, s = w >>> 12 & 1, sz = w >>> 10 & 3, q = Q.i(w), r = w >>> 21 & 1;
        boolean load = (w >>> 22 & 1) == 1;
        int scale = opcode >> 1, selem = ((opcode & 1) << 1 | r) + 1;
        int index, size = scale, flags = 0;
        switch (scale) {
            case 3 -> {
                if (!load || s == 1) {
                    return null;
                }
                size = sz;
                index = 0;
                flags = FLAG_REPLICATE;
            }
            case 0 -> index = q << 3 | s << 2 | sz;
            case 1 -> {
                if ((sz & 1) != 0) {
                    return null;
                }
                index = q << 2 | s << 1 | sz >> 1;
            }
            default -> {
                if ((sz & 2) != 0) {
                    return null;
                }
                if ((sz & 1) == 0) {
                    index = q << 1 | s;
                } else {
                    if (s == 1) {
                        return null;
                    }
                    size = 3;
                    index = q;
                }
            }
        }
        int rm = postIndex(w);
        long bytes = (long) selem << size;
        return p.insn(w, q == 1, RD.i(w), RN.i(w), rm, 0, index, selem, (int) bytes, 0, size,
                rm == 32 ? MODE_BASE : MODE_POST, flags);
    }

    // =====================================================================================
    private static void copyAndImmediate() {
        row("0 x 0 01110000 xxxxx 0 0000 1 xxxxx xxxxx", "DUP_elem", "dup", Op.SIMD_DUP_ELEM, 0, FpSimdTable::copy, FpSimdSyntax::dupElem);
        row("0 x 0 01110000 xxxxx 0 0001 1 xxxxx xxxxx", "DUP_gen", "dup", Op.SIMD_DUP_GEN, 0, FpSimdTable::copy, FpSimdSyntax::dupGen);
        row("0 x 0 01110000 xxxxx 0 0101 1 xxxxx xxxxx", "SMOV", "smov", Op.SIMD_SMOV, 0, FpSimdTable::copy, FpSimdSyntax::moveToGen);
        row("0 x 0 01110000 xxxxx 0 0111 1 xxxxx xxxxx", "UMOV", "umov", Op.SIMD_UMOV, 0, FpSimdTable::copy, FpSimdSyntax::moveToGen);
        row("0 1 0 01110000 xxxxx 0 0011 1 xxxxx xxxxx", "INS_gen", "ins", Op.SIMD_INS_GEN, 0, FpSimdTable::copy, FpSimdSyntax::insGen);
        row("0 1 1 01110000 xxxxx 0 xxxx 1 xxxxx xxxxx", "INS_elem", "ins", Op.SIMD_INS_ELEM, 0, FpSimdTable::copy, FpSimdSyntax::insElem);
        row("01 0 11110000 xxxxx 0 0000 1 xxxxx xxxxx", "DUP_scalar", "dup", Op.SIMD_DUP_SCALAR, 0, FpSimdTable::copy, FpSimdSyntax::dupScalar);
        // Modified immediate is the immh = 0 corner of the shift-by-immediate space: one overlap group.
        group = "simdimm";
        row("0 x x 0111100000 xxx xxxx 0 1 xxxxx xxxxx", "MOVI", "movi", Op.SIMD_MOVI, 0, FpSimdTable::modifiedImmediate, FpSimdSyntax::movi);
        for (String[] r : SHIFT_IMM) {
            row("0 x " + r[0] + " 011110 xxxx xxx " + r[1] + " 1 xxxxx xxxxx", "SIMD_SHIFT_" + r[2], r[2],
                    Op.SIMD_SHIFT_IMM, 0, FpSimdTable::shiftImmediate, FpSimdSyntax::shiftImmediate);
        }
        group = null;
        for (String[] r : SHIFT_IMM) {
            if (r.length > 3) { // the scalar forms: "01 U 111110 immh immb opcode 1 Rn Rd"
                row("01 " + r[0] + " 111110 xxxx xxx " + r[1] + " 1 xxxxx xxxxx", "SIMD_SCALAR_SHIFT_" + r[2], r[2],
                        Op.SIMD_SHIFT_IMM, FLAG_SCALAR, FpSimdTable::scalarShift, FpSimdSyntax::scalar);
            }
        }
        simdInteger();
    }

    /** Scalar shift by immediate: D only for the plain shifts (S/D for conversions), B/H/S narrowing results. */
    static Insn scalarShift(Pattern p, int w) {
        int immh = w >>> 19 & 15, opcode = w >>> 11 & 31;
        if (immh == 0) {
            return null;
        }
        int size = 31 - Integer.numberOfLeadingZeros(immh);
        String rule = null;
        for (String[] r : SHIFT_IMM) {
            if (r[2].equals(p.mnemonic()) && r.length > 3) {
                rule = r[3];
            }
        }
        boolean ok = switch (rule) {
            case "D" -> size == 3;
            case "N" -> size < 3;
            case "F" -> size >= 2;
            default -> true;
        };
        return ok ? shiftInsn(p, w, false, size, opcode) : null;
    }

    /**
     * Shift by immediate rows: U, opcode, mnemonic, and for the scalar forms the size rule (D: 64-bit
     * only, N: narrowing to B/H/S, F: S/D conversions, A: any size).
     */
    private static final String[][] SHIFT_IMM = {
        {"0", "00000", "sshr", "D"}, {"1", "00000", "ushr", "D"}, {"0", "00010", "ssra", "D"}, {"1", "00010", "usra", "D"},
        {"0", "00100", "srshr", "D"}, {"1", "00100", "urshr", "D"}, {"0", "00110", "srsra", "D"}, {"1", "00110", "ursra", "D"},
        {"1", "01000", "sri", "D"}, {"0", "01010", "shl", "D"}, {"1", "01010", "sli", "D"}, {"1", "01100", "sqshlu", "A"},
        {"0", "01110", "sqshl", "A"}, {"1", "01110", "uqshl", "A"}, {"0", "10000", "shrn"}, {"1", "10000", "sqshrun", "N"},
        {"0", "10001", "rshrn"}, {"1", "10001", "sqrshrun", "N"}, {"0", "10010", "sqshrn", "N"}, {"1", "10010", "uqshrn", "N"},
        {"0", "10011", "sqrshrn", "N"}, {"1", "10011", "uqrshrn", "N"}, {"0", "10100", "sshll"}, {"1", "10100", "ushll"},
        {"0", "11100", "scvtf", "F"}, {"1", "11100", "ucvtf", "F"}, {"0", "11111", "fcvtzs", "F"}, {"1", "11111", "fcvtzu", "F"}};

    static Insn shiftImmediate(Pattern p, int w) {
        int immh = w >>> 19 & 15, opcode = w >>> 11 & 31;
        boolean q = Q.i(w) == 1;
        if (immh == 0) {
            return null;
        }
        int size = 31 - Integer.numberOfLeadingZeros(immh); // element size from the top set bit
        boolean narrowOrLong = (opcode & 0b11100) == 0b10000 || opcode == 0b10100;
        boolean fp = opcode == 0b11100 || opcode == 0b11111;
        if (size == 3 && (narrowOrLong || !q) || fp && size < 2) {
            return null;
        }
        return shiftInsn(p, w, q, size, opcode);
    }

    /** imm = U:opcode, amount = the shift (fraction bits for conversions), size = element (narrowing: the wide source). */
    private static Insn shiftInsn(Pattern p, int w, boolean q, int size, int opcode) {
        int immhb = w >>> 16 & 127, esize = 8 << size;
        boolean left = opcode == 0b01010 || opcode == 0b01100 || opcode == 0b01110 || opcode == 0b10100;
        int shift = left ? immhb - esize : 2 * esize - immhb;
        int op = (w >>> 29 & 1) << 5 | opcode;
        boolean narrow = (opcode & 0b11100) == 0b10000;
        return p.insn(w, q, RD.i(w), RN.i(w), 0, 0, op, shift, 0, 0, narrow ? size + 1 : size, 0,
                p.flags());
    }

    // =====================================================================================
    /** Size rules: ALL = any size, 1D reserved; NO_D = sizes 0-2; B = bytes only; H_OR_B = sizes 0-1. */
    private static final int ALL = 0, NO_D = 1, B = 2, H_OR_B = 3, LOGIC = 4, S_ONLY_Q = 5, HS = 6;
    /** Scalar size rules: any size, D only, H/S only, narrowing to B/H/S. */
    private static final int SC_ANY = 10, SC_D = 11, SC_HS = 12, SC_NARROW = 13;

    /** Three-same integer rows: U, opcode, mnemonic, size rule. */
    private static final Object[][] THREE_SAME = {
        {0, 0b00000, "shadd", NO_D}, {1, 0b00000, "uhadd", NO_D}, {0, 0b00010, "srhadd", NO_D}, {1, 0b00010, "urhadd", NO_D},
        {0, 0b00011, "and", LOGIC}, {1, 0b00011, "eor", LOGIC},
        {0, 0b00110, "cmgt", ALL}, {1, 0b00110, "cmhi", ALL}, {0, 0b00111, "cmge", ALL}, {1, 0b00111, "cmhs", ALL},
        {0, 0b01000, "sshl", ALL}, {1, 0b01000, "ushl", ALL},
        {0, 0b01100, "smax", NO_D}, {1, 0b01100, "umax", NO_D}, {0, 0b01101, "smin", NO_D}, {1, 0b01101, "umin", NO_D},
        {0, 0b01110, "sabd", NO_D}, {1, 0b01110, "uabd", NO_D}, {0, 0b01111, "saba", NO_D}, {1, 0b01111, "uaba", NO_D},
        {0, 0b10000, "add", ALL}, {1, 0b10000, "sub", ALL}, {0, 0b10001, "cmtst", ALL}, {1, 0b10001, "cmeq", ALL},
        {0, 0b10010, "mla", NO_D}, {1, 0b10010, "mls", NO_D}, {0, 0b10011, "mul", NO_D}, {1, 0b10011, "pmul", B},
        {0, 0b10100, "smaxp", NO_D}, {1, 0b10100, "umaxp", NO_D}, {0, 0b10101, "sminp", NO_D}, {1, 0b10101, "uminp", NO_D},
        {0, 0b10111, "addp", ALL},
        {0, 0b00001, "sqadd", ALL, SC_ANY}, {1, 0b00001, "uqadd", ALL, SC_ANY}, {0, 0b00101, "sqsub", ALL, SC_ANY},
        {1, 0b00101, "uqsub", ALL, SC_ANY}, {0, 0b00100, "shsub", NO_D}, {1, 0b00100, "uhsub", NO_D},
        {0, 0b01001, "sqshl", ALL, SC_ANY}, {1, 0b01001, "uqshl", ALL, SC_ANY}, {0, 0b01010, "srshl", ALL, SC_D},
        {1, 0b01010, "urshl", ALL, SC_D}, {0, 0b01011, "sqrshl", ALL, SC_ANY}, {1, 0b01011, "uqrshl", ALL, SC_ANY},
        {0, 0b10110, "sqdmulh", HS, SC_HS}, {1, 0b10110, "sqrdmulh", HS, SC_HS},
    };
    /** The three-same rows that also have a scalar form only for D (the rest carry their own scalar rule). */
    private static final java.util.Set<String> SCALAR_D_SAME = java.util.Set.of("cmgt", "cmhi", "cmge", "cmhs", "sshl",
            "ushl", "add", "sub", "cmtst", "cmeq");

    /** Two-register miscellaneous rows: U, opcode, mnemonic, size rule. */
    private static final Object[][] TWO_MISC = {
        {0, 0b00000, "rev64", NO_D}, {1, 0b00000, "rev32", H_OR_B}, {0, 0b00001, "rev16", B},
        {0, 0b00010, "saddlp", NO_D}, {1, 0b00010, "uaddlp", NO_D}, {0, 0b00100, "cls", NO_D}, {1, 0b00100, "clz", NO_D},
        {0, 0b00101, "cnt", B}, {1, 0b00101, "not", H_OR_B},
        {0, 0b01000, "cmgt", ALL}, {1, 0b01000, "cmge", ALL}, {0, 0b01001, "cmeq", ALL}, {1, 0b01001, "cmle", ALL},
        {0, 0b01010, "cmlt", ALL}, {0, 0b01011, "abs", ALL}, {1, 0b01011, "neg", ALL}, {0, 0b10010, "xtn", NO_D},
        {0, 0b00011, "suqadd", ALL, SC_ANY}, {1, 0b00011, "usqadd", ALL, SC_ANY}, {0, 0b00110, "sadalp", NO_D},
        {1, 0b00110, "uadalp", NO_D}, {0, 0b00111, "sqabs", ALL, SC_ANY}, {1, 0b00111, "sqneg", ALL, SC_ANY},
        {1, 0b10010, "sqxtun", NO_D, SC_NARROW}, {0, 0b10100, "sqxtn", NO_D, SC_NARROW}, {1, 0b10100, "uqxtn", NO_D, SC_NARROW},
        {1, 0b10011, "shll", NO_D},
    };
    /** The two-register rows that also have a scalar form only for D. */
    private static final java.util.Set<String> SCALAR_D_MISC = java.util.Set.of("cmgt", "cmge", "cmeq", "cmle", "cmlt",
            "abs", "neg");

    /** Across-lanes rows: U, opcode, mnemonic. */
    private static final Object[][] ACROSS = {
        {0, 0b00011, "saddlv", S_ONLY_Q}, {1, 0b00011, "uaddlv", S_ONLY_Q}, {0, 0b01010, "smaxv", S_ONLY_Q},
        {1, 0b01010, "umaxv", S_ONLY_Q}, {0, 0b11010, "sminv", S_ONLY_Q}, {1, 0b11010, "uminv", S_ONLY_Q},
        {0, 0b11011, "addv", S_ONLY_Q},
    };

    private static void simdInteger() {
        for (Object[] r : THREE_SAME) {
            String op = DecodeTable.bin((Integer) r[1], 5);
            row("0 x " + r[0] + " 01110 xx 1 xxxxx " + op + " 1 xxxxx xxxxx",
                    "SIMD_3SAME_" + r[2], (String) r[2], Op.SIMD_3SAME, 0, sized((Integer) r[3], 11), FpSimdSyntax::threeSame);
            int sc = r.length > 4 ? (Integer) r[4] : SCALAR_D_SAME.contains(r[2]) ? SC_D : -1;
            if (sc > 0) {
                row("01 " + r[0] + " 11110 xx 1 xxxxx " + op + " 1 xxxxx xxxxx", "SIMD_SCALAR_3SAME_" + r[2], (String) r[2],
                        Op.SIMD_3SAME, FLAG_SCALAR, sized(sc, 11), FpSimdSyntax::scalar);
            }
        }
        for (Object[] r : TWO_MISC) {
            String op = DecodeTable.bin((Integer) r[1], 5);
            row("0 x " + r[0] + " 01110 xx 10000 " + op + " 10 xxxxx xxxxx",
                    "SIMD_2MISC_" + r[2] + r[0], (String) r[2], Op.SIMD_2MISC, 0, sized((Integer) r[3], 12), FpSimdSyntax::twoMisc);
            int sc = r.length > 4 ? (Integer) r[4] : SCALAR_D_MISC.contains(r[2]) ? SC_D : -1;
            if (sc > 0) {
                row("01 " + r[0] + " 11110 xx 10000 " + op + " 10 xxxxx xxxxx", "SIMD_SCALAR_2MISC_" + r[2] + r[0],
                        (String) r[2], Op.SIMD_2MISC, FLAG_SCALAR, sized(sc, 12), FpSimdSyntax::scalar);
            }
        }
        for (Object[] r : ACROSS) {
            row("0 x " + r[0] + " 01110 xx 11000 " + DecodeTable.bin((Integer) r[1], 5) + " 10 xxxxx xxxxx",
                    "SIMD_ACROSS_" + r[2], (String) r[2], Op.SIMD_ACROSS, 0, sized((Integer) r[3], 12), FpSimdSyntax::across);
        }
        for (int u = 0; u < 2; u++) {
            for (int a = 0; a < 2; a++) {
                row("0 x " + u + " 01110 " + a + " x 1 xxxxx 11xxx 1 xxxxx xxxxx", "SIMD_FP_3SAME_" + u + a, "f",
                        Op.SIMD_FP_3SAME, 0, FpSimdTable::fpThreeSame, FpSimdSyntax::fpThreeSame);
            }
        }
        for (Object[] r : FP_TWO_MISC) {
            int key = (Integer) r[0];
            if (r[1].equals("frecpx")) {
                continue; // scalar only
            }
            row("0 x " + (key >> 6) + " 01110 " + (key >> 5 & 1) + " x 10000 " + DecodeTable.bin(key & 31, 5) + " 10 xxxxx xxxxx",
                    "SIMD_FP_2MISC_" + r[1], (String) r[1], Op.SIMD_FP_2MISC, 0, FpSimdTable::fpVector, FpSimdSyntax::fpTwoMisc);
        }
        for (Object[] r : FP_ACROSS) {
            int key = (Integer) r[0];
            row("0 1 1 01110 " + (key >> 5 & 1) + " 0 11000 " + DecodeTable.bin(key & 31, 5) + " 10 xxxxx xxxxx",
                    "SIMD_FP_ACROSS_" + r[1], (String) r[1], Op.SIMD_FP_ACROSS, 0, FpSimdTable::fpVector, FpSimdSyntax::fpAcross);
        }
        for (Object[] r : THREE_DIFFERENT) {
            int key = (Integer) r[0];
            row("0 x " + (key >> 4) + " 01110 xx 1 xxxxx " + DecodeTable.bin(key & 15, 4) + " 00 xxxxx xxxxx",
                    "SIMD_3DIFF_" + r[1], (String) r[1], Op.SIMD_3DIFF, 0, FpSimdTable::threeDifferent, FpSimdSyntax::threeDifferent);
        }
        String[] aes = {"aese", "aesd", "aesmc", "aesimc"};
        for (int k = 0; k < 4; k++) {
            row("01001110 00 10100 001" + DecodeTable.bin(k, 2) + " 10 xxxxx xxxxx", "CRYPTO_" + aes[k].toUpperCase(), aes[k],
                    Op.CRYPTO, 0, FpSimdTable::crypto, FpSimdSyntax::crypto);
        }
        String[] sha3 = {"sha1c", "sha1p", "sha1m", "sha1su0", "sha256h", "sha256h2", "sha256su1"};
        for (int k = 0; k < sha3.length; k++) {
            row("01011110 00 0 xxxxx 0 " + DecodeTable.bin(k, 3) + " 00 xxxxx xxxxx", "CRYPTO_" + sha3[k].toUpperCase(), sha3[k],
                    Op.CRYPTO, 0, FpSimdTable::crypto, FpSimdSyntax::crypto);
        }
        String[] sha2 = {"sha1h", "sha1su1", "sha256su0"};
        for (int k = 0; k < sha2.length; k++) {
            row("01011110 00 10100 000" + DecodeTable.bin(k, 2) + " 10 xxxxx xxxxx", "CRYPTO_" + sha2[k].toUpperCase(), sha2[k],
                    Op.CRYPTO, 0, FpSimdTable::crypto, FpSimdSyntax::crypto);
        }
        row("01 0 11110 11 11000 11011 10 xxxxx xxxxx", "SIMD_SCALAR_ADDP", "addp", Op.SIMD_SCALAR_PAIR, 0,
                FpSimdTable::scalarPair, FpSimdSyntax::scalarPair);
        for (String[] r : FP_SCALAR_PAIR) {
            row("01 1 11110 " + r[0] + " x 11000 " + r[1] + " 10 xxxxx xxxxx", "SIMD_SCALAR_" + r[2].toUpperCase(), r[2],
                    Op.SIMD_SCALAR_PAIR, 0, FpSimdTable::scalarPair, FpSimdSyntax::scalarPair);
        }
        for (String[] r : BY_ELEMENT) {
            row("0 x " + r[0] + " 01111 xx x x xxxx " + r[1] + " x 0 xxxxx xxxxx", "SIMD_ELEM_" + r[2].toUpperCase(), r[2],
                    Op.SIMD_ELEM, 0, FpSimdTable::byElement, FpSimdSyntax::byElement);
            if (r.length > 3) {
                row("01 " + r[0] + " 11111 xx x x xxxx " + r[1] + " x 0 xxxxx xxxxx", "SIMD_SCALAR_ELEM_" + r[2].toUpperCase(),
                        r[2], Op.SIMD_ELEM, FLAG_SCALAR, FpSimdTable::byElement, FpSimdSyntax::scalar);
            }
        }
        for (Object[] r : THREE_DIFFERENT) {
            int key = (Integer) r[0];
            if ((key & 0b11001) == 0b01001) { // SQDMLAL, SQDMLSL, SQDMULL
                row("01 0 11110 xx 1 xxxxx " + DecodeTable.bin(key & 15, 4) + " 00 xxxxx xxxxx", "SIMD_SCALAR_3DIFF_" + r[1],
                        (String) r[1], Op.SIMD_3DIFF, FLAG_SCALAR, FpSimdTable::threeDifferent, FpSimdSyntax::scalar);
            }
        }
        for (int u = 0; u < 2; u++) {
            for (int a = 0; a < 2; a++) {
                row("01 " + u + " 11110 " + a + " x 1 xxxxx 11xxx 1 xxxxx xxxxx", "SIMD_SCALAR_FP_3SAME_" + u + a, "f",
                        Op.SIMD_FP_3SAME, FLAG_SCALAR, FpSimdTable::fpThreeSame, FpSimdSyntax::scalar);
            }
        }
        for (Object[] r : FP_TWO_MISC) {
            int key = (Integer) r[0];
            if (r.length > 2 || FP_SCALAR_MISC.contains(r[1])) {
                row("01 " + (key >> 6) + " 11110 " + (key >> 5 & 1) + " x 10000 " + DecodeTable.bin(key & 31, 5) + " 10 xxxxx xxxxx",
                        "SIMD_SCALAR_FP_2MISC_" + r[1], (String) r[1], Op.SIMD_FP_2MISC, FLAG_SCALAR, FpSimdTable::fpVector,
                        FpSimdSyntax::scalar);
            }
        }
        row("0 x 001110 xx 0 xxxxx 0 xxx 10 xxxxx xxxxx", "SIMD_PERMUTE", "zip", Op.SIMD_PERMUTE, 0, FpSimdTable::permute, FpSimdSyntax::permute);
        row("0 x 101110 00 0 xxxxx 0 xxxx 0 xxxxx xxxxx", "SIMD_EXT", "ext", Op.SIMD_EXT, 0, FpSimdTable::ext, FpSimdSyntax::ext);
        row("0 x 001110 00 0 xxxxx 0 xx x 00 xxxxx xxxxx", "SIMD_TBL", "tbl", Op.SIMD_TBL, 0, FpSimdTable::table, FpSimdSyntax::table);
    }

    /**
     * Vector format with {@code imm} = U:opcode (the opcode's low bit at {@code opLo}), {@code size},
     * sf = Q; rejects sizes the rule forbids.
     */
    static Format sized(int rule, int opLo) {
        return (p, w) -> {
            int size = w >>> 22 & 3;
            boolean q = Q.i(w) == 1;
            boolean ok = switch (rule) {
                case ALL -> size < 3 || q;
                case NO_D -> size < 3;
                case B -> size == 0;
                case H_OR_B -> size < 2;
                case S_ONLY_Q -> size < 2 || (size == 2 && q);
                case HS, SC_HS -> size == 1 || size == 2;
                case SC_D -> size == 3;
                case SC_NARROW -> size < 3;
                default -> true; // LOGIC: size selects the operation; SC_ANY
            };
            if (!ok) {
                return null;
            }
            int op = (w >>> 29 & 1) << 5 | (w >>> opLo & 31);
            boolean scalar = (p.flags() & FLAG_SCALAR) != 0;
            return p.insn(w, q && !scalar, RD.i(w), RN.i(w), RM.i(w), 0, op, 0, 0, 0, size, 0, p.flags());
        };
    }

    /** Advanced SIMD FP three-same mnemonics by U:a:opcode<2:0> (opcode = 11xxx); null = unallocated. */
    static final String[] FP_THREE_SAME = {
        "fmaxnm", "fmla", "fadd", "fmulx", "fcmeq", null, "fmax", "frecps",
        "fminnm", "fmls", "fsub", null, null, null, "fmin", "frsqrts",
        "fmaxnmp", null, "faddp", "fmul", "fcmge", "facge", "fmaxp", "fdiv",
        "fminnmp", null, "fabd", null, "fcmgt", "facgt", "fminp", null};

    /** The FP three-same operations that have a scalar form. */
    private static final java.util.Set<String> FP_SCALAR_SAME = java.util.Set.of("fmulx", "fcmeq", "frecps", "frsqrts",
            "fcmge", "facge", "fabd", "fcmgt", "facgt");

    /** Advanced SIMD FP two-register miscellaneous rows: U:a:opcode, mnemonic ("S": also a scalar form). */
    private static final Object[][] FP_TWO_MISC = {
        {0b0011000, "frintn"}, {0b0011001, "frintm"}, {0b0011010, "fcvtns"}, {0b0011011, "fcvtms"}, {0b0011100, "fcvtas"},
        {0b0011101, "scvtf"}, {0b0101100, "fcmgt"}, {0b0101101, "fcmeq"}, {0b0101110, "fcmlt"}, {0b0101111, "fabs"},
        {0b0111000, "frintp"}, {0b0111001, "frintz"}, {0b0111010, "fcvtps"}, {0b0111011, "fcvtzs"},
        {0b1011000, "frinta"}, {0b1011001, "frintx"}, {0b1011010, "fcvtnu"}, {0b1011011, "fcvtmu"}, {0b1011100, "fcvtau"},
        {0b1011101, "ucvtf"}, {0b1101100, "fcmge"}, {0b1101101, "fcmle"}, {0b1101111, "fneg"}, {0b1111001, "frinti"},
        {0b1111010, "fcvtpu"}, {0b1111011, "fcvtzu"}, {0b1111111, "fsqrt"}, {0b0010110, "fcvtn"}, {0b1010110, "fcvtxn", "S"},
        {0b0010111, "fcvtl"}, {0b0111101, "frecpe", "S"}, {0b1111101, "frsqrte", "S"}, {0b0111100, "urecpe"},
        {0b1111100, "ursqrte"}, {0b0111111, "frecpx", "S"}};
    /** The FP two-register rows with a scalar form besides the ones marked in the table. */
    private static final java.util.Set<String> FP_SCALAR_MISC = java.util.Set.of("fcvtns", "fcvtms", "fcvtas", "scvtf",
            "fcmgt", "fcmeq", "fcmlt", "fcvtps", "fcvtzs", "fcvtnu", "fcvtmu", "fcvtau", "ucvtf", "fcmge", "fcmle", "fcvtpu",
            "fcvtzu");

    /** Crypto operations in the order of {@code imm} (CRYPTO rows). */
    static final List<String> CRYPTO_OPS = List.of("aese", "aesd", "aesmc", "aesimc", "sha1c", "sha1p", "sha1m",
            "sha1su0", "sha256h", "sha256h2", "sha256su1", "sha1h", "sha1su1", "sha256su0");

    /** Crypto (AES, SHA1, SHA256): imm = index in {@link #CRYPTO_OPS}; rm = Vm for the three-register forms. */
    static Insn crypto(Pattern p, int w) {
        return p.insn(w, true, RD.i(w), RN.i(w), RM.i(w), 0, CRYPTO_OPS.indexOf(p.mnemonic()), 0, 0, 0, 2, 0, 0);
    }

    /** Scalar FP pairwise rows: a, opcode, mnemonic (imm = the three-same op of the same name). */
    private static final String[][] FP_SCALAR_PAIR = {
        {"0", "01100", "fmaxnmp"}, {"0", "01101", "faddp"}, {"0", "01111", "fmaxp"}, {"1", "01100", "fminnmp"},
        {"1", "01111", "fminp"}};
    private static final java.util.Map<String, Integer> FP_PAIR_OP = java.util.Map.of("fmaxnmp", 0b1011000,
            "faddp", 0b1011010, "fmaxp", 0b1011110, "fminnmp", 0b1111000, "fminp", 0b1111110);

    /** ADDP (scalar): size 3; FP forms: size = 2 + sz, imm = the matching fp.SimdFp three-same op. */
    static Insn scalarPair(Pattern p, int w) {
        boolean fp = p.mnemonic().startsWith("f");
        int size = fp ? 2 + (w >>> 22 & 1) : 3;
        int op = fp ? FP_PAIR_OP.get(p.mnemonic()) : 0;
        return p.insn(w, false, RD.i(w), RN.i(w), 0, 0, op, 0, 0, 0, size, 0, fp ? FLAG_FP : 0);
    }

    /** By-element rows: U, opcode, mnemonic (integer MUL/MLA/MLS sizes H, S; FP S, D). */
    private static final String[][] BY_ELEMENT = {
        {"0", "1000", "mul"}, {"1", "0000", "mla"}, {"1", "0100", "mls"}, {"0", "0001", "fmla", "S"}, {"0", "0101", "fmls", "S"},
        {"0", "1001", "fmul", "S"}, {"1", "1001", "fmulx", "S"}, {"0", "0010", "smlal"}, {"0", "0110", "smlsl"},
        {"0", "1010", "smull"}, {"1", "0010", "umlal"}, {"1", "0110", "umlsl"}, {"1", "1010", "umull"},
        {"0", "0011", "sqdmlal", "S"}, {"0", "0111", "sqdmlsl", "S"}, {"0", "1011", "sqdmull", "S"},
        {"0", "1100", "sqdmulh", "S"}, {"0", "1101", "sqrdmulh", "S"}};

    /** imm = U:opcode, amount = lane, rm = the element register; size as the lanes; FLAG_FP for the FP forms. */
    static Insn byElement(Pattern p, int w) {
        int size = w >>> 22 & 3, h = w >>> 11 & 1, l = w >>> 21 & 1, mbit = w >>> 20 & 1, rm = w >>> 16 & 15;
        boolean scalar = (p.flags() & FLAG_SCALAR) != 0, q = Q.i(w) == 1 && !scalar, fp = p.mnemonic().startsWith("f");
        int index, reg;
        if (fp) {
            if (size < 2 || (size == 3 && (l == 1 || !q && !scalar))) {
                return null;
            }
            index = size == 2 ? h << 1 | l : h;
            reg = mbit << 4 | rm;
        } else if (size == 1) {
            index = h << 2 | l << 1 | mbit;
            reg = rm;
        } else if (size == 2) {
            index = h << 1 | l;
            reg = mbit << 4 | rm;
        } else {
            return null;
        }
        int op = (w >>> 29 & 1) << 4 | (w >>> 12 & 15);
        return p.insn(w, q, RD.i(w), RN.i(w), reg, 0, op, index, 0, 0, size, 0, fp ? FLAG_FP : 0);
    }

    /** Advanced SIMD three-different rows: U:opcode, mnemonic (the "2" forms by Q). */
    private static final Object[][] THREE_DIFFERENT = {
        {0b00000, "saddl"}, {0b10000, "uaddl"}, {0b00001, "saddw"}, {0b10001, "uaddw"}, {0b00010, "ssubl"},
        {0b10010, "usubl"}, {0b00011, "ssubw"}, {0b10011, "usubw"}, {0b00100, "addhn"}, {0b10100, "raddhn"},
        {0b00101, "sabal"}, {0b10101, "uabal"}, {0b00110, "subhn"}, {0b10110, "rsubhn"}, {0b00111, "sabdl"},
        {0b10111, "uabdl"}, {0b01000, "smlal"}, {0b11000, "umlal"}, {0b01010, "smlsl"}, {0b11010, "umlsl"},
        {0b01100, "smull"}, {0b11100, "umull"}, {0b01110, "pmull"}, {0b01001, "sqdmlal"}, {0b01011, "sqdmlsl"},
        {0b01101, "sqdmull"}};

    /** imm = U:opcode (fp.SimdInt constants), size = the narrow element size, sf = Q (the "2" forms). */
    static Insn threeDifferent(Pattern p, int w) {
        int size = w >>> 22 & 3, op = (w >>> 29 & 1) << 4 | (w >>> 12 & 15);
        boolean pmull = op == 0b01110, doubling = (op & 0b11001) == 0b01001;
        if (size == 3 ? !pmull : pmull && size != 0 || doubling && size == 0) {
            return null;
        }
        return p.insn(w, Q.i(w) == 1 && (p.flags() & FLAG_SCALAR) == 0, RD.i(w), RN.i(w), RM.i(w), 0, op, 0, 0, 0, size, 0, 0);
    }

    /** Advanced SIMD FP across lanes (4S only): U:a:opcode, mnemonic. */
    private static final Object[][] FP_ACROSS = {
        {0b1001100, "fmaxnmv"}, {0b1001111, "fmaxv"}, {0b1101100, "fminnmv"}, {0b1101111, "fminv"}};

    /**
     * FP vector two-register and across-lanes format: imm = U:a:opcode, size = 2 + sz, sf = Q.
     * FCVTN/FCVTXN: size = the narrow destination (1 + sz); FCVTL: the wide one; URECPE/URSQRTE: S only.
     */
    static Insn fpVector(Pattern p, int w) {
        int sz = w >>> 22 & 1;
        boolean scalar = (p.flags() & FLAG_SCALAR) != 0, q = Q.i(w) == 1 && !scalar;
        int op = (w >>> 29 & 1) << 6 | (w >>> 23 & 1) << 5 | (w >>> 12 & 31);
        int size = 2 + sz;
        switch (p.mnemonic()) {
            case "fcvtn", "fcvtl" -> size = p.mnemonic().equals("fcvtn") ? 1 + sz : 2 + sz;
            case "fcvtxn" -> {
                if (sz == 0) {
                    return null;
                }
                size = 2;
            }
            case "urecpe", "ursqrte" -> {
                if (sz == 1) {
                    return null;
                }
            }
            case "frecpx" -> { }
            default -> {
                if (sz == 1 && !q && !scalar) {
                    return null;
                }
            }
        }
        return p.insn(w, q, RD.i(w), RN.i(w), 0, 0, op, 0, 0, 0, size, 0, 0);
    }

    /** imm = U:a:opcode (fp.SimdFp constants), size = 2 + sz, sf = Q. */
    static Insn fpThreeSame(Pattern p, int w) {
        int u = w >>> 29 & 1, a = w >>> 23 & 1, sz = w >>> 22 & 1, opcode = w >>> 11 & 31;
        boolean scalar = (p.flags() & FLAG_SCALAR) != 0, q = Q.i(w) == 1 && !scalar;
        String mn = FP_THREE_SAME[u << 4 | a << 3 | (opcode & 7)];
        if (mn == null || (sz == 1 && !q && !scalar) || scalar && !FP_SCALAR_SAME.contains(mn)) {
            return null;
        }
        return p.insn(w, q, RD.i(w), RN.i(w), RM.i(w), 0, u << 6 | a << 5 | opcode, 0, 0, 0, 2 + sz, 0, 0);
    }

    static Insn permute(Pattern p, int w) {
        int op = w >>> 12 & 7, size = w >>> 22 & 3;
        boolean q = Q.i(w) == 1;
        if ((op & 3) == 0 || (size == 3 && !q)) {
            return null;
        }
        return p.insn(w, q, RD.i(w), RN.i(w), RM.i(w), 0, op, 0, 0, 0, size, 0, 0);
    }

    static Insn ext(Pattern p, int w) {
        int index = w >>> 11 & 15;
        boolean q = Q.i(w) == 1;
        if (!q && index >= 8) {
            return null;
        }
        return p.insn(w, q, RD.i(w), RN.i(w), RM.i(w), 0, index, 0, 0, 0, 0, 0, 0);
    }

    /** TBL/TBX: imm = table registers (1-4), amount = 1 for TBX. */
    static Insn table(Pattern p, int w) {
        int len = (w >>> 13 & 3) + 1, tbx = w >>> 12 & 1;
        return p.insn(w, Q.i(w) == 1, RD.i(w), RN.i(w), RM.i(w), 0, len, tbx, 0, 0, 0, 0, 0);
    }

    static Insn copy(Pattern p, int w) {
        int imm5 = IMM5.i(w), size = Integer.numberOfTrailingZeros(imm5);
        if (size > 3) {
            return null;
        }
        boolean q = Q.i(w) == 1;
        int index = imm5 >>> (size + 1), index2 = IMM4.i(w) >>> size;
        switch (p.op()) {
            case SIMD_DUP_ELEM, SIMD_DUP_GEN -> {
                if (size == 3 && !q) {
                    return null;
                }
            }
            case SIMD_SMOV -> {
                if (size == 3 || (size == 2 && !q)) {
                    return null;
                }
            }
            case SIMD_UMOV -> {
                if ((size == 3) != q) {
                    return null;
                }
            }
            default -> { }
        }
        return p.insn(w, q, RD.i(w), RN.i(w), 0, 0, index, index2, 0, 0, size, 0, 0);
    }

    /** AdvSIMDExpandImm plus the op/cmode validity rules; amount = MOVI_* kind. */
    static Insn modifiedImmediate(Pattern p, int w) {
        boolean q = Q.i(w) == 1;
        int op = w >>> 29 & 1, cmode = w >>> 12 & 15;
        int abc = w >>> 16 & 7, defgh = w >>> 5 & 31, imm8 = abc << 5 | defgh;
        int kind;
        int size; // element size for printing
        long imm;
        if (cmode < 8) { // 32-bit shifted
            kind = (cmode & 1) == 0 ? (op == 0 ? MOVI_MOVI : MOVI_MVNI) : (op == 0 ? MOVI_ORR : MOVI_BIC);
            imm = rep32((long) imm8 << (8 * (cmode >> 1)));
            size = 2;
        } else if (cmode < 12) { // 16-bit shifted
            kind = (cmode & 1) == 0 ? (op == 0 ? MOVI_MOVI : MOVI_MVNI) : (op == 0 ? MOVI_ORR : MOVI_BIC);
            imm = rep16((long) imm8 << (8 * ((cmode >> 1) & 1)));
            size = 1;
        } else if (cmode < 14) { // 32-bit shifting ones
            kind = op == 0 ? MOVI_MOVI : MOVI_MVNI;
            long ones = (cmode & 1) == 0 ? 0xff : 0xffff;
            imm = rep32((long) imm8 << (8 * ((cmode & 1) + 1)) | ones);
            size = 2;
        } else if (cmode == 14 && op == 0) { // 8-bit
            kind = MOVI_MOVI;
            imm = rep16(imm8 << 8 | imm8);
            imm = rep32(imm & 0xffff | (imm & 0xffff) << 16);
            size = 0;
        } else if (cmode == 14) { // 64-bit bytes
            kind = MOVI_MOVI;
            imm = 0;
            for (int i = 0; i < 8; i++) {
                if ((imm8 >>> i & 1) != 0) {
                    imm |= 0xffL << (8 * i);
                }
            }
            size = 3;
        } else if (op == 0) { // FMOV single
            kind = MOVI_FMOV;
            imm = rep32(Float.floatToRawIntBits((float) vfpImm(imm8)) & 0xffffffffL);
            size = 2;
        } else {
            if (!q) {
                return null;
            }
            kind = MOVI_FMOV;
            imm = Double.doubleToRawLongBits(vfpImm(imm8));
            size = 3;
        }
        if (kind == MOVI_MVNI) {
            imm = ~imm;
        }
        return p.insn(w, q, RD.i(w), 0, 0, 0, imm, kind, imm8, cmode, size, 0, 0);
    }

    private static long rep32(long v) {
        v &= 0xffffffffL;
        return v | v << 32;
    }

    private static long rep16(long v) {
        v &= 0xffff;
        return rep32(v | v << 16);
    }

    /** VFPExpandImm as a double: +-(16 + efgh)/16 * 2^((bcd ^ 4) - 3); exact in every format. */
    static double vfpImm(int imm8) {
        double m = (16 + (imm8 & 15)) / 16.0;
        int e = ((imm8 >>> 4) & 7 ^ 4) - 3;
        double v = Math.scalb(m, e);
        return (imm8 & 0x80) != 0 ? -v : v;
    }

    // =====================================================================================
    private static void scalarFp() {
        // FMOV (general) sits inside the FP<->integer group: an overlap group, FMOV first.
        group = "fpint";
        row("x 0 0 11110 xx 1 xx 11x 000000 xxxxx xxxxx", "FMOV_gen", "fmov", Op.FMOV_GEN, 0, FpSimdTable::fmovGen, FpSimdSyntax::fmovGen);
        row("x 0 0 11110 xx 1 xx xxx 000000 xxxxx xxxxx", "FP_CVT_INT", "fcvt", Op.FP_CVT_INT, 0, FpSimdTable::convertInt, FpSimdSyntax::convertInt);
        group = null;
        row("x 0 0 11110 xx 0 xx xxx xxxxxx xxxxx xxxxx", "FP_CVT_FIXED", "fcvt", Op.FP_CVT_INT, 0, FpSimdTable::convertFixed, FpSimdSyntax::convertInt);
        row("0 0 0 11110 xx 1 xxxxxx 10000 xxxxx xxxxx", "FP_1SRC", "f", Op.FP_1SRC, 0, FpSimdTable::oneSource, FpSimdSyntax::oneSource);
        row("0 0 0 11110 xx 1 xxxxx 00 1000 xxxxx xxxxx", "FP_CMP", "fcmp", Op.FP_CMP, 0, FpSimdTable::compare, FpSimdSyntax::compare);
        row("0 0 0 11110 xx 1 xxxxxxxx 100 00000 xxxxx", "FMOV_imm", "fmov", Op.FMOV_IMM, 0, FpSimdTable::fmovImm, FpSimdSyntax::fmovImm);
        row("0 0 0 11110 xx 1 xxxxx xxxx 01 xxxxx x xxxx", "FP_CCMP", "fccmp", Op.FP_CCMP, 0, FpSimdTable::condCompare, FpSimdSyntax::condCompare);
        row("0 0 0 11110 xx 1 xxxxx xxxx 10 xxxxx xxxxx", "FP_2SRC", "f", Op.FP_2SRC, 0, FpSimdTable::twoSource, FpSimdSyntax::twoSource);
        row("0 0 0 11110 xx 1 xxxxx xxxx 11 xxxxx xxxxx", "FP_CSEL", "fcsel", Op.FP_CSEL, 0, FpSimdTable::condSelect, FpSimdSyntax::condSelect);
        row("0 0 0 11111 xx x xxxxx x xxxxx xxxxx xxxxx", "FP_3SRC", "f", Op.FP_3SRC, 0, FpSimdTable::threeSource, FpSimdSyntax::threeSource);
    }

    /** The FP type field as log2 bytes (S = 2, D = 3), or -1 where only FP16 could use it (not implemented). */
    private static int ftype(int w) {
        return switch (FTYPE.i(w)) {
            case 0 -> 2;
            case 1 -> 3;
            default -> -1;
        };
    }

    static Insn fmovGen(Pattern p, int w) {
        boolean sf = (w >>> 31) == 1;
        int type = FTYPE.i(w), rmode = w >>> 19 & 3, opcode = w >>> 16 & 7;
        int size = ftype(w);
        int variant;
        if (rmode == 0 && size > 0 && (size == 3) == sf) {
            variant = opcode == 6 ? FMOV_TO_GEN : FMOV_FROM_GEN;
        } else if (rmode == 1 && type == 2 && sf) {
            variant = opcode == 6 ? FMOV_TO_GEN_HI : FMOV_FROM_GEN_HI;
            size = 3;
        } else {
            return null;
        }
        return p.insn(w, sf, RD.i(w), RN.i(w), 0, 0, variant, 0, 0, 0, size, 0, 0);
    }

    static Insn convertInt(Pattern p, int w) {
        boolean sf = (w >>> 31) == 1;
        int rmode = w >>> 19 & 3, opcode = w >>> 16 & 7;
        int size = ftype(w);
        if (size < 0 || opcode >= 6 || (opcode >= 2 && rmode != 0)) {
            return null;
        }
        return p.insn(w, sf, RD.i(w), RN.i(w), 0, 0, rmode << 3 | opcode, 0, 0, 0, size, 0, 0);
    }

    static Insn convertFixed(Pattern p, int w) {
        boolean sf = (w >>> 31) == 1;
        int rmode = w >>> 19 & 3, opcode = w >>> 16 & 7, scale = SCALE.i(w), size = ftype(w);
        boolean ok = (rmode == 0 && (opcode == 2 || opcode == 3)) || (rmode == 3 && opcode <= 1);
        if (!ok || size < 0 || (!sf && scale < 32)) {
            return null;
        }
        return p.insn(w, sf, RD.i(w), RN.i(w), 0, 0, rmode << 3 | opcode, 64 - scale, 0, 0, size, 0, 0);
    }

    /** FP_1SRC opcodes: FCVT to another precision is 0b0001xx (xx = destination type). */
    static final int F1_FMOV = 0, F1_FABS = 1, F1_FNEG = 2, F1_FSQRT = 3, F1_FRINTN = 8, F1_FRINTP = 9,
            F1_FRINTM = 10, F1_FRINTZ = 11, F1_FRINTA = 12, F1_FRINTX = 14, F1_FRINTI = 15;

    static Insn oneSource(Pattern p, int w) {
        int opcode = OP6.i(w), type = FTYPE.i(w);
        if ((opcode & 0x3c) == 4) { // FCVT between H, S and D (FP16 not needed)
            int to = opcode & 3;
            if (type == 2 || to == 2 || to == type) {
                return null;
            }
            int from = type == 3 ? 1 : type + 2, dst = to == 3 ? 1 : to + 2;
            return p.insn(w, false, RD.i(w), RN.i(w), 0, 0, opcode, dst, 0, 0, from, 0, 0);
        }
        int size = ftype(w);
        boolean ok = opcode <= 3 || (opcode >= 8 && opcode <= 15 && opcode != 13);
        if (size < 0 || !ok) {
            return null;
        }
        return p.insn(w, false, RD.i(w), RN.i(w), 0, 0, opcode, size, 0, 0, size, 0, 0);
    }

    static Insn compare(Pattern p, int w) {
        int size = ftype(w), op2 = w & 31;
        if (size < 0 || (op2 & 7) != 0) {
            return null;
        }
        boolean zero = (op2 & 8) != 0;
        return p.insn(w, false, 0, RN.i(w), zero ? 32 : RM.i(w), 0, 0, 0, 0, 0, size, 0,
                (op2 & 16) != 0 ? FLAG_SIGNALING : 0);
    }

    static Insn fmovImm(Pattern p, int w) {
        int size = ftype(w);
        if (size < 0) {
            return null;
        }
        double v = vfpImm(IMM8.i(w));
        long bits = size == 3 ? Double.doubleToRawLongBits(v) : Float.floatToRawIntBits((float) v) & 0xffffffffL;
        return p.insn(w, false, RD.i(w), 0, 0, 0, bits, IMM8.i(w), 0, 0, size, 0, 0);
    }

    static Insn condCompare(Pattern p, int w) {
        int size = ftype(w);
        if (size < 0) {
            return null;
        }
        return p.insn(w, false, 0, RN.i(w), RM.i(w), 0, NZCV.get(w), 0, 0, COND.i(w), size, 0,
                (w >>> 4 & 1) != 0 ? FLAG_SIGNALING : 0);
    }

    /** FP_2SRC opcodes. */
    static final int F2_FMUL = 0, F2_FDIV = 1, F2_FADD = 2, F2_FSUB = 3, F2_FMAX = 4, F2_FMIN = 5,
            F2_FMAXNM = 6, F2_FMINNM = 7, F2_FNMUL = 8;

    static Insn twoSource(Pattern p, int w) {
        int size = ftype(w), opcode = OP4.i(w);
        if (size < 0 || opcode > 8) {
            return null;
        }
        return p.insn(w, false, RD.i(w), RN.i(w), RM.i(w), 0, opcode, 0, 0, 0, size, 0, 0);
    }

    static Insn condSelect(Pattern p, int w) {
        int size = ftype(w);
        if (size < 0) {
            return null;
        }
        return p.insn(w, false, RD.i(w), RN.i(w), RM.i(w), 0, 0, 0, 0, COND.i(w), size, 0, 0);
    }

    static Insn threeSource(Pattern p, int w) {
        int size = ftype(w);
        if (size < 0) {
            return null;
        }
        int o1 = w >>> 21 & 1, o0 = w >>> 15 & 1;
        return p.insn(w, false, RD.i(w), RN.i(w), RM.i(w), RA.i(w), o1 << 1 | o0, 0, 0, 0, size, 0, 0);
    }
}
