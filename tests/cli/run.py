"""End-to-end tests of the pyhost command against the reference interpreter.

Usage: python3.11 tests/cli/run.py --pyhost PATH --reference /usr/bin/python3.11
       [-k SUBSTRING] [-v]

Each comparative case runs the same command line, standard input and files
under pyhost and under the reference, in the same fresh directory with the
same environment (the caller's, minus every PYTHON* variable, plus
LC_ALL=C.UTF-8), and compares the exit status (a negative one is death by
a signal), standard output and standard error byte for byte.  The only
normalisation: where the program's own path or name appears (usage errors,
"pyhost: can't open file"), each program's name is replaced by "PROGRAM".
Then pyhost-only cases check what pyhost does differently on purpose
(--help, --version, its built-in modules).  The last line is
"N passed, N failed"; the exit status is 1 when a case failed.
"""
import argparse
import dataclasses
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TIMEOUT = 30  # seconds for one process: a hang is a failure, not a wait


@dataclasses.dataclass
class Case:
    name: str
    args: list
    stdin: bytes = b""
    files: dict = dataclasses.field(default_factory=dict)
    env: dict = dataclasses.field(default_factory=dict)
    merge_stderr: bool = False  # for -u: the interleaving is the point
    close_stdout_after: int = -1  # read this many bytes, then close the pipe


@dataclasses.dataclass
class Result:
    status: int
    stdout: bytes
    stderr: bytes


def base_environment(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["LC_ALL"] = "C.UTF-8"
    env.update(extra)
    return env


def run(program, case, workdir, env_extra=None):
    """Runs `program` with the case's arguments in `workdir`."""
    env = base_environment(dict(case.env, **(env_extra or {})))
    argv = [program] + [a.replace("{dir}", workdir) for a in case.args]
    process = subprocess.Popen(
        argv, cwd=workdir, env=env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if case.merge_stderr else subprocess.PIPE)
    if case.close_stdout_after >= 0:
        return run_with_early_close(process, case)
    try:
        stdout, stderr = process.communicate(case.stdin, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return Result(status="timeout", stdout=b"", stderr=b"")
    return Result(process.returncode, stdout, stderr or b"")


def run_with_early_close(process, case):
    """A reader that goes away: the program meets a broken pipe."""
    process.stdin.close()
    head = process.stdout.read(case.close_stdout_after)
    process.stdout.close()
    try:
        stderr = process.stderr.read()
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        return Result(status="timeout", stdout=b"", stderr=b"")
    return Result(process.returncode, head, stderr)


def normalise(data, program):
    """Replaces the program's path, and its name where it starts a line
    ("python3.11: can't open file ..."), by PROGRAM."""
    data = data.replace(os.fsencode(program), b"PROGRAM")
    name = re.escape(os.fsencode(os.path.basename(program)))
    return re.sub(rb"(?m)^" + name + rb":", b"PROGRAM:", data)


def prepare(case, workdir):
    for relative, content in case.files.items():
        path = os.path.join(workdir, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(content.replace("{dir}", workdir))


def compare(case, pyhost, reference):
    """Returns None when both programs behave alike, else the difference."""
    workdir = tempfile.mkdtemp(prefix="cli-case-")
    try:
        prepare(case, workdir)
        mine = run(pyhost, case, workdir)
        theirs = run(reference, case, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    problems = []
    if mine.status != theirs.status:
        problems.append(f"exit status: pyhost {mine.status}, "
                        f"reference {theirs.status}")
    for stream in ("stdout", "stderr"):
        ours = normalise(getattr(mine, stream), pyhost)
        reference_output = normalise(getattr(theirs, stream), reference)
        if ours != reference_output:
            diff = difflib.unified_diff(
                reference_output.decode(errors="replace").splitlines(),
                ours.decode(errors="replace").splitlines(),
                "reference", "pyhost", lineterm="")
            problems.append(f"{stream} differs:\n" + "\n".join(diff))
    return "\n".join(problems) or None


SCRIPT_ARGV = "import sys\nprint(sys.argv)\n"
TRACEBACK = "def f():\n    raise ValueError('bad value')\n\nf()\n"

COMPARATIVE = [
    Case("script", ["hello.py"], files={"hello.py": "print('hello')\n"}),
    Case("script argv", ["argv.py", "a", "-V", "--help", "--", "b"],
         files={"argv.py": SCRIPT_ARGV}),
    Case("-c", ["-c", "print(6 * 7)"]),
    Case("-c argv", ["-c", "import sys; print(sys.argv)", "x", "-V"]),
    Case("-m module argv", ["-m", "mod", "one", "two"],
         files={"mod.py": SCRIPT_ARGV}),
    Case("-m json.tool", ["-m", "json.tool"], stdin=b'{"b": [1, 2], "a": null}'),
    Case("-m missing module", ["-m", "no_such_module_here"]),
    Case("-m unittest", ["-m", "unittest", "-q", "test_tiny"],
         files={"test_tiny.py": "import unittest\n"
                "class T(unittest.TestCase):\n"
                "    def test_ok(self):\n        self.assertEqual(1, 1)\n"}),
    Case("- reads stdin", ["-", "arg"], stdin=b"import sys\nprint(sys.argv)\n"),
    Case("piped stdin", [], stdin=b"x = 5\nprint(x * 2)\n"),
    Case("sys.exit(3)", ["-c", "import sys; sys.exit(3)"]),
    Case("sys.exit(message)", ["-c", "import sys; sys.exit('goodbye')"]),
    Case("sys.exit()", ["-c", "import sys; sys.exit()"]),
    Case("uncaught exception", ["fail.py"], files={"fail.py": TRACEBACK}),
    Case("syntax error in script", ["bad.py"], files={"bad.py": "x = (\n"}),
    Case("syntax error in -c", ["-c", "1 +"]),
    Case("death by SIGINT", ["-c", "import os, signal, time\n"
                             "os.kill(os.getpid(), signal.SIGINT)\n"
                             "time.sleep(5)"]),
    Case("KeyboardInterrupt raised", ["-c", "raise KeyboardInterrupt"]),
    Case("usage error: unknown option", ["-Z"]),
    Case("usage error: -c needs an argument", ["-c"]),
    Case("missing script", ["does_not_exist.py"]),
    Case("directory without __main__", ["{dir}"]),
    Case("-i with piped input", ["-i", "-c", "x = 21"], stdin=b"print(x * 2)\n"),
    Case("-q with piped input", ["-q"], stdin=b"print('quiet')\n"),
    Case("-I ignores PYTHONPATH", ["-I", "-c", "import sys; import extra"],
         files={"lib/extra.py": "print('imported')\n"},
         env={"PYTHONPATH": "lib"}),
    Case("-E ignores PYTHONPATH", ["-E", "-c", "import extra"],
         files={"lib/extra.py": "print('imported')\n"},
         env={"PYTHONPATH": "lib"}),
    Case("PYTHONPATH honoured", ["-c", "import extra"],
         files={"lib/extra.py": "print('imported')\n"},
         env={"PYTHONPATH": "lib"}),
    Case("-S skips site", ["-S", "-c", "import sys; print('site' in sys.modules)"]),
    Case("-s flag", ["-s", "-c", "import sys; print(sys.flags.no_user_site)"]),
    Case("-u unbuffered interleaving", ["-u", "-c",
         "import sys\nfor i in range(3):\n"
         "    sys.stdout.write(f'out{i} '); sys.stderr.write(f'err{i} ')"],
         merge_stderr=True),
    Case("-W error", ["-W", "error", "-c",
                      "import warnings; warnings.warn('careful')"]),
    Case("-X utf8", ["-X", "utf8", "-c",
                     "import sys; print(sys.flags.utf8_mode, "
                     "sys.stdout.encoding)"]),
    Case("-X dev", ["-X", "dev", "-c", "import sys; print(sys.flags.dev_mode)"]),
    Case("-O skips assert", ["-O", "-c", "assert False; print(__debug__)"]),
    Case("-B flag", ["-B", "-c",
                     "import sys; print(sys.dont_write_bytecode)"]),
    Case("-b bytes warning", ["-b", "-c", "print(str(b'x'))"]),
    Case("broken pipe", ["-c", "for i in range(100000): print(i)"],
         close_stdout_after=1),
    Case("non-ASCII output", ["-c", "print('héllo wörld ✓ 日本')"]),
    Case("non-ASCII under C locale", ["-c", "print('héllo')"],
         env={"LC_ALL": "C"}),
    Case("PYTHONIOENCODING", ["-c", "print('é')"],
         env={"PYTHONIOENCODING": "latin-1"}),
    Case("non-ASCII stdin", [], stdin="print('ünïcödé', len('ü'))\n".encode()),
    Case("subprocess of sys.executable", ["-c",
         "import subprocess, sys\n"
         "r = subprocess.run([sys.executable, '-c', 'print(40 + 2)'],"
         " capture_output=True, text=True)\n"
         "print(r.returncode, r.stdout.strip())"]),
    Case("multiprocessing spawn", ["spawn.py"], files={"spawn.py":
         "import multiprocessing as mp\n"
         "def square(x):\n    return x * x\n"
         "if __name__ == '__main__':\n"
         "    with mp.get_context('spawn').Pool(2) as pool:\n"
         "        print(pool.map(square, range(5)))\n"}),
    Case("-m pytest --version", ["-m", "pytest", "--version"]),
    Case("script dir on sys.path", ["sub/main.py"],
         files={"sub/main.py": "import helper\n", "sub/helper.py":
                "print('found helper')\n"}),
]


def check_output(regex, stream="stdout", status=0):
    """A pyhost-only check: exit status and a regex over one stream."""
    def check(result):
        text = getattr(result, stream).decode(errors="replace")
        if result.status != status:
            return f"exit status {result.status}, expected {status}\n{text}"
        if not re.search(regex, text, re.MULTILINE | re.DOTALL):
            return f"{stream} does not match {regex!r}:\n{text}"
        return None
    return check


VERSION_LINE = r"\Apyhost \d+\.\d+\.\d+ \(Python 3\.11\.\d+\)\n\Z"
PYHOST_ONLY = [
    (Case("--version", ["--version"]), check_output(VERSION_LINE)),
    (Case("-V", ["-V"]), check_output(VERSION_LINE)),
    (Case("-VV", ["-VV"]),
     check_output(r"\Apyhost \d+\.\d+\.\d+ \(Python 3\.11\.\d+ .*\[GCC")),
    (Case("--help", ["--help"]),
     check_output(r"\Apyhost \d.*point.*hashset.*hash_set.*pyhost\(1\).*"
                  r"usage: .*-c cmd")),
    (Case("-h", ["-h"]), check_output(r"\Apyhost .*-m mod")),
    (Case("-V after -c belongs to the command",
          ["-c", "import sys; print(sys.argv)", "-V"]),
     check_output(r"\A\['-c', '-V'\]\n\Z")),
    (Case("--help after the script belongs to it", ["argv.py", "--help"],
          files={"argv.py": SCRIPT_ARGV}),
     check_output(r"\A\['argv.py', '--help'\]\n\Z")),
    (Case("built-in module names", ["-c",
          "import sys; print(sorted(set(sys.builtin_module_names) & "
          "{'point', 'hashset', 'hash_set'}))"]),
     check_output(r"\A\['hash_set', 'hashset', 'point'\]\n\Z")),
    (Case("modules import with -I -S and no path", ["-I", "-S", "-c",
          "import sys; sys.path.clear()\n"
          "import point, hashset, hash_set\n"
          "print(point.Point(13, 42), hashset.HashSet([7]))"]),
     check_output(r"\APoint\(x=13.0, y=42.0\) HashSet\(\{7\}\)\n\Z")),
    (Case("tutorial transcript", ["-c", "from point import Point; "
          "p = Point(13, 42); print(p.x, p.y)"]),
     check_output(r"\A13.0 42.0\n\Z")),
    (Case("sys.executable", ["-c", "import sys; print(sys.executable)"]),
     None),  # filled in by main(): needs the binary's absolute path
    (Case("bad option exit status", ["--no-such-option"]),
     check_output(r"unknown option --no-such-option", "stderr", 2)),
]


def shebang_case(pyhost, reference):
    """A `#!/usr/bin/env pyhost` script run directly, found through PATH."""
    workdir = tempfile.mkdtemp(prefix="cli-shebang-")
    try:
        bindir = os.path.join(workdir, "bin")
        os.mkdir(bindir)
        os.symlink(os.path.abspath(pyhost), os.path.join(bindir, "pyhost"))
        body = "import sys, hashset\nprint(sys.argv[1:], len(hashset.HashSet([1, 1, 2])))\n"
        script = os.path.join(workdir, "tool")
        with open(script, "w") as out:
            out.write("#!/usr/bin/env pyhost\n" + body)
        os.chmod(script, 0o755)
        env = base_environment({"PATH": bindir + os.pathsep
                                + os.environ.get("PATH", "")})
        result = subprocess.run([script, "a b", "c"], env=env, cwd=workdir,
                                capture_output=True, timeout=TIMEOUT)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    expected = b"['a b', 'c'] 2\n"
    if result.returncode != 0 or result.stdout != expected:
        return (f"status {result.returncode}, stdout {result.stdout!r}, "
                f"stderr {result.stderr!r}; expected {expected!r}")
    return None


def run_pyhost_only(case, check, pyhost):
    workdir = tempfile.mkdtemp(prefix="cli-case-")
    try:
        prepare(case, workdir)
        return check(run(pyhost, case, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyhost", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("-k", dest="pattern", default="")
    parser.add_argument("-v", dest="verbose", action="store_true")
    args = parser.parse_args()
    pyhost = os.path.abspath(args.pyhost)

    tests = [(case.name, lambda case=case: compare(case, pyhost,
                                                     args.reference))
             for case in COMPARATIVE]
    for case, check in PYHOST_ONLY:
        if check is None:
            check = check_output(r"\A" + re.escape(pyhost) + r"\n\Z")
        tests.append((f"pyhost: {case.name}",
                      lambda case=case, check=check:
                      run_pyhost_only(case, check, pyhost)))
    tests.append(("pyhost: #!/usr/bin/env pyhost script",
                  lambda: shebang_case(pyhost, args.reference)))

    passed = failed = 0
    for name, test in tests:
        if args.pattern not in name:
            continue
        started = time.monotonic()
        problem = test()
        elapsed = time.monotonic() - started
        if problem is None:
            passed += 1
            print(f"ok   {name}" + (f" ({elapsed:.2f}s)" if args.verbose
                                    else ""))
        else:
            failed += 1
            print(f"FAIL {name}\n" + "\n".join(
                "     " + line for line in problem.splitlines()))
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
