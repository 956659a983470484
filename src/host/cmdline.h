/* The one look pyhost takes at its command line before CPython parses it:
 * finding -h/--help and -V/--version, which pyhost answers with its own
 * text.  Everything else is left to CPython's PyConfig parser. */
#ifndef PYHOST_CMDLINE_H
#define PYHOST_CMDLINE_H

typedef enum {
    CMDLINE_RUN,    /* hand the command line to CPython unchanged */
    CMDLINE_HELP,   /* print pyhost's help, then CPython's option list */
    CMDLINE_VERSION /* print pyhost's version and exit */
} cmdline_action_t;

typedef struct {
    cmdline_action_t action;
    int version_level; /* how many -V: 2 or more asks for build details */
} cmdline_request_t;

cmdline_request_t cmdline_prescan(int argc, char *const argv[]);

#endif
