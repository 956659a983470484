/* The set algebra of hashset.HashSet, each operation at the cost set's
 * own has: intersection and isdisjoint walk the smaller side when both
 * sizes are known; difference and issubset cost len(self) when the other
 * side tests membership in O(1) (a HashSet, set, frozenset, dict view),
 * len(self) + len(other) otherwise; updates read their input a batch at a
 * time and keep only what they will insert.
 *
 * In-place operations are all or nothing: they work out what to insert
 * or remove first, and change self only when nothing can fail any more.
 * A walk over a table that calls Python code (another container's
 * __contains__) checks the table's version at every step. */
#include "modules/hashset.h"
#include "modules/hashset_keys.h"

/* Keys in a table being built past which its reader may take batches of
 * 16 MiB: the table itself then holds more than 24 MiB. */
#define BIG_TABLE_KEYS ((size_t)1 << 21)

static void
count_visits(hashset_state *state, size_t keys)
{
    state->keys_visited += keys;
}

/* 0 when a core operation succeeded, else -1 with MemoryError: the only
 * way the core fails. */
static int
ok_or_no_memory(u64set_status_t status)
{
    return status == U64SET_OK ? 0 : (PyErr_NoMemory(), -1);
}

/* Before each argument after the first of a call that takes many: a
 * step may cost the size of self, and the reader of a short argument
 * checks for no signal (a.difference(*[[i] for i in range(10**5)]) of a
 * big set would copy it 1e5 times with Ctrl-C unheard). */
static int
check_signals_before(Py_ssize_t argument)
{
    return argument > 0 ? PyErr_CheckSignals() : 0;
}

/* Removes from `from` every key of `keys`: removing needs no memory. */
static void
remove_keys_of(u64set_t *from, const u64set_t *keys)
{
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;
    while (u64set_next(keys, &cursor, &key)) {
        (void)u64set_remove(from, key);
    }
}

/* The size of a set-like operand, from its native size where it has one
 * (a subclass's __len__ must not make unequal sets look equal). */
static Py_ssize_t
set_size(hashset_state *state, PyObject *object)
{
    const u64set_t *table = hashset_table_of(state, object);
    if (table != NULL) {
        return (Py_ssize_t)u64set_len(table);
    }
    if (PyAnySet_Check(object)) {
        return PySet_GET_SIZE(object);
    }
    return PyObject_Size(object);
}

/* {===================================================================
 * Walks
 * =================================================================== */

/* Walks `small`, probing `large` with each key, until a key's presence
 * in `large` is `stop_when_found`: whether one was. */
static bool
walk_tables_until(hashset_state *state, const u64set_t *small,
                  const u64set_t *large, bool stop_when_found)
{
    size_t visited;
    bool stopped = u64set_any_key(small, large, stop_when_found, &visited);
    count_visits(state, visited);
    return stopped;
}

/* Whether every key of `small` is in `large`. */
static bool
table_is_subset(hashset_state *state, const u64set_t *small,
                const u64set_t *large)
{
    return u64set_len(small) <= u64set_len(large) &&
           !walk_tables_until(state, small, large, false);
}

/* 1 with *size set when `other` tests membership in O(1) (set,
 * frozenset, dict view: asking it about each key of self may be the
 * cheaper walk), 0 when it does not, -1 with an exception set. */
static int
container_size(hashset_state *state, PyObject *other, size_t *size)
{
    if (!has_fast_membership(other)) {
        return 0;
    }
    Py_ssize_t length = set_size(state, other);
    if (length < 0) {
        return -1;
    }
    *size = (size_t)length;
    return 1;
}

/* A reader of `iterable`'s keys, reading a HashSet's table directly. */
static int
open_reader(hashset_state *state, key_reader_t *reader, PyObject *iterable,
            collect_mode_t mode)
{
    return key_reader_open(reader, iterable, hashset_table_of(state, iterable),
                           mode);
}

/* Asks a Python container about each key of `table` in turn: stops at
 * the first answer equal to `stop_on` (1 then), else goes to the end (0);
 * keys whose answer equals `keep` go into `kept` when it is not NULL.
 * -1 with an exception set on an error, RuntimeError if the table changed
 * meanwhile (other.__contains__ may run any Python code). */
static int
ask_container(hashset_state *state, const u64set_t *table, PyObject *other,
              int stop_on, int keep, u64set_t *kept)
{
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t version = u64set_version(table);
    uint64_t key;

    while (u64set_next(table, &cursor, &key)) {
        count_visits(state, 1);
        PyObject *value = PyLong_FromUnsignedLongLong(key);
        if (value == NULL) {
            return -1;
        }
        int found = PySequence_Contains(other, value);
        Py_DECREF(value);
        if (found < 0) {
            return -1;
        }
        if (u64set_version(table) != version) {
            return hashset_changed_during_iteration();
        }
        if (found == stop_on) {
            return 1;
        }
        if (kept != NULL && found == keep &&
            u64set_insert(kept, key) == U64SET_NOMEM) {
            PyErr_NoMemory();
            return -1;
        }
    }
    return 0;
}

/* Keys of `source` that are (keep == true) or are not in `probe` go into
 * `out`. */
static int
filter_table(hashset_state *state, const u64set_t *source,
             const u64set_t *probe, bool keep, u64set_t *out)
{
    count_visits(state, u64set_len(source));
    if (u64set_filter(out, source, probe, keep) != U64SET_OK) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* The values still to come that will likely be kept, at the rate `kept`
 * of `read` were: what a batch insert of the kept keys expects after
 * them (all of them would size the table for keys that are not kept). */
static size_t
at_rate(size_t kept, size_t read, size_t to_come)
{
    return read == 0 ? 0 : (size_t)((double)to_come * kept / read);
}

/* A whole input listing at least 1/LISTED_SHARE as many keys as a table
 * has is intersected with it or subtracted from it by marking the table's
 * slots that its keys find (u64set_filter_listed): a lookup of each key,
 * and a bitmap of the table's slots to clear and scan, where building a
 * table of the keys first cost two more hashes a key (a.difference(list)
 * of 1e3 keys took 1.8 times set's time).  Fewer keys are looked up one
 * by one, so that big.intersection([5]) costs one lookup. */
#define LISTED_SHARE 8

/* Copies to `kept` the n keys that are (keep) or are not in `probe`,
 * looked up a block at a time so that a large table's misses overlap:
 * how many.  Each key is read once (keys may be a shared buffer). */
#define SELECT_BLOCK_KEYS 256
static size_t
select_keys(const u64set_t *probe, const uint64_t *keys, size_t n, bool keep,
            uint64_t *kept)
{
    uint64_t block[SELECT_BLOCK_KEYS];
    bool found[SELECT_BLOCK_KEYS];
    size_t count = 0;

    for (size_t start = 0; start < n; start += SELECT_BLOCK_KEYS) {
        size_t m =
            n - start < SELECT_BLOCK_KEYS ? n - start : SELECT_BLOCK_KEYS;
        memcpy(block, keys + start, m * sizeof *block);
        u64set_contains_many(probe, block, m, found);
        for (size_t i = 0; i < m; i++) {
            kept[count] = block[i];
            count += found[i] == keep;
        }
    }
    return count;
}

/* The rest of filter_iterable, from a reader whose last read gave
 * `status`: the batch read, and every one after it. */
static int
filter_batches(key_reader_t *reader, int status, const u64set_t *probe,
               bool keep, u64set_t *out)
{
    key_buffer_t kept = KEY_BUFFER_INIT;

    for (; status > 0; status = key_reader_next(reader)) {
        if (key_buffer_window(&kept, reader->len) < 0) {
            status = -1;
            break;
        }
        for (size_t start = 0; start < reader->len; start += kept.capacity) {
            size_t end = reader->len - start < kept.capacity
                             ? reader->len
                             : start + kept.capacity;
            kept.len = select_keys(probe, reader->keys + start, end - start,
                                   keep, kept.keys);
            if (u64set_insert_batch(
                    out, kept.keys, kept.len,
                    at_rate(kept.len, end - start,
                            reader->remaining + (reader->len - end))) !=
                U64SET_OK) {
                PyErr_NoMemory();
                status = -1;
                break;
            }
        }
        if (status < 0) {
            break;
        }
    }
    /* Kept keys that came early and stopped coming left it roomy. */
    u64set_trim(out);
    key_buffer_free(&kept);
    return status;
}

/* Whether the batch just read is the whole input, listing enough keys to
 * be combined with `table` by u64set_filter_listed. */
static bool
whole_and_listing_enough(const key_reader_t *reader, const u64set_t *table)
{
    return key_reader_has_all(reader) &&
           reader->len >= u64set_len(table) / LISTED_SHARE;
}

/* Reads `iterable` as lookups: keys found (keep == true) or not found in
 * `probe` go into `out`, a batch at a time, so that out is sized from the
 * rate of kept keys rather than grown a key at a time.  Foreign values
 * are in no table. */
static int
filter_iterable(hashset_state *state, PyObject *iterable,
                const u64set_t *probe, bool keep, u64set_t *out)
{
    key_reader_t reader;
    uint64_t version = u64set_version(probe);

    if (open_reader(state, &reader, iterable, COLLECT_LOOKUPS) < 0) {
        return -1;
    }
    int status = key_reader_next(&reader);
    /* The probe's slots are marked only if Python code run by the read
     * (a generator, an __index__) left it as it was: else the keys are
     * looked up in it as it is now, as they always were. */
    if (keep && status > 0 && u64set_version(probe) == version &&
        whole_and_listing_enough(&reader, probe)) {
        /* The probe's keys that are listed: the same keys. */
        count_visits(state, u64set_len(probe));
        status = ok_or_no_memory(
            u64set_filter_listed(out, probe, reader.keys, reader.len, true));
    } else {
        status = filter_batches(&reader, status, probe, keep, out);
    }
    count_visits(state, reader.read);
    key_reader_close(&reader);
    return status;
}

/* Reads `iterable` as lookups until a value answers `stop_when_found`
 * about membership in `table` (a foreign value counts as not found):
 * 1 when one did, 0 when none did, -1 on an error. */
static int
scan_iterable(hashset_state *state, PyObject *iterable, const u64set_t *table,
              bool stop_when_found)
{
    key_reader_t reader;
    int status, stopped = 0;

    if (open_reader(state, &reader, iterable, COLLECT_LOOKUPS) < 0) {
        return -1;
    }
    /* An iterator is read value by value, so that the scan stops where
     * set's would, and leaves the iterator where set's leaves it. */
    reader.one_at_a_time = true;
    while (!stopped && (status = key_reader_next(&reader)) > 0) {
        stopped = !stop_when_found && reader.skipped > 0;
        /* A block looked up at once, so that a large table's misses
         * overlap (a.issuperset(list) of a million: 1.5 times set's). */
        for (size_t start = 0; !stopped && start < reader.len;
             start += SELECT_BLOCK_KEYS) {
            bool found[SELECT_BLOCK_KEYS];
            size_t m = reader.len - start < SELECT_BLOCK_KEYS
                           ? reader.len - start
                           : SELECT_BLOCK_KEYS;
            u64set_contains_many(table, reader.keys + start, m, found);
            for (size_t i = 0; !stopped && i < m; i++) {
                stopped = found[i] == stop_when_found;
            }
        }
    }
    count_visits(state, reader.read);
    key_reader_close(&reader);
    return stopped ? 1 : status;
}

/* }=================================================================== */

/* {===================================================================
 * Building: the union and the symmetric difference
 * =================================================================== */

/* Adds to `scratch` the keys of a batch that are not in `self` (NULL:
 * none is), a window at a time through `fresh`, since the batch itself
 * may be a caller's buffer that must not be written.  `more_inputs`
 * values follow the batch. */
static u64set_status_t
insert_new_keys(const u64set_t *self, const uint64_t *keys, size_t n,
                size_t more_inputs, u64set_t *scratch, key_buffer_t *fresh)
{
    if (self == NULL) {
        return u64set_insert_batch(scratch, keys, n, more_inputs);
    }
    for (size_t start = 0; start < n; start += fresh->capacity) {
        size_t end = n - start < fresh->capacity ? n : start + fresh->capacity;
        fresh->len =
            select_keys(self, keys + start, end - start, false, fresh->keys);
        if (u64set_insert_batch(
                scratch, fresh->keys, fresh->len,
                at_rate(fresh->len, end - start, more_inputs + (n - end))) !=
            U64SET_OK) {
            return U64SET_NOMEM;
        }
    }
    return U64SET_OK;
}

/* The rest of gather_new_elements, from a reader whose last read gave
 * `status`: the batch read, and every one after it. */
static int
gather_batches(key_reader_t *reader, int status, const u64set_t *self,
               u64set_t *scratch)
{
    key_buffer_t fresh = KEY_BUFFER_INIT;

    for (; status > 0; status = key_reader_next(reader)) {
        if (self != NULL && key_buffer_window(&fresh, reader->len) < 0) {
            status = -1;
            break;
        }
        if (insert_new_keys(self, reader->keys, reader->len, reader->remaining,
                            scratch, &fresh) != U64SET_OK) {
            PyErr_NoMemory();
            status = -1;
            break;
        }
        /* A table of millions by now: larger batches cost it little. */
        reader->big_batches = u64set_len(scratch) >= BIG_TABLE_KEYS;
    }
    key_buffer_free(&fresh);
    return status;
}

/* Adds the elements of `iterable` that are not in `self` (NULL: none
 * is) to `scratch`, a batch at a time, so that memory follows the
 * distinct new keys; the core sizes the table from the rate of new keys
 * and the values still to come.  When `whole_into` is not NULL and the
 * first batch holds every value, its keys go into `whole_into` instead:
 * every value is converted by then, and nothing can fail but the one
 * growth, so they go straight in. */
static int
gather_new_elements(hashset_state *state, const u64set_t *self,
                    PyObject *iterable, u64set_t *scratch,
                    u64set_t *whole_into)
{
    key_reader_t reader;

    if (open_reader(state, &reader, iterable, COLLECT_ELEMENTS) < 0) {
        return -1;
    }
    int status = key_reader_next(&reader);
    if (whole_into != NULL && status > 0 && key_reader_has_all(&reader)) {
        status = ok_or_no_memory(
            u64set_insert_all(whole_into, reader.keys, reader.len, NULL));
    } else {
        status = gather_batches(&reader, status, self, scratch);
    }
    count_visits(state, reader.read);
    key_reader_close(&reader);
    return status;
}

/* Reads `iterable` (not a HashSet) to join its keys to `self` (join), or
 * to toggle them in it.  Read whole and listing at least `min_whole`
 * values, its keys are combined with self's table at once, into `out`
 * (empty): 0.  Else its distinct keys (only those self lacks, to join)
 * are gathered in `scratch`: 1.  -1 on an error.  A copy of self, a table
 * of the listed keys, then the two combined, cost 2.3 times set's time
 * at 1e3 keys. */
static int
read_combined(hashset_state *state, const u64set_t *self, PyObject *iterable,
              bool join, size_t min_whole, u64set_t *out, u64set_t *scratch)
{
    key_reader_t reader;

    if (open_reader(state, &reader, iterable, COLLECT_ELEMENTS) < 0) {
        return -1;
    }
    int status = key_reader_next(&reader);
    if (status > 0 && key_reader_has_all(&reader) && reader.len >= min_whole) {
        count_visits(state, u64set_len(self));
        status = ok_or_no_memory(
            (join ? u64set_union_listed : u64set_symmetric_difference_listed)(
                out, self, reader.keys, reader.len));
    } else {
        status = gather_batches(&reader, status, join ? self : NULL, scratch);
        status = status < 0 ? -1 : 1;
    }
    count_visits(state, reader.read);
    key_reader_close(&reader);
    return status;
}

/* `out` (empty) receives the keys in either of `self` and `iterable` (not
 * a HashSet) (join), or in exactly one of them, a key listed twice
 * counting once. */
static int
combine_with_iterable(hashset_state *state, const u64set_t *self,
                      PyObject *iterable, bool join, u64set_t *out)
{
    u64set_t scratch;
    uint64_t version = u64set_version(self);

    hashset_scratch_init(state, &scratch);
    int status = read_combined(state, self, iterable, join, 0, out, &scratch);
    if (status >= 0 && u64set_version(self) != version) {
        /* Python code run by the read changed self, which is no longer
         * what the result should start from: as for iteration. */
        status = hashset_changed_during_iteration();
    } else if (status > 0 && u64set_len(self) == 0) {
        /* The gathered keys are the result, sized for the keys that came
         * early (a run of new keys, then repeats, left it roomy). */
        u64set_trim(&scratch);
        u64set_move(out, &scratch);
        status = 0;
    } else if (status > 0) {
        status = ok_or_no_memory(
            (join ? u64set_union : u64set_symmetric_difference)(out, self,
                                                                &scratch));
    }
    u64set_destroy(&scratch);
    return status;
}

/* self |= each of args, all or nothing: the new keys are gathered in a
 * scratch table, which becomes self's table when self was empty; one
 * argument read whole goes straight into self (u64set_insert_all), since
 * every value is converted before self changes. */
int
hashset_update_from(HashSetObject *self, hashset_state *state,
                    PyObject *const *args, Py_ssize_t nargs)
{
    u64set_t scratch;
    int status = 0;

    const u64set_t *other =
        nargs == 1 ? hashset_table_of(state, args[0]) : NULL;
    if (other != NULL) {
        count_visits(state, u64set_len(other));
        return ok_or_no_memory(u64set_update(&self->table, other));
    }
    hashset_scratch_init(state, &scratch);
    for (Py_ssize_t i = 0; i < nargs && status == 0; i++) {
        const u64set_t *filter =
            u64set_len(&self->table) > 0 ? &self->table : NULL;
        status = check_signals_before(i);
        if (status == 0) {
            status = gather_new_elements(state, filter, args[i], &scratch,
                                         nargs == 1 ? &self->table : NULL);
        }
    }
    if (status == 0 && u64set_len(&scratch) > 0) {
        if (u64set_len(&self->table) == 0) {
            u64set_trim(&scratch);
            u64set_move(&self->table, &scratch);
        } else if (u64set_update(&self->table, &scratch) != U64SET_OK) {
            PyErr_NoMemory();
            status = -1;
        }
    }
    u64set_destroy(&scratch);
    return status;
}

/* An in-place change touching at least 1/REBUILD_SHARE of a table's keys
 * builds the result in a new table instead: a key at a time, a ^= b of a
 * million keys cost twice set's, and a -= b of half of them 1.25 times. */
#define REBUILD_SHARE 4

typedef u64set_status_t (*table_combination_t)(u64set_t *out,
                                               const u64set_t *a,
                                               const u64set_t *b);

/* Makes `table` hold combine(a, b), built in a new table: 0, or -1 with
 * MemoryError and `table` unchanged. */
static int
replace_by(hashset_state *state, u64set_t *table, table_combination_t combine,
           const u64set_t *a, const u64set_t *b)
{
    u64set_t result;
    int status = 0;

    hashset_scratch_init(state, &result);
    if (combine(&result, a, b) != U64SET_OK) {
        PyErr_NoMemory();
        status = -1;
    } else {
        u64set_move(table, &result);
    }
    u64set_destroy(&result);
    return status;
}

/* The keys of a that are not in b. */
static u64set_status_t
table_difference(u64set_t *out, const u64set_t *a, const u64set_t *b)
{
    return u64set_filter(out, a, b, false);
}

/* self ^= iterable.  The other side's distinct keys are needed (a key
 * listed twice toggles once), then room is made for the keys to insert,
 * and only then is self changed, so nothing fails half-way. */
int
hashset_symmetric_difference_update_from(HashSetObject *self,
                                         hashset_state *state,
                                         PyObject *iterable)
{
    key_buffer_t present = KEY_BUFFER_INIT;
    u64set_t scratch;
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    uint64_t key;
    int status = -1;

    hashset_scratch_init(state, &scratch);
    const u64set_t *toggled = hashset_table_of(state, iterable);
    if (toggled == &self->table) {
        u64set_clear(&self->table);
        status = 0;
        goto done;
    }
    if (toggled == NULL) {
        u64set_t result;
        hashset_scratch_init(state, &result);
        int read = read_combined(state, &self->table, iterable, false,
                                 u64set_len(&self->table) / REBUILD_SHARE,
                                 &result, &scratch);
        if (read == 0) {
            /* At least one key was listed: every one toggles. */
            u64set_move(&self->table, &result);
        }
        u64set_destroy(&result);
        if (read <= 0) {
            status = read;
            goto done;
        }
        toggled = &scratch;
    }
    count_visits(state, u64set_len(toggled));
    if (u64set_len(toggled) > 0 &&
        u64set_len(toggled) >= u64set_len(&self->table) / REBUILD_SHARE) {
        status = replace_by(state, &self->table, u64set_symmetric_difference,
                            &self->table, toggled);
        goto done;
    }
    while (u64set_next(toggled, &cursor, &key)) {
        if (u64set_contains(&self->table, key) &&
            key_buffer_append(&present, key) < 0) {
            goto done;
        }
    }
    size_t inserted = u64set_len(toggled) - present.len;
    if (inserted > 0 &&
        u64set_reserve(&self->table, u64set_len(&self->table) + inserted) !=
            U64SET_OK) {
        PyErr_NoMemory();
        goto done;
    }
    /* Keys already present stay (insert reports them present) until the
     * removals below; the reserve above makes every insert succeed. */
    cursor = U64SET_CURSOR_START;
    while (u64set_next(toggled, &cursor, &key)) {
        (void)u64set_insert(&self->table, key);
    }
    for (size_t i = 0; i < present.len; i++) {
        (void)u64set_remove(&self->table, present.keys[i]);
    }
    status = 0;
done:
    u64set_destroy(&scratch);
    key_buffer_free(&present);
    return status;
}

/* }=================================================================== */

/* {===================================================================
 * Intersection and difference, into a new table
 * =================================================================== */

/* `out` (empty) receives the keys of `self` that are also in `other`. */
static int
intersect_into(hashset_state *state, const u64set_t *self, PyObject *other,
               u64set_t *out)
{
    const u64set_t *other_table = hashset_table_of(state, other);

    if (other_table != NULL) {
        bool self_smaller = u64set_len(self) <= u64set_len(other_table);
        return filter_table(state, self_smaller ? self : other_table,
                            self_smaller ? other_table : self, true, out);
    }
    size_t size;
    int known = container_size(state, other, &size);
    if (known < 0) {
        return -1;
    }
    if (known && size >= u64set_len(self)) {
        return ask_container(state, self, other, -1, 1, out) < 0 ? -1 : 0;
    }
    return filter_iterable(state, other, self, true, out);
}

/* `out` (empty) receives the keys of `self` that are not in `other`. */
static int
subtract_into(hashset_state *state, const u64set_t *self, PyObject *other,
              u64set_t *out)
{
    const u64set_t *other_table = hashset_table_of(state, other);

    if (other_table != NULL) {
        return filter_table(state, self, other_table, false, out);
    }
    size_t size;
    int known = container_size(state, other, &size);
    if (known < 0) {
        return -1;
    }
    if (known && size >= u64set_len(self)) {
        return ask_container(state, self, other, -1, 0, out) < 0 ? -1 : 0;
    }
    /* Read other first: when it comes whole, and self stayed as it was
     * meanwhile, the result is self's keys that it does not list, placed
     * once (a copy of self, then each removal, cost 1.8 times set's time
     * at 1e3 keys).  Else other is walked, removing from a copy of self. */
    key_reader_t reader;
    uint64_t version = u64set_version(self);
    count_visits(state, u64set_len(self));
    if (open_reader(state, &reader, other, COLLECT_LOOKUPS) < 0) {
        return -1;
    }
    int status = key_reader_next(&reader);
    if (status > 0 && u64set_version(self) == version &&
        whole_and_listing_enough(&reader, self)) {
        status = ok_or_no_memory(
            u64set_filter_listed(out, self, reader.keys, reader.len, false));
    } else if (status >= 0 && u64set_copy(out, self) != U64SET_OK) {
        PyErr_NoMemory();
        status = -1;
    }
    for (; status > 0; status = key_reader_next(&reader)) {
        for (size_t i = 0; i < reader.len; i++) {
            (void)u64set_remove(out, reader.keys[i]);
        }
    }
    count_visits(state, reader.read);
    key_reader_close(&reader);
    return status;
}

typedef int (*table_operation_t)(hashset_state *state, const u64set_t *self,
                                 PyObject *other, u64set_t *out);

/* Removes the keys of `other`, a HashSet's table much smaller than
 * `result`, from result in place: 1, or 0 when other is no such table. */
static int
subtract_small_table(hashset_state *state, u64set_t *result, PyObject *other)
{
    const u64set_t *table = hashset_table_of(state, other);
    if (table == NULL ||
        u64set_len(table) > u64set_len(result) / REBUILD_SHARE) {
        return 0;
    }
    count_visits(state, u64set_len(table));
    remove_keys_of(result, table);
    return 1;
}

/* self OP others[0] OP others[1] ...: each step into a new table, which
 * `result` (empty) holds at the end; a difference with a much smaller
 * HashSet removes its keys from the result in place (a new table for
 * each step made a.difference(b, c) of 1e3 keys cost 1.5 times set's).
 * With `self_must_stay`, Python code run by reading others[0] (a
 * generator, an __index__) that changed self makes it a RuntimeError, as
 * for iteration: self is no longer what the result should start from. */
static int
chain_into(hashset_state *state, const u64set_t *self, PyObject *const *args,
           Py_ssize_t nargs, table_operation_t operation, u64set_t *result,
           bool self_must_stay)
{
    u64set_t step;
    uint64_t version = u64set_version(self);

    if (nargs == 0) {
        count_visits(state, u64set_len(self));
        return ok_or_no_memory(u64set_copy(result, self));
    }
    if (operation(state, self, args[0], result) < 0) {
        return -1;
    }
    /* Only the first step reads self; later ones read the result. */
    if (self_must_stay && u64set_version(self) != version) {
        return hashset_changed_during_iteration();
    }
    for (Py_ssize_t i = 1; i < nargs; i++) {
        if (check_signals_before(i) < 0) {
            return -1;
        }
        if (operation == subtract_into &&
            subtract_small_table(state, result, args[i])) {
            continue;
        }
        hashset_scratch_init(state, &step);
        if (operation(state, result, args[i], &step) < 0) {
            u64set_destroy(&step);
            return -1;
        }
        u64set_move(result, &step);
        u64set_destroy(&step);
    }
    return 0;
}

/* A new HashSet of `self OP others...`. */
static PyObject *
new_set_of(hashset_state *state, const u64set_t *self, PyObject *const *args,
           Py_ssize_t nargs, table_operation_t operation)
{
    HashSetObject *result = hashset_alloc(state->hashset_type, state);
    if (result != NULL && chain_into(state, self, args, nargs, operation,
                                     &result->table, true) < 0) {
        Py_CLEAR(result);
    }
    return (PyObject *)result;
}

/* self | args, or self ^ other: from both tables at once when the one
 * argument is a HashSet (a copy of self, grown for the other's keys,
 * placed self's keys twice: a ^ b of a million keys cost 2.7 times
 * set's), from self's table and the argument's keys when there is one
 * argument of another kind, else a copy of self updated with each. */
static PyObject *
combined_set_of(HashSetObject *self, hashset_state *state,
                PyObject *const *args, Py_ssize_t nargs, bool symmetric)
{
    const u64set_t *other =
        nargs == 1 ? hashset_table_of(state, args[0]) : NULL;
    HashSetObject *result;
    int status;

    if (other != NULL) {
        result = hashset_alloc(state->hashset_type, state);
        count_visits(state, u64set_len(&self->table) + u64set_len(other));
        if (result != NULL &&
            (symmetric ? u64set_symmetric_difference(&result->table,
                                                     &self->table, other)
                       : u64set_union(&result->table, &self->table, other)) !=
                U64SET_OK) {
            Py_CLEAR(result);
            PyErr_NoMemory();
        }
        return (PyObject *)result;
    }
    if (symmetric || nargs == 1) {
        result = hashset_alloc(state->hashset_type, state);
        if (result != NULL &&
            combine_with_iterable(state, &self->table, args[0], !symmetric,
                                  &result->table) < 0) {
            Py_CLEAR(result);
        }
        return (PyObject *)result;
    }
    /* A copy of self with room for the keys of the largest other set as
     * well, as set's union makes room for a set's (a copy sized for self
     * alone grew again at once: a.union(b, c) of 1e3 keys took 2.6 times
     * set's time).  The largest, not all of them: h.union(*[h] * 1000)
     * would have reserved a thousand times h; this is at most twice the
     * result.  Only sizes read without running Python code count, and
     * only sets' (a list's length counts its repeats too). */
    size_t largest = 0;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        const u64set_t *table = hashset_table_of(state, args[i]);
        size_t size = table != NULL ? u64set_len(table)
                      : PyAnySet_Check(args[i])
                          ? (size_t)PySet_GET_SIZE(args[i])
                          : 0;
        largest = size > largest ? size : largest;
    }
    size_t room = u64set_len(&self->table) + largest;
    result = hashset_alloc(state->hashset_type, state);
    count_visits(state, u64set_len(&self->table));
    if (result != NULL &&
        ((room > 0 && u64set_reserve(&result->table, room) != U64SET_OK) ||
         u64set_update(&result->table, &self->table) != U64SET_OK)) {
        Py_CLEAR(result);
        PyErr_NoMemory();
    }
    /* The result is nobody's yet: each argument may go in on its own, a
     * HashSet's table at once.  Gathering the new keys of all of them in
     * a scratch table first, all or nothing as self |= needs, made
     * a.union(b, c) of 1e3 keys cost 1.7 times set's time. */
    status = result == NULL ? -1 : 0;
    for (Py_ssize_t i = 0; i < nargs && status == 0; i++) {
        const u64set_t *table = hashset_table_of(state, args[i]);
        if (table != NULL) {
            count_visits(state, u64set_len(table));
        }
        status = check_signals_before(i) < 0 ? -1
                 : table == NULL
                     ? hashset_update_from(result, state, &args[i], 1)
                     : ok_or_no_memory(u64set_update(&result->table, table));
    }
    if (status < 0) {
        Py_CLEAR(result);
    } else {
        /* Keys the other sets share with self left it roomier. */
        u64set_trim(&result->table);
    }
    return (PyObject *)result;
}

PyObject *
hashset_union_of(HashSetObject *self, hashset_state *state,
                 PyObject *const *args, Py_ssize_t nargs)
{
    return combined_set_of(self, state, args, nargs, false);
}

PyObject *
hashset_symmetric_difference_of(HashSetObject *self, hashset_state *state,
                                PyObject *const *args, Py_ssize_t nargs)
{
    return combined_set_of(self, state, args, nargs, true);
}

PyObject *
hashset_intersection_of(HashSetObject *self, hashset_state *state,
                        PyObject *const *args, Py_ssize_t nargs)
{
    return new_set_of(state, &self->table, args, nargs, intersect_into);
}

PyObject *
hashset_difference_of(HashSetObject *self, hashset_state *state,
                      PyObject *const *args, Py_ssize_t nargs)
{
    return new_set_of(state, &self->table, args, nargs, subtract_into);
}

/* self &= each of args: the intersection is made apart, and replaces
 * self's keys only if it differs (it is a subset: an equal size means
 * nothing changed, and then live iterators go on). */
int
hashset_intersection_update_from(HashSetObject *self, hashset_state *state,
                                 PyObject *const *args, Py_ssize_t nargs)
{
    u64set_t result;
    uint64_t version = u64set_version(&self->table);
    hashset_scratch_init(state, &result);
    int status = chain_into(state, &self->table, args, nargs, intersect_into,
                            &result, false);
    /* An equal size means nothing changed only if self did not change
     * meanwhile (a generator among the arguments may change it): then
     * the result is not a subset of self, and replaces it whatever its
     * size, as set.intersection_update's does. */
    if (status == 0 && (u64set_len(&result) != u64set_len(&self->table) ||
                        u64set_version(&self->table) != version)) {
        u64set_move(&self->table, &result);
    }
    u64set_destroy(&result);
    return status;
}

/* Removes from self the keys of `doomed`, all of them self's keys when
 * self's version is still `version`. */
static int
remove_doomed(HashSetObject *self, hashset_state *state,
              const u64set_t *doomed, uint64_t version)
{
    /* All of self is doomed only if self did not change meanwhile. */
    if (u64set_len(doomed) > 0 &&
        u64set_len(doomed) == u64set_len(&self->table) &&
        u64set_version(&self->table) == version) {
        u64set_clear(&self->table);
    } else if (u64set_len(doomed) > 0 &&
               u64set_len(doomed) >=
                   u64set_len(&self->table) / REBUILD_SHARE) {
        return replace_by(state, &self->table, table_difference, &self->table,
                          doomed);
    } else {
        remove_keys_of(&self->table, doomed);
    }
    return 0;
}

/* Removes from self the n keys listed, the whole input: many at once by
 * keeping the others in a new table, which needs no table of the doomed
 * keys (and no new table when none of them is in self); few one by one.
 * Never fails: removing needs no memory. */
static void
discard_listed(HashSetObject *self, hashset_state *state, const uint64_t *keys,
               size_t n)
{
    if (n > 0 && n >= u64set_len(&self->table) / REBUILD_SHARE) {
        count_visits(state, u64set_len(&self->table));
        u64set_remove_listed(&self->table, keys, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        (void)u64set_remove(&self->table, keys[i]);
    }
}

/* self -= iterable, one whose membership test is not O(1): read whole, its
 * keys are discarded at once; else its keys in self are gathered first, so
 * that an error half-way changes nothing. */
static int
discard_iterable(HashSetObject *self, hashset_state *state, PyObject *iterable)
{
    key_reader_t reader;
    uint64_t version = u64set_version(&self->table);

    if (open_reader(state, &reader, iterable, COLLECT_LOOKUPS) < 0) {
        return -1;
    }
    int status = key_reader_next(&reader);
    if (status > 0 && key_reader_has_all(&reader)) {
        discard_listed(self, state, reader.keys, reader.len);
        status = 0;
    } else if (status >= 0) {
        u64set_t doomed;
        hashset_scratch_init(state, &doomed);
        status = filter_batches(&reader, status, &self->table, true, &doomed);
        if (status == 0) {
            status = remove_doomed(self, state, &doomed, version);
        }
        u64set_destroy(&doomed);
    }
    count_visits(state, reader.read);
    key_reader_close(&reader);
    return status;
}

/* self -= each of args: the keys to remove (only keys of self, so memory
 * follows what is removed) are listed first, then removed. */
int
hashset_difference_update_from(HashSetObject *self, hashset_state *state,
                               PyObject *const *args, Py_ssize_t nargs)
{
    u64set_t doomed;
    uint64_t version = u64set_version(&self->table);
    int status = 0;

    const u64set_t *other =
        nargs == 1 ? hashset_table_of(state, args[0]) : NULL;
    if (other != NULL && other != &self->table &&
        u64set_len(other) >= u64set_len(&self->table) / REBUILD_SHARE) {
        /* Many keys may go: self's keys not in other, in a new table
         * (listing the doomed ones first walked self twice).  Unless none
         * goes: set's -= then needs no memory, and neither does this (a
         * walk of the smaller side up to the first common key). */
        bool self_smaller = u64set_len(&self->table) <= u64set_len(other);
        if (!walk_tables_until(state, self_smaller ? &self->table : other,
                               self_smaller ? other : &self->table, true)) {
            return 0;
        }
        u64set_t kept;
        count_visits(state, u64set_len(&self->table));
        hashset_scratch_init(state, &kept);
        if (u64set_filter(&kept, &self->table, other, false) != U64SET_OK) {
            PyErr_NoMemory();
            status = -1;
        } else if (u64set_len(&kept) != u64set_len(&self->table)) {
            u64set_move(&self->table, &kept);
        }
        u64set_destroy(&kept);
        return status;
    }
    if (other == NULL && nargs == 1) {
        size_t size;
        int known = container_size(state, args[0], &size);
        if (known < 0) {
            return -1;
        }
        if (!known) {
            return discard_iterable(self, state, args[0]);
        }
    }
    hashset_scratch_init(state, &doomed);
    for (Py_ssize_t i = 0; i < nargs && status == 0; i++) {
        status = check_signals_before(i);
        if (status == 0) {
            status = intersect_into(state, &self->table, args[i], &doomed);
        }
    }
    if (status == 0) {
        status = remove_doomed(self, state, &doomed, version);
    }
    u64set_destroy(&doomed);
    return status;
}

/* }=================================================================== */

/* {===================================================================
 * Inclusion
 * =================================================================== */

/* Whether every key of self is in `other`, any iterable.  A container
 * with O(1) membership is asked key by key; anything else is read into a
 * table first, as set.issubset does. */
int
hashset_issubset_of(HashSetObject *self, hashset_state *state, PyObject *other)
{
    const u64set_t *other_table = hashset_table_of(state, other);
    u64set_t scratch;
    int result;

    if (other_table != NULL) {
        return table_is_subset(state, &self->table, other_table);
    }
    size_t size;
    int known = container_size(state, other, &size);
    if (known < 0) {
        return -1;
    }
    if (known) {
        if (u64set_len(&self->table) > size) {
            return 0;
        }
        result = ask_container(state, &self->table, other, 0, -1, NULL);
        return result < 0 ? -1 : !result;
    }
    hashset_scratch_init(state, &scratch);
    result = filter_iterable(state, other, &self->table, true, &scratch);
    if (result == 0) {
        result = u64set_len(&scratch) == u64set_len(&self->table);
    }
    u64set_destroy(&scratch);
    return result;
}

/* Whether every value of `other`, any iterable, is a member of self. */
int
hashset_issuperset_of(HashSetObject *self, hashset_state *state,
                      PyObject *other)
{
    const u64set_t *other_table = hashset_table_of(state, other);

    if (other_table != NULL) {
        return table_is_subset(state, other_table, &self->table);
    }
    size_t size;
    int known = container_size(state, other, &size);
    if (known < 0) {
        return -1;
    }
    if (known && size > u64set_len(&self->table)) {
        return 0;
    }
    int missing = scan_iterable(state, other, &self->table, false);
    return missing < 0 ? -1 : !missing;
}

/* Whether no value of `other` is a member of self: the smaller side is
 * walked when both sizes are known. */
int
hashset_isdisjoint_from(HashSetObject *self, hashset_state *state,
                        PyObject *other)
{
    const u64set_t *other_table = hashset_table_of(state, other);
    int common;

    if (other_table != NULL) {
        bool self_smaller =
            u64set_len(&self->table) <= u64set_len(other_table);
        return !walk_tables_until(
            state, self_smaller ? &self->table : other_table,
            self_smaller ? other_table : &self->table, true);
    }
    size_t size;
    int known = container_size(state, other, &size);
    if (known < 0) {
        return -1;
    }
    if (known && size > u64set_len(&self->table)) {
        common = ask_container(state, &self->table, other, 1, -1, NULL);
        return common < 0 ? -1 : !common;
    }
    common = scan_iterable(state, other, &self->table, true);
    return common < 0 ? -1 : !common;
}

/* }=================================================================== */

/* {===================================================================
 * Operators and comparisons, with any collections.abc.Set
 * =================================================================== */

/* The operators accept any Set, as collections.abc.Set's own do. */
static int
is_set_like(hashset_state *state, PyObject *object)
{
    if (hashset_table_of(state, object) != NULL || PyAnySet_Check(object)) {
        return 1;
    }
    return PyObject_IsInstance(object, state->abc_set);
}

typedef enum { OP_OR, OP_AND, OP_XOR, OP_SUB } set_operator_t;

/* The HashSet that `left OP right` or `left OP= right` produces from the
 * HashSet `self` and the other operand. */
static PyObject *
apply_operator(HashSetObject *self, hashset_state *state, PyObject *other,
               set_operator_t op, bool in_place)
{
    int status;

    switch (op) {
    case OP_AND:
        if (!in_place) {
            return hashset_intersection_of(self, state, &other, 1);
        }
        status = hashset_intersection_update_from(self, state, &other, 1);
        break;
    case OP_SUB:
        if (!in_place) {
            return hashset_difference_of(self, state, &other, 1);
        }
        status = hashset_difference_update_from(self, state, &other, 1);
        break;
    case OP_OR:
        if (!in_place) {
            return hashset_union_of(self, state, &other, 1);
        }
        status = hashset_update_from(self, state, &other, 1);
        break;
    default:
        if (!in_place) {
            return hashset_symmetric_difference_of(self, state, &other, 1);
        }
        status = hashset_symmetric_difference_update_from(self, state, other);
        break;
    }
    return status < 0 ? NULL : Py_NewRef(self);
}

/* left OP right, where either may be the HashSet: NotImplemented unless
 * both are Sets.  OR, AND and XOR are symmetric; `set - HashSet` builds
 * a HashSet from the left operand first. */
static PyObject *
hashset_binary(PyObject *left, PyObject *right, set_operator_t op)
{
    hashset_state *state = hashset_state_of_operands(left, right);
    int left_ok, right_ok;

    if (state == NULL) {
        return NULL;
    }
    if ((left_ok = is_set_like(state, left)) < 0 ||
        (right_ok = is_set_like(state, right)) < 0) {
        return NULL;
    }
    if (!left_ok || !right_ok) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (hashset_table_of(state, left) != NULL) {
        return apply_operator((HashSetObject *)left, state, right, op, false);
    }
    if (op != OP_SUB) {
        return apply_operator((HashSetObject *)right, state, left, op, false);
    }
    HashSetObject *result = hashset_alloc(state->hashset_type, state);
    if (result != NULL &&
        (hashset_update_from(result, state, &left, 1) < 0 ||
         hashset_difference_update_from(result, state, &right, 1) < 0)) {
        Py_CLEAR(result);
    }
    return (PyObject *)result;
}

/* self OP= other: NotImplemented for anything but a Set, as for set. */
static PyObject *
hashset_inplace(PyObject *self, PyObject *other, set_operator_t op)
{
    hashset_state *state = hashset_state_of_operands(self, other);
    if (state == NULL) {
        return NULL;
    }
    if (hashset_table_of(state, self) == NULL) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    int other_ok = is_set_like(state, other);
    if (other_ok <= 0) {
        return other_ok < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    }
    return apply_operator((HashSetObject *)self, state, other, op, true);
}

PyObject *
hashset_or(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, OP_OR);
}

PyObject *
hashset_and(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, OP_AND);
}

PyObject *
hashset_xor(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, OP_XOR);
}

PyObject *
hashset_subtract(PyObject *left, PyObject *right)
{
    return hashset_binary(left, right, OP_SUB);
}

PyObject *
hashset_inplace_or(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, OP_OR);
}

PyObject *
hashset_inplace_and(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, OP_AND);
}

PyObject *
hashset_inplace_xor(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, OP_XOR);
}

PyObject *
hashset_inplace_subtract(PyObject *self, PyObject *other)
{
    return hashset_inplace(self, other, OP_SUB);
}

/* Whether every key of self is in the Set `other`. */
static int
is_subset_of_set(HashSetObject *self, hashset_state *state, PyObject *other)
{
    const u64set_t *other_table = hashset_table_of(state, other);
    if (other_table != NULL) {
        return table_is_subset(state, &self->table, other_table);
    }
    int missing = ask_container(state, &self->table, other, 0, -1, NULL);
    return missing < 0 ? -1 : !missing;
}

/* ==, !=, <, <=, >, >= against any Set, by inclusion as for set; anything
 * else gets NotImplemented (so HashSet([1]) == [1] is False).  Sizes
 * decide first, as for set. */
PyObject *
hashset_richcompare(PyObject *op, PyObject *other, int comparison)
{
    HashSetObject *self = (HashSetObject *)op;
    hashset_state *state = hashset_state_of(op);
    int result;

    int other_ok = is_set_like(state, other);
    if (other_ok <= 0) {
        return other_ok < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    }
    Py_ssize_t other_len = set_size(state, other);
    if (other_len < 0) {
        return NULL;
    }
    size_t mine = u64set_len(&self->table), theirs = (size_t)other_len;

    switch (comparison) {
    case Py_EQ:
    case Py_NE:
    case Py_LE:
    case Py_LT:
        if (comparison == Py_LT   ? mine >= theirs
            : comparison == Py_LE ? mine > theirs
                                  : mine != theirs) {
            result = 0;
        } else {
            result = is_subset_of_set(self, state, other);
        }
        if (comparison == Py_NE && result >= 0) {
            result = !result;
        }
        break;
    default: /* Py_GE, Py_GT */
        if (comparison == Py_GT ? mine <= theirs : mine < theirs) {
            result = 0;
        } else {
            result = hashset_issuperset_of(self, state, other);
        }
    }
    return result < 0 ? NULL : PyBool_FromLong(result);
}

/* }=================================================================== */
