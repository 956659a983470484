/* CMocka tests of the common prefix that Tab inserts (src/host/
 * match_prefix.c): whole UTF-8 characters only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/match_prefix.h"

static void
test_ascii_prefix(void **unused)
{
    (void)unused;
    char *words[] = {"append", "apply", "apt"};
    assert_int_equal(match_prefix_length(words, 3), 2);
    char *one[] = {"print("};
    assert_int_equal(match_prefix_length(one, 1), 6);
    char *none[] = {"x", "y"};
    assert_int_equal(match_prefix_length(none, 2), 0);
    char *same[] = {"abc", "abc"};
    assert_int_equal(match_prefix_length(same, 2), 3);
    char *shorter[] = {"abcd", "ab"};
    assert_int_equal(match_prefix_length(shorter, 2), 2);
}

/* "ñ" is C3 B1 and "ó" C3 B3: they share the byte C3, which is no
 * character; the prefix must stop before it. */
static void
test_never_ends_inside_a_character(void **unused)
{
    (void)unused;
    char *words[] = {"a\xc3\xb1x", "a\xc3\xb3y"};
    assert_int_equal(match_prefix_length(words, 2), 1);
    /* Three-byte characters sharing two bytes: U+20AC and U+20AD. */
    char *euro[] = {"\xe2\x82\xac", "\xe2\x82\xad"};
    assert_int_equal(match_prefix_length(euro, 2), 0);
    /* Whole shared characters stay. */
    char *whole[] = {"\xc3\xb1"
                     "a",
                     "\xc3\xb1"
                     "b"};
    assert_int_equal(match_prefix_length(whole, 2), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_prefix),
        cmocka_unit_test(test_never_ends_inside_a_character),
    };
    return cmocka_run_group_tests_name("match_prefix", tests, NULL, NULL);
}
