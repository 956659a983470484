/* The standalone file's zip directory, for zipimport, built lazily.
 *
 * zipimport keeps a zip's directory as a dict of name -> (path, compress,
 * data_size, file_size, file_offset, time, date, crc).  Built at start-up
 * for the library's 1,307 entries (from a marshalled dict), that took 5.9
 * M instructions of `-c pass`'s 38.6 M, nearly all of the difference from
 * python3.11, which imports only a handful of modules from it.  So the
 * build stores the directory as a compact index instead (sorted
 * fixed-size records and the names, see scripts/standalone_zip.py) and
 * this mapping answers zipimport's questions from it: `name in files`
 * is a binary search over the records, `files[name]` makes the one tuple
 * asked for.  zipimport uses nothing else; pkgutil iterates the names.
 *
 * Layout, little-endian: u32 count; count records of RECORD_SIZE bytes
 * (name offset and size in the names, compress, data size, file size,
 * time, date, crc: u32; file offset in the executable: u64), sorted by
 * their names' UTF-8 bytes; then the names. */
#include "host/standalone_directory.h"

#ifdef PYHOST_STANDALONE

#include <stdint.h>
#include <string.h>

/* A function in a PyType_Slot's `void *`: undefined in ISO C, defined by
 * POSIX and relied on by CPython (src/modules/module_support.h, which
 * the host does not include, says more). */
#define DIRECTORY_SLOT(function) (__extension__(void *)(function))

enum {
    HEADER_SIZE = 4,
    RECORD_SIZE = 40,
    /* Offsets of the u32 fields of a record, then of its u64. */
    NAME_OFFSET = 0,
    NAME_SIZE = 4,
    COMPRESS = 8,
    DATA_SIZE = 12,
    FILE_SIZE = 16,
    TIME = 20,
    DATE = 24,
    CRC = 28,
    FILE_OFFSET = 32,
};

typedef struct {
    PyObject_HEAD
    PyObject *index;  /* the bytes that records and names point into */
    PyObject *prefix; /* "FILE/", which each entry's path starts with */
    const unsigned char *records;
    const char *names;
    Py_ssize_t count;
} directory_object;

static PyTypeObject *directory_type;

static uint32_t
read_le32(const unsigned char *bytes)
{
    return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 |
           (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
}

static uint64_t
read_le64(const unsigned char *bytes)
{
    return (uint64_t)read_le32(bytes + 4) << 32 | read_le32(bytes);
}

static const unsigned char *
directory_record(const directory_object *self, Py_ssize_t i)
{
    return self->records + i * RECORD_SIZE;
}

/* The UTF-8 name of record i, not NUL-terminated; *size its length. */
static const char *
directory_name(const directory_object *self, Py_ssize_t i, size_t *size)
{
    const unsigned char *record = directory_record(self, i);
    *size = read_le32(record + NAME_SIZE);
    return self->names + read_le32(record + NAME_OFFSET);
}

static int
compare_names(const char *a, size_t a_size, const char *b, size_t b_size)
{
    int order = memcmp(a, b, a_size < b_size ? a_size : b_size);
    if (order != 0) {
        return order;
    }
    return (a_size > b_size) - (a_size < b_size);
}

/* The record of key, or -1 when key is no name of the zip (any str
 * that is not, and any object that is no str: as for a dict of str
 * keys, `in` answers False and [] raises KeyError). */
static Py_ssize_t
directory_find(const directory_object *self, PyObject *key)
{
    if (!PyUnicode_Check(key)) {
        return -1;
    }
    Py_ssize_t key_size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(key, &key_size);
    if (utf8 == NULL) {
        PyErr_Clear(); /* a lone surrogate: no name of the zip */
        return -1;
    }
    Py_ssize_t low = 0, high = self->count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        size_t size;
        const char *name = directory_name(self, middle, &size);
        int order = compare_names(name, size, utf8, (size_t)key_size);
        if (order == 0) {
            return middle;
        }
        if (order < 0) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return -1;
}

static PyObject *
directory_key(const directory_object *self, Py_ssize_t i)
{
    size_t size;
    const char *name = directory_name(self, i, &size);
    return PyUnicode_DecodeUTF8(name, (Py_ssize_t)size, "strict");
}

/* The path zipimport's _read_directory gives an entry (the file joined
 * to the name, trailing slashes stripped), except that bytecode's names
 * its source: it becomes the module's __file__ and co_filename, which
 * end in .py as python3.11's do (zipimport would name the .pyc). */
static PyObject *
directory_path(const directory_object *self, Py_ssize_t i)
{
    size_t size;
    const char *name = directory_name(self, i, &size);
    while (size > 0 && name[size - 1] == '/') {
        size--;
    }
    if (size >= 4 && memcmp(name + size - 4, ".pyc", 4) == 0) {
        size--;
    }
    PyObject *tail = PyUnicode_DecodeUTF8(name, (Py_ssize_t)size, "strict");
    if (tail == NULL) {
        return NULL;
    }
    PyObject *path = PyUnicode_Concat(self->prefix, tail);
    Py_DECREF(tail);
    return path;
}

/* Entry i as zipimport's _read_directory makes it (path aside). */
static PyObject *
directory_entry(const directory_object *self, Py_ssize_t i)
{
    const unsigned char *record = directory_record(self, i);
    PyObject *path = directory_path(self, i);
    if (path == NULL) {
        return NULL;
    }
    PyObject *entry = Py_BuildValue(
        "(OkkkKkkk)", path, (unsigned long)read_le32(record + COMPRESS),
        (unsigned long)read_le32(record + DATA_SIZE),
        (unsigned long)read_le32(record + FILE_SIZE),
        (unsigned long long)read_le64(record + FILE_OFFSET),
        (unsigned long)read_le32(record + TIME),
        (unsigned long)read_le32(record + DATE),
        (unsigned long)read_le32(record + CRC));
    Py_DECREF(path);
    return entry;
}

/* A list of f(self, i) for every record. */
static PyObject *
directory_list(const directory_object *self,
               PyObject *(*f)(const directory_object *, Py_ssize_t))
{
    PyObject *list = PyList_New(self->count);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < self->count; i++) {
        PyObject *item = f(self, i);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

static PyObject *
directory_item(const directory_object *self, Py_ssize_t i)
{
    PyObject *key = directory_key(self, i);
    PyObject *entry = key == NULL ? NULL : directory_entry(self, i);
    PyObject *item = entry == NULL ? NULL : PyTuple_Pack(2, key, entry);
    Py_XDECREF(entry);
    Py_XDECREF(key);
    return item;
}

/* {=====  The mapping's slots and methods */

static Py_ssize_t
directory_length(PyObject *self)
{
    return ((directory_object *)self)->count;
}

static PyObject *
directory_subscript(PyObject *self, PyObject *key)
{
    Py_ssize_t i = directory_find((directory_object *)self, key);
    if (i < 0) {
        /* Wrapped in a tuple, as dict does, so that a tuple key is not
         * taken for KeyError's arguments. */
        PyObject *args = PyTuple_Pack(1, key);
        if (args != NULL) {
            PyErr_SetObject(PyExc_KeyError, args);
            Py_DECREF(args);
        }
        return NULL;
    }
    return directory_entry((directory_object *)self, i);
}

static int
directory_contains(PyObject *self, PyObject *key)
{
    return directory_find((directory_object *)self, key) >= 0;
}

static PyObject *
directory_keys(PyObject *self, PyObject *unused)
{
    (void)unused;
    return directory_list((directory_object *)self, directory_key);
}

static PyObject *
directory_values(PyObject *self, PyObject *unused)
{
    (void)unused;
    return directory_list((directory_object *)self, directory_entry);
}

static PyObject *
directory_items(PyObject *self, PyObject *unused)
{
    (void)unused;
    return directory_list((directory_object *)self, directory_item);
}

static PyObject *
directory_iter(PyObject *self)
{
    PyObject *keys = directory_keys(self, NULL);
    if (keys == NULL) {
        return NULL;
    }
    PyObject *iterator = PyObject_GetIter(keys);
    Py_DECREF(keys);
    return iterator;
}

static PyObject *
directory_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "get() takes 1 or 2 arguments");
        return NULL;
    }
    Py_ssize_t i = directory_find((directory_object *)self, args[0]);
    if (i < 0) {
        return Py_NewRef(nargs == 2 ? args[1] : Py_None);
    }
    return directory_entry((directory_object *)self, i);
}

static void
directory_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    Py_XDECREF(((directory_object *)self)->index);
    Py_XDECREF(((directory_object *)self)->prefix);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyMethodDef directory_methods[] = {
    {"get", (PyCFunction)(void (*)(void))directory_get, METH_FASTCALL,
     "get($self, key, default=None, /)\n--\n\n"
     "The entry of key, or default when the zip has no such name."},
    {"keys", directory_keys, METH_NOARGS,
     "keys($self, /)\n--\n\nA list of the names in the zip, sorted."},
    {"values", directory_values, METH_NOARGS,
     "values($self, /)\n--\n\nA list of the entries, in the names' order."},
    {"items", directory_items, METH_NOARGS,
     "items($self, /)\n--\n\nA list of (name, entry) pairs, sorted."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot directory_slots[] = {
    {Py_tp_doc,
     (void *)"The standalone file's zip directory, as zipimport uses "
             "it: a read-only mapping of names to entries, each made "
             "when asked for."},
    {Py_tp_dealloc, DIRECTORY_SLOT(directory_dealloc)},
    {Py_tp_iter, DIRECTORY_SLOT(directory_iter)},
    {Py_tp_methods, directory_methods},
    {Py_mp_length, DIRECTORY_SLOT(directory_length)},
    {Py_mp_subscript, DIRECTORY_SLOT(directory_subscript)},
    {Py_sq_length, DIRECTORY_SLOT(directory_length)},
    {Py_sq_contains, DIRECTORY_SLOT(directory_contains)},
    {0, NULL},
};

static PyType_Spec directory_spec = {
    .name = "pyhost.ZipDirectory",
    .basicsize = sizeof(directory_object),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE |
             Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = directory_slots,
};

/* {=====  Reading the index */

/* Whether the records of an index of size bytes, count of them, lie in
 * it, name ranges inside the names, in strictly increasing order: what
 * the binary search needs.  On success, sets the pointers of self. */
static int
directory_check(directory_object *self, const char *data, Py_ssize_t size)
{
    if (size < HEADER_SIZE) {
        return 0;
    }
    uint32_t count = read_le32((const unsigned char *)data);
    if (count > (uint64_t)(size - HEADER_SIZE) / RECORD_SIZE) {
        return 0;
    }
    Py_ssize_t records_size = (Py_ssize_t)count * RECORD_SIZE;
    size_t names_size = (size_t)(size - HEADER_SIZE - records_size);
    self->records = (const unsigned char *)data + HEADER_SIZE;
    self->names = data + HEADER_SIZE + records_size;
    self->count = count;
    const char *previous = NULL;
    size_t previous_size = 0;
    for (Py_ssize_t i = 0; i < self->count; i++) {
        const unsigned char *record = directory_record(self, i);
        uint32_t offset = read_le32(record + NAME_OFFSET);
        uint32_t name_size = read_le32(record + NAME_SIZE);
        if (offset > names_size || name_size > names_size - offset) {
            return 0;
        }
        const char *name = self->names + offset;
        if (previous != NULL &&
            compare_names(previous, previous_size, name, name_size) >= 0) {
            return 0;
        }
        previous = name;
        previous_size = name_size;
    }
    return 1;
}

PyObject *
standalone_directory_new(PyObject *index, PyObject *file)
{
    if (directory_type == NULL) {
        directory_type = (PyTypeObject *)PyType_FromSpec(&directory_spec);
        if (directory_type == NULL) {
            return NULL;
        }
    }
    if (!PyBytes_Check(index) || !PyUnicode_Check(file)) {
        PyErr_SetString(PyExc_TypeError, "a zip directory needs bytes and "
                                         "the file's path");
        return NULL;
    }
    directory_object *self =
        (directory_object *)directory_type->tp_alloc(directory_type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->index = Py_NewRef(index);
    self->prefix = PyUnicode_FromFormat("%U/", file);
    if (self->prefix == NULL) {
        goto error;
    }
    if (!directory_check(self, PyBytes_AS_STRING(index),
                         PyBytes_GET_SIZE(index))) {
        PyErr_SetString(PyExc_ValueError, "malformed zip directory index");
        goto error;
    }
    return (PyObject *)self;
error:
    Py_DECREF(self);
    return NULL;
}

#else /* !PYHOST_STANDALONE: nothing of this in build/pyhost */

PyObject *
standalone_directory_new(PyObject *index, PyObject *file)
{
    (void)index;
    (void)file;
    PyErr_SetString(PyExc_NotImplementedError, "not a standalone build");
    return NULL;
}

#endif
