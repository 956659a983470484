"""pyhost's benchmarks: HashSet and Point against their built-in peers, and
pyhost against python3.11, side by side in one run.

Run inside pyhost (make bench):
    build/pyhost scripts/bench.py --pyhost build/pyhost \
        --reference /usr/bin/python3.11 [--quick]

Every timing is the median of REPEAT runs on the same data for both sides,
reported per call (ns) or per key; ratios are HashSet/set (or pyhost/
python3.11), so below 1.0 means we are faster.  Memory per element is
measured two ways: the RSS growth of a fresh process that builds the set
from chunks (so the input data is not counted), and sys.getsizeof (for a
set, plus the int objects it holds).  Start-up and the pure-Python workload
run both interpreters from outside, interleaved.  The table goes to stdout
and to bench/results.md; bench/chart.svg plots bytes per element and ns per
call across sizes (gnuplot).
"""
import argparse
import array
import collections
import datetime
import gc
import itertools
import json
import operator
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import tracemalloc

import hashset
import point

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "bench")
REPEAT = 5
# Runs of each command for a start-up median, alternating with the
# reference's: a run takes about 12 ms, and single runs on a shared
# machine spread by 30% or more; a 2% difference needs a few hundred.
STARTUP_RUNS = 200
# Runs of each workload (0.1-0.2 s each), alternating likewise: their CPU
# times spread by 5-10% on this shared machine, their wall times more.
WORKLOAD_RUNS = 41


def progress(message):
    print(message, file=sys.stderr, flush=True)


def median_time(function, repeat=REPEAT):
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter_ns()
        function()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times)


def timed(function):
    """A run of function() in ns, after a collection, as median_time's."""
    def run():
        gc.collect()
        start = time.perf_counter_ns()
        function()
        return time.perf_counter_ns() - start
    return run


def paired(ours, theirs, repeat=REPEAT):
    """Medians of `repeat` runs of each of two measurements (functions
    returning ns), interleaved and in turn first: the load of a shared
    machine moves within a minute, and two medians taken one after the
    other compared two loads (add of present keys at 1e6 read 1.60 in one
    run, 0.94 in the next)."""
    ours_ns, theirs_ns, _ = paired_with_ratio(ours, theirs, repeat)
    return ours_ns, theirs_ns


def paired_with_ratio(ours, theirs, repeat=REPEAT):
    """paired's medians, and the median of the ratios of the runs taken
    side by side: the load moves between pairs more than within one, and
    rows within a few percent of set read 0.88 in one run and 1.07 in the
    next as ratios of medians."""
    times = ([], [])
    for i in range(repeat):
        for side in ((0, 1) if i % 2 == 0 else (1, 0)):
            times[side].append((ours, theirs)[side]())
    ratios = [a / b for a, b in zip(*times) if b]
    return (statistics.median(times[0]), statistics.median(times[1]),
            statistics.median(ratios) if ratios else float("nan"))


def per_call(function, calls=1000, repeat=REPEAT):
    """ns a call, over runs of `calls` calls.  A call of well under a
    microsecond timed alone after gc.collect() measured the caches that
    the collection left cold (it walks a set's elements, not a HashSet's)
    more than the call: 10-13 us for 10 lookups, and small.isdisjoint(big)
    read 1.23 in one such run, where over 1000 calls it is at par or
    better."""
    def run():
        for _ in range(calls):
            function()
    return lambda: timed(run)() / calls


def random_keys(n, seed=1):
    rng = random.Random(seed)
    return [rng.getrandbits(64) for _ in range(n)]


# ---- per-call operations ----

def adds(cls, keys):
    """A run building a set of `keys` by add from empty."""
    def run():
        s = cls()
        add = s.add
        for k in keys:
            add(k)
    return run


def lookups_of(s, keys):
    """A run of `k in s` for each key."""
    def run():
        for k in keys:
            k in s
    return run


def per_call_add(cls, keys):
    return median_time(adds(cls, keys)) / len(keys)


def per_call_in(s, keys):
    return median_time(lookups_of(s, keys)) / len(keys)


def per_call_pair(ours, theirs, calls):
    """ns a call of two runs of `calls` calls each (functions of no
    argument), timed as paired_with_ratio times them: the rows at 1e6
    keys, timed one side after the other, read 0.82 in one run and 1.16
    in the next (in/contains) where the paired rows at 1e6 read 0.85."""
    ours_ns, theirs_ns, ratio = paired_with_ratio(timed(ours), timed(theirs))
    return ours_ns / calls, theirs_ns / calls, ratio


def per_call_iterate(s):
    def run():
        for _ in s:
            pass
    return median_time(run) / len(s)


def per_call_len(s, count=10**6):
    def run():
        for _ in range(count):
            len(s)
    return median_time(run) / count


def median_on_fresh_sets(cls, keys, loop):
    """Times loop(s) on a fresh set of keys each run, the building left
    out of the timing."""
    times = []
    for _ in range(REPEAT):
        s = cls(keys)
        gc.collect()
        start = time.perf_counter_ns()
        loop(s)
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / len(keys)


def per_call_pop(cls, keys):
    def loop(s):
        pop = s.pop
        for _ in range(len(keys)):
            pop()
    return median_on_fresh_sets(cls, keys, loop)


def per_call_discard(cls, keys):
    def loop(s):
        discard = s.discard
        for k in keys:
            discard(k)
    return median_on_fresh_sets(cls, keys, loop)


def empty_call_floor(keys):
    """A loop calling a trivial C method with one argument: the cost of
    the Python-level call itself, below which no method can go."""
    probe = {}.get

    def run():
        for k in keys:
            probe(k)
    return median_time(run) / len(keys)


# ---- per size: small sets are the common case ----

def per_size_rows(rows, n, repeat):
    """add (building from empty, and of present keys), in, discard and pop
    per call at n keys, over enough fresh sets for about 1e6 calls.

    Each set gets keys of its own, as the sets of a program do.  Sets of
    the very same keys are measured too, and apart: set's tables of equal
    keys are laid out alike (an int's hash is the int), so the branches of
    its probe and pop loops repeat from one set to the next and the
    processor learns them; each HashSet table hashes with a seed of its
    own (issue 12's related-sets finding), so its branches never repeat."""
    sets = max(1, 10**6 // n)
    all_keys = random_keys(sets * n, seed=n)
    key_sets = [all_keys[i * n:(i + 1) * n] for i in range(sets)]
    same_keys = [key_sets[0]] * sets

    calls = sets * n

    def build(cls, keyed=key_sets):
        def run():
            for keys in keyed:
                s = cls()
                add = s.add
                for k in keys:
                    add(k)
        return timed(run)

    def on_each(cls, method, own_ints=False, keyed=key_sets):
        # own_ints: each set is built from ints of its own, which pop then
        # hands out as the only reference (a set emptied as a work list);
        # otherwise the ints of the key lists stay alive beside the set.
        def measure():
            fresh = [cls(k ^ 0 for k in keys) if own_ints else cls(keys)
                     for keys in keyed]
            gc.collect()
            start = time.perf_counter_ns()
            for s, keys in zip(fresh, keyed):
                call = getattr(s, method)
                if method == "pop":
                    for _ in range(n):
                        call()
                else:
                    for k in keys:
                        call(k)
            return time.perf_counter_ns() - start
        return measure

    def lookups(cls):
        keys = key_sets[0]
        s = cls(keys)

        def run():
            for _ in range(sets):
                for k in keys:
                    k in s
        return timed(run)

    def pair_row(name, ours, theirs, target="<= 1.00"):
        ours_ns, theirs_ns, ratio = paired_with_ratio(ours, theirs, repeat)
        row(rows, name, ours_ns / calls, theirs_ns / calls, "ns", target,
            ratio)

    label = f"{n:.0e}"
    pair_row(f"build by add from empty, {label}", build(hashset.HashSet),
             build(set))
    pair_row(f"add of present keys, {label}", on_each(hashset.HashSet, "add"),
             on_each(set, "add"))
    pair_row(f"in, hits, {label}", lookups(hashset.HashSet), lookups(set))
    pair_row(f"discard, {label}", on_each(hashset.HashSet, "discard"),
             on_each(set, "discard"))
    pair_row(f"pop, {label}", on_each(hashset.HashSet, "pop"),
             on_each(set, "pop"))
    pair_row(f"pop, {label}, the set's own ints",
             on_each(hashset.HashSet, "pop", True), on_each(set, "pop", True))
    if sets > 1:
        pair_row(f"build by add from empty, {label}, every set the same "
                 "keys", build(hashset.HashSet, same_keys),
                 build(set, same_keys), None)
        pair_row(f"pop, {label}, every set the same keys",
                 on_each(hashset.HashSet, "pop", keyed=same_keys),
                 on_each(set, "pop", keyed=same_keys), None)


# ---- the paths where HashSet once lost to set ----

def bulk_rows(rows, quick):
    """contains_many, to_array, to_bytes and from_bytes (issue 17), each
    beside the built-in or numpy way of doing the same."""
    try:
        import numpy
    except ImportError:
        numpy = None
    rng = random.Random(17)
    for n in ([10**6] if quick else [10**6, 10**7]):
        elements = array.array("Q", random_keys(n, seed=17))
        s = hashset.HashSet(elements)
        probe = array.array("Q", list(elements[:500000])
                            + [rng.getrandbits(64) for _ in range(500000)])
        rng.shuffle(probe)
        label = f"{n:.0e}"
        many = median_time(lambda: s.contains_many(probe), 5) / len(probe)
        if n == 10**6:
            builtin = set(elements)
            values = list(probe)
            row(rows, f"contains_many, 1e6 keys (half in) vs [k in set], "
                f"{label} set", many,
                median_time(lambda: [k in builtin for k in values], 3)
                / len(probe), "ns", "<= 0.20")
            del builtin, values
            if numpy is not None:
                held = numpy.frombuffer(elements, dtype=numpy.uint64)
                asked = numpy.frombuffer(probe, dtype=numpy.uint64)
                row(rows, f"contains_many vs numpy.isin, {label} set", many,
                    median_time(lambda: numpy.isin(asked, held), 3)
                    / len(probe), "ns", "<= 1.00")
        else:
            row(rows, f"contains_many, 1e6 keys, {label} set (ns a key)",
                many, 40, "ns", "<= 1.00")
        # The target is at 1e7, where neither side fits in the caches.
        target = "<= 2.00" if n == 10**7 else None
        copy = median_time(lambda: bytes(memoryview(elements)), 5) / 1e6
        row(rows, f"to_array() vs copying its bytes, {label}",
            median_time(s.to_array, 5) / 1e6, copy, "ms", target)
        row(rows, f"to_bytes() vs copying its bytes, {label}",
            median_time(s.to_bytes, 5) / 1e6, copy, "ms", target)
        data = s.to_bytes()
        ours, theirs = paired(
            timed(lambda: hashset.HashSet.from_bytes(data)),
            timed(lambda: hashset.HashSet(elements)), 5)
        row(rows, f"HashSet.from_bytes vs HashSet(array('Q')), {label}",
            ours / 1e6, theirs / 1e6, "ms", "<= 1.00")
        del s, data, elements, probe


def half_overlap_rows(rows, n):
    """Operations on two sets of n keys that share half of them, each
    building or scanning all of both (the paths that once built their
    result a key at a time: a ^ b read 2.72, a | b 1.48)."""
    a_keys = random_keys(n, seed=11)
    b_keys = a_keys[: n // 2] + random_keys(n - n // 2, seed=12)
    pairs = {cls: (cls(a_keys), cls(b_keys)) for cls in (hashset.HashSet, set)}
    cases = (
        ("a | b", lambda a, b: a | b),
        ("a & b", lambda a, b: a & b),
        ("a - b", lambda a, b: a - b),
        ("a ^ b", lambda a, b: a ^ b),
        ("a.copy() ^= b", lambda a, b: a.copy().__ixor__(b)),
        ("a.copy() -= b", lambda a, b: a.copy().__isub__(b)),
        ("a.copy() |= b", lambda a, b: a.copy().__ior__(b)),
        ("a.issuperset(list of b)", lambda a, b: a.issuperset(b_keys)),
        ("a.intersection(list of b)", lambda a, b: a.intersection(b_keys)),
    )
    for name, operation in cases:
        ours, theirs, ratio = paired_with_ratio(
            *[timed(lambda a=a, b=b: operation(a, b))
              for a, b in pairs.values()], 7)
        row(rows, f"{name}, {n:.0e} keys each, half shared", ours / 1e6,
            theirs / 1e6, "ms", "<= 1.00", ratio)


def parity_rows(rows, quick):
    big_n = 10**6 if quick else 3 * 10**6
    big_keys = array.array("Q", random_keys(big_n, seed=3))
    small_keys = list(big_keys[:10])
    operands = {cls: (cls(big_keys), cls(small_keys))
                for cls in (hashset.HashSet, set)}

    def calls(function, *operands_of):
        """ns a call of function on each side's operands, over 2000 calls
        made by map in C: a Python loop and two lambdas a call cost more
        than the operation (about 100 of small.isdisjoint(big)'s 120 ns),
        so that a difference of a third read as one of a few percent."""
        def on(cls):
            arguments = [operands_of_kind(cls, kind) for kind in operands_of]

            def run():
                iterables = [itertools.repeat(a, 2000) for a in arguments]
                start = time.perf_counter_ns()
                collections.deque(map(function, *iterables), 0)
                return (time.perf_counter_ns() - start) / 2000
            return run
        return on(hashset.HashSet), on(set)

    def operands_of_kind(cls, kind):
        return operands[cls][0 if kind == "big" else 1]

    for name, function, kinds in (
            (f"big & small ({big_n:.0e} and 10)", operator.and_,
             ("big", "small")),
            ("small - big", operator.sub, ("small", "big")),
            ("small.isdisjoint(big)", None, ("small", "big"))):
        if function is None:  # the bound method of each side's small set
            ours = calls(operands[hashset.HashSet][1].isdisjoint, "big")[0]
            theirs = calls(operands[set][1].isdisjoint, "big")[1]
        else:
            ours, theirs = calls(function, *kinds)
        ours_ns, theirs_ns, ratio = paired_with_ratio(ours, theirs, 15)
        row(rows, name, ours_ns, theirs_ns, "ns", "<= 1.00", ratio)
    copies = [timed(big.copy) for big, _ in operands.values()]
    ours, theirs = paired(*copies, 3)
    del operands, copies
    row(rows, f"copy() of {big_n:.0e}", ours / 1e6, theirs / 1e6, "ms",
        "<= 1.00")
    half_overlap_rows(rows, 10**6)

    n = 2 * 10**5
    refill = {}
    for cls in (hashset.HashSet, set):
        rnd = random.Random(1)
        a = cls(rnd.getrandbits(64) for _ in range(n))
        c = a.copy()
        c.clear()
        a.update(rnd.getrandbits(64) for _ in range(n))
        half = list(a)[:len(a) // 2]
        refill[cls] = median_time(lambda: c.copy().update(half), 3) / 1e6
    row(rows, "copy+clear+refill from another set's order (2e5)",
        refill[hashset.HashSet], refill[set], "ms", "<= 1.00")

    # Nine runs of each, interleaved and in turn first: the median time,
    # the largest peak.  A single run took 140 or 220 ms, either way for
    # either kind (the machine's, not the sets'), so the fastest of three
    # (as this row once took) read 0.98 in one run and 1.39 in another.
    runs = {"HashSet": [], "set": []}
    for i in range(9):
        for kind in (("HashSet", "set") if i % 2 == 0 else ("set", "HashSet")):
            runs[kind].append(json.loads(subprocess.run(
                [sys.executable, "-c", STREAM_CODE, kind],
                capture_output=True, text=True, check=True).stdout))
    stream = {kind: {"ms": statistics.median(r["ms"] for r in results),
                     "peak": max(r["peak"] for r in results)}
              for kind, results in runs.items()}
    row(rows, "update from a stream of repeats (3e6 values, 1000 keys)",
        stream["HashSet"]["ms"], stream["set"]["ms"], "ms", "<= 1.00")
    row(rows, "  same, peak memory growth", stream["HashSet"]["peak"],
        stream["set"]["peak"], "MiB", "<= 1.00")


STREAM_CODE = """
import json, resource, sys, time, hashset
s = hashset.HashSet() if sys.argv[1] == 'HashSet' else set()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
s.update(i % 1000 for i in range(3 * 10**6))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({'ms': elapsed * 1e3, 'peak': peak / 1024}))
"""

# Peak memory of a bulk build: the growth of the high-water mark of RSS
# during the call, the input (made first) not counted, against the final
# table (sys.getsizeof), in bytes per key.
PEAK_CODE = """
import array, json, random, sys, hashset
n, source = int(sys.argv[1]), sys.argv[2]
rng = random.Random(11)
keys = array.array('Q', (rng.getrandbits(64) for _ in range(n)))
if source == 'list':
    keys = keys.tolist()
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4096
def high_water():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
data = iter(keys) if source == 'iterator' else keys
# Reset the high-water mark to the present RSS (Linux: clear_refs 5).
with open('/proc/self/clear_refs', 'w') as refs:
    refs.write('5')
base = rss()
s = hashset.HashSet(data)
peak = high_water()
print(json.dumps({'peak': max(peak - base, 0) / n,
                  'final': sys.getsizeof(s) / n}))
"""


def peak_rows(rows, sizes):
    for n in sizes:
        if n < 10**6:
            continue
        for source in ("array", "list", "iterator"):
            result = json.loads(subprocess.run(
                [sys.executable, "-c", PEAK_CODE, str(n), source],
                capture_output=True, text=True, check=True).stdout)
            row(rows, f"peak bytes/key building HashSet({source}), {n:.0e}"
                " (vs the final table)", result["peak"], result["final"],
                "B", "<= 2.00")


# ---- memory ----

RSS_CODE = """
import array, json, random, sys, hashset
n, kind, dense = int(sys.argv[1]), sys.argv[2], sys.argv[3] == 'dense'
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4096
rng = random.Random(7)
s = hashset.HashSet() if kind == 'HashSet' else set()
chunk = 100000
before = rss()
for start in range(0, n, chunk):
    size = min(chunk, n - start)
    if dense:
        values = range(start, start + size)
    else:
        values = array.array('Q', (rng.getrandbits(64) for _ in range(size)))
    s.update(values)
    del values
after = rss()
ints = 0 if kind == 'HashSet' else sum(sys.getsizeof(k) for k in s)
print(json.dumps({'rss': (after - before) / n,
                  'getsizeof': (sys.getsizeof(s) + ints) / n}))
"""


def bytes_per_element(n, kind, dense):
    result = subprocess.run([sys.executable, "-c", RSS_CODE, str(n), kind,
                             "dense" if dense else "random"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def iterator_start_bytes(s):
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    iterator = iter(s)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del iterator
    return after - before


# ---- Point ----

class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


Pair = collections.namedtuple("Pair", "x y")


def point_costs(cls, count=10**6):
    """Per call: construction from floats, from ints, and a read of x, as
    functions that time `count` calls (for paired(): Point and a class
    measured one after the other compared two machine loads, p.x against
    a __slots__ class read 1.09 in one run and 1.51 in the next, through
    the same member descriptor)."""
    def construct():
        for i in range(count):
            cls(1.0, 2.0)

    def construct_from_ints():
        for i in range(count):
            cls(1, 2)
    p = cls(1.0, 2.0)

    def access():
        for i in range(count):
            p.x
    return [lambda run=run: timed(run)() / count
            for run in (construct, construct_from_ints, access)]


def point_bytes(cls):
    """An instance with its two floats, by sys.getsizeof."""
    p = cls(1.0, 2.0)
    return sys.getsizeof(p) + sys.getsizeof(p.x) + sys.getsizeof(p.y)


# ---- whole interpreters, from outside ----

WORKLOAD = """
def work():
    counts = {}
    total = 0
    for i in range(600_000):
        total += i * i % 7
        key = "k" + str(i % 1000)
        counts[key] = counts.get(key, 0) + 1
    words = " ".join(str(i) for i in range(200_000)).split()
    return total, len(counts), sum(len(w) for w in words)
work()
"""

# Where python3.11's wider training (Debian's whole test suite) shows:
# objects, recursion, generators, json, re; imports included.
MIXED_WORKLOAD = """
import json, re
class Node:
    def __init__(self, value, children=()):
        self.value, self.children = value, list(children)
def build(depth):
    return Node(depth, [build(depth - 1) for _ in range(2)] if depth else [])
def total(node):
    return node.value + sum(total(c) for c in node.children)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
words = re.compile(r"[a-z]+")
doc = {"items": [{"id": i, "name": f"item{i}", "tags": ["a", "b"]}
                 for i in range(3000)]}
text = json.dumps(doc)
for _ in range(5):
    assert json.loads(text) == doc
total(build(14)), fib(22), len(words.findall(text))
sum(x * x for x in range(100_000) if x % 3)
"""


def interleaved(commands, runs, cpu=None):
    """Median wall time of each command, in ns, over `runs` rounds; the
    order of the commands is reversed every other round, so that neither
    always runs first.  With a dict `cpu`, it also receives each
    command's median CPU time (user + system, from wait4), in ns: on a
    shared machine the wall time also counts the waits for a core."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    times = {name: [] for name in commands}
    cpu_times = {name: [] for name in commands}
    names = list(commands)
    for turn in range(runs):
        for name in names if turn % 2 == 0 else reversed(names):
            start = time.perf_counter_ns()
            child = subprocess.Popen(commands[name], env=env,
                                     stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            times[name].append(time.perf_counter_ns() - start)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0:
                raise subprocess.CalledProcessError(child.returncode,
                                                    commands[name])
            cpu_times[name].append((usage.ru_utime + usage.ru_stime) * 1e9)
    if cpu is not None:
        cpu.update({name: statistics.median(t)
                    for name, t in cpu_times.items()})
    return {name: statistics.median(t) for name, t in times.items()}


def callgrind_instructions(command):
    """Instructions executed (valgrind's count: exact, not timed)."""
    try:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
            + command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in result.stderr.splitlines():
        if "Collected" in line:
            return int(line.split()[-1])
    return None


def interpreter_rows(rows, args, exe, label, target=None):
    """Start-up and the two workloads, in time and in instructions, exe
    against python3.11; label names the build in each row.  Neither
    workload is part of the optimised build's PGO training."""
    start = interleaved({"ours": [exe, "-c", "pass"],
                         "python": [args.reference, "-c", "pass"]},
                        10 if args.quick else STARTUP_RUNS)
    row(rows, f"{label}start-up: -c pass", start["ours"] / 1e6,
        start["python"] / 1e6, "ms", target)
    os.makedirs(OUT, exist_ok=True)
    for name, text in (("pure-Python workload", WORKLOAD),
                       ("mixed workload", MIXED_WORKLOAD)):
        script = os.path.join(OUT, "workload.py")
        with open(script, "w") as out:
            out.write(text)
        try:
            cpu = {}
            work = interleaved({"ours": [exe, script],
                                "python": [args.reference, script]},
                               5 if args.quick else WORKLOAD_RUNS, cpu)
            row(rows, f"{label}{name}", work["ours"] / 1e6,
                work["python"] / 1e6, "ms", target)
            row(rows, f"{label}{name}, CPU time (user+sys)",
                cpu["ours"] / 1e6, cpu["python"] / 1e6, "ms", target)
            if not args.quick:
                ours = callgrind_instructions([exe, script])
                theirs = callgrind_instructions([args.reference, script])
                if ours and theirs:
                    row(rows, f"{label}{name}, instructions (callgrind)",
                        ours / 1e6, theirs / 1e6, "M", target)
        finally:
            os.remove(script)
    if not args.quick:
        ours = callgrind_instructions([exe, "-c", "pass"])
        theirs = callgrind_instructions([args.reference, "-c", "pass"])
        if ours and theirs:
            row(rows, f"{label}start-up, instructions (callgrind)",
                ours / 1e6, theirs / 1e6, "M", target)


# The optimised build (make standalone-opt: PGO and LTO, issue 18), when
# it exists: build/pyhost-opt reads the standard library from disk as
# python3.11 does, so it measures the interpreter; the -opt standalone
# file measures what the zip adds.  The targets are these builds'.
def opt_rows(rows, args):
    if args.opt and os.path.exists(args.opt):
        progress("the optimised build (PGO+LTO)")
        interpreter_rows(rows, args, os.path.abspath(args.opt),
                         "pyhost-opt (PGO+LTO): ", "<= 1.00")
    if args.standalone_opt and os.path.exists(args.standalone_opt):
        standalone_rows(rows, args, args.standalone_opt)


# ---- the standalone file (make standalone), from outside ----

IMPORT_ALL = """
import importlib, sys
with open(sys.argv[1]) as listing:
    for name in listing.read().split():
        importlib.import_module(name)
"""


def standalone_size(exe):
    """(ELF bytes, zip bytes, bytecode bytes, what the link map says
    takes the most of the ELF): the file is the stripped executable,
    the zip's directory index, then the zip (scripts/build-standalone)."""
    import struct
    import zipfile
    size = os.path.getsize(exe)
    with open(exe, "rb") as f:
        f.seek(-16, os.SEEK_END)  # the trailer: offset and size of the index
        elf, index = struct.unpack("<QQ", f.read(16))
    with zipfile.ZipFile(exe) as zf:
        bytecode = sum(i.compress_size for i in zf.infolist()
                       if i.filename.endswith(".pyc"))
    parts = collections.Counter()
    # build/pyhost-standalone[-opt]: build/standalone[-opt]/host/pyhost.map
    work = os.path.basename(exe).replace("pyhost-", "", 1)
    link_map = os.path.join(os.path.dirname(exe), work, "host", "pyhost.map")
    if os.path.exists(link_map):
        with open(link_map) as lines:
            for line in lines:
                words = line.split()
                if (len(words) == 4 and words[0].startswith(".")
                        and words[2].startswith("0x")
                        and words[0].split(".")[1] in ("text", "data",
                                                       "rodata")):
                    archive = os.path.basename(words[3].split("(")[0])
                    if archive.endswith(".lto.o"):  # a temporary name
                        archive = "LTO: libpython+pyhost"
                    parts[archive] += int(words[2], 16)
    top = ", ".join(f"{name} {n / 1e6:.1f}" for name, n
                    in parts.most_common(5))
    return elf, size - elf - index, bytecode, top


def bundled_app_startup(exe, reference, runs):
    """Median start-up of an application whose __main__.py holds `pass`,
    bundled from exe (scripts/bundle-app), against python3.11 running the
    same directory as a zip application (zipapp), interleaved."""
    import tempfile
    import zipapp
    with tempfile.TemporaryDirectory(prefix="pyhost-bench-app.") as work:
        source = os.path.join(work, "app")
        os.mkdir(source)
        with open(os.path.join(source, "__main__.py"), "w") as out:
            out.write("pass\n")
        bundled = os.path.join(work, "bundled")
        subprocess.run([os.path.join(HERE, "bundle-app"), "-o", bundled,
                        source], check=True,
                       env=dict(os.environ, PYHOST_STANDALONE=exe))
        pyz = os.path.join(work, "app.pyz")
        zipapp.create_archive(source, pyz)
        return interleaved({"bundled": [bundled],
                            "python": [reference, pyz]}, runs)


def standalone_rows(rows, args, exe):
    exe = os.path.abspath(exe)
    name = os.path.basename(exe)
    progress(f"the standalone file {name}")
    start = interleaved({"standalone": [exe, "-c", "pass"],
                         "python": [args.reference, "-c", "pass"]},
                        10 if args.quick else STARTUP_RUNS)
    row(rows, f"{name} start-up: -c pass", start["standalone"] / 1e6,
        start["python"] / 1e6, "ms", "<= 1.00")
    if not args.quick:
        ours = callgrind_instructions([exe, "-c", "pass"])
        theirs = callgrind_instructions([args.reference, "-c", "pass"])
        if ours and theirs:
            row(rows, f"{name} start-up: -c pass, instructions "
                "(callgrind)", ours / 1e6, theirs / 1e6, "M", "<= 1.00")
    app = bundled_app_startup(exe, args.reference,
                              10 if args.quick else STARTUP_RUNS)
    row(rows, "bundled application holding pass (python3.11: the same "
        "as a zip application)", app["bundled"] / 1e6,
        app["python"] / 1e6, "ms")
    names = subprocess.run(
        [args.reference, os.path.join(ROOT, "tests", "standalone",
                                      "modules.py")],
        capture_output=True, text=True, check=True).stdout
    listing = os.path.join(OUT, "modules.txt")
    script = os.path.join(OUT, "import_all.py")
    with open(listing, "w") as out:
        out.write(names)
    with open(script, "w") as out:
        out.write(IMPORT_ALL)
    try:
        every = interleaved({"standalone": [exe, "-I", script, listing],
                             "python": [args.reference, "-I", script,
                                        listing]},
                            3 if args.quick else 10)
    finally:
        os.remove(listing)
        os.remove(script)
    row(rows, f"{name}: import all {len(names.split())} modules of "
        "the smoke list, one process", every["standalone"] / 1e6,
        every["python"] / 1e6, "ms", "< 1.00")
    elf, zipped, bytecode, top = standalone_size(exe)
    total = os.path.getsize(exe) / 1e6
    row(rows, f"{name} size: executable {elf / 1e6:.1f} MB (link map, "
        f"MB: {top}) + zip {zipped / 1e6:.1f} MB (bytecode, stored: "
        f"{bytecode / 1e6:.1f})", total, total, "MB")


# ---- the shell, through a pseudo-terminal ----

PASTE_CHARS = 400_000


def _without_colour(output):
    """The output without the colour escape sequences it ends with (the
    end of pyhost's coloured prompt)."""
    while True:
        end = output.rfind(b"\x1b[")
        if end < 0 or not output.endswith(b"m") or not all(
                48 <= c <= 59 for c in output[end + 2:-1]):
            return output
        output = output[:end]


def drive_pty(command, home, chunks, until):
    """Runs command in a pseudo-terminal (HOME and its history in `home`),
    writes each of `chunks` once the output so far ends with its prompt
    (None: at once), reading all the while (a shell that echoes a big
    paste would block on a full terminal otherwise); returns the seconds
    from the first chunk written (or the start, with no chunks) until the
    output holds `until`, or None after 120 s."""
    import pty
    import select
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(HOME=home, TERM="xterm", LC_ALL="C.UTF-8",
               PYHOST_HISTFILE=os.path.join(home, "history"),
               INPUTRC=os.path.join(home, "inputrc"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(command[0], command, env)
    os.set_blocking(fd, False)  # a full terminal must not stop reading
    output, pending = b"", b""
    queue = list(chunks)
    started = time.perf_counter()
    deadline = started + 120
    result = None
    try:
        while time.perf_counter() < deadline:
            if not pending and queue and (
                    queue[0][0] is None or
                    _without_colour(output[-256:]).endswith(queue[0][0])):
                if len(queue) == len(chunks):
                    started = time.perf_counter()
                pending = queue.pop(0)[1]
            ready = select.select([fd], [fd] if pending else [], [], 1)
            try:
                if fd in ready[1]:
                    pending = pending[os.write(fd, pending[:4096]):]
                if fd in ready[0]:
                    output += os.read(fd, 1 << 16)
            except BlockingIOError:
                pass
            if until in output[-4096:]:
                result = time.perf_counter() - started
                break
    except OSError:
        pass
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    return result


# A full history file at PYHOST_HISTSIZE's default; every fifth entry a
# two-line block, which python3.11 keeps as two lines.
HISTORY_ENTRIES = 1000


def write_histories(home, count):
    """The same entries in pyhost's history file and python3.11's."""
    entries = [f"def f{i}(x):\n    return x * {i}" if i % 5 == 0 else
               f"value_{i} = [{i}, {i * 7 % 1000}, {i * 13 % 1000}]"
               for i in range(count)]
    with open(os.path.join(home, "history"), "w") as out:
        out.write("".join(e.replace("\n", "\r\n") + "\n" for e in entries))
    with open(os.path.join(home, ".python_history"), "w") as out:
        out.write("".join(e + "\n" for e in entries))


def first_prompt_medians(commands, home, runs):
    """Median milliseconds to the first prompt of each command, run in
    turn (interleaved), or none for a command that did not get there."""
    times = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(drive_pty(command, home, [], b">>> "))
    return {name: statistics.median(t) * 1e3 for name, t in times.items()
            if None not in t}


def shell_rows(rows, args):
    """Time to the first prompt (-q), and a pasted 400,000 characters run
    to its end, against python3.11 (which has no bracketed paste: the
    paste reaches it as typed lines, each drawn at its prompt)."""
    import shutil
    import tempfile
    home = tempfile.mkdtemp(prefix="pyhost-bench-")
    try:
        with open(os.path.join(home, "inputrc"), "w") as out:
            out.write("# nothing\n")
        runs = 5 if args.quick else 40
        commands = {"pyhost": [args.pyhost, "-q"],
                    "python3.11": [args.reference, "-q"],
                    "python3.11 -I": [args.reference, "-I", "-q"]}
        first = first_prompt_medians(commands, home, runs)
        if len(first) == 3:
            row(rows, "shell: start to first prompt (-q), vs python3.11 "
                "(rlcompleter, its default)", first["pyhost"],
                first["python3.11"], "ms", "<= 1.00")
            row(rows, "shell: start to first prompt (-q), vs python3.11 -I "
                "(no line editing)", first["pyhost"], first["python3.11 -I"],
                "ms")
        write_histories(home, HISTORY_ENTRIES)
        first = first_prompt_medians(
            {"pyhost": commands["pyhost"],
             "python3.11": commands["python3.11"]}, home, runs)
        if len(first) == 2:
            row(rows, f"shell: start to first prompt (-q), "
                f"{HISTORY_ENTRIES:,}-entry history", first["pyhost"],
                first["python3.11"], "ms", "<= 1.00")
        lines = [f"v{i} = {i}\n" for i in range(PASTE_CHARS // 14)]
        code = "".join(lines)[:PASTE_CHARS - 20]
        code = code[:code.rindex("\n") + 1] + "print('pasted', 6 * 7)\n"
        paste = ("\x1b[200~" + code + "\x1b[201~\r").encode()
        ours = [drive_pty([args.pyhost, "-q"], home,
                          [(b">>> ", paste)], b"pasted 42")
                for _ in range(3)]
        theirs = drive_pty([args.reference, "-q"], home,
                           [(b">>> ", code.encode())], b"pasted 42")
        if None not in ours and theirs is not None:
            row(rows, f"shell: paste {len(code):,} characters and run them",
                min(ours) * 1e3, theirs * 1e3, "ms", "< 1000 ms")
    finally:
        shutil.rmtree(home, ignore_errors=True)


# ---- the run ----

def row(rows, name, ours, theirs, unit, target=None, ratio=None):
    if ratio is None:
        ratio = ours / theirs if theirs else float("nan")
    rows.append((name, ours, theirs, ratio, unit, target or ""))
    progress(f"  {name}: {ours:.1f} vs {theirs:.1f} {unit} ({ratio:.2f})")


def measure(args):
    rows, chart = [], []
    if args.only_standalone or args.only_shell:
        if args.only_standalone:
            standalone_rows(rows, args, args.standalone)
        if args.only_shell:
            shell_rows(rows, args)
        return rows, chart, []
    if args.only_opt:  # beside the default build's figures
        interpreter_rows(rows, args, args.pyhost, "")
        opt_rows(rows, args)
        return rows, chart, []
    sizes = [10**5, 10**6] if args.quick else [10**5, 10**6, 10**7]

    progress("per-call operations")
    for n in sizes:
        keys = random_keys(n)
        hs, bs = hashset.HashSet(keys), set(keys)
        add = per_call_pair(adds(hashset.HashSet, keys), adds(set, keys), n)
        contains = per_call_pair(lookups_of(hs, keys), lookups_of(bs, keys),
                                 n)
        chart.append([n, add[0], add[1], contains[0], contains[1]])
        if n == 10**6:
            row(rows, "add/insert per call, 1e6 random", *add[:2], "ns",
                "<= 1.00", add[2])
            row(rows, "in/contains per call, 1e6 random", *contains[:2],
                "ns", "<= 1.00", contains[2])
            floor = empty_call_floor(keys)
            row(rows, "floor: {}.get(k) per call (empty C method)", floor,
                floor, "ns")
            row(rows, "iterate 1e6, per element", per_call_iterate(hs),
                per_call_iterate(bs), "ns", "<= 1.00")
            row(rows, "len() per call", per_call_len(hs), per_call_len(bs),
                "ns")
            part = keys[:200000]
            row(rows, "pop per call (2e5)",
                per_call_pop(hashset.HashSet, part), per_call_pop(set, part),
                "ns")
            row(rows, "discard per call (2e5)",
                per_call_discard(hashset.HashSet, part),
                per_call_discard(set, part), "ns")
            row(rows, "iterator start, bytes (1e6 set; set: a list copy)",
                iterator_start_bytes(hs), sys.getsizeof(list(bs)), "B")
            adversarial = [i << 32 for i in range(n)]
            ha = hashset.HashSet(adversarial)
            row(rows, "in per call, keys i<<32 vs random (HashSet)",
                per_call_in(ha, adversarial), contains[0], "ns")
            row(rows, "add per call, keys i<<32 vs random (HashSet)",
                per_call_add(hashset.HashSet, adversarial), add[0], "ns")
        del hs, bs

    progress("per size")
    for n in ([10**2, 10**3, 10**4, 10**5] if args.quick
              else [10**2, 10**3, 10**4, 10**5, 10**6, 10**7]):
        per_size_rows(rows, n, 3 if n >= 10**6 else 9)

    progress("paths where set once won")
    parity_rows(rows, args.quick)

    progress("in bulk")
    bulk_rows(rows, args.quick)

    progress("construction")
    for n in sizes[1:]:
        keys = random_keys(n, seed=2)
        arr = array.array("Q", keys)
        from_array, from_list = paired(timed(lambda: hashset.HashSet(arr)),
                                       timed(lambda: set(keys)), 5)
        row(rows, f"HashSet(array('Q')) vs set(list), {n:.0e}",
            from_array / 1e6, from_list / 1e6, "ms",
            "<= 0.10" if n == 10**7 else None)
        from_same_list, from_list = paired(
            timed(lambda: hashset.HashSet(keys)), timed(lambda: set(keys)), 3)
        row(rows, f"HashSet(list) vs set(list), {n:.0e}",
            from_same_list / 1e6, from_list / 1e6, "ms")
        if n == max(sizes):
            big = hashset.HashSet(arr)
            row(rows, f"iterator start, bytes ({n:.0e} set)",
                iterator_start_bytes(big), iterator_start_bytes(big), "B",
                "O(1)")
            del big
        del keys, arr

    progress("memory")
    peak_rows(rows, sizes)
    memory = []
    for n in sizes:
        for dense in (False, True):
            ours = bytes_per_element(n, "HashSet", dense)
            theirs = bytes_per_element(n, "set", dense)
            label = "range(n)" if dense else "random"
            row(rows, f"bytes/element RSS, {n:.0e} {label}", ours["rss"],
                theirs["rss"], "B",
                "<= 16 B" if not dense and n >= 10**6 else None)
            row(rows, f"bytes/element getsizeof, {n:.0e} {label}",
                ours["getsizeof"], theirs["getsizeof"], "B")
            if not dense:
                memory.append([n, ours["rss"], theirs["rss"]])

    progress("Point")
    ours = point_costs(point.Point)
    for name, cls in (("__slots__ class", Slotted),
                      ("namedtuple", Pair)):
        pairs = [paired(mine, other)
                 for mine, other in zip(ours, point_costs(cls))]
        row(rows, f"Point(x, y) of floats vs {name}", *pairs[0],
            "ns", "<= 1.00")
        row(rows, f"Point(x, y) of ints vs {name}", *pairs[1],
            "ns", "<= 1.00")
        row(rows, f"p.x vs {name}", *pairs[2], "ns", "<= 1.00")
        row(rows, f"a point and its floats vs {name}, bytes",
            point_bytes(point.Point), point_bytes(cls), "B", "<= 1.00")

    progress("start-up and pure Python, from outside")
    interpreter_rows(rows, args, args.pyhost, "")
    if args.standalone and os.path.exists(args.standalone):
        standalone_rows(rows, args, args.standalone)
    opt_rows(rows, args)

    progress("the shell, through a pseudo-terminal")
    shell_rows(rows, args)
    return rows, chart, memory


def cpu_model():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def table(rows):
    lines = ["| measurement | HashSet / pyhost | set / python3.11 | ratio "
             "| target |", "| --- | ---: | ---: | ---: | --- |"]
    for name, ours, theirs, ratio, unit, target in rows:
        name = name.replace("|", "\\|")  # a cell of its own otherwise
        lines.append(f"| {name} | {ours:,.1f} {unit} | {theirs:,.1f} {unit} "
                     f"| {ratio:.2f} | {target} |")
    return "\n".join(lines)


def write_chart(chart, memory):
    data = os.path.join(OUT, "chart.dat")
    with open(data, "w") as out:
        out.write("# n add_hs add_set in_hs in_set rss_hs rss_set\n")
        rss = {n: (a, b) for n, a, b in memory}
        for n, *values in chart:
            out.write(" ".join(str(v) for v in [n, *values,
                                               *rss.get(n, (0, 0))]) + "\n")
    script = os.path.join(HERE, "bench-chart.gp")
    try:
        subprocess.run(["gnuplot", "-e", f"data='{data}'; "
                        f"out='{os.path.join(OUT, 'chart.svg')}'", script],
                       check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        progress(f"no chart: {error}")
    finally:
        os.remove(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyhost", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes and fewer runs")
    parser.add_argument("--standalone", metavar="FILE",
                        help="build/pyhost-standalone: its rows too, if "
                        "it exists")
    parser.add_argument("--only-standalone", action="store_true",
                        help="only the standalone's rows, printed, "
                        "bench/results.md left as it is")
    parser.add_argument("--only-shell", action="store_true",
                        help="only the shell's rows, printed, no files")
    parser.add_argument("--opt", metavar="FILE",
                        help="build/pyhost-opt: its rows too, if it exists")
    parser.add_argument("--standalone-opt", metavar="FILE",
                        help="build/pyhost-standalone-opt: its rows too, "
                        "if it exists")
    parser.add_argument("--only-opt", action="store_true",
                        help="only the optimised build's rows and the "
                        "default build's start-up and pure-Python rows, "
                        "printed, bench/results.md left as it is")
    args = parser.parse_args()
    if args.only_standalone or args.only_opt:
        for line in table(measure(args)[0]).splitlines():
            print(line)
        return
    os.makedirs(OUT, exist_ok=True)
    started = time.monotonic()
    rows, chart, memory = measure(args)
    header = (f"pyhost benchmarks, {datetime.date.today()}: {cpu_model()}, "
              f"{os.cpu_count()} cores; Python {platform.python_version()}; "
              f"median of {REPEAT} runs unless stated; "
              f"{time.monotonic() - started:.0f} s in all")
    text = header + "\n\n" + table(rows) + "\n"
    print(text)
    if args.only_shell:
        return
    with open(os.path.join(OUT, "results.md"), "w") as out:
        out.write("# Benchmark results\n\n" + text +
                  "\n![bytes per element and ns per call](chart.svg)\n")
    write_chart(chart, memory)


if __name__ == "__main__":
    main()
