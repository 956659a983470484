/* Unit tests of the history file's format (src/host/history_format.c):
 * a block is one entry across lines marked by "\r\n", old one-line files
 * read as they did, and the size limit counts entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/history_format.h"

#define MAX_ENTRIES 8

typedef struct {
    char entries[MAX_ENTRIES][64];
    size_t count;
} collected_t;

static void
collect(const char *entry, void *data)
{
    collected_t *collected = data;
    assert_true(collected->count < MAX_ENTRIES);
    assert_true(strlen(entry) < sizeof collected->entries[0]);
    strcpy(collected->entries[collected->count++], entry);
}

/* Decodes `text` and checks the entries against the NULL-ended list. */
static void
assert_decoded(const char *text, const char *const *expected)
{
    size_t size = strlen(text);
    char *copy = malloc(size + 1);
    collected_t collected = {.count = 0};

    assert_non_null(copy);
    memcpy(copy, text, size); /* no terminator: the decoder adds its own */
    histformat_decode(copy, size, collect, &collected);
    size_t count = 0;
    for (; expected[count] != NULL; count++) {
        assert_true(count < collected.count);
        assert_string_equal(collected.entries[count], expected[count]);
    }
    assert_int_equal(collected.count, count);
    free(copy);
}

static void
test_old_files_read_one_entry_a_line(void **state)
{
    (void)state;
    assert_decoded("a = 1\nprint(a)\n",
                   (const char *const[]){"a = 1", "print(a)", NULL});
    assert_decoded("no final newline",
                   (const char *const[]){"no final newline", NULL});
    assert_decoded("\n\nx\n\n", (const char *const[]){"x", NULL});
    assert_decoded("", (const char *const[]){NULL});
}

static void
test_blocks_are_one_entry(void **state)
{
    (void)state;
    assert_decoded(
        "x = 1\nfor i in r:\r\n    print(i)\r\n\r\n    pass\ny\n",
        (const char *const[]){"x = 1", "for i in r:\n    print(i)\n\n    pass",
                              "y", NULL});
    /* A lone "\r" is the line's own. */
    assert_decoded("a\rb\n", (const char *const[]){"a\rb", NULL});
}

static void
test_encoding_round_trips(void **state)
{
    (void)state;
    const char *entry = "def f():\n    return 1\n\n    # end";
    char out[128];
    size_t size = histformat_encoded_size(entry);
    char *end = histformat_encode(out, entry);
    assert_int_equal((size_t)(end - out), size);
    *end = '\0';
    assert_string_equal(out, "def f():\r\n    return 1\r\n\r\n    # end\n");
    assert_decoded(out, (const char *const[]){entry, NULL});
    assert_int_equal(histformat_encoded_size("one"), 4);
}

static void
test_tail_counts_entries(void **state)
{
    (void)state;
    const char *text = "a\nb1\r\nb2\r\nb3\nc\n";
    size_t size = strlen(text);
    assert_int_equal(histformat_tail_offset(text, size, 1), 13);
    assert_int_equal(histformat_tail_offset(text, size, 2), 2);
    assert_int_equal(histformat_tail_offset(text, size, 3), 0);
    assert_int_equal(histformat_tail_offset(text, size, 9), 0);
    /* Empty lines count for nothing; no final newline is still an end. */
    assert_int_equal(histformat_tail_offset("a\n\n\nb", 5, 1), 4);
    assert_int_equal(histformat_tail_offset("a\n\n\nb\n\n", 7, 1), 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_files_read_one_entry_a_line),
        cmocka_unit_test(test_blocks_are_one_entry),
        cmocka_unit_test(test_encoding_round_trips),
        cmocka_unit_test(test_tail_counts_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
