package dev.a64trap.decode;

/**
 * One decoded A64 instruction, immutable, produced once per word by the {@code Decoder} and
 * consumed by the interpreter, the JIT and the disassembler alike.
 *
 * <p>All immediates are final values: sign extension, scaling and bitmask-immediate expansion
 * happen in the decode table, never in consumers.
 *
 * <ul>
 *   <li>{@code word}: the raw 32-bit encoding.
 *   <li>{@code op}: the semantic operation.
 *   <li>{@code form}: the name of the table row that matched (e.g. {@code "ADD_imm"}), used by the
 *       disassembler and diagnostics only.
 *   <li>{@code sf}: true for the 64-bit form (X registers); for loads, true when the destination
 *       is an X register.
 *   <li>{@code rd, rn, rm, ra}: register numbers 0..31. Whether 31 means SP or XZR is fixed by the
 *       op and documented on {@link Op}. For loads/stores: rd = Rt, rn = base, rm = index or Rs,
 *       ra = Rt2.
 *   <li>{@code imm}: the main immediate (see {@link Op}); offsets are in bytes.
 *   <li>{@code amount}: shift amount, bit number, imms, or CRm, per op.
 *   <li>{@code shift}: shift type {@code SHIFT_*} for shifted-register forms, extend type
 *       {@code EXT_*} (the 3-bit option field) for extended-register and register-offset forms.
 *   <li>{@code cond}: condition code 0..15 for conditional ops.
 *   <li>{@code size}: log2 of the access size in bytes for memory ops; 0..3 for CRC32.
 *   <li>{@code mode}: addressing mode {@code MODE_*} for memory ops.
 *   <li>{@code flags}: a bit set of {@code FLAG_*}.
 * </ul>
 */
public record Insn(
        int word,
        Op op,
        String form,
        boolean sf,
        int rd,
        int rn,
        int rm,
        int ra,
        long imm,
        int amount,
        int shift,
        int cond,
        int size,
        int mode,
        int flags) {

    public static final int SHIFT_LSL = 0, SHIFT_LSR = 1, SHIFT_ASR = 2, SHIFT_ROR = 3;

    public static final int EXT_UXTB = 0, EXT_UXTH = 1, EXT_UXTW = 2, EXT_UXTX = 3,
            EXT_SXTB = 4, EXT_SXTH = 5, EXT_SXTW = 6, EXT_SXTX = 7;

    /** Address = rn + imm, no writeback (ldr/str unsigned offset, ldur/stur, ldtr/sttr, ldp offset). */
    public static final int MODE_OFFSET = 0;
    /** Address = rn + imm, rn := address before the access. */
    public static final int MODE_PRE = 1;
    /** Address = rn, rn := rn + imm after the access. */
    public static final int MODE_POST = 2;
    /** Address = rn + extend(rm, shift) << amount. */
    public static final int MODE_REG = 3;
    /** Address = pc + imm (literal loads). */
    public static final int MODE_LITERAL = 4;
    /** Address = rn, no offset (exclusives, acquire/release, atomics). */
    public static final int MODE_BASE = 5;

    /** Sets NZCV (ADDS, SUBS, ANDS, BICS, ADCS, SBCS). */
    public static final int FLAG_SETFLAGS = 1;
    /** Sign-extending load (ldrsb/ldrsh/ldrsw/ldpsw). */
    public static final int FLAG_SIGNED = 1 << 1;
    /** Acquire semantics (ldar, ldaxr, the 'a' atomics). */
    public static final int FLAG_ACQUIRE = 1 << 2;
    /** Release semantics (stlr, stlxr, the 'l' atomics). */
    public static final int FLAG_RELEASE = 1 << 3;
    /** Unprivileged access (ldtr/sttr): checked as EL0 when executed at EL1. */
    public static final int FLAG_UNPRIV = 1 << 4;
    /** Non-temporal hint (ldnp/stnp): same semantics as the plain pair. */
    public static final int FLAG_NONTEMPORAL = 1 << 5;
    /** CRC32C (Castagnoli polynomial) rather than CRC32. */
    public static final int FLAG_CRC32C = 1 << 6;

    /** SIMD load/store single structure: LDnR, load and replicate to all lanes. */
    public static final int FLAG_REPLICATE = 1 << 7;
    /** FCMPE/FCCMPE: quiet NaNs raise Invalid Operation too. */
    public static final int FLAG_SIGNALING = 1 << 8;

    /** SIMD by-element and scalar pairwise rows: the floating-point form. */
    public static final int FLAG_FP = 1 << 9;
    /** Scalar Advanced SIMD form of a vector op (add d0, d1, d2): one element, the rest of Vd zeroed. */
    public static final int FLAG_SCALAR = 1 << 10;

    public boolean setsFlags() {
        return (flags & FLAG_SETFLAGS) != 0;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Bytes moved by one register of a memory access. */
    public int accessBytes() {
        return 1 << size;
    }
}
