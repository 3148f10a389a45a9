/* Helpers for the self-checking images. Each case runs one instruction in
 * inline asm on register operands and compares with an expected value that gcc
 * computes at compile time from plain C (K() refuses anything not folded). */
#ifndef SELFCHECK_H
#define SELFCHECK_H
#include "runtime.h"

#define NZCV(n, z, c, v) (((u64)(n) << 31) | ((u64)(z) << 30) | ((u64)(c) << 29) | ((u64)(v) << 28))
#define FN 0x80000000UL
#define FZ 0x40000000UL
#define FC 0x20000000UL
#define FV 0x10000000UL

/* Reference flag computations in plain C, as macros (pure expressions) so gcc
 * folds them on constant operands. a + b + cin, 64 and 32 bits. */
#define ADD_R64(a, b, cin) ((u64)(a) + (u64)(b) + (u64)(cin))
#define ADD_R32(a, b, cin) ((u32)((u32)(a) + (u32)(b) + (u32)(cin)))
#define add64_flags(a, b, cin)                                                           \
    NZCV(ADD_R64(a, b, cin) >> 63, ADD_R64(a, b, cin) == 0,                              \
         (cin) ? ADD_R64(a, b, cin) <= (u64)(a) : ADD_R64(a, b, cin) < (u64)(a),         \
         ((~((u64)(a) ^ (u64)(b))) & ((u64)(a) ^ ADD_R64(a, b, cin))) >> 63)
#define add32_flags(a, b, cin)                                                           \
    NZCV(ADD_R32(a, b, cin) >> 31, ADD_R32(a, b, cin) == 0,                              \
         (cin) ? ADD_R32(a, b, cin) <= (u32)(a) : ADD_R32(a, b, cin) < (u32)(a),         \
         (u32)((~((u32)(a) ^ (u32)(b))) & ((u32)(a) ^ ADD_R32(a, b, cin))) >> 31)
/* a - b - !cin == a + ~b + cin */
#define sub64_flags(a, b, cin) add64_flags(a, ~(u64)(b), cin)
#define sub32_flags(a, b, cin) add32_flags(a, ~(u32)(b), cin)
#define logic64_flags(r) NZCV((u64)(r) >> 63, (u64)(r) == 0, 0, 0)
#define logic32_flags(r) NZCV((u32)(r) >> 31, (u32)(r) == 0, 0, 0)

/* Condition codes in plain C (cond numbers: eq ne cs cc mi pl vs vc hi ls ge lt gt le al nv). */
#define F_N(f) (((f) >> 31) & 1)
#define F_Z(f) (((f) >> 30) & 1)
#define F_C(f) (((f) >> 29) & 1)
#define F_V(f) (((f) >> 28) & 1)
#define COND_BASE(f, c)                                                                  \
    ((c) >> 1 == 0 ? F_Z(f) : (c) >> 1 == 1 ? F_C(f) : (c) >> 1 == 2 ? F_N(f)             \
     : (c) >> 1 == 3 ? F_V(f) : (c) >> 1 == 4 ? (F_C(f) && !F_Z(f))                      \
     : (c) >> 1 == 5 ? F_N(f) == F_V(f) : (c) >> 1 == 6 ? (F_N(f) == F_V(f) && !F_Z(f)) : 1)
#define cond_holds(f, c) ((c) >= 14 ? 1 : ((c) & 1) ? !COND_BASE(f, c) : COND_BASE(f, c))

/* ASM2: %0 = result, %1 = a, %2 = b. */
#define ASM2(text, a, b)                                                                 \
    ({ u64 _r; __asm__ volatile(text : "=&r"(_r) : "r"((u64)(a)), "r"((u64)(b)) : "cc", "x16", "x17"); _r; })
/* ASM2F: NZCV set to `in` first, read back after; %0 = result, %2 = a, %3 = b. */
#define ASM2F(text, in, a, b, flags)                                                     \
    ({ u64 _r, _f; __asm__ volatile("msr nzcv, %4\n" text "\nmrs %1, nzcv"              \
                                    : "=&r"(_r), "=&r"(_f)                                \
                                    : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(in)) : "cc"); \
       *(flags) = _f; _r; })

#define CASE(name, text, a, b, expect) check(name, ASM2(text, a, b), K(expect))
#define CASEF(name, text, in, a, b, expect, eflags)                                      \
    do {                                                                                 \
        u64 _fl, _v = ASM2F(text, in, a, b, &_fl);                                       \
        check(name, _v, K(expect));                                                      \
        check(name " nzcv", _fl, K(eflags));                                             \
    } while (0)
#endif
