"""Runs one CPython test module (test.test_xxx) and prints each case's
outcome as "OUTCOME<TAB>test id", one a line, for tests/stdlib/run.py to
compare between pyhost and python3.11.  Run by the interpreter under test:
    INTERPRETER tests/stdlib/outcomes.py test_site

What this layer shows, and what it cannot: the modules run as a script,
with no interactive shell, so pyhost's own line reader, history and
completer are never active here (nor pyhost's sys.__interactivehook__,
which only CPython's REPL calls).  Parity here means that the readline,
rlcompleter, pdb, cmd and site modules behave the same when loaded into
pyhost; the shell itself is tested through a pseudo-terminal in
tests/tty.  The exceptions are test_site's test_startup_interactivehook
and test_startup_interactivehook_isolated, which start sys.executable
(pyhost itself) with -c, without and with -I, and so check that pyhost
adds its hook, and adds none under -I.
"""
import sys
import unittest


class OutcomeResult(unittest.TestResult):
    """Records one outcome per test id; a failing subtest fails its test."""

    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def _set(self, test, outcome):
        self.outcomes[test.id()] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes.setdefault(test.id(), "ok")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, "FAIL")

    def addError(self, test, err):
        super().addError(test, err)
        self._set(test, "ERROR")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._set(test, "skipped")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set(test, "expected-failure")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set(test, "unexpected-success")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self._set(test, "FAIL" if failed else "ERROR")


def main():
    name = sys.argv[1]
    suite = unittest.defaultTestLoader.loadTestsFromName("test." + name)
    result = OutcomeResult()
    suite.run(result)
    for problem in result.errors + result.failures:
        print(f"# {problem[0].id()}\n# " +
              problem[1].strip().replace("\n", "\n# "), file=sys.stderr)
    for test_id, outcome in sorted(result.outcomes.items()):
        print(f"{outcome}\t{test_id}")


if __name__ == "__main__":
    main()
