/* atomics: ARMv8.1 LSE atomics: ld<op> (add, clr, eor, set, smax, smin, umax,
 * umin) in every size with acquire/release variants, st<op> aliases, swp, cas,
 * casp. Built with -march=armv8.1-a; QEMU's cortex-a57 has no LSE (they are
 * UNDEFINED there), so this image is run with -cpu max. PL011 console. */
#include "selfcheck.h"

#define INIT 0x8070605040302010UL
static u64 __attribute__((aligned(16))) mem[2];

/* %0 = old value returned, %1 = address, %2 = operand */
#define ATOM(name, text, init, op, expect_old, expect_mem)                                   \
    do {                                                                                     \
        u64 _o;                                                                              \
        mem[0] = (init);                                                                     \
        __asm__ volatile(text : "=&r"(_o) : "r"(mem), "r"((u64)(op)) : "memory");            \
        check(name " old", _o, K(expect_old));                                               \
        check(name " memory", ((volatile u64 *)mem)[0], K(expect_mem));                      \
    } while (0)

/* keep the bytes of INIT above the access size */
#define KEEP(size, v) ((INIT & ~(size == 8 ? ~0UL : ((1UL << (8 * size)) - 1))) | (v))
#define LOW(size, v) ((u64)(v) & (size == 8 ? ~0UL : ((1UL << (8 * size)) - 1)))
#define SX(size, v) (size == 1 ? (s64)(s8)(v) : size == 2 ? (s64)(s16)(v) : size == 4 ? (s64)(s32)(v) : (s64)(v))

#define OP_add(s, a, b) LOW(s, (a) + (b))
#define OP_clr(s, a, b) LOW(s, (a) & ~(b))
#define OP_eor(s, a, b) LOW(s, (a) ^ (b))
#define OP_set(s, a, b) LOW(s, (a) | (b))
#define OP_smax(s, a, b) LOW(s, SX(s, a) > SX(s, b) ? (a) : (b))
#define OP_smin(s, a, b) LOW(s, SX(s, a) < SX(s, b) ? (a) : (b))
#define OP_umax(s, a, b) LOW(s, LOW(s, a) > LOW(s, b) ? (a) : (b))
#define OP_umin(s, a, b) LOW(s, LOW(s, a) < LOW(s, b) ? (a) : (b))

/* one ld<op><sfx> case: size 8 uses x registers, smaller ones w registers */
#define LDOP(op, sfx, size, operand)                                                         \
    ATOM("ld" #op #sfx, "ld" #op #sfx " %" R##size "2, %" R##size "0, [%1]", INIT, operand,  \
         LOW(size, INIT), KEEP(size, OP_##op(size, LOW(size, INIT), LOW(size, operand))))
#define R8 ""
#define R4 "w"
#define R2 "w"
#define R1 "w"

int main(void)
{
    /* every operation, each size, one ordering variant per size */
    LDOP(add, , 8, 0x0f0f0f0f0f0f0f0fUL);
    LDOP(add, a, 4, 0xfffffff0UL);
    LDOP(add, lh, 2, 0xffffUL);
    LDOP(add, alb, 1, 0xf0UL);
    LDOP(clr, , 8, 0xff00UL);
    LDOP(clr, al, 4, 0x30201000UL);
    LDOP(clr, ah, 2, 0xffffUL);
    LDOP(clr, lb, 1, 0x11UL);
    LDOP(eor, l, 8, ~0UL);
    LDOP(eor, , 4, 0x12345678UL);
    LDOP(eor, alh, 2, 0x2010UL);
    LDOP(eor, ab, 1, 0x01UL);
    LDOP(set, a, 8, 0x0808080808080808UL);
    LDOP(set, l, 4, 0x80000000UL);
    LDOP(set, h, 2, 0x0101UL);
    LDOP(set, alb, 1, 0x0fUL);
    LDOP(smax, , 8, 0x1UL);                 /* INIT is negative: 1 wins */
    LDOP(smax, al, 4, 0x40302011UL);
    LDOP(smax, h, 2, 0x8000UL);             /* most negative loses */
    LDOP(smax, ab, 1, 0xffUL);              /* 0x10 beats -1 */
    LDOP(smin, a, 8, 0x1UL);
    LDOP(smin, , 4, 0xc0000000UL);
    LDOP(smin, lh, 2, 0x3011UL);
    LDOP(smin, b, 1, 0x80UL);
    LDOP(umax, , 8, 0x1UL);
    LDOP(umax, l, 4, 0xc0000000UL);
    LDOP(umax, ah, 2, 0x8000UL);
    LDOP(umax, alb, 1, 0x0fUL);
    LDOP(umin, al, 8, 0x1UL);
    LDOP(umin, a, 4, 0x4030200fUL);
    LDOP(umin, h, 2, 0xffffUL);
    LDOP(umin, lb, 1, 0x0fUL);

    /* st<op> aliases (ld<op> with xzr as the destination) */
    ATOM("stadd", "stadd %2, [%1]\nmov %0, xzr", INIT, 5, 0, INIT + 5);
    ATOM("stsetl w", "stsetl %w2, [%1]\nmov %0, xzr", INIT, 0x0f, 0, INIT | 0x0f);
    ATOM("steorb", "steorb %w2, [%1]\nmov %0, xzr", INIT, 0xff, 0, (INIT & ~0xffUL) | 0xef);
    ATOM("stumaxh", "stumaxh %w2, [%1]\nmov %0, xzr", INIT, 0x1, 0, INIT);

    /* swap */
    ATOM("swp x", "swp %2, %0, [%1]", INIT, 0x1234, INIT, 0x1234);
    ATOM("swpal w", "swpal %w2, %w0, [%1]", INIT, 0xabcdef12UL, INIT & 0xffffffff, (INIT & ~0xffffffffUL) | 0xabcdef12UL);
    ATOM("swpah", "swpah %w2, %w0, [%1]", INIT, 0x55aa, INIT & 0xffff, (INIT & ~0xffffUL) | 0x55aa);
    ATOM("swplb", "swplb %w2, %w0, [%1]", INIT, 0x1ff, INIT & 0xff, (INIT & ~0xffUL) | 0xff);

    /* compare and swap: %0 = compare value in, old value out */
    ATOM("cas x match", "mov %0, %2\ncas %0, xzr, [%1]", INIT, INIT, INIT, 0);
    ATOM("cas x mismatch", "mov %0, %2\ncas %0, xzr, [%1]", INIT, 1, INIT, INIT);
    ATOM("casal w match", "mov %0, %2\nmov w17, #7\ncasal %w0, w17, [%1]", INIT, INIT & 0xffffffff, INIT & 0xffffffff,
         (INIT & ~0xffffffffUL) | 7);
    ATOM("casa w mismatch", "mov %0, %2\nmov w17, #7\ncasa %w0, w17, [%1]", INIT, 0x40302011, INIT & 0xffffffff, INIT);
    ATOM("caslh match", "mov %0, %2\nmov w17, #0x1234\ncaslh %w0, w17, [%1]", INIT, 0x2010, 0x2010, (INIT & ~0xffffUL) | 0x1234);
    ATOM("casb match ignores upper", "mov %0, %2\nmov w17, #0x99\ncasb %w0, w17, [%1]", INIT, 0xff10, 0x10, (INIT & ~0xffUL) | 0x99);
    ATOM("casab mismatch", "mov %0, %2\nmov w17, #0x99\ncasab %w0, w17, [%1]", INIT, 0x11, 0x10, INIT);

    /* compare and swap pair: x4:x5 compared with mem[0..1], x6:x7 stored */
    {
        u64 o0, o1;
        mem[0] = 0x1111;
        mem[1] = 0x2222;
        __asm__ volatile("mov x4, #0x1111\nmov x5, #0x2222\nmov x6, #0x3333\nmov x7, #0x4444\n"
                         "caspal x4, x5, x6, x7, [%2]\nmov %0, x4\nmov %1, x5"
                         : "=&r"(o0), "=&r"(o1) : "r"(mem) : "x4", "x5", "x6", "x7", "memory");
        check("caspal match old lo", o0, 0x1111);
        check("caspal match old hi", o1, 0x2222);
        check("caspal match mem lo", ((volatile u64 *)mem)[0], 0x3333);
        check("caspal match mem hi", ((volatile u64 *)mem)[1], 0x4444);
        __asm__ volatile("mov x4, #0x3333\nmov x5, #0x2222\nmov x6, #0x5555\nmov x7, #0x6666\n"
                         "casp x4, x5, x6, x7, [%2]\nmov %0, x4\nmov %1, x5"
                         : "=&r"(o0), "=&r"(o1) : "r"(mem) : "x4", "x5", "x6", "x7", "memory");
        check("casp mismatch old lo", o0, 0x3333);
        check("casp mismatch old hi", o1, 0x4444);
        check("casp mismatch mem lo", ((volatile u64 *)mem)[0], 0x3333);
        check("casp mismatch mem hi", ((volatile u64 *)mem)[1], 0x4444);
        __asm__ volatile("mov w4, #0x3333\nmov w5, #0x0\nmov w6, #0x7777\nmov w7, #0x8888\n"
                         "caspa w4, w5, w6, w7, [%2]\nmov %0, x4\nmov %1, x5"
                         : "=&r"(o0), "=&r"(o1) : "r"(mem) : "x4", "x5", "x6", "x7", "memory");
        check("caspa w match old lo", o0, 0x3333);
        check("caspa w match old hi", o1, 0);
        check("caspa w match mem", ((volatile u64 *)mem)[0], 0x0000888800007777UL);
    }
    return check_summary("atomics");
}
