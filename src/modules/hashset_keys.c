/* Turning Python values into the uint64_t keys of hashset.HashSet: the
 * element rule (integers in range(0, 2**64), via __index__), the lookup
 * rule (Python equality, never an error for a foreign value), and bulk
 * collection from iterables, with fast paths that read a HashSet's table
 * or an integer buffer directly instead of creating an int per value. */
#include "modules/hashset_keys.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* An int's value as a key.  PyLong_AsUnsignedLong, not ...LongLong: on
 * 3.11 the latter converts every multi-digit int through a byte array,
 * which made lookups measurably slower than set's; unsigned long is the
 * same 64 bits on every platform pyhost builds for (checked below). */
_Static_assert(sizeof(unsigned long) == sizeof(uint64_t),
               "unsigned long must hold a 64-bit key");
#define int_as_key PyLong_AsUnsignedLong

/* How often bulk loops look for a pending signal (Ctrl-C): often enough to
 * react within milliseconds, rarely enough to cost nothing measurable. */
#define SIGNAL_CHECK_INTERVAL 65536

/* A length hint only pre-sizes the buffer, and a wrong one must not cost
 * memory: past this many keys the buffer grows as values arrive. */
#define LENGTH_HINT_LIMIT ((Py_ssize_t)1 << 20)

void
key_buffer_free(key_buffer_t *buffer)
{
    PyMem_RawFree(buffer->keys);
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
    uint64_t *keys =
        PyMem_RawRealloc(buffer->keys, capacity * sizeof(uint64_t));
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
        value = int_as_key(element);
    } else if (PyIndex_Check(element)) {
        PyObject *integer = PyNumber_Index(element);
        if (integer == NULL) {
            return -1;
        }
        value = int_as_key(integer);
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

/* A lookup that failed inside a foreign value's own method: ordinary
 * errors mean "not equal to any key"; running out of memory or an
 * interrupt must still reach the caller. */
static int
lookup_failed(void)
{
    if (PyErr_ExceptionMatches(PyExc_Exception) &&
        !PyErr_ExceptionMatches(PyExc_MemoryError)) {
        PyErr_Clear();
        return 0;
    }
    return -1;
}

static int
lookup_key_of_int(PyObject *integer, uint64_t *key)
{
    unsigned long value = int_as_key(integer);
    if (value == (unsigned long)-1 && PyErr_Occurred()) {
        return lookup_failed();
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

/* Other numbers (Fraction, Decimal, numpy floats) equal a key when they
 * equal their own integral part. */
static int
lookup_key_of_number(PyObject *value, uint64_t *key)
{
    PyObject *integer = PyNumber_Long(value);
    if (integer == NULL) {
        return lookup_failed();
    }
    int equal = PyObject_RichCompareBool(value, integer, Py_EQ);
    int found = equal > 0   ? lookup_key_of_int(integer, key)
                : equal < 0 ? lookup_failed()
                            : 0;
    Py_DECREF(integer);
    return found;
}

int
key_for_lookup(PyObject *value, uint64_t *key)
{
    if (PyLong_Check(value)) {
        return lookup_key_of_int(value, key);
    }
    if (PyFloat_Check(value)) {
        return lookup_key_of_double(PyFloat_AS_DOUBLE(value), key);
    }
    if (PyComplex_Check(value)) {
        return PyComplex_ImagAsDouble(value) == 0.0
                   ? lookup_key_of_double(PyComplex_RealAsDouble(value), key)
                   : 0;
    }
    if (PyIndex_Check(value)) {
        PyObject *integer = PyNumber_Index(value);
        if (integer == NULL) {
            return lookup_failed();
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

/* The integer item formats a buffer can declare, in native size and
 * alignment ('@' or no prefix); standard-size or byte-swapped formats go
 * through the generic path, which gives the same result more slowly. */
typedef struct {
    char code;
    size_t size;
    bool is_signed;
} integer_format_t;

static const integer_format_t integer_formats[] = {
    {'b', sizeof(signed char), true}, {'B', sizeof(unsigned char), false},
    {'h', sizeof(short), true},       {'H', sizeof(unsigned short), false},
    {'i', sizeof(int), true},         {'I', sizeof(unsigned int), false},
    {'l', sizeof(long), true},        {'L', sizeof(unsigned long), false},
    {'q', sizeof(long long), true},   {'Q', sizeof(unsigned long long), false},
    {'n', sizeof(Py_ssize_t), true},  {'N', sizeof(size_t), false},
};

static const integer_format_t *
integer_format_of(const Py_buffer *view)
{
    const char *format = view->format == NULL ? "B" : view->format;
    if (format[0] == '@') {
        format++;
    }
    if (format[0] == '\0' || format[1] != '\0') {
        return NULL;
    }
    for (size_t i = 0; i < sizeof integer_formats / sizeof *integer_formats;
         i++) {
        const integer_format_t *candidate = &integer_formats[i];
        if (candidate->code == format[0] &&
            candidate->size == (size_t)view->itemsize) {
            return candidate;
        }
    }
    return NULL;
}

/* One item of an integer buffer as a signed or unsigned 64-bit value;
 * memcpy because a buffer's items need not be aligned. */
static void
read_integer_item(const unsigned char *item, const integer_format_t *format,
                  int64_t *as_signed, uint64_t *as_unsigned)
{
    if (format->is_signed) {
        switch (format->size) {
        case 1: {
            int8_t value;
            memcpy(&value, item, 1);
            *as_signed = value;
            break;
        }
        case 2: {
            int16_t value;
            memcpy(&value, item, 2);
            *as_signed = value;
            break;
        }
        case 4: {
            int32_t value;
            memcpy(&value, item, 4);
            *as_signed = value;
            break;
        }
        default:
            memcpy(as_signed, item, 8);
        }
        *as_unsigned = (uint64_t)*as_signed;
    } else {
        uint64_t value = 0;
        switch (format->size) {
        case 1: {
            uint8_t narrow;
            memcpy(&narrow, item, 1);
            value = narrow;
            break;
        }
        case 2: {
            uint16_t narrow;
            memcpy(&narrow, item, 2);
            value = narrow;
            break;
        }
        case 4: {
            uint32_t narrow;
            memcpy(&narrow, item, 4);
            value = narrow;
            break;
        }
        default:
            memcpy(&value, item, 8);
        }
        *as_signed = 0;
        *as_unsigned = value;
    }
}

static int
collect_from_buffer(key_buffer_t *buffer, const Py_buffer *view,
                    const integer_format_t *format, collect_mode_t mode,
                    size_t *skipped)
{
    size_t count = (size_t)(view->len / view->itemsize);
    const unsigned char *item = view->buf;

    if (key_buffer_reserve(buffer, count) < 0) {
        return -1;
    }
    for (size_t i = 0; i < count; i++, item += view->itemsize) {
        int64_t as_signed;
        uint64_t as_unsigned;
        if (check_signals(i) < 0) {
            return -1;
        }
        read_integer_item(item, format, &as_signed, &as_unsigned);
        if (as_signed < 0) {
            if (mode == COLLECT_ELEMENTS) {
                set_out_of_range();
                return -1;
            }
            ++*skipped;
            continue;
        }
        buffer->keys[buffer->len++] = as_unsigned;
    }
    return 0;
}

/* Whether iterating `object` gives what its buffer holds: not so for a
 * Python subclass that overrides __iter__ (the generic path must then be
 * taken, for the same results). */
static bool
iterates_as_its_buffer(PyObject *object)
{
    /* The type that implements the buffer is the oldest ancestor with the
     * same bf_getbuffer (array.array, bytearray, numpy.ndarray...). */
    PyTypeObject *type = Py_TYPE(object);
    PyTypeObject *owner = type;
    getbufferproc getbuffer = type->tp_as_buffer->bf_getbuffer;
    while (owner->tp_base != NULL && owner->tp_base->tp_as_buffer != NULL &&
           owner->tp_base->tp_as_buffer->bf_getbuffer == getbuffer) {
        owner = owner->tp_base;
    }
    return owner->tp_iter == type->tp_iter;
}

/* 1 when `iterable` exported a one-dimensional, contiguous integer buffer
 * and was collected from it, 0 when it must be iterated instead, -1 on an
 * error.  A multi-dimensional array iterates as rows, and a buffer of
 * floats as floats, so those take the generic path to give its result. */
static int
try_collect_from_buffer(key_buffer_t *buffer, PyObject *iterable,
                        collect_mode_t mode, size_t *skipped)
{
    Py_buffer view;

    if (!PyObject_CheckBuffer(iterable) || !iterates_as_its_buffer(iterable)) {
        return 0;
    }
    if (PyObject_GetBuffer(iterable, &view,
                           PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_BufferError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    const integer_format_t *format = integer_format_of(&view);
    int result = 0;
    if (view.ndim == 1 && format != NULL) {
        result = collect_from_buffer(buffer, &view, format, mode, skipped) < 0
                     ? -1
                     : 1;
    }
    PyBuffer_Release(&view);
    return result;
}

int
key_buffer_view(PyObject *object, Py_buffer *view)
{
    if (!PyObject_CheckBuffer(object) || !iterates_as_its_buffer(object)) {
        return 0;
    }
    if (PyObject_GetBuffer(object, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) <
        0) {
        if (!PyErr_ExceptionMatches(PyExc_BufferError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    const integer_format_t *format = integer_format_of(view);
    if (view->ndim == 1 && format != NULL && !format->is_signed &&
        format->size == sizeof(uint64_t) &&
        (uintptr_t)view->buf % _Alignof(uint64_t) == 0) {
        return 1;
    }
    PyBuffer_Release(view);
    return 0;
}

static int
collect_from_table(key_buffer_t *buffer, const u64set_t *table)
{
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;

    if (key_buffer_reserve(buffer, u64set_len(table)) < 0) {
        return -1;
    }
    while (u64set_next(table, &cursor, &key)) {
        buffer->keys[buffer->len++] = key;
    }
    return 0;
}

static int
collect_value(key_buffer_t *buffer, PyObject *value, collect_mode_t mode,
              size_t *skipped)
{
    uint64_t key;

    if (mode == COLLECT_ELEMENTS) {
        if (key_from_element(value, &key) < 0) {
            return -1;
        }
    } else {
        int found = key_for_lookup(value, &key);
        if (found <= 0) {
            *skipped += found == 0;
            return found;
        }
    }
    return key_buffer_append(buffer, key);
}

static int
collect_by_iteration(key_buffer_t *buffer, PyObject *iterable,
                     collect_mode_t mode, size_t *skipped)
{
    PyObject *iterator = PyObject_GetIter(iterable);
    PyObject *value;
    int status = -1;

    if (iterator == NULL) {
        return -1;
    }
    Py_ssize_t hint = PyObject_LengthHint(iterable, 0);
    if (hint > LENGTH_HINT_LIMIT) {
        hint = LENGTH_HINT_LIMIT;
    }
    if (hint < 0 || key_buffer_reserve(buffer, (size_t)hint) < 0) {
        goto done;
    }
    for (size_t done = 1; (value = PyIter_Next(iterator)) != NULL; done++) {
        int collected = collect_value(buffer, value, mode, skipped);
        Py_DECREF(value);
        if (collected < 0 || check_signals(done) < 0) {
            goto done;
        }
    }
    status = PyErr_Occurred() ? -1 : 0;
done:
    Py_DECREF(iterator);
    return status;
}

int
key_buffer_collect(key_buffer_t *buffer, PyObject *iterable,
                   const u64set_t *hashset_table, collect_mode_t mode,
                   size_t *skipped)
{
    if (hashset_table != NULL) {
        return collect_from_table(buffer, hashset_table);
    }
    int from_buffer = try_collect_from_buffer(buffer, iterable, mode, skipped);
    if (from_buffer != 0) {
        return from_buffer < 0 ? -1 : 0;
    }
    return collect_by_iteration(buffer, iterable, mode, skipped);
}
