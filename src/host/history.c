/* The interactive shell's history file.  readline keeps the history list;
 * this file decides which file backs it, reads it when the shell starts,
 * and at exit appends only the lines typed in this session (then trims
 * the file to the size limit), so that shells exiting in turn each add
 * their own lines instead of overwriting each other's.  The file is
 * created with mode 0600: it may hold secrets typed at the prompt. */
#include "host/history.h"

#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>

/* The limit when PYHOST_HISTSIZE is unset or not a number. */
#define DEFAULT_HISTORY_SIZE 1000
#define HISTORY_FILE_NAME ".pyhost_history"

/* What the exit handler needs: Py_AtExit passes no argument, so the
 * session's history state is this one process-wide record, as readline's
 * own history list is. */
static struct {
    char *path;
    int limit;
    int session_lines; /* lines added since the file was read */
    bool warned;       /* a problem with the file was reported */
} history_session;

char *
history_file_path(void)
{
    const char *configured = getenv("PYHOST_HISTFILE");
    if (configured != NULL) {
        return configured[0] == '\0' ? NULL : strdup(configured);
    }
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') {
        return NULL;
    }
    size_t size = strlen(home) + sizeof "/" HISTORY_FILE_NAME;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size, "%s/%s", home, HISTORY_FILE_NAME);
    }
    return path;
}

int
history_size_limit(void)
{
    const char *text = getenv("PYHOST_HISTSIZE");
    char *end;

    if (text == NULL || text[0] == '\0') {
        return DEFAULT_HISTORY_SIZE;
    }
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < 0 || value > INT_MAX) {
        return DEFAULT_HISTORY_SIZE;
    }
    return (int)value;
}

/* One line on stderr for the first problem with the file; later ones
 * would only repeat it. */
static void
history_warn(const char *action, int error)
{
    if (!history_session.warned) {
        fprintf(stderr, "pyhost: cannot %s history file %s: %s\n", action,
                history_session.path, strerror(error));
        history_session.warned = true;
    }
}

/* append_history needs the file to exist; it is created private. */
static int
history_create_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return errno;
    }
    close(fd);
    return 0;
}

static void
history_save(void)
{
    const char *path = history_session.path;
    int lines = history_session.session_lines;

    if (lines > history_session.limit) {
        lines = history_session.limit;
    }
    int error = history_create_file(path);
    if (error == 0 && lines > 0) {
        error = append_history(lines, path);
    }
    if (error == 0) {
        error = history_truncate_file(path, history_session.limit);
    }
    if (error != 0) {
        history_warn("write", error);
    }
    free(history_session.path);
    history_session.path = NULL;
}

bool
history_start(char *path, int limit)
{
    history_session.path = path;
    history_session.limit = limit;
    history_session.session_lines = 0;
    stifle_history(limit);
    int error = read_history(path);
    if (error != 0 && error != ENOENT) {
        history_warn("read", error);
    }
    return Py_AtExit(history_save) == 0;
}

void
history_add_line(const char *line)
{
    if (line[0] == '\0') {
        return;
    }
    HIST_ENTRY *last = history_length > 0
                           ? history_get(history_base + history_length - 1)
                           : NULL;
    if (last != NULL && strcmp(last->line, line) == 0) {
        return;
    }
    add_history(line);
    history_session.session_lines++;
}
