/* Tab completion in the interactive shell: readline's completion hook,
 * answered by complete() in completion.py (compiled into the binary), or
 * by a completer set with readline.set_completer (pdb, cmd.Cmd). */
#ifndef PYHOST_COMPLETION_H
#define PYHOST_COMPLETION_H

#include <stdio.h>

#include <readline/readline.h>

/* Compiles the completer and makes it readline's, with TAB bound to
 * complete and the "Display all N possibilities?" question answered
 * before the list is shown.  `module_function` is the completion
 * function the stdlib readline module installed (NULL without the
 * module): completers set with readline.set_completer go through it, so
 * that readline.get_begidx() and get_endidx() are right for them.  Needs
 * the GIL.  Returns 0, or -1 with a Python exception. */
int completion_start(rl_completion_func_t *module_function);

/* Notes, once, what CPython's REPL start-up did to the stdlib readline
 * module (the completer rlcompleter's import set, which
 * completion_start drops) and wraps readline.set_auto_history so that
 * the history follows it.  To be called after CPython imports readline
 * and rlcompleter and before any user code runs; completion_start calls
 * it too, if nothing did before.  Needs the GIL.  Returns 0, or -1 with
 * a Python exception. */
int completion_note_startup(void);

/* Puts back the display hook if a script removed it (set to None through
 * readline.set_completion_display_matches_hook). */
void completion_keep_display_hook(void);

#endif
