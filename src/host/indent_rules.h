/* The shell's auto-indent rules: from the lines of a statement typed so
 * far, what indentation the next line starts with, where Backspace in a
 * line's indentation goes back to, and where a clause (else, elif,
 * except, finally) belongs.  A light scan of the lines (strings,
 * brackets, backslashes, comments; no tokenizer, no Python), in plain C,
 * so that the unit tests pin the rules down; auto_indent.c applies them
 * to the line being edited.
 *
 * `text` is always the statement's lines before the line being edited,
 * each ending in "\n" (the last may lack it); indentation is measured as
 * CPython's tokenizer measures it (a tab to the next multiple of 8). */
#ifndef PYHOST_INDENT_RULES_H
#define PYHOST_INDENT_RULES_H

#include <stdbool.h>
#include <stddef.h>

/* The indentation unit when no line of the statement is indented yet. */
#define INDENT_DEFAULT_UNIT "    "

/* The indentation the line after `text` starts with (malloc'd, "" for
 * none; NULL when memory runs out):
 * - after a line that opens a block (its last character outside strings
 *   and comments is a ":", no bracket open), that line's indentation and
 *   one unit more; the unit is the first indented line's indentation
 *   (INDENT_DEFAULT_UNIT before there is one);
 * - after a return, pass, break, continue or raise, the enclosing
 *   block's indentation;
 * - inside brackets or after a backslash, the previous line's, and a
 *   unit more when that line ends with the opening bracket;
 * - inside a triple-quoted string, none (it would be part of the string);
 * - otherwise the indentation of the last statement line. */
char *indent_next_line(const char *text, size_t size);

/* What Backspace does to the indentation indent[0:length] (blanks only,
 * not empty) before the cursor on the line after `text`. */
typedef enum {
    INDENT_PLAIN,      /* nothing special: delete one character */
    INDENT_LEVEL_BACK, /* replace it with *result, one level less */
    INDENT_NO_MEMORY
} indent_back_t;

/* One level less is the deepest indentation narrower than `indent` among
 * the levels of the blocks open at the end of `text` and, beyond the
 * innermost, its indentation plus whole units.  Inside a triple-quoted
 * string the whitespace is the string's: INDENT_PLAIN. */
indent_back_t indent_level_back(const char *text, size_t size,
                                const char *indent, size_t length,
                                char **result);

/* The clause keyword a line begins with, after its indentation: "else",
 * "elif", "except" or "finally" as a whole word, or NULL. */
const char *indent_clause_keyword(const char *line, size_t length);

/* Where a line after `text` that begins with `indent` and then the
 * clause `keyword` belongs: the indentation of the innermost open block
 * at or left of `indent` whose latest line begins with a statement the
 * clause goes on (if/elif for elif; if, elif, for, while, try, except
 * for else; try/except for except; try, except, else for finally), or
 * else one level left of `indent`.  *result is NULL when the line stays
 * where it is (never further right); false when memory runs out. */
bool indent_for_clause(const char *text, size_t size, const char *indent,
                       size_t length, const char *keyword, char **result);

#endif
