/* calibrate: a Windows-style clock calibration. Each round reads PMCCNTR_EL0
 * and CNTVCT_EL0, runs a fixed busy loop, reads both again and divides by the
 * deltas. Every division goes through msvc_udiv(), which does what MSVC emits
 * for an unsigned division by a non-constant on ARM64: `cbz divisor` to a
 * `brk #0xf003`, otherwise `udiv`. When the cycle counter did not advance over
 * a round (a vCPU that sat on a core whose PMU does not back its counters,
 * under KVM's default PMU) the first division faults and the BRK handler
 * prints a bug-check line and exits 1, as Windows stops with
 * KMODE_EXCEPTION_NOT_HANDLED / STATUS_INTEGER_DIVIDE_BY_ZERO.
 *
 * Command line (semihosting, `-append` in QEMU): [ITERATIONS [ROUNDS]], the
 * busy-loop length (default 300000) and the number of rounds (default 8).
 * Without a PMU (ID_AA64DFR0_EL1.PMUVer = 0 or IMPDEF) it says so and goes on
 * as Windows does (it does not check): the first PMU register access is
 * UNDEFINED and the handler bug-checks with STATUS_ILLEGAL_INSTRUCTION, exit 1
 * ("it also crashes when the PMU is not present": cover letter of "[RFC] KVM:
 * arm64: PMU: Use multiple host PMUs", Akihiko Odaki, 2025-03-19).
 * On success it exits 0. PL011 console; SYS_EXIT_EXTENDED. */
#include "pmu.h"

#define DEFAULT_ITERATIONS 300000
#define DEFAULT_ROUNDS 8
#define STATUS_INTEGER_DIVIDE_BY_ZERO 0xC0000094UL
#define STATUS_ILLEGAL_INSTRUCTION 0xC000001DUL
#define KMODE_EXCEPTION_NOT_HANDLED 0x7EUL

/* What the compiler emits for a / b with b unknown (MSVC, ARM64). */
static inline u64 msvc_udiv(u64 a, u64 b)
{
    u64 q;
    __asm__ volatile("cbz %2, 1f\n"
                     "udiv %0, %1, %2\n"
                     "b 2f\n"
                     "1: brk #0xf003\n"
                     "2:"
                     : "=r"(q) : "r"(a), "r"(b) : "memory");
    return q;
}

static int round_no;

void handle_exception(struct exc_frame *f)
{
    u64 ec = f->esr >> 26;
    if (f->vec == 4 && ec == 0x3c && (f->esr & 0xffff) == 0xf003) {
        printf("*** STOP: 0x%08lx (0x%08lx, 0x%016lx, 0x%016lx, 0x%016lx)\n",
               KMODE_EXCEPTION_NOT_HANDLED, STATUS_INTEGER_DIVIDE_BY_ZERO, f->elr, 0UL, 0UL);
        printf("*** KMODE_EXCEPTION_NOT_HANDLED (integer divide by zero, brk #0xf003 at PC=0x%lx, round %d)\n",
               f->elr, round_no);
        exit(1);
    }
    if (ec == 0x00) { /* UNDEFINED: a PMU register without a PMU */
        printf("*** STOP: 0x%08lx (0x%08lx, 0x%016lx, 0x%016lx, 0x%016lx)\n",
               KMODE_EXCEPTION_NOT_HANDLED, STATUS_ILLEGAL_INSTRUCTION, f->elr, 0UL, 0UL);
        printf("*** KMODE_EXCEPTION_NOT_HANDLED (illegal instruction, UNDEF at PC=0x%lx: no PMU)\n", f->elr);
        exit(1);
    }
    printf("*** STOP: unexpected exception: vector %lu EC=0x%02lx ESR=0x%08lx ELR=0x%lx\n",
           f->vec, ec, f->esr, f->elr);
    exit(1);
}

/* The busy loop: exactly 2 instructions per iteration, no memory access. */
static void busy_loop(u64 n)
{
    if (n)
        __asm__ volatile("1: subs %0, %0, #1\n b.ne 1b" : "+r"(n) : : "cc");
}

int main(void)
{
    u64 args[2];
    int nargs = cmdline_numbers(args, 2);
    u64 iterations = nargs >= 1 && args[0] ? args[0] : DEFAULT_ITERATIONS;
    u64 rounds = nargs >= 2 && args[1] ? args[1] : DEFAULT_ROUNDS;

    u64 ver = pmu_version();
    if (!pmu_present())
        printf("calibrate: no PMUv3 (ID_AA64DFR0_EL1.PMUVer=0x%lx); reading PMCR_EL0 anyway, as Windows does\n", ver);
    u64 cntfrq = MRS(cntfrq_el0);
    u64 pmcr = MRS(pmcr_el0);
    printf("calibrate: %s, PMCR_EL0.N=%lu, CNTFRQ_EL0=%lu Hz, %lu rounds x %lu iterations\n",
           pmu_version_name(ver), PMCR_N(pmcr), cntfrq, rounds, iterations);

    /* Cycle counter only: count at EL0 and EL1, enable bit 31, E=1, reset it (C). */
    MSR(pmccfiltr_el0, 0);
#ifndef STOPPED_COUNTER /* test build only: shows the bug-check path under QEMU */
    MSR(pmcntenset_el0, CYCLE_BIT);
#endif
    MSR(pmcr_el0, (pmcr & 0xff & ~PMCR_P) | PMCR_E | PMCR_C);
    ISB();

    u64 sum_cycles = 0, sum_ticks = 0;
    for (round_no = 1; round_no <= (int)rounds; round_no++) {
        ISB();
        u64 c0 = MRS(pmccntr_el0);
        u64 t0 = MRS(cntvct_el0);
        busy_loop(iterations);
        ISB();
        u64 c1 = MRS(pmccntr_el0);
        u64 t1 = MRS(cntvct_el0);
        u64 dc = c1 - c0, dt = t1 - t0;
        printf("round %d: cycles %lu, timer ticks %lu\n", round_no, dc, dt);
        /* Windows divides by the cycle delta first: iterations per 1000 cycles. */
        u64 per_kcycle = msvc_udiv(iterations * 1000, dc);
        /* frequency in kHz = cycles * CNTFRQ / ticks (kHz keeps it in 64 bits). */
        u64 khz = msvc_udiv(dc * (cntfrq / 1000), dt);
        printf("round %d: %lu.%03lu loop iterations per cycle, %lu.%03lu MHz\n", round_no,
               per_kcycle / 1000, per_kcycle % 1000, khz / 1000, khz % 1000);
        sum_cycles += dc;
        sum_ticks += dt;
    }
    u64 khz = msvc_udiv(sum_cycles * (cntfrq / 1000), sum_ticks);
    printf("calibrated: %lu cycles in %lu ticks: %lu.%03lu MHz\n", sum_cycles, sum_ticks, khz / 1000, khz % 1000);
    return 0;
}
