/* The interactive shell's history file: which file (PYHOST_HISTFILE or
 * ~/.pyhost_history), how many entries (PYHOST_HISTSIZE), loading it into
 * readline's history list, and appending the session's lines at exit. */
#ifndef PYHOST_HISTORY_H
#define PYHOST_HISTORY_H

#include <stdbool.h>

/* The history file's path for this environment, in a malloc'd string, or
 * NULL when there is none (PYHOST_HISTFILE empty, no HOME). */
char *history_file_path(void);

/* PYHOST_HISTSIZE as a count of entries; the default when it is unset or
 * not a non-negative number. */
int history_size_limit(void);

/* Reads `path` into readline's history and arranges for the lines of
 * this session to be appended to it at exit (Py_AtExit), so that two
 * shells exiting one after the other both keep their lines.  A file that
 * cannot be read or written costs one warning line on stderr and nothing
 * else.  Returns false only when the exit handler could not be set. */
bool history_start(char *path, int limit);

/* Adds a line typed at the prompt, skipping empty lines and a line equal
 * to the one before it. */
void history_add_line(const char *line);

#endif
