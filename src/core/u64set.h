/* u64set: a hash set of uint64_t keys, plain C with no Python in it.
 *
 * The table behind hashset.HashSet.  Every one of the 2**64 values can be
 * stored.  Iteration is a cursor over the live table (no copy), and a
 * version counter lets an iterator detect any structural change between
 * two of its steps.  Operations that allocate either succeed or return
 * U64SET_NOMEM and leave the set exactly as it was. */
#ifndef PYHOST_U64SET_H
#define PYHOST_U64SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a set gets and returns its memory.  Tests inject failing
 * allocators; the Python module passes PyMem_Raw* style functions.
 * `context` is handed back on every call. */
typedef struct u64set_allocator {
    void *(*allocate)(void *context, size_t size);
    void (*release)(void *context, void *block, size_t size);
    void *context;
    /* Zeroed memory (calloc): optional, NULL means allocate then clear.
     * Fresh pages from the kernel are zero already, so a large table
     * costs no clearing pass. */
    void *(*allocate_zeroed)(void *context, size_t size);
} u64set_allocator_t;

/* Results of the operations that can fail or that report what they did. */
typedef enum u64set_status {
    U64SET_OK = 0,      /* done; for insert: the key was added */
    U64SET_PRESENT = 1, /* insert: the key was already there (no change) */
    U64SET_ABSENT = 2,  /* remove/pop: no such key (no change) */
    U64SET_NOMEM = -1,  /* allocation failed; the set is unchanged */
} u64set_status_t;

/* How well the keys are spread, computed by walking the table: what a
 * lookup of each stored key costs, in slots examined.  Tests compare it
 * with a fresh table of the same keys instead of timing anything. */
typedef struct u64set_probe_stats {
    uint64_t keys;    /* keys in the table proper (the key 0 is outside) */
    uint64_t probes;  /* slots a lookup of each of them examines, summed */
    uint64_t longest; /* the most slots any one of those lookups examines */
} u64set_probe_stats_t;

/* The fields are private to u64set.c; they are in the header only so that
 * a set can live inside another object without a second allocation. */
typedef struct u64set {
    uint64_t *slots;  /* capacity keys; a free slot holds 0 */
    size_t capacity;  /* 0, a power of two from 32 to 32768, or 131072, ... */
    size_t count;     /* keys stored, the key 0 included */
    bool has_zero;    /* whether the key 0 (kept outside slots) is in */
    uint64_t secret;  /* what every seed of this set is drawn with */
    uint64_t seed;    /* keys the hash of the current table */
    uint64_t version; /* bumped on every structural change */
    size_t pop_hint;  /* the slot of the key picked to pop, if any */
    uint64_t pop_version; /* the version when pop_hint was set */
    u64set_allocator_t allocator;
} u64set_t;

/* The count of keys.  Inline, the one field read outside u64set.c: the
 * module asks for it on every comparison and operator. */
static inline size_t
u64set_len(const u64set_t *set)
{
    return set->count;
}

/* Where an iteration stands: start from U64SET_CURSOR_START. */
typedef size_t u64set_cursor_t;
#define U64SET_CURSOR_START ((u64set_cursor_t)0)

/* An empty set that allocates nothing until its first insert.  Every
 * table the set ever allocates (the first, each rebuild, a copy's) is
 * hashed with a seed of its own, drawn from `secret` and a process-wide
 * count of tables, so that no two tables hash alike and the same secret
 * gives the same sequence of seeds (the module passes the interpreter's
 * hash secret).  `allocator` may be NULL for malloc/free. */
void u64set_init(u64set_t *set, uint64_t secret,
                 const u64set_allocator_t *allocator);
/* Frees the table; the set is then empty and may be used again. */
void u64set_destroy(u64set_t *set);

bool u64set_contains(const u64set_t *set, uint64_t key);
/* U64SET_OK (added), U64SET_PRESENT (no change) or U64SET_NOMEM. */
u64set_status_t u64set_insert(u64set_t *set, uint64_t key);
/* U64SET_OK (removed) or U64SET_ABSENT.  May shrink the table; never
 * fails (a shrink that cannot allocate keeps the larger table). */
u64set_status_t u64set_remove(u64set_t *set, uint64_t key);
/* Removes some key and stores it in *key: U64SET_OK or U64SET_ABSENT
 * (empty).  Amortised O(1) over repeated pops. */
u64set_status_t u64set_pop(u64set_t *set, uint64_t *key);
/* The key u64set_pop would remove next, without removing it: true, or
 * false when the set is empty.  For callers that must prepare something
 * that can fail (a Python int) before the key is gone. */
bool u64set_pick(u64set_t *set, uint64_t *key);
/* Removes the key the last u64set_pick gave, which must be the last call
 * on the set: u64set_pop without a second pick. */
void u64set_remove_picked(u64set_t *set, uint64_t key);
/* Removes every key and frees the table. */
void u64set_clear(u64set_t *set);

/* Makes room for `count` keys in all without further growth: U64SET_OK
 * or U64SET_NOMEM (unchanged). */
u64set_status_t u64set_reserve(u64set_t *set, size_t count);
/* Inserts `n` keys, all or nothing: on U64SET_NOMEM none was added.
 * *added, when not NULL, receives how many were new.  Memory beyond the
 * grown table: a scratch table of the new keys. */
u64set_status_t u64set_insert_many(u64set_t *set, const uint64_t *keys,
                                   size_t n, size_t *added);
/* u64set_insert_many for keys that do not change during the call: unless
 * the table has room for all of them already, or is empty, each is read
 * twice, looked up to count the absent ones, then inserted.  The table grows
 * at most once, for the keys found absent, and is rebuilt to the size growth
 * gives if repeats among them made it larger: no scratch set, two hashes
 * a key (a scratch set of the new keys cost four). */
u64set_status_t u64set_insert_all(u64set_t *set, const uint64_t *keys,
                                  size_t n, size_t *added);
/* Inserts keys into a set being built (a scratch set), growing it as
 * needed; on U64SET_NOMEM the set holds some of these keys and possibly
 * not all of its own, and is only fit to be destroyed.  `more_inputs`
 * is how many keys the caller will insert after these (0 if unknown):
 * the table is sized for all that are likely new in one step, at the rate
 * of new keys a sample of these showed, or, for a million keys or more
 * with none to come, for the distinct keys a sketch counted.  Built with
 * U64SET_THREADS, it may place keys with a second thread, which it joins
 * before it returns and which calls nothing but the core. */
u64set_status_t u64set_insert_batch(u64set_t *set, const uint64_t *keys,
                                    size_t n, size_t more_inputs);
/* Inserts every key of `source` into `target`, all or nothing:
 * U64SET_OK, or U64SET_NOMEM with target unchanged.  `source` is not
 * changed; it may be target itself. */
u64set_status_t u64set_update(u64set_t *target, const u64set_t *source);
/* Adds to `out` (neither of the others) the keys of `source` that are
 * in `probe` (keep) or that are not (!keep): intersection and
 * difference.  Out grows once, for all those keys.  U64SET_OK, or
 * U64SET_NOMEM with out unchanged.  Memory beyond the result: a bit for
 * each slot of source. */
u64set_status_t u64set_filter(u64set_t *out, const u64set_t *source,
                              const u64set_t *probe, bool keep);
/* Adds to `out` (not source) the keys of `source` that are among
 * keys[0..n) (keep) or that are not (!keep), as u64set_filter: a lookup
 * of each listed key in source and a walk of source's slots, with no
 * table of the listed keys.  Each key is read once. */
u64set_status_t u64set_filter_listed(u64set_t *out, const u64set_t *source,
                                     const uint64_t *keys, size_t n,
                                     bool keep);
/* Puts into `out`, an empty set (not source), the keys that are either in
 * `source` or among keys[0..n), not both (the symmetric difference), or
 * in either (the union), each listed key counted once however often
 * listed.  The keys are read twice (the lookups, then the inserts of those
 * the source lacks; for a union that fits a small table, a count of them,
 * then the inserts into a copy of the source, fitted after): they must
 * not change during the call. */
u64set_status_t u64set_symmetric_difference_listed(u64set_t *out,
                                                   const u64set_t *source,
                                                   const uint64_t *keys,
                                                   size_t n);
u64set_status_t u64set_union_listed(u64set_t *out, const u64set_t *source,
                                    const uint64_t *keys, size_t n);
/* Removes from `set` the keys among keys[0..n), keeping the others in a
 * table of their own (as u64set_filter_listed), which replaces set's only
 * if a key was removed: then live iterators of set stop, else they go on
 * and nothing is allocated but a bitmap of set's slots.  Never fails:
 * when memory runs out the keys are removed one by one instead (read
 * again, so they must not change during the call). */
void u64set_remove_listed(u64set_t *set, const uint64_t *keys, size_t n);
/* Puts into `out`, an empty set, the keys in exactly one of a and b (the
 * symmetric difference), or in either (the union), as u64set_filter. */
u64set_status_t u64set_symmetric_difference(u64set_t *out, const u64set_t *a,
                                            const u64set_t *b);
u64set_status_t u64set_union(u64set_t *out, const u64set_t *a,
                             const u64set_t *b);
/* Makes `target` (initialised, any contents) hold exactly `source`'s
 * keys, in a table of its own seed: U64SET_OK or U64SET_NOMEM (target
 * unchanged). */
u64set_status_t u64set_copy(u64set_t *target, const u64set_t *source);
/* Rebuilds a table left roomier than growth would have made it (a bulk
 * insert expected keys that did not come) to the size growth gives; if
 * that cannot allocate, the table stays as it is.  Never fails. */
void u64set_trim(u64set_t *set);

/* Replaces target's keys by source's, taking source's table without
 * copying it; source is left empty.  Both versions move past every value
 * either had, so iterators of either set see the change.  Never fails.
 * The table travels with the allocator that made it: target releases its
 * own table with its own allocator, then takes source's. */
void u64set_move(u64set_t *target, u64set_t *source);

/* Iteration: returns true and stores the next key in *key, or false at
 * the end.  Each key present for the whole walk is produced exactly once,
 * provided the version is unchanged between steps; the caller checks
 * u64set_version and stops when it moved. */
bool u64set_next(const u64set_t *set, u64set_cursor_t *cursor, uint64_t *key);
/* Up to `max` keys at once, as that many calls of u64set_next would give
 * them: the number written to `keys` (0 at the end). */
size_t u64set_next_many(const u64set_t *set, u64set_cursor_t *cursor,
                        uint64_t *keys, size_t max);
/* Writes every key to `keys` (room for u64set_len keys), in the order
 * u64set_next gives them. */
void u64set_export(const u64set_t *set, uint64_t *keys);
/* Stores in found[i] whether keys[i] is in the set, for i < n.  The home
 * slots of later keys are fetched while earlier ones are looked up, so
 * that a table larger than the caches waits for several misses at once. */
void u64set_contains_many(const u64set_t *set, const uint64_t *keys, size_t n,
                          bool *found);
/* Whether some key of `walked` is in `probed` (`present`), or is not
 * (!present), walking `walked` in the order of u64set_next and stopping
 * at the first such key: *visited is the count of keys walked. */
bool u64set_any_key(const u64set_t *walked, const u64set_t *probed,
                    bool present, size_t *visited);
/* Changes whenever a key is added or removed, or the table is rebuilt. */
uint64_t u64set_version(const u64set_t *set);

/* Bytes the set holds beyond the u64set_t itself. */
size_t u64set_memory_usage(const u64set_t *set);
/* The spread of the keys now in the table (a walk over it: O(capacity)). */
void u64set_probe_stats(const u64set_t *set, u64set_probe_stats_t *stats);

#endif
