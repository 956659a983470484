/* The ints that HashSet hands out for its keys.
 *
 * A set hands back ints it already holds; a HashSet holds none and must
 * make one for every key that pop, or an iterator, gives out, and making
 * an int and freeing it again cost more than the whole of set.pop
 * (callgrind: about 75 instructions each, against set.pop's 33), and as
 * much again as a step of set's iterator.  So pop and each iterator keep
 * the last ints they made, and when the caller has let go of one (its
 * reference count is 1: ours is the only reference left) they write the
 * next key into that int instead of making another, as CPython's zip()
 * and dict.items() iterators reuse their result tuple.  No code can see
 * the change: nothing else refers to the int.  Two of them, because in
 * `x = s.pop()` or `for x in s` the int before is still bound to x while
 * the next one is made.  Keys up to 256 are CPython's shared small ints,
 * as always.  The ints refer to nothing, so they cannot be part of a
 * cycle. */
#include "modules/hashset.h"

/* Digits enough for any 64-bit key. */
#define KEY_INT_DIGITS ((64 + PyLong_SHIFT - 1) / PyLong_SHIFT)
/* Ints made as any int is, once the caller was seen to keep its ints,
 * before one is kept again to see whether it still does. */
#define PLAIN_INTS 64
/* CPython's cached small ints are 0..256 (_PY_NSMALLPOSINTS - 1). */
#define SHARED_SMALL_INT_MAX 256

/* Writes `key` (above SHARED_SMALL_INT_MAX, so not 0) into an int with
 * room for KEY_INT_DIGITS digits, in the layout of CPython 3.11's ints. */
static void
write_key_into_int(PyObject *number, uint64_t key)
{
    PyLongObject *digits = (PyLongObject *)number;
    Py_ssize_t size = 0;
    do {
        digits->ob_digit[size++] = (digit)(key & PyLong_MASK);
        key >>= PyLong_SHIFT;
    } while (key != 0);
    Py_SET_SIZE(number, size);
}

PyObject *
key_ints_make(key_ints_t *ints, PyObject *spare, uint64_t key)
{
    if (key <= SHARED_SMALL_INT_MAX) {
        return PyLong_FromUnsignedLongLong(key); /* never fails */
    }
    if (spare != NULL) {
        write_key_into_int(spare, key);
        return Py_NewRef(spare);
    }
    if (ints->plain_left > 0) {
        PyObject *plain = PyLong_FromUnsignedLongLong(key);
        ints->plain_left -= plain != NULL;
        return plain;
    }
    /* The largest key's int has room for every key's digits. */
    PyObject *fresh = PyLong_FromUnsignedLongLong(UINT64_MAX);
    if (fresh != NULL) {
        assert(Py_SIZE(fresh) == KEY_INT_DIGITS);
        write_key_into_int(fresh, key);
        if (ints->made[ints->next] != NULL) {
            /* The caller holds both ints made last (list(s) keeps every
             * one): the next ones are made as any int is, with nothing
             * looked at first, which cost list(s) a tenth more. */
            ints->plain_left = PLAIN_INTS;
        }
        Py_XSETREF(ints->made[ints->next], Py_NewRef(fresh));
        ints->next ^= 1;
    }
    return fresh;
}

void
key_ints_clear(key_ints_t *ints)
{
    Py_CLEAR(ints->made[0]);
    Py_CLEAR(ints->made[1]);
}
