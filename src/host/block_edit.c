/* Editing a multi-line buffer (block_edit.h).  readline draws a buffer
 * with "\n"s in it on several screen lines and moves through it as one
 * text; these commands add what an editor does with lines: Enter before
 * the end of a block opens a new line there (at the end, or just after
 * a search found the block, it runs the block), and Up or Down on a
 * line that has another above or below go there, at the same column or
 * the line's end, instead of replacing the buffer with a history entry.
 * On a one-line buffer each is readline's own command, so that nothing
 * changes for a python3.11 habit. */
#include "host/block_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "host/bare_commands.h"

/* Which prompt the line is read at: readline's commands take no
 * context, so it is asked through this pointer, set once. */
static prompt_kind_t (*read_at)(void);

static bool
editing_block(void)
{
    return read_at != NULL && read_at() != PROMPT_OTHER &&
           memchr(rl_line_buffer, '\n', (size_t)rl_end) != NULL;
}

int
line_start(int index)
{
    while (index > 0 && rl_line_buffer[index - 1] != '\n') {
        index--;
    }
    return index;
}

int
line_end(int index)
{
    while (index < rl_end && rl_line_buffer[index] != '\n') {
        index++;
    }
    return index;
}

/* `start + column` within the line [start, end), backed off to the
 * first byte of a UTF-8 character. */
static int
column_in_line(int start, int end, int column)
{
    int index = start + column < end ? start + column : end;
    while (index > start &&
           ((unsigned char)rl_line_buffer[index] & 0xc0) == 0x80) {
        index--;
    }
    return index;
}

/* Whether the last command fetched a history entry, leaving the cursor
 * where it found a match (Ctrl-R, history-search-backward): Enter then
 * runs the entry, as it runs a line found so in python3.11. */
static bool
entry_just_fetched(void)
{
    static rl_command_func_t *const fetchers[] = {
        rl_reverse_search_history,
        rl_forward_search_history,
        rl_history_search_backward,
        rl_history_search_forward,
        rl_history_substr_search_backward,
        rl_history_substr_search_forward,
        rl_noninc_reverse_search,
        rl_noninc_forward_search,
        rl_noninc_reverse_search_again,
        rl_noninc_forward_search_again,
        rl_beginning_of_history,
        rl_end_of_history,
        rl_get_previous_history,
        rl_get_next_history,
        rl_fetch_history,
        rl_operate_and_get_next};
    for (size_t i = 0; i < sizeof fetchers / sizeof fetchers[0]; i++) {
        if (rl_last_func == fetchers[i]) {
            return true;
        }
    }
    return false;
}

static int
block_edit_accept(int count, int key)
{
    if (editing_block() && rl_point < rl_end && !entry_just_fetched()) {
        return rl_insert_text("\n") == 1 ? 0 : 1;
    }
    if (read_at != NULL && read_at() == PROMPT_FIRST && bare_command_clear()) {
        return 0;
    }
    return rl_newline(count, key);
}

static int
block_edit_up(int count, int key)
{
    if (!editing_block()) {
        return rl_get_previous_history(count, key);
    }
    for (; count > 0; count--) {
        int start = line_start(rl_point);
        if (start == 0) {
            return rl_get_previous_history(count, key);
        }
        int above = line_start(start - 1);
        rl_point = column_in_line(above, start - 1, rl_point - start);
    }
    return 0;
}

static int
block_edit_down(int count, int key)
{
    if (!editing_block()) {
        return rl_get_next_history(count, key);
    }
    for (; count > 0; count--) {
        int end = line_end(rl_point);
        if (end == rl_end) {
            return rl_get_next_history(count, key);
        }
        int column = rl_point - line_start(rl_point);
        rl_point = column_in_line(end + 1, line_end(end + 1), column);
    }
    return 0;
}

/* The commands that block editing takes over, each with its
 * replacement. */
static const struct {
    rl_command_func_t *own, *replacement;
} takeovers[] = {
    {rl_newline, block_edit_accept},
    {rl_get_previous_history, block_edit_up},
    {rl_get_next_history, block_edit_down},
};

/* How deep keymaps nest under a top-level one: emacs's ESC map holds the
 * "ESC [" map of the arrow keys, two levels down.  The bound only guards
 * against a keymap that contains itself. */
#define KEYMAP_MAX_DEPTH 8

/* Binds every key of `map`, and of the keymaps under it, that runs one of
 * the taken-over commands to its replacement.  One walk of the keymaps
 * does what rl_invoking_keyseqs_in_map and rl_bind_keyseq_in_map did for
 * each command, in a tenth of the instructions (0.5 M at every start-up
 * before): a key's binding is its keymap entry. */
static void
rebind(Keymap map, int depth)
{
    for (int key = 0; key < KEYMAP_SIZE; key++) {
        if (map[key].type == ISKMAP && depth < KEYMAP_MAX_DEPTH) {
            /* readline keeps the keymap in the entry's function pointer;
             * copied out, as ISO C casts no function pointer to data. */
            Keymap inner;
            memcpy(&inner, &map[key].function, sizeof inner);
            rebind(inner, depth + 1);
            continue;
        }
        if (map[key].type != ISFUNC) {
            continue;
        }
        for (size_t i = 0; i < sizeof takeovers / sizeof takeovers[0]; i++) {
            if (map[key].function == takeovers[i].own) {
                map[key].function = takeovers[i].replacement;
            }
        }
    }
}

void
rebind_command(Keymap map, rl_command_func_t *old, rl_command_func_t *new)
{
    char **sequences = rl_invoking_keyseqs_in_map(old, map);
    if (sequences == NULL) {
        return;
    }
    for (size_t i = 0; sequences[i] != NULL; i++) {
        rl_bind_keyseq_in_map(sequences[i], new, map);
        free(sequences[i]);
    }
    free(sequences);
}

void
block_edit_bind(prompt_kind_t (*prompt_kind)(void))
{
    static const char *const keymaps[] = {"emacs", "vi-insert", "vi-command"};

    read_at = prompt_kind;
    rl_add_defun("pyhost-accept-or-open-line", block_edit_accept, -1);
    rl_add_defun("pyhost-previous-line-or-history", block_edit_up, -1);
    rl_add_defun("pyhost-next-line-or-history", block_edit_down, -1);
    for (size_t i = 0; i < sizeof keymaps / sizeof keymaps[0]; i++) {
        Keymap map = rl_get_keymap_by_name(keymaps[i]);
        if (map == NULL) {
            continue;
        }
        rebind(map, 0);
    }
}
