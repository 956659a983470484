"""Runs every layer of pyhost's tests and sums them up.

Layers: the CMocka unit tests (binaries given on the command line), the
module tests run inside pyhost (tests/python/run.py), the interactive
shell driven through a pseudo-terminal (tests/tty/run.py), CPython's own
tests of the shell's machinery under pyhost and python3.11
(tests/stdlib/run.py), the manual
and the install (tests/doc/run.py) and the
end-to-end tests of the command against the reference interpreter
(tests/cli/run.py); with --ext-dir, the module tests again under the
reference interpreter with the extension modules, and with --wheel and
--sdist, the wheel, the sdist and the source tree installed into fresh
virtual environments (tests/wheel/run.py).
Each layer's own output is shown as it comes; the last line is the total,
"N passed, N failed", and the exit status is 1 when anything failed.  A
layer that dies without reporting its counts counts as one failure.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test")
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test")


def run_layer(name, command, env=None):
    """Runs one layer, echoing its output; returns (passed, failed, skipped)."""
    print(f"=== {name}", flush=True)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env,
                               stderr=subprocess.STDOUT, text=True,
                               errors="replace")
    passed = failed = skipped = 0
    summary_seen = False
    for line in process.stdout:
        sys.stdout.write(line)
        line = line.rstrip("\n")
        if match := harness.SUMMARY.match(line):
            passed, failed = int(match[1]), int(match[2])
            skipped = int(match[3] or 0)
            summary_seen = True
        elif match := CMOCKA_PASSED.match(line):
            passed, summary_seen = int(match[1]), True
        elif match := CMOCKA_FAILED.match(line):
            failed = int(match[1])
    status = process.wait()
    sys.stdout.flush()
    if status != 0 and (not summary_seen or failed == 0):
        print(f"{name}: exited with status {status} without reporting "
              "a failure; counted as one", flush=True)
        failed += 1
    return passed, failed, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pyhost", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--ext-dir", help="the modules of `make ext`")
    parser.add_argument("--wheel", help="the wheel of `make wheel`")
    parser.add_argument("--sdist", help="the sdist of `make wheel`")
    parser.add_argument("--layer", action="append", default=[],
                        metavar="NAME::COMMAND",
                        help="another layer: COMMAND (split like a shell "
                        "line) run once")
    parser.add_argument("--binaries", action="append", default=[],
                        metavar="NAME::BINARY...",
                        help="a layer per BINARY (a CMocka test), each "
                        "named NAME: BINARY")
    parser.add_argument("unit_tests", nargs="*")
    args = parser.parse_args()
    if bool(args.wheel) != bool(args.sdist):
        parser.error("--wheel and --sdist go together")

    layers = [(f"unit: {os.path.basename(binary)}", [binary], None)
              for binary in args.unit_tests]
    module_tests = os.path.join(HERE, "python", "run.py")
    layers.append(("python: module tests inside pyhost",
                   [args.pyhost, module_tests], None))
    if args.ext_dir:
        env = dict(os.environ, PYTHONPATH=os.path.abspath(args.ext_dir))
        layers.append(("python: the same tests, extension modules under "
                       + args.reference, [args.reference, module_tests], env))
    if args.wheel:
        layers.append(("wheel: the wheel, the sdist and pip install . "
                       "in fresh venvs",
                       [args.reference, os.path.join(HERE, "wheel", "run.py"),
                        args.wheel, args.sdist], None))
    layers.append(("tty: the interactive shell in a pseudo-terminal",
                   [args.reference, os.path.join(HERE, "tty", "run.py"),
                    "--pyhost", args.pyhost, "--reference", args.reference],
                   None))
    layers.append(("stdlib: CPython's shell tests, pyhost against "
                   + args.reference,
                   [args.reference, os.path.join(HERE, "stdlib", "run.py"),
                    "--pyhost", args.pyhost, "--reference", args.reference],
                   None))
    layers.append(("doc: the manual, --help, docstrings, make install",
                   [args.reference, os.path.join(HERE, "doc", "run.py"),
                    "--pyhost", args.pyhost], None))
    layers.append(("cli: pyhost against " + args.reference,
                   [args.reference, os.path.join(HERE, "cli", "run.py"),
                    "--pyhost", args.pyhost, "--reference", args.reference],
                   None))

    for layer in args.binaries:
        name, _, binaries = layer.partition("::")
        layers.extend((f"{name}: {os.path.basename(binary)}", [binary], None)
                      for binary in shlex.split(binaries))
    for layer in args.layer:
        name, _, command = layer.partition("::")
        layers.append((name, shlex.split(command), None))

    totals = [0, 0, 0]
    for name, command, env in layers:
        counts = run_layer(name, command, env)
        totals = [total + count for total, count in zip(totals, counts)]
        print(f"--- {name}: {counts[0]} passed, {counts[1]} failed", flush=True)
    print(harness.summary(*totals))
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main())
