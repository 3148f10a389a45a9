/* timer: the generic timer's interrupts through the GICv3 at EL1 (-M virt,gic-version=3,its=off).
 * 1. GIC identification as QEMU's model reports it (architecture version, redistributor Last,
 *    priority bits through ICC_PMR_EL1 and ICC_CTLR_EL1).
 * 2. A periodic tick: the virtual timer (PPI 27) every CNTFRQ/10000 ticks, 5 interrupts taken
 *    by the handler, which acknowledges (ICC_IAR1), re-arms through CNTV_TVAL and ends (EOIR1).
 * 3. WFI with IRQs masked until the physical timer (PPI 30) fires: WFI returns, ISTATUS is set,
 *    the interrupt is pending (ICC_HPPIR1) and time has passed the deadline; then WFI with IRQs
 *    unmasked: the handler runs before the instruction after the WFI.
 * 4. A masked timer (IMASK) raises ISTATUS but no interrupt.
 * 5. An SGI to self through ICC_SGI1R_EL1, the running priority inside the handler (RPR), and
 *    EOImode 1: EOIR only drops the priority, the SGI stays active until ICC_DIR_EL1.
 * Self-checking: PASS/FAIL lines, SYS_EXIT_EXTENDED with the failures. */
#include "runtime.h"
#include "gic.h"

#define PPI_VTIMER 27
#define PPI_PTIMER 30

static volatile int ticks, handled_other;
static volatile u64 last_intid, istatus_seen, period;
static volatile int in_handler_count;
static volatile u64 rpr_in_handler, eoi_mode1;
#define SGI 3

void handle_exception(struct exc_frame *f)
{
    if (f->vec != VEC_IRQ_CURRENT_SPX) {
        printf("unexpected exception: vector %lu ESR_EL1=0x%lx ELR_EL1=0x%lx\n", f->vec, f->esr, f->elr);
        exit(100);
    }
    in_handler_count++;
    u64 id = gic_ack();
    last_intid = id;
    if (id == PPI_VTIMER) {
        istatus_seen |= SYSREG_R(cntv_ctl_el0) & 4;
        if (++ticks < 5)
            SYSREG_W(cntv_tval_el0, period);   /* re-arm: the level drops until the next deadline */
        else
            SYSREG_W(cntv_ctl_el0, 0);         /* stop */
    } else if (id == PPI_PTIMER) {
        SYSREG_W(cntp_ctl_el0, 0);
    } else if (id == SGI) {
        rpr_in_handler = SYSREG_R(S3_0_C12_C11_3);
    } else {
        handled_other++;
    }
    if (id != SPURIOUS)
        gic_eoi(id);
    if (id == SGI && eoi_mode1) {
        u64 active = mmio_r32(GICR_SGI + 0x300) >> SGI & 1; /* GICR_ISACTIVER0 */
        SYSREG_W(S3_0_C12_C11_1, id);                       /* ICC_DIR_EL1 */
        eoi_mode1 = active | (mmio_r32(GICR_SGI + 0x300) >> SGI & 1) << 1;
    }
}

int main(void)
{
    gic_init();
    check("GICD_PIDR2.ArchRev = 3", mmio_r32(GICD + GICD_PIDR2) >> 4 & 0xf, 3);
    check("GICD_TYPER.ITLinesNumber (256 interrupt IDs)", mmio_r32(GICD + GICD_TYPER) & 0x1f, 7);
    check("GICD_TYPER.SecurityExtn = 0", mmio_r32(GICD + GICD_TYPER) >> 10 & 1, 0);
    check("GICD_CTLR.DS = 1 (one security state)", mmio_r32(GICD + GICD_CTLR) >> 6 & 1, 1);
    check("GICR_TYPER.Last", mmio_r64(GICR + GICR_TYPER) >> 4 & 1, 1);
    check("GICR_WAKER awake", mmio_r32(GICR + GICR_WAKER) & 6, 0);
    check("ICC_SRE_EL1.SRE", SYSREG_R(S3_0_C12_C12_5) & 1, 1);
    check("ICC_PMR_EL1 keeps 5 priority bits", SYSREG_R(S3_0_C4_C6_0), 0xf8);
    check("ICC_CTLR_EL1.PRIbits = 4", SYSREG_R(S3_0_C12_C12_4) >> 8 & 7, 4);
    check("no interrupt pending at start (HPPIR1)", gic_hppir(), SPURIOUS);
    check("running priority idle (RPR)", SYSREG_R(S3_0_C12_C11_3), 0xff);

    /* 2. periodic tick on the virtual timer */
    period = SYSREG_R(cntfrq_el0) / 10000;
    gic_enable_ppi(PPI_VTIMER);
    SYSREG_W(cntv_tval_el0, period);
    SYSREG_W(cntv_ctl_el0, 1);
    irq_enable();
    while (ticks < 5)
        ;
    irq_disable();
    check("virtual timer: 5 ticks taken", ticks, 5);
    check("virtual timer: INTID 27", last_intid, PPI_VTIMER);
    check("virtual timer: ISTATUS set in the handler", istatus_seen, 4);
    check("virtual timer: stopped, no interrupt pending", gic_hppir(), SPURIOUS);

    /* 3. WFI with IRQs masked: wakes on the pending interrupt, no handler runs */
    gic_enable_ppi(PPI_PTIMER);
    u64 t0 = SYSREG_R(cntpct_el0);
    SYSREG_W(cntp_tval_el0, period);
    SYSREG_W(cntp_ctl_el0, 1);
    int before = in_handler_count;
    while (!(SYSREG_R(cntp_ctl_el0) & 4))
        wfi();
    u64 t1 = SYSREG_R(cntpct_el0);
    check("WFI (masked): woke with ISTATUS set", SYSREG_R(cntp_ctl_el0) & 4, 4);
    check("WFI (masked): time passed the deadline", t1 - t0 >= period, 1);
    check("WFI (masked): PPI 30 pending", gic_hppir(), PPI_PTIMER);
    check("WFI (masked): no handler ran", in_handler_count - before, 0);
    /* unmask: the pending interrupt is taken at once */
    irq_enable();
    __asm__ volatile("isb" ::: "memory");
    irq_disable();
    check("unmasking takes the pending interrupt", last_intid, PPI_PTIMER);

    /* WFI with IRQs unmasked: the handler runs, then execution continues after the WFI */
    SYSREG_W(cntp_tval_el0, period);
    SYSREG_W(cntp_ctl_el0, 1);
    before = in_handler_count;
    last_intid = 0;
    irq_enable();
    while (in_handler_count == before)
        wfi();
    irq_disable();
    check("WFI (unmasked): handler ran once", in_handler_count - before, 1);
    check("WFI (unmasked): INTID 30", last_intid, PPI_PTIMER);

    /* 4. IMASK: the condition is met but no interrupt */
    SYSREG_W(cntv_tval_el0, 0);
    SYSREG_W(cntv_ctl_el0, 3); /* ENABLE | IMASK */
    __asm__ volatile("isb" ::: "memory");
    check("IMASK: ISTATUS set", SYSREG_R(cntv_ctl_el0), 7);
    check("IMASK: nothing pending", gic_hppir(), SPURIOUS);
    SYSREG_W(cntv_ctl_el0, 0);

    /* 5. SGI to self, running priority, EOImode 1 */
    gic_enable_ppi(SGI);
    before = in_handler_count;
    SYSREG_W(S3_0_C12_C11_5, (u64)SGI << 24 | 1);   /* ICC_SGI1R_EL1: INTID 3, target list: this PE */
    irq_enable();
    __asm__ volatile("isb" ::: "memory");
    irq_disable();
    check("SGI to self: taken", in_handler_count - before, 1);
    check("SGI to self: INTID 3", last_intid, SGI);
    check("running priority in the handler (RPR)", rpr_in_handler, 0xa0);
    check("running priority idle again", SYSREG_R(S3_0_C12_C11_3), 0xff);
    SYSREG_W(S3_0_C12_C12_4, 2);                      /* ICC_CTLR_EL1.EOImode = 1 */
    eoi_mode1 = 1;
    SYSREG_W(S3_0_C12_C11_5, (u64)SGI << 24 | 1);
    irq_enable();
    __asm__ volatile("isb" ::: "memory");
    irq_disable();
    check("EOImode 1: active after EOIR, inactive after DIR", eoi_mode1, 1);
    SYSREG_W(S3_0_C12_C12_4, 0);
    check("no stray interrupts", handled_other, 0);
    return check_summary("timer");
}
