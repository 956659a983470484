/* The top-level statements of a piece of Python source typed or pasted
 * at the prompt, found by a light scan of its lines (strings, brackets,
 * backslashes, comments; no tokenizer, no Python), so that the shell can
 * hand CPython's interactive loop one statement at a time, as a file's
 * statements run.  Plain C, so that the unit tests pin the rules down. */
#ifndef PYHOST_SOURCE_LINES_H
#define PYHOST_SOURCE_LINES_H

#include <stdbool.h>
#include <stddef.h>

/* What the scan knows of one line of the source. */
typedef struct {
    size_t start, length;  /* the line, without its "\n" */
    bool starts_statement; /* the first line of a top-level statement */
    bool in_statement;     /* part of one (not a blank or comment line
                              before the first, or after the last line
                              of one) */
    bool in_string;        /* begins inside a triple-quoted string */
} source_line_t;

/* Splits text[0:size] into lines and classifies them.  A top-level
 * statement begins at a line that starts in column 0 outside any
 * string, bracket or backslash continuation, and is not blank, a
 * comment, a clause that goes on a compound statement (else, elif,
 * except, finally) or the line after a decorator; it ends at its last
 * line that is not blank or only a comment.  With `in_statement`, the
 * text goes on a statement already begun (its first lines are in it).
 * Returns a malloc'd array of *count lines, or NULL when memory runs
 * out. */
source_line_t *source_lines_scan(const char *text, size_t size,
                                 bool in_statement, size_t *count);

#endif
