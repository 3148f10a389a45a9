/* mmu: stage-1 translation at EL1 and EL0 with 4 KiB pages. Builds page tables
 * (identity map of the device space and RAM, the first 2 MiB of RAM in 4 KiB pages,
 * a higher-half alias of RAM through TTBR1), turns the MMU on, runs code and reads
 * data through the higher half, takes each fault kind (translation at levels 0/2/3,
 * access flag, permission for EL1 write, EL0 read and EL1 execute, address size,
 * external abort on the walk, alignment) in a handler that prints ESR/FAR, reads
 * PAR_EL1 after AT S1E1R/W and S1E0R, remaps a page and reads it again after
 * TLBI VAE1, and runs an EL0 task in two address spaces with their own ASIDs.
 * LDTR/STTR and their byte/half/signed forms at EL1 are checked with EL0's permissions;
 * an EL0 WFI traps (EC 0x01) with SCTLR_EL1.nTWI = 0 (QEMU 7.2 never traps WFE).
 * PL011 console; SYS_EXIT_EXTENDED with the number of faults taken. */
#include "runtime.h"

#define PAGE 4096UL
#define DESC_VALID 1UL
#define DESC_TABLE 3UL
#define DESC_PAGE 3UL
#define DESC_BLOCK 1UL
#define ATTR(i) ((u64)(i) << 2)
#define AP_EL0 (1UL << 6)
#define AP_RO (1UL << 7)
#define SH_INNER (3UL << 8)
#define AF (1UL << 10)
#define NG (1UL << 11)
#define PXN (1UL << 53)
#define UXN (1UL << 54)
#define DEVICE (ATTR(0) | AF | PXN | UXN)
#define NORMAL (ATTR(1) | AF | SH_INNER)

#define RAM 0x40000000UL
#define TEST_VA 0x40200000UL   /* L2 entry 1 of RAM: the fault test pages */
#define USER_VA 0x80000000UL   /* L1 entry 2: the EL0 task's address space */
#define HIGH_VA 0xffffff8000000000UL
#define UNBACKED 0x09008000UL  /* nothing answers there on QEMU virt */

static u64 l1_lo[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));
static u64 l3_ram[512] __attribute__((aligned(4096)));
static u64 l3_test[512] __attribute__((aligned(4096)));
static u64 l1_hi[512] __attribute__((aligned(4096)));
static u64 l2_hi[512] __attribute__((aligned(4096)));
/* Two EL0 address spaces: their own L1 (sharing the kernel's entries), L2 and L3. */
static u64 l1_user[2][512] __attribute__((aligned(4096)));
static u64 l2_user[2][512] __attribute__((aligned(4096)));
static u64 l3_user[2][512] __attribute__((aligned(4096)));
static u64 user_data[2][512] __attribute__((aligned(4096)));
static u64 user_stack[2][512] __attribute__((aligned(4096)));
static u64 remap_a[512] __attribute__((aligned(4096)));
static u64 remap_b[512] __attribute__((aligned(4096)));
static u64 unpriv_page[512] __attribute__((aligned(4096)));
/* 64 KiB granule tables (TG0 = 64K, T0SZ 25: the walk starts at level 2, 512 MiB blocks there). */
static u64 l2_64k[8192] __attribute__((aligned(65536)));
static u64 l3_64k[8192] __attribute__((aligned(65536)));
/* self-modifying code through an alias: a function on its own page, rewritten through an RW mapping */
u32 patch_me(void);
__asm__(".text\n.balign 4096\n.global patch_me\npatch_me:\nmov w0, #1\nret\n");

extern char __data_start[], __stack_top[];

static struct exc_frame last, el0_fault;
static int taken, total;
extern char user_return[];

void handle_exception(struct exc_frame *f)
{
    u64 ec = f->esr >> 26;
    last = *f;
    taken++;
    total++;
    if (ec == 0x15 && f->vec >= 8) {           /* SVC from the EL0 task: back to run_user's caller */
        f->elr = (u64)user_return;
        f->spsr = 0x3c5;
        total--;                               /* not a fault */
    } else if (ec == 0x20 || ec == 0x21) {     /* instruction abort: return to the caller */
        f->elr = f->x[30];
    } else {
        if (f->vec >= 8)
            el0_fault = *f;
        f->elr += 4;
    }
}

static void report(const char *name)
{
    if (!taken) {
        printf("%-12s no exception\n", name);
        return;
    }
    printf("%-12s vector=%lu EC=0x%02lx ESR=0x%08lx FAR=0x%016lx\n", name, last.vec, last.esr >> 26, last.esr,
           last.far);
}

static void reset(void)
{
    taken = 0;
    __asm__ volatile("msr far_el1, %0; isb" : : "r"(0x5a5a5a5a5a5a5a5aUL));
}

static u64 load(u64 va)
{
    u64 v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
    return v;
}

static void store(u64 va, u64 v)
{
    __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(va) : "memory");
}

static void store32(u64 va, u32 v)
{
    __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(va) : "memory");
}

/* Unprivileged loads and stores: a faulting one leaves 0xdead (the handler skips it). */
#define LDT(insn, reg)                                                                   \
    static u64 insn(u64 va)                                                              \
    {                                                                                    \
        u64 v = 0xdead;                                                                  \
        __asm__ volatile(#insn " %" reg "0, [%1]" : "+r"(v) : "r"(va) : "memory");       \
        return v;                                                                        \
    }
#define STT(insn)                                                                        \
    static void insn(u64 va, u64 v)                                                      \
    {                                                                                    \
        __asm__ volatile(#insn " %w0, [%1]" : : "r"(v), "r"(va) : "memory");             \
    }
LDT(ldtr, "x")
LDT(ldtrb, "w")
LDT(ldtrh, "w")
LDT(ldtrsb, "x")
LDT(ldtrsh, "x")
LDT(ldtrsw, "x")
STT(sttrb)
STT(sttrh)

static void sttr(u64 va, u64 v)
{
    __asm__ volatile("sttr %0, [%1]" : : "r"(v), "r"(va) : "memory");
}

static u64 ldtr_neg(u64 va)
{
    u64 v = 0xdead;
    __asm__ volatile("ldtr %0, [%1, #-8]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static u64 at(const char *op, u64 va)
{
    u64 par;
    if (op[0] == 'r')
        __asm__ volatile("at s1e1r, %1; isb; mrs %0, par_el1" : "=r"(par) : "r"(va));
    else if (op[0] == 'w')
        __asm__ volatile("at s1e1w, %1; isb; mrs %0, par_el1" : "=r"(par) : "r"(va));
    else
        __asm__ volatile("at s1e0r, %1; isb; mrs %0, par_el1" : "=r"(par) : "r"(va));
    return par;
}

static void tlbi_va(u64 va)
{
    __asm__ volatile("dsb ishst; tlbi vae1is, %0; dsb ish; isb" : : "r"(va >> 12) : "memory");
}

/* Code run through other mappings: at the higher-half alias, and through a PXN page. */
__attribute__((noinline, aligned(4096))) u64 where_am_i(u64 x)
{
    u64 pc;
    __asm__ volatile("adr %0, ." : "=r"(pc));
    return (pc & ~0xfffffffUL) + x;
}

/* The EL0 task (user_task): reads its data page, tries a kernel page (a fault the
 * kernel skips), returns the sum through SVC. Runs at USER_VA + its offset in the page.
 * run_user ERETs to it with SP_EL0 = sp0; the SVC handler resumes at user_return with x0. */
void user_task(void);
void user_wfx(void);
u64 run_user(u64 entry, u64 sp0);
__asm__(".text\n"
        ".balign 4096\n"
        ".global user_task\n"
        "user_task:\n"
        "mov x1, #0x80000000\n"
        "ldr x0, [x1, #0x1000]\n"      /* user data page */
        "ldr x2, [x1, #0x1008]\n"
        "add x0, x0, x2\n"
        "mov x3, #0x40200000\n"
        "ldr x4, [x3, #0x3000]\n"      /* a kernel-only page: permission fault from EL0 */
        "str x0, [sp, #-16]!\n"        /* the user stack page */
        "ldr x0, [sp], #16\n"
        "svc #0\n"
        "b .\n"
        ".global user_wfx\n"
        "user_wfx:\n"                 /* with nTWI = nTWE = 0 */
        "wfi\n"
        "wfe\n"
        "mov x0, #0x33\n"
        "svc #0\n"
        "b .\n"
        ".global run_user\n"
        "run_user:\n"
        "stp x29, x30, [sp, #-96]!\n"
        "stp x19, x20, [sp, #16]\n"
        "stp x21, x22, [sp, #32]\n"
        "stp x23, x24, [sp, #48]\n"
        "stp x25, x26, [sp, #64]\n"
        "stp x27, x28, [sp, #80]\n"
        "msr sp_el0, x1\n"
        "msr elr_el1, x0\n"
        "msr spsr_el1, xzr\n"
        "eret\n"
        ".global user_return\n"
        "user_return:\n"
        "ldp x19, x20, [sp, #16]\n"
        "ldp x21, x22, [sp, #32]\n"
        "ldp x23, x24, [sp, #48]\n"
        "ldp x25, x26, [sp, #64]\n"
        "ldp x27, x28, [sp, #80]\n"
        "ldp x29, x30, [sp], #96\n"
        "ret\n");

static u64 table(void *t)
{
    return (u64)t | DESC_TABLE;
}

static void build_tables(void)
{
    u64 code_end = (u64)__data_start;
    l1_lo[0] = 0x00000000UL | DEVICE | DESC_BLOCK;          /* 0-1 GiB: devices */
    l1_lo[1] = table(l2_ram);                               /* 1-2 GiB: RAM */
    for (int i = 0; i < 512; i++) {
        u64 pa = RAM + i * PAGE;
        /* code read-only and executable, everything else read-write and PXN */
        l3_ram[i] = pa | NORMAL | DESC_PAGE | (pa < code_end ? AP_RO : PXN | UXN);
        l2_ram[i] = (RAM + ((u64)i << 21)) | NORMAL | PXN | UXN | DESC_BLOCK;
    }
    l2_ram[0] = table(l3_ram);
    l2_ram[1] = table(l3_test);
    l2_ram[2] = UNBACKED | DESC_TABLE;                      /* walk reads nothing */
    l2_ram[3] = 0;                                          /* level-2 translation fault */
    l3_test[0] = 0;
    l3_test[1] = (RAM + 0x1000) | (NORMAL & ~AF) | DESC_PAGE;       /* access flag clear */
    l3_test[2] = (u64)user_data[0] | NORMAL | AP_RO | DESC_PAGE;     /* read-only */
    l3_test[3] = (u64)user_data[0] | NORMAL | DESC_PAGE;             /* EL1 only */
    l3_test[4] = (u64)where_am_i | NORMAL | AP_RO | PXN | DESC_PAGE; /* not executable at EL1 */
    l3_test[5] = (1UL << 45) | NORMAL | DESC_PAGE;                   /* above the 44-bit PA range */
    l3_test[6] = (u64)remap_a | NORMAL | DESC_PAGE;                  /* remapped later */
    l3_test[7] = (u64)patch_me | NORMAL | PXN | UXN | DESC_PAGE;     /* RW alias of a code page */
    l3_test[8] = (u64)unpriv_page | NORMAL | AP_EL0 | PXN | UXN | DESC_PAGE;  /* EL0 read-write */
    l3_test[9] = (u64)unpriv_page | NORMAL | AP_EL0 | AP_RO | DESC_PAGE;      /* EL0 read-only, EL0-executable */
    l3_test[10] = (u64)unpriv_page | (NORMAL & ~AF) | AP_EL0 | DESC_PAGE;    /* EL0 read-write, AF clear */
    /* higher half: 0xffffff8000000000 + x -> RAM + x, 2 MiB blocks, EL1 RWX */
    l1_hi[0] = table(l2_hi);
    for (int i = 0; i < 8; i++)
        l2_hi[i] = (RAM + ((u64)i << 21)) | NORMAL | DESC_BLOCK;
    /* two EL0 spaces: same kernel entries, own user entries */
    for (int s = 0; s < 2; s++) {
        l1_user[s][0] = l1_lo[0];
        l1_user[s][1] = l1_lo[1];
        l1_user[s][2] = table(l2_user[s]);
        l2_user[s][0] = table(l3_user[s]);
        l3_user[s][0] = (u64)user_task | NORMAL | AP_EL0 | AP_RO | PXN | NG | DESC_PAGE;
        l3_user[s][1] = (u64)user_data[s] | NORMAL | AP_EL0 | PXN | UXN | NG | DESC_PAGE;
        l3_user[s][2] = (u64)user_stack[s] | NORMAL | AP_EL0 | PXN | UXN | NG | DESC_PAGE;
        user_data[s][0] = 0x100 * (s + 1);
        user_data[s][1] = 0x11 * (s + 1);
    }
    remap_a[0] = 0xaaaa;
    remap_b[0] = 0xbbbb;
}

static void mmu_on(void)
{
    u64 mair = 0x00UL | 0xffUL << 8;                  /* 0: Device-nGnRnE, 1: Normal WB */
    u64 tcr = 25 | 1UL << 8 | 1UL << 10 | 3UL << 12   /* T0SZ 25, inner/outer WB, inner shareable */
              | 25UL << 16 | 1UL << 24 | 1UL << 26 | 3UL << 28 | 2UL << 30 /* T1SZ 25, TG1 4K */
              | 4UL << 32;                            /* IPS 44 bits */
    u64 sctlr;
    __asm__ volatile("msr mair_el1, %0; msr tcr_el1, %1; msr ttbr0_el1, %2; msr ttbr1_el1, %3; isb"
                     : : "r"(mair), "r"(tcr), "r"((u64)l1_lo), "r"((u64)l1_hi));
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb; mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= 1 | 1 << 2 | 1 << 12;                    /* M, C, I */
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr));
}

/* A new TTBR0 and TCR take effect together only with the MMU off in between (code is identity-mapped). */
static void switch_tables(u64 ttbr0, u64 tcr)
{
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb; msr ttbr0_el1, %1; msr tcr_el1, %2; isb; tlbi vmalle1; dsb ish; isb;"
                     "msr sctlr_el1, %3; isb"
                     : : "r"(sctlr & ~1UL), "r"(ttbr0), "r"(tcr), "r"(sctlr) : "memory");
}

static void set_ttbr0(u64 root, u64 asid)
{
    __asm__ volatile("msr ttbr0_el1, %0; isb" : : "r"(root | asid << 48));
}

int main(void)
{
    build_tables();
    mmu_on();
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    printf("mmu: on, SCTLR_EL1.M=%lu\n", sctlr & 1);

    /* the higher half: same data, code running at the alias */
    u64 hi = HIGH_VA + ((u64)&remap_a[0] - RAM);
    printf("high read    0x%lx\n", load(hi));
    u64 (*hi_fn)(u64) = (u64(*)(u64))(HIGH_VA + ((u64)where_am_i - RAM));
    printf("high call    0x%lx\n", hi_fn(7));
    printf("low call     0x%lx\n", where_am_i(7));

    reset(); load(TEST_VA + 0 * PAGE);           report("xlat-l3");
    reset(); load(RAM + (3UL << 21));            report("xlat-l2");
    reset(); load(0x8000000000UL);               report("xlat-l0");
    reset(); load(TEST_VA + 1 * PAGE + 8);       report("access-flag");
    reset(); printf("ro read      0x%lx\n", load(TEST_VA + 2 * PAGE));
    reset(); store(TEST_VA + 2 * PAGE + 16, 1);  report("perm-write");
    reset(); store(TEST_VA + 3 * PAGE + 16, 5);  report("el1-write");
    reset(); store((u64)where_am_i, 0);          report("perm-code");
    reset(); load(TEST_VA + 5 * PAGE);           report("addr-size");
    reset(); load(RAM + (2UL << 21) + 0x18);     report("walk-abort");
    u64 (*nx_fn)(u64) = (u64(*)(u64))(TEST_VA + 4 * PAGE + ((u64)where_am_i & 0xfff));
    reset(); nx_fn(1);                           report("exec-pxn");
    reset(); ((void (*)(void))(TEST_VA + 0 * PAGE + 0x40))(); report("exec-xlat");
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr | 2));
    reset(); load((u64)&remap_a[0] + 4);         report("align");
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr));
    reset(); load((u64)&remap_a[0] + 4);         report("unaligned");

    printf("par s1e1r    0x%lx\n", at("r", (u64)&remap_a[1]));
    printf("par s1e1r hi 0x%lx\n", at("r", HIGH_VA + 0x1234));
    printf("par s1e1w ro 0x%lx\n", at("w", TEST_VA + 2 * PAGE));
    printf("par s1e0r k  0x%lx\n", at("0", TEST_VA + 3 * PAGE));
    printf("par xlat     0x%lx\n", at("r", TEST_VA));
    printf("par uart     0x%lx\n", at("r", 0x09000000UL));

    /* remap: same VA, another page, after TLBI VAE1 */
    u64 va = TEST_VA + 6 * PAGE;
    printf("remap before 0x%lx\n", load(va));
    l3_test[6] = (u64)remap_b | NORMAL | DESC_PAGE;
    tlbi_va(va);
    printf("remap after  0x%lx\n", load(va));

    /* the EL0 task in two address spaces (ASIDs 2 and 3), then the first again */
    u64 entry = USER_VA + ((u64)user_task & 0xfff);
    for (int k = 0; k < 3; k++) {
        int s = k & 1;
        set_ttbr0((u64)l1_user[s], 2 + s);
        reset();
        u64 r = run_user(entry, USER_VA + 2 * PAGE + PAGE);
        printf("el0 asid %lu   result=0x%lx\n", (u64)(2 + s), r);
        printf("             el0 fault: vector=%lu ESR=0x%08lx FAR=0x%lx; then SVC ESR=0x%08lx\n", el0_fault.vec,
               el0_fault.esr, el0_fault.far, last.esr);
    }
    /* EL0 WFI and WFE with SCTLR_EL1.nTWI = nTWE = 0 */
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr & ~(1UL << 16 | 1UL << 18)));
    set_ttbr0((u64)l1_user[0], 2);
    reset();
    el0_fault.esr = 0;
    u64 r = run_user(USER_VA + ((u64)user_wfx & 0xfff), USER_VA + 2 * PAGE + PAGE);
    printf("el0 wfi/wfe  result=0x%lx trap ESR=0x%08lx at +0x%lx; %d exceptions\n", r, el0_fault.esr,
           el0_fault.elr - (USER_VA + ((u64)user_wfx & 0xfff)), taken);
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr));
    set_ttbr0((u64)l1_lo, 0);

    /* LDTR/STTR at EL1: EL0's permissions */
    u64 up = TEST_VA + 8 * PAGE, up_ro = TEST_VA + 9 * PAGE, up_af = TEST_VA + 10 * PAGE;
    reset(); ldtr(TEST_VA + 3 * PAGE);           report("ldtr el1-rw");
    reset(); ldtrb((u64)where_am_i);             report("ldtrb code");
    reset(); sttr(TEST_VA + 2 * PAGE + 8, 1);    report("sttr el1-ro");
    reset(); ldtr(TEST_VA + 0 * PAGE);           report("ldtr xlat");
    reset(); ldtrh(TEST_VA + 1 * PAGE + 2);      report("ldtrh af");
    reset(); sttrh(up_af + 2, 1);                report("sttrh af");
    reset(); sttr(up_ro + 16, 7);                report("sttr el0-ro");
    reset(); sttrb(up_ro + 1, 7);                report("sttrb el0-ro");
    reset(); ldtrsw(up + 5);                     report("ldtrsw unal");
    reset();
    sttr(up + 16, 0x8899aabbccddeeffUL);
    sttrb(up + 24, 0x1f0);
    sttrh(up + 26, 0x18765);
    u64 v[8];
    v[0] = ldtr(up + 16);
    v[1] = ldtrb(up + 24);
    v[2] = ldtrh(up + 26);
    v[3] = ldtrsb(up + 23);
    v[4] = ldtrsh(up + 22);
    v[5] = ldtrsw(up + 20);
    v[6] = ldtr_neg(up + 24);
    v[7] = ldtr(up_ro + 16);
    printf("unpriv rw    %lx %lx %lx %lx %lx %lx %lx\n", v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    printf("unpriv ro    %lx, page %lx %lx; %d exceptions\n", v[7], unpriv_page[2], unpriv_page[3], taken);

    /* self-modifying code: write "mov w0, #2" through the RW alias, clean/invalidate, call */
    printf("patch before %u\n", patch_me());
    u64 alias = TEST_VA + 7 * PAGE + ((u64)patch_me & 0xfff);
    store32(alias, 0x52800040);
    __asm__ volatile("dc cvau, %0; dsb ish; ic ivau, %1; dsb ish; isb" : : "r"(alias), "r"((u64)patch_me) : "memory");
    printf("patch after  %u\n", patch_me());

    /* the 64 KiB granule: devices and RAM identity-mapped, an alias page, a hole */
    l2_64k[0] = 0x00000000UL | DEVICE | DESC_BLOCK;                 /* 0-512 MiB, 512 MiB block */
    l2_64k[2] = table(l3_64k);                                      /* 1-1.5 GiB in 64 KiB pages */
    for (u64 i = 0; i < 64; i++)
        l3_64k[i] = (RAM + (i << 16)) | NORMAL | DESC_PAGE;
    l3_64k[0x40] = ((u64)remap_b & ~0xffffUL) | NORMAL | AP_RO | DESC_PAGE;
    u64 tcr64;
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(tcr64));
    u64 tcr4k = tcr64;
    tcr64 = (tcr64 & ~(3UL << 14)) | 1UL << 14;                     /* TG0 = 64 KiB */
    switch_tables((u64)l2_64k, tcr64);
    u64 va64 = 0x40400000UL + ((u64)remap_b & 0xffff);
    printf("64k read     0x%lx\n", load(va64));
    printf("64k par      0x%lx\n", at("r", va64));
    reset(); load(0x40500000UL);                 report("64k-xlat-l3");
    reset(); store(va64, 1);                     report("64k-perm");
    reset(); load(0x30000000UL);                 report("64k-xlat-l2");
    switch_tables((u64)l1_lo, tcr4k);
    printf("mmu: done, %d faults\n", total);
    return total;
}
