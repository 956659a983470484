"""Runs the module tests (tests/python/test_*.py) with unittest.

Run it with the interpreter under test: `build/pyhost tests/python/run.py`
(the tests import the built-in modules point and hashset).  The last line
is "N passed, N failed[, N skipped]" (tests/harness.py's summary); the
exit status is 1 on any failure.
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402


def main():
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(
        result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print(harness.summary(passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
