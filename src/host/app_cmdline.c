/* Recognises multiprocessing's own command lines among a bundled
 * application's (see app_cmdline.h).  The -c program is matched, not
 * trusted: a fixed prefix naming the entry point, then arguments made of
 * tokens that can only spell literals, so that whatever argv holds, the
 * interpreter runs nothing but spawn_main() or main() with data. */
#include "host/app_cmdline.h"

#include <stddef.h>
#include <string.h>

/* Flags without an argument, the only ones _args_from_interpreter_flags()
 * can give an isolated interpreter (-I) that takes no options from the
 * user: -O, -d, -B, -S, -v, -b, -q, -I, -E, -s, -P.  -W and -X, which
 * could name modules to import, are not accepted. */
static const char accepted_flags[] = "OdBSvbqIEsP";

typedef struct {
    const char *program; /* the -c program up to its call's arguments */
    const char *last;    /* the argument after the program, or NULL */
} entry_point_t;

/* The programs of multiprocessing/spawn.py (get_command_line),
 * resource_tracker.py (ensure_running) and forkserver.py (ensure_running)
 * in CPython 3.11, byte for byte. */
static const entry_point_t entry_points[] = {
    {"from multiprocessing.spawn import spawn_main; spawn_main(",
     "--multiprocessing-fork"},
    {"from multiprocessing.resource_tracker import main;main(", NULL},
    {"from multiprocessing.forkserver import main; main(", NULL},
};

static bool
is_flag_cluster(const char *arg)
{
    if (arg[0] != '-' || arg[1] == '\0') {
        return false;
    }
    return strspn(arg + 1, accepted_flags) == strlen(arg + 1);
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_name_char(char c)
{
    return is_name_start(c) || is_digit(c);
}

/* The character after the string literal that opens at text (a quote),
 * or NULL when it does not close on this line. */
static const char *
skip_string(const char *text)
{
    char quote = *text++;
    while (*text != quote) {
        if (*text == '\0' || *text == '\n') {
            return NULL;
        }
        if (*text == '\\' && *++text == '\0') {
            return NULL;
        }
        text++;
    }
    return text + 1;
}

/* The character after the name that starts at text, when it is one a
 * literal argument list may hold: None, True, False, or a keyword
 * argument's name (followed by a single '=', which is skipped too).
 * NULL for any other name: a call, an attribute, an operator word. */
static const char *
skip_name(const char *text)
{
    size_t length = 0;
    while (is_name_char(text[length])) {
        length++;
    }
    static const char *const constants[] = {"None", "True", "False"};
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++) {
        if (strlen(constants[i]) == length &&
            strncmp(text, constants[i], length) == 0) {
            return text + length;
        }
    }
    if (text[length] == '=' && text[length + 1] != '=') {
        return text + length + 1;
    }
    return NULL;
}

/* Whether text is a call's argument list followed by its closing
 * parenthesis and nothing more, every token of which can only be part of
 * a literal: numbers, strings without prefix, None/True/False, keyword
 * names, the punctuation of lists and dicts, and ** before a dict.  No
 * parenthesis, dot, operator or other name can appear, so nothing in it
 * calls, imports or computes. */
static bool
is_literal_arguments(const char *text)
{
    while (*text != '\0') {
        char c = *text;
        if (c == ')') {
            return text[1] == '\0';
        }
        if (strchr(" ,:[]{}", c) != NULL) {
            text++;
        } else if (c == '*' && text[1] == '*' && text[2] == '{') {
            text += 2;
        } else if (is_digit(c)) {
            while (is_digit(*text)) {
                text++;
            }
            if (is_name_char(*text)) {
                return false; /* 0x..., 1e5, 1_0: not needed, not taken */
            }
        } else if (c == '\'' || c == '"') {
            text = skip_string(text);
        } else if (is_name_start(c)) {
            text = skip_name(text);
        } else {
            return false;
        }
        if (text == NULL) {
            return false;
        }
    }
    return false; /* no closing parenthesis */
}

bool
app_cmdline_is_multiprocessing(int argc, char *const argv[])
{
    int index = 1;
    while (index < argc && is_flag_cluster(argv[index])) {
        index++;
    }
    if (index + 1 >= argc || strcmp(argv[index], "-c") != 0) {
        return false;
    }
    const char *program = argv[index + 1];
    int rest = argc - (index + 2); /* arguments after the program */
    for (size_t i = 0; i < sizeof entry_points / sizeof entry_points[0]; i++) {
        const entry_point_t *entry = &entry_points[i];
        size_t length = strlen(entry->program);
        if (strncmp(program, entry->program, length) != 0 ||
            !is_literal_arguments(program + length)) {
            continue;
        }
        if (entry->last == NULL) {
            return rest == 0;
        }
        return rest == 1 && strcmp(argv[argc - 1], entry->last) == 0;
    }
    return false;
}
