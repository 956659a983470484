/* The interactive shell's history file: which file (PYHOST_HISTFILE or
 * ~/.pyhost_history), how many entries it keeps (PYHOST_HISTSIZE),
 * loading it into readline's history list, and appending the session's
 * lines at exit or when SIGHUP/SIGTERM ends the shell. */
#ifndef PYHOST_HISTORY_H
#define PYHOST_HISTORY_H

#include <stdbool.h>

/* Reads PYHOST_HISTFILE, PYHOST_HISTSIZE, HOME and the current directory
 * once, when pyhost starts (before any code can chdir), and remembers the
 * outcome for histfile_start. */
void histfile_configure(void);

/* Warns (once) about a PYHOST_HISTSIZE that is not a number, reads the
 * history file into readline's history and arranges for this session's
 * lines to be appended to it at exit (Py_AtExit), and when SIGHUP or
 * SIGTERM ends the process, so that two shells exiting one after the
 * other both keep their lines.  /dev/null means no history, silently; a
 * file that cannot be read or written costs one warning line on stderr
 * and nothing else.  `before_death` runs on the watcher thread before a
 * SIGHUP/SIGTERM death: it must stop the line reader and then call
 * histfile_save.  Returns false only when the exit handler could not be
 * set. */
bool histfile_start(void (*before_death)(int signum));

/* Appends this session's lines to the file (once: later calls do
 * nothing).  Safe from any thread while the line reader is stopped. */
void histfile_save(void);

/* Adds a line typed at the prompt, skipping empty lines and a line equal
 * to the one before it. */
void histfile_add_line(const char *line);

#endif
