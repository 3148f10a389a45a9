/* Runtime side of the SIMD&FP differential guest: load state, dump state. */
    .text
    .global fpsimd_setup
/* x0 = 16 Q values, then FPCR, NZCV: loads v0-v15, sets FPCR and NZCV, clears FPSR. */
fpsimd_setup:
    ld1 {v0.2d-v3.2d}, [x0], #64
    ld1 {v4.2d-v7.2d}, [x0], #64
    ld1 {v8.2d-v11.2d}, [x0], #64
    ld1 {v12.2d-v15.2d}, [x0], #64
    ldp x1, x2, [x0]
    msr fpcr, x1
    msr fpsr, xzr
    msr nzcv, x2
    ret

    .global fpsimd_dump
/* x0 = sequence number: saves v0-v15, FPSR, NZCV and prints them (C, general registers only). */
fpsimd_dump:
    adrp x1, fpsimd_state
    add x1, x1, :lo12:fpsimd_state
    st1 {v0.2d-v3.2d}, [x1], #64
    st1 {v4.2d-v7.2d}, [x1], #64
    st1 {v8.2d-v11.2d}, [x1], #64
    st1 {v12.2d-v15.2d}, [x1], #64
    mrs x2, fpsr
    mrs x3, nzcv
    stp x2, x3, [x1]
    b fpsimd_print

    .bss
    .balign 16
    .global fpsimd_state
fpsimd_state:
    .space 16 * 16 + 16
