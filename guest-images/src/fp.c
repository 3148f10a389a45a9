/* fp: scalar FP instructions on edge operands (zeros, denormals, infinities, NaNs, rounding
 * ties) under five FPCR settings (each rounding mode, then FZ+DN); prints each result and the
 * FPSR flags it raised. QEMU's output is the expected output. PL011 console. */
#include "runtime.h"

typedef unsigned long u64;

static u64 fpsr_read(void) { u64 v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }
static void fpsr_clear(void) { __asm__ volatile("msr fpsr, xzr"); }
static void fpcr_write(u64 v) { __asm__ volatile("msr fpcr, %0" :: "r"(v)); }

/* d1 = a, d2 = b, d3 = c; the text leaves its result in x0 via d0/s0 or directly. */
#define RUN(text, a, b, c)                                                                   \
    ({ u64 _r; fpsr_clear();                                                                 \
       __asm__ volatile("fmov d1, %1\n fmov d2, %2\n fmov d3, %3\n" text "\n"                \
                        : "=r"(_r) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c)) : "x0"); \
       _r; })
#define SHOW(name, text, a, b, c)                                                            \
    do { u64 _v = RUN(text, a, b, c); printf(" %s=%lx/%x", name, _v, (unsigned)fpsr_read()); } while (0)

static const u64 D[] = {
    0x0000000000000000UL, 0x8000000000000000UL, 0x3ff0000000000000UL, 0xbff8000000000000UL,
    0x0000000000000001UL, 0x000fffffffffffffUL, 0x0010000000000000UL, 0x7fefffffffffffffUL,
    0x7ff0000000000000UL, 0xfff0000000000000UL, 0x7ff8000000000001UL, 0x7ff0000000000005UL,
    0x4004000000000000UL, 0x3fe0000000000001UL, 0x43e0000000000000UL, 0xc1e0000000200000UL,
};
#define ND (sizeof D / sizeof D[0])

static void pair(u64 a, u64 b, u64 c)
{
    printf("%lx %lx %lx:", a, b, c);
    SHOW("add", "fadd d0, d1, d2\n fmov %0, d0", a, b, c);
    SHOW("sub", "fsub d0, d1, d2\n fmov %0, d0", a, b, c);
    SHOW("mul", "fmul d0, d1, d2\n fmov %0, d0", a, b, c);
    SHOW("div", "fdiv d0, d1, d2\n fmov %0, d0", a, b, c);
    SHOW("nmul", "fnmul d0, d1, d2\n fmov %0, d0", a, b, c);
    SHOW("max", "fmax d0, d1, d2\n fmov %0, d0", a, b, c);
    SHOW("minnm", "fminnm d0, d1, d2\n fmov %0, d0", a, b, c);
    SHOW("madd", "fmadd d0, d1, d2, d3\n fmov %0, d0", a, b, c);
    SHOW("nmsub", "fnmsub d0, d1, d2, d3\n fmov %0, d0", a, b, c);
    SHOW("sqrt", "fsqrt d0, d1\n fmov %0, d0", a, b, c);
    SHOW("cvts", "fcvt s0, d1\n fmov %w0, s0", a, b, c);
    SHOW("cvth", "fcvt h0, d1\n fmov %w0, s0", a, b, c);
    SHOW("sadd", "fcvt s1, d1\n fcvt s2, d2\n fadd s0, s1, s2\n fmov %w0, s0", a, b, c);
    SHOW("frintx", "frintx d0, d1\n fmov %0, d0", a, b, c);
    SHOW("frinta", "frinta d0, d1\n fmov %0, d0", a, b, c);
    SHOW("zs", "fcvtzs %0, d1", a, b, c);
    SHOW("au", "fcvtau %w0, d1", a, b, c);
    SHOW("ms", "fcvtms %0, d1", a, b, c);
    SHOW("zsfix", "fcvtzs %w0, d1, #7", a, b, c);
    SHOW("scvtf", "fmov x0, d1\n scvtf d0, x0\n fmov %0, d0", a, b, c);
    SHOW("ucvtfs", "fmov x0, d1\n ucvtf s0, w0, #3\n fmov %w0, s0", a, b, c);
    SHOW("cmpe", "fcmpe d1, d2\n mrs %0, nzcv", a, b, c);
    SHOW("ccmp", "cmp x0, x0\n fccmp d1, d2, #0x5, ne\n mrs %0, nzcv", a, b, c);
    SHOW("csel", "cmp %1, %2\n fcsel d0, d1, d2, lt\n fmov %0, d0", a, b, c);
    printf("\n");
}

int main(void)
{
    __asm__ volatile("mov x0, #(3 << 20)\n msr cpacr_el1, x0\n isb" ::: "x0");
    static const u64 fpcr[] = {0, 1UL << 22, 2UL << 22, 3UL << 22, (1UL << 24) | (1UL << 25)};
    for (unsigned k = 0; k < sizeof fpcr / sizeof fpcr[0]; k++) {
        fpcr_write(fpcr[k]);
        printf("fpcr %lx\n", fpcr[k]);
        for (unsigned i = 0; i < ND; i++)
            pair(D[i], D[(i * 7 + 3) % ND], D[(i * 5 + 1) % ND]);
        for (unsigned i = 0; i < ND; i++)
            pair(D[i], D[i ^ 1], D[(i + 2) % ND]);
    }
    return 0;
}
