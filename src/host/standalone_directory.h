/* The standalone file's zip directory as zipimport uses it (a mapping of
 * names inside the zip to entry tuples), read from the compact index the
 * build stores in the file, and built entry by entry only when asked
 * (see standalone_directory.c). */
#ifndef PYHOST_STANDALONE_DIRECTORY_H
#define PYHOST_STANDALONE_DIRECTORY_H

#include <Python.h>

/* A new read-only mapping over index, the bytes the build wrote
 * (scripts/standalone_zip.py: index()), for the zip in file, a str: it
 * maps each name in the zip to the tuple zipimport's _read_directory
 * would make, but for the path of bytecode, which names its source.
 * Keeps a reference to index and file.  New reference, or NULL with
 * ValueError set when index is malformed, or another error. */
PyObject *standalone_directory_new(PyObject *index, PyObject *file);

#endif
