/* The standalone build's search path.  The standard library is a zip
 * appended to the executable (scripts/build-standalone); zipimport finds
 * a zip's central directory from the end of any file, so the executable's
 * own path is the one sys.path entry the library needs, and modules get
 * __file__ values under it, as from any zip.  Setting home to the file
 * too keeps CPython's getpath from settling on the compiled-in prefix
 * (/usr), whose dist-packages Debian's site.py would then add. */
#include "host/standalone.h"

#ifdef PYHOST_STANDALONE

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The running executable's absolute path, from /proc/self/exe; NULL
 * without /proc (CPython then works from argv[0] and PATH, as for its
 * own sys.executable).  The caller frees the result. */
static wchar_t *
standalone_executable_path(void)
{
    char path[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", path, sizeof path - 1);
    if (len <= 0) {
        return NULL;
    }
    path[len] = '\0';
    return Py_DecodeLocale(path, NULL);
}

/* Appends each non-empty entry of a ':'-separated list, as getpath does
 * with PYTHONPATH. */
static PyStatus
standalone_append_path_list(PyWideStringList *list, const char *value)
{
    PyStatus status = PyStatus_Ok();
    char *copy = strdup(value);
    if (copy == NULL) {
        return PyStatus_NoMemory();
    }
    for (char *save = NULL, *entry = strtok_r(copy, ":", &save);
         entry != NULL; entry = strtok_r(NULL, ":", &save)) {
        wchar_t *wide = Py_DecodeLocale(entry, NULL);
        if (wide == NULL) {
            status = PyStatus_NoMemory();
            break;
        }
        status = PyWideStringList_Append(list, wide);
        PyMem_RawFree(wide);
        if (PyStatus_Exception(status)) {
            break;
        }
    }
    free(copy);
    return status;
}

PyStatus
standalone_configure(PyConfig *config, const cmdline_request_t *request)
{
    PyStatus status = PyStatus_Ok();
    wchar_t *self = standalone_executable_path();
    if (self == NULL) {
        /* No /proc: CPython's own search, which finds no library. */
        return PyStatus_Error("pyhost-standalone: cannot read "
                              "/proc/self/exe to find its library");
    }
    status = PyConfig_SetString(config, &config->home, self);
    if (PyStatus_Exception(status)) {
        goto done;
    }
    const char *pythonpath = getenv("PYTHONPATH");
    if (!request->ignore_environment && pythonpath != NULL) {
        status = standalone_append_path_list(&config->module_search_paths,
                                             pythonpath);
        if (PyStatus_Exception(status)) {
            goto done;
        }
    }
    status = PyWideStringList_Append(&config->module_search_paths, self);
    if (PyStatus_Exception(status)) {
        goto done;
    }
    config->module_search_paths_set = 1;
done:
    PyMem_RawFree(self);
    return status;
}

#else /* !PYHOST_STANDALONE */

PyStatus
standalone_configure(PyConfig *config, const cmdline_request_t *request)
{
    (void)config;
    (void)request;
    return PyStatus_Ok();
}

#endif
