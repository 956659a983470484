/* Statements at the shell's prompts (block_input.h).
 *
 * History: the lines of one statement, typed at ">>> " and "... ", make
 * one entry, added when the next statement begins (or input() reads, or
 * input ends), so that Up recalls a whole block; its closing empty line
 * is not part of it.
 *
 * Multi-line buffers: a recalled block, or a paste (bracketed paste puts
 * every line in the buffer), is accepted by readline as one line with
 * "\n"s inside.  CPython's interactive loop reads a statement a line at
 * a time and ends a block at an empty line, so the buffer is handed out
 * line by line: blank lines inside a statement become one space (which
 * the tokenizer skips, unlike an empty line, which would end the block;
 * inside a string they stay as they are), an empty line is given when
 * the loop asks for more after a statement's last line, and lines around
 * statements that hold no code are left out.  Each statement thus runs
 * in turn, its expressions echoed and kept in `_`; when one raises (a
 * new sys.last_value), the rest is dropped, as a file stops at its first
 * uncaught exception.  The state lives across calls of the line reader,
 * which PyOS_Readline makes without context: one record, as readline's
 * own state is. */
#include "host/block_input.h"

#include <Python.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "host/bare_commands.h"
#include "host/history.h"
#include "host/source_lines.h"

static struct {
    char *entry; /* the statement being typed, for the history */
    /* The buffer being handed out, and where: */
    char *text;
    source_line_t *lines;
    size_t count, next;
    bool statement_given; /* a statement's lines were given, not yet the
                             empty line that may close it */
    PyObject *last_error; /* sys.last_value when the statement began */
} block;

static bool
is_string(PyObject *value, const char *text)
{
    if (value == NULL || !PyUnicode_Check(value)) {
        return false;
    }
    const char *utf8 = PyUnicode_AsUTF8(value);
    if (utf8 == NULL) {
        PyErr_Clear();
        return false;
    }
    return strcmp(utf8, text) == 0;
}

prompt_kind_t
block_prompt_kind(const char *prompt)
{
    if (PyEval_GetFrame() != NULL) {
        return PROMPT_OTHER;
    }
    /* sys.ps1 and ps2 are compared only when they are strings: str() of
     * another object may run code, or give another text each time. */
    if (is_string(PySys_GetObject("ps1"), prompt)) {
        return PROMPT_FIRST;
    }
    return is_string(PySys_GetObject("ps2"), prompt) ? PROMPT_CONTINUATION
                                                     : PROMPT_FIRST;
}

/* The entry without its trailing blank lines: an empty line closed the
 * block, and is no part of it. */
static void
trim_entry(char *entry)
{
    size_t end = strlen(entry);
    for (size_t i = end; i-- > 0;) {
        if (entry[i] == '\n') {
            end = i;
        } else if (entry[i] != ' ' && entry[i] != '\t') {
            break;
        }
    }
    entry[end] = '\0';
}

void
block_finish(void)
{
    if (block.entry != NULL) {
        trim_entry(block.entry);
        histfile_add_line(block.entry);
        free(block.entry);
        block.entry = NULL;
    }
}

static void
drop_buffer(void)
{
    free(block.text);
    free(block.lines);
    block.text = NULL;
    block.lines = NULL;
    block.count = block.next = 0;
    block.statement_given = false;
    Py_CLEAR(block.last_error);
}

/* Whether the last statement handed out raised: the interactive loop
 * printed an exception, which sets sys.last_value. */
static bool
statement_raised(void)
{
    PyObject *error = PySys_GetObject("last_value"); /* borrowed */
    return error != NULL && error != block.last_error;
}

/* Line `index` as the interactive loop is to read it. */
static char *
copy_line(size_t index)
{
    const source_line_t *line = &block.lines[index];
    if (line->length == 0 && !line->in_string) {
        return strdup(" "); /* skipped, where "" would end the block */
    }
    return strndup(block.text + line->start, line->length);
}

/* The next line of the buffer for a read at `kind`, or NULL. */
static char *
next_buffered_line(prompt_kind_t kind)
{
    if (block.text == NULL) {
        return NULL;
    }
    if (statement_raised()) {
        drop_buffer();
        return NULL;
    }
    while (block.next < block.count && !block.lines[block.next].in_statement) {
        block.next++;
    }
    bool ends =
        block.next == block.count || block.lines[block.next].starts_statement;
    if (kind == PROMPT_CONTINUATION && ends && block.statement_given) {
        block.statement_given = false;
        return strdup(""); /* the empty line that closes a block */
    }
    if (block.next == block.count || (kind == PROMPT_CONTINUATION && ends)) {
        /* Done; or the loop wants more than the statement holds (an
         * unclosed bracket): the user types the rest. */
        drop_buffer();
        return NULL;
    }
    if (block.lines[block.next].starts_statement) {
        PyObject *error = PySys_GetObject("last_value");
        Py_XINCREF(error);
        Py_XSETREF(block.last_error, error);
    }
    block.statement_given = true;
    return copy_line(block.next++);
}

char *
block_next_line(prompt_kind_t kind)
{
    if (kind != PROMPT_CONTINUATION) {
        block_finish(); /* a statement begins, or input() reads */
    }
    /* input() reads the terminal, as in a script, not the buffer. */
    return kind == PROMPT_OTHER ? NULL : next_buffered_line(kind);
}

/* Appends `line` to the statement's history entry (its first line at
 * ">>> "); the entry keeps what it had when memory runs out. */
static void
note_line(const char *line, prompt_kind_t kind)
{
    if (kind == PROMPT_FIRST || block.entry == NULL) {
        block_finish();
        block.entry = strdup(line);
        return;
    }
    size_t length = strlen(block.entry);
    char *longer = realloc(block.entry, length + strlen(line) + 2);
    if (longer != NULL) {
        longer[length] = '\n';
        strcpy(longer + length + 1, line);
        block.entry = longer;
    }
}

char *
block_take_line(char *line, prompt_kind_t kind)
{
    if (kind == PROMPT_OTHER) {
        histfile_add_line(line);
        return line;
    }
    note_line(line, kind);
    if (strchr(line, '\n') == NULL) {
        char *call = kind == PROMPT_FIRST ? bare_command_call(line) : NULL;
        if (call != NULL) {
            free(line);
            return call;
        }
        return line;
    }
    drop_buffer();
    bool open = kind == PROMPT_CONTINUATION;
    block.lines = source_lines_scan(line, strlen(line), open, &block.count);
    if (block.lines == NULL) {
        free(line);
        return NULL;
    }
    block.text = line;
    block.statement_given = open;
    block.last_error = PySys_GetObject("last_value");
    Py_XINCREF(block.last_error);
    char *first = next_buffered_line(kind);
    /* A buffer of blank lines only: one empty line, as typed. */
    return first != NULL ? first : strdup("");
}

const char *
block_statement_so_far(void)
{
    return block.entry;
}
