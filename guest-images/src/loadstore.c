/* loadstore: every addressing mode (unsigned offset, unscaled, register offset
 * with lsl/uxtw/sxtw/sxtx, pre/post-index with writeback, literal), every size
 * and sign extension, pairs (ldp/stp/ldpsw/ldnp/stnp), unprivileged ldtr/sttr.
 * All accesses are aligned (the MMU is off: memory is Device).
 * The source buffer holds BYTE(i) at offset i, so expected values are C
 * expressions over constants. PL011 console. */
#include "selfcheck.h"

#define BYTE(i) ((u64)(u8)((i) * 0x1d + 0x80))
#define LE16(o) (BYTE(o) | BYTE((o) + 1) << 8)
#define LE32(o) (LE16(o) | LE16((o) + 2) << 16)
#define LE64(o) (LE32(o) | LE32((o) + 4) << 32)
#define S8(o) ((u64)(s64)(s8)BYTE(o))
#define S16(o) ((u64)(s64)(s16)LE16(o))
#define S32(o) ((u64)(s64)(s32)LE32(o))

#define B8(i) BYTE(i), BYTE(i + 1), BYTE(i + 2), BYTE(i + 3), BYTE(i + 4), BYTE(i + 5), BYTE(i + 6), BYTE(i + 7)
static u8 __attribute__((aligned(64))) src[64] = { B8(0), B8(8), B8(16), B8(24), B8(32), B8(40), B8(48), B8(56) };
static u64 __attribute__((aligned(64))) dst[8];

/* base = src + 32 in %1, index in %2 */
#define LD(name, text, index, expect) check(name, ASM2(text, src + 32, index), K(expect))

/* base in x16 = src + 32; %0 = loaded value; writeback delta checked */
#define LDWB(name, text, expect, delta)                                                      \
    do {                                                                                     \
        u64 _v, _d;                                                                          \
        __asm__ volatile("mov x16, %2\n" text "\nsub %1, x16, %2"                            \
                         : "=&r"(_v), "=&r"(_d) : "r"(src + 32) : "x16", "memory");          \
        check(name, _v, K(expect));                                                          \
        check(name " writeback", _d, K((u64)(delta)));                                       \
    } while (0)

/* pairs: %0, %1 = the two registers, base in x16 = src + 32 */
#define LDP(name, text, e1, e2, delta)                                                       \
    do {                                                                                     \
        u64 _a, _b, _d;                                                                      \
        __asm__ volatile("mov x16, %3\n" text "\nsub %2, x16, %3"                            \
                         : "=&r"(_a), "=&r"(_b), "=&r"(_d) : "r"(src + 32) : "x16", "memory"); \
        check(name " first", _a, K(e1));                                                     \
        check(name " second", _b, K(e2));                                                    \
        check(name " writeback", _d, K((u64)(delta)));                                       \
    } while (0)

/* stores: dst cleared, base in x16 = dst + 4 words, value in %0, second in %1;
 * then dst[w] and the writeback delta are checked */
#define ST(name, text, v1, v2, w, expect, delta)                                             \
    do {                                                                                     \
        u64 _d, _v1 = (v1), _v2 = (v2);                                                      \
        memset(dst, 0, sizeof dst);                                                          \
        __asm__ volatile("mov x16, %3\n" text "\nsub %2, x16, %3"                            \
                         : "+r"(_v1), "+r"(_v2), "=&r"(_d) : "r"(dst + 4)                    \
                         : "x16", "x17", "memory");                                          \
        check(name, ((volatile u64 *)dst)[w], K(expect));                                   \
        check(name " writeback", _d, K((u64)(delta)));                                       \
    } while (0)

static void loads(void)
{
    LD("ldr x [b,#8]", "ldr %0, [%1, #8]\nadd %0, %0, %2", 0, LE64(40));
    LD("ldr x [b,#-32] (ldur)", "ldur %0, [%1, #-32]\nadd %0, %0, %2", 0, LE64(0));
    LD("ldur x [b,#-24]", "ldur %0, [%1, #-24]\nadd %0, %0, %2", 0, LE64(8));
    LD("ldr w [b,#28]", "ldr %w0, [%1, #28]\nadd %0, %0, %2", 0, LE32(60));
    LD("ldrh [b,#2]", "ldrh %w0, [%1, #2]\nadd %0, %0, %2", 0, LE16(34));
    LD("ldrb [b,#31]", "ldrb %w0, [%1, #31]\nadd %0, %0, %2", 0, BYTE(63));
    LD("ldrsb x [b,#1]", "ldrsb %0, [%1, #1]\nadd %0, %0, %2", 0, S8(33));
    LD("ldrsb w [b,#0]", "ldrsb %w0, [%1]\nadd %0, %0, %2", 0, (u32)S8(32));
    LD("ldrsh x [b,#6]", "ldrsh %0, [%1, #6]\nadd %0, %0, %2", 0, S16(38));
    LD("ldrsh w [b,#-2]", "ldursh %w0, [%1, #-2]\nadd %0, %0, %2", 0, (u32)S16(30));
    LD("ldrsw [b,#4]", "ldrsw %0, [%1, #4]\nadd %0, %0, %2", 0, S32(36));
    LD("ldursw [b,#-20]", "ldursw %0, [%1, #-20]\nadd %0, %0, %2", 0, S32(12));
    LD("ldursb x [b,#-1]", "ldursb %0, [%1, #-1]\nadd %0, %0, %2", 0, S8(31));
    LD("ldur w [b,#-255]", "add x17, %1, #255\nldur %w0, [x17, #-255]\nadd %0, %0, %2", 0, LE32(32));
    /* register offsets */
    LD("ldr x [b,x,lsl #3]", "ldr %0, [%1, %2, lsl #3]", 2, LE64(48));
    LD("ldr x [b,x]", "ldr %0, [%1, %2]", (u64)-24L, LE64(8));
    LD("ldr w [b,w,sxtw #2]", "ldr %w0, [%1, %w2, sxtw #2]", 0xfffffffeUL, LE32(24));
    LD("ldr w [b,w,uxtw #2]", "ldr %w0, [%1, %w2, uxtw #2]", 0x100000003UL, LE32(44));
    LD("ldr x [b,x,sxtx]", "ldr %0, [%1, %2, sxtx]", (u64)-32L, LE64(0));
    LD("ldrh [b,x,lsl #1]", "ldrh %w0, [%1, %2, lsl #1]", 5, LE16(42));
    LD("ldrb [b,w,uxtw]", "ldrb %w0, [%1, %w2, uxtw]", 0xffffffff00000007UL, BYTE(39));
    LD("ldrsb x [b,x]", "ldrsb %0, [%1, %2]", 3, S8(35));
    LD("ldrsh w [b,w,sxtw]", "ldrsh %w0, [%1, %w2, sxtw]", (u64)(u32)-4, (u32)S16(28));
    LD("ldrsw [b,x,lsl #2]", "ldrsw %0, [%1, %2, lsl #2]", 7, S32(60));
    /* unprivileged (at EL1 with the MMU off: an ordinary access) */
    LD("ldtr x [b,#16]", "ldtr %0, [%1, #16]\nadd %0, %0, %2", 0, LE64(48));
    LD("ldtrsb x [b,#-3]", "ldtrsb %0, [%1, #-3]\nadd %0, %0, %2", 0, S8(29));
    LD("ldtrh [b,#6]", "ldtrh %w0, [%1, #6]\nadd %0, %0, %2", 0, LE16(38));
    LD("prfm then ldr", "prfm pldl1keep, [%1]\nprfm pstl2strm, [%1, %2]\nldr %0, [%1]", 8, LE64(32));
    /* literals */
    LD("ldr x literal", "ldr %0, 1f\nadd %0, %0, %2\nb 2f\n.balign 8\n1: .quad 0x0123456789abcdef\n2:", 0, 0x0123456789abcdefUL);
    LD("ldr w literal", "ldr %w0, 1f\nadd %0, %0, %2\nb 2f\n1: .word 0x89abcdef\n2:", 0, 0x89abcdefUL);
    LD("ldrsw literal", "ldrsw %0, 1f\nadd %0, %0, %2\nb 2f\n1: .word 0x80000001\n2:", 0, 0xffffffff80000001UL);
    LD("prfm literal", "prfm pldl1keep, 1f\nmov %0, %2\nb 2f\n1: .word 0\n2:", 77, 77);

    /* pre/post index */
    LDWB("ldr x [b,#8]!", "ldr %0, [x16, #8]!", LE64(40), 8);
    LDWB("ldr x [b],#-8", "ldr %0, [x16], #-8", LE64(32), -8);
    LDWB("ldr w [b,#-4]!", "ldr %w0, [x16, #-4]!", LE32(28), -4);
    LDWB("ldrb [b],#1", "ldrb %w0, [x16], #1", BYTE(32), 1);
    LDWB("ldrsh x [b,#-256]!", "add x16, x16, #256\nldrsh %0, [x16, #-256]!", S16(32), 0);
    LDWB("ldrsw [b],#255", "ldrsw %0, [x16], #255", S32(32), 255);
    LDWB("ldrsb w [b,#3]!", "ldrsb %w0, [x16, #3]!", (u32)S8(35), 3);

    LDP("ldp x [b,#-16]", "ldp %0, %1, [x16, #-16]", LE64(16), LE64(24), 0);
    LDP("ldp x [b,#16]!", "ldp %0, %1, [x16, #16]!", LE64(48), LE64(56), 16);
    LDP("ldp x [b],#-32", "ldp %0, %1, [x16], #-32", LE64(32), LE64(40), -32);
    LDP("ldp w [b,#8]", "ldp %w0, %w1, [x16, #8]", LE32(40), LE32(44), 0);
    LDP("ldp w [b,#-8]!", "ldp %w0, %w1, [x16, #-8]!", LE32(24), LE32(28), -8);
    LDP("ldpsw [b,#8]", "ldpsw %0, %1, [x16, #8]", S32(40), S32(44), 0);
    LDP("ldpsw [b],#-256", "ldpsw %0, %1, [x16], #-256", S32(32), S32(36), -256);
    LDP("ldnp x [b,#-32]", "ldnp %0, %1, [x16, #-32]", LE64(0), LE64(8), 0);
    LDP("ldnp w [b,#24]", "ldnp %w0, %w1, [x16, #24]", LE32(56), LE32(60), 0);
}

static void stores(void)
{
    ST("str x [b,#8]", "str %0, [x16, #8]", 0x1122334455667788UL, 0, 5, 0x1122334455667788UL, 0);
    ST("str w [b,#4]", "str %w0, [x16, #4]", 0xaabbccddeeff0011UL, 0, 4, 0xeeff0011UL << 32, 0);
    ST("strh [b,#6]", "strh %w0, [x16, #6]", 0x12345678UL, 0, 4, 0x5678UL << 48, 0);
    ST("strb [b,#-1]", "sturb %w0, [x16, #-1]", 0x1ffUL, 0, 3, 0xffUL << 56, 0);
    ST("stur x [b,#-8]", "stur %0, [x16, #-8]", 0x0102030405060708UL, 0, 3, 0x0102030405060708UL, 0);
    ST("str x [b,x,lsl #3]", "mov x17, #-2\nstr %0, [x16, x17, lsl #3]", 0xabcdUL, 0, 2, 0xabcdUL, 0);
    ST("str w [b,w,sxtw #2]", "mov w17, #3\nstr %w0, [x16, w17, sxtw #2]", 0x9999UL, 0, 5, 0x9999UL << 32, 0);
    ST("strh [b,w,uxtw #1]", "mov w17, #1\nstrh %w0, [x16, w17, uxtw #1]", 0x7777UL, 0, 4, 0x7777UL << 16, 0);
    ST("strb [b,x]", "mov x17, #9\nstrb %w0, [x16, x17]", 0x42UL, 0, 5, 0x42UL << 8, 0);
    ST("sttr w [b,#-8]", "sttr %w0, [x16, #-8]", 0x5a5aUL, 0, 3, 0x5a5aUL, 0);
    ST("sttrh [b,#2]", "sttrh %w0, [x16, #2]", 0xbeefUL, 0, 4, 0xbeefUL << 16, 0);
    ST("str x [b,#16]!", "str %0, [x16, #16]!", 0x66UL, 0, 6, 0x66UL, 16);
    ST("str x [b],#-24", "str %0, [x16], #-24", 0x67UL, 0, 4, 0x67UL, -24);
    ST("strb [b,#-8]!", "strb %w0, [x16, #-8]!", 0x1234UL, 0, 3, 0x34UL, -8);
    ST("strh [b],#2", "strh %w0, [x16], #2", 0xfedcUL, 0, 4, 0xfedcUL, 2);
    ST("stp x [b,#-16]", "stp %0, %1, [x16, #-16]", 0x11UL, 0x22UL, 3, 0x22UL, 0);
    ST("stp x [b,#-16]!", "stp %0, %1, [x16, #-16]!", 0x11UL, 0x22UL, 2, 0x11UL, -16);
    ST("stp x [b],#32", "stp %0, %1, [x16], #32", 0x33UL, 0x44UL, 5, 0x44UL, 32);
    ST("stp w [b,#8]", "stp %w0, %w1, [x16, #8]", 0x55UL, 0x66UL, 5, 0x55UL | 0x66UL << 32, 0);
    ST("stp w [b,#-8]!", "stp %w0, %w1, [x16, #-8]!", 0x77UL, 0x88UL, 3, 0x77UL | 0x88UL << 32, -8);
    ST("stnp x [b,#24]", "stnp %0, %1, [x16, #24]", 0x99UL, 0xaaUL, 7, 0x99UL, 0);
    ST("stp xzr [b]", "mov x17, #-1\nstr x17, [x16]\nstp xzr, %0, [x16]", 0xbbUL, 0, 4, 0, 0);
}

int main(void)
{
    loads();
    stores();
    return check_summary("loadstore");
}
