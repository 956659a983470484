/* PYHOST_HISTFILE and PYHOST_HISTSIZE, read once when the shell starts.
 * Every kind of value has one documented meaning (pyhost(1),
 * ENVIRONMENT); this file decides it without touching readline or
 * Python, so that the unit tests pin each case down. */
/* POSIX (signals, pipes, strdup) under -std=c11. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "host/history_config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_FILE_NAME ".pyhost_history"

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

histsize_status_t
histfile_parse_size(const char *text, int *limit)
{
    *limit = HISTORY_DEFAULT_SIZE;
    if (text == NULL || text[0] == '\0') {
        return HISTSIZE_UNSET;
    }
    const char *p = text;
    while (is_blank(*p)) {
        p++;
    }
    bool negative = *p == '-';
    if (*p == '-' || *p == '+') {
        p++;
    }
    if (!is_digit(*p)) {
        return HISTSIZE_INVALID;
    }
    /* Accumulate with saturation: only "fits in an int or not" matters. */
    long long value = 0;
    for (; is_digit(*p); p++) {
        if (value <= INT_MAX) {
            value = value * 10 + (*p - '0');
        }
    }
    while (is_blank(*p)) {
        p++;
    }
    if (*p != '\0') {
        return HISTSIZE_INVALID;
    }
    if (negative && value != 0) {
        *limit = HISTORY_UNLIMITED;
    } else if (value > INT_MAX) {
        *limit = HISTORY_UNLIMITED;
    } else {
        *limit = (int)value;
    }
    return HISTSIZE_NUMBER;
}

/* dir + "/" + name in a malloc'd string. */
static char *
join_path(const char *dir, const char *name)
{
    size_t dir_length = strlen(dir);
    bool slash = dir_length > 0 && dir[dir_length - 1] == '/';
    size_t size = dir_length + 1 + strlen(name) + 1;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size, "%s%s%s", dir, slash ? "" : "/", name);
    }
    return path;
}

/* `relative` taken from `cwd`, or a copy when already absolute; NULL
 * when it is relative and `cwd` is not an absolute path. */
static char *
absolute_path(const char *relative, const char *cwd)
{
    if (relative[0] == '/') {
        return strdup(relative);
    }
    if (cwd == NULL || cwd[0] != '/') {
        return NULL;
    }
    return join_path(cwd, relative);
}

char *
histfile_resolve_path(const char *configured, const char *home,
                      const char *cwd)
{
    if (configured == NULL) {
        if (home == NULL || home[0] == '\0') {
            return NULL;
        }
        char *directory = absolute_path(home, cwd);
        char *path =
            directory == NULL ? NULL : join_path(directory, HISTORY_FILE_NAME);
        free(directory);
        return path;
    }
    if (configured[0] == '\0') {
        return NULL;
    }
    return absolute_path(configured, cwd);
}
