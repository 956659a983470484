"""A differential test of HashSet against a built-in set model.

Thousands of random operations, valid and invalid, are applied to a HashSet
and to a set; after every step the exception type (or the result) and the
length must agree, and every few steps the whole contents.  A live iterator
rides along: after a step that changed the contents its next step must
raise RuntimeError; after one that is no change (man/pyhost.1, BUILT-IN
MODULES, hashset, "Iteration": adding present elements, discarding absent
ones; and a rejected call) it must go on, and when it ends it must have
yielded every element exactly once.  The seed is fixed; HASHSET_TEST_SEED
changes it, and a failure names the seed and the step so that it can be
replayed.
"""
import itertools
import operator
import os
import random
import unittest

from hashset import HashSet

STEPS = 20000
INVALID = [-1, 2**64, "a", 1.5, None, [1], 2.0 + 0.5j, -(2**70), 2**100]
# Hashable values that cannot be elements, for sets built as operands.
FOREIGN = [-1, 2**64, "a", 1.5, None, 2.0, 2.5, -(2**70), b"x"]
# Operations that change nothing unless they add an absent element or
# remove a present one; after them, an unchanged set keeps its iterators.
NON_MODIFYING = {"add", "insert", "update", "update(*)", "bulk update",
                 "discard",
                 "remove", "contains", "in", "|=", "-=", "difference_update",
                 "union", "intersection", "difference",
                 "symmetric_difference", "==", "!=", "<=", "<", ">=", ">",
                 "issubset", "issuperset", "isdisjoint", "copy", "len",
                 "bulk remove",
                 "len()", "iterate"}

OPERATIONS = ["add", "insert", "update", "update(*)", "bulk update",
              "bulk remove", "discard", "remove", "contains", "in", "pop",
              "|=", "&=", "-=", "^=", "intersection_update",
              "difference_update", "symmetric_difference_update", "union",
              "|", "intersection", "&", "difference", "-",
              "symmetric_difference", "^", "==", "!=", "<=", "<", ">=", ">",
              "issubset", "issuperset", "isdisjoint", "copy", "len", "len()",
              "iterate", "clear"]
WEIGHTS = dict.fromkeys(OPERATIONS, 1)
WEIGHTS.update({"add": 8, "insert": 4, "discard": 4, "remove": 3,
                "contains": 4, "in": 4, "update": 3, "pop": 2,
                "iterate": 0.2, "clear": 0.02, "bulk update": 0.3,
                "bulk remove": 0.3})


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

    def checked(self, values):
        """The elements of values, or the error of the first bad one."""
        return {self.check(v) for v in list(values)}

    def add(self, value):
        self.items.add(self.check(value))

    def update(self, *iterables):
        new = set()
        for values in iterables:
            new |= self.checked(values)
        self.items |= new

    def contains(self, value):
        keys = lookup_keys([value])
        return bool(keys) and keys.pop() in self.items

    def discard(self, value):
        self.items -= lookup_keys([value])

    def remove(self, value):
        if not self.contains(value):
            raise KeyError(value)
        self.discard(value)

    def ior(self, other):
        self.items |= self.checked(other)
        return True

    def ixor(self, other):
        self.items ^= self.checked(other)
        return True

    def iand(self, other):
        self.items &= lookup_keys(other)
        return True

    def isub(self, other):
        self.items -= lookup_keys(other)
        return True


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
            return self.rng.choice([True, False, 2.0, 3.0, 2**64 - 1, 0])
        return self.rng.choice(INVALID)

    def keys(self):
        return [self.key() for _ in range(self.rng.randrange(6))]

    def operand(self):
        """A small set of valid keys, sometimes with one foreign value."""
        other = {v for v in self.keys() if is_element(v)}
        if self.rng.random() < 0.15:
            other.add(self.rng.choice(FOREIGN))
        return other

    def outcome(self, action):
        try:
            return ("ok", action())
        except Exception as error:  # the type is what must agree
            return ("raised", type(error))

    def step(self, s, model):
        """One random operation on both; returns its name and outcomes."""
        name = self.rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        value, values, more = self.key(), self.keys(), self.keys()
        other = self.operand()
        valid_other = {v for v in other if is_element(v)}
        keep = keep_list = bulk = shrink = None
        if name in ("&=", "intersection_update"):
            # Most of the current elements, so that the set survives.
            keep = {v for v in model.items if self.rng.random() < 0.9}
            keep |= other
            keep_list = list(keep)
            self.rng.shuffle(keep_list)
        elif name == "bulk update":
            bulk = [self.rng.choice((self.rng.randrange(100000),
                                     self.rng.getrandbits(64),
                                     self.rng.randrange(2**20) << 32))
                    for _ in range(self.rng.randrange(50, 400))]
            if self.rng.random() < 0.3:
                bulk.insert(self.rng.randrange(len(bulk) + 1),
                            self.rng.choice(INVALID))
        elif name == "bulk remove":
            # About half past 2000 elements, else a few, and some absent.
            share = 0.5 if len(model.items) > 2000 else 0.05
            shrink = [v for v in model.items if self.rng.random() < share]
            shrink += self.keys()
        found = lookup_keys(values)
        was_empty = not model.items
        items = model.items

        def pop_checked():
            """Pops from s; the value must come out of the model too."""
            if was_empty:
                return s.pop()  # must raise KeyError
            popped = s.pop()
            if type(popped) is not int:
                return ("not an int", popped)
            model.items.remove(popped)

        def pop_expected():
            if was_empty:
                set().pop()

        def iterate():
            listed = list(s)
            return len(listed) == len(set(listed)), sorted(listed)

        def copied():
            c = s.copy()
            contents = sorted(c)
            c.add(2**64 - 2)
            return type(c) is HashSet, contents, (2**64 - 2) in s

        operations = {
            "add": (lambda: s.add(value), lambda: model.add(value)),
            "insert": (lambda: s.insert(value), lambda: model.add(value)),
            "update": (lambda: s.update(values),
                       lambda: model.update(values)),
            "update(*)": (lambda: s.update(values, iter(more)),
                          lambda: model.update(values, more)),
            "discard": (lambda: s.discard(value),
                        lambda: model.discard(value)),
            "remove": (lambda: s.remove(value), lambda: model.remove(value)),
            "contains": (lambda: s.contains(value),
                         lambda: model.contains(value)),
            "in": (lambda: value in s, lambda: model.contains(value)),
            "pop": (pop_checked, pop_expected),
            "|=": (lambda: s.__ior__(other) is s, lambda: model.ior(other)),
            "&=": (lambda: s.__iand__(keep) is s,
                   lambda: model.iand(keep)),
            "bulk update": (lambda: s.update(bulk),
                            lambda: model.update(bulk)),
            "bulk remove": (lambda: s.difference_update(shrink),
                            lambda: model.isub(shrink) and None),
            "-=": (lambda: s.__isub__(other) is s,
                   lambda: model.isub(other)),
            "^=": (lambda: s.__ixor__(other) is s,
                   lambda: model.ixor(other)),
            "intersection_update": (
                lambda: s.intersection_update(keep_list, keep_list + values),
                lambda: model.iand(keep) and None),
            "difference_update": (
                lambda: s.difference_update(values, more),
                lambda: model.isub(values + more) and None),
            "symmetric_difference_update": (
                lambda: s.symmetric_difference_update(values),
                lambda: model.ixor(values) and None),
            "union": (lambda: sorted(s.union(values, more)),
                      lambda: sorted(items | model.checked(values + more))),
            "|": (lambda: sorted(s | other),
                  lambda: sorted(items | model.checked(other))),
            "intersection": (lambda: sorted(s.intersection(values)),
                             lambda: sorted(items & found)),
            "&": (lambda: sorted(other & s),
                  lambda: sorted(items & lookup_keys(other))),
            "difference": (lambda: sorted(s.difference(values)),
                           lambda: sorted(items - found)),
            "-": (lambda: sorted(s - other),
                  lambda: sorted(items - lookup_keys(other))),
            "symmetric_difference": (
                lambda: sorted(s.symmetric_difference(values)),
                lambda: sorted(items ^ model.checked(values))),
            "^": (lambda: sorted(s ^ other),
                  lambda: sorted(items ^ model.checked(other))),
            "==": (lambda: s == other, lambda: items == other),
            "!=": (lambda: other != s, lambda: items != other),
            "<=": (lambda: s <= other, lambda: items <= other),
            "<": (lambda: s < valid_other, lambda: items < valid_other),
            ">=": (lambda: s >= other, lambda: items >= other),
            ">": (lambda: other < s, lambda: items > other),
            "issubset": (lambda: s.issubset(values),
                         lambda: items <= found),
            "issuperset": (lambda: s.issuperset(iter(values)),
                           lambda: all(model.contains(v) for v in values)),
            "isdisjoint": (lambda: s.isdisjoint(values),
                           lambda: not items & found),
            "copy": (copied, lambda: (True, sorted(items),
                                      (2**64 - 2) in items)),
            "len": (lambda: len(s), lambda: len(items)),
            "len()": (lambda: s.len(), lambda: len(items)),
            "iterate": (iterate, lambda: (True, sorted(items))),
            "clear": (lambda: s.clear(), lambda: model.items.clear()),
        }
        assert set(operations) == set(WEIGHTS)
        ours, theirs = operations[name]
        return name, self.outcome(ours), self.outcome(theirs)

    def test_random_operations_match_the_model(self):
        s, model = HashSet(), Model()
        it, yielded = iter(s), []
        for number in range(STEPS):
            before = set(model.items)
            name, ours, theirs = self.step(s, model)
            where = f"seed {self.seed}, step {number}, {name}"
            self.assertEqual(ours, theirs, where)
            self.assertEqual(len(s), len(model.items), where)
            if number % 50 == 0:
                self.assertEqual(sorted(s), sorted(model.items), where)

            # The live iterator.
            changed = model.items != before
            try:
                got = ("value", next(it))
            except StopIteration:
                got = ("stop",)
            except RuntimeError as error:
                got = ("changed", str(error))
            if changed:
                self.assertEqual(got, ("changed", "HashSet changed during "
                                       "iteration"), where)
                # It keeps raising.
                with self.assertRaises(RuntimeError, msg=where):
                    next(it)
            elif name in NON_MODIFYING or ours[0] == "raised":
                self.assertNotEqual(got[0], "changed", where)
            if got[0] == "value":
                yielded.append(got[1])
                self.assertIn(got[1], model.items, where)
            elif got[0] == "stop":
                self.assertEqual(sorted(yielded), sorted(model.items), where)
            if got[0] != "value" or self.rng.random() < 0.01:
                it, yielded = iter(s), []
        self.assertEqual(sorted(s), sorted(model.items))
        self.assertEqual(len(list(s)), len(model.items))

    def test_derived_sets_match_the_model(self):
        """Copies, cleared copies and algebra results are themselves fed to
        later operations, together with orders taken from other sets (the
        pattern catalogue below); every derived set must match its model,
        and keys taken in one set's order must spread in the set that
        receives them (probes against random placement at its load)."""
        rng = self.rng
        pool = [(HashSet(v), set(v)) for v in (
            [rng.getrandbits(64) for _ in range(3000)],
            [rng.randrange(10**6) for _ in range(3000)],
            [rng.randrange(64) << 32 for _ in range(50)])]
        orders = {
            "first half": lambda s: list(s)[:len(s) // 2],
            "last half": lambda s: list(s)[len(s) // 2:],
            "every other": lambda s: list(s)[::2],
            "reversed": lambda s: list(s)[::-1],
            "islice": lambda s: itertools.islice(s, len(s) // 3),
        }
        derivations = {
            "copy": lambda a, b: (a.copy(), set(a)),
            "cleared copy": lambda a, b: (cleared(a.copy()), set()),
            "|": lambda a, b: (a | b, set(a) | set(b)),
            "&": lambda a, b: (a & b, set(a) & set(b)),
            "-": lambda a, b: (a - b, set(a) - set(b)),
            "^": lambda a, b: (a ^ b, set(a) ^ set(b)),
            "union(order)": lambda a, b: (a.union(list(b)[:len(b) // 2]),
                                          set(a) | set(list(b)[:len(b) // 2])),
        }

        def cleared(s):
            s.clear()
            return s

        for number in range(300):
            where = f"seed {self.seed}, derivation {number}"
            (a, model_a), (b, model_b) = rng.sample(pool, 2)
            name = rng.choice(list(derivations))
            derived, model = derivations[name](a, b)
            self.assertEqual(sorted(derived), sorted(model), f"{where} {name}")
            order_name = rng.choice(list(orders))
            source = rng.choice(pool)[0]
            taken = list(orders[order_name](source))
            derived.update(taken)
            model |= set(taken)
            for _ in range(rng.randrange(20)):
                if rng.random() < 0.5 and model:
                    value = derived.pop()
                    model.remove(value)
                else:
                    value = rng.getrandbits(64)
                    derived.add(value)
                    model.add(value)
            self.assertEqual(sorted(derived), sorted(model),
                             f"{where} {name} then {order_name}")
            stats = derived._probe_stats()
            if stats["keys"] >= 1000:
                load = stats["keys"] / stats["capacity"]
                random_placement = 0.5 * (1 + 1 / (1 - load))
                self.assertLessEqual(
                    stats["probes"] / stats["keys"],
                    1.5 * random_placement,
                    f"{where}: {name}, then {order_name} clustered {stats}")
            if len(model) < 20000:
                pool.append((derived, model))
            if len(pool) > 12:
                pool.pop(rng.randrange(3, len(pool)))

    def test_model_agrees_with_itself(self):
        # The model's own rules, checked once against the manual's
        # examples (man/pyhost.1, BUILT-IN MODULES, hashset, "Elements").
        model = Model()
        model.update([1, 2])
        self.assertTrue(model.contains(2.0))
        self.assertTrue(model.contains(True))
        self.assertFalse(model.contains("a"))
        self.assertFalse(model.contains([1]))
        with self.assertRaises(TypeError):
            model.update([3, "a"])
        with self.assertRaises(OverflowError):
            model.update([3], [-1])
        self.assertEqual(model.items, {1, 2})
        self.assertEqual(operator.length_hint(iter(HashSet([1]))), 1)


if __name__ == "__main__":
    unittest.main()
