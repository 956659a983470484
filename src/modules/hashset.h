/* What the files of the hashset module share: its module state and
 * object layouts, and the functions one file gives another (hashset.c:
 * the type, its methods and the module; hashset_algebra.c: the set
 * operations, operators and comparisons; hashset_iterator.c: SetIterator;
 * hashset_keys.c: Python values to keys).  Internal to the module. */
#ifndef PYHOST_HASHSET_H
#define PYHOST_HASHSET_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>

#include "core/u64set.h"
#include "modules/hashset_keys.h"

typedef struct {
    PyTypeObject *hashset_type;
    PyTypeObject *iterator_type;
    PyObject *abc_set; /* collections.abc.Set, for the operators */
    uint64_t seed;     /* the interpreter's hash secret, as a number */
    uint64_t tables;   /* tables seeded so far: see hashset_table_seed */
} hashset_state;

typedef struct {
    PyObject_HEAD
    u64set_t table;
    PyObject *weakreflist;
} HashSetObject;

typedef struct {
    PyObject_HEAD
    HashSetObject *set; /* NULL once exhausted */
    u64set_cursor_t cursor;
    uint64_t version; /* the set's version when iteration began */
    size_t yielded;
} SetIteratorObject;

/* hashset.c */
extern const u64set_allocator_t hashset_table_allocator;
hashset_state *hashset_state_of_type(PyTypeObject *type);
/* For a binary operator, whose HashSet may be either operand. */
hashset_state *hashset_state_of_operands(PyObject *left, PyObject *right);
/* The table of `object` if it is a HashSet, else NULL. */
u64set_t *hashset_table_of(hashset_state *state, PyObject *object);
PyObject *hashset_memory_error(void);
HashSetObject *hashset_alloc(PyTypeObject *type, hashset_state *state);
/* A seed of its own for each new table, so that a slice of one set's
 * iteration (keys from one band of its hash) spreads in another set. */
uint64_t hashset_table_seed(hashset_state *state);
HashSetObject *hashset_copy_of(hashset_state *state, HashSetObject *source);

/* hashset_algebra.c: an operation with all the arguments of one call,
 * 0, or -1 with an exception set and `target` exactly as it was. */
typedef int (*set_operation_t)(HashSetObject *target, hashset_state *state,
                               PyObject *const *args, Py_ssize_t nargs);
int hashset_add_elements(HashSetObject *self, hashset_state *state,
                         PyObject *const *args, Py_ssize_t nargs);
int hashset_remove_lookups(HashSetObject *self, hashset_state *state,
                           PyObject *const *args, Py_ssize_t nargs);
int hashset_keep_lookups(HashSetObject *self, hashset_state *state,
                         PyObject *const *args, Py_ssize_t nargs);
int hashset_toggle_elements(HashSetObject *self, hashset_state *state,
                            PyObject *const *args, Py_ssize_t nargs);
int hashset_is_subset_of_iterable(HashSetObject *self, hashset_state *state,
                                  PyObject *iterable);
int hashset_has_all(HashSetObject *self, hashset_state *state,
                    PyObject *iterable);
int hashset_is_disjoint_from(HashSetObject *self, hashset_state *state,
                             PyObject *iterable);
int hashset_changed_during_iteration(void);
PyObject *hashset_richcompare(PyObject *op, PyObject *other, int comparison);
PyObject *hashset_or(PyObject *left, PyObject *right);
PyObject *hashset_and(PyObject *left, PyObject *right);
PyObject *hashset_xor(PyObject *left, PyObject *right);
PyObject *hashset_subtract(PyObject *left, PyObject *right);
PyObject *hashset_inplace_or(PyObject *self, PyObject *other);
PyObject *hashset_inplace_and(PyObject *self, PyObject *other);
PyObject *hashset_inplace_xor(PyObject *self, PyObject *other);
PyObject *hashset_inplace_subtract(PyObject *self, PyObject *other);

/* hashset_iterator.c */
extern PyType_Spec hashset_iterator_spec;
PyObject *hashset_iter(PyObject *op);

#endif
