"""The standalone file's layout, shared by scripts/build-standalone (run
by the CPython it builds) and scripts/bundle_app.py (run by the
standalone itself): an executable, then the zip's directory as zipimport
computes it (a compact index, offsets in the file: index()), then the
zip, whose end-of-central-directory comment locates that directory for
the host (src/host/standalone.c): MAGIC, its offset, its size.

    standalone_zip.py EXE ZIP OUT     writes EXE + index + ZIP as OUT
"""
import importlib.util
import marshal
import struct
import sys
import zipfile
import zipimport

MAGIC = b"pyhost-zipindex2"
TRAILER = struct.Struct("<16sQQ")  # MAGIC, index offset, index size
# The index, read by src/host/standalone_directory.c: a count, then a
# record an entry, sorted by the name's UTF-8 bytes (the host's binary
# search), then the names.  A record: the name's offset in the names and
# its size, then zipimport's entry less its path: compress, data size,
# file size, time, date, crc, and the file offset last (64 bits).
COUNT = struct.Struct("<I")
RECORD = struct.Struct("<8IQ")
EOCD_SIZE = 22  # the end-of-central-directory record, less its comment
DATE = (1980, 1, 1, 0, 0, 0)  # every entry's, so the zip depends on its inputs only


def pyc(source, arcname):
    """Bytecode that zipimport loads without looking at the source: an
    unchecked hash-based .pyc (PEP 552), since the file cannot change
    under it.  Raises SyntaxError for a source that does not compile."""
    code = compile(source, arcname, "exec", dont_inherit=True, optimize=0)
    flags = 0b01  # hash-based, unchecked
    return (importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little")
            + importlib.util.source_hash(source) + marshal.dumps(code))


def add(zf, arcname, data):
    """Adds a file (or, for a name ending in '/', a directory) entry."""
    info = zipfile.ZipInfo(arcname, DATE)
    if arcname.endswith("/"):
        info.external_attr = 0o40755 << 16 | 0x10  # MS-DOS directory bit
        zf.writestr(info, b"")
        return
    info.external_attr = 0o644 << 16
    # Bytecode uncompressed: an import then needs no zlib and no inflating.
    info.compress_type = (zipfile.ZIP_STORED if arcname.endswith(".pyc")
                          else zipfile.ZIP_DEFLATED)
    zf.writestr(info, data)


def add_module(zf, arcname, source):
    """Adds a .py file as source (for inspect.getsource, tracebacks,
    importlib.resources) and as bytecode."""
    compiled = pyc(source, arcname)  # before anything is added
    add(zf, arcname, source)
    add(zf, arcname + "c", compiled)


def index(directory, shift):
    """The index of zipimport's directory of a zip that starts shift
    bytes into the file."""
    names, records = b"", []
    for name in sorted(directory, key=lambda name: name.encode()):
        _, compress, data_size, file_size, offset, time, date, crc = \
            directory[name]
        encoded = name.encode()
        records.append(RECORD.pack(len(names), len(encoded), compress,
                                   data_size, file_size, time, date, crc,
                                   offset + shift))
        names += encoded
    return COUNT.pack(len(records)) + b"".join(records) + names


def assemble(exe, zip_path):
    """The file: exe, the zip's directory, the zip at zip_path (a plain
    zip, offsets from its start) with the trailer as its comment."""
    with open(zip_path, "rb") as f:
        zipdata = f.read()
    if zipdata[-EOCD_SIZE:-EOCD_SIZE + 4] != b"PK\5\6" or zipdata[-2:] != b"\0\0":
        raise ValueError(f"{zip_path}: not a zip without comment")
    directory = zipimport._read_directory(zip_path)  # offsets from the zip
    # The index's size does not depend on the offsets in it.
    blob = index(directory, len(exe) + len(index(directory, 0)))
    trailer = TRAILER.pack(MAGIC, len(exe), len(blob))
    return (exe + blob + zipdata[:-2] + struct.pack("<H", len(trailer))
            + trailer)


def split(data):
    """The executable and the zip (without its comment) of a standalone
    file's bytes: assemble's inverse.  ValueError if data is not one."""
    tail = data[-EOCD_SIZE - TRAILER.size:]
    if (len(tail) != EOCD_SIZE + TRAILER.size or tail[:4] != b"PK\5\6"
            or tail[EOCD_SIZE - 2:EOCD_SIZE] != struct.pack("<H", TRAILER.size)):
        raise ValueError("no pyhost-standalone trailer at the end")
    magic, offset, size = TRAILER.unpack(tail[EOCD_SIZE:])
    if magic != MAGIC or offset + size > len(data) - len(tail):
        raise ValueError("no pyhost-standalone trailer at the end")
    zipdata = data[offset + size:len(data) - TRAILER.size]
    zipdata = zipdata[:-2] + b"\0\0"  # no comment
    return data[:offset], zipdata


if __name__ == "__main__":
    exe_path, zip_path, out = sys.argv[1:]
    with open(exe_path, "rb") as f:
        exe = f.read()
    with open(out, "wb") as f:
        f.write(assemble(exe, zip_path))
