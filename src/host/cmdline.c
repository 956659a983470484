/* Pre-scan of the command line for the options pyhost answers itself.
 * It walks the options exactly as CPython 3.11's getopt does (Python/
 * getopt.c, Python/initconfig.c), so that it stops where CPython stops:
 * at -c, -m, the script name, "-" or "--", whose following arguments
 * belong to the program, and at anything CPython would reject, which
 * CPython then reports with its own message and exit status. */
#include "host/cmdline.h"

#include <stdbool.h>
#include <string.h>

/* CPython 3.11's short options; those followed by ':' take an argument. */
static const char short_options[] = "bBc:dEhiIJm:OPqRsStuvVW:xX:?";

typedef enum { SCAN_CONTINUE, SCAN_STOP } scan_state_t;

/* The one long option of CPython 3.11 that takes a separate argument. */
static const char long_option_with_argument[] = "check-hash-based-pycs";

/* Reads the long option argv[*index] ("--name"), advancing *index past an
 * argument it consumes. */
static scan_state_t
scan_long_option(const char *name, int argc, int *index,
                 cmdline_request_t *request)
{
    if (strcmp(name, "help") == 0) {
        request->action = CMDLINE_HELP;
        return SCAN_STOP;
    }
    if (strcmp(name, "version") == 0) {
        request->version_level++;
        return SCAN_CONTINUE;
    }
    if (strcmp(name, long_option_with_argument) == 0 && *index + 1 < argc) {
        (*index)++;
        return SCAN_CONTINUE;
    }
    /* --help-env, --help-xoptions, --help-all (CPython prints those), an
     * unknown option or a missing argument: CPython's answer, not ours. */
    request->version_level = 0;
    return SCAN_STOP;
}

/* The flags that decide whether CPython would print its header. */
static void
note_flag(char letter, cmdline_request_t *request)
{
    switch (letter) {
    case 'q':
        request->quiet = true;
        break;
    case 'i':
        request->interactive = true;
        break;
    case 'S':
        request->no_site = true;
        break;
    case 'E':
    case 'I':
        request->ignore_environment = true;
        break;
    case 'v':
        request->verbose++;
        break;
    default:
        break;
    }
}

/* Notes what an -X option says of frozen modules: the first
 * "frozen_modules" option decides ("off", or on), as CPython's xoption
 * lookup takes the first; a bad value is CPython's to report. */
static void
note_x_option(const char *option, bool *frozen_seen,
              cmdline_request_t *request)
{
    static const char name[] = "frozen_modules";
    size_t length = strcspn(option, "=");
    if (*frozen_seen || length != sizeof name - 1 ||
        strncmp(option, name, length) != 0) {
        return;
    }
    *frozen_seen = true;
    request->frozen_modules_off = strcmp(option + length, "=off") == 0;
}

/* Reads a cluster of short options such as "-bV" or "-Wdefault",
 * advancing *index past a separate argument it consumes. */
static scan_state_t
scan_short_options(char *const argv[], int argc, int *index, bool *frozen_seen,
                   cmdline_request_t *request)
{
    const char *cluster = argv[*index] + 1;
    for (const char *letter = cluster; *letter != '\0'; letter++) {
        const char *spec = strchr(short_options, *letter);
        if (*letter == ':' || spec == NULL || *letter == 'J') {
            /* Unknown (or, like -J, reserved): CPython reports it. */
            request->version_level = 0;
            return SCAN_STOP;
        }
        if (*letter == 'h' || *letter == '?') {
            request->action = CMDLINE_HELP;
            return SCAN_STOP;
        }
        if (*letter == 'V') {
            request->version_level++;
            continue;
        }
        if (spec[1] != ':') {
            note_flag(*letter, request);
            continue;
        }
        /* An option with an argument takes the rest of the cluster, or
         * else the next argument. */
        bool attached = letter[1] != '\0';
        if (!attached && *index + 1 >= argc) {
            request->version_level = 0; /* "Argument expected" */
            return SCAN_STOP;
        }
        if (!attached) {
            (*index)++;
        }
        if (*letter == 'X') {
            note_x_option(attached ? letter + 1 : argv[*index], frozen_seen,
                          request);
        }
        /* After -c and -m come the program's own arguments. */
        if (*letter == 'c' || *letter == 'm') {
            request->runs_code = true;
            return SCAN_STOP;
        }
        return SCAN_CONTINUE;
    }
    return SCAN_CONTINUE;
}

cmdline_request_t
cmdline_prescan(int argc, char *const argv[])
{
    cmdline_request_t request = {.action = CMDLINE_RUN};
    scan_state_t state = SCAN_CONTINUE;
    bool frozen_seen = false;

    for (int index = 1; index < argc && state == SCAN_CONTINUE; index++) {
        const char *arg = argv[index];
        if (strcmp(arg, "--") == 0) {
            request.runs_code = index + 1 < argc; /* a script follows */
            break;
        }
        if (arg[0] != '-' || arg[1] == '\0') {
            /* the script, or "-": the program comes from stdin */
            request.runs_code = arg[0] != '-';
            break;
        }
        if (arg[1] == '-') {
            state = scan_long_option(arg + 2, argc, &index, &request);
        } else {
            state =
                scan_short_options(argv, argc, &index, &frozen_seen, &request);
        }
    }
    if (request.action == CMDLINE_RUN && request.version_level > 0) {
        request.action = CMDLINE_VERSION;
    }
    return request;
}
