/* Tab completion in the interactive shell: readline's completion hook,
 * answered by complete() in completion.py (compiled into the binary). */
#ifndef PYHOST_COMPLETION_H
#define PYHOST_COMPLETION_H

/* Compiles the completer and makes it readline's, with TAB bound to
 * complete.  Needs the GIL.  Returns 0, or -1 with a Python exception. */
int completion_start(void);

#endif
