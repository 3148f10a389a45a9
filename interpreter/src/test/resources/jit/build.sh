#!/usr/bin/env bash
# Rebuilds sysreg-mix.bin (a raw image loaded at 0x40000000) from sysreg-mix.S with binutils 2.40.
set -euo pipefail
cd "$(dirname "$0")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
aarch64-linux-gnu-as -o "$tmp/mix.o" sysreg-mix.S
aarch64-linux-gnu-ld -Ttext=0x40000000 -o "$tmp/mix.elf" "$tmp/mix.o"
aarch64-linux-gnu-objcopy -O binary "$tmp/mix.elf" sysreg-mix.bin
