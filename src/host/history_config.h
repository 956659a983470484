/* Which history file the shell uses and how many entries it keeps, from
 * PYHOST_HISTFILE and PYHOST_HISTSIZE.  Plain C (no Python.h) so that the
 * unit tests check every kind of value directly. */
#ifndef PYHOST_HISTORY_CONFIG_H
#define PYHOST_HISTORY_CONFIG_H

/* The limit when PYHOST_HISTSIZE is unset, empty or not a number. */
#define HISTORY_DEFAULT_SIZE 1000
/* What a limit of "no limit" is stored as. */
#define HISTORY_UNLIMITED (-1)

typedef enum {
    HISTSIZE_UNSET,  /* NULL or empty: *limit is the default */
    HISTSIZE_NUMBER, /* *limit is the value (HISTORY_UNLIMITED or >= 0) */
    HISTSIZE_INVALID /* not a number: *limit is the default, warn */
} histsize_status_t;

/* Parses a PYHOST_HISTSIZE value: optional blanks, an optional sign,
 * decimal digits, optional blanks.  A negative number means unlimited
 * (as HISTSIZE does in bash), 0 means that nothing is saved, and a
 * positive number too big for an int is unlimited too (readline counts
 * entries in an int, so no file can reach it). */
histsize_status_t histfile_parse_size(const char *text, int *limit);

/* The history file's absolute path in a malloc'd string, or NULL when
 * there is none: `configured` is PYHOST_HISTFILE's value (NULL when
 * unset: `home`/.pyhost_history, where `home` is HOME or, when HOME is
 * unset or empty, the password database's home directory, as Python's
 * os.path.expanduser has it; empty: no file).  A relative path, or a
 * relative `home`, is taken from `cwd`, the directory the shell started
 * in, once, so that a later chdir() changes nothing.  NULL too when
 * `home` or `cwd` is needed and missing, or memory runs out. */
char *histfile_resolve_path(const char *configured, const char *home,
                            const char *cwd);

#endif
