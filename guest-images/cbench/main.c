/* cbench main: runs every kernel ITERATIONS times (the last word of the
 * semihosting command line, default 10), each pass from a seed of its own, and
 * prints one checksum per kernel and a total. */
#include "cbench.h"

struct kernel {
    const char *name;
    u64 (*run)(u64 seed);
};

static const struct kernel KERNELS[] = {
    { "list", k_list }, { "matrix", k_matrix }, { "fsm", k_fsm }, { "crc", k_crc },
    { "vm", k_vm }, { "tree", k_tree }, { "hash", k_hash }, { "sort", k_sort },
    { "lz", k_lz }, { "search", k_search }, { "bignum", k_bignum }, { "text", k_text },
};
#define KERNEL_COUNT (sizeof KERNELS / sizeof KERNELS[0])

static u64 iterations_from_cmdline(void)
{
    static char buf[256];
    u64 block[2] = { (u64)buf, sizeof buf };
    if (semihost(SYS_GET_CMDLINE, (u64)block) != 0)
        return 10;
    const char *last = 0;
    for (const char *p = buf; *p; p++)
        if (*p != ' ' && (p == buf || p[-1] == ' '))
            last = p;
    if (!last || *last < '0' || *last > '9')
        return 10;
    return c_atou(last, 0);
}

int main(void)
{
    u64 n = iterations_from_cmdline();
    u64 sums[KERNEL_COUNT];
    for (unsigned k = 0; k < KERNEL_COUNT; k++)
        sums[k] = 0;
    for (u64 i = 0; i < n; i++)
        for (unsigned k = 0; k < KERNEL_COUNT; k++)
            sums[k] = mix(sums[k], KERNELS[k].run(i * KERNEL_COUNT + k + 1));
    u64 total = 0;
    for (unsigned k = 0; k < KERNEL_COUNT; k++) {
        printf("cbench %s: 0x%016lx\n", KERNELS[k].name, sums[k]);
        total = mix(total, sums[k]);
    }
    printf("cbench: %lu iterations, checksum 0x%016lx\n", n, total);
    return 0;
}
