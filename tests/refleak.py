"""Reference-leak hunt over the module tests, CPython's -R 3:3 way.

Run inside a pyhost built against the debug interpreter (make
check-refleak): every test of tests/python (but those that only spawn
subprocesses) runs 3 times to warm up, then 3 more times while
sys.gettotalrefcount() and sys.getallocatedblocks() are read around each
run.  A test leaks when every measured run grows a count, as regrtest
judges it.  REFLEAK_ONLY=substring limits the run to matching tests.

The reference total is kept by the debug interpreter's Py_INCREF and
Py_DECREF only.  A release-built extension (Debian's numpy: there is no
debug build of it) changes reference counts with release macros that do
not update the total, so the total drifts although no object keeps a
reference it should not: `numpy.uint64(3) in {3}` on a built-in set
"leaks" 13 references a call.  So when the total grows on every run but
the allocated blocks do not, the test runs 3 more times while the
reference counts that the objects themselves hold are summed (every
object the collector tracks and everything they refer to: see
held_references); only when that sum grows on every run too is it a
leak.  A leak that keeps new objects alive grows the blocks and needs no
confirmation.  The sum misses references held only where the collector
cannot look (C variables, running frames), so it only ever excuses what
the total reported; an excused test's "ok" line says so.
REFLEAK_HELD=1 measures every test this way too, to inspect the sum.
Before the module tests, the runner checks itself on three synthetic
tests (RunnerSelfCheck): drift alone passes, a leak fails, with or
without drift beside it.
One line a test and the last line "N passed, N failed", as every runner
prints them (tests/harness.py).
"""
import gc
import os
import sys
import types
import unittest

import harness

WARMUPS, RUNS = 3, 3
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python")
# Tests whose work happens in child processes, or that take seconds
# under the debug interpreter without touching anything new.
SKIP = ("Hashing.test_seed", "Signals.test_interrupted_bulk", "Memory.",
        "test_finalisation", "test_large_construction", "Threads.",
        "Interrupts.")


def each_test(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from each_test(item)
        else:
            yield item


def counts():
    gc.collect()
    sys._clear_type_cache()
    return sys.gettotalrefcount(), sys.getallocatedblocks()


# What a code object refers to and keeps as it is (co_varnames and co_code
# are made afresh on each read in 3.11): the collector does not traverse
# code objects, and a constant of a test's code (2**64 - 2) may be held
# nowhere else.
CODE_REFERENTS = ("co_consts", "co_names", "co_filename", "co_name",
                  "co_qualname", "co_linetable", "co_exceptiontable")


def referents(obj):
    if type(obj) is types.CodeType:
        return [getattr(obj, field) for field in CODE_REFERENTS]
    return gc.get_referents(obj)


def held_references():
    """The sum of the reference counts of every object the collector
    tracks and of everything those refer to (ints, strings, floats and
    other objects the collector does not track), read from the objects
    themselves: a count that a release-built extension keeps up to date as
    well as the interpreter does.  An extra reference to an existing object
    shows here as in the total; a new object kept alive shows in the
    allocated blocks."""
    gc.collect()
    sys._clear_type_cache()
    seen = {}  # id -> object: one reference to each, subtracted below
    frontier = gc.get_objects()
    for obj in frontier:
        seen[id(obj)] = obj
    while frontier:
        found = []
        for obj in frontier:
            for referent in referents(obj):
                if id(referent) not in seen:
                    seen[id(referent)] = referent
                    found.append(referent)
        frontier = found
    del found, frontier
    # getrefcount's argument and the reference in `seen` are ours.
    total = sum(sys.getrefcount(obj) - 2 for obj in seen.values())
    seen.clear()
    return total


def measure_runs(test, measure, warmups, runs):
    """([growth of each count of measure() over each of `runs` runs after
    `warmups`], None), or (None, the failure) if the test itself failed.
    Each measured span frees the previous run's TestResult and readings
    and makes its own, so that the runner's objects balance (as in
    regrtest's loop)."""
    deltas = []
    before = after = result = failures = None
    for run in range(warmups + runs):
        before = measure()
        result = unittest.TestResult()
        test(result)
        after = measure()
        failures = result.errors + result.failures
        if failures:
            return None, failures[0][1]
        if run >= warmups:
            deltas.append(tuple(a - b for a, b in zip(after, before)))
    return deltas, None


def grows(deltas):
    return all(delta >= 1 for delta in deltas)


def judge(test, always_confirm=False):
    """("ok" | "note" | "leak" | "error", what to say of it) for one test."""
    deltas, error = measure_runs(test, counts, WARMUPS, RUNS)
    if error is not None:
        return "error", "the test itself failed\n" + error[-2000:]
    references = [d[0] for d in deltas]
    blocks = [d[1] for d in deltas]
    if grows(blocks):
        return "leak", f"leaks references {references}, blocks {blocks}"
    if not grows(references) and not always_confirm:
        return "ok", ""
    held, error = measure_runs(test, lambda: (held_references(),), 1, RUNS)
    if error is not None:
        return "error", "the test itself failed\n" + error[-2000:]
    held = [d[0] for d in held]
    if grows(held):
        return "leak", (f"leaks references {references} (held by the "
                        f"objects: {held}), blocks {blocks}")
    if grows(references):
        return "note", (f"the reference total grew {references} but the "
                        f"objects' own counts did not ({held}): not a leak "
                        "(a release-built extension's reference counting)")
    return "ok", ""


# The runner's self-check: three tests that change reference counts the
# way the debug interpreter and a release-built extension do.  Py_IncRef
# (libpython's, debug-built) counts in the total; writing ob_refcnt
# directly is what a release-built Py_DECREF does.  The target object is
# held by this module's globals, so the collector reaches it.
TARGET = object()


def debug_incref(obj):
    import ctypes
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))


def release_decref(obj):
    import ctypes
    ctypes.c_ssize_t.from_address(id(obj)).value -= 1


class RunnerSelfCheck(unittest.TestCase):
    def test_release_built_drift(self):
        # numpy.uint64(3) in {3}: the total grows, no object keeps more.
        debug_incref(TARGET)
        release_decref(TARGET)

    def test_leak(self):
        debug_incref(TARGET)

    def test_leak_beside_drift(self):
        debug_incref(TARGET)
        debug_incref(TARGET)
        release_decref(TARGET)


def self_check(tally):
    """Judges the self-check cases: drift must pass (with a note), a leak
    must fail, with or without drift beside it."""
    expected = {"test_release_built_drift": "note", "test_leak": "leak",
                "test_leak_beside_drift": "leak"}
    for method, verdict in expected.items():
        got, detail = judge(RunnerSelfCheck(method))
        if got == verdict:
            tally.ok(f"self-check {method}", got)
        else:
            tally.fail(f"self-check {method}",
                       f"judged {got}, not {verdict}: {detail}")


def main():
    if not hasattr(sys, "gettotalrefcount"):
        print("not a debug interpreter: build with make check-refleak")
        return 2
    tally = harness.Tally()
    self_check(tally)
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                top_level_dir=HERE)
    only = os.environ.get("REFLEAK_ONLY", "")  # a substring of test ids
    always_confirm = os.environ.get("REFLEAK_HELD") == "1"
    for test in each_test(suite):
        name = test.id()
        if any(part in name for part in SKIP) or only not in name:
            continue
        verdict, detail = judge(test, always_confirm)
        if verdict in ("ok", "note"):
            tally.ok(name, detail)
        else:
            tally.fail(name, detail)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
