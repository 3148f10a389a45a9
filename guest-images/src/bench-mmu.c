/* bench-mmu: the bench ALU loop and a load/store loop, with the MMU off or on.
 * Command line (SYS_GET_CMDLINE): "[on|off] [alu|mem|copy] N"; without a kernel word,
 * N iterations of the 9-instruction ALU loop ("alu"), then N of a 7-instruction loop
 * that loads, adds and stores one word per iteration, walking a 256 KiB buffer at a
 * 64-byte stride, a new 4 KiB page every 64 iterations ("mem"). "copy" is a
 * 9-instruction loop that moves 16 bytes per iteration with LDP/STP from one 64 KiB
 * buffer to another (tools/bench's load/store row); a kernel word runs that kernel only. "on" first maps the first 2 MiB of RAM with 4 KiB pages (Normal,
 * EL1 RWX) and the device space with a 1 GiB block, and turns the MMU on.
 * tools/bench-mmu runs it both ways and prints the MIPS ratio. PL011; SYS_EXIT 0. */
#include "runtime.h"

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2[512] __attribute__((aligned(4096)));
static u64 l3[512] __attribute__((aligned(4096)));
static u64 buf[256 * 1024 / 8] __attribute__((aligned(4096)));
static u64 from[64 * 1024 / 8] __attribute__((aligned(4096)));
static u64 to[64 * 1024 / 8] __attribute__((aligned(4096)));

enum { ALU = 1, MEM = 2, COPY = 4 };

/* the word at p names a kernel: its bit, else 0 */
static int kernel_word(const char *p)
{
    static const struct { const char *name; int bit; } words[] = { { "alu", ALU }, { "mem", MEM }, { "copy", COPY } };
    for (unsigned w = 0; w < sizeof words / sizeof words[0]; w++) {
        const char *n = words[w].name, *q = p;
        while (*n && *q == *n)
            n++, q++;
        if (!*n && (*q == ' ' || !*q))
            return words[w].bit;
    }
    return 0;
}

static void mmu_on(void)
{
    l1[0] = 0x00000000UL | 1UL << 10 | 3UL << 53 | 1;      /* devices: AttrIndx 0, AF, XN, block */
    l1[1] = (u64)l2 | 3;
    l2[0] = (u64)l3 | 3;
    for (u64 i = 0; i < 512; i++)
        l3[i] = (0x40000000UL + (i << 12)) | 1UL << 2 | 3UL << 8 | 1UL << 10 | 3; /* Normal, ISH, AF, page */
    u64 tcr = 25 | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 4UL << 32; /* 39-bit, 4K, EPD1, 44-bit PA */
    __asm__ volatile("msr mair_el1, %0; msr tcr_el1, %1; msr ttbr0_el1, %2; dsb ish; tlbi vmalle1; dsb ish; isb"
                     : : "r"(0xff00UL), "r"(tcr), "r"((u64)l1));
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr | 1 | 1 << 2 | 1 << 12));
}

int main(void)
{
    static char cmd[256];
    u64 block[2] = { (u64)cmd, sizeof cmd };
    int on = 0, kernels = 0;
    u64 n = 1000;
    if (semihost(SYS_GET_CMDLINE, (u64)block) == 0) {
        const char *last = 0;
        for (const char *p = cmd; *p; p++) {
            if (*p != ' ' && (p == cmd || p[-1] == ' ')) {
                last = p;
                if (p[0] == 'o' && p[1] == 'n' && (p[2] == ' ' || !p[2]))
                    on = 1;
                kernels |= kernel_word(p);
            }
        }
        u64 v = 0;
        int digits = 0;
        for (const char *p = last; p && *p >= '0' && *p <= '9'; p++, digits++)
            v = v * 10 + (u64)(*p - '0');
        if (digits)
            n = v;
    }
    if (on)
        mmu_on();
    int plain = !kernels; /* the default pair, reported as before */
    if (plain)
        kernels = ALU | MEM;
    u64 a = 0x0123456789abcdefUL, b = 0xfedcba9876543210UL, c = 1, d = 2, e = 3, f;
    u64 i;
    if (n && (kernels & ALU)) {
        i = n;
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
    if (n && (kernels & MEM)) {
        u64 off = 0, t;
        i = n;
        __asm__ volatile("2: ldr %3, [%4, %1]\n"
                         "add %3, %3, %2\n"
                         "str %3, [%4, %1]\n"
                         "add %1, %1, #64\n"
                         "and %1, %1, #0x3ffff\n"
                         "subs %0, %0, #1\n"
                         "b.ne 2b"
                         : "+r"(i), "+r"(off), "+r"(a), "=&r"(t) : "r"(buf) : "cc", "memory");
    }
    if (n && (kernels & COPY)) {
        for (u64 k = 0; k < sizeof from / 8; k++)
            from[k] = k * 0x9e3779b97f4a7c15UL;
        u64 off = 0, p, q, t1, t2;
        i = n;
        __asm__ volatile("3: add %2, %6, %1\n"
                         "ldp %4, %5, [%2]\n"
                         "add %3, %7, %1\n"
                         "eor %4, %4, %5\n"
                         "stp %5, %4, [%3]\n"
                         "add %1, %1, #16\n"
                         "and %1, %1, #0xffff\n"
                         "subs %0, %0, #1\n"
                         "b.ne 3b"
                         : "+r"(i), "+r"(off), "=&r"(p), "=&r"(q), "=&r"(t1), "=&r"(t2) : "r"(from), "r"(to) : "cc", "memory");
    }
    u64 sum = 0;
    for (u64 k = 0; k < sizeof buf / 8; k += 8)
        sum ^= buf[k] + k;
    for (u64 k = 0; k < sizeof to / 8; k += 8)
        sum ^= to[k] + k;
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    if (plain)
        printf("bench-mmu: MMU %s, %lu iterations x (9 + 7) instructions, checksum 0x%016lx\n", sctlr & 1 ? "on" : "off",
               n, a ^ b ^ c ^ d ^ e ^ sum);
    else
        printf("bench-mmu: MMU %s,%s%s%s, %lu iterations, checksum 0x%016lx\n", sctlr & 1 ? "on" : "off",
               kernels & ALU ? " alu" : "", kernels & MEM ? " mem" : "", kernels & COPY ? " copy" : "", n,
               a ^ b ^ c ^ d ^ e ^ sum);
    return 0;
}
