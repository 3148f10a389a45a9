/* smp: eight vCPUs on QEMU virt (-smp 8 -M virt,gic-version=3,its=off -cpu max).
 * 1. vCPU 0 alone: its MPIDR, every redistributor's GICR_TYPER (affinity, processor number,
 *    Last only on the eighth), PSCI's answers before any secondary runs (AFFINITY_INFO of an off
 *    CPU and of one that does not exist, CPU_ON of itself, of no CPU, with a misaligned entry).
 * 2. PSCI CPU_ON of the 7 secondaries one by one, each reporting MPIDR_EL1, the context id it
 *    found in x0, its EL, SPSel, DAIF and SCTLR_EL1.M (QEMU's reset state), then CPU_ON of a
 *    running CPU (ALREADY_ON) and AFFINITY_INFO (ON).
 * 3. A spinlock of LDAXR/STLXR with SEVL/WFE waiting, taken by vCPUs 0-3 around a plain
 *    read-modify-write of a shared counter; then LSE: LDADD on a counter, a CAS lock and a SWP
 *    lock, each by vCPUs 0-3: the totals must be exact.
 * 4. IPIs through ICC_SGI1R_EL1: ping-pong between vCPUs 0 and 1 (SGI 1 there, SGI 2 back), an
 *    SGI to a target list (vCPUs 5 and 6), and one with IRM (every vCPU but the sender).
 * 5. CPU_OFF of vCPU 7 (AFFINITY_INFO then says OFF) and CPU_ON of it again.
 * Only one vCPU prints at a time, so the output does not depend on how the vCPUs interleave.
 * Self-checking: PASS/FAIL lines, SYS_EXIT_EXTENDED with the failures. */
#include "runtime.h"
#include "gic.h"

#define NCPU 8
#define WORKERS 4
#define ROUNDS 3000
#define PINGS 10
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_MIGRATE_INFO_TYPE 0x84000006UL
#define GICR_STRIDE 0x20000UL

enum { PH_IDLE, PH_LLSC, PH_LDADD, PH_CAS, PH_SWP, PH_OFF };

extern char secondary_entry[];
u8 smp_stacks[NCPU][4096] __attribute__((aligned(16)));

static volatile u32 phase;
static volatile u32 phase_seq;
static volatile int booted[NCPU];
static volatile int done[NCPU];
static volatile u64 sgi_count[NCPU][4];
/* the lock and what it guards: one granule, so stores to either clear a waiter's monitor */
static struct { volatile u32 lock; volatile u32 pad; volatile u64 counter; } shared __attribute__((aligned(64)));
static volatile u64 atomic_counter __attribute__((aligned(64)));

__asm__(
    "    .text\n"
    "    .global secondary_entry\n"
    "secondary_entry:\n"              /* x0 = context id, kept for secondary_main */
    "    adrp x1, smp_stacks\n"
    "    add  x1, x1, :lo12:smp_stacks\n"
    "    mrs  x2, mpidr_el1\n"
    "    and  x2, x2, #0xff\n"            /* the CPU index: its stack */
    "    add  x2, x2, #1\n"
    "    add  x1, x1, x2, lsl #12\n"
    "    mov  sp, x1\n"
    "    adrp x1, vectors\n"
    "    add  x1, x1, :lo12:vectors\n"
    "    msr  vbar_el1, x1\n"
    "    isb\n"
    "    bl   secondary_main\n"
    "1:  wfi\n"
    "    b    1b\n");

static inline u64 cpu_index(void) { return SYSREG_R(mpidr_el1) & 0xff; }
static inline void sev(void) { __asm__ volatile("dsb sy\n sev" ::: "memory"); }
static inline void wfe(void) { __asm__ volatile("wfe" ::: "memory"); }

static void gicr_init(u64 cpu)
{
    u64 rd = GICR + cpu * GICR_STRIDE, sgi = rd + 0x10000;
    mmio_w32(rd + GICR_WAKER, mmio_r32(rd + GICR_WAKER) & ~2u);
    while (mmio_r32(rd + GICR_WAKER) & 4u)
        ;
    mmio_w32(sgi + GICR_IGROUPR0, ~0u);
    mmio_w32(sgi + GICR_ICENABLER0, ~0u);
    for (int i = 0; i < 32; i += 4)
        mmio_w32(sgi + GICR_IPRIORITYR + i, 0xa0a0a0a0u);
    mmio_w32(sgi + GICR_ISENABLER0, 0xe);                         /* SGIs 1, 2, 3 */
    SYSREG_W(S3_0_C12_C12_5, SYSREG_R(S3_0_C12_C12_5) | 1);      /* ICC_SRE_EL1.SRE */
    SYSREG_W(S3_0_C4_C6_0, 0xff);                                 /* ICC_PMR_EL1 */
    SYSREG_W(S3_0_C12_C12_4, 0);                                  /* ICC_CTLR_EL1 */
    SYSREG_W(S3_0_C12_C12_7, 1);                                  /* ICC_IGRPEN1_EL1 */
}

/* ICC_SGI1R_EL1: INTID, Aff1 0, a target list, or IRM (every PE but this one) */
static void send_sgi(u64 intid, u64 targets, int irm)
{
    SYSREG_W(S3_0_C12_C11_5, intid << 24 | (irm ? 1UL << 40 : targets));
}

void handle_exception(struct exc_frame *f)
{
    if (f->vec != VEC_IRQ_CURRENT_SPX) {
        printf("cpu%lu: unexpected exception: vector %lu ESR_EL1=0x%lx ELR_EL1=0x%lx\n", cpu_index(), f->vec,
               f->esr, f->elr);
        exit(100);
    }
    u64 me = cpu_index();
    u64 id = gic_ack();
    if (id == SPURIOUS)
        return;
    if (id < 4)
        sgi_count[me][id]++;
    gic_eoi(id);
    if (id == 1)
        send_sgi(2, 1, 0); /* pong to vCPU 0 */
}

static void lock_llsc(volatile u32 *l)
{
    u32 tmp, st;
    __asm__ volatile("   sevl\n"
                     "1: wfe\n"
                     "2: ldaxr %w0, [%2]\n"
                     "   cbnz  %w0, 1b\n"
                     "   stxr  %w1, %w3, [%2]\n"
                     "   cbnz  %w1, 2b\n"
                     : "=&r"(tmp), "=&r"(st) : "r"(l), "r"(1) : "memory");
}

static void lock_cas(volatile u32 *l)
{
    for (;;) {
        u32 old = 0;
        __asm__ volatile("casa %w0, %w2, [%1]" : "+r"(old) : "r"(l), "r"(1) : "memory");
        if (old == 0)
            return;
        while (*l)
            ;
    }
}

static void lock_swp(volatile u32 *l)
{
    u32 old;
    do
        __asm__ volatile("swpa %w2, %w0, [%1]" : "=&r"(old) : "r"(l), "r"(1) : "memory");
    while (old != 0);
}

static void unlock(volatile u32 *l) { __asm__ volatile("stlr wzr, [%0]" : : "r"(l) : "memory"); }

/* vCPU `me`'s share of a phase's work */
static void work(u32 ph)
{
    for (int i = 0; i < ROUNDS; i++) {
        switch (ph) {
        case PH_LLSC: lock_llsc(&shared.lock); shared.counter = shared.counter + 1; unlock(&shared.lock); break;
        case PH_CAS: lock_cas(&shared.lock); shared.counter = shared.counter + 1; unlock(&shared.lock); break;
        case PH_SWP: lock_swp(&shared.lock); shared.counter = shared.counter + 1; unlock(&shared.lock); break;
        default: {
            u64 one = 1, old;
            __asm__ volatile("ldadd %2, %0, [%1]" : "=&r"(old) : "r"(&atomic_counter), "r"(one) : "memory");
        }
        }
    }
}

void secondary_main(u64 context)
{
    u64 me = cpu_index();
    gicr_init(me);
    u64 el = read_currentel() >> 2, spsel = SYSREG_R(spsel), daif = SYSREG_R(daif);
    u64 m = SYSREG_R(sctlr_el1) & 1;
    printf("cpu%lu up: MPIDR_EL1=0x%lx context=0x%lx EL%lu SPSel=%lu DAIF=0x%lx SCTLR_EL1.M=%lu\n", me,
           SYSREG_R(mpidr_el1), context, el, spsel, daif, m);
    irq_enable();
    u32 seen = phase_seq;
    booted[me]++;
    sev();
    for (;;) {
        while (phase_seq == seen)
            wfe();
        seen = phase_seq;
        u32 ph = phase;
        if (ph == PH_OFF && me == NCPU - 1) {
            done[me] = 1;
            sev();
            psci_call(PSCI_CPU_OFF, 0, 0, 0);
            printf("cpu%lu: CPU_OFF returned\n", me);
            exit(101);
        }
        if (ph != PH_OFF && me < WORKERS) {
            work(ph);
            done[me] = 1;
            sev();
        }
    }
}

/* vCPU 0 starts a phase for the secondaries and does its own share */
static void run_phase(u32 ph)
{
    for (int i = 0; i < NCPU; i++)
        done[i] = 0;
    shared.counter = 0;
    phase = ph;
    phase_seq = phase_seq + 1;
    sev();
    work(ph);
    for (int i = 1; i < WORKERS; i++)
        while (!done[i])
            ;
}

static void wait_booted(int cpu, int times)
{
    while (booted[cpu] < times)
        ;
}

int main(void)
{
    gic_init();
    gicr_init(0);
    check("cpu0 MPIDR_EL1", SYSREG_R(mpidr_el1), K(0x80000000UL));
    for (u64 i = 0; i < NCPU; i++) {
        u64 typer = mmio_r64(GICR + i * GICR_STRIDE + GICR_TYPER);
        printf("GICR%lu_TYPER: affinity=0x%lx processor=%lu last=%lu\n", i, typer >> 32, typer >> 8 & 0xffff,
               typer >> 4 & 1);
    }
    check("PSCI_FEATURES(CPU_ON64)", psci_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), K(0));
    check("MIGRATE_INFO_TYPE", psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), K(2));
    check("AFFINITY_INFO(cpu0) = ON", psci_call(PSCI_AFFINITY_INFO, 0, 0, 0), K(0));
    check("AFFINITY_INFO(cpu1) = OFF", psci_call(PSCI_AFFINITY_INFO, 1, 0, 0), K(1));
    check("AFFINITY_INFO(no such cpu) = INVALID_PARAMETERS", psci_call(PSCI_AFFINITY_INFO, 8, 0, 0), K(-2UL));
    check("CPU_ON(cpu0) = ALREADY_ON", psci_call(PSCI_CPU_ON, 0, (u64)secondary_entry, 0), K(-4UL));
    check("CPU_ON(no such cpu) = INVALID_PARAMETERS", psci_call(PSCI_CPU_ON, 0x100, (u64)secondary_entry, 0),
          K(-2UL));
    check("CPU_ON(misaligned entry) = INVALID_PARAMETERS", psci_call(PSCI_CPU_ON, 1, (u64)secondary_entry + 2, 0),
          K(-2UL));
    printf("AFFINITY_INFO(0x80000000) = %ld\n", (long)psci_call(PSCI_AFFINITY_INFO, 0x80000000UL, 0, 0));
    printf("AFFINITY_INFO(cpu1, level 1) = %ld\n", (long)psci_call(PSCI_AFFINITY_INFO, 1, 1, 0));
    printf("CPU_ON(0x80000001) = %ld\n", (long)psci_call(PSCI_CPU_ON, 0x80000001UL, (u64)secondary_entry, 0));

    for (u64 i = 1; i < NCPU; i++) {
        long r = (long)psci_call(PSCI_CPU_ON, i, (u64)secondary_entry, 0xc0de0000UL + i);
        if (r != 0) {
            printf("CPU_ON(cpu%lu) = %ld\n", i, r);
            return check_summary("smp") + 1;
        }
        wait_booted(i, 1);
    }
    check("CPU_ON(running cpu3) = ALREADY_ON", psci_call(PSCI_CPU_ON, 3, (u64)secondary_entry, 0), K(-4UL));
    check("AFFINITY_INFO(cpu5) = ON", psci_call(PSCI_AFFINITY_INFO, 5, 0, 0), K(0));

    irq_enable();
    run_phase(PH_LLSC);
    check("LDAXR/STLXR spinlock, 4 vCPUs: counter", shared.counter, K((u64)WORKERS * ROUNDS));
    run_phase(PH_CAS);
    check("CAS spinlock, 4 vCPUs: counter", shared.counter, K((u64)WORKERS * ROUNDS));
    run_phase(PH_SWP);
    check("SWP spinlock, 4 vCPUs: counter", shared.counter, K((u64)WORKERS * ROUNDS));
    run_phase(PH_LDADD);
    check("LDADD, 4 vCPUs: counter", atomic_counter, K((u64)WORKERS * ROUNDS));

    for (int i = 0; i < PINGS; i++) {
        send_sgi(1, 1UL << 1, 0);
        while (sgi_count[0][2] < (u64)i + 1)
            wfi();
    }
    check("ping-pong: pings vCPU 1 took", sgi_count[1][1], K(PINGS));
    check("ping-pong: pongs vCPU 0 took", sgi_count[0][2], K(PINGS));
    send_sgi(3, 1UL << 5 | 1UL << 6, 0);
    while (sgi_count[5][3] + sgi_count[6][3] < 2)
        ;
    send_sgi(3, 0, 1);
    for (int i = 1; i < NCPU; i++)
        while (sgi_count[i][3] < (i == 5 || i == 6 ? 2u : 1u))
            ;
    for (int i = 0; i < NCPU; i++)
        printf("cpu%d: SGI 1 x%lu, SGI 2 x%lu, SGI 3 x%lu\n", i, sgi_count[i][1], sgi_count[i][2], sgi_count[i][3]);

    phase = PH_OFF;
    phase_seq = phase_seq + 1;
    sev();
    while (psci_call(PSCI_AFFINITY_INFO, NCPU - 1, 0, 0) != 1)
        ;
    check("cpu7 after CPU_OFF: AFFINITY_INFO = OFF", psci_call(PSCI_AFFINITY_INFO, NCPU - 1, 0, 0), K(1));
    u64 again = psci_call(PSCI_CPU_ON, NCPU - 1, (u64)secondary_entry, 0x77);
    wait_booted(NCPU - 1, 2); /* it prints: wait before printing */
    check("CPU_ON(cpu7) again", again, K(0));
    return check_summary("smp");
}
