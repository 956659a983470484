/* Tab completion in the interactive shell.  readline asks for matches
 * while the shell's line reader runs without the GIL; the callback takes
 * the GIL and asks complete() from completion.py, whose source is built
 * into pyhost (what to offer is easier to read, and to change, in Python;
 * no file is needed at run time).  The source is compiled, and the
 * modules it imports (re, keyword) loaded, at the first Tab, not at
 * start-up: compiling it costs 7 M instructions, a fifth of the shell's
 * whole start-up.
 *
 * The rules are rlcompleter's, which python3.11 users know: Tab on a
 * blank word inserts a tab; a completer set with readline.set_completer
 * is asked instead, through the stdlib module's own completion function
 * (which records get_begidx/get_endidx); Python code run to complete can
 * be interrupted by Ctrl-C, which abandons the completion and leaves the
 * line as it was. */
#include "host/completion.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "host/auto_indent.h"
#include "host/readline_module.h"
#include "host/shell.h"
#include "host/signature_hint.h"

static const char completion_source[] = {
#include "host/completion_source.h"
    '\0'};

/* Word boundaries for completion: Python's operators and brackets, but
 * not "." so that "p.x" is one word whose attributes can be offered (the
 * stdlib readline module's set). */
static const char word_breaks[] = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?";

/* complete() from completion.py, and the stdlib module's completion
 * function.  readline's completion hook takes no context argument, so
 * they live here, once per process, as readline's own state does. */
static PyObject *complete_function;
static rl_completion_func_t *module_completion;
static bool completion_started;

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

static void
free_matches(char **matches)
{
    if (matches != NULL) {
        for (size_t i = 0; matches[i] != NULL; i++) {
            free(matches[i]);
        }
        free(matches);
    }
}

/* The words of complete()'s list, handed to rl_completion_matches one
 * at a time: readline then puts their longest common prefix first, as it
 * does for python3.11's completer, honouring completion-ignore-case and
 * completion-map-case and never ending inside a multibyte character. */
static struct {
    PyObject *list; /* borrowed for the call */
    Py_ssize_t next;
} offered;

/* rl_compentry_func_t: the next word as a malloc'd string, NULL at the
 * end (or with an exception set when memory runs out). */
static char *
next_offered_word(const char *text, int state)
{
    (void)text;
    if (state == 0) {
        offered.next = 0;
    }
    while (offered.next < PyList_GET_SIZE(offered.list)) {
        PyObject *item = PyList_GET_ITEM(offered.list, offered.next++);
        if (PyUnicode_Check(item)) {
            return utf8_copy(item);
        }
    }
    return NULL;
}

/* completion.py, compiled and run once, at the first Tab, as the module
 * _pyhost_completion (kept, unlisted in sys.modules). */
static PyObject *completion_module;

static int
completion_load(void)
{
    if (completion_module != NULL) {
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
    completion_module = module;
    module = NULL;
    status = 0;
done:
    Py_XDECREF(code);
    Py_XDECREF(module);
    Py_XDECREF(result);
    return status;
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

/* rlcompleter's rule: Tab on a blank word indents.  The tab goes in at
 * the cursor and the one empty match keeps readline from ringing. */
static char **
insert_tab(void)
{
    char **matches = calloc(2, sizeof *matches);
    if (matches != NULL) {
        matches[0] = strdup("");
        if (matches[0] == NULL) {
            free(matches);
            return NULL;
        }
    }
    auto_indent_before_typed_tab();
    rl_insert_text("\t");
    rl_redisplay();
    return matches;
}

static bool
is_blank(const char *text)
{
    for (; *text != '\0'; text++) {
        if (!isspace((unsigned char)*text)) {
            return false;
        }
    }
    return true;
}

/* The matches for the word text = rl_line_buffer[start:end].  Needs the
 * GIL; may leave an exception set. */
static char **
find_matches(const char *text, int start, int end)
{
    if (module_completion != NULL && readline_module_has_own_completer()) {
        return module_completion(text, start, end);
    }
    /* No filename completion when Python has nothing to offer, and no
     * space appended: the next character is often "." or "(". */
    rl_attempted_completion_over = 1;
    rl_completion_append_character = '\0';
    if (is_blank(text)) {
        /* After "len(", the callable's signature (signature_hint.c). */
        char **hinted = signature_hint_for_call(start);
        return hinted != NULL || PyErr_Occurred() ? hinted : insert_tab();
    }
    char **matches = NULL;
    PyObject *list = completion_load() < 0 ? NULL : ask_completer(start, end);
    if (list != NULL && PyList_Check(list)) {
        offered.list = list;
        matches = rl_completion_matches(text, next_offered_word);
        offered.list = NULL;
    }
    Py_XDECREF(list);
    signature_hint_for_matches(matches);
    return matches;
}

/* readline's completion hook.  The line reader blocks SIGINT while it
 * handles a key; here it is let through, so that Ctrl-C interrupts
 * Python code that completion runs (a slow __getattr__, a completer that
 * hangs).  KeyboardInterrupt then abandons the completion: no matches,
 * the line untouched, the prompt still there. */
static char **
complete_word(const char *text, int start, int end)
{
    sigset_t interrupt, saved;
    PyGILState_STATE gil = PyGILState_Ensure();

    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &interrupt, &saved);
    char **matches = find_matches(text, start, end);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    /* A Ctrl-C that came while no bytecode ran is still pending. */
    if (PyErr_Occurred() || PyErr_CheckSignals() < 0) {
        /* A completer's failure must not disturb the line being typed. */
        PyErr_Clear();
        free_matches(matches);
        matches = NULL;
    }
    PyGILState_Release(gil);
    return matches;
}

/* get_y_or_n() of readline: y, Y or space say yes; n, N, Rubout, Ctrl-G
 * or Ctrl-C say no; other keys ring.  readline asks by itself only
 * outside callback mode, so the shell asks here, waiting for the key the
 * way the line reader waits for any other. */
static bool
completion_ask_yes_no(void)
{
    for (;;) {
        shell_input_t input = shell_wait_for_input(false);
        if (input == SHELL_INPUT_INTERRUPTED) {
            PyGILState_STATE gil = PyGILState_Ensure();
            PyErr_Clear(); /* Ctrl-C answers no; the line stays */
            PyGILState_Release(gil);
            return false;
        }
        if (input == SHELL_INPUT_CLOSED) {
            return false;
        }
        int key = rl_read_key();
        if (key == 'y' || key == 'Y' || key == ' ') {
            return true;
        }
        if (key == 'n' || key == 'N' || key == 0x7f || key == '\a' ||
            key < 0) {
            return false;
        }
        rl_ding();
    }
}

/* rl_completion_display_matches_hook: readline's own display_matches(),
 * with the question waiting for its answer. */
static void
completion_display(char **matches, int count, int longest)
{
    if (rl_completion_query_items > 0 && count >= rl_completion_query_items &&
        shell_reader_active()) {
        rl_crlf();
        fprintf(rl_outstream, "Display all %d possibilities? (y or n)", count);
        fflush(rl_outstream);
        if (!completion_ask_yes_no()) {
            rl_crlf();
            rl_forced_update_display();
            return;
        }
    }
    rl_display_match_list(matches, count, longest);
    rl_forced_update_display();
}

void
completion_keep_display_hook(void)
{
    if (completion_started && rl_completion_display_matches_hook == NULL) {
        rl_completion_display_matches_hook = completion_display;
    }
}

void
completion_start(rl_completion_func_t *module_function)
{
    if (completion_started) {
        return;
    }
    completion_started = true;
    module_completion = module_function;
    rl_attempted_completion_function = complete_word;
    rl_completer_word_break_characters = (char *)word_breaks;
    rl_completion_display_matches_hook = completion_display;
    rl_bind_key('\t', rl_complete);
}
