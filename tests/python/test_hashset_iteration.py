"""Iterators over the live table: each element once, every change
detected, iterators that outlive their set (man/pyhost.1, BUILT-IN
MODULES, hashset, "Iteration").
"""
import array
import copy
import gc
import operator
import pickle
import sys
import unittest
import weakref

import hashset
from hashset import HashSet
from support import MAX, HashSetTestCase


class Iteration(HashSetTestCase):
    def test_each_element_exactly_once(self):
        values = list(range(0, 2**64, 2**50)) + [MAX]
        self.assertEqual(sorted(iter(HashSet(values))), sorted(values))

    def test_iteration_never_changes_an_int_still_held(self):
        # The iterator writes a key into an int it made before once
        # nothing else refers to that int: every int anyone holds keeps
        # its value, however it is held, and whatever the caller did with
        # the ints before (kept each for a while, then none).
        keys = [MAX, 2**64 - 2, 2**60, 2**30 + 1, 2**30, 2**30 - 1, 257,
                256, 5, 0] + [(k * 0x9E3779B97F4A7C15) % 2**64
                              for k in range(1, 3000)]
        s = HashSet(keys)
        held, texts, in_dict, seen = [], [], {}, []
        for i, x in enumerate(s):
            if i < 300 or i % 3 == 0:
                held.append(x)
                texts.append(str(x))
            elif i % 3 == 1:
                in_dict[str(x)] = x
            seen.append(str(x))
            self.assertEqual(x + 0, int(str(x)))
            self.assertEqual(hash(x), hash(int(str(x))))
            self.assertEqual(x.__sizeof__(), int(str(x)).__sizeof__())
        self.assertEqual([str(x) for x in held], texts)
        self.assertTrue(all(str(v) == k for k, v in in_dict.items()))
        self.assertEqual(sorted(map(int, seen)), sorted(keys))
        # Taken one at a time, let go of in another order.
        it = iter(s)
        first, second = next(it), next(it)
        first_text, second_value = str(first), int(str(second))
        del second
        third = next(it)
        self.assertEqual(str(first), first_text)
        self.assertEqual(sorted([first, second_value, third] + list(it)),
                         sorted(keys))
        self.assertEqual(sum(s), sum(keys))
        self.assertEqual(sorted(s), sorted(keys))

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
            "^= with an empty HashSet": lambda s: s.__ixor__(HashSet()),
            "symmetric_difference_update([])":
                lambda s: s.symmetric_difference_update([]),
            "-= with a HashSet of other keys":
                lambda s: s.__isub__(HashSet([100, 101])),
        }.items():
            for size in (3, 7):  # a quarter of 3 keys is none
                s = HashSet(range(0, size))
                it = iter(s)
                first = next(it)
                call(s)
                self.assertEqual(sorted([first] + list(it)),
                                 list(range(size)), f"{name}, {size} keys")

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
        # man/pyhost.1, "Iteration": "Adding an element that is already
        # present ... is not a change", whatever path adds it.
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


if __name__ == "__main__":
    unittest.main()
