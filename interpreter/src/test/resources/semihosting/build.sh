#!/bin/sh
# Rebuilds the semihosting probe and, with --record, re-records QEMU's answers (stdin "xyzQ",
# -append "a  b c"; exit status 52 expected). Run from this directory.
set -e
aarch64-linux-gnu-gcc -O1 -ffreestanding -nostdlib -mgeneral-regs-only -fno-pic -static \
  -Wl,-T,../elf/test.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o semi.elf start.S semi.c
if [ "$1" = --record ]; then
  printf 'xyzQ' | qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M -nographic -semihosting \
    -kernel semi.elf -append "a  b c" > semi.elf.qemu-stdout.txt 2> semi.elf.qemu-stderr.txt || echo "exit status $?"
fi
