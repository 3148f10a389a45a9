/* Shared declarations for the disassembler corpus. Freestanding: no libc. */
#ifndef CORPUS_H
#define CORPUS_H
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long s64;
typedef unsigned long size_t;

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

u64 arith_main(u64 seed);
u64 control_main(u64 seed);
u64 data_main(u64 seed);
u64 atomics_llsc_main(u64 seed);
u64 atomics_lse_main(u64 seed);
#endif
