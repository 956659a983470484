"""Smoke test of build/pyhost-standalone, run inside it in an empty root
(scripts/check-standalone): the standard library and the extension
modules come from the file itself.  Not part of make check yet (issue 15).
Prints one line per check and exits 1 if any failed."""
import sys

failures = 0


def check(name, func):
    global failures
    try:
        detail = func()
    except Exception as exc:  # report every failure, then go on
        failures += 1
        print(f"FAIL {name}: {type(exc).__name__}: {exc}")
    else:
        print(f"ok   {name}" + (f": {detail}" if detail else ""))


def imports():
    import json, sqlite3, hashlib, zlib, ssl, ctypes, decimal, hashset  # noqa
    return None


def search_path():
    # Only the file itself (after sys.path[0], the script's directory,
    # and before the user's site-packages when present): nothing of the
    # system.
    exe = sys.executable
    bad = [p for p in sys.path[1:] if p != exe
           and not p.startswith(("/root/.local", "/home/", "/work/.local"))]
    assert exe in sys.path, sys.path
    assert not bad, bad
    return f"{sys.path}"


def zip_directory_primed():
    # The host hands zipimport the directory the build stored: it must be
    # the one zipimport reads from the file itself.
    import zipimport
    primed = zipimport._zip_directory_cache.get(sys.executable)
    assert primed is not None, "zipimport read the zip itself"
    assert primed == zipimport._read_directory(sys.executable)
    return f"{len(primed)} entries"


def module_files():
    import json, os
    assert json.__file__.startswith(sys.executable + "/"), json.__file__
    return f"json.__file__={json.__file__} os.__file__={getattr(os, '__file__', None)}"


def source_lines():
    import inspect, json
    assert "def dumps" in inspect.getsource(json)
    return None


def sqlite_in_memory():
    import sqlite3
    con = sqlite3.connect(":memory:")
    con.execute("create table t (x)")
    con.executemany("insert into t values (?)", [(1,), (2,)])
    return f"sqlite {sqlite3.sqlite_version}, sum={con.execute('select sum(x) from t').fetchone()[0]}"


def ssl_context():
    import ssl
    ssl.create_default_context()
    return ssl.OPENSSL_VERSION


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
    uuid.uuid1()
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
