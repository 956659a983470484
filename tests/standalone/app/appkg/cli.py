"""The application's commands, chosen by its first argument:

    report          print a JSON report of the modules it used, in this
                    process and in pools of child processes
    exit N          exit with status N
    fail            raise an uncaught exception
    again ARG...    run sys.executable (itself) with ARGs: its output and
                    exit status
    anything else   print its argv, sys.path and flags as JSON (and start
                    no process: were multiprocessing's command line taken
                    for the application's, its children end here)
"""
import importlib.resources
import json
import multiprocessing
import sqlite3
import subprocess
import sys

import hashset

from appkg import work


def where(argv):
    return {
        "argv": argv,
        "executable": sys.executable,
        "isolated": sys.flags.isolated,
        "path": sys.path,
    }


def report():
    con = sqlite3.connect(":memory:")
    con.execute("create table t (x)")
    con.executemany("insert into t values (?)", [(3,), (4,)])
    pools = {}
    for method in ("spawn", "forkserver"):
        with multiprocessing.get_context(method).Pool(2) as pool:
            pools[method] = pool.map(work.distinct, [5, 20])
    return {
        "sqlite": con.execute("select sum(x) from t").fetchone()[0],
        "hashset": sorted(hashset.HashSet([5, 3, 5])),
        "data": importlib.resources.files("appkg")
                .joinpath("data.txt").read_text(),
        "main": sys.modules["__main__"].__file__,
        "cli": __file__,
        "pools": pools,
    }


def fail():
    raise RuntimeError("the application failed on purpose")


def main(argv):
    command = argv[1] if len(argv) > 1 else None
    if command == "exit":
        return int(argv[2])
    if command == "fail":
        fail()
    if command == "again":
        done = subprocess.run([sys.executable, *argv[2:]],
                              capture_output=True, text=True)
        print(done.stdout, end="")
        return done.returncode
    print(json.dumps(report() if command == "report" else where(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
