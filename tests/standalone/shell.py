"""The standalone's shell through a pseudo-terminal, in the empty root
that scripts/check-standalone made (no terminfo database there): typing,
backspace and the result, for TERM=xterm-256color and TERM=dumb.  Run by
the host's python3.11 (pexpect):  shell.py CHROOT ROOT"""
import sys

import pexpect

chroot, root = sys.argv[1:]
failures = 0
for term in ("xterm-256color", "dumb"):
    child = pexpect.spawn(chroot, [root, "/bin/pyhost-standalone", "-q"],
                          env={"TERM": term, "HOME": "/work", "PATH": "/bin"},
                          encoding="utf-8", timeout=10)
    child.expect(">>> ")
    child.send("1+23\x7f\x7f2\r")  # two backspaces: 1+2
    child.expect(">>> ")
    answer = child.before.splitlines()[-1].strip()
    child.send("\x04")
    child.expect(pexpect.EOF)
    ok = answer == "3"
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} shell, TERM={term}: 1+23<BS><BS>2 gives {answer!r}")
sys.exit(1 if failures else 0)
