/* The longest common prefix of completions, in whole UTF-8 characters. */
#include "host/match_prefix.h"

#include <string.h>

/* A UTF-8 continuation byte: 10xxxxxx. */
static int
is_continuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

size_t
match_prefix_length(char *const *words, size_t count)
{
    size_t common = strlen(words[0]);
    for (size_t i = 1; i < count; i++) {
        size_t same = 0;
        while (same < common && words[i][same] == words[0][same]) {
            same++;
        }
        common = same;
    }
    /* words[0][common] is the first byte not shared (or the end): if it
     * continues a character, that character is not whole in the prefix. */
    while (common > 0 && is_continuation((unsigned char)words[0][common])) {
        common--;
    }
    return common;
}
