/* Unit tests of the lexer that highlights the line being edited
 * (src/host/python_lexer.c): which bytes are keywords, strings, numbers,
 * comments, builtins, definitions and soft keywords, as python3.14's REPL
 * colours them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/python_lexer.h"

static const char *const builtin_list[] = {"id",    "len",   "list",
                                           "print", "range", "str"};
static const lex_names_t builtins = {builtin_list, sizeof builtin_list /
                                                       sizeof builtin_list[0]};

/* `marks` has one character a byte of `text`: '.' plain, 'k' keyword,
 * 'c' constant, 's' soft keyword, 'b' builtin, '#' comment, '"' string,
 * '9' number, 'd' definition. */
static void
assert_classes(const char *text, const char *marks)
{
    static const char letters[LEX_CLASS_COUNT] = {
        [LEX_PLAIN] = '.',        [LEX_KEYWORD] = 'k', [LEX_CONSTANT] = 'c',
        [LEX_SOFT_KEYWORD] = 's', [LEX_BUILTIN] = 'b', [LEX_COMMENT] = '#',
        [LEX_STRING] = '"',       [LEX_NUMBER] = '9',  [LEX_DEFINITION] = 'd'};
    size_t length = strlen(text);
    unsigned char *classes = malloc(length + 1);
    char *got = malloc(length + 1);
    assert_non_null(classes);
    assert_non_null(got);
    lex_classify(text, length, &builtins, classes);
    for (size_t i = 0; i < length; i++) {
        got[i] = letters[classes[i]];
    }
    got[length] = '\0';
    assert_string_equal(got, marks);
    free(got);
    free(classes);
}

static void
test_keywords_names_and_builtins(void **state)
{
    (void)state;
    assert_classes("for x in range(3): print(x)",
                   "kkk...kk.bbbbb.9...bbbbb...");
    assert_classes("x = None if True else False",
                   "....cccc.kk.cccc.kkkk.ccccc");
    /* After ".", a builtin's name is an attribute. */
    assert_classes("os.list + list(str.upper)", "..........bbbb.bbb.......");
    assert_classes("def f(a='x', b=0x1F): # note",
                   "kkk.d...\"\"\"....9999...######");
    assert_classes("class C(list): pass", "kkkkk.d.bbbb...kkkk");
    assert_classes("lengths = lens", "..............");
}

static void
test_strings_and_numbers(void **state)
{
    (void)state;
    /* Prefixes, escaped quotes, f-strings whole, a triple-quoted string
     * over lines, an unterminated one to the end. */
    assert_classes("s = rb'\\'' + f\"{x}\" + u'''a\nb''' + 'open",
                   "....\"\"\"\"\"\"...\"\"\"\"\"\"...\"\"\"\"\"\"\"\"\"\"..."
                   "\"\"\"\"\"");
    assert_classes("'one\nx", "\"\"\"\"..");
    assert_classes("n = 1_000.5e-3j + .5 + 0o17",
                   "....99999999999...99...9999");
    /* A name that ends in a prefix's letters is a name. */
    assert_classes("bar'x'", "...\"\"\"");
    assert_classes("x = '''a\nfor b'''", "....\"\"\"\"\"\"\"\"\"\"\"\"\"");
}

static void
test_soft_keywords(void **state)
{
    (void)state;
    assert_classes("match x:", "sssss...");
    assert_classes("match = 1", "........9");
    assert_classes("case [a, _]:", "ssss........");
    assert_classes("case _:", "ssss.s.");
    assert_classes("if x: match (y): pass", "kk....sssss......kkkk");
    assert_classes("print(match(x))", "bbbbb..........");
    assert_classes("x.match y", ".........");
    assert_classes("y = (\nmatch [x])", "................");
}

static void
test_names_are_looked_up_whole(void **state)
{
    (void)state;
    lex_names_t empty = {NULL, 0};
    assert_true(lex_names_contain(&builtins, "len", 3));
    assert_true(lex_names_contain(&builtins, "lens", 3));
    assert_false(lex_names_contain(&builtins, "le", 2));
    assert_false(lex_names_contain(&builtins, "lens", 4));
    assert_false(lex_names_contain(&empty, "len", 3));
    assert_false(lex_names_contain(NULL, "len", 3));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords_names_and_builtins),
        cmocka_unit_test(test_strings_and_numbers),
        cmocka_unit_test(test_soft_keywords),
        cmocka_unit_test(test_names_are_looked_up_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
