/* The stdlib readline module's functions that pyhost's shell wraps
 * (readline_module.h).  Each wrapper calls the module's own function and
 * then notes what the shell needs; it has the original's name and
 * docstring, and is a built-in function as the original is.
 *
 * set_auto_history: the module keeps the setting to itself, and pyhost's
 * line reader adds the lines to the history, so it is told.
 *
 * set_completer: python3.11 imports rlcompleter before its first prompt,
 * and that import installs rlcompleter's completer (its module body calls
 * readline.set_completer).  pyhost's shell does not import it at
 * start-up (shell.c: its import, inspect's mostly, is a third of
 * python3.11's time to the first prompt, and pyhost completes by itself),
 * so the import may come later, from a PYTHONSTARTUP file that still
 * carries the old `import rlcompleter` recipe: the completer that import
 * installs is recognised by its caller (rlcompleter's module body) and,
 * as at start-up, gives way to pyhost's completion.  A completer the user
 * sets, even an rlcompleter.Completer, answers Tab.
 *
 * Like readline's own state, this is process-wide: the originals and the
 * noted completer live here for the life of the process. */
#include "host/readline_module.h"

#include "host/history.h"

static PyObject *original_set_completer;
static PyObject *original_set_auto_history;
static PyObject *rlcompleter_completer; /* NULL: none noted */

/* The wrappers' definitions: the originals' names, docstrings and
 * calling conventions are taken over when the wrappers are made. */
static PyMethodDef set_completer_definition;
static PyMethodDef set_auto_history_definition;

/* A METH_FASTCALL function (3.11 names the type only privately). */
typedef PyObject *(*fastcall_function_t)(PyObject *self, PyObject *const *args,
                                         Py_ssize_t nargs);

static void
note_rlcompleter_completer(PyObject *completer)
{
    Py_INCREF(completer);
    Py_XSETREF(rlcompleter_completer, completer);
}

/* Whether the Python code calling the wrapper is rlcompleter's module
 * body, running because rlcompleter is being imported. */
static bool
called_by_rlcompleter_import(void)
{
    PyFrameObject *frame = PyEval_GetFrame(); /* borrowed */
    PyObject *globals = PyEval_GetGlobals();  /* borrowed */
    if (frame == NULL || globals == NULL) {
        return false;
    }
    PyObject *name = PyDict_GetItemString(globals, "__name__"); /* borrowed */
    PyCodeObject *code = PyFrame_GetCode(frame);
    bool result =
        name != NULL && PyUnicode_Check(name) &&
        PyUnicode_CompareWithASCIIString(name, "rlcompleter") == 0 &&
        PyUnicode_CompareWithASCIIString(code->co_name, "<module>") == 0;
    Py_DECREF(code);
    return result;
}

static PyObject *
wrapped_set_completer(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    PyObject *result =
        PyObject_Vectorcall(original_set_completer, args, nargs, NULL);
    if (result != NULL && nargs == 1 && called_by_rlcompleter_import()) {
        note_rlcompleter_completer(args[0]);
    }
    return result;
}

static PyObject *
wrapped_set_auto_history(PyObject *self, PyObject *const *args,
                         Py_ssize_t nargs)
{
    (void)self;
    PyObject *result =
        PyObject_Vectorcall(original_set_auto_history, args, nargs, NULL);
    if (result == NULL) {
        return NULL;
    }
    int enabled = PyObject_IsTrue(args[0]); /* the original took one */
    if (enabled < 0) {
        Py_DECREF(result);
        return NULL;
    }
    histfile_set_auto_history(enabled);
    return result;
}

/* Replaces module.`definition->ml_name` with a built-in function that
 * runs `wrapper`, keeping the original in *original.  Returns 0, or -1
 * with a Python exception. */
static int
wrap_function(PyObject *module, const char *name, PyMethodDef *definition,
              fastcall_function_t wrapper, PyObject **original)
{
    PyObject *function = PyObject_GetAttrString(module, name);
    if (function == NULL) {
        return -1;
    }
    if (!PyCFunction_Check(function)) {
        Py_DECREF(function); /* replaced by someone else already */
        return 0;
    }
    const PyMethodDef *own = ((PyCFunctionObject *)function)->m_ml;
    definition->ml_name = own->ml_name;
    definition->ml_doc = own->ml_doc;
    definition->ml_meth = (PyCFunction)(void (*)(void))wrapper;
    definition->ml_flags = METH_FASTCALL;
    PyObject *module_name = PyModule_GetNameObject(module);
    PyObject *replacement =
        module_name == NULL ? NULL
                            : PyCFunction_NewEx(definition, NULL, module_name);
    Py_XDECREF(module_name);
    if (replacement == NULL ||
        PyObject_SetAttrString(module, name, replacement) < 0) {
        Py_XDECREF(replacement);
        Py_DECREF(function);
        return -1;
    }
    Py_DECREF(replacement);
    *original = function;
    return 0;
}

/* A completer already installed when the wrappers come (rlcompleter
 * imported by a sitecustomize) is rlcompleter's when it is a method of
 * one of rlcompleter's classes. */
static int
note_installed_rlcompleter(PyObject *module)
{
    PyObject *completer = PyObject_CallMethod(module, "get_completer", NULL);
    if (completer == NULL) {
        return -1;
    }
    PyObject *owner = PyObject_GetAttrString(completer, "__self__");
    PyObject *owner_module =
        owner == NULL
            ? NULL
            : PyObject_GetAttrString((PyObject *)Py_TYPE(owner), "__module__");
    PyErr_Clear(); /* no __self__: not rlcompleter's */
    if (owner_module != NULL && PyUnicode_Check(owner_module) &&
        PyUnicode_CompareWithASCIIString(owner_module, "rlcompleter") == 0) {
        note_rlcompleter_completer(completer);
    }
    Py_XDECREF(owner_module);
    Py_XDECREF(owner);
    Py_DECREF(completer);
    return 0;
}

int
readline_module_wrap(void)
{
    static bool wrapped;
    if (wrapped) {
        return 0;
    }
    PyObject *name = PyUnicode_FromString("readline");
    if (name == NULL) {
        return -1;
    }
    PyObject *module = PyImport_GetModule(name);
    Py_DECREF(name);
    if (module == NULL) {
        return PyErr_Occurred() ? -1 : 0; /* not imported: nothing to do */
    }
    wrapped = true;
    int status = -1;
    if (note_installed_rlcompleter(module) < 0 ||
        wrap_function(module, "set_completer", &set_completer_definition,
                      wrapped_set_completer, &original_set_completer) < 0 ||
        wrap_function(module, "set_auto_history", &set_auto_history_definition,
                      wrapped_set_auto_history,
                      &original_set_auto_history) < 0) {
        goto done;
    }
    status = 0;
done:
    Py_DECREF(module);
    return status;
}

bool
readline_module_has_own_completer(void)
{
    PyObject *name = PyUnicode_FromString("readline");
    PyObject *module = name == NULL ? NULL : PyImport_GetModule(name);
    PyObject *completer =
        module == NULL ? NULL
                       : PyObject_CallMethod(module, "get_completer", NULL);
    bool own = completer != NULL && completer != Py_None &&
               completer != rlcompleter_completer;

    Py_XDECREF(completer);
    Py_XDECREF(module);
    Py_XDECREF(name);
    PyErr_Clear();
    return own;
}
