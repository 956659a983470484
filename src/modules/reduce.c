/* The __reduce__ shared by the modules' types: what pickle and copy need
 * to rebuild an instance of a heap type, or of a Python subclass of one
 * that carries attributes of its own. */
#include "modules/modules.h"

PyObject *
reduce_with_state(PyObject *self, PyObject *arguments)
{
    PyObject *dict = PyObject_GetAttrString(self, "__dict__");
    PyObject *result = NULL;

    if (dict == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return NULL;
        }
        PyErr_Clear();
    }
    int has_state = dict != NULL ? PyObject_IsTrue(dict) : 0;
    if (has_state > 0) {
        result = Py_BuildValue("OOO", Py_TYPE(self), arguments, dict);
    } else if (has_state == 0) {
        result = Py_BuildValue("OO", Py_TYPE(self), arguments);
    }
    Py_XDECREF(dict);
    return result;
}
