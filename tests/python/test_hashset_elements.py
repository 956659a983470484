"""What a HashSet holds and what it finds: integers in range(0,
2**64) by int or __index__, rejected values leaving the set as it
was, membership by Python equality (man/pyhost.1, BUILT-IN MODULES,
hashset, "Elements").
"""
import array
import decimal
import fractions
import operator
import unittest

from hashset import HashSet
from support import MAX, HashSetTestCase, Index


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


class Elements(HashSetTestCase):
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


class Membership(HashSetTestCase):
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


if __name__ == "__main__":
    unittest.main()
