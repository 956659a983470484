"""The bundled-application command (scripts/bundle-app, issue 15) tested
as scripts/check-standalone tests the standalone: the test application
(tests/standalone/app) is bundled twice, as a directory with __main__.py
and with -m appkg.cli, and both files run in the empty root run.py runs
the standalone in (tests/standalone/empty_root.py: only they and the
shared libraries ldd lists, /proc, /dev/null, /dev/shm), made read-only,
with a noexec /tmp: no Python, nothing to unpack to.  make check runs it
as a layer of its own.

    /usr/bin/python3.11 tests/standalone/check_app.py [STANDALONE]

Needs root (chroot, mount): otherwise it says so and skips.  One line
per check, then "N passed, N failed"; exit status 1 if any failed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_DIR = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
from harness import check  # noqa: E402
from empty_root import empty_root  # noqa: E402

APP = os.path.join(HERE, "app")
BUNDLE = os.path.join(ROOT_DIR, "scripts", "bundle-app")
TIMEOUT = 120  # seconds for a bundle, which takes a fraction of one
# Variables the application must ignore, as python3 -I would.
HOSTILE_ENV = {"PYTHONPATH": "/nowhere", "PYTHONOPTIMIZE": "2",
               "PYTHONWARNINGS": "error", "PYTHONINSPECT": "1",
               "PYTHONSAFEPATH": "", "PYTHONHOME": "/nowhere"}


def bundle(standalone, output, directory, *options):
    done = subprocess.run([BUNDLE, *options, "-o", output, directory],
                          env=dict(os.environ, PYHOST_STANDALONE=standalone),
                          capture_output=True, text=True, timeout=TIMEOUT)
    check(done.returncode == 0, f"bundle-app failed:\n{done.stderr}")
    return output


def report(done):
    check(done.returncode == 0,
          f"exit status {done.returncode}\n{done.stderr}")
    return json.loads(done.stdout)


def line_of(path, text):
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if text in line:
                return number, line.strip()
    raise AssertionError(f"{text!r} not in {path}")


def cases(root, standalone, work):
    app, app_m = "/bin/app", "/bin/app-m"
    reports = {}

    def run_report(name, exe, *args, env=None):
        if name not in reports:
            reports[name] = report(root.run(exe, *args, env=env))
        return reports[name]

    def same_bytes():
        again = bundle(standalone, os.path.join(work, "again"), APP)
        with open(again, "rb") as a, open(os.path.join(work, "app"), "rb") as b:
            check(a.read() == b.read(), "two bundles of one directory differ")

    def read_only():
        check(not os.access(root.path + "/bin", os.W_OK),
              "the root is writable")

    def argv_untouched():
        args = ["-c", "x", "--help", "-V", "-I", "--", "-m", "y"]
        got = run_report("where", app, *args, env=HOSTILE_ENV)
        check(got["argv"] == [app, *args], f"sys.argv: {got['argv']}")
        return " ".join(args)

    def isolated():
        got = run_report("where", app, env=HOSTILE_ENV)
        check(got["isolated"] == 1, f"sys.flags.isolated: {got['isolated']}")
        check(got["path"] == [app + "/pyhost-app", app],
              f"sys.path: {got['path']}")
        check(got["executable"] == app, f"sys.executable: {got['executable']}")
        return f"sys.path={got['path']}"

    def modules():
        got = run_report("report", app, "report", env=HOSTILE_ENV)
        check(got["sqlite"] == 7 and got["hashset"] == [3, 5],
              f"sqlite3 and hashset: {got['sqlite']}, {got['hashset']}")
        check(got["data"] == "pyhost bundled data\n",
              f"importlib.resources: {got['data']!r}")
        for key, name in (("main", "__main__"), ("cli", "appkg/cli")):
            check(got[key].startswith(f"{app}/pyhost-app/{name}.py"),
                  f"{key}.__file__: {got[key]}")
        return f"__file__={got['cli']}"

    def pools_directory():
        got = run_report("report", app, "report", env=HOSTILE_ENV)
        # The child runs no __main__.py: python3.11 does the same for a
        # zip application or a package's __main__ (spawn._fixup_main_*).
        for method in ("spawn", "forkserver"):
            check(got["pools"][method] == [[5, None], [10, None]],
                  f"{method}: {got['pools'][method]}")

    def pools_module():
        got = run_report("module", app_m, "report")
        cli = f"{app_m}/pyhost-app/appkg/cli.py"
        for method in ("spawn", "forkserver"):
            pools = got["pools"][method]
            check([n for n, _ in pools] == [5, 10], f"{method}: {pools}")
            check(all(main and main.startswith(cli) for _, main in pools),
                  f"{method}: the children's __mp_main__: {pools}")
        return f"__mp_main__={got['pools']['spawn'][0][1]}"

    def exit_status():
        done = root.run(app, "exit", "3")
        check(done.returncode == 3 and not done.stdout and not done.stderr,
              f"status {done.returncode}, {done.stdout!r}, {done.stderr!r}")

    def uncaught_exception():
        done = root.run(app, "fail")
        number, source = line_of(os.path.join(APP, "appkg", "cli.py"),
                                 'raise RuntimeError("the application')
        where = f'File "{app}/pyhost-app/appkg/cli.py", line {number}, in fail'
        lines = [line.strip() for line in done.stderr.splitlines()]
        check(done.returncode == 1, f"status {done.returncode}")
        check(where in lines and lines[lines.index(where) + 1] == source,
              f"no {where!r} then {source!r} in:\n{done.stderr}")
        check(lines[-1] == "RuntimeError: the application failed on purpose",
              f"last line: {lines[-1]!r}")

    def runs_itself():
        done = root.run(app, "again", "again", "exit", "4")
        check(done.returncode == 4, f"status {done.returncode}\n{done.stderr}")
        got = report(root.run(app, "again", "-m", "json.tool"))
        check(got["argv"] == [app, "-m", "json.tool"],
              f"sys.argv of the second run: {got['argv']}")

    def lookalike_is_an_argument():
        # Close to multiprocessing's command line, but code: the
        # application's argument, never run.
        code = ("from multiprocessing.spawn import spawn_main; "
                "spawn_main(pipe_handle=__import__('os').getpid())")
        args = ["-I", "-c", code, "--multiprocessing-fork"]
        got = report(root.run(app, *args))
        check(got["argv"] == [app, *args], f"sys.argv: {got['argv']}")

    return [
        ("bundle: the same inputs give the same bytes", same_bytes),
        ("root: read-only, nothing but the files and their libraries",
         read_only),
        ("argv: every argument is the application's", argv_untouched),
        ("isolated: no PYTHON* variable, sys.path is the file",
         isolated),
        ("modules: sqlite3, hashset, its package and data from the file",
         modules),
        ("multiprocessing: spawn and forkserver pools run its package",
         pools_directory),
        ("multiprocessing, -m bundle: children run its __mp_main__",
         pools_module),
        ("exit status: sys.exit(3) gives 3", exit_status),
        ("uncaught exception: status 1, traceback with its source line",
         uncaught_exception),
        ("sys.executable runs the application again", runs_itself),
        ("a look-alike of multiprocessing's command line is an argument",
         lookalike_is_an_argument),
    ]


def main():
    standalone = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                                 os.path.join(ROOT_DIR, "build",
                                              "pyhost-standalone"))
    tally = harness.Tally()
    if os.getuid() != 0:
        tally.skip("bundled applications in an empty root",
                   "needs root (chroot, mount)")
        return tally.finish()
    with tempfile.TemporaryDirectory(prefix="pyhost-app.") as work:
        module_dir = os.path.join(work, "module")
        os.mkdir(module_dir)
        shutil.copytree(os.path.join(APP, "appkg"),
                        os.path.join(module_dir, "appkg"))
        executables = []
        for name, directory, options in (("app", APP, ()),
                                         ("app-m", module_dir,
                                          ("-m", "appkg.cli"))):
            label = f"bundle: {' '.join(options) or 'a directory'}"
            try:
                executables.append(bundle(standalone,
                                          os.path.join(work, name),
                                          directory, *options))
            except AssertionError as error:
                tally.fail(label, str(error))
                return tally.finish()
            size = os.path.getsize(executables[-1])
            tally.ok(label, f"{size} bytes, "
                     f"{size - os.path.getsize(standalone)} for the application")
        with empty_root([(exe, "/bin/" + os.path.basename(exe))
                         for exe in executables]) as root:
            root.read_only()
            for name, function in cases(root, standalone, work):
                harness.run_case(tally, name, function)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
