/* Unit tests of the shell's auto-indent rules (src/host/indent_rules.c):
 * the next line's indentation, Backspace's level, where a clause goes,
 * and (src/host/auto_indent_config.c) whether auto-indent is on. */
/* POSIX (mkdtemp) under -std=c11. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/auto_indent_config.h"
#include "host/indent_rules.h"

static void
assert_next(const char *text, const char *expected)
{
    char *indent = indent_next_line(text, strlen(text));
    assert_non_null(indent);
    assert_string_equal(indent, expected);
    free(indent);
}

static void
test_block_openers_indent(void **state)
{
    (void)state;
    assert_next("", "");
    assert_next("x = 1\n", "");
    assert_next("for i in range(3):\n", "    ");
    assert_next("if x:  # a comment: with colons:\n", "    ");
    assert_next("def f():\n    if x:\n", "        ");
    /* A ":" that ends no block: in a string, a comment, brackets. */
    assert_next("s = 'a:'\n", "");
    assert_next("x = 1  # note:\n", "");
    assert_next("while True: pass\n", "");
    /* A header over several lines: its first line's indentation. */
    assert_next("def f(a,\n      b):\n", "    ");
    assert_next("if (a and\n        b):\n", "    ");
    assert_next("class C:\n    def m(self,\n          x):\n", "        ");
}

static void
test_unit_is_the_first_indented_lines(void **state)
{
    (void)state;
    assert_next("if x:\n  y = 1\n  if z:\n", "    ");
    assert_next("if x:\n\ty = 1\n\tif z:\n", "\t\t");
    assert_next("if x:\n  y = 1\n", "  ");
    assert_next("if x:\n   if y:\n", "      ");
}

static void
test_block_enders_dedent(void **state)
{
    (void)state;
    assert_next("def f(x):\n    if x:\n        return 1\n", "    ");
    assert_next("for i in x:\n    pass\n", "");
    assert_next("for i in x:\n    if i:\n        break\n", "    ");
    assert_next("while 1:\n    continue  # again\n", "");
    assert_next("def f():\n    raise ValueError(1)\n", "");
    assert_next("def f():\n    return\n", "");
    /* Only the statements themselves. */
    assert_next("def f():\n    passed = 1\n", "    ");
    assert_next("def f():\n    returning()\n", "    ");
    /* At the outermost level there is nothing to go back to. */
    assert_next("pass\n", "");
    /* One line that opens and ends a block keeps its level. */
    assert_next("def f():\n    if x: return 1\n", "    ");
}

static void
test_brackets_strings_blank_lines(void **state)
{
    (void)state;
    /* Inside brackets: the previous line's indentation, a unit more
     * after an opening bracket that ends it. */
    assert_next("x = foo(\n", "    ");
    assert_next("def f():\n    x = [1,\n", "    ");
    assert_next("def f():\n    x = [\n        1,\n", "        ");
    assert_next("x = 1 + \\\n", "");
    /* Inside a triple-quoted string: nothing, which would be in it. */
    assert_next("def f():\n    s = '''\n", "");
    assert_next("def f():\n    s = '''a\n    b'''\n", "    ");
    /* Blank and comment lines say nothing. */
    assert_next("def f():\n    x = 1\n \n", "    ");
    assert_next("if x:\n# note\n", "    ");
}

static void
assert_back(const char *text, const char *indent, const char *expected)
{
    char *result = NULL;
    indent_back_t back =
        indent_level_back(text, strlen(text), indent, strlen(indent), &result);
    if (expected == NULL) {
        assert_int_equal(back, INDENT_PLAIN);
        assert_null(result);
        return;
    }
    assert_int_equal(back, INDENT_LEVEL_BACK);
    assert_string_equal(result, expected);
    free(result);
}

static void
test_backspace_goes_back_a_level(void **state)
{
    (void)state;
    assert_back("if x:\n", "    ", "");
    assert_back("def f():\n    if x:\n", "        ", "    ");
    assert_back("def f():\n    if x:\n", "    ", "");
    assert_back("def f():\n    if x:\n", "      ", "    ");
    assert_back("if x:\n  y = 1\n", "  ", "");
    assert_back("if x:\n  if y:\n", "    ", "  ");
    /* Beyond the innermost level: whole units. */
    assert_back("if x:\n", "            ", "        ");
    assert_back("if x:\n", "     ", "    ");
    assert_back("", "   ", "");
    assert_back("if x:\n\ty = 1\n", "\t\t", "\t");
    /* In a string, whitespace is text. */
    assert_back("s = '''\n", "    ", NULL);
}

static void
assert_clause(const char *text, const char *indent, const char *line,
              const char *expected)
{
    const char *keyword = indent_clause_keyword(line, strlen(line));
    assert_non_null(keyword);
    char *result = NULL;
    assert_true(indent_for_clause(text, strlen(text), indent, strlen(indent),
                                  keyword, &result));
    if (expected == NULL) {
        assert_null(result);
    } else {
        assert_non_null(result);
        assert_string_equal(result, expected);
        free(result);
    }
}

static void
test_clauses_find_their_block(void **state)
{
    (void)state;
    assert_null(indent_clause_keyword("elsewhere = 1", 13));
    assert_null(indent_clause_keyword("x = else_", 9));
    assert_string_equal(indent_clause_keyword("  except* E:", 12), "except");
    assert_string_equal(indent_clause_keyword("else:", 5), "else");
    assert_clause("if x:\n    y = 1\n", "    ", "else", "");
    assert_clause("if x:\n", "    ", "else", "");
    /* The innermost block the clause goes on, at or left of the line. */
    assert_clause("for i in x:\n    if i:\n        pass\n", "    ", "else",
                  NULL);
    assert_clause("for i in x:\n    if i:\n        y = 1\n", "        ",
                  "else", "    ");
    assert_clause("if a:\n    for i in x:\n        y = 1\n", "        ",
                  "elif", "");
    assert_clause("try:\n    f()\n", "    ", "except", "");
    assert_clause("try:\n    f()\nexcept E:\n    pass\n", "", "finally", NULL);
    assert_clause("try:\n    f()\nexcept E:\n    g()\n", "    ", "else", "");
    assert_clause("def f():\n    while x:\n        y()\n", "        ", "else",
                  "    ");
    /* No block it goes on: one level left; never right. */
    assert_clause("def f():\n    x = 1\n", "    ", "except", "");
    assert_clause("if x:\n    y = 1\n", "", "else", NULL);
    /* Inside brackets or a string, nothing moves. */
    assert_clause("x = (\n", "    ", "else", NULL);
}

/* The shell scans a statement a line at a time, in a buffer that grows
 * and moves, and asks about a line of a block being edited from a copy:
 * the answers are those of one scan of the whole text. */
static void
test_scan_a_line_at_a_time(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "def f(x):\n", "    s = '''a\n",       "  b'''\n",
        "    if x:\n", "        return [1,\n", "                2]\n"};
    static const char *const expected[] = {"    ",     "",         "    ",
                                           "        ", "        ", "    "};
    indent_state_t *scan = indent_state_new();
    assert_non_null(scan);
    char *text = NULL;
    size_t size = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t length = strlen(lines[i]);
        char *moved = malloc(size + length + 1);
        assert_non_null(moved);
        if (text != NULL) {
            memcpy(moved, text, size);
            memset(text, 'x', size);
            free(text);
        }
        text = moved;
        memcpy(text + size, lines[i], length + 1);
        size += length;
        assert_true(indent_state_scan(scan, text, size));
        char *next = indent_state_next_line(scan, text);
        assert_string_equal(next, expected[i]);
        free(next);
        assert_next(text, expected[i]);
    }
    indent_state_t *copy = indent_state_copy(scan);
    assert_non_null(copy);
    char *more = malloc(size + 32);
    assert_non_null(more);
    memcpy(more, text, size);
    strcpy(more + size, "    else:\n");
    assert_true(indent_state_scan(copy, more, strlen(more)));
    char *next = indent_state_next_line(copy, more);
    assert_string_equal(next, "        ");
    free(next);
    next = indent_state_next_line(scan, text); /* the original is unchanged */
    assert_string_equal(next, "    ");
    free(next);
    indent_state_reset(scan);
    next = indent_state_next_line(scan, "");
    assert_string_equal(next, "");
    free(next);
    free(more);
    free(text);
    indent_state_free(copy);
    indent_state_free(scan);
}

static void
test_environment_variable(void **state)
{
    (void)state;
    assert_int_equal(auto_indent_env_setting(NULL), AUTO_INDENT_UNSET);
    assert_int_equal(auto_indent_env_setting(""), AUTO_INDENT_UNSET);
    assert_int_equal(auto_indent_env_setting("  "), AUTO_INDENT_UNSET);
    const char *const off[] = {"0", "off", "OFF", "no", "false", " 0 "};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        assert_int_equal(auto_indent_env_setting(off[i]), AUTO_INDENT_OFF);
    }
    const char *const on[] = {"1", "on", "yes", "true", "00", "0 1"};
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++) {
        assert_int_equal(auto_indent_env_setting(on[i]), AUTO_INDENT_ON);
    }
}

static void
test_decision(void **state)
{
    (void)state;
    assert_true(
        auto_indent_decide("xterm", AUTO_INDENT_UNSET, AUTO_INDENT_UNSET));
    assert_false(auto_indent_decide("dumb", AUTO_INDENT_ON, AUTO_INDENT_ON));
    assert_false(auto_indent_decide("", AUTO_INDENT_UNSET, AUTO_INDENT_ON));
    assert_false(
        auto_indent_decide(NULL, AUTO_INDENT_UNSET, AUTO_INDENT_UNSET));
    assert_false(
        auto_indent_decide("xterm", AUTO_INDENT_UNSET, AUTO_INDENT_OFF));
    assert_true(auto_indent_decide("xterm", AUTO_INDENT_ON, AUTO_INDENT_OFF));
    assert_false(auto_indent_decide("xterm", AUTO_INDENT_OFF, AUTO_INDENT_ON));
}

/* A file in a fresh directory; returns its path (static storage). */
static const char *
write_file(const char *directory, const char *name, const char *text)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", directory, name);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    return path;
}

static auto_indent_setting_t
setting_of(const char *directory, const char *text)
{
    const char *path = write_file(directory, "inputrc", text);
    return auto_indent_inputrc_setting(path, directory);
}

static void
test_inputrc(void **state)
{
    (void)state;
    char directory[] = "/tmp/pyhost-indent-XXXXXX";
    assert_non_null(mkdtemp(directory));
    assert_int_equal(setting_of(directory, "set bell-style none\n"),
                     AUTO_INDENT_UNSET);
    assert_int_equal(
        setting_of(directory, "$if pyhost\n  set auto-indent off\n$endif\n"),
        AUTO_INDENT_OFF);
    assert_int_equal(
        setting_of(directory, "$IF PyHost\nSET Auto-Indent Off\n$endif\n"),
        AUTO_INDENT_OFF);
    /* Outside a pyhost section (readline would complain), in its $else
     * or in another application's section: not pyhost's. */
    assert_int_equal(setting_of(directory, "set auto-indent off\n"),
                     AUTO_INDENT_UNSET);
    assert_int_equal(setting_of(directory, "$if pyhost\n$else\n"
                                           "set auto-indent off\n$endif\n"),
                     AUTO_INDENT_UNSET);
    assert_int_equal(
        setting_of(directory, "$if python\nset auto-indent off\n$endif\n"),
        AUTO_INDENT_UNSET);
    /* The last one wins; readline's boolean values. */
    assert_int_equal(setting_of(directory, "$if pyhost\nset auto-indent off\n"
                                           "set auto-indent on\n$endif\n"),
                     AUTO_INDENT_ON);
    assert_int_equal(
        setting_of(directory, "$if pyhost\nset auto-indent 1\n$endif\n"),
        AUTO_INDENT_ON);
    assert_int_equal(
        setting_of(directory, "$if pyhost\nset auto-indent nope\n$endif\n"),
        AUTO_INDENT_OFF);
    /* Nested conditions inside count; comments do not. */
    assert_int_equal(setting_of(directory,
                                "$if pyhost\n$if term=xterm\n"
                                "set auto-indent off\n$endif\n$endif\n"),
                     AUTO_INDENT_OFF);
    assert_int_equal(
        setting_of(directory, "$if pyhost\n# set auto-indent off\n$endif\n"),
        AUTO_INDENT_UNSET);
    /* $include, "~/" being the home directory given. */
    write_file(directory, "more", "$if pyhost\nset auto-indent off\n$endif\n");
    assert_int_equal(setting_of(directory, "$include ~/more\n"),
                     AUTO_INDENT_OFF);
    write_file(directory, "loop", "$include ~/loop\n");
    assert_int_equal(setting_of(directory, "$include ~/loop\n"),
                     AUTO_INDENT_UNSET);
    assert_int_equal(auto_indent_inputrc_setting("/nonexistent", directory),
                     AUTO_INDENT_UNSET);
    /* Which file readline reads. */
    char *path = auto_indent_inputrc_path("~/mine", directory);
    char expected[4096];
    snprintf(expected, sizeof expected, "%s/mine", directory);
    assert_string_equal(path, expected);
    free(path);
    path = auto_indent_inputrc_path("", "/nonexistent");
    assert_string_equal(path, "/etc/inputrc");
    free(path);
    write_file(directory, ".inputrc", "");
    path = auto_indent_inputrc_path(NULL, directory);
    snprintf(expected, sizeof expected, "%s/.inputrc", directory);
    assert_string_equal(path, expected);
    free(path);
    const char *const names[] = {"inputrc", "more", "loop", ".inputrc"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(expected, sizeof expected, "%s/%s", directory, names[i]);
        unlink(expected);
    }
    rmdir(directory);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_openers_indent),
        cmocka_unit_test(test_unit_is_the_first_indented_lines),
        cmocka_unit_test(test_block_enders_dedent),
        cmocka_unit_test(test_brackets_strings_blank_lines),
        cmocka_unit_test(test_backspace_goes_back_a_level),
        cmocka_unit_test(test_clauses_find_their_block),
        cmocka_unit_test(test_scan_a_line_at_a_time),
        cmocka_unit_test(test_environment_variable),
        cmocka_unit_test(test_decision),
        cmocka_unit_test(test_inputrc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
