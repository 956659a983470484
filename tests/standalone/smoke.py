"""Smoke test of build/pyhost-standalone, run inside it in an empty root
(tests/standalone/run.py, which counts each check as a case): the
standard library and the extension modules come from the file itself.

    smoke.py MODULES_TXT

Prints one line per check, "ok   NAME[: NOTE]" or "FAIL NAME" with the
error indented under it, then "N failed"; exits 1 if any failed."""
import sys
import traceback

failures = 0


def check(name, func):
    global failures
    try:
        detail = func()
    except Exception:  # report every failure, then go on
        failures += 1
        print(f"FAIL {name}")
        for line in traceback.format_exc().splitlines():
            print("     " + line)
    else:
        print(f"ok   {name}" + (f": {detail}" if detail else ""))


def every_module():
    # Every module python3.11 imports here (tests/standalone/modules.py).
    import importlib
    with open(sys.argv[1]) as listing:
        names = listing.read().split()
    assert len(names) > 500, names
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException as exc:
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    assert not failed, "\n".join(failed)
    return f"{len(names)} modules"


def imports():
    import json, sqlite3, hashlib, zlib, ssl, ctypes, decimal, hashset  # noqa
    return None


def search_path():
    # sys.path[0], the script's directory, then the file itself: nothing
    # of the system (the root has no ~/.local for a user site).
    assert sys.path[1:] == [sys.executable], sys.path
    return f"{sys.path}"


def _zipimport_read_directory():
    # zipimport's own reader, the host's replacement aside: a fresh copy
    # of the module, run from its source.
    import inspect, zipimport
    namespace = {"__name__": "zipimport_unpatched"}
    exec(compile(inspect.getsource(zipimport), "zipimport.py", "exec"),
         namespace)
    return namespace["_read_directory"]


def zip_directory_primed():
    # The host hands zipimport the directory the build stored: it must be
    # the one zipimport reads from the file itself, but for the path of
    # bytecode, which names the source (so __file__ ends in .py).
    import zipimport
    primed = zipimport._zip_directory_cache.get(sys.executable)
    assert primed is not None, "zipimport read the zip itself"
    read = _zipimport_read_directory()(sys.executable)
    assert type(read) is dict and len(read) > 1000, type(read)
    for name, entry in read.items():
        if name.endswith(".pyc"):
            read[name] = (entry[0][:-1],) + entry[1:]
    assert len(primed) == len(read), (len(primed), len(read))
    assert dict(primed) == read
    assert dict(primed.items()) == read
    assert sorted(primed) == sorted(read) == primed.keys()
    assert primed.values() == [read[name] for name in primed.keys()]
    for name, entry in read.items():
        assert name in primed and primed[name] == entry, name
        assert primed.get(name) == entry, name
    for absent in ("json", "json/__init__.p", "json/__init__.pycc", "",
                   "\udc80", b"os.py", ("os.py",), 1):
        assert absent not in primed, absent
        assert primed.get(absent, absent) is absent, absent
        try:
            primed[absent]
        except KeyError as error:
            assert error.args == (absent,), error.args
        else:
            raise AssertionError(f"{absent!r} found")
    return f"{len(primed)} entries"


def zip_directory_after_invalidate_caches():
    # importlib.invalidate_caches() (pip, pytest) makes zipimporters read
    # their zip again: the file's keeps the stored directory, so modules
    # imported later still have a __file__ ending in .py.
    import importlib, zipimport
    primed = zipimport._zip_directory_cache[sys.executable]
    importlib.invalidate_caches()
    importer = sys.path_importer_cache[sys.executable]
    assert importer._files is primed, type(importer._files)
    assert zipimport._zip_directory_cache[sys.executable] is primed
    expected = f"{sys.executable}/json/__init__.py"
    assert importer.get_filename("json") == expected, \
        importer.get_filename("json")
    sys.modules.pop("colorsys", None)
    import colorsys
    assert colorsys.__file__ == f"{sys.executable}/colorsys.py", \
        colorsys.__file__
    return colorsys.__file__


def module_files():
    # As python3.11's, under the file: frozen modules too.
    import importlib.util, json, os, site, zipimport
    exe = sys.executable
    for module, path in ((json, "json/__init__.py"), (os, "os.py"),
                         (site, "site.py"), (zipimport, "zipimport.py"),
                         (importlib.util, "importlib/util.py"),
                         (sys.modules["codecs"], "codecs.py")):
        assert module.__file__ == f"{exe}/{path}", (module, module.__file__)
    assert sys._stdlib_dir == exe, sys._stdlib_dir
    return f"os.__file__={os.__file__}"


def source_lines():
    import inspect, json, os, importlib.util
    assert "def dumps" in inspect.getsource(json)
    assert inspect.getsource(json.dumps).startswith("def dumps(")
    assert "def getenv" in inspect.getsource(os)  # frozen
    assert "def find_spec" in inspect.getsource(importlib.util)  # frozen
    return None


def traceback_source_lines():
    # Through the traceback module (linecache): the lines of the library.
    import json, traceback as tb
    try:
        json.loads("{")
    except ValueError:
        text = tb.format_exc()
    assert f'"{sys.executable}/json/decoder.py", line 353' in text, text
    assert "obj, end = self.scan_once(s, idx)" in text, text
    return None


def resources():
    import importlib.resources as resources
    text = resources.files("email").joinpath("architecture.rst").read_text()
    assert "email" in text
    assert resources.is_resource("lib2to3", "Grammar.txt")
    names = {p.name for p in resources.files("json").iterdir()}
    assert "decoder.py" in names, names
    return None


def executable_is_the_file():
    import os, subprocess
    assert os.path.samefile(sys.executable, "/bin/pyhost-standalone")
    result = subprocess.run([sys.executable, "-c", "import hashset, sys; "
                             "print(sys.executable)"],
                            capture_output=True, text=True, check=True)
    assert result.stdout == sys.executable + "\n", result
    return sys.executable


def sqlite_in_memory():
    import sqlite3
    con = sqlite3.connect(":memory:")
    con.execute("create table t (x)")
    con.executemany("insert into t values (?)", [(1,), (2,)])
    return f"sqlite {sqlite3.sqlite_version}, sum={con.execute('select sum(x) from t').fetchone()[0]}"


def ssl_context():
    # No certificates in the root: the system's paths, as python3.11's.
    import ssl
    context = ssl.create_default_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    paths = ssl.get_default_verify_paths()
    assert paths.openssl_capath == "/usr/lib/ssl/certs", paths
    return f"{ssl.OPENSSL_VERSION}; {paths.openssl_cafile}"


def hashes():
    import hashlib
    assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf")
    hashlib.md5(b"")
    hashlib.blake2b(b"")
    return None


def ctypes_libc():
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    assert libc.strlen(b"hello") == 5
    assert ctypes.pythonapi.Py_IsInitialized() == 1
    # A callback: libffi's closures need executable memory, and /tmp is
    # mounted noexec here.
    values = (ctypes.c_int * 4)(3, 1, 4, 2)
    compare = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                               ctypes.POINTER(ctypes.c_int))(
        lambda a, b: a[0] - b[0])
    libc.qsort(values, 4, ctypes.sizeof(ctypes.c_int), compare)
    assert list(values) == [1, 2, 3, 4], list(values)
    return None


def decimal_c():
    import decimal
    assert decimal.Decimal(1) / decimal.Decimal(7) == decimal.Decimal("0.1428571428571428571428571429")
    return decimal.__file__


def compressors():
    import bz2, lzma, zlib
    data = b"pyhost" * 100
    for mod in (bz2, lzma, zlib):
        assert mod.decompress(mod.compress(data)) == data
    return None


def uuid_and_more():
    import uuid, curses, readline, dbm, xml.etree.ElementTree as ET, zoneinfo  # noqa
    assert uuid.uuid1() != uuid.uuid1()
    assert uuid.uuid4().version == 4
    assert ET.fromstring("<a><b/></a>")[0].tag == "b"
    return None


def native_modules():
    import hashset, hash_set, point
    assert hash_set.HashSet is hashset.HashSet
    assert sorted(hashset.HashSet([3, 1, 2])) == [1, 2, 3]
    assert repr(point.Point(13, 42)) == "Point(x=13.0, y=42.0)"
    return None


def _square(x):
    return x * x


def multiprocessing_spawn():
    import multiprocessing
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        assert pool.map(_square, range(5)) == [0, 1, 4, 9, 16]
    return None


if __name__ == "__main__":
    for name, func in list(globals().items()):
        if callable(func) and not name.startswith("_") and name != "check" \
                and getattr(func, "__module__", None) == "__main__":
            check(name, func)
    print(f"{failures} failed")
    sys.exit(1 if failures else 0)
