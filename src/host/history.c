/* The interactive shell's history file.  readline keeps the history list;
 * this file decides which file backs it, reads it when the shell starts,
 * and at exit appends only the lines typed in this session (then trims
 * the file to the size limit), so that shells exiting in turn each add
 * their own lines instead of overwriting each other's.  The file is
 * created with mode 0600: it may hold secrets typed at the prompt.  The
 * session's own list is never capped (as in python3.11): PYHOST_HISTSIZE
 * caps the file. */
#include "host/history.h"

#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>

#include "host/fatal_signal.h"
#include "host/history_config.h"

/* What the exit handler needs: Py_AtExit passes no argument, so the
 * session's history state is this one process-wide record, as readline's
 * own history list is.  `lock` makes the save happen once, whichever of
 * the exit handler and the SIGHUP/SIGTERM watcher comes first. */
static struct {
    char *path;               /* absolute; NULL: no history file */
    int limit;                /* HISTORY_UNLIMITED, 0 (save none) or more */
    histsize_status_t status; /* how PYHOST_HISTSIZE read */
    const char *size_text;    /* PYHOST_HISTSIZE, for the warning */
    int session_lines;        /* lines added since the file was read */
    bool warned;              /* a problem with the file was reported */
    bool saved;
    pthread_mutex_t lock;
} histfile_session = {.lock = PTHREAD_MUTEX_INITIALIZER};

void
histfile_configure(void)
{
    char *cwd = getcwd(NULL, 0);
    histfile_session.path =
        histfile_resolve_path(getenv("PYHOST_HISTFILE"), getenv("HOME"), cwd);
    free(cwd);
    histfile_session.size_text = getenv("PYHOST_HISTSIZE");
    histfile_session.status = histfile_parse_size(histfile_session.size_text,
                                                  &histfile_session.limit);
}

/* One line on stderr for the first problem with the file; later ones
 * would only repeat it.  `reason` is strerror's text or our own. */
static void
histfile_warn(const char *action, const char *reason)
{
    if (!histfile_session.warned) {
        fprintf(stderr, "pyhost: cannot %s history file %s: %s\n", action,
                histfile_session.path, reason);
        histfile_session.warned = true;
    }
}

/* Drops the history file for this session (after a warning, or for
 * /dev/null): nothing is read or written. */
static void
histfile_forget(void)
{
    free(histfile_session.path);
    histfile_session.path = NULL;
}

/* append_history needs the file to exist; it is created private. */
static int
histfile_create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return errno;
    }
    close(fd);
    return 0;
}

void
histfile_save(void)
{
    pthread_mutex_lock(&histfile_session.lock);
    const char *path = histfile_session.path;
    int limit = histfile_session.limit;
    int lines = histfile_session.session_lines;

    if (histfile_session.saved || path == NULL || limit == 0) {
        goto done; /* a limit of 0 saves nothing and leaves the file */
    }
    histfile_session.saved = true;
    if (limit != HISTORY_UNLIMITED && lines > limit) {
        lines = limit;
    }
    int error = histfile_create(path);
    if (error == 0 && lines > 0) {
        error = append_history(lines, path);
    }
    if (error == 0 && limit != HISTORY_UNLIMITED) {
        error = history_truncate_file(path, limit);
    }
    if (error != 0) {
        histfile_warn("write", strerror(error));
    }
done:
    pthread_mutex_unlock(&histfile_session.lock);
}

/* Whether `info` is the null device, the usual way to say "no history". */
static bool
is_null_device(const struct stat *info)
{
    struct stat null_device;
    return S_ISCHR(info->st_mode) && stat("/dev/null", &null_device) == 0 &&
           info->st_rdev == null_device.st_rdev;
}

/* Reads the file into readline's list.  Only a regular file is read:
 * readline would block on a FIFO and reports a directory as "Invalid
 * argument". */
static void
histfile_load(void)
{
    const char *path = histfile_session.path;
    struct stat info;

    if (stat(path, &info) < 0) {
        if (errno != ENOENT) {
            histfile_warn("read", strerror(errno));
        }
        return; /* a missing file is created at the first save */
    }
    if (is_null_device(&info)) {
        histfile_forget();
        return;
    }
    if (!S_ISREG(info.st_mode)) {
        histfile_warn("read", S_ISDIR(info.st_mode) ? strerror(EISDIR)
                                                    : "not a regular file");
        histfile_forget();
        return;
    }
    int error = read_history(path);
    if (error != 0) {
        histfile_warn("read", strerror(error));
    }
}

bool
histfile_start(void (*before_death)(int signum))
{
    if (histfile_session.status == HISTSIZE_INVALID) {
        fprintf(stderr,
                "pyhost: PYHOST_HISTSIZE=%s is not a number; the history "
                "file keeps %d entries\n",
                histfile_session.size_text, HISTORY_DEFAULT_SIZE);
    }
    histfile_session.session_lines = 0;
    if (histfile_session.path == NULL) {
        return true;
    }
    histfile_load();
    if (histfile_session.path == NULL || histfile_session.limit == 0) {
        return true; /* nothing will be saved */
    }
    if (Py_AtExit(histfile_save) != 0) {
        return false;
    }
    if (fatal_signal_watch(before_death) < 0) {
        /* Still saved at a normal exit; only a SIGHUP loses lines. */
        fprintf(stderr,
                "pyhost: history will not be saved on SIGHUP or SIGTERM: "
                "%s\n",
                strerror(errno));
    }
    return true;
}

void
histfile_add_line(const char *line)
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
    histfile_session.session_lines++;
}
