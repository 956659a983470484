/* A small Python lexer for highlighting (python_lexer.h).  It follows
 * python3.14's gen_colors over tokenize's tokens: strings (prefixes
 * and quotes included), comments, numbers, keywords (True, False and
 * None as constants), the name after def and class, builtins' names
 * unless after ".", and the soft keywords match, case and _ where
 * python3.14 takes them for keywords (at the start of a statement, at
 * bracket level 0, before what can follow them).  It needs no valid
 * code: whatever it does not recognise is plain. */
#include "host/python_lexer.h"

#include <string.h>

/* python3.11's keyword.kwlist, sorted as strcmp() sorts. */
static const char *const keywords[] = {
    "False",  "None",   "True",    "and",      "as",       "assert", "async",
    "await",  "break",  "class",   "continue", "def",      "del",    "elif",
    "else",   "except", "finally", "for",      "from",     "global", "if",
    "import", "in",     "is",      "lambda",   "nonlocal", "not",    "or",
    "pass",   "raise",  "return",  "try",      "while",    "with",   "yield"};
static const lex_names_t keyword_names = {keywords, sizeof keywords /
                                                        sizeof keywords[0]};

/* Compares the word text[0, length) with the string `name`. */
static int
compare_word(const char *text, size_t length, const char *name)
{
    int order = strncmp(text, name, length);
    if (order != 0) {
        return order;
    }
    return name[length] == '\0' ? 0 : -1;
}

bool
lex_names_contain(const lex_names_t *names, const char *word, size_t length)
{
    if (names == NULL) {
        return false;
    }
    size_t low = 0, high = names->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        int order = compare_word(word, length, names->names[middle]);
        if (order == 0) {
            return true;
        }
        if (order < 0) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    return false;
}

static bool
word_is(const char *text, size_t length, const char *name)
{
    return compare_word(text, length, name) == 0;
}

static bool
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

static bool
is_name_char(unsigned char c)
{
    return is_name_start(c) || is_digit(c);
}

static bool
is_quote(char c)
{
    return c == '\'' || c == '"';
}

/* The length of a string prefix (r, u, b, f, br, rb, fr, rf in any case)
 * at text[i] that a quote follows, or -1 when no string starts there. */
static int
string_prefix(const char *text, size_t i, size_t length)
{
    bool r = false, u = false, b = false, f = false;
    size_t j = i;
    for (; j < length && j - i < 2; j++) {
        char c = (char)(text[j] | 0x20);
        if (c == 'r' && !r) {
            r = true;
        } else if (c == 'u' && !u) {
            u = true;
        } else if (c == 'b' && !b) {
            b = true;
        } else if (c == 'f' && !f) {
            f = true;
        } else {
            break;
        }
    }
    if (j == length || !is_quote(text[j])) {
        return -1;
    }
    if ((u && j - i > 1) || (b && f)) {
        return -1;
    }
    return (int)(j - i);
}

/* The end of the string whose opening quote is at text[quote]. */
static size_t
string_end(const char *text, size_t quote, size_t length)
{
    char mark = text[quote];
    bool triple = quote + 2 < length && text[quote + 1] == mark &&
                  text[quote + 2] == mark;
    size_t j = quote + (triple ? 3 : 1);
    while (j < length) {
        char c = text[j];
        if (c == '\\') {
            j += 2;
            continue;
        }
        if (c == mark) {
            if (!triple) {
                return j + 1;
            }
            if (j + 2 < length && text[j + 1] == mark && text[j + 2] == mark) {
                return j + 3;
            }
        } else if (c == '\n' && !triple) {
            return j; /* unterminated: to the end of its line */
        }
        j++;
    }
    return length;
}

static size_t
number_end(const char *text, size_t i, size_t length)
{
    size_t j = i;
    if (text[j] == '0' && j + 1 < length && text[j + 1] != '\0' &&
        strchr("xXoObB", text[j + 1]) != NULL) {
        j += 2;
        while (j < length && (unsigned char)text[j] < 0x80 &&
               is_name_char((unsigned char)text[j])) {
            j++;
        }
        return j;
    }
    while (j < length) {
        char c = text[j];
        if (is_digit((unsigned char)c) || c == '_' || c == '.') {
            j++;
        } else if (c == 'e' || c == 'E') {
            j++;
            if (j < length && (text[j] == '+' || text[j] == '-')) {
                j++;
            }
        } else if (c == 'j' || c == 'J') {
            return j + 1;
        } else {
            break;
        }
    }
    return j;
}

static size_t
name_end(const char *text, size_t i, size_t length)
{
    while (i < length && is_name_char((unsigned char)text[i])) {
        i++;
    }
    return i;
}

/* What comes before a token, as far as highlighting cares. */
typedef enum {
    BEFORE_START, /* nothing, a newline ending a statement, or ":" */
    BEFORE_DOT,
    BEFORE_DEF,  /* def or class */
    BEFORE_CASE, /* the name case */
    BEFORE_OTHER
} before_t;

/* The token that follows text[i] on its line. */
typedef enum {
    NEXT_NOTHING,
    NEXT_NUMBER,
    NEXT_STRING,
    NEXT_NAME,
    NEXT_OPERATOR
} next_kind_t;

typedef struct {
    next_kind_t kind;
    const char *start; /* the name, or the operator's first character */
    size_t length;     /* of the name; of the operator: 3 for "..." */
} next_token_t;

static next_token_t
peek(const char *text, size_t i, size_t length)
{
    next_token_t next = {NEXT_NOTHING, NULL, 0};
    while (i < length &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\f')) {
        i++;
    }
    if (i == length || text[i] == '\n' || text[i] == '#' || text[i] == '\\') {
        return next;
    }
    unsigned char c = (unsigned char)text[i];
    next.start = text + i;
    if (is_digit(c) ||
        (c == '.' && i + 1 < length && is_digit((unsigned char)text[i + 1]))) {
        next.kind = NEXT_NUMBER;
    } else if (is_quote((char)c) ||
               (is_name_start(c) && string_prefix(text, i, length) >= 0)) {
        next.kind = NEXT_STRING;
    } else if (is_name_start(c)) {
        next.kind = NEXT_NAME;
        next.length = name_end(text, i, length) - i;
    } else {
        next.kind = NEXT_OPERATOR;
        next.length =
            (i + 2 < length && memcmp(text + i, "...", 3) == 0) ? 3 : 1;
    }
    return next;
}

/* python3.14's is_soft_keyword_used, for python3.11's soft keywords. */
static bool
soft_keyword_used(const char *word, size_t length, before_t before,
                  next_token_t next)
{
    bool match = word_is(word, length, "match");
    bool case_ = word_is(word, length, "case");
    if (word_is(word, length, "_")) {
        return before == BEFORE_CASE && next.kind == NEXT_OPERATOR &&
               next.start[0] == ':';
    }
    if ((!match && !case_) || before != BEFORE_START) {
        return false;
    }
    switch (next.kind) {
    case NEXT_NUMBER:
    case NEXT_STRING:
        return true;
    case NEXT_OPERATOR:
        if (match && next.length == 3) {
            return true; /* ... */
        }
        return strchr(match ? "(*[{~" : "(*-[{", next.start[0]) != NULL;
    case NEXT_NAME:
        if (!lex_names_contain(&keyword_names, next.start, next.length)) {
            return true;
        }
        return word_is(next.start, next.length, "False") ||
               word_is(next.start, next.length, "None") ||
               word_is(next.start, next.length, "True") ||
               (match && (word_is(next.start, next.length, "await") ||
                          word_is(next.start, next.length, "lambda") ||
                          word_is(next.start, next.length, "not")));
    case NEXT_NOTHING:
        break;
    }
    return false;
}

static void
mark(unsigned char *classes, size_t from, size_t to, lex_class_t class)
{
    memset(classes + from, class, to - from);
}

void
lex_classify(const char *text, size_t length, const lex_names_t *builtins,
             unsigned char *classes)
{
    before_t before = BEFORE_START;
    int depth = 0;
    size_t i = 0;

    if (length == 0) {
        return;
    }
    mark(classes, 0, length, LEX_PLAIN);
    while (i < length) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            if (depth == 0) {
                before = BEFORE_START;
            }
            i++;
        } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
            i++;
        } else if (c == '\\' && i + 1 < length && text[i + 1] == '\n') {
            i += 2; /* the logical line goes on */
        } else if (c == '#') {
            size_t end = i;
            while (end < length && text[end] != '\n') {
                end++;
            }
            mark(classes, i, end, LEX_COMMENT);
            i = end;
        } else if (is_quote((char)c) ||
                   (is_name_start(c) && string_prefix(text, i, length) >= 0)) {
            size_t quote = i + (is_quote((char)c)
                                    ? 0
                                    : (size_t)string_prefix(text, i, length));
            size_t end = string_end(text, quote, length);
            mark(classes, i, end, LEX_STRING);
            before = BEFORE_OTHER;
            i = end;
        } else if (is_digit(c) || (c == '.' && i + 1 < length &&
                                   is_digit((unsigned char)text[i + 1]))) {
            size_t end = number_end(text, i, length);
            mark(classes, i, end, LEX_NUMBER);
            before = BEFORE_OTHER;
            i = end;
        } else if (is_name_start(c)) {
            size_t end = name_end(text, i, length);
            const char *word = text + i;
            size_t size = end - i;
            lex_class_t class = LEX_PLAIN;
            if (before == BEFORE_DEF) {
                class = LEX_DEFINITION;
            } else if (lex_names_contain(&keyword_names, word, size)) {
                class = (word_is(word, size, "True") ||
                         word_is(word, size, "False") ||
                         word_is(word, size, "None"))
                            ? LEX_CONSTANT
                            : LEX_KEYWORD;
            } else if (depth == 0 &&
                       soft_keyword_used(word, size, before,
                                         peek(text, end, length))) {
                class = LEX_SOFT_KEYWORD;
            } else if (before != BEFORE_DOT &&
                       lex_names_contain(builtins, word, size)) {
                class = LEX_BUILTIN;
            }
            mark(classes, i, end, class);
            if (class == LEX_KEYWORD &&
                (word_is(word, size, "def") || word_is(word, size, "class"))) {
                before = BEFORE_DEF;
            } else if (word_is(word, size, "case")) {
                before = BEFORE_CASE;
            } else {
                before = BEFORE_OTHER;
            }
            i = end;
        } else {
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            if (c == '.') {
                before = BEFORE_DOT;
            } else if (c == ':' && !(i + 1 < length && text[i + 1] == '=')) {
                before = BEFORE_START;
            } else {
                before = BEFORE_OTHER;
            }
            i++;
        }
    }
}
