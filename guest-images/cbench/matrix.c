/* Integer matrices: multiply, transpose, add a scalar, matrix-vector product,
 * and a pass that extracts bit fields of the results. */
#include "cbench.h"

#define N 20

typedef s32 mat[N][N];

static mat ma, mb, mc;
static s32 vec[N], out[N];

static void fill(struct rng *r, mat m, int mask)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            m[i][j] = (s32)(rng_next(r) & (u64)mask) - mask / 2;
}

static void add_scalar(mat m, s32 v)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            m[i][j] += v;
}

static void multiply(mat dst, mat a, mat b)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s32 acc = 0;
            for (int k = 0; k < N; k++)
                acc += a[i][k] * b[k][j];
            dst[i][j] = acc;
        }
}

static void transpose(mat m)
{
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            s32 t = m[i][j];
            m[i][j] = m[j][i];
            m[j][i] = t;
        }
}

static void mul_vec(s32 *dst, mat m, const s32 *v)
{
    for (int i = 0; i < N; i++) {
        s64 acc = 0;
        for (int j = 0; j < N; j++)
            acc += (s64)m[i][j] * v[j];
        dst[i] = (s32)(acc >> 3);
    }
}

static u64 bits(mat m)
{
    u64 h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            u32 v = (u32)m[i][j];
            h += ((v >> 2) & 0xf) * ((v >> 5) & 0x7f) + (v >> 27);
        }
    return h;
}

static u64 sum(mat m)
{
    u64 h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = h * 3 + (u64)(u32)m[i][j];
    return h;
}

u64 k_matrix(u64 seed)
{
    struct rng r;
    rng_seed(&r, seed);
    fill(&r, ma, 0xff);
    fill(&r, mb, 0x3ff);
    for (int i = 0; i < N; i++)
        vec[i] = (s32)rng_below(&r, 200) - 100;
    u64 h = 0;
    add_scalar(ma, 7);
    multiply(mc, ma, mb);
    h = mix(h, sum(mc));
    transpose(mc);
    mul_vec(out, mc, vec);
    for (int i = 0; i < N; i++)
        h = mix(h, (u64)(u32)out[i]);
    h = mix(h, bits(mc));
    multiply(ma, mc, mb);
    return mix(h, sum(ma) ^ bits(ma));
}
