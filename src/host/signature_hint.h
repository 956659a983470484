/* Signature hints and help at the shell's prompts: Tab after a
 * callable's "(" (or a completion that ends in one) shows its signature;
 * a line "obj?" shows help(obj)'s first screen, "obj??" its source. */
#ifndef PYHOST_SIGNATURE_HINT_H
#define PYHOST_SIGNATURE_HINT_H

#include "host/block_input.h"

/* Names the command pyhost-complete (readline's complete, then the
 * signature hint) and binds to it the keys bound to complete in the
 * emacs and vi-insert keymaps; `prompt_kind` tells which prompt a line
 * is read at (hints are for ">>> " and "... " only).  To be called after
 * completion_start and before the user's inputrc is read again, so that
 * its bindings win. */
void signature_hint_bind(prompt_kind_t (*prompt_kind)(void));

/* For completion, Tab on a blank word that starts at rl_line_buffer +
 * start: when the line before it opens the call of a callable ("len("),
 * shows its signature and returns readline's matches for inserting
 * nothing; NULL otherwise, or with an exception set (Ctrl-C).  Needs
 * the GIL. */
char **signature_hint_for_call(int start);

/* For completion, once the matches are known: when the one match
 * completes a callable (ends in "(" or "()"), shows its signature.
 * Needs the GIL; may leave an exception set (Ctrl-C). */
void signature_hint_for_matches(char **matches);

/* A line typed at ">>> " (taken over): when it is "obj?" or "obj??", not
 * valid Python otherwise, and obj is found without running a descriptor,
 * shows help(obj)'s first screen (or obj's source) and returns an empty
 * line to run instead; otherwise the line itself.  NULL with
 * KeyboardInterrupt set when Ctrl-C interrupts.  Needs the GIL. */
char *signature_hint_help_line(char *line);

#endif
