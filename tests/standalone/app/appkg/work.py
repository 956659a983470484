"""What the application's child processes run: a function of its own
package, which a child can only find by importing the package from the
bundled file."""
import sys

import hashset


def distinct(n):
    """How many distinct values n multiples of 7 leave modulo 10, with
    this process's __mp_main__ (the module multiprocessing ran as the
    parent's main, when it runs one)."""
    values = hashset.HashSet(i * 7 % 10 for i in range(n))
    main = sys.modules.get("__mp_main__")
    return len(values), getattr(main, "__file__", None)
