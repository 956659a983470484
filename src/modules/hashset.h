/* What the files of the hashset module share: its module state and
 * object layouts, and the functions one file gives another.  hashset.c
 * (the type, its methods and the module) and hashset_algebra.c (the set
 * operations, operators and comparisons that fill the type's slots) use
 * each other, as a type and its slots do; they and hashset_keys.c (Python
 * values to keys, whose header the two that convert values include) use
 * hashset_iterator.c (SetIterator and its "changed during iteration"
 * error), which uses none of them; hashset_ints.c makes the ints that
 * pop and the iterator hand out; hashset_memory.c gives the tables their
 * memory.  Internal to the module. */
#ifndef PYHOST_HASHSET_H
#define PYHOST_HASHSET_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>

#include "core/u64set.h"

typedef struct {
    PyTypeObject *hashset_type;
    PyTypeObject *iterator_type;
    PyObject *abc_set; /* collections.abc.Set, for the operators */
    uint64_t secret;   /* the interpreter's hash secret, as a number */
    /* Keys read by the set algebra so far, in all: what the tests count to
     * check that each operation costs what set's does
     * (hashset._keys_visited()). */
    uint64_t keys_visited;
} hashset_state;

/* hashset_ints.c: the ints a set or an iterator made last for its keys,
 * made again in place once nobody else holds them. */
typedef struct {
    PyObject *made[2];
    unsigned next;       /* which of them a new int replaces */
    unsigned plain_left; /* ints to make without looking for a spare */
} key_ints_t;

/* One of the ints that only `ints` refers to now, or NULL. */
static inline PyObject *
key_ints_spare(const key_ints_t *ints)
{
    for (size_t i = 0;
         ints->plain_left == 0 && i < Py_ARRAY_LENGTH(ints->made); i++) {
        PyObject *spare = ints->made[i];
        if (spare != NULL && Py_REFCNT(spare) == 1) {
            return spare;
        }
    }
    return NULL;
}
/* A new reference to an int of value `key`, made in `spare` if that is
 * not NULL (from key_ints_spare); NULL (MemoryError) only when it must
 * allocate. */
PyObject *key_ints_make(key_ints_t *ints, PyObject *spare, uint64_t key);
void key_ints_clear(key_ints_t *ints);

typedef struct {
    PyObject_HEAD
    u64set_t table;
    /* The state of the module whose type made this set: a method finds it
     * with one load, where PyType_GetModuleByDef walks the type's MRO on
     * every call (a fifth of small.isdisjoint(big)).  The type holds the
     * module, and the set its type, so it lives as long as the set. */
    hashset_state *state;
    PyObject *weakreflist;
    key_ints_t pop_ints; /* the ints pop made last */
} HashSetObject;

/* Keys an iterator reads from the table at a time. */
#define ITERATOR_AHEAD_KEYS 16

typedef struct {
    PyObject_HEAD
    HashSetObject *set; /* NULL once exhausted */
    u64set_cursor_t cursor;
    uint64_t version; /* the set's version when iteration began */
    size_t yielded;
    /* Keys read ahead, valid while the version stays: ahead[next, len). */
    uint64_t ahead[ITERATOR_AHEAD_KEYS];
    unsigned ahead_next, ahead_len;
    key_ints_t ints; /* the ints it made last */
} SetIteratorObject;

/* hashset_memory.c: the memory of tables and of their bulk builds. */
extern const u64set_allocator_t hashset_table_allocator;

/* hashset.c */
hashset_state *hashset_state_of_type(PyTypeObject *type);
/* The state of a HashSet's methods and slots, whose self is one. */
static inline hashset_state *
hashset_state_of(PyObject *self)
{
    return ((HashSetObject *)self)->state;
}
/* The table of `object` if it is a HashSet, else NULL.  Inline: every
 * operation asks it of its operands. */
static inline u64set_t *
hashset_table_of(hashset_state *state, PyObject *object)
{
    return PyObject_TypeCheck(object, state->hashset_type)
               ? &((HashSetObject *)object)->table
               : NULL;
}
/* For a binary operator, whose HashSet may be either operand. */
hashset_state *hashset_state_of_operands(PyObject *left, PyObject *right);
HashSetObject *hashset_alloc(PyTypeObject *type, hashset_state *state);
/* An empty table like a HashSet's, for work that must not touch one. */
void hashset_scratch_init(hashset_state *state, u64set_t *table);
HashSetObject *hashset_copy_of(hashset_state *state, HashSetObject *source);

/* hashset_algebra.c.  The in-place operations return 0, or -1 with an
 * exception set and self exactly as it was; the predicates 1, 0 or -1. */
int hashset_update_from(HashSetObject *self, hashset_state *state,
                        PyObject *const *args, Py_ssize_t nargs);
int hashset_intersection_update_from(HashSetObject *self, hashset_state *state,
                                     PyObject *const *args, Py_ssize_t nargs);
int hashset_difference_update_from(HashSetObject *self, hashset_state *state,
                                   PyObject *const *args, Py_ssize_t nargs);
int hashset_symmetric_difference_update_from(HashSetObject *self,
                                             hashset_state *state,
                                             PyObject *iterable);
PyObject *hashset_intersection_of(HashSetObject *self, hashset_state *state,
                                  PyObject *const *args, Py_ssize_t nargs);
PyObject *hashset_difference_of(HashSetObject *self, hashset_state *state,
                                PyObject *const *args, Py_ssize_t nargs);
PyObject *hashset_union_of(HashSetObject *self, hashset_state *state,
                           PyObject *const *args, Py_ssize_t nargs);
PyObject *hashset_symmetric_difference_of(HashSetObject *self,
                                          hashset_state *state,
                                          PyObject *const *args,
                                          Py_ssize_t nargs);
int hashset_issubset_of(HashSetObject *self, hashset_state *state,
                        PyObject *other);
int hashset_issuperset_of(HashSetObject *self, hashset_state *state,
                          PyObject *other);
int hashset_isdisjoint_from(HashSetObject *self, hashset_state *state,
                            PyObject *other);
PyObject *hashset_richcompare(PyObject *op, PyObject *other, int comparison);
PyObject *hashset_or(PyObject *left, PyObject *right);
PyObject *hashset_and(PyObject *left, PyObject *right);
PyObject *hashset_xor(PyObject *left, PyObject *right);
PyObject *hashset_subtract(PyObject *left, PyObject *right);
PyObject *hashset_inplace_or(PyObject *self, PyObject *other);
PyObject *hashset_inplace_and(PyObject *self, PyObject *other);
PyObject *hashset_inplace_xor(PyObject *self, PyObject *other);
PyObject *hashset_inplace_subtract(PyObject *self, PyObject *other);

/* hashset_bulk.c: the methods, for hashset.c's table of them. */
PyObject *hashset_contains_many(PyObject *op, PyObject *keys);
PyObject *hashset_to_array(PyObject *op, PyObject *ignored);
PyObject *hashset_to_bytes(PyObject *op, PyObject *ignored);
PyObject *hashset_from_bytes(PyObject *cls, PyObject *data);
PyObject *hashset_reduce(PyObject *op, PyObject *ignored);
PyObject *hashset_reduce_ex(PyObject *op, PyObject *protocol);

/* hashset_iterator.c */
extern PyType_Spec hashset_iterator_spec;
/* A new SetIterator (of type iterator_type) at the start of `set`. */
PyObject *setiterator_new(PyTypeObject *iterator_type, HashSetObject *set);
/* Raises RuntimeError: HashSet changed during iteration; returns -1. */
int hashset_changed_during_iteration(void);

#endif
