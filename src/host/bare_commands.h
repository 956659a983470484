/* exit, quit, help and clear typed alone at ">>> ", as python3.13 takes
 * them: commands, unless the user gave the name a value of their own. */
#ifndef PYHOST_BARE_COMMANDS_H
#define PYHOST_BARE_COMMANDS_H

#include <stdbool.h>

/* The line to run for `line`, typed at ">>> ": "exit()" for "exit" (and
 * so for quit and help), in a malloc'd string, or NULL when `line` is
 * not such a command (or memory runs out).  Needs the GIL. */
char *bare_command_call(const char *line);

/* When the line being edited is "clear" alone and the name is free,
 * clears the screen, empties the line and returns true.  Called by Enter
 * at ">>> "; takes the GIL. */
bool bare_command_clear(void);

#endif
