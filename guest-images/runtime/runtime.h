/* Tiny shared guest runtime: console, formatted output, exit, semihosting, PSCI. */
#ifndef RUNTIME_H
#define RUNTIME_H
#include <stdarg.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long s64;
typedef unsigned long size_t;

/* Saved by the vector table (start.S); the handler may modify it. */
struct exc_frame {
    u64 x[31];
    u64 elr, spsr, esr, far, vec;
};

/* Defined by the image; a weak default reports the exception and exits 100. */
void handle_exception(struct exc_frame *f);
extern char vectors[];

/* Console: one of console_pl011.c / console_semi.c is linked in. */
void console_putc(char c);
void console_flush(void);

/* Exit: one of exit_semi.c (SYS_EXIT), exit_semi_ext.c (SYS_EXIT_EXTENDED),
 * exit_psci.c (PSCI SYSTEM_OFF, status is always 0) is linked in. */
__attribute__((noreturn)) void exit(int status);

void puts_(const char *s);
void printf_(const char *fmt, ...);
void vprintf_(const char *fmt, va_list ap);
#define printf printf_
#define puts puts_

/* Semihosting (HLT #0xF000) and PSCI (HVC #0, SMCCC). */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_Stopped_ApplicationExit 0x20026
u64 semihost(u64 op, u64 param);
u64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3);
#define PSCI_VERSION 0x84000000UL
#define PSCI_FEATURES 0x8400000aUL
#define PSCI_SYSTEM_OFF 0x84000008UL

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static inline u64 read_currentel(void) { u64 v; __asm__ volatile("mrs %0, CurrentEL" : "=r"(v)); return v; }

/* Self-checking tests: one PASS/FAIL line per case, then a summary. */
void check(const char *name, u64 got, u64 expected);
int check_summary(const char *suite);   /* returns failures, capped at 100 */
/* Fails to compile unless gcc folded x to a constant: expected values must
 * come from the compiler, never from the instruction under test at run time. */
extern u64 expected_value_not_constant(void) __attribute__((error("expected value is not a compile-time constant")));
#define K(x) (__builtin_constant_p(x) ? (u64)(x) : expected_value_not_constant())
#endif
