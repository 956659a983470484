/* The __reduce__ shared by the modules' types: what pickle and copy need
 * to rebuild an instance of a heap type, or of a Python subclass of one
 * that carries attributes of its own (in __slots__ or in __dict__). */
#include "modules/module_support.h"

/* The state is taken as set.__reduce__ takes it (Objects/setobject.c):
 * whatever the instance's __getstate__ returns.  object.__getstate__ (new
 * in 3.11) gives None for an instance with no attributes of its own, its
 * __dict__, or (__dict__ or None, {slot name: value}) when the __slots__ of
 * Python subclasses hold values (their names from copyreg._slotnames): the
 * form that pickle's BUILD and copy's _reconstruct apply, by setattr for
 * the slots, when the class defines no __setstate__.  A subclass's own
 * __getstate__ and __setstate__ are honoured, as for set.  Reading the
 * __dict__ alone, as this did before, dropped every slot. */
PyObject *
reduce_with_state(PyObject *self, PyObject *rebuild, PyObject *arguments)
{
    PyObject *type = rebuild != NULL ? rebuild : (PyObject *)Py_TYPE(self);
    PyObject *state = PyObject_CallMethod(self, "__getstate__", NULL);
    PyObject *result;

    if (state == NULL) {
        return NULL;
    }
    /* No state, no BUILD step: a plain instance pickles as it always did
     * (pickle itself writes nothing for a state of None). */
    if (state == Py_None) {
        result = PyTuple_Pack(2, type, arguments);
    } else {
        result = PyTuple_Pack(3, type, arguments, state);
    }
    Py_DECREF(state);
    return result;
}
