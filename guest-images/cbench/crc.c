/* Checksums over a generated buffer: bitwise CRC-16/CCITT, table CRC-32,
 * Adler-32 and Fletcher-16. */
#include "cbench.h"

#define BUF 1024

static u8 buf[BUF];
static u32 crc32_table[256];
static int table_ready;

static void make_table(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc32_table[i] = c;
    }
    table_ready = 1;
}

static u16 crc16(const u8 *p, int n)
{
    u16 crc = 0xffff;
    while (n--) {
        crc ^= (u16)(*p++ << 8);
        for (int k = 0; k < 8; k++)
            crc = crc & 0x8000 ? (u16)(crc << 1) ^ 0x1021 : (u16)(crc << 1);
    }
    return crc;
}

static u32 crc32(const u8 *p, int n)
{
    u32 c = 0xffffffffu;
    while (n--)
        c = crc32_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

static u32 adler32(const u8 *p, int n)
{
    u32 a = 1, b = 0;
    while (n--) {
        a = (a + *p++) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

static u16 fletcher16(const u8 *p, int n)
{
    u16 s1 = 0, s2 = 0;
    while (n--) {
        s1 = (u16)((s1 + *p++) % 255);
        s2 = (u16)((s2 + s1) % 255);
    }
    return (u16)(s2 << 8 | s1);
}

u64 k_crc(u64 seed)
{
    struct rng r;
    rng_seed(&r, seed);
    if (!table_ready)
        make_table();
    for (int i = 0; i < BUF; i += 8) {
        u64 v = rng_next(&r);
        for (int k = 0; k < 8; k++)
            buf[i + k] = (u8)(v >> (8 * k));
    }
    u64 h = crc16(buf, 256);
    h = mix(h, crc32(buf, BUF));
    h = mix(h, adler32(buf, BUF));
    return mix(h, fletcher16(buf, BUF));
}
