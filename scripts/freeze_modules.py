"""Writes the C header of the standard-library modules pyhost freezes
(src/host/frozen_modules.c): each module's code object, marshalled, as
the bytes of a char array.

Usage: PYTHON3.11 scripts/freeze_modules.py STDLIB_DIR FILENAME_PREFIX OUT
           [--no-packages]

STDLIB_DIR holds the sources (/usr/lib/python3.11, or Lib/ of the CPython
tree the optimised build links); FILENAME_PREFIX goes before each module's
path in its code's file name, so that a traceback names the file the
module is read from without freezing ("/usr/lib/python3.11/"), or is
"<frozen>" for CPython's own convention ("<frozen encodings.utf_8>", as
for os and site), which the standalone file uses.  --no-packages leaves
the packages out (the standalone: a frozen package's __path__ comes from
sys._stdlib_dir, which its start-up sets only after the codecs are
looked up).  Run by the 3.11 interpreter that pyhost links or its twin:
marshal's format and the bytecode are the same for every 3.11 release
(magic number 3495).
"""
import marshal
import os
import sys

# Every start-up imports these from disk, after the modules 3.11 freezes
# itself (os, site, codecs, io, ...): the codec registry's package, its
# aliases, and the codec of the UTF-8 locale and file system encoding.
# (name, path under STDLIB_DIR, is a package; the Makefile lists the
# paths too, as the header's prerequisites.)
MODULES = [
    ("encodings", "encodings/__init__.py", True),
    ("encodings.aliases", "encodings/aliases.py", False),
    ("encodings.utf_8", "encodings/utf_8.py", False),
]

BYTES_PER_LINE = 16


def c_name(name):
    return "frozen_" + name.replace(".", "_")


def main():
    stdlib, prefix, out = sys.argv[1:4]
    with_packages = "--no-packages" not in sys.argv[4:]
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"{sys.argv[0]}: needs Python 3.11, not {sys.version}")
    lines = ["/* Written by scripts/freeze_modules.py: do not edit. */"]
    table = []
    for name, path, is_package in MODULES:
        if is_package and not with_packages:
            continue
        filename = (f"<frozen {name}>" if prefix == "<frozen>"
                    else prefix + path)
        with open(os.path.join(stdlib, path), "rb") as source:
            code = compile(source.read(), filename, "exec",
                           dont_inherit=True, optimize=0)
        data = marshal.dumps(code)
        lines.append(f"static const unsigned char {c_name(name)}[] = {{")
        for start in range(0, len(data), BYTES_PER_LINE):
            chunk = data[start:start + BYTES_PER_LINE]
            lines.append("    " + ",".join(str(b) for b in chunk) + ",")
        lines.append("};")
        table.append(f'    {{"{name}", {c_name(name)}, '
                     f'(int)sizeof {c_name(name)}, {int(is_package)}, NULL}},')
    lines.append("#define FROZEN_MODULE_ENTRIES \\")
    lines.extend(entry + " \\" for entry in table)
    lines.append("")
    with open(out + ".tmp", "w") as header:
        header.write("\n".join(lines) + "\n")
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
