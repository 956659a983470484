/* The standalone build's search path.  The standard library is a zip
 * appended to the executable (scripts/build-standalone); zipimport finds
 * a zip's central directory from the end of any file, so the executable's
 * own path is the one sys.path entry the library needs, and modules get
 * __file__ values under it, as from any zip.  Setting home to the file
 * too keeps CPython's getpath from settling on the compiled-in prefix
 * (/usr), whose dist-packages Debian's site.py would then add.
 *
 * Start-up: zipimport reads a zip's directory in Python, about 5 ms for
 * the library's 1,300 entries, more than python3.11 spends starting.  So
 * the build also stores that directory, as a compact index, and the host
 * hands zipimport a mapping over it (standalone_directory.c) between the
 * two phases of initialisation (PEP 587), before the first import from
 * the file: a few thousand instructions, where building the directory as
 * Python objects took 6 M. */
#include "host/standalone.h"
#include "host/standalone_directory.h"
#include "host/standalone_sources.h"

#ifdef PYHOST_STANDALONE

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The zip's end-of-central-directory record, whose comment locates the
 * directory index: STANDALONE_INDEX_MAGIC, then its offset and size
 * in the file (little-endian 64-bit).  scripts/build-standalone writes
 * it; any other comment, or none, leaves zipimport to read the zip. */
#define STANDALONE_INDEX_MAGIC "pyhost-zipindex2"
enum {
    ZIP_EOCD_SIZE = 22,        /* the record, less its comment */
    ZIP_EOCD_COMMENT_LEN = 20, /* offset of the comment's length */
    INDEX_MAGIC_SIZE = sizeof STANDALONE_INDEX_MAGIC - 1,
    INDEX_TRAILER_SIZE = INDEX_MAGIC_SIZE + 8 + 8,
    /* A sanity cap: the library's directory takes about 90 kB. */
    INDEX_MAX_SIZE = 16 << 20,
};

/* The executable's path, as it stands on sys.path. */
static char standalone_self[PATH_MAX];

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
    memcpy(standalone_self, path, (size_t)len + 1);
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
    for (char *save = NULL, *entry = strtok_r(copy, ":", &save); entry != NULL;
         entry = strtok_r(NULL, ":", &save)) {
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
    /* Stop after the core phase: standalone_initialize_main goes on. */
    config->_init_main = 0;
done:
    PyMem_RawFree(self);
    return status;
}

static uint64_t
read_le64(const unsigned char *bytes)
{
    uint64_t value = 0;
    for (int i = 7; i >= 0; i--) {
        value = value << 8 | bytes[i];
    }
    return value;
}

/* The directory index the build stored in the file, as bytes; NULL
 * with no error set when the file's last zip carries none, NULL with an
 * error set when memory runs out. */
static PyObject *
standalone_read_index(const char *path)
{
    unsigned char tail[ZIP_EOCD_SIZE + INDEX_TRAILER_SIZE];
    PyObject *index = NULL;
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return NULL;
    }
    if (fseek(file, -(long)sizeof tail, SEEK_END) != 0 ||
        fread(tail, 1, sizeof tail, file) != sizeof tail ||
        memcmp(tail, "PK\5\6", 4) != 0 ||
        (tail[ZIP_EOCD_COMMENT_LEN] | tail[ZIP_EOCD_COMMENT_LEN + 1] << 8) !=
            INDEX_TRAILER_SIZE ||
        memcmp(tail + ZIP_EOCD_SIZE, STANDALONE_INDEX_MAGIC,
               INDEX_MAGIC_SIZE) != 0) {
        goto done;
    }
    uint64_t offset = read_le64(tail + ZIP_EOCD_SIZE + INDEX_MAGIC_SIZE);
    uint64_t length = read_le64(tail + ZIP_EOCD_SIZE + INDEX_MAGIC_SIZE + 8);
    if (length == 0 || length > INDEX_MAX_SIZE || offset > LONG_MAX ||
        fseek(file, (long)offset, SEEK_SET) != 0) {
        goto done;
    }
    index = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)length);
    if (index != NULL &&
        fread(PyBytes_AS_STRING(index), 1, length, file) != length) {
        Py_CLEAR(index);
    }
done:
    fclose(file);
    return index;
}

/* zipimport._read_directory, bound to (file, directory, the original):
 * the stored directory for the file, the original's reading for any
 * other zip.  zipimport calls it for a zip it has not cached and again
 * from zipimporter.invalidate_caches() (importlib.invalidate_caches(),
 * which pip and pytest call): without it, that reread the file's 1,307
 * entries in Python and named later modules' __file__ *.pyc. */
static PyObject *
standalone_read_directory(PyObject *bound, PyObject *archive)
{
    PyObject *file = PyTuple_GET_ITEM(bound, 0);
    PyObject *directory = PyTuple_GET_ITEM(bound, 1);
    PyObject *original = PyTuple_GET_ITEM(bound, 2);
    if (PyUnicode_Check(archive) && PyUnicode_Compare(archive, file) == 0) {
        return Py_NewRef(directory);
    }
    return PyObject_CallOneArg(original, archive);
}

static PyMethodDef standalone_read_directory_def = {
    "_read_directory", standalone_read_directory, METH_O,
    "_read_directory($module, archive, /)\n--\n\n"
    "zipimport's, but for the standalone file, whose directory the build "
    "stored (src/host/standalone.c)."};

/* Makes zipimport use the stored directory (standalone_directory.c) for
 * the file.  Without one, or on any error, zipimport reads the zip
 * itself: slower, same modules (with .pyc __file__ values). */
static void
standalone_prime_zipimport(PyObject *self)
{
    PyObject *index = standalone_read_index(standalone_self);
    PyObject *directory = NULL, *zipimport = NULL, *original = NULL,
             *bound = NULL, *function = NULL;
    if (index == NULL) {
        goto done;
    }
    directory = standalone_directory_new(index, self);
    zipimport = directory == NULL ? NULL : PyImport_ImportModule("zipimport");
    original = zipimport == NULL
                   ? NULL
                   : PyObject_GetAttrString(zipimport, "_read_directory");
    bound =
        original == NULL ? NULL : PyTuple_Pack(3, self, directory, original);
    function = bound == NULL
                   ? NULL
                   : PyCFunction_New(&standalone_read_directory_def, bound);
    if (function != NULL) {
        (void)PyObject_SetAttrString(zipimport, "_read_directory", function);
    }
done:
    PyErr_Clear();
    Py_XDECREF(function);
    Py_XDECREF(bound);
    Py_XDECREF(original);
    Py_XDECREF(zipimport);
    Py_XDECREF(directory);
    Py_XDECREF(index);
}

PyStatus
standalone_initialize_main(void)
{
    PyObject *self = PyUnicode_DecodeFSDefault(standalone_self);
    if (self == NULL || standalone_sources_install(self) < 0) {
        PyErr_Print();
        Py_XDECREF(self);
        return PyStatus_Error("pyhost-standalone: cannot set up the "
                              "modules of its library");
    }
    standalone_prime_zipimport(self);
    PyStatus status = _Py_InitializeMain();
    if (!PyStatus_Exception(status) &&
        standalone_sources_name_frozen(self) < 0) {
        PyErr_Print();
        status = PyStatus_Error("pyhost-standalone: cannot name the "
                                "frozen modules of its library");
    }
    Py_DECREF(self);
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

PyStatus
standalone_initialize_main(void)
{
    return PyStatus_Ok();
}

#endif
