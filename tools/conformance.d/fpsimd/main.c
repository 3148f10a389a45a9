/* Main of the SIMD&FP differential guest: enables FP, runs the generated sequences. */
#include "runtime.h"

extern unsigned long fpsimd_state[34];
void fpsimd_sequences(void);

void fpsimd_print(unsigned long seq)
{
    printf("seq %lu fpsr %lx nzcv %lx\n", seq, fpsimd_state[32], fpsimd_state[33] >> 28);
    for (int v = 0; v < 16; v++)
        printf(" v%d %016lx%016lx\n", v, fpsimd_state[2 * v + 1], fpsimd_state[2 * v]);
}

int main(void)
{
    __asm__ volatile("mov x0, #(3 << 20)\n msr cpacr_el1, x0\n isb" ::: "x0");
    fpsimd_sequences();
    return 0;
}
