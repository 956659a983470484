"""End-to-end tests of the pyhost command, compared with python3.11.

Usage: /usr/bin/python3.11 tests/cli/run.py --pyhost PATH
           --reference /usr/bin/python3.11 [-k SUBSTRING] [-v]

Comparative cases (COMPARATIVE) run the same command line under pyhost and
under the reference interpreter and compare the exit status (a negative
status is death by that signal), standard output and standard error byte
for byte.  Both runs get:
- the same environment: the caller's minus every PYTHON* variable, plus
  LC_ALL=C.UTF-8, plus the case's own variables (None removes one);
- the same working directory (one fresh temporary directory per case, the
  same path for both runs, emptied and refilled with the case's files
  between the two runs, so that nothing one run writes, such as
  __pycache__, is seen by the other), hence the same script paths;
- standard input from a pipe (or a file) holding the case's bytes, never a
  terminal; a new session (setsid), so no controlling terminal either;
- the default signal dispositions and an empty signal mask, whatever the
  harness inherited (a background job of a shell has SIGINT ignored, and
  an ignored SIGINT would stay ignored in both programs).
"{dir}" in a case's arguments, files and variables is that directory.
Each process has 30 seconds; a timeout is a failure, never a hang.

Normalisation, the only one: the program's own name.  In each run's
output, the path by which the harness started the program (absolute, as
in the usage line, "PATH: can't open file ...", sys.orig_argv[0],
sys._base_executable or a child started with sys.executable) is replaced
by <PROGRAM>, and so is its bare name where it starts a line followed by
": " (CPython's "python3.11: can't open file" when started by name).
Both sides become the same placeholder rather than pyhost's name becoming
the reference's, so that a pyhost output that names the *reference*
interpreter still shows up as a difference.  Cases do not print
sys.executable itself (pyhost-only checks test it).

Every comparative case also states what the reference must do (exit
status, a regular expression over its stdout/stderr): a case whose
reference run does not do it fails too, so that no case passes because
both programs failed the same uninteresting way (a missing module, a
typo in the case).

Pyhost-only checks (PYHOST_ONLY) test what pyhost does on purpose
differently: --version, --help, its built-in modules, sys.executable, a
`#!/usr/bin/env pyhost` script.

One line per case (tests/harness.py), "ok   NAME" or "FAIL NAME" followed
by the differences; the last line is "N passed, N failed"; exit status 1
when a case failed.
"""
import dataclasses
import difflib
import io
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TESTS)
import harness  # noqa: E402
from harness import check  # noqa: E402

TIMEOUT = 30  # seconds for one process: a hang is a failure, not a wait
PLACEHOLDER = b"<PROGRAM>"


@dataclasses.dataclass
class Case:
    name: str
    args: list  # after the program; "{dir}" is the working directory
    stdin: bytes = b""
    stdin_file: bool = False  # stdin from a regular file instead of a pipe
    files: dict = dataclasses.field(default_factory=dict)  # path: str|bytes
    links: dict = dataclasses.field(default_factory=dict)  # path: target
    env: dict = dataclasses.field(default_factory=dict)  # None: unset
    merge_stderr: bool = False  # stderr into the stdout pipe (-u)
    close_stdout_after: int = None  # read so many bytes, close the pipe
    redirect: str = ""  # a /bin/sh redirection, e.g. "<&-" or ">/dev/full"
    signal_when_ready: int = None  # sent once stdout holds "ready\n"
    # What the reference must do (checked on the reference's run).
    status: int = 0
    out: str = None  # regex searched in the reference's stdout
    err: str = None  # regex searched in the reference's stderr


@dataclasses.dataclass
class Result:
    status: object  # int, or "timeout"
    stdout: bytes
    stderr: bytes


# --------------------------------------------------------------- running

def environment(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["LC_ALL"] = "C.UTF-8"
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def expand(text, workdir):
    return text.replace("{dir}", workdir)


def prepare(case, workdir):
    """Empties `workdir` and writes the case's files and links into it."""
    for entry in os.listdir(workdir):
        path = os.path.join(workdir, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    for relative, content in case.files.items():
        path = os.path.join(workdir, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, str):
            content = expand(content, workdir).encode("utf-8")
        with open(path, "wb") as out:
            out.write(content)
    for relative, target in case.links.items():
        os.symlink(target, os.path.join(workdir, relative))


def read_until(stream, predicate, deadline, data=b""):
    """Reads `stream` (raw fd reads) until predicate(data) or EOF/deadline."""
    fd = stream.fileno()
    while not predicate(data):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return data, False
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                return data, True
            data += chunk
    return data, True


def wait_until_sleeping(pid, deadline):
    """Waits until the process blocks (state S), e.g. in time.sleep(), so
    that a signal sent then always finds it at the same line."""
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "S":
                    return
        except OSError:
            return
        time.sleep(0.005)


RESET_SIGNALS = (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP,
                 signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU)


def default_signals():
    """In the child before exec: default dispositions and no blocked
    signals, whatever the harness inherited (a shell's background job
    starts with SIGINT ignored, and a program keeps an ignored SIGINT)."""
    for number in RESET_SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def execute(argv, case, workdir, env, stdin_path):
    """Runs one process as the case says; returns its Result."""
    if case.redirect:
        argv = ["/bin/sh", "-c", 'exec "$0" "$@" ' + case.redirect] + argv
    special = case.close_stdout_after is not None or case.signal_when_ready
    stdin_file = None
    if case.stdin_file or special:
        with open(stdin_path, "wb") as out:
            out.write(case.stdin)
        stdin_file = open(stdin_path, "rb")
    process = subprocess.Popen(
        argv, cwd=workdir, env=env, start_new_session=True,
        preexec_fn=default_signals, stdin=stdin_file or subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if case.merge_stderr else subprocess.PIPE)
    if stdin_file:
        stdin_file.close()
    deadline = time.monotonic() + TIMEOUT
    head = b""
    try:
        if case.close_stdout_after is not None:
            # A reader that goes away: the program meets a broken pipe.
            head, _ = read_until(process.stdout,
                                 lambda d: len(d) >= case.close_stdout_after,
                                 deadline)
            head = head[:case.close_stdout_after]
            process.stdout.close()
        elif case.signal_when_ready:
            head, alive = read_until(process.stdout,
                                     lambda d: b"ready\n" in d, deadline)
            if alive:
                wait_until_sleeping(process.pid, deadline)
                process.send_signal(case.signal_when_ready)
        stdout, stderr = process.communicate(
            None if stdin_file else case.stdin,
            timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        return Result("timeout", head + (stdout or b""), stderr or b"")
    return Result(process.returncode, head + (stdout or b""), stderr or b"")


def normalise(data, program):
    """The program's name, and only it, becomes <PROGRAM> (see the top)."""
    data = data.replace(os.fsencode(program), PLACEHOLDER)
    name = re.escape(os.fsencode(os.path.basename(program)))
    return re.sub(rb"(?m)^" + name + rb": ", PLACEHOLDER + b": ", data)


def text(data):
    return data.decode("utf-8", errors="backslashreplace")


def stream_diff(label, reference, mine, reference_name):
    lines = list(difflib.unified_diff(
        text(reference).splitlines(keepends=True),
        text(mine).splitlines(keepends=True),
        reference_name, "pyhost", n=2))
    body = "".join(line if line.endswith("\n") else line + "\\ no newline\n"
                   for line in lines)
    if not body:  # differences that splitting hides
        body = f"reference: {reference!r}\npyhost:    {mine!r}\n"
    return f"{label} differs:\n{body.rstrip()}"


def check_expectations(case, result):
    """What the case states the reference does; a list of problems."""
    problems = []
    if result.status != case.status:
        problems.append(f"exit status {result.status}, the case expects "
                        f"{case.status}")
    for stream, regex in (("stdout", case.out), ("stderr", case.err)):
        if regex is not None and not re.search(
                regex, text(getattr(result, stream)), re.MULTILINE):
            problems.append(f"{stream} does not match {regex!r}")
    if problems:
        for stream in ("stdout", "stderr"):
            problems.append(f"its {stream}:\n"
                            + text(getattr(result, stream))[-1500:])
    return problems


def compare(case, pyhost, reference):
    """Runs the case under both programs; None when they agree."""
    workdir = os.path.realpath(tempfile.mkdtemp(prefix="pyhost-cli-"))
    stdin_path = workdir + ".stdin"
    results = {}
    try:
        env = environment({k: v if v is None else expand(v, workdir)
                           for k, v in case.env.items()})
        args = [expand(a, workdir) for a in case.args]
        for program in (reference, pyhost):
            prepare(case, workdir)
            results[program] = execute([program] + args, case, workdir, env,
                                       stdin_path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if os.path.exists(stdin_path):
            os.unlink(stdin_path)
    theirs = Result(results[reference].status,
                    normalise(results[reference].stdout, reference),
                    normalise(results[reference].stderr, reference))
    mine = Result(results[pyhost].status,
                  normalise(results[pyhost].stdout, pyhost),
                  normalise(results[pyhost].stderr, pyhost))
    problems = [f"the reference itself: {p}"
                for p in check_expectations(case, theirs)]
    if mine.status != theirs.status:
        problems.append(f"exit status: pyhost {mine.status}, "
                        f"reference {theirs.status}")
    name = os.path.basename(reference)
    for stream in ("stdout", "stderr"):
        if getattr(mine, stream) != getattr(theirs, stream):
            problems.append(stream_diff(stream, getattr(theirs, stream),
                                        getattr(mine, stream), name))
    return "\n".join(problems) or None


# ------------------------------------------------------- the case table

ARGV = "import sys\nprint(sys.argv)\n"
# What __main__ looks like: loader objects print as their type's name (a
# loader object's repr holds its address).
MAIN_INFO = """\
import sys
L = globals().get('__loader__')
spec = globals().get('__spec__')
print('name', __name__)
print('file', globals().get('__file__'))
print('loader', L if isinstance(L, type) or L is None else type(L).__name__)
print('spec', spec and (spec.name, spec.origin))
print('package', globals().get('__package__'))
print('argv', sys.argv)
print('path0', repr(sys.path[0]))
print('builtins', type(__builtins__).__name__)
"""
TRACEBACK = """\
def inner(values):
    return values['missing'] + 1

def outer():
    try:
        inner({})
    except KeyError as error:
        error.add_note('a note on the error')
        raise ValueError('bad value: ü') from error

outer()
"""
GROUP = """\
def fail():
    raise ExceptionGroup('several', [TypeError('one'),
                                     ExceptionGroup('inner', [OSError(2, 'two')])])
fail()
"""
LATIN1_SCRIPT = "# -*- coding: latin-1 -*-\nprint('caf\xe9', len('caf\xe9'))\n"
UNITTEST_MODULE = """\
import types, unittest, unittest.runner
# "Ran 2 tests in 0.000s": a fixed clock, so that the timing cannot differ.
unittest.runner.time = types.SimpleNamespace(perf_counter=lambda: 0.0)

class Tiny(unittest.TestCase):
    def test_ok(self):
        self.assertEqual(sorted({3, 1, 2}), [1, 2, 3])

    def test_fails(self):
        self.assertEqual('pyhost', 'python')
"""
PYTEST_MODULE = """\
def test_passes():
    assert sum(range(4)) == 6

def test_fails():
    values = [1, 2, 3]
    assert values == [1, 2, 4]
"""
POOL = """\
import multiprocessing as mp, sys
def square(x):
    return x * x
if __name__ == '__main__':
    ctx = mp.get_context(sys.argv[1])
    with ctx.Pool(2) as pool:
        print(sys.argv[1], pool.map(square, range(6)))
    print(ctx.Process(target=square, args=(1,)).start() is None)
"""
VENV = """\
import subprocess, sys, venv
venv.create('env', with_pip=False, symlinks=True)
code = ('import sys, site; print(sys.prefix, sys.base_prefix, sys.executable);'
        'print(sys.path); print(site.ENABLE_USER_SITE)')
r = subprocess.run(['env/bin/python', '-c', code], capture_output=True,
                   text=True)
print(r.returncode, r.stdout, r.stderr)
"""
IDENTITY = """\
import sys, sysconfig, site
for name in ('version', 'version_info', 'hexversion', 'api_version',
             'implementation', 'abiflags', 'platlibdir', 'prefix',
             'exec_prefix', 'base_prefix', 'base_exec_prefix', '_stdlib_dir',
             'path', 'warnoptions', '_xoptions', 'pycache_prefix',
             'dont_write_bytecode', 'maxsize', 'float_info', 'int_info',
             'hash_info', 'thread_info', 'float_repr_style'):
    print(name, getattr(sys, name))
print('stdlib_module_names', sorted(sys.stdlib_module_names))
print('recursionlimit', sys.getrecursionlimit(), sys.getswitchinterval())
print('encodings', sys.getdefaultencoding(), sys.getfilesystemencoding(),
      sys.getfilesystemencodeerrors())
print('meta_path', [getattr(f, '__name__', type(f).__name__) for f in sys.meta_path])
print('path_hooks', [getattr(h, '__name__', type(h).__name__) for h in sys.path_hooks])
print('sysconfig', sysconfig.get_config_var('EXT_SUFFIX'),
      sysconfig.get_config_var('prefix'), sysconfig.get_paths())
print('site', site.ENABLE_USER_SITE, site.getsitepackages(),
      site.getuserbase(), site.getusersitepackages())
print('_base_executable', sys._base_executable)
"""
EXTENSIONS = """\
import importlib
for name in ['_ctypes', '_decimal', '_sqlite3', '_ssl', '_hashlib', '_bz2',
             '_lzma', '_json', 'pyexpat', '_elementtree', '_curses', '_uuid',
             'mmap', '_multiprocessing', '_asyncio', 'unicodedata', '_socket',
             'readline', 'zlib', 'math', 'array', 'select', 'termios']:
    module = importlib.import_module(name)
    print(name, getattr(module, '__file__', 'built-in'))
import ctypes, decimal, sqlite3, hashlib
# libpython's own symbols, looked up in the running executable.
get_version = ctypes.pythonapi.Py_GetVersion
get_version.restype = ctypes.c_char_p
print(get_version().decode())
print(ctypes.CDLL(None).strlen(b'hello'))
print(decimal.Decimal(1) / 7, sqlite3.connect(':memory:').execute('select 6*7').fetchone())
print(hashlib.sha256(b'pyhost').hexdigest())
"""
FLAGS = "import sys; print(sys.flags); print(sys.warnoptions, sys._xoptions)"
STREAMS = ("import sys\n"
           "for s in (sys.stdin, sys.stdout, sys.stderr):\n"
           "    print(s.name, s.encoding, s.errors, s.line_buffering,"
           " s.write_through, s.isatty())\n")
SIGNALS = ("import signal\n"
           "for name in ('SIGINT', 'SIGPIPE', 'SIGXFSZ', 'SIGTERM', 'SIGHUP',"
           " 'SIGCHLD', 'SIGQUIT', 'SIGTSTP', 'SIGWINCH', 'SIGALRM'):\n"
           "    print(name, signal.getsignal(getattr(signal, name)))\n"
           "print(signal.pthread_sigmask(signal.SIG_BLOCK, []))\n")
# Writes "a", waits until the reader has closed the pipe (poll reports
# POLLERR on a pipe's write end then), and leaves "b" for the final flush.
BROKEN_AT_EXIT = """\
import select, sys
print('a', flush=True)
poller = select.poll()
poller.register(sys.stdout.fileno(), 0)
while not poller.poll(30000):
    pass
print('b')
"""
SLEEP_READY = ("import time\nprint('ready', flush=True)\n"
               "time.sleep(20)\nprint('not interrupted')\n")
INTERACTIVE = b"""\
x = 6
x * 7
_ + 1
def f(n):
    return n * 2

f(x)
1 / 0
print('still going', _)
for i in range(2):
    i

if x:
  print('block')
  y = (
     3)

y
'caf\xc3\xa9'
"""


def zip_app():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("__main__.py", MAIN_INFO)
    return buffer.getvalue()


def usage_error(name, args, message):
    return Case(name, args, status=2,
                err=r"\A" + re.escape(message) + r"\nusage: <PROGRAM> "
                r"\[option\] \.\.\. \[-c cmd \| -m mod \| file \| -\] "
                r"\[arg\] \.\.\.\nTry `python -h' for more information\.\n\Z")


ENCODINGS = """\
import encodings, encodings.aliases as a, encodings.utf_8 as u, sys
print(encodings.__file__, encodings.__path__, u.__file__, a.__file__,
      "\\xe9".encode("cp1252"), sys.modules["encodings.cp1252"].__file__)
"""

COMPARATIVE = [
    # --- what runs, and how __main__ looks --------------------------------
    Case("script", ["hello.py"], files={"hello.py": "print('hello')\n"},
         out=r"\Ahello\n\Z"),
    Case("script: __main__ and sys.path[0]", ["main_info.py", "a"],
         files={"main_info.py": MAIN_INFO},
         out=r"^file /.*/main_info\.py\n(?s:.*)^argv \['main_info.py', 'a'\]"),
    Case("script by a relative path with ..", ["./sub/../main_info.py"],
         files={"main_info.py": MAIN_INFO, "sub/x": ""},
         out=r"^path0 '.*pyhost-cli-[^/]*'$"),
    Case("script through a symlink", ["link.py"],
         files={"real/main_info.py": MAIN_INFO},
         links={"link.py": "real/main_info.py"},
         out=r"^path0 '.*/real'$"),
    Case("-c: __main__ and sys.path[0]", ["-c", MAIN_INFO, "a"],
         out=r"^argv \['-c', 'a'\]$\npath0 ''$"),
    Case("-m: __main__ and sys.path[0]", ["-m", "main_info", "a"],
         files={"main_info.py": MAIN_INFO},
         out=r"^name __main__\n(?s:.*)^argv \['/.*/main_info.py', 'a'\]$"),
    Case("-: __main__ from stdin", ["-", "a"], stdin=MAIN_INFO.encode(),
         out=r"^argv \['-', 'a'\]$"),
    Case("piped stdin, no arguments", [], stdin=MAIN_INFO.encode(),
         out=r"^argv \[''\]$"),
    Case("stdin from a regular file", [], stdin_file=True,
         stdin=b"import sys\nprint(sys.stdin.seekable(), sys.argv)\n",
         out=r"\ATrue \[''\]\n\Z"),
    Case("directory with __main__.py", ["app", "x"],
         files={"app/__main__.py": MAIN_INFO}, out=r"^argv \['app', 'x'\]$"),
    Case("zip file with __main__.py", ["app.zip"],
         files={"app.zip": zip_app()}, out=r"^argv \['app.zip'\]$"),
    Case("-m package with __main__", ["-m", "pkg", "x"],
         files={"pkg/__init__.py": "print('init')\n",
                "pkg/__main__.py": MAIN_INFO},
         out=r"\Ainit\nname __main__\n"),
    Case("-m submodule", ["-m", "pkg.sub"],
         files={"pkg/__init__.py": "", "pkg/sub.py": MAIN_INFO},
         out=r"^package pkg$"),
    Case("-m package without __main__", ["-m", "email"], status=1,
         err=r"No module named email\.__main__; 'email' is a package"),
    Case("-m missing module", ["-m", "no_such_module_here"], status=1,
         err=r"\A<PROGRAM>: No module named no_such_module_here\n\Z"),
    Case("-m relative name", ["-m", ".mod"], status=1,
         err=r"Relative module names not supported"),
    Case("-m json.tool piped", ["-m", "json.tool", "--sort-keys"],
         stdin=b'{"b": [1, 2], "a": null, "\xc3\xa9": "\\u00e9"}',
         out=r'\A\{\n    "a": null,'),
    Case("-m json.tool, invalid input", ["-m", "json.tool"],
         stdin=b"{oops", status=1, err=r"Expecting property name"),
    Case("-m unittest", ["-m", "unittest", "test_tiny"],
         files={"test_tiny.py": UNITTEST_MODULE}, status=1,
         err=r"Ran 2 tests in 0\.000s\n\nFAILED \(failures=1\)"),
    Case("-m pytest --version", ["-m", "pytest", "--version"],
         out=r"\Apytest \d+\.\d+"),
    Case("-m pytest on a test file", ["-m", "pytest", "-qq", "-p",
                                      "no:cacheprovider", "test_small.py"],
         files={"test_small.py": PYTEST_MODULE}, status=1,
         out=r"FAILED test_small\.py::test_fails"),
    Case("-m this", ["-m", "this"], out=r"Beautiful is better than ugly\."),
    Case("-m site", ["-m", "site"], out=r"^sys\.path = \[", status=0),
    Case("a venv made and run", ["make_venv.py"],
         files={"make_venv.py": VENV}, out=r"\A0 .*/env .*/env/bin/python"),
    Case("directory without __main__", ["{dir}"], status=1,
         err=r"can't find '__main__' module in '.*pyhost-cli-"),
    Case("missing script", ["does_not_exist.py"], status=2,
         err=r"\A<PROGRAM>: can't open file '.*/does_not_exist\.py': "
             r"\[Errno 2\] No such file or directory\n\Z"),

    # --- the command line -------------------------------------------------
    Case("options after the script belong to it",
         ["argv.py", "a", "-V", "--help", "-c", "x", "--", "-m"],
         files={"argv.py": ARGV},
         out=r"\A\['argv.py', 'a', '-V', '--help', '-c', 'x', '--', '-m'\]\n\Z"),
    Case("-c with extra arguments", ["-c", ARGV, "x", "-V", "--", "-c"],
         out=r"\A\['-c', 'x', '-V', '--', '-c'\]\n\Z"),
    Case("-m with extra arguments", ["-m", "argv", "one", "-h", "--version"],
         files={"argv.py": ARGV},
         out=r"\A\['.*/argv.py', 'one', '-h', '--version'\]\n\Z"),
    Case("- with extra arguments", ["-", "arg", "-V", "--"],
         stdin=ARGV.encode(), out=r"\A\['-', 'arg', '-V', '--'\]\n\Z"),
    Case("-- before the script", ["--", "argv.py", "a"],
         files={"argv.py": ARGV}, out=r"\A\['argv.py', 'a'\]\n\Z"),
    Case("-- then -V is a file name", ["--", "-V"], status=2,
         err=r"can't open file '.*/-V'"),
    Case("clustered options", ["-BEsc", "import sys; f = sys.flags; print("
         "f.dont_write_bytecode, f.ignore_environment, f.no_user_site, "
         "sys.argv)"], out=r"\A1 1 1 \['-c'\]\n\Z"),
    Case("-W takes -V as its argument", ["-W", "-V", "-c",
         "import sys; print(sys.warnoptions)"],
         out=r"\A\['-V'\]\n\Z", err=r"Invalid -W option ignored"),
    Case("-X takes -V as its argument", ["-X", "-V", "-c",
         "import sys; print(sys._xoptions)"], out=r"\A\{'-V': True\}\n\Z"),
    Case("-c takes -V as its command", ["-c", "-V"], status=1,
         err=r"NameError: name 'V' is not defined"),
    Case("-m takes -V as the module", ["-m", "-V"], status=1,
         err=r"No module named -V"),
    Case("--check-hash-based-pycs takes -V", ["--check-hash-based-pycs",
         "-V"], status=2, err=r"must be one of 'default', 'always'"),
    Case("sys.orig_argv", ["-X", "utf8", "-Wd", "-c",
         "import sys; print(sys.orig_argv[1:], sys.argv)", "z"],
         out=r"\['-X', 'utf8', '-Wd', '-c', .*\] \['-c', 'z'\]"),
    Case("non-ASCII and undecodable arguments",
         ["-c", "import sys, os; print(ascii(sys.argv), "
          "os.fsencode(sys.argv[2]))", "\xe9\u65e5", "\udcff"],
         out=r"\A\['-c', '\\xe9\\u65e5', '\\udcff'\] b'\\xff'\n\Z"),
    Case("arguments under LC_ALL=C", ["-c", "import sys; print(ascii(sys.argv))",
                                      "\xe9", "\udcff"], env={"LC_ALL": "C"},
         out=r"\A\['-c', '\\xe9', '\\udcff'\]\n\Z"),
    usage_error("usage error: unknown option", ["-Z"],
                "Unknown option: -Z"),
    usage_error("usage error: unknown long option", ["--no-such-option"],
                "unknown option --no-such-option"),
    usage_error("usage error: abbreviated --version", ["--vers"],
                "unknown option --vers"),
    usage_error("usage error: -c without argument", ["-c"],
                "Argument expected for the -c option"),
    usage_error("usage error: -m without argument", ["-m"],
                "Argument expected for the -m option"),
    usage_error("usage error: -W without argument", ["-W"],
                "Argument expected for the -W option"),
    Case("--help-env", ["--help-env"], out=r"^PYTHONSTARTUP"),
    Case("--help-xoptions", ["--help-xoptions"], out=r"^-X dev"),
    Case("--help-all", ["--help-all"],
         out=r"\Ausage: <PROGRAM> .*^PYTHONSTARTUP.*^-X dev"
             r"|\Ausage: <PROGRAM> (?s:.*)PYTHONSTARTUP"),

    # --- exit status -------------------------------------------------------
    Case("sys.exit(3)", ["-c", "import sys; sys.exit(3)"], status=3),
    Case("sys.exit('message')", ["-c", "import sys; sys.exit('goodbye')"],
         status=1, err=r"\Agoodbye\n\Z"),
    Case("sys.exit()", ["-c", "import sys; print('x'); sys.exit()"],
         out=r"\Ax\n\Z"),
    Case("sys.exit(None)", ["-c", "import sys; sys.exit(None)"]),
    Case("sys.exit(256) and sys.exit(-1)", ["-c",
         "import subprocess, sys\nfor code in (256, -1, True, 2**70):\n"
         "    r = subprocess.run([sys.executable, '-c', "
         "f'import sys; sys.exit({code})'], capture_output=True)\n"
         "    print(code, r.returncode, r.stderr)"],
         out=r"\A256 0 b''\n-1 255 b''\nTrue 1 b''\n"),
    Case("sys.exit(1.5)", ["-c", "import sys; sys.exit(1.5)"], status=1,
         err=r"\A1\.5\n\Z"),
    Case("SystemExit from a script", ["exit.py"],
         files={"exit.py": "print('before')\nraise SystemExit(7)\n"},
         status=7, out=r"\Abefore\n\Z"),
    Case("quit(4) and the exit object", ["-c", "print(exit); quit(4)"],
         status=4, out=r"Use exit\(\) or Ctrl-D"),
    Case("os._exit drops buffered output", ["-c",
         "import os; print('lost'); os._exit(5)"], status=5, out=r"\A\Z"),
    Case("atexit and threads at exit", ["-c",
         "import atexit, threading, time, sys\n"
         "atexit.register(print, 'atexit ran')\n"
         "def work():\n    time.sleep(0.2); print('thread done')\n"
         "threading.Thread(target=work).start()\n"
         "print('main done'); sys.exit(6)"],
         status=6, out=r"\Amain done\nthread done\natexit ran\n\Z"),
    Case("exception in a thread", ["-c",
         "import threading\ndef f():\n    raise RuntimeError('in thread')\n"
         "t = threading.Thread(target=f, name='worker'); t.start(); t.join()\n"
         "print('main goes on')"],
         out=r"main goes on", err=r"Exception in thread worker"),
    Case("uncaught exception: chained, with a note", ["fail.py"],
         files={"fail.py": TRACEBACK}, status=1,
         err=r"a note on the error\n\nThe above exception.*\n\n.*\n"
             r"(?s:.*)ValueError: bad value: \xfc\n\Z"),
    Case("uncaught ExceptionGroup", ["group.py"], files={"group.py": GROUP},
         status=1, err=r"ExceptionGroup: several \(2 sub-exceptions\)"),
    Case("-X no_debug_ranges traceback", ["-X", "no_debug_ranges", "fail.py"],
         files={"fail.py": TRACEBACK}, status=1, err=r"ValueError"),
    Case("RecursionError", ["-c", "def f(n):\n    return f(n + 1)\nf(0)"],
         status=1, err=r"Previous line repeated \d+ more times"),
    Case("exception in piped stdin stops it", [],
         stdin=b"print('one')\nraise TypeError('stop')\nprint('two')\n",
         status=1, out=r"\Aone\n\Z",
         err=r'File "<stdin>", line 2, in <module>'),
    Case("exception in a -m module", ["-m", "boom"],
         files={"boom.py": "import json\njson.loads('{')\n"}, status=1,
         err=r"json\.decoder\.JSONDecodeError"),

    # --- syntax and source encoding ---------------------------------------
    Case("syntax error in a script", ["bad.py"],
         files={"bad.py": "x = 1\nprint(x +)\n"}, status=1,
         err=r'File ".*bad\.py", line 2\n.*\n.*\^\nSyntaxError'),
    Case("syntax error in -c", ["-c", "1 +"], status=1,
         err=r'File "<string>", line 1'),
    Case("syntax error in piped stdin", [], stdin=b"print('no')\nfor\n",
         status=1, out=r"\A\Z", err=r'File "<stdin>", line 2'),
    Case("unclosed bracket", ["bad.py"], files={"bad.py": "x = (\n"},
         status=1, err=r"SyntaxError: '\(' was never closed"),
    Case("IndentationError", ["bad.py"],
         files={"bad.py": "if True:\nprint(1)\n"}, status=1,
         err=r"IndentationError: expected an indented block"),
    Case("non-UTF-8 script", ["bad.py"],
         files={"bad.py": b"print('\xff')\n"}, status=1,
         err=r"SyntaxError: Non-UTF-8 code starting with '\\xff'"),
    Case("latin-1 coding cookie", ["latin.py"],
         files={"latin.py": LATIN1_SCRIPT.encode("latin-1")},
         out=r"\Acaf\xe9 4\n\Z"),
    Case("UTF-8 byte order mark", ["bom.py"],
         files={"bom.py": b"\xef\xbb\xbfprint('bom ok')\n"},
         out=r"\Abom ok\n\Z"),
    Case("-x skips the first line", ["-x", "skip.py"],
         files={"skip.py": "this line is not Python\nprint('ran')\n"
                           "raise ValueError('line 3')\n"},
         status=1, out=r"\Aran\n\Z", err=r"line 3, in <module>"),

    # --- signals -------------------------------------------------------------
    Case("death by SIGINT (os.kill)", ["-c", "import os, signal, time\n"
         "os.kill(os.getpid(), signal.SIGINT)\ntime.sleep(5)"],
         status=-signal.SIGINT, err=r"KeyboardInterrupt\n\Z"),
    Case("raise KeyboardInterrupt", ["-c", "raise KeyboardInterrupt"],
         status=-signal.SIGINT, err=r"\nKeyboardInterrupt\n\Z"),
    Case("SIGINT from outside while sleeping", ["sleep.py"],
         files={"sleep.py": SLEEP_READY}, signal_when_ready=signal.SIGINT,
         status=-signal.SIGINT, out=r"\Aready\n\Z",
         err=r"line 3, in <module>\n.*\nKeyboardInterrupt\n\Z"),
    Case("SIGTERM from outside", ["sleep.py"], files={"sleep.py": SLEEP_READY},
         signal_when_ready=signal.SIGTERM, status=-signal.SIGTERM,
         out=r"\Aready\n\Z", err=r"\A\Z"),
    Case("KeyboardInterrupt caught", ["-c",
         "import os, signal, sys, time\ntry:\n"
         "    os.kill(os.getpid(), signal.SIGINT); time.sleep(5)\n"
         "except KeyboardInterrupt:\n    print('caught'); sys.exit(3)"],
         status=3, out=r"\Acaught\n\Z"),
    Case("signal dispositions", ["-c", SIGNALS],
         out=r"\ASIGINT <built-in function default_int_handler>\n"
             r"SIGPIPE 1\nSIGXFSZ 1\nSIGTERM 0\n"),
    Case("death by SIGSEGV", ["-c", "import ctypes; ctypes.string_at(0)"],
         status=-signal.SIGSEGV, err=r"\A\Z"),
    Case("death by SIGABRT", ["-c", "import os; os.abort()"],
         status=-signal.SIGABRT),
    Case("broken pipe", ["-c", "for i in range(200000): print(i)"],
         close_stdout_after=1, status=1, out=r"\A0\Z",
         err=r'\ATraceback(?s:.*)File "<string>", line 1, in <module>\n'
             r"BrokenPipeError: \[Errno 32\] Broken pipe\n\Z"),
    Case("broken pipe when flushing at exit", ["-c", BROKEN_AT_EXIT],
         close_stdout_after=1, status=120, out=r"\Aa\Z",
         err=r"\AException ignored in: <_io\.TextIOWrapper name='<stdout>'"
             r"(?s:.*)BrokenPipeError: \[Errno 32\] Broken pipe\n\Z"),
    Case("broken pipe with SIGPIPE restored", ["-c",
         "import signal; signal.signal(signal.SIGPIPE, signal.SIG_DFL)\n"
         "for i in range(200000): print(i)"],
         close_stdout_after=1, status=-signal.SIGPIPE, err=r"\A\Z"),

    # --- the interactive loop on piped input -------------------------------
    Case("-i -q with piped input", ["-i", "-q"], stdin=INTERACTIVE,
         out=r"\A42\n43\n12\nstill going 12\n0\n1\nblock\n3\n'caf\xe9'\n\Z",
         err=r"ZeroDivisionError"),
    Case("-i after -c", ["-i", "-c", "x = 21"], stdin=b"print(x * 2)\nx\n",
         out=r"\A42\n21\n\Z", err=r"\A>>> >>> >>> \n\Z"),
    Case("-i after a failing script", ["-i", "fail.py"],
         files={"fail.py": TRACEBACK},
         stdin=b"print('inspecting', inner.__name__)\n",
         out=r"\Ainspecting inner\n\Z", err=r"ValueError: bad value"),
    Case("-i and sys.exit in the input", ["-i", "-q"],
         stdin=b"import sys\nsys.exit(5)\nprint('not reached')\n",
         status=5, out=r"\A\Z"),
    Case("-i with PYTHONSTARTUP", ["-i", "-q"], stdin=b"print(started)\n",
         files={"startup.py": "started = 'from startup'\n"},
         env={"PYTHONSTARTUP": "startup.py"}, out=r"\Afrom startup\n\Z"),
    Case("PYTHONSTARTUP ignored without -i", [], stdin=b"print('piped')\n",
         files={"startup.py": "print('startup ran')\n"},
         env={"PYTHONSTARTUP": "startup.py"}, out=r"\Apiped\n\Z"),
    Case("-q with piped input", ["-q"], stdin=b"print('quiet')\n1 + 1\n",
         out=r"\Aquiet\n\Z", err=r"\A\Z"),
    # PYTHONINSPECT alone starts no loop when stdin is not a terminal.
    Case("PYTHONINSPECT on piped input", ["-c", "x = 5"], stdin=b"x + 1\n",
         env={"PYTHONINSPECT": "1"}, out=r"\A\Z", err=r"\A\Z"),
    Case("input() from a pipe", ["-c",
         "print(input('name? ')); print(input())"], stdin=b"pyhost\n",
         status=1, out=r"\Aname\? pyhost\n\Z", err=r"EOFError"),

    # --- options and their environment variables ----------------------------
    Case("-I ignores PYTHONPATH and the script's directory",
         ["-I", "sub/main.py"],
         files={"lib/extra.py": "", "sub/helper.py": "",
                "sub/main.py": "import sys\nprint(sys.flags.isolated, "
                "sys.flags.safe_path, sys.path[0])\n"
                "for m in ('extra', 'helper'):\n    try:\n"
                "        __import__(m); print(m, 'imported')\n"
                "    except ImportError as e:\n        print(e)\n"},
         env={"PYTHONPATH": "lib"},
         out=r"\A1 True /usr/lib/python311\.zip\nNo module named 'extra'\n"
             r"No module named 'helper'\n\Z"),
    Case("-E ignores PYTHONPATH", ["-E", "-c", "import extra"],
         files={"lib/extra.py": "print('imported')\n"},
         env={"PYTHONPATH": "lib"}, status=1, err=r"No module named 'extra'"),
    Case("PYTHONPATH honoured", ["-c", "import sys, extra; print(sys.path[:3])"],
         files={"lib/extra.py": "print('imported')\n"},
         env={"PYTHONPATH": "lib:{dir}/nowhere"},
         out=r"\Aimported\n\['', '.*/lib', '.*/nowhere'\]\n\Z"),
    Case("-E ignores PYTHONOPTIMIZE", ["-E", "-c",
         "import sys; print(sys.flags.optimize, __debug__)"],
         env={"PYTHONOPTIMIZE": "2"}, out=r"\A0 True\n\Z"),
    Case("PYTHONOPTIMIZE honoured", ["-c",
         "import sys; print(sys.flags.optimize, __debug__)"],
         env={"PYTHONOPTIMIZE": "2"}, out=r"\A2 False\n\Z"),
    Case("-S skips site", ["-S", "-c", "import sys; print('site' in "
         "sys.modules, [p for p in sys.path if 'packages' in p])"],
         out=r"\AFalse \[\]\n\Z"),
    Case("user site used without -s", ["-c", "import usermod"],
         files={"ub/lib/python3.11/site-packages/usermod.py":
                "print('user site')\n"},
         env={"PYTHONUSERBASE": "{dir}/ub"}, out=r"\Auser site\n\Z"),
    Case("-s skips the user site", ["-s", "-c", "import usermod"],
         files={"ub/lib/python3.11/site-packages/usermod.py":
                "print('user site')\n"},
         env={"PYTHONUSERBASE": "{dir}/ub"}, status=1,
         err=r"No module named 'usermod'"),
    Case("-P keeps the script's directory off sys.path", ["-P", "sub/main.py"],
         files={"sub/main.py": "import helper\n", "sub/helper.py": ""},
         status=1, err=r"No module named 'helper'"),
    Case("PYTHONSAFEPATH", ["-c", "import sys; print(repr(sys.path[0]))"],
         env={"PYTHONSAFEPATH": "1"}, out=r"\A'/usr/lib/python311\.zip'\n\Z"),
    Case("the script's directory on sys.path", ["sub/main.py"],
         files={"sub/main.py": "import helper\n",
                "sub/helper.py": "print('found helper')\n"},
         out=r"\Afound helper\n\Z"),
    Case("-u interleaves stdout and stderr", ["-u", "-c",
         "import sys\nfor i in range(3):\n"
         "    sys.stdout.write(f'out{i} '); sys.stderr.write(f'err{i} ')"],
         merge_stderr=True, out=r"\Aout0 err0 out1 err1 out2 err2 \Z"),
    Case("without -u stdout is buffered", ["-c",
         "import sys\nfor i in range(3):\n"
         "    print(f'out{i}'); sys.stderr.write(f'err{i}\\n')"],
         merge_stderr=True, out=r"\Aerr0\nerr1\nerr2\nout0\nout1\nout2\n\Z"),
    Case("PYTHONUNBUFFERED", ["-c",
         "import sys\nprint('out'); sys.stderr.write('err\\n'); print('out')"],
         env={"PYTHONUNBUFFERED": "1"}, merge_stderr=True,
         out=r"\Aout\nerr\nout\n\Z"),
    Case("stream settings", ["-c", STREAMS],
         out=r"\A<stdin> utf-8 surrogateescape False False False\n"
             r"<stdout> utf-8 surrogateescape False False False\n"
             r"<stderr> utf-8 backslashreplace True False False\n\Z"),
    Case("stream settings with -u", ["-u", "-c", STREAMS],
         out=r"^<stdout> utf-8 surrogateescape False True False$"),
    Case("-W error", ["-W", "error", "-c",
                      "import warnings; warnings.warn('careful')"],
         status=1, err=r"UserWarning: careful"),
    Case("-W ignore", ["-W", "ignore", "-c",
                       "import warnings; warnings.warn('careful')"],
         err=r"\A\Z"),
    Case("default warnings in __main__", ["-c",
         "import warnings; warnings.warn('old', DeprecationWarning); "
         "warnings.warn('user')"], err=r"DeprecationWarning: old"),
    Case("-Wd and -W error::UserWarning", ["-Wd", "-W", "error::UserWarning",
         "-c", "import sys, warnings; print(sys.warnoptions)\n"
         "warnings.warn('pending', PendingDeprecationWarning)\n"
         "warnings.warn('fatal')"], status=1,
         out=r"\A\['d', 'error::UserWarning'\]\n\Z",
         err=r"PendingDeprecationWarning: pending(?s:.*)UserWarning: fatal"),
    Case("PYTHONWARNINGS", ["-c", "import warnings; warnings.warn('env')"],
         env={"PYTHONWARNINGS": "error"}, status=1, err=r"UserWarning: env"),
    Case("-X utf8", ["-X", "utf8", "-c", "import sys, locale; print("
         "sys.flags.utf8_mode, sys.stdout.encoding, "
         "locale.getpreferredencoding())"], env={"LC_ALL": "C"},
         out=r"\A1 utf-8 utf-8\n\Z"),
    Case("-X utf8=0 in the C locale, coercion off", ["-X", "utf8=0", "-c",
         "import sys; print(sys.flags.utf8_mode, sys.stdout.encoding, "
         "sys.stdout.errors); print('\\xe9')"],
         env={"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0"}, status=1,
         out=r"\A0 ascii surrogateescape\n\Z", err=r"UnicodeEncodeError"),
    Case("C locale coerced to UTF-8", ["-c",
         "import os, sys, locale; print(os.environ.get('LC_CTYPE'), "
         "locale.setlocale(locale.LC_CTYPE), sys.flags.utf8_mode, "
         "sys.stdout.encoding); print('\\xe9')"],
         env={"LC_ALL": None, "LANG": None, "LANGUAGE": None,
              "LC_CTYPE": "C", "PYTHONCOERCECLOCALE": "warn"},
         out=r"\AC\.UTF-8 C\.UTF-8 1 utf-8\n\xe9\n\Z",
         err=r"Python detected LC_CTYPE=C"),
    Case("-X dev", ["-X", "dev", "-c",
                    "import sys, faulthandler; print(sys.flags.dev_mode, "
                    "faulthandler.is_enabled())\nopen('f.txt', 'w')"],
         files={"f.txt": ""}, out=r"\ATrue True\n\Z",
         err=r"ResourceWarning: unclosed file"),
    Case("-X faulthandler, tracemalloc, int_max_str_digits",
         ["-X", "faulthandler", "-X", "tracemalloc=5", "-X",
          "int_max_str_digits=700", "-c",
          "import faulthandler, sys, tracemalloc\n"
          "print(faulthandler.is_enabled(), tracemalloc.is_tracing(),"
          " tracemalloc.get_traceback_limit(), sys.get_int_max_str_digits())\n"
          "int('1' * 701)"],
         status=1, out=r"\ATrue True 5 700\n\Z",
         err=r"Exceeds the limit \(700 digits\)"),
    Case("-X warn_default_encoding", ["-X", "warn_default_encoding", "-c",
         "open('f.txt').close()"], files={"f.txt": ""},
         err=r"EncodingWarning: 'encoding' argument not specified"),
    Case("-X frozen_modules", ["-c", "import os, sys; print("
         "os.__spec__.origin, sys._xoptions)"], out=r"\Afrozen \{\}\n\Z"),
    Case("-X frozen_modules=off", ["-X", "frozen_modules=off", "-c",
         "import os; print(os.__spec__.origin)"],
         out=r"\A/usr/lib/python3\.11/os\.py\n\Z"),
    Case("-X pycache_prefix", ["-X", "pycache_prefix={dir}/pc", "-c",
         "import sys, os, mod; print(sys.pycache_prefix, mod.__cached__, "
         "os.path.exists('__pycache__'))"], files={"mod.py": ""},
         out=r"/pc .*/pc/.*/mod\.cpython-311\.pyc False\n\Z"),
    Case("-X invalid int_max_str_digits", ["-X", "int_max_str_digits=abc",
         "-c", "pass"], status=1, err=r"invalid limit"),
    Case("-O skips assert", ["-O", "-c", "import sys, mod\nassert False\n"
         "print(__debug__, sys.flags.optimize, mod.__doc__, mod.__cached__)"],
         files={"mod.py": "'docstring'\n"},
         out=r"\AFalse 1 docstring /.*/__pycache__/mod\.cpython-311\.opt-1"
             r"\.pyc\n"),
    Case("-OO drops docstrings", ["-OO", "-c", "import sys, mod\n"
         "print(sys.flags.optimize, mod.__doc__, mod.__cached__)"],
         files={"mod.py": "'docstring'\n"},
         out=r"\A2 None /.*/__pycache__/mod\.cpython-311\.opt-2\.pyc\n"),
    Case("bytecode written by default", ["-c",
         "import os, mod; print(sorted(os.listdir('__pycache__')))"],
         files={"mod.py": ""}, out=r"\A\['mod\.cpython-311\.pyc'\]\n\Z"),
    Case("-B writes no bytecode", ["-B", "-c",
         "import os, sys, mod; print(sys.dont_write_bytecode, "
         "os.path.exists('__pycache__'))"], files={"mod.py": ""},
         out=r"\ATrue False\n\Z"),
    Case("PYTHONDONTWRITEBYTECODE", ["-c",
         "import os, mod; print(os.path.exists('__pycache__'))"],
         files={"mod.py": ""}, env={"PYTHONDONTWRITEBYTECODE": "1"},
         out=r"\AFalse\n\Z"),
    Case("--check-hash-based-pycs", ["--check-hash-based-pycs", "always",
         "-c", "import _imp; print(_imp.check_hash_based_pycs)"],
         out=r"\Aalways\n\Z"),
    Case("-b warns on str(bytes)", ["-b", "-c", "print(str(b'x'))"],
         out=r"\Ab'x'\n\Z", err=r"BytesWarning: str\(\) on a bytes instance"),
    Case("-bb makes it an error", ["-bb", "-c", "print(b'x' == 'x')"],
         status=1, err=r"BytesWarning: Comparison between bytes and string"),
    Case("PYTHONHASHSEED=0", ["-c", "print(hash('pyhost'), "
         "list({'a', 'b', 'c', 'd', 'e'}))"], env={"PYTHONHASHSEED": "0"},
         out=r"\A-?\d+ \["),
    Case("invalid PYTHONHASHSEED", ["-c", "pass"],
         env={"PYTHONHASHSEED": "bogus"}, status=1,
         err=r"PYTHONHASHSEED must be \"random\" or an integer"),
    Case("-v, import messages discarded", ["-v", "-c",
         "import sys; print(sys.flags.verbose)"], redirect="2>/dev/null",
         out=r"\A1\n\Z"),
    Case("sys.flags under many options", ["-b", "-B", "-d", "-E", "-s", "-S",
         "-O", "-q", "-R", "-u", "-X", "dev", "-X", "utf8", "-X", "x=y",
         "-W", "always", "-c", FLAGS],
         out=r"\Asys\.flags\(debug=1, inspect=0.*dev_mode=True, utf8_mode=1"),
    Case("sys.flags with -I -i", ["-I", "-i", "-c", FLAGS], stdin=b"",
         out=r"\Asys\.flags\(.*inspect=1, interactive=1.*isolated=1"),
    Case("the interpreter's identity", ["-c", IDENTITY],
         out=r"^prefix /usr$(?s:.*)^_base_executable <PROGRAM>$"),
    Case("modules loaded at start-up", ["-c",
         "import sys; print(sorted(sys.modules))"], out=r"'site'"),
    # pyhost freezes the encodings modules (src/host/frozen_modules.c):
    # their files, package path, other codecs and tracebacks are as
    # python3.11's.
    Case("the encodings modules' files and codecs", ["-c", ENCODINGS],
         out=r"\A/usr/lib/python3\.11/encodings/__init__\.py "
         r"\['/usr/lib/python3\.11/encodings'\] .*utf_8\.py .*aliases\.py "
         r"b'\\xe9' .*cp1252\.py\n\Z"),
    Case("a traceback through encodings", ["-c",
         "import encodings.utf_8 as u; u.decode(b'\\xff')"], status=1,
         err=r'File "/usr/lib/python3\.11/encodings/utf_8\.py", line \d+, '
         r"in decode\n +return codecs\.utf_8_decode"),
    Case("-X frozen_modules=off reads them from disk", ["-X",
         "frozen_modules=off", "-c", "import encodings, os; "
         "print(encodings.__spec__.origin, os.__spec__.origin)"],
         out=r"\A/usr/lib/python3\.11/encodings/__init__\.py "
         r"/usr/lib/python3\.11/os\.py\n\Z"),
    Case("modules loaded at start-up with -I -S", ["-I", "-S", "-c",
         "import sys; print(sorted(sys.modules))"], out=r"'zipimport'"),
    Case("extension modules from lib-dynload, ctypes.pythonapi",
         ["-c", EXTENSIONS], out=r"^_ctypes /usr/lib/python3\.11/lib-dynload"
         r"/_ctypes\.cpython-311-x86_64-linux-gnu\.so$(?s:.*)^3\.11\.\d+ "
         r"(?s:.*)^5$"),
    Case("help() without a terminal", ["-c",
         "help(len); print(repr(copyright)[:9]); print(credits)"],
         out=r"Help on built-in function len in module builtins"),

    # --- text encodings of the streams ----------------------------------------
    Case("non-ASCII output", ["-c", "print('h\xe9llo w\xf6rld \u2713 \u65e5\u672c')"],
         out="\\Ah\xe9llo w\xf6rld \u2713 \u65e5\u672c\\n\\Z"),
    Case("non-ASCII output under LC_ALL=C", ["-c",
         "import sys; print(sys.stdout.encoding, '\xe9')"],
         env={"LC_ALL": "C"}, out="\\Autf-8 \xe9\\n\\Z"),
    Case("PYTHONIOENCODING=latin-1", ["-c", "print('\xe9')"],
         env={"PYTHONIOENCODING": "latin-1"}, out=r"\A\\xe9\n\Z"),
    Case("PYTHONIOENCODING=ascii fails", ["-c", "print('\xe9')"],
         env={"PYTHONIOENCODING": "ascii"}, status=1,
         err=r"UnicodeEncodeError: 'ascii' codec"),
    Case("PYTHONIOENCODING=ascii:replace", ["-c",
         "import sys; print('\xe9'); print('\xe9', file=sys.stderr)"],
         env={"PYTHONIOENCODING": "ascii:replace"}, out=r"\A\?\n\Z",
         err=r"\A\\xe9\n\Z"),  # stderr keeps backslashreplace
    Case("stream settings under LC_ALL=C", ["-c", STREAMS],
         env={"LC_ALL": "C"},
         out=r"\A<stdin> utf-8 surrogateescape .*\n<stdout> utf-8 "
             r"surrogateescape.*\n<stderr> utf-8 backslashreplace True"),
    Case("non-ASCII stdin", [], stdin="print('\xfcn\xefc\xf6d\xe9', len('\xfc'))\n".encode(),
         out="\\A\xfcn\xefc\xf6d\xe9 1\\n\\Z"),
    Case("undecodable stdin", ["-c",
         "import sys; print(ascii(sys.stdin.read()), sys.stdin.errors)"],
         stdin=b"a\xffb\n", out=r"\A'a\\udcffb\\n' surrogateescape\n\Z"),
    Case("undecodable stdin, strict", ["-c",
         "import sys; print(ascii(sys.stdin.read()))"], stdin=b"a\xffb\n",
         env={"PYTHONIOENCODING": "utf-8:strict"},
         status=1, err=r"UnicodeDecodeError: 'utf-8' codec can't decode"),
    Case("undecodable stdin under LC_ALL=C", ["-c",
         "import sys; print(ascii(sys.stdin.read()))"], stdin=b"a\xffb\n",
         env={"LC_ALL": "C"}, out=r"\A'a\\udcffb\\n'\n\Z"),
    Case("stdin under PYTHONIOENCODING=latin-1", ["-c",
         "import sys; print(ascii(sys.stdin.read()))"], stdin=b"caf\xe9",
         env={"PYTHONIOENCODING": "latin-1"}, out=r"\A'caf\\xe9'\n\Z"),
    Case("large output", ["-c",
         "for i in range(100000): print(i, 'x' * (i % 50))"],
         out=r"^99999 x+\n\Z"),

    # --- closed and full streams ------------------------------------------------
    Case("stdin closed", ["-c", "import sys; print(sys.stdin)"],
         redirect="<&-", out=r"\ANone\n\Z"),
    Case("stdout closed", ["-c",
         "import sys; print('x'); print(sys.stdout, file=sys.stderr)"],
         redirect=">&-", err=r"\ANone\n\Z"),
    Case("stdout on a full device", ["-c", "print('x')"],
         redirect=">/dev/full", status=120,
         err=r"\AException ignored in: <_io\.TextIOWrapper name='<stdout>'"
             r"(?s:.*)No space left on device\n\Z"),

    # --- child processes -------------------------------------------------------
    Case("subprocess of sys.executable", ["-c",
         "import subprocess, sys\n"
         "r = subprocess.run([sys.executable, '-c', 'import sys; "
         "print(40 + 2, sys.argv, sys.orig_argv)', 'x'],"
         " capture_output=True, text=True)\n"
         "print(r.returncode, r.stdout.strip(), r.stderr)"],
         out=r"\A0 42 \['-c', 'x'\] \['<PROGRAM>', '-c'"),
    Case("os.fork", ["-c", "import os, sys\nprint('before')\n"
         "pid = os.fork()\nif pid == 0:\n    print('child'); sys.exit(3)\n"
         "_, status = os.waitpid(pid, 0)\n"
         "print('parent', os.waitstatus_to_exitcode(status))"],
         out=r"\Abefore\nchild\nbefore\nparent 3\n\Z"),
    Case("multiprocessing spawn", ["pool.py", "spawn"],
         files={"pool.py": POOL}, out=r"\Aspawn \[0, 1, 4, 9, 16, 25\]\n"),
    Case("multiprocessing forkserver", ["pool.py", "forkserver"],
         files={"pool.py": POOL}, out=r"\Aforkserver \[0, 1, 4, 9, 16, 25\]"),
]


# ----------------------------------------------------- pyhost-only checks

VERSION_LINE = r"\Apyhost \d+\.\d+\.\d+ \(Python 3\.11\.\d+\)\n\Z"
PYHOST_ONLY = []


def pyhost_only(function):
    PYHOST_ONLY.append(function)
    return function


def run_alone(program, case):
    """Runs `program` as the case says in a fresh directory."""
    workdir = os.path.realpath(tempfile.mkdtemp(prefix="pyhost-cli-"))
    try:
        prepare(case, workdir)
        env = environment({k: v if v is None else expand(v, workdir)
                           for k, v in case.env.items()})
        args = [expand(a, workdir) for a in case.args]
        return execute([program] + args, case, workdir, env,
                       workdir + ".stdin")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if os.path.exists(workdir + ".stdin"):
            os.unlink(workdir + ".stdin")


def expect(result, status=0, out=None, err=None):
    """None when the result has the status and matches the regexes."""
    problems = []
    if result.status != status:
        problems.append(f"exit status {result.status}, expected {status}")
    for stream, regex in (("stdout", out), ("stderr", err)):
        value = text(getattr(result, stream))
        if regex is not None and not re.search(regex, value,
                                               re.MULTILINE | re.DOTALL):
            problems.append(f"{stream} does not match {regex!r}:\n{value}")
    if problems and not any("stdout does not" in p for p in problems):
        problems.append("stdout: " + text(result.stdout)[-800:])
    if problems and not any("stderr does not" in p for p in problems):
        problems.append("stderr: " + text(result.stderr)[-800:])
    return "\n".join(problems) or None


def simple(name, args, status=0, out=None, err=None, **case_fields):
    """A pyhost-only check: one run, its status and regexes."""
    def check(pyhost, reference):
        result = run_alone(pyhost, Case(name, args, **case_fields))
        return expect(result, status, out, err)
    check.__name__ = name
    PYHOST_ONLY.append(check)


simple("--version", ["--version"], out=VERSION_LINE, err=r"\A\Z")
simple("-V", ["-V"], out=VERSION_LINE, err=r"\A\Z")
simple("-V in a cluster (-qV)", ["-qV"], out=VERSION_LINE)
simple("-V after other options", ["-B", "-X", "dev", "-V"], out=VERSION_LINE)
simple("-VV", ["-VV"],
       out=r"\Apyhost \d+\.\d+\.\d+ \(Python 3\.11\.\d+ \(main, .*\) "
           r"\[GCC [^\n]*\]\)\n\Z")
simple("-V after -c belongs to the command",
       ["-c", "import sys; print(sys.argv)", "-V"], out=r"\A\['-c', '-V'\]\n\Z")
simple("--help after -c belongs to the command",
       ["-c", "import sys; print(sys.argv)", "--help"],
       out=r"\A\['-c', '--help'\]\n\Z")
simple("script.py --help runs the script", ["argv.py", "--help"],
       files={"argv.py": ARGV}, out=r"\A\['argv.py', '--help'\]\n\Z")
simple("script.py -V runs the script", ["argv.py", "-V"],
       files={"argv.py": ARGV}, out=r"\A\['argv.py', '-V'\]\n\Z")
simple("-m module --version runs the module", ["-m", "argv", "--version"],
       files={"argv.py": ARGV}, out=r"\A\['.*/argv.py', '--version'\]\n\Z")
simple("- then -h reads stdin", ["-", "-h"], stdin=ARGV.encode(),
       out=r"\A\['-', '-h'\]\n\Z")
simple("built-in modules", ["-c",
       "import sys; print(sorted(set(sys.builtin_module_names) & "
       "{'point', 'hashset', 'hash_set', 'sys'}))"],
       out=r"\A\['hash_set', 'hashset', 'point', 'sys'\]\n\Z")
simple("modules import with -I -S and an empty sys.path", ["-I", "-S", "-c",
       "import sys; sys.path.clear(); sys.path_hooks.clear()\n"
       "import point, hashset, hash_set\n"
       "print(point.Point(13, 42), hashset.HashSet([7]),"
       " hash_set.HashSet is hashset.HashSet, point.__spec__.origin)"],
       out=r"\APoint\(x=13\.0, y=42\.0\) HashSet\(\{7\}\) True built-in\n\Z")
simple("a point.py in the directory does not shadow it", ["-c",
       "import point; print(point.Point(1, 2))"],
       files={"point.py": "print('shadowed!')\n"},
       out=r"\APoint\(x=1\.0, y=2\.0\)\n\Z")
simple("-m point: a built-in module has no code", ["-m", "point"], status=1,
       err=r"\A.*pyhost: No code object available for point\n\Z")
simple("-i on piped input: pyhost's banner on stderr", ["-i"],
       stdin=b"import point\npoint.Point(1, 2)\n",
       out=r"\APoint\(x=1\.0, y=2\.0\)\n\Z",
       err=r"\Apyhost \d+\.\d+\.\d+.*Python 3\.11\.\d+.*point.*hashset.*"
           r'Type "help".*\n>>> >>> >>> \n\Z')
simple("-i -q on piped input: no banner", ["-i", "-q"], stdin=b"1 + 1\n",
       out=r"\A2\n\Z", err=r"\A>>> >>> \n\Z")
simple("the encodings modules are frozen, unless -X frozen_modules=off",
       ["-c", "import encodings, encodings.aliases, encodings.utf_8, sys\n"
        "print([sys.modules[m].__spec__.origin for m in ('encodings', "
        "'encodings.aliases', 'encodings.utf_8')])\n"
        "import subprocess\n"
        "print(subprocess.run([sys.executable, '-X', 'frozen_modules=off', "
        "'-c', 'import encodings; print(encodings.__spec__.origin)'], "
        "capture_output=True, text=True).stdout)"],
       out=r"\A\['frozen', 'frozen', 'frozen'\]\n"
           r"/usr/lib/python3\.11/encodings/__init__\.py\n")
simple("a child started with sys.executable is pyhost", ["-c",
       "import subprocess, sys\n"
       "print(subprocess.run([sys.executable, '-c', 'import point; "
       "print(point.Point(3, 4))'], capture_output=True, text=True).stdout)"],
       out=r"\APoint\(x=3\.0, y=4\.0\)\n")
simple("spawned multiprocessing children have the modules", ["pool.py"],
       files={"pool.py": "import multiprocessing as mp\n"
              "def make(i):\n    import hashset\n"
              "    return len(hashset.HashSet(range(i)))\n"
              "if __name__ == '__main__':\n"
              "    with mp.get_context('spawn').Pool(2) as pool:\n"
              "        print(pool.map(make, [0, 3, 5]))\n"},
       out=r"\A\[0, 3, 5\]\n\Z")


@pyhost_only
def help_text(pyhost, reference):
    """-h, -? and --help: pyhost's header, then the interpreter's text."""
    interpreter = subprocess.run([reference, "-h"], capture_output=True,
                                 timeout=TIMEOUT, env=environment({}))
    options = normalise(interpreter.stdout, reference)
    if interpreter.returncode != 0 or b"-c cmd" not in options:
        return f"the reference's -h: {interpreter!r}"
    outputs = {}
    for flag in ("-h", "-?", "--help"):
        result = run_alone(pyhost, Case(flag, [flag]))
        problem = expect(result, 0, out=r"\Apyhost \d+\.\d+\.\d+.*\bpoint\b"
                         r".*\bhashset\b.*\bhash_set\b.*-c cmd", err=r"\A\Z")
        if problem:
            return f"{flag}: {problem}"
        mine = normalise(result.stdout, pyhost)
        if not mine.endswith(options):
            return (f"{flag}: does not end with the reference's -h text\n"
                    + stream_diff("tail", options,
                                  mine[-len(options):], "reference -h"))
        outputs[flag] = result.stdout
    if len(set(outputs.values())) != 1:
        return "-h, -? and --help print different texts"
    return None


@pyhost_only
def builtin_names_match_reference(pyhost, reference):
    """sys.builtin_module_names: the reference's plus the three modules."""
    code = "import sys; print(sorted(sys.builtin_module_names))"
    mine = run_alone(pyhost, Case("", ["-c", code]))
    theirs = run_alone(reference, Case("", ["-c", code]))
    expected = sorted(eval(theirs.stdout) + ["point", "hashset", "hash_set"])
    if mine.status != 0 or eval(mine.stdout) != expected:
        return f"pyhost: {mine.stdout!r}\nexpected: {expected!r}"
    return None


@pyhost_only
def executable_absolute(pyhost, reference):
    """sys.executable is the binary's absolute path, by any path to it."""
    code = "import sys; print(sys.executable)"
    expected = (pyhost + "\n").encode()
    for label, argv0, cwd in (
            ("by absolute path", pyhost, "/"),
            ("by relative path", "./" + os.path.basename(pyhost),
             os.path.dirname(pyhost))):
        result = subprocess.run([argv0, "-c", code], cwd=cwd,
                                capture_output=True, timeout=TIMEOUT,
                                env=environment({}))
        if result.returncode != 0 or result.stdout != expected:
            return (f"{label} ({argv0} in {cwd}): status "
                    f"{result.returncode}, stdout {result.stdout!r}, "
                    f"stderr {result.stderr!r}; expected {expected!r}")
    return None


PATHS = ("import sys; print(sys.executable, sys._base_executable, sys.prefix,"
         " sys.exec_prefix, sys.path, sys.argv)")


@pyhost_only
def executable_like_reference(pyhost, reference):
    """sys.executable, prefix and path as python3.11's through a symlink.

    The same symlink, DIR/bin/prog, points first at the reference, then at
    pyhost; each is started by that link in four ways (absolute path,
    relative paths, through PATH), so both outputs must be equal as they
    are: no normalisation at all."""
    workdir = os.path.realpath(tempfile.mkdtemp(prefix="pyhost-cli-"))
    outputs = {}
    try:
        bindir = os.path.join(workdir, "bin")
        os.makedirs(os.path.join(workdir, "sub"))
        os.mkdir(bindir)
        link = os.path.join(bindir, "prog")
        env = environment({"PATH": bindir + os.pathsep + os.environ["PATH"]})
        for program in (reference, pyhost):
            os.symlink(program, link)
            outputs[program] = [subprocess.run(
                [argv0, "-c", PATHS], cwd=os.path.join(workdir, cwd), env=env,
                capture_output=True, timeout=TIMEOUT)
                for argv0, cwd in ((link, "sub"), ("./prog", "bin"),
                                   ("../bin/prog", "sub"), ("prog", "sub"))]
            os.unlink(link)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for theirs, mine in zip(outputs[reference], outputs[pyhost]):
        if theirs.returncode != 0:
            return f"the reference: {theirs!r}"
        if (mine.returncode, mine.stdout, mine.stderr) != (
                theirs.returncode, theirs.stdout, theirs.stderr):
            return (f"started as {mine.args[0]}: status pyhost "
                    f"{mine.returncode}, reference {theirs.returncode}\n"
                    + stream_diff("stdout", theirs.stdout, mine.stdout,
                                  "python3.11") + "\n"
                    + stream_diff("stderr", theirs.stderr, mine.stderr,
                                  "python3.11"))
    return None


SHEBANG_BODY = """\
import sys
print(sys.argv, __name__, __file__, sys.path[0])
print(sys.executable, sys.orig_argv[1:])
"""


def run_shebang(workdir, program, name, body, args):
    """`#!/usr/bin/env NAME` script run directly, NAME a symlink on PATH."""
    bindir = os.path.join(workdir, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, name)
    os.symlink(os.path.abspath(program), link)
    script = os.path.join(workdir, "tool")
    with open(script, "w") as out:
        out.write(f"#!/usr/bin/env {name}\n" + body)
    os.chmod(script, 0o755)
    env = environment({"PATH": bindir + os.pathsep + os.environ["PATH"]})
    result = subprocess.run([script] + args, env=env, cwd=workdir,
                            capture_output=True, timeout=TIMEOUT)
    os.unlink(link)
    return Result(result.returncode, normalise(result.stdout, link),
                  normalise(result.stderr, link))


@pyhost_only
def shebang_like_reference(pyhost, reference):
    """#!/usr/bin/env pyhost behaves as #!/usr/bin/env python3.11."""
    workdir = os.path.realpath(tempfile.mkdtemp(prefix="pyhost-cli-"))
    try:
        theirs = run_shebang(workdir, reference, "python3.11", SHEBANG_BODY,
                             ["a b", "-V"])
        mine = run_shebang(workdir, pyhost, "pyhost", SHEBANG_BODY,
                           ["a b", "-V"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if theirs.status != 0 or b"/tool', 'a b', '-V']" not in theirs.stdout:
        return f"the reference's shebang run: {theirs!r}"
    if mine != theirs:
        return (f"status: pyhost {mine.status}, reference {theirs.status}\n"
                + stream_diff("stdout", theirs.stdout, mine.stdout,
                              "python3.11") + "\n"
                + stream_diff("stderr", theirs.stderr, mine.stderr,
                              "python3.11"))
    return None


@pyhost_only
def shebang_modules(pyhost, reference):
    """A #!/usr/bin/env pyhost script imports the built-in modules."""
    workdir = os.path.realpath(tempfile.mkdtemp(prefix="pyhost-cli-"))
    try:
        result = run_shebang(workdir, pyhost, "pyhost",
                             "import sys, hashset, point\n"
                             "print(sys.argv[1:], len(hashset.HashSet("
                             "[1, 1, 2])), point.Point(1, 2))\n", ["a b", "c"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return expect(result, 0,
                  out=r"\A\['a b', 'c'\] 2 Point\(x=1\.0, y=2\.0\)\n\Z",
                  err=r"\A\Z")


ARENA_PROBE = """
def kib(name):
    for line in open("/proc/self/smaps_rollup"):
        if line.startswith(name + ":"):
            return int(line.split()[1])
base = kib("Rss")
objects = [str(i) for i in range(600_000)]  # 36 MB of small objects
peak, huge = kib("Rss"), kib("AnonHugePages")
del objects
print(base, peak, huge, kib("Rss"))
"""


def transparent_huge_pages():
    """The kernel's setting ("always", "madvise", "never"), or None."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            return re.search(r"\[(\w+)\]", f.read()).group(1)
    except (OSError, AttributeError):
        return None


@pyhost_only
def arenas_on_huge_pages(pyhost, reference):
    """pymalloc's arenas sit on huge pages and leave memory when freed.

    src/host/arenas.c: with transparent huge pages allowed (madvise or
    always), most of 36 MB of small objects is on huge pages (python3.11,
    under madvise: none); whatever the setting, freeing the objects gives
    their arenas back to the system, as CPython's own allocator does."""
    if not os.path.exists("/proc/self/smaps_rollup"):
        return None  # not Linux 4.14 or later: nothing to look at
    result = run_alone(pyhost, Case("", ["-c", ARENA_PROBE]))
    problem = expect(result, 0, out=r"\A\d+ \d+ \d+ \d+\n\Z", err=r"\A\Z")
    if problem:
        return problem
    base, peak, huge, after = map(int, result.stdout.split())
    problems = []
    if transparent_huge_pages() in ("madvise", "always") and huge < 16384:
        problems.append(f"{huge} KiB on huge pages, expected 16 MiB or more")
    if after - base > (peak - base) // 5:
        problems.append(f"RSS {base} KiB, {peak} with the objects, {after} "
                        "after freeing them: the arenas stayed")
    return "\n".join(problems) or None


# ------------------------------------------------------------------ main

def failing_on_problem(test, *args):
    """The harness's case of a test that returns what went wrong (None
    when nothing did)."""
    def run():
        problem = test(*args)
        check(problem is None, problem)
    return run


def main():
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("--pyhost", required=True)
    parser.add_argument("--reference", required=True)
    args = parser.parse_args()
    pyhost = os.path.abspath(args.pyhost)
    reference = os.path.abspath(args.reference)
    cases = [(case.name, failing_on_problem(compare, case, pyhost, reference))
             for case in COMPARATIVE]
    cases += [(f"pyhost: {test.__doc__.splitlines()[0].rstrip('.')}"
               if test.__doc__ else f"pyhost: {test.__name__}",
               failing_on_problem(test, pyhost, reference))
              for test in PYHOST_ONLY]
    return harness.run(cases, args)


if __name__ == "__main__":
    sys.exit(main())
