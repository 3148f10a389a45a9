/* simd: Advanced SIMD integer instructions (three-same, two-register misc, across lanes,
 * permutes, EXT, TBL/TBX, shifts by immediate, lane moves, structure loads/stores, MOVI) on
 * three input vector sets; prints the 128-bit result of each. QEMU's output is the expected
 * output. PL011 console. */
#include "runtime.h"

typedef unsigned long u64;

static u64 in[3][6] __attribute__((aligned(16))) = {
    {0x0123456789abcdefUL, 0xfedcba9876543210UL, 0x8000000000000001UL, 0x7fffffffffffffffUL,
     0x0f0e0d0c0b0a0908UL, 0x1f1e1d1c1b1a1918UL},
    {0xff00ff0080017f7fUL, 0x00000000ffffffffUL, 0x8080808080808080UL, 0x0102030405060708UL,
     0x2122232425262728UL, 0x3132333435363738UL},
    {0x0000000000000000UL, 0xffffffffffffffffUL, 0x00ff00ff00ff00ffUL, 0x1000000010000000UL,
     0x0300000002000000UL, 0x0100000000000000UL},
};
static u64 out[8] __attribute__((aligned(16)));
static unsigned char mem[64];

/* v1, v2, v3 = the input set, v0 = v3 before the operation (for accumulating forms). */
#define T(text)                                                                                \
    do {                                                                                       \
        __asm__ volatile("ldr q1, [%0]\n ldr q2, [%0, #16]\n ldr q3, [%0, #32]\n mov v0.16b, v3.16b\n" \
                         text "\n str q0, [%1]" :: "r"(set), "r"(out) : "memory");           \
        printf("%s: %016lx %016lx\n", text, out[1], out[0]);                                   \
    } while (0)

static void run(const u64 *set)
{
    T("add v0.16b, v1.16b, v2.16b"); T("add v0.2d, v1.2d, v2.2d"); T("sub v0.8h, v1.8h, v2.8h");
    T("sub v0.2s, v1.2s, v2.2s"); T("and v0.16b, v1.16b, v2.16b"); T("bic v0.8b, v1.8b, v2.8b");
    T("orr v0.16b, v1.16b, v2.16b"); T("orn v0.16b, v1.16b, v2.16b"); T("eor v0.16b, v1.16b, v2.16b");
    T("bsl v0.16b, v1.16b, v2.16b"); T("bit v0.16b, v1.16b, v2.16b"); T("bif v0.8b, v1.8b, v2.8b");
    T("mov v0.16b, v1.16b");
    T("cmeq v0.16b, v1.16b, v2.16b"); T("cmgt v0.8h, v1.8h, v2.8h"); T("cmhi v0.4s, v1.4s, v2.4s");
    T("cmge v0.2d, v1.2d, v2.2d"); T("cmhs v0.16b, v1.16b, v2.16b"); T("cmtst v0.8h, v1.8h, v2.8h");
    T("smax v0.16b, v1.16b, v2.16b"); T("umax v0.8h, v1.8h, v2.8h"); T("smin v0.4s, v1.4s, v2.4s");
    T("umin v0.2s, v1.2s, v2.2s"); T("smaxp v0.16b, v1.16b, v2.16b"); T("umaxp v0.8b, v1.8b, v2.8b");
    T("sminp v0.8h, v1.8h, v2.8h"); T("uminp v0.4s, v1.4s, v2.4s"); T("addp v0.2d, v1.2d, v2.2d");
    T("addp v0.16b, v1.16b, v2.16b"); T("mul v0.8h, v1.8h, v2.8h"); T("mla v0.4s, v1.4s, v2.4s");
    T("mls v0.16b, v1.16b, v2.16b"); T("pmul v0.16b, v1.16b, v2.16b"); T("shadd v0.16b, v1.16b, v2.16b");
    T("uhadd v0.8h, v1.8h, v2.8h"); T("srhadd v0.4s, v1.4s, v2.4s"); T("urhadd v0.16b, v1.16b, v2.16b");
    T("sabd v0.16b, v1.16b, v2.16b"); T("uabd v0.4s, v1.4s, v2.4s"); T("saba v0.8h, v1.8h, v2.8h");
    T("uaba v0.16b, v1.16b, v2.16b"); T("sshl v0.16b, v1.16b, v2.16b"); T("ushl v0.2d, v1.2d, v2.2d");
    T("ushl v0.8h, v1.8h, v2.8h");
    T("rev64 v0.16b, v1.16b"); T("rev64 v0.4s, v1.4s"); T("rev32 v0.8h, v1.8h"); T("rev16 v0.16b, v1.16b");
    T("saddlp v0.8h, v1.16b"); T("uaddlp v0.2d, v1.4s"); T("cls v0.16b, v1.16b"); T("clz v0.4s, v1.4s");
    T("cnt v0.16b, v1.16b"); T("mvn v0.16b, v1.16b"); T("rbit v0.8b, v1.8b"); T("cmgt v0.16b, v1.16b, #0");
    T("cmge v0.8h, v1.8h, #0"); T("cmeq v0.4s, v1.4s, #0"); T("cmle v0.2d, v1.2d, #0"); T("cmlt v0.16b, v1.16b, #0");
    T("abs v0.16b, v1.16b"); T("neg v0.2d, v1.2d"); T("xtn v0.8b, v1.8h"); T("xtn2 v0.8h, v1.4s");
    T("addv b0, v1.16b"); T("addv s0, v1.4s"); T("uaddlv h0, v1.16b"); T("saddlv d0, v1.4s");
    T("umaxv b0, v1.16b"); T("smaxv h0, v1.8h"); T("uminv s0, v1.4s"); T("sminv b0, v1.8b");
    T("zip1 v0.16b, v1.16b, v2.16b"); T("zip2 v0.8h, v1.8h, v2.8h"); T("uzp1 v0.4s, v1.4s, v2.4s");
    T("uzp2 v0.8b, v1.8b, v2.8b"); T("trn1 v0.16b, v1.16b, v2.16b"); T("trn2 v0.2d, v1.2d, v2.2d");
    T("ext v0.16b, v1.16b, v2.16b, #3"); T("ext v0.8b, v1.8b, v2.8b, #7");
    T("tbl v0.16b, {v1.16b}, v2.16b"); T("tbl v0.16b, {v1.16b, v2.16b}, v3.16b"); T("tbx v0.8b, {v1.16b}, v2.8b");
    T("sshr v0.16b, v1.16b, #3"); T("ushr v0.2d, v1.2d, #64"); T("sshr v0.4s, v1.4s, #32"); T("ssra v0.8h, v1.8h, #5");
    T("usra v0.16b, v1.16b, #1"); T("shl v0.2d, v1.2d, #63"); T("shl v0.8b, v1.8b, #0"); T("shrn v0.8b, v1.8h, #3");
    T("shrn2 v0.4s, v1.2d, #17"); T("sxtl v0.8h, v1.8b"); T("ushll2 v0.2d, v1.4s, #7"); T("uxtl v0.4s, v1.4h");
    T("dup v0.16b, v1.b[9]"); T("dup v0.2d, v2.d[1]"); T("dup v0.4s, %w0"); T("ins v0.h[5], v2.h[1]");
    T("umov w9, v1.h[7]\n dup v0.8h, w9"); T("smov x9, v2.b[3]\n dup v0.2d, x9"); T("mov b0, v1.b[15]");
    T("movi v0.8h, #0x9a, lsl #8"); T("mvni v0.2s, #0x12, msl #16"); T("orr v0.4s, #0x11"); T("bic v0.8h, #0xff");
    T("movi d0, #0xff0000ff00ff00ff"); T("fmov v0.2d, #-1.5"); T("fmov d0, %0\n fmov v0.d[1], %0");
    T("mov x9, sp\n sub sp, sp, #64\n st4 {v0.4s-v3.4s}, [sp]\n ld2 {v4.8h, v5.8h}, [sp], #32\n ld1r {v6.16b}, [sp], #1\n mov sp, x9\n eor v0.16b, v4.16b, v5.16b\n eor v0.16b, v0.16b, v6.16b");
    T("mov x9, sp\n sub sp, sp, #32\n stp q1, q2, [sp]\n ld3 {v4.h-v6.h}[3], [sp]\n ldr d0, [sp, #8]\n ldur s7, [sp, #4]\n mov sp, x9\n ins v0.s[2], v7.s[0]\n ins v0.h[7], v4.h[3]");
}

int main(void)
{
    __asm__ volatile("mov x0, #(3 << 20)\n msr cpacr_el1, x0\n isb" ::: "x0");
    for (int k = 0; k < 3; k++) {
        printf("set %d\n", k);
        run(in[k]);
    }
    (void)mem;
    return 0;
}
