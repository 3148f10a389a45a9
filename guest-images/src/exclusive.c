/* exclusive: load/store-exclusive of every size and the pair forms, success
 * (status 0, memory written) and failure (status 1, memory unchanged) after
 * CLREX, without a prior load, and after an exception return (ERET clears the
 * local monitor). Semihosting console; SYS_EXIT. */
#include "selfcheck.h"

static u64 __attribute__((aligned(16))) mem[4];

void handle_exception(struct exc_frame *f)
{
    (void)f; /* SVC: ELR already points past it */
}

/* %0 = status, %1 = loaded value; address in %2, new value in %3; ld and st
 * name their registers, the macro adds the address */
#define EXCL(name, ld, st, init, newv, expect_status, expect_loaded, expect_mem, extra)        \
    do {                                                                                     \
        u64 _s, _l;                                                                          \
        mem[0] = (init);                                                                     \
        __asm__ volatile(ld ", [%2]\n" extra "\n" st ", [%2]"                      \
                         : "=&r"(_s), "=&r"(_l) : "r"(mem), "r"((u64)(newv)) : "x17", "memory"); \
        check(name " status", _s, K(expect_status));                                         \
        check(name " loaded", _l, K(expect_loaded));                                         \
        check(name " memory", ((volatile u64 *)mem)[0], K(expect_mem));                      \
    } while (0)

int main(void)
{
    EXCL("ldxr/stxr x", "ldxr %1", "stxr %w0, %3", 0x1111222233334444UL, 0x5555UL, 0, 0x1111222233334444UL, 0x5555UL, "");
    EXCL("ldxr/stxr w", "ldxr %w1", "stxr %w0, %w3", 0x1111222233334444UL, 0x99990000aaaaUL, 0, 0x33334444UL,
         0x111122220000aaaaUL, "");
    EXCL("ldaxr/stlxr x", "ldaxr %1", "stlxr %w0, %3", 7, 8, 0, 7, 8, "");
    EXCL("ldxrb/stxrb", "ldxrb %w1", "stxrb %w0, %w3", 0xffUL, 0x1234UL, 0, 0xff, 0x34, "");
    EXCL("ldaxrh/stlxrh", "ldaxrh %w1", "stlxrh %w0, %w3", 0xabcdef01UL, 0x7777UL, 0, 0xef01, 0xabcd7777UL, "");
    EXCL("clrex fails stxr", "ldxr %1", "stxr %w0, %3", 10, 20, 1, 10, 10, "clrex");
    EXCL("clrex #15 fails stlxr", "ldaxr %1", "stlxr %w0, %3", 10, 20, 1, 10, 10, "clrex #15");
    EXCL("eret clears monitor", "ldxr %1", "stxr %w0, %3", 3, 4, 1, 3, 3, "svc #0");
    EXCL("nop keeps monitor", "ldxr %1", "stxr %w0, %3", 3, 4, 0, 3, 4, "nop\nadd x17, x17, #1");

    /* stxr with no ldxr since the last clrex */
    {
        u64 s;
        mem[0] = 5;
        __asm__ volatile("clrex\nstxr %w0, %1, [%2]" : "=&r"(s) : "r"(6UL), "r"(mem) : "memory");
        check("stxr without ldxr status", s, 1);
        check("stxr without ldxr memory", ((volatile u64 *)mem)[0], 5);
    }
    /* second stxr after a successful one fails: the first cleared the monitor */
    {
        u64 s1, s2, l;
        mem[0] = 1;
        __asm__ volatile("ldxr %2, [%3]\nstxr %w0, %4, [%3]\nstxr %w1, %5, [%3]"
                         : "=&r"(s1), "=&r"(s2), "=&r"(l) : "r"(mem), "r"(2UL), "r"(3UL) : "memory");
        check("stxr twice first", s1, 0);
        check("stxr twice second", s2, 1);
        check("stxr twice memory", ((volatile u64 *)mem)[0], 2);
    }
    /* pairs */
    {
        u64 s, a, b;
        mem[0] = 0x1010UL;
        mem[1] = 0x2020UL;
        __asm__ volatile("ldxp %1, %2, [%3]\nstxp %w0, %4, %5, [%3]"
                         : "=&r"(s), "=&r"(a), "=&r"(b) : "r"(mem), "r"(0xaUL), "r"(0xbUL) : "memory");
        check("ldxp/stxp status", s, 0);
        check("ldxp first", a, 0x1010UL);
        check("ldxp second", b, 0x2020UL);
        check("stxp memory[0]", ((volatile u64 *)mem)[0], 0xa);
        check("stxp memory[1]", ((volatile u64 *)mem)[1], 0xb);
        __asm__ volatile("ldaxp %w1, %w2, [%3]\nclrex\nstlxp %w0, %w4, %w5, [%3]"
                         : "=&r"(s), "=&r"(a), "=&r"(b) : "r"(mem), "r"(0xcUL), "r"(0xdUL) : "memory");
        check("ldaxp w after clrex status", s, 1);
        check("ldaxp w first", a, 0xa);
        check("ldaxp w second", b, 0);
        check("stlxp w failed memory", ((volatile u64 *)mem)[0], 0xa);
    }
    /* an atomic increment loop the way compilers write it */
    {
        u64 old, s, n = 0;
        mem[2] = 41;
        __asm__ volatile("1: ldaxr %0, [%3]\nadd %0, %0, #1\nstlxr %w1, %0, [%3]\nadd %2, %2, #1\ncbnz %w1, 1b"
                         : "=&r"(old), "=&r"(s), "+r"(n) : "r"(mem + 2) : "memory");
        check("ldaxr/stlxr loop value", ((volatile u64 *)mem)[2], 42);
        check("ldaxr/stlxr loop tries", n, 1);
    }
    /* load-acquire / store-release (non-exclusive) */
    {
        u64 v;
        __asm__ volatile("stlr %1, [%2]\nldar %0, [%2]" : "=&r"(v) : "r"(0xfeedUL), "r"(mem + 3) : "memory");
        check("stlr/ldar", v, 0xfeed);
        __asm__ volatile("stlrb %w1, [%2]\nldarb %w0, [%2]" : "=&r"(v) : "r"(0x1ffUL), "r"(mem + 3) : "memory");
        check("stlrb/ldarb", v, 0xff);
        __asm__ volatile("stlrh %w1, [%2]\nldarh %w0, [%2]\nldar %w0, [%2]" : "=&r"(v) : "r"(0x12345UL), "r"(mem + 3) : "memory");
        check("stlrh/ldar w", v, 0x2345); /* stlrh wrote the low half of 0xfeff */
    }
    return check_summary("exclusive");
}
