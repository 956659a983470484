/* A bundled application's start-up.  scripts/bundle-app copies the
 * standalone file, puts the application's files in its zip under
 * STANDALONE_APP_DIRECTORY and flips the fuse below, a byte in the
 * executable's read-only data: the host knows it carries an application
 * before reading any file or starting Python, at no cost to the plain
 * standalone's start-up.  (Node.js's single executable applications use
 * the same device.)  The application then runs as a zip application does
 * under python3 (its __main__ module, through runpy), isolated, with
 * argv untouched: the bundled file is a program of its own, not python3,
 * and takes neither options nor PYTHON* variables from its user. */
#include "host/standalone_app.h"

#include "host/app_cmdline.h"

#ifdef PYHOST_STANDALONE

#include <wchar.h>

/* The fuse: bundle-app finds this string, which must occur once in the
 * executable, and turns its last character from '0' into '1'.  volatile,
 * so that the compiler reads the byte the file holds rather than the
 * one it sees here. */
static volatile const char app_fuse[] =
    "pyhost-application-fuse-ec27f30451cd9d3b:0";

standalone_app_mode_t
standalone_app_mode(int argc, char *const argv[])
{
    if (app_fuse[sizeof app_fuse - 2] != '1') {
        return STANDALONE_APP_NONE;
    }
    return app_cmdline_is_multiprocessing(argc, argv)
               ? STANDALONE_APP_MULTIPROCESSING
               : STANDALONE_APP_RUN;
}

PyStatus
standalone_app_preconfigure(PyConfig *config, standalone_app_mode_t mode)
{
    if (mode == STANDALONE_APP_RUN) {
        config->isolated = 1;
        config->parse_argv = 0;
    }
    return PyStatus_Ok();
}

PyStatus
standalone_app_configure(PyConfig *config, standalone_app_mode_t mode)
{
    static const wchar_t directory[] = L"/" STANDALONE_APP_DIRECTORY;
    PyStatus status = PyStatus_Ok();
    if (mode != STANDALONE_APP_RUN) {
        return status;
    }
    if (config->home == NULL) {
        return PyStatus_Error("pyhost: the application's file is unknown");
    }
    size_t length = wcslen(config->home);
    /* directory brings the terminating null */
    wchar_t *path =
        PyMem_RawMalloc(length * sizeof(wchar_t) + sizeof directory);
    if (path == NULL) {
        return PyStatus_NoMemory();
    }
    wmemcpy(path, config->home, length);
    wmemcpy(path + length, directory, sizeof directory / sizeof(wchar_t));
    status = PyConfig_SetString(config, &config->run_filename, path);
    PyMem_RawFree(path);
    return status;
}

#else /* !PYHOST_STANDALONE */

standalone_app_mode_t
standalone_app_mode(int argc, char *const argv[])
{
    (void)argc;
    (void)argv;
    return STANDALONE_APP_NONE;
}

PyStatus
standalone_app_preconfigure(PyConfig *config, standalone_app_mode_t mode)
{
    (void)config;
    (void)mode;
    return PyStatus_Ok();
}

PyStatus
standalone_app_configure(PyConfig *config, standalone_app_mode_t mode)
{
    (void)config;
    (void)mode;
    return PyStatus_Ok();
}

#endif

cmdline_request_t
standalone_app_request(void)
{
    return (cmdline_request_t){
        .action = CMDLINE_RUN,
        .runs_code = true,
        .ignore_environment = true,
    };
}
