/* Syntax highlighting of the line being edited (syntax_highlight.h).
 *
 * readline draws the line itself, uncoloured, and knows what is on the
 * screen: its redisplay compares the line with what it drew before and
 * writes only what changed, moving the cursor by its own record of where
 * everything is.  So that this record stays true, pyhost lets readline
 * draw, then writes the same characters again over them, in colour:
 * from the cursor up to where the line starts (after the prompt), each
 * character at the very cell readline gave it, and back to the cursor.
 * The screen then holds exactly what readline believes it holds, but for
 * the colours, and its next redisplay works as it always does.
 *
 * That needs readline's layout: the prompt's width, then each character
 * in turn, a row of the screen's width filled before the next begins, a
 * newline of a recalled block starting a new row, a tab reaching the
 * next multiple of 8 columns, a double-width character that does not fit
 * at the end of a row going to the next (display.c, rl_redisplay).
 * Whenever pyhost cannot be sure of it the line is left as readline drew
 * it: a prompt or line with control characters or bytes that are not
 * text in the locale, horizontal-scroll-mode, show-mode-in-prompt or
 * byte-oriented on, a terminal readline cannot move up on (dumb, or
 * without a terminfo entry: then it scrolls the line sideways), a line
 * taller than the screen (a big paste: then nothing is written twice),
 * and while readline shows something else than the line after the
 * prompt (Ctrl-R's search, a numeric argument) or highlights a region
 * itself (a paste just made, before the next key).  The rows are reached
 * by relative moves (CUU, CUD, CUF and carriage return), which never
 * scroll, and never by writing past a row's end, so that terminals that
 * wrap differently are no trouble.
 *
 * pyhost's redisplay function is readline's only while a line is
 * highlighted, since readline behaves otherwise with one of the
 * application's: it skips the terminal's description if it initialises
 * then (it has, by then), and after a resize it only draws the line again
 * where the cursor is, which syntax_highlight_resize_terminal avoids. */
#include "host/syntax_highlight.h"

#include <Python.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "host/colour.h"
#include "host/python_lexer.h"

/* python3.14's theme (Lib/_colorize.py, class Syntax). */
static const char *const class_colours[LEX_CLASS_COUNT] = {
    [LEX_PLAIN] = NULL,
    [LEX_KEYWORD] = COLOUR_BOLD_BLUE,
    [LEX_CONSTANT] = COLOUR_BOLD_BLUE,
    [LEX_SOFT_KEYWORD] = COLOUR_BOLD_BLUE,
    [LEX_BUILTIN] = COLOUR_CYAN,
    [LEX_COMMENT] = COLOUR_RED,
    [LEX_STRING] = COLOUR_GREEN,
    [LEX_NUMBER] = COLOUR_YELLOW,
    [LEX_DEFINITION] = COLOUR_BOLD};

/* A context longer than this is not taken into account. */
#define CONTEXT_LIMIT 65536

static lex_names_t builtin_names;

/* A growing buffer of bytes. */
typedef struct {
    char *bytes;
    size_t length, size;
} buffer_t;

static bool
buffer_reserve(buffer_t *buffer, size_t more)
{
    if (buffer->length + more <= buffer->size) {
        return true;
    }
    size_t size = buffer->size == 0 ? 4096 : buffer->size;
    while (size < buffer->length + more) {
        size *= 2;
    }
    char *bytes = realloc(buffer->bytes, size);
    if (bytes == NULL) {
        return false;
    }
    buffer->bytes = bytes;
    buffer->size = size;
    return true;
}

static void
buffer_add(buffer_t *buffer, const char *bytes, size_t length)
{
    if (length > 0 && buffer_reserve(buffer, length)) {
        memcpy(buffer->bytes + buffer->length, bytes, length);
        buffer->length += length;
    }
}

static void
buffer_add_string(buffer_t *buffer, const char *text)
{
    buffer_add(buffer, text, strlen(text));
}

/* A cursor move: CSI count letter, for a count above 0. */
static void
buffer_move(buffer_t *buffer, int count, char letter)
{
    if (count > 0) {
        char sequence[24];
        int length =
            snprintf(sequence, sizeof sequence, "\x1b[%d%c", count, letter);
        buffer_add(buffer, sequence, (size_t)length);
    }
}

static struct {
    bool active;
    const char *prompt;
    int prompt_width;  /* columns of the prompt's last line; -1: unknown */
    bool layout_known; /* readline's settings allow the layout below */
    bool mark_modified;
    bool byte_oriented; /* readline's byte-oriented setting */
    const char *context;
    size_t context_length;
    bool coloured; /* cells of the line on the screen are coloured */
    buffer_t text, out;
    unsigned char *classes;
    size_t classes_size;
} hl;

/* Whether the last redisplay showed a message instead of the prompt
 * (Ctrl-R's search, a numeric argument), and whether the line is being
 * drawn anew. */
static bool showing_message, drawing_anew;

/* The columns a character takes, for the multibyte character at `text`
 * (`left` bytes there): sets *bytes; -1 when it cannot be told. */
static int
character_width(const char *text, size_t left, size_t *bytes)
{
    unsigned char c = (unsigned char)text[0];
    *bytes = 1;
    if (c < 0x20 || c == 0x7f) {
        return -1;
    }
    if (c < 0x80) {
        return 1;
    }
    if (MB_CUR_MAX == 1 || hl.byte_oriented) {
        return -1;
    }
    mbstate_t state;
    memset(&state, 0, sizeof state);
    wchar_t wide;
    size_t length = mbrtowc(&wide, text, left, &state);
    if (length == (size_t)-1 || length == (size_t)-2 || length == 0) {
        return -1;
    }
    *bytes = length;
    return wcwidth(wide);
}

/* The columns of the prompt's last line (after its last newline),
 * without what lies between \001 and \002; -1 when it cannot be told. */
static int
prompt_columns(const char *prompt)
{
    const char *newline = strrchr(prompt, '\n');
    const char *text = newline == NULL ? prompt : newline + 1;
    size_t left = strlen(text);
    int columns = 0;
    bool invisible = false;
    while (left > 0) {
        size_t bytes = 1;
        if (*text == '\001') {
            invisible = true;
        } else if (*text == '\002') {
            invisible = false;
        } else if (!invisible) {
            int width = character_width(text, left, &bytes);
            if (width < 0) {
                return -1;
            }
            columns += width;
        }
        text += bytes;
        left -= bytes;
    }
    return invisible ? -1 : columns;
}

static void highlight_redisplay(void);
static bool line_is_shown(void);
static void paint(void);
static void note_builtin_names(void);

static bool
setting_is_on(const char *name)
{
    const char *value = rl_variable_value(name);
    return value != NULL && strcmp(value, "on") == 0;
}

static bool
terminal_is_dumb(void)
{
    const char *term = getenv("TERM");
    return term == NULL || *term == '\0' || strcmp(term, "dumb") == 0;
}

void
syntax_highlight_begin(const char *prompt, const char *context)
{
    hl.active = true;
    hl.byte_oriented = setting_is_on("byte-oriented");
    hl.prompt = prompt;
    hl.prompt_width = prompt_columns(prompt);
    const char *cursor_up = rl_get_termcap("up");
    hl.layout_known = !terminal_is_dumb() && cursor_up != NULL &&
                      cursor_up[0] != '\0' &&
                      !setting_is_on("horizontal-scroll-mode") &&
                      !setting_is_on("show-mode-in-prompt") &&
                      (MB_CUR_MAX == 1 || setting_is_on("output-meta"));
    hl.mark_modified = setting_is_on("mark-modified-lines");
    hl.context = context;
    hl.context_length = context == NULL ? 0 : strlen(context);
    if (hl.context_length > CONTEXT_LIMIT) {
        hl.context = NULL;
        hl.context_length = 0;
    }
    hl.coloured = false;
    showing_message = false;
    rl_redisplay_function = highlight_redisplay;
}

void
syntax_highlight_end(void)
{
    hl.active = false;
    hl.prompt = NULL;
    hl.context = NULL;
    rl_redisplay_function = rl_redisplay;
}

void
syntax_highlight_resize_terminal(void)
{
    /* readline redraws a line the right way after a resize (moving to
     * its start and clearing it) only with its own redisplay function. */
    rl_redisplay_function = rl_redisplay;
    rl_resize_terminal();
    if (hl.active) {
        rl_redisplay_function = highlight_redisplay;
        if (line_is_shown()) {
            paint();
        }
    }
}

/* Where readline draws things: a row (0: the prompt's last row) and a
 * column. */
typedef struct {
    int row, column;
} place_t;

/* One character of the line, laid out as readline lays it out. */
typedef struct {
    size_t bytes; /* its length in the buffer */
    int width;    /* columns it is drawn in; 0: nothing drawn (a newline,
                     a tab, whose cells readline fills with spaces) */
    place_t at;   /* where it is drawn, or, for the cursor, is */
} laid_out_t;

/* Lays out the character at rl_line_buffer[index], from `*next` (where
 * the next character would go), which it advances.  False when pyhost
 * cannot tell how readline draws it. */
static bool
lay_out(int index, int screen_width, place_t *next, laid_out_t *laid)
{
    const char *text = rl_line_buffer + index;
    laid->at = *next;
    laid->width = 0;
    laid->bytes = 1;
    if (*text == '\n') {
        next->row++;
        next->column = 0;
        return true;
    }
    if (*text == '\t') {
        int spaces = 8 - next->column % 8;
        if (next->column + spaces >= screen_width) {
            next->row++;
            next->column = next->column + spaces - screen_width;
        } else {
            next->column += spaces;
        }
        return true;
    }
    int width = character_width(text, (size_t)(rl_end - index), &laid->bytes);
    if (width < 0) {
        return false;
    }
    if (width > 0 && next->column + width > screen_width) {
        next->row++; /* readline pads the row, and goes to the next */
        next->column = 0;
        laid->at = *next;
    }
    laid->width = width;
    next->column += width;
    if (next->column >= screen_width) {
        next->row++;
        next->column = 0;
    }
    return true;
}

/* The classes of the line's bytes, after the statement's context. */
static const unsigned char *
classify_line(void)
{
    buffer_t *text = &hl.text;
    text->length = 0;
    if (hl.context != NULL) {
        buffer_add(text, hl.context, hl.context_length);
        buffer_add(text, "\n", 1);
    }
    size_t offset = text->length;
    buffer_add(text, rl_line_buffer, (size_t)rl_end);
    if (text->length != offset + (size_t)rl_end) {
        return NULL;
    }
    if (hl.classes_size < text->length) {
        unsigned char *classes = realloc(hl.classes, text->length);
        if (classes == NULL) {
            return NULL;
        }
        hl.classes = classes;
        hl.classes_size = text->length;
    }
    lex_classify(text->bytes, text->length, &builtin_names, hl.classes);
    return hl.classes + offset;
}

/* Whether readline shows the line after the prompt, nothing else, and
 * without a region of its own highlighted. */
static bool
line_is_shown(void)
{
    return hl.active && hl.layout_known && hl.prompt_width >= 0 &&
           rl_prompt != NULL && rl_display_prompt == rl_prompt &&
           strcmp(rl_prompt, hl.prompt) == 0 &&
           !RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_SEARCH |
                       RL_STATE_NUMERICARG) &&
           !rl_mark_active_p() && rl_line_buffer != NULL;
}

/* Writes the line again over readline's drawing, in colour. */
static void
paint(void)
{
    int rows, columns;
    rl_get_screen_size(&rows, &columns);
    if (rows < 2 || columns < 16) {
        return;
    }
    place_t start = {0, hl.prompt_width};
    if (hl.mark_modified && current_history() != NULL &&
        rl_undo_list != NULL) {
        start.column++; /* readline's '*' before the prompt */
    }
    if (start.column >= columns) {
        return;
    }
    if (rl_end == 0) {
        hl.coloured = false; /* readline has erased what was there */
        return;
    }
    /* Where the cursor is, and whether the whole line fits on the
     * screen (so that its first row is still there). */
    place_t next = start, cursor = start;
    for (int index = 0; index < rl_end;) {
        laid_out_t laid;
        if (!lay_out(index, columns, &next, &laid)) {
            return;
        }
        if (index == rl_point) {
            cursor = laid.at;
        }
        if (next.row >= rows) {
            return;
        }
        index += (int)laid.bytes;
    }
    if (rl_point >= rl_end) {
        cursor = next;
    }
    note_builtin_names();
    const unsigned char *classes = classify_line();
    if (classes == NULL) {
        return;
    }
    bool coloured = false;
    for (int index = 0; index < rl_end && !coloured; index++) {
        coloured = classes[index] != LEX_PLAIN;
    }
    if (!coloured && !hl.coloured) {
        return; /* readline's drawing is right as it is */
    }

    buffer_t *out = &hl.out;
    out->length = 0;
    buffer_move(out, cursor.row, 'A');
    buffer_add_string(out, "\r");
    buffer_move(out, start.column, 'C');
    place_t at = start; /* the terminal's cursor */
    int current = LEX_PLAIN;
    next = start;
    for (int index = 0; index < rl_end;) {
        laid_out_t laid;
        lay_out(index, columns, &next, &laid);
        if (laid.width > 0 || laid.bytes > 1) {
            if (laid.at.row != at.row) {
                buffer_add_string(out, "\r");
                buffer_move(out, laid.at.row - at.row, 'B');
                at.row = laid.at.row;
                at.column = 0;
            }
            buffer_move(out, laid.at.column - at.column, 'C');
            int class = classes[index];
            if (class != current) {
                if (current != LEX_PLAIN) {
                    buffer_add_string(out, COLOUR_RESET);
                }
                if (class_colours[class] != NULL) {
                    buffer_add_string(out, class_colours[class]);
                }
                current = class;
            }
            buffer_add(out, rl_line_buffer + index, laid.bytes);
            at.column = laid.at.column + laid.width;
        }
        index += (int)laid.bytes;
    }
    if (current != LEX_PLAIN) {
        buffer_add_string(out, COLOUR_RESET);
    }
    buffer_add_string(out, "\r");
    if (cursor.row > at.row) {
        buffer_move(out, cursor.row - at.row, 'B');
    } else {
        buffer_move(out, at.row - cursor.row, 'A');
    }
    buffer_move(out, cursor.column, 'C');
    fwrite(out->bytes, 1, out->length, rl_outstream);
    fflush(rl_outstream);
    hl.coloured = coloured;
}

/* Whether the line, after `prompt_width` columns of prompt, may take
 * more than a row (bytes are counted, which are at least the columns
 * but for double-width characters, two columns of three bytes). */
static bool
line_may_wrap(size_t prompt_width)
{
    int rows, columns;
    rl_get_screen_size(&rows, &columns);
    return memchr(rl_line_buffer, '\n', (size_t)rl_end) != NULL ||
           prompt_width + (size_t)rl_end * 2 >= (size_t)columns;
}

static void
highlight_redisplay(void)
{
    static size_t message_width; /* of the message shown last */
    bool message = rl_display_prompt != rl_prompt;
    size_t width = message ? strlen(rl_display_prompt) : 0;
    if (width < message_width) {
        width = message_width;
    }
    if (hl.active && message != showing_message && !drawing_anew &&
        line_may_wrap(width +
                      (size_t)(hl.prompt_width > 0 ? hl.prompt_width : 0))) {
        /* From the coloured prompt to a message (Ctrl-R's search, a
         * numeric argument) or back, readline 8.2 redraws a line of
         * several rows wrongly, as with any prompt with \001 \002
         * markers (its record of what is on the screen gets the
         * prompt's invisible characters wrong: part of the message is
         * left, or of the line erased): the line is cleared and drawn
         * anew. */
        showing_message = message;
        message_width = message ? strlen(rl_display_prompt) : 0;
        drawing_anew = true;
        rl_clear_visible_line();
        rl_forced_update_display(); /* calls back here */
        drawing_anew = false;
        return;
    }
    showing_message = message;
    message_width = message ? strlen(rl_display_prompt) : 0;
    rl_redisplay();
    if (line_is_shown()) {
        paint();
    }
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Notes the builtins' names, once, the first time a line is painted
 * (not at start-up, which they would slow). */
static void
note_builtin_names(void)
{
    static bool noted;
    if (noted) {
        return;
    }
    noted = true;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *builtins = PyEval_GetBuiltins(); /* borrowed */
    Py_ssize_t size = builtins == NULL ? 0 : PyDict_Size(builtins);
    const char **names = size > 0 ? calloc((size_t)size, sizeof *names) : NULL;
    size_t count = 0;
    PyObject *key, *value;
    Py_ssize_t position = 0;
    while (names != NULL && PyDict_Next(builtins, &position, &key, &value) &&
           count < (size_t)size) {
        const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
        if (name == NULL) {
            PyErr_Clear();
        } else if (name[0] != '_') {
            names[count] = strdup(name);
            if (names[count] != NULL) {
                count++;
            }
        }
    }
    if (names != NULL) {
        qsort(names, count, sizeof *names, compare_names);
    }
    builtin_names.names = names;
    builtin_names.count = count;
    PyGILState_Release(gil);
}
