/* The interactive shell's history file.  readline keeps the history list
 * that Up walks; this file decides which file backs it, reads it when the
 * shell starts, and at exit appends only the lines typed in this session
 * (then trims the file to the size limit), so that shells exiting in turn
 * each add their own lines instead of overwriting each other's.  The
 * lines to append are pyhost's own copy, not readline's list: user code
 * changes that list (readline.clear_history, add_history,
 * read_history_file) without any lock of pyhost's, and the save may run
 * on the SIGHUP/SIGTERM watcher thread while the main thread is inside
 * readline.  The file is created with mode 0600: it may hold secrets
 * typed at the prompt.  The session's own list is never capped (as in
 * python3.11): PYHOST_HISTSIZE caps the file. */
#include "host/history.h"

#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>

#include "host/fatal_signal.h"
#include "host/history_config.h"
#include "host/history_format.h"

/* What the exit handler needs: Py_AtExit passes no argument, so the
 * session's history state is this one process-wide record, as readline's
 * own history list is.  `lock` guards the session's lines and makes the
 * save happen once, whichever of the exit handler and the SIGHUP/SIGTERM
 * watcher comes first. */
static struct {
    char *path;               /* absolute; NULL: no history file */
    int limit;                /* HISTORY_UNLIMITED, 0 (save none) or more */
    histsize_status_t status; /* how PYHOST_HISTSIZE read */
    const char *size_text;    /* PYHOST_HISTSIZE, for the warning */
    pid_t owner;              /* the process whose session this is */
    atomic_bool auto_history; /* readline.set_auto_history's setting */
    char **lines;             /* the session's lines to save, oldest first: */
    size_t count, capacity;   /* at most `limit` of them */
    bool warned;              /* a problem with the file was reported */
    bool saved;
    pthread_mutex_t lock;
} histfile_session = {.auto_history = true, .lock = PTHREAD_MUTEX_INITIALIZER};

void
histfile_configure(void)
{
    char *cwd = getcwd(NULL, 0);
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') {
        /* Where python3.11's os.path.expanduser("~") looks then. */
        struct passwd *entry = getpwuid(getuid());
        home = entry == NULL ? NULL : entry->pw_dir;
    }
    histfile_session.path =
        histfile_resolve_path(getenv("PYHOST_HISTFILE"), home, cwd);
    free(cwd);
    histfile_session.size_text = getenv("PYHOST_HISTSIZE");
    histfile_session.status = histfile_parse_size(histfile_session.size_text,
                                                  &histfile_session.limit);
}

/* Writes text[0:size] to `fd` whole.  Returns 0 or an errno. */
static int
write_all(int fd, const char *text, size_t size)
{
    for (size_t done = 0; done < size;) {
        ssize_t written = write(fd, text + done, size - done);
        if (written < 0 && errno != EINTR) {
            return errno;
        }
        done += written > 0 ? (size_t)written : 0;
    }
    return 0;
}

/* One line on stderr for the first problem with the file; later ones
 * would only repeat it.  `reason` is strerror's text or our own.  Written
 * with write(2), not stdio: the save may run on the SIGHUP/SIGTERM
 * watcher while the main thread, stuck in readline, holds a stdio lock. */
static void
histfile_warn(const char *action, const char *reason)
{
    char text[PATH_MAX + 256];

    if (histfile_session.warned) {
        return;
    }
    histfile_session.warned = true;
    int length =
        snprintf(text, sizeof text, "pyhost: cannot %s history file %s: %s\n",
                 action, histfile_session.path, reason);
    if (length < 0) {
        return;
    }
    size_t size = (size_t)length;
    if (size >= sizeof text) { /* cut short: still one whole line */
        size = sizeof text - 1;
        text[size - 1] = '\n';
    }
    write_all(STDERR_FILENO, text, size);
}

/* Drops the history file for this session (after a warning, or for
 * /dev/null): nothing is read or written. */
static void
histfile_forget(void)
{
    free(histfile_session.path);
    histfile_session.path = NULL;
}

/* Appends the session's entries in the file's format (history_format.h:
 * one line an entry, a block's lines joined by "\r\n"; no time stamps,
 * which python3.11 never writes), in one write(2) where memory allows,
 * so that another shell's entries saved at the same moment do not land
 * in the middle.  Returns 0 or an errno. */
static int
histfile_append(const char *path, char *const *entries, size_t count)
{
    size_t size = 0;
    for (size_t i = 0; i < count; i++) {
        size += histformat_encoded_size(entries[i]);
    }
    char *text = malloc(size + 1);
    if (text == NULL) {
        return ENOMEM;
    }
    char *end = text;
    for (size_t i = 0; i < count; i++) {
        end = histformat_encode(end, entries[i]);
    }
    int error = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = errno;
    } else {
        error = write_all(fd, text, size);
        if (close(fd) < 0 && error == 0 && errno != EINTR) {
            error = errno;
        }
    }
    free(text);
    return error;
}

/* The whole of a file open on `fd`, in a malloc'd buffer with room for a
 * terminator; NULL with *error set on failure. */
static char *
read_all(int fd, size_t *size, int *error)
{
    struct stat info;
    if (fstat(fd, &info) < 0) {
        *error = errno;
        return NULL;
    }
    size_t capacity = (size_t)info.st_size + 1;
    char *text = malloc(capacity);
    *size = 0;
    while (text != NULL) {
        if (*size + 1 == capacity) { /* the file grew meanwhile */
            char *larger = realloc(text, capacity * 2);
            if (larger == NULL) {
                break;
            }
            text = larger;
            capacity *= 2;
        }
        ssize_t got = read(fd, text + *size, capacity - 1 - *size);
        if (got == 0) {
            return text;
        }
        if (got < 0 && errno != EINTR) {
            *error = errno;
            free(text);
            return NULL;
        }
        *size += got > 0 ? (size_t)got : 0;
    }
    free(text);
    *error = ENOMEM;
    return NULL;
}

/* Keeps the file's last `limit` entries (a block counts once), rewriting
 * it in place as readline's history_truncate_file does.  Returns 0 or an
 * errno. */
static int
histfile_truncate(const char *path, int limit)
{
    int error = 0;
    size_t size = 0;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    char *text = read_all(fd, &size, &error);
    if (text != NULL) {
        size_t start = histformat_tail_offset(text, size, (size_t)limit);
        if (start > 0) {
            error = lseek(fd, 0, SEEK_SET) < 0
                        ? errno
                        : write_all(fd, text + start, size - start);
            if (error == 0 && ftruncate(fd, (off_t)(size - start)) < 0) {
                error = errno;
            }
        }
        free(text);
    }
    if (close(fd) < 0 && error == 0 && errno != EINTR) {
        error = errno;
    }
    return error;
}

void
histfile_save(void)
{
    /* A forked child that exits normally runs the exit handler too; the
     * lines are its parent's to save.  (Checked before the lock, which
     * the fork may have copied locked.) */
    if (getpid() != histfile_session.owner) {
        return;
    }
    pthread_mutex_lock(&histfile_session.lock);
    const char *path = histfile_session.path;
    int limit = histfile_session.limit;

    if (histfile_session.saved || path == NULL || limit == 0) {
        goto done; /* a limit of 0 saves nothing and leaves the file */
    }
    histfile_session.saved = true;
    int error =
        histfile_append(path, histfile_session.lines, histfile_session.count);
    if (error == 0 && limit != HISTORY_UNLIMITED) {
        error = histfile_truncate(path, limit);
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

/* The file's entries, gathered as readline's own history entries and
 * then put at the end of its list in one step (history_set_history_state).
 * add_history, one entry at a time, costs 1,600 instructions an entry,
 * half of them formatting the same time stamp with snprintf: 1.6 M at
 * every start-up with a full file of 1,000 entries, a tenth of the
 * shell's own start-up.  Each entry here gets what add_history gives it:
 * its own copy of the line and of the time stamp readline would write
 * (history_comment_char, then the time in seconds). */
typedef struct {
    HIST_ENTRY **entries;
    size_t count, capacity;
    char stamp[32];     /* the time stamp, history_comment_char first */
    size_t stamp_size;  /* with its terminating NUL */
    bool out_of_memory; /* the entries from there on are dropped */
} loaded_history_t;

static void
loaded_history_init(loaded_history_t *loaded)
{
    *loaded = (loaded_history_t){0};
    int length = snprintf(loaded->stamp, sizeof loaded->stamp, "X%lu",
                          (unsigned long)time(NULL));
    loaded->stamp[0] = history_comment_char; /* add_history's own rule */
    loaded->stamp_size = (size_t)length + 1;
}

static HIST_ENTRY *
new_entry(const char *line, const loaded_history_t *loaded)
{
    HIST_ENTRY *entry = malloc(sizeof *entry);
    char *copy = strdup(line);
    char *stamp = malloc(loaded->stamp_size);
    if (entry == NULL || copy == NULL || stamp == NULL) {
        free(entry);
        free(copy);
        free(stamp);
        return NULL;
    }
    memcpy(stamp, loaded->stamp, loaded->stamp_size); /* may start with NUL */
    *entry = (HIST_ENTRY){.line = copy, .timestamp = stamp, .data = NULL};
    return entry;
}

/* histformat_decode's callback: one entry more. */
static void
gather_entry(const char *line, void *data)
{
    loaded_history_t *loaded = data;
    if (loaded->out_of_memory) {
        return;
    }
    if (loaded->count == loaded->capacity) {
        size_t capacity = loaded->capacity * 2 + 64;
        HIST_ENTRY **entries =
            realloc(loaded->entries, capacity * sizeof *entries);
        if (entries == NULL) {
            loaded->out_of_memory = true;
            return;
        }
        loaded->entries = entries;
        loaded->capacity = capacity;
    }
    HIST_ENTRY *entry = new_entry(line, loaded);
    if (entry == NULL) {
        loaded->out_of_memory = true;
        return;
    }
    loaded->entries[loaded->count++] = entry;
}

/* Appends the gathered entries to readline's list, which takes them over,
 * in a new array (malloc'd, as readline's own, which it reallocs when
 * add_history fills it).  A stifled list (readline.set_history_length
 * does not stifle it; a program may) gets them through add_history, which
 * keeps its limit; so does a list that memory cannot be found for. */
static void
loaded_history_install(loaded_history_t *loaded)
{
    HISTORY_STATE *state = history_get_history_state();
    HIST_ENTRY **list = NULL;
    size_t total = 0;
    if (state != NULL && !(state->flags & HS_STIFLED) &&
        loaded->count < (size_t)INT_MAX - (size_t)state->length - 1) {
        total = (size_t)state->length + loaded->count;
        list = malloc((total + 1) * sizeof *list);
    }
    if (list == NULL) {
        for (size_t i = 0; i < loaded->count; i++) {
            add_history(loaded->entries[i]->line);
            free_history_entry(loaded->entries[i]);
        }
    } else {
        HIST_ENTRY **old = state->entries;
        if (state->length > 0) {
            memcpy(list, old, (size_t)state->length * sizeof *list);
        }
        if (loaded->count > 0) { /* entries is NULL for an empty file */
            memcpy(list + state->length, loaded->entries,
                   loaded->count * sizeof *list);
        }
        list[total] = NULL;
        state->entries = list;
        state->length = (int)total;
        state->size = (int)total + 1;
        state->offset = (int)total;
        history_set_history_state(state);
        free(old);
    }
    free(state);
    free(loaded->entries);
    loaded->entries = NULL;
}

/* Reads the file into readline's list, a block as one entry.  Only a regular
 * file is read: readline would block on a FIFO and reports a directory as
 * "Invalid argument". */
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
    int error = 0;
    size_t size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char *text = fd < 0 ? NULL : read_all(fd, &size, &error);
    if (fd < 0) {
        error = errno;
    } else {
        close(fd);
    }
    if (text == NULL) {
        histfile_warn("read", strerror(error));
        return;
    }
    loaded_history_t loaded;
    loaded_history_init(&loaded);
    histformat_decode(text, size, gather_entry, &loaded);
    free(text);
    loaded_history_install(&loaded);
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
    histfile_session.owner = getpid();
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

/* Copies a line for the save; only the last `limit` lines can reach the
 * file, so no more are kept.  A line that finds no memory is not saved. */
static void
histfile_keep_line(const char *line)
{
    pthread_mutex_lock(&histfile_session.lock);
    size_t limit = (size_t)histfile_session.limit;
    if (histfile_session.owner == 0 || histfile_session.path == NULL ||
        histfile_session.limit == 0 || histfile_session.saved) {
        goto done; /* no history file (-I), or it will not be written */
    }
    if (histfile_session.limit != HISTORY_UNLIMITED &&
        histfile_session.count == limit) {
        free(histfile_session.lines[0]);
        memmove(histfile_session.lines, histfile_session.lines + 1,
                (limit - 1) * sizeof *histfile_session.lines);
        histfile_session.count--;
    }
    if (histfile_session.count == histfile_session.capacity) {
        size_t capacity = histfile_session.capacity * 2 + 16;
        char **lines = realloc(histfile_session.lines,
                               capacity * sizeof *histfile_session.lines);
        if (lines == NULL) {
            goto done;
        }
        histfile_session.lines = lines;
        histfile_session.capacity = capacity;
    }
    char *copy = strdup(line);
    if (copy != NULL) {
        histfile_session.lines[histfile_session.count++] = copy;
    }
done:
    pthread_mutex_unlock(&histfile_session.lock);
}

void
histfile_set_auto_history(bool enabled)
{
    atomic_store(&histfile_session.auto_history, enabled);
}

void
histfile_add_line(const char *line)
{
    if (line[0] == '\0' || !atomic_load(&histfile_session.auto_history)) {
        return;
    }
    /* python3.11's rule: not when equal to the list's last entry. */
    HIST_ENTRY *last = history_length > 0
                           ? history_get(history_base + history_length - 1)
                           : NULL;
    if (last != NULL && strcmp(last->line, line) == 0) {
        return;
    }
    add_history(line);
    histfile_keep_line(line);
}
