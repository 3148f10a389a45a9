#!/bin/sh
# Rebuilds the committed test ELFs (needs aarch64-linux-gnu-gcc). Run from this directory.
set -e
CFLAGS="-O1 -ffreestanding -nostdlib -mgeneral-regs-only -fno-pic -static"
LDFLAGS="-Wl,-T,test.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096"
aarch64-linux-gnu-gcc $CFLAGS $LDFLAGS -o hello.elf hello.c
aarch64-linux-gnu-gcc $CFLAGS $LDFLAGS -s -o hello-stripped.elf hello.c
# A relocatable object: valid AArch64 ELF, but not an executable.
aarch64-linux-gnu-gcc $CFLAGS -c -o hello.o hello.c
