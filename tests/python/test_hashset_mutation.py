"""add, insert, discard, remove, pop, clear, update and copy
(man/pyhost.1, BUILT-IN MODULES, hashset, "Mutation").
"""
import array
import unittest

from hashset import HashSet
from support import MAX, HashSetTestCase


class Mutation(HashSetTestCase):
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

    def test_pop_never_changes_an_int_still_held(self):
        # pop writes a key into an int it made before once nothing else
        # refers to that int: every int anyone holds must keep its value,
        # whichever way it is held, and look like any other int.
        keys = [MAX, 2**64 - 2, 2**60, 2**30 + 1, 2**30, 2**30 - 1, 257,
                256, 5, 0] + [(k * 0x9E3779B97F4A7C15) % 2**64
                              for k in range(1, 3000)]
        s = HashSet(keys)
        held, texts, in_dict = [], [], {}
        while s:
            x = s.pop()            # bound while the next pop runs
            if len(s) % 3 == 0:
                held.append(x)
                texts.append(str(x))
            elif len(s) % 3 == 1:
                in_dict[str(x)] = x
            if s and len(s) % 7 == 0:
                s.pop()            # dropped at once
            total = x + 0
            self.assertEqual(total, int(str(x)))
            self.assertEqual(hash(x), hash(int(str(x))))
            self.assertEqual(x.__sizeof__(), int(str(x)).__sizeof__())
            self.assertEqual(x.bit_length(), int(str(x)).bit_length())
        self.assertEqual([str(x) for x in held], texts)
        self.assertTrue(all(str(v) == k for k, v in in_dict.items()))

    def test_pop_gives_the_shared_small_ints(self):
        s = HashSet(range(300))
        popped = {s.pop() for _ in range(300)}
        for value in popped:
            if value <= 256:
                self.assertIs(value, int(str(value)))

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


if __name__ == "__main__":
    unittest.main()
