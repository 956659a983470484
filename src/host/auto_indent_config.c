/* Whether the shell auto-indents (auto_indent_config.h). */
/* POSIX (strdup, strncasecmp) under -std=c11. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "host/auto_indent_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* How deep `$include`s are followed (a file that includes itself stops
 * there). */
#define INCLUDE_DEPTH 10

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The word at *text (up to a blank or the end), advancing past it and
 * the blanks after it. */
static const char *
next_word(const char **text, size_t *length)
{
    const char *word = *text;
    const char *end = word;
    while (*end != '\0' && !is_blank(*end)) {
        end++;
    }
    *length = (size_t)(end - word);
    while (is_blank(*end)) {
        end++;
    }
    *text = end;
    return word;
}

static bool
word_is(const char *word, size_t length, const char *name)
{
    return length == strlen(name) && strncasecmp(word, name, length) == 0;
}

auto_indent_setting_t
auto_indent_env_setting(const char *value)
{
    static const char *const off[] = {"0", "off", "no", "false"};
    if (value == NULL) {
        return AUTO_INDENT_UNSET;
    }
    while (is_blank(*value)) {
        value++;
    }
    size_t length;
    const char *word = next_word(&value, &length);
    if (length == 0) {
        return AUTO_INDENT_UNSET;
    }
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        if (word_is(word, length, off[i]) && *value == '\0') {
            return AUTO_INDENT_OFF;
        }
    }
    return AUTO_INDENT_ON;
}

/* "~/rest" (or "~") with `home`, else a copy; malloc'd. */
static char *
expand_home(const char *path, const char *home)
{
    if (path[0] != '~' || (path[1] != '/' && path[1] != '\0') ||
        home == NULL) {
        return strdup(path);
    }
    size_t size = strlen(home) + strlen(path);
    char *result = malloc(size);
    if (result != NULL) {
        snprintf(result, size, "%s%s", home, path + 1);
    }
    return result;
}

char *
auto_indent_inputrc_path(const char *inputrc, const char *home)
{
    if (inputrc != NULL && inputrc[0] != '\0') {
        return expand_home(inputrc, home);
    }
    char *path = expand_home("~/.inputrc", home);
    if (path == NULL || access(path, R_OK) == 0) {
        return path;
    }
    free(path);
    return strdup("/etc/inputrc");
}

/* The value of a `set` line's variable, as readline reads a boolean. */
static auto_indent_setting_t
boolean_value(const char *value)
{
    size_t length;
    const char *word = next_word(&value, &length);
    bool on = length == 0 || word_is(word, length, "on") ||
              word_is(word, length, "1");
    return on ? AUTO_INDENT_ON : AUTO_INDENT_OFF;
}

/* The `$if` sections open while a file is read. */
typedef struct {
    unsigned char pyhost[64]; /* each open $if: 1 for a pyhost section */
    unsigned char in_else[64];
    size_t depth;
} sections_t;

static bool
in_pyhost_section(const sections_t *sections, bool inherited)
{
    if (inherited) {
        return true;
    }
    for (size_t i = 0; i < sections->depth && i < sizeof sections->pyhost;
         i++) {
        if (sections->pyhost[i] && !sections->in_else[i]) {
            return true;
        }
    }
    return false;
}

static void read_file(const char *path, const char *home, int depth,
                      bool inherited, auto_indent_setting_t *setting);

/* One line of the file, its leading blanks skipped. */
static void
read_line(const char *line, const char *home, int depth, bool inherited,
          sections_t *sections, auto_indent_setting_t *setting)
{
    size_t length;
    if (line[0] == '$') {
        line++;
        while (is_blank(*line)) {
            line++;
        }
        const char *directive = next_word(&line, &length);
        if (word_is(directive, length, "if")) {
            size_t at = sections->depth++;
            if (at < sizeof sections->pyhost) {
                size_t name_length;
                const char *name = next_word(&line, &name_length);
                sections->pyhost[at] = word_is(name, name_length, "pyhost");
                sections->in_else[at] = 0;
            }
        } else if (word_is(directive, length, "else")) {
            if (sections->depth > 0 &&
                sections->depth <= sizeof sections->pyhost) {
                sections->in_else[sections->depth - 1] = 1;
            }
        } else if (word_is(directive, length, "endif")) {
            sections->depth -= sections->depth > 0;
        } else if (word_is(directive, length, "include")) {
            char *path = strdup(line);
            if (path != NULL) {
                size_t end = strlen(path);
                while (end > 0 && is_blank(path[end - 1])) {
                    path[--end] = '\0';
                }
                read_file(path, home, depth + 1,
                          in_pyhost_section(sections, inherited), setting);
                free(path);
            }
        }
        return;
    }
    if (!in_pyhost_section(sections, inherited)) {
        return;
    }
    const char *command = next_word(&line, &length);
    if (!word_is(command, length, "set")) {
        return;
    }
    const char *variable = next_word(&line, &length);
    if (word_is(variable, length, "auto-indent")) {
        *setting = boolean_value(line);
    }
}

static void
read_file(const char *path, const char *home, int depth, bool inherited,
          auto_indent_setting_t *setting)
{
    if (depth > INCLUDE_DEPTH) {
        return;
    }
    char *name = expand_home(path, home);
    FILE *file = name == NULL ? NULL : fopen(name, "r");
    free(name);
    if (file == NULL) {
        return;
    }
    sections_t sections = {.depth = 0};
    char *line = NULL;
    size_t capacity = 0;
    while (getline(&line, &capacity, file) >= 0) {
        const char *start = line;
        while (is_blank(*start)) {
            start++;
        }
        if (*start != '\0' && *start != '#') {
            read_line(start, home, depth, inherited, &sections, setting);
        }
    }
    free(line);
    fclose(file);
}

auto_indent_setting_t
auto_indent_inputrc_setting(const char *path, const char *home)
{
    auto_indent_setting_t setting = AUTO_INDENT_UNSET;
    if (path != NULL) {
        read_file(path, home, 0, false, &setting);
    }
    return setting;
}

bool
auto_indent_decide(const char *term, auto_indent_setting_t environment,
                   auto_indent_setting_t inputrc)
{
    if (term == NULL || term[0] == '\0' || strcmp(term, "dumb") == 0) {
        return false;
    }
    if (environment != AUTO_INDENT_UNSET) {
        return environment == AUTO_INDENT_ON;
    }
    return inputrc != AUTO_INDENT_OFF;
}
