"""build/pyhost-standalone in an empty root: a chroot holding only the
executable and the shared libraries ldd lists for it, plus what every
machine has (/proc, /dev/null, /dev/shm, a /tmp mounted noexec) -- no
Python, no terminfo database, no certificates.  The root itself is
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
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, TESTS)
import harness  # noqa: E402
from harness import check  # noqa: E402

EXE = "/bin/pyhost-standalone"
# Found on the host's PATH; the commands in the root get PATH=/bin.
CHROOT = shutil.which("chroot") or "/usr/sbin/chroot"
TIMEOUT = 600  # seconds for one command in the root; none takes a tenth


def shared_libraries(exe):
    """The files the dynamic loader opens for exe, by the paths it uses."""
    out = subprocess.run(["ldd", exe], capture_output=True, text=True,
                         check=True).stdout
    paths = []
    for line in out.splitlines():
        words = line.split()
        if len(words) >= 3 and words[1] == "=>" and words[2].startswith("/"):
            paths.append(words[2])
        elif words and words[0].startswith("/"):
            paths.append(words[0])
    return paths


def mounted_under(root):
    with open("/proc/self/mountinfo") as info:
        return [line.split()[4] for line in info
                if (line.split()[4] + "/").startswith(root + "/")]


@contextlib.contextmanager
def empty_root(exe, files=()):
    """A temporary root with exe as /bin/pyhost-standalone, its libraries,
    /proc, /dev/null, /dev/shm, a noexec /tmp, and files (source path,
    path in the root); unmounted and removed on exit.  Yields the root
    and a function that makes it read-only.  The root is a bind mount of
    its own directory, so that remounting it read-only leaves its mounts
    (and the host) as they are."""
    root = tempfile.mkdtemp(prefix="pyhost-chroot.")

    def mount(*args):
        subprocess.run(["mount", *args], check=True)

    def read_only():
        mount("-o", "remount,bind,ro", root)

    try:
        for directory in ("bin", "proc", "dev/shm", "tmp", "work"):
            os.makedirs(os.path.join(root, directory))
        shutil.copy2(exe, root + EXE)
        for lib in shared_libraries(exe):
            os.makedirs(os.path.dirname(root + lib), exist_ok=True)
            shutil.copy2(os.path.realpath(lib), root + lib)
        for source, target in files:
            os.makedirs(os.path.dirname(root + target), exist_ok=True)
            if os.path.isdir(source):
                shutil.copytree(source, root + target, ignore=shutil
                                .ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, root + target)
        os.mknod(root + "/dev/null", 0o666 | 0o020000, os.makedev(1, 3))
        os.chmod(root + "/dev/null", 0o666)
        os.chmod(root + "/work", 0o777)
        mount("--bind", root, root)
        mount("--make-private", root)
        mount("-t", "proc", "proc", root + "/proc")
        mount("-t", "tmpfs", "-o", "size=64m,mode=1777", "tmpfs",
              root + "/dev/shm")
        mount("-t", "tmpfs", "-o", "size=64m,mode=1777,noexec,nosuid,nodev",
              "tmpfs", root + "/tmp")
        yield root, read_only
    finally:
        if mounted_under(root):
            subprocess.run(["umount", "-R", root])
        if mounted_under(root):  # never remove what a mount still shows
            print(f"standalone: left {root}: still mounted", flush=True)
        else:
            shutil.rmtree(root, ignore_errors=True)


def run_in(root, *args, stdin=None, env=None):
    """Runs args in the root as a fresh process, with a bare environment."""
    environment = {"HOME": "/work", "PATH": "/bin", "LANG": "C.UTF-8"}
    environment.update(env or {})
    return subprocess.run([CHROOT, root, *args], input=stdin,
                          capture_output=True, text=True, env=environment,
                          cwd="/", timeout=TIMEOUT)


def files_in(root):
    """Every file and directory of the root, less the mounted trees."""
    found = set()
    for directory, dirs, names in os.walk(root):
        relative = os.path.relpath(directory, root)
        if relative in ("proc", "dev/shm", "tmp"):
            dirs[:] = []
            continue
        found.update(os.path.join(relative, name) for name in dirs + names)
    return found


def expect(result, stdout=None, status=0):
    detail = (f"exit {result.returncode}\nstdout: {result.stdout[-3000:]}\n"
              f"stderr: {result.stderr[-3000:]}")
    check(result.returncode == status, detail)
    if stdout is not None:
        check(result.stdout == stdout, f"expected {stdout!r}\n{detail}")


# {=====  The cases


def command_cases(root):
    def dash_c():
        expect(run_in(root, EXE, "-c", "import hashset, sqlite3, ssl; "
                      "print(sorted(hashset.HashSet([3, 1])))"), "[1, 3]\n")

    def script():
        expect(run_in(root, EXE, "/work/script.py", "a", "b c"),
               '{"argv": ["a", "b c"]}\n')

    def json_tool():
        expect(run_in(root, EXE, "-m", "json.tool", stdin='{"a": [1]}'),
               '{\n    "a": [\n        1\n    ]\n}\n')

    def pythonpath_adds_a_directory():
        expect(run_in(root, EXE, "-c", "import extra; print(extra.where)",
                      env={"PYTHONPATH": "/work/extra"}), "/work/extra\n")
        isolated = run_in(root, EXE, "-I", "-c", "import extra",
                          env={"PYTHONPATH": "/work/extra"})
        check(isolated.returncode == 1
              and "ModuleNotFoundError" in isolated.stderr,
              f"-I still read PYTHONPATH: {isolated}")

    def traceback_shows_library_source():
        # The same lines as python3.11's, paths aside: source lines of
        # json/decoder.py come from the zip in the file.
        result = run_in(root, EXE, "-c", "import json; json.loads('{')")
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
        before = files_in(root)
        result = run_in(root, EXE, "-c",
                        "import importlib\n"
                        "for name in open('/work/modules.txt').read().split():"
                        "\n    importlib.import_module(name)\n")
        expect(result)
        created = files_in(root) - before
        check(not created, f"files written: {sorted(created)[:20]}")
    return [("importing the whole library writes no file", case)]


def smoke_cases(root):
    """The checks of smoke.py, run inside the file, each a case."""
    try:
        result = run_in(root, EXE, "/work/smoke.py", "/work/modules.txt")
    except (OSError, subprocess.SubprocessError) as error:
        return [("smoke.py ran to its end", lambda: check(False, error))]
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
                CHROOT, [root, EXE, "-q"], encoding="utf-8", timeout=20,
                env={"TERM": term, "HOME": "/work", "PATH": "/bin",
                     "LANG": "C.UTF-8", "PYHOST_HISTFILE": ""})
            try:
                child.expect(">>> ")
                for name, keys, value in EDITS:
                    child.send(keys)
                    child.expect(">>> ")
                    lines = child.before.replace("\r", "").splitlines()
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
    with empty_root(args.exe, files) as (root, read_only):
        read_only()
        process = subprocess.Popen(
            [CHROOT, root, EXE, "-B", "/work/tests/python/run.py"],
            env={"HOME": "/work", "PATH": "/bin", "LANG": "C.UTF-8"},
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
        with empty_root(args.exe, files) as (root, read_only):
            cases = writes_nothing(root)
            tally = harness.Tally()
            for name, function in cases:
                harness.run_case(tally, name, function, args.verbose)
            read_only()
            cases = (command_cases(root) + smoke_cases(root)
                     + shell_cases(root))
            for name, function in cases:
                if args.pattern in name:
                    harness.run_case(tally, name, function, args.verbose)
            return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
