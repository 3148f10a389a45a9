/* debug: an EL1 kernel debugging EL0 code with the self-hosted debug registers.
 * A hardware breakpoint (DBGBVR0/DBGBCR0), a store watchpoint (DBGWVR0/DBGWCR0)
 * and software step (MDSCR_EL1.SS with SPSR_EL1.SS) of a few EL0 instructions,
 * each caught in the lower-EL synchronous vector, which prints ESR, FAR (for the
 * watchpoint; it is UNKNOWN for the others) and ELR as an offset into the user code.
 * Then a breakpoint linked (LBN) to a context-ID breakpoint: silent while CONTEXTIDR_EL1
 * differs, taken once it matches (QEMU 7.2 implements linked context matching; it does not
 * implement unlinked context-ID breakpoints, so those are tested in SelfHostedDebugTest only).
 * Last, a store watchpoint on one byte hit by a wider store: FAR is the watched byte (QEMU).
 * Debug exceptions from EL0 need only the OS lock cleared (QEMU resets it locked). */
#include "runtime.h"

static u64 __attribute__((aligned(16))) user_stack[512];
static volatile u64 __attribute__((aligned(8))) watched[2];
static int steps, linked_rounds;

extern char user_code[], bp_here[], lbp_here[];

/* EL0 code in assembly so the breakpoint, watched store and stepped instructions are exact. */
__asm__(".text\n.balign 4\n.global user_code\nuser_code:\n"
        "  svc #10\n"           /* arm the breakpoint */
        "  mov x1, #1\n"
        ".global bp_here\nbp_here:\n"
        "  mov x1, #2\n"        /* breakpoint here */
        "  svc #11\n"           /* arm the watchpoint on watched[0] (stores) */
        "  ldr x2, [x3]\n"      /* a load: not watched */
        "  str x1, [x3]\n"      /* the store: watchpoint */
        "  svc #12\n"           /* start stepping */
        "  mov x4, #4\n"
        "  add x4, x4, #1\n"
        "  ldxr x5, [x3]\n"     /* stepped load-exclusive: ESR.EX */
        "  svc #13\n"           /* stop stepping */
        "  mov x0, x4\n"
        "  svc #14\n"           /* report */
        "  svc #15\n"           /* arm the linked breakpoint, CONTEXTIDR_EL1 another context */
        ".global lbp_here\nlbp_here:\n"
        "  mov x6, #6\n"        /* linked breakpoint here */
        "  svc #16\n"           /* first time: CONTEXTIDR_EL1 = the linked context, back to lbp_here */
        "  svc #17\n"           /* arm a watchpoint on byte 4 of watched[1] */
        "  str x1, [x3, #8]\n"  /* an 8-byte store that covers it: FAR is the watched byte */
        "  svc #18\n"           /* exit */
        "  b .\n");

#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0\n isb" : : "r"((u64)(v)))

static u64 off(u64 elr) { return elr - (u64)user_code; }

void handle_exception(struct exc_frame *f)
{
    u64 ec = f->esr >> 26;
    if (f->vec != 8) {
        printf("unexpected exception from vector %lu: ESR=0x%08lx ELR=0x%lx\n", f->vec, f->esr, f->elr);
        exit(1);
    }
    switch (ec) {
    case 0x15: /* SVC */
        switch (f->esr & 0xffff) {
        case 10:
            WRITE_SYSREG(dbgbvr0_el1, bp_here);
            WRITE_SYSREG(dbgbcr0_el1, 0xf << 5 | 2 << 1 | 1); /* BAS = 0b1111, PMC = EL0, E */
            WRITE_SYSREG(mdscr_el1, 1 << 15);                  /* MDE */
            printf("breakpoint armed at user_code+0x%lx\n", off((u64)bp_here));
            return;
        case 11:
            WRITE_SYSREG(dbgwvr0_el1, &watched[0]);
            WRITE_SYSREG(dbgwcr0_el1, 0xff << 5 | 2 << 3 | 2 << 1 | 1); /* BAS all, LSC = store, PAC = EL0, E */
            f->x[3] = (u64)&watched[0];
            watched[0] = 7;
            printf("watchpoint armed on stores to watched[0]\n");
            return;
        case 12:
            WRITE_SYSREG(mdscr_el1, 1 << 15 | 1); /* MDE, SS */
            f->spsr |= 1UL << 21;                 /* SPSR.SS = 1: step one instruction */
            printf("stepping\n");
            return;
        case 13:
            WRITE_SYSREG(mdscr_el1, 0);
            printf("SVC stopping the step: SPSR.SS=%lu, %d steps\n", f->spsr >> 21 & 1, steps);
            return;
        case 14:
            printf("x0=%lu watched[0]=%lu x2=%lu; done\n", f->x[0], watched[0], f->x[2]);
            return;
        case 15:
            WRITE_SYSREG(dbgbvr4_el1, 0x42);                    /* context-aware (the A57's 4 and 5) */
            WRITE_SYSREG(dbgbcr4_el1, 3 << 20 | 3 << 1 | 1);    /* BT = linked context ID, E */
            WRITE_SYSREG(dbgbvr1_el1, lbp_here);
            WRITE_SYSREG(dbgbcr1_el1, 1 << 20 | 4 << 16 | 0xf << 5 | 2 << 1 | 1); /* linked address, LBN 4 */
            WRITE_SYSREG(contextidr_el1, 0x43);
            WRITE_SYSREG(mdscr_el1, 1 << 15);
            printf("linked breakpoint armed at user_code+0x%lx for CONTEXTIDR 0x42; CONTEXTIDR=0x43\n",
                   off((u64)lbp_here));
            return;
        case 16:
            if (!linked_rounds++) {
                WRITE_SYSREG(contextidr_el1, 0x42);
                f->elr = (u64)lbp_here;
                printf("lbp_here ran in context 0x43 (x6=%lu); CONTEXTIDR=0x42, again\n", f->x[6]);
            } else {
                printf("after the linked breakpoint: x6=%lu\n", f->x[6]);
            }
            return;
        case 17:
            WRITE_SYSREG(dbgwvr1_el1, &watched[1]);
            WRITE_SYSREG(dbgwcr1_el1, 0x10 << 5 | 2 << 3 | 2 << 1 | 1); /* BAS = byte 4, store, EL0 */
            printf("watchpoint armed on byte 4 of watched[1]\n");
            return;
        case 18:
            printf("done\n");
            exit(0);
        }
        break;
    case 0x30: /* breakpoint, lower EL */
        if (f->elr == (u64)lbp_here) {
            f->x[6] = 0;
            printf("linked breakpoint: ESR=0x%08lx ELR=user_code+0x%lx\n", f->esr, off(f->elr));
            WRITE_SYSREG(dbgbcr1_el1, 0);
            return;
        }
        printf("breakpoint: ESR=0x%08lx ELR=user_code+0x%lx x1=%lu\n", f->esr, off(f->elr), f->x[1]);
        WRITE_SYSREG(dbgbcr0_el1, 0);
        return;
    case 0x34: /* watchpoint, lower EL */
        printf("watchpoint: ESR=0x%08lx FAR=watched+0x%lx ELR=user_code+0x%lx watched[0]=%lu\n",
               f->esr, f->far - (u64)&watched[0], off(f->elr), watched[0]);
        WRITE_SYSREG(dbgwcr0_el1, 0);
        WRITE_SYSREG(dbgwcr1_el1, 0);
        return;
    case 0x32: /* software step, lower EL */
        steps++;
        printf("step: ESR=0x%08lx ELR=user_code+0x%lx SPSR.SS=%lu x4=%lu\n",
               f->esr, off(f->elr), f->spsr >> 21 & 1, f->x[4]);
        f->spsr |= 1UL << 21; /* step the next one */
        return;
    }
    printf("unexpected: EC=0x%02lx ESR=0x%08lx ELR=user_code+0x%lx\n", ec, f->esr, off(f->elr));
    exit(1);
}

int main(void)
{
    u64 oslsr;
    __asm__ volatile("mrs %0, oslsr_el1" : "=r"(oslsr));
    printf("debug: OSLSR_EL1=0x%lx at reset\n", oslsr);
    WRITE_SYSREG(oslar_el1, 0);
    __asm__ volatile("mrs %0, oslsr_el1" : "=r"(oslsr));
    printf("OSLSR_EL1=0x%lx after OSLAR_EL1 = 0\n", oslsr);
    u64 spsr = 0x3c0; /* EL0t, DAIF masked */
    __asm__ volatile("msr sp_el0, %0\n msr elr_el1, %1\n msr spsr_el1, %2\n isb\n eret"
                     : : "r"(user_stack + 512), "r"(user_code), "r"(spsr) : "memory");
    __builtin_unreachable();
}
