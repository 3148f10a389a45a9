// Hand-picked edge cases per instruction class for the golden test data (gen-golden.py).
// "//# class NAME" starts a class; the expected text is what objdump prints for each word.
//# class dp-immediate
add x0, x1, #0
add x0, sp, #0
add sp, x0, #0
add w0, wsp, #4095
add x0, x1, #4095, lsl #12
adds x0, sp, #1
adds xzr, x1, #1
sub x0, x1, #0xfff
subs wzr, w1, #0x1, lsl #12
subs x3, sp, #0
cmp sp, #0
add w2, wsp, #0, lsl #12
add sp, x1, #0, lsl #12
add x1, sp, #0
mov sp, x1
adr x0, .-0x100000
adr x0, .+0xfffff
adrp x0, .-0x100000000
adrp x0, .+0xfffff000
movz x0, #0xffff, lsl #48
movz w0, #0xffff, lsl #16
movz x0, #0, lsl #32
movn x0, #0
movn w0, #0
movn w0, #0xffff
movn x0, #0xffff, lsl #48
movn w0, #0xffff, lsl #16
movk w0, #0xffff, lsl #16
movk x0, #0, lsl #48
orr x0, xzr, #0xffff
orr sp, xzr, #0xffff
orr w0, wzr, #0xffff0000
orr x0, xzr, #0xaaaaaaaaaaaaaaaa
orr w5, w6, #0x1
eor sp, x1, #0x3
and x0, x1, #0x7fffffffffffffff
and w0, w1, #0xfffffffe
ands xzr, x1, #0xf0f0f0f0f0f0f0f0
ands x0, x1, #0x8000000000000000
//# class bitfield
sbfm x0, x1, #0, #63
sbfm w0, w1, #31, #31
asr x0, x1, #0
lsl x0, x1, #63
lsl w0, w1, #31
lsl x0, x1, #1
lsr x0, x1, #0
ubfm x0, x1, #0, #7
ubfm x0, x1, #0, #15
ubfm x0, x1, #0, #31
ubfm w0, w1, #0, #7
ubfm w0, w1, #0, #15
sbfm x0, x1, #0, #7
sbfm x0, x1, #0, #15
sbfm x0, x1, #0, #31
sbfm w0, w1, #0, #7
sbfm w0, w1, #0, #15
sbfx x0, x1, #63, #1
ubfx w0, w1, #31, #1
ubfiz x0, x1, #63, #1
sbfiz w0, w1, #1, #31
bfm x0, x1, #0, #63
bfm w0, wzr, #1, #0
bfi x0, x1, #1, #63
bfxil x0, x1, #0, #64
bfxil w0, wzr, #31, #1
extr x0, x1, x2, #63
extr w0, w1, w2, #31
extr x0, x1, x1, #0
extr w0, wzr, wzr, #7
//# class dp-register
add x0, x1, x2, lsl #63
add w0, w1, w2, asr #31
adds xzr, x1, x2, lsr #7
sub x0, xzr, x2
sub x0, xzr, x2, asr #63
subs x0, xzr, x2
subs xzr, xzr, x2
add x0, sp, w1, uxtw
add w0, wsp, w1, uxtw
add w0, wsp, w1, uxtw #4
add w0, w1, w2, uxtx #4
add sp, sp, x1, uxtx #4
add x0, x1, w2, sxtb
add x0, x1, x2, sxtx #3
adds x0, sp, x1
adds x0, sp, x1, uxtx #2
cmp sp, x1
cmp sp, w1, uxtw
cmn wsp, w1
sub sp, x1, w2, sxth #1
subs x0, x1, w2, uxtb #4
and x0, x1, x2, ror #63
bics w0, w1, w2, lsl #31
orr x0, xzr, x1, lsl #1
orr x0, xzr, x1
orr w0, wzr, w1
orr x0, x1, xzr
orn x0, xzr, x1
orn w0, wzr, w1, asr #3
orn x0, x1, x2
eon x0, x1, x2, lsr #63
ands xzr, x1, x2, ror #7
adc x0, x1, x2
adcs wzr, wzr, wzr
sbc x0, xzr, x2
sbcs w0, wzr, w2
sbc x0, x1, xzr
ccmn w0, #0, #0, eq
ccmp x0, #31, #15, nv
ccmp x30, xzr, #8, cs
ccmn x0, x1, #2, cc
csel x0, x1, x2, al
csinc x0, xzr, xzr, al
csinc x0, xzr, xzr, nv
csinc x0, xzr, xzr, eq
csinc x0, x1, x1, ge
csinc x0, x1, xzr, ge
csinv w0, wzr, wzr, mi
csinv w0, w1, w1, pl
csinv w0, w1, w1, nv
csneg x0, x1, x1, hi
csneg x0, xzr, xzr, ls
csneg x0, x1, x2, vs
udiv w0, w1, w2
sdiv x0, x1, x2
lslv x0, x1, x2
lsrv w0, w1, w2
asrv x0, x1, x2
rorv w0, w1, w2
crc32b w0, w1, w2
crc32h w0, w1, w2
crc32w w0, w1, w2
crc32x w0, w1, x2
crc32cb w0, w1, w2
crc32ch w0, w1, w2
crc32cw w0, w1, w2
crc32cx wzr, wzr, xzr
rbit x0, x1
rbit w0, w1
rev16 x0, x1
rev16 w0, w1
rev32 x0, x1
rev w0, w1
rev x0, x1
clz x0, xzr
cls w0, w1
madd x0, x1, x2, x3
madd w0, w1, w2, wzr
msub x0, x1, x2, xzr
msub w0, w1, w2, w3
smaddl x0, w1, w2, x3
smaddl x0, w1, w2, xzr
smsubl x0, w1, w2, xzr
umaddl x0, w1, w2, xzr
umsubl x0, w1, w2, xzr
umsubl x0, w1, w2, x30
smulh x0, x1, x2
umulh x0, x1, xzr
//# class branch
b .
b .+0x7fffffc
b .-0x8000000
bl .-4
b.eq .+4
b.ne .-0x100000
b.cs .+0xffffc
b.cc .
b.mi .
b.pl .
b.vs .
b.vc .
b.hi .
b.ls .
b.ge .
b.lt .
b.gt .
b.le .
b.al .
b.nv .
cbz w0, .+0xffffc
cbnz xzr, .-0x100000
tbz w0, #0, .+0x7ffc
tbnz x30, #63, .-0x8000
tbz x1, #32, .
br x0
br xzr
blr x30
ret
ret x30
ret x0
ret xzr
eret
//# class exception-system
svc #0
svc #0xffff
hvc #1
smc #0x1234
brk #0xffff
hlt #0xf000
udf #0
udf #0xffff
msr daifset, #0
msr daifclr, #15
msr spsel, #0
msr spsel, #1
nop
yield
wfe
wfi
sev
sevl
hint #6
hint #0x7f
hint #0x22
hint #0x24
hint #0x10
hint #0x14
clrex
clrex #0
dsb sy
dsb ish
dsb #0
dsb #4
dsb #8
dmb ishld
dmb #0
dmb #12
isb
isb #0
mrs x0, midr_el1
mrs x0, mpidr_el1
mrs x1, currentel
mrs x2, pmccntr_el0
mrs x3, pmcr_el0
mrs x4, pmevcntr30_el0
mrs x5, pmevtyper0_el0
mrs x6, pmuserenr_el0
mrs x7, cntvct_el0
mrs x8, s3_7_c15_c15_7
mrs xzr, s2_0_c0_c0_0
msr pmccntr_el0, x0
msr pmcr_el0, xzr
msr pmselr_el0, x1
msr pmcntenset_el0, x2
msr vbar_el1, x3
msr daif, x4
msr nzcv, x5
msr spsel, x6
msr s3_0_c15_c0_0, x7
msr dbgdtrtx_el0, x8
mrs x9, dbgdtrrx_el0
sys #0, c7, c5, #0
sys #0, c7, c5, #0, x1
sys #7, c15, c15, #7
sys #7, c15, c15, #7, x3
sysl x0, #0, c0, c0, #0
sysl xzr, #7, c15, c15, #7
dc civac, x0
dc zva, x1
dc cvau, xzr
ic ivau, x2
ic ialluis
tlbi vmalle1is
tlbi vae1, x3
at s1e1r, x4
//# class load-store
ldr x0, [x1, #32760]
ldr w0, [sp, #16380]
ldrb w0, [x1, #4095]
ldrh w0, [x1, #8190]
ldrsb x0, [x1, #4095]
ldrsb w0, [x1]
ldrsh x0, [x1, #2]
ldrsh w0, [x1, #8190]
ldrsw x0, [x1, #16380]
strb wzr, [sp]
strh w0, [x1, #2]
str w0, [x1, #4]
str x0, [x1, #8]
prfm pldl1keep, [x0, #32760]
prfm plil3strm, [x0]
prfm pstl2keep, [x0, #8]
prfm #0x1e, [x0]
prfm #0x18, [x0]
prfm #0x7, [x0]
ldur x0, [x1, #-256]
ldur w0, [x1, #255]
ldurb w0, [x1, #-1]
ldursb x0, [x1, #1]
ldursh w0, [x1, #-2]
ldursw x0, [x1, #-4]
stur x0, [sp, #-8]
sturh w0, [x1, #3]
prfum pldl2strm, [x0, #-256]
prfum #0x1f, [x0, #255]
ldr x0, [x1, #-256]!
ldr x0, [x1], #255
ldrb w0, [x1, #0]!
strb w0, [x1], #-256
ldrsw x0, [sp, #-4]!
ldrsh w0, [x1], #1
ldr x1, [x1], #8
str x1, [x1, #8]!
ldtr x0, [x1, #-256]
ldtrb w0, [x1, #255]
ldtrsw x0, [x1]
ldtrsh w0, [x1, #2]
ldtrsb x0, [x1, #-1]
sttr w0, [x1, #4]
sttrb w0, [sp]
ldr x0, [x1, x2]
ldr x0, [x1, x2, lsl #3]
ldr w0, [x1, w2, uxtw]
ldr w0, [x1, w2, uxtw #2]
ldr x0, [x1, w2, sxtw #3]
ldr x0, [x1, x2, sxtx]
ldrb w0, [x1, x2]
ldrb w0, [x1, x2, lsl #0]
ldrb w0, [x1, w2, sxtw]
ldrb w0, [x1, w2, sxtw #0]
ldrsh x0, [x1, x2, lsl #1]
ldrsw x0, [x1, w2, uxtw #2]
strh w0, [sp, xzr, sxtx #1]
prfm pldl1keep, [x0, x1]
prfm pstl3strm, [x0, w1, sxtw #3]
ldr w0, .+0xffffc
ldr x0, .-0x100000
ldrsw x0, .
prfm pldl1strm, .+8
prfm #0x1f, .
ldp x0, x1, [x2, #504]
ldp x0, x1, [x2, #-512]!
ldp w0, w1, [x2], #252
ldp w0, w1, [x2, #-256]
stp x29, x30, [sp, #-16]!
stp w0, w1, [x2], #-4
ldpsw x0, x1, [x2, #-256]
ldpsw x0, x1, [x2, #252]!
ldpsw x0, x1, [sp], #4
ldnp x0, x1, [x2, #-512]
stnp w0, w1, [x2, #252]
ldp x0, x0, [x1]
ldxr x0, [x1]
ldxrb w0, [sp]
ldxrh w0, [x1]
ldaxr w0, [x1]
stxr w0, x1, [x2]
stlxrb w0, w1, [x2]
stlxrh wzr, w1, [sp]
ldxp x0, x1, [x2]
ldaxp w0, w1, [x2]
stxp w0, x1, x2, [x3]
stlxp w0, w1, w2, [sp]
ldar x0, [x1]
ldarb w0, [x1]
ldarh w0, [x1]
stlr w0, [sp]
stlrb w0, [x1]
stlrh w0, [x1]
//# class atomics
ldadd w0, w1, [x2]
ldadda x0, x1, [sp]
ldaddl w0, w1, [x2]
ldaddal x0, x1, [x2]
ldaddb w0, w1, [x2]
ldaddh w0, w1, [x2]
ldclr x0, x1, [x2]
ldeoral w0, w1, [x2]
ldset x0, x1, [x2]
ldsmax w0, w1, [x2]
ldsmin x0, x1, [x2]
ldumax w0, w1, [x2]
ldumin x0, x1, [x2]
ldumaxalh w0, w1, [x2]
stadd w0, [x1]
staddl x0, [x1]
ldadda w0, wzr, [x1]
staddb w0, [x1]
stclrlh w0, [x1]
steor x0, [x1]
stset w0, [x1]
stsmax x0, [x1]
stsmin w0, [x1]
stumax w0, [x1]
stuminl x0, [x1]
swp w0, w1, [x2]
swpal x0, x1, [x2]
swpb w0, wzr, [x2]
swpah w0, w1, [sp]
cas w0, w1, [x2]
casa x0, x1, [x2]
casl w0, w1, [x2]
casal x0, x1, [sp]
casb w0, w1, [x2]
casalh w0, w1, [x2]
casp x0, x1, x2, x3, [x4]
caspa w0, w1, w2, w3, [x4]
caspl x30, xzr, x28, x29, [x4]
caspal w0, w1, w2, w3, [sp]
