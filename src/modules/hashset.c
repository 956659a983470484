/* The hashset module: HashSet, a mutable set of integers in
 * range(0, 2**64) kept natively in a u64set (src/core), and SetIterator,
 * which walks that live table in place.
 *
 * The tutorial this grows from iterated by copying the whole set.  Here an
 * iterator holds its set, a cursor into the table and the table's version
 * when it started; any structural change moves the version, so the next
 * step raises RuntimeError instead of producing a repeated, skipped or
 * invented key (deletion in the table can move keys across the cursor,
 * which a size check alone would miss).  Every method that calls back into
 * Python code while walking its own table checks the version the same way.
 *
 * Mutations are all or nothing: keys are converted and collected first,
 * and the table is changed only once nothing can fail any more.
 *
 * This file holds the HashSet type, its methods and the module; the set
 * operations are in hashset_algebra.c, the iterator in hashset_iterator.c
 * (see hashset.h). */
#include "modules/hashset.h"
#include "modules/hashset_keys.h"

#include <structmember.h> /* T_PYSSIZET, READONLY */

#include <stdio.h>

#include "modules/module_support.h"
#include "modules/modules.h"

static struct PyModuleDef hashset_module;

hashset_state *
hashset_state_of_type(PyTypeObject *type)
{
    PyObject *module = PyType_GetModuleByDef(type, &hashset_module);
    return module == NULL ? NULL : PyModule_GetState(module);
}

static void hashset_dealloc(PyObject *op);

/* The state for a binary operator, whose HashSet may be either operand.
 * An operand whose type frees it with hashset_dealloc is a HashSet
 * itself (a subclass made in Python frees with subtype_dealloc): its
 * state is at hand, as for a method. */
hashset_state *
hashset_state_of_operands(PyObject *left, PyObject *right)
{
    if (Py_TYPE(left)->tp_dealloc == hashset_dealloc) {
        return hashset_state_of(left);
    }
    if (Py_TYPE(right)->tp_dealloc == hashset_dealloc) {
        return hashset_state_of(right);
    }
    hashset_state *state = hashset_state_of_type(Py_TYPE(left));
    if (state == NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        state = hashset_state_of_type(Py_TYPE(right));
    }
    return state;
}

/* The core draws a seed of its own for every table from the secret (see
 * u64set_init), so tables never hash alike, yet a numeric PYTHONHASHSEED
 * reproduces every order. */
void
hashset_scratch_init(hashset_state *state, u64set_t *table)
{
    u64set_init(table, state->secret, &hashset_table_allocator);
}

HashSetObject *
hashset_alloc(PyTypeObject *type, hashset_state *state)
{
    HashSetObject *self = (HashSetObject *)type->tp_alloc(type, 0);
    if (self != NULL) {
        hashset_scratch_init(state, &self->table);
        self->state = state;
        self->weakreflist = NULL;
    }
    return self;
}

HashSetObject *
hashset_copy_of(hashset_state *state, HashSetObject *source)
{
    HashSetObject *copy = hashset_alloc(state->hashset_type, state);
    state->keys_visited += u64set_len(&source->table);
    if (copy != NULL &&
        u64set_copy(&copy->table, &source->table) != U64SET_OK) {
        Py_DECREF(copy);
        return (HashSetObject *)PyErr_NoMemory();
    }
    return copy;
}

/* ---- Object protocol ---- */

static PyObject *
hashset_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    (void)args;
    (void)kwargs;
    hashset_state *state = hashset_state_of_type(type);
    return state == NULL ? NULL : (PyObject *)hashset_alloc(type, state);
}

/* HashSet() and HashSet(iterable), called on HashSet itself, as set's own
 * vectorcall does: without the argument tuple and keyword parsing of
 * __new__ and __init__ (HashSet() cost 1.4 times set()).  A keyword or a
 * second argument goes the general way, whose error messages are the
 * type's.  Subclasses do not inherit it (tp_vectorcall never is), so
 * their own __new__ and __init__ run. */
static PyObject *
hashset_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf,
                   PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);

    if (nargs > 1 || (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0)) {
        return call_type_generally(type, args, nargs, kwnames);
    }
    hashset_state *state = PyType_GetModuleState((PyTypeObject *)type);
    if (state == NULL) {
        return NULL;
    }
    HashSetObject *self = hashset_alloc((PyTypeObject *)type, state);
    if (self != NULL && nargs == 1 &&
        hashset_update_from(self, state, args, 1) < 0) {
        Py_CLEAR(self);
    }
    return (PyObject *)self;
}

/* HashSet(iterable=()).  Calling __init__ again replaces the contents, as
 * set.__init__ does, but only once the new contents are complete. */
static int
hashset_init(PyObject *op, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"iterable", NULL};
    HashSetObject *self = (HashSetObject *)op;
    PyObject *iterable = NULL;
    HashSetObject *fresh = NULL;
    int status = -1;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:HashSet", keywords,
                                     &iterable)) {
        return -1;
    }
    hashset_state *state = hashset_state_of(op);
    if (iterable == NULL) {
        u64set_clear(&self->table);
        return 0;
    }
    if (u64set_len(&self->table) == 0) {
        return hashset_update_from(self, state, &iterable, 1);
    }
    fresh = hashset_alloc(state->hashset_type, state);
    if (fresh == NULL || hashset_update_from(fresh, state, &iterable, 1) < 0) {
        goto done;
    }
    u64set_move(&self->table, &fresh->table);
    status = 0;
done:
    Py_XDECREF(fresh);
    return status;
}

static void
hashset_dealloc(PyObject *op)
{
    HashSetObject *self = (HashSetObject *)op;
    PyTypeObject *type = Py_TYPE(op);

    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs(op);
    }
    u64set_destroy(&self->table);
    key_ints_clear(&self->pop_ints);
    type->tp_free(op);
    Py_DECREF(type);
}

/* The largest key, 18446744073709551615, has 20 digits; ", " follows it. */
#define REPR_CHARS_PER_KEY 22

/* HashSet({1, 2, 3}), or HashSet() when empty, under the instance's own
 * class name as set's repr does. */
static PyObject *
hashset_repr(PyObject *op)
{
    HashSetObject *self = (HashSetObject *)op;
    size_t count = u64set_len(&self->table);
    PyObject *name = PyType_GetName(Py_TYPE(op));
    PyObject *result = NULL;
    char *text = NULL;

    if (name == NULL) {
        return NULL;
    }
    if (count == 0) {
        result = PyUnicode_FromFormat("%U()", name);
        goto done;
    }
    if (count > (PY_SSIZE_T_MAX - 3) / REPR_CHARS_PER_KEY) {
        PyErr_NoMemory();
        goto done;
    }
    size_t size = count * REPR_CHARS_PER_KEY + 3;
    text = PyMem_Malloc(size);
    if (text == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;
    size_t used = 0;
    text[used++] = '{';
    while (u64set_next(&self->table, &cursor, &key)) {
        used +=
            (size_t)snprintf(text + used, size - used, "%s%llu",
                             used > 1 ? ", " : "", (unsigned long long)key);
    }
    text[used++] = '}';
    PyObject *body = PyUnicode_FromStringAndSize(text, (Py_ssize_t)used);
    if (body != NULL) {
        result = PyUnicode_FromFormat("%U(%U)", name, body);
        Py_DECREF(body);
    }
done:
    PyMem_Free(text);
    Py_DECREF(name);
    return result;
}

static Py_ssize_t
hashset_sq_length(PyObject *op)
{
    return (Py_ssize_t)u64set_len(&((HashSetObject *)op)->table);
}

/* `value in s`: False for anything that cannot be a member; errors only
 * when the value's own methods fail badly (see key_for_lookup). */
static int
hashset_sq_contains(PyObject *op, PyObject *value)
{
    uint64_t key;
    int found = key_for_lookup(value, &key);
    return found <= 0 ? found
                      : u64set_contains(&((HashSetObject *)op)->table, key);
}

/* ---- Methods: the tutorial's API and the mutations ---- */

static PyObject *
hashset_insert(PyObject *op, PyObject *value)
{
    uint64_t key;

    if (key_from_element(value, &key) < 0) {
        return NULL;
    }
    if (u64set_insert(&((HashSetObject *)op)->table, key) == U64SET_NOMEM) {
        return PyErr_NoMemory();
    }
    Py_RETURN_NONE;
}

static PyObject *
hashset_contains_method(PyObject *op, PyObject *value)
{
    int found = hashset_sq_contains(op, value);
    return found < 0 ? NULL : PyBool_FromLong(found);
}

static PyObject *
hashset_len_method(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSize_t(u64set_len(&((HashSetObject *)op)->table));
}

static PyObject *
hashset_iter(PyObject *op)
{
    return setiterator_new(hashset_state_of(op)->iterator_type,
                           (HashSetObject *)op);
}

static PyObject *
hashset_iter_method(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return hashset_iter(op);
}

/* 1 when `value` was a member and is removed, 0 when it was not one. */
static int
hashset_discard_value(PyObject *op, PyObject *value)
{
    uint64_t key;
    int found = key_for_lookup(value, &key);
    if (found <= 0) {
        return found;
    }
    return u64set_remove(&((HashSetObject *)op)->table, key) == U64SET_OK;
}

static PyObject *
hashset_discard(PyObject *op, PyObject *value)
{
    return hashset_discard_value(op, value) < 0 ? NULL : Py_NewRef(Py_None);
}

static PyObject *
hashset_remove(PyObject *op, PyObject *value)
{
    int removed = hashset_discard_value(op, value);
    if (removed < 0) {
        return NULL;
    }
    if (removed == 0) {
        /* Wrapped in a tuple so that a tuple value stays one argument. */
        PyObject *arguments = PyTuple_Pack(1, value);
        if (arguments != NULL) {
            PyErr_SetObject(PyExc_KeyError, arguments);
            Py_DECREF(arguments);
        }
        return NULL;
    }
    Py_RETURN_NONE;
}

/* With an int to reuse, nothing can fail once the set is known not to be
 * empty, so the key leaves the table in one step.  Otherwise the int is
 * made before the key leaves: if that fails (MemoryError), the set still
 * has every key. */
static PyObject *
hashset_pop(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    HashSetObject *self = (HashSetObject *)op;
    PyObject *spare = key_ints_spare(&self->pop_ints);
    uint64_t key;

    if (spare != NULL) {
        if (u64set_pop(&self->table, &key) == U64SET_OK) {
            return key_ints_make(&self->pop_ints, spare, key);
        }
    } else if (u64set_pick(&self->table, &key)) {
        PyObject *result = key_ints_make(&self->pop_ints, NULL, key);
        if (result != NULL) {
            u64set_remove_picked(&self->table, key);
        }
        return result;
    }
    PyErr_SetString(PyExc_KeyError, "pop from an empty HashSet");
    return NULL;
}

static PyObject *
hashset_clear(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    u64set_clear(&((HashSetObject *)op)->table);
    Py_RETURN_NONE;
}

static PyObject *
hashset_copy(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return (PyObject *)hashset_copy_of(hashset_state_of(op),
                                       (HashSetObject *)op);
}

/* The methods that take iterables.  Each is named for its method (grep
 * finds it) and hands its arguments, with the module state, to the
 * operation of hashset_algebra.c through one of these three callers. */

typedef int (*in_place_operation_t)(HashSetObject *self, hashset_state *state,
                                    PyObject *const *args, Py_ssize_t nargs);
typedef PyObject *(*new_set_operation_t)(HashSetObject *self,
                                         hashset_state *state,
                                         PyObject *const *args,
                                         Py_ssize_t nargs);
typedef int (*predicate_t)(HashSetObject *self, hashset_state *state,
                           PyObject *other);

/* None, or NULL with the operation's exception. */
static PyObject *
call_in_place(PyObject *op, PyObject *const *args, Py_ssize_t nargs,
              in_place_operation_t operation)
{
    if (operation((HashSetObject *)op, hashset_state_of(op), args, nargs) <
        0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* A new HashSet, the operation's. */
static PyObject *
call_new_set(PyObject *op, PyObject *const *args, Py_ssize_t nargs,
             new_set_operation_t operation)
{
    return operation((HashSetObject *)op, hashset_state_of(op), args, nargs);
}

static PyObject *
call_predicate(PyObject *op, PyObject *other, predicate_t predicate)
{
    int result = predicate((HashSetObject *)op, hashset_state_of(op), other);
    return result < 0 ? NULL : PyBool_FromLong(result);
}

/* symmetric_difference takes one argument: in the form of the others. */
static int
symmetric_difference_update_of(HashSetObject *self, hashset_state *state,
                               PyObject *const *args, Py_ssize_t nargs)
{
    assert(nargs == 1);
    (void)nargs;
    return hashset_symmetric_difference_update_from(self, state, args[0]);
}

static PyObject *
hashset_update(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    return call_in_place(op, args, nargs, hashset_update_from);
}

static PyObject *
hashset_intersection_update(PyObject *op, PyObject *const *args,
                            Py_ssize_t nargs)
{
    return call_in_place(op, args, nargs, hashset_intersection_update_from);
}

static PyObject *
hashset_difference_update(PyObject *op, PyObject *const *args,
                          Py_ssize_t nargs)
{
    return call_in_place(op, args, nargs, hashset_difference_update_from);
}

static PyObject *
hashset_symmetric_difference_update(PyObject *op, PyObject *other)
{
    return call_in_place(op, &other, 1, symmetric_difference_update_of);
}

static PyObject *
hashset_union(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    return call_new_set(op, args, nargs, hashset_union_of);
}

static PyObject *
hashset_intersection(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    return call_new_set(op, args, nargs, hashset_intersection_of);
}

static PyObject *
hashset_difference(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    return call_new_set(op, args, nargs, hashset_difference_of);
}

static PyObject *
hashset_symmetric_difference(PyObject *op, PyObject *other)
{
    return call_new_set(op, &other, 1, hashset_symmetric_difference_of);
}

static PyObject *
hashset_issubset(PyObject *op, PyObject *other)
{
    return call_predicate(op, other, hashset_issubset_of);
}

static PyObject *
hashset_issuperset(PyObject *op, PyObject *other)
{
    return call_predicate(op, other, hashset_issuperset_of);
}

static PyObject *
hashset_isdisjoint(PyObject *op, PyObject *other)
{
    return call_predicate(op, other, hashset_isdisjoint_from);
}

/* How evenly the keys are spread, for tests and the curious: a lookup of
 * each stored key examines `probes / keys` slots on average. */
static PyObject *
hashset_probe_stats(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    u64set_probe_stats_t stats;
    u64set_probe_stats(&((HashSetObject *)op)->table, &stats);
    return Py_BuildValue(
        "{sKsKsKsn}", "keys", (unsigned long long)stats.keys, "probes",
        (unsigned long long)stats.probes, "longest",
        (unsigned long long)stats.longest, "capacity",
        (Py_ssize_t)(u64set_memory_usage(&((HashSetObject *)op)->table) /
                     sizeof(uint64_t)));
}

/* ---- Sizes (pickle and copy: hashset_bulk.c) ---- */

/* The object and its table, as set.__sizeof__ counts. */
static PyObject *
hashset_sizeof(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    HashSetObject *self = (HashSetObject *)op;
    return PyLong_FromSize_t((size_t)Py_TYPE(op)->tp_basicsize +
                             u64set_memory_usage(&self->table));
}

/* ---- HashSet type ---- */

#define VARIADIC(function) ((PyCFunction)(void (*)(void))(function))

static PyMethodDef hashset_methods[] = {
    {"insert", hashset_insert, METH_O,
     PyDoc_STR("insert($self, value, /)\n--\n\n"
               "Add value, an integer in range(0, 2**64), to the set.\n"
               "TypeError for a non-integer, OverflowError out of range.")},
    {"add", hashset_insert, METH_O,
     PyDoc_STR("add($self, value, /)\n--\n\nThe same as insert(value).")},
    {"contains", hashset_contains_method, METH_O,
     PyDoc_STR("contains($self, value, /)\n--\n\n"
               "Return value in self: never raises for a foreign value.")},
    {"len", hashset_len_method, METH_NOARGS,
     PyDoc_STR("len($self, /)\n--\n\nReturn len(self).")},
    {"iter", hashset_iter_method, METH_NOARGS,
     PyDoc_STR("iter($self, /)\n--\n\nReturn iter(self), a SetIterator.")},
    {"discard", hashset_discard, METH_O,
     PyDoc_STR("discard($self, value, /)\n--\n\n"
               "Remove value if it is a member.")},
    {"remove", hashset_remove, METH_O,
     PyDoc_STR("remove($self, value, /)\n--\n\n"
               "Remove value; KeyError if it is not a member.")},
    {"pop", hashset_pop, METH_NOARGS,
     PyDoc_STR("pop($self, /)\n--\n\n"
               "Remove and return an element; KeyError if empty.")},
    {"clear", hashset_clear, METH_NOARGS,
     PyDoc_STR("clear($self, /)\n--\n\nRemove every element.")},
    {"copy", hashset_copy, METH_NOARGS,
     PyDoc_STR("copy($self, /)\n--\n\nReturn a shallow copy, a HashSet.")},
    {"update", VARIADIC(hashset_update), METH_FASTCALL,
     PyDoc_STR("update($self, /, *iterables)\n--\n\n"
               "Add the elements of every iterable, all or nothing.")},
    {"union", VARIADIC(hashset_union), METH_FASTCALL,
     PyDoc_STR("union($self, /, *others)\n--\n\n"
               "Return self | others as a new HashSet.")},
    {"intersection", VARIADIC(hashset_intersection), METH_FASTCALL,
     PyDoc_STR("intersection($self, /, *others)\n--\n\n"
               "Return the elements common to self and all others.")},
    {"intersection_update", VARIADIC(hashset_intersection_update),
     METH_FASTCALL,
     PyDoc_STR("intersection_update($self, /, *others)\n--\n\n"
               "Keep only the elements found in all others.")},
    {"difference", VARIADIC(hashset_difference), METH_FASTCALL,
     PyDoc_STR("difference($self, /, *others)\n--\n\n"
               "Return the elements of self found in no other.")},
    {"difference_update", VARIADIC(hashset_difference_update), METH_FASTCALL,
     PyDoc_STR("difference_update($self, /, *others)\n--\n\n"
               "Remove every element found in any other.")},
    {"symmetric_difference", hashset_symmetric_difference, METH_O,
     PyDoc_STR("symmetric_difference($self, other, /)\n--\n\n"
               "Return the elements in exactly one of self and other.")},
    {"symmetric_difference_update", hashset_symmetric_difference_update,
     METH_O,
     PyDoc_STR("symmetric_difference_update($self, other, /)\n--\n\n"
               "Keep the elements in exactly one of self and other.")},
    {"issubset", hashset_issubset, METH_O,
     PyDoc_STR("issubset($self, other, /)\n--\n\n"
               "Whether every element is in the iterable other.")},
    {"issuperset", hashset_issuperset, METH_O,
     PyDoc_STR("issuperset($self, other, /)\n--\n\n"
               "Whether every value of the iterable other is a member.")},
    {"isdisjoint", hashset_isdisjoint, METH_O,
     PyDoc_STR("isdisjoint($self, other, /)\n--\n\n"
               "Whether no value of the iterable other is a member.")},
    {"contains_many", hashset_contains_many, METH_O,
     PyDoc_STR("contains_many($self, keys, /)\n--\n\n"
               "Whether each of keys is a member, as a memoryview of\n"
               "format '?' (one bool a key, in order).  Integer buffers\n"
               "are read in place; a buffer must be one-dimensional.")},
    {"to_array", hashset_to_array, METH_NOARGS,
     PyDoc_STR("to_array($self, /)\n--\n\n"
               "The elements as an array('Q'), in iteration order.")},
    {"to_bytes", hashset_to_bytes, METH_NOARGS,
     PyDoc_STR("to_bytes($self, /)\n--\n\n"
               "The set in the portable format that from_bytes reads:\n"
               "a 24-byte header (b'HashSetQ', version, flags, count),\n"
               "then each key as 8 little-endian bytes.")},
    {"from_bytes", hashset_from_bytes, METH_O | METH_CLASS,
     PyDoc_STR("from_bytes($type, data, /)\n--\n\n"
               "Build a set from to_bytes()'s format, read from any\n"
               "buffer in place.  Malformed data raises ValueError.")},
    {"__reduce__", hashset_reduce, METH_NOARGS,
     PyDoc_STR("__reduce__($self, /)\n--\n\n"
               "Return the state of the set for pickle and copy.")},
    {"__reduce_ex__", hashset_reduce_ex, METH_O,
     PyDoc_STR("__reduce_ex__($self, protocol, /)\n--\n\n"
               "As __reduce__; with protocol 5, the keys out of band.")},
    {"_probe_stats", hashset_probe_stats, METH_NOARGS,
     PyDoc_STR("_probe_stats($self, /)\n--\n\n"
               "The spread of the table: keys, probes (summed over a\n"
               "lookup of each key), longest, capacity.  A diagnostic.")},
    {"__sizeof__", hashset_sizeof, METH_NOARGS,
     PyDoc_STR("__sizeof__($self, /)\n--\n\n"
               "Return the size of the set in memory, table included.")},
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     PyDoc_STR("See PEP 585.")},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef hashset_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(HashSetObject, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

PyDoc_STRVAR(
    hashset_doc,
    "HashSet(iterable=())\n--\n\n"
    "A mutable set of integers in range(0, 2**64), stored natively.\n\n"
    "Elements are ints or objects with __index__; others raise TypeError,\n"
    "values out of range OverflowError, and the set is left unchanged\n"
    "(update and the constructor add all elements or none).  Membership\n"
    "follows ==, and is simply False for values that cannot be members.\n"
    "Iterators walk the live table with O(1) memory and raise\n"
    "RuntimeError once the set is changed under them.  A\n"
    "collections.abc.MutableSet: operators work with any Set.");

static PyType_Slot hashset_slots[] = {
    {Py_tp_doc, (void *)hashset_doc},
    {Py_tp_new, SLOT_FUNCTION(hashset_new)},
    {Py_tp_init, SLOT_FUNCTION(hashset_init)},
    {Py_tp_dealloc, SLOT_FUNCTION(hashset_dealloc)},
    {Py_tp_repr, SLOT_FUNCTION(hashset_repr)},
    {Py_tp_hash, SLOT_FUNCTION(PyObject_HashNotImplemented)},
    {Py_tp_richcompare, SLOT_FUNCTION(hashset_richcompare)},
    {Py_tp_iter, SLOT_FUNCTION(hashset_iter)},
    {Py_tp_methods, hashset_methods},
    {Py_tp_members, hashset_members},
    {Py_sq_length, SLOT_FUNCTION(hashset_sq_length)},
    {Py_sq_contains, SLOT_FUNCTION(hashset_sq_contains)},
    {Py_nb_or, SLOT_FUNCTION(hashset_or)},
    {Py_nb_and, SLOT_FUNCTION(hashset_and)},
    {Py_nb_xor, SLOT_FUNCTION(hashset_xor)},
    {Py_nb_subtract, SLOT_FUNCTION(hashset_subtract)},
    {Py_nb_inplace_or, SLOT_FUNCTION(hashset_inplace_or)},
    {Py_nb_inplace_and, SLOT_FUNCTION(hashset_inplace_and)},
    {Py_nb_inplace_xor, SLOT_FUNCTION(hashset_inplace_xor)},
    {Py_nb_inplace_subtract, SLOT_FUNCTION(hashset_inplace_subtract)},
    {0, NULL},
};

static PyType_Spec hashset_spec = {
    .name = "hashset.HashSet",
    .basicsize = sizeof(HashSetObject),
    .flags =
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = hashset_slots,
};

/* ---- The module ---- */

/* Keyed by the interpreter's own hash secret: random per process, and
 * fixed by a numeric PYTHONHASHSEED (unless -E or -I ignores it), so that
 * a seed that reproduces dict order reproduces HashSet order too. */
static int
hashset_secret(uint64_t *secret)
{
    PyObject *tag = PyBytes_FromString("hashset.HashSet");
    if (tag == NULL) {
        return -1;
    }
    Py_hash_t hash = PyObject_Hash(tag);
    Py_DECREF(tag);
    if (hash == -1 && PyErr_Occurred()) {
        return -1;
    }
    *secret = (uint64_t)hash;
    return 0;
}

/* HashSet becomes a virtual subclass of collections.abc.MutableSet, and
 * the operators keep collections.abc.Set to recognise other sets.  Both
 * come from _collections_abc, where collections.abc takes them from: it is
 * frozen into the interpreter, so importing hashset needs no file on disk
 * even with an empty sys.path. */
static int
hashset_register_abc(PyObject *module, hashset_state *state)
{
    PyObject *abc = PyImport_ImportModule("_collections_abc");
    PyObject *registered = NULL;
    int status = -1;

    (void)module;
    if (abc == NULL) {
        return -1;
    }
    state->abc_set = PyObject_GetAttrString(abc, "Set");
    if (state->abc_set == NULL) {
        goto done;
    }
    PyObject *mutable_set = PyObject_GetAttrString(abc, "MutableSet");
    if (mutable_set == NULL) {
        goto done;
    }
    registered =
        PyObject_CallMethod(mutable_set, "register", "O", state->hashset_type);
    Py_DECREF(mutable_set);
    status = registered == NULL ? -1 : 0;
done:
    Py_XDECREF(registered);
    Py_DECREF(abc);
    return status;
}

static int
hashset_exec(PyObject *module)
{
    hashset_state *state = PyModule_GetState(module);

    if (hashset_secret(&state->secret) < 0) {
        return -1;
    }
    state->hashset_type =
        (PyTypeObject *)PyType_FromModuleAndSpec(module, &hashset_spec, NULL);
    if (state->hashset_type == NULL) {
        return -1;
    }
    /* No slot sets it in 3.11 (Py_tp_vectorcall came in 3.14). */
    state->hashset_type->tp_vectorcall = hashset_vectorcall;
    state->iterator_type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &hashset_iterator_spec, NULL);
    if (state->iterator_type == NULL) {
        return -1;
    }
    if (hashset_register_abc(module, state) < 0 ||
        PyModule_AddType(module, state->hashset_type) < 0 ||
        PyModule_AddType(module, state->iterator_type) < 0) {
        return -1;
    }
    return 0;
}

static int
hashset_module_traverse(PyObject *module, visitproc visit, void *arg)
{
    hashset_state *state = PyModule_GetState(module);
    Py_VISIT(state->hashset_type);
    Py_VISIT(state->iterator_type);
    Py_VISIT(state->abc_set);
    return 0;
}

static int
hashset_module_clear(PyObject *module)
{
    hashset_state *state = PyModule_GetState(module);
    Py_CLEAR(state->hashset_type);
    Py_CLEAR(state->iterator_type);
    Py_CLEAR(state->abc_set);
    return 0;
}

static void
hashset_module_free(void *module)
{
    (void)hashset_module_clear((PyObject *)module);
}

static PyObject *
hashset_keys_visited(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    hashset_state *state = PyModule_GetState(module);
    return PyLong_FromUnsignedLongLong(state->keys_visited);
}

static PyMethodDef hashset_module_methods[] = {
    {"_keys_visited", hashset_keys_visited, METH_NOARGS,
     PyDoc_STR("_keys_visited($module, /)\n--\n\n"
               "How many keys the set operations have read so far in this\n"
               "module: what the tests count to check each operation's\n"
               "cost.  A diagnostic.")},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot hashset_module_slots[] = {
    {Py_mod_exec, SLOT_FUNCTION(hashset_exec)},
    {0, NULL},
};

PyDoc_STRVAR(hashset_module_doc,
             "HashSet: a native set of integers in range(0, 2**64), with\n"
             "iterators that walk the live table (alias module: hash_set).");

static struct PyModuleDef hashset_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "hashset",
    .m_doc = hashset_module_doc,
    .m_size = sizeof(hashset_state),
    .m_methods = hashset_module_methods,
    .m_slots = hashset_module_slots,
    .m_traverse = hashset_module_traverse,
    .m_clear = hashset_module_clear,
    .m_free = hashset_module_free,
};

PyMODINIT_FUNC
PyInit_hashset(void)
{
    return PyModuleDef_Init(&hashset_module);
}
