/* Signature hints and help at the shell's prompts (signature_hint.h).
 * What to show is found by signature_hint.py (compiled into pyhost, run
 * the first time a hint is asked for); this file shows it.
 *
 * A hint is a line of its own under the line being edited, which is then
 * drawn again below it, as readline draws a list of completions.  When
 * Tab completes a callable, the hint comes after the completion is in
 * the line: pyhost-complete runs readline's complete and then shows the
 * hint that the completion left.  (Bound to complete itself, by the
 * user's inputrc, Tab shows it before the completion is inserted.)  A
 * hint for "len(" is shown again by each Tab, rather than a second Tab
 * listing the one empty completion. */
#include "host/signature_hint.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "host/block_edit.h"
#include "host/embedded_python.h"

static const char signature_hint_source[] = {
#include "host/signature_hint_source.h"
    '\0'};

static prompt_kind_t (*read_at)(void);
static PyObject *hint_module;

static struct {
    bool in_command;  /* pyhost-complete runs */
    char *pending;    /* a hint for pyhost-complete to show */
    bool call_hinted; /* the last Tab showed a "name(" hint */
} hints;

static bool
at_shell_prompt(void)
{
    return read_at != NULL && read_at() != PROMPT_OTHER;
}

static bool
load_module(void)
{
    if (hint_module == NULL) {
        hint_module = embedded_module_load("_pyhost_signature_hint",
                                           signature_hint_source);
    }
    return hint_module != NULL;
}

/* A failed hint is no hint, unless Ctrl-C interrupted it: that is left
 * to abandon the completion. */
static void
forget_failure(void)
{
    if (PyErr_Occurred() && !PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
        PyErr_Clear();
    }
}

/* Shows `hint` on a line of its own below the line being edited, which
 * readline then draws again below it. */
static void
show_hint(const char *hint)
{
    int point = rl_point;
    rl_point = rl_end; /* below the line's last row */
    (*rl_redisplay_function)();
    rl_point = point;
    rl_crlf();
    fputs(hint, rl_outstream);
    rl_crlf();
    fflush(rl_outstream);
    rl_on_new_line();
}

/* Shows the hint that the result of a hint function holds (a str, or
 * None for no hint); returns whether there was one. */
static bool
take_hint(PyObject *result)
{
    if (result == NULL || !PyUnicode_Check(result)) {
        return false;
    }
    PyObject *bytes =
        PyUnicode_AsEncodedString(result, "utf-8", "surrogateescape");
    if (bytes == NULL) {
        return false;
    }
    const char *text = PyBytes_AS_STRING(bytes);
    if (hints.in_command) {
        free(hints.pending);
        hints.pending = strdup(text);
    } else {
        show_hint(text);
    }
    Py_DECREF(bytes);
    return true;
}

char **
signature_hint_for_call(int start)
{
    if (!at_shell_prompt() || start <= 0 || rl_line_buffer[start - 1] != '(') {
        return NULL;
    }
    if (!load_module()) {
        forget_failure();
        return NULL;
    }
    PyObject *before =
        PyUnicode_DecodeUTF8(rl_line_buffer, start, "surrogateescape");
    PyObject *result =
        before == NULL
            ? NULL
            : PyObject_CallMethod(hint_module, "call_hint", "O", before);
    Py_XDECREF(before);
    bool shown = take_hint(result);
    Py_XDECREF(result);
    forget_failure();
    if (!shown) {
        return NULL;
    }
    hints.call_hinted = true;
    /* One empty match: nothing is inserted, and readline does not ring. */
    char **matches = calloc(2, sizeof *matches);
    if (matches != NULL) {
        matches[0] = strdup("");
        if (matches[0] == NULL) {
            free(matches);
            matches = NULL;
        }
    }
    return matches;
}

static bool
ends_with(const char *text, const char *end)
{
    size_t length = strlen(text), end_length = strlen(end);
    return length >= end_length &&
           strcmp(text + length - end_length, end) == 0;
}

void
signature_hint_for_matches(char **matches)
{
    if (!at_shell_prompt() || matches == NULL || matches[0] == NULL ||
        matches[1] != NULL ||
        !(ends_with(matches[0], "(") || ends_with(matches[0], "()"))) {
        return;
    }
    if (!load_module()) {
        forget_failure();
        return;
    }
    PyObject *result =
        PyObject_CallMethod(hint_module, "hint", "s", matches[0]);
    take_hint(result);
    Py_XDECREF(result);
    forget_failure();
}

/* pyhost-complete: readline's complete, then the hint it left. */
static int
complete_with_hint(int count, int key)
{
    if (rl_last_func == complete_with_hint) {
        /* For readline, the last command was complete (a second Tab
         * lists the choices), unless it showed a "name(" hint. */
        rl_last_func = hints.call_hinted ? NULL : rl_complete;
    }
    hints.call_hinted = false;
    hints.in_command = true;
    int status = rl_complete(count, key);
    hints.in_command = false;
    if (hints.pending != NULL) {
        show_hint(hints.pending);
        free(hints.pending);
        hints.pending = NULL;
    }
    return status;
}

void
signature_hint_bind(prompt_kind_t (*prompt_kind)(void))
{
    static const char *const keymaps[] = {"emacs", "vi-insert"};

    read_at = prompt_kind;
    rl_add_defun("pyhost-complete", complete_with_hint, -1);
    for (size_t i = 0; i < sizeof keymaps / sizeof keymaps[0]; i++) {
        Keymap map = rl_get_keymap_by_name(keymaps[i]);
        if (map != NULL) {
            rebind_command(map, rl_complete, complete_with_hint);
        }
    }
}

/* Whether `line` ends in "?", blanks apart. */
static bool
ends_in_question_mark(const char *line)
{
    size_t length = strlen(line);
    while (length > 0 &&
           (line[length - 1] == ' ' || line[length - 1] == '\t')) {
        length--;
    }
    return length > 0 && line[length - 1] == '?';
}

/* The empty line run instead of a help line (NULL, with MemoryError,
 * when memory runs out). */
static char *
empty_line(char *line)
{
    free(line);
    char *empty = strdup("");
    if (empty == NULL) {
        PyErr_NoMemory();
    }
    return empty;
}

char *
signature_hint_help_line(char *line)
{
    if (!ends_in_question_mark(line)) {
        return line;
    }
    if (!load_module()) {
        PyErr_Clear();
        return line;
    }
    int rows = 0, columns = 0;
    rl_get_screen_size(&rows, &columns);
    /* The line reader keeps SIGINT blocked but while it waits: let
     * Ctrl-C interrupt the help (pydoc on a big module takes a while). */
    sigset_t interrupt, saved;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &interrupt, &saved);
    PyObject *result = PyObject_CallMethod(hint_module, "help_gesture", "si",
                                           line, rows > 0 ? rows : 24);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (result != NULL && PyErr_CheckSignals() < 0) {
        Py_CLEAR(result);
    }
    if (result == NULL) {
        if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
            free(line);
            return NULL;
        }
        /* The help failed: say why, and run nothing. */
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyErr_NormalizeException(&type, &value, &traceback);
        PyErr_Display(type, value, traceback);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(traceback);
        return empty_line(line);
    }
    bool shown = PyObject_IsTrue(result) == 1;
    Py_DECREF(result);
    return shown ? empty_line(line) : line;
}
