/* Guest entry: QEMU -kernel starts an ELF at its entry point at EL1h with the
 * MMU and caches off. Set up the stack, install the runtime vector table,
 * clear .bss, call main(x0 at entry), exit with main's return value. */
    .section .text.boot, "ax"
    .global _start
_start:
    mov     x19, x0                 /* keep the entry x0 (DTB pointer or 0) */
    ldr     x1, =__stack_top
    mov     sp, x1
#ifdef ALIGN_CHECK
    /* test builds only: fault on any unaligned access, as Device memory would */
    mrs     x1, sctlr_el1
    orr     x1, x1, #2
    msr     sctlr_el1, x1
#endif
    adr     x1, vectors
    msr     vbar_el1, x1
    isb
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  mov     x0, x19
    bl      main
    bl      exit
3:  wfi
    b       3b

/* Vector table: every entry saves x0/x1, puts its index in x1 and jumps to the
 * common path, which builds a struct exc_frame (see runtime.h) on SP_EL1 and
 * calls handle_exception(frame). The handler may change elr/spsr/x[]. */
#define FRAME 288
    .macro ventry idx
    .balign 0x80
    sub     sp, sp, #FRAME
    stp     x0, x1, [sp, #0]
    mov     x1, #\idx
    b       exc_common
    .endm

    .text
    .balign 0x800
    .global vectors
vectors:
    ventry 0
    ventry 1
    ventry 2
    ventry 3
    ventry 4
    ventry 5
    ventry 6
    ventry 7
    ventry 8
    ventry 9
    ventry 10
    ventry 11
    ventry 12
    ventry 13
    ventry 14
    ventry 15

exc_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, elr_el1
    stp     x30, x2, [sp, #240]
    mrs     x2, spsr_el1
    mrs     x3, esr_el1
    stp     x2, x3, [sp, #256]
    mrs     x2, far_el1
    stp     x2, x1, [sp, #272]
    mov     x0, sp
    bl      handle_exception
    ldp     x30, x2, [sp, #240]
    msr     elr_el1, x2
    ldr     x2, [sp, #256]
    msr     spsr_el1, x2
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME
    eret
