    .globl _start
_start:
    ldr x0, =stack_top
    mov sp, x0
    ldr x0, =vectors
    msr vbar_el1, x0
    isb
    bl main_
1:  b 1b

    .globl hvc_call
hvc_call:                 // x0..x3 in, x0 out
    hvc #0
    ret
    .globl smc_call
smc_call:
    smc #0
    ret

    .balign 2048
vectors:
    .rept 4               // current EL with SP0
    b sync_handler
    .balign 128
    .endr
    b sync_handler        // current EL with SPx, sync
    .balign 128
    .rept 11
    b .
    .balign 128
    .endr

sync_handler:
    // record ESR and mark x0 = 0x5555 ; skip the faulting instruction
    mrs x9, esr_el1
    ldr x10, =last_esr
    str x9, [x10]
    mrs x9, elr_el1
    add x9, x9, #4
    msr elr_el1, x9
    ldr x0, =0x5555
    eret

    .data
    .globl last_esr
last_esr: .quad 0
    .bss
    .balign 16
    .space 8192
stack_top:
