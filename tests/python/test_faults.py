"""Fault tests of the modules: interrupts, threads, subinterpreters,
finalisation with live objects, hostile and huge inputs.

They check that nothing crashes and that a HashSet stays consistent (its
length agrees with its iteration, every element is a member) whatever
happens to it.  MemoryError under a memory limit, mutation during
iteration in every form and iterators outliving their set are in
test_hashset_memory.py and test_hashset_iteration.py.
"""
import _thread
import threading
import unittest

import hashset
import point
from hashset import HashSet
from support import HashSetTestCase, run_python


class Interrupts(HashSetTestCase):
    def test_keyboard_interrupt_during_iteration(self):
        s = HashSet(range(10**6))
        timer = threading.Timer(0.02, _thread.interrupt_main)
        timer.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                for _ in range(1000):
                    for _ in s:
                        pass
        finally:
            timer.cancel()
        self.assertEqual(len(s), 10**6)
        self.assertEqual(sum(1 for _ in s), 10**6)

    def test_keyboard_interrupt_during_update_from_iterator(self):
        s = HashSet([1])
        timer = threading.Timer(0.02, _thread.interrupt_main)
        timer.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                for _ in range(100):
                    s.update(i * 7 for i in range(10**6))
                    s.clear()
                    s.add(1)
        finally:
            timer.cancel()
        self.assertConsistent(s)
        self.assertIn(len(s), (0, 1, 10**6, 10**6 + 1))


class Threads(HashSetTestCase):
    def test_threads_hammering_one_set(self):
        s = HashSet(range(1000))
        errors = []

        def mutate(seed):
            try:
                for i in range(20000):
                    value = (seed * 7919 + i * 104729) % 5000
                    if i % 3 == 0:
                        s.add(value)
                    elif i % 3 == 1:
                        s.discard(value)
                    else:
                        value in s
                    if i % 500 == 0:
                        s.update(range(value, value + 50))
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

        def iterate():
            for _ in range(200):
                try:
                    for value in s:
                        assert 0 <= value < 5050
                except RuntimeError:
                    pass  # changed under us: the documented outcome

        threads = [threading.Thread(target=mutate, args=(n,))
                   for n in range(4)]
        threads += [threading.Thread(target=iterate) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertConsistent(s)


class Interpreters(HashSetTestCase):
    def test_subinterpreter_imports_both_modules(self):
        try:
            import _xxsubinterpreters as interpreters
        except ImportError:
            self.skipTest("no _xxsubinterpreters")
        main_set = HashSet([1, 2, 3])
        interpreter = interpreters.create()
        try:
            interpreters.run_string(interpreter, (
                "import hashset, hash_set, point\n"
                "s = hashset.HashSet(range(100))\n"
                "assert hash_set.HashSet is hashset.HashSet\n"
                "assert len(s | {1000}) == 101\n"
                "assert point.Point(1, 2) == point.Point(1.0, 2.0)\n"
                "it = iter(s)\n"))
        finally:
            interpreters.destroy(interpreter)
        # The main interpreter's module and objects are untouched.
        self.assertEqual(sorted(main_set | {4}), [1, 2, 3, 4])
        self.assertIs(type(HashSet()), hashset.HashSet)

    def test_finalisation_with_live_objects(self):
        code = ("import atexit, hashset, point\n"
                "s = hashset.HashSet(range(10**5))\n"
                "it = iter(s); next(it)\n"
                "orphan = iter(hashset.HashSet([1, 2]))\n"
                "p = point.Point(1, 2)\n"
                "cycle = [s, it]; cycle.append(cycle)\n"
                "atexit.register(lambda: print(len(s), next(orphan) in (1, 2)))\n")
        for options in ((), ("-X", "dev")):
            result = run_python(code, *options)
            self.assertEqual((result.returncode, result.stdout, result.stderr),
                             (0, "100000 True\n", ""), options)


class HostileInputs(HashSetTestCase):
    def test_huge_values(self):
        with self.assertRaises(OverflowError):
            HashSet([2**100000])
        with self.assertRaises(OverflowError):
            point.Point(10**400, 0)
        self.assertFalse(2**100000 in HashSet([1]))
        self.assertFalse(10.0**300 in HashSet([1]))

    def test_recursive_index_and_eq(self):
        s = HashSet([1, 2])

        class Recursive:
            def __index__(self):
                s.add(self)  # recurses until RecursionError
                return 3

        class LooksUpItself:
            def __index__(self):
                return 1 if self in s else 3

        with self.assertRaises(RecursionError):
            s.add(Recursive())
        # __index__ is to a HashSet what __hash__ is to a set: its errors
        # propagate from a lookup too, and the set is unchanged.
        with self.assertRaises(RecursionError):
            LooksUpItself() in s
        self.assertEqual(sorted(s), [1, 2])

    def test_index_returning_garbage(self):
        class Liar:
            def __index__(self):
                return "not an int"

        s = HashSet([1])
        with self.assertRaises(TypeError):
            s.add(Liar())
        with self.assertRaises(TypeError):  # as hash() returning a str
            Liar() in s
        self.assertEqual(sorted(s), [1])

    def test_iterable_that_mutates_the_set(self):
        s = HashSet(range(10))

        def sneaky():
            yield 100
            s.clear()
            yield 101

        s.update(sneaky())
        self.assertConsistent(s)
        self.assertEqual(sorted(s), [100, 101])

    def test_comparison_with_mutating_container(self):
        s = HashSet(range(100))

        class Meddler(set):
            def __contains__(self, value):
                s.add(10**6 + value)
                return True

        with self.assertRaisesRegex(RuntimeError, "changed during"):
            s <= Meddler(range(200))
        self.assertConsistent(s)

    def test_large_construction(self):
        s = HashSet(range(3 * 10**6))
        self.assertEqual(len(s), 3 * 10**6)
        self.assertIn(3 * 10**6 - 1, s)
        s.difference_update(range(0, 3 * 10**6, 2))
        self.assertEqual(len(s), 15 * 10**5)
        self.assertConsistent(HashSet(range(1000)))


if __name__ == "__main__":
    unittest.main()
