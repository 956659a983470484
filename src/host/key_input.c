/* Keys for readline (key_input.h).  Outside a paste, readline's own
 * rl_getc reads each byte when readline asks for it, so that nothing is
 * taken from the terminal before it is needed: bytes typed ahead stay
 * in the terminal for whatever reads next (Python code that reads
 * sys.stdin, a child process), as with python3.11.  Between the
 * terminal's paste markers ("\e[200~" ... "\e[201~"), which readline
 * reads to the end at once anyway, blocks of what is there are read
 * into a buffer and handed out from it; once the end marker has gone
 * by, no more is read ahead.  The buffer is process-wide, as the
 * terminal and readline's state are. */
#include "host/key_input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>

/* The marker's length; they differ in their fifth byte only. */
#define PASTE_MARK_LENGTH 6
static const char paste_start[] = "\x1b[200~";
static const char paste_end[] = "\x1b[201~";

/* A block of a paste: a typical terminal hands over 4 KiB at a time;
 * this takes what a few such writes leave. */
#define READ_AHEAD_SIZE 65536

static struct {
    unsigned char buffer[READ_AHEAD_SIZE];
    size_t next, end;               /* the bytes not yet handed out */
    char recent[PASTE_MARK_LENGTH]; /* the last bytes handed out */
    bool in_paste;
} keys;

/* Notes the byte handed out, to follow the paste markers. */
static void
follow_markers(int c)
{
    memmove(keys.recent, keys.recent + 1, PASTE_MARK_LENGTH - 1);
    keys.recent[PASTE_MARK_LENGTH - 1] = (char)c;
    if (memcmp(keys.recent, paste_start, PASTE_MARK_LENGTH) == 0) {
        keys.in_paste = true;
    } else if (memcmp(keys.recent, paste_end, PASTE_MARK_LENGTH) == 0) {
        keys.in_paste = false;
    }
}

static int
key_input_getc(FILE *stream)
{
    if (keys.next == keys.end && keys.in_paste) {
        ssize_t got;
        do {
            got = read(fileno(stream), keys.buffer, sizeof keys.buffer);
        } while (got < 0 && errno == EINTR);
        keys.next = 0;
        keys.end = got > 0 ? (size_t)got : 0;
    }
    /* Outside a paste, or at the end of input or an error, readline's
     * own reading decides. */
    int c = keys.next < keys.end ? keys.buffer[keys.next++] : rl_getc(stream);
    if (c >= 0) {
        follow_markers(c);
    }
    return c;
}

void
key_input_install(void)
{
    rl_getc_function = key_input_getc;
}

bool
key_input_pending(void)
{
    return keys.next < keys.end;
}
