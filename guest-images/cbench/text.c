/* Text processing: word frequencies with a small trie, a line formatter that
 * justifies words to a width, and a run of printf-like number formatting. */
#include "cbench.h"

#define TRIE 1024

struct trie {
    u16 child[27]; /* a-z and a terminator slot; 0 = none */
    u16 count;
};

static struct trie trie[TRIE];
static int trie_used;
static char line[128];

static int letter(char c) { return c >= 'a' && c <= 'z' ? c - 'a' : 26; }

static int trie_add(const char *w, int len)
{
    int n = 0;
    for (int i = 0; i < len; i++) {
        int c = letter(w[i]);
        if (!trie[n].child[c]) {
            if (trie_used == TRIE)
                return 0;
            memset(&trie[trie_used], 0, sizeof trie[0]);
            trie[n].child[c] = (u16)trie_used++;
        }
        n = trie[n].child[c];
    }
    return ++trie[n].count;
}

static u64 trie_walk(int n, u64 h, int depth)
{
    h = mix(h, (u64)trie[n].count << 8 | (u64)depth);
    for (int c = 0; c < 27; c++)
        if (trie[n].child[c])
            h = trie_walk(trie[n].child[c], h, depth + 1);
    return h;
}

/* Fills `line` with words from `words` justified to `width`; returns words used. */
static int justify(const char **words, int count, int width)
{
    int used = 0, len = 0;
    while (used < count) {
        int wl = (int)c_strlen(words[used]);
        if (len + wl + used > width)
            break;
        len += wl;
        used++;
    }
    if (used == 0)
        return 0;
    int gaps = used - 1, spaces = width - len, o = 0;
    for (int i = 0; i < used; i++) {
        c_strcpy(line + o, words[i]);
        o += (int)c_strlen(words[i]);
        if (i < gaps) {
            int s = spaces / gaps + (i < spaces % gaps);
            for (int k = 0; k < s; k++)
                line[o++] = ' ';
        }
    }
    line[o] = 0;
    return used;
}

u64 k_text(u64 seed)
{
    static const char *vocab[] = { "kvm", "vcpu", "pmu", "counter", "cycle", "migrate", "core", "little",
                                   "big", "guest", "host", "trap", "event", "overflow", "filter", "fixed" };
    const char *words[64];
    struct rng r;
    rng_seed(&r, seed);
    memset(&trie[0], 0, sizeof trie[0]);
    trie_used = 1;
    for (int i = 0; i < 64; i++) {
        words[i] = vocab[rng_below(&r, 16)];
        trie_add(words[i], (int)c_strlen(words[i]));
    }
    u64 h = trie_walk(0, 0, 0);
    int at = 0;
    while (at < 64) {
        int n = justify(words + at, 64 - at, 40);
        if (!n)
            break;
        for (const char *p = line; *p; p++)
            h = h * 131 + (u8)*p;
        at += n;
    }
    char num[72];
    for (int i = 0; i < 32; i++) {
        u64 v = rng_next(&r) >> (i * 2 % 60);
        int len = c_utoa(v, (unsigned)(2 + i % 15), num);
        const char *end;
        h = mix(h, (u64)len ^ (i % 15 == 8 ? c_atou(num, &end) : 0));
    }
    return h;
}
