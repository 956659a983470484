/* The standalone file's library as python3.11's is on disk: every module
 * has a __file__ ending in .py under the executable, frozen ones
 * included, and the source behind it reaches inspect, linecache and
 * tracebacks (see standalone_sources.c for how, and why so). */
#ifndef PYHOST_STANDALONE_SOURCES_H
#define PYHOST_STANDALONE_SOURCES_H

#include <Python.h>

/* Makes FrozenImporter.get_source read the zip in FILE (the executable),
 * gives bytecode from the zip its full path as co_filename, and prints
 * uncaught exceptions with the traceback module.  Call between the two
 * phases of initialisation.  Returns 0, or -1 with a Python error set. */
int standalone_sources_install(PyObject *file);

/* Sets sys._stdlib_dir to FILE and gives the frozen modules imported so
 * far their __file__ under it.  Call right after the main phase of
 * initialisation.  Returns 0, or -1 with a Python error set. */
int standalone_sources_name_frozen(PyObject *file);

#endif
