/* libFuzzer harness of the u64set core: the input is a program of set
 * operations, run against the table and against a reference (a sorted
 * array), with every result, the length and, at the end, the iteration
 * compared.  Small keys (one byte) force collisions and repeats; big keys
 * (eight bytes) cover the whole range, 0 and UINT64_MAX included. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/u64set.h"

/* The reference: a sorted array, small enough for fuzz inputs. */
typedef struct {
    uint64_t *keys;
    size_t len;
} reference_t;

static size_t
reference_find(const reference_t *ref, uint64_t key)
{
    size_t low = 0, high = ref->len;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (ref->keys[mid] < key) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    return low;
}

static bool
reference_contains(const reference_t *ref, uint64_t key)
{
    size_t at = reference_find(ref, key);
    return at < ref->len && ref->keys[at] == key;
}

static bool
reference_insert(reference_t *ref, uint64_t key)
{
    size_t at = reference_find(ref, key);
    if (at < ref->len && ref->keys[at] == key) {
        return false;
    }
    memmove(ref->keys + at + 1, ref->keys + at,
            (ref->len - at) * sizeof(uint64_t));
    ref->keys[at] = key;
    ref->len++;
    return true;
}

static bool
reference_remove(reference_t *ref, uint64_t key)
{
    size_t at = reference_find(ref, key);
    if (at == ref->len || ref->keys[at] != key) {
        return false;
    }
    memmove(ref->keys + at, ref->keys + at + 1,
            (ref->len - at - 1) * sizeof(uint64_t));
    ref->len--;
    return true;
}

static void
check(bool condition)
{
    if (!condition) {
        abort();
    }
}

/* Reads a key: one byte (small keys) or eight (any key). */
static uint64_t
read_key(const uint8_t **data, size_t *size, bool wide)
{
    uint64_t key = 0;
    size_t width = wide ? 8 : 1;
    if (*size < width) {
        width = *size;
    }
    memcpy(&key, *data, width);
    *data += width;
    *size -= width;
    return key;
}

static void
check_iteration(const u64set_t *set, const reference_t *ref)
{
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;
    size_t seen = 0;
    while (u64set_next(set, &cursor, &key)) {
        check(reference_contains(ref, key));
        seen++;
    }
    check(seen == ref->len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reference_t ref = {malloc((size + 1) * sizeof(uint64_t)), 0};
    u64set_t set, other;
    uint64_t key, batch[16];

    u64set_init(&set, size, NULL);
    u64set_init(&other, 7, NULL);
    while (size > 0) {
        uint8_t op = *data++;
        size--;
        bool wide = op & 0x80;
        switch (op & 0x0f) {
        case 0:
        case 1:
        case 2:
            key = read_key(&data, &size, wide);
            check(u64set_insert(&set, key) ==
                  (reference_insert(&ref, key) ? U64SET_OK : U64SET_PRESENT));
            break;
        case 3:
        case 4:
            key = read_key(&data, &size, wide);
            check(u64set_remove(&set, key) ==
                  (reference_remove(&ref, key) ? U64SET_OK : U64SET_ABSENT));
            break;
        case 5:
        case 6:
            key = read_key(&data, &size, wide);
            check(u64set_contains(&set, key) == reference_contains(&ref, key));
            break;
        case 7:
            if (u64set_pop(&set, &key) == U64SET_OK) {
                check(reference_remove(&ref, key));
            } else {
                check(ref.len == 0);
            }
            break;
        case 8: {
            size_t n = (op >> 4) & 7;
            size_t added = 0, expected = 0;
            for (size_t i = 0; i < n; i++) {
                batch[i] = read_key(&data, &size, wide);
            }
            for (size_t i = 0; i < n; i++) {
                expected += reference_insert(&ref, batch[i]);
            }
            check(u64set_insert_many(&set, batch, n, &added) == U64SET_OK);
            check(added == expected);
            break;
        }
        case 9:
            if ((op >> 4) == 0) {
                u64set_clear(&set);
                ref.len = 0;
            }
            break;
        case 10:
            check(u64set_copy(&other, &set) == U64SET_OK);
            check_iteration(&other, &ref);
            break;
        case 11:
            check(u64set_copy(&other, &set) == U64SET_OK);
            u64set_move(&set, &other);
            break;
        case 12:
            check(u64set_reserve(&set, ref.len + (op >> 4) * 100) ==
                  U64SET_OK);
            break;
        default:
            check_iteration(&set, &ref);
        }
        check(u64set_len(&set) == ref.len);
    }
    check_iteration(&set, &ref);
    u64set_destroy(&set);
    u64set_destroy(&other);
    free(ref.keys);
    return 0;
}
