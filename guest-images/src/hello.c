/* hello: PL011 console, semihosting SYS_EXIT 0. */
#include "runtime.h"

int main(void)
{
    printf("Hello from a64trap guest (PL011)\n");
    printf("CurrentEL=%lu\n", read_currentel() >> 2);
    printf("dec %d %u %ld hex %x %016lx pad [%5d] [%-5d] [%05d] %s %c\n",
           -42, 42u, -1234567890123L, 0xbeefu, 0x123456789abcdefUL, 7, 7, -7, "ok", '!');
    return 0;
}
