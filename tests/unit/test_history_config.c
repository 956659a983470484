/* Unit tests of PYHOST_HISTSIZE and PYHOST_HISTFILE handling
 * (src/host/history_config.c): each kind of value has one meaning, the
 * one pyhost(1) documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "host/history_config.h"

static void
assert_size(const char *text, histsize_status_t status, int limit)
{
    int parsed = -12345;
    assert_int_equal(histfile_parse_size(text, &parsed), status);
    assert_int_equal(parsed, limit);
}

static void
test_unset_or_empty_is_the_default(void **state)
{
    (void)state;
    assert_size(NULL, HISTSIZE_UNSET, HISTORY_DEFAULT_SIZE);
    assert_size("", HISTSIZE_UNSET, HISTORY_DEFAULT_SIZE);
}

static void
test_numbers(void **state)
{
    (void)state;
    assert_size("3", HISTSIZE_NUMBER, 3);
    assert_size("+3", HISTSIZE_NUMBER, 3);
    assert_size(" 42 ", HISTSIZE_NUMBER, 42);
    assert_size("0", HISTSIZE_NUMBER, 0);
    assert_size("-0", HISTSIZE_NUMBER, 0);
    assert_size("2147483647", HISTSIZE_NUMBER, 2147483647);
}

static void
test_negative_and_huge_mean_unlimited(void **state)
{
    (void)state;
    assert_size("-1", HISTSIZE_NUMBER, HISTORY_UNLIMITED);
    assert_size("-500", HISTSIZE_NUMBER, HISTORY_UNLIMITED);
    assert_size("-99999999999999999999", HISTSIZE_NUMBER, HISTORY_UNLIMITED);
    assert_size("2147483648", HISTSIZE_NUMBER, HISTORY_UNLIMITED);
    assert_size("1000000000000000000000000000000", HISTSIZE_NUMBER,
                HISTORY_UNLIMITED);
}

static void
test_not_numbers_are_invalid(void **state)
{
    (void)state;
    const char *bad[] = {"abc", "5x", "x5",  "10**30", "1.5", "-",
                         "+",   " ",  "1 2", "0x10",   "--1", "1e3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_size(bad[i], HISTSIZE_INVALID, HISTORY_DEFAULT_SIZE);
    }
}

static void
assert_path(const char *configured, const char *home, const char *cwd,
            const char *expected)
{
    char *path = histfile_resolve_path(configured, home, cwd);
    if (expected == NULL) {
        assert_null(path);
    } else {
        assert_non_null(path);
        assert_string_equal(path, expected);
    }
    free(path);
}

static void
test_paths(void **state)
{
    (void)state;
    assert_path(NULL, "/home/u", "/tmp", "/home/u/.pyhost_history");
    assert_path(NULL, "/home/u/", "/tmp", "/home/u/.pyhost_history");
    assert_path(NULL, NULL, "/tmp", NULL);
    assert_path(NULL, "", "/tmp", NULL);
    assert_path("", "/home/u", "/tmp", NULL);
    assert_path("/var/h", "/home/u", "/tmp", "/var/h");
    assert_path("/var/h", NULL, NULL, "/var/h");
    /* Relative: from the starting directory, once. */
    assert_path("h", "/home/u", "/start", "/start/h");
    assert_path("sub/h", NULL, "/start/", "/start/sub/h");
    assert_path("h", "/home/u", NULL, NULL);
    /* A relative home, as python3.11 takes it: from the start, once. */
    assert_path(NULL, "rel", "/start", "/start/rel/.pyhost_history");
    assert_path(NULL, "rel", NULL, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unset_or_empty_is_the_default),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_negative_and_huge_mean_unlimited),
        cmocka_unit_test(test_not_numbers_are_invalid),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
