/* hello: PL011 console, semihosting SYS_EXIT 0. Also shows the entry state QEMU
 * gives an ELF -kernel image (x0 = 0: no DTB pointer for a non-Linux ELF). */
#include "runtime.h"

int main(u64 x0)
{
    u64 daif, spsel;
    __asm__ volatile("mrs %0, daif\n mrs %1, spsel" : "=r"(daif), "=r"(spsel));
    printf("Hello from a64trap guest (PL011)\n");
    printf("entry: CurrentEL=%lu x0=0x%lx DAIF=0x%lx SPSel=%lu\n", read_currentel() >> 2, x0, daif, spsel);
    printf("dec %d %u %ld hex %x %016lx pad [%5d] [%-5d] [%05d] %s %c\n",
           -42, 42u, -1234567890123L, 0xbeefu, 0x123456789abcdefUL, 7, 7, -7, "ok", '!');
    return 0;
}
