"""Installs the wheel into a fresh virtual environment and tests it there.

Usage: python3.11 tests/wheel/run.py [-k SUBSTRING] [-v] WHEEL

Checks the wheel's name and tags, installs it with pip from the file alone
(--no-index: no network), imports the modules from the environment's
site-packages, and runs the module test suite (tests/python) with the
environment's python.  The last line is "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(os.path.dirname(HERE), "python", "run.py")
TIMEOUT = 300
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
from harness import check  # noqa: E402


def name_and_tags(wheel):
    name = os.path.basename(wheel)
    check(re.fullmatch(r"pyhost_modules-[\d.]+-cp311-cp311-"
                       r"manylinux_2_\d+_x86_64(\.manylinux2014_x86_64)?"
                       r"\.whl", name), name)


def record_lists_every_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        record = [n for n in names if n.endswith(".dist-info/RECORD")]
        listed = archive.read(record[0]).decode().split() if record else []
    check(len(record) == 1 and sorted(line.split(",")[0] for line in listed)
          == sorted(names), repr(names))


class Environment:
    """A fresh virtual environment in venv, and what runs in it."""

    def __init__(self, venv):
        self.venv = venv
        self.python = os.path.join(venv, "bin", "python")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("PYTHON")}
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        self.env.pop("PIP_FIND_LINKS", None)

    def run(self, command):
        return subprocess.run(command, capture_output=True, text=True,
                              env=self.env, cwd=self.venv, timeout=TIMEOUT)

    def create(self):
        created = self.run([sys.executable, "-m", "venv", self.venv])
        check(created.returncode == 0, created.stderr)

    def install(self, wheel):
        install = self.run([self.python, "-m", "pip", "install",
                            "--no-index", "--quiet", os.path.abspath(wheel)])
        check(install.returncode == 0, install.stdout + install.stderr)

    def import_modules(self):
        imported = self.run(
            [self.python, "-c", "import point, hashset, hash_set, sys\n"
             "assert hashset.__file__.startswith(sys.prefix)\n"
             "s = hashset.HashSet(); s.insert(3)\n"
             "print(point.Point(13, 42), s.contains(3), s.len(),"
             " list(s.iter()))"])
        check(imported.stdout == "Point(x=13.0, y=42.0) True 1 [3]\n",
              imported.stdout + imported.stderr)

    def module_tests(self):
        suite = self.run([self.python, SUITE])
        check(suite.returncode == 0,
              suite.stdout[-3000:] + suite.stderr[-2000:])
        return (suite.stdout.strip().splitlines()[-1:] or [""])[0]


def main():
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("wheel")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pyhost-wheel-") as venv:
        environment = Environment(venv)
        cases = [
            ("wheel name and tags", lambda: name_and_tags(args.wheel)),
            ("RECORD lists every file",
             lambda: record_lists_every_file(args.wheel)),
            ("fresh venv", environment.create),
            ("pip install --no-index",
             lambda: environment.install(args.wheel)),
            ("import from the environment", environment.import_modules),
            ("module test suite in the environment",
             environment.module_tests),
        ]
        return harness.run(cases, args)


if __name__ == "__main__":
    sys.exit(main())
