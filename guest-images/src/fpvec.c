/* fpvec: ordinary floating-point and vectorisable C, compiled the usual way (gcc -O2 WITHOUT
 * -mgeneral-regs-only, so GCC 12 auto-vectorises loops and keeps doubles in V registers): a
 * double dot product, a float saxpy, an n-body step (sqrt, division), a polynomial with fused
 * multiply-add, int/double conversions, and memcpy/strlen/memchr-style byte loops. Prints each
 * result as raw bits (the runtime's printf has no %f). The iteration count is the last word of
 * the semihosting command line (default 3): the conformance run uses the default, tools/bench-c
 * uses it as the benchmark of FP speed. PL011 console; SYS_EXIT 0. */
#include "runtime.h"

#define N 512
#define BODIES 16

static double xa[N], xb[N];
static float fa[N], fb[N];
static unsigned char bytes[4096], copy[4096];
static int ia[N], ib[N];

static double px[BODIES], py[BODIES], pz[BODIES], vx[BODIES], vy[BODIES], vz[BODIES], mass[BODIES];

static u64 iterations_from_cmdline(void)
{
    static char buf[256];
    u64 block[2] = { (u64)buf, sizeof buf };
    if (semihost(SYS_GET_CMDLINE, (u64)block) != 0)
        return 3;
    const char *last = 0;
    for (const char *p = buf; *p; p++)
        if (*p != ' ' && (p == buf || p[-1] == ' '))
            last = p;
    u64 n = 0;
    int digits = 0;
    for (const char *p = last; p && *p >= '0' && *p <= '9'; p++, digits++)
        n = n * 10 + (u64)(*p - '0');
    return digits ? n : 3;
}

static u64 bits(double d)
{
    union { double d; u64 u; } x = { d };
    return x.u;
}

static u32 fbits(float f)
{
    union { float f; u32 u; } x = { f };
    return x.u;
}

static void init(void)
{
    u64 s = 0x9e3779b97f4a7c15UL;
    for (int i = 0; i < N; i++) {
        s = s * 6364136223846793005UL + 1442695040888963407UL;
        xa[i] = (double)(s >> 11) / (double)(1UL << 53) - 0.5;
        xb[i] = (double)(i % 97) * 0.03125 + 1.0 / (double)(i + 1);
        fa[i] = (float)xa[i] * 3.0f;
        fb[i] = (float)(i & 63) - 31.5f;
        ia[i] = (int)(s >> 40) - (1 << 23);
        ib[i] = i * 7 - 1000;
    }
    for (int i = 0; i < (int)sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 37 + (i >> 5) + 1);
    bytes[3001] = 0;
    for (int b = 0; b < BODIES; b++) {
        px[b] = b * 1.25; py[b] = (b % 4) * 0.75 - 1.0; pz[b] = (b % 3) * 0.5;
        vx[b] = 0.01 * b; vy[b] = -0.02 * (b % 5); vz[b] = 0.0;
        mass[b] = 1.0 + 0.125 * b;
    }
}

static double dot(const double *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static void saxpy(float *y, const float *x, float a, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

static void nbody_step(double dt)
{
    for (int i = 0; i < BODIES; i++) {
        double ax = 0, ay = 0, az = 0;
        for (int j = 0; j < BODIES; j++) {
            if (i == j)
                continue;
            double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
            double d2 = dx * dx + dy * dy + dz * dz + 0.01;
            double inv = 1.0 / (d2 * __builtin_sqrt(d2));
            ax += dx * mass[j] * inv;
            ay += dy * mass[j] * inv;
            az += dz * mass[j] * inv;
        }
        vx[i] += ax * dt; vy[i] += ay * dt; vz[i] += az * dt;
    }
    for (int i = 0; i < BODIES; i++) {
        px[i] += vx[i] * dt; py[i] += vy[i] * dt; pz[i] += vz[i] * dt;
    }
}

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
            e -= mass[i] * mass[j] / __builtin_sqrt(dx * dx + dy * dy + dz * dz + 0.01);
        }
    }
    return e;
}

static double poly(double x)
{
    return __builtin_fma(__builtin_fma(__builtin_fma(0.125, x, -0.5), x, 1.5), x, -2.0);
}

static long convert_sum(void)
{
    long s = 0;
    for (int i = 0; i < N; i++)
        s += (long)(xa[i] * 1e6) + (int)fb[i] + (long)(double)ia[i];
    return s;
}

static void int_vector(int *out_max, long *out_sum)
{
    int m = ia[0];
    long s = 0;
    for (int i = 0; i < N; i++) {
        int v = ia[i] + ib[i];
        m = v > m ? v : m;
        s += (long)(v >> 3);
    }
    *out_max = m;
    *out_sum = s;
}

static u64 byte_work(void)
{
    for (int i = 0; i < (int)sizeof bytes; i++)
        copy[i] = bytes[i];
    u64 len = 0;
    while (copy[len])
        len++;
    u64 sum = 0;
    for (int i = 0; i < (int)sizeof copy; i++)
        sum += copy[i] ^ (unsigned char)i;
    int where = -1;
    for (int i = 0; i < (int)sizeof copy; i++)
        if (copy[i] == 0x5a) {
            where = i;
            break;
        }
    return len << 40 ^ sum << 12 ^ (u64)(where & 0xfff);
}

__attribute__((noinline)) static int run(u64 iters)
{
    init();
    double d = 0, e = 0, p = 0;
    long conv = 0, isum = 0;
    int imax = 0;
    u64 bw = 0;
    for (u64 it = 0; it < iters; it++) {
        d += dot(xa, xb, N);
        saxpy(fa, fb, 0.001f, N);
        nbody_step(0.001);
        p += poly(d * 1e-3);
        conv += convert_sum();
        int_vector(&imax, &isum);
        bw ^= byte_work() + it;
        xb[it % N] += 0.5;
        ia[it % N] ^= (int)it;
    }
    e = energy();
    printf("fpvec: %lu iterations\n", iters);
    printf("dot     %lx\n", bits(d));
    printf("saxpy   %x %x %x\n", fbits(fa[0]), fbits(fa[N / 2]), fbits(fa[N - 1]));
    printf("nbody   %lx %lx %lx\n", bits(e), bits(px[3]), bits(vy[7]));
    printf("poly    %lx\n", bits(p));
    printf("convert %lx\n", (u64)conv);
    printf("int     %x %lx\n", (unsigned)imax, (u64)isum);
    printf("bytes   %lx\n", bw);
    return 0;
}

int main(void)
{
    /* FP/SIMD on (CPACR_EL1.FPEN = 0b11) before any compiled FP code runs. */
    __asm__ volatile("mov x0, #(3 << 20)\n msr cpacr_el1, x0\n isb" ::: "x0");
    return run(iterations_from_cmdline());
}
