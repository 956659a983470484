"""Tests of the hashset module (SPEC.md, "Module hashset"), run inside pyhost.

One class per bullet of the specification.  Every rejected operation is
also checked to leave the set exactly as it was.
"""
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
        with self.assertRaises(OverflowError):
            HashSet([1, -1])

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
        self.assertEqual(len(HashSet(range(10))), 10)

    def test_subclass_repr_and_attributes(self):
        class Tags(HashSet):
            pass

        tags = Tags([4])
        tags.note = "kept"
        self.assertEqual(repr(tags), "Tags({4})")
        self.assertEqual(tags.note, "kept")
        self.assertIsInstance(tags | {5}, HashSet)


class Elements(Helpers):
    def test_range_limits(self):
        s = HashSet([0, MAX])
        self.assertContents(s, [0, MAX])
        for value in (-1, 2**64, -(2**64), 2**100):
            self.assertUnchangedAfter(s, OverflowError, lambda: s.add(value))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.insert(2**64))

    def test_wrong_types(self):
        s = HashSet([1])
        for value in ("a", 1.5, 2.0, None, [], b"1", 1j, decimal.Decimal(1)):
            self.assertUnchangedAfter(s, TypeError, lambda: s.add(value))
            self.assertUnchangedAfter(s, TypeError,
                                      lambda: s.update([2, value]))

    def test_bool_and_index(self):
        s = HashSet()
        s.add(True)
        s.add(Index(2**64 - 2))
        self.assertContents(s, [1, 2**64 - 2])
        self.assertIs(type(next(iter(HashSet([True])))), int)
        self.assertUnchangedAfter(s, OverflowError, lambda: s.add(Index(-5)))

    def test_numpy_integers(self):
        try:
            import numpy
        except ImportError:
            self.skipTest("numpy is not installed")
        s = HashSet([numpy.uint64(MAX), numpy.int8(3)])
        self.assertContents(s, [MAX, 3])
        self.assertContents(HashSet(numpy.arange(5, dtype=numpy.uint64)),
                            range(5))

    def test_update_is_all_or_nothing(self):
        s = HashSet([1])
        self.assertUnchangedAfter(s, TypeError, lambda: s.update([2, 3, "a"]))
        self.assertUnchangedAfter(s, OverflowError,
                                  lambda: s.update([2], [3, -1]))
        self.assertUnchangedAfter(s, TypeError, lambda: s.update(5))
        s.update([2], (3,), {4})
        self.assertContents(s, [1, 2, 3, 4])


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

    def test_exhausted_stays_exhausted(self):
        s = HashSet([1])
        it = iter(s)
        self.assertEqual(list(it), [1])
        s.add(2)
        with self.assertRaises(StopIteration):
            next(it)

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

    def test_cannot_instantiate_iterator(self):
        with self.assertRaises(TypeError):
            hashset.SetIterator()
        with self.assertRaises(TypeError):
            type(iter(HashSet()))()


class BufferFastPath(Helpers):
    def test_integer_arrays_match_generic_path(self):
        for code in "bBhHiIlLqQ":
            values = [0, 1, 2, 100, 127]
            arr = array.array(code, values)
            self.assertEqual(HashSet(arr), HashSet(list(arr)), code)
            self.assertEqual(HashSet(memoryview(arr)), HashSet(values), code)
        big = array.array("Q", [MAX, 2**63])
        self.assertContents(HashSet(big), [MAX, 2**63])

    def test_negative_values_in_signed_buffers(self):
        s = HashSet([5])
        for code in "bhilq":
            arr = array.array(code, [1, -2])
            self.assertUnchangedAfter(s, OverflowError, lambda: s.update(arr))
            with self.assertRaises(OverflowError):
                HashSet(arr)

    def test_other_buffers(self):
        self.assertContents(HashSet(b"abca"), [97, 98, 99])
        self.assertContents(HashSet(bytearray(b"\x00\xff")), [0, 255])
        arr = array.array("Q", range(20))
        self.assertEqual(HashSet(memoryview(arr)[::3]), HashSet(arr[::3]))
        with self.assertRaises(TypeError):
            HashSet(array.array("d", [1.0]))
        with self.assertRaises(TypeError):
            HashSet(memoryview(b"ab").cast("c"))

    def test_large_array(self):
        arr = array.array("Q", range(0, 3 * 10**6, 3))
        s = HashSet(arr)
        self.assertEqual(len(s), 10**6)
        self.assertIn(0, s)
        self.assertIn(3 * (10**6 - 1), s)
        self.assertNotIn(1, s)
        s.update(array.array("Q", [1]))
        self.assertIn(1, s)


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

    def test_seed_makes_order_reproducible(self):
        first = run_pyhost(self.ORDER, {"PYTHONHASHSEED": "123"}).stdout
        again = run_pyhost(self.ORDER, {"PYTHONHASHSEED": "123"}).stdout
        other = run_pyhost(self.ORDER, {"PYTHONHASHSEED": "124"}).stdout
        self.assertTrue(first)
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)
        self.assertEqual(sorted(json.loads(first)), list(range(1000, 2000)))

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
        patterns = [[i << 32 for i in range(100000)],
                    list(range(0, 2**63, 2**40))[:100000],
                    [i << 44 for i in range(2**20)][:100000]]
        for keys in patterns:
            s = HashSet(keys)
            self.assertEqual(len(s), len(keys))
            self.assertTrue(all(k in s for k in keys))
            self.assertFalse(any(k + 1 in s for k in keys[:1000]))


class PickleCopySize(Helpers):
    def test_round_trips(self):
        s = HashSet([0, 1, MAX, 2**40])
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(s, protocol))
            self.assertIs(type(again), HashSet)
            self.assertEqual(again, s)
        for clone in (copy.copy(s), copy.deepcopy(s)):
            self.assertEqual(clone, s)
            self.assertIsNot(clone, s)
            clone.add(5)
            self.assertNotIn(5, s)

    def test_subclass_pickles_with_attributes(self):
        global Tagged

        class Tagged(HashSet):
            pass

        t = Tagged([3])
        t.label = "x"
        again = pickle.loads(pickle.dumps(t))
        self.assertIs(type(again), Tagged)
        self.assertEqual(again.label, "x")
        self.assertContents(again, [3])

    def test_getsizeof_counts_the_table(self):
        empty = sys.getsizeof(HashSet())
        big = sys.getsizeof(HashSet(range(100000)))
        self.assertLess(empty, 300)
        self.assertGreaterEqual(big - empty, 8 * 100000)
        self.assertLessEqual(big - empty, 16 * 100000)


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
        s.add(3)
        self.assertContents(s, [1, 2, 3])

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


if __name__ == "__main__":
    unittest.main()
