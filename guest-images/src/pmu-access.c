/* pmu-access: the guest side of KVM's vpmu_counter_access selftest (spec
 * vpmu.md 4.5 items 4-7) for whatever N the PMU reports in PMCR_EL0.N.
 *   - start: bits N..30 of PMCNTENSET/CLR, PMINTENSET/CLR, PMOVSSET/CLR read 0;
 *   - each implemented counter i (0..N-1) x 4 accessor combinations (direct
 *     PMEVCNTR<i>/PMEVTYPER<i>, indirect PMSELR + PMXEVCNTR/PMXEVTYPER, direct
 *     read + indirect write, indirect read + direct write): after PMCR.E=0,P=1:
 *     CLR bit i -> 0 in all six bitmap registers, SET -> 1, CLR -> 0; PMEVTYPER
 *     write of P|INST_RETIRED reads back; counter reads 0; i + 0x12345 reads back;
 *   - each unimplemented i (N..30) x 4 combinations: counter read/write and type
 *     read/write each raise UNDEFINED (EC 0x00; the handler skips the instruction
 *     with ELR+4); SET of bit i leaves it 0, CLR leaves it 0.
 * One PASS/FAIL line per (counter, combination), with the first failing step.
 * Optional command line: N expected in PMCR_EL0.N (checks item 4).
 * Exit status = failed cases (capped at 255). PL011 console; SYS_EXIT_EXTENDED. */
#include "pmu.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aUL
#define INST_RETIRED 0x08UL

/* Exceptions the accesses raise: counted, last ESR kept, instruction skipped. */
static volatile u64 exc_count, exc_esr;

void handle_exception(struct exc_frame *f)
{
    u64 ec = f->esr >> 26;
    /* 0x00 = UNDEFINED (what KVM injects), 0x18 = trapped MSR/MRS (what the
     * architecture and QEMU TCG give): both are reported, the caller checks EC. */
    if (f->vec == 4 && (ec == 0x00 || ec == 0x18)) {
        exc_count++;
        exc_esr = f->esr;
        f->elr += 4;
        return;
    }
    printf("FAIL unexpected exception: vector %lu EC=0x%02lx ESR=0x%08lx ELR=0x%lx\n", f->vec, ec, f->esr, f->elr);
    exit(255);
}

/* PMEVCNTR<n>/PMEVTYPER<n> name n in the encoding: one case per n. */
#define REP31(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15) \
                 M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23) M(24) M(25) M(26) M(27) M(28) M(29) M(30)
#define RD_CASE(n, reg) case n: __asm__ volatile("mrs %0, " #reg #n "_el0" : "+r"(v) : : "memory"); break;
#define WR_CASE(n, reg) case n: __asm__ volatile("msr " #reg #n "_el0, %0" : : "r"(v) : "memory"); break;
#define RD_CNTR(n) RD_CASE(n, pmevcntr)
#define WR_CNTR(n) WR_CASE(n, pmevcntr)
#define RD_TYPER(n) RD_CASE(n, pmevtyper)
#define WR_TYPER(n) WR_CASE(n, pmevtyper)

static u64 rd_cntr_direct(u64 n) { u64 v = SENTINEL; switch (n) { REP31(RD_CNTR) } return v; }
static void wr_cntr_direct(u64 n, u64 v) { switch (n) { REP31(WR_CNTR) } }
static u64 rd_typer_direct(u64 n) { u64 v = SENTINEL; switch (n) { REP31(RD_TYPER) } return v; }
static void wr_typer_direct(u64 n, u64 v) { switch (n) { REP31(WR_TYPER) } }

static void select_counter(u64 n) { MSR(pmselr_el0, n); ISB(); }
static u64 rd_cntr_indirect(u64 n)
{
    u64 v = SENTINEL;
    select_counter(n);
    __asm__ volatile("mrs %0, pmxevcntr_el0" : "+r"(v) : : "memory");
    return v;
}
static void wr_cntr_indirect(u64 n, u64 v) { select_counter(n); MSR(pmxevcntr_el0, v); }
static u64 rd_typer_indirect(u64 n)
{
    u64 v = SENTINEL;
    select_counter(n);
    __asm__ volatile("mrs %0, pmxevtyper_el0" : "+r"(v) : : "memory");
    return v;
}
static void wr_typer_indirect(u64 n, u64 v) { select_counter(n); MSR(pmxevtyper_el0, v); }

struct accessor {
    const char *name;
    u64 (*rd_cntr)(u64);
    void (*wr_cntr)(u64, u64);
    u64 (*rd_typer)(u64);
    void (*wr_typer)(u64, u64);
};

/* The selftest's four combinations, in its order. */
static const struct accessor accessors[4] = {
    { "direct", rd_cntr_direct, wr_cntr_direct, rd_typer_direct, wr_typer_direct },
    { "indirect", rd_cntr_indirect, wr_cntr_indirect, rd_typer_indirect, wr_typer_indirect },
    { "direct-read/indirect-write", rd_cntr_direct, wr_cntr_indirect, rd_typer_direct, wr_typer_indirect },
    { "indirect-read/direct-write", rd_cntr_indirect, wr_cntr_direct, rd_typer_indirect, wr_typer_direct },
};

/* The six bitmap registers, read in this order. */
static const char *const bitmap_names[6] = { "PMCNTENSET", "PMCNTENCLR", "PMINTENSET", "PMINTENCLR", "PMOVSSET", "PMOVSCLR" };
static void read_bitmaps(u64 r[6])
{
    r[0] = MRS(pmcntenset_el0);
    r[1] = MRS(pmcntenclr_el0);
    r[2] = MRS(pmintenset_el1);
    r[3] = MRS(pmintenclr_el1);
    r[4] = MRS(pmovsset_el0);
    r[5] = MRS(pmovsclr_el0);
}

static void write_set(u64 bit) { MSR(pmcntenset_el0, bit); MSR(pmintenset_el1, bit); MSR(pmovsset_el0, bit); ISB(); }
static void write_clr(u64 bit) { MSR(pmcntenclr_el0, bit); MSR(pmintenclr_el1, bit); MSR(pmovsclr_el0, bit); ISB(); }

/* PMCR.E = 0 and P = 1: every event counter stopped and zeroed. */
static void disable_reset(void)
{
    MSR(pmcr_el0, (MRS(pmcr_el0) & 0xff & ~(PMCR_E | PMCR_C)) | PMCR_P);
    ISB();
}

/* One case = several steps; the line reports the first failing step. */
static char fail_text[160];
static int case_failed;
static void step_fail2(const char *what, const char *reg, u64 got, u64 expected)
{
    if (case_failed++)
        return;
    /* "what[ reg]: got 0x.. expected 0x.." (printf_ has no buffer variant) */
    static const char hex[] = "0123456789abcdef";
    char *p = fail_text, *end = fail_text + sizeof fail_text - 1;
    for (const char *s = what; *s && p < end; s++)
        *p++ = *s;
    if (reg && p < end)
        *p++ = ' ';
    for (const char *s = reg ? reg : ""; *s && p < end; s++)
        *p++ = *s;
    const char *parts[2] = { ": got 0x", " expected 0x" };
    u64 vals[2] = { got, expected };
    for (int k = 0; k < 2; k++) {
        for (const char *s = parts[k]; *s && p < end; s++)
            *p++ = *s;
        int started = 0;
        for (int sh = 60; sh >= 0; sh -= 4) {
            unsigned d = (vals[k] >> sh) & 0xf;
            if (d || started || sh == 0) {
                started = 1;
                if (p < end)
                    *p++ = hex[d];
            }
        }
    }
    *p = 0;
}
static void step_fail(const char *what, u64 got, u64 expected) { step_fail2(what, 0, got, expected); }

static void bitmaps_expect(const char *step, u64 bit, int set)
{
    u64 r[6];
    read_bitmaps(r);
    for (int k = 0; k < 6; k++)
        if (((r[k] & bit) != 0) != set) {
            step_fail2(step, bitmap_names[k], r[k], set ? (r[k] | bit) : (r[k] & ~bit));
            return;
        }
}

/* Runs one access expected to raise UNDEFINED with EC 0x00. */
#define EXPECT_UNDEF(step, access)                                               \
    do {                                                                         \
        exc_count = 0;                                                           \
        exc_esr = 0;                                                             \
        access;                                                                  \
        if (exc_count != 1)                                                      \
            step_fail(step " (exceptions taken)", exc_count, 1);                 \
        else if (exc_esr >> 26 != 0)                                             \
            step_fail(step " (ESR, EC 0x00 = UNDEFINED)", exc_esr, 0x02000000);  \
    } while (0)

static void implemented_case(u64 i, const struct accessor *a)
{
    u64 bit = 1UL << i;
    disable_reset();
    exc_count = 0;
    write_clr(bit);
    bitmaps_expect("after CLR", bit, 0);
    write_set(bit);
    bitmaps_expect("after SET", bit, 1);
    write_clr(bit);
    bitmaps_expect("after second CLR", bit, 0);

    u64 t = EVTYPER_P | INST_RETIRED;
    a->wr_typer(i, t);
    u64 got = a->rd_typer(i);
    if (got != t)
        step_fail("PMEVTYPER read back", got, t);
    got = a->rd_cntr(i);
    if (got != 0)
        step_fail("counter after PMCR.P", got, 0);
    u64 w = got + i + 0x12345;
    a->wr_cntr(i, w);
    got = a->rd_cntr(i);
    if (got != w)
        step_fail("counter read back", got, w);
    if (exc_count)
        step_fail("exceptions taken", exc_count, 0);
}

static void unimplemented_case(u64 i, const struct accessor *a)
{
    u64 bit = 1UL << i;
    u64 v;
    disable_reset();
    EXPECT_UNDEF("counter read", v = a->rd_cntr(i));
    EXPECT_UNDEF("counter write", a->wr_cntr(i, 0));
    EXPECT_UNDEF("type read", v = a->rd_typer(i));
    EXPECT_UNDEF("type write", a->wr_typer(i, 0));
    (void)v;
    exc_count = 0;
    write_set(bit);
    bitmaps_expect("after SET (RAZ/WI)", bit, 0);
    write_clr(bit);
    bitmaps_expect("after CLR", bit, 0);
    if (exc_count)
        step_fail("exceptions taken by bitmap writes", exc_count, 0);
}

int main(void)
{
    u64 want_n;
    int have_want = cmdline_numbers(&want_n, 1);
    u64 ver = pmu_version();
    if (!pmu_present()) {
        printf("FAIL no PMUv3: ID_AA64DFR0_EL1.PMUVer=0x%lx\n", ver);
        return 1;
    }
    u64 n = PMCR_N(MRS(pmcr_el0));
    printf("pmu-access: %s, PMCR_EL0.N=%lu, PMCEID0=0x%lx PMCEID1=0x%lx\n", pmu_version_name(ver), n,
           MRS(pmceid0_el0), MRS(pmceid1_el0));
    if (have_want) {
        int ok = n == want_n;
        tally(ok);
        printf("%s PMCR_EL0.N == %lu%s\n", ok ? "PASS" : "FAIL", want_n, ok ? "" : " (from the command line)");
    }

    /* Item 5: no bits of unimplemented counters at start. */
    u64 r[6];
    read_bitmaps(r);
    u64 unimpl = 0x7fffffffUL & ~pmu_mask(n);
    for (int k = 0; k < 6; k++) {
        int ok = (r[k] & unimpl) == 0;
        tally(ok);
        printf("%s start %s bits %lu..30 are 0 (0x%lx)\n", ok ? "PASS" : "FAIL", bitmap_names[k], n, r[k]);
    }

    /* Items 6 and 7. */
    for (u64 i = 0; i < 31; i++)
        for (int k = 0; k < 4; k++) {
            case_failed = 0;
            if (i < n)
                implemented_case(i, &accessors[k]);
            else
                unimplemented_case(i, &accessors[k]);
            tally(!case_failed);
            if (case_failed)
                printf("FAIL counter %lu %s %s: %s (%d failed steps)\n", i, i < n ? "implemented" : "unimplemented",
                       accessors[k].name, fail_text, case_failed);
            else
                printf("PASS counter %lu %s %s\n", i, i < n ? "implemented" : "unimplemented", accessors[k].name);
        }
    return tally_summary("pmu-access");
}
