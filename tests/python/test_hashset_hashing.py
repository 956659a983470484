"""The seeded hash: order fixed by PYTHONHASHSEED, a seed of each
set's own, patterns that defeat weak hashes (man/pyhost.1, BUILT-IN
MODULES, hashset, "Hashing").
"""
import json
import unittest

from hashset import HashSet
from support import HashSetTestCase, run_python


class Hashing(HashSetTestCase):
    ORDER = ("import hashset; "
             "print(list(hashset.HashSet(range(1000, 2000))))")

    def order(self, seed=None):
        result = run_python(self.ORDER, env=None if seed is None
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
        dump = ("import hashset, pickle; print(pickle.dumps("
                "hashset.HashSet(range(10**5, 2 * 10**5))).hex())")
        code = ("import hashset, pickle, sys\n"
                "s = pickle.loads(bytes.fromhex(sys.stdin.read()))\n"
                "assert type(s) is hashset.HashSet\n"
                "print(len(s), s == set(range(10**5, 2 * 10**5)),"
                " all(v in s for v in range(10**5, 2 * 10**5)))\n")
        dumped = run_python(dump, env={"PYTHONHASHSEED": "1"})
        self.assertEqual(dumped.returncode, 0, dumped.stderr)
        result = run_python(code, env={"PYTHONHASHSEED": "2"},
                            input=dumped.stdout)
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


if __name__ == "__main__":
    unittest.main()
