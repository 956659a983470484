/* The shell's auto-indent rules: from the lines of a statement typed so
 * far, what indentation the next line starts with, where Backspace in a
 * line's indentation goes back to, and where a clause (else, elif,
 * except, finally) belongs.  A light scan of the lines (strings,
 * brackets, backslashes, comments; no tokenizer, no Python), in plain C,
 * so that the unit tests pin the rules down; auto_indent.c applies them
 * to the line being edited.
 *
 * The text is always the statement's lines before the line being edited,
 * each ending in "\n" (the last may lack it); indentation is measured as
 * CPython's tokenizer measures it (a tab to the next multiple of 8). */
#ifndef PYHOST_INDENT_RULES_H
#define PYHOST_INDENT_RULES_H

#include <stdbool.h>
#include <stddef.h>

/* The indentation unit when no line of the statement is indented yet. */
#define INDENT_DEFAULT_UNIT "    "

/* What a scan of a statement's lines knows at their end.  It grows a
 * line at a time, so that the shell reads each line once, however long
 * the statement. */
typedef struct indent_state indent_state_t;

/* A state that has seen nothing; NULL when memory runs out. */
indent_state_t *indent_state_new(void);
void indent_state_free(indent_state_t *state);
void indent_state_reset(indent_state_t *state);
/* A copy, to scan on from where `state` is; NULL when memory runs out. */
indent_state_t *indent_state_copy(const indent_state_t *state);

/* Scans text[seen:size], where text[0:seen] is the text the state has
 * seen (the same characters; the buffer may have moved): whole lines,
 * except for the text's last.  False when memory runs out (the state is
 * then reset). */
bool indent_state_scan(indent_state_t *state, const char *text, size_t size);

/* The indentation the line after the text scanned starts with (malloc'd,
 * "" for none; NULL when memory runs out):
 * - after a line that opens a block (its last character outside strings
 *   and comments is a ":", no bracket open), that line's indentation and
 *   one unit more; the unit is the first indented line's indentation
 *   (INDENT_DEFAULT_UNIT before there is one);
 * - after a return, pass, break, continue or raise, the enclosing
 *   block's indentation;
 * - inside brackets or after a backslash, the previous line's, and a
 *   unit more when that line ends with the opening bracket;
 * - inside a triple-quoted string, none (it would be part of the string);
 * - otherwise the indentation of the last statement line.
 * `text` is the text scanned, as with every question below. */
char *indent_state_next_line(const indent_state_t *state, const char *text);

/* What Backspace does to the indentation indent[0:length] (blanks only,
 * not empty) before the cursor on the line after the text. */
typedef enum {
    INDENT_PLAIN,      /* nothing special: delete one character */
    INDENT_LEVEL_BACK, /* replace it with *result, one level less */
    INDENT_NO_MEMORY
} indent_back_t;

/* One level less is the deepest indentation narrower than `indent` among
 * the levels of the blocks open at the end of the text and, beyond the
 * innermost, its indentation plus whole units.  Inside a triple-quoted
 * string the whitespace is the string's: INDENT_PLAIN. */
indent_back_t indent_state_level_back(const indent_state_t *state,
                                      const char *text, const char *indent,
                                      size_t length, char **result);

/* The clause keyword a line begins with, after its indentation: "else",
 * "elif", "except" or "finally" as a whole word, or NULL. */
const char *indent_clause_keyword(const char *line, size_t length);

/* Where a line after the text that begins with `indent` and then the
 * clause `keyword` belongs: the indentation of the innermost open block
 * at or left of `indent` whose latest line begins with a statement the
 * clause goes on (if/elif for elif; if, elif, for, while, try, except
 * for else; try/except for except; try, except, else for finally), or
 * else one level left of `indent`.  *result is NULL when the line stays
 * where it is (never further right); false when memory runs out. */
bool indent_state_for_clause(const indent_state_t *state, const char *text,
                             const char *indent, size_t length,
                             const char *keyword, char **result);

/* The same questions about text[0:size] at once, scanned afresh. */
char *indent_next_line(const char *text, size_t size);
indent_back_t indent_level_back(const char *text, size_t size,
                                const char *indent, size_t length,
                                char **result);
bool indent_for_clause(const char *text, size_t size, const char *indent,
                       size_t length, const char *keyword, char **result);

#endif
