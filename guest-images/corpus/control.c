/* Control flow: loops, switch tables, recursion, function pointers, early
 * exits, bit-test branches, tail calls and a small state machine. */
#include "corpus.h"

typedef u64 (*binop)(u64, u64);

static u64 op_add(u64 a, u64 b) { return a + b; }
static u64 op_sub(u64 a, u64 b) { return a - b; }
static u64 op_xor(u64 a, u64 b) { return a ^ b; }
static u64 op_mul(u64 a, u64 b) { return a * b; }
static u64 op_shl(u64 a, u64 b) { return a << (b & 63); }
static u64 op_rot(u64 a, u64 b) { b &= 63; return b ? (a >> b) | (a << (64 - b)) : a; }

static const binop ops[] = { op_add, op_sub, op_xor, op_mul, op_shl, op_rot };

__attribute__((noinline)) u64 apply_all(u64 a, u64 b)
{
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        a = ops[i](a, b + i);
    return a;
}

__attribute__((noinline)) int classify(int c)
{
    switch (c) {
    case 0: return 11;
    case 1: return 23;
    case 2: return 37;
    case 3: return 41;
    case 4: return 59;
    case 5: return 67;
    case 6: return 73;
    case 7: return 89;
    case 8: return 97;
    case 9: return 101;
    case 10: return 103;
    case 12: return 107;
    case 14: return 109;
    default: return -1;
    }
}

__attribute__((noinline)) u64 dispatch(u32 op, u64 a, u64 b)
{
    switch (op) {
    case 100: a += b; break;
    case 101: a -= b; break;
    case 102: a *= b; break;
    case 103: a = b ? a / b : a; break;
    case 104: a &= b; break;
    case 105: a |= b; break;
    case 106: a ^= b; break;
    case 107: a <<= b & 63; break;
    case 108: a >>= b & 63; break;
    case 1000: a = ~a; break;
    case 50000: a = -a; break;
    default: a = 0; break;
    }
    return a;
}

__attribute__((noinline)) char tolower_switch(char c)
{
    switch (c) {
    case 'A' ... 'Z': return (char)(c + 32);
    case '0' ... '9': return c;
    case ' ': case '\t': case '\n': return ' ';
    default: return '?';
    }
}

__attribute__((noinline)) u64 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
__attribute__((noinline)) u64 fact(u32 n) { return n <= 1 ? 1 : n * fact(n - 1); }
__attribute__((noinline)) u32 gcd(u32 a, u32 b) { return b ? gcd(b, a % b) : a; }
__attribute__((noinline)) u64 ackermann(u64 m, u64 n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_even(u32 n);
__attribute__((noinline)) static int is_odd(u32 n) { return n == 0 ? 0 : is_even(n - 1); }
__attribute__((noinline)) static int is_even(u32 n) { return n == 0 ? 1 : is_odd(n - 1); }

__attribute__((noinline)) u32 collatz_steps(u64 n)
{
    u32 steps = 0;
    while (n != 1 && steps < 1000) {
        n = (n & 1) ? 3 * n + 1 : n >> 1;
        steps++;
    }
    return steps;
}

__attribute__((noinline)) int bit_tests(u64 x)
{
    int r = 0;
    if (x & (1UL << 3)) r += 1;
    if (!(x & (1UL << 40))) r += 2;
    if (x & (1UL << 63)) r += 4;
    if ((u32)x & 0x80000000u) r += 8;
    if (x == 0) r += 16;
    if ((s64)x < 0) r += 32;
    return r;
}

__attribute__((noinline)) u32 sum_do_while(const u32 *p, u32 n)
{
    u32 s = 0;
    if (!n)
        return 0;
    do {
        s += *p++;
    } while (--n);
    return s;
}

__attribute__((noinline)) int find_first(const s32 *a, int n, s32 key)
{
    for (int i = 0; i < n; i++) {
        if (a[i] == key)
            return i;
        if (a[i] > key * 2)
            break;
    }
    return -1;
}

__attribute__((noinline)) int nested_loops(int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
            if ((i ^ j) & 1)
                continue;
            total += i * j;
            if (total > 100000)
                goto out;
        }
    }
out:
    return total;
}

enum state { S_IDLE, S_NUM, S_OP, S_DONE };

__attribute__((noinline)) s64 eval_rpn(const char *s)
{
    s64 stack[16];
    int sp = 0;
    s64 cur = 0;
    enum state st = S_IDLE;
    for (;; s++) {
        char c = *s;
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + (c - '0');
            st = S_NUM;
            continue;
        }
        if (st == S_NUM && sp < 16)
            stack[sp++] = cur;
        cur = 0;
        st = S_OP;
        if (sp >= 2 && (c == '+' || c == '-' || c == '*' || c == '/')) {
            s64 b = stack[--sp], a = stack[--sp];
            stack[sp++] = c == '+' ? a + b : c == '-' ? a - b : c == '*' ? a * b : b ? a / b : 0;
        }
        if (c == 0) {
            st = S_DONE;
            break;
        }
    }
    return st == S_DONE && sp ? stack[sp - 1] : -1;
}

__attribute__((noinline)) u64 tail_sum(u64 n, u64 acc) { return n ? tail_sum(n - 1, acc + n) : acc; }

u64 control_main(u64 seed)
{
    static const u32 words[] = { 1, 2, 3, 5, 8, 13, 21, 34 };
    static const s32 signed_words[] = { -5, 0, 7, 9, 12, 40, 100 };
    u64 acc = apply_all(seed, 3);
    for (int i = 0; i < 16; i++)
        acc += (u64)classify(i + (int)(seed & 1));
    for (u32 op = 99; op < 110; op++)
        acc = dispatch(op, acc, seed + op);
    acc += dispatch(1000, acc, 0) + dispatch(50000, acc, 0);
    acc += (u64)tolower_switch((char)seed) + (u64)tolower_switch('Q');
    acc += fib(15) + fact(12) + gcd((u32)seed, 360) + ackermann(2, 3);
    acc += (u64)is_odd(17) + collatz_steps(seed | 1) + (u64)bit_tests(acc);
    acc += sum_do_while(words, 8) + (u64)find_first(signed_words, 7, 12) + (u64)nested_loops(40);
    acc += (u64)eval_rpn("12 4 + 3 * 5 -") + tail_sum(100, 0);
    return acc;
}
