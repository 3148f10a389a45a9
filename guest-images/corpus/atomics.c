/* __atomic builtins. Built twice: with -march=armv8-a -mno-outline-atomics
 * (load/store-exclusive loops, ATOMICS_MAIN=atomics_llsc_main) and with
 * -march=armv8.1-a (LSE instructions, ATOMICS_MAIN=atomics_lse_main).
 * No 16-byte CAS: gcc sends it to libatomic; casp is covered in asm guests. */
#include "corpus.h"

#ifndef ATOMICS_MAIN
#error define ATOMICS_MAIN
#endif
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define F(name) CAT(ATOMICS_MAIN, _##name)

static u8 v8;
static u16 v16;
static u32 v32;
static u64 v64;

__attribute__((noinline)) u64 F(fetch_ops)(u64 x)
{
    u64 r = 0;
    r += __atomic_fetch_add(&v8, (u8)x, __ATOMIC_RELAXED);
    r += __atomic_fetch_sub(&v16, (u16)x, __ATOMIC_ACQUIRE);
    r += __atomic_fetch_and(&v32, (u32)x, __ATOMIC_RELEASE);
    r += __atomic_fetch_or(&v64, x, __ATOMIC_ACQ_REL);
    r += __atomic_fetch_xor(&v64, x, __ATOMIC_SEQ_CST);
    r += __atomic_fetch_nand(&v32, (u32)x, __ATOMIC_SEQ_CST);
    r += __atomic_add_fetch(&v32, 5, __ATOMIC_RELAXED);
    r += __atomic_and_fetch(&v8, 0x3c, __ATOMIC_ACQ_REL);
    r += __atomic_or_fetch(&v16, 0x100, __ATOMIC_RELEASE);
    return r;
}

__attribute__((noinline)) u64 F(exchange_ops)(u64 x)
{
    u64 r = __atomic_exchange_n(&v64, x, __ATOMIC_SEQ_CST);
    r += __atomic_exchange_n(&v32, (u32)x, __ATOMIC_ACQUIRE);
    r += __atomic_exchange_n(&v16, (u16)x, __ATOMIC_RELAXED);
    r += __atomic_exchange_n(&v8, (u8)x, __ATOMIC_RELEASE);
    return r;
}

__attribute__((noinline)) int F(cas_ops)(u64 x)
{
    u64 e64 = x;
    u32 e32 = (u32)x;
    u16 e16 = (u16)x;
    u8 e8 = (u8)x;
    int ok = 0;
    ok += __atomic_compare_exchange_n(&v64, &e64, x + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    ok += __atomic_compare_exchange_n(&v32, &e32, e32 + 1, 1, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
    ok += __atomic_compare_exchange_n(&v16, &e16, 7, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
    ok += __atomic_compare_exchange_n(&v8, &e8, 9, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    return ok;
}

__attribute__((noinline)) u64 F(load_store)(u64 x)
{
    __atomic_store_n(&v64, x, __ATOMIC_RELEASE);
    __atomic_store_n(&v32, (u32)x, __ATOMIC_SEQ_CST);
    __atomic_store_n(&v16, (u16)x, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_signal_fence(__ATOMIC_ACQ_REL);
    u64 r = __atomic_load_n(&v64, __ATOMIC_ACQUIRE) + __atomic_load_n(&v32, __ATOMIC_SEQ_CST)
          + __atomic_load_n(&v16, __ATOMIC_RELAXED) + __atomic_load_n(&v8, __ATOMIC_CONSUME);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    return r;
}

__attribute__((noinline)) u32 F(spin_counter)(u32 n)
{
    static u32 lock, counter;
    for (u32 i = 0; i < n; i++) {
        while (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE))
            ;
        counter++;
        __atomic_clear(&lock, __ATOMIC_RELEASE);
    }
    return counter;
}

__attribute__((noinline)) s64 F(signed_minmax)(s64 x)
{
    static s64 m;
    s64 old = __atomic_load_n(&m, __ATOMIC_RELAXED);
    while (old < x && !__atomic_compare_exchange_n(&m, &old, x, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    return old;
}

u64 ATOMICS_MAIN(u64 seed)
{
    u64 acc = F(fetch_ops)(seed) + F(exchange_ops)(seed ^ 0x55);
    acc += (u64)F(cas_ops)(acc);
    acc += F(load_store)(acc) + F(spin_counter)(10) + (u64)F(signed_minmax)((s64)acc);
    return acc;
}
