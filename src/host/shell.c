/* The interactive shell: CPython's REPL (Py_RunMain) with pyhost's line
 * reader, history and completion.
 *
 * Who owns what.  CPython imports the stdlib readline module before its
 * REPL (unless isolated) and that import installs the module's own line
 * reader; then it calls sys.__interactivehook__, where site would load
 * ~/.python_history and rlcompleter.  pyhost replaces that hook: when both
 * ends of the terminal are ttys, the hook makes pyhost's reader the one
 * PyOS_Readline calls and sets up readline for it, after the readline
 * import, so nothing undoes it.  From then on pyhost owns line input
 * (shell_read_line, below), the terminal modes while a line is read, the
 * history list and file (history.c), and the completion hook
 * (completion.c), which defers to any completer set with
 * readline.set_completer (cmd, pdb).  Scripts that import readline get
 * the same readline state, shared, as the stdlib module documents it.
 * With -I the stdlib module is never imported, and pyhost still gives
 * line editing and completion, with no history file.  With -I, a first
 * `import readline` typed in the shell hands line input over to that
 * module, as its import always does.
 *
 * The reader uses readline's callback interface and select(), with
 * readline's own signal handling off (as the stdlib module does), so that
 * Ctrl-C reaches Python's handler: the line is dropped, the terminal
 * restored, and KeyboardInterrupt raised at the prompt. */
#include "host/shell.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "host/builtin_modules.h"
#include "host/completion.h"
#include "host/history.h"
#include "host/version.h"

bool
shell_take_banner(const cmdline_request_t *request, PyConfig *config)
{
    const char *verbose_variable = getenv("PYTHONVERBOSE");
    bool verbose = request->verbose > 0 ||
                   (!request->ignore_environment && verbose_variable != NULL &&
                    verbose_variable[0] != '\0');
    bool interactive_input = isatty(STDIN_FILENO) || request->interactive;
    /* The condition of CPython's pymain_header(). */
    if (request->quiet ||
        !(verbose || (!request->runs_code && interactive_input))) {
        return false;
    }
    config->quiet = 1; /* an option only ever sets it: parsing keeps it */
    return true;
}

void
shell_print_banner(bool with_help_hint)
{
    fprintf(stderr, "pyhost %s, Python %s on %s\n", PYHOST_VERSION,
            Py_GetVersion(), Py_GetPlatform());
    fputs("Built-in modules:", stderr);
    for (const builtin_module_t *module = builtin_modules; module->name;
         module++) {
        fprintf(stderr, "%s %s", module == builtin_modules ? "" : ",",
                module->name);
    }
    fputs("\n", stderr);
    if (with_help_hint) {
        fputs("Type \"help\", \"copyright\", \"credits\" or \"license\" for "
              "more information.\n",
              stderr);
    }
}

/* The line the readline callback handed over.  The callback interface
 * passes no context, so this is process-wide, as readline itself is. */
static struct {
    char *line; /* malloc'd by readline; NULL at end of input */
    bool done;
} reader_state;

static void
reader_take_line(char *line)
{
    reader_state.line = line;
    reader_state.done = true;
    rl_callback_handler_remove();
}

/* Runs Python's signal handlers, with the GIL; true when one raised. */
static bool
reader_signal_raised(void)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    int raised = PyErr_CheckSignals();
    PyGILState_Release(gil);
    return raised < 0;
}

/* Waits for a line; returns true when a signal handler raised (Ctrl-C).
 * SIGINT stays blocked except inside pselect(), which unblocks it
 * atomically: a Ctrl-C that lands while readline handles a key is kept
 * pending and ends the next wait, instead of being noted by Python's
 * handler and then slept through by a plain select().  One that landed
 * before the block (while the prompt was being set up) is found by the
 * check before the first wait. */
static bool
reader_wait(FILE *in, const char *prompt)
{
    sigset_t interrupt, previous;

    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    pthread_sigmask(SIG_BLOCK, &interrupt, &previous);
    bool raised = reader_signal_raised();
    if (!raised) {
        rl_callback_handler_install(prompt, reader_take_line);
    }
    while (!raised && !reader_state.done) {
        fd_set ready;
        FD_ZERO(&ready);
        FD_SET(fileno(in), &ready);
        int count =
            pselect(fileno(in) + 1, &ready, NULL, NULL, NULL, &previous);
        if (count > 0) {
            rl_callback_read_char();
        } else if (count < 0 && errno == EINTR) {
            raised = reader_signal_raised();
        } else {
            reader_take_line(NULL); /* the terminal went away: end */
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return raised;
}

/* PyOS_ReadlineFunctionPointer: called without the GIL, returns a
 * PyMem_RawMalloc'd line ending in "\n", "" at end of input, or NULL
 * with KeyboardInterrupt (or another signal's exception) set. */
static char *
shell_read_line(FILE *in, FILE *out, const char *prompt)
{
    rl_instream = in;
    rl_outstream = out;
    reader_state.line = NULL;
    reader_state.done = false;
    if (reader_wait(in, prompt)) {
        rl_free_line_state();
        rl_callback_sigcleanup();
        rl_cleanup_after_signal();
        rl_callback_handler_remove();
        return NULL;
    }
    char *line = reader_state.line;
    size_t length = line == NULL ? 0 : strlen(line);
    char *result = PyMem_RawMalloc(length + 2);
    if (result != NULL) {
        if (line == NULL) {
            result[0] = '\0';
        } else {
            history_add_line(line);
            memcpy(result, line, length);
            memcpy(result + length, "\n", 2);
        }
    }
    free(line);
    return result;
}

static bool
is_isolated(void)
{
    PyObject *flags = PySys_GetObject("flags"); /* borrowed */
    PyObject *isolated =
        flags == NULL ? NULL : PyObject_GetAttrString(flags, "isolated");
    bool result = isolated != NULL && PyObject_IsTrue(isolated) == 1;
    Py_XDECREF(isolated);
    PyErr_Clear();
    return result;
}

/* sys.__interactivehook__: called by CPython's REPL once, before the first
 * prompt, after the stdlib readline import (see the head comment). */
static PyObject *
shell_interactive_hook(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    (void)self;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        Py_RETURN_NONE; /* PyOS_Readline would not call a reader anyway */
    }
    rl_readline_name = "pyhost";
    rl_catch_signals = 0;
    rl_initialize();
    using_history();
    if (completion_start() < 0) {
        return NULL;
    }
    PyOS_ReadlineFunctionPointer = shell_read_line;
    if (!is_isolated()) {
        char *path = history_file_path();
        if (path != NULL && !history_start(path, history_size_limit())) {
            fputs("pyhost: history will not be saved\n", stderr);
        }
    }
    Py_RETURN_NONE;
}

static PyMethodDef shell_hook_definition = {
    "__interactivehook__", shell_interactive_hook, METH_NOARGS,
    PyDoc_STR("__interactivehook__()\n--\n\n"
              "pyhost's set-up of line editing, history and completion.")};

int
shell_install(void)
{
    PyObject *hook = PyCFunction_New(&shell_hook_definition, NULL);
    if (hook == NULL) {
        return -1;
    }
    int status = PySys_SetObject("__interactivehook__", hook);
    Py_DECREF(hook);
    return status;
}
