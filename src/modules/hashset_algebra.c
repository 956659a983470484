/* The set algebra of hashset.HashSet: the four in-place operations
 * (|=, -=, &=, ^=, each all or nothing) that update(), the *_update
 * methods, union() and friends and the operators are built from, and the
 * comparisons by inclusion with any collections.abc.Set.  Keys are
 * collected before the table changes; a walk over a table that calls
 * Python code checks the table's version at every step. */
#include "modules/hashset.h"

/* The operators accept any Set, as collections.abc.Set's own do. */
static int
is_set_like(hashset_state *state, PyObject *object)
{
    if (hashset_table_of(state, object) != NULL || PyAnySet_Check(object)) {
        return 1;
    }
    return PyObject_IsInstance(object, state->abc_set);
}

static int
collect_elements(hashset_state *state, key_buffer_t *keys, PyObject *iterable)
{
    size_t skipped = 0;
    return key_buffer_collect(keys, iterable,
                              hashset_table_of(state, iterable),
                              COLLECT_ELEMENTS, &skipped);
}

static int
collect_lookups(hashset_state *state, key_buffer_t *keys, PyObject *iterable,
                size_t *skipped)
{
    return key_buffer_collect(keys, iterable,
                              hashset_table_of(state, iterable),
                              COLLECT_LOOKUPS, skipped);
}

/* The keys of `iterable` as a table to probe: a HashSet's own table, or
 * `scratch` (initialised by the caller, who destroys it) filled with the
 * keys collected by `mode`.  NULL with an exception set on failure. */
static u64set_t *
keys_as_table(hashset_state *state, PyObject *iterable, collect_mode_t mode,
              u64set_t *scratch)
{
    u64set_t *table = hashset_table_of(state, iterable);
    key_buffer_t keys = KEY_BUFFER_INIT;
    size_t skipped = 0;

    if (table != NULL) {
        return table;
    }
    if (key_buffer_collect(&keys, iterable, NULL, mode, &skipped) == 0) {
        if (u64set_insert_many(scratch, keys.keys, keys.len, NULL) ==
            U64SET_OK) {
            table = scratch;
        } else {
            hashset_memory_error();
        }
    }
    key_buffer_free(&keys);
    return table;
}

/* Removal never fails, which is why each operation lists the keys to
 * remove first and removes them last. */
static void
remove_keys(u64set_t *table, const key_buffer_t *keys)
{
    for (size_t i = 0; i < keys->len; i++) {
        (void)u64set_remove(table, keys->keys[i]);
    }
}

/* ---- The four in-place operations the others are built from. ---- */

/* self |= each of args: every element of every argument is converted
 * before any is inserted, and u64set_insert_many adds all or none. */
int
hashset_add_elements(HashSetObject *self, hashset_state *state,
                     PyObject *const *args, Py_ssize_t nargs)
{
    key_buffer_t keys = KEY_BUFFER_INIT;
    int status = -1;

    if (nargs == 1) {
        /* array('Q') and friends: their keys are read where they are. */
        Py_buffer view;
        int viewed = key_buffer_view(args[0], &view);
        if (viewed != 0) {
            if (viewed > 0) {
                status =
                    u64set_insert_many(&self->table, view.buf,
                                       (size_t)view.len / sizeof(uint64_t),
                                       NULL) == U64SET_OK
                        ? 0
                        : (hashset_memory_error(), -1);
                PyBuffer_Release(&view);
            }
            return status;
        }
    }

    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (collect_elements(state, &keys, args[i]) < 0) {
            goto done;
        }
    }
    if (u64set_insert_many(&self->table, keys.keys, keys.len, NULL) !=
        U64SET_OK) {
        hashset_memory_error();
        goto done;
    }
    status = 0;
done:
    key_buffer_free(&keys);
    return status;
}

/* self -= each of args: removal never fails, so only collecting can. */
int
hashset_remove_lookups(HashSetObject *self, hashset_state *state,
                       PyObject *const *args, Py_ssize_t nargs)
{
    key_buffer_t keys = KEY_BUFFER_INIT;
    size_t skipped = 0;
    int status = 0;

    for (Py_ssize_t i = 0; i < nargs && status == 0; i++) {
        status = collect_lookups(state, &keys, args[i], &skipped);
    }
    if (status == 0) {
        remove_keys(&self->table, &keys);
    }
    key_buffer_free(&keys);
    return status;
}

/* self &= iterable: the keys to drop are listed first (the table cannot
 * be changed while it is walked), then dropped. */
static int
hashset_keep_lookups_of(HashSetObject *self, hashset_state *state,
                        PyObject *iterable)
{
    key_buffer_t dropped = KEY_BUFFER_INIT;
    u64set_t scratch;
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;
    int status = -1;

    u64set_init(&scratch, hashset_table_seed(state), &hashset_table_allocator);
    u64set_t *wanted =
        keys_as_table(state, iterable, COLLECT_LOOKUPS, &scratch);
    if (wanted == NULL) {
        goto done;
    }
    while (u64set_next(&self->table, &cursor, &key)) {
        if (!u64set_contains(wanted, key) &&
            key_buffer_append(&dropped, key) < 0) {
            goto done;
        }
    }
    remove_keys(&self->table, &dropped);
    status = 0;
done:
    u64set_destroy(&scratch);
    key_buffer_free(&dropped);
    return status;
}

/* self ^= iterable.  The other side's distinct keys are needed (a key
 * listed twice toggles once), then room is made for the keys to insert,
 * and only then is self changed, so nothing fails half-way. */
static int
hashset_toggle_elements_of(HashSetObject *self, hashset_state *state,
                           PyObject *iterable)
{
    key_buffer_t present = KEY_BUFFER_INIT;
    u64set_t scratch;
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;
    int status = -1;

    u64set_init(&scratch, hashset_table_seed(state), &hashset_table_allocator);
    if (hashset_table_of(state, iterable) == &self->table) {
        u64set_clear(&self->table);
        status = 0;
        goto done;
    }
    u64set_t *toggled =
        keys_as_table(state, iterable, COLLECT_ELEMENTS, &scratch);
    if (toggled == NULL) {
        goto done;
    }
    while (u64set_next(toggled, &cursor, &key)) {
        if (u64set_contains(&self->table, key) &&
            key_buffer_append(&present, key) < 0) {
            goto done;
        }
    }
    size_t inserted = u64set_len(toggled) - present.len;
    if (inserted > 0 &&
        u64set_reserve(&self->table, u64set_len(&self->table) + inserted) !=
            U64SET_OK) {
        hashset_memory_error();
        goto done;
    }
    /* Keys already present stay (insert reports them present) until the
     * removals below; the reserve above makes every insert succeed. */
    cursor = U64SET_CURSOR_START;
    while (u64set_next(toggled, &cursor, &key)) {
        (void)u64set_insert(&self->table, key);
    }
    remove_keys(&self->table, &present);
    status = 0;
done:
    u64set_destroy(&scratch);
    key_buffer_free(&present);
    return status;
}

/* self &= each of args.  One argument is all or nothing by itself; with
 * several, the work is done on a copy that replaces self's contents only
 * when every argument succeeded. */
int
hashset_keep_lookups(HashSetObject *self, hashset_state *state,
                     PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs <= 1) {
        return nargs == 0 ? 0 : hashset_keep_lookups_of(self, state, args[0]);
    }
    HashSetObject *work = hashset_copy_of(state, self);
    if (work == NULL) {
        return -1;
    }
    int status = 0;
    for (Py_ssize_t i = 0; i < nargs && status == 0; i++) {
        status = hashset_keep_lookups_of(work, state, args[i]);
    }
    /* Intersection only removes: an equal size means nothing changed,
     * and then live iterators must go on. */
    if (status == 0 && u64set_len(&work->table) != u64set_len(&self->table)) {
        u64set_move(&self->table, &work->table);
    }
    Py_DECREF(work);
    return status;
}

int
hashset_toggle_elements(HashSetObject *self, hashset_state *state,
                        PyObject *const *args, Py_ssize_t nargs)
{
    assert(nargs == 1);
    (void)nargs;
    return hashset_toggle_elements_of(self, state, args[0]);
}

/* ---- Operators and comparisons, with any collections.abc.Set ---- */

/* left OP right, where either may be the HashSet: the result is a new
 * HashSet.  OR, AND and XOR are symmetric, so the HashSet operand is
 * copied and the other applied to it; `set - HashSet` builds a HashSet
 * from the left operand first. */
static PyObject *
hashset_binary(PyObject *left, PyObject *right, set_operation_t operation,
               bool symmetric)
{
    hashset_state *state = hashset_state_of_operands(left, right);
    HashSetObject *result = NULL;
    int left_ok, right_ok;

    if (state == NULL) {
        return NULL;
    }
    if ((left_ok = is_set_like(state, left)) < 0 ||
        (right_ok = is_set_like(state, right)) < 0) {
        return NULL;
    }
    if (!left_ok || !right_ok) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (hashset_table_of(state, left) != NULL) {
        result = hashset_copy_of(state, (HashSetObject *)left);
    } else if (symmetric) {
        result = hashset_copy_of(state, (HashSetObject *)right);
        right = left;
    } else {
        result = hashset_alloc(state->hashset_type, state);
        if (result != NULL &&
            hashset_add_elements(result, state, &left, 1) < 0) {
            Py_CLEAR(result);
        }
    }
    if (result != NULL && operation(result, state, &right, 1) < 0) {
        Py_CLEAR(result);
    }
    return (PyObject *)result;
}

/* self OP= other: NotImplemented for anything but a Set, as for set. */
static PyObject *
hashset_inplace(PyObject *self, PyObject *other, set_operation_t operation)
{
    hashset_state *state = hashset_state_of_operands(self, other);
    if (state == NULL) {
        return NULL;
    }
    if (hashset_table_of(state, self) == NULL) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    int other_ok = is_set_like(state, other);
    if (other_ok <= 0) {
        return other_ok < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    }
    if (operation((HashSetObject *)self, state, &other, 1) < 0) {
        return NULL;
    }
    return Py_NewRef(self);
}

PyObject *
hashset_or(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, hashset_add_elements, true);
}

PyObject *
hashset_and(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, hashset_keep_lookups, true);
}

PyObject *
hashset_xor(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, hashset_toggle_elements, true);
}

PyObject *
hashset_subtract(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, hashset_remove_lookups, false);
}

PyObject *
hashset_inplace_or(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, hashset_add_elements);
}

PyObject *
hashset_inplace_and(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, hashset_keep_lookups);
}

PyObject *
hashset_inplace_xor(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, hashset_toggle_elements);
}

PyObject *
hashset_inplace_subtract(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, hashset_remove_lookups);
}

static bool
table_is_subset(u64set_t *small, u64set_t *large)
{
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;

    if (u64set_len(small) > u64set_len(large)) {
        return false;
    }
    while (u64set_next(small, &cursor, &key)) {
        if (!u64set_contains(large, key)) {
            return false;
        }
    }
    return true;
}

int
hashset_changed_during_iteration(void)
{
    PyErr_SetString(PyExc_RuntimeError, "HashSet changed during iteration");
    return -1;
}

/* Whether every key of self is `in other`, for a Set that is not a
 * HashSet.  other.__contains__ is Python code that may change self, so the
 * walk checks the version at every step. */
static int
hashset_is_subset_of_set(HashSetObject *self, PyObject *other)
{
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t version = u64set_version(&self->table);
    uint64_t key;

    while (u64set_next(&self->table, &cursor, &key)) {
        PyObject *value = PyLong_FromUnsignedLongLong(key);
        if (value == NULL) {
            return -1;
        }
        int found = PySequence_Contains(other, value);
        Py_DECREF(value);
        if (found <= 0) {
            return found;
        }
        if (u64set_version(&self->table) != version) {
            return hashset_changed_during_iteration();
        }
    }
    return 1;
}

/* Whether every value of `iterable` is a member of self. */
int
hashset_has_all(HashSetObject *self, hashset_state *state, PyObject *iterable)
{
    key_buffer_t keys = KEY_BUFFER_INIT;
    size_t skipped = 0;
    int result = collect_lookups(state, &keys, iterable, &skipped);

    if (result == 0) {
        result = skipped == 0;
        for (size_t i = 0; result == 1 && i < keys.len; i++) {
            result = u64set_contains(&self->table, keys.keys[i]);
        }
    }
    key_buffer_free(&keys);
    return result;
}

/* Whether every key of self is among the values of `iterable`: those
 * values go into a table first, so that each test is O(1) whatever the
 * iterable is. */
int
hashset_is_subset_of_iterable(HashSetObject *self, hashset_state *state,
                              PyObject *iterable)
{
    u64set_t scratch;
    u64set_init(&scratch, hashset_table_seed(state), &hashset_table_allocator);
    u64set_t *values =
        keys_as_table(state, iterable, COLLECT_LOOKUPS, &scratch);
    int result = values == NULL ? -1 : table_is_subset(&self->table, values);
    u64set_destroy(&scratch);
    return result;
}

int
hashset_is_disjoint_from(HashSetObject *self, hashset_state *state,
                         PyObject *iterable)
{
    key_buffer_t keys = KEY_BUFFER_INIT;
    size_t skipped = 0;
    int result = collect_lookups(state, &keys, iterable, &skipped);

    if (result == 0) {
        result = 1;
        for (size_t i = 0; result == 1 && i < keys.len; i++) {
            result = !u64set_contains(&self->table, keys.keys[i]);
        }
    }
    key_buffer_free(&keys);
    return result;
}

/* ==, !=, <, <=, >, >= against any Set, by inclusion as for set; anything
 * else gets NotImplemented (so HashSet([1]) == [1] is False). */
PyObject *
hashset_richcompare(PyObject *op, PyObject *other, int comparison)
{
    HashSetObject *self = (HashSetObject *)op;
    hashset_state *state = hashset_state_of_type(Py_TYPE(op));
    int result;

    if (state == NULL) {
        return NULL;
    }
    int other_ok = is_set_like(state, other);
    if (other_ok <= 0) {
        return other_ok < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    }
    Py_ssize_t other_len = PyObject_Size(other);
    if (other_len < 0) {
        return NULL;
    }
    size_t self_len = u64set_len(&self->table), theirs = (size_t)other_len;
    u64set_t *other_table = hashset_table_of(state, other);

    switch (comparison) {
    case Py_EQ:
    case Py_NE:
    case Py_LE:
    case Py_LT:
        if (comparison == Py_LT   ? self_len >= theirs
            : comparison == Py_LE ? self_len > theirs
                                  : self_len != theirs) {
            result = 0;
        } else if (other_table != NULL) {
            result = table_is_subset(&self->table, other_table);
        } else {
            result = hashset_is_subset_of_set(self, other);
        }
        if (comparison == Py_NE && result >= 0) {
            result = !result;
        }
        break;
    default: /* Py_GE, Py_GT */
        if (comparison == Py_GT ? self_len <= theirs : self_len < theirs) {
            result = 0;
        } else {
            result = hashset_has_all(self, state, other);
        }
    }
    return result < 0 ? NULL : PyBool_FromLong(result);
}
