#!/usr/bin/env python3
"""Drives a firmware console the way a person does: wait for the prompt, type one line.

usage: session.py PROMPT SCRIPT -- COMMAND...
Runs COMMAND with a pipe as its console, waits for PROMPT before sending each line of SCRIPT
(a first Enter stops the countdown of U-Boot ("Hit any key") or of the UEFI shell ("Press ESC")), and prints the
console transcript from the first PROMPT on, with escape sequences removed. Typing only at the
prompt makes the transcript independent of how fast the machine runs, so QEMU's and a64trap's
can be compared byte for byte. Exits 1 if a prompt does not come within the timeout.
"""
import os, re, select, subprocess, sys, time

def main():
    prompt, script = sys.argv[1].encode(), sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    lines = open(script).read().splitlines()
    timeout = float(os.environ.get("SESSION_TIMEOUT", "240"))
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = b""
    seen = 0          # how much of out has been searched for the prompt
    started = False
    deadline = time.monotonic() + timeout
    while True:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
        if time.monotonic() > deadline:
            p.kill()
            sys.stdout.write(clean(out))
            print(f"\nsession.py: no prompt within {timeout:.0f} s", file=sys.stderr)
            return 1
        if not started and (b"Hit any key" in out or b"Press ESC" in out):
            p.stdin.write(b"\r"); p.stdin.flush()   # stop the autoboot countdown
            started = True
        i = out.find(prompt, seen)
        if i >= 0:
            seen = i + len(prompt)
            if lines:
                p.stdin.write(lines.pop(0).encode() + b"\r"); p.stdin.flush()
                deadline = time.monotonic() + timeout
            elif p.poll() is None:
                p.stdin.close()
    p.wait()
    first = out.find(prompt)
    sys.stdout.write(clean(out[first:] if first >= 0 else out))
    return 0

def clean(b):
    t = b.decode("latin-1").replace("\r", "")
    return re.sub(r"\x1b\[[0-9;=?]*[A-Za-z]", "", t)

if __name__ == "__main__":
    sys.exit(main())
