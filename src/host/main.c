/* pyhost's entry point.  It answers --help and --version itself, registers
 * the built-in modules, and hands the whole command line to CPython's own
 * configuration and main loop (PyConfig, Py_RunMain), so that every
 * python3 option, exit status and stream behaves as in python3.11.  The
 * sequence is the one Doc/c-api/init_config.rst gives for a custom
 * interpreter. */
#include <Python.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "host/arenas.h"
#include "host/builtin_modules.h"
#include "host/cmdline.h"
#include "host/frozen_modules.h"
#include "host/shell.h"
#include "host/standalone.h"
#include "host/standalone_app.h"
#include "host/version.h"

/* Python's version number alone ("3.11.2"): the first word of
 * Py_GetVersion(), the library actually running, which a SHARED=1 build
 * may take from a newer libpython than the headers it was built with. */
static void
print_python_version(FILE *out, int level)
{
    const char *full = Py_GetVersion();
    if (level >= 2) {
        fputs(full, out);
    } else {
        fprintf(out, "%.*s", (int)strcspn(full, " "), full);
    }
}

static void
print_version(int level)
{
    printf("pyhost %s (Python ", PYHOST_VERSION);
    print_python_version(stdout, level);
    printf(")\n");
}

/* pyhost's part of --help; CPython's option list follows it.  The
 * options' descriptions are the man page's words (tests/doc checks it). */
static void
print_help_header(void)
{
    print_version(1);
    printf("The python3 command, with these native modules built in:\n");
    for (const builtin_module_t *module = builtin_modules; module->name;
         module++) {
        printf("  %-10s %s\n", module->name, module->summary);
    }
    printf(
        "\n"
        "pyhost's own options, before the first -c, -m or script argument:\n"
        "  -h, -?, --help  Print pyhost's version, the built-in modules with "
        "a one-line\n"
        "                  summary each, a pointer to pyhost(1), then the "
        "interpreter's\n"
        "                  usage and option list, and exit with status 0.\n"
        "  -V, --version   Print \"pyhost VERSION (Python X.Y.Z)\" and exit "
        "with status 0.\n"
        "                  Given twice (-VV), print Python's full build "
        "information\n"
        "                  instead of its version number.\n"
        "Every other option is the interpreter's, below.  See pyhost(1) for "
        "the modules,\n"
        "the shell and the environment.\n"
        "\n"
        "The interactive shell's history (ignored under -I):\n"
        "  PYHOST_HISTFILE  the history file (default ~/.pyhost_history; "
        "empty: none)\n"
        "  PYHOST_HISTSIZE  how many entries the file keeps (default 1000; "
        "negative:\n"
        "                   no limit; 0: save nothing)\n"
        "The shell's auto-indent of \"...\" lines:\n"
        "  PYHOST_AUTO_INDENT  0, off, no or false: off (also off with "
        "TERM=dumb)\n"
        "\n");
    fflush(stdout);
}

/* Configures and starts the interpreter, then runs what the command line
 * asks for.  Returns the process's exit status; on a fatal start-up error
 * CPython prints the message and exits itself. */
static int
run_python(int argc, char **argv, const cmdline_request_t *request,
           standalone_app_mode_t app)
{
    PyConfig config;
    PyStatus status;

    PyConfig_InitPythonConfig(&config);
    status = standalone_app_preconfigure(&config, app);
    if (PyStatus_Exception(status)) {
        goto fail;
    }
    bool banner = shell_take_banner(request, &config);
    status = PyConfig_SetBytesArgv(&config, argc, argv);
    if (PyStatus_Exception(status)) {
        goto fail;
    }
    /* The standalone build's library path; nothing elsewhere. */
    status = standalone_configure(&config, request);
    if (PyStatus_Exception(status)) {
        goto fail;
    }
    status = standalone_app_configure(&config, app);
    if (PyStatus_Exception(status)) {
        goto fail;
    }
    status = Py_InitializeFromConfig(&config);
    if (PyStatus_Exception(status)) {
        goto fail;
    }
    status = standalone_initialize_main();
    if (PyStatus_Exception(status)) {
        goto fail;
    }
    PyConfig_Clear(&config);
    if (shell_install(request) < 0) {
        /* The shell still works, as CPython's own, without our reader. */
        PyErr_Print();
    }
    if (banner) {
        shell_print_banner(!request->no_site);
    }
    return Py_RunMain();

fail:
    PyConfig_Clear(&config);
    if (PyStatus_IsExit(status)) {
        return status.exitcode; /* -h, a usage error: already printed */
    }
    Py_ExitStatusException(status);
}

int
main(int argc, char **argv)
{
    /* A bundled application owns its command line: no option is read
     * from it, pyhost's included (standalone_app.h). */
    standalone_app_mode_t app = standalone_app_mode(argc, argv);
    cmdline_request_t request = app == STANDALONE_APP_RUN
                                    ? standalone_app_request()
                                    : cmdline_prescan(argc, argv);

    if (request.action == CMDLINE_VERSION) {
        print_version(request.version_level);
        return 0;
    }
    if (request.action == CMDLINE_HELP) {
        /* CPython meets the same -h and prints its option list. */
        print_help_header();
    }
    arenas_install();
    if (builtin_modules_register() < 0) {
        fprintf(stderr, "%s: out of memory registering modules\n", argv[0]);
        return 1;
    }
#ifdef Py_DEBUG
    frozen_modules_install(true); /* as a debug build's defaults */
#else
    frozen_modules_install(request.frozen_modules_off);
#endif
    return run_python(argc, argv, &request, app);
}
