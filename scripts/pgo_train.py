"""pyhost's own part of the PGO training (scripts/build-standalone --opt):
run inside a pyhost linked with the instrumented libpython, after
CPython's --pgo task, so that the profile also sees what the modules'
benchmark does through the interpreter (HashSet and Point, built, probed,
iterated, read).  It must not run bench.py's pure-Python workload: that
is what measures the optimised build (make bench), and a profile trained
on it would flatter the figure.
"""
import array
import random

import hashset
import point

KEYS = 200_000

rng = random.Random(18)
keys = [rng.getrandbits(64) for _ in range(KEYS)]
s = hashset.HashSet()
for key in keys:
    s.add(key)
hits = sum(1 for key in keys if key in s)
bulk = hashset.HashSet(array.array("Q", keys))
assert hits == KEYS and len(bulk) == len(s)
total = 0
for key in bulk:
    total ^= key
for key in keys[::2]:
    s.discard(key)
while s:
    s.pop()

p = point.Point(1.0, 2.0)
reads = 0.0
for i in range(KEYS):
    q = point.Point(float(i), i)
    reads += q.x + p.y
