/* Where the standalone pyhost (make standalone, issue 15) finds its
 * standard library: in a zip appended to its own executable file.  In the
 * ordinary build (no PYHOST_STANDALONE) this changes nothing. */
#ifndef PYHOST_STANDALONE_H
#define PYHOST_STANDALONE_H

#include <Python.h>

#include "host/cmdline.h"

/* Points the configuration at the executable itself: home (so sys.prefix)
 * is the file, and sys.path is PYTHONPATH's entries (unless -E or -I)
 * followed by the file, whose appended zip zipimport reads.  Nothing of
 * the system is searched; initialisation stops after its core phase.
 * Call after PyConfig_SetBytesArgv, before Py_InitializeFromConfig. */
PyStatus standalone_configure(PyConfig *config,
                              const cmdline_request_t *request);

/* Finishes the start-up that standalone_configure left at its core
 * phase, once zipimport knows the file's directory (see standalone.c).
 * Call right after Py_InitializeFromConfig. */
PyStatus standalone_initialize_main(void);

#endif
