/* Colour in the interactive shell (colour.h).
 *
 * The policy is python3.13's _colorize.can_colorize, read again at each
 * use, as python3.13 reads os.environ each time (os.environ's changes
 * reach getenv()): PYTHON_COLORS first ("0" off, "1" on; ignored with
 * -E), then NO_COLOR (set and not empty: off), FORCE_COLOR (set and not
 * empty: on), TERM=dumb (off), and last whether the output is a
 * terminal.  The prompt and the line being edited go to standard output
 * (readline's rl_outstream), tracebacks to sys.stderr.
 *
 * Tracebacks: python3.11's REPL prints an exception through
 * sys.excepthook, by default the C printer sys.__excepthook__, which has
 * no colour.  When the shell starts with colour wanted on standard
 * error, pyhost's hook takes its place: at each exception it decides
 * again, for sys.stderr as it then is, and either hands the exception to
 * sys.__excepthook__ or prints it coloured (colour_traceback.py, run the
 * first time it is needed).  A hook the user sets replaces pyhost's, as
 * it replaces python3.11's. */
#include "host/colour.h"

#include <Python.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/embedded_python.h"
#include "host/syntax_highlight.h"

static const char colour_traceback_source[] = {
#include "host/colour_traceback_source.h"
    '\0'};

static bool ignore_environment;

void
colour_configure(void)
{
    PyObject *flags = PySys_GetObject("flags"); /* borrowed */
    PyObject *ignore =
        flags == NULL ? NULL
                      : PyObject_GetAttrString(flags, "ignore_environment");
    ignore_environment = ignore != NULL && PyObject_IsTrue(ignore) == 1;
    Py_XDECREF(ignore);
    PyErr_Clear();
}

static bool
is_set(const char *name)
{
    const char *value = getenv(name);
    return value != NULL && value[0] != '\0';
}

int
colour_by_environment(void)
{
    if (!ignore_environment) {
        const char *python_colors = getenv("PYTHON_COLORS");
        if (python_colors != NULL && strcmp(python_colors, "0") == 0) {
            return 0;
        }
        if (python_colors != NULL && strcmp(python_colors, "1") == 0) {
            return 1;
        }
    }
    if (is_set("NO_COLOR")) {
        return 0;
    }
    if (is_set("FORCE_COLOR")) {
        return 1;
    }
    const char *term = getenv("TERM");
    if (term != NULL && strcmp(term, "dumb") == 0) {
        return 0;
    }
    return -1;
}

bool
colour_wanted(int fd)
{
    int by_environment = colour_by_environment();
    return by_environment >= 0 ? by_environment == 1 : isatty(fd) == 1;
}

/* readline's markers around what takes no room on the screen. */
#define INVISIBLE(sequence) "\001" sequence "\002"
static const char prompt_start[] = INVISIBLE(COLOUR_BOLD_MAGENTA);
static const char prompt_end[] = INVISIBLE(COLOUR_RESET);

static char *shown_prompt;

const char *
colour_line_start(const char *prompt, prompt_kind_t kind, FILE *out)
{
    if (kind == PROMPT_OTHER || !colour_wanted(fileno(out))) {
        return prompt;
    }
    size_t length = strlen(prompt);
    free(shown_prompt);
    shown_prompt =
        malloc(sizeof prompt_start - 1 + length + sizeof prompt_end);
    if (shown_prompt == NULL) {
        return prompt;
    }
    memcpy(shown_prompt, prompt_start, sizeof prompt_start - 1);
    memcpy(shown_prompt + sizeof prompt_start - 1, prompt, length);
    memcpy(shown_prompt + sizeof prompt_start - 1 + length, prompt_end,
           sizeof prompt_end);
    syntax_highlight_begin(shown_prompt, kind == PROMPT_CONTINUATION
                                             ? block_statement_so_far()
                                             : NULL);
    return shown_prompt;
}

void
colour_line_end(void)
{
    syntax_highlight_end();
    free(shown_prompt);
    shown_prompt = NULL;
}

/* Whether a traceback printed to sys.stderr now is coloured: the
 * environment, else _colorize's test of the file (its fileno() a
 * terminal; a file without a descriptor answers with its isatty()). */
static bool
stderr_coloured(void)
{
    int by_environment = colour_by_environment();
    if (by_environment >= 0) {
        return by_environment == 1;
    }
    PyObject *file = PySys_GetObject("stderr"); /* borrowed */
    if (file == NULL || file == Py_None) {
        return false;
    }
    bool coloured = false;
    PyObject *fileno = PyObject_CallMethod(file, "fileno", NULL);
    if (fileno != NULL) {
        long fd = PyLong_AsLong(fileno);
        coloured = fd >= 0 && isatty((int)fd) == 1;
        Py_DECREF(fileno);
    } else if (PyObject_HasAttrString(file, "fileno")) {
        PyErr_Clear();
        PyObject *answer = PyObject_CallMethod(file, "isatty", NULL);
        coloured = answer != NULL && PyObject_IsTrue(answer) == 1;
        Py_XDECREF(answer);
    }
    PyErr_Clear();
    return coloured;
}

static PyObject *traceback_module;

/* sys.excepthook(type, value, traceback). */
static PyObject *
colour_excepthook(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError,
                     "excepthook expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    if (stderr_coloured()) {
        if (traceback_module == NULL) {
            traceback_module = embedded_module_load("_pyhost_colour_traceback",
                                                    colour_traceback_source);
        }
        PyObject *result =
            traceback_module == NULL
                ? NULL
                : PyObject_CallMethod(traceback_module, "print_exception",
                                      "OOO", args[0], args[1], args[2]);
        if (result != NULL) {
            return result;
        }
        PyErr_Clear(); /* printed plain, then */
    }
    PyObject *plain = PySys_GetObject("__excepthook__"); /* borrowed */
    if (plain == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "lost sys.__excepthook__");
        return NULL;
    }
    return PyObject_Vectorcall(plain, args, 3, NULL);
}

static PyMethodDef excepthook_definition = {
    "excepthook", (PyCFunction)(void (*)(void))colour_excepthook,
    METH_FASTCALL,
    PyDoc_STR("excepthook($module, exctype, value, traceback, /)\n--\n\n"
              "Print an exception and its traceback to sys.stderr, in "
              "colour on a terminal\n(pyhost's shell).")};

int
colour_install_excepthook(void)
{
    if (!colour_wanted(STDERR_FILENO)) {
        return 0;
    }
    PyObject *current = PySys_GetObject("excepthook");      /* borrowed */
    PyObject *original = PySys_GetObject("__excepthook__"); /* borrowed */
    if (current == NULL || current != original) {
        return 0; /* the user's own, from PYTHONSTARTUP or an -i script */
    }
    PyObject *hook = PyCFunction_New(&excepthook_definition, NULL);
    if (hook == NULL) {
        return -1;
    }
    int status = PySys_SetObject("excepthook", hook);
    Py_DECREF(hook);
    return status;
}
