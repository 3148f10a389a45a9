/* devalign: unaligned loads/stores with the MMU off, where data accesses are
 * Device-nGnRnE and the architecture requires an alignment fault. QEMU 7.2 does
 * not fault (it performs the access); this image records what a runner does. */
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
        printf("%-10s fault ESR=0x%08lx FAR=buf+%lu\n", name, last.esr, last.far - (u64)buf);
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
    return 0;
}
