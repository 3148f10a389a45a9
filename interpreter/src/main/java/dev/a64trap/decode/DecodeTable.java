package dev.a64trap.decode;

import static dev.a64trap.decode.Field.s;
import static dev.a64trap.decode.Field.u;
import static dev.a64trap.decode.Insn.*;

import dev.a64trap.decode.Pattern.Format;
import dev.a64trap.decode.Pattern.Syntax;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The A64 integer and system decode table: one row per encoding (bit pattern, op, flags, format,
 * syntax). Fields, their sign extension and scaling are declared here once; formats only combine
 * them and reject reserved combinations ("not mine"). Out-of-scope encoding classes stay visible
 * as commented rows and decode to UNDEFINED.
 */
final class DecodeTable {
    private DecodeTable() {}

    // ---- fields
    static final Field RD = u(0, 5), RN = u(5, 5), RM = u(16, 5), RA = u(10, 5), RS = u(16, 5);
    static final Field SF = u(31, 1), SIZE = u(30, 2), N = u(22, 1);
    static final Field IMM12 = u(10, 12), SH = u(22, 1);
    static final Field IMMR = u(16, 6), IMMS = u(10, 6), HW = u(21, 2), IMM16 = u(5, 16);
    static final Field IMMHI = s(5, 19).times(2), IMMLO = u(29, 2);
    static final Field IMM26 = s(0, 26).times(2), IMM19 = s(5, 19).times(2), IMM14 = s(5, 14).times(2);
    static final Field COND_B = u(0, 4), COND = u(12, 4), NZCV = u(0, 4), IMM5 = u(16, 5);
    static final Field SHIFT = u(22, 2), IMM6 = u(10, 6), OPTION = u(13, 3), IMM3 = u(10, 3);
    static final Field B5 = u(31, 1), B40 = u(19, 5);
    static final Field IMM9 = s(12, 9), IMM7_X4 = s(15, 7).times(2), IMM7_X8 = s(15, 7).times(3), RT2 = u(10, 5);
    static final Field SYSREG = u(5, 16), CRM = u(8, 4), OP2 = u(5, 3), OP1 = u(16, 3), HINTNUM = u(5, 7);
    static final Field CRC_SZ = u(10, 2), CRC_C = u(12, 1);
    static final Field BIT_S = u(12, 1), BIT_A = u(23, 1), BIT_R = u(22, 1), BIT_L = u(22, 1), BIT_O0 = u(15, 1);

    /** The integer rows, without {@link FpSimdTable}'s. */
    private static final List<Pattern> ROWS;

    /** All rows in table order: the integer rows, then the SIMD&FP rows (built on first use). */
    static List<Pattern> rows() {
        return All.ROWS;
    }

    /** The integer rows alone (the decoder adds the SIMD&FP rows only where a word can be one). */
    static List<Pattern> integerRows() {
        return ROWS;
    }

    private static final class All {
        static final List<Pattern> ROWS;

        static {
            List<Pattern> all = new ArrayList<>(DecodeTable.ROWS);
            all.addAll(FpSimdTable.rows());
            ROWS = Collections.unmodifiableList(all);
        }
    }

    private static final List<Pattern> T = new ArrayList<>();
    private static String group;

    private static void row(String bits, String name, String mnemonic, Op op, int flags, Format f, Syntax syn) {
        int[] mm = Pattern.bits(bits);
        T.add(new Pattern(name, mnemonic, mm[0], mm[1], op, flags, f, syn, group));
    }

    static String bin(int v, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = n - 1; i >= 0; i--) {
            b.append((v >>> i & 1) == 1 ? '1' : '0');
        }
        return b.toString();
    }

    // =====================================================================================
    private static void dataProcessingImmediate() {
        //   bits (31..0)                              name       mnemonic op           flags
        row("0xx10000 xxxxxxxxxxxxxxxxxxxxxxxx", "ADR", "adr", Op.ADR, 0, DecodeTable::adr, Disassembler::adr);
        row("1xx10000 xxxxxxxxxxxxxxxxxxxxxxxx", "ADRP", "adrp", Op.ADRP, 0, DecodeTable::adr, Disassembler::adr);
        row("x0010001 0xxxxxxxxxxxxxxxxxxxxxxx", "ADD_imm", "add", Op.ADD_IMM, 0, DecodeTable::addSubImm, Disassembler::addSubImm);
        row("x0110001 0xxxxxxxxxxxxxxxxxxxxxxx", "ADDS_imm", "adds", Op.ADD_IMM, FLAG_SETFLAGS, DecodeTable::addSubImm, Disassembler::addSubImm);
        row("x1010001 0xxxxxxxxxxxxxxxxxxxxxxx", "SUB_imm", "sub", Op.SUB_IMM, 0, DecodeTable::addSubImm, Disassembler::addSubImm);
        row("x1110001 0xxxxxxxxxxxxxxxxxxxxxxx", "SUBS_imm", "subs", Op.SUB_IMM, FLAG_SETFLAGS, DecodeTable::addSubImm, Disassembler::addSubImm);
        // x.x10001 1...: ADDG/SUBG (MTE) -- out of scope
        row("x0010010 0xxxxxxxxxxxxxxxxxxxxxxx", "AND_imm", "and", Op.AND_IMM, 0, DecodeTable::logicImm, Disassembler::logicImm);
        row("x0110010 0xxxxxxxxxxxxxxxxxxxxxxx", "ORR_imm", "orr", Op.ORR_IMM, 0, DecodeTable::logicImm, Disassembler::logicImm);
        row("x1010010 0xxxxxxxxxxxxxxxxxxxxxxx", "EOR_imm", "eor", Op.EOR_IMM, 0, DecodeTable::logicImm, Disassembler::logicImm);
        row("x1110010 0xxxxxxxxxxxxxxxxxxxxxxx", "ANDS_imm", "ands", Op.AND_IMM, FLAG_SETFLAGS, DecodeTable::logicImm, Disassembler::logicImm);
        row("x0010010 1xxxxxxxxxxxxxxxxxxxxxxx", "MOVN", "movn", Op.MOVN, 0, DecodeTable::moveWide, Disassembler::moveWide);
        // x0110010 1...: unallocated (opc=01)
        row("x1010010 1xxxxxxxxxxxxxxxxxxxxxxx", "MOVZ", "movz", Op.MOVZ, 0, DecodeTable::moveWide, Disassembler::moveWide);
        row("x1110010 1xxxxxxxxxxxxxxxxxxxxxxx", "MOVK", "movk", Op.MOVK, 0, DecodeTable::moveWide, Disassembler::moveWide);
        row("x0010011 0xxxxxxxxxxxxxxxxxxxxxxx", "SBFM", "sbfm", Op.SBFM, 0, DecodeTable::bitfield, Disassembler::sbfm);
        row("x0110011 0xxxxxxxxxxxxxxxxxxxxxxx", "BFM", "bfm", Op.BFM, 0, DecodeTable::bitfield, Disassembler::bfm);
        row("x1010011 0xxxxxxxxxxxxxxxxxxxxxxx", "UBFM", "ubfm", Op.UBFM, 0, DecodeTable::bitfield, Disassembler::ubfm);
        row("x0010011 1x0xxxxxxxxxxxxxxxxxxxxx", "EXTR", "extr", Op.EXTR, 0, DecodeTable::extr, Disassembler::extr);
    }

    private static void branchesExceptionsSystem() {
        row("000101xx xxxxxxxxxxxxxxxxxxxxxxxx", "B", "b", Op.B, 0, DecodeTable::branchImm, Disassembler::branchImm);
        row("100101xx xxxxxxxxxxxxxxxxxxxxxxxx", "BL", "bl", Op.BL, 0, DecodeTable::branchImm, Disassembler::branchImm);
        row("01010100 xxxxxxxxxxxxxxxxxxx0xxxx", "B_cond", "b", Op.B_COND, 0, DecodeTable::branchCond, Disassembler::branchCond);
        // 01010100 ... 1 cond: BC.cond (FEAT_HBC) -- out of scope
        row("x0110100 xxxxxxxxxxxxxxxxxxxxxxxx", "CBZ", "cbz", Op.CBZ, 0, DecodeTable::compareBranch, Disassembler::compareBranch);
        row("x0110101 xxxxxxxxxxxxxxxxxxxxxxxx", "CBNZ", "cbnz", Op.CBNZ, 0, DecodeTable::compareBranch, Disassembler::compareBranch);
        row("x0110110 xxxxxxxxxxxxxxxxxxxxxxxx", "TBZ", "tbz", Op.TBZ, 0, DecodeTable::testBranch, Disassembler::testBranch);
        row("x0110111 xxxxxxxxxxxxxxxxxxxxxxxx", "TBNZ", "tbnz", Op.TBNZ, 0, DecodeTable::testBranch, Disassembler::testBranch);
        row("1101011 0000 11111 000000 xxxxx 00000", "BR", "br", Op.BR, 0, DecodeTable::branchReg, Disassembler::branchReg);
        row("1101011 0001 11111 000000 xxxxx 00000", "BLR", "blr", Op.BLR, 0, DecodeTable::branchReg, Disassembler::branchReg);
        row("1101011 0010 11111 000000 xxxxx 00000", "RET", "ret", Op.RET, 0, DecodeTable::branchReg, Disassembler::ret);
        row("1101011 0100 11111 000000 11111 00000", "ERET", "eret", Op.ERET, 0, DecodeTable::plain, Disassembler::bare);
        // 1101011 0101 11111 000000 11111 00000: DRPS (debug state) -- out of scope
        // 1101011 0xx1 11111 00001x ...: BRAA/BLRAA/RETAA/ERETAA... (pointer auth) -- out of scope

        row("11010100 000 xxxxxxxxxxxxxxxx 000 01", "SVC", "svc", Op.SVC, 0, DecodeTable::exception, Disassembler::exception);
        row("11010100 000 xxxxxxxxxxxxxxxx 000 10", "HVC", "hvc", Op.HVC, 0, DecodeTable::exception, Disassembler::exception);
        row("11010100 000 xxxxxxxxxxxxxxxx 000 11", "SMC", "smc", Op.SMC, 0, DecodeTable::exception, Disassembler::exception);
        row("11010100 001 xxxxxxxxxxxxxxxx 000 00", "BRK", "brk", Op.BRK, 0, DecodeTable::exception, Disassembler::exception);
        row("11010100 010 xxxxxxxxxxxxxxxx 000 00", "HLT", "hlt", Op.HLT, 0, DecodeTable::exception, Disassembler::exception);
        // 11010100 101 imm16 000 LL: DCPS1..3 (debug state) -- out of scope
        // UDF is permanently undefined: decoded only so the disassembler prints it as objdump does.
        row("00000000 00000000 xxxxxxxx xxxxxxxx", "UDF", "udf", Op.UNDEFINED, 0, DecodeTable::exception, Disassembler::exception);

        // System: 1101010100 L op0 op1 CRn CRm op2 Rt
        row("1101010100 0 00 xxx 0100 xxxx xxx 11111", "MSR_imm", "msr", Op.MSR_IMM, 0, DecodeTable::msrImm, Disassembler::msrImm);
        // (op0=0, CRn=0100) cfinv/xaflag/axflag (FlagM), msr uao/pan/ssbs/dit/tco/allint, smstart/smstop: out of scope
        // Hint space: an overlap group, the named hints first, then the generic row that takes every
        // other CRm:op2 (BTI, PAC hints, unallocated ones): all are HINT, executed as NOP unless
        // imm names WFE/WFI/SEV/SEVL/YIELD. Names printed come from objdump's table (hints.tsv).
        group = "hint";
        row("1101010100 0 00 011 0010 0000 000 11111", "NOP", "nop", Op.HINT, 0, DecodeTable::hint, Disassembler::hint);
        row("1101010100 0 00 011 0010 0000 001 11111", "YIELD", "yield", Op.HINT, 0, DecodeTable::hint, Disassembler::hint);
        row("1101010100 0 00 011 0010 0000 010 11111", "WFE", "wfe", Op.HINT, 0, DecodeTable::hint, Disassembler::hint);
        row("1101010100 0 00 011 0010 0000 011 11111", "WFI", "wfi", Op.HINT, 0, DecodeTable::hint, Disassembler::hint);
        row("1101010100 0 00 011 0010 0000 100 11111", "SEV", "sev", Op.HINT, 0, DecodeTable::hint, Disassembler::hint);
        row("1101010100 0 00 011 0010 0000 101 11111", "SEVL", "sevl", Op.HINT, 0, DecodeTable::hint, Disassembler::hint);
        row("1101010100 0 00 011 0010 xxxx xxx 11111", "HINT", "hint", Op.HINT, 0, DecodeTable::hint, Disassembler::hint);
        group = null;
        row("1101010100 0 00 011 0011 xxxx 010 11111", "CLREX", "clrex", Op.CLREX, 0, DecodeTable::barrier, Disassembler::barrier);
        row("1101010100 0 00 011 0011 xxxx 100 11111", "DSB", "dsb", Op.DSB, 0, DecodeTable::barrier, Disassembler::barrier);
        row("1101010100 0 00 011 0011 xxxx 101 11111", "DMB", "dmb", Op.DMB, 0, DecodeTable::barrier, Disassembler::barrier);
        row("1101010100 0 00 011 0011 xxxx 110 11111", "ISB", "isb", Op.ISB, 0, DecodeTable::barrier, Disassembler::barrier);
        // 1101010100 0 00 011 0011 xx10 001 11111: DSB nXS (FEAT_XS) -- out of scope
        // 1101010100 0 00 011 0011 0000 111 11111: SB (FEAT_SB) -- out of scope
        // 1101010100 0 00 011 0011 0000 011 11111: TCOMMIT (TME) -- out of scope
        // 1101010100 0 00 011 0001 0000 00x xxxxx: WFET/WFIT (FEAT_WFxT) -- out of scope
        row("1101010100 0 01 xxx xxxx xxxx xxx xxxxx", "SYS", "sys", Op.SYS, 0, DecodeTable::sysReg, Disassembler::sys);
        row("1101010100 1 01 xxx xxxx xxxx xxx xxxxx", "SYSL", "sysl", Op.SYSL, 0, DecodeTable::sysReg, Disassembler::sysl);
        row("1101010100 0 1x xxx xxxx xxxx xxx xxxxx", "MSR_reg", "msr", Op.MSR_REG, 0, DecodeTable::sysReg, Disassembler::msrReg);
        row("1101010100 1 1x xxx xxxx xxxx xxx xxxxx", "MRS", "mrs", Op.MRS, 0, DecodeTable::sysReg, Disassembler::mrs);
        // 1101010100 x 00 ...: other op0=0 encodings are unallocated (objdump prints them as msr s0_*)
    }

    private static void dataProcessingRegister() {
        String[][] logic = {
            {"00", "0", "AND", "and"}, {"00", "1", "BIC", "bic"}, {"01", "0", "ORR", "orr"}, {"01", "1", "ORN", "orn"},
            {"10", "0", "EOR", "eor"}, {"10", "1", "EON", "eon"}, {"11", "0", "ANDS", "ands"}, {"11", "1", "BICS", "bics"}};
        Op[] logicOps = {Op.AND_REG, Op.BIC_REG, Op.ORR_REG, Op.ORN_REG, Op.EOR_REG, Op.EON_REG, Op.AND_REG, Op.BIC_REG};
        for (int i = 0; i < logic.length; i++) {
            String[] l = logic[i];
            row("x" + l[0] + "01010 xx" + l[1] + " xxxxx xxxxxx xxxxx xxxxx", l[2] + "_reg", l[3], logicOps[i],
                    i >= 6 ? FLAG_SETFLAGS : 0, DecodeTable::shiftedReg, Disassembler::logicReg);
        }
        row("x0001011 xx0 xxxxx xxxxxx xxxxx xxxxx", "ADD_sreg", "add", Op.ADD_SREG, 0, DecodeTable::addSubShifted, Disassembler::addSubShifted);
        row("x0101011 xx0 xxxxx xxxxxx xxxxx xxxxx", "ADDS_sreg", "adds", Op.ADD_SREG, FLAG_SETFLAGS, DecodeTable::addSubShifted, Disassembler::addSubShifted);
        row("x1001011 xx0 xxxxx xxxxxx xxxxx xxxxx", "SUB_sreg", "sub", Op.SUB_SREG, 0, DecodeTable::addSubShifted, Disassembler::addSubShifted);
        row("x1101011 xx0 xxxxx xxxxxx xxxxx xxxxx", "SUBS_sreg", "subs", Op.SUB_SREG, FLAG_SETFLAGS, DecodeTable::addSubShifted, Disassembler::addSubShifted);
        row("x0001011 001 xxxxx xxxxxx xxxxx xxxxx", "ADD_ereg", "add", Op.ADD_EREG, 0, DecodeTable::addSubExtended, Disassembler::addSubExtended);
        row("x0101011 001 xxxxx xxxxxx xxxxx xxxxx", "ADDS_ereg", "adds", Op.ADD_EREG, FLAG_SETFLAGS, DecodeTable::addSubExtended, Disassembler::addSubExtended);
        row("x1001011 001 xxxxx xxxxxx xxxxx xxxxx", "SUB_ereg", "sub", Op.SUB_EREG, 0, DecodeTable::addSubExtended, Disassembler::addSubExtended);
        row("x1101011 001 xxxxx xxxxxx xxxxx xxxxx", "SUBS_ereg", "subs", Op.SUB_EREG, FLAG_SETFLAGS, DecodeTable::addSubExtended, Disassembler::addSubExtended);
        row("x0011010 000 xxxxx 000000 xxxxx xxxxx", "ADC", "adc", Op.ADC, 0, DecodeTable::threeReg, Disassembler::adcSbc);
        row("x0111010 000 xxxxx 000000 xxxxx xxxxx", "ADCS", "adcs", Op.ADC, FLAG_SETFLAGS, DecodeTable::threeReg, Disassembler::adcSbc);
        row("x1011010 000 xxxxx 000000 xxxxx xxxxx", "SBC", "sbc", Op.SBC, 0, DecodeTable::threeReg, Disassembler::adcSbc);
        row("x1111010 000 xxxxx 000000 xxxxx xxxxx", "SBCS", "sbcs", Op.SBC, FLAG_SETFLAGS, DecodeTable::threeReg, Disassembler::adcSbc);
        // x0111010 000 imm6 00001 Rn o2 mask: RMIF; x0111010 000 000000 x0010 Rn 01101: SETF8/16 (FlagM) -- out of scope
        row("x0111010 010 xxxxx xxxx 00 xxxxx 0 xxxx", "CCMN_reg", "ccmn", Op.CCMN_REG, 0, DecodeTable::condCompare, Disassembler::condCompare);
        row("x1111010 010 xxxxx xxxx 00 xxxxx 0 xxxx", "CCMP_reg", "ccmp", Op.CCMP_REG, 0, DecodeTable::condCompare, Disassembler::condCompare);
        row("x0111010 010 xxxxx xxxx 10 xxxxx 0 xxxx", "CCMN_imm", "ccmn", Op.CCMN_IMM, 0, DecodeTable::condCompare, Disassembler::condCompare);
        row("x1111010 010 xxxxx xxxx 10 xxxxx 0 xxxx", "CCMP_imm", "ccmp", Op.CCMP_IMM, 0, DecodeTable::condCompare, Disassembler::condCompare);
        row("x0011010 100 xxxxx xxxx 00 xxxxx xxxxx", "CSEL", "csel", Op.CSEL, 0, DecodeTable::condSelect, Disassembler::condSelect);
        row("x0011010 100 xxxxx xxxx 01 xxxxx xxxxx", "CSINC", "csinc", Op.CSINC, 0, DecodeTable::condSelect, Disassembler::condSelect);
        row("x1011010 100 xxxxx xxxx 00 xxxxx xxxxx", "CSINV", "csinv", Op.CSINV, 0, DecodeTable::condSelect, Disassembler::condSelect);
        row("x1011010 100 xxxxx xxxx 01 xxxxx xxxxx", "CSNEG", "csneg", Op.CSNEG, 0, DecodeTable::condSelect, Disassembler::condSelect);
        row("x0011010 110 xxxxx 000010 xxxxx xxxxx", "UDIV", "udiv", Op.UDIV, 0, DecodeTable::threeReg, Disassembler::threeReg);
        row("x0011010 110 xxxxx 000011 xxxxx xxxxx", "SDIV", "sdiv", Op.SDIV, 0, DecodeTable::threeReg, Disassembler::threeReg);
        row("x0011010 110 xxxxx 001000 xxxxx xxxxx", "LSLV", "lsl", Op.LSLV, 0, DecodeTable::threeReg, Disassembler::threeReg);
        row("x0011010 110 xxxxx 001001 xxxxx xxxxx", "LSRV", "lsr", Op.LSRV, 0, DecodeTable::threeReg, Disassembler::threeReg);
        row("x0011010 110 xxxxx 001010 xxxxx xxxxx", "ASRV", "asr", Op.ASRV, 0, DecodeTable::threeReg, Disassembler::threeReg);
        row("x0011010 110 xxxxx 001011 xxxxx xxxxx", "RORV", "ror", Op.RORV, 0, DecodeTable::threeReg, Disassembler::threeReg);
        row("x0011010 110 xxxxx 010xxx xxxxx xxxxx", "CRC32", "crc32", Op.CRC32, 0, DecodeTable::crc32, Disassembler::crc32);
        // x0011010 110 ...: SUBP/IRG/GMI (MTE), PACGA (pointer auth), SMAX/UMAX/SMIN/UMIN (CSSC) -- out of scope
        row("x1011010 110 00000 000000 xxxxx xxxxx", "RBIT", "rbit", Op.RBIT, 0, DecodeTable::twoReg, Disassembler::twoReg);
        row("x1011010 110 00000 000001 xxxxx xxxxx", "REV16", "rev16", Op.REV16, 0, DecodeTable::twoReg, Disassembler::twoReg);
        row("01011010 110 00000 000010 xxxxx xxxxx", "REV_w", "rev", Op.REV, 0, DecodeTable::twoReg, Disassembler::twoReg);
        row("11011010 110 00000 000010 xxxxx xxxxx", "REV32", "rev32", Op.REV32, 0, DecodeTable::twoReg, Disassembler::twoReg);
        row("11011010 110 00000 000011 xxxxx xxxxx", "REV_x", "rev", Op.REV, 0, DecodeTable::twoReg, Disassembler::twoReg);
        row("x1011010 110 00000 000100 xxxxx xxxxx", "CLZ", "clz", Op.CLZ, 0, DecodeTable::twoReg, Disassembler::twoReg);
        row("x1011010 110 00000 000101 xxxxx xxxxx", "CLS", "cls", Op.CLS, 0, DecodeTable::twoReg, Disassembler::twoReg);
        // x1011010 110 00000 00011x/001xxx: CTZ/CNT/ABS (CSSC); x1011010 110 00001 ...: PAC*/AUT*/XPAC* -- out of scope
        row("x0011011 000 xxxxx 0 xxxxx xxxxx xxxxx", "MADD", "madd", Op.MADD, 0, DecodeTable::fourReg, Disassembler::mulAdd);
        row("x0011011 000 xxxxx 1 xxxxx xxxxx xxxxx", "MSUB", "msub", Op.MSUB, 0, DecodeTable::fourReg, Disassembler::mulAdd);
        row("10011011 001 xxxxx 0 xxxxx xxxxx xxxxx", "SMADDL", "smaddl", Op.SMADDL, 0, DecodeTable::fourReg, Disassembler::mulAddLong);
        row("10011011 001 xxxxx 1 xxxxx xxxxx xxxxx", "SMSUBL", "smsubl", Op.SMSUBL, 0, DecodeTable::fourReg, Disassembler::mulAddLong);
        // Ra is should-be-one for SMULH/UMULH; objdump (and the architecture's usual choice) ignores it.
        row("10011011 010 xxxxx 0 xxxxx xxxxx xxxxx", "SMULH", "smulh", Op.SMULH, 0, DecodeTable::threeReg, Disassembler::threeReg);
        row("10011011 101 xxxxx 0 xxxxx xxxxx xxxxx", "UMADDL", "umaddl", Op.UMADDL, 0, DecodeTable::fourReg, Disassembler::mulAddLong);
        row("10011011 101 xxxxx 1 xxxxx xxxxx xxxxx", "UMSUBL", "umsubl", Op.UMSUBL, 0, DecodeTable::fourReg, Disassembler::mulAddLong);
        row("10011011 110 xxxxx 0 xxxxx xxxxx xxxxx", "UMULH", "umulh", Op.UMULH, 0, DecodeTable::threeReg, Disassembler::threeReg);
    }

    /** One single-register load/store kind per (size, opc): mnemonic stem, op, flags, X destination. */
    private record Kind(int size, int opc, String stem, Op op, int flags, boolean sf) {}

    private static final Kind[] KINDS = {
        new Kind(0, 0, "strb", Op.STR, 0, false), new Kind(0, 1, "ldrb", Op.LDR, 0, false),
        new Kind(0, 2, "ldrsb", Op.LDR, FLAG_SIGNED, true), new Kind(0, 3, "ldrsb", Op.LDR, FLAG_SIGNED, false),
        new Kind(1, 0, "strh", Op.STR, 0, false), new Kind(1, 1, "ldrh", Op.LDR, 0, false),
        new Kind(1, 2, "ldrsh", Op.LDR, FLAG_SIGNED, true), new Kind(1, 3, "ldrsh", Op.LDR, FLAG_SIGNED, false),
        new Kind(2, 0, "str", Op.STR, 0, false), new Kind(2, 1, "ldr", Op.LDR, 0, false),
        new Kind(2, 2, "ldrsw", Op.LDR, FLAG_SIGNED, true),
        // size=10 opc=11: unallocated
        new Kind(3, 0, "str", Op.STR, 0, true), new Kind(3, 1, "ldr", Op.LDR, 0, true),
        new Kind(3, 2, "prfm", Op.PRFM, 0, true),
        // size=11 opc=11: unallocated
    };

    private static void loadsAndStores() {
        // Literal: opc 011 V 00 imm19 Rt
        row("00 011 0 00 xxxxxxxxxxxxxxxxxxx xxxxx", "LDR_lit_w", "ldr", Op.LDR, 0, DecodeTable::literal, Disassembler::literal);
        row("01 011 0 00 xxxxxxxxxxxxxxxxxxx xxxxx", "LDR_lit_x", "ldr", Op.LDR, 0, DecodeTable::literal, Disassembler::literal);
        row("10 011 0 00 xxxxxxxxxxxxxxxxxxx xxxxx", "LDRSW_lit", "ldrsw", Op.LDR, FLAG_SIGNED, DecodeTable::literal, Disassembler::literal);
        row("11 011 0 00 xxxxxxxxxxxxxxxxxxx xxxxx", "PRFM_lit", "prfm", Op.PRFM, 0, DecodeTable::literal, Disassembler::literal);
        // xx 011 1 00 ...: SIMD&FP literal loads: FpSimdTable

        // Exclusive and ordered: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt. Unused Rs/Rt2 are should-be-one;
        // which of them objdump checks differs per instruction, and we follow objdump.
        row("xx 001000 0 0 0 xxxxx x xxxxx xxxxx xxxxx", "STXR", "st", Op.STXR, 0, DecodeTable::exclusive, Disassembler::storeExclusive);
        row("xx 001000 0 1 0 xxxxx x xxxxx xxxxx xxxxx", "LDXR", "ld", Op.LDXR, 0, DecodeTable::exclusive, Disassembler::loadExclusive);
        row("1x 001000 0 0 1 xxxxx x xxxxx xxxxx xxxxx", "STXP", "st", Op.STXP, 0, DecodeTable::exclusivePair, Disassembler::storeExclusivePair);
        row("1x 001000 0 1 1 xxxxx x xxxxx xxxxx xxxxx", "LDXP", "ld", Op.LDXP, 0, DecodeTable::exclusivePair, Disassembler::loadExclusivePair);
        row("0x 001000 0 x 1 xxxxx x 11111 xxxxx xxxxx", "CASP", "casp", Op.CASP, 0, DecodeTable::casPair, Disassembler::casPair);
        // xx 001000 1 0 0 ... 0: STLLR, xx 001000 1 1 0 ... 0: LDLAR (FEAT_LOR) -- out of scope
        row("xx 001000 1 0 0 xxxxx 1 xxxxx xxxxx xxxxx", "STLR", "stlr", Op.STLR, FLAG_RELEASE, DecodeTable::ordered, Disassembler::ordered);
        // objdump 2.40 requires Rt2 and Rs all ones for LDAR, except Rs<4> for ldarb/ldar (its masks),
        // and ignores both for STLR; we follow it.
        row("00 001000 1 1 0 x1111 1 11111 xxxxx xxxxx", "LDARB", "ldar", Op.LDAR, FLAG_ACQUIRE, DecodeTable::ordered, Disassembler::ordered);
        row("01 001000 1 1 0 11111 1 11111 xxxxx xxxxx", "LDARH", "ldar", Op.LDAR, FLAG_ACQUIRE, DecodeTable::ordered, Disassembler::ordered);
        row("1x 001000 1 1 0 x1111 1 11111 xxxxx xxxxx", "LDAR", "ldar", Op.LDAR, FLAG_ACQUIRE, DecodeTable::ordered, Disassembler::ordered);
        row("xx 001000 1 x 1 xxxxx x 11111 xxxxx xxxxx", "CAS", "cas", Op.CAS, 0, DecodeTable::cas, Disassembler::cas);
        // xx 011001 ...: LDAPR/STLUR/LDAPUR (RCpc) -- out of scope

        // Pairs: opc 101 V type L imm7 Rt2 Rn Rt
        String[] types = {"000", "001", "010", "011"};
        int[] modes = {MODE_OFFSET, MODE_POST, MODE_OFFSET, MODE_PRE};
        String[] tnames = {"nt", "post", "off", "pre"};
        for (int t = 0; t < 4; t++) {
            for (int l = 0; l < 2; l++) {
                for (int opc : new int[] {0, 2}) {
                    String mn = (l == 1 ? "ld" : "st") + (t == 0 ? "np" : "p");
                    row(bin(opc, 2) + "1010" + types[t] + l + "xxxxxxx xxxxx xxxxx xxxxx",
                            mn.toUpperCase() + (opc == 2 ? "_x_" : "_w_") + tnames[t], mn, l == 1 ? Op.LDP : Op.STP,
                            t == 0 ? FLAG_NONTEMPORAL : 0, pairFormat(modes[t]), Disassembler::pair);
                }
            }
            if (t > 0) {
                row("01" + "1010" + types[t] + "1" + "xxxxxxx xxxxx xxxxx xxxxx", "LDPSW_" + tnames[t], "ldpsw", Op.LDP,
                        FLAG_SIGNED, ldpsw(pairFormat(modes[t])), Disassembler::pair);
            }
        }
        // 01 101 0 0tt 0: STGP (MTE); 01 101 0 000 1: unallocated; xx 101 1 ...: SIMD&FP pairs: FpSimdTable

        for (Kind k : KINDS) {
            String sz = bin(k.size, 2), opc = bin(k.opc, 2);
            String tag = k.stem.toUpperCase() + (k.sf ? "_x" : "_w");
            boolean prfm = k.op == Op.PRFM;
            row(sz + "111001" + opc + "xxxxxxxxxxxx xxxxx xxxxx", tag + "_uimm", k.stem, k.op, k.flags,
                    single(k, MODE_OFFSET, u(10, 12).times(k.size)), Disassembler::loadStore);
            row(sz + "111000" + opc + "0 xxxxxxxxx 00 xxxxx xxxxx", tag + "_unscaled", unscaled(k.stem), k.op, k.flags,
                    single(k, MODE_OFFSET, IMM9), Disassembler::loadStore);
            row(sz + "111000" + opc + "1 xxxxx xxx x 10 xxxxx xxxxx", tag + "_reg", k.stem, k.op, k.flags,
                    registerOffset(k), Disassembler::loadStoreReg);
            if (prfm) {
                continue; // size=11 opc=10 with post/pre-index or unprivileged: unallocated
            }
            row(sz + "111000" + opc + "0 xxxxxxxxx 01 xxxxx xxxxx", tag + "_post", k.stem, k.op, k.flags,
                    single(k, MODE_POST, IMM9), Disassembler::loadStore);
            row(sz + "111000" + opc + "0 xxxxxxxxx 10 xxxxx xxxxx", tag + "_unpriv", unpriv(k.stem), k.op,
                    k.flags | FLAG_UNPRIV, single(k, MODE_OFFSET, IMM9), Disassembler::loadStore);
            row(sz + "111000" + opc + "0 xxxxxxxxx 11 xxxxx xxxxx", tag + "_pre", k.stem, k.op, k.flags,
                    single(k, MODE_PRE, IMM9), Disassembler::loadStore);
        }
        // xx 111 1 ...: SIMD&FP loads/stores: FpSimdTable; 11 111000 0x1 ... x1: LDRAA/LDRAB (pointer auth) -- out of scope

        // LSE atomics: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt
        String[] atomics = {"add", "clr", "eor", "set", "smax", "smin", "umax", "umin"};
        Op[] atomicOps = {Op.LDADD, Op.LDCLR, Op.LDEOR, Op.LDSET, Op.LDSMAX, Op.LDSMIN, Op.LDUMAX, Op.LDUMIN};
        for (int i = 0; i < 8; i++) {
            row("xx 111000 xx1 xxxxx 0" + bin(i, 3) + "00 xxxxx xxxxx", "LD" + atomics[i].toUpperCase(), "ld" + atomics[i],
                    atomicOps[i], 0, DecodeTable::atomic, Disassembler::atomic);
        }
        row("xx 111000 xx1 xxxxx 1000 00 xxxxx xxxxx", "SWP", "swp", Op.SWP, 0, DecodeTable::atomic, Disassembler::atomic);
        // xx 111000 101 11111 1100 00: LDAPR (RCpc); 11 111000 001 ... 1010 00: LD64B/ST64B -- out of scope
    }

    private static String unscaled(String stem) {
        return stem.equals("prfm") ? "prfum" : stem.substring(0, 2) + "u" + stem.substring(2);
    }

    private static String unpriv(String stem) {
        return stem.substring(0, 2) + "t" + stem.substring(2);
    }

    // =====================================================================================
    // Formats: combine declared fields into the record; null = reserved combination.

    static Insn adr(Pattern p, int w) {
        long imm = IMMHI.get(w) | IMMLO.get(w);
        if (p.op() == Op.ADRP) {
            imm <<= 12;
        }
        return p.insn(w, true, RD.i(w), 0, 0, 0, imm, 0, 0, 0, 0, 0, 0);
    }

    static Insn addSubImm(Pattern p, int w) {
        int sh = SH.i(w) * 12;
        return p.insn(w, SF.i(w) == 1, RD.i(w), RN.i(w), 0, 0, IMM12.get(w) << sh, sh, 0, 0, 0, 0, 0);
    }

    static Insn logicImm(Pattern p, int w) {
        boolean sf = SF.i(w) == 1;
        int n = N.i(w), imms = IMMS.i(w);
        if ((!sf && n == 1) || !Decoder.bitMaskValid(n, imms, sf)) {
            return null;
        }
        return p.insn(w, sf, RD.i(w), RN.i(w), 0, 0, Decoder.bitMask(n, IMMR.i(w), imms, sf), 0, 0, 0, 0, 0, 0);
    }

    static Insn moveWide(Pattern p, int w) {
        boolean sf = SF.i(w) == 1;
        int hw = HW.i(w);
        if (!sf && hw >= 2) {
            return null;
        }
        return p.insn(w, sf, RD.i(w), 0, 0, 0, IMM16.get(w), hw * 16, 0, 0, 0, 0, 0);
    }

    static Insn bitfield(Pattern p, int w) {
        boolean sf = SF.i(w) == 1;
        int immr = IMMR.i(w), imms = IMMS.i(w);
        if (N.i(w) != SF.i(w) || (!sf && (immr >= 32 || imms >= 32))) {
            return null;
        }
        return p.insn(w, sf, RD.i(w), RN.i(w), 0, 0, immr, imms, 0, 0, 0, 0, 0);
    }

    static Insn extr(Pattern p, int w) {
        boolean sf = SF.i(w) == 1;
        int imms = IMMS.i(w);
        if (N.i(w) != SF.i(w) || (!sf && imms >= 32)) {
            return null;
        }
        return p.insn(w, sf, RD.i(w), RN.i(w), RM.i(w), 0, imms, 0, 0, 0, 0, 0, 0);
    }

    static Insn branchImm(Pattern p, int w) {
        return p.insn(w, true, 0, 0, 0, 0, IMM26.get(w), 0, 0, 0, 0, 0, 0);
    }

    static Insn branchCond(Pattern p, int w) {
        return p.insn(w, true, 0, 0, 0, 0, IMM19.get(w), 0, 0, COND_B.i(w), 0, 0, 0);
    }

    static Insn compareBranch(Pattern p, int w) {
        return p.insn(w, SF.i(w) == 1, RD.i(w), 0, 0, 0, IMM19.get(w), 0, 0, 0, 0, 0, 0);
    }

    static Insn testBranch(Pattern p, int w) {
        int bit = B5.i(w) << 5 | B40.i(w);
        return p.insn(w, B5.i(w) == 1, RD.i(w), 0, 0, 0, IMM14.get(w), bit, 0, 0, 0, 0, 0);
    }

    static Insn branchReg(Pattern p, int w) {
        return p.insn(w, true, 0, RN.i(w), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Insn plain(Pattern p, int w) {
        return p.insn(w, true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Insn exception(Pattern p, int w) {
        return p.insn(w, true, 0, 0, 0, 0, p.op() == Op.UNDEFINED ? w & 0xffff : IMM16.get(w), 0, 0, 0, 0, 0, 0);
    }

    /** PSTATE fields in scope: SPSel (op1=0, op2=5, CRm 0..1), DAIFSet (3, 6), DAIFClr (3, 7). */
    static Insn msrImm(Pattern p, int w) {
        int field = OP1.i(w) << 3 | OP2.i(w), crm = CRM.i(w);
        boolean ok = field == 0x05 ? crm <= 1 : field == 0x1e || field == 0x1f;
        return ok ? p.insn(w, true, 0, 0, 0, 0, field, crm, 0, 0, 0, 0, 0) : null;
    }

    static Insn hint(Pattern p, int w) {
        return p.insn(w, true, 0, 0, 0, 0, HINTNUM.get(w), 0, 0, 0, 0, 0, 0);
    }

    static Insn barrier(Pattern p, int w) {
        return p.insn(w, true, 0, 0, 0, 0, CRM.get(w), 0, 0, 0, 0, 0, 0);
    }

    static Insn sysReg(Pattern p, int w) {
        return p.insn(w, true, RD.i(w), 0, 0, 0, SYSREG.get(w), 0, 0, 0, 0, 0, 0);
    }

    static Insn shiftedReg(Pattern p, int w) {
        boolean sf = SF.i(w) == 1;
        int amount = IMM6.i(w);
        if (!sf && amount >= 32) {
            return null;
        }
        return p.insn(w, sf, RD.i(w), RN.i(w), RM.i(w), 0, 0, amount, SHIFT.i(w), 0, 0, 0, 0);
    }

    static Insn addSubShifted(Pattern p, int w) {
        return SHIFT.i(w) == SHIFT_ROR ? null : shiftedReg(p, w);
    }

    static Insn addSubExtended(Pattern p, int w) {
        int amount = IMM3.i(w);
        if (amount > 4) {
            return null;
        }
        return p.insn(w, SF.i(w) == 1, RD.i(w), RN.i(w), RM.i(w), 0, 0, amount, OPTION.i(w), 0, 0, 0, 0);
    }

    static Insn threeReg(Pattern p, int w) {
        return p.insn(w, SF.i(w) == 1, RD.i(w), RN.i(w), RM.i(w), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Insn twoReg(Pattern p, int w) {
        return p.insn(w, SF.i(w) == 1, RD.i(w), RN.i(w), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Insn fourReg(Pattern p, int w) {
        return p.insn(w, SF.i(w) == 1, RD.i(w), RN.i(w), RM.i(w), RA.i(w), 0, 0, 0, 0, 0, 0, 0);
    }

    static Insn condCompare(Pattern p, int w) {
        return p.insn(w, SF.i(w) == 1, 0, RN.i(w), RM.i(w), 0, NZCV.get(w), IMM5.i(w), 0, COND.i(w), 0, 0, 0);
    }

    static Insn condSelect(Pattern p, int w) {
        return p.insn(w, SF.i(w) == 1, RD.i(w), RN.i(w), RM.i(w), 0, 0, 0, 0, COND.i(w), 0, 0, 0);
    }

    static Insn crc32(Pattern p, int w) {
        int sz = CRC_SZ.i(w);
        if ((SF.i(w) == 1) != (sz == 3)) {
            return null;
        }
        return p.insn(w, SF.i(w) == 1, RD.i(w), RN.i(w), RM.i(w), 0, 0, 0, 0, 0, sz, 0,
                CRC_C.i(w) == 1 ? FLAG_CRC32C : 0);
    }

    static Insn literal(Pattern p, int w) {
        int opc = SIZE.i(w);
        // size = log2 bytes loaded; sf = X destination (ldr x, ldrsw); prfm: rd = prfop
        return p.insn(w, opc != 0, RD.i(w), 0, 0, 0, IMM19.get(w), 0, 0, 0, opc == 0 ? 2 : opc == 1 ? 3 : 2,
                MODE_LITERAL, 0);
    }

    private static int ordering(int w, boolean acquire, boolean release) {
        return (acquire ? FLAG_ACQUIRE : 0) | (release ? FLAG_RELEASE : 0);
    }

    static Insn exclusive(Pattern p, int w) {
        int size = SIZE.i(w);
        boolean load = p.op() == Op.LDXR, o0 = BIT_O0.i(w) == 1;
        return p.insn(w, size == 3, RD.i(w), RN.i(w), load ? 0 : RS.i(w), 0, 0, 0, 0, 0, size, MODE_BASE,
                ordering(w, load && o0, !load && o0));
    }

    static Insn exclusivePair(Pattern p, int w) {
        int size = 2 + (SIZE.i(w) & 1);
        boolean load = p.op() == Op.LDXP, o0 = BIT_O0.i(w) == 1;
        return p.insn(w, size == 3, RD.i(w), RN.i(w), load ? 0 : RS.i(w), RT2.i(w), 0, 0, 0, 0, size, MODE_BASE,
                ordering(w, load && o0, !load && o0));
    }

    static Insn ordered(Pattern p, int w) {
        int size = SIZE.i(w);
        return p.insn(w, size == 3, RD.i(w), RN.i(w), 0, 0, 0, 0, 0, 0, size, MODE_BASE, 0);
    }

    static Insn cas(Pattern p, int w) {
        int size = SIZE.i(w);
        return p.insn(w, size == 3, RD.i(w), RN.i(w), RS.i(w), 0, 0, 0, 0, 0, size, MODE_BASE,
                ordering(w, BIT_L.i(w) == 1, BIT_O0.i(w) == 1));
    }

    static Insn casPair(Pattern p, int w) {
        int rs = RS.i(w), rt = RD.i(w);
        if ((rs & 1) != 0 || (rt & 1) != 0) {
            return null;
        }
        int size = 2 + (SIZE.i(w) & 1);
        return p.insn(w, size == 3, rt, RN.i(w), rs, 0, 0, 0, 0, 0, size, MODE_BASE,
                ordering(w, BIT_L.i(w) == 1, BIT_O0.i(w) == 1));
    }

    static Format pairFormat(int mode) {
        return (p, w) -> {
            int opc = SIZE.i(w);
            int size = opc == 2 ? 3 : 2;
            long imm = (size == 3 ? IMM7_X8 : IMM7_X4).get(w);
            return p.insn(w, opc != 0, RD.i(w), RN.i(w), 0, RT2.i(w), imm, 0, 0, 0, size, mode, 0);
        };
    }

    /**
     * LDPSW with Rt == Rt2, or writeback with Rn == Rt/Rt2, is CONSTRAINED UNPREDICTABLE; like
     * objdump we take the UNDEFINED choice (for LDP objdump decodes them, and so do we).
     */
    static Format ldpsw(Format pair) {
        return (p, w) -> {
            int t = RD.i(w), n = RN.i(w), t2 = RT2.i(w);
            boolean writeback = ((w >>> 23) & 1) == 1;
            if (t == t2 || (writeback && n != 31 && (t == n || t2 == n))) {
                return null;
            }
            return pair.decode(p, w);
        };
    }

    static Format single(Kind k, int mode, Field offset) {
        return (p, w) -> p.insn(w, k.sf, RD.i(w), RN.i(w), 0, 0, offset.get(w), 0, 0, 0, k.size, mode, 0);
    }

    static Format registerOffset(Kind k) {
        return (p, w) -> {
            int option = OPTION.i(w);
            if ((option & 2) == 0) {
                return null; // only UXTW, LSL(UXTX), SXTW, SXTX are allocated
            }
            int amount = BIT_S.i(w) == 1 ? k.size : 0;
            return p.insn(w, k.sf, RD.i(w), RN.i(w), RM.i(w), 0, 0, amount, option, 0, k.size, MODE_REG, 0);
        };
    }

    static Insn atomic(Pattern p, int w) {
        int size = SIZE.i(w);
        return p.insn(w, size == 3, RD.i(w), RN.i(w), RS.i(w), 0, 0, 0, 0, 0, size, MODE_BASE,
                ordering(w, BIT_A.i(w) == 1, BIT_R.i(w) == 1));
    }

    // Runs after every static field above is initialised (KINDS in particular).
    static {
        dataProcessingImmediate();
        branchesExceptionsSystem();
        dataProcessingRegister();
        loadsAndStores();
        ROWS = Collections.unmodifiableList(new ArrayList<>(T));
    }
}
