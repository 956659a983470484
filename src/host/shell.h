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

/* After initialisation, before Py_RunMain: prepares the shell for the
 * command line in `request`.  Normally that is pyhost's
 * sys.__interactivehook__, which CPython's REPL calls before its first
 * prompt; with -I (where python3.11 adds no hook) the line editor is set
 * up at once when a shell will read from a terminal.  Returns 0, or -1
 * with a Python exception. */
int shell_install(const cmdline_request_t *request);

/* What a wait for the terminal ended with. */
typedef enum {
    SHELL_INPUT_READY,       /* a key can be read without blocking */
    SHELL_INPUT_INTERRUPTED, /* a Python signal handler raised (Ctrl-C):
                                the exception is set */
    SHELL_INPUT_CLOSED       /* the terminal went away */
} shell_input_t;

/* Waits for the next key while a line is read (from readline callbacks
 * such as completion's questions): Ctrl-C and the other signals reach
 * Python's handlers, PyOS_InputHook runs about ten times a second, and
 * with `follow_resize` a window resize is redrawn.  Only valid while
 * shell_reader_active(). */
shell_input_t shell_wait_for_input(bool follow_resize);

/* Whether pyhost's line reader is reading a line on this thread. */
bool shell_reader_active(void);

#endif
