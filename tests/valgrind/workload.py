"""A workload for valgrind (make check-valgrind): every method of both
modules, errors included, on small data, so that memcheck sees each C
path of the modules at least once."""
import array
import copy
import pickle

import hash_set
import hashset
import point

s = hashset.HashSet(range(2000))
s.update(array.array("Q", range(5000, 6000)), array.array("b", [1, 2]),
         b"abc", [2**64 - 1, 0])
for bad in ("a", -1, 2**64, 1.5, None, [1, "x"]):
    for method in (s.add, s.update):
        try:
            method(bad if method is s.add else [bad])
        except (TypeError, OverflowError):
            pass
assert 2.0 in s and "a" not in s and -1 not in s
t = s.copy()
t |= {10**6}
t &= set(range(3000))
t -= {5}
t ^= {1, 2, 7000}
u = (s | t) - (s & t) ^ hashset.HashSet([3])
assert s.issubset(range(10**4)) is False
assert s.issuperset([1, 2]) and not s.isdisjoint([1])
assert s == hashset.HashSet(s) and s >= t - {7000} or True
s.intersection_update(range(0, 10**5, 2), range(0, 10**5, 3))
s.difference_update([0, 6])
s.symmetric_difference_update([6, 12, 13])
it = iter(s)
next(it)
s.add(10**9)
try:
    next(it)
except RuntimeError:
    pass
while len(s) > 10:
    s.pop()
s.remove(next(iter(s)))
for clone in (pickle.loads(pickle.dumps(s)), copy.copy(s), copy.deepcopy(s)):
    assert clone == s
repr(s), s.__sizeof__(), hash_set.HashSet is hashset.HashSet
s.clear()
p = point.Point(13, 42)
q = pickle.loads(pickle.dumps(p))
assert p == q and hash(p) == hash(q) and repr(p) == "Point(x=13.0, y=42.0)"
match p:
    case point.Point(x, y):
        assert (x, y) == (13.0, 42.0)
print("valgrind workload: ok")
