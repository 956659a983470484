/* The text that Tab puts in place of the word when several completions
 * match: their longest common prefix, in whole UTF-8 characters.  Plain C,
 * so that CMocka tests it. */
#ifndef PYHOST_MATCH_PREFIX_H
#define PYHOST_MATCH_PREFIX_H

#include <stddef.h>

/* The length in bytes of the longest prefix that the `count` (>= 1)
 * NUL-terminated UTF-8 strings of `words` share, shortened so that it
 * never ends inside a multi-byte character (two completions that differ
 * only in the last byte of a character share none of it). */
size_t match_prefix_length(char *const *words, size_t count);

#endif
