set pagination off
set architecture aarch64
target remote 127.0.0.1:PORT
info registers
p $PMCCNTR_EL0
set $PMCCNTR_EL0 = 42
p $PMCCNTR_EL0
info threads
stepi
p/x $pc
x/4xw 0x40000000
break *0x40000040
continue
p/x $pc
watch *(long*)0x40000800
set $x1 = 0x40000800
continue
delete
monitor help
monitor pmu
set $x3 = 0x1234
p/x $x3
p $cpsr
detach
