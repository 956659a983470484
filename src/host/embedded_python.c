/* Python code compiled into pyhost (embedded_python.h). */
#include "host/embedded_python.h"

#include <stdio.h>

PyObject *
embedded_module_load(const char *name, const char *source)
{
    char filename[128];
    snprintf(filename, sizeof filename, "<pyhost %s>", name);
    PyObject *code = Py_CompileString(source, filename, Py_file_input);
    PyObject *module = code == NULL ? NULL : PyModule_New(name);
    PyObject *result = NULL;

    if (module != NULL) {
        PyObject *globals = PyModule_GetDict(module);
        if (PyDict_SetItemString(globals, "__builtins__",
                                 PyEval_GetBuiltins()) == 0) {
            result = PyEval_EvalCode(code, globals, globals);
        }
    }
    Py_XDECREF(code);
    if (result == NULL) {
        Py_XDECREF(module);
        return NULL;
    }
    Py_DECREF(result);
    return module;
}
