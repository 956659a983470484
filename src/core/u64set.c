/* u64set: the hash table behind hashset.HashSet, a set of uint64_t keys.
 * Plain C with no Python in it, so that CMocka tests it directly.
 *
 * Design.  Open addressing with linear probing over a flat array of keys:
 * a lookup hashes the key to a home slot and scans forward until it finds
 * the key or a free slot.  Linear probing reads adjacent memory, so a probe
 * sequence of several slots usually costs one or two cache lines, and the
 * table needs nothing but the keys: 8 bytes a slot.
 *
 * Free slots.  A free slot holds the key 0; the key 0 itself, when it is a
 * member, lives outside the table in a flag (`has_zero`), so every one of
 * the 2**64 values can be stored and a new table is just zeroed memory.
 *
 * Hashing.  A key is xor'd with the set's seed and passed through the
 * splitmix64 finaliser, a bijection of 64-bit words whose every output bit
 * depends on every input bit: keys that differ only in their high bits,
 * multiples of 2**32 or arithmetic progressions spread like random keys,
 * and without the seed nobody can pick keys that collide.  The home slot
 * is the high part of hash * capacity ("fastrange"), which works for any
 * capacity, not only powers of two.
 *
 * Every rebuild of the table (growth, shrink, reserve) derives a new seed
 * from the old one, so that no history of removals can leave the keys
 * unevenly spread under the hash of the new table (see rebuild).
 *
 * Deletion.  Backward-shift deletion instead of tombstones: after a key is
 * removed, the keys of the run that follows it move back into the gap when
 * their home slot allows, so probe sequences never cross dead slots and
 * the table never needs a rebuild to clean up.  The price is that a
 * removal moves keys, possibly across an iterator's position: iterators
 * must stop on any change, which is what the version counter is for.
 *
 * Sizing.  Capacities follow 8, 12, 16, 24, 32, 48, ...: powers of two and
 * one and a half times them, so growth alternates factors 3/2 and 4/3.
 * The table grows past a load of 4/5, which leaves it at least 8/15 full
 * just after growing: at most 15 bytes per key at any size (a doubling
 * table would need 20 just after growing, at a 4/5 limit).  At a load of
 * 4/5 linear probing needs about 3 probes for a hit and 13 for a miss,
 * mostly within one cache line pair; typical loads are lower.  It shrinks
 * when removals leave it less than 1/8 full. */
#define _DEFAULT_SOURCE /* madvise */
#include "core/u64set.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The smallest table: small sets cost 64 bytes. */
#define MIN_CAPACITY 8
/* Maximum load: count/capacity <= LOAD_NUMERATOR/LOAD_DENOMINATOR. */
#define LOAD_NUMERATOR 4
#define LOAD_DENOMINATOR 5
/* Shrink when fewer than capacity/SHRINK_DIVISOR slots are used. */
#define SHRINK_DIVISOR 8
/* The free-slot marker; the key itself is kept in has_zero. */
#define FREE_KEY 0

/* Bulk inserts of many keys into a big table go region by region: keys
 * are first dealt into buckets by the top bits of their hash, which (the
 * home slot being hash * capacity / 2**64) is to say by region of the
 * table, and each region is then filled while it sits in the cache.
 * Below this many keys, plain inserts are as fast. */
#define BULK_MIN_KEYS 65536
/* 512 regions: a region of a 1e7-key table is ~200 KB, inside a core's
 * L2, and 512 output streams take one 64-byte line each of L1 (32 KB).
 * Measured here at 1e7 keys: 512 regions 16 ns a key, 1024 20, 2048 18,
 * 256 17. */
#define BULK_BUCKET_BITS 9
#define BULK_BUCKETS ((size_t)1 << BULK_BUCKET_BITS)

static void *
default_allocate(void *context, size_t size)
{
    (void)context;
    return malloc(size);
}

static void
default_release(void *context, void *block, size_t size)
{
    (void)context;
    (void)size;
    free(block);
}

static void *
default_allocate_zeroed(void *context, size_t size)
{
    (void)context;
    return calloc(1, size);
}

static const u64set_allocator_t default_allocator = {
    default_allocate,
    default_release,
    NULL,
    default_allocate_zeroed,
};

static uint64_t *
allocate_free_slots(const u64set_t *set, size_t capacity)
{
    const u64set_allocator_t *allocator = &set->allocator;
    size_t bytes = capacity * sizeof(uint64_t);
    uint64_t *slots;

    if (allocator->allocate_zeroed != NULL) {
        slots = allocator->allocate_zeroed(allocator->context, bytes);
    } else {
        slots = allocator->allocate(allocator->context, bytes);
        if (slots != NULL) {
            memset(slots, 0, bytes); /* FREE_KEY is 0 */
        }
    }
    return slots;
}

/* splitmix64's finaliser (Steele, Lea, Flood 2014): invertible, so
 * distinct keys keep distinct hashes; only the slot index can collide. */
static uint64_t
mix(uint64_t key, uint64_t seed)
{
    uint64_t z = key ^ seed;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

__extension__ typedef unsigned __int128 u64set_wide_t;

/* The home slot of `key`: hash * capacity / 2**64, uniform in
 * [0, capacity) for a uniform hash, with no division. */
static size_t
home_slot(const u64set_t *set, uint64_t key)
{
    return (size_t)(((u64set_wide_t)mix(key, set->seed) * set->capacity) >>
                    64);
}

static size_t
next_slot(const u64set_t *set, size_t slot)
{
    return slot + 1 == set->capacity ? 0 : slot + 1;
}

/* Slots used in the table proper: the key 0 lives outside it. */
static size_t
table_count(const u64set_t *set)
{
    return set->count - (set->has_zero ? 1 : 0);
}

static bool
fits(size_t count, size_t capacity)
{
    return count <=
           capacity / LOAD_DENOMINATOR * LOAD_NUMERATOR +
               capacity % LOAD_DENOMINATOR * LOAD_NUMERATOR / LOAD_DENOMINATOR;
}

/* The capacity after `capacity` in the sequence 8, 12, 16, 24, ... (0 when
 * it would overflow). */
static size_t
grown_capacity(size_t capacity)
{
    bool power_of_two = (capacity & (capacity - 1)) == 0;
    size_t step = power_of_two ? capacity / 2 : capacity / 3;
    return capacity > SIZE_MAX / sizeof(uint64_t) / 2 ? 0 : capacity + step;
}

/* The smallest capacity of the sequence that holds `count` table keys
 * within the load limit (0 when none fits in memory). */
static size_t
capacity_for(size_t count)
{
    size_t capacity = MIN_CAPACITY;
    while (capacity != 0 && !fits(count, capacity)) {
        capacity = grown_capacity(capacity);
    }
    return capacity;
}

void
u64set_init(u64set_t *set, uint64_t seed, const u64set_allocator_t *allocator)
{
    memset(set, 0, sizeof *set);
    set->seed = seed;
    set->allocator = allocator != NULL ? *allocator : default_allocator;
}

static void
release_slots(u64set_t *set)
{
    if (set->slots != NULL) {
        set->allocator.release(set->allocator.context, set->slots,
                               set->capacity * sizeof(uint64_t));
    }
    set->slots = NULL;
    set->capacity = 0;
}

void
u64set_destroy(u64set_t *set)
{
    release_slots(set);
    set->count = 0;
    set->has_zero = false;
    set->pop_hint = 0;
    set->version++;
}

size_t
u64set_len(const u64set_t *set)
{
    return set->count;
}

uint64_t
u64set_version(const u64set_t *set)
{
    return set->version;
}

/* The slot holding `key` (not 0), or the free slot where the probe for it
 * ended; counts the probes. */
static size_t
find_slot(u64set_t *set, uint64_t key)
{
    size_t slot = home_slot(set, key);
    uint64_t probes = 1;

    while (set->slots[slot] != key && set->slots[slot] != FREE_KEY) {
        slot = next_slot(set, slot);
        probes++;
    }
    set->stats.lookups++;
    set->stats.probes += probes;
    if (probes > set->stats.longest) {
        set->stats.longest = probes;
    }
    return slot;
}

/* Puts a key known to be absent into a table known to have room. */
static void
place_key(u64set_t *set, uint64_t key)
{
    size_t slot = home_slot(set, key);
    while (set->slots[slot] != FREE_KEY) {
        slot = next_slot(set, slot);
    }
    set->slots[slot] = key;
}

/* Tables of many megabytes are probed at random: with 4 KiB pages nearly
 * every probe also misses the TLB, which costs as much as the cache miss
 * itself.  Where the kernel offers transparent huge pages on request, the
 * table asks for them (a hint: nothing changes if it is refused). */
#define HUGE_PAGE_SIZE ((uintptr_t)2 << 20)

static void
advise_huge_pages(uint64_t *slots, size_t bytes)
{
#if defined(MADV_HUGEPAGE)
    uintptr_t start =
        ((uintptr_t)slots + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
    uintptr_t end = ((uintptr_t)slots + bytes) & ~(HUGE_PAGE_SIZE - 1);
    if (end > start) {
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
    }
#else
    (void)slots;
    (void)bytes;
#endif
}

/* Any odd 64-bit constant: the golden ratio's, as in splitmix64. */
#define RESEED_CONSTANT UINT64_C(0x9e3779b97f4a7c15)

static bool insert_by_region(u64set_t *set, const uint64_t *keys, size_t n,
                             size_t expected, bool zero_is_free);

/* Moves every key into a new table of `capacity` slots (0: no table).
 * On allocation failure nothing changes. */
static u64set_status_t
rebuild(u64set_t *set, size_t capacity)
{
    uint64_t *slots = NULL;

    if (capacity > 0) {
        slots = allocate_free_slots(set, capacity);
        if (slots == NULL) {
            return U64SET_NOMEM;
        }
        advise_huge_pages(slots, capacity * sizeof(uint64_t));
    }
    uint64_t *old_slots = set->slots;
    size_t old_capacity = set->capacity;
    set->slots = slots;
    set->capacity = capacity;
    /* A new seed for every new table.  The keys that remain after pops
     * (which take keys in slot order, that is, in hash order) crowd one
     * end of the hash range; placed with the old hash into a smaller
     * table, they formed one huge cluster and a single shrink cost a
     * quarter of a second.  Under a new hash they spread like any keys.
     * Derived from the old seed, so a fixed seed still fixes the order. */
    set->seed = mix(set->seed, RESEED_CONSTANT);
    /* Under the new seed the old keys land anywhere: a big table is
     * refilled region by region, as bulk inserts are. */
    size_t moving = table_count(set);
    set->count -= moving;
    if (moving < BULK_MIN_KEYS ||
        !insert_by_region(set, old_slots, old_capacity, moving, true)) {
        set->count += moving;
        for (size_t i = 0; i < old_capacity; i++) {
            if (old_slots[i] != FREE_KEY) {
                place_key(set, old_slots[i]);
            }
        }
    }
    if (old_slots != NULL) {
        set->allocator.release(set->allocator.context, old_slots,
                               old_capacity * sizeof(uint64_t));
    }
    set->pop_hint = 0;
    set->version++;
    return U64SET_OK;
}

/* Membership without touching the probe statistics (bulk pre-counts). */
static bool
has_key(const u64set_t *set, uint64_t key)
{
    if (key == FREE_KEY) {
        return set->has_zero;
    }
    if (set->capacity == 0) {
        return false;
    }
    size_t slot = home_slot(set, key);
    while (set->slots[slot] != FREE_KEY && set->slots[slot] != key) {
        slot = next_slot(set, slot);
    }
    return set->slots[slot] == key;
}

bool
u64set_contains(u64set_t *set, uint64_t key)
{
    if (key == FREE_KEY) {
        return set->has_zero;
    }
    return set->capacity > 0 && set->slots[find_slot(set, key)] == key;
}

u64set_status_t
u64set_reserve(u64set_t *set, size_t count)
{
    size_t capacity = capacity_for(count);
    if (capacity == 0) {
        return U64SET_NOMEM;
    }
    return capacity > set->capacity ? rebuild(set, capacity) : U64SET_OK;
}

u64set_status_t
u64set_insert(u64set_t *set, uint64_t key)
{
    if (key == FREE_KEY) {
        if (set->has_zero) {
            return U64SET_PRESENT;
        }
        set->has_zero = true;
    } else {
        if (set->capacity > 0 && set->slots[find_slot(set, key)] == key) {
            return U64SET_PRESENT;
        }
        if (!fits(table_count(set) + 1, set->capacity)) {
            size_t capacity = set->capacity == 0
                                  ? MIN_CAPACITY
                                  : grown_capacity(set->capacity);
            if (capacity == 0 || rebuild(set, capacity) != U64SET_OK) {
                return U64SET_NOMEM;
            }
        }
        place_key(set, key);
    }
    set->count++;
    set->version++;
    return U64SET_OK;
}

/* Cyclic distance from slot `from` forward to slot `to`. */
static size_t
distance(const u64set_t *set, size_t from, size_t to)
{
    return to >= from ? to - from : to + set->capacity - from;
}

/* Empties `slot`, then walks the run after it: a key whose home slot is
 * at or before the gap (cyclically, no further from it than from its own
 * slot) moves back into the gap, which moves on to where that key was.
 * The run ends at a free slot, so every key stays reachable from home. */
static void
remove_slot(u64set_t *set, size_t slot)
{
    size_t gap = slot;
    size_t scan = next_slot(set, slot);

    while (set->slots[scan] != FREE_KEY) {
        size_t home = home_slot(set, set->slots[scan]);
        if (distance(set, home, scan) >= distance(set, gap, scan)) {
            set->slots[gap] = set->slots[scan];
            gap = scan;
        }
        scan = next_slot(set, scan);
    }
    set->slots[gap] = FREE_KEY;
}

/* A table left mostly empty by removals is rebuilt smaller, to half the
 * load limit so that a few inserts do not grow it straight back; if that
 * cannot allocate, the larger table simply stays. */
static void
maybe_shrink(u64set_t *set)
{
    size_t used = table_count(set);
    if (set->capacity > MIN_CAPACITY &&
        used < set->capacity / SHRINK_DIVISOR) {
        size_t capacity = used == 0 ? 0 : capacity_for(used * 2);
        if (capacity < set->capacity) {
            (void)rebuild(set, capacity);
        }
    }
}

static void
count_removal(u64set_t *set)
{
    set->count--;
    set->version++;
    maybe_shrink(set);
}

u64set_status_t
u64set_remove(u64set_t *set, uint64_t key)
{
    if (key == FREE_KEY) {
        if (!set->has_zero) {
            return U64SET_ABSENT;
        }
        set->has_zero = false;
    } else {
        if (set->capacity == 0) {
            return U64SET_ABSENT;
        }
        size_t slot = find_slot(set, key);
        if (set->slots[slot] != key) {
            return U64SET_ABSENT;
        }
        remove_slot(set, slot);
    }
    count_removal(set);
    return U64SET_OK;
}

/* Scans on from where the last pop stopped, wrapping round: a removal only
 * moves keys back into the slot it emptied (or, at the wrap, to the end of
 * the table), so a run of pops visits each slot about once. */
u64set_status_t
u64set_pop(u64set_t *set, uint64_t *key)
{
    if (set->has_zero) {
        *key = 0;
        set->has_zero = false;
        count_removal(set);
        return U64SET_OK;
    }
    if (set->count == 0) {
        return U64SET_ABSENT;
    }
    size_t slot = set->pop_hint < set->capacity ? set->pop_hint : 0;
    while (set->slots[slot] == FREE_KEY) {
        slot = next_slot(set, slot);
    }
    *key = set->slots[slot];
    remove_slot(set, slot);
    set->pop_hint = slot;
    count_removal(set);
    return U64SET_OK;
}

void
u64set_clear(u64set_t *set)
{
    if (set->count > 0 || set->slots != NULL) {
        u64set_destroy(set);
    }
}

/* Bulk inserts into a table larger than the caches spend most of their
 * time waiting for memory: asking for the home slot of a key this many
 * keys ahead lets those waits overlap. */
#define PREFETCH_DISTANCE 16

static void
prefetch_home(const u64set_t *set, uint64_t key)
{
#if defined(__GNUC__)
    __builtin_prefetch(&set->slots[home_slot(set, key)], 1);
#else
    (void)set;
    (void)key;
#endif
}

/* Inserts `key` into a table that already has room for it (reserved):
 * one probe sequence that both looks for the key and finds its slot.
 * Returns whether it was new; the caller bumps the version. */
static bool
insert_reserved(u64set_t *set, uint64_t key)
{
    if (key == FREE_KEY) {
        bool added = !set->has_zero;
        set->has_zero = true;
        set->count += added;
        return added;
    }
    size_t slot = home_slot(set, key);
    while (set->slots[slot] != FREE_KEY) {
        if (set->slots[slot] == key) {
            return false;
        }
        slot = next_slot(set, slot);
    }
    set->slots[slot] = key;
    set->count++;
    return true;
}

/* Room per bucket: the mean share plus 1/8 and a constant.  A keyed hash
 * deals distinct keys binomially (a standard deviation of sqrt(mean), 70
 * for 1e7 keys against a margin of 600); a key that finds its bucket full
 * (repeated keys, or bad luck) is simply inserted at once. */
static size_t
bulk_bucket_room(size_t n)
{
    size_t mean = n / BULK_BUCKETS;
    return mean + mean / 8 + 64;
}

/* Inserts keys region by region; false (nothing inserted) when the
 * buckets cannot be allocated, for the caller to insert plainly.  About
 * `expected` of the n keys are real; with zero_is_free (a table's slots
 * being moved) the zeros are free slots, not the key 0. */
static bool
insert_by_region(u64set_t *set, const uint64_t *keys, size_t n,
                 size_t expected, bool zero_is_free)
{
    size_t filled[BULK_BUCKETS] = {0};
    const int shift = 64 - BULK_BUCKET_BITS;
    size_t room = bulk_bucket_room(expected);
    size_t bytes = BULK_BUCKETS * room * sizeof(uint64_t);
    uint64_t *buckets = set->allocator.allocate(set->allocator.context, bytes);

    if (buckets == NULL) {
        return false;
    }
    advise_huge_pages(buckets, bytes);
    for (size_t i = 0; i < n; i++) {
        if (zero_is_free && keys[i] == FREE_KEY) {
            continue;
        }
        size_t bucket = (size_t)(mix(keys[i], set->seed) >> shift);
        if (filled[bucket] < room) {
            buckets[bucket * room + filled[bucket]++] = keys[i];
        } else {
            (void)insert_reserved(set, keys[i]);
        }
    }
    for (size_t bucket = 0; bucket < BULK_BUCKETS; bucket++) {
        const uint64_t *bucket_keys = buckets + bucket * room;
        for (size_t i = 0; i < filled[bucket]; i++) {
            (void)insert_reserved(set, bucket_keys[i]);
        }
    }
    set->allocator.release(set->allocator.context, buckets, bytes);
    return true;
}

/* Room is made first for every key, so that nothing can fail once keys
 * start going in; keys that were present, or repeated, may leave the
 * table roomier than it needs to be, and it is trimmed afterwards. */
u64set_status_t
u64set_insert_many(u64set_t *set, const uint64_t *keys, size_t n,
                   size_t *added)
{
    size_t before = set->count;

    if (n == 0) {
        if (added != NULL) {
            *added = 0;
        }
        return U64SET_OK;
    }
    /* Room for the keys not yet present (a key repeated in the batch is
     * counted each time: an upper bound).  None: nothing changes, and the
     * version stays, so live iterators go on. */
    size_t absent = n;
    if (table_count(set) > 0 || set->has_zero) {
        absent = 0;
        for (size_t i = 0; i < n; i++) {
            absent += !has_key(set, keys[i]);
        }
        if (absent == 0) {
            if (added != NULL) {
                *added = 0;
            }
            return U64SET_OK;
        }
    }
    if (absent > SIZE_MAX - set->count ||
        u64set_reserve(set, table_count(set) + absent) != U64SET_OK) {
        return U64SET_NOMEM;
    }
    if (n < BULK_MIN_KEYS || !insert_by_region(set, keys, n, n, false)) {
        for (size_t i = 0; i < n; i++) {
            if (i + PREFETCH_DISTANCE < n && set->capacity > 0) {
                prefetch_home(set, keys[i + PREFETCH_DISTANCE]);
            }
            (void)insert_reserved(set, keys[i]);
        }
    }
    if (set->count != before) {
        set->version++;
    }
    size_t fitted = capacity_for(table_count(set));
    if (set->capacity > MIN_CAPACITY && fitted < set->capacity &&
        grown_capacity(fitted) < set->capacity) {
        (void)rebuild(set, fitted);
    }
    if (added != NULL) {
        *added = set->count - before;
    }
    return U64SET_OK;
}

u64set_status_t
u64set_copy(u64set_t *target, const u64set_t *source)
{
    uint64_t *slots = NULL;
    size_t bytes = source->capacity * sizeof(uint64_t);

    if (target == source) {
        return U64SET_OK;
    }
    if (bytes > 0) {
        slots = target->allocator.allocate(target->allocator.context, bytes);
        if (slots == NULL) {
            return U64SET_NOMEM;
        }
        advise_huge_pages(slots, bytes);
        memcpy(slots, source->slots, bytes);
    }
    release_slots(target);
    target->slots = slots;
    target->capacity = source->capacity;
    target->count = source->count;
    target->has_zero = source->has_zero;
    target->seed = source->seed;
    target->pop_hint = 0;
    target->version++;
    return U64SET_OK;
}

void
u64set_move(u64set_t *target, u64set_t *source)
{
    uint64_t version = (target->version > source->version ? target->version
                                                          : source->version) +
                       1;

    release_slots(target);
    target->slots = source->slots;
    target->capacity = source->capacity;
    target->count = source->count;
    target->has_zero = source->has_zero;
    target->seed = source->seed;
    target->pop_hint = 0;
    target->version = version;
    source->slots = NULL;
    source->capacity = 0;
    source->count = 0;
    source->has_zero = false;
    source->pop_hint = 0;
    source->version = version;
}

/* Cursor 0 stands before the key 0 (kept outside the table), cursor
 * s + 1 before slot s. */
bool
u64set_next(const u64set_t *set, u64set_cursor_t *cursor, uint64_t *key)
{
    if (*cursor == 0) {
        *cursor = 1;
        if (set->has_zero) {
            *key = 0;
            return true;
        }
    }
    for (size_t slot = *cursor - 1; slot < set->capacity; slot++) {
        if (set->slots[slot] != FREE_KEY) {
            *key = set->slots[slot];
            *cursor = slot + 2;
            return true;
        }
    }
    *cursor = set->capacity + 1;
    return false;
}

size_t
u64set_memory_usage(const u64set_t *set)
{
    return set->capacity * sizeof(uint64_t);
}

const u64set_probe_stats_t *
u64set_probe_stats(const u64set_t *set)
{
    return &set->stats;
}

void
u64set_reset_probe_stats(u64set_t *set)
{
    memset(&set->stats, 0, sizeof set->stats);
}
