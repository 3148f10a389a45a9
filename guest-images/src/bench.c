/* bench: a tight integer ALU loop. The iteration count is the last word of the
 * semihosting command line (SYS_GET_CMDLINE; QEMU gives "IMAGE ARGS" from
 * -append, a64trap the same from --append); default 1000. Prints a checksum so
 * runners can be compared. PL011 console; SYS_EXIT 0. */
#include "runtime.h"

#define INSNS_PER_ITER 9

static u64 iterations_from_cmdline(void)
{
    static char buf[256];
    u64 block[2] = { (u64)buf, sizeof buf };
    if (semihost(SYS_GET_CMDLINE, (u64)block) != 0)
        return 1000;
    const char *last = 0;
    for (const char *p = buf; *p; p++)
        if (*p != ' ' && (p == buf || p[-1] == ' '))
            last = p;
    u64 n = 0;
    int digits = 0;
    for (const char *p = last; p && *p >= '0' && *p <= '9'; p++, digits++)
        n = n * 10 + (u64)(*p - '0');
    return digits ? n : 1000;
}

int main(void)
{
    u64 n = iterations_from_cmdline();
    u64 a = 0x0123456789abcdefUL, b = 0xfedcba9876543210UL, c = 1, d = 2, e = 3, f;
    if (n) {
        u64 i = n;
        /* INSNS_PER_ITER instructions per iteration */
        __asm__ volatile("1: add %1, %1, %0\n"
                         "eor %2, %2, %1, ror #13\n"
                         "add %3, %3, %2, lsl #1\n"
                         "sub %4, %4, %3\n"
                         "eor %1, %1, %4\n"
                         "and %6, %2, %3\n"
                         "add %5, %5, %6\n"
                         "subs %0, %0, #1\n"
                         "b.ne 1b"
                         : "+r"(i), "+r"(a), "+r"(b), "+r"(c), "+r"(d), "+r"(e), "=&r"(f) : : "cc");
    }
    printf("bench: %lu iterations x %d instructions, checksum 0x%016lx\n", n, INSNS_PER_ITER, a ^ b ^ c ^ d ^ e);
    return 0;
}
