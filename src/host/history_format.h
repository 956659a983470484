/* The history file's text: one entry a line, as readline writes it,
 * except that each line of a multi-line entry (a block typed at the
 * prompt) but the last ends in "\r\n", as python3.13 writes its history.
 * A file written one line an entry (by pyhost before blocks, or by
 * readline) reads back as it did.  Plain C (no Python.h, no readline),
 * so that the unit tests pin the format down. */
#ifndef PYHOST_HISTORY_FORMAT_H
#define PYHOST_HISTORY_FORMAT_H

#include <stddef.h>

/* How many bytes histformat_encode writes for `entry`. */
size_t histformat_encoded_size(const char *entry);

/* Writes `entry` at `out` in the file's format, with its final "\n";
 * returns the end of what it wrote. */
char *histformat_encode(char *out, const char *entry);

/* Calls add(entry, data) for each entry of text[0:size], oldest first,
 * with its lines joined by "\n"; empty lines are no entries.  Decodes in
 * place: `text` is overwritten, and must have room for size + 1 bytes. */
void histformat_decode(char *text, size_t size,
                       void (*add)(const char *entry, void *data), void *data);

/* Where the last `keep` entries of text[0:size] begin: 0 when the text
 * holds no more than `keep` (> 0) of them. */
size_t histformat_tail_offset(const char *text, size_t size, size_t keep);

#endif
