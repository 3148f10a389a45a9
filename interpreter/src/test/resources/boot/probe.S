    .section .text.head, "ax"
    .globl _head
_head:
#ifndef NOHEADER
    b       entry               // code0
    .word   0                   // code1
    .quad   TEXT_OFFSET         // text_offset
    .quad   _end - _head        // image_size
    .quad   0                   // flags
    .quad   0, 0, 0             // res2..res4
    .ascii  "ARM\x64"           // magic
    .word   0                   // res5
#endif
entry:
    adr     x9, regs
    stp     x0, x1, [x9, #0]
    stp     x2, x3, [x9, #16]
    stp     x4, x5, [x9, #32]
    mov     x10, sp
    str     x10, [x9, #48]
    mrs     x10, CurrentEL
    str     x10, [x9, #56]
    mrs     x10, DAIF
    str     x10, [x9, #64]
    mrs     x10, SPSel
    str     x10, [x9, #72]
    adr     x10, _head
    str     x10, [x9, #80]
    mrs     x10, SCTLR_EL1
    str     x10, [x9, #88]
    adr     x10, stack_top
    mov     sp, x10
    bl      report
1:  b 1b
    .balign 8
    .globl regs
regs: .fill 16, 8, 0
    .balign 16
stack: .fill 4096, 1, 0
stack_top:
