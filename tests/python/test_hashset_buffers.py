"""Integer buffers read in place: every format, stride and byte
order gives what iterating the buffer gives (man/pyhost.1, BUILT-IN
MODULES, hashset, "Fast paths").
"""
import array
import os
import unittest

from hashset import HashSet
from support import MAX, HashSetTestCase


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


class BufferFastPath(HashSetTestCase):
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
        # The fast path must give what iterating gives (man/pyhost.1,
        # "Fast paths": "with the same results as iterating them"), and
        # set(x) iterates x.
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


if __name__ == "__main__":
    unittest.main()
