/* Unit tests of the statement scan of pasted or recalled source
 * (src/host/source_lines.c): where top-level statements begin, which
 * lines belong to one, and which lines begin inside a string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/source_lines.h"

/* `marks` has one character a line: 'S' starts a statement, 'i' is in
 * one, '-' is in none; a following '"' (in the same string) says that
 * the line begins inside a triple-quoted string. */
static void
assert_scan(const char *text, bool open, const char *marks)
{
    size_t count = 0;
    source_line_t *lines = source_lines_scan(text, strlen(text), open, &count);
    assert_non_null(lines);
    size_t mark = 0;
    for (size_t i = 0; i < count; i++, mark++) {
        char expected = marks[mark];
        assert_true(expected != '\0');
        assert_int_equal(lines[i].starts_statement, expected == 'S');
        assert_int_equal(lines[i].in_statement, expected != '-');
        bool in_string = marks[mark + 1] == '"';
        assert_int_equal(lines[i].in_string, in_string);
        mark += in_string;
    }
    assert_int_equal(marks[mark], '\0');
    free(lines);
}

static void
assert_lines(const char *text, const char *marks)
{
    assert_scan(text, false, marks);
}

static void
test_statements_and_blank_lines(void **state)
{
    (void)state;
    assert_lines("x = 1\ny = 2", "SS");
    assert_lines("def f():\n    a = 1\n\n    return a\n\nf()\n", "Siii-S-");
    assert_lines("# intro\n\nx = 1\n# after\n", "--S--");
    /* Comments inside a block are in it; after its last code, not. */
    assert_lines("if x:\n# off\n    pass\n# end\n", "Sii--");
}

static void
test_clauses_and_decorators_go_on(void **state)
{
    (void)state;
    assert_lines("if a:\n    b\nelse:\n    c\nelsewhere = 1\n", "SiiiS-");
    assert_lines("try:\n    a\nexcept* E:\n    b\nfinally:\n    c\n",
                 "Siiiii-");
    assert_lines("@dec\n@dec2(1)\ndef f():\n    pass\nf()", "SiiiS");
}

static void
test_brackets_strings_and_backslashes(void **state)
{
    (void)state;
    assert_lines("x = [\n1,\n\n2]\ny = 3", "SiiiS");
    assert_lines("s = '''\n\nx = 1\n'''\nt = 2", "Si\"i\"i\"S");
    assert_lines("s = \"a # (\"\nt = 2", "SS");
    assert_lines("s = 'it\\'s ['\nt = 2", "SS");
    assert_lines("x = 1 + \\\n2\ny = 3", "SiS");
    assert_lines("x = ')'  # (\ny = 3", "SS");
}

/* Pasted at "... ": the first lines go on the open statement. */
static void
test_text_that_goes_on_a_statement(void **state)
{
    (void)state;
    assert_scan("    a = 1\n\n    return a\nf()", true, "iiiS");
    assert_scan("    a = 1\n\n    return a\nf()", false, "---S");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements_and_blank_lines),
        cmocka_unit_test(test_clauses_and_decorators_go_on),
        cmocka_unit_test(test_brackets_strings_and_backslashes),
        cmocka_unit_test(test_text_that_goes_on_a_statement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
