/* alu: add/sub/logic with flags, shifted and extended registers, immediates,
 * adc/sbc, the csel family, ccmp/ccmn, moves. Semihosting console; exit status
 * = number of failures (SYS_EXIT_EXTENDED). */
#include "selfcheck.h"

#define MAX64 0x7fffffffffffffffUL
#define MIN64 0x8000000000000000UL
#define ALL64 0xffffffffffffffffUL

static void add_sub(void)
{
    CASEF("adds x max+1", "adds %0, %2, %3", 0, MAX64, 1, MAX64 + 1, add64_flags(MAX64, 1, 0));
    CASEF("adds x -1+1", "adds %0, %2, %3", 0, ALL64, 1, 0, add64_flags(ALL64, 1, 0));
    CASEF("adds x min+min", "adds %0, %2, %3", 0, MIN64, MIN64, 0, add64_flags(MIN64, MIN64, 0));
    CASEF("adds x 5+7", "adds %0, %2, %3", 0, 5, 7, 12, add64_flags(5, 7, 0));
    CASEF("adds w max+1", "adds %w0, %w2, %w3", 0, 0x7fffffff, 1, 0x80000000UL, add32_flags(0x7fffffff, 1, 0));
    CASEF("adds w -1+2", "adds %w0, %w2, %w3", 0, 0xffffffff, 2, 1, add32_flags(0xffffffff, 2, 0));
    CASEF("subs x 3-5", "subs %0, %2, %3", 0, 3, 5, (u64)3 - 5, sub64_flags(3, 5, 1));
    CASEF("subs x 5-5", "subs %0, %2, %3", 0, 5, 5, 0, sub64_flags(5, 5, 1));
    CASEF("subs x min-1", "subs %0, %2, %3", 0, MIN64, 1, MAX64, sub64_flags(MIN64, 1, 1));
    CASEF("subs w 0-1", "subs %w0, %w2, %w3", 0, 0, 1, 0xffffffffUL, sub32_flags(0, 1, 1));
    CASEF("subs w min-1", "subs %w0, %w2, %w3", 0, 0x80000000UL, 1, 0x7fffffffUL, sub32_flags(0x80000000u, 1, 1));
    CASEF("cmp x 7,9 (subs xzr)", "subs xzr, %2, %3\nmov %0, xzr", 0, 7, 9, 0, sub64_flags(7, 9, 1));
    CASEF("cmn w -1,1 (adds wzr)", "adds wzr, %w2, %w3\nmov %0, xzr", 0, 0xffffffff, 1, 0, add32_flags(0xffffffff, 1, 0));
    CASE("add w wraps, upper zero", "add %w0, %w1, %w2", 0xffffffffffffffffUL, 2, 1);
    CASE("sub x", "sub %0, %1, %2", 0x1000, 0x2001, (u64)0x1000 - 0x2001);
    /* flags untouched by the non-setting forms */
    CASEF("add keeps nzcv", "add %0, %2, %3", FN | FV, 1, 2, 3, FN | FV);

    /* shifted registers */
    CASE("add x lsl #7", "add %0, %1, %2, lsl #7", 0x10, 0x123456789UL, 0x10 + (0x123456789UL << 7));
    CASE("add x lsr #63", "add %0, %1, %2, lsr #63", 1, MIN64, 2);
    CASE("sub x asr #4", "sub %0, %1, %2, asr #4", 100, 0xfffffffffffff000UL, (u64)100 - (u64)((s64)0xfffffffffffff000L >> 4));
    CASE("add w asr #31", "add %w0, %w1, %w2, asr #31", 5, 0x80000000, (u32)(5 + (u32)((s32)0x80000000 >> 31)));
    CASE("sub w lsl #31", "sub %w0, %w1, %w2, lsl #31", 0, 1, 0x80000000UL);
    CASEF("adds x lsr #1", "adds %0, %2, %3, lsr #1", 0, MAX64, 2, MAX64 + 1, add64_flags(MAX64, 1, 0));
    CASEF("subs w lsl #4", "subs %w0, %w2, %w3, lsl #4", 0, 0x100, 0x10, 0, sub32_flags(0x100, 0x100, 1));

    /* extended registers */
    CASE("add x, w sxtw #2", "add %0, %1, %w2, sxtw #2", 1000, 0xfffffff0, (u64)(1000 + ((s64)(s32)0xfffffff0 * 4)));
    CASE("add x, w uxtw", "add %0, %1, %w2, uxtw", 1, 0xfffffff0, 0xfffffff1UL);
    CASE("add x, w uxtb #1", "add %0, %1, %w2, uxtb #1", 7, 0x1ff, 7 + (0xffUL << 1));
    CASE("sub x, w sxth #3", "sub %0, %1, %w2, sxth #3", 0, 0x8001, (u64)0 - (u64)((s64)(s16)0x8001 * 8));
    CASE("add w, w sxtb", "add %w0, %w1, %w2, sxtb", 0x100, 0x80, (u32)(0x100 + (s8)0x80));
    CASE("add x, x uxtx #4", "add %0, %1, %2, uxtx #4", 1, 0x0fffffffffffffffUL, (u64)1 + (0x0fffffffffffffffUL << 4));
    CASEF("subs x, w uxth", "subs %0, %2, %w3, uxth", 0, 0xffff, 0x1ffff, 0, sub64_flags(0xffff, 0xffff, 1));
    CASE("add sp-form uxtw", "mov x16, sp\nmov x17, %1\nmov sp, x17\nadd sp, sp, %w2, uxtw\nmov %0, sp\nmov sp, x16", 0x1000, 0x20, 0x1020);

    /* immediates */
    CASE("add x #4095", "add %0, %1, #4095\nadd %0, %0, %2", 1, 0, 4096);
    CASE("add x #1, lsl #12", "add %0, %1, #1, lsl #12\nadd %0, %0, %2", 5, 0, 4101);
    CASE("sub w #0xfff, lsl #12", "sub %w0, %w1, #0xfff, lsl #12\nadd %0, %0, %2", 0, 0, (u32)(0 - (0xfffu << 12)));
    CASEF("cmp x #1", "cmp %2, #1\nmov %0, %3", 0, 0, 9, 9, sub64_flags(0, 1, 1));
    CASEF("cmn w #5", "cmn %w2, #5\nmov %0, %3", 0, 0xfffffffb, 0, 0, add32_flags(0xfffffffb, 5, 0));
}

static void logic(void)
{
    CASE("and x", "and %0, %1, %2", 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL, 0xff00ff00ff00ff00UL & 0x0ff00ff00ff00ff0UL);
    CASE("orr x", "orr %0, %1, %2", 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL, 0xff00ff00ff00ff00UL | 0x0ff00ff00ff00ff0UL);
    CASE("eor x", "eor %0, %1, %2", 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL, 0xff00ff00ff00ff00UL ^ 0x0ff00ff00ff00ff0UL);
    CASE("bic x", "bic %0, %1, %2", 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL, 0xff00ff00ff00ff00UL & ~0x0ff00ff00ff00ff0UL);
    CASE("orn w", "orn %w0, %w1, %w2", 0x12340000, 0xffff0000, (u32)(0x12340000u | ~0xffff0000u));
    CASE("eon x ror #8", "eon %0, %1, %2, ror #8", 0x1234, 0xab, 0x1234 ^ ~(0xabUL << 56));
    CASE("and w lsr #16", "and %w0, %w1, %w2, lsr #16", 0xffff, 0xabcd0000, 0xabcd);
    CASE("orr x asr #60", "orr %0, %1, %2, asr #60", 0, MIN64, (u64)((s64)MIN64 >> 60));
    CASE("mvn x", "mvn %0, %1\nadd %0, %0, %2", 0x5555, 0, ~0x5555UL);
    CASE("mov x reg (orr)", "mov %0, %1\nadd %0, %0, %2", 0xdead, 1, 0xdeae);
    CASEF("ands x zero", "ands %0, %2, %3", FC | FV, 0xf0, 0x0f, 0, logic64_flags(0));
    CASEF("ands x neg", "ands %0, %2, %3", 0, MIN64 | 1, MIN64, MIN64, logic64_flags(MIN64));
    CASEF("ands w neg", "ands %w0, %w2, %w3", FZ, 0x80000001, 0xffffffff, 0x80000001UL, logic32_flags(0x80000001u));
    CASEF("bics x", "bics %0, %2, %3", 0, 0xff, 0xff, 0, logic64_flags(0));
    CASEF("tst w (ands wzr)", "tst %w2, %w3\nmov %0, xzr", 0, 0x80000000, 0x80000000, 0, logic32_flags(0x80000000u));
    /* bitmask immediates */
    CASE("and x #0xff00ff00ff00ff00", "and %0, %1, #0xff00ff00ff00ff00\nadd %0, %0, %2", ALL64, 0, 0xff00ff00ff00ff00UL);
    CASE("orr w #0x55555555", "orr %w0, %w1, #0x55555555\nadd %0, %0, %2", 0x80000000, 0, 0xd5555555UL);
    CASE("eor x #0x1ffffffff", "eor %0, %1, #0x1ffffffff\nadd %0, %0, %2", 0x100000000UL, 0, 0x0ffffffffUL);
    CASE("and w #0x3c", "and %w0, %w1, #0x3c\nadd %0, %0, %2", 0xff, 0, 0x3c);
    CASE("orr x #0x8000000000000001", "orr %0, %1, #0x8000000000000001\nadd %0, %0, %2", 2, 0, 0x8000000000000003UL);
    CASEF("ands x #0xf", "ands %0, %2, #0xf\nadd %0, %0, %3", 0, 0x10, 0, 0, logic64_flags(0));
}

static void carry(void)
{
    CASEF("adcs x C=1", "adcs %0, %2, %3", FC, ALL64, 0, 0, add64_flags(ALL64, 0, 1));
    CASEF("adcs x C=0", "adcs %0, %2, %3", 0, ALL64, 0, ALL64, add64_flags(ALL64, 0, 0));
    CASEF("adcs w max C=1", "adcs %w0, %w2, %w3", FC, 0x7fffffff, 0, 0x80000000UL, add32_flags(0x7fffffff, 0, 1));
    CASEF("adc x keeps flags", "adc %0, %2, %3", FC | FZ, 10, 20, 31, FC | FZ);
    CASEF("sbcs x C=1", "sbcs %0, %2, %3", FC, 10, 3, 7, sub64_flags(10, 3, 1));
    CASEF("sbcs x C=0", "sbcs %0, %2, %3", 0, 10, 3, 6, sub64_flags(10, 3, 0));
    CASEF("sbcs x 0-0 C=0", "sbcs %0, %2, %3", 0, 0, 0, ALL64, sub64_flags(0, 0, 0));
    CASEF("sbcs w min C=1", "sbcs %w0, %w2, %w3", FC, 0x80000000, 1, 0x7fffffffUL, sub32_flags(0x80000000u, 1, 1));
    CASEF("sbc w C=0", "sbc %w0, %w2, %w3", FN, 5, 5, 0xffffffffUL, FN);
    CASEF("ngc x C=1 (sbc xzr)", "ngc %0, %3\nadd %0, %0, %2", FC, 0, 5, (u64)0 - 5, FC);
    CASEF("negs x min", "negs %0, %3\nadd %0, %0, %2", 0, 0, MIN64, MIN64, sub64_flags(0, MIN64, 1));
    CASEF("negs w 0", "negs %w0, %w3\nadd %0, %0, %2", 0, 0, 0, 0, sub32_flags(0, 0, 1));
    /* 128-bit add and subtract through the carry */
    CASE("adds+adc 128-bit hi", "adds xzr, %1, %1\nadc %0, %2, %2", MIN64, 5, 11);
    CASE("subs+sbc 128-bit hi", "subs xzr, %1, %2\nsbc %0, xzr, xzr", 1, 2, ALL64);
}

static const char *const cond_names[16] = { "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                            "hi", "ls", "ge", "lt", "gt", "le", "al", "nv" };

/* One CSEL-family check for condition COND under flags IN. */
#define CSEL4(cond, in)                                                                      \
    do {                                                                                     \
        check("csel " #cond " " #in, ASM2F("csel %0, %2, %3, " #cond, in, 111, 222, &f), \
              K(cond_holds(in, C_##cond) ? 111 : 222));                                    \
        check("csinc " #cond " " #in, ASM2F("csinc %0, %2, %3, " #cond, in, 111, 222, &f), \
              K(cond_holds(in, C_##cond) ? 111 : 223));                                    \
        check("csinv " #cond " " #in, ASM2F("csinv %w0, %w2, %w3, " #cond, in, 111, 222, &f), \
              K(cond_holds(in, C_##cond) ? 111 : (u64)(u32)~222u));                          \
        check("csneg " #cond " " #in, ASM2F("csneg %0, %2, %3, " #cond, in, 111, 222, &f), \
              K(cond_holds(in, C_##cond) ? 111 : (u64)-222L));                               \
    } while (0)

enum { C_eq, C_ne, C_cs, C_cc, C_mi, C_pl, C_vs, C_vc, C_hi, C_ls, C_ge, C_lt, C_gt, C_le, C_al, C_nv };

static void conditional(void)
{
    u64 f;
    (void)cond_names;
    CSEL4(eq, FZ);
    CSEL4(eq, 0);
    CSEL4(ne, FZ);
    CSEL4(cs, FC);
    CSEL4(cc, FC);
    CSEL4(mi, FN);
    CSEL4(pl, FN);
    CSEL4(vs, FV);
    CSEL4(vc, 0);
    CSEL4(hi, FC);
    CSEL4(hi, FC | FZ);
    CSEL4(ls, FZ);
    CSEL4(ge, FN | FV);
    CSEL4(ge, FN);
    CSEL4(lt, FV);
    CSEL4(gt, 0);
    CSEL4(gt, FZ);
    CSEL4(le, FN);
    CSEL4(al, 0);
    /* aliases */
    check("cset ge N!=V", ASM2F("cset %w0, ge", FN, 0, 0, &f), 0);
    check("csetm lt N!=V", ASM2F("csetm %0, lt", FN, 0, 0, &f), ALL64);
    check("cinc ne Z=0", ASM2F("cinc %0, %2, ne", 0, 41, 0, &f), 42);
    check("cneg mi N=1", ASM2F("cneg %0, %2, mi", FN, 5, 0, &f), (u64)-5L);
    check("cinv eq Z=0", ASM2F("cinv %0, %2, eq", 0, 5, 0, &f), 5);

    /* ccmp/ccmn: compare when the condition holds, else take the immediate flags */
    CASEF("ccmp x eq taken", "ccmp %2, %3, #0x3, eq\nmov %0, xzr", FZ, 1, 2, 0, sub64_flags(1, 2, 1));
    CASEF("ccmp x eq not taken", "ccmp %2, %3, #0x3, eq\nmov %0, xzr", 0, 1, 2, 0, NZCV(0, 0, 1, 1));
    CASEF("ccmp w #imm ne taken", "ccmp %w2, #31, #0xf, ne\nmov %0, xzr", 0, 31, 0, 0, sub32_flags(31, 31, 1));
    CASEF("ccmn x hi taken", "ccmn %2, %3, #0x0, hi\nmov %0, xzr", FC, MAX64, 1, 0, add64_flags(MAX64, 1, 0));
    CASEF("ccmn w #imm lt not taken", "ccmn %w2, #1, #0x8, lt\nmov %0, xzr", 0, 0xffffffff, 0, 0, FN);
}

static void moves(void)
{
    CASE("movz lsl #32 + movk", "movz %0, #0x1234, lsl #32\nmovk %0, #0xbeef\nadd %0, %0, %1\nadd %0, %0, %2", 0, 0, 0x12340000beefUL);
    CASE("movn", "movn %0, #0x5, lsl #16\nadd %0, %0, %1\nadd %0, %0, %2", 0, 0, ~(0x5UL << 16));
    CASE("movn w", "movn %w0, #0x1\nadd %0, %0, %1\nadd %0, %0, %2", 0, 0, 0xfffffffeUL);
    CASE("movk lsl #48 keeps rest", "mov %0, %1\nmovk %0, #0xcafe, lsl #48\nadd %0, %0, %2", ALL64, 0, 0xcafeffffffffffffUL);
    CASE("movk w lsl #16", "mov %0, %1\nmovk %w0, #0x8000, lsl #16\nadd %0, %0, %2", ALL64, 0, 0x8000ffffUL);
    CASE("mov w zero-extends", "mov %w0, %w1\nadd %0, %0, %2", ALL64, 0, 0xffffffffUL);
    CASE("adr delta", "adr %0, 1f\nadr x17, 2f\nsub %0, x17, %0\nadd %0, %0, %1\nadd %0, %0, %2\n1: nop\nnop\n2: nop", 0, 0, 8);
}

int main(void)
{
    add_sub();
    logic();
    carry();
    conditional();
    moves();
    return check_summary("alu");
}
