/* An open-addressing hash table with string keys: insert, update, lookup and
 * tombstone deletion, keys made with the string helpers. */
#include "cbench.h"

#define SLOTS 512
#define KEYLEN 24

struct slot {
    char key[KEYLEN];
    u32 hash;
    u32 value;
    u8 state; /* 0 empty, 1 full, 2 deleted */
};

static struct slot table[SLOTS];

static u32 fnv1a(const char *s)
{
    u32 h = 2166136261u;
    while (*s)
        h = (h ^ (u8)*s++) * 16777619u;
    return h;
}

static void make_key(char *out, u64 n)
{
    static const char *prefixes[] = { "user", "item", "node", "page", "ref" };
    c_strcpy(out, prefixes[n % 5]);
    size_t len = c_strlen(out);
    out[len++] = ':';
    c_utoa(n * 2654435761u % 100003, (unsigned)(10 + n % 7), out + len);
}

static struct slot *probe(const char *key, u32 h, int for_insert)
{
    struct slot *tomb = 0;
    for (u32 i = 0; i < SLOTS; i++) {
        struct slot *s = &table[(h + i * (i + 1) / 2) & (SLOTS - 1)];
        if (s->state == 0)
            return for_insert && tomb ? tomb : (for_insert ? s : 0);
        if (s->state == 2) {
            if (!tomb)
                tomb = s;
        } else if (s->hash == h && c_strcmp(s->key, key) == 0) {
            return s;
        }
    }
    return for_insert ? tomb : 0;
}

static int put(const char *key, u32 value)
{
    u32 h = fnv1a(key);
    struct slot *s = probe(key, h, 1);
    if (!s)
        return 0;
    if (s->state == 1) {
        s->value += value;
        return 1;
    }
    c_strcpy(s->key, key);
    s->hash = h;
    s->value = value;
    s->state = 1;
    return 2;
}

static int del(const char *key)
{
    struct slot *s = probe(key, fnv1a(key), 0);
    if (!s)
        return 0;
    s->state = 2;
    return 1;
}

u64 k_hash(u64 seed)
{
    struct rng r;
    char key[KEYLEN];
    rng_seed(&r, seed);
    memset(table, 0, sizeof table);
    u64 h = 0;
    for (int i = 0; i < 300; i++) {
        make_key(key, rng_below(&r, 400));
        h = mix(h, (u64)put(key, (u32)i));
    }
    for (int i = 0; i < 100; i++) {
        make_key(key, rng_below(&r, 400));
        h = mix(h, (u64)del(key));
    }
    u64 found = 0;
    for (int i = 0; i < 300; i++) {
        make_key(key, rng_below(&r, 400));
        struct slot *s = probe(key, fnv1a(key), 0);
        if (s)
            found += s->value;
    }
    for (int i = 0; i < SLOTS; i++)
        if (table[i].state == 1)
            h = mix(h, table[i].hash ^ table[i].value);
    return mix(h, found);
}
