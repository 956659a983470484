/* The shell's auto-indent rules (indent_rules.h).  The scan finds the
 * statement's logical lines (a line that starts outside any string,
 * bracket or backslash continuation, and holds code) and keeps, as
 * CPython's tokenizer does, the stack of indentation levels open at the
 * end, each with the first word of its latest line (to find the block a
 * clause goes on).  It keeps places in the text as offsets, since the
 * shell's copy of the text grows (and moves) a line at a time.  The scan
 * of a line's characters follows source_lines.c's: the same light rules,
 * kept apart because this one also notes the last character of code. */
#include "host/indent_rules.h"

#include <stdlib.h>
#include <string.h>

#define TAB_SIZE 8

/* A piece of the text scanned (at `start`), or a constant. */
typedef struct {
    size_t start, length;
    const char *constant;
} piece_t;

static const piece_t NOTHING = {0, 0, ""};
static const piece_t DEFAULT_UNIT = {0, sizeof INDENT_DEFAULT_UNIT - 1,
                                     INDENT_DEFAULT_UNIT};

/* An open indentation level. */
typedef struct {
    piece_t indent;
    size_t width;
    piece_t word; /* the first word of its latest line */
} level_t;

/* The state of the character scan between lines. */
typedef struct {
    char quote; /* the open triple-quoted string's quote, or 0 */
    int depth;  /* open brackets */
    bool backslash;
    char last; /* the last character of code ('\0': none yet) */
} chars_t;

struct indent_state {
    level_t *levels; /* levels[0] is the outermost, "" */
    size_t count, capacity;
    piece_t unit;
    bool have_unit;
    bool have_line;      /* some logical line was found */
    bool opens_block;    /* the last logical line ends with ":" */
    piece_t last_word;   /* its first word */
    piece_t last_indent; /* the last physical line of code's indentation */
    bool ends_open;      /* ... and it ends with an opening bracket */
    chars_t chars;
    size_t seen; /* the text scanned so far */
};

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

static bool
is_word_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static const char *
piece_text(const char *text, piece_t piece)
{
    return piece.constant != NULL ? piece.constant : text + piece.start;
}

static size_t
width_of(const char *indent, size_t length)
{
    size_t width = 0;
    for (size_t i = 0; i < length; i++) {
        if (indent[i] == '\t') {
            width = (width / TAB_SIZE + 1) * TAB_SIZE;
        } else if (indent[i] == '\f') {
            width = 0;
        } else {
            width++;
        }
    }
    return width;
}

static bool
word_is(const char *word, size_t length, const char *name)
{
    return length == strlen(name) && memcmp(word, name, length) == 0;
}

static bool
word_in(const char *text, piece_t word, const char *const *names)
{
    for (; *names != NULL; names++) {
        if (word_is(piece_text(text, word), word.length, *names)) {
            return true;
        }
    }
    return false;
}

/* Scans one line's characters (see source_lines.c's scan_line). */
static void
scan_chars(const char *line, size_t length, chars_t *state)
{
    size_t i = 0;
    state->backslash = false;
    while (i < length) {
        char c = line[i];
        if (state->quote != 0) {
            if (c == '\\') {
                i += 2;
            } else if (c == state->quote && i + 2 < length &&
                       line[i + 1] == c && line[i + 2] == c) {
                state->last = c;
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
            for (i++; i < length && line[i] != c; i++) {
                i += line[i] == '\\';
            }
            state->last = c;
            i++;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            state->depth++;
        } else if ((c == ')' || c == ']' || c == '}') && state->depth > 0) {
            state->depth--;
        } else if (c == '\\' && i + 1 == length) {
            state->backslash = true;
            return;
        }
        if (!is_blank(c) && c != '\r') {
            state->last = c;
        }
        i++;
    }
}

indent_state_t *
indent_state_new(void)
{
    indent_state_t *state = calloc(1, sizeof *state);
    if (state == NULL) {
        return NULL;
    }
    state->capacity = 8;
    state->levels = malloc(state->capacity * sizeof *state->levels);
    if (state->levels == NULL) {
        free(state);
        return NULL;
    }
    indent_state_reset(state);
    return state;
}

void
indent_state_free(indent_state_t *state)
{
    if (state != NULL) {
        free(state->levels);
        free(state);
    }
}

void
indent_state_reset(indent_state_t *state)
{
    level_t *levels = state->levels;
    size_t capacity = state->capacity;
    memset(state, 0, sizeof *state);
    state->levels = levels;
    state->capacity = capacity;
    state->levels[0] = (level_t){NOTHING, 0, NOTHING};
    state->count = 1;
    state->unit = DEFAULT_UNIT;
}

indent_state_t *
indent_state_copy(const indent_state_t *state)
{
    indent_state_t *copy = malloc(sizeof *copy);
    if (copy == NULL) {
        return NULL;
    }
    *copy = *state;
    copy->levels = malloc(state->capacity * sizeof *state->levels);
    if (copy->levels == NULL) {
        free(copy);
        return NULL;
    }
    memcpy(copy->levels, state->levels, state->count * sizeof *state->levels);
    return copy;
}

/* A logical line begins with `indent` and `word`: the level stack
 * follows it, as the tokenizer's does.  False when memory runs out. */
static bool
enter_level(indent_state_t *state, const char *text, piece_t indent,
            piece_t word)
{
    size_t width = width_of(text + indent.start, indent.length);
    while (state->count > 1 && state->levels[state->count - 1].width > width) {
        state->count--;
    }
    level_t *top = &state->levels[state->count - 1];
    if (top->width == width) {
        top->word = word;
        return true;
    }
    if (state->count == state->capacity) {
        level_t *levels =
            realloc(state->levels, 2 * state->capacity * sizeof *levels);
        if (levels == NULL) {
            return false;
        }
        state->levels = levels;
        state->capacity *= 2;
        top = &levels[state->count - 1];
    }
    if (!state->have_unit) {
        /* The first indented line: the unit is what it adds to the
         * line it is in (its indentation, unless the statement's first
         * line was indented). */
        const char *outer = piece_text(text, top->indent);
        if (indent.length > top->indent.length &&
            memcmp(text + indent.start, outer, top->indent.length) == 0) {
            state->unit = (piece_t){indent.start + top->indent.length,
                                    indent.length - top->indent.length, NULL};
            state->have_unit = true;
        }
    }
    state->levels[state->count++] = (level_t){indent, width, word};
    return true;
}

/* Scans the line text[start:start + length]. */
static bool
scan_line(indent_state_t *state, const char *text, size_t start, size_t length)
{
    const char *line = text + start;
    chars_t *chars = &state->chars;
    size_t indent = 0;
    while (indent < length && is_blank(line[indent])) {
        indent++;
    }
    bool in_string = chars->quote != 0;
    bool continued = in_string || chars->depth > 0 || chars->backslash;
    bool code = indent < length && line[indent] != '#' && line[indent] != '\r';
    if (!continued && code) {
        size_t word = indent;
        while (word < length && is_word_char(line[word])) {
            word++;
        }
        piece_t first = {start + indent, word - indent, NULL};
        if (!enter_level(state, text, (piece_t){start, indent, NULL}, first)) {
            return false;
        }
        state->have_line = true;
        state->last_word = first;
        chars->last = '\0';
    }
    scan_chars(line, length, chars);
    if (!in_string && code) {
        state->last_indent = (piece_t){start, indent, NULL};
        state->ends_open =
            chars->last == '(' || chars->last == '[' || chars->last == '{';
    }
    if (state->have_line && chars->quote == 0 && chars->depth == 0 &&
        !chars->backslash) {
        state->opens_block = chars->last == ':';
    }
    return true;
}

bool
indent_state_scan(indent_state_t *state, const char *text, size_t size)
{
    size_t start = state->seen;
    while (start < size) {
        const char *end = memchr(text + start, '\n', size - start);
        size_t stop = end == NULL ? size : (size_t)(end - text);
        if (!scan_line(state, text, start, stop - start)) {
            indent_state_reset(state);
            return false;
        }
        start = stop + 1;
    }
    state->seen = size;
    return true;
}

/* base followed by `times` units, malloc'd. */
static char *
join(const indent_state_t *state, const char *text, piece_t base, size_t times)
{
    piece_t unit = state->unit;
    char *result = malloc(base.length + unit.length * times + 1);
    if (result == NULL) {
        return NULL;
    }
    memcpy(result, piece_text(text, base), base.length);
    size_t at = base.length;
    for (size_t i = 0; i < times; i++, at += unit.length) {
        memcpy(result + at, piece_text(text, unit), unit.length);
    }
    result[at] = '\0';
    return result;
}

char *
indent_state_next_line(const indent_state_t *state, const char *text)
{
    static const char *const ends_block[] = {"return",   "pass",  "break",
                                             "continue", "raise", NULL};
    const chars_t *chars = &state->chars;
    if (chars->quote != 0 || !state->have_line) {
        return join(state, text, NOTHING, 0);
    }
    if (chars->depth > 0 || chars->backslash) {
        return join(state, text, state->last_indent, state->ends_open);
    }
    const level_t *top = &state->levels[state->count - 1];
    if (state->opens_block) {
        return join(state, text, top->indent, 1);
    }
    if (word_in(text, state->last_word, ends_block) && state->count > 1) {
        return join(state, text, state->levels[state->count - 2].indent, 0);
    }
    return join(state, text, top->indent, 0);
}

indent_back_t
indent_state_level_back(const indent_state_t *state, const char *text,
                        const char *indent, size_t length, char **result)
{
    *result = NULL;
    if (state->chars.quote != 0) {
        return INDENT_PLAIN;
    }
    size_t width = width_of(indent, length);
    const level_t *top = &state->levels[state->count - 1];
    size_t unit = width_of(piece_text(text, state->unit), state->unit.length);
    if (width > top->width && unit > 0) {
        /* Beyond the innermost level: whole units past it. */
        size_t times = (width - top->width - 1) / unit;
        *result = join(state, text, top->indent, times);
    } else {
        size_t i = state->count;
        while (i-- > 1 && state->levels[i].width >= width) {
        }
        *result = join(state, text, state->levels[i].indent, 0);
    }
    return *result == NULL ? INDENT_NO_MEMORY : INDENT_LEVEL_BACK;
}

const char *
indent_clause_keyword(const char *line, size_t length)
{
    static const char *const clauses[] = {"else", "elif", "except", "finally"};
    size_t start = 0;
    while (start < length && is_blank(line[start])) {
        start++;
    }
    size_t end = start;
    while (end < length && is_word_char(line[end])) {
        end++;
    }
    for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++) {
        if (word_is(line + start, end - start, clauses[i])) {
            return clauses[i];
        }
    }
    return NULL;
}

/* The statements a clause goes on. */
static const char *const *
clause_openers(const char *keyword)
{
    static const char *const for_elif[] = {"if", "elif", NULL};
    static const char *const for_else[] = {"if",  "elif",   "for", "while",
                                           "try", "except", NULL};
    static const char *const for_except[] = {"try", "except", NULL};
    static const char *const for_finally[] = {"try", "except", "else", NULL};
    if (strcmp(keyword, "elif") == 0) {
        return for_elif;
    }
    if (strcmp(keyword, "else") == 0) {
        return for_else;
    }
    return strcmp(keyword, "except") == 0 ? for_except : for_finally;
}

bool
indent_state_for_clause(const indent_state_t *state, const char *text,
                        const char *indent, size_t length, const char *keyword,
                        char **result)
{
    *result = NULL;
    const chars_t *chars = &state->chars;
    if (chars->quote != 0 || chars->depth > 0 || chars->backslash) {
        return true;
    }
    size_t width = width_of(indent, length);
    const char *const *openers = clause_openers(keyword);
    const level_t *target = NULL;
    for (size_t i = state->count; i-- > 0;) {
        const level_t *level = &state->levels[i];
        if (level->width <= width && word_in(text, level->word, openers)) {
            target = level;
            break;
        }
    }
    if (target == NULL) { /* no such block: one level left */
        for (size_t i = state->count; i-- > 0;) {
            if (state->levels[i].width < width) {
                target = &state->levels[i];
                break;
            }
        }
    }
    if (target != NULL && target->width < width) {
        *result = join(state, text, target->indent, 0);
        return *result != NULL;
    }
    return true;
}

/* A fresh state that has scanned text[0:size], or NULL. */
static indent_state_t *
scanned(const char *text, size_t size)
{
    indent_state_t *state = indent_state_new();
    if (state != NULL && !indent_state_scan(state, text, size)) {
        indent_state_free(state);
        state = NULL;
    }
    return state;
}

char *
indent_next_line(const char *text, size_t size)
{
    indent_state_t *state = scanned(text, size);
    char *result = state == NULL ? NULL : indent_state_next_line(state, text);
    indent_state_free(state);
    return result;
}

indent_back_t
indent_level_back(const char *text, size_t size, const char *indent,
                  size_t length, char **result)
{
    *result = NULL;
    indent_state_t *state = scanned(text, size);
    indent_back_t back =
        state == NULL
            ? INDENT_NO_MEMORY
            : indent_state_level_back(state, text, indent, length, result);
    indent_state_free(state);
    return back;
}

bool
indent_for_clause(const char *text, size_t size, const char *indent,
                  size_t length, const char *keyword, char **result)
{
    *result = NULL;
    indent_state_t *state = scanned(text, size);
    bool ok =
        state != NULL &&
        indent_state_for_clause(state, text, indent, length, keyword, result);
    indent_state_free(state);
    return ok;
}
