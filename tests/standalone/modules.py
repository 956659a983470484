"""The standard-library modules that the reference interpreter imports on
this machine, less what the standalone leaves out on purpose: the list
the standalone must import too (tests/standalone/run.py, smoke.py) and
the one make bench times (scripts/bench.py).  Computed at each run, never
written down, so that it follows the machine's python3.11.

Run with the reference interpreter:  /usr/bin/python3.11 modules.py
prints one module name a line.  Every top-level name of
sys.stdlib_module_names and every submodule of those packages is tried,
each in a fresh child (an import may leave the interpreter half set up,
as antigravity's browser or a failed _tkinter would), in batches.
"""
import importlib.util
import json
import pkgutil
import subprocess
import sys

# Left out of the standalone, as the README says: tests, what needs a
# display, the deprecated nis (no static libtirpc without Kerberos), the
# limited-API examples.  antigravity opens a web browser; __main__
# modules run programs; this prints the Zen; neither is a library.
LEFT_OUT = {"test", "tests", "idle_test", "idlelib", "tkinter", "turtle",
            "turtledemo", "_tkinter", "nis", "xxlimited", "xxlimited_35",
            "antigravity", "this", "__main__"}
BATCH = 50

TRY = """
import importlib, json, sys
ok = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException:
        continue
    ok.append(name)
print(json.dumps(ok))
"""


def left_out(name):
    return any(part in LEFT_OUT or part.startswith("_test")
               for part in name.split("."))


def candidates():
    names = set()
    for top in sys.stdlib_module_names:
        if left_out(top):
            continue
        names.add(top)
        spec = importlib.util.find_spec(top)
        if spec is None or not spec.submodule_search_locations:
            continue
        for info in pkgutil.walk_packages(spec.submodule_search_locations,
                                          top + ".", onerror=lambda _: None):
            if not left_out(info.name):
                names.add(info.name)
    return sorted(names)


def importable(names, python=sys.executable):
    found = []
    for start in range(0, len(names), BATCH):
        batch = names[start:start + BATCH]
        result = subprocess.run([python, "-I", "-c", TRY, *batch],
                                capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=300)
        lines = result.stdout.strip().splitlines()
        if result.returncode == 0 and lines:
            found.extend(json.loads(lines[-1]))
        else:  # the batch died: one at a time
            for name in batch:
                one = subprocess.run([python, "-I", "-c", TRY, name],
                                     capture_output=True, text=True,
                                     stdin=subprocess.DEVNULL, timeout=60)
                if one.returncode == 0 and name in one.stdout:
                    found.append(name)
    return found


def main():
    for name in importable(candidates()):
        print(name)


if __name__ == "__main__":
    main()
