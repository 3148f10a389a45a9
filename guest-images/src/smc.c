/* smc: stores beside hot code, cache maintenance over a buffer, self-modifying code.
 * Command line (SYS_GET_CMDLINE): "[mmu] [nocheck] [store|data|cache|smc] N", default "store 1000".
 * First, unless "nocheck" is given (tools/bench times the loops alone), the self-modifying-code checks, with the MMU off and then with it on
 * (the first 2 MiB of RAM identity-mapped in 4 KiB pages, RWX, plus an alias page of the
 * patched code; the MMU goes off again afterwards). Then N iterations of one timed loop,
 * with the MMU on if "mmu" is given:
 *   store  7 instructions: load, add to and store a word that lies on the same 4 KiB page
 *          as the loop's own code (another 64-byte line of it);
 *   data   the same loop on a word of a page without code (.bss), for comparison: same checksum;
 *   cache  9 instructions: a store, DC CVAU, DC CIVAC and IC IVAU on one 64-byte line of a
 *          64 KiB buffer, walking it, as cache tests do;
 *   smc    14 instructions: rewrite the immediate of a MOVZ, DC CVAU; DSB ISH; IC IVAU;
 *          DSB ISH; ISB, call it, add up what it returns.
 * Prints "bench: N iterations x K instructions, checksum 0x..." as the bench guests do
 * (tools/bench reads K). PL011 console; SYS_EXIT 0. */
#include "runtime.h"

/* The loops, in assembly so their instruction counts are fixed. store_loop and hot_word share
 * one 4 KiB page: the page is aligned and holds 64 bytes of code before hot_word
 * (aarch64-linux-gnu-objdump -d -j .text prebuilt/smc.elf: store_loop at 0x40002000,
 * hot_word at 0x40002040). */
u64 store_loop(u64 n, u64 seed);
u64 store_loop_at(u64 n, u64 seed, u64 *word); /* the same loop on another word */
extern u64 hot_word;
__asm__(".text\n.balign 4096\n.global store_loop, store_loop_at, hot_word\n"
        "store_loop:\n"
        "    adr x2, hot_word\n"
        "store_loop_at:\n"
        "1:  ldr x3, [x2]\n"
        "    add x3, x3, x1\n"
        "    str x3, [x2]\n"
        "    eor x1, x1, x3, ror #7\n"
        "    add x1, x1, x0\n"
        "    subs x0, x0, #1\n"
        "    b.ne 1b\n"
        "    ldr x0, [x2]\n"
        "    eor x0, x0, x1\n"
        "    ret\n"
        ".balign 64\n"
        "hot_word: .quad 0\n");

/* n iterations over the 64 KiB at buf (64 KiB-aligned), one line each. */
void cache_loop(u64 n, u64 *buf);
__asm__(".text\n.balign 64\n.global cache_loop\n"
        "cache_loop:\n"
        "    mov x2, #0\n"
        "1:  add x5, x1, x2\n"
        "    str x0, [x5]\n"
        "    dc cvau, x5\n"
        "    dc civac, x5\n"
        "    ic ivau, x5\n"
        "    add x2, x2, #64\n"
        "    and x2, x2, #0xffff\n"
        "    subs x0, x0, #1\n"
        "    b.ne 1b\n"
        "    dsb ish\n"
        "    isb\n"
        "    ret\n");

/* The patched code, on a page of its own: patch_fn returns the immediate of its MOVZ;
 * patch_next (same 64-byte line) returns 7 until patched; patch_two's second instruction
 * is the one rewritten; patch_data is a word on the page, on another line. */
u32 patch_fn(void);
u32 patch_next(void);
u32 patch_two(void);
u32 patch_self(u64 n);
extern u32 patch_fn_insn[], patch_next_insn[], patch_two_add[], patch_self_add[];
extern u64 patch_data;
__asm__(".text\n.balign 4096\n.global patch_fn, patch_next, patch_two, patch_self, patch_data\n"
        ".global patch_fn_insn, patch_next_insn, patch_two_add, patch_self_add\n"
        "patch_fn:\n"
        "patch_fn_insn: movz w0, #1\n"
        "    ret\n"
        "patch_next:\n"
        "patch_next_insn: movz w0, #7\n"
        "    ret\n"
        "patch_two:\n"
        "    movz w0, #100\n"
        "patch_two_add: add w0, w0, #1\n"
        "    ret\n"
        /* A loop that rewrites its own first instruction each time round (with the maintenance
         * sequence), so each iteration runs the instruction the previous one wrote. */
        "patch_self:\n"
        "    mov x9, #0\n"
        "    adr x8, patch_self_add\n"
        "    ldr w7, [x8]\n"
        "    mov x10, x0\n"
        "2:\n"
        "patch_self_add: add x9, x9, #1\n"
        "    add w7, w7, #(1 << 10)\n"             /* imm12 + 1 */
        "    str w7, [x8]\n"
        "    dc cvau, x8\n"
        "    dsb ish\n"
        "    ic ivau, x8\n"
        "    dsb ish\n"
        "    isb\n"
        "    subs x10, x10, #1\n"
        "    b.ne 2b\n"
        "    mov x0, x9\n"
        "    ret\n"
        ".balign 256\n"
        "patch_data: .quad 0\n");

/* n iterations: patch_fn's MOVZ gets immediate (i & 0xffff) for i = n..1, then is called. */
u64 smc_loop(u64 n, u32 *insn);
__asm__(".text\n.balign 64\n.global smc_loop\n"
        "smc_loop:\n"
        "    stp x29, x30, [sp, #-16]!\n"
        "    mov x10, x0\n"
        "    mov x9, #0\n"
        "    movz w7, #0x5280, lsl #16\n"           /* movz w0, #0 */
        "1:  and w6, w10, #0xffff\n"
        "    orr w6, w7, w6, lsl #5\n"
        "    str w6, [x1]\n"
        "    dc cvau, x1\n"
        "    dsb ish\n"
        "    ic ivau, x1\n"
        "    dsb ish\n"
        "    isb\n"
        "    blr x1\n"                              /* movz w0, #imm; ret */
        "    add x9, x9, x0\n"
        "    subs x10, x10, #1\n"
        "    b.ne 1b\n"
        "    mov x0, x9\n"
        "    ldp x29, x30, [sp], #16\n"
        "    ret\n");

#define MOVZ_W0(imm) (0x52800000u | (u32)(imm) << 5)
#define ADD_W0_W0(imm) (0x11000000u | (u32)(imm) << 10)

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2[512] __attribute__((aligned(4096)));
static u64 l3[512] __attribute__((aligned(4096)));
static u64 l3_alias[512] __attribute__((aligned(4096)));
static u64 buf[65536 / 8] __attribute__((aligned(65536)));
static u64 data_word;

#define ALIAS_VA 0x40200000UL  /* L2 entry 1: one page, the patched code's, read-write */

/* Writes an instruction (through the alias when the MMU is on) and makes it visible to
 * instruction fetch at its own address, as the architecture asks. */
static void patch(u32 *insn, u32 value, u32 *through)
{
    *(volatile u32 *)through = value;
    __asm__ volatile("dc cvau, %0; dsb ish; ic ivau, %1; dsb ish; isb" : : "r"(through), "r"(insn) : "memory");
}

static u32 *alias_of(u32 *p, int mmu)
{
    return mmu ? (u32 *)(ALIAS_VA + ((u64)p & 0xfff)) : p;
}

static void mmu_on(void)
{
    l1[0] = 0x00000000UL | 1UL << 10 | 3UL << 53 | 1;      /* devices: AttrIndx 0, AF, XN, block */
    l1[1] = (u64)l2 | 3;
    l2[0] = (u64)l3 | 3;
    l2[1] = (u64)l3_alias | 3;
    for (u64 i = 0; i < 512; i++)
        l3[i] = (0x40000000UL + (i << 12)) | 1UL << 2 | 3UL << 8 | 1UL << 10 | 3; /* Normal, ISH, AF, page, RWX */
    l3_alias[0] = ((u64)patch_fn & ~0xfffUL) | 1UL << 2 | 3UL << 8 | 1UL << 10 | 3UL << 53 | 3; /* XN */
    u64 tcr = 25 | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 4UL << 32; /* 39-bit, 4K, EPD1, 44-bit PA */
    __asm__ volatile("msr mair_el1, %0; msr tcr_el1, %1; msr ttbr0_el1, %2; dsb ish; tlbi vmalle1; dsb ish; isb"
                     : : "r"(0xff00UL), "r"(tcr), "r"((u64)l1));
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr | 1 | 1 << 2 | 1 << 12));
}

static void mmu_off(void)
{
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr & ~(1UL | 1 << 2 | 1 << 12)));
}

/* Calls f often enough that a JIT translates it; returns the sum of its results. */
static u64 hot(u32 (*f)(void))
{
    u64 s = 0;
    for (int i = 0; i < 3000; i++)
        s += f();
    return s;
}

static void smc_checks(int mmu)
{
    printf("smc checks, MMU %s%s\n", mmu ? "on" : "off", mmu ? " (stores through an alias page)" : "");

    patch(patch_fn_insn, MOVZ_W0(1), alias_of(patch_fn_insn, mmu));
    patch(patch_next_insn, MOVZ_W0(7), alias_of(patch_next_insn, mmu));
    patch(patch_two_add, ADD_W0_W0(1), alias_of(patch_two_add, mmu));
    check("hot patch_fn", hot(patch_fn), 3000);
    check("hot patch_two", hot(patch_two), 3000 * 101);

    /* A store beside the code (same page, another line) changes nothing. */
    patch_data = 0;
    for (int i = 0; i < 100; i++)
        *(volatile u64 *)(mmu ? (u64 *)alias_of((u32 *)&patch_data, 1) : &patch_data) += (u64)i;
    check("data beside code", patch_data, 4950);
    check("patch_fn after data store", hot(patch_fn), 3000);

    /* Rewrite the first instruction of a hot function. */
    patch(patch_fn_insn, MOVZ_W0(2), alias_of(patch_fn_insn, mmu));
    check("patch_fn rewritten", patch_fn(), 2);
    check("patch_next untouched", patch_next(), 7);

    /* Rewrite its neighbour on the same line: patch_fn keeps its new instruction. */
    patch(patch_next_insn, MOVZ_W0(9), alias_of(patch_next_insn, mmu));
    check("patch_next rewritten", patch_next(), 9);
    check("patch_fn still 2", hot(patch_fn), 6000);

    /* Rewrite the second instruction of a hot block. */
    patch(patch_two_add, ADD_W0_W0(5), alias_of(patch_two_add, mmu));
    check("patch_two second insn", patch_two(), 105);
    check("patch_two hot again", hot(patch_two), 3000 * 105);

    /* Rewrite many times over, each result seen at once. */
    u64 sum = 0, want = 0;
    for (u32 i = 0; i < 2000; i++) {
        patch(patch_fn_insn, MOVZ_W0(i * 7 & 0xffff), alias_of(patch_fn_insn, mmu));
        sum += patch_fn();
        want += i * 7 & 0xffff;
    }
    check("2000 rewrites", sum, want);

    /* A hot loop that rewrites its own first instruction: add #1, #2, ... #3000. */
    check("loop rewriting itself", patch_self(3000), 3000UL * 3001 / 2);
    patch(patch_self_add, 0x91000529u, patch_self_add); /* add x9, x9, #1 again */
}

static u64 parse_cmdline(int *mmu, int *loop, int *nocheck)
{
    static char cmd[256];
    u64 block[2] = { (u64)cmd, sizeof cmd };
    u64 n = 1000;
    if (semihost(SYS_GET_CMDLINE, (u64)block) != 0)
        return n;
    const char *last = 0;
    for (const char *p = cmd; *p; p++) {
        if (*p != ' ' && (p == cmd || p[-1] == ' ')) {
            last = p;
            if (p[0] == 'm' && p[1] == 'm' && p[2] == 'u' && (p[3] == ' ' || !p[3]))
                *mmu = 1;
            if (p[0] == 'c' && p[1] == 'a' && p[2] == 'c' && p[3] == 'h' && p[4] == 'e' && (p[5] == ' ' || !p[5]))
                *loop = 1;
            if (p[0] == 's' && p[1] == 'm' && p[2] == 'c' && (p[3] == ' ' || !p[3]))
                *loop = 2;
            if (p[0] == 'd' && p[1] == 'a' && p[2] == 't' && p[3] == 'a' && (p[4] == ' ' || !p[4]))
                *loop = 3;
            if (p[0] == 'n' && p[1] == 'o' && p[2] == 'c' && p[3] == 'h' && p[4] == 'e' && p[5] == 'c' && p[6] == 'k'
                && (p[7] == ' ' || !p[7]))
                *nocheck = 1;
        }
    }
    u64 v = 0;
    int digits = 0;
    for (const char *p = last; p && *p >= '0' && *p <= '9'; p++, digits++)
        v = v * 10 + (u64)(*p - '0');
    return digits ? v : n;
}

int main(void)
{
    int mmu = 0, loop = 0, nocheck = 0;
    u64 n = parse_cmdline(&mmu, &loop, &nocheck);
    if (!nocheck) {
        smc_checks(0);
        mmu_on();
        smc_checks(1);
        mmu_off();
    }
    if (mmu)
        mmu_on();
    static const char *const names[] = { "store", "cache", "smc", "data" };
    static const int insns[] = { 7, 9, 14, 7 };
    u64 sum = 0;
    if (n) {
        if (loop == 0) {
            sum = store_loop(n, 0x0123456789abcdefUL);
        } else if (loop == 1) {
            cache_loop(n, buf);
            for (u64 k = 0; k < sizeof buf / 8; k += 8)
                sum = (sum ^ buf[k]) * 31 + k;
        } else if (loop == 2) {
            sum = smc_loop(n, patch_fn_insn);
        } else {
            sum = store_loop_at(n, 0x0123456789abcdefUL, &data_word);
        }
    }
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    printf("smc: %s loop, MMU %s\n", names[loop], sctlr & 1 ? "on" : "off");
    printf("bench: %lu iterations x %d instructions, checksum 0x%016lx\n", n, insns[loop], sum);
    return check_summary("smc");
}
