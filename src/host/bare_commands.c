/* Bare commands at the prompt (bare_commands.h).  A name is a command
 * only while it means what the shell gave it: not a name in __main__,
 * and for exit, quit and help still site's objects (types of the module
 * _sitebuiltins; with -S there are none, and "exit" is a NameError as
 * in python3.11); clear, which Python does not define, only while no
 * name in __main__ or builtins holds it.  exit, quit and help become
 * calls that the interactive loop runs; clear is done at the key, with
 * readline's own clear-screen, and nothing runs. */
#include "host/bare_commands.h"

#include <Python.h>

#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

/* `line` without the blanks around it, if that is `name`. */
static bool
is_alone(const char *line, const char *name)
{
    line += strspn(line, " \t");
    size_t length = strlen(name);
    return strncmp(line, name, length) == 0 &&
           line[length + strspn(line + length, " \t")] == '\0';
}

/* Where the prompt would find `name`. */
typedef enum { NAME_FREE, NAME_USERS, NAME_BUILTIN } binding_t;

/* The binding of `name`, and in *value (borrowed) a builtin's value. */
static binding_t
find_name(const char *name, PyObject **value)
{
    PyObject *main_module = PyImport_AddModule("__main__"); /* borrowed */
    PyObject *globals =
        main_module == NULL ? NULL : PyModule_GetDict(main_module);
    PyErr_Clear();
    if (globals != NULL && PyDict_GetItemString(globals, name) != NULL) {
        return NAME_USERS;
    }
    *value = PyDict_GetItemString(PyEval_GetBuiltins(), name);
    return *value == NULL ? NAME_FREE : NAME_BUILTIN;
}

/* Whether `name` still holds what site put in builtins. */
static bool
is_site_command(const char *name)
{
    PyObject *value = NULL;
    if (find_name(name, &value) != NAME_BUILTIN) {
        return false;
    }
    PyObject *module =
        PyObject_GetAttrString((PyObject *)Py_TYPE(value), "__module__");
    bool result =
        module != NULL && PyUnicode_Check(module) &&
        PyUnicode_CompareWithASCIIString(module, "_sitebuiltins") == 0;
    Py_XDECREF(module);
    PyErr_Clear();
    return result;
}

char *
bare_command_call(const char *line)
{
    static const char *const names[] = {"exit", "quit", "help"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (is_alone(line, names[i]) && is_site_command(names[i])) {
            size_t length = strlen(names[i]);
            char *call = malloc(length + 3);
            if (call != NULL) {
                memcpy(call, names[i], length);
                memcpy(call + length, "()", 3);
            }
            return call;
        }
    }
    return NULL;
}

bool
bare_command_clear(void)
{
    if (!is_alone(rl_line_buffer, "clear")) {
        return false;
    }
    PyObject *value = NULL;
    PyGILState_STATE gil = PyGILState_Ensure();
    bool free_name = find_name("clear", &value) == NAME_FREE;
    PyGILState_Release(gil);
    if (!free_name) {
        return false;
    }
    rl_replace_line("", 0);
    rl_point = 0;
    rl_clear_screen(0, 0);
    return true;
}
