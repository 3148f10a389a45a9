/* pmu-events: exact event counts over a hand-written loop. Counters 0..3 (as
 * many as PMCR_EL0.N allows) count INST_RETIRED (0x08), BR_RETIRED (0x21),
 * LD_RETIRED (0x06) and ST_RETIRED (0x07) at EL0 and EL1 (PMEVTYPER P=U=0);
 * the cycle counter runs too and is printed without an expectation.
 *
 * Expected counts come from the asm in run_loop() (see the arithmetic there),
 * for the KVM model: both PMCR_EL0 writes of the bracket trap to the
 * hypervisor and are emulated, so neither is counted; exactly the instructions
 * strictly between them are. An event counts only if the PMU implements it: the
 * expectation for each event is the exact count when its PMCEID bit is 1
 * (PMCEID0 bit e for e < 0x20, PMCEID1 bit e-0x20 otherwise) and 0 when it is 0.
 * (a64trap's big cores don't implement LD/ST_RETIRED: they read 0 there.)
 *
 * Command line: the iteration counts of the runs (default: 1 1000), so the
 * fixed part (1 instruction) and the per-iteration part show separately.
 * Exit status = failed checks (capped at 255). PL011 console; SYS_EXIT_EXTENDED. */
#include "pmu.h"

#define MAX_RUNS 8

struct event {
    u64 code;
    const char *name;
    u64 fixed, per_iter; /* expected = fixed + per_iter * n */
};

/* Per iteration of the loop below: 10 instructions, 4 branches (cbz not
 * taken, bl, ret, b.ne), 2 loads (ldr, ldp), 2 stores (str, stp). Fixed: the
 * one `mov` between the enabling MSR and the loop. */
static const struct event events[4] = {
    { 0x08, "INST_RETIRED", 2, 10 },
    { 0x21, "BR_RETIRED", 0, 4 },
    { 0x06, "LD_RETIRED", 0, 2 },
    { 0x07, "ST_RETIRED", 0, 2 },
};

static u64 __attribute__((aligned(64))) buf[8];

/* The bracket. PMCR_EL0 = on starts counting, = off stops it.
 *
 *     msr pmcr_el0, on          1 instruction: it retires after it enabled counting
 *     mov x9, n                 1 instruction              (fixed part: 2)
 *  1: ldr x10, [buf]            insn 1, load 1
 *     add x10, x10, #1          insn 2
 *     str x10, [buf]            insn 3, store 1
 *     ldp x11, x12, [buf, #16]  insn 4, load 2 (a pair is one instruction)
 *     stp x11, x12, [buf, #32]  insn 5, store 2
 *     cbz x10, 3f               insn 6, branch 1 (never taken: x10 >= 1)
 *     bl 4f                     insn 7, branch 2 -> 4: ret (insn 8, branch 3)
 *     subs x9, x9, #1           insn 9
 *     b.ne 1b                   insn 10, branch 4 (taken n-1 times, falls through once)
 *  3: msr pmcr_el0, off         not counted: it retires after it stopped counting
 *
 * (a64trap's rule, issue 15: an access takes effect before it retires, so the enabling MSR counts
 * itself and the disabling one does not; the architecture leaves both CONSTRAINED UNPREDICTABLE
 * without an ISB, KVM counts neither because it emulates them at EL2.)
 * INST_RETIRED = 2 + 10n, BR_RETIRED = 4n, LD_RETIRED = 2n, ST_RETIRED = 2n. */
static void run_loop(u64 n, u64 on, u64 off)
{
    buf[0] = 0;
    __asm__ volatile("msr pmcr_el0, %[on]\n"
                     "mov x9, %[n]\n"
                     "1: ldr x10, [%[buf]]\n"
                     "add x10, x10, #1\n"
                     "str x10, [%[buf]]\n"
                     "ldp x11, x12, [%[buf], #16]\n"
                     "stp x11, x12, [%[buf], #32]\n"
                     "cbz x10, 3f\n"
                     "bl 4f\n"
                     "subs x9, x9, #1\n"
                     "b.ne 1b\n"
                     "3: msr pmcr_el0, %[off]\n"
                     "b 5f\n"
                     "4: ret\n"
                     "5:"
                     :
                     : [on] "r"(on), [off] "r"(off), [n] "r"(n), [buf] "r"(buf)
                     : "x9", "x10", "x11", "x12", "x30", "cc", "memory");
}

static u64 read_counter(int i)
{
    switch (i) {
    case 0: return MRS(pmevcntr0_el0);
    case 1: return MRS(pmevcntr1_el0);
    case 2: return MRS(pmevcntr2_el0);
    default: return MRS(pmevcntr3_el0);
    }
}

static void write_type(int i, u64 v)
{
    switch (i) {
    case 0: MSR(pmevtyper0_el0, v); break;
    case 1: MSR(pmevtyper1_el0, v); break;
    case 2: MSR(pmevtyper2_el0, v); break;
    default: MSR(pmevtyper3_el0, v); break;
    }
}

int main(void)
{
    u64 ver = pmu_version();
    if (!pmu_present()) {
        printf("FAIL no PMUv3: ID_AA64DFR0_EL1.PMUVer=0x%lx\n", ver);
        return 1;
    }
    u64 runs[MAX_RUNS];
    int nruns = cmdline_numbers(runs, MAX_RUNS);
    if (!nruns) {
        runs[0] = 1;
        runs[1] = 1000;
        nruns = 2;
    }
    u64 pmcr = MRS(pmcr_el0);
    u64 n = PMCR_N(pmcr);
    u64 ceid0 = MRS(pmceid0_el0), ceid1 = MRS(pmceid1_el0);
    int used = n < 4 ? (int)n : 4;
    printf("pmu-events: %s, PMCR_EL0.N=%lu, PMCEID0=0x%lx PMCEID1=0x%lx, event counters used: %d\n",
           pmu_version_name(ver), n, ceid0, ceid1, used);

    u64 base = pmcr & 0xff & ~(PMCR_E | PMCR_P | PMCR_C);
    MSR(pmcr_el0, base);
    MSR(pmcntenclr_el0, 0xffffffffUL);
    MSR(pmccfiltr_el0, 0);
    u64 enable = CYCLE_BIT;
    for (int i = 0; i < used; i++) {
        write_type(i, events[i].code); /* P = U = 0: count at EL1 and EL0 */
        enable |= 1UL << i;
    }
    MSR(pmcntenset_el0, enable);
    ISB();

    for (int r = 0; r < nruns; r++) {
        u64 iters = runs[r] ? runs[r] : 1;
        MSR(pmcr_el0, base | PMCR_P | PMCR_C); /* zero all counters, E = 0 */
        ISB();
        run_loop(iters, base | PMCR_E, base);
        ISB();
        printf("run %d: n = %lu loop iterations\n", r + 1, iters);
        for (int i = 0; i < used; i++) {
            const struct event *e = &events[i];
            u64 bit = e->code < 0x20 ? (ceid0 >> e->code) & 1 : (ceid1 >> (e->code - 0x20)) & 1;
            u64 exact = e->fixed + e->per_iter * iters;
            u64 expect = bit ? exact : 0;
            u64 got = read_counter(i);
            tally(got == expect);
            printf("%s run %d counter %d %-12s (0x%02lx): got %lu expected %lu", got == expect ? "PASS" : "FAIL",
                   r + 1, i, e->name, e->code, got, expect);
            if (bit)
                printf(" (%lu + %lu x %lu)\n", e->fixed, e->per_iter, iters);
            else
                printf(" (PMCEID%d bit %lu = 0: event not implemented, %lu if it were)\n", e->code < 0x20 ? 0 : 1,
                       e->code & 0x1f, exact);
        }
        printf("     run %d cycle counter: %lu (no expectation)\n", r + 1, MRS(pmccntr_el0));
    }
    return tally_summary("pmu-events");
}
