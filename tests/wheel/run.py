"""Installs the wheel into a fresh virtual environment and tests it there.

Usage: python3.11 tests/wheel/run.py WHEEL

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


def main():
    wheel = sys.argv[1]
    passed = failed = 0

    def report(ok, name, detail=""):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("ok   " if ok else "FAIL ") + name
              + ("" if ok else "\n     " + detail[:3000]), flush=True)

    name = os.path.basename(wheel)
    report(re.fullmatch(r"pyhost_modules-[\d.]+-cp311-cp311-"
                        r"manylinux_2_\d+_x86_64(\.manylinux2014_x86_64)?"
                        r"\.whl", name) is not None, "wheel name and tags",
           name)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        record = [n for n in names if n.endswith(".dist-info/RECORD")]
        listed = archive.read(record[0]).decode().split() if record else []
    report(len(record) == 1 and sorted(line.split(",")[0] for line in listed)
           == sorted(names), "RECORD lists every file", repr(names))

    with tempfile.TemporaryDirectory(prefix="pyhost-wheel-") as venv:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PYTHON")}
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        env.pop("PIP_FIND_LINKS", None)
        created = subprocess.run([sys.executable, "-m", "venv", venv],
                                 capture_output=True, text=True, env=env,
                                 timeout=TIMEOUT)
        report(created.returncode == 0, "fresh venv", created.stderr)
        python = os.path.join(venv, "bin", "python")
        install = subprocess.run(
            [python, "-m", "pip", "install", "--no-index", "--quiet", wheel],
            capture_output=True, text=True, env=env, timeout=TIMEOUT)
        report(install.returncode == 0, "pip install --no-index",
               install.stdout + install.stderr)
        imported = subprocess.run(
            [python, "-c", "import point, hashset, hash_set, sys\n"
             "assert hashset.__file__.startswith(sys.prefix)\n"
             "s = hashset.HashSet(); s.insert(3)\n"
             "print(point.Point(13, 42), s.contains(3), s.len(),"
             " list(s.iter()))"],
            capture_output=True, text=True, env=env, cwd=venv,
            timeout=TIMEOUT)
        report(imported.stdout == "Point(x=13.0, y=42.0) True 1 [3]\n",
               "import from the environment",
               imported.stdout + imported.stderr)
        suite = subprocess.run([python, SUITE], capture_output=True,
                               text=True, env=env, cwd=venv, timeout=TIMEOUT)
        summary = suite.stdout.strip().splitlines()[-1:] or [""]
        report(suite.returncode == 0, "module test suite in the environment: "
               + summary[0], suite.stdout[-3000:] + suite.stderr[-2000:])
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
