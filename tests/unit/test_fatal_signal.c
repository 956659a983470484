/* Unit tests of the SIGHUP/SIGTERM watcher (src/host/fatal_signal.c):
 * the last work runs, then the process dies by the signal itself; work
 * that never returns does not keep the process alive; an ignored signal
 * stays ignored; a forked child dies without the work. */
/* POSIX (signals, pipes, strdup) under -std=c11. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/fatal_signal.h"

/* The child reports the work on this pipe. */
static int report_fd = -1;

static void
report_work(int signum)
{
    unsigned char byte = (unsigned char)signum;
    (void)!write(report_fd, &byte, 1);
}

typedef void (*child_body_t)(void);

/* Runs body in a child with the watcher on; returns its wait status and
 * the byte the work reported (-1: none). */
static int
run_child(child_body_t body, int *reported)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        body();
        _exit(0);
    }
    close(fds[1]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    unsigned char byte;
    *reported = read(fds[0], &byte, 1) == 1 ? byte : -1;
    close(fds[0]);
    return status;
}

/* How long a child waits for the watcher before giving up: far beyond
 * the two seconds the watcher may take, so that a loaded machine does not
 * make the tests fail; SIGALRM's default action ends a child that waited
 * that long, which the tests report as a failure. */
#define WAIT_LIMIT_SECONDS 10

/* Waits for the signal to end this process (pause() returns after each
 * caught signal: the handler only wakes the watcher). */
static void
wait_for_death(void)
{
    alarm(WAIT_LIMIT_SECONDS);
    for (;;) {
        pause();
    }
}

/* Waits long enough for a signal that must not end this process. */
static void
sleep_a_while(void)
{
    struct timespec tick = {0, 10000000};
    for (int i = 0; i < 50; i++) {
        nanosleep(&tick, NULL);
    }
}

/* Work that never returns, as a save to a hung file server would. */
static void
hang_forever(int signum)
{
    report_work(signum);
    for (;;) {
        pause();
    }
}

static void
term_self(void)
{
    if (fatal_signal_watch(report_work) != 0) {
        _exit(3);
    }
    kill(getpid(), SIGTERM);
    wait_for_death();
}

static void
hup_self(void)
{
    if (fatal_signal_watch(report_work) != 0) {
        _exit(3);
    }
    kill(getpid(), SIGHUP);
    wait_for_death();
}

static void
term_self_while_work_hangs(void)
{
    if (fatal_signal_watch(hang_forever) != 0) {
        _exit(3);
    }
    kill(getpid(), SIGTERM);
    wait_for_death();
}

static void
ignored_hup(void)
{
    signal(SIGHUP, SIG_IGN);
    if (fatal_signal_watch(report_work) != 0) {
        _exit(3);
    }
    kill(getpid(), SIGHUP);
    sleep_a_while();
}

static void
forked_child_term(void)
{
    if (fatal_signal_watch(report_work) != 0) {
        _exit(3);
    }
    pid_t pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGTERM);
        wait_for_death();
    }
    int status;
    waitpid(pid, &status, 0);
    /* The grandchild died by SIGTERM, and this process still lives. */
    _exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM ? 7 : 8);
}

static void
test_work_then_death_by_sigterm(void **state)
{
    (void)state;
    int reported;
    int status = run_child(term_self, &reported);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_int_equal(reported, SIGTERM);
}

static void
test_work_then_death_by_sighup(void **state)
{
    (void)state;
    int reported;
    int status = run_child(hup_self, &reported);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGHUP);
    assert_int_equal(reported, SIGHUP);
}

static void
test_death_by_sigterm_when_work_hangs(void **state)
{
    (void)state;
    struct timespec start, end;
    int reported;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = run_child(term_self_while_work_hangs, &reported);
    clock_gettime(CLOCK_MONOTONIC, &end);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_int_equal(reported, SIGTERM);
    /* The deadline is two seconds; the wait limit ten. */
    assert_true(end.tv_sec - start.tv_sec < WAIT_LIMIT_SECONDS - 1);
}

static void
test_ignored_signal_stays_ignored(void **state)
{
    (void)state;
    int reported;
    int status = run_child(ignored_hup, &reported);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(reported, -1);
}

static void
test_forked_child_dies_alone(void **state)
{
    (void)state;
    int reported;
    int status = run_child(forked_child_term, &reported);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7);
    assert_int_equal(reported, -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_work_then_death_by_sigterm),
        cmocka_unit_test(test_work_then_death_by_sighup),
        cmocka_unit_test(test_death_by_sigterm_when_work_hangs),
        cmocka_unit_test(test_ignored_signal_stays_ignored),
        cmocka_unit_test(test_forked_child_dies_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
