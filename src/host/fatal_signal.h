/* Dying by SIGHUP or SIGTERM after a last piece of work (the shell saves
 * its history), done outside the signal handler.  Plain C, no Python. */
#ifndef PYHOST_FATAL_SIGNAL_H
#define PYHOST_FATAL_SIGNAL_H

/* Called once, on the watcher thread, before the process dies by
 * `signum`; the main thread may be anywhere, so it must take whatever
 * lock guards the state it touches, and never wait for a lock without a
 * time limit.  The process dies by `signum` two seconds after the signal
 * came even if this has not returned. */
typedef void (*fatal_signal_prepare_t)(int signum);

/* For SIGHUP and SIGTERM whose disposition is the default (not an
 * ignored SIGHUP under nohup, not a handler someone installed):
 * installs a handler that wakes a watcher thread, which calls
 * `prepare(signum)` and then ends the process by that same signal, so
 * that the exit status is the one the default action gives.  A handler
 * installed later (Python's signal.signal) replaces ours and wins.  A
 * forked child that receives the signal dies by it at once.  Call at
 * most once.  Returns 0, or -1 with errno set (no handler installed). */
int fatal_signal_watch(fatal_signal_prepare_t prepare);

#endif
