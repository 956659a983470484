"""The state of HashSet subclass instances through pickle and copy.

An attribute that a subclass instance keeps in __slots__ or in its
__dict__ survives pickle (every protocol), copy.copy and copy.deepcopy, as
it does for a subclass of the built-in set (issue 12, section 6).  Run
inside pyhost, like the other module tests.
"""
import copy
import unittest

from hashset import HashSet
from support import clones

KEYS = [0, 1, 7, 2**64 - 1]


class Slotted(HashSet):
    __slots__ = ("tag",)


class SlottedDeeper(Slotted):
    __slots__ = ("extra",)


class WithDict(HashSet):
    pass


class SlottedWithDict(HashSet):
    __slots__ = ("tag", "__dict__")


class OwnState(HashSet):
    """A subclass that says itself what its state is, as set's honour."""
    __slots__ = ("tag",)

    def __getstate__(self):
        return {"tag_reversed": self.tag[::-1]}

    def __setstate__(self, state):
        self.tag = state["tag_reversed"][::-1]


class SetSlotted(set):
    __slots__ = ("tag",)


class SubclassState(unittest.TestCase):
    def assert_same_set(self, clone, original):
        self.assertIs(type(clone), type(original))
        self.assertEqual(sorted(clone), sorted(original))
        self.assertIsNot(clone, original)

    def test_set_subclasses_keep_slots(self):
        # The behaviour to match: the built-in set's.
        s = SetSlotted(KEYS)
        s.tag = "t"
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assertEqual(clone.tag, "t")

    def test_slots(self):
        s = Slotted(KEYS)
        s.tag = "t"
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assert_same_set(clone, s)
                self.assertEqual(clone.tag, "t")
                self.assertFalse(hasattr(clone, "__dict__"))

    def test_slots_of_every_class_in_the_hierarchy(self):
        s = SlottedDeeper(KEYS)
        s.tag, s.extra = "t", [1, 2]
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assert_same_set(clone, s)
                self.assertEqual((clone.tag, clone.extra), ("t", [1, 2]))

    def test_unset_slot_stays_unset(self):
        s = SlottedDeeper(KEYS)
        s.extra = 3
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assertEqual(clone.extra, 3)
                self.assertFalse(hasattr(clone, "tag"))

    def test_dict(self):
        s = WithDict(KEYS)
        s.label = "north"
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assert_same_set(clone, s)
                self.assertEqual(clone.__dict__, {"label": "north"})

    def test_slots_and_dict(self):
        s = SlottedWithDict(KEYS)
        s.tag, s.label = "t", "north"
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assert_same_set(clone, s)
                self.assertEqual(clone.tag, "t")
                self.assertEqual(clone.__dict__, {"label": "north"})

    def test_empty_set_with_state(self):
        s = Slotted()
        s.tag = "t"
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assert_same_set(clone, s)
                self.assertEqual(clone.tag, "t")

    def test_deepcopy_copies_the_state_and_copy_shares_it(self):
        s = Slotted(KEYS)
        s.tag = ["mutable"]
        self.assertIs(copy.copy(s).tag, s.tag)
        deep = copy.deepcopy(s)
        self.assertEqual(deep.tag, s.tag)
        self.assertIsNot(deep.tag, s.tag)

    def test_a_set_that_holds_itself_in_a_slot(self):
        s = Slotted(KEYS)
        s.tag = s
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assertIs(clone.tag, clone if how != "copy.copy" else s)

    def test_subclass_getstate_and_setstate_are_used(self):
        s = OwnState(KEYS)
        s.tag = "abc"
        for how, clone in clones(s):
            with self.subTest(how=how):
                self.assert_same_set(clone, s)
                self.assertEqual(clone.tag, "abc")

    def test_plain_and_stateless_instances_reduce_without_state(self):
        # No state, no BUILD step: the pickles mean what they always meant.
        for cls in (HashSet, Slotted, WithDict):
            with self.subTest(cls=cls):
                reduced = cls(KEYS).__reduce__()
                self.assertEqual(len(reduced), 2)
                self.assertEqual(reduced[0], cls.from_bytes)
                self.assertIs(reduced[0].__self__, cls)
                (data,) = reduced[1]
                self.assertIsInstance(data, bytes)
                self.assertEqual(sorted(HashSet.from_bytes(data)), KEYS)

    def test_reduce_with_state(self):
        s = Slotted(KEYS)
        s.tag = 5
        rebuild, arguments, state = s.__reduce__()
        self.assertIs(rebuild.__self__, Slotted)
        self.assertEqual(sorted(HashSet.from_bytes(arguments[0])), KEYS)
        self.assertEqual(state, (None, {"tag": 5}))


if __name__ == "__main__":
    unittest.main()
