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
 * nothing; nothing in a process forked after histfile_start).  Safe from
 * any thread at any time: it reads pyhost's copy of the lines, not
 * readline's list. */
void histfile_save(void);

/* Adds a line typed at the prompt to readline's list and to the lines to
 * save, skipping empty lines and a line equal to the list's last entry,
 * as python3.11 does; nothing at all while auto-history is off. */
void histfile_add_line(const char *line);

/* What readline.set_auto_history(enabled) said last (on by default): the
 * stdlib module keeps its setting private, so pyhost's wrapper of that
 * function reports it here. */
void histfile_set_auto_history(bool enabled);

#endif
