"""pickle, copy and sys.getsizeof (man/pyhost.1, BUILT-IN MODULES,
hashset, "Pickling, copying, size").
"""
import copy
import pickle
import sys
import unittest

from hashset import HashSet
from support import MAX, HashSetTestCase


class PickleCopySize(HashSetTestCase):
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


if __name__ == "__main__":
    unittest.main()
