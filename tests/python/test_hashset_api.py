"""The hashset module and its type: the tutorial's methods, the
module, construction and protocols, subclassing (man/pyhost.1,
BUILT-IN MODULES, hashset: its opening, "The tutorial's methods",
"Construction and protocols").
"""
import collections.abc
import gc
import inspect
import sys
import unittest
import weakref

import hash_set
import hashset
from hashset import HashSet
from support import MAX, HashSetTestCase


class TutorialApi(HashSetTestCase):
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


class ModuleAndType(HashSetTestCase):
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


class Construction(HashSetTestCase):
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


class Subclassing(HashSetTestCase):
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

    def test_every_way_of_calling_the_type(self):
        # HashSet's own calls take a short way; keywords, extra arguments
        # and subclasses the general one, with the same results and errors.
        self.assertContents(HashSet(), [])
        self.assertContents(HashSet([3, 1, 3]), [1, 3])
        self.assertContents(HashSet(iterable=(4,)), [4])
        self.assertContents(HashSet.__new__(HashSet), [])
        for args, kwargs, message in (
                ((1, 2), {}, "HashSet() takes at most 1 argument (2 given)"),
                ((), {"x": 1}, "'x' is an invalid keyword argument for "
                 "HashSet()"),
                ((5,), {}, "'int' object is not iterable"),
                (([-1],), {}, None)):
            with self.subTest(args=args, kwargs=kwargs):
                with self.assertRaises((TypeError, OverflowError,
                                        ValueError)) as caught:
                    HashSet(*args, **kwargs)
                if message is not None:
                    self.assertEqual(str(caught.exception), message)
        made = []

        class Logged(HashSet):
            def __new__(cls, *args):
                made.append(args)
                return super().__new__(cls)

        self.assertContents(Logged([7]), [7])
        self.assertEqual(made, [([7],)])

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


if __name__ == "__main__":
    unittest.main()
