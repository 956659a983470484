/* Tab completion in the interactive shell.  readline asks for matches
 * while the shell's line reader runs without the GIL; the callback takes
 * the GIL and asks complete() from completion.py, whose source is compiled
 * into pyhost at build time (what to offer is easier to read, and to
 * change, in Python; no file is needed at run time). */
#include "host/completion.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

static const char completion_source[] = {
#include "host/completion_source.h"
    '\0'};

/* Word boundaries for completion: Python's operators and brackets, but
 * not "." so that "p.x" is one word whose attributes can be offered. */
static const char word_breaks[] = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?";

/* complete() from completion.py.  readline's completion hook takes no
 * context argument, so the completer lives here, once per process, as
 * readline's own state does. */
static PyObject *complete_function;

static char *
utf8_copy(PyObject *text)
{
    PyObject *bytes =
        PyUnicode_AsEncodedString(text, "utf-8", "surrogateescape");
    char *copy = NULL;
    if (bytes != NULL) {
        copy = strdup(PyBytes_AS_STRING(bytes));
        Py_DECREF(bytes);
    }
    return copy;
}

/* The matches in readline's form: a malloc'd NULL-terminated array whose
 * first entry is the longest common prefix, which replaces the word. */
static char **
matches_from_list(PyObject *list)
{
    Py_ssize_t count = PyList_GET_SIZE(list);
    if (count == 0) {
        return NULL;
    }
    char **matches = calloc((size_t)count + 2, sizeof *matches);
    if (matches == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyList_GET_ITEM(list, i);
        matches[i + 1] = PyUnicode_Check(item) ? utf8_copy(item) : NULL;
        if (matches[i + 1] == NULL) {
            goto fail;
        }
    }
    size_t common = strlen(matches[1]);
    for (Py_ssize_t i = 2; i <= count; i++) {
        size_t same = 0;
        while (same < common && matches[i][same] == matches[1][same]) {
            same++;
        }
        common = same;
    }
    /* Never end the shared prefix inside a UTF-8 character. */
    while (common > 0 && ((unsigned char)matches[1][common] & 0xC0) == 0x80) {
        common--;
    }
    matches[0] = strndup(matches[1], common);
    if (matches[0] == NULL) {
        goto fail;
    }
    if (count == 1) {
        free(matches[1]);
        matches[1] = NULL;
    }
    return matches;
fail:
    for (Py_ssize_t i = 0; i <= count; i++) {
        free(matches[i]);
    }
    free(matches);
    return NULL;
}

/* Calls complete(line, begin, end) on the line up to the cursor, with
 * byte offsets turned into character offsets. */
static PyObject *
ask_completer(int start, int end)
{
    PyObject *before =
        PyUnicode_DecodeUTF8(rl_line_buffer, start, "surrogateescape");
    PyObject *word = PyUnicode_DecodeUTF8(rl_line_buffer + start, end - start,
                                          "surrogateescape");
    PyObject *result = NULL;

    if (before != NULL && word != NULL) {
        PyObject *line = PyUnicode_Concat(before, word);
        if (line != NULL) {
            Py_ssize_t begin = PyUnicode_GET_LENGTH(before);
            result = PyObject_CallFunction(complete_function, "Onn", line,
                                           begin, PyUnicode_GET_LENGTH(line));
            Py_DECREF(line);
        }
    }
    Py_XDECREF(before);
    Py_XDECREF(word);
    return result;
}

static char **
completion_matches(const char *text, int start, int end)
{
    (void)text;
    char **matches = NULL;
    PyGILState_STATE gil = PyGILState_Ensure();

    /* No filename completion when Python has nothing to offer, and no
     * space appended: the next character is often "." or "(". */
    rl_attempted_completion_over = 1;
    rl_completion_append_character = '\0';
    PyObject *list = ask_completer(start, end);
    if (list != NULL && PyList_Check(list)) {
        matches = matches_from_list(list);
    }
    if (PyErr_Occurred()) {
        /* A completer's failure must not disturb the line being typed. */
        PyErr_Clear();
    }
    Py_XDECREF(list);
    PyGILState_Release(gil);
    return matches;
}

int
completion_start(void)
{
    if (complete_function != NULL) {
        return 0;
    }
    PyObject *code = Py_CompileString(completion_source, "<pyhost completion>",
                                      Py_file_input);
    PyObject *module = PyModule_New("_pyhost_completion");
    PyObject *result = NULL;
    int status = -1;

    if (code == NULL || module == NULL) {
        goto done;
    }
    PyObject *globals = PyModule_GetDict(module);
    if (PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) <
        0) {
        goto done;
    }
    result = PyEval_EvalCode(code, globals, globals);
    if (result == NULL) {
        goto done;
    }
    complete_function = PyDict_GetItemString(globals, "complete");
    if (complete_function == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "completion.py lost complete()");
        goto done;
    }
    Py_INCREF(complete_function);
    Py_DECREF(result);
    result = PyObject_CallMethod(module, "take_over", NULL);
    if (result == NULL) {
        goto done;
    }
    rl_attempted_completion_function = completion_matches;
    rl_completer_word_break_characters = (char *)word_breaks;
    rl_bind_key('\t', rl_complete);
    status = 0;
done:
    Py_XDECREF(code);
    Py_XDECREF(module);
    Py_XDECREF(result);
    return status;
}
