/* Auto-indent (auto_indent.h): the rules of indent_rules.c applied to
 * the line readline edits.
 *
 * The indentation pyhost puts at the start of a "... " line is real text
 * in readline's buffer, so that every editing key sees it as the user
 * sees it; what pyhost remembers is that the line's whitespace is its
 * own (`automatic`) until the user types something.  While the line
 * holds nothing but that whitespace:
 * - Space, or Tab (completion inserts a tab at a blank word, as
 *   rlcompleter does), replaces it: a program that types its own
 *   indentation, or a person used to python3.11, gets exactly what they
 *   typed;
 * - a paste that begins with whitespace replaces it too (a paste that
 *   begins with code lands after it);
 * - Enter gives the empty line that ends a block, and Ctrl-D ends input,
 *   as they do on an empty line (readline's end-of-file test needs an
 *   empty buffer, so the key is seen as it is read: the getc hook).
 * Backspace in any line's indentation (before the cursor, only blanks)
 * goes back a level; a ":" on an else, elif, except or finally line moves
 * the line left to the block it goes on, as Emacs's electric colon and VS
 * Code's rules do.  Backspace and the paste are readline commands, bound
 * in place of backward-delete-char and bracketed-paste-begin (the user's
 * init file, read after, can bind them elsewhere); Space, ":" and the
 * end-of-file key are seen as readline reads them (indent_getc), so that
 * Space and ":" stay self-insert, which inserts a run of keys typed
 * ahead at once, as in python3.11.  The state is process-wide, as
 * readline's is. */
#include "host/auto_indent.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <readline/readline.h>

#include "host/auto_indent_config.h"
#include "host/block_edit.h"
#include "host/indent_rules.h"

#define DEFAULT_EOF_CHAR 4 /* Ctrl-D */

static struct {
    bool enabled;
    prompt_kind_t (*read_at)(void);
    /* The statement's lines handed out so far, each ending in "\n", and
     * what the rules know at their end. */
    char *context;
    size_t size, capacity;
    indent_state_t *state;
    bool editing;     /* a line is read at ">>> " or "... " */
    char *automatic;  /* while the line holds only whitespace pyhost put
                         there: that whitespace (malloc'd) */
    bool replaceable; /* ... and typed whitespace replaces it (not after
                         Backspace chose a level) */
    int eof_char;
    rl_getc_func_t *next_getc;
} indent;

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Whether the line holds only pyhost's whitespace. */
static bool
only_automatic(void)
{
    if (!indent.editing || indent.automatic == NULL) {
        return false;
    }
    size_t length = strlen(indent.automatic);
    return (size_t)rl_end == length &&
           memcmp(rl_line_buffer, indent.automatic, length) == 0;
}

static void
set_automatic(char *text, bool replaceable)
{
    free(indent.automatic);
    indent.automatic = text;
    indent.replaceable = replaceable;
}

/* Clears the line of pyhost's whitespace, for what the user types. */
static void
drop_automatic(void)
{
    rl_delete_text(0, rl_end);
    rl_point = 0;
    set_automatic(NULL, false);
}

/* A new statement: its lines so far are none. */
static void
forget_statement(void)
{
    indent.size = 0;
    indent_state_reset(indent.state);
}

void
auto_indent_note_line(const char *line, prompt_kind_t kind)
{
    if (!indent.enabled || kind == PROMPT_OTHER) {
        return;
    }
    if (kind == PROMPT_FIRST) {
        forget_statement();
    }
    size_t length = strlen(line);
    size_t needed = indent.size + length + 1;
    if (needed > indent.capacity) {
        size_t capacity =
            needed > 2 * indent.capacity ? needed : 2 * indent.capacity;
        char *context = realloc(indent.context, capacity);
        if (context == NULL) {
            forget_statement(); /* no context: no indentation, no harm */
            return;
        }
        indent.context = context;
        indent.capacity = capacity;
    }
    memcpy(indent.context + indent.size, line, length);
    indent.context[indent.size + length] = '\n';
    indent.size = needed;
    if (!indent_state_scan(indent.state, indent.context, indent.size)) {
        forget_statement();
    }
}

static int indent_backspace(int count, int key);

/* The terminal's erase key back on pyhost's Backspace after readline
 * bound it to backward-delete-char for the line (only then: with
 * bind-tty-special-chars off, the binding is the init file's). */
static void
follow_erase_key(unsigned char key)
{
    static const char *const insert_maps[] = {"emacs", "vi-insert"};
    const char *setting = rl_variable_value("bind-tty-special-chars");
    if (setting == NULL || strcmp(setting, "on") != 0) {
        return;
    }
    for (size_t i = 0; i < sizeof insert_maps / sizeof insert_maps[0]; i++) {
        Keymap map = rl_get_keymap_by_name(insert_maps[i]);
        if (map != NULL && map[key].type == ISFUNC &&
            map[key].function == rl_rubout) {
            map[key].function = indent_backspace;
        }
    }
}

void
auto_indent_begin_line(void)
{
    set_automatic(NULL, false);
    indent.editing = indent.enabled && indent.read_at != NULL &&
                     indent.read_at() != PROMPT_OTHER;
    if (!indent.editing) {
        return;
    }
    if (indent.read_at() == PROMPT_FIRST) {
        forget_statement(); /* the last statement says nothing of this */
    }
    /* readline takes its end-of-file key from the terminal, as here,
     * and binds the terminal's erase key to backward-delete-char anew
     * for each line (bind-tty-special-chars). */
    struct termios modes;
    indent.eof_char = DEFAULT_EOF_CHAR;
    if (tcgetattr(fileno(rl_instream), &modes) == 0) {
        if (modes.c_cc[VEOF] != _POSIX_VDISABLE) {
            indent.eof_char = (unsigned char)modes.c_cc[VEOF];
        }
        if (modes.c_cc[VERASE] != _POSIX_VDISABLE) {
            follow_erase_key((unsigned char)modes.c_cc[VERASE]);
        }
    }
    /* Not over text a pre-input hook put in. */
    if (indent.read_at() != PROMPT_CONTINUATION || rl_end != 0) {
        return;
    }
    char *text = indent_state_next_line(indent.state, indent.context);
    if (text == NULL || text[0] == '\0') {
        free(text);
        return;
    }
    rl_insert_text(text);
    set_automatic(text, true);
    (*rl_redisplay_function)();
}

void
auto_indent_end_line(char *line)
{
    if (line != NULL && indent.editing && indent.automatic != NULL &&
        strcmp(line, indent.automatic) == 0) {
        line[0] = '\0';
    }
    indent.editing = false;
    set_automatic(NULL, false);
}

void
auto_indent_before_typed_tab(void)
{
    if (indent.replaceable && only_automatic()) {
        drop_automatic();
    }
}

/* The statement's lines before the buffer's line that starts at `start`
 * (those handed out, then the buffer's lines above it) in *text, and the
 * rules' state at their end; NULL when memory runs out. */
static indent_state_t *
context_before(int start, char **text)
{
    size_t size = indent.size + (size_t)start;
    *text = malloc(size + 1);
    indent_state_t *state = indent_state_copy(indent.state);
    if (*text == NULL || state == NULL) {
        free(*text);
        *text = NULL;
        indent_state_free(state);
        return NULL;
    }
    memcpy(*text, indent.context, indent.size);
    memcpy(*text + indent.size, rl_line_buffer, (size_t)start);
    (*text)[size] = '\0';
    if (!indent_state_scan(state, *text, size)) {
        free(*text);
        *text = NULL;
        indent_state_free(state);
        return NULL;
    }
    return state;
}

/* Replaces rl_line_buffer[start:end] with `text`, the cursor keeping its
 * place after it. */
static void
replace_text(int start, int end, const char *text)
{
    int after = rl_point >= end ? rl_point - end : 0;
    rl_begin_undo_group();
    rl_delete_text(start, end);
    rl_point = start;
    rl_insert_text(text);
    rl_point += after;
    rl_end_undo_group();
}

/* Backspace once in the indentation before the cursor; false when the
 * cursor is not in a line's indentation, or no rule applies. */
static bool
back_a_level(void)
{
    int start = line_start(rl_point);
    if (rl_point == start) {
        return false;
    }
    for (int i = start; i < rl_point; i++) {
        if (!is_blank(rl_line_buffer[i])) {
            return false;
        }
    }
    char *context;
    indent_state_t *state = context_before(start, &context);
    char *target = NULL;
    indent_back_t back =
        state == NULL
            ? INDENT_NO_MEMORY
            : indent_state_level_back(state, context, rl_line_buffer + start,
                                      (size_t)(rl_point - start), &target);
    indent_state_free(state);
    free(context);
    if (back != INDENT_LEVEL_BACK) {
        return false;
    }
    bool automatic = only_automatic();
    replace_text(start, rl_point, target);
    if (automatic) {
        /* Still pyhost's whitespace for Enter and Ctrl-D; what is typed
         * now goes after the level chosen. */
        set_automatic(target, false);
    } else {
        free(target);
    }
    return true;
}

/* pyhost-backward-delete-indent: Backspace. */
static int
indent_backspace(int count, int key)
{
    if (!indent.editing || count <= 0) {
        return rl_rubout(count, key);
    }
    while (count > 0 && back_a_level()) {
        count--;
    }
    return count > 0 ? rl_rubout(count, key) : 0;
}

/* As a ":" is typed after its keyword: an else, elif, except or finally
 * line moves left to the block it goes on. */
static void
place_clause(void)
{
    int start = line_start(rl_point);
    int end = line_end(start);
    const char *keyword =
        indent_clause_keyword(rl_line_buffer + start, (size_t)(end - start));
    if (keyword == NULL) {
        return;
    }
    int code = start;
    while (code < end && is_blank(rl_line_buffer[code])) {
        code++;
    }
    if (rl_point < code + (int)strlen(keyword)) {
        return; /* not after the keyword */
    }
    char *context;
    indent_state_t *state = context_before(start, &context);
    char *target = NULL;
    if (state != NULL &&
        indent_state_for_clause(state, context, rl_line_buffer + start,
                                (size_t)(code - start), keyword, &target) &&
        target != NULL) {
        replace_text(start, code, target);
    }
    free(target);
    indent_state_free(state);
    free(context);
}

/* pyhost-bracketed-paste-begin: a paste that begins with whitespace
 * replaces pyhost's, and otherwise goes after it. */
static int
indent_paste(int count, int key)
{
    if (!(indent.replaceable && only_automatic())) {
        return rl_bracketed_paste_begin(count, key);
    }
    int automatic = rl_end;
    rl_point = rl_end;
    int status = rl_bracketed_paste_begin(count, key);
    if (rl_end > automatic && is_blank(rl_line_buffer[automatic])) {
        rl_delete_text(0, automatic);
        rl_point -= automatic;
    }
    set_automatic(NULL, false);
    return status;
}

/* Whether readline inserts the key `c` as it reads it. */
static bool
self_inserts(int c)
{
    Keymap map = rl_get_keymap();
    return map != NULL && map[c].type == ISFUNC &&
           map[c].function == rl_insert;
}

/* The key readline reads next, as a command (or as self-insert gathers
 * the keys typed ahead that insert themselves): seen before readline
 * acts on it, so that the line is as it would have been without
 * auto-indent (the end-of-file key, on a line of pyhost's whitespace
 * only, finds it empty) or as auto-indent wants it to be once the key is
 * in (a space typed on such a line replaces the whitespace; the ":" of
 * an else, elif, except or finally line finds it moved to its block).
 * Space and ":" stay bound to self-insert, which inserts a run of typed
 * keys at once, as in python3.11. */
static int
indent_getc(FILE *stream)
{
    const int other_states =
        RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_SEARCH |
        RL_STATE_NUMERICARG | RL_STATE_MULTIKEY | RL_STATE_MOREINPUT |
        RL_STATE_VIMOTION | RL_STATE_CHARSEARCH | RL_STATE_COMPLETING;
    int c = indent.next_getc(stream);
    if (c < 0 || c > 255 || !indent.editing || RL_ISSTATE(other_states) ||
        !RL_ISSTATE(RL_STATE_READCMD | RL_STATE_DISPATCHING)) {
        return c;
    }
    if (c == indent.eof_char) {
        if (RL_ISSTATE(RL_STATE_READCMD) && only_automatic() && rl_end > 0) {
            drop_automatic();
        }
    } else if (c == ' ' && self_inserts(c)) {
        if (indent.replaceable && only_automatic()) {
            drop_automatic();
        }
    } else if (c == ':' && self_inserts(c)) {
        place_clause();
    }
    return c;
}

static const char *
home_directory(void)
{
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') {
        struct passwd *entry = getpwuid(getuid());
        home = entry == NULL ? NULL : entry->pw_dir;
    }
    return home;
}

/* The switches, in their order (auto_indent_config.h); the init file is
 * read only when they leave it to it. */
static bool
configured_on(void)
{
    const char *term = getenv("TERM");
    auto_indent_setting_t environment =
        auto_indent_env_setting(getenv("PYHOST_AUTO_INDENT"));
    auto_indent_setting_t inputrc = AUTO_INDENT_UNSET;
    bool dumb = !auto_indent_decide(term, AUTO_INDENT_ON, AUTO_INDENT_UNSET);
    if (!dumb && environment == AUTO_INDENT_UNSET) {
        const char *home = home_directory();
        char *path = auto_indent_inputrc_path(getenv("INPUTRC"), home);
        inputrc = auto_indent_inputrc_setting(path, home);
        free(path);
    }
    return auto_indent_decide(term, environment, inputrc);
}

void
auto_indent_start(prompt_kind_t (*prompt_kind)(void))
{
    static const char *const insert_maps[] = {"emacs", "vi-insert"};
    static bool started;
    if (started) {
        return;
    }
    started = true;
    indent.read_at = prompt_kind;
    /* The names exist either way, so that an init file may use them;
     * with auto-indent off each is the plain command. */
    rl_add_defun("pyhost-backward-delete-indent", indent_backspace, -1);
    rl_add_defun("pyhost-bracketed-paste-begin", indent_paste, -1);
    indent.state = configured_on() ? indent_state_new() : NULL;
    indent.enabled = indent.state != NULL;
    if (!indent.enabled) {
        return;
    }
    for (size_t i = 0; i < sizeof insert_maps / sizeof insert_maps[0]; i++) {
        Keymap map = rl_get_keymap_by_name(insert_maps[i]);
        if (map == NULL) {
            continue;
        }
        rebind_command(map, rl_rubout, indent_backspace);
        rebind_command(map, rl_bracketed_paste_begin, indent_paste);
    }
    Keymap command_map = rl_get_keymap_by_name("vi-command");
    if (command_map != NULL) {
        rebind_command(command_map, rl_bracketed_paste_begin, indent_paste);
    }
    indent.next_getc = rl_getc_function != NULL ? rl_getc_function : rl_getc;
    rl_getc_function = indent_getc;
}
