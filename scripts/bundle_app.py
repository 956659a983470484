"""Bundles a pure-Python application into one executable: a copy of the
standalone pyhost (the file running this script, unless --standalone names
another) whose zip also holds the application, under pyhost-app/, and
whose fuse is set, so that the copy runs the application
(src/host/standalone_app.c).  No compiler, no other Python.

    pyhost-standalone bundle_app.py [-m MODULE] -o OUTPUT DIRECTORY

DIRECTORY holds the application: a __main__.py, run as `python3 DIR`
runs it, or, with -m, the module (or package) MODULE, run as
`python3 -m MODULE` would, by a generated two-line __main__.py.  Every
file under it goes in, less __pycache__ and hidden names; each .py also
as bytecode.  The output depends on its inputs only.
"""
import argparse
import io
import os
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import standalone_zip  # noqa: E402

APP_DIRECTORY = "pyhost-app"  # STANDALONE_APP_DIRECTORY in standalone_app.h
FUSE = b"pyhost-application-fuse-ec27f30451cd9d3b:"  # standalone_app.c
EXTENSION_SUFFIXES = (".so", ".pyd", ".dll")
LAUNCHER = '''\
# Written by pyhost's bundle-app -m: runs {name} as `python3 -m {name}`
# would, leaving sys.argv as the application's user gave it.
__import__("runpy")._run_module_as_main({name!r}, alter_argv=False)
'''


class BundleError(Exception):
    pass


def set_fuse(exe):
    """exe with its application fuse set to 1."""
    count = exe.count(FUSE)
    if count != 1:
        raise BundleError(f"the executable holds {count} application fuses, "
                          "not 1: not a pyhost-standalone")
    at = exe.index(FUSE) + len(FUSE)
    if exe[at:at + 1] != b"0":
        raise BundleError("the executable already carries an application; "
                          "bundle from pyhost-standalone itself")
    return exe[:at] + b"1" + exe[at + 1:]


def application_files(directory):
    """The application's files, as sorted (name in the zip, path) pairs,
    with a directory entry (path None) for every directory."""
    found = [(APP_DIRECTORY + "/", None)]
    for root, dirs, names in os.walk(directory):
        dirs[:] = [d for d in dirs
                   if d != "__pycache__" and not d.startswith(".")]
        rel = os.path.relpath(root, directory).replace(os.sep, "/")
        prefix = APP_DIRECTORY + "/" + ("" if rel == "." else rel + "/")
        found.extend((prefix + d + "/", None) for d in dirs)
        for name in names:
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            if name.endswith(EXTENSION_SUFFIXES) or ".cpython-" in name:
                raise BundleError(
                    f"{os.path.join(root, name)}: an extension module cannot "
                    "be imported from inside the file; only pure Python")
            found.append((prefix + name, os.path.join(root, name)))
    return sorted(found)


def module_exists(directory, module):
    path = os.path.join(directory, *module.split("."))
    return (os.path.isfile(path + ".py")
            or os.path.isfile(os.path.join(path, "__main__.py")))


def application_zip(stdlib_zip, directory, module):
    """The library's zip with the application's entries appended; the
    library's entries are copied as they are."""
    main = os.path.join(directory, "__main__.py")
    if module is None and not os.path.isfile(main):
        raise BundleError(f"{directory} has no __main__.py (or name the "
                          "module to run with -m)")
    if module is not None and os.path.exists(main):
        raise BundleError(f"{directory} has a __main__.py and -m names "
                          f"{module}: which one runs? (as zipapp, refused)")
    if module is not None and not module_exists(directory, module):
        raise BundleError(f"no module {module} in {directory} "
                          "(a .py file, or a package with a __main__.py)")
    buffer = io.BytesIO(stdlib_zip)
    with zipfile.ZipFile(buffer, "a") as zf:
        if any(name.startswith(APP_DIRECTORY + "/") for name in zf.namelist()):
            raise BundleError("the library's zip already has an application")
        entries = application_files(directory)
        if module is not None:
            entries.append((APP_DIRECTORY + "/__main__.py",
                            LAUNCHER.format(name=module).encode()))
            entries.sort(key=lambda entry: entry[0])
        # source: a path, None for a directory, or the launcher's bytes
        for arcname, source in entries:
            if isinstance(source, str):
                with open(source, "rb") as f:
                    source = f.read()
            if source is None:
                standalone_zip.add(zf, arcname, b"")
            elif arcname.endswith(".py"):
                try:
                    standalone_zip.add_module(zf, arcname, source)
                except SyntaxError as error:
                    raise BundleError(f"{arcname}: {error}") from None
            else:
                standalone_zip.add(zf, arcname, source)
        zf.comment = b""
    return buffer.getvalue()


def bundle(standalone, directory, module, output):
    with open(standalone, "rb") as f:
        data = f.read()
    try:
        exe, stdlib_zip = standalone_zip.split(data)
    except ValueError as error:
        raise BundleError(f"{standalone}: {error}") from None
    exe = set_fuse(exe)
    zipdata = application_zip(stdlib_zip, directory, module)
    out_dir = os.path.dirname(os.path.abspath(output))
    # The index is zipimport's own reading of the zip, which needs a
    # file: a temporary one beside the output.
    with tempfile.NamedTemporaryFile(dir=out_dir, suffix=".zip") as zip_file:
        zip_file.write(zipdata)
        zip_file.flush()
        result = standalone_zip.assemble(exe, zip_file.name)
    tmp = output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(result)
    os.chmod(tmp, 0o755)
    os.replace(tmp, output)
    return len(result), len(result) - len(data)


def main():
    parser = argparse.ArgumentParser(
        prog="bundle-app", description=__doc__.split("\n\n")[0])
    parser.add_argument("-m", dest="module", metavar="MODULE",
                        help="the module to run, as python3 -m MODULE")
    parser.add_argument("-o", dest="output", required=True,
                        help="the executable to write")
    parser.add_argument("--standalone", default=sys.executable,
                        help="the pyhost-standalone to copy (default: the "
                        "one running this script)")
    parser.add_argument("directory", help="the application's directory")
    args = parser.parse_args()
    if not os.path.isdir(args.directory):
        parser.error(f"{args.directory}: not a directory")
    try:
        size, added = bundle(args.standalone, args.directory, args.module,
                             args.output)
    except (BundleError, OSError) as error:
        print(f"bundle-app: {error}", file=sys.stderr)
        return 1
    print(f"bundle-app: wrote {args.output} ({size} bytes, "
          f"{added} for the application)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
