/* The one look pyhost takes at its command line before CPython parses it:
 * finding -h/--help and -V/--version, which pyhost answers with its own
 * text, what decides whether the shell's banner is due, and whether
 * frozen modules are off.  Everything
 * else is left to CPython's PyConfig parser (PyConfig_Read cannot be used
 * for this: on 3.11 a config read before Py_InitializeFromConfig loses
 * -X warn_default_encoding). */
#ifndef PYHOST_CMDLINE_H
#define PYHOST_CMDLINE_H

#include <stdbool.h>

typedef enum {
    CMDLINE_RUN,    /* hand the command line to CPython unchanged */
    CMDLINE_HELP,   /* print pyhost's help, then CPython's option list */
    CMDLINE_VERSION /* print pyhost's version and exit */
} cmdline_action_t;

typedef struct {
    cmdline_action_t action;
    int version_level; /* how many -V: 2 or more asks for build details */
    /* What CPython's start-up header depends on (pymain_header): */
    bool runs_code;          /* -c, -m or a script (not "-") */
    bool quiet;              /* -q */
    bool interactive;        /* -i */
    bool no_site;            /* -S */
    bool ignore_environment; /* -E or -I */
    int verbose;             /* how many -v */
    /* -X frozen_modules=off, the first -X frozen_modules deciding, as for
     * CPython: pyhost's own frozen modules follow it. */
    bool frozen_modules_off;
} cmdline_request_t;

cmdline_request_t cmdline_prescan(int argc, char *const argv[]);

#endif
