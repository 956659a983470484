"""Tests of the point module (man/pyhost.1, BUILT-IN MODULES, point), run
inside pyhost."""
import copy
import decimal
import fractions
import inspect
import pickle
import sys
import unittest

import point
from point import Point
from support import Index, clones


class Floaty:
    def __float__(self):
        return 2.5


class Construction(unittest.TestCase):
    def test_ints_become_floats(self):
        p = Point(13, 42)
        self.assertEqual((p.x, p.y), (13.0, 42.0))
        self.assertIs(type(p.x), float)
        self.assertIs(type(p.y), float)

    def test_tutorial_transcript_prints_floats(self):
        p = Point(13, 42)
        self.assertEqual(f"{p.x} {p.y}", "13.0 42.0")

    def test_real_numbers_convert_like_float(self):
        for value in (1.5, -3, True, Index(7), Floaty(),
                      fractions.Fraction(1, 4), decimal.Decimal("0.5"),
                      float("inf"), 2**70):
            with self.subTest(value=value):
                self.assertEqual(Point(value, 0).x, float(value))

    def test_too_large_int_is_overflow_like_float(self):
        with self.assertRaises(OverflowError):
            float(10**400)
        with self.assertRaises(OverflowError):
            Point(10**400, 0)

    def test_non_numbers_raise_type_error(self):
        for value in ("1.5", b"1", None, [1], 1j, object()):
            with self.subTest(value=value):
                with self.assertRaises(TypeError):
                    Point(value, 0)
                with self.assertRaises(TypeError):
                    Point(0, value)

    def test_keywords(self):
        self.assertEqual(Point(x=1, y=2), Point(1, 2))
        self.assertEqual(Point(y=2, x=1), Point(1, 2))
        self.assertEqual(Point(1, y=2), Point(1, 2))

    def test_wrong_arity_and_keywords(self):
        for args, kwargs in [((), {}), ((1,), {}), ((1, 2, 3), {}),
                             ((1,), {"x": 2}), ((1, 2), {"z": 3}),
                             ((), {"x": 1})]:
            with self.subTest(args=args, kwargs=kwargs):
                with self.assertRaises(TypeError):
                    Point(*args, **kwargs)


    def test_floats_are_kept_and_anything_else_becomes_a_float(self):
        x, y = 1.5, -0.0
        p = Point(x, y)
        self.assertIs(p.x, x)
        self.assertIs(p.y, y)

        class Half(float):
            pass

        q = Point(Half(0.5), 3)
        self.assertIs(type(q.x), float)
        self.assertEqual((q.x, q.y), (0.5, 3.0))

    def test_error_messages_are_those_of_a_type_call(self):
        with self.assertRaisesRegex(TypeError, "real number, not str"):
            Point("1", 2)
        with self.assertRaisesRegex(TypeError, "at most 2 arguments"):
            Point(1, 2, 3)
        with self.assertRaisesRegex(TypeError, "at most 2 keyword arguments"):
            Point(x=1, y=2, z=3)
        with self.assertRaisesRegex(TypeError, "missing required argument"):
            Point(1)

    def test_subclass_new_and_init_run(self):
        calls = []

        class Doubled(Point):
            def __new__(cls, x, y):
                calls.append("new")
                return super().__new__(cls, 2 * x, 2 * y)

            def __init__(self, x, y):
                calls.append("init")

        p = Doubled(1, 2)
        self.assertIs(type(p), Doubled)
        self.assertEqual((p.x, p.y, calls), (2.0, 4.0, ["new", "init"]))

    def test_calls_and_reads_are_specialised_as_a_slots_class_is(self):
        # CPython 3.11 specialises a call of a type with a vectorcall and
        # the read of an object member: what makes Point(x, y) and p.x
        # cost what a __slots__ class's do (make bench measures it).
        import dis

        def make(a, b):
            return Point(a, b)

        def read(p):
            return p.x

        for _ in range(100):
            read(make(1.0, 2.0))
        opnames = {i.opname for f in (make, read)
                   for i in dis.get_instructions(f, adaptive=True)}
        self.assertIn("PRECALL_BUILTIN_CLASS", opnames)
        self.assertIn("LOAD_ATTR_SLOT", opnames)

    def test_no_larger_than_a_slots_instance(self):
        class Slotted:
            __slots__ = ("x", "y")

            def __init__(self, x, y):
                self.x, self.y = x, y

        def size(obj):
            return (sys.getsizeof(obj) + sys.getsizeof(obj.x)
                    + sys.getsizeof(obj.y))

        self.assertLessEqual(size(Point(1, 2)), size(Slotted(1.0, 2.0)))


class Attributes(unittest.TestCase):
    def test_read_only(self):
        p = Point(1, 2)
        with self.assertRaises(AttributeError):
            p.x = 5
        with self.assertRaises(AttributeError):
            p.y = 5
        with self.assertRaises(AttributeError):
            del p.x
        with self.assertRaises(AttributeError):
            del p.y
        with self.assertRaises(AttributeError):
            p.z = 1
        self.assertEqual((p.x, p.y), (1.0, 2.0))


class Repr(unittest.TestCase):
    def test_repr(self):
        self.assertEqual(repr(Point(13, 42)), "Point(x=13.0, y=42.0)")
        self.assertEqual(repr(Point(-0.5, 1e300)), "Point(x=-0.5, y=1e+300)")
        self.assertEqual(repr(Point(float("nan"), float("-inf"))),
                         "Point(x=nan, y=-inf)")
        self.assertEqual(str(Point(1, 2)), "Point(x=1.0, y=2.0)")

    def test_repr_round_trips(self):
        p = Point(0.1, 1 / 3)
        self.assertEqual(eval(repr(p), {"Point": Point}), p)


class Equality(unittest.TestCase):
    def test_by_value(self):
        self.assertTrue(Point(1, 2) == Point(1.0, 2.0))
        self.assertFalse(Point(1, 2) != Point(1, 2))
        self.assertTrue(Point(1, 2) != Point(2, 1))
        self.assertFalse(Point(1, 2) == Point(1, 3))

    def test_other_types_are_not_implemented(self):
        p = Point(1, 2)
        self.assertIs(p.__eq__((1.0, 2.0)), NotImplemented)
        self.assertIs(p.__ne__(None), NotImplemented)
        self.assertFalse(p == (1.0, 2.0))
        self.assertTrue(p != (1.0, 2.0))
        for op in ("__lt__", "__le__", "__gt__", "__ge__"):
            self.assertIs(getattr(p, op)(Point(1, 2)), NotImplemented)
        with self.assertRaises(TypeError):
            p < Point(3, 4)

    def test_nan_is_unequal_as_floats_are(self):
        nan = float("nan")
        self.assertNotEqual(Point(nan, 0), Point(nan, 0))


class Hashing(unittest.TestCase):
    def test_hash_consistent_with_equality(self):
        self.assertEqual(hash(Point(1, 2)), hash(Point(1.0, 2.0)))
        self.assertEqual(hash(Point(0.0, 0)), hash(Point(-0.0, 0)))
        self.assertEqual(hash(Point(1, 2)), hash((1.0, 2.0)))
        self.assertEqual(len({Point(1, 2), Point(1.0, 2.0), Point(2, 1)}), 2)

    def test_usable_as_dict_key(self):
        table = {Point(1, 2): "a"}
        self.assertEqual(table[Point(1.0, 2.0)], "a")

    def test_hash_is_the_tuple_hash_of_the_coordinates(self):
        for x, y in [(0.0, 0.0), (-0.0, 0.0), (1.5, -2.25), (1e300, -1e-300),
                     (float("inf"), float("-inf")), (2.0**70, 3.0),
                     (-1.0, -1.0)]:
            with self.subTest(x=x, y=y):
                self.assertEqual(hash(Point(x, y)), hash((x, y)))

    def test_nan_hash_is_stable_for_the_lifetime(self):
        # A NaN float hashes by its identity; a point built afresh from its
        # doubles on every call used to hash a new float object each time.
        nan = float("nan")
        for p in (Point(nan, 0.0), Point(0.0, nan), Point(nan, nan)):
            with self.subTest(p=p):
                first = hash(p)
                for _ in range(20):
                    floats = [float(i) for i in range(100)]
                    self.assertEqual(hash(p), first)
                    del floats
                table = {p: 1}
                self.assertIn(p, table)
                self.assertEqual(table[p], 1)
                self.assertIn(p, {p})

    def test_nan_points_hash_apart(self):
        # Each NaN point is unequal to every other one, as a NaN float is:
        # they hash by identity, so a set of many does not pile them into
        # one chain of collisions.
        nan = float("nan")
        points = [Point(nan, 0.0) for _ in range(1000)]
        self.assertEqual(len({hash(p) for p in points}), len(points))
        self.assertEqual(len(set(points)), len(points))


class PickleAndCopy(unittest.TestCase):
    def test_pickle_every_protocol(self):
        p = Point(1.5, -2)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            with self.subTest(protocol=protocol):
                q = pickle.loads(pickle.dumps(p, protocol))
                self.assertIs(type(q), Point)
                self.assertEqual(q, p)

    def test_copy_and_deepcopy(self):
        p = Point(3, 4)
        for clone in (copy.copy(p), copy.deepcopy(p)):
            self.assertIs(type(clone), Point)
            self.assertEqual(clone, p)


class Matching(unittest.TestCase):
    def test_match_args(self):
        self.assertEqual(Point.__match_args__, ("x", "y"))

    def test_positional_and_keyword_patterns(self):
        match Point(1, 2):
            case Point(1.0, y):
                found = y
            case _:
                found = None
        self.assertEqual(found, 2.0)
        match Point(0, 5):
            case Point(x=0, y=y):
                found = y
            case _:
                found = None
        self.assertEqual(found, 5.0)


class Subclass(Point):
    def norm2(self):
        return self.x ** 2 + self.y ** 2


class Subclassing(unittest.TestCase):
    def test_subclass_instances(self):
        s = Subclass(3, 4)
        self.assertIsInstance(s, Point)
        self.assertEqual(s.norm2(), 25.0)
        self.assertEqual(repr(s), "Subclass(x=3.0, y=4.0)")
        self.assertEqual(s, Point(3, 4))
        with self.assertRaises(AttributeError):
            s.x = 1

    def test_subclass_attributes_survive_pickle_and_copy(self):
        s = Subclass(3, 4)
        s.label = "corner"
        for clone in (pickle.loads(pickle.dumps(s, 0)),
                      pickle.loads(pickle.dumps(s)), copy.copy(s),
                      copy.deepcopy(s)):
            self.assertIs(type(clone), Subclass)
            self.assertEqual(clone, s)
            self.assertEqual(clone.label, "corner")

    def test_type_is_immutable(self):
        with self.assertRaises(TypeError):
            Point.z = 1
        with self.assertRaises(TypeError):
            Point.__match_args__ = ()



class Slotted(Point):
    __slots__ = ("tag",)


class SlottedDeeper(Slotted):
    __slots__ = ("extra", "__weakref__")


class WithDict(Point):
    pass


class SlottedWithDict(Point):
    __slots__ = ("tag", "__dict__")


class OwnState(Point):
    """A subclass that says itself what its state is, as set's honour."""
    __slots__ = ("tag",)

    def __getstate__(self):
        return {"tag_reversed": self.tag[::-1]}

    def __setstate__(self, state):
        self.tag = state["tag_reversed"][::-1]


class SubclassState(unittest.TestCase):
    """Attributes of a subclass instance, in __slots__ or in __dict__,
    survive pickle (every protocol), copy.copy and copy.deepcopy, as they
    do for a subclass of set."""

    def assert_same_point(self, clone, original):
        self.assertIs(type(clone), type(original))
        self.assertEqual((clone.x, clone.y), (original.x, original.y))

    def test_slots(self):
        p = Slotted(1, 2)
        p.tag = "corner"
        for how, clone in clones(p):
            with self.subTest(how=how):
                self.assert_same_point(clone, p)
                self.assertEqual(clone.tag, "corner")
                self.assertFalse(hasattr(clone, "__dict__"))

    def test_slots_of_every_class_in_the_hierarchy(self):
        p = SlottedDeeper(1, 2)
        p.tag, p.extra = "corner", [1, 2]
        for how, clone in clones(p):
            with self.subTest(how=how):
                self.assert_same_point(clone, p)
                self.assertEqual((clone.tag, clone.extra),
                                 ("corner", [1, 2]))

    def test_unset_slot_stays_unset(self):
        p = SlottedDeeper(1, 2)
        p.extra = 3
        for how, clone in clones(p):
            with self.subTest(how=how):
                self.assertEqual(clone.extra, 3)
                self.assertFalse(hasattr(clone, "tag"))

    def test_dict(self):
        p = WithDict(1, 2)
        p.label = "corner"
        for how, clone in clones(p):
            with self.subTest(how=how):
                self.assert_same_point(clone, p)
                self.assertEqual(clone.__dict__, {"label": "corner"})

    def test_slots_and_dict(self):
        p = SlottedWithDict(1, 2)
        p.tag, p.label = "corner", "north"
        for how, clone in clones(p):
            with self.subTest(how=how):
                self.assert_same_point(clone, p)
                self.assertEqual(clone.tag, "corner")
                self.assertEqual(clone.__dict__, {"label": "north"})

    def test_deepcopy_copies_the_state_and_copy_shares_it(self):
        p = Slotted(1, 2)
        p.tag = ["mutable"]
        self.assertIs(copy.copy(p).tag, p.tag)
        deep = copy.deepcopy(p)
        self.assertEqual(deep.tag, p.tag)
        self.assertIsNot(deep.tag, p.tag)

    def test_subclass_getstate_and_setstate_are_used(self):
        p = OwnState(1, 2)
        p.tag = "abc"
        for how, clone in clones(p):
            with self.subTest(how=how):
                self.assert_same_point(clone, p)
                self.assertEqual(clone.tag, "abc")

    def test_plain_and_stateless_instances_reduce_to_type_and_coordinates(self):
        # No state, no BUILD step: the pickles mean what they always meant.
        self.assertEqual(Point(1, 2).__reduce__(), (Point, (1.0, 2.0)))
        self.assertEqual(Slotted(1, 2).__reduce__(), (Slotted, (1.0, 2.0)))
        self.assertEqual(WithDict(1, 2).__reduce__(), (WithDict, (1.0, 2.0)))
        p = Slotted(1, 2)
        p.tag = 5
        self.assertEqual(p.__reduce__(),
                         (Slotted, (1.0, 2.0), (None, {"tag": 5})))

class Introspection(unittest.TestCase):
    def test_signature(self):
        self.assertEqual(str(inspect.signature(Point)), "(x, y)")

    def test_docstrings(self):
        self.assertTrue(point.__doc__)
        self.assertIn("Point(x, y)", Point.__doc__)
        self.assertIn("x coordinate", Point.x.__doc__)
        self.assertIn("y coordinate", Point.y.__doc__)

    def test_module_identity(self):
        self.assertEqual(Point.__module__, "point")
        self.assertEqual(Point.__qualname__, "Point")
        if "point" in sys.builtin_module_names:  # inside pyhost
            self.assertIsNone(getattr(point, "__file__", None))
        else:  # the extension module of `make ext`, under python3.11
            self.assertTrue(point.__file__.endswith(".so"), point.__file__)


if __name__ == "__main__":
    unittest.main()
