/* LZ77 with a hash of the next three bytes: compress generated text-like data,
 * decompress it, and check the round trip. */
#include "cbench.h"

#define SRC 2048
#define HASH_BITS 10

static u8 src[SRC], packed[SRC * 2], unpacked[SRC];
static s16 head[1 << HASH_BITS];

static void generate(struct rng *r)
{
    static const char *words[] = { "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ",
                                   "a64trap ", "counts ", "cycles ", "\n" };
    int n = 0;
    while (n < SRC) {
        const char *w = words[rng_below(r, 12)];
        if (rng_below(r, 16) == 0)
            src[n++] = (u8)rng_next(r);
        while (*w && n < SRC)
            src[n++] = (u8)*w++;
    }
}

static u32 hash3(const u8 *p) { return ((u32)p[0] << 16 ^ (u32)p[1] << 8 ^ p[2]) * 2654435761u >> (32 - HASH_BITS); }

/* Tokens: 0x00-0x7f literal run of (n+1) bytes; 0x80 | (len-3) then a two-byte distance. */
static int compress(const u8 *in, int n, u8 *out)
{
    int o = 0, lit_start = 0, i = 0;
    for (int k = 0; k < (1 << HASH_BITS); k++)
        head[k] = -1;
    while (i < n) {
        int best = 0, dist = 0;
        if (i + 3 <= n) {
            u32 h = hash3(in + i);
            int cand = head[h];
            head[h] = (s16)i;
            if (cand >= 0 && i - cand < 32768) {
                int len = 0;
                while (i + len < n && len < 130 && in[cand + len] == in[i + len])
                    len++;
                if (len >= 3) {
                    best = len;
                    dist = i - cand;
                }
            }
        }
        if (best) {
            while (lit_start < i) {
                int run = i - lit_start > 128 ? 128 : i - lit_start;
                out[o++] = (u8)(run - 1);
                memcpy(out + o, in + lit_start, (size_t)run);
                o += run;
                lit_start += run;
            }
            out[o++] = (u8)(0x80 | (best - 3));
            out[o++] = (u8)dist;
            out[o++] = (u8)(dist >> 8);
            i += best;
            lit_start = i;
        } else {
            i++;
        }
    }
    while (lit_start < n) {
        int run = n - lit_start > 128 ? 128 : n - lit_start;
        out[o++] = (u8)(run - 1);
        memcpy(out + o, in + lit_start, (size_t)run);
        o += run;
        lit_start += run;
    }
    return o;
}

static int decompress(const u8 *in, int n, u8 *out, int cap)
{
    int i = 0, o = 0;
    while (i < n) {
        u8 t = in[i++];
        if (t < 0x80) {
            int run = t + 1;
            if (o + run > cap)
                return -1;
            memcpy(out + o, in + i, (size_t)run);
            i += run;
            o += run;
        } else {
            int len = (t & 0x7f) + 3;
            int dist = in[i] | in[i + 1] << 8;
            i += 2;
            if (dist == 0 || dist > o || o + len > cap)
                return -1;
            for (int k = 0; k < len; k++, o++)
                out[o] = out[o - dist]; /* byte by byte: overlapping copies repeat */
        }
    }
    return o;
}

u64 k_lz(u64 seed)
{
    struct rng r;
    rng_seed(&r, seed);
    generate(&r);
    int plen = compress(src, SRC, packed);
    int ulen = decompress(packed, plen, unpacked, SRC);
    u64 h = (u64)plen << 32 | (u32)ulen;
    h = mix(h, (u64)(ulen == SRC && memcmp(src, unpacked, SRC) == 0));
    for (int i = 0; i < plen; i += 13)
        h = mix(h, packed[i]);
    return h;
}
