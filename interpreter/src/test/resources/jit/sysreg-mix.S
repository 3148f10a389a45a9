// PMU, timer and other system-register accesses in loops at EL1 and EL0 (JitSysRegTest): at EL1 four
// programmable counters, the cycle counter and its overflow interrupt enabled, counters read, written
// and re-read in one loop; at EL0 (PMUSERENR toggled by an SVC every 8 passes) reads that are
// UNDEFINED half of the time, skipped by the handler (at EL1 too: fixed-counters-only has no
// programmable counters). Ends in "done: b done". Build: ./build.sh
    .text
    .global _start
_start:
    adr x0, vectors
    msr vbar_el1, x0
    mov x0, #0x08
    msr pmevtyper0_el0, x0
    mov x0, #0x21
    msr pmevtyper1_el0, x0
    mov x0, #0x11
    msr pmevtyper2_el0, x0
    mov x0, #0x06
    msr pmevtyper3_el0, x0
    mov x0, #0xffff0000
    msr pmccntr_el0, x0
    mov x0, #0xffff0000
    movk x0, #0xf000
    msr pmevcntr2_el0, x0
    mov x0, #0x80000000
    orr x0, x0, #4
    msr pmintenset_el1, x0
    mov x0, #0x80000000
    orr x0, x0, #0xf
    msr pmcntenset_el0, x0
    mov x0, #1
    msr pmcr_el0, x0
    adr x9, data
    mov x4, #3000
loop:
    add x10, x10, #3
    mrs x1, pmevcntr0_el0
    str x1, [x9, #8]
    ldr x2, [x9, #8]
    eor x11, x11, x2
    mrs x3, pmccntr_el0
    add x12, x12, x3
    mrs x5, pmevcntr1_el0
    add x13, x13, x5
    mrs x6, pmevcntr2_el0
    add x15, x15, x6
    mrs x7, pmevcntr3_el0
    add x14, x14, x7
    mrs x8, tpidr_el0
    add x8, x8, #1
    msr tpidr_el0, x8
    mrs x16, nzcv
    mrs x17, cntvct_el0
    add x19, x19, x17
    mrs x18, pmovsset_el0
    add x19, x19, x18
    tst x10, #0x40
    b.eq 1f
    msr pmevcntr0_el0, x10
1:
    subs x4, x4, #1
    b.ne loop
    mov x0, #0
    msr pmuserenr_el0, x0
    adr x0, el0
    msr elr_el1, x0
    msr spsr_el1, xzr
    mov x4, #2000
    eret
el0:
    add x18, x18, #1
    mrs x1, pmccntr_el0
    add x12, x12, x1
    mrs x2, tpidr_el0
    add x2, x2, #1
    msr tpidr_el0, x2
    mrs x3, pmevcntr0_el0
    add x13, x13, x3
    tst x18, #7
    b.ne 2f
    svc #0
2:
    subs x4, x4, #1
    b.ne el0
    svc #1

    .balign 2048
vectors:
    .skip 0x200
    add x24, x24, #1        // current EL, SP_ELx, synchronous: skip the instruction (no PMEV* registers
    mrs x25, elr_el1        // under fixed-counters-only: PMCR_EL0.N = 0)
    add x25, x25, #4
    msr elr_el1, x25
    eret
    .balign 0x80
    b .
    .balign 0x80
    b .
    .balign 0x80
    b .
    .balign 0x400
    mrs x20, esr_el1        // lower EL, synchronous
    lsr x21, x20, #26
    cmp x21, #0x15
    b.eq svc
    add x22, x22, #1
    mrs x20, elr_el1
    add x20, x20, #4
    msr elr_el1, x20
    eret
svc:
    and x21, x20, #0xffff
    cbnz x21, done
    mrs x20, pmuserenr_el0
    eor x20, x20, #1
    msr pmuserenr_el0, x20
    add x23, x23, #1
    eret
done:
    b done
    .balign 4096
data:
    .quad 0, 0
