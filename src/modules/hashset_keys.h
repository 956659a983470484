/* Turning Python values into the uint64_t keys of hashset.HashSet.
 *
 * Two rules, kept here so that every method applies them alike: an element
 * being stored must be an integer in range(0, 2**64) (TypeError,
 * OverflowError otherwise), while a value being looked up never raises for
 * being foreign: it maps to the key it equals, or to no key at all. */
#ifndef PYHOST_HASHSET_KEYS_H
#define PYHOST_HASHSET_KEYS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>

#include "core/u64set.h"

/* A growable array of keys, in the raw allocator's memory so that large
 * bulk operations do not go through pymalloc. */
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

/* The key of an element to store: 0, or -1 with TypeError or
 * OverflowError set. */
int key_from_element(PyObject *element, uint64_t *key);

/* The key `value` is equal to, by Python's ==: 1 with *key set, 0 when no
 * key equals it (a str, -1, 1.5, None...), -1 only for errors that must
 * propagate (MemoryError, KeyboardInterrupt and other non-Exception
 * errors raised by the value's own methods). */
int key_for_lookup(PyObject *value, uint64_t *key);

/* How key_buffer_collect treats values that are not valid elements. */
typedef enum {
    COLLECT_ELEMENTS, /* raise TypeError/OverflowError */
    COLLECT_LOOKUPS,  /* skip them, counting them in *skipped */
} collect_mode_t;

/* Appends the keys of every value of `iterable` to `buffer`.  A HashSet
 * (`hashset_table` gives its table, or NULL when `iterable` is none) and
 * objects exporting an integer buffer (array('Q'), memoryview, numpy
 * arrays) are read without creating an int per value; anything else is
 * iterated.  Checks for signals while it works.  Returns 0, or -1 with an
 * exception set (the buffer then holds a partial result for the caller to
 * free). */
int key_buffer_collect(key_buffer_t *buffer, PyObject *iterable,
                       const u64set_t *hashset_table, collect_mode_t mode,
                       size_t *skipped);

/* 1 when `object` exports its values as native, aligned, contiguous
 * uint64_t (array('Q'), a numpy uint64 array): `view` then holds them, for
 * the caller to read in place and release with PyBuffer_Release.  0 when
 * it does not (nothing to release), -1 on an error. */
int key_buffer_view(PyObject *object, Py_buffer *view);

#endif
