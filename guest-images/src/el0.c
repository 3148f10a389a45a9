/* el0: drop from EL1 to EL0 with ERET, then run user code that calls back into
 * EL1 with SVC. EL1 prints on the user's behalf (semihosting console) and
 * reports the traps EL0 causes. Exits through PSCI SYSTEM_OFF (status 0). */
#include "runtime.h"


static u64 __attribute__((aligned(16))) user_stack[512];

static u64 el(void) { return read_currentel() >> 2; }


/* SVC numbers are in the immediate (ESR.ISS); x0 carries the argument. */
#define SVC(n, arg)                                                          \
    ({                                                                       \
        register u64 x0 __asm__("x0") = (u64)(arg);                          \
        __asm__ volatile("svc #" #n : "+r"(x0) : : "memory");               \
        x0;                                                                  \
    })

static void user_main(void)
{
    u64 tpidr, nzcv;
    SVC(1, "hello from EL0");
    u64 e = SVC(2, 0);
    SVC(1, e == 1 ? "EL1 handler ran at EL1" : "EL1 handler ran at the wrong EL");
    /* Allowed at EL0: TPIDR_EL0, NZCV. */
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(0x1234abcdUL));
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tpidr));
    __asm__ volatile("cmp %1, %1\n mrs %0, nzcv" : "=r"(nzcv) : "r"(tpidr) : "cc");
    SVC(1, tpidr == 0x1234abcdUL ? "tpidr_el0 ok" : "tpidr_el0 bad");
    SVC(1, nzcv == 0x60000000UL ? "nzcv ok" : "nzcv bad");
    /* Not allowed at EL0: CurrentEL, SCTLR_EL1. (MSR DAIFSet with SCTLR_EL1.UMA = 0 traps with
     * EC 0x18, but QEMU 7.2 swaps op1/op2 in that syndrome, so it is not checked here; see README.) */
    u64 v = 0x77;
    __asm__ volatile("mrs %0, CurrentEL" : "+r"(v));
    __asm__ volatile("mrs %0, sctlr_el1" : "+r"(v));
    __asm__ volatile("hvc #0" : : : "x0", "x1", "x2", "x3", "memory");
    __asm__ volatile("brk #0x99");
    SVC(3, 0);
    for (;;)
        ;
}

void handle_exception(struct exc_frame *f)
{
    u64 ec = f->esr >> 26;
    if (f->vec == 8 && ec == 0x15) {
        switch (f->esr & 0xffff) {
        case 1: /* puts(x0) */
            printf("EL1 (CurrentEL=%lu, vector %lu): EL0 says: %s\n", el(), f->vec, (const char *)f->x[0]);
            return;
        case 2: /* x0 = EL of the handler */
            f->x[0] = el();
            return;
        case 3: /* exit */
            printf("EL0 asked to exit; SPSR_EL1=0x%lx\n", f->spsr);
            exit(0); /* PSCI SYSTEM_OFF */
        }
    }
    printf("trap from vector %lu: EC=0x%02lx ESR=0x%08lx SPSR=0x%lx\n", f->vec, ec, f->esr, f->spsr);
    if (f->vec != 8) {
        printf("unexpected: not from EL0\n");
        exit(1);
    }
    f->elr += ec == 0x15 || ec == 0x16 ? 0 : 4;
}

int main(void)
{
    printf("el0: at EL%lu, dropping to EL0\n", el());
    u64 spsr = 0x3c0; /* EL0t, DAIF masked */
    __asm__ volatile("msr sp_el0, %0\n msr elr_el1, %1\n msr spsr_el1, %2\n isb\n eret"
                     : : "r"(user_stack + 512), "r"(user_main), "r"(spsr) : "memory");
    __builtin_unreachable();
}
