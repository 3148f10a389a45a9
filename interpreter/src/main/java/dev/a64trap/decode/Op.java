package dev.a64trap.decode;

/**
 * The semantic operation of a decoded instruction: what the interpreter, the JIT and the
 * disassembler switch on. One constant per operation, not per encoding: ADD (immediate) and
 * ADDS (immediate) are both {@link #ADD_IMM}, told apart by {@link Insn#FLAG_SETFLAGS}.
 *
 * <p>Field use per group is documented on {@link Insn}.
 */
public enum Op {
    // ---- data processing, immediate
    ADD_IMM, SUB_IMM,                 // rd(SP unless S) = rn(SP) +/- imm (imm already shifted by 0/12)
    AND_IMM, ORR_IMM, EOR_IMM,        // rd(SP unless S) = rn op imm (decoded bitmask immediate); ANDS = AND_IMM+S
    MOVZ, MOVN, MOVK,                 // imm = imm16, amount = shift (0,16,32,48)
    ADR, ADRP,                        // rd = pc + imm / (pc & ~0xfff) + imm (imm in bytes, page-scaled for ADRP)
    SBFM, BFM, UBFM,                  // imm = immr, amount = imms
    EXTR,                             // rd = (rn:rm) >> imm

    // ---- data processing, register
    ADD_SREG, SUB_SREG,               // rm shifted by shift/amount
    ADD_EREG, SUB_EREG,               // rm extended by extend, then << amount; rd/rn may be SP
    AND_REG, BIC_REG, ORR_REG, ORN_REG, EOR_REG, EON_REG, // rm shifted by shift/amount; ANDS/BICS use S
    ADC, SBC,                         // with carry; S for ADCS/SBCS
    CCMN_REG, CCMP_REG,               // cond, nzcv = imm
    CCMN_IMM, CCMP_IMM,               // cond, nzcv = imm, amount = imm5
    CSEL, CSINC, CSINV, CSNEG,        // cond
    MADD, MSUB,                       // rd = ra +/- rn*rm
    SMADDL, SMSUBL, UMADDL, UMSUBL,   // 64 = ra +/- (32 x 32)
    SMULH, UMULH,
    UDIV, SDIV,
    LSLV, LSRV, ASRV, RORV,
    CRC32,                            // size = 0..3 (b,h,w,x), FLAG_CRC32C for the Castagnoli forms
    RBIT, REV16, REV32, REV, CLZ, CLS,// REV is the full-width byte reverse (rev w / rev x)

    // ---- branches
    B, BL,                            // imm = byte offset from this instruction
    B_COND,                           // cond, imm
    CBZ, CBNZ,                        // rd = Rt, imm
    TBZ, TBNZ,                        // rd = Rt, amount = bit number, imm
    BR, BLR, RET,                     // rn
    ERET,

    // ---- loads and stores (size = log2 bytes; mode = Insn.MODE_*)
    LDR, STR,                         // single register; FLAG_SIGNED for ldrs*; sf = 64-bit destination for ldrs*
    LDP, STP,                         // rd = Rt, ra = Rt2, imm = scaled byte offset; LDPSW = LDP+SIGNED
    LDXR, STXR, LDXP, STXP,           // exclusive; rm = Rs (status) for stores; ra = Rt2 for pairs
    LDAR, STLR,                       // load-acquire / store-release (non-exclusive)
    PRFM,                             // prefetch: no architectural effect; imm/mode as for LDR, rd = prfop
    LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP, // rm = Rs, rd = Rt, rn = base
    CAS,                              // rm = Rs (compare, receives old), rd = Rt (new value), rn = base
    CASP,                             // as CAS on register pairs Rs:Rs+1, Rt:Rt+1

    // ---- system
    MRS, MSR_REG,                     // rd = Rt, imm = sysreg encoding (op0<<14|op1<<11|CRn<<7|CRm<<3|op2)
    MSR_IMM,                          // imm = pstate field (op1<<3|op2), amount = CRm
    HINT,                             // imm = CRm<<3|op2 (NOP, YIELD, WFE, WFI, SEV, SEVL, unallocated = NOP)
    CLREX, DSB, DMB, ISB,             // imm = CRm
    SVC, HVC, SMC, BRK, HLT,          // imm = imm16
    SYS, SYSL,                        // rd = Rt, imm = encoding as for MRS (op0 = 1)

    // ---- SIMD&FP (field use: see FpSimdTable; sf = Q for vector forms, size = log2 element/access bytes)
    FP_LDR, FP_STR,                   // B/H/S/D/Q register: size 0..4, modes and offsets as LDR/STR
    FP_LDP, FP_STP,                   // rd = Vt, ra = Vt2, size 2..4
    SIMD_LD_MULT, SIMD_ST_MULT,       // LD1-4/ST1-4 (multiple): imm = registers, amount = structure elements, rm = post-index register (32 = none, 31 = by the transfer size)
    SIMD_LD_ONE, SIMD_ST_ONE,         // LD1-4/ST1-4 (single) and LDnR (FLAG_REPLICATE): imm = lane, amount = structure elements, rm as above
    SIMD_DUP_ELEM, SIMD_DUP_GEN,      // rd = Vd, rn = Vn/Rn, imm = lane
    SIMD_INS_GEN, SIMD_INS_ELEM,      // imm = destination lane, amount = source lane
    SIMD_UMOV, SIMD_SMOV,             // rd = Rd, imm = lane
    SIMD_DUP_SCALAR,                  // mov b0, v1.b[1]: imm = lane
    SIMD_MOVI,                        // imm = expanded 64-bit immediate, amount = kind (FpSimdTable.MOVI_*)
    SIMD_3SAME, SIMD_2MISC,           // imm = U:opcode (fp.SimdInt constants), size, sf = Q
    CRYPTO,                           // AES/SHA: imm = operation (aese, aesd, aesmc, aesimc, sha1c, sha1p, sha1m, sha1su0, sha256h, sha256h2, sha256su1, sha1h, sha1su1, sha256su0)
    SIMD_ELEM,                        // by element: imm = U:opcode, rm = Vm, amount = lane; FLAG_FP for FMLA/FMLS/FMUL/FMULX
    SIMD_SCALAR_PAIR,                 // ADDP (scalar) or, with FLAG_FP, FADDP/FMAX(NM)P/FMIN(NM)P scalar: imm = fp.SimdFp op
    SIMD_3DIFF,                       // imm = U:opcode (fp.SimdInt), size = narrow element, sf = Q ("2" forms)
    SIMD_FP_2MISC, SIMD_FP_ACROSS,    // imm = U:a:opcode (fp.SimdFp constants), size 2 or 3 (across: 2), sf = Q
    SIMD_FP_3SAME,                    // imm = U:a:opcode (fp.SimdFp constants), size 2 or 3, sf = Q
    SIMD_ACROSS,                      // imm = U:opcode; the scalar result goes to Vd
    SIMD_PERMUTE,                     // imm = opcode (UZP1 1, TRN1 2, ZIP1 3, UZP2 5, TRN2 6, ZIP2 7)
    SIMD_EXT,                         // imm = byte index
    SIMD_TBL,                         // imm = table registers, amount = 1 for TBX
    SIMD_SHIFT_IMM,                   // imm = U:opcode, amount = shift, size = element (SHRN: the wide source)
    FMOV_GEN,                         // imm = FpSimdTable.FMOV_*: between a general register and Vd/Vn (or its upper half)
    FMOV_IMM,                         // imm = the register bits (size 1..3)
    FP_1SRC,                          // imm = opcode (FMOV, FABS, FNEG, FSQRT, FCVT, FRINT*), size = source, amount = destination size (FCVT)
    FP_2SRC,                          // imm = opcode (FMUL..FNMUL)
    FP_3SRC,                          // imm = o1:o0 (FMADD, FMSUB, FNMADD, FNMSUB)
    FP_CMP,                           // FLAG_SIGNALING for FCMPE; rm = 32 compares with +0.0
    FP_CCMP,                          // cond, imm = nzcv; FLAG_SIGNALING for FCCMPE
    FP_CSEL,                          // cond
    FP_CVT_INT,                       // sf, imm = rmode<<3|opcode (FCVT[NPMZA][SU], SCVTF, UCVTF), amount = fbits (fixed-point forms)

    /** The one fallback: unallocated or not implemented. */
    UNDEFINED
}
