/* deviations: where QEMU 7.2 differs from the architecture (hardware faults,
 * QEMU does not), so this image is not part of conformance against QEMU:
 *  - unaligned loads/stores with the MMU off, where data accesses are
 *    Device-nGnRnE and must raise an alignment fault;
 *  - a load through a misaligned SP with SCTLR_EL1.SA = 1 (the reset value),
 *    which must raise an SP alignment fault (EC 0x26).
 * It prints what the runner did. PL011 console; SYS_EXIT_EXTENDED 0. */
#include "runtime.h"

static struct exc_frame last;
static int taken;

void handle_exception(struct exc_frame *f)
{
    last = *f;
    taken++;
    f->elr += 4;
}

static u64 __attribute__((aligned(16))) buf[2] = { 0x1122334455667788UL, 0x99aabbccddeeff00UL };

static void report(const char *name, u64 v)
{
    if (taken)
        printf("%-10s fault vector=%lu ESR=0x%08lx FAR=buf+%lu\n", name, last.vec, last.esr, last.far - (u64)buf);
    else
        printf("%-10s no fault, value=0x%lx\n", name, v);
    taken = 0;
}

int main(void)
{
    u64 v = 0;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"((u64)buf + 1) : "memory");
    report("ldr x+1", v);
    __asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"((u64)buf + 2) : "memory");
    report("ldr w+2", v);
    __asm__ volatile("ldrh %w0, [%1]" : "+r"(v) : "r"((u64)buf + 3) : "memory");
    report("ldrh +3", v);
    v = 0;
    __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"((u64)buf + 5) : "memory");
    report("str w+5", buf[0]);

    /* On SP_EL0 (SPSel = 0) so the handler, on SP_EL1, has a good stack; a
     * fault comes through vector 0 (EL1t). */
    static u64 __attribute__((aligned(16))) sp0_stack[8];
    __asm__ volatile("msr spsel, #0\n"
                     "add x16, %1, #8\n"
                     "mov sp, x16\n"
                     "ldr %0, [sp]\n"
                     "msr spsel, #1\n"
                     : "+r"(v) : "r"(sp0_stack + 2) : "x16", "memory");
    report("ldr [sp+8]", v);
    return 0;
}
