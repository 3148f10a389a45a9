/* muldiv: mul/madd/msub/mneg, widening smull/umull/smaddl/umaddl/smsubl/umsubl,
 * smulh/umulh, udiv/sdiv including division by zero (result 0) and
 * INT_MIN / -1 (result INT_MIN, no trap). Semihosting console. */
#include "selfcheck.h"

#define MIN64 0x8000000000000000UL
#define MAX64 0x7fffffffffffffffUL

/* three-operand forms: x = a op b with c in x17 */
#define ASM3(text, a, b, c)                                                                      \
    ({ u64 _r; __asm__ volatile("mov x17, %3\n" text : "=&r"(_r) : "r"((u64)(a)), "r"((u64)(b)), \
                                "r"((u64)(c)) : "x17"); _r; })
#define CASE3(name, text, a, b, c, expect) check(name, ASM3(text, a, b, c), K(expect))

int main(void)
{
    CASE("mul x", "mul %0, %1, %2", 0x123456789UL, 0xabcdefUL, 0x123456789UL * 0xabcdefUL);
    CASE("mul x wraps", "mul %0, %1, %2", MAX64, 3, MAX64 * 3);
    CASE("mul w", "mul %w0, %w1, %w2", 0xffffffffUL, 0xffffffffUL, 1);
    CASE("mneg x", "mneg %0, %1, %2", 7, 6, (u64)-42L);
    CASE3("madd x", "madd %0, %1, %2, x17", 1000, 1000, 5, 1000005);
    CASE3("msub x", "msub %0, %1, %2, x17", 3, 4, 10, (u64)-2L);
    CASE3("madd w", "madd %w0, %w1, %w2, w17", 0x10000, 0x10000, 7, 7);
    CASE3("msub w", "msub %w0, %w1, %w2, w17", 2, 3, 1, (u32)-5);
    CASE("smull", "smull %0, %w1, %w2", 0xffffffffUL, 0x7fffffffUL, (u64)((s64)-1 * 0x7fffffffL));
    CASE("smull min*min", "smull %0, %w1, %w2", 0x80000000UL, 0x80000000UL, 0x4000000000000000UL);
    CASE("umull", "umull %0, %w1, %w2", 0xffffffffUL, 0xffffffffUL, 0xffffffffUL * 0xffffffffUL);
    CASE("umull ignores upper", "umull %0, %w1, %w2", 0xabcd00000002UL, 0x1200000003UL, 6);
    CASE3("smaddl", "smaddl %0, %w1, %w2, x17", 0xfffffffeUL, 5, 100, 90);
    CASE3("umaddl", "umaddl %0, %w1, %w2, x17", 0xfffffffeUL, 5, 100, 0xfffffffeUL * 5 + 100);
    CASE3("smsubl", "smsubl %0, %w1, %w2, x17", 0xfffffffeUL, 5, 100, 110);
    CASE3("umsubl", "umsubl %0, %w1, %w2, x17", 2, 3, 100, 94);
    CASE("smulh", "smulh %0, %1, %2", MIN64, MIN64, (u64)(((__int128)(s64)MIN64 * (s64)MIN64) >> 64));
    CASE("smulh neg", "smulh %0, %1, %2", (u64)-3L, 0x123456789abcdefUL,
         (u64)(s64)(((__int128)-3 * (__int128)0x123456789abcdefL) >> 64));
    CASE("smulh -1*1", "smulh %0, %1, %2", ~0UL, 1, ~0UL);
    CASE("umulh", "umulh %0, %1, %2", ~0UL, ~0UL, (u64)(((unsigned __int128)~0UL * ~0UL) >> 64));
    CASE("umulh small", "umulh %0, %1, %2", 1UL << 40, 1UL << 30, 1UL << 6);

    CASE("udiv x", "udiv %0, %1, %2", 1000000007UL, 10, 100000000UL);
    CASE("udiv x big", "udiv %0, %1, %2", ~0UL, 3, ~0UL / 3);
    CASE("udiv x by 0", "udiv %0, %1, %2", 12345, 0, 0);
    CASE("udiv w", "udiv %w0, %w1, %w2", 0xffffffffUL, 2, 0x7fffffffUL);
    CASE("udiv w ignores upper", "udiv %w0, %w1, %w2", 0x100000064UL, 0x100000005UL, 20);
    CASE("udiv w by 0", "udiv %w0, %w1, %w2", 7, 0, 0);
    CASE("sdiv x", "sdiv %0, %1, %2", (u64)-7L, 2, (u64)(-7L / 2));
    CASE("sdiv x neg/neg", "sdiv %0, %1, %2", (u64)-100L, (u64)-7L, 14);
    CASE("sdiv x by 0", "sdiv %0, %1, %2", (u64)-5L, 0, 0);
    CASE("sdiv x min/-1", "sdiv %0, %1, %2", MIN64, ~0UL, MIN64);
    CASE("sdiv w", "sdiv %w0, %w1, %w2", (u32)-9, 4, (u32)-2);
    CASE("sdiv w min/-1", "sdiv %w0, %w1, %w2", 0x80000000UL, 0xffffffffUL, 0x80000000UL);
    CASE("sdiv w by 0", "sdiv %w0, %w1, %w2", 0x80000000UL, 0, 0);
    /* remainder the way compilers do it: sdiv + msub */
    CASE("srem via msub", "sdiv x17, %1, %2\nmsub %0, x17, %2, %1", (u64)-17L, 5, (u64)(-17L % 5));
    return check_summary("muldiv");
}
