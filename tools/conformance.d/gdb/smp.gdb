# gdb-multiarch batch script for tools/conformance.d/30-gdb (smp.elf, --smp 8); @PORT@ is replaced by the port.
set pagination off
set confirm off
set width 0
set height 0
echo == target remote\n
target remote 127.0.0.1:@PORT@
info threads
echo == break secondary_main\n
break secondary_main
continue
info threads
p/x $x0
thread 1
x/i $pc
echo == second secondary\n
continue
info threads
p/x $x0
delete
echo == stepi on thread 3\n
thread 3
stepi
x/i $pc
info threads
echo == detach\n
detach
