/* Unit tests of how a bundled application's command line is read
 * (src/host/app_cmdline.c): multiprocessing's own command lines, as
 * CPython 3.11 writes them, go to the interpreter; anything else, however
 * close, is the application's, so that no argument list makes the
 * interpreter run code of its choosing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/app_cmdline.h"

#define MAX_ARGS 16

#define SPAWN "from multiprocessing.spawn import spawn_main; spawn_main("
#define TRACKER "from multiprocessing.resource_tracker import main;main("
#define FORKSERVER "from multiprocessing.forkserver import main; main("
#define FORK_FLAG "--multiprocessing-fork"

/* Whether "/bin/app" followed by the given NULL-terminated arguments is
 * taken for multiprocessing's. */
static bool
is_multiprocessing(const char *first, ...)
{
    char *argv[MAX_ARGS + 1] = {"/bin/app"};
    int argc = 1;
    va_list args;

    va_start(args, first);
    for (const char *arg = first; arg != NULL && argc < MAX_ARGS;
         arg = va_arg(args, const char *)) {
        argv[argc++] = (char *)arg;
    }
    va_end(args);
    argv[argc] = NULL;
    return app_cmdline_is_multiprocessing(argc, argv);
}

/* The programs as spawn.get_command_line(), resource_tracker's and
 * forkserver's ensure_running() format them, after the flags an
 * isolated interpreter passes on. */
static void
test_multiprocessing_command_lines(void **state)
{
    (void)state;
    assert_true(is_multiprocessing(
        "-I", "-c", SPAWN "tracker_fd=5, pipe_handle=7)", FORK_FLAG, NULL));
    assert_true(
        is_multiprocessing("-c", SPAWN "pipe_handle=12)", FORK_FLAG, NULL));
    assert_true(is_multiprocessing(
        "-c", SPAWN "pipe_handle=7, parent_pid=None)", FORK_FLAG, NULL));
    assert_true(is_multiprocessing("-I", "-c", TRACKER "9)", NULL));
    assert_true(
        is_multiprocessing("-OO", "-B", "-I", "-c", TRACKER "9)", NULL));
    assert_true(is_multiprocessing(
        "-I", "-c",
        FORKSERVER "5, 6, ['__main__'], **{'sys_path': "
                   "['/bin/app/pyhost-app', '/bin/app', \"it's\", "
                   "'caf\xc3\xa9 \\\\x']})",
        NULL));
    assert_true(is_multiprocessing("-c", FORKSERVER "5, 6, [], **{})", NULL));
}

/* Close to the real ones, but code, or not theirs. */
static void
test_code_is_refused(void **state)
{
    (void)state;
    assert_false(is_multiprocessing("-c", SPAWN "pipe_handle=7); import os",
                                    FORK_FLAG, NULL));
    assert_false(is_multiprocessing(
        "-c", SPAWN "pipe_handle=__import__('os').getpid())", FORK_FLAG,
        NULL));
    assert_false(is_multiprocessing("-c", TRACKER "os.system('x'))", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9)\nimport os", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9) or exit(1)", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9**9**9**9)", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "(9))", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9.5)", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "0x9)", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "f'{x}')", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "'unterminated)", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "x==1)", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "x:=1)", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9)) + ((1)", NULL));
    assert_false(is_multiprocessing(
        "-c", FORKSERVER "5, 6, [], **{'a': [x for x in y]})", NULL));
    assert_false(is_multiprocessing(
        "-c", "from multiprocessing.spawn import spawn_main;spawn_main(7)",
        FORK_FLAG, NULL));
    assert_false(is_multiprocessing("-c", "import os; " SPAWN "pipe_handle=7)",
                                    FORK_FLAG, NULL));
}

/* The arguments around the program must be exactly multiprocessing's. */
static void
test_other_arguments_are_refused(void **state)
{
    (void)state;
    assert_false(is_multiprocessing(NULL));
    assert_false(is_multiprocessing("-c", NULL));
    assert_false(is_multiprocessing("-c", "x", "--help", NULL));
    assert_false(
        is_multiprocessing("-c", SPAWN "pipe_handle=7)", NULL)); /* no flag */
    assert_false(is_multiprocessing("-c", SPAWN "pipe_handle=7)", FORK_FLAG,
                                    "more", NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9)", FORK_FLAG, NULL));
    assert_false(is_multiprocessing("-c", TRACKER "9)", "x", NULL));
    /* Options that take arguments, or name modules, are not flags. */
    assert_false(
        is_multiprocessing("-Werror::foo.Bar", "-c", TRACKER "9)", NULL));
    assert_false(
        is_multiprocessing("-X", "importtime", "-c", TRACKER "9)", NULL));
    assert_false(is_multiprocessing("-m", "x", "-c", TRACKER "9)", NULL));
    assert_false(is_multiprocessing("-Ic", TRACKER "9)", NULL));
    assert_false(is_multiprocessing("x", "-c", TRACKER "9)", NULL));
    assert_false(is_multiprocessing("-", "-c", TRACKER "9)", NULL));
    assert_false(is_multiprocessing("--", "-c", TRACKER "9)", NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multiprocessing_command_lines),
        cmocka_unit_test(test_code_is_refused),
        cmocka_unit_test(test_other_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
