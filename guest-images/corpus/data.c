/* Data layout: structs (copied by value, packed, bitfields), arrays of every
 * element size, 2-D arrays, pointer walks, strings and a hash table. */
#include "corpus.h"

struct point { s32 x, y; };
struct rect { struct point a, b; u8 color; u16 flags; u64 id; };
struct big { u64 words[12]; u32 tail; };
struct __attribute__((packed)) packed { u8 tag; u32 value; u16 half; u64 wide; };
struct bits { u32 lo : 5, mid : 11, hi : 16; s32 sfield : 7; u64 wide : 40; };

__attribute__((noinline)) struct rect make_rect(s32 x0, s32 y0, s32 x1, s32 y1)
{
    struct rect r = { { x0, y0 }, { x1, y1 }, 3, 0x8001, 0x123456789aUL };
    return r;
}

__attribute__((noinline)) s64 rect_area(struct rect r)
{
    s64 w = (s64)r.b.x - r.a.x, h = (s64)r.b.y - r.a.y;
    return w * h + r.color + r.flags;
}

__attribute__((noinline)) struct big copy_big(const struct big *src, u32 k)
{
    struct big b = *src;
    b.words[k % 12] ^= 0xffff;
    b.tail += k;
    return b;
}

__attribute__((noinline)) u64 packed_sum(struct packed *p, int n)
{
    u64 s = 0;
    for (int i = 0; i < n; i++) {
        p[i].value += p[i].tag;
        s += p[i].value + p[i].half + p[i].wide;
    }
    return s;
}

__attribute__((noinline)) u64 bits_roundtrip(struct bits *b, u64 v)
{
    b->lo = v;
    b->mid = v >> 5;
    b->hi = v >> 16;
    b->sfield = (s32)(v >> 7);
    b->wide = v * 3;
    return (u64)b->lo + b->mid + b->hi + (u64)(s64)b->sfield + b->wide;
}

__attribute__((noinline)) u64 sum_u8(const u8 *a, int n) { u64 s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) s64 sum_s8(const s8 *a, int n) { s64 s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) u64 sum_u16(const u16 *a, int n) { u64 s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) s64 sum_s16(const s16 *a, int n) { s64 s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) s64 sum_s32(const s32 *a, long n) { s64 s = 0; for (long i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) u64 sum_u64(const u64 *a, long n) { u64 s = 0; for (long i = n - 1; i >= 0; i--) s += a[i]; return s; }

__attribute__((noinline)) void fill_pattern(u8 *b8, u16 *b16, u32 *b32, u64 *b64, int n, u64 seed)
{
    for (int i = 0; i < n; i++) {
        b8[i] = (u8)(seed >> (i & 7));
        b16[i] = (u16)(seed * i);
        b32[i] = (u32)(seed ^ (u64)i << 9);
        b64[i] = seed + (u64)i * 0x100000001UL;
    }
}

__attribute__((noinline)) void transpose(s32 m[8][8])
{
    for (int i = 0; i < 8; i++)
        for (int j = i + 1; j < 8; j++) {
            s32 t = m[i][j];
            m[i][j] = m[j][i];
            m[j][i] = t;
        }
}

__attribute__((noinline)) void matmul4(const s64 a[4][4], const s64 b[4][4], s64 c[4][4])
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            s64 s = 0;
            for (int k = 0; k < 4; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
}

__attribute__((noinline)) size_t str_len(const char *s) { const char *p = s; while (*p) p++; return (size_t)(p - s); }
__attribute__((noinline)) int str_cmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return (u8)*a - (u8)*b;
}
__attribute__((noinline)) void str_rev(char *s)
{
    size_t n = str_len(s);
    for (size_t i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
}
__attribute__((noinline)) u32 fnv1a(const u8 *p, size_t n)
{
    u32 h = 2166136261u;
    while (n--)
        h = (h ^ *p++) * 16777619u;
    return h;
}
__attribute__((noinline)) u32 crc32_sw(const u8 *p, size_t n)
{
    u32 crc = ~0u;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

#define TABLE 64
struct entry { u64 key; u64 value; struct entry *next; };
static struct entry pool[TABLE];
static struct entry *buckets[16];

__attribute__((noinline)) void ht_put(int slot, u64 key, u64 value)
{
    struct entry *e = &pool[slot % TABLE];
    unsigned b = (unsigned)(key * 0x9e3779b97f4a7c15UL >> 60);
    e->key = key;
    e->value = value;
    e->next = buckets[b];
    buckets[b] = e;
}

__attribute__((noinline)) u64 ht_get(u64 key)
{
    unsigned b = (unsigned)(key * 0x9e3779b97f4a7c15UL >> 60);
    for (struct entry *e = buckets[b]; e; e = e->next)
        if (e->key == key)
            return e->value;
    return ~0UL;
}

__attribute__((noinline)) void insertion_sort(s32 *a, int n)
{
    for (int i = 1; i < n; i++) {
        s32 v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

__attribute__((noinline)) int bsearch_u16(const u16 *a, int n, u16 key)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + ((hi - lo) >> 1);
        if (a[mid] == key)
            return mid;
        if (a[mid] < key)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

u64 data_main(u64 seed)
{
    u8 b8[32];
    u16 b16[32];
    u32 b32[32];
    u64 b64[32];
    s32 m[8][8];
    s64 a4[4][4], c4[4][4];
    struct big big = { { 1, 2, 3 }, 7 };
    struct packed pk[3] = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } };
    struct bits bf;
    char str[] = "a64trap corpus";
    static const u16 sorted[] = { 1, 4, 9, 16, 25, 36, 49, 64, 81, 100 };
    s32 unsorted[] = { 9, -3, 7, 0, 22, -18, 5, 5, 1 };

    fill_pattern(b8, b16, b32, b64, 32, seed);
    u64 acc = sum_u8(b8, 32) + (u64)sum_s8((s8 *)b8, 32) + sum_u16(b16, 32) + (u64)sum_s16((s16 *)b16, 32);
    acc += (u64)sum_s32((s32 *)b32, 32) + sum_u64(b64, 32);
    struct rect r = make_rect(1, 2, (s32)seed, 40);
    acc += (u64)rect_area(r);
    struct big b2 = copy_big(&big, (u32)seed);
    acc += b2.words[(seed >> 3) % 12] + b2.tail;
    acc += packed_sum(pk, 3) + bits_roundtrip(&bf, acc);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            m[i][j] = i * 8 + j - (s32)seed;
    transpose(m);
    acc += (u64)(s64)m[1][6];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            a4[i][j] = (s64)(i - j) * (s64)seed;
    matmul4((const s64 (*)[4])a4, (const s64 (*)[4])a4, c4);
    acc += (u64)c4[2][3];
    str_rev(str);
    acc += str_len(str) + (u64)str_cmp(str, "suproc") + fnv1a((const u8 *)str, sizeof str) + crc32_sw(b8, 32);
    for (int i = 0; i < 40; i++)
        ht_put(i, seed + (u64)i * 31, (u64)i);
    acc += ht_get(seed + 31 * 7) + ht_get(3);
    insertion_sort(unsorted, 9);
    acc += (u64)(s64)unsorted[0] + (u64)bsearch_u16(sorted, 10, 49);
    memmove(b8 + 1, b8, 16);
    acc += (u64)memcmp(b8, b8 + 8, 8);
    return acc;
}
