"""The build half of the setuptools packaging of pyhost's modules (the
metadata is in pyproject.toml).  Debian 12's setuptools 66 cannot declare
extension modules or read a version out of a C header in pyproject.toml
(its [tool.setuptools] table is still beta there), so this file does: each
module's sources from src/modules/SOURCES, the list the Makefile reads
too, and the version from src/host/version.h, where pyhost's -V reads it."""
import glob
import os
import re

from setuptools import Extension, setup

# PEP 517 runs the backend in the project's top directory, so paths are
# relative to it, as setuptools wants them in an sdist.
MODULE_LIST = os.path.join("src", "modules", "SOURCES")
VERSION_HEADER = os.path.join("src", "host", "version.h")
HEADERS = sorted(glob.glob("src/modules/*.h") + glob.glob("src/core/*.h"))

# The Makefile's BASE_CFLAGS and PIC_CFLAGS (sysconfig adds -fPIC and
# Debian's own -O2 -g, hardening and -DNDEBUG); like the Makefile, a
# non-empty CI turns warnings into errors.
COMPILE_ARGS = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic",
                "-fvisibility=hidden"]
if os.environ.get("CI"):
    COMPILE_ARGS.append("-Werror")


def read_version():
    with open(VERSION_HEADER, encoding="utf-8") as header:
        match = re.search(r'^#define PYHOST_VERSION "(.+)"$', header.read(),
                          re.MULTILINE)
    if not match:
        raise SystemExit(f"{VERSION_HEADER}: no PYHOST_VERSION")
    return match[1]


def read_modules():
    """One Extension a line of SOURCES: "name: files", wildcards allowed."""
    modules = []
    with open(MODULE_LIST, encoding="utf-8") as sources:
        for line in sources:
            if not line.strip() or line.startswith("#"):
                continue
            name, _, patterns = line.partition(":")
            files = sorted({path for pattern in patterns.split()
                            for path in glob.glob(pattern)})
            if not files:
                raise SystemExit(f"{MODULE_LIST}: no sources for {name}")
            modules.append(Extension(
                name.strip(), files, include_dirs=["src"], depends=HEADERS,
                extra_compile_args=COMPILE_ARGS))
    return modules


setup(
    version=read_version(),
    ext_modules=read_modules(),
    # No Python packages: without these, setuptools' discovery would take
    # src/ for a tree of them.
    packages=[],
    py_modules=[],
    # Where `pip install -e .` puts the modules it builds in place, beside
    # their sources (ignored by git), and the directory its .pth names.
    package_dir={"": os.path.join("src", "modules")},
    # setuptools' own build directories under the Makefile's build/, apart.
    options={"build": {"build_base": os.path.join("build", "setuptools")}},
)
