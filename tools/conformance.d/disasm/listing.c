/* A small freestanding program whose objdump -d listing is golden test data for 'a64trap disasm'
 * (branches to symbols, calls, adrp/add pairs, a jump table, atomics). Built by gen-golden.sh. */
static volatile long counter;
static const char msg[] = "hello";
long table[8];

__attribute__((noinline)) static long pick(int i, long a, long b) {
    switch (i & 7) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return b ? a / b : 0;
    case 4: return a << (b & 63);
    case 5: return a ^ b;
    case 6: return (a < b) ? a : b;
    default: return __builtin_clzl(a | 1);
    }
}

long sum(const long *p, int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
        s += pick(i, p[i], s);
    }
    return s;
}

void _start(void) {
    for (int i = 0; i < 8; i++) {
        table[i] = msg[i % 5] * (i + 1);
    }
    __atomic_fetch_add(&counter, sum(table, 8), __ATOMIC_SEQ_CST);
    for (;;) {
        __asm__ volatile("wfi");
    }
}
