/* Small freestanding guest used as test input for the ELF reader and loaders.
 * Build: see build.sh next to this file. */
static const char msg[] = "hello from a64trap test elf\n";
volatile unsigned long counter;          /* .bss */
unsigned long table[4] = {1, 2, 3, 4};   /* .data */
static unsigned long exit_block[2] = {0x20026, 3}; /* no stack: keep it in .data */

static long semihost(long op, const void *arg) {
    register long x0 __asm__("x0") = op;
    register const void *x1 __asm__("x1") = arg;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

void _start(void) {
    counter = table[2];
    semihost(0x04, msg);                  /* SYS_WRITE0 */
    semihost(0x20, exit_block);           /* SYS_EXIT_EXTENDED: ApplicationExit, status 3 */
    for (;;) {}
}
