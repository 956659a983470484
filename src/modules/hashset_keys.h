/* Turning Python values into the uint64_t keys of hashset.HashSet.
 *
 * Two rules, kept here so that every method applies them alike: an element
 * being stored must be an integer in range(0, 2**64) (TypeError,
 * OverflowError otherwise), while a value being looked up maps to the key
 * it equals, or to no key at all: never an error for a foreign value, but
 * the errors of a number's own conversions propagate, as set propagates
 * those of __hash__ and __eq__.
 *
 * Iterables are read a batch of keys at a time (key_reader_t), so that
 * bulk operations use memory in proportion to what they keep, not to
 * their input. */
#ifndef PYHOST_HASHSET_KEYS_H
#define PYHOST_HASHSET_KEYS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stdint.h>

#include "core/u64set.h"

/* A growable array of keys, from the object allocator (pymalloc while
 * small; see key_buffer_free), used with the GIL held only. */
typedef struct {
    uint64_t *keys;
    size_t len;
    size_t capacity;
} key_buffer_t;

#define KEY_BUFFER_INIT                                                       \
    {                                                                         \
        NULL, 0, 0                                                            \
    }

void key_buffer_free(key_buffer_t *buffer);
/* 0, or -1 with MemoryError set. */
int key_buffer_append(key_buffer_t *buffer, uint64_t key);
/* Empties `buffer` and gives it room for `wanted` keys, or for a batch
 * (see key_reader_t) if that is less: 0, or -1 with MemoryError set. */
int key_buffer_window(key_buffer_t *buffer, size_t wanted);

/* The key of an element to store: 0, or -1 with TypeError or
 * OverflowError (or the error of the element's own __index__) set. */
int key_from_element(PyObject *element, uint64_t *key);

/* An int's value read from its digits, as CPython 3.11 lays them out
 * (the version the modules are built against): the common case, an int
 * of up to three 30-bit digits, costs a few instructions instead of a
 * call of PyLong_AsUnsignedLong and its error checks, on every add and
 * every `in` (inline, for the same reason).  1 with *key set, 0 when the int
 * is negative or not below 2**64. */
static inline int
int_key_from_digits(PyObject *integer, uint64_t *key)
{
#if PyLong_SHIFT == 30
    const digit *digits = ((PyLongObject *)integer)->ob_digit;
    switch (Py_SIZE(integer)) {
    case 0:
        *key = 0;
        return 1;
    case 1:
        *key = digits[0];
        return 1;
    case 2:
        *key = digits[0] | (uint64_t)digits[1] << PyLong_SHIFT;
        return 1;
    case 3:
        if (digits[2] >> (64 - 2 * PyLong_SHIFT) != 0) {
            return 0;
        }
        *key = digits[0] | (uint64_t)digits[1] << PyLong_SHIFT |
               (uint64_t)digits[2] << 2 * PyLong_SHIFT;
        return 1;
    default:
        return 0;
    }
#else
    unsigned long long value = PyLong_AsUnsignedLongLong(integer);
    if (value == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_Clear(); /* an int's only error here is its range */
        return 0;
    }
    *key = value;
    return 1;
#endif
}

/* key_for_lookup of a value that is not an int. */
int key_for_lookup_of_other(PyObject *value, uint64_t *key);

/* The key `value` is equal to, by Python's ==: 1 with *key set, 0 when no
 * key equals it (a str, None, -1, 1.5, a NaN), -1 with the exception that
 * the value's own __index__ or numeric conversion raised.  Inline for
 * its commonest case, an int: every `in` takes it. */
static inline int
key_for_lookup(PyObject *value, uint64_t *key)
{
    return PyLong_Check(value) ? int_key_from_digits(value, key)
                               : key_for_lookup_of_other(value, key);
}

/* How a reader treats values that are not valid elements. */
typedef enum {
    COLLECT_ELEMENTS, /* raise TypeError/OverflowError */
    COLLECT_LOOKUPS,  /* skip them, counting them in `skipped` */
    /* keep their place: the key 0 stands in for each, and `foreign`
     * lists where in the batch they stand (contains_many) */
    COLLECT_MEMBERSHIP,
} collect_mode_t;

/* An integer item format of the struct module, as a buffer declares it. */
typedef struct {
    char code;
    size_t size;
    bool is_signed;
    bool swapped; /* its bytes are in the other byte order */
} integer_format_t;

/* Reads the keys of an iterable a batch at a time.  A HashSet's table and
 * the integer buffers of exporters whose iteration gives exactly their
 * integers (array.array, memoryview, bytes, bytearray, numpy.ndarray: any
 * stride, either byte order) are read without creating an int per value;
 * an exact list or tuple is read by index, as its iterator reads it;
 * anything else is iterated.  Each batch is the reader's own copy, so a
 * buffer that another thread or process changes meanwhile yields some mix
 * of old and new values and nothing worse. */
typedef struct {
    collect_mode_t mode;
    const u64set_t *table; /* a HashSet's table, or NULL */
    u64set_cursor_t cursor;
    bool from_buffer; /* view and format are in use */
    Py_buffer view;
    integer_format_t format;
    Py_ssize_t next_item; /* the next index of the buffer or sequence */
    PyObject *sequence;   /* an exact list or tuple, read by index */
    PyObject *iterator;   /* the generic path */
    /* Read as a scan that may stop at any value would: an iterator one
     * value a batch.  A list or tuple (read by index, invisibly) is
     * read ahead by batches doubling from 1 (at most twice what the scan
     * reads), each ending before a value other than an exact int: ints
     * are converted without running Python code, so reading them early
     * shows nothing, and the lookups of a batch overlap. */
    bool one_at_a_time;
    size_t ahead;   /* the next read-ahead batch */
    PyObject *held; /* the value that ended a read-ahead, unread */
    /* Set by a caller that keeps millions of keys anyway (a big table
     * being built): batches of 2 Mi keys then, 16 MiB beside it. */
    bool big_batches;
    uint64_t table_version; /* the table's version when the reader opened */
    size_t remaining; /* values still to come, as far as known (else 0) */
    bool exhausted;   /* known to have no value after the last batch */
    size_t batches;   /* batches read so far */
    size_t read;      /* values read so far */
    size_t read_when_checked; /* `read` at the last check for signals */
    size_t skipped;           /* foreign values skipped (COLLECT_LOOKUPS) */
    key_buffer_t batch;       /* the reader's copy of a batch */
    key_buffer_t foreign;     /* COLLECT_MEMBERSHIP: positions in the batch */
    /* The last batch: the reader's copy, or, for a buffer of native
     * aligned uint64 (array('Q'), a numpy uint64 array), the buffer
     * itself in one batch, never to be written (each key read once). */
    const uint64_t *keys;
    size_t len;
} key_reader_t;

/* 0, or -1 with an exception set (nothing to close).  `table` is the
 * iterable's table when it is a HashSet, else NULL. */
int key_reader_open(key_reader_t *reader, PyObject *iterable,
                    const u64set_t *table, collect_mode_t mode);
/* Fills reader->batch with the next keys: 1, or 0 at the end (an empty
 * batch), or -1 with an exception set.  Checks for signals between
 * batches once 65536 values have been read since the last check. */
int key_reader_next(key_reader_t *reader);
/* Whether the batch just read holds the whole input, in the reader's own
 * copy: a caller may then read its keys twice and change the table it
 * came from, since no value is left to read (a list or tuple of fewer
 * than 2**17 values, anything else of fewer than 2**12, and not a buffer
 * read in place). */
bool key_reader_has_all(const key_reader_t *reader);
void key_reader_close(key_reader_t *reader);

/* Whether `object`'s membership test costs O(1) and its size is known:
 * set, frozenset, dict views (a HashSet is recognised by the caller). */
bool has_fast_membership(PyObject *object);

#endif
