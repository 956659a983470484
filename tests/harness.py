"""The loop every layer runner shares: named cases, -k and -v, one line a
case, the closing count.

A case is a name and a function of no arguments.  It passes when it
returns, with an optional note (a string shown after its name: "ok   NAME:
NOTE"); it fails when it raises, by check() or otherwise, so that a broken
case is a failure and never stops the run; it is skipped when it raises
Skip.  A failure prints "FAIL NAME" and the message, each line indented
under the name.  The last line is "N passed, N failed[, N skipped]", the
line tests/run.py adds up (SUMMARY reads it back), and the exit status is
1 on any failure.  The unittest runners use the parts they need:
tests/refleak.py prints its lines through Tally, tests/python/run.py (with
unittest's own lines) its closing line through summary().
"""
import argparse
import collections
import re
import time
import traceback

INDENT = " " * 5  # under the name, past "ok   " and "FAIL "
DETAIL_LIMIT = 6000  # characters of a failure's message that are shown
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$")


class Skip(Exception):
    """Raised by a case that cannot run here; the message says why."""


def check(condition, message):
    """Fails the case with message unless condition holds."""
    if not condition:
        raise AssertionError(message)


def summary(passed, failed, skipped=0):
    return (f"{passed} passed, {failed} failed"
            + (f", {skipped} skipped" if skipped else ""))


def indented(text):
    text = str(text)
    if len(text) > DETAIL_LIMIT:
        text = (text[:DETAIL_LIMIT] +
                f"\n... ({len(text) - DETAIL_LIMIT} more characters)")
    return "\n".join(INDENT + line for line in text.splitlines())


class Tally:
    """Counts the cases and prints a line for each as it ends."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def ok(self, name, note=""):
        self.passed += 1
        self._print("ok   " + name + (f": {note}" if note else ""))

    def fail(self, name, detail=""):
        self.failed += 1
        self._print("FAIL " + name + ("\n" + indented(detail)
                                      if detail else ""))

    def skip(self, name, reason=""):
        self.skipped += 1
        self._print("skip " + name + (f": {reason}" if reason else ""))

    def finish(self):
        """Prints the closing line; returns the exit status."""
        self._print(summary(self.passed, self.failed, self.skipped))
        return 1 if self.failed else 0

    @staticmethod
    def _print(text):
        print(text, flush=True)


def parser(description):
    """An argument parser with the options every runner has."""
    result = argparse.ArgumentParser(description=description)
    result.add_argument("-k", dest="pattern", default="",
                        metavar="SUBSTRING",
                        help="run only the cases whose name contains this")
    result.add_argument("-v", dest="verbose", action="store_true",
                        help="show each case's time")
    return result


def raised(error):
    """The traceback of an exception a case raised, from the case down."""
    return "".join(traceback.format_exception(
        type(error), error, error.__traceback__.tb_next)).rstrip()


def run_case(tally, name, function, verbose=False):
    started = time.monotonic()
    try:
        note = function()
    except Skip as reason:
        tally.skip(name, str(reason))
        return
    except AssertionError as failure:  # check()'s message says what failed
        detail = str(failure) or raised(failure)
    except Exception as error:  # a broken case is a failure, not a crash
        detail = raised(error)
    else:
        detail = None
    if verbose:
        name += f" ({time.monotonic() - started:.2f}s)"
    if detail is None:
        tally.ok(name, note or "")
    else:
        tally.fail(name, detail)


def run(cases, args):
    """Runs the (name, function) cases whose name contains args.pattern,
    prints the closing line and returns the exit status."""
    counts = collections.Counter(name for name, _ in cases)
    duplicated = sorted(name for name, count in counts.items() if count > 1)
    check(not duplicated, f"two cases with one name: {duplicated}")
    tally = Tally()
    started = time.monotonic()
    for name, function in cases:
        if args.pattern in name:
            run_case(tally, name, function, args.verbose)
    if args.verbose:
        print(f"({time.monotonic() - started:.1f}s)")
    return tally.finish()
