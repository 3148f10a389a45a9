/* Exit through semihosting SYS_EXIT with an ADP_Stopped_ApplicationExit block. */
#include "runtime.h"

void exit(int status)
{
    u64 block[2] = { ADP_Stopped_ApplicationExit, (u64)(u32)status };
    console_flush();
    semihost(SYS_EXIT, (u64)block);
    for (;;)
        __asm__ volatile("wfi");
}
