/* bitfield: ubfx/sbfx/ubfiz/sbfiz/bfi/bfxil, shifts by immediate and register,
 * extr/ror, extends, rbit/rev/rev16/rev32, clz/cls. PL011 console; exit status
 * = number of failures (SYS_EXIT_EXTENDED). */
#include "selfcheck.h"

#define A 0xfedcba9876543210UL
#define B 0x0123456789abcdefUL
#define MASK(w) ((w) >= 64 ? ~0UL : ((1UL << (w)) - 1))
/* sign-extend the low w bits of x */
#define SEXT(x, w) ((u64)(((s64)((u64)(x) << (64 - (w)))) >> (64 - (w))))
/* bit reversal as a pure expression */
#define RB1(x) ((((x) >> 1) & 0x5555555555555555UL) | (((x) & 0x5555555555555555UL) << 1))
#define RB2(x) ((((x) >> 2) & 0x3333333333333333UL) | (((x) & 0x3333333333333333UL) << 2))
#define RB4(x) ((((x) >> 4) & 0x0f0f0f0f0f0f0f0fUL) | (((x) & 0x0f0f0f0f0f0f0f0fUL) << 4))
#define RBIT64(x) __builtin_bswap64(RB4(RB2(RB1((u64)(x)))))
#define RBIT32(x) (RBIT64((u64)(u32)(x)) >> 32)

static void extracts(void)
{
    CASE("ubfx x #4,#8", "ubfx %0, %1, #4, #8\nadd %0, %0, %2", A, 0, (A >> 4) & 0xff);
    CASE("ubfx x #60,#4", "ubfx %0, %1, #60, #4\nadd %0, %0, %2", A, 0, A >> 60);
    CASE("ubfx w #31,#1", "ubfx %w0, %w1, #31, #1\nadd %0, %0, %2", 0x80000000UL, 0, 1);
    CASE("sbfx x #4,#8", "sbfx %0, %1, #4, #8\nadd %0, %0, %2", A, 0, SEXT(A >> 4, 8));
    CASE("sbfx x #0,#1", "sbfx %0, %1, #0, #1\nadd %0, %0, %2", 1, 0, ~0UL);
    CASE("sbfx w #8,#16", "sbfx %w0, %w1, #8, #16\nadd %0, %0, %2", 0x00f00000UL, 0, (u32)SEXT(0xf000, 16));
    CASE("ubfiz x #12,#8", "ubfiz %0, %1, #12, #8\nadd %0, %0, %2", 0x1ff, 0, 0xffUL << 12);
    CASE("sbfiz x #3,#5", "sbfiz %0, %1, #3, #5\nadd %0, %0, %2", 0x10, 0, SEXT(0x10, 5) << 3);
    CASE("sbfiz w #20,#12", "sbfiz %w0, %w1, #20, #12\nadd %0, %0, %2", 0x801, 0, (u32)(0x801u << 20));
    CASE("bfi x #8,#16", "mov %0, %1\nbfi %0, %2, #8, #16", A, B, (A & ~(0xffffUL << 8)) | ((B & 0xffff) << 8));
    CASE("bfi w #28,#4", "mov %0, %1\nbfi %w0, %w2, #28, #4", A, B, (u32)((A & 0x0fffffffUL) | ((B & 0xf) << 28)));
    CASE("bfxil x #16,#20", "mov %0, %1\nbfxil %0, %2, #16, #20", A, B, (A & ~MASK(20)) | ((B >> 16) & MASK(20)));
    CASE("bfxil w #0,#32", "mov %0, %1\nbfxil %w0, %w2, #0, #32", A, B, (u32)B);
    CASE("bfm x (ror form)", "mov %0, %1\nbfm %0, %2, #60, #3", A, B, (A & ~(0xfUL << 4)) | ((B & 0xf) << 4));
}

static void shifts(void)
{
    CASE("lsl x #13", "lsl %0, %1, #13\nadd %0, %0, %2", A, 0, A << 13);
    CASE("lsr x #63", "lsr %0, %1, #63\nadd %0, %0, %2", A, 0, A >> 63);
    CASE("asr x #7", "asr %0, %1, #7\nadd %0, %0, %2", A, 0, (u64)((s64)A >> 7));
    CASE("lsl w #31", "lsl %w0, %w1, #31\nadd %0, %0, %2", 3, 0, 0x80000000UL);
    CASE("asr w #16", "asr %w0, %w1, #16\nadd %0, %0, %2", 0x80010000UL, 0, (u32)((s32)0x80010000 >> 16));
    CASE("ror x #12", "ror %0, %1, #12\nadd %0, %0, %2", A, 0, (A >> 12) | (A << 52));
    CASE("ror w #1", "ror %w0, %w1, #1\nadd %0, %0, %2", 1, 0, 0x80000000UL);
    CASE("extr x #20", "extr %0, %1, %2, #20", A, B, (B >> 20) | (A << 44));
    CASE("extr w #8", "extr %w0, %w1, %w2, #8", A, B, (u32)(((u32)B >> 8) | ((u32)A << 24)));
    CASE("lslv x 67 (mod 64)", "lsl %0, %1, %2", A, 67, A << 3);
    CASE("lsrv x 64 (mod 64)", "lsr %0, %1, %2", A, 64, A);
    CASE("asrv x 127", "asr %0, %1, %2", A, 127, (u64)((s64)A >> 63));
    CASE("rorv x 68", "ror %0, %1, %2", A, 68, (A >> 4) | (A << 60));
    CASE("lslv w 33 (mod 32)", "lsl %w0, %w1, %w2", 0x80000001UL, 33, 2);
    CASE("lsrv w 31", "lsr %w0, %w1, %w2", 0x80000000UL, 31, 1);
    CASE("asrv w 36", "asr %w0, %w1, %w2", 0x80000000UL, 36, (u32)((s32)0x80000000 >> 4));
    CASE("rorv w 8", "ror %w0, %w1, %w2", 0x12345678UL, 8, 0x78123456UL);
}

static void extends(void)
{
    CASE("sxtb x", "sxtb %0, %w1\nadd %0, %0, %2", 0x180, 0, (u64)(s64)(s8)0x80);
    CASE("sxth x", "sxth %0, %w1\nadd %0, %0, %2", 0x18000, 0, (u64)(s64)(s16)0x8000);
    CASE("sxtw x", "sxtw %0, %w1\nadd %0, %0, %2", 0x180000000UL, 0, (u64)(s64)(s32)0x80000000);
    CASE("sxtb w", "sxtb %w0, %w1\nadd %0, %0, %2", 0xff, 0, 0xffffffffUL);
    CASE("uxtb w", "uxtb %w0, %w1\nadd %0, %0, %2", 0x1234, 0, 0x34);
    CASE("uxth w", "uxth %w0, %w1\nadd %0, %0, %2", 0xfff12345UL, 0, 0x2345);
}

static void bits(void)
{
    CASE("rbit x", "rbit %0, %1\nadd %0, %0, %2", A, 0, RBIT64(A));
    CASE("rbit x 1", "rbit %0, %1\nadd %0, %0, %2", 1, 0, 0x8000000000000000UL);
    CASE("rbit w", "rbit %w0, %w1\nadd %0, %0, %2", 0x12345678UL, 0, RBIT32(0x12345678u));
    CASE("rev x", "rev %0, %1\nadd %0, %0, %2", A, 0, __builtin_bswap64(A));
    CASE("rev w", "rev %w0, %w1\nadd %0, %0, %2", A, 0, __builtin_bswap32((u32)A));
    CASE("rev16 x", "rev16 %0, %1\nadd %0, %0, %2", A, 0, ((A >> 8) & 0x00ff00ff00ff00ffUL) | ((A & 0x00ff00ff00ff00ffUL) << 8));
    CASE("rev16 w", "rev16 %w0, %w1\nadd %0, %0, %2", 0x11223344UL, 0, 0x22114433UL);
    CASE("rev32 x", "rev32 %0, %1\nadd %0, %0, %2", A, 0, ((u64)__builtin_bswap32((u32)(A >> 32)) << 32) | __builtin_bswap32((u32)A));
    CASE("clz x 0", "clz %0, %1\nadd %0, %0, %2", 0, 0, 64);
    CASE("clz x", "clz %0, %1\nadd %0, %0, %2", 0x0000100000000000UL, 0, __builtin_clzl(0x0000100000000000UL));
    CASE("clz w", "clz %w0, %w1\nadd %0, %0, %2", 0xffff00000001UL, 0, 31);
    CASE("clz w 0", "clz %w0, %w1\nadd %0, %0, %2", 0xffffffff00000000UL, 0, 32);
    CASE("cls x -1", "cls %0, %1\nadd %0, %0, %2", ~0UL, 0, 63);
    CASE("cls x", "cls %0, %1\nadd %0, %0, %2", 0xfff0000000000000UL, 0, __builtin_clrsbl((s64)0xfff0000000000000UL));
    CASE("cls x 1", "cls %0, %1\nadd %0, %0, %2", 1, 0, 62);
    CASE("cls w", "cls %w0, %w1\nadd %0, %0, %2", 0x00007fffUL, 0, __builtin_clrsb(0x7fff));
    CASE("cls w 0", "cls %w0, %w1\nadd %0, %0, %2", 0, 0, 31);
}

int main(void)
{
    extracts();
    shifts();
    extends();
    bits();
    return check_summary("bitfield");
}
