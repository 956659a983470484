"""What more than one module test needs, written once: the largest
element, an integer by __index__ alone, a child interpreter like this one,
the ways pickle and copy rebuild an object, and the assertions over a
HashSet's contents that every hashset test makes.
"""
import copy
import os
import pickle
import subprocess
import sys
import unittest

from hashset import HashSet

MAX = 2**64 - 1  # the largest element of a HashSet
# What a child interpreter inherits of the PYTHON* variables: the path to
# the extension modules of `make ext`, and the allocator the sanitizer
# build asks for.  The others (PYTHONHASHSEED, PYTHONSTARTUP, ...) would
# change what the child does.
INHERITED = ("PYTHONPATH", "PYTHONMALLOC")


class Index:
    """An integer only by __index__, as numpy's integers are: not an int,
    not a float."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


def child_environment(extra=None):
    """This process's environment for a child interpreter, with extra."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON") or k in INHERITED}
    env.update(extra or {})
    return env


def run_python(code, *options, env=None, timeout=120, **run_options):
    """Runs code (with options before -c) in a new interpreter like this
    one: pyhost, or python3.11 with the extension modules on PYTHONPATH.
    env adds variables to child_environment(); the result has text
    stdout and stderr."""
    return subprocess.run([sys.executable, *options, "-c", code],
                          env=child_environment(env), capture_output=True,
                          text=True, timeout=timeout, **run_options)


def clones(obj):
    """(how, clone) for every way pickle and copy rebuild obj."""
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        yield f"pickle protocol {protocol}", pickle.loads(
            pickle.dumps(obj, protocol))
    yield "copy.copy", copy.copy(obj)
    yield "copy.deepcopy", copy.deepcopy(obj)


class HashSetTestCase(unittest.TestCase):
    def assertContents(self, s, expected):
        self.assertIsInstance(s, HashSet)
        self.assertEqual(sorted(s), sorted(expected))
        self.assertEqual(len(s), len(set(expected)))

    def assertUnchangedAfter(self, s, exception, action):
        """action raises exception and leaves s as it was."""
        before = sorted(s)
        with self.assertRaises(exception):
            action()
        self.assertEqual(sorted(s), before)

    def assertConsistent(self, s):
        """s's length agrees with its iteration, which yields distinct
        elements, each a member."""
        elements = list(s)
        self.assertEqual(len(elements), len(s))
        self.assertEqual(len(set(elements)), len(s))
        self.assertTrue(all(0 <= v <= MAX and v in s for v in elements))
