#!/bin/sh
# Rebuilds the boot-state probes (needs aarch64-linux-gnu-gcc, python3) and, with --record, re-records what
# QEMU's -kernel boot gives them at entry (qemu-system-aarch64). Run from this directory.
set -e
CF="-O1 -ffreestanding -nostdlib -mgeneral-regs-only -fpie -static -Wl,--build-id=none"
aarch64-linux-gnu-gcc $CF -DTEXT_OFFSET=0 -Wl,-T,elf.ld -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments -o probe.elf probe.S report.c
aarch64-linux-gnu-gcc $CF -DTEXT_OFFSET=0 -Wl,-T,img.ld -Wl,--no-warn-rwx-segments -o probe-img.elf probe.S report.c
aarch64-linux-gnu-objcopy -O binary probe-img.elf probe.Image
aarch64-linux-gnu-gcc $CF -DTEXT_OFFSET=0x80000 -Wl,-T,img.ld -Wl,--no-warn-rwx-segments -o probe-img80.elf probe.S report.c
aarch64-linux-gnu-objcopy -O binary probe-img80.elf probe80.Image
aarch64-linux-gnu-gcc $CF -DNOHEADER -Wl,-T,img.ld -Wl,--no-warn-rwx-segments -o probe-raw.elf probe.S report.c
aarch64-linux-gnu-objcopy -O binary probe-raw.elf probe.raw
rm -f probe-img.elf probe-img80.elf probe-raw.elf
gzip -9 -n -c probe.Image > probe.Image.gz
python3 mkuimage.py probe.uimg probe.raw 5 2 0 0x40200000 0x40200000       # Linux kernel at 2 MiB
python3 mkuimage.py probe-gz.uimg probe.raw 5 2 1 0x40400000 0x40400000    # the same, gzip, at 4 MiB
python3 mkuimage.py probe-bare.uimg probe.raw 17 2 0 0x40200000 0x40200000 # not Linux: direct jump
if [ "$1" = --record ]; then
  for k in probe.elf probe.Image probe80.Image probe.Image.gz probe.raw probe.uimg probe-gz.uimg probe-bare.uimg; do
    qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M -nographic -semihosting -kernel $k 2> $k.qemu.txt  # semihosting output goes to stderr in QEMU
  done
fi
