/* The interactive shell around CPython's own REPL: pyhost's banner, and
 * line input through GNU readline with pyhost's history and completion. */
#ifndef PYHOST_SHELL_H
#define PYHOST_SHELL_H

#include <Python.h>

#include <stdbool.h>

#include "host/cmdline.h"

/* Whether CPython would print its header for this command line; if so,
 * pyhost prints its own banner instead (and sets config->quiet). */
bool shell_take_banner(const cmdline_request_t *request, PyConfig *config);

/* The banner: pyhost's and Python's versions, the built-in modules, and
 * (when site is imported, as for CPython) the help hint.  On stderr. */
void shell_print_banner(bool with_help_hint);

/* After initialisation: makes pyhost's hook the one CPython's REPL calls
 * before its first prompt.  Returns 0, or -1 with a Python exception. */
int shell_install(void);

#endif
