"""The three ways into the modules for a Python user, each in a fresh
virtual environment of python3.11, offline: the wheel, the sdist, and the
source tree (`pip install .` and `pip install -e .`).

Usage: python3.11 tests/wheel/run.py [-k SUBSTRING] [-v] WHEEL SDIST

The wheel (make wheel's): its name agrees with its WHEEL file's tags, and
those tags with what its modules import (readelf); pip installs it from
the file alone (--no-index: no network) and the module test suite
(tests/python) passes in the environment.  The sdist, built by pip with
only Debian's setuptools and wheel, gives the same wheel once tagged.  A
copy of the source tree installs with `pip install .` and `pip install
-e .`, leaving nothing that `git status` shows.  The last line is "N
passed, N failed".
"""
import email.parser
import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SUITE = os.path.join(ROOT, "tests", "python", "run.py")
TAGGER = os.path.join(ROOT, "scripts", "manylinux-tag")
# Debian's python3-wheel-whl and python3-setuptools-whl: what a venv
# needs to build with --no-build-isolation, without an index.
DEBIAN_WHEELS = "/usr/share/python-wheels"
MODULES = ("point", "hashset", "hash_set")
TIMEOUT = 300
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
from harness import Skip, check  # noqa: E402


def load_tagger():
    """scripts/manylinux-tag as a module, for its readelf reader."""
    loader = importlib.machinery.SourceFileLoader("manylinux_tag", TAGGER)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def wheel_tags(wheel):
    """The tags of a wheel's file name and of its WHEEL file, as sets."""
    name = os.path.basename(wheel)[:-len(".whl")]
    python, abi, platforms = name.split("-")[-3:]
    from_name = {f"{p}-{a}-{plat}" for p in python.split(".")
                 for a in abi.split(".") for plat in platforms.split(".")}
    with zipfile.ZipFile(wheel) as archive:
        [wheel_file] = [n for n in archive.namelist()
                        if n.endswith(".dist-info/WHEEL")]
        # Parsed as pip parses it: headers end at the first blank line.
        headers = email.parser.Parser().parsestr(
            archive.read(wheel_file).decode())
    return from_name, set(headers.get_all("Tag") or [])


def name_and_tags(wheel):
    name = os.path.basename(wheel)
    check(re.fullmatch(r"pyhost_modules-[\d.]+-cp311-cp311-"
                       r"(manylinux2014_x86_64\.)?manylinux_2_\d+_x86_64"
                       r"\.whl", name), name)
    from_name, from_file = wheel_tags(wheel)
    check(from_name == from_file,
          f"file name: {sorted(from_name)}, WHEEL: {sorted(from_file)}")


def tags_match_imports(wheel, work):
    """Every module links libc at most, and no GLIBC symbol version newer
    than the manylinux_2_X of the name: the tag is honest."""
    glibc = tuple(map(int, re.search(r"manylinux_(\d+)_(\d+)_", wheel)
                      .groups()))
    tagger = load_tagger()
    with zipfile.ZipFile(wheel) as archive:
        modules = [n for n in archive.namelist() if n.endswith(".so")]
        archive.extractall(work, modules)
    check(sorted(m.split(".")[0] for m in modules) == sorted(MODULES),
          repr(modules))
    for module in modules:
        newest, needed = tagger.glibc_needed(os.path.join(work, module))
        check(needed <= {"libc.so.6"} and newest <= glibc,
              f"{module} needs GLIBC {newest} and {sorted(needed)}; "
              f"the tag says {glibc}")


def record_lists_every_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        record = [n for n in names if n.endswith(".dist-info/RECORD")]
        listed = archive.read(record[0]).decode().split() if record else []
    check(len(record) == 1 and sorted(line.split(",")[0] for line in listed)
          == sorted(names), repr(names))


def copy_checkout(target):
    """The files a clone of the source tree has, as they are in the
    working tree, copied to target and staged in a fresh git repository
    there, so that `git status` shows what a build adds.  Tracked files
    only (a new file must be added first): an untracked one may be what
    an earlier build left."""
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"],
                            capture_output=True, text=True)
    if listed.returncode != 0:
        raise Skip(f"{ROOT} is not a git checkout")
    for name in filter(None, listed.stdout.split("\0")):
        source = os.path.join(ROOT, name)
        if os.path.isfile(source):  # a deleted file is still listed
            os.makedirs(os.path.dirname(os.path.join(target, name)),
                        exist_ok=True)
            shutil.copy2(source, os.path.join(target, name))
    for command in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", "-C", target, *command], check=True)


def untracked(checkout):
    """What `git status` would show as new in checkout."""
    listed = subprocess.run(
        ["git", "-C", checkout, "ls-files", "--others", "--exclude-standard"],
        capture_output=True, text=True, check=True)
    return listed.stdout.split()


class Environment:
    """A fresh virtual environment in venv, and what runs in it."""

    def __init__(self, venv):
        self.venv = venv
        self.python = os.path.join(venv, "bin", "python")
        # No PIP_ variable and no pip.conf (os.devnull: none is read), so
        # that nothing such as a find-links of this machine's helps pip.
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("PYTHON", "PIP_"))}
        self.env["PIP_CONFIG_FILE"] = os.devnull
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    def run(self, command):
        return subprocess.run(command, capture_output=True, text=True,
                              env=self.env, cwd=os.path.dirname(self.venv),
                              timeout=TIMEOUT)

    def create(self):
        created = self.run([sys.executable, "-m", "venv", self.venv])
        check(created.returncode == 0, created.stderr)

    def pip(self, *args):
        """pip with no index: nothing comes from the network."""
        done = self.run([self.python, "-m", "pip", *args, "--no-index",
                         "--quiet"])
        check(done.returncode == 0, done.stdout + done.stderr)

    def create_for_builds(self):
        """A fresh venv with Debian's `wheel` added: what setuptools needs
        to build without isolation."""
        self.create()
        self.pip("install", "--find-links", DEBIAN_WHEELS, "wheel")

    def import_modules(self, directory=None):
        """The modules import from directory (site-packages when None)
        and work."""
        imported = self.run(
            [self.python, "-c", "import point, hashset, hash_set, sys\n"
             "s = hashset.HashSet(); s.insert(3)\n"
             "print(point.Point(13, 42), s.contains(3), s.len(),"
             " list(s.iter()), hash_set.HashSet is hashset.HashSet)\n"
             "print(*[m.__file__ for m in (point, hashset, hash_set)],"
             " sep='\\n')"])
        lines = imported.stdout.splitlines()
        check(lines[:1] == ["Point(x=13.0, y=42.0) True 1 [3] True"],
              imported.stdout + imported.stderr)
        prefix = os.path.realpath(directory or os.path.join(
            self.venv, "lib", "python3.11", "site-packages"))
        check(all(os.path.dirname(os.path.realpath(path)) == prefix
                  for path in lines[1:]) and len(lines) == 4,
              f"modules from {lines[1:]}, not {prefix}")

    def module_tests(self):
        suite = self.run([self.python, SUITE])
        check(suite.returncode == 0,
              suite.stdout[-3000:] + suite.stderr[-2000:])
        return (suite.stdout.strip().splitlines()[-1:] or [""])[0]

    def wheel_from_sdist(self, sdist, wheel, work):
        """pip builds a wheel from the sdist alone; tagged, it is the wheel:
        same name, same files, same metadata."""
        built_dir = os.path.join(work, "from-sdist")
        self.pip("wheel", "--no-build-isolation", "--no-deps",
                 "--wheel-dir", built_dir, os.path.abspath(sdist))
        [built] = os.listdir(built_dir)
        tagged = subprocess.run([sys.executable, TAGGER,
                                 os.path.join(built_dir, built)],
                                capture_output=True, text=True)
        check(tagged.returncode == 0, tagged.stderr)
        [built] = os.listdir(built_dir)
        check(built == os.path.basename(wheel),
              f"{built} from the sdist, {os.path.basename(wheel)} by make")
        with zipfile.ZipFile(os.path.join(built_dir, built)) as ours, \
                zipfile.ZipFile(wheel) as made:
            check(ours.namelist() == made.namelist(),
                  f"{ours.namelist()} against {made.namelist()}")
            for name in ours.namelist():
                if name.endswith(("METADATA", "WHEEL", "top_level.txt")):
                    check(ours.read(name) == made.read(name), name)

    def install_checkout(self, checkout, editable):
        """pip install [-e] of a clean checkout: modules that work, from
        site-packages or (editable) from the checkout's src/modules, and
        nothing new in the tree that git would show."""
        self.pip("install", "--no-build-isolation",
                 *(["--editable"] if editable else []), checkout)
        self.import_modules(os.path.join(checkout, "src", "modules")
                            if editable else None)
        left = untracked(checkout)
        check(not left, f"git status shows new files: {left}")
        removed = self.run([self.python, "-m", "pip", "uninstall", "--yes",
                            "--quiet", "pyhost-modules"])
        check(removed.returncode == 0, removed.stdout + removed.stderr)


def main():
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("wheel")
    parser.add_argument("sdist")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pyhost-wheel-") as work:
        installed = Environment(os.path.join(work, "wheel-venv"))
        builder = Environment(os.path.join(work, "build-venv"))
        checkout = os.path.join(work, "checkout")
        cases = [
            ("wheel name and tags agree", lambda: name_and_tags(args.wheel)),
            ("the tag is honest: libc at most, GLIBC no newer",
             lambda: tags_match_imports(args.wheel,
                                        os.path.join(work, "modules"))),
            ("RECORD lists every file",
             lambda: record_lists_every_file(args.wheel)),
            ("fresh venv", installed.create),
            ("pip install --no-index WHEEL",
             lambda: installed.pip("install", os.path.abspath(args.wheel))),
            ("import from the environment", installed.import_modules),
            ("module test suite in the environment",
             installed.module_tests),
            ("fresh venv, wheel from python3-wheel-whl",
             builder.create_for_builds),
            ("pip wheel SDIST gives the same wheel",
             lambda: builder.wheel_from_sdist(args.sdist, args.wheel, work)),
            ("copy of the source tree", lambda: copy_checkout(checkout)),
            ("pip install .",
             lambda: builder.install_checkout(checkout, editable=False)),
            ("pip install -e .",
             lambda: builder.install_checkout(checkout, editable=True)),
        ]
        return harness.run(cases, args)


if __name__ == "__main__":
    sys.exit(main())
