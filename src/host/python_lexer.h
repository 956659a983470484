/* A small Python lexer for highlighting the line being edited: what
 * each byte of the text is, as python3.14's REPL colours it
 * (Lib/_pyrepl/utils.py, gen_colors).  Plain C: no interpreter. */
#ifndef PYHOST_PYTHON_LEXER_H
#define PYHOST_PYTHON_LEXER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    LEX_PLAIN,        /* operators, names, blanks */
    LEX_KEYWORD,      /* for, def, import... */
    LEX_CONSTANT,     /* True, False, None */
    LEX_SOFT_KEYWORD, /* match, case, _ where they are keywords */
    LEX_BUILTIN,      /* a name in builtins, not after "." */
    LEX_COMMENT,
    LEX_STRING, /* with its prefix and quotes; an unterminated one to the
                   end of its line (or of the text, if triple-quoted) */
    LEX_NUMBER,
    LEX_DEFINITION, /* the name after def or class */
    LEX_CLASS_COUNT
} lex_class_t;

/* Names, sorted as strcmp() sorts them. */
typedef struct {
    const char *const *names;
    size_t count;
} lex_names_t;

/* Sets classes[i] to the lex_class_t of text[i], for each byte of
 * text[0, length): the text is taken from the start of a statement
 * (f-strings are strings whole, as python3.11 tokenizes them).
 * `builtins` (may be NULL) are the names highlighted as builtins. */
void lex_classify(const char *text, size_t length, const lex_names_t *builtins,
                  unsigned char *classes);

/* Whether `word` (of `length` bytes) is in `names`. */
bool lex_names_contain(const lex_names_t *names, const char *word,
                       size_t length);

#endif
