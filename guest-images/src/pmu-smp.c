/* pmu-smp: the vPMU on 4 vCPUs (-smp 4). vCPU 0 starts vCPUs 1-3 with PSCI CPU_ON; each vCPU
 * reads its PMCR_EL0.N, enables its cycle counter and runs ROUNDS rounds of a busy loop,
 * noting for each round whether PMCCNTR_EL0 advanced over it (under KVM's default PMU it stops
 * while the vCPU sits on a core whose PMU does not back it; under fixed-counters-only it counts
 * everywhere). The vCPUs run at the same time; vCPU 0 prints every vCPU's results at the end, so
 * the output does not depend on how they interleave. Counts are not printed: they are the
 * simulated host's. Exit status: 0. PL011 console; SYS_EXIT_EXTENDED. */
#include "pmu.h"

#define NCPU 4
#define ROUNDS 8
#define ITERATIONS 300000
#define PSCI_CPU_ON 0xc4000003UL

extern char pmu_smp_secondary[];
u8 pmu_smp_stacks[NCPU][4096] __attribute__((aligned(16)));

static volatile u64 pmcr_n[NCPU];
static volatile u64 stalled[NCPU];
static volatile int done[NCPU];

__asm__(
    "    .text\n"
    "    .global pmu_smp_secondary\n"
    "pmu_smp_secondary:\n"
    "    adrp x1, pmu_smp_stacks\n"
    "    add  x1, x1, :lo12:pmu_smp_stacks\n"
    "    mrs  x2, mpidr_el1\n"
    "    and  x2, x2, #0xff\n"
    "    add  x2, x2, #1\n"
    "    add  x1, x1, x2, lsl #12\n"
    "    mov  sp, x1\n"
    "    adrp x1, vectors\n"
    "    add  x1, x1, :lo12:vectors\n"
    "    msr  vbar_el1, x1\n"
    "    isb\n"
    "    bl   measure\n"
    "1:  wfe\n"
    "    b    1b\n");

static void busy_loop(u64 n)
{
    if (n)
        __asm__ volatile("1: subs %0, %0, #1\n b.ne 1b" : "+r"(n) : : "cc");
}

void measure(void)
{
    u64 me = MRS(mpidr_el1) & 0xff;
    u64 pmcr = MRS(pmcr_el0);
    pmcr_n[me] = PMCR_N(pmcr);
    MSR(pmccfiltr_el0, 0);
    MSR(pmcntenset_el0, CYCLE_BIT);
    MSR(pmcr_el0, (pmcr & 0xff & ~PMCR_P) | PMCR_E | PMCR_C);
    ISB();
    u64 n = 0;
    for (int r = 0; r < ROUNDS; r++) {
        u64 c0 = MRS(pmccntr_el0);
        busy_loop(ITERATIONS);
        ISB();
        if (MRS(pmccntr_el0) == c0)
            n++;
    }
    stalled[me] = n;
    done[me] = 1;
    __asm__ volatile("dsb sy\n sev" ::: "memory");
}

int main(void)
{
    if (!pmu_present()) {
        printf("pmu-smp: no PMUv3\n");
        return 1;
    }
    for (u64 i = 1; i < NCPU; i++) {
        long r = (long)psci_call(PSCI_CPU_ON, i, (u64)pmu_smp_secondary, 0);
        if (r != 0) {
            printf("pmu-smp: CPU_ON(cpu%lu) = %ld\n", i, r);
            return 2;
        }
    }
    measure();
    for (int i = 0; i < NCPU; i++)
        while (!done[i])
            __asm__ volatile("wfe" ::: "memory");
    for (int i = 0; i < NCPU; i++)
        printf("cpu%d: PMCR_EL0.N=%lu, cycle counter stalled in %lu of %d rounds\n", i, pmcr_n[i], stalled[i],
               ROUNDS);
    return 0;
}
