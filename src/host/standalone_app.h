/* A user's application bundled into a copy of the standalone file
 * (scripts/bundle-app): the file then runs the application, which owns
 * the whole command line, instead of being the python3 command.  In the
 * ordinary build (no PYHOST_STANDALONE) there is never an application. */
#ifndef PYHOST_STANDALONE_APP_H
#define PYHOST_STANDALONE_APP_H

#include <Python.h>

#include "host/cmdline.h"

typedef enum {
    STANDALONE_APP_NONE,           /* the python3 command, as ever */
    STANDALONE_APP_RUN,            /* run the application with argv */
    STANDALONE_APP_MULTIPROCESSING /* a helper multiprocessing started */
} standalone_app_mode_t;

/* Where in the file the application lives: the directory, inside the
 * appended zip, that bundle-app puts the application's files in (a name
 * no import statement can reach from the library's own entry). */
#define STANDALONE_APP_DIRECTORY "pyhost-app"

/* What this run is: NONE unless the file carries an application; then
 * MULTIPROCESSING for the command lines app_cmdline.h recognises (which
 * CPython parses and runs as python3 would), RUN for any other. */
standalone_app_mode_t standalone_app_mode(int argc, char *const argv[]);

/* The request the host acts on for an application: it runs code, and
 * reads no option, no PYTHON* variable.  Use in place of cmdline_prescan
 * when the mode is RUN. */
cmdline_request_t standalone_app_request(void);

/* For RUN, makes the interpreter isolated (as -I: no PYTHON* variable,
 * no user site-packages, no script directory on sys.path) and leaves
 * argv unparsed, so that sys.argv is argv as given.  Call right after
 * PyConfig_InitPythonConfig: the pre-initialisation that
 * PyConfig_SetBytesArgv performs reads both. */
PyStatus standalone_app_preconfigure(PyConfig *config,
                                     standalone_app_mode_t mode);

/* For RUN, names the application's directory in the file as the program
 * to run, as `python3 FILE.zip` runs a zip application: its __main__
 * module, with the directory first on sys.path.  Call after
 * standalone_configure, which sets config->home to the file. */
PyStatus standalone_app_configure(PyConfig *config,
                                  standalone_app_mode_t mode);

#endif
