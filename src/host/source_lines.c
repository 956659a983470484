/* Statements of pasted or recalled Python source (source_lines.h).  The
 * scan follows what CPython's tokenizer needs to know at the start of a
 * line: inside a string (a triple-quoted one goes on; any other ends at
 * the line's end), inside brackets, or after a backslash.  It may be
 * wrong about source that is not Python (an unclosed quote, say); the
 * cost is then the interactive loop's own error message, which the same
 * lines typed one by one would give. */
#include "host/source_lines.h"

#include <stdlib.h>
#include <string.h>

/* The scanner's state between lines. */
typedef struct {
    char quote;        /* the open triple-quoted string's quote, or 0 */
    int depth;         /* open brackets */
    bool backslash;    /* the last line ended with a backslash */
    bool in_statement; /* a statement is open */
    bool decorated;    /* the open statement has only decorators yet */
} scan_state_t;

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\r';
}

/* Whether the line begins with `word` followed by no identifier
 * character. */
static bool
begins_with_word(const char *line, size_t length, const char *word)
{
    size_t size = strlen(word);
    if (length < size || memcmp(line, word, size) != 0) {
        return false;
    }
    if (length == size) {
        return true;
    }
    char next = line[size];
    return !(next == '_' || (next >= 'a' && next <= 'z') ||
             (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9') ||
             (unsigned char)next >= 0x80);
}

static bool
goes_on_a_statement(const char *line, size_t length)
{
    static const char *const clauses[] = {"else", "elif", "except", "finally"};
    for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++) {
        if (begins_with_word(line, length, clauses[i])) {
            return true;
        }
    }
    return false;
}

/* Scans one line's characters from the state at its start, leaving the
 * state at its end. */
static void
scan_line(const char *line, size_t length, scan_state_t *state)
{
    size_t i = 0;
    state->backslash = false;
    while (i < length) {
        char c = line[i];
        if (state->quote != 0) { /* inside a triple-quoted string */
            if (c == '\\') {
                i += 2;
            } else if (c == state->quote && i + 2 < length &&
                       line[i + 1] == c && line[i + 2] == c) {
                state->quote = 0;
                i += 3;
            } else {
                i++;
            }
            continue;
        }
        if (c == '#') {
            return;
        }
        if (c == '\'' || c == '"') {
            if (i + 2 < length && line[i + 1] == c && line[i + 2] == c) {
                state->quote = c;
                i += 3;
                continue;
            }
            /* A one-line string ends at its quote or the line's end. */
            for (i++; i < length && line[i] != c; i++) {
                i += line[i] == '\\';
            }
            i++;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            state->depth++;
        } else if ((c == ')' || c == ']' || c == '}') && state->depth > 0) {
            state->depth--;
        } else if (c == '\\' && i + 1 == length) {
            state->backslash = true;
        }
        i++;
    }
}

/* Classifies one line (its start state in *state), then scans it. */
static void
classify_line(const char *text, source_line_t *line, scan_state_t *state)
{
    const char *start = text + line->start;
    size_t indent = 0;
    while (indent < line->length && is_blank(start[indent])) {
        indent++;
    }
    bool continued = state->quote != 0 || state->depth > 0 || state->backslash;
    bool empty = indent == line->length || start[indent] == '#';

    line->in_string = state->quote != 0;
    line->starts_statement =
        !continued && !empty && indent == 0 &&
        !(state->in_statement &&
          (state->decorated || goes_on_a_statement(start, line->length)));
    if (line->starts_statement) {
        state->in_statement = true;
        state->decorated = start[0] == '@';
    } else if (!continued && !empty && indent == 0) {
        state->decorated = state->decorated && start[0] == '@';
    }
    /* For now, whether the line is code in a statement; the caller
     * extends that to the blank lines between its lines of code. */
    line->in_statement = state->in_statement && (continued || !empty);
    scan_line(start, line->length, state);
}

source_line_t *
source_lines_scan(const char *text, size_t size, bool in_statement,
                  size_t *count)
{
    size_t lines = 1;
    for (size_t i = 0; i < size; i++) {
        lines += text[i] == '\n';
    }
    source_line_t *result = calloc(lines, sizeof *result);
    if (result == NULL) {
        return NULL;
    }
    scan_state_t state = {.in_statement = in_statement};
    size_t start = 0;
    for (size_t index = 0; index < lines; index++) {
        const char *end = memchr(text + start, '\n', size - start);
        size_t stop = end == NULL ? size : (size_t)(end - text);
        result[index].start = start;
        result[index].length = stop - start;
        classify_line(text, &result[index], &state);
        start = stop + 1;
    }
    /* Blank and comment lines between statements belong to none: only
     * lines up to a statement's last line of code are in it (a line
     * inside a string or brackets is code). */
    bool code_follows = false;
    for (size_t index = lines; index-- > 0;) {
        if (result[index].in_statement) { /* so far: a line of code */
            code_follows = true;
        }
        result[index].in_statement = code_follows;
        if (result[index].starts_statement) {
            code_follows = false;
        }
    }
    *count = lines;
    return result;
}
