/* Console over semihosting: whole lines through SYS_WRITE0, and a line that
 * would overflow the buffer character by character through SYS_WRITEC. */
#include "runtime.h"

static char line[128];
static unsigned len;

void console_flush(void)
{
    if (len) {
        line[len] = 0;
        semihost(SYS_WRITE0, (u64)line);
        len = 0;
    }
}

void console_putc(char c)
{
    if (len == sizeof line - 1) {
        console_flush();
        semihost(SYS_WRITEC, (u64)&c);
        return;
    }
    line[len++] = c;
    if (c == '\n')
        console_flush();
}
