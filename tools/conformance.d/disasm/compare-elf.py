#!/usr/bin/env python3
"""Compares 'a64trap disasm IMAGE' with 'objdump -d IMAGE', instruction line by instruction line.

usage: compare-elf.py A64TRAP IMAGE...
Each 'address: word text' line of objdump must appear identically in a64trap's listing (text
includes the <symbol+0x..> annotations of branch targets). Prints 'N passed, N failed'.
"""
import os, re, subprocess, sys

OBJDUMP = os.environ.get("OBJDUMP", "aarch64-linux-gnu-objdump")
LINE = re.compile(r"^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$")

def lines(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    res = {}
    for l in out.stdout.splitlines():
        m = LINE.match(l)
        if m:
            res[int(m.group(1), 16)] = (m.group(2), m.group(3))
    return res, None

a64trap, images = sys.argv[1], sys.argv[2:]
passed = failed = 0
shown = 0
limit = int(os.environ.get("SHOW", "40"))
for img in images:
    theirs, err = lines([OBJDUMP, "-d", img])
    if theirs is None:
        print("%s: objdump failed: %s" % (img, err))
        failed += 1
        continue
    ours, err = lines([a64trap, "disasm", img])
    if ours is None:
        print("%s: a64trap failed: %s" % (img, err))
        failed += 1
        continue
    bad = 0
    for addr, (word, text) in sorted(theirs.items()):
        mine = ours.get(addr)
        if mine == (word, text):
            passed += 1
        else:
            failed += 1
            bad += 1
            if shown < limit:
                shown += 1
                print("%s %x %s\n  a64trap: %s\n  objdump: %s" % (os.path.basename(img), addr, word,
                      mine[1] if mine else "(missing)", text))
    print("[elf] %s: %d instructions, %d mismatches" % (os.path.basename(img), len(theirs), bad))
print("[elf] %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
