/* The bytes readline reads from the terminal: one at a time, as readline
 * reads them, except inside a bracketed paste, which is read ahead in
 * blocks (a 400,000-character paste read a byte at a time costs two
 * system calls a byte, about 2 s). */
#ifndef PYHOST_KEY_INPUT_H
#define PYHOST_KEY_INPUT_H

#include <stdbool.h>

/* Makes key_input's reader readline's rl_getc_function. */
void key_input_install(void);

/* Whether bytes read ahead wait to be handed to readline (then a wait
 * for the terminal must not block). */
bool key_input_pending(void);

#endif
