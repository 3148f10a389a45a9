#!/bin/sh
# Assembles every exported counterexample guest DIR/*.S with binutils and checks the bytes equal the
# exporter's own DIR/*.bin (the exporter encodes without an assembler). Usage: tools/check-guest-export.sh DIR
set -e
dir=${1:?usage: $0 DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for s in "$dir"/*.S; do
    [ -e "$s" ] || { echo "no .S files in $dir" >&2; exit 2; }
    b=${s%.S}.bin
    aarch64-linux-gnu-as "$s" -o "$tmp/o.o"
    aarch64-linux-gnu-objcopy -O binary "$tmp/o.o" "$tmp/o.bin"
    cmp "$tmp/o.bin" "$b"
    n=$((n + 1))
done
echo "$n exported guest(s): assembler output identical to the .bin"
