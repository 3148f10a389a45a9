/* pmu-el0: PMUSERENR_EL0 gating of EL0 PMU accesses, for all 16 values.
 * EL1 sets PMUSERENR_EL0 (and PMSELR_EL0 = 0), drops to EL0 with ERET; EL0
 * runs a fixed list of single-instruction PMU accesses (el0_accesses below)
 * and calls back with SVC. Each refused access raises an exception at EL1
 * that is recorded by its address and skipped (ELR + 4). Expected results
 * follow spec vpmu.md 1.5 (KVM): a refused access is UNDEFINED, EC 0x00 (the
 * architecture, and QEMU TCG, trap with EC 0x18 instead: shown as `T`, a FAIL).
 *
 * One line per PMUSERENR value: the observed pattern, one character per access
 * in the header's order: `a` allowed, `U` UNDEFINED (EC 0x00), `T` trapped
 * (EC 0x18), `?` other; PASS/FAIL against the table, and the expected pattern
 * on FAIL. Exit status = failed values. Semihosting console; SYS_EXIT_EXTENDED. */
#include "pmu.h"

/* Which PMUSERENR bits allow each access (spec 1.5); counter accesses also
 * need counter 0 to exist (N > 0), else they UNDEF at any PMUSERENR. */
#define EN 1
#define SW 2
#define CR 4
#define ER 8
#define ALWAYS 0x10
#define NEVER 0
#define NEED_CTR 0x100

struct access {
    const char *name;
    unsigned allow;
};

/* Order must match el0_accesses. */
static const struct access accesses[] = {
    { "PMCR r", EN },
    { "PMCR w", EN },
    { "PMCCNTR r", CR | EN },
    { "PMCCNTR w", EN },                    /* (CR or EN) and then EN */
    { "PMEVCNTR0 r", ER | EN | NEED_CTR },
    { "PMEVCNTR0 w", EN | NEED_CTR },       /* (ER or EN) and then EN */
    { "PMXEVCNTR r (SEL=0)", ER | EN | NEED_CTR },
    { "PMSELR r", ER | EN },
    { "PMSELR w", ER | EN },
    { "PMSWINC w", SW | EN },
    { "PMUSERENR r", ALWAYS },
    { "PMUSERENR w", NEVER },
    { "PMCNTENSET r", EN },
    { "PMEVTYPER0 r", EN | NEED_CTR },
};
#define NACC (int)(sizeof accesses / sizeof accesses[0])

/* EL0 program. x0 = the PMCR value to write back, x2 = the PMUSERENR value
 * (for the refused write), x3 = 1 when all 16 values are done. Every access
 * is one instruction at el0_accesses + 4 * index. */
__asm__(".text\n"
        ".balign 4\n"
        "el0_entry:\n"
        "1:  svc #1\n"
        "    cbnz x3, 2f\n"
        "el0_accesses:\n"
        "    mrs x1, pmcr_el0\n"
        "    msr pmcr_el0, x0\n"
        "    mrs x1, pmccntr_el0\n"
        "    msr pmccntr_el0, xzr\n"
        "    mrs x1, pmevcntr0_el0\n"
        "    msr pmevcntr0_el0, xzr\n"
        "    mrs x1, pmxevcntr_el0\n"
        "    mrs x1, pmselr_el0\n"
        "    msr pmselr_el0, xzr\n"
        "    msr pmswinc_el0, xzr\n"
        "    mrs x1, pmuserenr_el0\n"
        "    msr pmuserenr_el0, x2\n"
        "    mrs x1, pmcntenset_el0\n"
        "    mrs x1, pmevtyper0_el0\n"
        "el0_accesses_end:\n"
        "    svc #2\n"
        "    b 1b\n"
        "2:  svc #3\n"
        "    b 2b\n");
extern char el0_entry[], el0_accesses[], el0_accesses_end[];

static u64 __attribute__((aligned(16))) user_stack[256];
static char observed[NACC + 1];
static u64 value;          /* PMUSERENR value under test */
static u64 n_counters;

static char expected_char(const struct access *a, u64 v)
{
    if ((a->allow & NEED_CTR) && n_counters == 0)
        return 'U';
    if (a->allow & ALWAYS)
        return 'a';
    return (v & a->allow & 0xf) ? 'a' : 'U';
}

static void svc(struct exc_frame *f, u64 imm)
{
    switch (imm) {
    case 1: /* set up the next value */
        if (value == 16) {
            f->x[3] = 1;
            return;
        }
        MSR(pmuserenr_el0, value);
        MSR(pmselr_el0, 0);
        ISB();
        for (int i = 0; i < NACC; i++)
            observed[i] = 'a';
        observed[NACC] = 0;
        f->x[0] = MRS(pmcr_el0) & 0xff & ~(PMCR_P | PMCR_C);
        f->x[2] = value;
        f->x[3] = 0;
        return;
    case 2: { /* report */
        char expect[NACC + 1];
        for (int i = 0; i < NACC; i++)
            expect[i] = expected_char(&accesses[i], value);
        expect[NACC] = 0;
        int ok = memcmp(expect, observed, NACC) == 0;
        tally(ok);
        printf("%s PMUSERENR=0x%lx (ER=%lu CR=%lu SW=%lu EN=%lu): %s", ok ? "PASS" : "FAIL", value,
               (value >> 3) & 1, (value >> 2) & 1, (value >> 1) & 1, value & 1, observed);
        if (!ok) {
            printf(" expected %s", expect);
            int same_set = 1;
            for (int i = 0; i < NACC; i++)
                same_set &= (observed[i] == 'a') == (expect[i] == 'a');
            if (same_set)
                printf(" (same allowed set, refused with the wrong EC)");
        }
        printf("\n");
        value++;
        return;
    }
    case 3:
        exit(tally_summary("pmu-el0"));
    }
    printf("FAIL unknown SVC #%lu\n", imm);
    exit(255);
}

void handle_exception(struct exc_frame *f)
{
    u64 ec = f->esr >> 26;
    if (f->vec == 8 && ec == 0x15) {
        svc(f, f->esr & 0xffff);
        return;
    }
    u64 at = f->elr;
    if (f->vec == 8 && at >= (u64)el0_accesses && at < (u64)el0_accesses_end) {
        u64 i = (at - (u64)el0_accesses) / 4;
        observed[i] = ec == 0x00 ? 'U' : ec == 0x18 ? 'T' : '?';
        f->elr += 4;
        return;
    }
    printf("FAIL unexpected exception: vector %lu EC=0x%02lx ESR=0x%08lx ELR=0x%lx\n", f->vec, ec, f->esr, f->elr);
    exit(255);
}

int main(void)
{
    u64 ver = pmu_version();
    if (!pmu_present()) {
        printf("FAIL no PMUv3: ID_AA64DFR0_EL1.PMUVer=0x%lx\n", ver);
        return 1;
    }
    n_counters = PMCR_N(MRS(pmcr_el0));
    printf("pmu-el0: %s, PMCR_EL0.N=%lu; per PMUSERENR value, EL0 accesses in this order:\n", pmu_version_name(ver),
           n_counters);
    for (int i = 0; i < NACC; i++)
        printf("  %2d %s\n", i + 1, accesses[i].name);
    printf("a = allowed, U = UNDEFINED (EC 0x00, KVM), T = trapped (EC 0x18), ? = other\n");
    MSR(sp_el0, user_stack + 256);
    MSR(elr_el1, el0_entry);
    MSR(spsr_el1, 0x3c0); /* EL0t, DAIF masked */
    ISB();
    __asm__ volatile("eret");
    __builtin_unreachable();
}
