/* Exit through semihosting SYS_EXIT_EXTENDED. */
#include "runtime.h"

void exit(int status)
{
    u64 block[2] = { ADP_Stopped_ApplicationExit, (u64)(u32)status };
    console_flush();
    semihost(SYS_EXIT_EXTENDED, (u64)block);
    for (;;)
        __asm__ volatile("wfi");
}
