"""The empty root both standalone layers run in (run.py: the file itself;
check_app.py: applications bundled from it): a temporary chroot holding
only the given executables and the shared libraries ldd lists for them,
plus what every machine has -- /proc, /dev/null, a tmpfs /dev/shm and a
noexec tmpfs /tmp -- and an empty /work for the tests' own files.  No
Python, no terminfo database, no certificates.  Needs root (chroot,
mount).
"""
import contextlib
import os
import shutil
import subprocess
import tempfile

# Found on the host's PATH; the commands in the root get PATH=/bin.
CHROOT = shutil.which("chroot") or "/usr/sbin/chroot"
TIMEOUT = 600  # seconds for one command in the root; none takes a tenth
# The environment of every command in the root: nothing of the caller's.
BARE_ENV = {"HOME": "/work", "PATH": "/bin", "LANG": "C.UTF-8"}
# Directories that are mounts in the root, which files() does not list.
MOUNTED = ("proc", "dev/shm", "tmp")


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


def mounted_under(path):
    with open("/proc/self/mountinfo") as info:
        return [line.split()[4] for line in info
                if (line.split()[4] + "/").startswith(path + "/")]


def _mount(*args):
    subprocess.run(["mount", *args], check=True)


class Root:
    """A root made by empty_root(): its path on the host, and how to run
    a command in it."""

    def __init__(self, path):
        self.path = path

    def read_only(self):
        """Remounts the root read-only; its own mounts stay writable, as
        /proc and /tmp are on a read-only system."""
        _mount("-o", "remount,bind,ro", self.path)

    def run(self, *argv, stdin=None, env=None, timeout=TIMEOUT):
        """Runs argv in the root as a fresh process, in /, with BARE_ENV
        and env."""
        return subprocess.run([CHROOT, self.path, *argv], input=stdin,
                              capture_output=True, text=True,
                              env={**BARE_ENV, **(env or {})}, cwd="/",
                              timeout=timeout)

    def files(self):
        """Every file and directory of the root, less the mounted trees."""
        found = set()
        for directory, dirs, names in os.walk(self.path):
            relative = os.path.relpath(directory, self.path)
            if relative in MOUNTED:
                dirs[:] = []
                continue
            found.update(os.path.join(relative, name)
                         for name in dirs + names)
        return found


def _copy(source, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.isdir(source):
        shutil.copytree(source, target,
                        ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copy2(source, target)


@contextlib.contextmanager
def empty_root(executables, files=()):
    """Yields a Root holding executables and files, both (source path,
    path in the root) pairs, and the libraries of the executables; on
    exit it is unmounted and removed.  The root is a private bind mount
    of its own directory, so that remounting it read-only leaves its
    mounts (and the host) as they are."""
    path = tempfile.mkdtemp(prefix="pyhost-chroot.")
    try:
        for directory in ("bin", "work") + MOUNTED:
            os.makedirs(os.path.join(path, directory))
        for source, target in executables:
            _copy(source, path + target)
            for lib in shared_libraries(source):
                if not os.path.exists(path + lib):
                    _copy(os.path.realpath(lib), path + lib)
        for source, target in files:
            _copy(source, path + target)
        os.mknod(path + "/dev/null", 0o666 | 0o020000, os.makedev(1, 3))
        os.chmod(path + "/dev/null", 0o666)
        os.chmod(path + "/work", 0o777)
        _mount("--bind", path, path)
        _mount("--make-private", path)
        _mount("-t", "proc", "proc", path + "/proc")
        _mount("-t", "tmpfs", "-o", "size=64m,mode=1777", "tmpfs",
               path + "/dev/shm")
        _mount("-t", "tmpfs", "-o", "size=64m,mode=1777,noexec,nosuid,nodev",
               "tmpfs", path + "/tmp")
        yield Root(path)
    finally:
        if mounted_under(path):
            subprocess.run(["umount", "-R", path])
        if mounted_under(path):  # never remove what a mount still shows
            print(f"standalone: left {path}: still mounted", flush=True)
        else:
            shutil.rmtree(path, ignore_errors=True)
