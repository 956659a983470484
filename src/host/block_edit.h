/* Editing a recalled block at the shell's prompts: Enter inside it
 * inserts a line, Up and Down move between its lines before they walk
 * the history. */
#ifndef PYHOST_BLOCK_EDIT_H
#define PYHOST_BLOCK_EDIT_H

#include <stdbool.h>

/* Binds the keys that readline binds to accept-line, previous-history
 * and next-history (in the emacs and vi keymaps) to the block-aware
 * commands, and names those commands for inputrc.  To be called before
 * the user's inputrc is read again, so that its bindings win.
 * `reads_statement` tells whether the line being read is a statement's
 * (at ">>> " or "... "): elsewhere (input(), pdb) the keys do what
 * readline's own commands do. */
void block_edit_bind(bool (*reads_statement)(void));

#endif
