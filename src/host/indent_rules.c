/* The shell's auto-indent rules (indent_rules.h).  One pass over the
 * statement's lines finds its logical lines (a line that starts outside
 * any string, bracket or backslash continuation, and holds code) and
 * keeps, as CPython's tokenizer does, the stack of indentation levels
 * open at the end, each with the first word of its latest line (to find
 * the block a clause goes on).  The scan of a line's characters follows
 * source_lines.c's: the same light rules, kept apart because this one
 * also notes the last character of code on each line. */
#include "host/indent_rules.h"

#include <stdlib.h>
#include <string.h>

#define TAB_SIZE 8

/* A piece of the caller's text, or of a constant. */
typedef struct {
    const char *start;
    size_t length;
} piece_t;

/* An open indentation level. */
typedef struct {
    piece_t indent;
    size_t width;
    piece_t word; /* the first word of its latest line */
} level_t;

/* What the scan found at the end of the text. */
typedef struct {
    level_t *levels; /* levels[0] is the outermost, "" */
    size_t count;
    piece_t unit;
    bool have_line;      /* some logical line was found */
    bool opens_block;    /* the last logical line ends with ":" */
    piece_t last_word;   /* its first word */
    bool in_string;      /* the text ends inside a triple-quoted string */
    bool continued;      /* inside brackets or after a backslash */
    piece_t last_indent; /* the last physical line of code's indentation */
    bool ends_open;      /* ... and it ends with an opening bracket */
} scan_t;

/* The state of the character scan between lines. */
typedef struct {
    char quote; /* the open triple-quoted string's quote, or 0 */
    int depth;  /* open brackets */
    bool backslash;
    char last; /* the last character of code ('\0': none yet) */
} chars_t;

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
word_is(piece_t word, const char *name)
{
    return word.length == strlen(name) &&
           memcmp(word.start, name, word.length) == 0;
}

static bool
word_in(piece_t word, const char *const *names)
{
    for (; *names != NULL; names++) {
        if (word_is(word, *names)) {
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

/* A logical line begins with `indent` and `word`: the level stack
 * follows it, as the tokenizer's does.  False when memory runs out. */
static bool
enter_level(scan_t *scan, piece_t indent, piece_t word)
{
    size_t width = width_of(indent.start, indent.length);
    while (scan->count > 1 && scan->levels[scan->count - 1].width > width) {
        scan->count--;
    }
    level_t *top = &scan->levels[scan->count - 1];
    if (top->width == width) {
        top->word = word;
        return true;
    }
    level_t *levels =
        realloc(scan->levels, (scan->count + 1) * sizeof *scan->levels);
    if (levels == NULL) {
        return false;
    }
    scan->levels = levels;
    top = &levels[scan->count - 1];
    if (scan->unit.start == NULL) {
        /* The first indented line: the unit is what it adds to the
         * line it is in (its indentation, unless the statement's first
         * line was indented). */
        bool extends = indent.length > top->indent.length &&
                       memcmp(indent.start, top->indent.start,
                              top->indent.length) == 0;
        if (extends) {
            scan->unit.start = indent.start + top->indent.length;
            scan->unit.length = indent.length - top->indent.length;
        }
    }
    levels[scan->count++] = (level_t){indent, width, word};
    return true;
}

/* Scans text[0:size]; false when memory runs out (the scan is then
 * freed). */
static bool
scan_text(const char *text, size_t size, scan_t *scan)
{
    memset(scan, 0, sizeof *scan);
    scan->levels = malloc(sizeof *scan->levels);
    if (scan->levels == NULL) {
        return false;
    }
    scan->levels[0] = (level_t){{"", 0}, 0, {"", 0}};
    scan->count = 1;
    chars_t state = {0};
    size_t start = 0;
    while (start < size) {
        const char *end = memchr(text + start, '\n', size - start);
        size_t stop = end == NULL ? size : (size_t)(end - text);
        const char *line = text + start;
        size_t length = stop - start;
        size_t indent = 0;
        while (indent < length && is_blank(line[indent])) {
            indent++;
        }
        bool in_string = state.quote != 0;
        bool continued = in_string || state.depth > 0 || state.backslash;
        bool code = indent < length && line[indent] != '#' &&
                    line[indent] != '\r';
        if (!continued && code) {
            size_t word = indent;
            while (word < length && is_word_char(line[word])) {
                word++;
            }
            piece_t first = {line + indent, word - indent};
            if (!enter_level(scan, (piece_t){line, indent}, first)) {
                free(scan->levels);
                return false;
            }
            scan->have_line = true;
            scan->last_word = first;
            state.last = '\0';
        }
        scan_chars(line, length, &state);
        if (!in_string && code) {
            scan->last_indent = (piece_t){line, indent};
            scan->ends_open =
                state.last == '(' || state.last == '[' || state.last == '{';
        }
        if (scan->have_line && state.quote == 0 && state.depth == 0 &&
            !state.backslash) {
            scan->opens_block = state.last == ':';
        }
        start = stop + 1;
    }
    scan->in_string = state.quote != 0;
    scan->continued = state.depth > 0 || state.backslash;
    if (scan->unit.start == NULL) {
        scan->unit = (piece_t){INDENT_DEFAULT_UNIT,
                               sizeof INDENT_DEFAULT_UNIT - 1};
    }
    return true;
}

/* base followed by `times` units, malloc'd. */
static char *
join(piece_t base, piece_t unit, size_t times)
{
    char *result = malloc(base.length + unit.length * times + 1);
    if (result == NULL) {
        return NULL;
    }
    memcpy(result, base.start, base.length);
    size_t at = base.length;
    for (size_t i = 0; i < times; i++, at += unit.length) {
        memcpy(result + at, unit.start, unit.length);
    }
    result[at] = '\0';
    return result;
}

static char *
copy(piece_t piece)
{
    return join(piece, piece, 0);
}

char *
indent_next_line(const char *text, size_t size)
{
    static const char *const ends_block[] = {"return", "pass", "break",
                                             "continue", "raise", NULL};
    scan_t scan;
    if (!scan_text(text, size, &scan)) {
        return NULL;
    }
    piece_t none = {"", 0};
    char *result;
    if (scan.in_string || !scan.have_line) {
        result = copy(none);
    } else if (scan.continued) {
        result = join(scan.last_indent, scan.unit, scan.ends_open ? 1 : 0);
    } else {
        level_t *top = &scan.levels[scan.count - 1];
        if (scan.opens_block) {
            result = join(top->indent, scan.unit, 1);
        } else if (word_in(scan.last_word, ends_block) && scan.count > 1) {
            result = copy(scan.levels[scan.count - 2].indent);
        } else {
            result = copy(top->indent);
        }
    }
    free(scan.levels);
    return result;
}

indent_back_t
indent_level_back(const char *text, size_t size, const char *indent,
                  size_t length, char **result)
{
    *result = NULL;
    scan_t scan;
    if (!scan_text(text, size, &scan)) {
        return INDENT_NO_MEMORY;
    }
    if (scan.in_string) {
        free(scan.levels);
        return INDENT_PLAIN;
    }
    size_t width = width_of(indent, length);
    level_t *top = &scan.levels[scan.count - 1];
    size_t unit = width_of(scan.unit.start, scan.unit.length);
    if (width > top->width && unit > 0) {
        /* Beyond the innermost level: whole units past it. */
        size_t times = (width - top->width - 1) / unit;
        *result = join(top->indent, scan.unit, times);
    } else {
        size_t i = scan.count;
        while (i-- > 1 && scan.levels[i].width >= width) {
        }
        *result = copy(scan.levels[i].indent);
    }
    free(scan.levels);
    return *result == NULL ? INDENT_NO_MEMORY : INDENT_LEVEL_BACK;
}

const char *
indent_clause_keyword(const char *line, size_t length)
{
    static const char *const clauses[] = {"else", "elif", "except",
                                          "finally"};
    size_t start = 0;
    while (start < length && is_blank(line[start])) {
        start++;
    }
    size_t end = start;
    while (end < length && is_word_char(line[end])) {
        end++;
    }
    piece_t word = {line + start, end - start};
    for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++) {
        if (word_is(word, clauses[i])) {
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
    static const char *const for_else[] = {"if",  "elif",   "for",
                                           "while", "try", "except",
                                           NULL};
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
indent_for_clause(const char *text, size_t size, const char *indent,
                  size_t length, const char *keyword, char **result)
{
    *result = NULL;
    scan_t scan;
    if (!scan_text(text, size, &scan)) {
        return false;
    }
    if (scan.in_string || scan.continued) {
        free(scan.levels);
        return true;
    }
    size_t width = width_of(indent, length);
    const char *const *openers = clause_openers(keyword);
    const level_t *target = NULL;
    for (size_t i = scan.count; i-- > 0;) {
        const level_t *level = &scan.levels[i];
        if (level->width <= width && word_in(level->word, openers)) {
            target = level;
            break;
        }
    }
    if (target == NULL) { /* no such block: one level left */
        for (size_t i = scan.count; i-- > 0;) {
            if (scan.levels[i].width < width) {
                target = &scan.levels[i];
                break;
            }
        }
    }
    bool ok = true;
    if (target != NULL && target->width < width) {
        *result = copy(target->indent);
        ok = *result != NULL;
    }
    free(scan.levels);
    return ok;
}
