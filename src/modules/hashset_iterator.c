/* hashset.SetIterator: walks a HashSet's live table in place with O(1)
 * memory.  It holds its set (so it is a GC type), a cursor and the
 * table's version when it started: once the version moves, every step
 * raises RuntimeError, since keys may have moved across the cursor.  It
 * reads ITERATOR_AHEAD_KEYS keys at a time, without a branch per slot:
 * the occupied slots are a random pattern, and a slot at a time, the
 * branch on each mispredicted on every other one.  It makes each key's
 * int again in one the caller has let go of, when it can (see
 * hashset_ints.c). */
#include "modules/hashset.h"

#include "modules/module_support.h"

int
hashset_changed_during_iteration(void)
{
    PyErr_SetString(PyExc_RuntimeError, "HashSet changed during iteration");
    return -1;
}

PyObject *
setiterator_new(PyTypeObject *iterator_type, HashSetObject *set)
{
    SetIteratorObject *iterator =
        PyObject_GC_New(SetIteratorObject, iterator_type);
    if (iterator == NULL) {
        return NULL;
    }
    iterator->set = (HashSetObject *)Py_NewRef(set);
    iterator->cursor = U64SET_CURSOR_START;
    iterator->version = u64set_version(&set->table);
    iterator->yielded = 0;
    iterator->ahead_next = iterator->ahead_len = 0;
    iterator->ints = (key_ints_t){{NULL, NULL}, 0, 0};
    PyObject_GC_Track(iterator);
    return (PyObject *)iterator;
}

/* The next key of the live table.  A moved version means the table
 * changed under the cursor: raise, and keep raising (the saved version
 * never catches up), rather than guess what is left. */
static PyObject *
setiterator_next(PyObject *op)
{
    SetIteratorObject *self = (SetIteratorObject *)op;
    uint64_t key;

    if (self->set == NULL) {
        return NULL;
    }
    if (u64set_version(&self->set->table) != self->version) {
        hashset_changed_during_iteration();
        key_ints_clear(&self->ints);
        return NULL;
    }
    if (self->ahead_next == self->ahead_len) {
        self->ahead_next = 0;
        self->ahead_len =
            (unsigned)u64set_next_many(&self->set->table, &self->cursor,
                                       self->ahead, ITERATOR_AHEAD_KEYS);
        if (self->ahead_len == 0) {
            Py_CLEAR(self->set);
            key_ints_clear(&self->ints);
            return NULL;
        }
    }
    /* A key is passed only once its int exists: after a MemoryError the
     * next step produces the same key, none is skipped. */
    key = self->ahead[self->ahead_next];
    PyObject *value =
        key_ints_make(&self->ints, key_ints_spare(&self->ints), key);
    if (value != NULL) {
        self->ahead_next++;
        self->yielded++;
    }
    return value;
}

static PyObject *
setiterator_length_hint(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    SetIteratorObject *self = (SetIteratorObject *)op;
    size_t remaining = 0;

    if (self->set != NULL &&
        u64set_version(&self->set->table) == self->version) {
        remaining = u64set_len(&self->set->table) - self->yielded;
    }
    return PyLong_FromSize_t(remaining);
}

static int
setiterator_traverse(PyObject *op, visitproc visit, void *arg)
{
    SetIteratorObject *self = (SetIteratorObject *)op;
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(self->set);
    return 0;
}

static void
setiterator_dealloc(PyObject *op)
{
    SetIteratorObject *self = (SetIteratorObject *)op;
    PyTypeObject *type = Py_TYPE(op);

    PyObject_GC_UnTrack(op);
    Py_CLEAR(self->set);
    key_ints_clear(&self->ints);
    type->tp_free(op);
    Py_DECREF(type);
}

static PyMethodDef setiterator_methods[] = {
    {"__length_hint__", setiterator_length_hint, METH_NOARGS,
     PyDoc_STR("__length_hint__($self, /)\n--\n\n"
               "The number of elements not yet produced.")},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(setiterator_doc,
             "An iterator over a HashSet's live table, with O(1) memory.\n\n"
             "Made by iter(s) or s.iter(), never directly.  It keeps its\n"
             "set alive, and raises RuntimeError on every step after the\n"
             "set was changed (an element added or removed, a clear).");

static PyType_Slot setiterator_slots[] = {
    {Py_tp_doc, (void *)setiterator_doc},
    {Py_tp_dealloc, SLOT_FUNCTION(setiterator_dealloc)},
    {Py_tp_traverse, SLOT_FUNCTION(setiterator_traverse)},
    {Py_tp_iter, SLOT_FUNCTION(PyObject_SelfIter)},
    {Py_tp_iternext, SLOT_FUNCTION(setiterator_next)},
    {Py_tp_methods, setiterator_methods},
    {0, NULL},
};

PyType_Spec hashset_iterator_spec = {
    .name = "hashset.SetIterator",
    .basicsize = sizeof(SetIteratorObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
             Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = setiterator_slots,
};
