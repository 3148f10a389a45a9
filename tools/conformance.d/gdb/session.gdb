# gdb-multiarch batch script for tools/conformance.d/30-gdb; @PORT@ is replaced by the port.
set pagination off
set confirm off
set width 0
set height 0
echo == target remote\n
target remote 127.0.0.1:@PORT@
echo == info registers\n
info registers
echo == stepi\n
stepi
x/i $pc
echo == catch sysreg / continue\n
monitor catch sysreg DAIF
continue
x/i $pc - 4
p/x $x20
monitor catch sysreg off
echo == catch in the step over a breakpoint\n
monitor catch sysreg SPSEL
break *$pc
continue
x/i $pc - 4
monitor catch sysreg off
delete
echo == break / continue\n
break printf_
continue
x/i $pc
info breakpoints
delete
echo == x/8xw $sp\n
x/8xw $sp
echo == p $PMCCNTR_EL0 $SCTLR_EL1 $CNTVCT_EL0\n
p/x $PMCCNTR_EL0
p/x $PMCR_EL0
p/x $SCTLR_EL1
p $CNTVCT_EL0
echo == monitor pmu\n
monitor pmu
echo == monitor host\n
monitor host
echo == monitor help\n
monitor help
echo == set a register\n
set $saved = $x19
set $x19 = 0x1234abcd
p/x $x19
p/x $x19 + 1
set $x19 = $saved
echo == fpu registers\n
set $v1.d.u[1] = 0x1122334455667788
set $v1.s.u[0] = 0xdeadbeef
p/x $v1.d.u
p $v1.b.u[15]
p/x $v1.q.u
set $fpcr = 0x00c00000
p/x $fpcr
p/x $fpsr
set $v1.d.u[0] = 0
set $v1.d.u[1] = 0
set $fpcr = 0
echo == detach\n
detach
echo == end\n
