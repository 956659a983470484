/* The general way of calling one of the modules' types, for the calls
 * their own vectorcalls do not take the short way (keywords, another
 * number of arguments): the arguments as a tuple and a dict, handed to
 * type.__call__, which runs __new__ and __init__ and raises their
 * errors, with their messages. */
#include "modules/module_support.h"

PyObject *
call_type_generally(PyObject *type, PyObject *const *args, Py_ssize_t nargs,
                    PyObject *kwnames)
{
    PyObject *positional = NULL, *keywords = NULL, *result = NULL;

    positional = PyTuple_New(nargs);
    if (positional == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyTuple_SET_ITEM(positional, i, Py_NewRef(args[i]));
    }
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        keywords = PyDict_New();
        for (Py_ssize_t i = 0;
             keywords != NULL && i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(keywords, PyTuple_GET_ITEM(kwnames, i),
                               args[nargs + i]) < 0) {
                goto done;
            }
        }
        if (keywords == NULL) {
            goto done;
        }
    }
    result = PyType_Type.tp_call(type, positional, keywords);
done:
    Py_XDECREF(positional);
    Py_XDECREF(keywords);
    return result;
}
