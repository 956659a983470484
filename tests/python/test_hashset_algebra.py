"""The set algebra of HashSet against every kind of set and
iterable: operators, methods, comparisons (man/pyhost.1, BUILT-IN
MODULES, hashset, "Set algebra").
"""
import collections.abc
import operator
import unittest

from hashset import HashSet
from support import MAX, HashSetTestCase


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


SETS = [set, frozenset, HashSet, ListSet, lambda v: dict.fromkeys(v).keys()]


class Algebra(HashSetTestCase):
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
                    (x.union(y, HashSet(c), c), sa.union(b, c)),
                    (x.difference(y, HashSet(c)), sa.difference(b, c)),
                    (x.difference(HashSet(c), y, c), sa.difference(b, c)),
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


if __name__ == "__main__":
    unittest.main()
