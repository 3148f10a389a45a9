#!/usr/bin/env bash
# Regenerates all golden test data of the decode package from the real tools.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
res="$here/../../../interpreter/src/test/resources/decode"
aarch64-linux-gnu-gcc -O2 -march=armv8.1-a -ffreestanding -nostdlib -static -mgeneral-regs-only \
  -Wl,-Ttext=0x40080000 -o "$res/listing.elf" "$here/listing.c"
(cd "$res" && aarch64-linux-gnu-objdump -d listing.elf > listing.elf.objdump)
python3 "$here/gen-golden.py"
