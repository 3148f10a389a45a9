/* Hand-written system code for the disassembler corpus (not meant to run):
 * system registers, PSTATE fields, hints, barriers, exception generation,
 * cache/TLB/address-translation maintenance, generic SYS/SYSL, CRC32. */
    .text
    .global corpus_system
corpus_system:
    /* MRS/MSR of the registers a guest and its exception handlers touch */
    mrs     x0, sctlr_el1
    msr     sctlr_el1, x0
    mrs     x1, vbar_el1
    msr     vbar_el1, x1
    mrs     x2, esr_el1
    msr     esr_el1, x2
    mrs     x3, far_el1
    msr     far_el1, x3
    mrs     x4, elr_el1
    msr     elr_el1, x4
    mrs     x5, spsr_el1
    msr     spsr_el1, x5
    mrs     x6, tpidr_el0
    msr     tpidr_el0, x6
    mrs     x7, tpidr_el1
    msr     tpidr_el1, x7
    mrs     x8, tpidrro_el0
    msr     tpidrro_el0, x8
    mrs     x9, contextidr_el1
    msr     contextidr_el1, x9
    mrs     x10, mair_el1
    msr     mair_el1, x10
    mrs     x11, tcr_el1
    msr     tcr_el1, x11
    mrs     x12, ttbr0_el1
    msr     ttbr0_el1, x12
    mrs     x13, ttbr1_el1
    msr     ttbr1_el1, x13
    mrs     x14, amair_el1
    msr     amair_el1, x14
    mrs     x15, cpacr_el1
    msr     cpacr_el1, x15
    mrs     x16, cntfrq_el0
    mrs     x17, cntvct_el0
    mrs     x18, cntpct_el0
    mrs     x19, currentel
    mrs     x20, daif
    msr     daif, x20
    mrs     x21, nzcv
    msr     nzcv, x21
    mrs     x22, spsel
    msr     spsel, x22
    mrs     x23, sp_el0
    msr     sp_el0, x23
    mrs     x24, midr_el1
    mrs     x25, mpidr_el1
    mrs     x26, revidr_el1
    mrs     x27, id_aa64pfr0_el1
    mrs     x28, id_aa64pfr1_el1
    mrs     x29, id_aa64isar0_el1
    mrs     x30, id_aa64isar1_el1
    mrs     x0, id_aa64mmfr0_el1
    mrs     x1, id_aa64mmfr1_el1
    mrs     x2, id_aa64dfr0_el1
    mrs     x3, id_aa64afr0_el1
    mrs     x4, pmcr_el0
    msr     pmcr_el0, x4
    mrs     x5, pmccntr_el0
    msr     pmccntr_el0, x5
    mrs     x6, pmcntenset_el0
    msr     pmuserenr_el0, x6
    mrs     x7, s3_0_c15_c2_0
    msr     s3_1_c15_c0_3, x7
    mrs     xzr, sctlr_el1
    msr     tpidr_el0, xzr
    /* PSTATE immediates */
    msr     daifset, #2
    msr     daifclr, #0xf
    msr     daifset, #0
    msr     spsel, #1
    msr     spsel, #0
    /* hints */
    nop
    yield
    wfe
    wfi
    sev
    sevl
    /* barriers */
    dsb     sy
    dsb     ish
    dsb     ishst
    dsb     nsh
    dsb     oshld
    dmb     ish
    dmb     ishld
    dmb     oshst
    dmb     sy
    isb
    clrex
    clrex   #5
    /* exception generation and return */
    svc     #0
    svc     #0xffff
    hvc     #0x12
    smc     #0x34
    brk     #0x56
    hlt     #0xf000
    eret
    /* cache, TLB and address-translation maintenance */
    dc      civac, x0
    dc      cvac, x1
    dc      cvau, x2
    dc      ivac, x3
    dc      zva, x4
    dc      isw, x5
    dc      cisw, x6
    ic      iallu
    ic      ialluis
    ic      ivau, x7
    tlbi    vmalle1
    tlbi    vmalle1is
    tlbi    vae1, x8
    tlbi    vae1is, x9
    tlbi    aside1, x10
    tlbi    vaae1, x11
    tlbi    vale1, x12
    at      s1e1r, x13
    at      s1e1w, x14
    at      s1e0r, x15
    at      s1e0w, x16
    /* generic SYS/SYSL */
    sys     #3, c15, c15, #7, x1
    sys     #0, c11, c2, #1
    sysl    x2, #1, c11, c0, #2
    sysl    x3, #7, c0, c0, #0
    /* CRC32 */
    crc32b  w0, w1, w2
    crc32h  w3, w4, w5
    crc32w  w6, w7, w8
    crc32x  w9, w10, x11
    crc32cb w12, w13, w14
    crc32ch w15, w16, w17
    crc32cw w18, w19, w20
    crc32cx w21, w22, x23
    /* indirect branches and returns */
    br      x0
    blr     x1
    ret
    ret     x2
    /* prefetch variants */
    prfm    pldl1keep, [x0]
    prfm    pldl2strm, [x1, #8]
    prfm    pldl3keep, [x2, x3, lsl #3]
    prfm    pstl1strm, [x4, w5, sxtw]
    prfm    plil1keep, [x6, #32760]
    prfm    plil3strm, [x7]
    prfum   pldl1keep, [x8, #-1]
    prfm    pldl1keep, corpus_system
