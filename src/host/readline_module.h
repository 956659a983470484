/* What pyhost's shell changes in the stdlib readline module, which user
 * code shares with it: two of its functions are wrapped, so that the
 * shell follows readline.set_auto_history and knows which completer
 * rlcompleter's import installed (that one gives way to pyhost's
 * completion; any other answers Tab). */
#ifndef PYHOST_READLINE_MODULE_H
#define PYHOST_READLINE_MODULE_H

#include <Python.h>

#include <stdbool.h>

/* Wraps readline.set_auto_history and readline.set_completer, once, if
 * the module is imported; a completer that rlcompleter installed before
 * (a sitecustomize that imports it) is noted as rlcompleter's.  To be
 * called after CPython imports readline for its REPL and before any user
 * code runs.  Needs the GIL.  Returns 0, or -1 with a Python
 * exception. */
int readline_module_wrap(void);

/* Whether readline.set_completer installed a completer of the user's
 * (cmd, pdb, a PYTHONSTARTUP file): one that is not None and not the one
 * rlcompleter's import installed.  Needs the GIL; leaves no exception. */
bool readline_module_has_own_completer(void);

#endif
