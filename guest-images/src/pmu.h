/* Shared helpers of the PMU images (calibrate, pmu-access, pmu-events, pmu-el0):
 * PMU register access by name, the guest's PMU identity, the semihosting
 * command line, and a PASS/FAIL tally whose status is capped at 255. */
#ifndef PMU_H
#define PMU_H
#include "runtime.h"

#define MRS(reg) ({ u64 _v; __asm__ volatile("mrs %0, " #reg : "=r"(_v) : : "memory"); _v; })
#define MSR(reg, val) __asm__ volatile("msr " #reg ", %0" : : "r"((u64)(val)) : "memory")
#define ISB() __asm__ volatile("isb" : : : "memory")

/* PMCR_EL0 bits (spec section 2). */
#define PMCR_E  (1UL << 0)
#define PMCR_P  (1UL << 1)
#define PMCR_C  (1UL << 2)
#define PMCR_LC (1UL << 6)
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f)
#define CYCLE_BIT (1UL << 31)
#define EVTYPER_P (1UL << 31) /* don't count at EL1 */
#define EVTYPER_U (1UL << 30) /* don't count at EL0 */

/* mask(N) of the spec: bits [N-1:0] and bit 31. */
static inline u64 pmu_mask(u64 n) { return (n ? (1UL << n) - 1 : 0) | CYCLE_BIT; }

/* ID_AA64DFR0_EL1.PMUVer: 0 = no PMU, 0xF = IMPLEMENTATION DEFINED, else PMUv3 level. */
static inline u64 pmu_version(void) { return (MRS(id_aa64dfr0_el1) >> 8) & 0xf; }
static inline int pmu_present(void) { u64 v = pmu_version(); return v != 0 && v != 0xf; }

static inline const char *pmu_version_name(u64 v)
{
    switch (v) {
    case 0: return "none";
    case 1: return "PMUv3";
    case 4: return "PMUv3p1";
    case 5: return "PMUv3p4";
    case 6: return "PMUv3p5";
    case 7: return "PMUv3p7";
    case 8: return "PMUv3p8";
    case 9: return "PMUv3p9";
    case 0xf: return "IMPDEF";
    default: return "reserved";
    }
}

/* Numeric words of the semihosting command line (QEMU passes "KERNEL ARGS",
 * a64trap the same), in order; words with a non-digit (the image path) are
 * skipped. Returns how many were stored in out[]. */
static inline int cmdline_numbers(u64 *out, int max)
{
    static char buf[256];
    u64 block[2] = { (u64)buf, sizeof buf };
    int count = 0;
    if (semihost(SYS_GET_CMDLINE, (u64)block) != 0)
        return 0;
    for (const char *p = buf; *p && count < max;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        u64 n = 0;
        int ok = *p != 0;
        for (; *p && *p != ' '; p++) {
            if (*p < '0' || *p > '9')
                ok = 0;
            else
                n = n * 10 + (u64)(*p - '0');
        }
        if (ok && p > w)
            out[count++] = n;
    }
    return count;
}

/* Tally of cases. Each image prints its own PASS/FAIL lines. */
static int pmu_passed, pmu_failed;
static inline void tally(int ok) { if (ok) pmu_passed++; else pmu_failed++; }
static inline int tally_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, pmu_passed, pmu_failed);
    return pmu_failed > 255 ? 255 : pmu_failed;
}
#endif
