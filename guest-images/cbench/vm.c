/* A small stack-machine interpreter, run two ways: a switch (a jump table, one
 * indirect branch per opcode) and a table of handler functions (an indirect
 * call per opcode). The programs compute Fibonacci numbers, GCDs and a sieve. */
#include "cbench.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, DUP, SWAP, DROP, JZ, JMP, LT, HALT, OP_COUNT };

struct insn {
    u8 op;
    s32 arg;
};

#define STACK 64
#define VARS 16

struct machine {
    s64 stack[STACK];
    s64 vars[VARS];
    int sp;
    int pc;
    u64 steps;
};

/* fib: vars[0] = n; a = 0, b = 1; while (n) { t = a + b; a = b; b = t; n--; } result a */
static const struct insn FIB[] = {
    { PUSH, 0 }, { STORE, 1 }, { PUSH, 1 }, { STORE, 2 },
    /* 4: loop */ { LOAD, 0 }, { JZ, 17 },
    { LOAD, 1 }, { LOAD, 2 }, { ADD, 0 }, { LOAD, 2 }, { STORE, 1 }, { STORE, 2 },
    { LOAD, 0 }, { PUSH, 1 }, { SUB, 0 }, { STORE, 0 }, { JMP, 4 },
    /* 17 */ { LOAD, 1 }, { HALT, 0 },
};

/* gcd(vars[0], vars[1]) by remainders. */
static const struct insn GCD[] = {
    /* 0 */ { LOAD, 1 }, { JZ, 10 },
    { LOAD, 0 }, { LOAD, 1 }, { MOD, 0 }, { LOAD, 1 }, { STORE, 0 }, { STORE, 1 }, { JMP, 0 }, { HALT, 0 },
    /* 10 */ { LOAD, 0 }, { HALT, 0 },
};

/* Counts i < vars[0] with (i * i + vars[1]) % 7 < 3. */
static const struct insn COUNT[] = {
    { PUSH, 0 }, { STORE, 2 }, { PUSH, 0 }, { STORE, 3 },
    /* 4 */ { LOAD, 2 }, { LOAD, 0 }, { LT, 0 }, { JZ, 25 },
    { LOAD, 2 }, { DUP, 0 }, { MUL, 0 }, { LOAD, 1 }, { ADD, 0 }, { PUSH, 7 }, { MOD, 0 }, { PUSH, 3 }, { LT, 0 },
    { LOAD, 3 }, { ADD, 0 }, { STORE, 3 },
    { LOAD, 2 }, { PUSH, 1 }, { ADD, 0 }, { STORE, 2 },
    /* 24 */ { JMP, 4 },
    /* 25: falls off the end; the result is in vars[3] */
};

static s64 pop(struct machine *m) { return m->stack[--m->sp & (STACK - 1)]; }
static void push(struct machine *m, s64 v) { m->stack[m->sp++ & (STACK - 1)] = v; }

static s64 run_switch(struct machine *m, const struct insn *code, int len)
{
    m->sp = 0;
    m->pc = 0;
    for (;;) {
        if (m->pc >= len)
            return m->sp ? m->stack[(m->sp - 1) & (STACK - 1)] : 0;
        const struct insn *in = &code[m->pc++];
        m->steps++;
        s64 a, b;
        switch ((enum op)in->op) {
        case PUSH: push(m, in->arg); break;
        case LOAD: push(m, m->vars[in->arg & (VARS - 1)]); break;
        case STORE: m->vars[in->arg & (VARS - 1)] = pop(m); break;
        case ADD: b = pop(m); a = pop(m); push(m, a + b); break;
        case SUB: b = pop(m); a = pop(m); push(m, a - b); break;
        case MUL: b = pop(m); a = pop(m); push(m, a * b); break;
        case MOD: b = pop(m); a = pop(m); push(m, b ? a % b : 0); break;
        case DUP: a = pop(m); push(m, a); push(m, a); break;
        case SWAP: b = pop(m); a = pop(m); push(m, b); push(m, a); break;
        case DROP: (void)pop(m); break;
        case JZ: if (pop(m) == 0) m->pc = in->arg; break;
        case JMP: m->pc = in->arg; break;
        case LT: b = pop(m); a = pop(m); push(m, a < b); break;
        case HALT: return pop(m);
        default: return -1;
        }
    }
}

typedef int (*handler)(struct machine *, const struct insn *);

static int h_push(struct machine *m, const struct insn *in) { push(m, in->arg); return 0; }
static int h_load(struct machine *m, const struct insn *in) { push(m, m->vars[in->arg & (VARS - 1)]); return 0; }
static int h_store(struct machine *m, const struct insn *in) { m->vars[in->arg & (VARS - 1)] = pop(m); return 0; }
static int h_add(struct machine *m, const struct insn *in) { (void)in; s64 b = pop(m); push(m, pop(m) + b); return 0; }
static int h_sub(struct machine *m, const struct insn *in) { (void)in; s64 b = pop(m); push(m, pop(m) - b); return 0; }
static int h_mul(struct machine *m, const struct insn *in) { (void)in; s64 b = pop(m); push(m, pop(m) * b); return 0; }
static int h_mod(struct machine *m, const struct insn *in)
{
    (void)in;
    s64 b = pop(m), a = pop(m);
    push(m, b ? a % b : 0);
    return 0;
}
static int h_dup(struct machine *m, const struct insn *in) { (void)in; s64 a = pop(m); push(m, a); push(m, a); return 0; }
static int h_swap(struct machine *m, const struct insn *in)
{
    (void)in;
    s64 b = pop(m), a = pop(m);
    push(m, b);
    push(m, a);
    return 0;
}
static int h_drop(struct machine *m, const struct insn *in) { (void)in; (void)pop(m); return 0; }
static int h_jz(struct machine *m, const struct insn *in) { if (pop(m) == 0) m->pc = in->arg; return 0; }
static int h_jmp(struct machine *m, const struct insn *in) { m->pc = in->arg; return 0; }
static int h_lt(struct machine *m, const struct insn *in) { (void)in; s64 b = pop(m); push(m, pop(m) < b); return 0; }
static int h_halt(struct machine *m, const struct insn *in) { (void)m; (void)in; return 1; }

static const handler HANDLERS[OP_COUNT] = {
    [PUSH] = h_push, [LOAD] = h_load, [STORE] = h_store, [ADD] = h_add, [SUB] = h_sub, [MUL] = h_mul,
    [MOD] = h_mod, [DUP] = h_dup, [SWAP] = h_swap, [DROP] = h_drop, [JZ] = h_jz, [JMP] = h_jmp,
    [LT] = h_lt, [HALT] = h_halt,
};

static s64 run_table(struct machine *m, const struct insn *code, int len)
{
    m->sp = 0;
    m->pc = 0;
    while (m->pc < len) {
        const struct insn *in = &code[m->pc++];
        m->steps++;
        if (HANDLERS[in->op](m, in))
            return pop(m);
    }
    return m->sp ? m->stack[(m->sp - 1) & (STACK - 1)] : 0;
}

typedef s64 (*runner)(struct machine *, const struct insn *, int);

static u64 programs(struct rng *r, runner run, struct machine *m)
{
    u64 h = 0;
    memset(m->vars, 0, sizeof m->vars);
    m->vars[0] = 20 + rng_below(r, 40);
    h = mix(h, (u64)run(m, FIB, (int)(sizeof FIB / sizeof FIB[0])));
    for (int i = 0; i < 4; i++) {
        m->vars[0] = rng_below(r, 100000) + 1;
        m->vars[1] = rng_below(r, 100000) + 1;
        h = mix(h, (u64)run(m, GCD, (int)(sizeof GCD / sizeof GCD[0])));
    }
    m->vars[0] = 30 + rng_below(r, 30);
    m->vars[1] = rng_below(r, 1000);
    run(m, COUNT, (int)(sizeof COUNT / sizeof COUNT[0]));
    return mix(h, (u64)m->vars[3]);
}

u64 k_vm(u64 seed)
{
    struct rng r1, r2;
    struct machine m1, m2;
    rng_seed(&r1, seed);
    rng_seed(&r2, seed);
    m1.steps = m2.steps = 0;
    u64 a = programs(&r1, run_switch, &m1);
    u64 b = programs(&r2, run_table, &m2);
    return mix(mix(a, b), m1.steps ^ (m2.steps << 20));
}
