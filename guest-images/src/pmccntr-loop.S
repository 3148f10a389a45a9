/* pmccntr-loop: the cycle-counter read loop of issue 14, hand-written, built as a headerless raw
 * image (prebuilt/pmccntr-loop.bin, linked at 0x40080000 where QEMU's -kernel puts it). It enables
 * PMCCNTR_EL0 at EL1 and then runs N iterations of 7 instructions: read the cycle counter, take the
 * delta to the previous read, keep the largest delta (what a calibration loop does), count down.
 * N is the last word of the semihosting command line (-append / --append N), 100000000 when that
 * word is not a number. No output; exits through semihosting SYS_EXIT with status 0.
 *   a64trap run --stats prebuilt/pmccntr-loop.bin --append 100000000   (ns per iteration =
 *   1000 / (MIPS / 7)); QEMU: long run minus short run, wall time (tools/bench-pmccntr). */
    .text
    .global _start
_start:
    /* N from the command line into x2 */
    ldr     x9, =0x40200000         /* a RAM buffer away from the code page */
    add     x10, x9, #256           /* the parameter block {buffer, length} */
    stp     x9, xzr, [x10]
    mov     x11, #255
    str     x11, [x10, #8]
    mov     x0, #0x15               /* SYS_GET_CMDLINE */
    mov     x1, x10
    hlt     #0xf000
    mov     x2, #0                  /* the number of the last word so far */
    mov     x12, #0                 /* its digits */
    cbnz    x0, 3f                  /* no command line */
1:  ldrb    w13, [x9], #1
    cbz     w13, 3f
    sub     w14, w13, #'0'
    cmp     w14, #9
    b.hi    2f
    mov     x15, #10
    madd    x2, x2, x15, x14
    add     x12, x12, #1
    b       1b
2:  mov     x2, #0                  /* a space or any other character ends a number */
    mov     x12, #0
    b       1b
3:  cbnz    x12, 4f
    ldr     x2, =100000000
4:  cbz     x2, 6f
    /* PMCR_EL0.E = 1 and PMCNTENSET_EL0 bit 31: the cycle counter counts */
    mov     x0, #1
    msr     pmcr_el0, x0
    mov     x0, #0x80000000
    msr     pmcntenset_el0, x0
    mov     x4, #0
    mov     x5, #0
    /* 7 instructions per iteration */
5:  mrs     x1, pmccntr_el0
    sub     x3, x1, x4
    mov     x4, x1
    cmp     x3, x5
    csel    x5, x3, x5, hi
    subs    x2, x2, #1
    b.ne    5b
6:  mov     x0, #0x18               /* SYS_EXIT, ADP_Stopped_ApplicationExit, status 0 */
    adr     x1, exit_block
    hlt     #0xf000
7:  wfi
    b       7b
    .ltorg
    .balign 8
exit_block:
    .quad   0x20026, 0
