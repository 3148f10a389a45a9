/* Formatted output, semihosting and PSCI calls, mem*, self-check helpers. */
#include "runtime.h"

u64 semihost(u64 op, u64 param)
{
    register u64 x0 __asm__("x0") = op;
    register u64 x1 __asm__("x1") = param;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

u64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
    register u64 x0 __asm__("x0") = fn;
    register u64 x1 __asm__("x1") = a1;
    register u64 x2 __asm__("x2") = a2;
    register u64 x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return x0;
}

void *memcpy(void *d, const void *s, size_t n)
{
    u8 *dp = d;
    const u8 *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    u8 *dp = d;
    while (n--)
        *dp++ = (u8)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

void puts_(const char *s)
{
    while (*s)
        console_putc(*s++);
    console_putc('\n');
}

static void put_str(const char *s, int width, int left)
{
    int n = 0;
    while (s[n])
        n++;
    for (; !left && n < width; width--)
        console_putc(' ');
    while (*s)
        console_putc(*s++);
    for (; left && n < width; width--)
        console_putc(' ');
}

/* Supports %[-][0][width][l]{d,u,x,s,c} and %%: all the images need. */
void vprintf_(const char *fmt, va_list ap)
{
    char buf[24];
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            console_putc(*fmt);
            continue;
        }
        int left = 0, zero = 0, width = 0, lng = 0;
        fmt++;
        if (*fmt == '-') { left = 1; fmt++; }
        if (*fmt == '0') { zero = 1; fmt++; }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') { lng = 1; fmt++; }
        char c = *fmt;
        if (c == 's') {
            put_str(va_arg(ap, const char *), width, left);
            continue;
        }
        if (c == 'c') {
            console_putc((char)va_arg(ap, int));
            continue;
        }
        if (c != 'd' && c != 'u' && c != 'x') {
            console_putc(c ? c : '%');
            if (!c)
                break;
            continue;
        }
        u64 v;
        int neg = 0;
        if (c == 'd') {
            s64 sv = lng ? va_arg(ap, s64) : va_arg(ap, s32);
            neg = sv < 0;
            v = neg ? 0 - (u64)sv : (u64)sv;
        } else {
            v = lng ? va_arg(ap, u64) : va_arg(ap, u32);
        }
        unsigned base = c == 'x' ? 16 : 10;
        int i = sizeof buf - 1;
        buf[i] = 0;
        do {
            buf[--i] = "0123456789abcdef"[v % base];
            v /= base;
        } while (v);
        int digits = (int)sizeof buf - 1 - i + neg;
        if (zero && !left) {
            if (neg)
                console_putc('-');
            for (; digits < width; width--)
                console_putc('0');
            put_str(buf + i, 0, 0);
        } else {
            if (neg)
                buf[--i] = '-';
            put_str(buf + i, width, left);
        }
    }
}

void printf_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf_(fmt, ap);
    va_end(ap);
}

__attribute__((weak)) void handle_exception(struct exc_frame *f)
{
    printf("unexpected exception: vector %lu ESR_EL1=0x%lx ELR_EL1=0x%lx FAR_EL1=0x%lx\n",
           f->vec, f->esr, f->elr, f->far);
    exit(100);
}

static int passed, failed;

void check(const char *name, u64 got, u64 expected)
{
    if (got == expected) {
        passed++;
        printf("PASS %s\n", name);
    } else {
        failed++;
        printf("FAIL %s: got 0x%lx expected 0x%lx\n", name, got, expected);
    }
}

int check_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed > 100 ? 100 : failed;
}
