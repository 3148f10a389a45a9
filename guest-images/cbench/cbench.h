/* cbench: ordinary compiled C for measuring a64trap beside QEMU. Many small
 * functions, calls and returns, switch tables and function pointers (indirect
 * branches), loads and stores over lists, trees, tables and buffers: the shape
 * of real programs, not a tight loop. Each kernel returns a checksum; main
 * prints them so any two runners can be compared. No FP (built with
 * -mgeneral-regs-only like the other guests until FP/SIMD is in). */
#ifndef CBENCH_H
#define CBENCH_H
#include "runtime.h"

/* A small deterministic generator (xorshift64*), seeded per kernel. */
struct rng { u64 s; };
static inline void rng_seed(struct rng *r, u64 seed) { r->s = seed ? seed : 0x9E3779B97F4A7C15UL; }
static inline u64 rng_next(struct rng *r)
{
    u64 x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DUL;
}
static inline u32 rng_below(struct rng *r, u32 n) { return (u32)(rng_next(r) % n); }

/* Mixes a value into a running checksum (order matters). */
static inline u64 mix(u64 h, u64 v)
{
    h ^= v + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
    return h;
}

/* Kernels: each runs one pass from its seed and returns its checksum. */
u64 k_list(u64 seed);
u64 k_matrix(u64 seed);
u64 k_fsm(u64 seed);
u64 k_crc(u64 seed);
u64 k_vm(u64 seed);
u64 k_tree(u64 seed);
u64 k_hash(u64 seed);
u64 k_sort(u64 seed);
u64 k_lz(u64 seed);
u64 k_search(u64 seed);
u64 k_bignum(u64 seed);
u64 k_text(u64 seed);

/* Small string helpers shared by the kernels (str.c). */
size_t c_strlen(const char *s);
int c_strcmp(const char *a, const char *b);
char *c_strcpy(char *d, const char *s);
int c_utoa(u64 v, unsigned base, char *out);   /* returns length */
u64 c_atou(const char *s, const char **end);
#endif
