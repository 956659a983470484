/* Unit tests of the command-line pre-scan (src/host/cmdline.c): pyhost must
 * answer -h/--help and -V/--version exactly where python3.11 would answer
 * them, and leave everything else, errors included, to CPython. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/cmdline.h"

#define MAX_ARGS 16

/* Pre-scans "pyhost" followed by the given NULL-terminated arguments. */
static cmdline_request_t
prescan(const char *first, ...)
{
    char *argv[MAX_ARGS + 1] = {"pyhost"};
    int argc = 1;
    va_list args;

    va_start(args, first);
    for (const char *arg = first; arg != NULL && argc < MAX_ARGS;
         arg = va_arg(args, const char *)) {
        argv[argc++] = (char *)arg;
    }
    va_end(args);
    argv[argc] = NULL;
    return cmdline_prescan(argc, argv);
}

static void
assert_run(cmdline_request_t request)
{
    assert_int_equal(request.action, CMDLINE_RUN);
}

static void
assert_version(cmdline_request_t request, int level)
{
    assert_int_equal(request.action, CMDLINE_VERSION);
    assert_int_equal(request.version_level, level);
}

static void
test_no_arguments_runs(void **state)
{
    (void)state;
    assert_run(prescan(NULL));
}

static void
test_help_forms(void **state)
{
    (void)state;
    assert_int_equal(prescan("-h", NULL).action, CMDLINE_HELP);
    assert_int_equal(prescan("--help", NULL).action, CMDLINE_HELP);
    assert_int_equal(prescan("-?", NULL).action, CMDLINE_HELP);
    /* Clustered with other flags, and after -V: help wins, as in CPython. */
    assert_int_equal(prescan("-Bh", NULL).action, CMDLINE_HELP);
    assert_int_equal(prescan("-V", "-h", NULL).action, CMDLINE_HELP);
    /* Help is answered before a later unknown option is seen. */
    assert_int_equal(prescan("-h", "-z", NULL).action, CMDLINE_HELP);
}

static void
test_version_forms(void **state)
{
    (void)state;
    assert_version(prescan("-V", NULL), 1);
    assert_version(prescan("--version", NULL), 1);
    assert_version(prescan("-VV", NULL), 2);
    assert_version(prescan("-V", "--version", NULL), 2);
    assert_version(prescan("-qV", NULL), 1);
}

static void
test_version_before_program_is_answered(void **state)
{
    (void)state;
    /* python3.11 prints its version when -V precedes the program. */
    assert_version(prescan("-V", "-c", "pass", NULL), 1);
    assert_version(prescan("-V", "script.py", NULL), 1);
    assert_version(prescan("-V", "-", NULL), 1);
    assert_version(prescan("-V", "--", "x", NULL), 1);
}

static void
test_options_after_program_belong_to_it(void **state)
{
    (void)state;
    assert_run(prescan("-c", "pass", "--version", NULL));
    assert_run(prescan("-cpass", "-h", NULL));
    assert_run(prescan("-m", "json.tool", "-h", NULL));
    assert_run(prescan("-mjson.tool", "--help", NULL));
    assert_run(prescan("script.py", "-V", NULL));
    assert_run(prescan("-", "-h", NULL));
    assert_run(prescan("--", "-h", NULL));
}

static void
test_option_arguments_are_skipped(void **state)
{
    (void)state;
    /* "-W -V" makes "-V" the warning filter, not a request. */
    assert_run(prescan("-W", "-V", NULL));
    assert_run(prescan("-X", "-h", NULL));
    assert_version(prescan("-Wd", "-V", NULL), 1);
    assert_version(prescan("-X", "dev", "-V", NULL), 1);
    assert_run(prescan("--check-hash-based-pycs", "--help", NULL));
    assert_version(prescan("-V", "--check-hash-based-pycs", "always", NULL),
                   1);
}

static void
test_frozen_modules_option(void **state)
{
    (void)state;
    assert_false(prescan(NULL).frozen_modules_off);
    assert_true(prescan("-X", "frozen_modules=off", NULL).frozen_modules_off);
    assert_true(prescan("-Xfrozen_modules=off", NULL).frozen_modules_off);
    assert_true(prescan("-bXfrozen_modules=off", "-c", "pass", NULL)
                    .frozen_modules_off);
    assert_false(prescan("-X", "frozen_modules=on", NULL).frozen_modules_off);
    assert_false(prescan("-X", "frozen_modules", NULL).frozen_modules_off);
    assert_false(
        prescan("-X", "frozen_modules_x=off", NULL).frozen_modules_off);
    /* The first one decides, as CPython's xoption lookup. */
    assert_true(
        prescan("-X", "frozen_modules=off", "-X", "frozen_modules=on", NULL)
            .frozen_modules_off);
    assert_false(
        prescan("-X", "frozen_modules=on", "-X", "frozen_modules=off", NULL)
            .frozen_modules_off);
    /* The program's own arguments are not read. */
    assert_false(prescan("-c", "pass", "-X", "frozen_modules=off", NULL)
                     .frozen_modules_off);
}

static void
test_errors_are_left_to_cpython(void **state)
{
    (void)state;
    /* CPython reports these with its own message and status 2. */
    assert_run(prescan("-V", "-z", NULL));
    assert_run(prescan("-J", "-V", NULL));
    assert_run(prescan("--nonsense", "-h", NULL));
    assert_run(prescan("-V", "-c", NULL));
    assert_run(prescan("-V", "-W", NULL));
    assert_run(prescan("-V", "--check-hash-based-pycs", NULL));
    /* CPython prints these texts itself. */
    assert_run(prescan("--help-env", NULL));
    assert_run(prescan("--help-xoptions", "-h", NULL));
    assert_run(prescan("--help-all", NULL));
}

/* What decides the shell's banner, as CPython's pymain_header sees it. */
static void
test_banner_inputs(void **state)
{
    (void)state;
    assert_false(prescan(NULL).runs_code);
    assert_false(prescan("-", NULL).runs_code);
    assert_false(prescan("--", NULL).runs_code);
    assert_true(prescan("--", "script.py", NULL).runs_code);
    assert_true(prescan("script.py", "-q", NULL).runs_code);
    assert_true(prescan("-c", "pass", NULL).runs_code);
    assert_true(prescan("-mjson.tool", NULL).runs_code);
    assert_false(prescan("-c", "pass", NULL).quiet);

    cmdline_request_t flags = prescan("-qiSvv", "-E", NULL);
    assert_true(flags.quiet && flags.interactive && flags.no_site);
    assert_true(flags.ignore_environment);
    assert_int_equal(flags.verbose, 2);
    assert_true(prescan("-I", NULL).ignore_environment);
    /* Flags after the program are the program's own. */
    assert_false(prescan("-c", "pass", "-q", NULL).quiet);
    assert_false(prescan("script.py", "-i", NULL).interactive);
    /* An option's argument is not a flag cluster. */
    assert_false(prescan("-W", "qi", NULL).quiet);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_banner_inputs),
        cmocka_unit_test(test_no_arguments_runs),
        cmocka_unit_test(test_help_forms),
        cmocka_unit_test(test_version_forms),
        cmocka_unit_test(test_version_before_program_is_answered),
        cmocka_unit_test(test_options_after_program_belong_to_it),
        cmocka_unit_test(test_option_arguments_are_skipped),
        cmocka_unit_test(test_frozen_modules_option),
        cmocka_unit_test(test_errors_are_left_to_cpython),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
