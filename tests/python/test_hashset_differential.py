"""A differential test of HashSet against a built-in set model.

Thousands of random operations, valid and invalid, are applied to a HashSet
and to a set; after every step the exception type (or the result) and the
length must agree, and every few steps the whole contents.  The seed is
fixed; HASHSET_TEST_SEED changes it, and a failure names the seed and the
step so that it can be replayed.
"""
import os
import random
import unittest

from hashset import HashSet

STEPS = 20000
INVALID = [-1, 2**64, "a", 1.5, None, [1], 2.0 + 0.5j]


def is_element(value):
    return isinstance(value, int) and 0 <= value < 2**64


def lookup_keys(values):
    """The elements that values equal (2.0 is 2), as membership sees it."""
    keys = set()
    for value in values:
        try:
            integral = int(value)
        except (TypeError, ValueError, OverflowError):
            continue
        if integral == value and 0 <= integral < 2**64:
            keys.add(integral)
    return keys


class Model:
    """What a HashSet should do, written with a built-in set."""

    def __init__(self):
        self.items = set()

    @staticmethod
    def check(value):
        if not isinstance(value, int):
            raise TypeError(value)
        if not 0 <= value < 2**64:
            raise OverflowError(value)
        return int(value)

    def add(self, value):
        self.items.add(self.check(value))

    def update(self, values):
        self.items.update([self.check(v) for v in values])

    def contains(self, value):
        try:
            return value in self.items
        except TypeError:  # unhashable: certainly not a member
            return False

    def discard(self, value):
        if self.contains(value):
            self.items.discard(value)

    def remove(self, value):
        if not self.contains(value):
            raise KeyError(value)
        self.items.discard(value)


class Differential(unittest.TestCase):
    def setUp(self):
        self.seed = int(os.environ.get("HASHSET_TEST_SEED", "20261124"))
        self.rng = random.Random(self.seed)

    def key(self):
        choice = self.rng.random()
        if choice < 0.5:
            return self.rng.randrange(50)  # small: repeats and collisions
        if choice < 0.7:
            return self.rng.randrange(64) << 32
        if choice < 0.9:
            return self.rng.getrandbits(64)
        if choice < 0.95:
            return self.rng.choice([True, False, 2.0, 3.0])
        return self.rng.choice(INVALID)

    def keys(self):
        return [self.key() for _ in range(self.rng.randrange(6))]

    def outcome(self, action):
        try:
            return ("ok", action())
        except Exception as error:  # the type is what must agree
            return ("raised", type(error))

    def step(self, s, model):
        """One random operation on both; returns its name and outcomes."""
        value, values = self.key(), self.keys()
        other = {v for v in values if is_element(v)}
        found = lookup_keys(values)
        was_empty = not model.items

        def pop_checked():
            """Pops from s; the value must come out of the model too."""
            if was_empty:
                return s.pop()  # must raise KeyError
            model.items.remove(s.pop())

        def pop_expected():
            if was_empty:
                set().pop()
        operations = {
            "add": (lambda: s.add(value), lambda: model.add(value)),
            "insert": (lambda: s.insert(value), lambda: model.add(value)),
            "update": (lambda: s.update(values),
                       lambda: model.update(values)),
            "discard": (lambda: s.discard(value),
                        lambda: model.discard(value)),
            "remove": (lambda: s.remove(value), lambda: model.remove(value)),
            "contains": (lambda: s.contains(value),
                         lambda: model.contains(value)),
            "in": (lambda: value in s, lambda: model.contains(value)),
            "pop": (pop_checked, pop_expected),
            "|=": (lambda: s.__ior__(other) is s,
                   lambda: model.items.__ior__(other) is model.items),
            "&=": (lambda: s.__iand__(other) is s,
                   lambda: model.items.__iand__(other) is model.items),
            "-=": (lambda: s.__isub__(other) is s,
                   lambda: model.items.__isub__(other) is model.items),
            "^=": (lambda: s.__ixor__(other) is s,
                   lambda: model.items.__ixor__(other) is model.items),
            "union": (lambda: sorted(s.union(other)),
                      lambda: sorted(model.items | other)),
            "intersection": (lambda: sorted(s.intersection(values)),
                             lambda: sorted(model.items & found)),
            "difference": (lambda: sorted(s.difference(values)),
                           lambda: sorted(model.items - found)),
            "==": (lambda: s == other, lambda: model.items == other),
            "<=": (lambda: s <= other, lambda: model.items <= other),
            "issuperset": (lambda: s.issuperset(other),
                           lambda: model.items.issuperset(other)),
            "copy": (lambda: sorted(s.copy()), lambda: sorted(model.items)),
            "clear": (lambda: s.clear(), lambda: model.items.clear()),
        }
        weights = {name: 1 for name in operations}
        weights.update({"add": 8, "insert": 4, "discard": 4, "remove": 3,
                        "contains": 4, "in": 4, "update": 3, "clear": 0.05})
        name = self.rng.choices(list(weights), list(weights.values()))[0]
        ours, theirs = operations[name]
        return name, self.outcome(ours), self.outcome(theirs)

    def test_random_operations_match_the_model(self):
        s, model = HashSet(), Model()
        for number in range(STEPS):
            name, ours, theirs = self.step(s, model)
            where = f"seed {self.seed}, step {number}, {name}"
            self.assertEqual(ours, theirs, where)
            self.assertEqual(len(s), len(model.items), where)
            if number % 50 == 0:
                self.assertEqual(sorted(s), sorted(model.items), where)
        self.assertEqual(sorted(s), sorted(model.items))


if __name__ == "__main__":
    unittest.main()
