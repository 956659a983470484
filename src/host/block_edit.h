/* Editing a recalled block at the shell's prompts: Enter inside it
 * inserts a line, Up and Down move between its lines before they walk
 * the history. */
#ifndef PYHOST_BLOCK_EDIT_H
#define PYHOST_BLOCK_EDIT_H

#include <stdio.h> /* readline.h needs FILE */

#include <readline/readline.h>

#include "host/block_input.h"

/* Binds the keys that readline binds to accept-line, previous-history
 * and next-history (in the emacs and vi keymaps) to the block-aware
 * commands, and names those commands for inputrc.  To be called before
 * the user's inputrc is read again, so that its bindings win.
 * `prompt_kind` tells which prompt the line being read is for: at
 * neither ">>> " nor "... " (input(), pdb) the keys do what readline's
 * own commands do; at ">>> ", Enter on "clear" alone clears the screen
 * (bare_commands.h). */
void block_edit_bind(prompt_kind_t (*prompt_kind)(void));

/* The start and the end (its "\n" or the buffer's end) of the line of
 * readline's buffer that holds `index`. */
int line_start(int index);
int line_end(int index);

/* Binds, in `map`, every key sequence bound to `old` to `new` (for the
 * shell's other commands that take over one of readline's). */
void rebind_command(Keymap map, rl_command_func_t *old,
                    rl_command_func_t *new);

#endif
