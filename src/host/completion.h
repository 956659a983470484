/* Tab completion in the interactive shell: readline's completion hook,
 * answered by complete() in completion.py (compiled into the binary), or
 * by a completer set with readline.set_completer (pdb, cmd.Cmd). */
#ifndef PYHOST_COMPLETION_H
#define PYHOST_COMPLETION_H

#include <stdio.h>

#include <readline/readline.h>

/* Makes pyhost's completer readline's, with TAB bound to complete and
 * the "Display all N possibilities?" question answered before the list
 * is shown; no Python code runs until the first Tab (completion.py is
 * compiled then).  `module_function` is the completion function the
 * stdlib readline module installed (NULL without the module): completers
 * set with readline.set_completer go through it, so that
 * readline.get_begidx() and get_endidx() are right for them. */
void completion_start(rl_completion_func_t *module_function);

/* Puts back the display hook if a script removed it (set to None through
 * readline.set_completion_display_matches_hook). */
void completion_keep_display_hook(void);

#endif
