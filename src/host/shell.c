/* The interactive shell: CPython's REPL (Py_RunMain) with pyhost's line
 * reader, history and completion.
 *
 * Who owns what.  CPython imports the stdlib readline module before its
 * REPL (unless isolated); the import sets up readline (name "python",
 * inputrc, key bindings, a SIGWINCH handler, its completion function)
 * and installs the module's own line reader.  Then CPython calls
 * sys.__interactivehook__, where site would load ~/.python_history and
 * rlcompleter.  pyhost replaces that hook: when both ends are ttys, it
 * makes pyhost's reader the one PyOS_Readline calls, binds Tab to
 * completion and reads the user's inputrc again so that its bindings and
 * settings win (as site does), and starts the history file.  With -I
 * python3.11 adds no hook and has no line editing; pyhost sets up the
 * same reader before the REPL starts instead, importing the readline
 * module itself first, so that a later import (pdb, cmd) finds it loaded
 * and cannot reset readline under the shell (clear the history, rebind
 * Tab).  From then on pyhost owns line input (shell_read_line, below),
 * the terminal modes while a line is read, the history list and file
 * (history.c), and the completion hook (completion.c), which defers to
 * any completer set with readline.set_completer (cmd, pdb).  CPython's
 * import of rlcompleter before its REPL is kept from happening (see
 * "rlcompleter at start-up" below).  User code (PYTHONSTARTUP, an -i
 * script) runs between CPython's readline import and the hook, so the
 * readline module's set_auto_history and set_completer are wrapped
 * (readline_module.c) before it, at the first "cpython.run_*" audit event
 * (shell_audit_hook).
 *
 * What the hook does before the first prompt is the shell's start-up
 * time, which must stay below python3.11's (`make bench`): readline's
 * own set-up and key bindings, in C, and the history file.  Anything that
 * runs Python code or imports a module (completion.py, a colouriser, a
 * signature lookup) is loaded when first used: at the first Tab, the
 * first key, the first line.
 *
 * The reader does what the stdlib module's reader does, with readline's
 * callback interface and pselect(): readline's own signal handling is
 * off so that Ctrl-C reaches Python's handler (the line is dropped, the
 * terminal restored, and KeyboardInterrupt raised at the prompt); a
 * window resize is passed on to readline; PyOS_InputHook runs about ten
 * times a second while the prompt waits, so that Tk and matplotlib
 * windows stay alive.  `readline_lock` is held whenever this thread
 * works on readline's state, and dropped while it waits, so that the
 * SIGHUP/SIGTERM watcher (fatal_signal.c) saves the history only while
 * readline is idle. */
#include "host/shell.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "host/auto_indent.h"
#include "host/block_edit.h"
#include "host/block_input.h"
#include "host/builtin_modules.h"
#include "host/colour.h"
#include "host/completion.h"
#include "host/history.h"
#include "host/key_input.h"
#include "host/readline_module.h"
#include "host/signature_hint.h"
#include "host/syntax_highlight.h"
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

/* How often PyOS_InputHook runs while the prompt waits: python3.11's
 * readline module polls every 0.1 s, which Tk's and matplotlib's event
 * loops are tuned for. */
#define INPUT_HOOK_INTERVAL_NS 100000000L

static pthread_mutex_t readline_lock = PTHREAD_MUTEX_INITIALIZER;

/* Set by the SIGWINCH handler, read by the waiting loop. */
static volatile sig_atomic_t resize_pending;
static struct sigaction previous_resize_action;

/* The line being read.  The callback interface passes no context, so
 * this is process-wide, as readline itself is. */
static struct {
    char *line;         /* malloc'd by readline; NULL at end of input */
    bool done;          /* the callback handed a line over */
    bool installed;     /* readline's callback handler (and its terminal
                           modes) are in place */
    bool active;        /* shell_read_line runs */
    prompt_kind_t kind; /* for which prompt */
    sigset_t wait_mask; /* the signal mask while waiting (SIGINT open) */
    /* The terminal's modes before readline changed them for this line,
     * for a SIGTERM death that cannot go through readline. */
    int terminal_fd;
    bool modes_saved;
    struct termios modes;
} reader;

static void
reader_take_line(char *line)
{
    reader.line = line;
    reader.done = true;
    reader.installed = false;
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

static void
reader_resize_handler(int signum)
{
    int saved_errno = errno;
    resize_pending = 1;
    /* The stdlib module's handler was there first: keep it informed. */
    void (*previous)(int) = previous_resize_action.sa_handler;
    if (!(previous_resize_action.sa_flags & SA_SIGINFO) &&
        previous != SIG_DFL && previous != SIG_IGN && previous != NULL) {
        previous(signum);
    }
    errno = saved_errno;
}

/* readline's callback mode installs no SIGWINCH handler of its own. */
static void
reader_follow_resizes(void)
{
    struct sigaction action = {0};
    action.sa_handler = reader_resize_handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGWINCH, &action, &previous_resize_action);
}

bool
shell_reader_active(void)
{
    return reader.active;
}

/* Which prompt the line being read is for (block_edit.c asks). */
static prompt_kind_t
reader_prompt_kind(void)
{
    return reader.active ? reader.kind : PROMPT_OTHER;
}

/* Calls PyOS_InputHook, if set, with SIGINT open as in the wait, so that
 * Ctrl-C interrupts Python code the hook runs (a Tk callback); Python's
 * handler then only notes the signal, and the caller checks.  Returns
 * whether the hook ran. */
static bool
reader_run_input_hook(void)
{
    sigset_t blocked;
    int (*hook)(void) = PyOS_InputHook;

    if (hook == NULL) {
        return false;
    }
    pthread_sigmask(SIG_SETMASK, &reader.wait_mask, &blocked);
    hook();
    pthread_sigmask(SIG_SETMASK, &blocked, NULL);
    return true;
}

/* SIGINT stays blocked except inside pselect(), which unblocks it
 * atomically, and while readline or the input hook run (with a check of
 * Python's signal flag after them): a Ctrl-C is never noted by Python's
 * handler and then slept through by a plain select().
 *
 * The limit: pselect()'s mask is this thread's alone.  A SIGINT that
 * the kernel gives to another thread (one the user started, which does
 * not block it) runs Python's handler there, which only sets the flag;
 * this thread sleeps on until the next key or, with an input hook, the
 * next poll, a tenth of a second later.  Linux normally gives a signal
 * sent to the process to its main thread when that thread does not block
 * it, so a Ctrl-C that comes while the REPL (on the main thread) waits
 * here is its own; one that comes while it handles a key is found by
 * the check after the step.  (python3.11's select() has the same
 * limit.) */
shell_input_t
shell_wait_for_input(bool follow_resize)
{
    int fd = fileno(rl_instream);

    for (;;) {
        if (follow_resize && resize_pending && reader.installed) {
            resize_pending = 0;
            syntax_highlight_resize_terminal();
        }
        if (key_input_pending()) {
            return SHELL_INPUT_READY;
        }
        fd_set ready;
        FD_ZERO(&ready);
        FD_SET(fd, &ready);
        struct timespec poll = {0, INPUT_HOOK_INTERVAL_NS};
        pthread_mutex_unlock(&readline_lock);
        int count =
            pselect(fd + 1, &ready, NULL, NULL,
                    PyOS_InputHook != NULL ? &poll : NULL, &reader.wait_mask);
        int error = errno;
        bool hook_ran = reader_run_input_hook();
        pthread_mutex_lock(&readline_lock);
        if (count < 0 && error != EINTR) {
            return SHELL_INPUT_CLOSED;
        }
        if ((count < 0 || hook_ran) && reader_signal_raised()) {
            return SHELL_INPUT_INTERRUPTED;
        }
        if (count > 0) {
            return SHELL_INPUT_READY;
        }
    }
}

/* Waits for a line; returns true when a signal handler raised (Ctrl-C).
 * A Ctrl-C that landed before SIGINT was blocked (while the prompt was
 * being set up) is found by the check before the first wait. */
static bool
reader_wait(const char *prompt)
{
    sigset_t blocked;

    bool raised = reader_signal_raised();
    if (!raised) {
        /* SIGINT is open around each readline step, which may run
         * Python code (startup and display hooks set through the
         * readline module, completion), so that Ctrl-C interrupts it;
         * one that lands outside Python code is found by the check. */
        reader.terminal_fd = fileno(rl_instream);
        reader.modes_saved = tcgetattr(reader.terminal_fd, &reader.modes) == 0;
        pthread_sigmask(SIG_SETMASK, &reader.wait_mask, &blocked);
        rl_callback_handler_install(prompt, reader_take_line);
        pthread_sigmask(SIG_SETMASK, &blocked, NULL);
        reader.installed = true;
        auto_indent_begin_line();
        raised = reader_signal_raised();
    }
    while (!raised && !reader.done) {
        switch (shell_wait_for_input(true)) {
        case SHELL_INPUT_READY:
            pthread_sigmask(SIG_SETMASK, &reader.wait_mask, &blocked);
            rl_callback_read_char();
            pthread_sigmask(SIG_SETMASK, &blocked, NULL);
            /* Once the line is complete, a late Ctrl-C is left to
             * interrupt the code it runs, as in python3.11. */
            raised = !reader.done && reader_signal_raised();
            break;
        case SHELL_INPUT_INTERRUPTED:
            raised = true;
            break;
        case SHELL_INPUT_CLOSED:
            reader_take_line(NULL); /* end of input */
            break;
        }
    }
    return raised;
}

/* The line with "\n" in a PyMem_RawMalloc'd buffer ("" at end of input);
 * NULL with MemoryError set when memory runs out. */
static char *
reader_result(const char *line)
{
    size_t length = line == NULL ? 0 : strlen(line);
    char *result = PyMem_RawMalloc(length + 2);
    if (result != NULL) {
        if (line == NULL) {
            result[0] = '\0';
        } else {
            memcpy(result, line, length);
            memcpy(result + length, "\n", 2);
        }
    } else {
        PyGILState_STATE gil = PyGILState_Ensure();
        PyErr_NoMemory();
        PyGILState_Release(gil);
    }
    return result;
}

/* Reads a line from the terminal into reader.line (NULL at end of
 * input); returns true when a signal handler raised (Ctrl-C).  input()
 * and pdb read with bracketed paste off, as python3.11 reads any line: a
 * pasted line each is what they expect. */
static bool
reader_read_terminal(const char *prompt)
{
    char *paste_setting = NULL;
    if (reader.kind == PROMPT_OTHER) {
        const char *value = rl_variable_value("enable-bracketed-paste");
        paste_setting = value == NULL ? NULL : strdup(value);
        rl_variable_bind("enable-bracketed-paste", "off");
    }
    bool raised = reader_wait(prompt);
    if (raised) {
        rl_free_line_state();
        rl_callback_sigcleanup();
        rl_cleanup_after_signal();
        rl_callback_handler_remove();
        reader.installed = false;
    }
    if (paste_setting != NULL) {
        rl_variable_bind("enable-bracketed-paste", paste_setting);
        free(paste_setting);
    }
    return raised;
}

/* PyOS_ReadlineFunctionPointer: called without the GIL, returns a
 * PyMem_RawMalloc'd line ending in "\n", "" at end of input, or NULL
 * with KeyboardInterrupt (or another signal's exception) set.  A line of
 * a multi-line buffer already read is handed out without reading the
 * terminal (block_input.c). */
static char *
shell_read_line(FILE *in, FILE *out, const char *prompt)
{
    sigset_t interrupt;
    char *result = NULL;

    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    pthread_sigmask(SIG_BLOCK, &interrupt, &reader.wait_mask);
    pthread_mutex_lock(&readline_lock);
    PyGILState_STATE gil = PyGILState_Ensure();
    reader.kind = block_prompt_kind(prompt);
    char *line = block_next_line(reader.kind);
    PyGILState_Release(gil);
    if (line != NULL) {
        goto hand_out;
    }
    rl_instream = in;
    rl_outstream = out;
    reader.line = NULL;
    reader.done = false;
    reader.active = true;
    completion_keep_display_hook();
    /* At ">>> " and "... ", a coloured prompt and line (colour.c). */
    bool raised =
        reader_read_terminal(colour_line_start(prompt, reader.kind, out));
    colour_line_end();
    auto_indent_end_line(raised ? NULL : reader.line);
    if (raised) {
        goto done;
    }
    if (reader.line == NULL) {
        block_finish();
        result = reader_result(NULL);
        goto done;
    }
    gil = PyGILState_Ensure();
    bool typed_line = strchr(reader.line, '\n') == NULL;
    line = block_take_line(reader.line, reader.kind);
    if (line == NULL) {
        PyErr_NoMemory();
    } else if (typed_line && reader.kind == PROMPT_FIRST) {
        line = signature_hint_help_line(line); /* "obj?" */
    }
    PyGILState_Release(gil);
    if (line == NULL) {
        goto done;
    }
hand_out:
    auto_indent_note_line(line, reader.kind);
    result = reader_result(line);
    free(line);
done:
    reader.active = false;
    pthread_mutex_unlock(&readline_lock);
    pthread_sigmask(SIG_SETMASK, &reader.wait_mask, NULL);
    return result;
}

/* How long a SIGHUP/SIGTERM death waits for the reader to be idle.  The
 * reader drops its lock whenever it waits for a key and keeps it only
 * while readline handles one, which is quick unless that runs Python code
 * that hangs (a completer) or writes to a terminal whose output is
 * stopped (Ctrl-S).  fatal_signal.c ends the process a second later in
 * any case. */
#define DEATH_WAIT_SECONDS 1

/* On the watcher thread, before SIGHUP or SIGTERM ends the process: put
 * the terminal back and save the history.  If the reader cannot be had
 * idle, the main thread is stuck inside readline, maybe in a write() that
 * holds readline's state and stdout's stdio lock, so nothing of readline
 * or stdio is called: the modes saved before the line began go back with
 * tcsetattr() on the descriptor, which cannot block.  The same is done
 * first when the reader is idle, before the history is saved and then
 * readline's own clean-up runs (whose writes and TCSADRAIN may block on
 * a stopped terminal; fatal_signal.c's deadline ends that).  The history
 * is saved either way: its lines are pyhost's own copy (history.c), not
 * readline's list.  The lock is kept: the process is about to die. */
static void
shell_before_death(int signum)
{
    struct timespec deadline;

    (void)signum;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += DEATH_WAIT_SECONDS;
    bool idle = pthread_mutex_timedlock(&readline_lock, &deadline) == 0;
    if (reader.modes_saved && (reader.installed || !idle)) {
        tcsetattr(reader.terminal_fd, TCSANOW, &reader.modes);
    }
    if (idle) {
        block_finish(); /* the statement being typed or run is kept too */
    }
    histfile_save();
    if (idle && reader.installed) {
        rl_callback_handler_remove();
        reader.installed = false;
    }
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

/* The stdlib readline module, imported if it is not yet (see the head
 * comment); returns the completion function it installed, or NULL when
 * it cannot be imported, and pyhost edits lines without it. */
static rl_completion_func_t *
shell_import_readline(void)
{
    PyObject *module = PyImport_ImportModule("readline");
    if (module == NULL) {
        PyErr_Clear();
        return NULL;
    }
    Py_DECREF(module);
    return rl_attempted_completion_function;
}

/* TERM unset, empty or "dumb", as readline judges a terminal dumb. */
static bool
terminal_is_dumb(void)
{
    const char *term = getenv("TERM");
    return term == NULL || *term == '\0' || strcmp(term, "dumb") == 0;
}

/* {=====  rlcompleter at start-up
 *
 * Before its first prompt CPython imports readline and then rlcompleter
 * (pymain_import_readline), only so that site's interactive hook finds
 * rlcompleter's completer installed.  pyhost's shell completes by itself,
 * and that import, inspect's mostly (ast, dis, enum, tokenize, re), is a
 * third of python3.11's time to its first prompt, so pyhost keeps it from
 * happening: a None in sys.modules makes CPython's import fail, which it
 * ignores, and is taken out again before any user code runs (at the first
 * "cpython.run_*" audit event or in the interactive hook, whichever comes
 * first), so that `import rlcompleter` works for the user as ever.  A
 * later import of it installs its completer, which readline_module.c
 * recognises: it gives way to pyhost's, as it did at start-up. */
static bool rlcompleter_blocked;

/* Blocks CPython's import of rlcompleter for its REPL, unless it is
 * imported already (a sitecustomize).  Returns 0, or -1 with a Python
 * exception. */
static int
shell_block_rlcompleter(void)
{
    PyObject *modules = PyImport_GetModuleDict(); /* borrowed */
    PyObject *name = PyUnicode_FromString("rlcompleter");
    int present = name == NULL ? -1 : PyDict_Contains(modules, name);
    int status = present;
    if (present == 0) {
        status = PyDict_SetItem(modules, name, Py_None);
        rlcompleter_blocked = status == 0;
    }
    Py_XDECREF(name);
    return status < 0 ? -1 : 0;
}

/* Takes the None out of sys.modules, if it is still there. */
static int
shell_unblock_rlcompleter(void)
{
    if (!rlcompleter_blocked) {
        return 0;
    }
    rlcompleter_blocked = false;
    PyObject *modules = PyImport_GetModuleDict(); /* borrowed */
    PyObject *entry = PyDict_GetItemString(modules, "rlcompleter");
    if (entry == Py_None && PyDict_DelItemString(modules, "rlcompleter") < 0) {
        return -1;
    }
    return 0;
}

/* The moment after CPython's start-up imports and before any user code:
 * rlcompleter unblocked, the readline module's functions wrapped.  Needs
 * the GIL.  Returns 0, or -1 with a Python exception. */
static int
shell_note_startup(void)
{
    int unblocked = shell_unblock_rlcompleter();
    int wrapped = readline_module_wrap();
    return unblocked < 0 || wrapped < 0 ? -1 : 0;
}

/* }===== */

/* Makes pyhost's reader the shell's, once.  Needs the GIL. */
static int
shell_start(bool with_history)
{
    static bool started;
    if (started) {
        return 0;
    }
    rl_completion_func_t *module_completion = shell_import_readline();
    /* The stdlib module's name, so that `$if python` sections of inputrc
     * apply as they do for python3.11 (and under -I too). */
    rl_readline_name = "python";
    rl_catch_signals = 0;
    rl_initialize(); /* reads inputrc, unless the module did already */
    using_history();
    if (shell_note_startup() < 0) {
        return -1;
    }
    completion_start(module_completion);
    block_edit_bind(reader_prompt_kind);
    signature_hint_bind(reader_prompt_kind);
    key_input_install();
    auto_indent_start(reader_prompt_kind);
    colour_configure();
    if (colour_install_excepthook() < 0) {
        return -1;
    }
    /* Bracketed paste on (but never on a dumb terminal, where readline
     * itself keeps it off: its escape sequences would show as text),
     * which python3.11's readline module turns off
     * (its REPL would take a pasted block as one line, and compile only
     * its first statement): pyhost hands such a buffer out statement by
     * statement (block_input.c). */
    if (!terminal_is_dumb()) {
        rl_variable_bind("enable-bracketed-paste", "on");
    }
    /* pyhost's defaults are in place (Tab completes); the user's inputrc
     * is read again over them, as site.py does for python3.11, so that
     * its bindings and settings (TAB: menu-complete, enable-bracketed-
     * paste off) win. */
    rl_read_init_file(NULL);
    reader_follow_resizes();
    PyOS_ReadlineFunctionPointer = shell_read_line;
    started = true;
    if (with_history && !histfile_start(shell_before_death)) {
        fputs("pyhost: history will not be saved\n", stderr);
    }
    return 0;
}

/* sys.__interactivehook__: called by CPython's REPL once, before the first
 * prompt, after the stdlib readline import (see the head comment). */
static PyObject *
shell_interactive_hook(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    (void)self;
    if (shell_note_startup() < 0) {
        return NULL;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        Py_RETURN_NONE; /* PyOS_Readline would not call a reader anyway */
    }
    if (shell_start(true) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef shell_hook_definition = {
    "__interactivehook__", shell_interactive_hook, METH_NOARGS,
    PyDoc_STR("__interactivehook__()\n--\n\n"
              "pyhost's set-up of line editing, history and completion.")};

/* The first "cpython.run_*" audit event (PYTHONSTARTUP, the -i script,
 * -c, -m) comes after CPython imported readline for its REPL and before
 * any user code: the moment for shell_note_startup.  The hook stays
 * installed (audit hooks cannot be removed) but does nothing more. */
static int
shell_audit_hook(const char *event, PyObject *args, void *data)
{
    static bool noted;
    (void)args;
    (void)data;
    if (noted || strncmp(event, "cpython.run_", 12) != 0 ||
        PyInterpreterState_Get() != PyInterpreterState_Main()) {
        return 0;
    }
    noted = true;
    if (shell_note_startup() < 0) {
        PyErr_Print(); /* the shell works on, as with a failed take-over */
    }
    return 0;
}

int
shell_install(const cmdline_request_t *request)
{
    histfile_configure();
    /* A shell will read from the terminal exactly when CPython would
     * import readline for it (pymain_import_readline), which it skips
     * under -I. */
    bool shell_follows =
        (!request->runs_code || request->interactive) && isatty(STDIN_FILENO);
    if (is_isolated()) {
        /* No hook (python3.11 -I adds none). */
        if (shell_follows && isatty(STDOUT_FILENO)) {
            return shell_start(false);
        }
        return 0;
    }
    /* Without user code before the REPL (PYTHONSTARTUP; -i with a
     * script, -c or -m), the interactive hook is moment enough, and the
     * session pays for no audit hook. */
    const char *startup = getenv("PYTHONSTARTUP");
    bool code_first =
        request->runs_code || (!request->ignore_environment &&
                               startup != NULL && startup[0] != '\0');
    if (shell_follows && code_first &&
        PySys_AddAuditHook(shell_audit_hook, NULL) < 0) {
        return -1;
    }
    if (shell_follows && shell_block_rlcompleter() < 0) {
        return -1;
    }
    PyObject *hook = PyCFunction_New(&shell_hook_definition, NULL);
    if (hook == NULL) {
        return -1;
    }
    int status = PySys_SetObject("__interactivehook__", hook);
    Py_DECREF(hook);
    return status;
}
