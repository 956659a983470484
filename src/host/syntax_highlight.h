/* Syntax highlighting of the line being edited at the shell's prompts,
 * as python3.14 colours it: keywords, strings, numbers, comments,
 * builtins, the names that def and class define. */
#ifndef PYHOST_SYNTAX_HIGHLIGHT_H
#define PYHOST_SYNTAX_HIGHLIGHT_H

/* Highlights the line read next, shown after `prompt` (as given to
 * readline, with its \001 \002 markers; kept until
 * syntax_highlight_end), which continues `context` (the statement's
 * lines so far, or NULL): readline's redisplay function is pyhost's
 * until then.  (readline initialises its terminal, which it would not
 * do with a redisplay function of the application's, before.) */
void syntax_highlight_begin(const char *prompt, const char *context);

/* Stops highlighting (the line is read): readline's redisplay is its
 * own again. */
void syntax_highlight_end(void);

/* rl_resize_terminal(), the line redrawn as readline redraws it, then
 * highlighted. */
void syntax_highlight_resize_terminal(void);

#endif
