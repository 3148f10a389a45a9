/* exceptions: take and return from UNDEF, SVC, BRK, HVC, SMC, data aborts on an
 * unmapped address and alignment faults (SCTLR_EL1.A) through the runtime's VBAR_EL1 table.
 * FAR_EL1 is set to a sentinel before each case, so the output shows which
 * exceptions write it. PL011 console; SYS_EXIT_EXTENDED with the number of
 * exceptions taken as the status. */
#include "runtime.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aUL
#define UNMAPPED 0x09008000UL /* between the PL011 and the PL031 of QEMU virt */

static struct exc_frame last;
static int taken, total;

void handle_exception(struct exc_frame *f)
{
    u64 ec = f->esr >> 26;
    last = *f;
    taken++;
    total++;
    /* SVC/HVC/SMC return to the next instruction already; skip anything else. */
    if (ec != 0x15 && ec != 0x16 && ec != 0x17)
        f->elr += 4;
}

static void report(const char *name, u64 at)
{
    if (!taken) {
        printf("%-10s no exception\n", name);
        return;
    }
    printf("%-10s vector=%lu EC=0x%02lx ESR=0x%08lx FAR=0x%016lx ELR=%s%ld SPSR=0x%lx\n",
           name, last.vec, last.esr >> 26, last.esr, last.far,
           last.elr >= at ? "trigger+" : "trigger-", last.elr >= at ? (s64)(last.elr - at) : (s64)(at - last.elr),
           last.spsr);
}

static void reset(void)
{
    taken = 0;
    __asm__ volatile("msr far_el1, %0; isb" : : "r"(SENTINEL));
}

/* Each trigger sits at a local label whose address is returned, so ELR can be
 * shown relative to the trigger, independent of where the image is linked. */
#define TRIGGER(name, insn, ...)                                                   \
    do {                                                                           \
        u64 at;                                                                    \
        reset();                                                                   \
        __asm__ volatile("adr %0, 1f\n1: " insn : "=&r"(at) __VA_ARGS__);          \
        report(name, at);                                                          \
    } while (0)

#define CALL(name, insn, fn)                                                       \
    do {                                                                           \
        u64 at;                                                                    \
        reset();                                                                   \
        __asm__ volatile("mov x0, %2\n adr %0, 1f\n1: " insn "\n mov %1, x0"           \
                         : "=&r"(at), "=r"(r) : "r"(fn) : "x0", "x1", "x2", "x3", "memory"); \
        report(name, at);                                                          \
        printf("           x0 after=0x%lx\n", r);                                 \
    } while (0)

static u64 __attribute__((aligned(16))) buf[4] = { 0x1122334455667788UL, 0x99aabbccddeeff00UL };

int main(void)
{
    printf("exceptions: VBAR_EL1 at vectors, CurrentEL=%lu\n", read_currentel() >> 2);

    TRIGGER("undef", ".inst 0x00000000", : : "memory");
    TRIGGER("svc", "svc #0x42", : : "memory");
    TRIGGER("brk", "brk #0x7", : : "memory");

    /* HVC/SMC with a function id that is not PSCI, then with PSCI_VERSION:
     * x0 goes in, x0 comes out (SMCCC). */
    u64 r;
    CALL("hvc", "hvc #0x5", 0x12345678UL);
    CALL("hvc-psci", "hvc #0", PSCI_VERSION);
    CALL("smc", "smc #0x9", 0x12345678UL);
    CALL("smc-psci", "smc #0", PSCI_VERSION);

    u64 v = 0;
    TRIGGER("ld-unmap", "ldr %1, [%2]", , "+r"(v) : "r"(UNMAPPED) : "memory");
    TRIGGER("st-unmap", "str %1, [%2]", , "+r"(v) : "r"(UNMAPPED + 0x10) : "memory");
    TRIGGER("ldb-unmap", "ldrb %w1, [%2, #3]", , "+r"(v) : "r"(UNMAPPED) : "memory");

    /* Aligned access works; unaligned ones with the MMU off are in devalign.c
     * (QEMU 7.2 does not fault them, hardware does). */
    TRIGGER("ld-aligned", "ldr %1, [%2]", , "+r"(v) : "r"((u64)buf + 8) : "memory");
    printf("           value=0x%lx\n", v);

    /* SCTLR_EL1.A = 1: alignment checking regardless of memory type. */
    u64 sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr | 2));
    TRIGGER("a-ldrh", "ldrh %w1, [%2]", , "+r"(v) : "r"((u64)buf + 1) : "memory");
    TRIGGER("a-ldr", "ldr %1, [%2]", , "+r"(v) : "r"((u64)buf + 4) : "memory");
    TRIGGER("a-str", "str %w1, [%2]", , "+r"(v) : "r"((u64)buf + 6) : "memory");
    TRIGGER("a-ldp", "ldp %1, xzr, [%2]", , "+r"(v) : "r"((u64)buf + 4) : "memory");
    TRIGGER("a-ldr-ok", "ldr %w1, [%2]", , "+r"(v) : "r"((u64)buf + 4) : "memory");
    printf("           value=0x%lx\n", v);
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr));

    /* a non-zero status shows that SYS_EXIT_EXTENDED passes it through */
    printf("exceptions: done, %d taken; exit status %d\n", total, total);
    return total;
}
