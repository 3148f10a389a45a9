/* semihost: the semihosting calls beyond console and exit: SYS_OPEN(":tt") for
 * write and read, SYS_WRITE, SYS_ISTTY, SYS_CLOSE (twice: the second fails with
 * EBADF via SYS_ERRNO), SYS_HEAPINFO, SYS_GET_CMDLINE (run with -append
 * "alpha beta"), SYS_TICKFREQ; SYS_CLOCK/SYS_ELAPSED only for success, their
 * values are wall-clock time under QEMU. Also SYS_WRITEC for a line longer than
 * the console buffer. Semihosting console; SYS_EXIT_EXTENDED 0. */
#include "runtime.h"

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITE 0x05
#define SYS_ISTTY 0x09
#define SYS_CLOCK 0x10
#define SYS_ERRNO 0x13
#define SYS_HEAPINFO 0x16
#define SYS_ELAPSED 0x30
#define SYS_TICKFREQ 0x31

int main(void)
{
    static const char tt[] = ":tt";
    u64 open_w[3] = { (u64)tt, 4, sizeof tt - 1 }; /* mode 4 = "w" */
    s64 h = (s64)semihost(SYS_OPEN, (u64)open_w);
    printf("SYS_OPEN(\":tt\", w) = %ld\n", h);
    static const char msg[] = "this line went through SYS_WRITE\n";
    u64 wr[3] = { (u64)h, (u64)msg, sizeof msg - 1 };
    printf("SYS_WRITE = %ld (bytes not written)\n", (s64)semihost(SYS_WRITE, (u64)wr));
    u64 hb[1] = { (u64)h };
    printf("SYS_ISTTY = %ld\n", (s64)semihost(SYS_ISTTY, (u64)hb));
    u64 open_r[3] = { (u64)tt, 0, sizeof tt - 1 }; /* mode 0 = "r" */
    s64 hr = (s64)semihost(SYS_OPEN, (u64)open_r);
    printf("SYS_OPEN(\":tt\", r) = %ld\n", hr);
    printf("SYS_CLOSE = %ld\n", (s64)semihost(SYS_CLOSE, (u64)hb));
    s64 again = (s64)semihost(SYS_CLOSE, (u64)hb);
    printf("SYS_CLOSE again = %ld, SYS_ERRNO = %ld\n", again, (s64)semihost(SYS_ERRNO, 0));

    u64 heap[4] = { 1, 2, 3, 4 };
    u64 heap_ptr = (u64)heap;
    s64 r = (s64)semihost(SYS_HEAPINFO, (u64)&heap_ptr);
    printf("SYS_HEAPINFO = %ld: heap 0x%lx..0x%lx stack 0x%lx..0x%lx\n", r, heap[0], heap[1], heap[2], heap[3]);

    static char cmd[256];
    u64 cb[2] = { (u64)cmd, sizeof cmd };
    r = (s64)semihost(SYS_GET_CMDLINE, (u64)cb);
    const char *args = cmd;
    while (*args && *args != ' ')
        args++; /* skip the image path */
    printf("SYS_GET_CMDLINE = %ld, arguments after the image: \"%s\"\n", r, *args ? args + 1 : "");

    printf("SYS_TICKFREQ = %ld\n", (s64)semihost(SYS_TICKFREQ, 0));
    printf("SYS_CLOCK %s\n", (s64)semihost(SYS_CLOCK, 0) >= 0 ? "ok" : "failed");
    u64 ticks[1];
    printf("SYS_ELAPSED = %ld\n", (s64)semihost(SYS_ELAPSED, (u64)ticks));

    /* longer than console_semi's 128-byte buffer: the tail goes out via SYS_WRITEC */
    for (int i = 0; i < 150; i++)
        console_putc((char)('a' + i % 26));
    console_putc('\n');
    printf("semihost: done\n");
    return 0;
}
