#!/usr/bin/env python3
"""Compares the per-sequence dumps of QEMU, a64trap (JIT) and a64trap --no-jit.

usage: compare.py SEQS.S QEMU.out JIT.out INTERP.out SHOW
Prints the first SHOW differing sequences (with their instructions), then 'PASSED FAILED' as
the last line.
"""
import re, sys

src, files, show = sys.argv[1], sys.argv[2:5], int(sys.argv[5])

def blocks(path):
    out, cur = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"seq (\d+) ", line)
            if m:
                cur = int(m.group(1))
                out[cur] = [line]
            elif cur is not None and line.startswith(" v"):
                out[cur].append(line)
    return out

insns, cur = {}, []
with open(src) as f:
    for line in f:
        line = line.strip()
        if line.startswith(".inst"):
            cur.append(line.split()[1])
        m = re.match(r"mov x0, #(\d+)", line)
        if m:
            insns[int(m.group(1))] = cur
            cur = []

qemu, jit, interp = (blocks(p) for p in files)
passed = failed = 0
for seq in sorted(insns):
    want = qemu.get(seq)
    ok = want is not None and jit.get(seq) == want and interp.get(seq) == want
    if ok:
        passed += 1
        continue
    failed += 1
    if failed <= show:
        print("sequence %d: %s" % (seq, " ".join(insns[seq])))
        for name, got in (("jit", jit.get(seq)), ("interp", interp.get(seq))):
            if got != want:
                for a, b in zip(want or ["(missing)\n"], got or ["(missing)\n"]):
                    if a != b:
                        print("  qemu:   " + a.rstrip())
                        print("  %-7s " % (name + ":") + b.rstrip())
print("%d %d" % (passed, failed))
