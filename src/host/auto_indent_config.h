/* Whether the shell auto-indents: TERM, PYHOST_AUTO_INDENT and the
 * readline init file decide, once, when the shell starts.  Plain C
 * without readline or Python, so that the unit tests pin each case down.
 *
 * readline rejects a `set` of a variable it does not know, with an error
 * on standard error, in python3.11 as in pyhost; but it skips without a
 * word the sections of the init file for another application.  pyhost's
 * readline name is python's (its `$if python` sections apply), so a
 * `$if pyhost` section is skipped by readline in both: pyhost reads its
 * own variable there itself:
 *
 *     $if pyhost
 *     set auto-indent off
 *     $endif
 */
#ifndef PYHOST_AUTO_INDENT_CONFIG_H
#define PYHOST_AUTO_INDENT_CONFIG_H

#include <stdbool.h>

typedef enum {
    AUTO_INDENT_UNSET = -1, /* this source says nothing */
    AUTO_INDENT_OFF = 0,
    AUTO_INDENT_ON = 1
} auto_indent_setting_t;

/* PYHOST_AUTO_INDENT's value: unset or empty, UNSET; 0, off, no or false
 * (in any case, blanks around allowed), OFF; anything else, ON. */
auto_indent_setting_t auto_indent_env_setting(const char *value);

/* The init file readline reads (rl_read_init_file's choice): INPUTRC
 * when set and not empty, else ~/.inputrc when it can be read, else
 * /etc/inputrc.  malloc'd; NULL when memory runs out. */
char *auto_indent_inputrc_path(const char *inputrc, const char *home);

/* The last `set auto-indent VALUE` inside a `$if pyhost` section of the
 * init file at `path` (and the files it includes with `$include`; "~/"
 * is `home`), read as readline reads a boolean variable's value (empty,
 * on or 1, in any case: ON; anything else: OFF); UNSET when there is
 * none or the file cannot be read.  Directive and variable names are
 * compared ignoring case, as readline compares them; conditions nested
 * in or around a `$if pyhost` section are not evaluated. */
auto_indent_setting_t auto_indent_inputrc_setting(const char *path,
                                                  const char *home);

/* The decision: off on a dumb terminal (TERM unset, empty or "dumb");
 * else the environment variable's setting when it has one; else the
 * init file's; else on. */
bool auto_indent_decide(const char *term, auto_indent_setting_t environment,
                        auto_indent_setting_t inputrc);

#endif
