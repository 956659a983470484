/* Turning Python values into the uint64_t keys of hashset.HashSet: the
 * element rule (integers in range(0, 2**64), via __index__), the lookup
 * rule (Python equality; never an error for a foreign value, but a
 * number's own errors propagate), and the batch reader of iterables, with
 * fast paths that read a HashSet's table or an integer buffer directly
 * instead of creating an int per value. */
#include "modules/hashset_keys.h"

#include "modules/hashset.h" /* hashset_changed_during_iteration */

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* An int's value as a key.  PyLong_AsUnsignedLong, not ...LongLong: on
 * 3.11 the latter converts every multi-digit int through a byte array,
 * which made lookups measurably slower than set's; unsigned long is the
 * same 64 bits on every platform pyhost builds for (checked below). */
_Static_assert(sizeof(unsigned long) == sizeof(uint64_t),
               "unsigned long must hold a 64-bit key");

/* How often bulk loops look for a pending signal (Ctrl-C): often enough to
 * react within milliseconds, rarely enough to cost nothing measurable. */
#define SIGNAL_CHECK_INTERVAL 65536

/* Keys a reader copies at a time: 1 MiB, the bounded chunk of memory a
 * bulk operation holds beyond what it keeps.  The first batch is smaller,
 * so that a few values cost a small buffer. */
#define FIRST_BATCH_KEYS ((size_t)1 << 12)
#define BATCH_KEYS ((size_t)1 << 17)
#define BIG_BATCH_KEYS ((size_t)1 << 21)
/* A buffer of native keys is handed over in place, in windows of this
 * many keys (about 0.2 s of work), between which Ctrl-C is checked: large,
 * since each window is a pass over the whole table being built. */
#define DIRECT_BATCH_KEYS ((size_t)1 << 24)

/* Buffers come from the object domain (pymalloc up to 64 keys), not the
 * raw one (malloc): they are only ever used with the GIL held, and every
 * short list read pays for one (the batch of a.union(list of 10 ints)). */
void
key_buffer_free(key_buffer_t *buffer)
{
    PyMem_Free(buffer->keys);
    buffer->keys = NULL;
    buffer->len = buffer->capacity = 0;
}

/* Room for `extra` more keys; grows geometrically so that appending one
 * key at a time stays amortised O(1). */
static int
key_buffer_reserve(key_buffer_t *buffer, size_t extra)
{
    if (extra <= buffer->capacity - buffer->len) {
        return 0;
    }
    if (extra > SIZE_MAX / sizeof(uint64_t) - buffer->len) {
        PyErr_NoMemory();
        return -1;
    }
    size_t needed = buffer->len + extra;
    size_t capacity = buffer->capacity < 16 ? 16 : buffer->capacity;
    while (capacity < needed) {
        capacity =
            capacity > SIZE_MAX / sizeof(uint64_t) / 2 ? needed : capacity * 2;
    }
    uint64_t *keys = PyMem_Realloc(buffer->keys, capacity * sizeof(uint64_t));
    if (keys == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    buffer->keys = keys;
    buffer->capacity = capacity;
    return 0;
}

int
key_buffer_append(key_buffer_t *buffer, uint64_t key)
{
    if (buffer->len == buffer->capacity && key_buffer_reserve(buffer, 1)) {
        return -1;
    }
    buffer->keys[buffer->len++] = key;
    return 0;
}

int
key_buffer_window(key_buffer_t *buffer, size_t wanted)
{
    buffer->len = 0;
    return key_buffer_reserve(buffer,
                              wanted < BATCH_KEYS ? wanted : BATCH_KEYS);
}

static void
set_out_of_range(void)
{
    PyErr_SetString(PyExc_OverflowError,
                    "HashSet elements must be in range(0, 2**64)");
}

int
key_from_element(PyObject *element, uint64_t *key)
{
    unsigned long value;

    if (PyLong_Check(element)) {
        if (int_key_from_digits(element, key)) {
            return 0;
        }
        set_out_of_range();
        return -1;
    } else if (PyIndex_Check(element)) {
        PyObject *integer = PyNumber_Index(element);
        if (integer == NULL) {
            return -1;
        }
        value = PyLong_AsUnsignedLong(integer);
        Py_DECREF(integer);
    } else {
        PyErr_Format(PyExc_TypeError,
                     "HashSet elements must be integers, not '%.200s'",
                     Py_TYPE(element)->tp_name);
        return -1;
    }
    if (value == (unsigned long)-1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            set_out_of_range();
        }
        return -1;
    }
    *key = value;
    return 0;
}

/* An int out of range equals no key. */
static int
lookup_key_of_int(PyObject *integer, uint64_t *key)
{
    unsigned long value = PyLong_AsUnsignedLong(integer);
    if (value == (unsigned long)-1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    *key = value;
    return 1;
}

/* 2.0 == 2, so a float that holds an integer in range finds that key.
 * 0x1p64 is 2**64, exactly representable; NaN fails every comparison. */
static int
lookup_key_of_double(double value, uint64_t *key)
{
    if (!(value >= 0.0 && value < 0x1p64 && floor(value) == value)) {
        return 0;
    }
    *key = (uint64_t)value;
    return 1;
}

/* Whether `value` compares `comparison` with `bound` (an int made here):
 * 1, 0, or -1 with the comparison's own error. */
static int
compare_with(PyObject *value, PyObject *bound, int comparison)
{
    return bound == NULL ? -1
                         : PyObject_RichCompareBool(value, bound, comparison);
}

/* Whether a number lies in [0, 2**64), without converting it: a Decimal
 * of a million digits converts to an int in 40 s, and compares with one
 * at once.  -1 with the number's own error. */
static int
number_in_key_range(PyObject *value)
{
    PyObject *zero = PyLong_FromLong(0);
    PyObject *top = PyLong_FromUnsignedLongLong(UINT64_MAX);
    int in_range = compare_with(value, zero, Py_GE);
    if (in_range > 0) {
        in_range = compare_with(value, top, Py_LE);
    }
    Py_XDECREF(zero);
    Py_XDECREF(top);
    return in_range;
}

/* Other numbers (Fraction, Decimal, numpy floats) equal a key when they
 * equal their own integral part.  A NaN (unequal to itself) equals no
 * key, nor does a number out of range or with no integral part (an
 * infinity; ValueError, OverflowError or TypeError from int()); any other
 * error of its comparisons or conversion is the number's own and
 * propagates. */
static int
lookup_key_of_number(PyObject *value, uint64_t *key)
{
    /* Not RichCompareBool, which takes an object as equal to itself. */
    PyObject *itself = PyObject_RichCompare(value, value, Py_EQ);
    int is_number = itself == NULL ? -1 : PyObject_IsTrue(itself);
    Py_XDECREF(itself);
    if (is_number <= 0) {
        return is_number;
    }
    int in_range = number_in_key_range(value);
    if (in_range <= 0) {
        return in_range;
    }
    PyObject *integer = PyNumber_Long(value);
    if (integer == NULL) {
        if (PyErr_ExceptionMatches(PyExc_ValueError) ||
            PyErr_ExceptionMatches(PyExc_OverflowError) ||
            PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    int equal = PyObject_RichCompareBool(value, integer, Py_EQ);
    int found = equal > 0 ? lookup_key_of_int(integer, key) : equal;
    Py_DECREF(integer);
    return found;
}

int
key_for_lookup_of_other(PyObject *value, uint64_t *key)
{
    if (PyFloat_Check(value)) {
        return lookup_key_of_double(PyFloat_AS_DOUBLE(value), key);
    }
    if (PyComplex_Check(value)) {
        return PyComplex_ImagAsDouble(value) == 0.0
                   ? lookup_key_of_double(PyComplex_RealAsDouble(value), key)
                   : 0;
    }
    if (PyIndex_Check(value)) {
        /* An object that says it is an integer: its __index__ is to a
         * HashSet what __hash__ is to a set, and its errors propagate. */
        PyObject *integer = PyNumber_Index(value);
        if (integer == NULL) {
            return -1;
        }
        int found = lookup_key_of_int(integer, key);
        Py_DECREF(integer);
        return found;
    }
    if (PyNumber_Check(value)) {
        return lookup_key_of_number(value, key);
    }
    return 0;
}

static int
check_signals(size_t done)
{
    return done % SIGNAL_CHECK_INTERVAL == 0 ? PyErr_CheckSignals() : 0;
}

/* {===================================================================
 * Integer buffers
 * =================================================================== */

static const char integer_codes[] = "bBhHiIlLqQnN";
/* Native sizes ('@' or no prefix), then the standard sizes of '<', '>',
 * '=' and '!' (no 'n', 'N' there), in the order of integer_codes. */
static const size_t native_sizes[] = {
    sizeof(signed char), sizeof(unsigned char),
    sizeof(short),       sizeof(unsigned short),
    sizeof(int),         sizeof(unsigned int),
    sizeof(long),        sizeof(unsigned long),
    sizeof(long long),   sizeof(unsigned long long),
    sizeof(Py_ssize_t),  sizeof(size_t)};
static const size_t standard_sizes[] = {1, 1, 2, 2, 4, 4, 4, 4, 8, 8, 0, 0};

static bool
native_is_little_endian(void)
{
    const uint16_t probe = 1;
    unsigned char first;
    memcpy(&first, &probe, 1);
    return first == 1;
}

/* The format of a buffer of single integers, or false for anything else
 * (floats, structs, 'c', '?'), which the generic path then iterates. */
static bool
integer_format_of(const Py_buffer *view, integer_format_t *format)
{
    const char *text = view->format == NULL ? "B" : view->format;
    bool standard = false, little = native_is_little_endian();

    switch (text[0]) {
    case '@':
        text++;
        break;
    case '=':
        standard = true;
        text++;
        break;
    case '<':
        standard = true;
        little = true;
        text++;
        break;
    case '>':
    case '!':
        standard = true;
        little = false;
        text++;
        break;
    default:
        break;
    }
    const char *code = text[0] == '\0' || text[1] != '\0'
                           ? NULL
                           : strchr(integer_codes, text[0]);
    if (code == NULL) {
        return false;
    }
    size_t index = (size_t)(code - integer_codes);
    format->code = *code;
    format->size = standard ? standard_sizes[index] : native_sizes[index];
    format->is_signed = index % 2 == 0;
    format->swapped = little != native_is_little_endian();
    return format->size != 0 && format->size <= sizeof(uint64_t) &&
           format->size == (size_t)view->itemsize;
}

/* One item as a signed or unsigned 64-bit value; memcpy because a
 * buffer's items need not be aligned, and because the buffer may be
 * written by someone else meanwhile: each item is read exactly once. */
static void
read_integer_item(const unsigned char *item, const integer_format_t *format,
                  int64_t *as_signed, uint64_t *as_unsigned)
{
    unsigned char bytes[sizeof(uint64_t)];
    uint64_t value = 0;

    memcpy(bytes, item, format->size);
    /* Assemble in the buffer's byte order; shifts are order-free. */
    bool little = native_is_little_endian() != format->swapped;
    for (size_t i = 0; i < format->size; i++) {
        size_t from = little ? format->size - 1 - i : i;
        value = value << 8 | bytes[from];
    }
    if (format->is_signed && format->size < sizeof(uint64_t) &&
        (value >> (8 * format->size - 1)) != 0) {
        value |= ~UINT64_C(0) << (8 * format->size); /* sign extension */
    }
    *as_unsigned = value;
    *as_signed = format->is_signed ? (int64_t)value : 0;
}

/* The types whose iteration gives exactly the integers of their buffer.
 * Others with an integer buffer iterate as something else (mmap: bytes
 * of length 1) or not at all (pickle.PickleBuffer), and go through the
 * generic path, which then gives set's result. */
static const char *const buffer_owners[] = {
    "array.array", "memoryview", "bytes", "bytearray", "numpy.ndarray",
};

/* The type that implements `object`'s buffer, when iterating `object`
 * gives that buffer's integers (else NULL): its type, or the type whose
 * buffer it inherits (the oldest ancestor with the same bf_getbuffer), is
 * one of buffer_owners, and a subclass overrides none of the slots
 * iteration goes through (__iter__, __getitem__). */
static PyTypeObject *
buffer_owner_iterated(PyObject *object)
{
    PyTypeObject *type = Py_TYPE(object);
    PyTypeObject *owner = type;
    getbufferproc getbuffer = type->tp_as_buffer->bf_getbuffer;
    while (owner->tp_base != NULL && owner->tp_base->tp_as_buffer != NULL &&
           owner->tp_base->tp_as_buffer->bf_getbuffer == getbuffer) {
        owner = owner->tp_base;
    }
    bool known = false;
    for (size_t i = 0; i < sizeof buffer_owners / sizeof *buffer_owners; i++) {
        known = known || strcmp(owner->tp_name, buffer_owners[i]) == 0;
    }
    if (!known || owner->tp_iter != type->tp_iter) {
        return NULL;
    }
    bool same_item =
        (owner->tp_as_sequence == NULL) == (type->tp_as_sequence == NULL) &&
        (owner->tp_as_sequence == NULL ||
         owner->tp_as_sequence->sq_item == type->tp_as_sequence->sq_item);
    bool same_subscript =
        (owner->tp_as_mapping == NULL) == (type->tp_as_mapping == NULL) &&
        (owner->tp_as_mapping == NULL ||
         owner->tp_as_mapping->mp_subscript ==
             type->tp_as_mapping->mp_subscript);
    return same_item && same_subscript ? owner : NULL;
}

/* 1 when `object` exports a one-dimensional integer buffer (any strides)
 * that the reader may read in place, 0 when it must be iterated, -1 on
 * an error.  A multi-dimensional array iterates as rows, a buffer of
 * floats as floats: those take the generic path to give its result. */
static int
open_buffer(key_reader_t *reader, PyObject *object)
{
    PyTypeObject *owner =
        PyObject_CheckBuffer(object) ? buffer_owner_iterated(object) : NULL;
    if (owner == NULL) {
        return 0;
    }
    if (PyObject_GetBuffer(object, &reader->view, PyBUF_RECORDS_RO) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_BufferError) &&
            !PyErr_ExceptionMatches(PyExc_ValueError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    /* A memoryview iterates only native formats ('@' or none): of '<Q'
     * and the like it raises NotImplementedError, and so must HashSet. */
    bool iterable_format = owner != &PyMemoryView_Type ||
                           reader->view.format == NULL ||
                           strchr("<>=!", reader->view.format[0]) == NULL;
    if (reader->view.ndim == 1 && iterable_format &&
        integer_format_of(&reader->view, &reader->format)) {
        return 1;
    }
    PyBuffer_Release(&reader->view);
    return 0;
}

/* }=================================================================== */

/* {===================================================================
 * The batch reader
 * =================================================================== */

bool
has_fast_membership(PyObject *object)
{
    return PyAnySet_Check(object) || PyDictViewSet_Check(object);
}

int
key_reader_open(key_reader_t *reader, PyObject *iterable,
                const u64set_t *table, collect_mode_t mode)
{
    memset(reader, 0, sizeof *reader);
    reader->mode = mode;
    reader->table = table;
    if (table != NULL) {
        reader->remaining = u64set_len(table);
        reader->table_version = u64set_version(table);
        return 0;
    }
    reader->ahead = 1;
    if (PyList_CheckExact(iterable) || PyTuple_CheckExact(iterable)) {
        /* Read by index, as their iterators read them: no iterator to
         * make, no call a value (HashSet(list of 10) took 1.6 times
         * set's time). */
        reader->sequence = Py_NewRef(iterable);
        reader->remaining = (size_t)PySequence_Fast_GET_SIZE(iterable);
        return 0;
    }
    int viewed = open_buffer(reader, iterable);
    if (viewed != 0) {
        reader->from_buffer = viewed > 0;
        reader->remaining = viewed > 0 ? (size_t)reader->view.shape[0] : 0;
        return viewed > 0 ? 0 : -1;
    }
    reader->iterator = PyObject_GetIter(iterable);
    if (reader->iterator == NULL) {
        return -1;
    }
    /* How many values are coming, to size what they build: a guess, for
     * the iterable may change as it is read. */
    Py_ssize_t hint = PyObject_LengthHint(iterable, 0);
    if (hint < 0) {
        Py_CLEAR(reader->iterator);
        return -1;
    }
    reader->remaining = (size_t)hint;
    return 0;
}

void
key_reader_close(key_reader_t *reader)
{
    if (reader->from_buffer) {
        PyBuffer_Release(&reader->view);
        reader->from_buffer = false;
    }
    Py_CLEAR(reader->held);
    Py_CLEAR(reader->sequence);
    Py_CLEAR(reader->iterator);
    key_buffer_free(&reader->batch);
    key_buffer_free(&reader->foreign);
}

/* The size of the next batch: small at first, then large. */
static size_t
batch_limit(const key_reader_t *reader)
{
    if (reader->read == 0) {
        /* A list or tuple's length is its count of values: one more, and
         * the first batch shows it is the last (unless the list grew
         * while read: then it is read on, batch by batch). */
        return reader->sequence != NULL && !reader->one_at_a_time &&
                       reader->remaining < BATCH_KEYS
                   ? reader->remaining + 1
                   : FIRST_BATCH_KEYS;
    }
    /* Millions still to come, into a table of millions: batches large
     * enough to fill it region by region (16 MiB, small beside it). */
    return reader->big_batches && reader->remaining >= BIG_BATCH_KEYS
               ? BIG_BATCH_KEYS
               : BATCH_KEYS;
}

static void
count_read(key_reader_t *reader, size_t values)
{
    reader->read += values;
    reader->remaining =
        reader->remaining > values ? reader->remaining - values : 0;
}

/* Between batches Python code may run (a signal handler) and change the
 * table: its cursor would then skip or repeat keys. */
static int
read_table_batch(key_reader_t *reader, size_t limit)
{
    key_buffer_t *batch = &reader->batch;
    if (u64set_version(reader->table) != reader->table_version) {
        return hashset_changed_during_iteration();
    }
    if (key_buffer_reserve(batch, limit) < 0) {
        return -1;
    }
    batch->len =
        u64set_next_many(reader->table, &reader->cursor, batch->keys, limit);
    reader->exhausted = batch->len < limit;
    count_read(reader, batch->len);
    return 0;
}

/* COLLECT_MEMBERSHIP: a foreign value keeps its place in the batch. */
static int
keep_place_of_foreign(key_reader_t *reader)
{
    if (key_buffer_append(&reader->foreign, reader->batch.len) < 0) {
        return -1;
    }
    return key_buffer_append(&reader->batch, 0);
}

static int
read_buffer_batch(key_reader_t *reader, size_t limit)
{
    key_buffer_t *batch = &reader->batch;
    const Py_buffer *view = &reader->view;
    Py_ssize_t end = view->shape[0];
    Py_ssize_t stride =
        view->strides != NULL ? view->strides[0] : view->itemsize;
    size_t taken = 0;

    if ((size_t)(end - reader->next_item) < limit) {
        limit = (size_t)(end - reader->next_item);
    }
    if (key_buffer_reserve(batch, limit) < 0) {
        return -1;
    }
    for (; taken < limit; taken++, reader->next_item++) {
        const unsigned char *item =
            (const unsigned char *)view->buf + reader->next_item * stride;
        int64_t as_signed;
        uint64_t as_unsigned;
        read_integer_item(item, &reader->format, &as_signed, &as_unsigned);
        if (as_signed < 0) {
            if (reader->mode == COLLECT_ELEMENTS) {
                set_out_of_range();
                return -1;
            }
            if (reader->mode == COLLECT_MEMBERSHIP) {
                if (keep_place_of_foreign(reader) < 0) {
                    return -1;
                }
                continue;
            }
            reader->skipped++;
            continue;
        }
        batch->keys[batch->len++] = as_unsigned;
    }
    reader->exhausted = reader->next_item == end;
    count_read(reader, taken);
    return 0;
}

/* One value of the generic path into the batch (or skipped). */
static int
read_value(key_reader_t *reader, PyObject *value)
{
    uint64_t key;

    if (reader->mode == COLLECT_ELEMENTS) {
        if (key_from_element(value, &key) < 0) {
            return -1;
        }
    } else {
        int found = key_for_lookup(value, &key);
        if (found == 0 && reader->mode == COLLECT_MEMBERSHIP) {
            return keep_place_of_foreign(reader);
        }
        if (found <= 0) {
            reader->skipped += found == 0;
            return found;
        }
    }
    return key_buffer_append(&reader->batch, key);
}

/* The next value of a list or tuple, or of the iterator: a new
 * reference, or NULL at the end (and on an error, set).  A list may
 * change while its values are converted; like its iterator, the reader
 * reads whatever is at the next index, and once it has seen the end it
 * reads no more. */
static PyObject *
next_value(key_reader_t *reader)
{
    if (reader->iterator != NULL) {
        return PyIter_Next(reader->iterator);
    }
    if (reader->sequence != NULL &&
        reader->next_item < PySequence_Fast_GET_SIZE(reader->sequence)) {
        return Py_NewRef(
            PySequence_Fast_GET_ITEM(reader->sequence, reader->next_item++));
    }
    Py_CLEAR(reader->sequence);
    return NULL;
}

static int
read_iterator_batch(key_reader_t *reader, size_t limit)
{
    PyObject *value;
    size_t taken = 0;

    bool ahead = reader->one_at_a_time && reader->sequence != NULL;

    if (reader->one_at_a_time) {
        limit = !ahead ? 1 : reader->ahead < limit ? reader->ahead : limit;
        /* Up to a batch, never further: doubled on, it wrapped to 0 after
         * 64 batches, and an empty batch read as the end of the values. */
        reader->ahead = limit * 2;
    }
    /* A list or tuple's values are there: room for them at once. */
    if (reader->sequence != NULL &&
        key_buffer_reserve(&reader->batch, limit) < 0) {
        return -1;
    }
    while (taken < limit) {
        value = reader->held != NULL ? reader->held : next_value(reader);
        reader->held = NULL;
        if (value == NULL) {
            reader->exhausted = !PyErr_Occurred();
            break;
        }
        if (ahead && taken > 0 && !PyLong_CheckExact(value)) {
            reader->held = value; /* its conversion may run Python code */
            break;
        }
        int status = read_value(reader, value);
        Py_DECREF(value);
        if (status < 0 || check_signals(++taken) < 0) {
            return -1;
        }
    }
    count_read(reader, taken);
    return PyErr_Occurred() ? -1 : 0;
}

/* Whether the buffer holds native uint64 keys in place, one after the
 * other and aligned: then the whole of it is one batch, read where it
 * is. */
static bool
is_native_key_array(const key_reader_t *reader)
{
    const Py_buffer *view = &reader->view;
    return reader->from_buffer && !reader->format.is_signed &&
           !reader->format.swapped &&
           reader->format.size == sizeof(uint64_t) &&
           (view->strides == NULL || view->strides[0] == view->itemsize) &&
           (uintptr_t)view->buf % _Alignof(uint64_t) == 0;
}

int
key_reader_next(key_reader_t *reader)
{
    size_t limit = batch_limit(reader);
    size_t read_before = reader->read;
    int status;

    reader->batch.len = 0;
    reader->foreign.len = 0;
    reader->keys = NULL;
    reader->len = 0;
    /* Not at every batch: a scan of a short list reads batches of 1, 2,
     * 4, ... values, and a check each was a tenth of a.issuperset(list
     * of 10 ints). */
    if (reader->read - reader->read_when_checked >= SIGNAL_CHECK_INTERVAL) {
        reader->read_when_checked = reader->read;
        if (PyErr_CheckSignals() < 0) {
            return -1;
        }
    }
    if (is_native_key_array(reader)) {
        Py_ssize_t left = reader->view.shape[0] - reader->next_item;
        if ((size_t)left > DIRECT_BATCH_KEYS) {
            left = (Py_ssize_t)DIRECT_BATCH_KEYS;
        }
        reader->keys = (const uint64_t *)reader->view.buf + reader->next_item;
        reader->len = (size_t)left;
        reader->next_item += left;
        reader->exhausted = reader->next_item == reader->view.shape[0];
        reader->batches += left > 0;
        count_read(reader, (size_t)left);
        return left > 0 ? 1 : 0;
    }
    if (reader->table != NULL) {
        status = read_table_batch(reader, limit);
    } else if (reader->from_buffer) {
        status = read_buffer_batch(reader, limit);
    } else {
        status = read_iterator_batch(reader, limit);
    }
    if (status < 0) {
        return -1;
    }
    reader->keys = reader->batch.keys;
    reader->len = reader->batch.len;
    /* A batch may be empty (every value foreign) without being the end. */
    if (reader->read == read_before) {
        return 0;
    }
    reader->batches++;
    return 1;
}

bool
key_reader_has_all(const key_reader_t *reader)
{
    return reader->batches == 1 && reader->exhausted &&
           reader->keys == reader->batch.keys;
}

/* }=================================================================== */
