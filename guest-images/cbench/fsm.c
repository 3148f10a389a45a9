/* A token scanner written as a switch-based state machine, over generated text
 * with integers, hex numbers, decimals, exponents, identifiers and junk. */
#include "cbench.h"

#define TEXT 2048

enum state { S_START, S_INT, S_HEX0, S_HEX, S_FRAC, S_EXP0, S_EXPSIGN, S_EXP, S_IDENT, S_BAD, S_COUNT };

static char text[TEXT + 1];
static u32 transitions[S_COUNT];

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_space(char c) { return c == ' ' || c == ',' || c == '\n'; }

static void generate(struct rng *r)
{
    static const char *pieces[] = { "123", "0x1f", "3.25", "7e5", "1.5e-3", "abc", "x9", "-", "0x", "9.", "..",
                                    "e", "42", "0777", "_id", "5e+", "+7", "0xdeadBEEF", "1.", "ZZ" };
    int n = 0;
    while (n < TEXT - 16) {
        const char *p = pieces[rng_below(r, sizeof pieces / sizeof pieces[0])];
        while (*p && n < TEXT - 2)
            text[n++] = *p++;
        text[n++] = " ,\n"[rng_below(r, 3)];
    }
    text[n] = 0;
}

static enum state step(enum state s, char c)
{
    switch (s) {
    case S_START:
        if (c == '0')
            return S_HEX0;
        if (is_digit(c) || c == '+' || c == '-')
            return S_INT;
        if (is_alpha(c))
            return S_IDENT;
        return S_BAD;
    case S_INT:
        if (is_digit(c))
            return S_INT;
        if (c == '.')
            return S_FRAC;
        if (c == 'e' || c == 'E')
            return S_EXP0;
        return S_BAD;
    case S_HEX0:
        if (c == 'x' || c == 'X')
            return S_HEX;
        if (is_digit(c))
            return S_INT;
        if (c == '.')
            return S_FRAC;
        return S_BAD;
    case S_HEX:
        if (is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            return S_HEX;
        return S_BAD;
    case S_FRAC:
        if (is_digit(c))
            return S_FRAC;
        if (c == 'e' || c == 'E')
            return S_EXP0;
        return S_BAD;
    case S_EXP0:
        if (c == '+' || c == '-')
            return S_EXPSIGN;
        if (is_digit(c))
            return S_EXP;
        return S_BAD;
    case S_EXPSIGN:
    case S_EXP:
        return is_digit(c) ? S_EXP : S_BAD;
    case S_IDENT:
        return is_alpha(c) || is_digit(c) ? S_IDENT : S_BAD;
    default:
        return S_BAD;
    }
}

/* A token is accepted when it ends in one of these states. */
static int accepting(enum state s)
{
    return s == S_INT || s == S_HEX0 || s == S_HEX || s == S_FRAC || s == S_EXP || s == S_IDENT;
}

static u64 scan(u32 *kinds)
{
    u64 h = 0;
    const char *p = text;
    while (*p) {
        while (*p && is_space(*p))
            p++;
        if (!*p)
            break;
        enum state s = S_START;
        const char *start = p;
        while (*p && !is_space(*p)) {
            enum state n = step(s, *p++);
            if (n != s)
                transitions[n]++;
            s = n;
        }
        kinds[accepting(s) ? s : S_BAD]++;
        h = mix(h, (u64)(p - start) << 8 | (u64)s);
    }
    return h;
}

u64 k_fsm(u64 seed)
{
    struct rng r;
    u32 kinds[S_COUNT];
    rng_seed(&r, seed);
    generate(&r);
    memset(kinds, 0, sizeof kinds);
    memset(transitions, 0, sizeof transitions);
    u64 h = scan(kinds);
    for (int i = 0; i < S_COUNT; i++)
        h = mix(h, (u64)kinds[i] << 32 | transitions[i]);
    return h;
}
