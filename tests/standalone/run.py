"""build/pyhost-standalone in an empty root (tests/standalone/empty_root.py:
a chroot holding only the executable and the shared libraries ldd lists
for it, plus /proc, /dev/null, /dev/shm, a /tmp mounted noexec -- no
Python, no terminfo database, no certificates).  The root itself is
mounted read-only once the case that checks no file is written has run.

    run.py --exe FILE --reference /usr/bin/python3.11 [--module-tests]

Cases: -c, a script, -m json.tool, PYTHONPATH, then tests/standalone/
smoke.py inside the file (each of its checks a case here, among them an
import of every module tests/standalone/modules.py lists), and the shell
through a pseudo-terminal with TERM=xterm-256color and TERM=dumb.  With
--module-tests, the module tests (tests/python) inside the file instead,
whose own closing line is this layer's.  Needs root (chroot, mount):
otherwise every case is skipped, saying so.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, TESTS)
import harness  # noqa: E402
from harness import check  # noqa: E402
from empty_root import BARE_ENV, CHROOT, empty_root  # noqa: E402

EXE = "/bin/pyhost-standalone"


def expect(result, stdout=None, status=0):
    detail = (f"exit {result.returncode}\nstdout: {result.stdout[-3000:]}\n"
              f"stderr: {result.stderr[-3000:]}")
    check(result.returncode == status, detail)
    if stdout is not None:
        check(result.stdout == stdout, f"expected {stdout!r}\n{detail}")


# {=====  The cases


def command_cases(root):
    def dash_c():
        expect(root.run(EXE, "-c", "import hashset, sqlite3, ssl; "
                      "print(sorted(hashset.HashSet([3, 1])))"), "[1, 3]\n")

    def script():
        expect(root.run(EXE, "/work/script.py", "a", "b c"),
               '{"argv": ["a", "b c"]}\n')

    def json_tool():
        expect(root.run(EXE, "-m", "json.tool", stdin='{"a": [1]}'),
               '{\n    "a": [\n        1\n    ]\n}\n')

    def pythonpath_adds_a_directory():
        expect(root.run(EXE, "-c", "import extra; print(extra.where)",
                        env={"PYTHONPATH": "/work/extra"}), "/work/extra\n")
        isolated = root.run(EXE, "-I", "-c", "import extra",
                            env={"PYTHONPATH": "/work/extra"})
        check(isolated.returncode == 1
              and "ModuleNotFoundError" in isolated.stderr,
              f"-I still read PYTHONPATH: {isolated}")

    def traceback_shows_library_source():
        # The same lines as python3.11's, paths aside: source lines of
        # json/decoder.py come from the zip in the file.
        result = root.run(EXE, "-c", "import json; json.loads('{')")
        check(result.returncode == 1, result)
        check(f'File "{EXE}/json/decoder.py", line 353, in raw_decode\n'
              "    obj, end = self.scan_once(s, idx)\n" in result.stderr,
              result.stderr)

    return [("-c", dash_c), ("a script with arguments", script),
            ("-m json.tool", json_tool),
            ("PYTHONPATH adds a directory, -I ignores it",
             pythonpath_adds_a_directory),
            ("an uncaught exception shows the library's source lines",
             traceback_shows_library_source)]


def writes_nothing(root):
    """Importing every module and running the smoke test's work leaves
    the root as it was: no __pycache__, nothing extracted."""
    def case():
        before = root.files()
        result = root.run(
            EXE, "-c", "import importlib\n"
            "for name in open('/work/modules.txt').read().split():\n"
            "    importlib.import_module(name)\n")
        expect(result)
        created = root.files() - before
        check(not created, f"files written: {sorted(created)[:20]}")
    return [("importing the whole library writes no file", case)]


def smoke_cases(root):
    """The checks of smoke.py, run inside the file, each a case."""
    try:
        result = root.run(EXE, "/work/smoke.py", "/work/modules.txt")
    except (OSError, subprocess.SubprocessError) as error:
        # Bound now: Python unbinds `error` when the except clause ends.
        message = f"{type(error).__name__}: {error}"
        return [("smoke.py ran to its end", lambda: check(False, message))]
    cases, current = [], None
    for line in result.stdout.splitlines():
        if line.startswith(("ok   ", "FAIL ")):
            name = "smoke: " + line[5:].split(":")[0]
            current = [name, line.startswith("ok"), line[5:]]
            cases.append(current)
        elif current is not None and line.startswith(harness.INDENT):
            current[2] += "\n" + line.strip()

    def verdict(passed, detail):
        def case():
            check(passed, detail)
            return detail.partition(": ")[2][:200]
        return case

    out = [(name, verdict(passed, detail)) for name, passed, detail in cases]
    out.append(("smoke.py ran to its end", lambda: check(
        result.returncode == (1 if any(not c[1] for c in cases) else 0)
        and "failed" in result.stdout,
        f"exit {result.returncode}\n{result.stdout[-2000:]}\n"
        f"{result.stderr[-2000:]}")))
    return out


# The shell's line editing without a terminfo database: each edit is
# checked by the value Python prints, which only the edited line gives.
BACKSPACE, LEFT, UP, CTRL_A = "\x7f", "\x1b[D", "\x1b[A", "\x01"
BRACKETED_PASTE_MODE = re.compile("\x1b\\[\\?2004[hl]")
COLOUR = re.compile("\x1b\\[[0-9;]*m")  # the coloured prompt (issue 16)
EDITS = [
    ("backspace", "1+22" + BACKSPACE + "3\r", "24"),
    ("left arrow", "7+1" + LEFT + LEFT + "0\r", "71"),
    ("ctrl-a", "+1" + CTRL_A + "2\r", "3"),
    ("up arrow recalls and edits", "6*7\r", "42"),
    ("", UP + BACKSPACE + "8\r", "48"),
]


def shell_cases(root):
    import pexpect

    def session(term):
        def case():
            child = pexpect.spawn(
                CHROOT, [root.path, EXE, "-q"], encoding="utf-8",
                timeout=20,
                env={**BARE_ENV, "TERM": term, "PYHOST_HISTFILE": ""})
            try:
                child.expect(">>> ")
                for name, keys, value in EDITS:
                    child.send(keys)
                    # The line's end (a redraw of the line, as readline
                    # makes without a terminfo database for a prompt
                    # with invisible characters, holds the prompt too).
                    child.expect("\n")
                    child.expect(">>> ")
                    # A dumb terminal gets no escape sequences; another
                    # gets bracketed paste's around each statement run,
                    # and colour.
                    check(term != "dumb" or "\x1b" not in child.before,
                          f"escape sequences on a dumb terminal: "
                          f"{child.before!r}")
                    shown = COLOUR.sub(
                        "", BRACKETED_PASTE_MODE.sub("", child.before))
                    lines = shown.replace("\r", "").splitlines()
                    check(lines and lines[-1].strip() == value,
                          f"{name or 'recall'}: {keys!r} gave "
                          f"{child.before!r}, not {value}")
                child.send("\x04")
                child.expect(pexpect.EOF)
            finally:
                child.close(force=True)
            return "backspace, left arrow, ctrl-a, up arrow"
        return case

    return [(f"the shell edits lines, TERM={term}", session(term))
            for term in ("xterm-256color", "dumb")]


# {=====  The layer


def module_tests(args):
    """tests/python inside the file, in the read-only empty root; its
    own output, closing line included, is the layer's."""
    files = [(os.path.join(TESTS, "python"), "/work/tests/python"),
             (os.path.join(TESTS, "harness.py"), "/work/tests/harness.py")]
    with empty_root([(args.exe, EXE)], files) as root:
        root.read_only()
        process = subprocess.Popen(
            [CHROOT, root.path, EXE, "-B", "/work/tests/python/run.py"],
            env=BARE_ENV,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="replace", cwd="/")
        for line in process.stdout:
            sys.stdout.write(line)
        return process.wait()


def main():
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("--exe", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--module-tests", action="store_true")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("skip standalone: needs root (chroot, mount)")
        print(harness.summary(0, 0, 1))
        return 0
    if args.module_tests:
        return module_tests(args)
    modules = subprocess.run(
        [args.reference, os.path.join(HERE, "modules.py")],
        capture_output=True, text=True, check=True).stdout
    with tempfile.TemporaryDirectory() as scratch:
        listing = os.path.join(scratch, "modules.txt")
        script = os.path.join(scratch, "script.py")
        extra = os.path.join(scratch, "extra.py")
        with open(listing, "w") as out:
            out.write(modules)
        with open(script, "w") as out:
            out.write("import json, sys\n"
                      "print(json.dumps({'argv': sys.argv[1:]}))\n")
        with open(extra, "w") as out:
            out.write("import os\nwhere = os.path.dirname(__file__)\n")
        files = [(listing, "/work/modules.txt"),
                 (script, "/work/script.py"),
                 (extra, "/work/extra/extra.py"),
                 (os.path.join(HERE, "smoke.py"), "/work/smoke.py")]
        with empty_root([(args.exe, EXE)], files) as root:
            cases = writes_nothing(root)
            tally = harness.Tally()
            for name, function in cases:
                harness.run_case(tally, name, function, args.verbose)
            root.read_only()
            cases = (command_cases(root) + smoke_cases(root)
                     + shell_cases(root))
            for name, function in cases:
                if args.pattern in name:
                    harness.run_case(tally, name, function, args.verbose)
            return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
