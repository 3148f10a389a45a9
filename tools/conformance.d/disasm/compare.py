#!/usr/bin/env python3
"""Compares a64trap's disassembly of raw words with aarch64 objdump's.

usage: compare.py LABEL OURS.tsv   (OURS.tsv: 'word<TAB>text' lines from 'a64trap disasm')

Rules: a word a64trap decodes must print exactly as objdump prints it; a word a64trap calls
UNDEFINED must be undefined for objdump too, or belong to an instruction class outside the
covered set (counted per class). Prints 'N passed, N failed'; exit 1 on any failure.
"""
import os, re, struct, subprocess, sys, tempfile
from collections import Counter

OBJDUMP = os.environ.get("OBJDUMP", "aarch64-linux-gnu-objdump")
label, ours_path = sys.argv[1], sys.argv[2]

ours = []
with open(ours_path) as f:
    for line in f:
        w, text = line.rstrip("\n").split("\t", 1)
        ours.append((int(w, 16), text))

with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
    f.write(b"".join(struct.pack("<I", w) for w, _ in ours))
    binpath = f.name
out = subprocess.run([OBJDUMP, "-D", "-b", "binary", "-m", "aarch64", binpath],
                     capture_output=True, text=True, check=True).stdout
os.unlink(binpath)
theirs = []
for line in out.splitlines():
    parts = line.split("\t", 2)
    if len(parts) == 3 and parts[0].strip().endswith(":") and re.fullmatch(r"[0-9a-f]{8} ", parts[1]):
        theirs.append(parts[2])
assert len(theirs) == len(ours), (len(theirs), len(ours))

# Instruction classes outside the covered integer/system set, recognised from objdump's text.
CLASSES = [
    ("sve/sme", r"(^|[\s{,\[])(z\d+|p\d+|za\w*)\b|^(smstart|smstop|zero|rdsvl|addsvl|addspl|addvl|addpl|rdvl|cnt[bhwd]|(sq|uq)?(inc|dec)[bhwd]|cterm(eq|ne))\b"),
    ("fp/simd", r"(^|[\s{,\[])([vqdshb]\d+)\b|^f\w+|^(ld|st)[1-4]\b|^(scvtf|ucvtf|aes|sha|sm3|sm4)"),
    ("pauth", r"^(pac|aut|xpac|braa|brab|blraa|blrab|retaa|retab|eretaa|eretab|ldraa|ldrab)"),
    ("mte", r"^(irg|gmi|subps?|addg|subg|stg|stzg|st2g|stz2g|stgp|ldg|ldgm|stgm|stzgm|cmpp)\b"),
    ("mops", r"^(cpy|set[pme]|setg[pme])\w*"),
    ("rcpc", r"^(ldapr|ldapur|stlur)\w*"),
    ("lor", r"^(ldlar|stllr)\w*"),
    ("flagm", r"^(cfinv|rmif|setf8|setf16|xaflag|axflag)\b"),
    ("debug", r"^(drps|dcps[123])\b"),
    ("xs", r"^dsb\t\w+nxs"),
    ("sb/tme", r"^(sb|tcommit|tstart|ttest|tcancel)\b"),
    ("wfxt", r"^(wfet|wfit)\b"),
    ("cssc", r"^(abs|cnt|ctz|smax|smin|umax|umin)\b"),
    ("hbc", r"^bc\."),
    ("ls64", r"^(ld64b|st64b|st64bv|st64bv0)\b"),
    ("pstate-ext", r"^msr\t(uao|pan|ssbs|dit|tco|allint|svcr\w*), #"),
    ("op0=0 unallocated (objdump: msr/mrs s0_*)", r"^(msr\ts0_|mrs\t\w+, s0_)"),
]

def classify(text):
    for name, rx in CLASSES:
        if re.search(rx, text):
            return name
    return None

passed = failed = 0
undef = Counter()
fails = []
for (w, mine), obj in zip(ours, theirs):
    mine_undef = mine.startswith(".inst\t") and mine.endswith("; undefined")
    obj_undef = obj.startswith(".inst\t") and (obj.endswith("; undefined") or obj.endswith("; NYI"))
    if not mine_undef:
        ok = mine == obj
    elif obj_undef:
        ok = True
        undef["undefined for objdump too"] += 1
    else:
        c = classify(obj)
        ok = c is not None
        if ok:
            undef[c] += 1
    if ok:
        passed += 1
    else:
        failed += 1
        fails.append("%08x\n  a64trap: %s\n  objdump: %s" % (w, mine, obj))

for f in fails[:int(os.environ.get("SHOW", "40"))]:
    print(f)
if undef:
    print("[%s] UNDEFINED in a64trap, by class:" % label)
    for k, v in sorted(undef.items(), key=lambda kv: -kv[1]):
        print("  %7d  %s" % (v, k))
print("[%s] %d passed, %d failed" % (label, passed, failed))
sys.exit(1 if failed else 0)
