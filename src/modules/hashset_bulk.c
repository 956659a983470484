/* HashSet in bulk: the membership of many keys at once, the keys as an
 * array('Q'), and a portable byte format that pickle uses too.
 *
 * contains_many reads its keys through the batch reader
 * (hashset_keys.h), in place for integer buffers, and looks each batch up
 * in one call of the core, which fetches the home slots of later keys
 * while earlier ones are compared: a table larger than the caches then
 * waits for several misses at once instead of one after another.  Python
 * code may run between batches (an element's __index__), so each answer is
 * the key's membership at some moment of the call; no lookup runs while
 * Python code can change the table.
 *
 * The format (to_bytes, from_bytes), little-endian whatever the machine:
 *
 *     offset  size  field
 *          0     8  magic, the bytes "HashSetQ"
 *          8     4  format version, 1 (a reader refuses a later one)
 *         12     4  flags, 0 (reserved: a reader refuses any other value)
 *         16     8  count, the number of keys
 *         24  8 * count  the keys, each once, in any order
 *
 * Nothing may follow the keys.  The keys start 24 bytes in, so that a
 * buffer aligned for 8-byte words (bytes, an mmap) holds them aligned and
 * HashSet reads them where they are, as from array('Q'). */
#include "modules/hashset.h"
#include "modules/hashset_keys.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "modules/module_support.h"

/* The memoryview contains_many returns has format '?', C's _Bool. */
static_assert(sizeof(bool) == 1, "a '?' item is one byte");

#define FORMAT_MAGIC "HashSetQ"
#define FORMAT_VERSION 1
enum {
    FORMAT_MAGIC_SIZE = sizeof FORMAT_MAGIC - 1,
    FORMAT_VERSION_AT = FORMAT_MAGIC_SIZE,
    FORMAT_FLAGS_AT = FORMAT_VERSION_AT + 4,
    FORMAT_COUNT_AT = FORMAT_FLAGS_AT + 4,
    FORMAT_HEADER_SIZE = FORMAT_COUNT_AT + 8,
};

/* {===================================================================
 * Membership of many keys
 * =================================================================== */

/* A buffer with more than one dimension iterates as rows, which would
 * all be foreign: ValueError instead, as the keys were surely meant. */
static int
reject_multidimensional(PyObject *keys)
{
    Py_buffer view;

    if (!PyObject_CheckBuffer(keys)) {
        return 0;
    }
    if (PyObject_GetBuffer(keys, &view, PyBUF_RECORDS_RO) < 0) {
        /* Not exportable that way: iterated, as any iterable. */
        if (!PyErr_ExceptionMatches(PyExc_BufferError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    int ndim = view.ndim;
    PyBuffer_Release(&view);
    if (ndim > 1) {
        PyErr_Format(PyExc_ValueError,
                     "contains_many() takes a one-dimensional buffer, "
                     "not one of %d dimensions",
                     ndim);
        return -1;
    }
    return 0;
}

/* The answers so far, as a memoryview of format '?' over a bytearray. */
static PyObject *
membership_view(PyObject *mask)
{
    PyObject *bytes_view = PyMemoryView_FromObject(mask);
    if (bytes_view == NULL) {
        return NULL;
    }
    PyObject *view = PyObject_CallMethod(bytes_view, "cast", "s", "?");
    Py_DECREF(bytes_view);
    return view;
}

PyObject *
hashset_contains_many(PyObject *op, PyObject *keys)
{
    HashSetObject *self = (HashSetObject *)op;
    hashset_state *state = hashset_state_of(op);
    PyObject *mask = NULL, *result = NULL;
    key_reader_t reader;
    size_t filled = 0;
    int status;

    if (reject_multidimensional(keys) < 0) {
        return NULL;
    }
    if (key_reader_open(&reader, keys, hashset_table_of(state, keys),
                        COLLECT_MEMBERSHIP) < 0) {
        return NULL;
    }
    mask = PyByteArray_FromStringAndSize(NULL, 0);
    if (mask == NULL) {
        goto done;
    }
    while ((status = key_reader_next(&reader)) > 0) {
        if ((size_t)PY_SSIZE_T_MAX - filled < reader.len) {
            PyErr_NoMemory();
            goto done;
        }
        if (PyByteArray_Resize(mask, (Py_ssize_t)(filled + reader.len)) < 0) {
            goto done;
        }
        bool *found = (bool *)(PyByteArray_AS_STRING(mask) + filled);
        u64set_contains_many(&self->table, reader.keys, reader.len, found);
        for (size_t i = 0; i < reader.foreign.len; i++) {
            found[reader.foreign.keys[i]] = false;
        }
        filled += reader.len;
    }
    if (status == 0) {
        result = membership_view(mask);
    }
done:
    key_reader_close(&reader);
    Py_XDECREF(mask);
    return result;
}

/* }=================================================================== */

/* {===================================================================
 * Export
 * =================================================================== */

/* A bytes object of `header` bytes followed by the keys, in iteration
 * order, little-endian; the header is left for the caller to write. */
static PyObject *
keys_as_bytes(const u64set_t *table, size_t header)
{
    size_t count = u64set_len(table);
    if (count > ((size_t)PY_SSIZE_T_MAX - header) / sizeof(uint64_t)) {
        return PyErr_NoMemory();
    }
    PyObject *bytes = PyBytes_FromStringAndSize(
        NULL, (Py_ssize_t)(header + count * sizeof(uint64_t)));
    if (bytes == NULL) {
        return NULL;
    }
    /* bytes' data is aligned for words, and so the keys after a header
     * of whole words. */
    char *keys = PyBytes_AS_STRING(bytes) + header;
    assert(header % sizeof(uint64_t) == 0);
    u64set_export(table, (uint64_t *)(void *)keys);
#if PY_BIG_ENDIAN
    for (size_t i = 0; i < count; i++) {
        uint64_t key;
        memcpy(&key, keys + i * sizeof key, sizeof key);
        key = __builtin_bswap64(key);
        memcpy(keys + i * sizeof key, &key, sizeof key);
    }
#endif
    return bytes;
}

static void
store_le32(char *at, uint32_t value)
{
    for (int i = 0; i < 4; i++) {
        at[i] = (char)(value >> (8 * i) & 0xff);
    }
}

static void
store_le64(char *at, uint64_t value)
{
    for (int i = 0; i < 8; i++) {
        at[i] = (char)(value >> (8 * i) & 0xff);
    }
}

static uint64_t
load_le(const unsigned char *at, int size)
{
    uint64_t value = 0;
    for (int i = size - 1; i >= 0; i--) {
        value = value << 8 | at[i];
    }
    return value;
}

static PyObject *
hashset_to_bytes_of(HashSetObject *self)
{
    PyObject *bytes = keys_as_bytes(&self->table, FORMAT_HEADER_SIZE);
    if (bytes != NULL) {
        char *header = PyBytes_AS_STRING(bytes);
        memcpy(header, FORMAT_MAGIC, FORMAT_MAGIC_SIZE);
        store_le32(header + FORMAT_VERSION_AT, FORMAT_VERSION);
        store_le32(header + FORMAT_FLAGS_AT, 0);
        store_le64(header + FORMAT_COUNT_AT, u64set_len(&self->table));
    }
    return bytes;
}

PyObject *
hashset_to_bytes(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return hashset_to_bytes_of((HashSetObject *)op);
}

/* array('Q', keys).  array has no C interface: the keys go in through
 * its frombytes, a block at a time from a buffer that stays in the
 * caches, so that they are copied once from there (the array grows by
 * realloc, which moves large blocks by remapping them, not by copying). */
#define EXPORT_BLOCK_KEYS 8192

PyObject *
hashset_to_array(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    const u64set_t *table = &((HashSetObject *)op)->table;
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    PyObject *array_module = NULL, *result = NULL, *frombytes = NULL;
    uint64_t *block = PyMem_Malloc(EXPORT_BLOCK_KEYS * sizeof(uint64_t));
    uint64_t version = u64set_version(table);
    size_t got;

    if (block == NULL) {
        return PyErr_NoMemory();
    }
    array_module = PyImport_ImportModule("array");
    if (array_module == NULL) {
        goto error;
    }
    result = PyObject_CallMethod(array_module, "array", "s", "Q");
    frombytes =
        result == NULL ? NULL : PyObject_GetAttrString(result, "frombytes");
    if (frombytes == NULL) {
        goto error;
    }
    while ((got = u64set_next_many(table, &cursor, block, EXPORT_BLOCK_KEYS)) >
           0) {
        PyObject *memory = PyMemoryView_FromMemory(
            (char *)block, (Py_ssize_t)(got * sizeof(uint64_t)), PyBUF_READ);
        PyObject *done =
            memory == NULL ? NULL : PyObject_CallOneArg(frombytes, memory);
        Py_XDECREF(memory);
        if (done == NULL) {
            goto error;
        }
        Py_DECREF(done);
        /* frombytes runs no Python code, yet a signal handler might. */
        if (u64set_version(table) != version) {
            hashset_changed_during_iteration();
            goto error;
        }
    }
    goto done;
error:
    Py_CLEAR(result);
done:
    Py_XDECREF(frombytes);
    Py_XDECREF(array_module);
    PyMem_Free(block);
    return result;
}

/* }=================================================================== */

/* {===================================================================
 * Import: from_bytes
 * =================================================================== */

/* The number of keys the header of `view` declares, once the header and
 * the payload's length are checked: 0, or -1 with ValueError set. */
static int
check_format(const Py_buffer *view, uint64_t *count)
{
    const unsigned char *data = view->buf;
    size_t length = (size_t)view->len;

    if (length < FORMAT_HEADER_SIZE ||
        memcmp(data, FORMAT_MAGIC, FORMAT_MAGIC_SIZE) != 0) {
        PyErr_SetString(PyExc_ValueError,
                        "from_bytes(): not a HashSet's bytes "
                        "(no \"HashSetQ\" header)");
        return -1;
    }
    uint64_t version = load_le(data + FORMAT_VERSION_AT, 4);
    uint64_t flags = load_le(data + FORMAT_FLAGS_AT, 4);
    if (version != FORMAT_VERSION || flags != 0) {
        PyErr_Format(PyExc_ValueError,
                     "from_bytes(): format version %llu (flags %llu) "
                     "is not one this HashSet reads (version %d)",
                     (unsigned long long)version, (unsigned long long)flags,
                     FORMAT_VERSION);
        return -1;
    }
    *count = load_le(data + FORMAT_COUNT_AT, 8);
    size_t payload = length - FORMAT_HEADER_SIZE;
    if (payload % sizeof(uint64_t) != 0 ||
        payload / sizeof(uint64_t) != *count) {
        PyErr_Format(PyExc_ValueError,
                     "from_bytes(): the header declares %llu keys but %zu "
                     "bytes follow it (%s)",
                     (unsigned long long)*count, payload,
                     payload / sizeof(uint64_t) < *count ? "short payload"
                                                         : "trailing bytes");
        return -1;
    }
    return 0;
}

/* Adds the `count` little-endian keys at `keys` to `built`, read in place
 * as a native array('Q') would be (the batch reader, a memoryview of
 * format 'Q' over them); on a big-endian machine, from a swapped copy. */
static int
add_payload(HashSetObject *built, hashset_state *state,
            const unsigned char *keys, size_t count)
{
    Py_ssize_t shape = (Py_ssize_t)count;
    void *copy = NULL;
    int status = -1;

#if PY_BIG_ENDIAN
    copy = PyMem_RawMalloc(count * sizeof(uint64_t) + 1);
    if (copy == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        uint64_t key = load_le(keys + i * sizeof key, 8);
        memcpy((char *)copy + i * sizeof key, &key, sizeof key);
    }
    keys = copy;
#endif
    Py_buffer view = {
        .buf = (void *)keys,
        .obj = NULL,
        .len = shape * (Py_ssize_t)sizeof(uint64_t),
        .itemsize = sizeof(uint64_t),
        .readonly = 1,
        .ndim = 1,
        .format = "Q",
        .shape = &shape,
        .strides = NULL,
    };
    PyObject *memory = PyMemoryView_FromBuffer(&view);
    if (memory != NULL) {
        status = hashset_update_from(built, state, &memory, 1);
        Py_DECREF(memory);
    }
    PyMem_RawFree(copy);
    return status;
}

/* HashSet.from_bytes(data): every check passes before anything is
 * returned.  A subclass gets cls(the set built), as int.from_bytes
 * gives a subclass. */
PyObject *
hashset_from_bytes(PyObject *cls, PyObject *data)
{
    hashset_state *state = hashset_state_of_type((PyTypeObject *)cls);
    HashSetObject *built = NULL;
    PyObject *result = NULL;
    Py_buffer view;
    uint64_t count;

    if (state == NULL || PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    if (check_format(&view, &count) < 0) {
        goto done;
    }
    built = hashset_alloc(state->hashset_type, state);
    if (built == NULL ||
        add_payload(built, state,
                    (const unsigned char *)view.buf + FORMAT_HEADER_SIZE,
                    (size_t)count) < 0) {
        goto done;
    }
    if (u64set_len(&built->table) != count) {
        /* Or the buffer changed under the read: either way, not a set. */
        PyErr_Format(PyExc_ValueError,
                     "from_bytes(): %llu keys declared, %zu distinct: "
                     "a key is repeated",
                     (unsigned long long)count, u64set_len(&built->table));
        goto done;
    }
    if (cls == (PyObject *)state->hashset_type) {
        result = (PyObject *)built;
        built = NULL;
    } else {
        result = PyObject_CallOneArg(cls, (PyObject *)built);
    }
done:
    Py_XDECREF(built);
    PyBuffer_Release(&view);
    return result;
}

/* }=================================================================== */

/* {===================================================================
 * Pickle
 * =================================================================== */

/* Whether type(self) defines a __reduce__ of its own, which pickle must
 * then call, as object.__reduce_ex__ does for any type. */
static int
reduce_is_overridden(PyObject *self, hashset_state *state)
{
    PyObject *own =
        PyObject_GetAttrString((PyObject *)Py_TYPE(self), "__reduce__");
    PyObject *ours =
        PyObject_GetAttrString((PyObject *)state->hashset_type, "__reduce__");
    int overridden = own == NULL || ours == NULL ? -1 : own != ours;
    Py_XDECREF(own);
    Py_XDECREF(ours);
    return overridden;
}

/* (type(self).from_bytes, (data,)[, state]).  With protocol 5 the data
 * is a PickleBuffer, which a pickler with a buffer_callback hands over out
 * of band, without copying the keys again. */
static PyObject *
reduce_for_protocol(PyObject *self, long protocol)
{
    PyObject *data = hashset_to_bytes_of((HashSetObject *)self);
    PyObject *rebuild = NULL, *arguments = NULL, *result = NULL;

    if (data != NULL && protocol >= 5) {
        Py_SETREF(data, PyPickleBuffer_FromObject(data));
    }
    if (data == NULL) {
        return NULL;
    }
    rebuild = PyObject_GetAttrString((PyObject *)Py_TYPE(self), "from_bytes");
    arguments = PyTuple_Pack(1, data);
    if (rebuild != NULL && arguments != NULL) {
        result = reduce_with_state(self, rebuild, arguments);
    }
    Py_XDECREF(rebuild);
    Py_XDECREF(arguments);
    Py_DECREF(data);
    return result;
}

PyObject *
hashset_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return reduce_for_protocol(op, 2);
}

PyObject *
hashset_reduce_ex(PyObject *op, PyObject *protocol_object)
{
    hashset_state *state = hashset_state_of(op);
    long protocol = PyLong_AsLong(protocol_object);

    if (protocol == -1 && PyErr_Occurred()) {
        return NULL;
    }
    int overridden = reduce_is_overridden(op, state);
    if (overridden < 0) {
        return NULL;
    }
    return overridden ? PyObject_CallMethod(op, "__reduce__", NULL)
                      : reduce_for_protocol(op, protocol);
}

/* }=================================================================== */
