/* Multiprecision arithmetic on 32-bit limbs: schoolbook multiply, add, a
 * factorial, a power, and division by a small number to print decimal digits. */
#include "cbench.h"

#define LIMBS 40

struct big {
    int n;
    u32 d[LIMBS];
};

static void big_set(struct big *a, u32 v)
{
    a->n = v ? 1 : 0;
    a->d[0] = v;
}

static void big_mul_small(struct big *a, u32 m)
{
    u64 carry = 0;
    for (int i = 0; i < a->n; i++) {
        u64 t = (u64)a->d[i] * m + carry;
        a->d[i] = (u32)t;
        carry = t >> 32;
    }
    if (carry && a->n < LIMBS)
        a->d[a->n++] = (u32)carry;
}

static void big_add(struct big *r, const struct big *a, const struct big *b)
{
    int n = a->n > b->n ? a->n : b->n;
    u64 carry = 0;
    for (int i = 0; i < n; i++) {
        u64 t = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
        r->d[i] = (u32)t;
        carry = t >> 32;
    }
    r->n = n;
    if (carry && n < LIMBS)
        r->d[r->n++] = (u32)carry;
}

static void big_mul(struct big *r, const struct big *a, const struct big *b)
{
    u32 tmp[LIMBS];
    memset(tmp, 0, sizeof tmp);
    for (int i = 0; i < a->n; i++) {
        u64 carry = 0;
        for (int j = 0; j < b->n && i + j < LIMBS; j++) {
            u64 t = (u64)a->d[i] * b->d[j] + tmp[i + j] + carry;
            tmp[i + j] = (u32)t;
            carry = t >> 32;
        }
        if (i + b->n < LIMBS)
            tmp[i + b->n] = (u32)carry;
    }
    int n = a->n + b->n < LIMBS ? a->n + b->n : LIMBS;
    while (n > 0 && tmp[n - 1] == 0)
        n--;
    memcpy(r->d, tmp, sizeof tmp);
    r->n = n;
}

/* Divides in place, returns the remainder. */
static u32 big_div_small(struct big *a, u32 m)
{
    u64 rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        u64 cur = rem << 32 | a->d[i];
        a->d[i] = (u32)(cur / m);
        rem = cur % m;
    }
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
    return (u32)rem;
}

static u64 decimal_digest(struct big a)
{
    u64 h = 0;
    int digits = 0;
    while (a.n) {
        u32 chunk = big_div_small(&a, 1000000000u);
        h = mix(h, chunk);
        digits += 9;
    }
    return mix(h, (u64)digits);
}

u64 k_bignum(u64 seed)
{
    struct rng r;
    struct big f, p, s, t;
    rng_seed(&r, seed);
    big_set(&f, 1);
    int upto = 60 + (int)rng_below(&r, 40);
    for (int i = 2; i <= upto; i++)
        big_mul_small(&f, (u32)i);
    u64 h = decimal_digest(f);
    big_set(&p, 3 + rng_below(&r, 1000));
    big_set(&s, 1);
    for (int i = 0; i < 9; i++) {
        big_mul(&t, &s, &p);
        s = t;
    }
    big_add(&t, &s, &f);
    return mix(h, decimal_digest(t));
}
