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
 * the system is searched.  Call after PyConfig_SetBytesArgv, before
 * Py_InitializeFromConfig. */
PyStatus standalone_configure(PyConfig *config,
                              const cmdline_request_t *request);

#endif
