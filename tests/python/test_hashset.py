"""Tests of the hashset module (SPEC.md, "Module hashset"), run inside pyhost.

One class per bullet of the specification.  Every rejected operation is
also checked to leave the set exactly as it was.
"""
import _thread
import array
import collections.abc
import copy
import decimal
import fractions
import gc
import inspect
import json
import operator
import os
import pickle
import signal
import subprocess
import sys
import unittest
import weakref

import hash_set
import hashset
from hashset import HashSet

MAX = 2**64 - 1


class Index:
    """An integer only by __index__, as numpy's integers are."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


class ListSet(collections.abc.Set):
    """A Set that is neither a set nor a HashSet."""

    def __init__(self, values=()):
        self.values = list(dict.fromkeys(values))

    def __contains__(self, value):
        return value in self.values

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)


def python_membership(value, members):
    """What `value in HashSet(members)` must answer: Python equality for
    anything hashable, the integer of an __index__ object, else False."""
    if hasattr(type(value), "__index__") and not isinstance(value, int):
        try:
            return operator.index(value) in members
        except Exception:
            return False
    try:
        return value in members
    except TypeError:  # unhashable: certainly not a member
        return False


class Helpers(unittest.TestCase):
    def assertContents(self, s, expected):
        self.assertIsInstance(s, HashSet)
        self.assertEqual(sorted(s), sorted(expected))
        self.assertEqual(len(s), len(set(expected)))

    def assertUnchangedAfter(self, s, exception, action):
        before = sorted(s)
        with self.assertRaises(exception):
            action()
        self.assertEqual(sorted(s), before)


class TutorialApi(Helpers):
    def test_transcript(self):
        s = hashset.HashSet()
        self.assertIsNone(s.insert(3))
        self.assertEqual((s.contains(3), s.len(), list(s.iter())),
                         (True, 1, [3]))

    def test_types_of_results(self):
        s = HashSet([1, 2])
        self.assertIs(s.contains(1), True)
        self.assertIs(s.contains(5), False)
        self.assertIs(type(s.len()), int)
        self.assertIs(type(s.iter()), hashset.SetIterator)
        self.assertEqual(hashset.SetIterator.__name__, "SetIterator")


class ModuleAndType(Helpers):
    def test_builtin_and_alias(self):
        if getattr(hashset, "__file__", None) is None:  # inside pyhost
            self.assertIn("hashset", sys.builtin_module_names)
            self.assertIn("hash_set", sys.builtin_module_names)
        else:  # the extension modules of `make ext`, under python3.11
            self.assertTrue(hash_set.__file__.endswith(".so"))
        self.assertIs(hash_set.HashSet, hashset.HashSet)
        self.assertIs(hash_set.SetIterator, hashset.SetIterator)

    def test_mutable_set_registration(self):
        self.assertTrue(issubclass(HashSet, collections.abc.MutableSet))
        self.assertIsInstance(HashSet(), collections.abc.MutableSet)
        self.assertIsInstance(HashSet(), collections.abc.Set)

    def test_unhashable(self):
        with self.assertRaises(TypeError):
            hash(HashSet())
        with self.assertRaises(TypeError):
            {HashSet(): 1}
        self.assertIsNone(HashSet.__hash__)

    def test_module_docstrings(self):
        for documented in (hashset, hash_set, HashSet, hashset.SetIterator):
            self.assertTrue(documented.__doc__, documented)
        self.assertEqual(HashSet.__module__, "hashset")
        self.assertEqual(HashSet.__name__, "HashSet")

    def test_signatures_of_the_tutorial_methods(self):
        expected = {"insert": "(self, value, /)", "add": "(self, value, /)",
                    "contains": "(self, value, /)", "len": "(self, /)",
                    "iter": "(self, /)", "pop": "(self, /)",
                    "clear": "(self, /)", "copy": "(self, /)",
                    "discard": "(self, value, /)",
                    "remove": "(self, value, /)"}
        for name, signature in expected.items():
            self.assertEqual(str(inspect.signature(getattr(HashSet, name))),
                             signature, name)
        # Bound methods drop self.
        self.assertEqual(str(inspect.signature(HashSet().insert)),
                         "(value, /)")

    def test_docstrings_and_signatures(self):
        self.assertIn("range(0, 2**64)", HashSet.__doc__)
        self.assertEqual(str(inspect.signature(HashSet)), "(iterable=())")
        names = ["insert", "add", "contains", "len", "iter", "discard",
                 "remove", "pop", "clear", "copy", "update", "union",
                 "intersection", "intersection_update", "difference",
                 "difference_update", "symmetric_difference",
                 "symmetric_difference_update", "issubset", "issuperset",
                 "isdisjoint"]
        for name in names:
            method = getattr(HashSet, name)
            self.assertTrue(method.__doc__, name)
            parameters = inspect.signature(method).parameters
            self.assertEqual(next(iter(parameters)), "self", name)
        self.assertEqual(str(inspect.signature(HashSet.insert)),
                         "(self, value, /)")
        self.assertEqual(str(inspect.signature(HashSet.update)),
                         "(self, /, *iterables)")


class Construction(Helpers):
    def test_from_iterables(self):
        for source in ([3, 1, 3], (3, 1), iter([1, 3]), {1, 3},
                       frozenset({1, 3}), range(1, 4, 2), {1: "a", 3: "b"},
                       {1: 0, 3: 0}.keys(), HashSet([1, 3])):
            self.assertContents(HashSet(source), [1, 3])
        self.assertContents(HashSet(v * 2 for v in range(5)), [0, 2, 4, 6, 8])
        self.assertContents(HashSet(range(1000)), range(1000))
        self.assertContents(HashSet([]), [])
        self.assertContents(HashSet(iter(())), [])

    def test_source_is_not_consumed_twice_or_kept(self):
        source = [1, 2]
        s = HashSet(source)
        source.append(3)
        self.assertContents(s, [1, 2])
        other = HashSet([5])
        t = HashSet(other)
        other.add(6)
        self.assertContents(t, [5])

    def test_keyword_and_empty(self):
        self.assertContents(HashSet(iterable=[5]), [5])
        self.assertContents(HashSet(), [])
        with self.assertRaises(TypeError):
            HashSet([1], [2])
        with self.assertRaises(TypeError):
            HashSet(5)

    def test_all_or_nothing(self):
        with self.assertRaises(TypeError):
            HashSet([1, 2, "a"])
        with self.assertRaises(TypeError):
            HashSet([1, "a"])
        with self.assertRaises(OverflowError):
            HashSet([1, -1])
        with self.assertRaises(OverflowError):
            HashSet([2**64])
        # A bad element after many good ones, from a list and a generator.
        with self.assertRaises(TypeError):
            HashSet(list(range(100000)) + [None])
        with self.assertRaises(OverflowError):
            HashSet(v if v < 50000 else -1 for v in range(50001))

    def test_reinit_replaces_only_on_success(self):
        s = HashSet([1, 2])
        s.__init__([3])
        self.assertContents(s, [3])
        self.assertUnchangedAfter(s, TypeError, lambda: s.__init__([4, "x"]))

    def test_len_bool_repr(self):
        self.assertEqual(repr(HashSet()), "HashSet()")
        self.assertEqual(repr(HashSet([7])), "HashSet({7})")
        text = repr(HashSet([1, 2, MAX]))
        self.assertTrue(text.startswith("HashSet({") and text.endswith("})"))
        self.assertEqual(eval(text[len("HashSet("):-1]), {1, 2, MAX})
        self.assertFalse(HashSet())
        self.assertTrue(HashSet([0]))
        self.assertIs(bool(HashSet([0])), True)
        self.assertEqual(len(HashSet(range(10))), 10)
        self.assertEqual(len(HashSet([5, 5, 5])), 1)
        self.assertIs(type(len(HashSet([1]))), int)
        self.assertTrue(0 in HashSet([0]) and 1 not in HashSet([0]))
        self.assertEqual(sorted(iter(HashSet([3, 1, 2]))), [1, 2, 3])
        text = repr(HashSet(range(100)))
        self.assertEqual(eval(text[len("HashSet("):-1]), set(range(100)))
        s = HashSet([2, 1])
        self.assertEqual(repr(s), str(s))
        self.assertEqual(repr(s)[len("HashSet({"):-2].split(", "),
                         [str(v) for v in s])  # in iteration order

    def test_subclass_repr_and_attributes(self):
        class Tags(HashSet):
            pass

        tags = Tags([4])
        tags.note = "kept"
        self.assertEqual(repr(tags), "Tags({4})")
        self.assertEqual(repr(Tags()), "Tags()")
        self.assertEqual(tags.note, "kept")
        self.assertIsInstance(tags | {5}, HashSet)


class Elements(Helpers):
    def test_range_limits(self):
        s = HashSet([0, MAX])
        self.assertContents(s, [0, MAX])
        self.assertIn(0, s)
        self.assertIn(MAX, s)
        for value in (-1, 2**64, -(2**64), 2**100, -(2**100)):
            self.assertUnchangedAfter(s, OverflowError, lambda: s.add(value))
            self.assertUnchangedAfter(s, OverflowError,
                                      lambda: s.insert(value))
            self.assertUnchangedAfter(s, OverflowError,
                                      lambda: s.update([5, value]))
            with self.assertRaises(OverflowError):
                HashSet([5, value])

    def test_wrong_types(self):
        s = HashSet([1])
        for value in ("a", 1.5, 2.0, None, [], b"1", 1j, decimal.Decimal(1),
                      fractions.Fraction(2), object(), (1,)):
            self.assertUnchangedAfter(s, TypeError, lambda: s.add(value))
            self.assertUnchangedAfter(s, TypeError, lambda: s.insert(value))
            self.assertUnchangedAfter(s, TypeError,
                                      lambda: s.update([2, value]))
            with self.assertRaises(TypeError):
                HashSet([2, value])

    def test_bool_and_index(self):
        s = HashSet()
        s.add(True)
        s.add(Index(2**64 - 2))
        self.assertContents(s, [1, 2**64 - 2])
        self.assertIs(type(next(iter(HashSet([True])))), int)
        self.assertEqual(list(HashSet([False])), [0])
        self.assertUnchangedAfter(s, OverflowError, lambda: s.add(Index(-5)))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.add(Index(2**64)))
        s.add(1)  # the same element as True
        self.assertEqual(len(s), 2)

    def test_int_subclasses_are_stored_as_int(self):
        class Big(int):
            pass

        s = HashSet([Big(5), Big(MAX)])
        self.assertContents(s, [5, MAX])
        self.assertEqual({type(v) for v in s}, {int})

    def test_numpy_integers(self):
        try:
            import numpy
        except ImportError:
            self.skipTest("numpy is not installed")
        s = HashSet([numpy.uint64(MAX), numpy.int8(3)])
        self.assertContents(s, [MAX, 3])
        self.assertContents(HashSet(numpy.arange(5, dtype=numpy.uint64)),
                            range(5))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.add(numpy.int64(-1)))
        self.assertUnchangedAfter(s, TypeError,
                                  lambda: s.add(numpy.float64(2.0)))
        self.assertIn(numpy.uint64(3), s)
        self.assertIn(numpy.float32(3.0), s)

    def test_numpy_arrays_match_generic_path(self):
        try:
            import numpy
        except ImportError:
            self.skipTest("numpy is not installed")
        for dtype in ("u1", "u2", "u4", "u8", "i1", "i2", "i4", "i8",
                      ">u8", "<u8", ">i4", "bool"):
            arr = numpy.array([0, 1, 2, 100, 1, 0], dtype=dtype)
            self.assertEqual(HashSet(arr), HashSet(arr.tolist()), dtype)
            self.assertEqual(HashSet(arr[::2]), HashSet(arr[::2].tolist()),
                             dtype)
        big = numpy.array([MAX, 2**63, 0], dtype=">u8")
        self.assertContents(HashSet(big), [MAX, 2**63, 0])
        s = HashSet([7])
        for dtype in ("i1", "i2", "i4", "i8"):
            arr = numpy.array([1, -1], dtype=dtype)
            self.assertUnchangedAfter(s, OverflowError, lambda: s.update(arr))
        for dtype in ("f4", "f8"):
            arr = numpy.array([1.0], dtype=dtype)
            self.assertUnchangedAfter(s, TypeError, lambda: s.update(arr))
        grid = numpy.arange(12, dtype="u8").reshape(3, 4)
        self.assertContents(HashSet(grid[:, 1]), [1, 5, 9])

    def test_update_is_all_or_nothing(self):
        s = HashSet([1])
        self.assertUnchangedAfter(s, TypeError, lambda: s.update([2, 3, "a"]))
        self.assertUnchangedAfter(s, TypeError, lambda: s.update([1, 2, "a"]))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.update([2], [3, -1]))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.update([1], [2, -1]))
        self.assertUnchangedAfter(s, TypeError, lambda: s.update(5))
        self.assertUnchangedAfter(s, TypeError, lambda: s.update([2], 5))
        self.assertUnchangedAfter(s, TypeError, lambda: s.update([2], None))
        s.update([2], (3,), {4})
        self.assertContents(s, [1, 2, 3, 4])
        self.assertIsNone(s.update())
        self.assertContents(s, [1, 2, 3, 4])

    def test_update_is_all_or_nothing_across_growth(self):
        # The rejected element comes after enough new ones to grow the
        # table several times: every one of them must be rolled back.
        s = HashSet([1, 2, 3])
        self.assertUnchangedAfter(
            s, TypeError, lambda: s.update(list(range(10, 200000)) + ["a"]))
        self.assertUnchangedAfter(
            s, OverflowError,
            lambda: s.update(range(10, 100000), [5, 2**64]))
        self.assertUnchangedAfter(
            s, OverflowError,
            lambda: s.update(array.array("Q", range(10, 100000)), [-1]))
        self.assertUnchangedAfter(
            s, TypeError,
            lambda: s.update(v if v < 99999 else 1.5 for v in range(100000)))
        self.assertEqual(len(s), 3)
        s.update(range(10, 100000))
        self.assertEqual(len(s), 3 + 99990)


class Membership(Helpers):
    def test_foreign_values_are_simply_absent(self):
        s = HashSet([0, 1, 2, MAX])
        for value in ("a", None, [], {}, -1, 2**64, 1.5, float("nan"),
                      float("inf"), -0.5, object(), 3j, b"\x01"):
            self.assertFalse(value in s, repr(value))
            self.assertIs(s.contains(value), False)

    def test_follows_equality(self):
        s = HashSet([2, MAX])
        for value in (2.0, fractions.Fraction(2), decimal.Decimal(2),
                      complex(2, 0), Index(2)):
            self.assertTrue(value in s, repr(value))
        self.assertTrue(float(2**64 - 2048) in HashSet([2**64 - 2048]))
        self.assertFalse(decimal.Decimal("NaN") in s)
        self.assertIs(True in HashSet([1]), True)
        self.assertIs(True in HashSet([2]), False)

    def test_discard_and_remove_of_foreign_values(self):
        s = HashSet([1, 2])
        s.discard("a")
        s.discard(-1)
        s.discard(2.0)
        self.assertContents(s, [1])
        with self.assertRaises(KeyError) as caught:
            s.remove("a")
        self.assertEqual(caught.exception.args, ("a",))
        with self.assertRaises(KeyError):
            s.remove((1, 2))
        self.assertContents(s, [1])

    def test_contains_is_in(self):
        s = HashSet([0, 1, 2, 2**40, MAX])
        values = [0, 1, 2, 3, 2**40, MAX, MAX - 1, True, False, 2.0, 2.5,
                  -0.0, 1e300, float(2**64), float(MAX), "a", None, [], {},
                  -1, 2**64, Index(2), Index(-1), fractions.Fraction(5, 2),
                  decimal.Decimal("2.000"), complex(2, 1), float("nan")]
        for value in values:
            with self.subTest(value=value):
                expected = python_membership(value, set(s))
                self.assertIs(value in s, expected)
                self.assertIs(s.contains(value), expected)
        empty = HashSet()
        for value in values:
            self.assertIs(value in empty, False)
            self.assertIs(empty.contains(value), False)

    def test_zero_and_negative_zero(self):
        self.assertIn(-0.0, HashSet([0]))
        self.assertIn(0.0, HashSet([0]))
        self.assertNotIn(-0.0, HashSet([1]))
        self.assertIs(False in HashSet([0]), True)

    def test_discard_and_remove_follow_equality(self):
        s = HashSet([1, 2, 3])
        s.remove(2.0)
        s.discard(True)
        self.assertContents(s, [3])
        s.remove(Index(3))
        self.assertContents(s, [])
        s = HashSet([1])
        for value in ([], {}, None, -1, 2**64, 1.5, float("nan")):
            s.discard(value)
            with self.assertRaises(KeyError) as caught:
                s.remove(value)
            self.assertIs(caught.exception.args[0], value)
        self.assertContents(s, [1])


class Mutation(Helpers):
    def test_add_is_insert(self):
        s = HashSet()
        self.assertIsNone(s.add(5))
        s.insert(5)
        self.assertContents(s, [5])

    def test_discard_remove_pop_clear(self):
        s = HashSet([1, 2, 3])
        self.assertIsNone(s.discard(9))
        s.discard(1)
        s.remove(2)
        with self.assertRaises(KeyError) as caught:
            s.remove(2)
        self.assertEqual(caught.exception.args, (2,))
        self.assertEqual(s.pop(), 3)
        with self.assertRaises(KeyError):
            s.pop()
        s.update(range(100))
        s.clear()
        self.assertContents(s, [])

    def test_pop_returns_each_element_once(self):
        s = HashSet(range(0, 30000, 3))
        popped = [s.pop() for _ in range(len(s))]
        self.assertEqual(sorted(popped), list(range(0, 30000, 3)))
        self.assertFalse(s)

    def test_copy_is_independent(self):
        s = HashSet([1, 2])
        c = s.copy()
        c.add(3)
        self.assertContents(s, [1, 2])
        self.assertContents(c, [1, 2, 3])
        self.assertIs(type(c), HashSet)
        s.discard(1)
        self.assertContents(c, [1, 2, 3])
        self.assertContents(HashSet().copy(), [])
        big = HashSet(range(5000))
        self.assertEqual(big.copy(), big)
        self.assertIsNot(big.copy(), big)

    def test_update_with_several_kinds_of_iterables(self):
        s = HashSet([1])
        self.assertIsNone(s.update([2, 3], (4,), {5}, frozenset({6}),
                                   range(7, 9), (v for v in [9, 10]),
                                   HashSet([11]), array.array("Q", [12]),
                                   {13: "x"}, {14: 0}.keys(), b"\x0f", []))
        self.assertContents(s, range(1, 16))

    def test_pop_and_clear_then_reuse(self):
        s = HashSet([MAX])
        self.assertEqual(s.pop(), MAX)
        self.assertIs(type(HashSet([True]).pop()), int)
        self.assertUnchangedAfter(s, KeyError, s.pop)
        s.add(4)
        self.assertContents(s, [4])
        s.update(range(10000))
        self.assertIsNone(s.clear())
        self.assertContents(s, [])
        s.clear()
        s.update(range(3))
        self.assertContents(s, [0, 1, 2])
        for value in range(3):
            self.assertIn(value, s)

    def test_remove_raises_with_the_value(self):
        s = HashSet([1])
        for value in (2, 0, MAX):
            with self.assertRaises(KeyError) as caught:
                s.remove(value)
            self.assertEqual(caught.exception.args, (value,))
        self.assertContents(s, [1])
        self.assertIsNone(s.remove(1))
        self.assertContents(s, [])


SETS = [set, frozenset, HashSet, ListSet, lambda v: dict.fromkeys(v).keys()]


class Algebra(Helpers):
    def test_operators_with_every_kind_of_set(self):
        for make in SETS:
            a, b = HashSet([1, 2, 3]), make([2, 3, 4])
            self.assertContents(a | b, [1, 2, 3, 4])
            self.assertContents(a & b, [2, 3])
            self.assertContents(a - b, [1])
            self.assertContents(a ^ b, [1, 4])
            # With the other set on the left, its own operator goes first
            # (a Set mixin's or dict keys' result is theirs); set and
            # frozenset give way, and HashSet's reflected operator answers.
            reflected = [(b | a, [1, 2, 3, 4]), (b & a, [2, 3]),
                         (b - a, [4]), (b ^ a, [1, 4])]
            for result, expected in reflected:
                self.assertEqual(set(result), set(expected))
                if make in (set, frozenset):
                    self.assertContents(result, expected)

    def test_in_place_operators(self):
        for make in SETS:
            s = HashSet([1, 2, 3])
            alias = s
            s |= make([4])
            s &= make([1, 2, 4])
            s -= make([2])
            s ^= make([4, 5])
            self.assertIs(s, alias)
            self.assertContents(s, [1, 5])

    def test_operators_reject_non_sets(self):
        s = HashSet([1])
        for op in (operator.or_, operator.and_, operator.sub, operator.xor,
                   operator.ior, operator.iand, operator.isub,
                   operator.ixor):
            self.assertUnchangedAfter(s, TypeError, lambda: op(s, [2]))
        self.assertUnchangedAfter(s, TypeError, lambda: [2] | s)

    def test_operators_with_foreign_elements(self):
        s = HashSet([1, 2])
        self.assertContents(s & {2, "a"}, [2])
        self.assertContents(s - {"a", 1}, [2])
        self.assertUnchangedAfter(s, TypeError, lambda: s | {"a"})
        self.assertUnchangedAfter(s, TypeError, lambda: s.__ior__({"a", 9}))
        self.assertUnchangedAfter(s, OverflowError, lambda: s.__ixor__({-1}))

    def test_methods_take_any_iterable(self):
        s = HashSet([1, 2, 3])
        self.assertContents(s.union([4], iter([5]), range(6, 7)),
                            [1, 2, 3, 4, 5, 6])
        self.assertContents(s.intersection([1, 2, "a"], (2, 3)), [2])
        self.assertContents(s.difference([1], iter([2])), [3])
        self.assertContents(s.symmetric_difference([3, 4, 4]), [1, 2, 4])
        self.assertContents(s.union(), [1, 2, 3])
        self.assertContents(s.intersection(), [1, 2, 3])
        self.assertTrue(HashSet([1, 2]).issubset([2, 1.0, "x"]))
        self.assertFalse(HashSet([1, 2]).issubset(iter([1])))
        self.assertTrue(s.issuperset([1, 2.0]))
        self.assertFalse(s.issuperset([1, "a"]))
        self.assertTrue(s.isdisjoint([7, "a", -1]))
        self.assertFalse(s.isdisjoint(iter([9, 3])))
        self.assertContents(s, [1, 2, 3])

    def test_update_methods_in_place(self):
        s = HashSet(range(10))
        self.assertIsNone(s.intersection_update(range(8), [1, 2, 3, 7]))
        self.assertContents(s, [1, 2, 3, 7])
        s.difference_update([1], {2})
        self.assertContents(s, [3, 7])
        s.symmetric_difference_update([7, 8, 8])
        self.assertContents(s, [3, 8])
        self.assertUnchangedAfter(s, TypeError,
                                  lambda: s.symmetric_difference_update([9, "a"]))
        self.assertUnchangedAfter(s, TypeError,
                                  lambda: s.intersection_update([3], None))

    def test_self_as_argument(self):
        s = HashSet([1, 2])
        s.update(s)
        self.assertContents(s, [1, 2])
        s &= s
        self.assertContents(s, [1, 2])
        s ^= s
        self.assertContents(s, [])
        s = HashSet([1, 2])
        s -= s
        self.assertContents(s, [])

    def test_reflected_operators_return_hashset(self):
        result = {1, 2} | HashSet([3])
        self.assertContents(result, [1, 2, 3])
        self.assertContents(frozenset({1, 2}) | HashSet([3]), [1, 2, 3])
        self.assertContents({1, 2} & HashSet([2, 3]), [2])
        self.assertContents({1, 2} - HashSet([2, 3]), [1])
        self.assertContents({1, 2} ^ HashSet([2, 3]), [1, 3])
        # The left operand's foreign elements cannot go into a HashSet.
        self.assertContents({1, "a"} & HashSet([1, 2]), [1])
        with self.assertRaises(TypeError):
            {"a"} | HashSet([1])

    def test_results_are_new_and_independent(self):
        a, b = HashSet([1, 2]), HashSet([2, 3])
        for result in (a | b, a & b, a - b, a ^ b, a.union(), a.union(b),
                       a.intersection(), a.difference(), a | HashSet(),
                       a.symmetric_difference([])):
            self.assertIsNot(result, a)
            self.assertIsNot(result, b)
            result.add(100)
        self.assertContents(a, [1, 2])
        self.assertContents(b, [2, 3])

    def test_every_operator_rejects_every_non_set(self):
        s = HashSet([1])
        for other in ([2], (2,), {2: 0}, None, 2, "2", iter([2]), range(2)):
            for op in (operator.or_, operator.and_, operator.sub,
                       operator.xor, operator.ior, operator.iand,
                       operator.isub, operator.ixor):
                with self.subTest(other=other, op=op):
                    self.assertUnchangedAfter(s, TypeError,
                                              lambda: op(s, other))
            for op in (operator.or_, operator.and_, operator.sub,
                       operator.xor):
                with self.subTest(other=other, reflected=op):
                    self.assertUnchangedAfter(s, TypeError,
                                              lambda: op(other, s))

    def test_in_place_operators_are_all_or_nothing(self):
        s = HashSet([1, 2])
        self.assertUnchangedAfter(s, TypeError, lambda: s.__ior__({5, "a"}))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.__ior__({5, 2**64}))
        self.assertUnchangedAfter(s, TypeError, lambda: s.__ixor__({1, "a"}))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.__ixor__({1, -1}))
        self.assertUnchangedAfter(s, TypeError,
                                  lambda: s.symmetric_difference([1, "a"]))
        self.assertUnchangedAfter(s, TypeError, lambda: s.union([3], ["a"]))
        self.assertUnchangedAfter(s, TypeError,
                                  lambda: s.difference_update([1], None))
        # Foreign elements simply do not match in &= and -=.
        s &= {1, 2, "a", 2.5}
        self.assertContents(s, [1, 2])
        s -= {"a", None, 2.0}
        self.assertContents(s, [1])

    def test_set_tests_take_any_iterable(self):
        s = HashSet([1, 2])
        for make in (list, tuple, iter, set, HashSet, ListSet,
                     lambda v: (x for x in v)):
            self.assertIs(s.issubset(make([1, 2, 3])), True)
            self.assertIs(s.issubset(make([1, 3])), False)
            self.assertIs(s.issuperset(make([2])), True)
            self.assertIs(s.issuperset(make([2, 3])), False)
            self.assertIs(s.isdisjoint(make([3, 4])), True)
            self.assertIs(s.isdisjoint(make([4, 2])), False)
            self.assertIs(s.issubset(make([])), False)
            self.assertIs(s.issuperset(make([])), True)
            self.assertIs(s.isdisjoint(make([])), True)
        self.assertIs(HashSet().issubset([]), True)
        for method in (s.issubset, s.issuperset, s.isdisjoint):
            with self.assertRaises(TypeError):
                method(5)
            with self.assertRaises(TypeError):
                method()
        self.assertContents(s, [1, 2])

    def test_methods_match_the_builtin_set_on_random_data(self):
        import random
        rng = random.Random(7)

        def keys(n):
            return [rng.choice((rng.randrange(3000),
                                rng.randrange(300) << 32,
                                rng.getrandbits(64))) for _ in range(n)]

        pool = keys(3000)
        for _ in range(20):
            a = rng.sample(pool, rng.randrange(0, 1500))
            b = rng.sample(pool, rng.randrange(0, 1500))
            c = rng.sample(pool, rng.randrange(0, 300))
            x, y, sa, sb = HashSet(a), HashSet(b), set(a), set(b)
            for ours, theirs in [
                    (x | y, sa | sb), (x & y, sa & sb), (x - y, sa - sb),
                    (x ^ y, sa ^ sb), (x | sb, sa | sb), (sa & y, sa & sb),
                    (x.union(b, c), sa.union(b, c)),
                    (x.intersection(b, a), sa.intersection(b, a)),
                    (x.difference(b, c), sa.difference(b, c)),
                    (x.symmetric_difference(iter(b)),
                     sa.symmetric_difference(b))]:
                self.assertIsInstance(ours, HashSet)
                self.assertEqual(set(ours), theirs)
                self.assertEqual(len(ours), len(theirs))
            for op in (operator.eq, operator.ne, operator.le, operator.lt,
                       operator.ge, operator.gt):
                self.assertIs(op(x, y), op(sa, sb), op)
                self.assertIs(op(x, sb), op(sa, sb), op)
                self.assertIs(op(sa, y), op(sa, sb), op)
                self.assertIs(op(x, x), op(sa, sa), op)
            self.assertIs(x.isdisjoint(b), sa.isdisjoint(sb))
            self.assertIs(x.issubset(b + c), sa.issubset(b + c))
            self.assertIs(x.issuperset(c), sa.issuperset(c))
            for name in ("__ior__", "__iand__", "__isub__", "__ixor__"):
                z, sz = x.copy(), set(sa)
                self.assertIs(getattr(z, name)(y), z)
                getattr(sz, name)(sb)
                self.assertEqual(set(z), sz, name)
            for name in ("intersection_update", "difference_update",
                         "symmetric_difference_update", "update"):
                z, sz = x.copy(), set(sa)
                self.assertIsNone(getattr(z, name)(iter(b)))
                getattr(sz, name)(b)
                self.assertEqual(set(z), sz, name)

    def test_comparisons(self):
        for make in SETS:
            self.assertTrue(HashSet([1, 2]) == make([1, 2]))
            self.assertTrue(make([1, 2]) == HashSet([1, 2]))
            self.assertTrue(HashSet([1]) != make([1, 2]))
            self.assertTrue(HashSet([1]) <= make([1, 2]))
            self.assertTrue(HashSet([1]) < make([1, 2]))
            self.assertFalse(HashSet([1, 2]) < make([1, 2]))
            self.assertTrue(HashSet([1, 2]) >= make([1]))
            self.assertTrue(HashSet([1, 2]) > make([2]))
            self.assertFalse(HashSet([1, 3]) >= make([1, 2]))
            self.assertTrue(make([1]) < HashSet([1, 2]))
        self.assertFalse(HashSet([1]) == [1])
        self.assertTrue(HashSet([1]) != [1])
        self.assertFalse(HashSet([1, 2]) == {1, "a"})
        with self.assertRaises(TypeError):
            HashSet([1]) <= [1]

    def test_equality_and_order_with_non_sets(self):
        s = HashSet([1])
        for other in ([1], (1,), {1: 0}, None, 1, "1", range(1, 2)):
            self.assertIs(s == other, False)
            self.assertIs(other == s, False)
            self.assertIs(s != other, True)
            for op in (operator.le, operator.lt, operator.ge, operator.gt):
                with self.assertRaises(TypeError):
                    op(s, other)
                with self.assertRaises(TypeError):
                    op(other, s)
        self.assertContents(s, [1])

    def test_comparisons_follow_python_equality(self):
        self.assertTrue(HashSet([1, 2]) == {1, 2.0})
        self.assertTrue({1.0, 2} == HashSet([1, 2]))
        self.assertTrue(HashSet([1]) == frozenset({True}))
        self.assertTrue(HashSet() == set())
        self.assertTrue(HashSet() == HashSet())
        self.assertFalse(HashSet() != frozenset())
        self.assertTrue(HashSet([1, 2]) <= {1, 2, "a"})
        self.assertTrue(HashSet([1]) < {1, "a"})
        self.assertFalse(HashSet([1, 2]) >= {1, "a"})
        self.assertFalse(HashSet([1, 2]) > {1, "a"})
        self.assertTrue({1, "a"} > HashSet([1]))
        self.assertFalse(HashSet([1, 2]) == {1, 3})
        self.assertFalse(HashSet([1, 2]) == HashSet([1, 3]))
        self.assertTrue(HashSet([MAX]) == {MAX})
        self.assertTrue(HashSet([1, 2]) == ListSet([2, 1]))
        self.assertTrue(ListSet([2, 1]) == HashSet([1, 2]))


class Iteration(Helpers):
    def test_each_element_exactly_once(self):
        values = list(range(0, 2**64, 2**50)) + [MAX]
        self.assertEqual(sorted(iter(HashSet(values))), sorted(values))

    def test_iterator_protocol(self):
        s = HashSet(range(5))
        it = iter(s)
        self.assertIs(iter(it), it)
        self.assertEqual(operator.length_hint(it), 5)
        next(it)
        next(it)
        self.assertEqual(operator.length_hint(it), 3)
        self.assertEqual(len(list(it)), 3)
        self.assertEqual(operator.length_hint(it), 0)
        with self.assertRaises(StopIteration):
            next(it)

    def test_every_modification_is_detected(self):
        modifications = {
            "add new": lambda s: s.add(1000),
            "insert new": lambda s: s.insert(1000),
            "remove": lambda s: s.remove(5),
            "discard present": lambda s: s.discard(5),
            "pop": lambda s: s.pop(),
            "clear": lambda s: s.clear(),
            "update": lambda s: s.update([1000, 1001]),
            "|=": lambda s: s.__ior__({1000}),
            "&=": lambda s: s.__iand__({1, 2}),
            "-=": lambda s: s.__isub__({1}),
            "^=": lambda s: s.__ixor__({1}),
            "add then remove": lambda s: (s.add(1000), s.remove(7)),
            "__init__": lambda s: s.__init__([1, 2]),
        }
        for name, modify in modifications.items():
            s = HashSet(range(50))
            it = iter(s)
            next(it)
            modify(s)
            for _ in range(3):
                with self.assertRaisesRegex(RuntimeError,
                                            "^HashSet changed during "
                                            "iteration$", msg=name):
                    next(it)
            self.assertEqual(operator.length_hint(it), 0)

    def test_loop_that_modifies_raises(self):
        s = HashSet(range(100))
        with self.assertRaises(RuntimeError):
            for value in s:
                s.add(value + 1000)

    def test_non_modifications_keep_iterating(self):
        s = HashSet(range(50))
        it = iter(s)
        first = next(it)
        s.add(3)
        s.insert(first)
        s.discard(999)
        s.update([1, 2])
        s |= {4}
        s -= {"a", 999}
        self.assertEqual(sorted([first] + list(it)), list(range(50)))

    def test_calls_that_change_nothing_keep_iterating(self):
        for name, call in {
            "update with present keys": lambda s: s.update([1, 2]),
            "|= with present keys": lambda s: s.__ior__({1}),
            "intersection_update keeping all":
                lambda s: s.intersection_update(range(100), range(100)),
            "^= with an empty set": lambda s: s.__ixor__(set()),
        }.items():
            s = HashSet(range(0, 7))
            it = iter(s)
            first = next(it)
            call(s)
            self.assertEqual(sorted([first] + list(it)), list(range(7)), name)

    def test_modification_before_the_first_step(self):
        for modify in (lambda s: s.add(99), lambda s: s.discard(1),
                       lambda s: s.clear(), lambda s: s.pop()):
            s = HashSet(range(10))
            it = iter(s)
            modify(s)
            with self.assertRaisesRegex(RuntimeError,
                                        "^HashSet changed during iteration$"):
                next(it)
            with self.assertRaises(RuntimeError):
                next(it)

    def test_changes_that_keep_the_size_are_detected(self):
        modifications = {
            "remove then add back the same": lambda s: (s.remove(5),
                                                         s.add(5)),
            "discard then add another": lambda s: (s.discard(5), s.add(777)),
            "grow then shrink back": lambda s: (
                s.update(range(1000, 50000)),
                s.difference_update(range(1000, 50000))),
            "pop then add back": lambda s: s.add(s.pop()),
            "clear then refill": lambda s: (s.clear(), s.update(range(50))),
            "^= with one in, one out": lambda s: s.__ixor__({5, 999}),
            "__init__ with the same": lambda s: s.__init__(range(50)),
        }
        for name, modify in modifications.items():
            s = HashSet(range(50))
            it = iter(s)
            next(it)
            modify(s)
            self.assertEqual(len(s), 50, name)
            for _ in range(2):
                with self.assertRaisesRegex(RuntimeError,
                                            "^HashSet changed during "
                                            "iteration$", msg=name):
                    next(it)

    def test_tutorial_iterator_is_live_too(self):
        s = HashSet([1, 2, 3])
        it = s.iter()
        self.assertIs(type(it), hashset.SetIterator)
        next(it)
        s.add(4)
        with self.assertRaisesRegex(RuntimeError, "changed during iteration"):
            next(it)

    def test_every_live_iterator_sees_the_change(self):
        s = HashSet(range(10))
        first, second, untouched = iter(s), iter(s), iter(s.copy())
        next(first)
        s.add(100)
        for it in (first, second):
            with self.assertRaises(RuntimeError):
                next(it)
        self.assertEqual(sorted(untouched), list(range(10)))
        fresh = iter(s)  # an iterator started after the change is fine
        self.assertEqual(sorted(fresh), list(range(10)) + [100])

    def test_no_repeated_or_invented_values_before_the_error(self):
        for modify in (lambda s: s.add(10**9), lambda s: s.discard(7),
                       lambda s: (s.add(10**9), s.discard(10**9)),
                       lambda s: s.update(range(10**5, 2 * 10**5))):
            s = HashSet(range(1000))
            seen = []
            with self.assertRaises(RuntimeError):
                for value in s:
                    seen.append(value)
                    if len(seen) == 500:
                        modify(s)
            self.assertEqual(len(seen), 500)
            self.assertEqual(len(set(seen)), 500)
            self.assertTrue(set(seen) <= set(range(1000)))

    def test_rejected_operations_are_not_modifications(self):
        rejected = [
            lambda s: s.add("a"), lambda s: s.add(-1),
            lambda s: s.insert(2**64), lambda s: s.update([1000, "a"]),
            lambda s: s.update(range(1000, 100000), [-1]),
            lambda s: s.remove(999), lambda s: s.__ior__({1000, "a"}),
            lambda s: s.symmetric_difference_update([1000, None]),
            lambda s: s.intersection_update([1], None),
        ]
        for number, operation in enumerate(rejected):
            s = HashSet(range(50))
            it = iter(s)
            first = next(it)
            with self.assertRaises((TypeError, OverflowError, KeyError)):
                operation(s)
            self.assertEqual(sorted([first] + list(it)), list(range(50)),
                             number)

    def test_queries_are_not_modifications(self):
        s = HashSet(range(50))
        it = iter(s)
        first = next(it)
        s.contains(3), 3 in s, "a" in s, s.len(), len(s), repr(s)
        s.copy(), s | {1000}, s & {1}, s - {1}, s ^ {1000}, s == {1}
        s <= {1}, s.issubset([1]), s.isdisjoint([1]), list(iter(s))
        s.union([1000]), s.difference([1]), s.intersection([1])
        pickle.dumps(s), copy.copy(s), sys.getsizeof(s)
        self.assertEqual(sorted([first] + list(it)), list(range(50)))

    def test_adding_present_elements_in_bulk_is_not_a_modification(self):
        # SPEC: "Adding an element that is already present is not a
        # modification", whatever path adds it.
        adds = {
            "add": lambda s: [s.add(v) for v in range(50)],
            "update(list)": lambda s: s.update([1, 2, 3]),
            "update(range(50))": lambda s: s.update(range(50)),
            "update(list(range(50)))": lambda s: s.update(list(range(50))),
            "update(generator)": lambda s: s.update(v for v in range(50)),
            "update(array)": lambda s: s.update(array.array("Q", range(50))),
            "update(repeats)": lambda s: s.update([7] * 5000),
            "update(itself)": lambda s: s.update(s),
            "|= copy": lambda s: s.__ior__(s.copy()),
            "|= set": lambda s: s.__ior__(set(range(50))),
            "|= itself": lambda s: s.__ior__(s),
            "&= superset": lambda s: s.__iand__(set(range(100))),
            "-= absent": lambda s: s.__isub__({100, "a"}),
            "^= empty": lambda s: s.__ixor__(set()),
        }
        for name, add in adds.items():
            with self.subTest(name):
                s = HashSet(range(50))
                it = iter(s)
                first = next(it)
                add(s)
                self.assertEqual(sorted([first] + list(it)),
                                 list(range(50)))

    def test_exhausted_stays_exhausted(self):
        s = HashSet([1])
        it = iter(s)
        self.assertEqual(list(it), [1])
        s.add(2)
        with self.assertRaises(StopIteration):
            next(it)
        s.clear()
        for _ in range(2):
            with self.assertRaises(StopIteration):
                next(it)
        self.assertEqual(operator.length_hint(it), 0)
        empty = iter(HashSet())
        self.assertEqual(operator.length_hint(empty), 0)
        with self.assertRaises(StopIteration):
            next(empty)
        HashSet().add(1)
        with self.assertRaises(StopIteration):
            next(empty)

    def test_length_hint_counts_down_on_a_large_set(self):
        s = HashSet(range(0, 2**64, 2**44))
        it = iter(s)
        for remaining in range(len(s), 0, -1):
            self.assertEqual(operator.length_hint(it), remaining)
            self.assertEqual(it.__length_hint__(), remaining)
            next(it)
        self.assertEqual(operator.length_hint(it), 0)
    def test_iterator_keeps_set_alive(self):
        it = iter(HashSet([1, 2, 3]))
        gc.collect()
        self.assertEqual(sorted(it), [1, 2, 3])
        s = HashSet([4])
        ref = weakref.ref(s)
        it = iter(s)
        del s
        gc.collect()
        self.assertIsNotNone(ref())
        del it
        gc.collect()
        self.assertIsNone(ref())
        # Half-way through, the set dropped, memory churned, then resumed.
        it = HashSet(range(0, 30000, 3)).iter()
        head = [next(it) for _ in range(5000)]
        gc.collect()
        churn = [HashSet(range(i, i + 100)) for i in range(200)]
        del churn
        self.assertEqual(sorted(head + list(it)), list(range(0, 30000, 3)))

    def test_cannot_instantiate_iterator(self):
        with self.assertRaises(TypeError):
            hashset.SetIterator()
        with self.assertRaises(TypeError):
            type(iter(HashSet()))()
        with self.assertRaises(TypeError):
            type(iter(HashSet()))(HashSet([1]))
        with self.assertRaises(TypeError):
            hashset.SetIterator.__new__(hashset.SetIterator)


def iteration_outcome(make_set, source):
    """The elements of make_set(source), or the type of its exception."""
    try:
        return sorted(make_set(source))
    except Exception as error:
        return type(error)


def generic_outcome(source):
    """What the generic path gives: the elements that iterating source
    yields, each converted as add() converts it."""
    def generic(obj):
        s = HashSet()
        values = list(obj)  # iterating, as set(obj) does
        s.update(iter(values))  # an iterator: never a buffer
        return s
    return iteration_outcome(generic, source)


class BufferFastPath(Helpers):
    LIMITS = {"b": 2**7, "B": 2**8, "h": 2**15, "H": 2**16, "i": 2**31,
              "I": 2**32, "l": 2**63, "L": 2**64, "q": 2**63, "Q": 2**64}

    def assertSameAsGeneric(self, source, label=""):
        expected = generic_outcome(source)
        self.assertEqual(iteration_outcome(HashSet, source), expected, label)
        self.assertEqual(iteration_outcome(lambda o: HashSet().union(o),
                                           source), expected, label)

        def updated(obj):
            s = HashSet([10**15])
            try:
                s.update(obj)
            except Exception:
                self.assertContents(s, [10**15])  # all or nothing
                raise
            s.remove(10**15)
            return s
        got = iteration_outcome(updated, source)
        if isinstance(expected, list):
            expected = sorted(set(expected) - {10**15})
        self.assertEqual(got, expected, label)

    def test_integer_arrays_match_generic_path(self):
        for code in "bBhHiIlLqQ":
            top = self.LIMITS[code] - 1
            values = [0, 1, 2, 100, 127, top, top // 2, top - 1, 1, 0]
            arr = array.array(code, values)
            self.assertEqual(HashSet(arr), HashSet(list(arr)), code)
            self.assertContents(HashSet(arr), set(values))
            self.assertEqual(HashSet(memoryview(arr)), HashSet(values), code)
            for view in (memoryview(arr), memoryview(arr)[::2],
                         memoryview(arr)[::-1], memoryview(arr)[1:-1:3],
                         memoryview(arr).toreadonly(), memoryview(arr)[5:5]):
                self.assertSameAsGeneric(view, code)
            self.assertSameAsGeneric(arr, code)
        big = array.array("Q", [MAX, 2**63])
        self.assertContents(HashSet(big), [MAX, 2**63])

    def test_large_arrays_of_every_width_match_generic_path(self):
        for code in "BhHiIlLqQ":
            top = self.LIMITS[code] - 1
            step = max(1, top // 200000)
            arr = array.array(code, range(0, top, step)[:200000])
            arr.extend(arr[:1000])  # repeats
            s = HashSet(arr)
            self.assertEqual(len(s), len(set(arr)), code)
            self.assertEqual(s, set(arr), code)

    def test_strided_views_read_only_their_elements(self):
        arr = array.array("q", [1, -1, 3, -3, 5, -5])
        self.assertContents(HashSet(memoryview(arr)[::2]), [1, 3, 5])
        with self.assertRaises(OverflowError):
            HashSet(memoryview(arr)[1::2])
        wide = array.array("Q", range(100))
        self.assertContents(HashSet(memoryview(wide)[10:50:7]),
                            range(10, 50, 7))
        self.assertContents(HashSet(memoryview(wide)[::-9]),
                            range(99, -1, -9))

    def test_negative_values_in_signed_buffers(self):
        s = HashSet([5])
        for code in "bhilq":
            arr = array.array(code, [1, -2])
            self.assertUnchangedAfter(s, OverflowError, lambda: s.update(arr))
            with self.assertRaises(OverflowError):
                HashSet(arr)
            # A negative value at the end of a long array: nothing added.
            long = array.array(code, list(range(100)) * 1000 + [-1])
            self.assertUnchangedAfter(s, OverflowError,
                                      lambda: s.update(long))
            self.assertUnchangedAfter(s, OverflowError,
                                      lambda: s.update(memoryview(long)))
            self.assertUnchangedAfter(s, OverflowError,
                                      lambda: s.update([7], long))
            with self.assertRaises(OverflowError):
                HashSet(long)
            self.assertSameAsGeneric(long, code)
        self.assertContents(s, [5])

    def test_update_with_arrays(self):
        s = HashSet([MAX])
        s.update(array.array("Q", [1, 2]), array.array("b", [3]),
                 memoryview(array.array("H", [4, 65535])), bytearray(b"\x05"))
        self.assertContents(s, [MAX, 1, 2, 3, 4, 5, 65535])
        self.assertUnchangedAfter(
            s, TypeError, lambda: s.update(array.array("Q", [9, 10]), ["x"]))
        self.assertUnchangedAfter(
            s, TypeError,
            lambda: s.update(array.array("Q", [9]), array.array("d", [1])))

    def test_bytes_and_bytearray(self):
        self.assertContents(HashSet(b"abca"), [97, 98, 99])
        self.assertContents(HashSet(bytearray(b"\x00\xff")), [0, 255])
        self.assertContents(HashSet(bytes(range(256))), range(256))
        self.assertContents(HashSet(memoryview(bytes(range(256)))[::5]),
                            range(0, 256, 5))
        self.assertContents(HashSet(b""), [])
        for source in (b"\x00\x01\xff", bytearray(b"xyz"),
                       memoryview(b"xyzw")[::2]):
            self.assertSameAsGeneric(source)

    def test_non_integer_buffers_are_rejected_like_their_elements(self):
        s = HashSet([1])
        for source in (array.array("d", [1.0]), array.array("f", [2.0]),
                       array.array("u", "ab"), memoryview(b"ab").cast("c"),
                       [1.0], array.array("d")):
            with self.subTest(source=source):
                self.assertSameAsGeneric(source)
                if len(source):
                    self.assertUnchangedAfter(s, TypeError,
                                              lambda: s.update(source))
                    with self.assertRaises(TypeError):
                        HashSet(source)

    def test_other_memoryview_shapes(self):
        arr = array.array("Q", range(20))
        self.assertEqual(HashSet(memoryview(arr)[::3]), HashSet(arr[::3]))
        released = memoryview(arr)
        released.release()
        grid = memoryview(bytes(range(6))).cast("B", [2, 3])
        scalar = memoryview(array.array("Q", [5])).cast("B").cast("Q", [])
        for source in (released, grid, scalar,
                       memoryview(bytes(16)).cast("N"),
                       memoryview(bytes(16)).cast("?")):
            self.assertSameAsGeneric(source, repr(source))

    def test_ctypes_arrays_with_explicit_byte_order(self):
        try:
            import ctypes
        except ImportError:
            self.skipTest("no ctypes")
        sources = [
            (ctypes.c_uint64 * 3)(1, 2, MAX),
            (ctypes.c_uint32.__ctype_be__ * 3)(1, 2, 2**32 - 1),
            (ctypes.c_uint64.__ctype_be__ * 2)(2**40 + 1, MAX - 1),
            (ctypes.c_int16.__ctype_le__ * 3)(1, 2, 300),
            (ctypes.c_int16.__ctype_be__ * 3)(1, -2, 300),
            (ctypes.c_int64.__ctype_be__ * 2)(5, -5),
            (ctypes.c_bool * 3)(True, False, True),
            (ctypes.c_char * 3)(b"a", b"b", b"c"),
            (ctypes.c_double * 2)(1.0, 2.0),
        ]
        for source in sources:
            self.assertSameAsGeneric(source, memoryview(source).format)
        self.assertContents(HashSet(sources[2]), [2**40 + 1, MAX - 1])

    def test_buffer_subclasses_iterate_as_they_say(self):
        # The fast path must give what iterating gives (SPEC: "with the
        # same results as the generic path"), and set(x) iterates x.
        class Shifted(bytearray):
            def __iter__(self):
                return (b + 1000 for b in bytearray.__iter__(self))

        class Evens(array.array):
            def __iter__(self):
                return (v for v in array.array.__iter__(self) if v % 2 == 0)

        for source in (Shifted(b"\x01\x02"), Evens("Q", [1, 2, 3, 4])):
            with self.subTest(type(source).__name__):
                self.assertEqual(sorted(HashSet(source)), sorted(set(source)))

    def test_large_array(self):
        arr = array.array("Q", range(0, 3 * 10**6, 3))
        s = HashSet(arr)
        self.assertEqual(len(s), 10**6)
        self.assertIn(0, s)
        self.assertIn(3 * (10**6 - 1), s)
        self.assertNotIn(1, s)
        for value in range(0, 3 * 10**6, 29997):
            self.assertIn(value, s)
            self.assertNotIn(value + 1, s)
        s.update(array.array("Q", [1]))
        self.assertIn(1, s)
        self.assertEqual(len(s), 10**6 + 1)

    def test_large_random_array(self):
        arr = array.array("Q")
        arr.frombytes(os.urandom(8 * 10**6))
        arr.extend(arr[:1000])
        s = HashSet(arr)
        self.assertEqual(len(s), len(set(arr)))
        for value in arr[::997]:
            self.assertIn(value, s)
        self.assertEqual(sum(1 for _ in s), len(s))


def run_pyhost(code, env_extra=None, preexec_fn=None):
    """Runs code in a new interpreter like this one (pyhost, or python3.11
    with the extension modules on PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON") or k == "PYTHONPATH"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", code], env=env,
                          capture_output=True, text=True, timeout=60,
                          preexec_fn=preexec_fn)


class Hashing(Helpers):
    ORDER = ("import hashset; "
             "print(list(hashset.HashSet(range(1000, 2000))))")

    def order(self, seed=None):
        result = run_pyhost(self.ORDER, None if seed is None
                            else {"PYTHONHASHSEED": seed})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(json.loads(result.stdout)),
                         list(range(1000, 2000)))
        return result.stdout

    def test_seed_makes_order_reproducible(self):
        first = self.order("123")
        self.assertEqual(first, self.order("123"))
        self.assertNotEqual(first, self.order("124"))
        self.assertNotEqual(self.order("1"), self.order("2"))
        self.assertEqual(self.order("0"), self.order("0"))

    def test_seed_is_random_without_pythonhashseed(self):
        self.assertNotEqual(self.order(), self.order())
        self.assertNotEqual(self.order("random"), self.order("random"))

    def test_seed_does_not_travel_with_pickles(self):
        dump = ("import hashset, pickle, sys; sys.stdout.buffer.write("
                "pickle.dumps(hashset.HashSet(range(10**5, 2 * 10**5))))")
        code = ("import hashset, pickle, sys\n"
                "s = pickle.loads(bytes.fromhex(sys.stdin.read()))\n"
                "assert type(s) is hashset.HashSet\n"
                "print(len(s), s == set(range(10**5, 2 * 10**5)),"
                " all(v in s for v in range(10**5, 2 * 10**5)))\n")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PYTHON") or k == "PYTHONPATH"}
        data = subprocess.run([sys.executable, "-c", dump], check=True,
                              capture_output=True, timeout=60,
                              env=dict(env, PYTHONHASHSEED="1")).stdout
        result = subprocess.run([sys.executable, "-c", code],
                                input=data.hex(), capture_output=True,
                                text=True, timeout=60,
                                env=dict(env, PYTHONHASHSEED="2"))
        self.assertEqual(result.stdout, "100000 True True\n", result.stderr)

    def test_each_set_hashes_on_its_own(self):
        # A slice of one set's iteration holds keys from one band of its
        # hash; another set must not share that hash (with one seed for
        # all, HashSet(list(islice(a, n // 2))) took 24 s at n = 1e6).
        # Two sets of the same keys therefore iterate in different orders.
        values = range(10**4, 2 * 10**4)
        self.assertNotEqual(list(HashSet(values)), list(HashSet(values)))
        a = HashSet(range(10**5))
        half = HashSet(list(a)[: 5 * 10**4])
        self.assertEqual(len(half), 5 * 10**4)

    def test_adversarial_patterns_are_correct(self):
        patterns = {
            "multiples of 2**32": [i << 32 for i in range(100000)],
            "progression 2**40": range(0, 2**63, 2**40)[:100000],
            "top bits only": [i << 47 for i in range(100000)],
            "top bits, low bit set": [(i << 47) | 1 for i in range(100000)],
            "high half only": [(i * 2654435761 % 2**32) << 32
                               for i in range(100000)],
            "dense": range(100000),
        }
        for name, keys in patterns.items():
            s = HashSet(keys)
            self.assertEqual(len(s), len(keys), name)
            self.assertTrue(all(k in s for k in keys), name)
            members = set(keys)
            self.assertFalse(any(k + 2 in s for k in keys[:1000]
                                 if k + 2 not in members), name)
            self.assertEqual(sum(1 for _ in s), len(keys), name)
            for k in keys[::2]:
                s.remove(k)
            self.assertEqual(len(s), len(keys) // 2, name)
            self.assertTrue(all(k in s for k in keys[1::2]), name)
            self.assertFalse(any(k in s for k in keys[::2]), name)


class PickleCopySize(Helpers):
    def test_round_trips(self):
        s = HashSet([0, 1, MAX, 2**40])
        for source in (s, HashSet(), HashSet(range(0, 2**64, 2**48))):
            for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
                again = pickle.loads(pickle.dumps(source, protocol))
                self.assertIs(type(again), HashSet)
                self.assertEqual(again, source)
                self.assertEqual(sorted(again), sorted(source))
        for clone in (copy.copy(s), copy.deepcopy(s)):
            self.assertIs(type(clone), HashSet)
            self.assertEqual(clone, s)
            self.assertIsNot(clone, s)
            clone.add(5)
            self.assertNotIn(5, s)

    def test_deepcopy_keeps_shared_references(self):
        s = HashSet([1, 2])
        pair = copy.deepcopy([s, s])
        self.assertIs(pair[0], pair[1])
        self.assertIsNot(pair[0], s)
        self.assertEqual(pair[0], s)
        pair = pickle.loads(pickle.dumps([s, s]))
        self.assertIs(pair[0], pair[1])

    def test_subclass_pickles_with_attributes(self):
        global Tagged

        class Tagged(HashSet):
            pass

        t = Tagged([3, MAX])
        t.label = "x"
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(t, protocol))
            self.assertIs(type(again), Tagged)
            self.assertEqual(again.label, "x")
            self.assertContents(again, [3, MAX])
        for clone in (copy.copy(t), copy.deepcopy(t)):
            self.assertIs(type(clone), Tagged)
            self.assertEqual(clone.label, "x")
            self.assertContents(clone, [3, MAX])

    def test_getsizeof_counts_the_table(self):
        empty = sys.getsizeof(HashSet())
        big = sys.getsizeof(HashSet(range(100000)))
        self.assertLess(empty, 300)
        self.assertGreaterEqual(big, 8 * 100000)
        self.assertGreaterEqual(big - empty, 8 * 100000)
        self.assertLessEqual(big - empty, 16 * 100000)
        sizes = [sys.getsizeof(HashSet(range(n)))
                 for n in (0, 10, 1000, 10**4, 10**5)]
        self.assertEqual(sizes, sorted(sizes))
        self.assertLess(sizes[0], sizes[-1])
        s = HashSet(range(100000))
        s.clear()
        self.assertLess(sys.getsizeof(s), 300)  # clear frees the table


class Subclassing(Helpers):
    def test_extra_attributes_and_methods(self):
        class Ids(HashSet):
            def evens(self):
                return sorted(v for v in self if v % 2 == 0)

        ids = Ids(range(5))
        ids.owner = "me"
        self.assertEqual((ids.evens(), ids.owner), ([0, 2, 4], "me"))
        self.assertIsInstance(ids, collections.abc.MutableSet)
        for result in (ids | {9}, ids & {1}, ids - {1}, ids ^ {9},
                       ids.union([9]), ids.intersection([1]),
                       ids.difference([1]), ids.symmetric_difference([9]),
                       ids.copy(), {9} | ids):
            self.assertIsInstance(result, HashSet)
        alias = ids
        ids |= {10}
        self.assertIs(ids, alias)
        self.assertEqual(ids, set(range(5)) | {10})
        self.assertEqual(ids, HashSet(ids))

    def test_subclass_with_its_own_init(self):
        class Pair(HashSet):
            def __init__(self, a, b):
                super().__init__([a, b])

        self.assertContents(Pair(1, 2), [1, 2])
        self.assertEqual(repr(Pair(3, 3)), "Pair({3})")

    def test_cycles_through_a_subclass_are_collected(self):
        class Node(HashSet):
            pass

        node = Node([1])
        node.me = node
        ref = weakref.ref(node)
        del node
        gc.collect()
        self.assertIsNone(ref())
        node = Node([1])
        node.it = iter(node)  # set -> iterator -> set
        ref = weakref.ref(node)
        del node
        gc.collect()
        self.assertIsNone(ref())

    def test_weak_references(self):
        s = HashSet([1])
        ref = weakref.ref(s)
        self.assertIs(ref(), s)
        del s
        gc.collect()
        self.assertIsNone(ref())


class Signals(Helpers):
    def test_interrupted_update_leaves_set_unchanged(self):
        s = HashSet([1, 2])

        def values():
            for i in range(10**6):
                if i == 50000:
                    signal.raise_signal(signal.SIGINT)
                yield i + 10

        self.assertUnchangedAfter(s, KeyboardInterrupt,
                                  lambda: s.update(values()))
        self.assertUnchangedAfter(s, KeyboardInterrupt,
                                  lambda: s.update([5, 6], values()))
        self.assertUnchangedAfter(s, KeyboardInterrupt,
                                  lambda: HashSet(values()))
        s.add(3)
        self.assertContents(s, [1, 2, 3])
        s.update(range(10, 20))
        self.assertEqual(len(s), 13)

    def test_interrupt_main_from_the_iterable(self):
        s = HashSet(range(100))

        def values():
            for i in range(10**6):
                if i == 100000:
                    _thread.interrupt_main()
                yield i * 3

        self.assertUnchangedAfter(s, KeyboardInterrupt,
                                  lambda: s.update(values()))
        self.assertUnchangedAfter(s, KeyboardInterrupt,
                                  lambda: s.__ior__(HashSet(values())))
        self.assertEqual(len(s), 100)
        self.assertEqual(sum(1 for _ in s), 100)

    def test_interrupted_bulk_read_of_a_list(self):
        # Interrupted while update() reads a list (C code, no bytecode):
        # the set is either as before or fully updated, never in between.
        code = ("import hashset, threading, _thread\n"
                "s = hashset.HashSet([1])\n"
                "data = list(range(2, 10**7))\n"
                "threading.Timer(0.05, _thread.interrupt_main).start()\n"
                "try:\n"
                "    for _ in range(1000):\n"
                "        s.update(data)\n"
                "except KeyboardInterrupt:\n"
                "    print(len(s) in (1, 10**7 - 1), 1 in s)\n")
        result = run_pyhost(code)
        self.assertEqual(result.stdout, "True True\n", result.stderr)


MEMORY_LIMITED = """\
import array, hashset, json, pickle, resource
from hashset import HashSet
s = HashSet(range(1000))
big = HashSet(range(10**6, 3 * 10**6))
arr = array.array("Q", range(10**6, 3 * 10**6))
lst = list(range(10**6, 3 * 10**6))
def vmsize():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
limit = vmsize() + 12 * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
operations = {
    "update(range(10**8))": lambda: s.update(range(10**8)),
    "update(big)": lambda: s.update(big),
    "update(array)": lambda: s.update(arr),
    "update(list)": lambda: s.update(lst),
    "|= big": lambda: s.__ior__(big),
    "^= big": lambda: s.__ixor__(big),
    "symmetric_difference_update(array)":
        lambda: s.symmetric_difference_update(arr),
    "union": lambda: s.union(big),
    "|": lambda: s | big,
    "copy": lambda: big.copy(),
    "HashSet(big)": lambda: HashSet(big),
    "HashSet(array)": lambda: HashSet(arr),
    "HashSet(range(10**8))": lambda: HashSet(range(10**8)),
}
outcome = {}
for name, operation in operations.items():
    try:
        operation()
        error = None
    except MemoryError:
        error = "MemoryError"
    except BaseException as other:
        error = type(other).__name__
    outcome[name] = [error, len(s), sorted(s) == list(range(1000))]
outcome["big intact"] = len(big) == 2 * 10**6 and 10**6 in big
s.add(5000)
outcome["after add"] = [len(s), 5000 in s]
print(json.dumps(outcome))
"""


class Memory(Helpers):
    @unittest.skipIf(os.environ.get("PYHOST_SANITIZED"),
                     "AddressSanitizer reserves address space that an "
                     "RLIMIT_AS small enough to test would deny")
    def test_memory_error_leaves_set_usable(self):
        code = (
            "import hashset, json, resource\n"
            "s = hashset.HashSet(range(1000))\n"
            "limit = 400 * 2**20\n"
            "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
            "outcome = {}\n"
            "try:\n"
            "    s.update(range(1000, 1000 + 10**8))\n"
            "    outcome['error'] = None\n"
            "except MemoryError:\n"
            "    outcome['error'] = 'MemoryError'\n"
            "outcome['len'] = len(s)\n"
            "outcome['intact'] = all(i in s for i in range(1000))\n"
            "s.add(5000)\n"
            "outcome['after_add'] = len(s)\n"
            "print(json.dumps(outcome))\n")
        result = run_pyhost(code)
        self.assertEqual(result.returncode, 0, result.stderr)
        outcome = json.loads(result.stdout)
        self.assertEqual(outcome, {"error": "MemoryError", "len": 1000,
                                   "intact": True, "after_add": 1001})

    @unittest.skipIf(os.environ.get("PYHOST_SANITIZED"),
                     "AddressSanitizer reserves address space that an "
                     "RLIMIT_AS small enough to test would deny")
    def test_memory_error_in_every_bulk_operation(self):
        # 12 MB of address space to spare; each operation needs more.
        # Blocks of 128 KiB and more are mapped and unmapped on their own:
        # else glibc keeps freed blocks of the set-up inside the address
        # space, and an operation that needs less than they hold succeeds.
        result = run_pyhost(MEMORY_LIMITED,
                            {"MALLOC_MMAP_THRESHOLD_": "131072"})
        self.assertEqual(result.returncode, 0, result.stderr)
        outcome = json.loads(result.stdout)
        expected = {name: ["MemoryError", 1000, True]
                    for name in outcome if name not in ("big intact",
                                                        "after add")}
        expected.update({"big intact": True, "after add": [1001, True]})
        self.assertEqual(outcome, expected)


if __name__ == "__main__":
    unittest.main()
