/* (128-bit shifts only by constants: variable ones call libgcc at -Os.)
 * Integer arithmetic of every width and signedness: add/sub/logic, shifts,
 * extends, multiply, divide, carries, comparisons and bit tricks. */
#include "corpus.h"

static volatile u64 sink;

__attribute__((noinline)) u8 add_u8(u8 a, u8 b) { return a + b; }
__attribute__((noinline)) s8 sub_s8(s8 a, s8 b) { return a - b; }
__attribute__((noinline)) u16 mul_u16(u16 a, u16 b) { return a * b; }
__attribute__((noinline)) s16 div_s16(s16 a, s16 b) { return b ? a / b : 0; }
__attribute__((noinline)) u32 div_u32(u32 a, u32 b) { return b ? a / b : 0; }
__attribute__((noinline)) s32 mod_s32(s32 a, s32 b) { return b ? a % b : 0; }
__attribute__((noinline)) u64 mod_u64(u64 a, u64 b) { return b ? a % b : 0; }
__attribute__((noinline)) s64 div_s64(s64 a, s64 b) { return b ? a / b : 0; }
__attribute__((noinline)) s64 div_const7(s64 a) { return a / 7; }
__attribute__((noinline)) u32 div_const10(u32 a) { return a / 10; }
__attribute__((noinline)) u64 mod_const1000(u64 a) { return a % 1000; }

__attribute__((noinline)) u64 widen_mul_u(u32 a, u32 b) { return (u64)a * b; }
__attribute__((noinline)) s64 widen_mul_s(s32 a, s32 b) { return (s64)a * b; }
__attribute__((noinline)) u64 mulhi_u(u64 a, u64 b) { return (u64)(((unsigned __int128)a * b) >> 64); }
__attribute__((noinline)) s64 mulhi_s(s64 a, s64 b) { return (s64)(((__int128)a * b) >> 64); }
__attribute__((noinline)) s64 madd_s(s64 a, s64 b, s64 c) { return a * b + c; }
__attribute__((noinline)) s64 msub_s(s64 a, s64 b, s64 c) { return c - a * b; }
__attribute__((noinline)) s64 smaddl_(s32 a, s32 b, s64 c) { return (s64)a * b + c; }
__attribute__((noinline)) u64 umsubl_(u32 a, u32 b, u64 c) { return c - (u64)a * b; }

__attribute__((noinline)) unsigned __int128 add128(unsigned __int128 a, unsigned __int128 b) { return a + b; }
__attribute__((noinline)) __int128 sub128(__int128 a, __int128 b) { return a - b; }
__attribute__((noinline)) unsigned __int128 shl128(unsigned __int128 a) { return a << 37; }
__attribute__((noinline)) __int128 sar128(__int128 a) { return a >> 70; }

__attribute__((noinline)) u64 shifts(u64 a, u32 n)
{
    u32 w = (u32)a;
    s32 sw = (s32)a;
    s64 sx = (s64)a;
    return (a << (n & 63)) ^ (a >> (n & 63)) ^ (u64)(sx >> (n & 63))
         ^ (w << (n & 31)) ^ (w >> (n & 31)) ^ (u64)(s64)(sw >> (n & 31))
         ^ ((a << 13) | (a >> 51)) ^ ((w >> 7) | (w << 25));
}

__attribute__((noinline)) u64 extends(s8 b, s16 h, s32 w, u8 ub, u16 uh, u32 uw, u64 x)
{
    return x + b + h + w + ub + uh + uw + ((u64)uw << 2) + ((s64)w << 3) + ((u64)ub << 1) - ((s64)h << 4);
}

__attribute__((noinline)) u64 logic(u64 a, u64 b)
{
    return (a & b) | (a ^ ~b) | (a & ~b) | ((a | ~b) ^ (a & 0xff00ff00ff00ff00UL)
         ^ (b | 0x5555555555555555UL) ^ (a ^ 0x0f0f0f0f0f0f0f0fUL) ^ (a & 0x7ffe) ^ ((u32)b | 0x80000001u));
}

__attribute__((noinline)) int compare_all(s64 a, s64 b, u64 c, u64 d)
{
    int r = 0;
    r |= (a < b) << 0;
    r |= (a <= b) << 1;
    r |= (a > b) << 2;
    r |= (a >= b) << 3;
    r |= (c < d) << 4;
    r |= (c <= d) << 5;
    r |= (c > d) << 6;
    r |= (c >= d) << 7;
    r |= (a == b) << 8;
    r |= (c != d) << 9;
    r |= (a < 0) << 10;
    r |= (c == 0) << 11;
    r |= ((s32)a < (s32)b) << 12;
    r |= ((u32)c > (u32)d) << 13;
    r |= (a == 42 || b == -17) << 14;
    r |= (a > 5 && c < 9) << 15;
    return r;
}

__attribute__((noinline)) s64 abs64(s64 a) { return a < 0 ? -a : a; }
__attribute__((noinline)) s64 min64(s64 a, s64 b) { return a < b ? a : b; }
__attribute__((noinline)) u64 umax64(u64 a, u64 b) { return a > b ? a : b; }
__attribute__((noinline)) s32 clamp32(s32 v, s32 lo, s32 hi) { return v < lo ? lo : v > hi ? hi : v; }
__attribute__((noinline)) u64 select_inc(u64 a, u64 b, int c) { return c ? a : b + 1; }
__attribute__((noinline)) u64 select_inv(u64 a, u64 b, int c) { return c > 3 ? a : ~b; }
__attribute__((noinline)) s64 select_neg(s64 a, s64 b, int c) { return c == 9 ? a : -b; }

/* popcount/parity by hand: with -mgeneral-regs-only gcc would call libgcc for them. */
__attribute__((noinline)) int popcount64(u64 x)
{
    x = x - ((x >> 1) & 0x5555555555555555UL);
    x = (x & 0x3333333333333333UL) + ((x >> 2) & 0x3333333333333333UL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
    return (int)((x * 0x0101010101010101UL) >> 56);
}
__attribute__((noinline)) int clz64(u64 x) { return x ? __builtin_clzl(x) : 64; }
__attribute__((noinline)) int ctz32(u32 x) { return x ? __builtin_ctz(x) : 32; }
__attribute__((noinline)) int clrsb64(s64 x) { return __builtin_clrsbl(x); }
__attribute__((noinline)) int clrsb32(s32 x) { return __builtin_clrsb(x); }
__attribute__((noinline)) u64 bswap64(u64 x) { return __builtin_bswap64(x); }
__attribute__((noinline)) u32 bswap32(u32 x) { return __builtin_bswap32(x); }
__attribute__((noinline)) u16 bswap16(u16 x) { return __builtin_bswap16(x); }
__attribute__((noinline)) int parity(u64 x)
{
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return (int)(x & 1);
}

__attribute__((noinline)) int add_overflows(s64 a, s64 b, s64 *r) { return __builtin_add_overflow(a, b, r); }
__attribute__((noinline)) int sub_overflows(u32 a, u32 b, u32 *r) { return __builtin_sub_overflow(a, b, r); }
__attribute__((noinline)) int mul_overflows(s32 a, s32 b, s32 *r) { return __builtin_mul_overflow(a, b, r); }

u64 arith_main(u64 seed)
{
    u64 acc = seed;
    s64 sr;
    u32 ur;
    s32 mr;
    acc += add_u8((u8)seed, 200) + (u64)(s64)sub_s8((s8)seed, 100);
    acc += mul_u16((u16)seed, 0x1234) + (u64)(s64)div_s16((s16)seed, -3);
    acc += div_u32((u32)seed, 13) + (u64)(s64)mod_s32((s32)seed, -7) + mod_u64(seed, 12345);
    acc += (u64)div_s64((s64)seed, -99) + (u64)div_const7((s64)acc) + div_const10((u32)acc) + mod_const1000(acc);
    acc ^= widen_mul_u((u32)acc, 0xdeadbeef) + (u64)widen_mul_s((s32)acc, -5);
    acc ^= mulhi_u(acc, 0x9e3779b97f4a7c15UL) + (u64)mulhi_s((s64)acc, -3);
    acc += (u64)madd_s((s64)acc, 3, 7) + (u64)msub_s((s64)acc, 5, 11) + (u64)smaddl_((s32)acc, -9, 1) + umsubl_((u32)acc, 77, 5);
    acc += (u64)add128(acc, (unsigned __int128)seed << 64) + (u64)sub128((__int128)acc, 99) + (u64)shl128(acc) + (u64)sar128(-(__int128)acc);
    acc ^= shifts(acc, (u32)seed) + extends((s8)acc, (s16)acc, (s32)acc, (u8)seed, (u16)seed, (u32)seed, acc) + logic(acc, seed);
    acc += (u64)compare_all((s64)acc, (s64)seed, acc, seed);
    acc += (u64)abs64((s64)acc) + (u64)min64((s64)acc, -3) + umax64(acc, seed) + (u64)clamp32((s32)acc, -100, 100);
    acc += select_inc(acc, seed, (int)seed & 1) + select_inv(acc, seed, (int)seed) + (u64)select_neg((s64)acc, (s64)seed, (int)acc);
    acc += (u64)(popcount64(acc) + clz64(acc) + ctz32((u32)acc) + clrsb64((s64)acc) + clrsb32((s32)acc) + parity(acc));
    acc ^= bswap64(acc) + bswap32((u32)acc) + bswap16((u16)acc);
    acc += (u64)add_overflows((s64)acc, (s64)seed, &sr) + (u64)sr;
    acc += (u64)sub_overflows((u32)acc, (u32)seed, &ur) + ur;
    acc += (u64)mul_overflows((s32)acc, (s32)seed, &mr) + (u64)(s64)mr;
    sink = acc;
    return acc;
}
