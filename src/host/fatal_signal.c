/* SIGHUP and SIGTERM with a last piece of work before dying.
 *
 * The work (saving the shell's history) is not async-signal-safe, and the
 * main thread may be anywhere when the signal lands: inside malloc,
 * running Python code, or waiting for a key.  So the handler only writes
 * the signal's number into a pipe (the self-pipe trick); a watcher
 * thread, which blocks every signal, reads it, runs the work, and then
 * re-raises the signal with its default action, so the process ends
 * exactly as it would have without us (status 128 + n in a shell, the
 * same as python3.11's).  The work may block for good (a file on a hung
 * NFS server, stderr into a full pipe, a terminal whose output is
 * stopped), so a second thread, the reaper, ends the process by the same
 * signal FATAL_SIGNAL_DEADLINE_NS after it arrived, whatever the work is
 * doing.  Both threads are made when the handler is installed: nothing
 * that can fail is left for the moment of death.  The handler checks the
 * process id: a child forked later shares the pipe but not the threads,
 * and must not make its parent die. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include "host/fatal_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

/* How long the last work may take before the process dies anyway: the
 * shell waits up to a second for its line reader, then saves a few
 * kilobytes of history, which takes milliseconds on a healthy disk. */
#define FATAL_SIGNAL_DEADLINE_NS 2000000000L

static const int fatal_signals[] = {SIGHUP, SIGTERM};
#define FATAL_SIGNAL_COUNT (sizeof fatal_signals / sizeof fatal_signals[0])

static struct {
    int pipe_read, pipe_write;
    pid_t owner; /* the process whose watcher reads the pipe */
    fatal_signal_prepare_t prepare;
    volatile sig_atomic_t dying_by; /* the signal, once it came */
    sem_t dying;                    /* posted then, wakes the reaper */
} watch = {-1, -1, 0, NULL, 0, {{0}}};

/* The default action, now: for a process-directed signal raised by a
 * thread, raise() targets that thread, and the default action of these
 * signals ends the whole process. */
static void
die_by(int signum)
{
    sigset_t only;

    signal(signum, SIG_DFL);
    sigemptyset(&only);
    sigaddset(&only, signum);
    pthread_sigmask(SIG_UNBLOCK, &only, NULL);
    raise(signum);
    _exit(128 + signum); /* not reached unless the signal was caught */
}

static void
fatal_signal_handler(int signum)
{
    int saved_errno = errno;
    unsigned char byte = (unsigned char)signum;

    if (getpid() != watch.owner || write(watch.pipe_write, &byte, 1) != 1) {
        /* A forked child (or a full pipe): die now, as by default.  The
         * signal is blocked while its handler runs, so it takes effect
         * when the handler returns. */
        signal(signum, SIG_DFL);
        raise(signum);
    }
    errno = saved_errno;
}

static void *
fatal_signal_watcher(void *unused)
{
    (void)unused;
    unsigned char byte;

    for (;;) {
        ssize_t count = read(watch.pipe_read, &byte, 1);
        if (count == 1) {
            break;
        }
        if (count < 0 && errno == EINTR) {
            continue;
        }
        return NULL; /* the pipe is gone: nothing will ever come */
    }
    watch.dying_by = byte;
    sem_post(&watch.dying);
    watch.prepare(byte);
    die_by(byte);
    return NULL;
}

/* Ends the process FATAL_SIGNAL_DEADLINE_NS after the signal came, if the
 * watcher's work has not finished by then. */
static void *
fatal_signal_reaper(void *unused)
{
    (void)unused;
    struct timespec deadline;

    while (sem_wait(&watch.dying) != 0) {
        if (errno != EINTR) {
            return NULL;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += FATAL_SIGNAL_DEADLINE_NS % 1000000000L;
    deadline.tv_sec += FATAL_SIGNAL_DEADLINE_NS / 1000000000L +
                       deadline.tv_nsec / 1000000000L;
    deadline.tv_nsec %= 1000000000L;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) ==
           EINTR) {
    }
    die_by(watch.dying_by);
    return NULL;
}

/* Whether `signum` still has its default disposition. */
static bool
is_default(int signum)
{
    struct sigaction current;
    return sigaction(signum, NULL, &current) == 0 &&
           !(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_DFL;
}

static int
start_thread(void *(*body)(void *))
{
    pthread_attr_t attributes;
    pthread_t thread;

    int error = pthread_attr_init(&attributes);
    if (error == 0) {
        error =
            pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        if (error == 0) {
            error = pthread_create(&thread, &attributes, body, NULL);
        }
        pthread_attr_destroy(&attributes);
    }
    return error;
}

/* The reaper, then the watcher.  A thread inherits the mask in force
 * when it is created: with every signal blocked, the signals go to the
 * other threads, where the handler runs.  If either cannot be made, the
 * handler is not installed, and a reaper already started waits for a
 * signal that cannot come. */
static int
start_threads(void)
{
    sigset_t all, previous;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int error = start_thread(fatal_signal_reaper);
    if (error == 0) {
        error = start_thread(fatal_signal_watcher);
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return error;
}

/* The write end never blocks the handler: a full pipe means a signal is
 * already on its way. */
static int
open_pipe(void)
{
    int fds[2];

    if (pipe2(fds, O_CLOEXEC) < 0) {
        return -1;
    }
    int flags = fcntl(fds[1], F_GETFL);
    if (flags < 0 || fcntl(fds[1], F_SETFL, flags | O_NONBLOCK) < 0) {
        int error = errno;
        close(fds[0]);
        close(fds[1]);
        errno = error;
        return -1;
    }
    watch.pipe_read = fds[0];
    watch.pipe_write = fds[1];
    return 0;
}

/* Installs the handler for each signal still at its default; on a
 * failure, puts back the ones already changed. */
static int
install_handlers(void)
{
    struct sigaction previous[FATAL_SIGNAL_COUNT];
    bool changed[FATAL_SIGNAL_COUNT] = {false};

    for (size_t i = 0; i < FATAL_SIGNAL_COUNT; i++) {
        if (!is_default(fatal_signals[i])) {
            continue;
        }
        struct sigaction action = {0};
        action.sa_handler = fatal_signal_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (sigaction(fatal_signals[i], &action, &previous[i]) < 0) {
            int error = errno;
            for (size_t j = 0; j < i; j++) {
                if (changed[j]) {
                    sigaction(fatal_signals[j], &previous[j], NULL);
                }
            }
            errno = error;
            return -1;
        }
        changed[i] = true;
    }
    return 0;
}

int
fatal_signal_watch(fatal_signal_prepare_t prepare)
{
    if (sem_init(&watch.dying, 0, 0) < 0) {
        return -1;
    }
    if (open_pipe() < 0) {
        return -1;
    }
    watch.owner = getpid();
    watch.prepare = prepare;
    int error = start_threads();
    if (error != 0) {
        close(watch.pipe_read);
        close(watch.pipe_write);
        watch.pipe_read = watch.pipe_write = -1;
        errno = error;
        return -1;
    }
    return install_handlers();
}
