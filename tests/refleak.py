"""Reference-leak hunt over the module tests, CPython's -R 3:3 way.

Run inside a pyhost built against the debug interpreter (make
check-refleak): every test of tests/python (but those that only spawn
subprocesses) runs 3 times to warm up, then 3 more times while
sys.gettotalrefcount() and sys.getallocatedblocks() are read around each
run.  A test leaks when every measured run grows a count, as regrtest
judges it.  REFLEAK_ONLY=substring limits the run to matching tests.  The last line is "N passed, N failed".
"""
import gc
import os
import sys
import unittest

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


def main():
    if not hasattr(sys, "gettotalrefcount"):
        print("not a debug interpreter: build with make check-refleak")
        return 2
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                top_level_dir=HERE)
    only = os.environ.get("REFLEAK_ONLY", "")  # a substring of test ids
    passed = failed = 0
    for test in each_test(suite):
        name = test.id()
        if any(part in name for part in SKIP) or only not in name:
            continue
        deltas = []
        for run in range(WARMUPS + RUNS):
            before = counts()
            result = unittest.TestResult()
            test(result)
            after = counts()
            if result.errors or result.failures:
                print(f"FAIL {name}: the test itself failed\n     "
                      + (result.errors + result.failures)[0][1][-2000:])
                failed += 1
                break
            if run >= WARMUPS:
                deltas.append((after[0] - before[0], after[1] - before[1]))
        else:
            references = [d[0] for d in deltas]
            blocks = [d[1] for d in deltas]
            if all(d >= 1 for d in references) or all(d >= 1 for d in blocks):
                failed += 1
                print(f"FAIL {name}: leaks references {references}, "
                      f"blocks {blocks}")
            else:
                passed += 1
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
