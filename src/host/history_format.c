/* The history file's text format (history_format.h): readline's one line
 * an entry, with python3.13's mark for the lines of a block, "\r" before
 * the "\n" that does not end the entry.  A line typed at the prompt never
 * ends in "\r" (Enter would have accepted it), so old files read as they
 * did, and readline itself, given the file, sees each line of a block as
 * an entry with a harmless "\r". */
#include "host/history_format.h"

#include <stdbool.h>
#include <string.h>

/* Whether the "\n" at text[index] ends an entry, rather than a line of
 * one. */
static bool
ends_entry(const char *text, size_t index)
{
    return index == 0 || text[index - 1] != '\r';
}

size_t
histformat_encoded_size(const char *entry)
{
    size_t size = strlen(entry) + 1;
    for (const char *c = entry; *c != '\0'; c++) {
        size += *c == '\n';
    }
    return size;
}

char *
histformat_encode(char *out, const char *entry)
{
    for (const char *c = entry; *c != '\0'; c++) {
        if (*c == '\n') {
            *out++ = '\r';
        }
        *out++ = *c;
    }
    *out++ = '\n';
    return out;
}

void
histformat_decode(char *text, size_t size,
                  void (*add)(const char *entry, void *data), void *data)
{
    size_t write = 0, entry = 0;
    char previous = '\0'; /* as read, before any overwriting */

    for (size_t read = 0; read < size; read++) {
        char c = text[read];
        if (c == '\n' && previous != '\r') {
            text[write] = '\0';
            if (write > entry) {
                add(text + entry, data);
            }
            entry = ++write;
        } else if (c == '\r' && read + 1 < size && text[read + 1] == '\n') {
            /* the mark: the "\n" that follows stays in the entry */
        } else {
            text[write++] = c;
        }
        previous = c;
    }
    if (write > entry) { /* a last line without its "\n" */
        text[write] = '\0';
        add(text + entry, data);
    }
}

size_t
histformat_tail_offset(const char *text, size_t size, size_t keep)
{
    size_t end = size;
    size_t entries = 0;

    if (end > 0 && text[end - 1] == '\n') {
        end--; /* the last entry's own end */
    }
    for (size_t index = end; index-- > 0;) {
        if (text[index] != '\n' || !ends_entry(text, index)) {
            continue;
        }
        if (index + 1 < end) { /* a non-empty entry in [index + 1, end) */
            entries++;
            if (entries == keep) {
                return index + 1;
            }
        }
        end = index;
    }
    return 0;
}
