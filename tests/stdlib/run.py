"""CPython's own tests of the shell's machinery, under pyhost and under
python3.11: each test module must give every one of its cases the same
outcome (ok, FAIL, ERROR, skipped, ...) under both interpreters.

Usage: python3.11 tests/stdlib/run.py --pyhost PATH [--reference PYTHON]
                                      [-k SUBSTRING] [-v]

The modules (test_site, test_readline, test_rlcompleter, test_pdb,
test_cmd) come with Debian's libpython3.11-testsuite.  Each module is one
case here; the last line is "N passed, N failed".
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
from harness import check  # noqa: E402

MODULES = ["test_site", "test_readline", "test_rlcompleter", "test_pdb",
           "test_cmd"]
TIMEOUT = 600


def outcomes(interpreter, module):
    """{test id: outcome} for module under interpreter, and its stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    with tempfile.TemporaryDirectory(prefix="pyhost-stdlib-") as home:
        env.update(HOME=home)
        result = subprocess.run(
            [interpreter, os.path.join(HERE, "outcomes.py"), module],
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            errors="replace", env=env, cwd=home, timeout=TIMEOUT)
    found = {}
    for line in result.stdout.splitlines():
        outcome, tab, test_id = line.partition("\t")
        if tab:
            found[test_id] = outcome
    return found, result.stderr


def compare(pyhost, reference, module):
    """Fails unless the outcomes agree."""
    theirs, _ = outcomes(reference, module)
    mine, errors = outcomes(pyhost, module)
    check(theirs, f"{reference} ran no case of {module}")
    differences = [f"{test_id}: pyhost {mine.get(test_id, 'not run')}, "
                   f"python3.11 {theirs.get(test_id, 'not run')}"
                   for test_id in sorted(set(mine) | set(theirs))
                   if mine.get(test_id) != theirs.get(test_id)]
    check(not differences, "\n".join(differences) + "\n" + errors[-3000:])
    return "the same outcomes as python3.11"


def main():
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("--pyhost", required=True)
    parser.add_argument("--reference", default="/usr/bin/python3.11")
    args = parser.parse_args()
    pyhost = os.path.abspath(args.pyhost)
    cases = [(module, lambda module=module: compare(pyhost, args.reference,
                                                    module))
             for module in MODULES]
    return harness.run(cases, args)


if __name__ == "__main__":
    sys.exit(main())
