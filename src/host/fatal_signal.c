/* SIGHUP and SIGTERM with a last piece of work before dying.
 *
 * The work (saving the shell's history through readline) is not
 * async-signal-safe, and the main thread may be anywhere when the signal
 * lands: inside malloc, running Python code, or waiting for a key.  So
 * the handler only writes the signal's number into a pipe (the self-pipe
 * trick); a watcher thread, which blocks every signal, reads it, runs the
 * work, and then re-raises the signal with its default action, so the
 * process ends exactly as it would have without us (status 128 + n in a
 * shell, the same as python3.11's).  The handler checks the process id:
 * a child forked later shares the pipe but not the thread, and must not
 * make its parent die. */
/* POSIX (signals, pipes, strdup) under -std=c11. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "host/fatal_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

static const int fatal_signals[] = {SIGHUP, SIGTERM};
#define FATAL_SIGNAL_COUNT (sizeof fatal_signals / sizeof fatal_signals[0])

static struct {
    int pipe_read, pipe_write;
    pid_t owner; /* the process whose watcher reads the pipe */
    fatal_signal_prepare_t prepare;
} watch = {-1, -1, 0, NULL};

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
    watch.prepare(byte);
    die_by(byte);
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
start_watcher(void)
{
    sigset_t all, previous;
    pthread_attr_t attributes;
    pthread_t thread;

    /* The thread inherits the mask in force when it is created: with
     * every signal blocked, the signals go to the other threads, where
     * the handler runs. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int error = pthread_attr_init(&attributes);
    if (error == 0) {
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        error =
            pthread_create(&thread, &attributes, fatal_signal_watcher, NULL);
        pthread_attr_destroy(&attributes);
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return error;
}

int
fatal_signal_watch(fatal_signal_prepare_t prepare)
{
    int fds[2];

    if (pipe(fds) < 0) {
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    fcntl(fds[1], F_SETFL, O_NONBLOCK); /* the handler must never block */
    watch.pipe_read = fds[0];
    watch.pipe_write = fds[1];
    watch.owner = getpid();
    watch.prepare = prepare;
    int error = start_watcher();
    if (error != 0) {
        close(fds[0]);
        close(fds[1]);
        watch.pipe_read = watch.pipe_write = -1;
        errno = error;
        return -1;
    }
    for (size_t i = 0; i < FATAL_SIGNAL_COUNT; i++) {
        if (!is_default(fatal_signals[i])) {
            continue;
        }
        struct sigaction action = {0};
        action.sa_handler = fatal_signal_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(fatal_signals[i], &action, NULL);
    }
    return 0;
}
