#!/bin/sh
# Rebuilds the PSCI probe and, with --record, re-records QEMU's answers (exit status 0 expected:
# the probe ends with PSCI SYSTEM_OFF). "esr" is ESR_EL1 when the call trapped (SMC: UNDEFINED).
set -e
aarch64-linux-gnu-gcc -O1 -ffreestanding -nostdlib -mgeneral-regs-only -fno-pic -static \
  -Wl,-T,../elf/test.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o psci.elf start.S psci.c
if [ "$1" = --record ]; then
  qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M -nographic -semihosting -kernel psci.elf \
    2> psci.elf.qemu-stderr.txt || echo "exit status $?"
fi
