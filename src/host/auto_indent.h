/* Auto-indent at the shell's ">>> " and "... " prompts: a "... " line
 * starts with the indentation the statement's lines call for
 * (indent_rules.h); whitespace typed (Space, or Tab at a blank word) on
 * such a line while it holds nothing else replaces that indentation, so
 * that typed indentation is never doubled; Backspace in a line's
 * indentation goes back a level; a ":" typed on an else, elif, except or
 * finally line moves it left to the block it goes on; a paste that begins
 * with whitespace replaces the indentation too.  Enter, or Ctrl-D, on a
 * line that holds only the indentation pyhost put there acts as on an
 * empty line.  Whether it is on: auto_indent_config.h.  input(), pdb and
 * cmd.Cmd keep plain line editing. */
#ifndef PYHOST_AUTO_INDENT_H
#define PYHOST_AUTO_INDENT_H

#include "host/block_input.h"

/* Decides whether auto-indent is on, and if so binds its keys (before
 * the user's init file is read again, so that its bindings win) and
 * follows the keys read (after key_input_install).  `prompt_kind` tells
 * which prompt the line being read is for. */
void auto_indent_start(prompt_kind_t (*prompt_kind)(void));

/* A line handed to the interactive loop at a prompt of `kind`: the
 * statement's lines so far are what the rules read. */
void auto_indent_note_line(const char *line, prompt_kind_t kind);

/* Right after readline set up a new line (its prompt shown): puts the
 * indentation in at a "... " prompt. */
void auto_indent_begin_line(void);

/* The line read (malloc'd, or NULL at end of input or after Ctrl-C):
 * made empty when it holds only the indentation pyhost put there. */
void auto_indent_end_line(char *line);

/* Before completion inserts a tab at a blank word: the tab then replaces
 * the indentation pyhost put on the line, as typed whitespace does. */
void auto_indent_before_typed_tab(void);

#endif
