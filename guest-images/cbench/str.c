/* String helpers used by several kernels. */
#include "cbench.h"

size_t c_strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

int c_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)(u8)*a - (int)(u8)*b;
}

char *c_strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++) != 0) {
    }
    return r;
}

static const char DIGITS[] = "0123456789abcdefghijklmnopqrstuvwxyz";

int c_utoa(u64 v, unsigned base, char *out)
{
    char tmp[72];
    int n = 0;
    do {
        tmp[n++] = DIGITS[v % base];
        v /= base;
    } while (v);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
    return n;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

u64 c_atou(const char *s, const char **end)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && s[1] >= '0' && s[1] <= '7') {
        base = 8;
        s++;
    }
    u64 v = 0;
    for (;;) {
        int d = digit_value(*s);
        if (d >= (int)base)
            break;
        v = v * base + (u64)d;
        s++;
    }
    if (end)
        *end = s;
    return v;
}
