/* pmu-irq: the PMU overflow interrupt through the GICv3 (PPI 23, -M virt,gic-version=3,its=off).
 * For the cycle counter (32-bit overflow, PMCR_EL0.LC = 0) and for event counter 0 counting
 * CPU_CYCLES (0x11), each preset 4096 below the wrap: the counter is enabled with its PMINTENSET
 * bit, IRQs are unmasked and the CPU spins until the handler ran. The handler acknowledges
 * (ICC_IAR1 = 23), sees the counter's PMOVSSET bit, checks the counter wrapped, clears the bit
 * through PMOVSCLR and ends the interrupt: the line drops, no second interrupt comes.
 * Prints structure only (which bit, wrapped or not), never counts: QEMU's cycle counter runs on
 * host time, a64trap's vPMU on the simulated host. Self-checking, SYS_EXIT_EXTENDED failures;
 * without a PMU it prints one line and exits 1. */
#include "runtime.h"
#include "gic.h"

#define PPI_PMU 23
#define CYCLE_BIT (1UL << 31)
#define PRESET 0xfffff000UL

static volatile int irqs, other;
static volatile u64 last_intid, ovs_in_handler, wrapped, ovs_after_clear;
static volatile int which; /* 31: cycle counter, 0: event counter 0 */

static u64 counter(void)
{
    return which == 31 ? SYSREG_R(pmccntr_el0) : SYSREG_R(pmevcntr0_el0);
}

void handle_exception(struct exc_frame *f)
{
    if (f->vec != VEC_IRQ_CURRENT_SPX) {
        printf("unexpected exception: vector %lu ESR_EL1=0x%lx ELR_EL1=0x%lx\n", f->vec, f->esr, f->elr);
        exit(100);
    }
    u64 id = gic_ack();
    last_intid = id;
    if (id == PPI_PMU) {
        u64 bit = 1UL << which;
        irqs++;
        ovs_in_handler = SYSREG_R(pmovsset_el0) & bit;
        wrapped = (counter() & 0xffffffffUL) < PRESET;
        SYSREG_W(pmovsclr_el0, bit);
        ovs_after_clear = SYSREG_R(pmovsset_el0) & bit;
    } else {
        other++;
    }
    if (id != SPURIOUS)
        gic_eoi(id);
}

static void run(const char *name, int idx)
{
    u64 bit = 1UL << idx;
    which = idx;
    irqs = 0;
    SYSREG_W(pmcntenclr_el0, ~0UL);
    SYSREG_W(pmintenclr_el1, ~0UL);
    SYSREG_W(pmovsclr_el0, ~0UL);
    if (idx == 31) {
        SYSREG_W(pmccfiltr_el0, 0);
        SYSREG_W(pmccntr_el0, PRESET);
    } else {
        SYSREG_W(pmevtyper0_el0, 0x11); /* CPU_CYCLES, EL0 and EL1 */
        SYSREG_W(pmevcntr0_el0, PRESET);
    }
    SYSREG_W(pmintenset_el1, bit);
    SYSREG_W(pmcr_el0, 1);                /* E; LC = 0: the cycle counter overflows at 32 bits */
    SYSREG_W(pmcntenset_el0, bit);
    irq_enable();
    for (long spin = 0; spin < 200000000L && !irqs; spin++)
        __asm__ volatile("" ::: "memory");
    irq_disable();
    SYSREG_W(pmcntenclr_el0, bit);
    printf("%s:\n", name);
    check("  overflow interrupt taken", irqs > 0, 1);
    check("  INTID 23", last_intid, PPI_PMU);
    check("  PMOVSSET bit set in the handler", ovs_in_handler, bit);
    check("  counter wrapped", wrapped, 1);
    check("  PMOVSSET bit clear after PMOVSCLR", ovs_after_clear, 0);
    check("  exactly one interrupt", irqs, 1);
    check("  nothing pending afterwards", gic_hppir(), SPURIOUS);
}

int main(void)
{
    u64 pmuver = SYSREG_R(id_aa64dfr0_el1) >> 8 & 0xf;
    if (pmuver == 0 || pmuver == 0xf) {
        printf("pmu-irq: no PMU\n");
        return 1;
    }
    gic_init();
    gic_enable_ppi(PPI_PMU);
    run("cycle counter", 31);
    if (SYSREG_R(pmcr_el0) >> 11 & 0x1f)
        run("event counter 0 (CPU_CYCLES)", 0);
    else
        printf("event counter 0: none (PMCR_EL0.N = 0)\n"); /* KVM's fixed-counters-only PMU */
    check("no stray interrupts", other, 0);
    return check_summary("pmu-irq");
}
