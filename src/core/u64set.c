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
 * Seeds.  Every table a set allocates (its first, each rebuild, a copy)
 * draws a seed of its own: the set's secret mixed with a process-wide
 * count of tables drawn.  A table whose keys came in the order of another
 * table's slots (a copy refilled from its source, a slice of one set's
 * iteration fed to another) would otherwise put keys from one band of the
 * hash into one region, and linear probing turns such a cluster into
 * quadratic work (7 s against 0.01 s, measured).  A fresh seed for every
 * rebuild also spreads the keys that pops leave at one end of the hash.
 * The same secret gives the same sequence of seeds, so a fixed
 * PYTHONHASHSEED still fixes every order.
 *
 * Deletion.  Backward-shift deletion instead of tombstones: after a key is
 * removed, the keys of the run that follows it move back into the gap when
 * their home slot allows, so probe sequences never cross dead slots and
 * the table never needs a rebuild to clean up.  The price is that a
 * removal moves keys, possibly across an iterator's position: iterators
 * must stop on any change, which is what the version counter is for.
 *
 * Sizing.  Small tables grow eightfold, then fourfold (as CPython's set
 * does): a set of a thousand keys is rebuilt twice, not 15 times, and
 * memory does not matter at that size.  From FAST_GROWTH_LIMIT slots on,
 * a table grows by 8/5 past a load of 4/5, which leaves it at least half
 * full just after growing: at most 16 bytes per key for large tables (a
 * doubling table would need 20 just after growing, at a 4/5 limit).  8/5
 * is the largest factor that keeps that bound, and the largest factor is
 * the fewest rebuilds: a set built by add from empty to 1e7 keys moves
 * each key 1.9 times, where growth by 3/2 and 4/3 in turn moved it 2.3
 * times (with the larger buckets below, 123 against 171 ns a key in C).
 * At a load of 4/5 linear probing needs about 3 probes for a hit and 13
 * for a miss, mostly within one cache line pair; typical loads are lower.
 * Small tables stay at most half full.  A table shrinks when removals
 * leave it less than 1/16 full (1/32 while small).
 *
 * Bulk builds.  Peak memory stays within twice the final table: growth
 * keeps the old and the new table at once (1 + 5/8 of the new one), so
 * the buckets of a region-by-region refill are capped at a quarter of the
 * table there (see rebuild), and at three quarters of its slots where no
 * old table is held (see alone_flush_keys).  A large batch is dealt into
 * buckets first and counted by a sketch, and the table is then sized once
 * for its distinct keys (see deal_then_insert): keys dealt and the final
 * table, 1.71 times the table for distinct keys.  Two threads place such
 * a batch, each in the regions of half the table (see place_halves). */
#define _DEFAULT_SOURCE /* madvise */
#include "core/u64set.h"

#ifdef U64SET_THREADS
#include <pthread.h>
#include <signal.h>
#endif
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Invariants stated above, checked where they must hold when the build
 * defines U64SET_CHECKS (the sanitizer and fuzz builds), as Lua's
 * lua_assert is: free in the release build. */
#ifdef U64SET_CHECKS
#include <assert.h>
#define u64set_assert(condition) assert(condition)
#else
#define u64set_assert(condition) ((void)0)
#endif

/* The smallest table: 256 bytes, a block of pymalloc's, and 16 keys
 * before the first rebuild. */
#define MIN_CAPACITY 32
/* Below this many slots (16 KiB) tables grow eightfold, then fourfold
 * below FAST_GROWTH_LIMIT (512 KiB).  Each rebuild of a small table costs
 * an allocation and a hash of every key, and in a set of 100 keys that
 * grew fourfold from 8 slots, the rebuilds were half the time of its
 * inserts (measured in C: 19 ns an insert, 8.5 with the table made large
 * enough at once); set keeps its keys' hashes and need not rehash them. */
#define TINY_GROWTH_LIMIT 2048
#define FAST_GROWTH_LIMIT 65536
/* Maximum load of large tables: count/capacity <= 4/5. */
#define LOAD_NUMERATOR 4
#define LOAD_DENOMINATOR 5
/* Maximum load of small tables (below FAST_GROWTH_LIMIT slots): 1/2.  At
 * 4/5 a hit takes 3 probes of unpredictable count, and a table in cache
 * pays for the mispredicted branches: lookups in a set of 100 keys took
 * 1.45 times set's time (set keeps small tables under 3/5). */
#define SMALL_LOAD_DIVISOR 2
/* Shrink when fewer than capacity/SHRINK_DIVISOR slots are used: well
 * below the load just after growing (1/16 or 1/8 for small tables, 1/2
 * for large ones, and 1/8 again where a small table grows fourfold into a
 * large one), so that removals right after a growth do not shrink it
 * back. */
#define SHRINK_DIVISOR 16
#define SMALL_SHRINK_DIVISOR 32
/* The free-slot marker; the key itself is kept in has_zero. */
#define FREE_KEY 0
/* pop_hint when no key has been picked: the next pick draws a slot. */
#define NO_HINT SIZE_MAX
/* Where a lookup finds a key not in the table proper, and the key 0,
 * which lives outside it. */
#define NOWHERE SIZE_MAX
#define ZERO_KEY_SLOT (SIZE_MAX - 1)

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
/* How many keys ahead a region's flush fetches home slots: measured at
 * 1e7 keys, 8 ahead beat 16 (177 against 184 ms) and none (195 ms). */
#define FLUSH_AHEAD 8
/* Slots in a 64-byte cache line. */
#define SLOTS_PER_LINE 8
/* The keys of a bulk insert that are inserted one by one, to learn how
 * many of them are new, before the table is sized for the rest. */
#define SAMPLE_KEYS 65536
/* A rebuild refills region by region from this many keys on: smaller
 * tables sit in the caches anyway, and their keys are simply placed, with
 * no buckets beside the old and the new table. */
#define REGION_REBUILD_KEYS ((size_t)1 << 20)
/* How far ahead of the keys it holds a bulk build may size its table, on
 * the rate of new keys it saw: sixteen times.  Enough to reach 1e7 keys
 * in two rebuilds from a sample of 65536; bounded, so that a run of new
 * keys followed by repeats, or a lying length, reserves no more than that
 * for keys that never come. */
#define GROWTH_AHEAD 16
/* The buckets hold at most capacity / BULK_SCRATCH_DIVISOR keys at once
 * (9/32 of the table's bytes with their room to spare, and 256 KiB),
 * flushed into the table whenever they fill: the bound on peak memory in
 * the head comment (old + new + buckets: 1.92 times the new table at
 * most, at 2.2 million slots, less above).  Each flush reads the table's
 * regions through once, so fewer, larger flushes are faster: a rebuild
 * from a table at its 4/5 limit takes two (and a few keys more). */
#define BULK_SCRATCH_DIVISOR 4

/* Bulk inserts into a table larger than the caches spend most of their
 * time waiting for memory: asking for the home slot of a key this many
 * keys ahead lets those waits overlap. */
#define PREFETCH_DISTANCE 16

/* Any odd 64-bit constant: the golden ratio's, as in splitmix64. */
#define SEED_CONSTANT UINT64_C(0x9e3779b97f4a7c15)

/* {===================================================================
 * Memory and hashing
 * =================================================================== */

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
    if (slots != NULL) {
        advise_huge_pages(slots, bytes);
    }
    return slots;
}

static void
release_table(u64set_t *set, uint64_t *slots, size_t capacity)
{
    if (slots != NULL) {
        set->allocator.release(set->allocator.context, slots,
                               capacity * sizeof(uint64_t));
    }
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

/* The count of tables drawn in this process.  The one piece of global
 * mutable state in pyhost: tables of different sets, module instances and
 * interpreters must never share a seed, and only a count that none of
 * them owns guarantees it (a per-module count restarted when the module
 * was imported again, and its tables hashed like the old ones).  It holds
 * no Python object.  Atomic because the core does not know who calls it:
 * the module holds the GIL, but sub-interpreters may one day have their
 * own locks, and C users of the core none. */
static atomic_uint_fast64_t tables_drawn;

/* A seed for a new table: mix is a bijection, so distinct counts give
 * distinct seeds, and the secret keys them. */
static uint64_t
draw_seed(const u64set_t *set)
{
    uint64_t count = (uint64_t)atomic_fetch_add_explicit(&tables_drawn, 1,
                                                         memory_order_relaxed);
    return mix(count * SEED_CONSTANT, set->secret);
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

/* Cyclic distance from slot `from` forward to slot `to`. */
static size_t
distance(const u64set_t *set, size_t from, size_t to)
{
    return to >= from ? to - from : to + set->capacity - from;
}

/* Asks for a slot's cache line ahead of its use (for reading only, or
 * to be written). */
static void
prefetch_slot(const u64set_t *set, size_t slot, bool for_writing)
{
#if defined(__GNUC__)
    if (for_writing) {
        __builtin_prefetch(&set->slots[slot], 1);
    } else {
        __builtin_prefetch(&set->slots[slot], 0);
    }
#else
    (void)set;
    (void)slot;
    (void)for_writing;
#endif
}

/* Only tables larger than the caches gain: a small one would pay a hash
 * per key for nothing. */
static void
prefetch_home(const u64set_t *set, uint64_t key)
{
    if (set->capacity >= FAST_GROWTH_LIMIT) {
        prefetch_slot(set, home_slot(set, key), true);
    }
}

/* }=================================================================== */

/* {===================================================================
 * Sizing
 * =================================================================== */

/* Slots used in the table proper: the key 0 lives outside it. */
static size_t
table_count(const u64set_t *set)
{
    return set->count - (set->has_zero ? 1 : 0);
}

/* The most table keys `capacity` slots hold within the load limit. */
static size_t
most_keys(size_t capacity)
{
    if (capacity < FAST_GROWTH_LIMIT) {
        return capacity / SMALL_LOAD_DIVISOR;
    }
    return capacity / LOAD_DENOMINATOR * LOAD_NUMERATOR +
           capacity % LOAD_DENOMINATOR * LOAD_NUMERATOR / LOAD_DENOMINATOR;
}

static bool
fits(size_t count, size_t capacity)
{
    return count <= most_keys(capacity);
}

static bool
too_empty(size_t count, size_t capacity)
{
    /* Two constant divisions, not one by a chosen divisor: a division
     * instruction on every removal cost pop a tenth of its time. */
    return capacity < FAST_GROWTH_LIMIT
               ? count < capacity / SMALL_SHRINK_DIVISOR
               : count < capacity / SHRINK_DIVISOR;
}

/* The capacity after `capacity` in the sequence 32, 256, 2048, 8192,
 * 32768, 131072, 209714, 335540, ... (0 when it would overflow).  Below
 * the limit every capacity is a power of two. */
static size_t
grown_capacity(size_t capacity)
{
    if (capacity > SIZE_MAX / sizeof(uint64_t) / 8) {
        return 0;
    }
    if (capacity < TINY_GROWTH_LIMIT) {
        return capacity * 8;
    }
    if (capacity < FAST_GROWTH_LIMIT) {
        return capacity * 4;
    }
    return capacity + capacity / 5 * 3;
}

/* The smallest capacity that holds `count` table keys within the load
 * limit (0 when none fits in memory): below FAST_GROWTH_LIMIT any power of
 * two, beyond it one of growth's sequence.  A table sized once for the
 * keys it will hold (a result, a bulk build) need not take growth's
 * eightfold steps: a union sized for both operands would have been up to
 * eight times the size its keys need, twice set's. */
static size_t
capacity_for(size_t count)
{
    size_t capacity = MIN_CAPACITY;
    while (capacity < FAST_GROWTH_LIMIT / 2 && !fits(count, capacity)) {
        capacity *= 2;
    }
    if (fits(count, capacity)) {
        return capacity;
    }
    capacity = MIN_CAPACITY;
    while (capacity != 0 && !fits(count, capacity)) {
        capacity = grown_capacity(capacity);
    }
    return capacity;
}

/* `expected` further keys, as far as a bulk build may trust them: at
 * most GROWTH_AHEAD times the keys it holds (at least one more). */
static size_t
ahead_of(const u64set_t *set, size_t expected)
{
    size_t held =
        table_count(set) > SAMPLE_KEYS ? table_count(set) : SAMPLE_KEYS;
    size_t limit =
        held > SIZE_MAX / GROWTH_AHEAD ? SIZE_MAX : held * GROWTH_AHEAD;
    return expected < limit ? expected : limit;
}

/* The capacity to grow to when `more` keys beyond the table's must fit:
 * at least the next step, more when a bulk insert expects more keys. */
static size_t
capacity_to_grow(const u64set_t *set, size_t more)
{
    size_t count = table_count(set);
    more = ahead_of(set, more);
    size_t next =
        set->capacity == 0 ? MIN_CAPACITY : grown_capacity(set->capacity);
    size_t wanted = more > SIZE_MAX - count ? 0 : capacity_for(count + more);
    if (next == 0 || wanted == 0) {
        return 0;
    }
    return wanted > next ? wanted : next;
}

#ifdef U64SET_CHECKS
/* The invariants the head comment states: the count is the keys in the
 * table plus the zero flag, the load limit leaves a free slot (so every
 * run ends at one), and every key is reachable from its home slot. */
static bool
table_is_sound(const u64set_t *set)
{
    size_t keys = 0, free_slots = 0;
    for (size_t slot = 0; slot < set->capacity; slot++) {
        uint64_t key = set->slots[slot];
        if (key == FREE_KEY) {
            free_slots++;
            continue;
        }
        keys++;
        for (size_t at = home_slot(set, key); at != slot;
             at = next_slot(set, at)) {
            if (set->slots[at] == FREE_KEY) {
                return false; /* a gap between the key and its home */
            }
        }
    }
    return keys == table_count(set) && (set->capacity == 0 || free_slots > 0);
}
#endif

/* }=================================================================== */

/* {===================================================================
 * Probing, placing, removing
 * =================================================================== */

/* The slot holding `key` (not 0), or the free slot where the probe for it
 * ended, probing from `home`, the key's home slot (computed ahead by a
 * caller that fetched it).  A run always ends at a free slot: the load
 * limit leaves some. */
static size_t
find_slot_from(const u64set_t *set, uint64_t key, size_t home)
{
    size_t slot = home;
    while (set->slots[slot] != key && set->slots[slot] != FREE_KEY) {
        slot = next_slot(set, slot);
    }
    return slot;
}

/* The slot of `key` (not 0), probing from its `home`, or NOWHERE. */
static size_t
slot_of(const u64set_t *set, uint64_t key, size_t home)
{
    size_t slot = find_slot_from(set, key, home);
    return set->slots[slot] == key ? slot : NOWHERE;
}

static size_t
find_slot(const u64set_t *set, uint64_t key)
{
    return find_slot_from(set, key, home_slot(set, key));
}

/* The lookahead of locate_many: the keys coming next and their home
 * slots, each key read from the caller's array once (it may be memory
 * that another process writes meanwhile) and hashed once. */
#define LOOKAHEAD 16
#define LOCATE_BLOCK_KEYS 256

/* Stores in where[i] the slot of keys[i]: NOWHERE when it is not in the
 * table proper, ZERO_KEY_SLOT for the key 0, for i < n.  The home slots of
 * later keys are fetched while earlier ones are looked up, so that a
 * table larger than the caches waits for several misses at once. */
static void
locate_many(const u64set_t *set, const uint64_t *keys, size_t n, size_t *where)
{
    uint64_t ahead[LOOKAHEAD];
    size_t homes[LOOKAHEAD];

    if (set->capacity < FAST_GROWTH_LIMIT) {
        /* In the caches: nothing to wait for. */
        for (size_t i = 0; i < n; i++) {
            uint64_t key = keys[i];
            where[i] = key == FREE_KEY ? ZERO_KEY_SLOT
                       : set->capacity == 0
                           ? NOWHERE
                           : slot_of(set, key, home_slot(set, key));
        }
        return;
    }
    for (size_t i = 0; i < n && i < LOOKAHEAD; i++) {
        ahead[i] = keys[i];
        homes[i] = home_slot(set, ahead[i]);
        prefetch_slot(set, homes[i], false);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t key = ahead[i % LOOKAHEAD];
        size_t slot = homes[i % LOOKAHEAD];
        if (i + LOOKAHEAD < n) {
            uint64_t next = keys[i + LOOKAHEAD];
            ahead[i % LOOKAHEAD] = next;
            homes[i % LOOKAHEAD] = home_slot(set, next);
            prefetch_slot(set, homes[i % LOOKAHEAD], false);
        }
        where[i] = key == FREE_KEY ? ZERO_KEY_SLOT : slot_of(set, key, slot);
    }
}

/* Puts a key known to be absent into a table known to have room.  The
 * first two steps past an occupied slot are taken without a branch: each
 * key's slot depends on what the keys before it took, and a branch on
 * that mispredicted so often that a copy of 1e3 keys spent half its time
 * there; few probes go further. */
static inline void
place_key(u64set_t *set, uint64_t key)
{
    size_t slot = home_slot(set, key);
    if (slot + 2 < set->capacity) {
        u64set_assert(set->slots[slot] != key);
        slot += set->slots[slot] != FREE_KEY;
        u64set_assert(set->slots[slot] != key);
        slot += set->slots[slot] != FREE_KEY;
    }
    while (set->slots[slot] != FREE_KEY) {
        u64set_assert(set->slots[slot] != key);
        slot = next_slot(set, slot);
    }
    set->slots[slot] = key;
}

/* Inserts `key` into a table that already has room for it: one probe
 * sequence, from the key's home `slot`, that both looks for the key and
 * finds its slot.  Returns whether it was new; the caller bumps the
 * version. */
static bool
insert_reserved_from(u64set_t *set, uint64_t key, size_t slot)
{
    if (key == FREE_KEY) {
        bool added = !set->has_zero;
        set->has_zero = true;
        set->count += added;
        return added;
    }
    if (slot + 2 < set->capacity) {
        /* The first two steps without a branch, as in place_key. */
        slot += (set->slots[slot] != FREE_KEY) & (set->slots[slot] != key);
        slot += (set->slots[slot] != FREE_KEY) & (set->slots[slot] != key);
    }
    while (set->slots[slot] != FREE_KEY) {
        if (set->slots[slot] == key) {
            return false;
        }
        slot = next_slot(set, slot);
    }
    u64set_assert(fits(table_count(set) + 1, set->capacity));
    set->slots[slot] = key;
    set->count++;
    return true;
}

static bool
insert_reserved(u64set_t *set, uint64_t key)
{
    return insert_reserved_from(set, key, home_slot(set, key));
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

/* What put_slots does with each key (not 0) of the other table. */
typedef enum {
    PUT_PLACE,  /* into an empty table with room: placed */
    PUT_INSERT, /* there is room: inserted unless present */
    PUT_REMOVE, /* removed if present, with no shrinking (the caller's) */
    PUT_TOGGLE, /* removed if present, else inserted (there is room) */
} put_t;

/* Distinct keys placed into an empty table of at most 64 slots: which
 * slots are taken is one word, kept in a register, and each key's slot is
 * the first clear bit from its home on, with no load from the table.
 * Placed one by one, each key waited for the hash of the one before and
 * for the slots it had written: a copy of 10 keys spent half its time
 * placing them, and took 1.46 times the time of set's copy (which keeps
 * its entries' hashes).  Here the hashes are computed first, apart, and
 * the slots follow at a few instructions a key: 1.04 to 1.28 times. */
#define WORD_TABLE_SLOTS 64

static bool
is_word_table(const u64set_t *set)
{
    return set->capacity > 0 && set->capacity <= WORD_TABLE_SLOTS;
}

/* The slots of an empty word table taken before any key is placed: those
 * past its capacity, so that no key lands there. */
static uint64_t
word_table_taken(const u64set_t *set)
{
    u64set_assert(is_word_table(set));
    return set->capacity == WORD_TABLE_SLOTS ? 0
                                             : ~UINT64_C(0) << set->capacity;
}

/* Writes the keys of `capacity` slots to `keys` (room for `room`), in
 * slot order, and returns how many: without a branch a slot (a table's
 * occupied slots are a random pattern, which a branch mispredicts on every
 * other slot), each slot written at the next place and kept when it holds
 * a key, so `room` must exceed the keys there. */
static size_t
gather_keys(const uint64_t *slots, size_t capacity, uint64_t *keys,
            size_t room)
{
    size_t n = 0;
    for (size_t slot = 0; slot < capacity; slot++) {
        keys[n] = slots[slot];
        n += slots[slot] != FREE_KEY;
        u64set_assert(n < room);
    }
    (void)room;
    return n;
}

/* The first slot not `taken` from `home` on (wrapping to the start). */
static size_t
first_free_in_word(uint64_t taken, size_t home)
{
    uint64_t free_on = ~taken & (~UINT64_C(0) << home);
    return (size_t)__builtin_ctzll(free_on != 0 ? free_on : ~taken);
}

static void
place_in_word_table(u64set_t *set, const uint64_t *keys, size_t n)
{
    size_t homes[WORD_TABLE_SLOTS];
    uint64_t taken = word_table_taken(set);

    u64set_assert(n <= most_keys(set->capacity));
    for (size_t i = 0; i < n; i++) {
        homes[i] = home_slot(set, keys[i]);
    }
    for (size_t i = 0; i < n; i++) {
        size_t slot = first_free_in_word(taken, homes[i]);
        u64set_assert(set->slots[slot] == FREE_KEY);
        taken |= UINT64_C(1) << slot;
        set->slots[slot] = keys[i];
    }
}

/* Fills an empty word table (no key, nor the key 0) with `n` distinct
 * keys, counted. */
static void
fill_empty_word_table(u64set_t *set, const uint64_t *keys, size_t n)
{
    u64set_assert(set->count == 0);
    place_in_word_table(set, keys, n);
    set->count = n;
    u64set_assert(table_is_sound(set));
}

/* Keys that may repeat (a caller's list) inserted into an empty word
 * table, as place_in_word_table places them, each first compared with
 * the keys of the run before its slot (none, mostly: the table is at most
 * half full).  Each key is read once, so keys that another thread changes
 * meanwhile cannot overfill the table: it stops at the load limit.
 * Returns how many keys it took, and counts those inserted. */
static size_t
insert_into_word_table(u64set_t *set, const uint64_t *keys, size_t n)
{
    uint64_t block[WORD_TABLE_SLOTS];
    size_t homes[WORD_TABLE_SLOTS];
    uint64_t taken = word_table_taken(set);
    size_t most = most_keys(set->capacity), taken_keys = 0;

    u64set_assert(set->count == 0);
    while (taken_keys < n && table_count(set) < most) {
        size_t m = n - taken_keys < WORD_TABLE_SLOTS ? n - taken_keys
                                                     : WORD_TABLE_SLOTS;
        for (size_t i = 0; i < m; i++) {
            block[i] = keys[taken_keys + i];
            homes[i] = home_slot(set, block[i]);
        }
        size_t i = 0;
        for (; i < m && table_count(set) < most; i++) {
            uint64_t key = block[i];
            if (key == FREE_KEY) {
                set->count += !set->has_zero;
                set->has_zero = true;
                continue;
            }
            size_t slot = first_free_in_word(taken, homes[i]);
            bool present = false;
            for (size_t at = homes[i]; at != slot; at = next_slot(set, at)) {
                present |= set->slots[at] == key;
            }
            if (!present) {
                taken |= UINT64_C(1) << slot;
                set->slots[slot] = key;
                set->count++;
            }
        }
        taken_keys += i;
    }
    u64set_assert(table_is_sound(set));
    return taken_keys;
}

static void
put_keys(u64set_t *set, const uint64_t *keys, size_t n, put_t put)
{
    for (size_t i = 0; i < n; i++) {
        if (put == PUT_PLACE) {
            place_key(set, keys[i]);
        } else if (put == PUT_INSERT) {
            (void)insert_reserved(set, keys[i]);
        } else {
            size_t slot = find_slot(set, keys[i]);
            if (set->slots[slot] == keys[i]) {
                remove_slot(set, slot);
                set->count--;
            } else if (put == PUT_TOGGLE) {
                u64set_assert(fits(table_count(set) + 1, set->capacity));
                set->slots[slot] = keys[i];
                set->count++;
            }
        }
    }
}

/* Puts the keys of another table's slots into this one as `put` says
 * (counted, except those placed: the caller counts them).
 * Each block's keys are gathered first, without a branch per slot: a
 * table's occupied slots are a random pattern, and a branch on each
 * mispredicted on every other slot, which cost a copy of 1e3 keys more
 * than placing them did.  The two halves of a block are gathered side by
 * side, each count waiting only on its own (about 4% of a
 * copy). */
#define PLACE_BLOCK_SLOTS 256
static void
put_slots(u64set_t *set, const uint64_t *slots, size_t capacity, put_t put)
{
    uint64_t keys[PLACE_BLOCK_SLOTS];

    if (put == PUT_PLACE && is_word_table(set)) {
        /* All gathered first (fewer than the new table's slots: each
         * write stays inside), then placed at once. */
        place_in_word_table(
            set, keys, gather_keys(slots, capacity, keys, WORD_TABLE_SLOTS));
        return;
    }
    for (size_t start = 0; start < capacity; start += PLACE_BLOCK_SLOTS) {
        size_t length = capacity - start < PLACE_BLOCK_SLOTS
                            ? capacity - start
                            : PLACE_BLOCK_SLOTS;
        const uint64_t *first = slots + start, *second = first + length / 2;
        size_t n = 0, m = length / 2;
        for (size_t i = 0; i < length / 2; i++) {
            keys[n] = first[i];
            n += first[i] != FREE_KEY;
            keys[m] = second[i];
            m += second[i] != FREE_KEY;
        }
        if (length % 2 == 1) {
            keys[m] = slots[start + length - 1];
            m += keys[m] != FREE_KEY;
        }
        put_keys(set, keys, n, put);
        put_keys(set, keys + length / 2, m - length / 2, put);
    }
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

/* The keys of a bucket have their home slots in one region of the table
 * (the bucket is the hash's top bits, the home slot its scaled value), a
 * region larger than the first-level cache that they reach in random
 * order: read through once in slot order first, it comes in at the speed
 * of a stream and the keys then find their lines in the cache (a bulk
 * insert of 1e7 keys: a median of 205 against 234 ms, an eighth off).
 * Only when the keys are many beside the region's cache lines. */
static uint64_t
touch_region(const u64set_t *set, size_t bucket)
{
    size_t start =
        (size_t)(((u64set_wide_t)bucket * set->capacity) >> BULK_BUCKET_BITS);
    size_t end = (size_t)(((u64set_wide_t)(bucket + 1) * set->capacity) >>
                          BULK_BUCKET_BITS);
    uint64_t sum = 0;
    for (size_t slot = start; slot < end; slot += SLOTS_PER_LINE) {
        sum += set->slots[slot];
    }
    return sum;
}

/* Inserts a bucket's keys, each from its home slot computed FLUSH_AHEAD
 * keys before and fetched meanwhile.  The region sits in the second-level
 * cache, but a probe that waited for it and then mispredicted where it
 * ends left the next key's load unstarted: every key paid the wait (a
 * bulk insert of 1e7 keys: a median of 177 against 195 ms). */
static void
insert_bucket(u64set_t *set, const uint64_t *keys, size_t count)
{
    size_t homes[FLUSH_AHEAD];

    for (size_t i = 0; i < count && i < FLUSH_AHEAD; i++) {
        homes[i] = home_slot(set, keys[i]);
        prefetch_slot(set, homes[i], true);
    }
    for (size_t i = 0; i < count; i++) {
        size_t home = homes[i % FLUSH_AHEAD];
        if (i + FLUSH_AHEAD < count) {
            size_t ahead = home_slot(set, keys[i + FLUSH_AHEAD]);
            homes[i % FLUSH_AHEAD] = ahead;
            prefetch_slot(set, ahead, true);
        }
        (void)insert_reserved_from(set, keys[i], home);
    }
}

static void
flush_buckets(u64set_t *set, const uint64_t *buckets, size_t room,
              size_t *filled)
{
    /* Summed and kept, so that the compiler keeps the reads. */
    volatile uint64_t touched = 0;
    size_t lines_per_region =
        set->capacity / SLOTS_PER_LINE >> BULK_BUCKET_BITS;

    for (size_t bucket = 0; bucket < BULK_BUCKETS; bucket++) {
        const uint64_t *bucket_keys = buckets + bucket * room;
        if (filled[bucket] >= lines_per_region) {
            touched += touch_region(set, bucket);
        }
        insert_bucket(set, bucket_keys, filled[bucket]);
        filled[bucket] = 0;
    }
    (void)touched;
}

/* Keys are read from the caller's array through a small local copy, so
 * that each is read exactly once: the array may be a buffer that another
 * thread or process is writing, and a key read twice could be placed
 * under one value and found under another. */
#define READ_CHUNK 256

/* Keys dealt into buckets by region, flushed into a table with room for
 * all of them whenever `per_flush` have been dealt. */
typedef struct region_dealer {
    uint64_t *buckets;
    size_t bytes;
    size_t room; /* keys a bucket holds */
    size_t per_flush;
    size_t dealt; /* since the last flush */
    size_t filled[BULK_BUCKETS];
} region_dealer_t;

/* False when the buckets cannot be allocated.  About `expected` keys will
 * be dealt; the buckets hold at most `flush_keys` (the caller's bound on
 * the memory beside the table). */
static bool
region_dealer_open(region_dealer_t *dealer, const u64set_t *set,
                   size_t expected, size_t flush_keys)
{
    dealer->per_flush =
        flush_keys < BULK_MIN_KEYS ? BULK_MIN_KEYS : flush_keys;
    if (dealer->per_flush > expected) {
        dealer->per_flush = expected;
    }
    dealer->room = bulk_bucket_room(dealer->per_flush);
    dealer->bytes = BULK_BUCKETS * dealer->room * sizeof(uint64_t);
    dealer->buckets =
        set->allocator.allocate(set->allocator.context, dealer->bytes);
    if (dealer->buckets == NULL) {
        return false;
    }
    advise_huge_pages(dealer->buckets, dealer->bytes);
    dealer->dealt = 0;
    memset(dealer->filled, 0, sizeof dealer->filled);
    return true;
}

static void
region_dealer_add(region_dealer_t *dealer, u64set_t *set, uint64_t key)
{
    size_t bucket = (size_t)(mix(key, set->seed) >> (64 - BULK_BUCKET_BITS));
    if (dealer->filled[bucket] < dealer->room) {
        dealer->buckets[bucket * dealer->room + dealer->filled[bucket]++] =
            key;
    } else {
        (void)insert_reserved(set, key);
    }
    if (++dealer->dealt == dealer->per_flush) {
        flush_buckets(set, dealer->buckets, dealer->room, dealer->filled);
        dealer->dealt = 0;
    }
}

static void
region_dealer_close(region_dealer_t *dealer, u64set_t *set)
{
    flush_buckets(set, dealer->buckets, dealer->room, dealer->filled);
    set->allocator.release(set->allocator.context, dealer->buckets,
                           dealer->bytes);
}

/* Inserts keys region by region into a table with room for all of them;
 * false (nothing inserted) when the buckets cannot be allocated, for the
 * caller to insert plainly.  About `expected` of the n keys are real; with
 * zero_is_free (a table's slots being moved) the zeros are free slots,
 * not the key 0.  `flush_keys` as for region_dealer_open. */
static bool
insert_by_region(u64set_t *set, const uint64_t *keys, size_t n,
                 size_t expected, bool zero_is_free, size_t flush_keys)
{
    region_dealer_t dealer;
    uint64_t chunk[READ_CHUNK];

    if (!region_dealer_open(&dealer, set, expected, flush_keys)) {
        return false;
    }
    for (size_t start = 0; start < n; start += READ_CHUNK) {
        size_t count = n - start < READ_CHUNK ? n - start : READ_CHUNK;
        memcpy(chunk, keys + start, count * sizeof(uint64_t));
        for (size_t i = 0; i < count; i++) {
            if (!zero_is_free || chunk[i] != FREE_KEY) {
                region_dealer_add(&dealer, set, chunk[i]);
            }
        }
    }
    region_dealer_close(&dealer, set);
    return true;
}

/* How many keys the buckets of a region-by-region insert may hold when no
 * old table is held beside the table: three quarters of its slots, whose
 * 9 bytes each (a key and room to spare) keep table + buckets within 1.85
 * times the table and 256 KiB (under twice the table from a million
 * slots on), and let 1e7 keys go in in one pass. */
static size_t
alone_flush_keys(const u64set_t *set)
{
    return set->capacity / 4 * 3;
}

/* Inserts keys into a table with room for all of them, by region when
 * there are many, else one by one with the home slots of later keys
 * fetched ahead. */
static void
insert_all_reserved(u64set_t *set, const uint64_t *keys, size_t n,
                    size_t expected, bool zero_is_free, size_t flush_keys)
{
    uint64_t chunk[READ_CHUNK];

    if (expected >= BULK_MIN_KEYS &&
        insert_by_region(set, keys, n, expected, zero_is_free, flush_keys)) {
        return;
    }
    for (size_t start = 0; start < n; start += READ_CHUNK) {
        size_t count = n - start < READ_CHUNK ? n - start : READ_CHUNK;
        memcpy(chunk, keys + start, count * sizeof(uint64_t));
        for (size_t i = 0; i < count; i++) {
            if (i + PREFETCH_DISTANCE < count) {
                prefetch_home(set, chunk[i + PREFETCH_DISTANCE]);
            }
            if (!zero_is_free || chunk[i] != FREE_KEY) {
                (void)insert_reserved(set, chunk[i]);
            }
        }
    }
}

/* Moves every key into a new table of `capacity` slots (0: no table),
 * under a seed of its own.  On allocation failure nothing changes. */
static u64set_status_t
rebuild(u64set_t *set, size_t capacity)
{
    uint64_t *slots = NULL;

    u64set_assert(capacity == 0 || fits(table_count(set), capacity));
    if (capacity > 0) {
        slots = allocate_free_slots(set, capacity);
        if (slots == NULL) {
            return U64SET_NOMEM;
        }
    }
    uint64_t *old_slots = set->slots;
    size_t old_capacity = set->capacity;
    set->slots = slots;
    set->capacity = capacity;
    set->seed = draw_seed(set);
    size_t moving = table_count(set);
    if (moving < REGION_REBUILD_KEYS) {
        /* Few keys, from the set's own table: each is placed directly
         * (they are distinct, and nobody else writes that table). */
        put_slots(set, old_slots, old_capacity, PUT_PLACE);
    } else {
        /* The keys go back in as if inserted anew: count drops by the
         * keys moving and insert_reserved counts each back, so the count
         * is right again when the last one is in.  The old table is still
         * held: the buckets get a quarter of the new one, so that old +
         * new + buckets stay within twice the new table. */
        set->count -= moving;
        insert_all_reserved(set, old_slots, old_capacity, moving, true,
                            capacity / BULK_SCRATCH_DIVISOR);
    }
    u64set_assert(table_count(set) == moving);
    u64set_assert(table_is_sound(set));
    release_table(set, old_slots, old_capacity);
    set->pop_hint = NO_HINT;
    set->version++;
    return U64SET_OK;
}

/* A table left mostly empty by removals is rebuilt smaller, to half the
 * load limit so that a few inserts do not grow it straight back, or, where
 * the fourfold steps of small tables leave no such size below, to the
 * smallest that holds the keys (a quarter of the size at most).  If that
 * cannot allocate, the larger table simply stays. */
static void
shrink(u64set_t *set, size_t used)
{
    size_t capacity = used == 0 ? 0 : capacity_for(used * 2);
    if (capacity >= set->capacity) {
        capacity = capacity_for(used);
    }
    u64set_assert(capacity < set->capacity);
    (void)rebuild(set, capacity);
}

/* After a growth sized for keys that were partly repeats: the table
 * rebuilt to the size growth gives for the keys it holds, if that is
 * smaller (else, or if that cannot allocate, left as it is). */
static void
fit_after_growth(u64set_t *set, size_t capacity_before)
{
    size_t fitted = capacity_for(table_count(set));
    if (set->capacity != capacity_before && fitted != 0 &&
        fitted < set->capacity) {
        (void)rebuild(set,
                      fitted > capacity_before ? fitted : capacity_before);
    }
}

/* A table reserved for both operands of a union or a toggle, and that
 * came to hold fewer keys (keys in both), is rebuilt to its keys' size
 * only when that is a quarter of its own or less.  Fitted whenever one
 * step smaller, a | b of 65 keys in both took three times set's time (a
 * second table, every key placed twice); the room for both is at most
 * twice what the keys need (powers of two), and no more than set's, which
 * also sizes a union for both.  One left with no keys (a ^ b of the same
 * keys) gives its table back, as a result built from marks has none. */
static void
fit_if_roomy(u64set_t *set)
{
    size_t used = table_count(set);
    size_t fitted = used == 0 ? 0 : capacity_for(used);
    if (used == 0 ? set->capacity > 0
                  : fitted != 0 && fitted <= set->capacity / 4) {
        (void)rebuild(set, fitted); /* no keys left: no table */
    }
}

/* Inline: it runs on every removal, and shrinks on few of them. */
static inline void
maybe_shrink(u64set_t *set)
{
    size_t used = table_count(set);
    if (set->capacity > MIN_CAPACITY && too_empty(used, set->capacity)) {
        shrink(set, used);
    }
}

static inline void
count_removal(u64set_t *set)
{
    set->count--;
    set->version++;
    maybe_shrink(set);
}

/* }=================================================================== */

/* {===================================================================
 * The interface: one key at a time
 * =================================================================== */

void
u64set_init(u64set_t *set, uint64_t secret,
            const u64set_allocator_t *allocator)
{
    memset(set, 0, sizeof *set);
    set->secret = secret;
    set->pop_hint = NO_HINT;
    set->allocator = allocator != NULL ? *allocator : default_allocator;
}

/* Empties the set, leaving its version to the caller. */
static void
forget_keys(u64set_t *set)
{
    release_table(set, set->slots, set->capacity);
    set->slots = NULL;
    set->capacity = 0;
    set->count = 0;
    set->has_zero = false;
    set->pop_hint = NO_HINT;
}

void
u64set_destroy(u64set_t *set)
{
    forget_keys(set);
    set->version++;
}

uint64_t
u64set_version(const u64set_t *set)
{
    return set->version;
}

/* Whether the table proper holds `key` (not 0). */
static inline bool
holds_table_key(const u64set_t *set, uint64_t key)
{
    return set->capacity > 0 && set->slots[find_slot(set, key)] == key;
}

bool
u64set_contains(const u64set_t *set, uint64_t key)
{
    return key == FREE_KEY ? set->has_zero : holds_table_key(set, key);
}

/* Walks `walked` in the order of u64set_next, looking each key up in
 * `probed`: each key as its slot is reached, in one loop here rather than
 * a call of u64set_next and of u64set_contains a key (a == b of 1e3 keys
 * took 1.3 to 1.5 times set's time that way), so that a walk that stops
 * at its first key costs one lookup.  Past its first ALONE_KEYS keys, a
 * walk probing a table larger than the caches goes on in blocks that
 * double from one key, each block's home slots fetched together. */
#define ALONE_KEYS 8
bool
u64set_any_key(const u64set_t *walked, const u64set_t *probed, bool present,
               size_t *visited)
{
    size_t walked_keys = 0, slot = 0;
    bool found = false;
    size_t alone =
        probed->capacity < FAST_GROWTH_LIMIT ? SIZE_MAX : ALONE_KEYS;

    if (walked->has_zero) {
        walked_keys++;
        found = probed->has_zero == present;
    }
    for (; !found && walked_keys < alone && slot < walked->capacity; slot++) {
        uint64_t key = walked->slots[slot];
        if (key != FREE_KEY) {
            walked_keys++;
            found = holds_table_key(probed, key) == present;
        }
    }
    if (!found && slot < walked->capacity) {
        uint64_t keys[LOCATE_BLOCK_KEYS];
        size_t where[LOCATE_BLOCK_KEYS];
        u64set_cursor_t cursor = slot + 1; /* before `slot` */
        size_t block = 1, n;
        while (!found &&
               (n = u64set_next_many(walked, &cursor, keys, block)) > 0) {
            locate_many(probed, keys, n, where);
            for (size_t i = 0; !found && i < n; i++) {
                walked_keys++;
                found = (where[i] != NOWHERE) == present;
            }
            block = block < LOCATE_BLOCK_KEYS ? block * 2 : block;
        }
    }
    *visited = walked_keys;
    return found;
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

/* Makes room for one more key in the table proper, growing to hold
 * `expected_more` further keys when it must grow at all. */
static u64set_status_t
make_room(u64set_t *set, size_t expected_more)
{
    if (fits(table_count(set) + 1, set->capacity)) {
        return U64SET_OK;
    }
    size_t more = expected_more < SIZE_MAX ? expected_more + 1 : SIZE_MAX;
    size_t capacity = capacity_to_grow(set, more);
    return capacity == 0 ? U64SET_NOMEM : rebuild(set, capacity);
}

/* Adds `key` unless present, with one probe sequence: it ends at the
 * key, or at the free slot the key takes unless the table must grow
 * first (to hold `expected_more` further keys as well).  The caller moves
 * the version. */
static u64set_status_t
add_key(u64set_t *set, uint64_t key, size_t expected_more)
{
    if (key == FREE_KEY) {
        if (set->has_zero) {
            return U64SET_PRESENT;
        }
        set->has_zero = true;
    } else {
        size_t slot = 0;
        if (set->capacity > 0) {
            slot = find_slot(set, key);
            if (set->slots[slot] == key) {
                return U64SET_PRESENT;
            }
        }
        if (fits(table_count(set) + 1, set->capacity)) {
            set->slots[slot] = key;
        } else if (make_room(set, expected_more) != U64SET_OK) {
            return U64SET_NOMEM;
        } else {
            place_key(set, key);
        }
    }
    set->count++;
    return U64SET_OK;
}

u64set_status_t
u64set_insert(u64set_t *set, uint64_t key)
{
    u64set_status_t status = add_key(set, key, 0);
    if (status == U64SET_OK) {
        set->version++;
    }
    return status;
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

static size_t
previous_slot(const u64set_t *set, size_t slot)
{
    return slot == 0 ? set->capacity - 1 : slot - 1;
}

/* Where pop takes keys from matters.  A sweep in slot order empties the
 * table behind it while inserts pile up ahead of it: in a set used as a
 * work list near the load limit, one run grew as long as the table (2000
 * probes a lookup).  Taking the first key after a random slot favours the
 * heads of runs (10 probes where random keys take 3), the last key the
 * tails (86).  So after any other change to the set, pop takes a random
 * key: it draws slots until one holds a key (1.25 draws at a load of
 * 4/5), which keeps the keys as spread as inserts made them.  Pops that
 * follow pops, with nothing between (emptying a set), pile nothing up:
 * they sweep on in slot order, as set.pop does, which is cheaper; so do
 * pops below a load of 1/4, where draws would get dear and a sweep cannot
 * pile keys up to a dangerous density.  The sweep runs down the table:
 * the first key it meets below a free slot ends its run, and removing a
 * run's last key moves no other (the next slot is free), so emptying a
 * set costs what set.pop costs, no hash computed. */
#define SWEEP_LOAD_DIVISOR 4
/* Draws before falling back to a scan, which ends at a key anyway. */
#define POP_DRAWS 16

/* The slot pop starts from after any other change: a random draw. */
static size_t
drawn_slot(const u64set_t *set)
{
    size_t slot = home_slot(set, set->version);
    bool draw = table_count(set) * SWEEP_LOAD_DIVISOR >= set->capacity;
    for (uint64_t attempt = 1;
         draw && attempt < POP_DRAWS && set->slots[slot] == FREE_KEY;
         attempt++) {
        slot = home_slot(set, set->version * POP_DRAWS + attempt);
    }
    while (set->slots[slot] == FREE_KEY) {
        slot = next_slot(set, slot);
    }
    return slot;
}

/* The key to pop, for a set that holds one; a second pick, or the pop,
 * takes the same key, and after the pop the next pick sweeps on from its
 * slot if nothing else changed the set. */
static inline uint64_t
pick_key(u64set_t *set)
{
    if (set->has_zero) {
        return FREE_KEY;
    }
    size_t slot = set->pop_hint;
    if (slot < set->capacity && set->version == set->pop_version) {
        while (set->slots[slot] == FREE_KEY) {
            slot = previous_slot(set, slot);
        }
    } else {
        slot = drawn_slot(set);
    }
    set->pop_hint = slot;
    set->pop_version = set->version;
    return set->slots[slot];
}

static inline void
remove_picked_key(u64set_t *set, uint64_t key)
{
    u64set_assert(set->count > 0);
    if (key == FREE_KEY) {
        u64set_assert(set->has_zero);
        set->has_zero = false;
    } else {
        size_t slot = set->pop_hint;
        u64set_assert(set->version == set->pop_version &&
                      slot < set->capacity && set->slots[slot] == key);
        if (set->slots[next_slot(set, slot)] == FREE_KEY) {
            set->slots[slot] = FREE_KEY; /* a run's last key: nothing moves */
        } else {
            remove_slot(set, slot);
        }
    }
    count_removal(set); /* moves the version; a shrink drops the hint */
    set->pop_version = set->version;
}

bool
u64set_pick(u64set_t *set, uint64_t *key)
{
    if (set->count == 0) {
        return false;
    }
    *key = pick_key(set);
    return true;
}

void
u64set_remove_picked(u64set_t *set, uint64_t key)
{
    remove_picked_key(set, key);
}

u64set_status_t
u64set_pop(u64set_t *set, uint64_t *key)
{
    if (set->count == 0) {
        return U64SET_ABSENT;
    }
    *key = pick_key(set);
    remove_picked_key(set, *key);
    return U64SET_OK;
}

void
u64set_clear(u64set_t *set)
{
    if (set->count > 0 || set->slots != NULL) {
        u64set_destroy(set);
    }
}

/* }=================================================================== */

/* {===================================================================
 * The interface: many keys at a time
 * =================================================================== */

/* Inserts keys one at a time, growing the table as needed: when it must
 * grow, to hold `expected_more` further keys too. */
static u64set_status_t
insert_one_by_one(u64set_t *set, const uint64_t *keys, size_t n,
                  size_t expected_more)
{
    uint64_t chunk[READ_CHUNK];

    for (size_t start = 0; start < n; start += READ_CHUNK) {
        size_t count = n - start < READ_CHUNK ? n - start : READ_CHUNK;
        memcpy(chunk, keys + start, count * sizeof(uint64_t));
        for (size_t i = 0; i < count; i++) {
            uint64_t key = chunk[i];
            if (i + PREFETCH_DISTANCE < count) {
                prefetch_home(set, chunk[i + PREFETCH_DISTANCE]);
            }
            if (add_key(set, key, expected_more) == U64SET_NOMEM) {
                return U64SET_NOMEM;
            }
        }
    }
    return U64SET_OK;
}

/* A bulk build of a large batch learns how many of its keys are distinct
 * while it deals them into buckets, before any table is sized: a
 * HyperLogLog sketch (Flajolet et al. 2007) of their hashes counts them
 * within a few percent in 4 KiB.  Sized from a sample of its first keys
 * instead, a build could trust the sample only so far (GROWTH_AHEAD
 * times), since new keys may be followed by repeats: a build of 1e7 keys
 * went through a table of a million on the way and moved those keys
 * twice. */
#define SKETCH_BITS 12
#define SKETCH_REGISTERS ((size_t)1 << SKETCH_BITS)
/* The sketch is read once per this many keys dealt. */
#define SKETCH_CHECK_KEYS 65536
/* Batches from this size on are dealt before the table is sized, when
 * the table held has at most a quarter as many keys: it is held while
 * they are dealt and placed, and old table + keys dealt + new table must
 * stay within twice the new table (a batch added to a set of millions
 * goes the stepwise way, whose rebuilds bound it). */
#define DEAL_FIRST_KEYS ((size_t)1 << 20)
#define DEAL_HELD_SHARE 4
/* The buckets of such a deal are chains of 4 KiB blocks, taken as the
 * keys come (so memory follows the keys dealt, however many that will
 * be), cut from slabs of at least 2 MiB that grow with the deal; the last
 * slot of a block holds the address of the bucket's block before it. */
#define BLOCK_SLOTS 512
#define BLOCK_KEYS (BLOCK_SLOTS - 1)
#define MIN_SLAB_BYTES ((size_t)2 << 20)
#define MAX_SLABS 64
/* The checked builds (sanitizers, fuzzing) size the table from half the
 * estimate, so that the way taken when an estimate falls short runs in
 * their tests too (as Lua's HARDMEMTESTS makes its rare paths common). */
#ifdef U64SET_CHECKS
#define ESTIMATE_SHARE 2
#else
#define ESTIMATE_SHARE 1
#endif

typedef struct distinct_sketch {
    uint8_t rank[SKETCH_REGISTERS];
} distinct_sketch_t;

/* The low bits pick a register (the buckets take the top ones); the
 * position of the lowest set bit among the rest is the rank. */
static void
sketch_add(distinct_sketch_t *sketch, uint64_t hash)
{
    uint64_t rest = hash >> SKETCH_BITS | UINT64_C(1) << (64 - SKETCH_BITS);
#if defined(__GNUC__)
    /* An instruction, where a loop mispredicted its exit on every other
     * key: 6 ns a key. */
    uint8_t rank = (uint8_t)(__builtin_ctzll(rest) + 1);
#else
    uint8_t rank = 1;
    while ((rest & 1) == 0) {
        rest >>= 1;
        rank++;
    }
#endif
    uint8_t *best = &sketch->rank[hash & (SKETCH_REGISTERS - 1)];
    if (rank > *best) {
        *best = rank;
    }
}

/* The raw estimate, without the small-range correction: below a few
 * times SKETCH_REGISTERS it counts high, which only makes a deal of
 * repeats stop a little later. */
static size_t
sketch_estimate(const distinct_sketch_t *sketch)
{
    const double registers = (double)SKETCH_REGISTERS;
    double sum = 0;
    for (size_t i = 0; i < SKETCH_REGISTERS; i++) {
        sum += 1.0 / (double)(UINT64_C(1) << sketch->rank[i]);
    }
    double alpha = 0.7213 / (1 + 1.079 / registers);
    return (size_t)(alpha * registers * registers / sum);
}

typedef struct deal {
    uint64_t *next[BULK_BUCKETS]; /* where the bucket's next key goes */
    uint64_t *end[BULK_BUCKETS];  /* its block's link slot (NULL: none) */
    size_t blocks[BULK_BUCKETS];
    uint64_t *spare;    /* the uncut part of the last slab */
    size_t spare_slots; /* its length */
    uint64_t *slabs[MAX_SLABS];
    size_t slab_bytes[MAX_SLABS];
    size_t slab_count, total_bytes;
    distinct_sketch_t sketch;
    uint64_t seed;
    size_t dealt;
} deal_t;

/* A new block for `bucket`: false when no memory is left for one. */
static bool
deal_new_block(const u64set_t *set, deal_t *deal, size_t bucket)
{
    if (deal->spare_slots < BLOCK_SLOTS) {
        /* Half the slabs so far, in whole huge pages: few slabs, and at
         * most a third of them unused. */
        size_t bytes = deal->total_bytes / 2 / MIN_SLAB_BYTES * MIN_SLAB_BYTES;
        if (bytes < MIN_SLAB_BYTES) {
            bytes = MIN_SLAB_BYTES;
        }
        uint64_t *slab =
            deal->slab_count == MAX_SLABS
                ? NULL
                : set->allocator.allocate(set->allocator.context, bytes);
        if (slab == NULL) {
            return false;
        }
        advise_huge_pages(slab, bytes);
        deal->slabs[deal->slab_count] = slab;
        deal->slab_bytes[deal->slab_count++] = bytes;
        deal->total_bytes += bytes;
        deal->spare = slab;
        deal->spare_slots = bytes / sizeof(uint64_t);
    }
    uint64_t *block = deal->spare;
    deal->spare += BLOCK_SLOTS;
    deal->spare_slots -= BLOCK_SLOTS;
    block[BLOCK_KEYS] =
        deal->end[bucket] == NULL
            ? 0
            : (uint64_t)(uintptr_t)(deal->end[bucket] - BLOCK_KEYS);
    deal->next[bucket] = block;
    deal->end[bucket] = block + BLOCK_KEYS;
    deal->blocks[bucket]++;
    return true;
}

/* Deals one key (not 0): false, and the key not dealt, when its bucket
 * needs a block and none can be had. */
static inline bool
deal_key(const u64set_t *set, deal_t *deal, uint64_t key)
{
    uint64_t hash = mix(key, deal->seed);
    size_t bucket = (size_t)(hash >> (64 - BULK_BUCKET_BITS));
    if (deal->next[bucket] == deal->end[bucket] &&
        !deal_new_block(set, deal, bucket)) {
        return false;
    }
    *deal->next[bucket]++ = key;
    sketch_add(&deal->sketch, hash);
    deal->dealt++;
    return true;
}

/* The blocks of a bucket, newest first: the newest, with *count its keys
 * (NULL when the bucket has none), then each older one, full. */
static const uint64_t *
newest_block(const deal_t *deal, size_t bucket, size_t *count)
{
    if (deal->end[bucket] == NULL) {
        return NULL;
    }
    const uint64_t *block = deal->end[bucket] - BLOCK_KEYS;
    *count = (size_t)(deal->next[bucket] - block);
    return block;
}

static const uint64_t *
older_block(const uint64_t *block, size_t *count)
{
    *count = BLOCK_KEYS;
    uint64_t link = block[BLOCK_KEYS];
    return link == 0 ? NULL : (const uint64_t *)(uintptr_t)link;
}

static size_t
bucket_keys(const deal_t *deal, size_t bucket)
{
    size_t newest;
    return newest_block(deal, bucket, &newest) == NULL
               ? 0
               : (deal->blocks[bucket] - 1) * BLOCK_KEYS + newest;
}

/* Inserts a block of keys dealt into a table that no longer takes them
 * region by region: placed at once while the table surely has room for
 * all of them, else one by one, growing the table. */
static u64set_status_t
insert_dealt_block(u64set_t *set, const uint64_t *keys, size_t count)
{
    if (fits(table_count(set) + count, set->capacity)) {
        insert_bucket(set, keys, count);
        return U64SET_OK;
    }
    return insert_one_by_one(set, keys, count, 0);
}

/* How many keys a table for a deal is sized for: the distinct keys the
 * sketch counted, with room for its error (a sixteenth: four standard
 * deviations of 1.6%), and never more than `bound`, every key that may
 * be new. */
static size_t
keys_to_size_for(size_t estimate, size_t bound)
{
    size_t wanted = estimate + estimate / 16 + SKETCH_REGISTERS / 4;
    return wanted < bound ? wanted : bound;
}

/* A deal of millions of keys is placed by two threads, each filling the
 * regions of half the buckets: the table's memory is written at twice the
 * rate, and its pages are zeroed by the kernel in both at once (1e7 keys
 * from an array: 111 to 131 ms, where one thread took 157 to 180).  The halves
 * share no slot: a key whose probe would cross the end of its half (into the
 * other's, or past the table's end) is set aside and inserted after both are
 * done, when nothing else writes the table; so is every key from where a half
 * stopped, should the sketch's estimate prove short or the room set aside run
 * out.  The second thread runs on the caller's memory and calls nothing but
 * the core: it allocates nothing (an allocator may need a lock its caller
 * holds, as tracemalloc's hooks need the GIL), and it takes no signal
 * (they stay the caller's, as Ctrl-C must). */
#define PARALLEL_PLACE_KEYS ((size_t)1 << 20)
/* The second thread's stack: it needs a few hundred bytes (its state is
 * the caller's), and a thread's default stack of 8 MiB, which glibc keeps
 * mapped after the thread ends for the next one, counted against a
 * process's address-space limit (a build under RLIMIT_AS failed). */
#define PLACER_STACK_BYTES ((size_t)256 << 10)
/* Keys a half may set aside: far more than a table sized right sends
 * across a boundary (a run's length at the end of each half). */
#define ASIDE_KEYS 4096

typedef struct half_placement {
    u64set_t *set;
    const deal_t *deal;
    size_t first_bucket, end_bucket; /* the buckets it places */
    size_t end_slot;                 /* the end of the slots it writes */
    size_t added;                    /* keys it placed */
    uint64_t aside[ASIDE_KEYS];      /* keys left to be inserted after */
    size_t aside_count;
    /* Where it stopped: at end_bucket when it placed every block. */
    size_t stop_bucket;
    const uint64_t *stop_block;
    size_t stop_count;
} half_placement_t;

/* Whether the half's keys and `count` more stay within the load limit of
 * the regions that its buckets up to `bucket` fill, and two regions more
 * but never beyond its own (a block may be all repeats, and a region of a
 * table sized at its limit holds fewer keys than a block: 409 at 2**18 slots).
 * Keys go in region by region: an estimate that fell short would otherwise be
 * found out only when the whole table is full, by then one cluster long enough
 * to make every insert a walk through it (the keys of each region spill into
 * the next, and the spills add up). */
static bool
half_fits(const half_placement_t *half, size_t bucket, size_t count)
{
    size_t regions = bucket - half->first_bucket + 3;
    size_t own = half->end_bucket - half->first_bucket;
    size_t covered =
        half->set->capacity / BULK_BUCKETS * (regions < own ? regions : own);
    return half->added + count <= covered / LOAD_DENOMINATOR * LOAD_NUMERATOR;
}

/* Places a block's keys in the half's slots, each from its home slot
 * computed FLUSH_AHEAD keys before and fetched meanwhile (as
 * insert_bucket does); the keys dealt are never 0. */
static void
place_block_in_half(half_placement_t *half, const uint64_t *keys, size_t count)
{
    const u64set_t *set = half->set;
    uint64_t *slots = set->slots;
    size_t homes[FLUSH_AHEAD];

    for (size_t i = 0; i < count && i < FLUSH_AHEAD; i++) {
        homes[i] = home_slot(set, keys[i]);
        prefetch_slot(set, homes[i], true);
    }
    for (size_t i = 0; i < count; i++) {
        uint64_t key = keys[i];
        size_t slot = homes[i % FLUSH_AHEAD];
        if (i + FLUSH_AHEAD < count) {
            size_t ahead = home_slot(set, keys[i + FLUSH_AHEAD]);
            homes[i % FLUSH_AHEAD] = ahead;
            prefetch_slot(set, ahead, true);
        }
        while (slot < half->end_slot && slots[slot] != FREE_KEY &&
               slots[slot] != key) {
            slot++;
        }
        if (slot == half->end_slot) {
            half->aside[half->aside_count++] = key;
        } else if (slots[slot] == FREE_KEY) {
            slots[slot] = key;
            half->added++;
        }
    }
}

static void *
place_half(void *argument)
{
    half_placement_t *half = argument;
    const deal_t *deal = half->deal;
    size_t lines_per_region =
        half->set->capacity / SLOTS_PER_LINE >> BULK_BUCKET_BITS;
    /* Summed and kept, so that the compiler keeps the reads. */
    volatile uint64_t touched = 0;

    for (size_t bucket = half->first_bucket; bucket < half->end_bucket;
         bucket++) {
        if (bucket_keys(deal, bucket) >= lines_per_region) {
            touched += touch_region(half->set, bucket);
        }
        size_t count;
        for (const uint64_t *block = newest_block(deal, bucket, &count);
             block != NULL; block = older_block(block, &count)) {
            if (!half_fits(half, bucket, count) ||
                ASIDE_KEYS - half->aside_count < count) {
                half->stop_bucket = bucket;
                half->stop_block = block;
                half->stop_count = count;
                return NULL;
            }
            place_block_in_half(half, block, count);
        }
    }
    (void)touched;
    half->stop_bucket = half->end_bucket;
    return NULL;
}

/* Writes a word of every page of a new table, so that its pages are
 * faulted in by one thread before two fill it.  Faulted by both at once,
 * huge pages cost the kernel (and the hypervisor under it, here) several
 * times as much: 1e7 keys built between builds of set(list), 150 to 450
 * ms of system time a build, against 20 to 50 faulted first. */
static void
fault_in(uint64_t *slots, size_t capacity)
{
    const size_t slots_per_page = 4096 / sizeof(uint64_t);
    for (size_t slot = 0; slot < capacity; slot += slots_per_page) {
        ((volatile uint64_t *)slots)[slot] = FREE_KEY;
    }
    ((volatile uint64_t *)slots)[capacity - 1] = FREE_KEY;
}

#ifdef U64SET_THREADS
/* Every signal but those a fault raises in the thread that faulted: those
 * must reach the process's handlers (pyhost's fatal-signal report,
 * AddressSanitizer's), which a blocked one bypasses. */
static bool
fill_asynchronous(sigset_t *set)
{
    static const int synchronous[] = {SIGSEGV, SIGBUS,  SIGFPE, SIGILL,
                                      SIGABRT, SIGTRAP, SIGSYS};
    if (sigfillset(set) != 0) {
        return false;
    }
    for (size_t i = 0; i < sizeof synchronous / sizeof *synchronous; i++) {
        if (sigdelset(set, synchronous[i]) != 0) {
            return false;
        }
    }
    return true;
}
#endif

/* Runs place_half on `second` in a thread of its own, with every
 * asynchronous signal blocked in it, and on `first` in this one.  Without a
 * thread (none can be had, the deal is small, or the build did not define
 * U64SET_THREADS), one after the other.  The Makefile's builds define it; the
 * wheel's modules do not, since pthread_create's symbol version would make
 * them need glibc 2.34 where they need 2.17 (manylinux2014). */
static void
place_halves(half_placement_t *first, half_placement_t *second,
             bool in_parallel)
{
#ifdef U64SET_THREADS
    pthread_t thread;
    pthread_attr_t attributes;
    sigset_t all, old;
    bool started = false;

    if (in_parallel && pthread_attr_init(&attributes) == 0) {
        if (pthread_attr_setstacksize(&attributes, PLACER_STACK_BYTES) == 0 &&
            fill_asynchronous(&all) &&
            pthread_sigmask(SIG_SETMASK, &all, &old) == 0) {
            started =
                pthread_create(&thread, &attributes, place_half, second) == 0;
            (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
        }
        (void)pthread_attr_destroy(&attributes);
    }
    (void)place_half(first);
    if (started) {
        (void)pthread_join(thread, NULL);
    } else {
        (void)place_half(second);
    }
#else
    (void)in_parallel;
    (void)place_half(first);
    (void)place_half(second);
#endif
}

/* The keys a half left from where it stopped (0 when it placed them all).
 * With `status` not NULL, each block of them also goes into the table
 * while *status stays U64SET_OK. */
static size_t
walk_what_half_left(u64set_t *set, const half_placement_t *half,
                    u64set_status_t *status)
{
    size_t left = 0, count = half->stop_count;
    const uint64_t *block = half->stop_block;

    for (size_t bucket = half->stop_bucket; bucket < half->end_bucket;
         bucket++) {
        if (bucket != half->stop_bucket) {
            block = newest_block(half->deal, bucket, &count);
        }
        for (; block != NULL; block = older_block(block, &count)) {
            left += count;
            if (status != NULL && *status == U64SET_OK) {
                *status = insert_dealt_block(set, block, count);
            }
        }
    }
    return left;
}

/* What the halves left: the keys from where a half stopped, then the keys
 * set aside.  If a half stopped (its estimate fell short, or it set aside
 * too many), the table is first rebuilt, under another seed, with room
 * for all of them (one rebuild, where add_key would grow step by step):
 * the rest then come in no order of the table's. */
static u64set_status_t
insert_what_halves_left(u64set_t *set, half_placement_t *const *halves)
{
    u64set_status_t status = U64SET_OK;
    size_t left = walk_what_half_left(set, halves[0], NULL) +
                  walk_what_half_left(set, halves[1], NULL);

    if (left > 0) {
        size_t capacity = capacity_for(
            keys_to_size_for(sketch_estimate(&halves[0]->deal->sketch),
                             table_count(set) + left + halves[0]->aside_count +
                                 halves[1]->aside_count));
        if (capacity <= set->capacity) {
            capacity = grown_capacity(set->capacity);
        }
        status = capacity == 0 ? U64SET_NOMEM : rebuild(set, capacity);
        for (size_t h = 0; h < 2; h++) {
            (void)walk_what_half_left(set, halves[h], &status);
        }
    }
    for (size_t h = 0; h < 2 && status == U64SET_OK; h++) {
        status =
            insert_dealt_block(set, halves[h]->aside, halves[h]->aside_count);
    }
    return status;
}

/* Every key dealt (the table's among them) goes into a new table, region
 * by region in one pass, sized by keys_to_size_for: keys that are all
 * distinct are sized for exactly. */
static u64set_status_t
place_dealt_keys(u64set_t *set, const deal_t *deal)
{
    size_t capacity = capacity_for(keys_to_size_for(
        sketch_estimate(&deal->sketch) / ESTIMATE_SHARE, deal->dealt));
    uint64_t *slots =
        capacity == 0 ? NULL : allocate_free_slots(set, capacity);
    half_placement_t *halves[2] = {NULL, NULL};
    u64set_status_t status = U64SET_NOMEM;

    for (size_t h = 0; h < 2; h++) {
        halves[h] =
            set->allocator.allocate(set->allocator.context, sizeof **halves);
    }
    if (slots == NULL || halves[0] == NULL || halves[1] == NULL) {
        release_table(set, slots, capacity);
        goto done;
    }
    uint64_t *old_slots = set->slots;
    size_t old_capacity = set->capacity;
    set->count -= table_count(set); /* each is counted again as it goes in */
    set->slots = slots;
    set->capacity = capacity;
    set->seed = deal->seed;
    set->pop_hint = NO_HINT;
    set->version++;
    size_t split = (size_t)(((u64set_wide_t)(BULK_BUCKETS / 2) * capacity) >>
                            BULK_BUCKET_BITS);
    *halves[0] = (half_placement_t){.set = set,
                                    .deal = deal,
                                    .end_bucket = BULK_BUCKETS / 2,
                                    .end_slot = split};
    *halves[1] = (half_placement_t){.set = set,
                                    .deal = deal,
                                    .first_bucket = BULK_BUCKETS / 2,
                                    .end_bucket = BULK_BUCKETS,
                                    .end_slot = capacity};
#ifdef U64SET_THREADS
    bool in_parallel = deal->dealt >= PARALLEL_PLACE_KEYS;
#else
    bool in_parallel = false;
#endif
    if (in_parallel) {
        fault_in(slots, capacity);
    }
    place_halves(halves[0], halves[1], in_parallel);
    set->count += halves[0]->added + halves[1]->added;
    status = insert_what_halves_left(set, halves);
    u64set_assert(table_is_sound(set));
    release_table(set, old_slots, old_capacity);
done:
    for (size_t h = 0; h < 2; h++) {
        if (halves[h] != NULL) {
            set->allocator.release(set->allocator.context, halves[h],
                                   sizeof **halves);
        }
    }
    return status;
}

static void
deal_release(const u64set_t *set, deal_t *deal)
{
    for (size_t i = 0; i < deal->slab_count; i++) {
        set->allocator.release(set->allocator.context, deal->slabs[i],
                               deal->slab_bytes[i]);
    }
}

/* A deal stops once it holds DEAL_AHEAD keys for each distinct one: its
 * buckets then hold 24 bytes a distinct key, under what set holds for
 * one (an int and 16 bytes of table).  150,000 keys repeated 14 times
 * peaked at 20 MiB against set's 9.1 when the deal went on to 16 keys a
 * distinct one, 10.7 at 4, 8.7 at 3, 6.7 at 2; but at 2, 3e6 keys each
 * repeated three times stopped the deal and took 186-257 ms, against 107
 * at 3.  Distinct keys never stop it (the sketch is off by a few percent,
 * not by a third); after a stop the rest goes in at the rate of new keys
 * (one by one, for repeats). */
#define DEAL_AHEAD 3

/* Deals the table's keys, then `keys`, into buckets by the hash of the
 * next table's seed, sketching how many are distinct, until the keys end,
 * no block can be had, or the keys dealt pass DEAL_AHEAD times the
 * distinct ones (a batch of repeats reserves no room for them); then all
 * of them go into a new table.  *consumed receives how many of `keys` were
 * read (0 with U64SET_OK when not even the table's keys could be dealt:
 * the caller then goes the stepwise way).  On U64SET_NOMEM the set holds
 * some of its keys and of these, as u64set_insert_batch allows. */
static u64set_status_t
deal_then_insert(u64set_t *set, const uint64_t *keys, size_t n,
                 size_t *consumed)
{
    deal_t *deal =
        set->allocator.allocate(set->allocator.context, sizeof *deal);
    uint64_t chunk[READ_CHUNK];
    u64set_status_t status = U64SET_OK;
    size_t read = 0, since_check = 0;
    bool stopped = false;

    *consumed = 0;
    if (deal == NULL) {
        return U64SET_OK;
    }
    memset(deal, 0, sizeof *deal);
    deal->seed = draw_seed(set);
    for (size_t slot = 0; slot < set->capacity; slot++) {
        if (set->slots[slot] != FREE_KEY &&
            !deal_key(set, deal, set->slots[slot])) {
            goto done; /* every key held must move: give up */
        }
    }
    while (read < n && !stopped) {
        size_t count = n - read < READ_CHUNK ? n - read : READ_CHUNK;
        memcpy(chunk, keys + read, count * sizeof(uint64_t));
        size_t i = 0;
        for (; i < count; i++) {
            if (chunk[i] == FREE_KEY) {
                (void)insert_reserved_from(set, FREE_KEY, 0); /* outside */
            } else if (!deal_key(set, deal, chunk[i])) {
                stopped = true;
                break;
            }
        }
        read += i;
        since_check += i;
        if (since_check >= SKETCH_CHECK_KEYS) {
            size_t distinct = sketch_estimate(&deal->sketch);
            stopped = stopped ||
                      deal->dealt / DEAL_AHEAD >
                          (distinct > SAMPLE_KEYS ? distinct : SAMPLE_KEYS);
            since_check = 0;
        }
    }
    *consumed = read;
    status = place_dealt_keys(set, deal);
done:
    deal_release(set, deal);
    set->allocator.release(set->allocator.context, deal, sizeof *deal);
    return status;
}

/* A batch starts with a sample inserted one by one.  Then, as long as
 * most keys are new, the table is sized at the rate of new keys seen so
 * far for the rest of the batch and the `more_inputs` still to come (but
 * never more than GROWTH_AHEAD times the keys it holds), and as many keys
 * as then surely fit go in region by region; a batch of mostly repeats
 * goes in one by one.  The buckets may take up to three quarters of the
 * table's size in keys, since no old table is held beside them then (see
 * alone_flush_keys).  The rest of a large batch with nothing to come after
 * it is dealt before the table is sized (deal_then_insert): 1e7 keys from
 * an array, 158 against 178 ms, since no table of a million is filled on
 * the way. */
u64set_status_t
u64set_insert_batch(u64set_t *set, const uint64_t *keys, size_t n,
                    size_t more_inputs)
{
    uint64_t version = set->version;
    size_t before = set->count;
    size_t done = n < SAMPLE_KEYS ? n : SAMPLE_KEYS;
    u64set_status_t status;

    /* Room for all already (sized by an earlier batch): nothing to learn.
     * A batch small beside its table goes in one by one, with home slots
     * fetched ahead; regions pay when a batch fills a good part of it. */
    if (n <= SIZE_MAX - table_count(set) &&
        fits(table_count(set) + n, set->capacity)) {
        if (n >= BULK_MIN_KEYS && n >= set->capacity / 16) {
            insert_all_reserved(set, keys, n, n, false, alone_flush_keys(set));
            status = U64SET_OK;
        } else {
            status = insert_one_by_one(set, keys, n, 0);
        }
        done = n;
    } else {
        status = insert_one_by_one(set, keys, done, 0);
    }

    while (status == U64SET_OK && done < n) {
        size_t rest = n - done;
        double rate = (double)(set->count - before) / (double)done;
        size_t predicted = ahead_of(
            set, (size_t)(rate * ((double)rest + (double)more_inputs)));
        if (rate < 0.5) {
            status = insert_one_by_one(set, keys + done, rest,
                                       (size_t)(rate * (double)more_inputs));
            break;
        }
        /* A large batch with nothing after it: dealt before sizing. */
        if (more_inputs == 0 && rest >= DEAL_FIRST_KEYS &&
            table_count(set) <= rest / DEAL_HELD_SHARE &&
            !fits(table_count(set) + rest, set->capacity)) {
            size_t consumed;
            status = deal_then_insert(set, keys + done, rest, &consumed);
            if (consumed > 0) {
                done += consumed;
                continue;
            }
            if (status != U64SET_OK) {
                break;
            }
        }
        size_t wanted = capacity_for(table_count(set) + predicted);
        if (wanted == 0 ||
            (wanted > set->capacity && rebuild(set, wanted) != U64SET_OK)) {
            status = U64SET_NOMEM;
            break;
        }
        /* Keys that surely fit, were every one of them new. */
        size_t step = rest;
        while (step > 0 && !fits(table_count(set) + step, set->capacity)) {
            step /= 2;
        }
        if (step < BULK_MIN_KEYS) {
            status = insert_one_by_one(set, keys + done, rest,
                                       (size_t)(rate * (double)more_inputs));
            break;
        }
        insert_all_reserved(set, keys + done, step, step, false,
                            alone_flush_keys(set));
        done += step;
    }
    /* Rebuilds moved the version already; added keys move it once. */
    if (set->count != before && set->version == version) {
        set->version++;
    }
    return status;
}

/* Combining tables (update, intersection, difference, symmetric
 * difference, union) marks the kept slots of each source in a bitmap, a
 * bit a slot, then sizes the result once for the keys marked (and, when
 * a table is combined with listed keys, for the listed keys it lacks, a
 * key listed twice counted twice) and places them.  Inserting them one by
 * one as they were found grew the result step by step, and `big & big` of
 * a million keys cost three times set's (`big - small` 2.6 times, `a ^ b`
 * 2.7 times).  The bitmaps cost 1/64 of the sources' tables; small ones
 * are on the stack. */
#define MARKS_STACK_SLOTS 4096
#define MARK_BLOCK_SLOTS 256

static size_t
marks_words(const u64set_t *source)
{
    return (source->capacity + 63) / 64;
}

/* Marks, in `marks`, the slots of `source` whose key is in `probe`
 * (keep) or is not (!keep); returns how many.  Each block's keys are
 * gathered first, without a branch per slot, then looked up together, so
 * that a large probe's misses overlap. */
static size_t
mark_kept(const u64set_t *source, const u64set_t *probe, bool keep,
          uint64_t *marks)
{
    uint64_t keys[MARK_BLOCK_SLOTS];
    uint16_t offsets[MARK_BLOCK_SLOTS];
    bool found[MARK_BLOCK_SLOTS];
    size_t kept = 0;

    for (size_t base = 0; base < source->capacity; base += MARK_BLOCK_SLOTS) {
        size_t slots = source->capacity - base < MARK_BLOCK_SLOTS
                           ? source->capacity - base
                           : MARK_BLOCK_SLOTS;
        size_t n = 0;
        for (size_t i = 0; i < slots; i++) {
            uint64_t key = source->slots[base + i];
            keys[n] = key;
            offsets[n] = (uint16_t)i;
            n += key != FREE_KEY;
        }
        if (probe->count == 0) {
            memset(found, 0, n * sizeof *found);
        } else {
            u64set_contains_many(probe, keys, n, found);
        }
        memset(&marks[base / 64], 0, (slots + 63) / 64 * sizeof *marks);
        for (size_t i = 0; i < n; i++) {
            uint64_t bit = (uint64_t)(found[i] == keep);
            marks[(base + offsets[i]) / 64] |= bit << (offsets[i] % 64);
            kept += (size_t)bit;
        }
    }
    return kept;
}

/* What a combination with listed keys takes: the source's keys that are
 * listed, or those that are not; with the listed keys the source lacks,
 * those that are not (the symmetric difference), or all (the union). */
typedef enum {
    LISTED_KEEP,
    LISTED_DROP,
    LISTED_TOGGLE,
    LISTED_JOIN
} listed_use_t;

/* Marks, in `marks`, the slots of `source` that `use` takes: those whose
 * key is among keys[0..n) (LISTED_KEEP), those whose key is not (DROP,
 * TOGGLE), or all occupied (JOIN); returns how many.  Stores in
 * *zero_listed whether the key 0 is listed, and in *absent how many
 * listed keys other than 0 the source lacks (a repeat counts each time).
 * A lookup of each listed key finds its slot, where marking the source's
 * slots by lookups in a table of the listed keys would first have built
 * that table. */
static size_t
mark_listed(const u64set_t *source, const uint64_t *keys, size_t n,
            listed_use_t use, uint64_t *marks, bool *zero_listed,
            size_t *absent)
{
    size_t where[LOCATE_BLOCK_KEYS];
    size_t words = marks_words(source), listed = 0;

    *zero_listed = false;
    *absent = 0;

    memset(marks, 0, words * sizeof *marks);
    for (size_t start = 0; start < n; start += LOCATE_BLOCK_KEYS) {
        size_t m =
            n - start < LOCATE_BLOCK_KEYS ? n - start : LOCATE_BLOCK_KEYS;
        locate_many(source, keys + start, m, where);
        for (size_t i = 0; i < m; i++) {
            if (where[i] == ZERO_KEY_SLOT) {
                *zero_listed = true;
            } else if (where[i] == NOWHERE) {
                (*absent)++;
            } else {
                uint64_t bit = UINT64_C(1) << (where[i] % 64);
                listed += (marks[where[i] / 64] & bit) == 0;
                marks[where[i] / 64] |= bit;
            }
        }
    }
    if (use == LISTED_KEEP) {
        return listed;
    }
    /* The occupied slots that no listed key marked, or all of them. */
    uint64_t unmarked = use == LISTED_JOIN ? 0 : ~UINT64_C(0);
    for (size_t w = 0; w < words; w++) {
        uint64_t occupied = 0;
        for (size_t i = 0; i < 64 && w * 64 + i < source->capacity; i++) {
            occupied |= (uint64_t)(source->slots[w * 64 + i] != FREE_KEY) << i;
        }
        marks[w] = occupied & ~(marks[w] & unmarked);
    }
    return table_count(source) - (use == LISTED_JOIN ? 0 : listed);
}

/* Where marked keys go: into a table with room for them, by region when
 * they are many (in the order of a source's slots, which is random for
 * the result's seed, a million keys took twice as long). */
typedef struct placer {
    bool by_region;
    region_dealer_t dealer;
    size_t n;
    uint64_t chunk[READ_CHUNK];
} placer_t;

static void
placer_open(placer_t *placer, const u64set_t *set, size_t keys,
            size_t flush_keys)
{
    placer->n = 0;
    placer->by_region =
        keys >= BULK_MIN_KEYS &&
        region_dealer_open(&placer->dealer, set, keys, flush_keys);
}

static void
placer_add(placer_t *placer, u64set_t *set, uint64_t key)
{
    if (placer->by_region) {
        region_dealer_add(&placer->dealer, set, key);
        return;
    }
    placer->chunk[placer->n++] = key;
    if (placer->n == READ_CHUNK) {
        insert_all_reserved(set, placer->chunk, placer->n, 0, false, 0);
        placer->n = 0;
    }
}

static void
placer_close(placer_t *placer, u64set_t *set)
{
    if (placer->by_region) {
        region_dealer_close(&placer->dealer, set);
    } else if (set->count == 0 && is_word_table(set)) {
        /* Every key still here, all distinct (a table's), none placed. */
        fill_empty_word_table(set, placer->chunk, placer->n);
    } else {
        insert_all_reserved(set, placer->chunk, placer->n, 0, false, 0);
    }
}

/* What to combine: the keys of each source that are in its probe (keep)
 * or that are not (!keep) go into the target; with `listed` keys instead
 * of probes (one source, no probe; keys may be NULL when none is listed),
 * the keys `use` takes. */
typedef struct combination {
    size_t sources;
    const u64set_t *source[2];
    const u64set_t *probe[2];
    bool keep;
    const uint64_t *listed;
    size_t listed_count;
    listed_use_t use;
    /* When the result would hold every key of the source (one source,
     * nothing dropped), add nothing and return U64SET_PRESENT. */
    bool unless_unchanged;
} combination_t;

/* Adds to `target`, which has room for them, the listed keys (but 0)
 * that `source` lacks.  When target holds all of source's keys already
 * (join), each listed key is simply inserted, with no lookup in source. */
static void
add_absent_listed(u64set_t *target, const u64set_t *source,
                  const uint64_t *keys, size_t n, bool join)
{
    size_t where[LOCATE_BLOCK_KEYS];

    for (size_t i = 0; join && i < n; i++) {
        uint64_t key = keys[i];
        if (key != FREE_KEY) {
            (void)insert_reserved(target, key);
        }
    }
    for (size_t start = 0; !join && start < n; start += LOCATE_BLOCK_KEYS) {
        size_t m =
            n - start < LOCATE_BLOCK_KEYS ? n - start : LOCATE_BLOCK_KEYS;
        locate_many(source, keys + start, m, where);
        for (size_t i = 0; i < m; i++) {
            if (where[i] == NOWHERE) {
                (void)insert_reserved(target, keys[start + i]);
            }
        }
    }
}

/* Adds the combination's keys to `target`, which none of its tables is.
 * Room is made first, so on U64SET_NOMEM nothing changed.  Adding no key
 * leaves the version as it was, so live iterators go on. */
static u64set_status_t
combine_into(u64set_t *target, const combination_t *what)
{
    uint64_t stack_marks[MARKS_STACK_SLOTS / 64];
    uint64_t *marks = stack_marks;
    size_t words = 0, kept = 0, absent = 0;
    bool zero = false;
    u64set_status_t status = U64SET_OK;

    for (size_t i = 0; i < what->sources; i++) {
        words += marks_words(what->source[i]);
    }
    size_t bytes = words * sizeof *marks;
    if (words > MARKS_STACK_SLOTS / 64) {
        marks = target->allocator.allocate(target->allocator.context, bytes);
        if (marks == NULL) {
            return U64SET_NOMEM;
        }
    }
    for (size_t i = 0, word = 0; i < what->sources; i++) {
        const u64set_t *source = what->source[i];
        if (what->probe[i] == NULL) {
            bool zero_listed;
            listed_use_t use = what->use;
            kept += mark_listed(source, what->listed, what->listed_count, use,
                                marks + word, &zero_listed, &absent);
            zero |= use == LISTED_KEEP     ? source->has_zero && zero_listed
                    : use == LISTED_DROP   ? source->has_zero && !zero_listed
                    : use == LISTED_TOGGLE ? source->has_zero != zero_listed
                                           : source->has_zero || zero_listed;
            absent = use == LISTED_TOGGLE || use == LISTED_JOIN ? absent : 0;
        } else {
            kept +=
                mark_kept(source, what->probe[i], what->keep, marks + word);
            zero |= source->has_zero && what->probe[i]->has_zero == what->keep;
        }
        word += marks_words(source);
    }
    if (what->unless_unchanged && kept == table_count(what->source[0]) &&
        zero == what->source[0]->has_zero) {
        status = U64SET_PRESENT;
        kept = 0;
        zero = false;
    }
    zero &= !target->has_zero;
    bool had_table = target->slots != NULL;
    if (kept > 0 || absent > 0) {
        status = u64set_reserve(target, table_count(target) + kept + absent);
    }
    if (status == U64SET_OK && kept > 0) {
        /* A target that had no table (a new one) holds no old one now:
         * its buckets may be as large as a bulk insert's. */
        placer_t placer;
        placer_open(&placer, target, kept,
                    had_table ? target->capacity / BULK_SCRATCH_DIVISOR
                              : alone_flush_keys(target));
        for (size_t i = 0, word = 0; i < what->sources; i++) {
            const u64set_t *source = what->source[i];
            for (size_t w = 0; w < marks_words(source); w++, word++) {
                for (uint64_t bits = marks[word]; bits != 0;
                     bits &= bits - 1) {
                    placer_add(
                        &placer, target,
                        source->slots[w * 64 + (size_t)__builtin_ctzll(bits)]);
                }
            }
        }
        placer_close(&placer, target);
    }
    if (status == U64SET_OK && absent > 0) {
        add_absent_listed(target, what->source[0], what->listed,
                          what->listed_count, what->use == LISTED_JOIN);
    }
    if (status == U64SET_OK && zero) {
        target->has_zero = true;
        target->count++;
    }
    if (status == U64SET_OK && (kept > 0 || absent > 0 || zero)) {
        target->version++;
    }
    if (marks != stack_marks) {
        target->allocator.release(target->allocator.context, marks, bytes);
    }
    return status;
}

u64set_status_t
u64set_update(u64set_t *target, const u64set_t *source)
{
    if (target == source) {
        return U64SET_OK;
    }
    if (target->count == 0) {
        /* A copy: every key is new, none needs looking up. */
        if (source->count == 0) {
            return U64SET_OK;
        }
        bool had_table = target->slots != NULL;
        if (table_count(source) > 0 &&
            u64set_reserve(target, table_count(source)) != U64SET_OK) {
            return U64SET_NOMEM;
        }
        target->has_zero = source->has_zero;
        target->count = source->has_zero;
        size_t moving = table_count(source);
        if (moving < REGION_REBUILD_KEYS) {
            /* Distinct keys into an empty table: each simply placed. */
            put_slots(target, source->slots, source->capacity, PUT_PLACE);
            target->count += moving;
            u64set_assert(table_is_sound(target));
        } else {
            insert_all_reserved(
                target, source->slots, source->capacity, moving, true,
                had_table ? target->capacity / BULK_SCRATCH_DIVISOR
                          : alone_flush_keys(target));
        }
        target->version++;
        return U64SET_OK;
    }
    if (table_count(source) <= SIZE_MAX - table_count(target) &&
        fits(table_count(target) + table_count(source), target->capacity)) {
        /* Room for every key already: each inserted, its probe finding it
         * if present, with no lookup first. */
        size_t before = target->count;
        put_slots(target, source->slots, source->capacity, PUT_INSERT);
        if (source->has_zero && !target->has_zero) {
            target->has_zero = true;
            target->count++;
        }
        if (target->count != before) {
            target->version++;
        }
        return U64SET_OK;
    }
    const combination_t absent = {
        .sources = 1, .source = {source}, .probe = {target}};
    return combine_into(target, &absent);
}

/* A result that is one operand changed by a much smaller one (and a
 * union of two that fit a small table together) is built as set builds
 * it: a copy of the large operand (one hash a key), then each key of the
 * small one added, removed or toggled.  Marking the large operand's keys
 * cost a lookup in the small one besides: `a - c` and `a | c` of 1e3 and
 * 10 keys took 3 and 2.6 times set's time. */
#define COPY_SHARE 8

static bool
much_smaller(const u64set_t *small, const u64set_t *large)
{
    return small->count <= large->count / COPY_SHARE;
}

/* `change` is PUT_INSERT, PUT_REMOVE or PUT_TOGGLE.  Room for both is
 * reserved first (nothing can fail after), and the table is fitted to
 * its keys only once every key is in: shrunk on the way, a later insert
 * would have needed memory.  An insert or a toggle reserved for keys that
 * turned out present, or toggled out: the table is fitted as growth
 * would size it (a | a of 65 keys kept 2048 slots where 256 do); a
 * removal shrinks as removals do. */
static u64set_status_t
copy_then_change(u64set_t *out, const u64set_t *large, const u64set_t *small,
                 put_t change)
{
    size_t room =
        table_count(large) + (change == PUT_REMOVE ? 0 : table_count(small));

    u64set_assert(out->count == 0 && change != PUT_PLACE);
    if ((room > 0 && u64set_reserve(out, room) != U64SET_OK) ||
        u64set_update(out, large) != U64SET_OK) {
        u64set_clear(out);
        return U64SET_NOMEM;
    }
    put_slots(out, small->slots, small->capacity, change);
    bool zero = change == PUT_TOGGLE ? !out->has_zero : change == PUT_INSERT;
    if (small->has_zero && zero != out->has_zero) {
        out->count = zero ? out->count + 1 : out->count - 1;
        out->has_zero = zero;
    }
    out->version++; /* a toggle may change keys, not their count */
    if (change == PUT_REMOVE) {
        maybe_shrink(out);
    } else {
        fit_if_roomy(out);
    }
    return U64SET_OK;
}

/* A source of at most FEW_KEYS keys (a table of the smallest size), or of
 * at most SMALL_SOURCE_KEYS probing a table in the caches, is filtered
 * key by key, with no bitmap and no placer: their setting up was most of
 * `big & small` of 10 keys, which took 1.3 times set's time, and of `a &
 * b` of 1e2 keys each (1.2 to 1.4).  A larger probe gains from the
 * overlapped lookups of the marks. */
#define FEW_KEYS (MIN_CAPACITY / SMALL_LOAD_DIVISOR)
#define SMALL_SOURCE_KEYS 128

/* Writes to `kept` (room for the source's keys and one more) the keys of
 * `source`'s table proper whose presence in `probe` is `keep`, and
 * returns how many.  The keys are gathered first, without a branch a slot
 * (a branch on each mispredicted: a third of `c - a` with c of 10 keys),
 * then kept in place. */
static size_t
keep_few(const u64set_t *source, const u64set_t *probe, bool keep,
         uint64_t *kept)
{
    size_t n = gather_keys(source->slots, source->capacity, kept,
                           SMALL_SOURCE_KEYS + 1);
    size_t in_table = 0;

    for (size_t i = 0; i < n; i++) {
        uint64_t key = kept[i];
        kept[in_table] = key;
        in_table += holds_table_key(probe, key) == keep;
    }
    return in_table;
}

/* Adds `n` distinct keys (not 0), and the key 0 if `zero`, to `out`, all
 * or nothing. */
static u64set_status_t
add_kept(u64set_t *out, const uint64_t *kept, size_t n, bool zero)
{
    if (n > 0 && u64set_reserve(out, table_count(out) + n) != U64SET_OK) {
        return U64SET_NOMEM;
    }
    size_t before = out->count;
    if (out->count == 0 && n > 0 && is_word_table(out)) {
        fill_empty_word_table(out, kept, n);
    } else {
        for (size_t i = 0; i < n; i++) {
            (void)insert_reserved(out, kept[i]);
        }
    }
    if (zero && !out->has_zero) {
        out->has_zero = true;
        out->count++;
    }
    if (out->count != before) {
        out->version++;
    }
    return U64SET_OK;
}

static u64set_status_t
filter_few(u64set_t *out, const u64set_t *source, const u64set_t *probe,
           bool keep)
{
    uint64_t kept[SMALL_SOURCE_KEYS + 1];
    size_t n = keep_few(source, probe, keep, kept);
    return add_kept(out, kept, n, source->has_zero && probe->has_zero == keep);
}

/* The symmetric difference of two tables of at most SMALL_SOURCE_KEYS
 * keys: each one's keys looked up in the other, and those in one only
 * placed once.  As a copy of one toggled by the other, a ^ a of 10 keys
 * took 1.8 times set's time: every key placed, then removed. */
static u64set_status_t
toggle_few(u64set_t *out, const u64set_t *a, const u64set_t *b)
{
    uint64_t kept[2 * SMALL_SOURCE_KEYS + 1];
    size_t n = keep_few(a, b, false, kept);
    n += keep_few(b, a, false, kept + n);
    return add_kept(out, kept, n, a->has_zero != b->has_zero);
}

/* A difference with a much smaller table is a copy with its keys removed,
 * as set builds it, even where the source is few enough to filter key by
 * key: `a - c` of 100 and 10 keys took 1.47 times set's time filtered
 * (100 lookups, 90 inserts), 1.21 copied (100 placed, 10 removed). */
u64set_status_t
u64set_filter(u64set_t *out, const u64set_t *source, const u64set_t *probe,
              bool keep)
{
    const combination_t kept = {
        .sources = 1, .source = {source}, .probe = {probe}, .keep = keep};
    u64set_assert(out != source && out != probe);
    if (!keep && out->count == 0 && much_smaller(probe, source)) {
        return copy_then_change(out, source, probe, PUT_REMOVE);
    }
    if (source->count <= FEW_KEYS || (source->count <= SMALL_SOURCE_KEYS &&
                                      probe->capacity < FAST_GROWTH_LIMIT)) {
        return filter_few(out, source, probe, keep);
    }
    return combine_into(out, &kept);
}

u64set_status_t
u64set_filter_listed(u64set_t *out, const u64set_t *source,
                     const uint64_t *keys, size_t n, bool keep)
{
    const combination_t listed = {.sources = 1,
                                  .source = {source},
                                  .listed = keys,
                                  .listed_count = n,
                                  .use = keep ? LISTED_KEEP : LISTED_DROP};
    u64set_assert(out != source);
    return combine_into(out, &listed);
}

void
u64set_remove_listed(u64set_t *set, const uint64_t *keys, size_t n)
{
    const combination_t dropped = {.sources = 1,
                                   .source = {set},
                                   .listed = keys,
                                   .listed_count = n,
                                   .use = LISTED_DROP,
                                   .unless_unchanged = true};
    u64set_t kept;

    u64set_init(&kept, set->secret, &set->allocator);
    u64set_status_t status = combine_into(&kept, &dropped);
    if (status == U64SET_OK) {
        u64set_move(set, &kept);
    }
    u64set_destroy(&kept);
    for (size_t i = 0; status == U64SET_NOMEM && i < n; i++) {
        /* Removing needs no memory. */
        (void)u64set_remove(set, keys[i]);
    }
}

/* A union with listed keys that fit a small table with the source's: a
 * copy of the source with each listed key inserted, as set builds it,
 * then the table fitted to the keys it holds (a key listed many times
 * made room each time).  Marked first, the source's keys by the listed
 * ones, a.union(list of 100) took 1.5 times set's time. */
static u64set_status_t
join_listed_small(u64set_t *out, const u64set_t *source, const uint64_t *keys,
                  size_t n)
{
    size_t room = table_count(source);

    u64set_assert(out->count == 0);
    for (size_t i = 0; i < n; i++) {
        room += keys[i] != FREE_KEY; /* the key 0 needs no slot */
    }
    /* With room for every key, insert_all puts each in with one probe;
     * were the keys changed since they were counted, against the
     * contract, it would still make room. */
    if ((room > 0 && u64set_reserve(out, room) != U64SET_OK) ||
        u64set_update(out, source) != U64SET_OK ||
        u64set_insert_all(out, keys, n, NULL) != U64SET_OK) {
        u64set_clear(out);
        return U64SET_NOMEM;
    }
    fit_after_growth(out, 0);
    return U64SET_OK;
}

/* The symmetric difference or the union of a table and listed keys. */
static u64set_status_t
add_listed(u64set_t *out, const u64set_t *source, const uint64_t *keys,
           size_t n, listed_use_t use)
{
    if (use == LISTED_JOIN && n < FAST_GROWTH_LIMIT &&
        capacity_for(table_count(source) + n) < FAST_GROWTH_LIMIT) {
        return join_listed_small(out, source, keys, n);
    }
    const combination_t with_listed = {.sources = 1,
                                       .source = {source},
                                       .listed = keys,
                                       .listed_count = n,
                                       .use = use};
    u64set_assert(out != source && out->count == 0);
    size_t capacity = out->capacity;
    u64set_status_t status = combine_into(out, &with_listed);
    /* Room was made for a lacking key each time it was listed. */
    fit_after_growth(out, capacity);
    return status;
}

u64set_status_t
u64set_symmetric_difference_listed(u64set_t *out, const u64set_t *source,
                                   const uint64_t *keys, size_t n)
{
    return add_listed(out, source, keys, n, LISTED_TOGGLE);
}

u64set_status_t
u64set_union_listed(u64set_t *out, const u64set_t *source,
                    const uint64_t *keys, size_t n)
{
    return add_listed(out, source, keys, n, LISTED_JOIN);
}

/* Union and symmetric difference, whose operands play the same part.  A
 * copy of the larger changed by the smaller when one is much smaller; a
 * symmetric difference of two tables of at most SMALL_SOURCE_KEYS keys
 * otherwise key by key (toggle_few); a copy changed likewise for a union
 * whose operands fit a table below FAST_GROWTH_LIMIT, and for a symmetric
 * difference of at most COPY_TOGGLE_KEYS keys between them; else the
 * combination `what`, sized once.  Built from marks, a | b of 1e3 keys
 * each took 1.3 times set's time, as a copy changed 0.6.  A ^ b of 10
 * keys each took 2.2 times set's time from marks, 1.1 to 1.4 as a copy
 * toggled, 1.2 key by key; of 100, 1.24, 0.96 to 1.2 and 0.88; of 300,
 * 1.64 from marks against 1.11 as a copy; of 1e3, marks win (1.10
 * against 1.30). */
#define COPY_TOGGLE_KEYS 1024
static u64set_status_t
combine_either_way(u64set_t *out, const u64set_t *a, const u64set_t *b,
                   put_t change, const combination_t *what)
{
    u64set_assert(out->count == 0 && out != a && out != b);
    if (a == b) {
        return change == PUT_TOGGLE ? U64SET_OK : u64set_update(out, a);
    }
    size_t both = table_count(a) <= SIZE_MAX - table_count(b)
                      ? table_count(a) + table_count(b)
                      : SIZE_MAX;
    bool few = a->count <= SMALL_SOURCE_KEYS && b->count <= SMALL_SOURCE_KEYS;
    if (change == PUT_TOGGLE && few && !much_smaller(b, a) &&
        !much_smaller(a, b)) {
        return toggle_few(out, a, b);
    }
    if (much_smaller(b, a) || much_smaller(a, b) ||
        (change == PUT_TOGGLE && both <= COPY_TOGGLE_KEYS) ||
        (change == PUT_INSERT && both < FAST_GROWTH_LIMIT &&
         capacity_for(both) < FAST_GROWTH_LIMIT)) {
        bool a_larger = a->count >= b->count;
        return copy_then_change(out, a_larger ? a : b, a_larger ? b : a,
                                change);
    }
    return combine_into(out, what);
}

u64set_status_t
u64set_symmetric_difference(u64set_t *out, const u64set_t *a,
                            const u64set_t *b)
{
    const combination_t either = {
        .sources = 2, .source = {a, b}, .probe = {b, a}};
    return combine_either_way(out, a, b, PUT_TOGGLE, &either);
}

u64set_status_t
u64set_union(u64set_t *out, const u64set_t *a, const u64set_t *b)
{
    const u64set_t none = {0};
    const combination_t both = {
        .sources = 2, .source = {a, b}, .probe = {&none, a}};
    return combine_either_way(out, a, b, PUT_INSERT, &both);
}

/* The keys go into a scratch set first (each read once, so a buffer
 * that someone else writes meanwhile cannot overfill the table), which
 * then joins `set` all or nothing: memory beyond the grown table is the
 * scratch set of the batch's distinct keys, and while `set` grows, its
 * old table and the buckets that refill the new one. */
u64set_status_t
u64set_insert_many(u64set_t *set, const uint64_t *keys, size_t n,
                   size_t *added)
{
    u64set_t scratch;
    size_t before = set->count;

    u64set_init(&scratch, set->secret, &set->allocator);
    u64set_status_t status = u64set_insert_batch(&scratch, keys, n, 0);
    if (status == U64SET_OK) {
        status = u64set_update(set, &scratch);
    }
    u64set_destroy(&scratch);
    if (added != NULL) {
        *added = status == U64SET_OK ? set->count - before : 0;
    }
    return status;
}

u64set_status_t
u64set_insert_all(u64set_t *set, const uint64_t *keys, size_t n, size_t *added)
{
    bool found[LOCATE_BLOCK_KEYS];
    size_t absent = 0, before = set->count, capacity = set->capacity;
    u64set_status_t status = U64SET_OK;

    /* With room for all, none need be counted; into an empty table, all
     * may be new. */
    bool room = n <= SIZE_MAX - table_count(set) &&
                fits(table_count(set) + n, set->capacity);
    for (size_t i = 0; !room && set->count == 0 && i < n; i++) {
        absent += keys[i] != FREE_KEY;
    }
    for (size_t start = 0; !room && set->count > 0 && start < n;
         start += LOCATE_BLOCK_KEYS) {
        size_t m =
            n - start < LOCATE_BLOCK_KEYS ? n - start : LOCATE_BLOCK_KEYS;
        u64set_contains_many(set, keys + start, m, found);
        for (size_t i = 0; i < m; i++) {
            absent += keys[start + i] != FREE_KEY && !found[i];
        }
    }
    if (absent > 0 &&
        u64set_reserve(set, table_count(set) + absent) != U64SET_OK) {
        status = U64SET_NOMEM;
    }
    /* Room for every absent key was made: no insert grows, unless the
     * keys changed meanwhile, against the contract. */
    size_t most = most_keys(set->capacity), i = 0;
    if (status == U64SET_OK && set->count == 0 && is_word_table(set)) {
        i = insert_into_word_table(set, keys, n);
    }
    for (; status == U64SET_OK && i < n; i++) {
        if (table_count(set) < most) {
            (void)insert_reserved(set, keys[i]);
        } else if (add_key(set, keys[i], 0) == U64SET_NOMEM) {
            status = U64SET_NOMEM;
        } else {
            most = most_keys(set->capacity);
        }
    }
    if (set->count != before) {
        set->version++;
    }
    /* Repeats counted as absent may have grown the table further than
     * growth would have. */
    fit_after_growth(set, capacity);
    if (added != NULL) {
        *added = set->count - before;
    }
    return status;
}

u64set_status_t
u64set_copy(u64set_t *target, const u64set_t *source)
{
    u64set_t copy;

    if (target == source) {
        return U64SET_OK;
    }
    u64set_init(&copy, target->secret, &target->allocator);
    if (u64set_update(&copy, source) != U64SET_OK) {
        u64set_destroy(&copy);
        return U64SET_NOMEM;
    }
    u64set_move(target, &copy);
    return U64SET_OK;
}

void
u64set_move(u64set_t *target, u64set_t *source)
{
    uint64_t version = (target->version > source->version ? target->version
                                                          : source->version) +
                       1;
    if (target == source) {
        return;
    }
    uint64_t secret = target->secret; /* its own, for its next tables */
    forget_keys(target);
    *target = *source; /* the table, with its seed and allocator */
    target->secret = secret;
    target->pop_hint = NO_HINT;
    target->version = version;
    source->slots = NULL; /* target's now: forgetting releases nothing */
    forget_keys(source);
    source->version = version;
}

/* Keys that a bulk build expected and that turned out present left the
 * table roomier than its keys need: it goes back to the size growth
 * would have given it. */
void
u64set_trim(u64set_t *set)
{
    size_t fitted = capacity_for(table_count(set));
    if (set->capacity > MIN_CAPACITY && fitted < set->capacity &&
        grown_capacity(fitted) < set->capacity) {
        (void)rebuild(set, fitted);
    }
}

/* }=================================================================== */

/* {===================================================================
 * Iteration and statistics
 * =================================================================== */

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

/* Branch-free: each slot is written out and the end moves on only past a
 * key, for a table a fifth empty mispredicts a branch on every few slots.
 * Every write lands below `max`: the loop stops once `max` keys are in. */
size_t
u64set_next_many(const u64set_t *set, u64set_cursor_t *cursor, uint64_t *keys,
                 size_t max)
{
    size_t written = 0, slot;

    if (max > 0 && *cursor == 0) {
        *cursor = 1;
        if (set->has_zero) {
            keys[written++] = 0;
        }
    }
    for (slot = *cursor - 1; written < max && slot < set->capacity; slot++) {
        uint64_t key = set->slots[slot];
        keys[written] = key;
        written += key != FREE_KEY;
    }
    if (*cursor > 0) {
        *cursor = slot + 1;
    }
    return written;
}

void
u64set_export(const u64set_t *set, uint64_t *keys)
{
    u64set_cursor_t cursor = U64SET_CURSOR_START;
    (void)u64set_next_many(set, &cursor, keys, u64set_len(set));
}

void
u64set_contains_many(const u64set_t *set, const uint64_t *keys, size_t n,
                     bool *found)
{
    size_t where[LOCATE_BLOCK_KEYS];

    for (size_t start = 0; start < n; start += LOCATE_BLOCK_KEYS) {
        size_t m =
            n - start < LOCATE_BLOCK_KEYS ? n - start : LOCATE_BLOCK_KEYS;
        locate_many(set, keys + start, m, where);
        for (size_t i = 0; i < m; i++) {
            found[start + i] = where[i] == ZERO_KEY_SLOT ? set->has_zero
                                                         : where[i] != NOWHERE;
        }
    }
}

size_t
u64set_memory_usage(const u64set_t *set)
{
    return set->capacity * sizeof(uint64_t);
}

/* A lookup of the key in `slot` examines the slots from its home to it:
 * its displacement plus one.  Summed like Redis's dictGetStats, on
 * demand, so that lookups themselves count nothing. */
void
u64set_probe_stats(const u64set_t *set, u64set_probe_stats_t *stats)
{
    memset(stats, 0, sizeof *stats);
    for (size_t slot = 0; slot < set->capacity; slot++) {
        uint64_t key = set->slots[slot];
        if (key == FREE_KEY) {
            continue;
        }
        uint64_t probes = distance(set, home_slot(set, key), slot) + 1;
        stats->keys++;
        stats->probes += probes;
        if (probes > stats->longest) {
            stats->longest = probes;
        }
    }
    u64set_assert(stats->keys == table_count(set));
}

/* }=================================================================== */
