/* Colour in the interactive shell, as python3.13 has it: a coloured
 * prompt, coloured tracebacks, and (as python3.14) the line being edited
 * highlighted (syntax_highlight.h).  Whether to colour follows
 * python3.13's _colorize.can_colorize exactly. */
#ifndef PYHOST_COLOUR_H
#define PYHOST_COLOUR_H

#include <stdbool.h>
#include <stdio.h>

#include "host/block_input.h"

/* python3.13's colours (Lib/_colorize.py, ANSIColors). */
#define COLOUR_RESET "\x1b[0m"
#define COLOUR_BOLD "\x1b[1m"
#define COLOUR_RED "\x1b[31m"
#define COLOUR_GREEN "\x1b[32m"
#define COLOUR_YELLOW "\x1b[33m"
#define COLOUR_MAGENTA "\x1b[35m"
#define COLOUR_CYAN "\x1b[36m"
#define COLOUR_BOLD_BLUE "\x1b[1;34m"
#define COLOUR_BOLD_MAGENTA "\x1b[1;35m"

/* Notes whether Python ignores the environment (-E, -I), which makes it
 * ignore PYTHON_COLORS (and only that).  Needs the GIL; called when the
 * shell starts. */
void colour_configure(void);

/* What the environment says, in python3.13's order: PYTHON_COLORS=0
 * (unless -E) no, PYTHON_COLORS=1 yes, NO_COLOR (not empty) no,
 * FORCE_COLOR (not empty) yes, TERM=dumb no; 1 for yes, 0 for no, -1
 * when it does not say and whether the output is a terminal decides. */
int colour_by_environment(void);

/* Whether output to the descriptor `fd` is coloured:
 * colour_by_environment(), else isatty(fd). */
bool colour_wanted(int fd);

/* The prompt to show for a line read at `prompt` (of the kind `kind`)
 * on `out`: at ">>> " and "... ", when colour is wanted on `out`, the
 * prompt in python3.13's colour, its escape sequences between readline's
 * \001 and \002 markers, and the line is highlighted while it is edited;
 * otherwise `prompt` itself.  colour_line_end() when the line is read. */
const char *colour_line_start(const char *prompt, prompt_kind_t kind,
                              FILE *out);
void colour_line_end(void);

/* Makes sys.excepthook colour the tracebacks printed at the prompt (on a
 * terminal, as colour_wanted() says for sys.stderr, each time), when
 * colour is wanted on standard error now and the hook is still
 * sys.__excepthook__.  The text is the one python3.11 prints, escape
 * sequences apart.  Needs the GIL; returns 0, or -1 with an exception. */
int colour_install_excepthook(void);

#endif
