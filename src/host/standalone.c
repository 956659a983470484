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
 * the build also stores that directory, as zipimport would compute it,
 * marshalled, and the host puts it in zipimport's cache between the two
 * phases of initialisation (PEP 587), before the first import from the
 * file: about 0.5 ms. */
#include "host/standalone.h"
#include "host/standalone_sources.h"

#ifdef PYHOST_STANDALONE

#include <marshal.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The zip's end-of-central-directory record, whose comment locates the
 * marshalled directory: STANDALONE_INDEX_MAGIC, then its offset and size
 * in the file (little-endian 64-bit).  scripts/build-standalone writes
 * it; any other comment, or none, leaves zipimport to read the zip. */
#define STANDALONE_INDEX_MAGIC "pyhost-zipindex1"
enum {
    ZIP_EOCD_SIZE = 22,        /* the record, less its comment */
    ZIP_EOCD_COMMENT_LEN = 20, /* offset of the comment's length */
    INDEX_MAGIC_SIZE = sizeof STANDALONE_INDEX_MAGIC - 1,
    INDEX_TRAILER_SIZE = INDEX_MAGIC_SIZE + 8 + 8,
    /* A sanity cap: the library's directory takes about 80 kB. */
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

/* The marshalled directory the build stored in the file, or NULL (no
 * Python error set) when the file's last zip carries none.  The caller
 * frees the result; *size receives its length. */
static char *
standalone_read_index(const char *path, size_t *size)
{
    unsigned char tail[ZIP_EOCD_SIZE + INDEX_TRAILER_SIZE];
    char *index = NULL;
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
    index = malloc(length);
    if (index != NULL && fread(index, 1, length, file) != length) {
        free(index);
        index = NULL;
    }
    *size = length;
done:
    fclose(file);
    return index;
}

/* zipimport's directory of the file, from the stored index: each entry
 * name -> (compress, data_size, file_size, file_offset, time, date, crc)
 * becomes name -> (path, compress, ...), as zipimport's _read_directory
 * makes it, except that the path of a .pyc entry names its .py: that
 * path becomes the module's __file__ (and co_filename, see
 * standalone_sources.c), which ends in .py as python3.11's do;
 * zipimport, which finds the .pyc first, would name the .pyc.
 * New reference, or NULL with an error set. */
static PyObject *
standalone_directory(PyObject *index, PyObject *self)
{
    PyObject *files = PyDict_New();
    PyObject *prefix = PyUnicode_FromFormat("%U/", self);
    PyObject *pyc = PyUnicode_FromString(".pyc");
    PyObject *name, *entry;
    Py_ssize_t pos = 0;
    if (files == NULL || prefix == NULL || pyc == NULL ||
        !PyDict_Check(index)) {
        goto error;
    }
    while (PyDict_Next(index, &pos, &name, &entry)) {
        if (!PyTuple_Check(entry) || !PyUnicode_Check(name)) {
            PyErr_SetString(PyExc_ValueError, "bad zip index entry");
            goto error;
        }
        Py_ssize_t n = PyTuple_GET_SIZE(entry);
        PyObject *full = PyTuple_New(n + 1);
        if (full == NULL) {
            goto error;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(name);
        PyObject *file = PyUnicode_Tailmatch(name, pyc, 0, length, 1) == 1
                             ? PyUnicode_Substring(name, 0, length - 1)
                             : Py_NewRef(name);
        PyObject *path = file == NULL ? NULL : PyUnicode_Concat(prefix, file);
        Py_XDECREF(file);
        if (path == NULL) {
            Py_DECREF(full);
            goto error;
        }
        PyTuple_SET_ITEM(full, 0, path);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PyTuple_GET_ITEM(entry, i);
            Py_INCREF(item);
            PyTuple_SET_ITEM(full, i + 1, item);
        }
        int failed = PyDict_SetItem(files, name, full);
        Py_DECREF(full);
        if (failed) {
            goto error;
        }
    }
    Py_DECREF(pyc);
    Py_DECREF(prefix);
    return files;
error:
    if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "bad zip index");
    }
    Py_XDECREF(pyc);
    Py_XDECREF(prefix);
    Py_XDECREF(files);
    return NULL;
}

/* Puts the stored directory in zipimport._zip_directory_cache.  Without
 * one, or on any error, zipimport reads the zip itself: slower, same
 * modules (with .pyc __file__ values). */
static void
standalone_prime_zipimport(PyObject *self)
{
    size_t size = 0;
    char *raw = standalone_read_index(standalone_self, &size);
    PyObject *index = NULL, *files = NULL, *zipimport = NULL, *cache = NULL;
    if (raw == NULL) {
        return;
    }
    index = PyMarshal_ReadObjectFromString(raw, (Py_ssize_t)size);
    free(raw);
    if (index == NULL) {
        goto done;
    }
    files = standalone_directory(index, self);
    zipimport = PyImport_ImportModule("zipimport");
    if (files == NULL || zipimport == NULL) {
        goto done;
    }
    cache = PyObject_GetAttrString(zipimport, "_zip_directory_cache");
    if (cache != NULL) {
        PyObject_SetItem(cache, self, files);
    }
done:
    PyErr_Clear();
    Py_XDECREF(cache);
    Py_XDECREF(zipimport);
    Py_XDECREF(files);
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
