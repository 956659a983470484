/* Where the tables of HashSet (and the scratch buckets of their bulk
 * builds) get their memory.
 *
 * Small tables (up to pymalloc's 512-byte blocks: tables of 8, 32 slots)
 * come from pymalloc, which is quicker than malloc, as set's small tables
 * do: a set of 100 keys is rebuilt 4 times on its way.  Mid-sized ones
 * come from the raw domain.  Large ones (from LARGE_TABLE_BYTES) are
 * mappings of their own, unmapped when released.  malloc would map them
 * too, but only above a threshold that glibc raises to the size of each
 * mapped block freed (up to 32 MiB): after a few rebuilds the freed old
 * tables stayed in the heap, resident, and a set built from an iterator
 * of 1e7 keys peaked at 2.09 times its final table instead of 1.92.
 * Mappings of huge-page size start on a huge page, so that the core's
 * advice to use huge pages covers all of the table but its last partial
 * huge page.  Under AddressSanitizer every table comes from malloc, whose
 * blocks it guards and whose leaks it reports.
 *
 * tracemalloc sees every block: the mapped ones are reported to it, in a
 * domain of their own (as numpy reports its arrays), with the traceback of
 * the code that grew the set.  Every table is allocated with the GIL held;
 * the size given back on release tells which kind a block is. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS (setup.py's builds) */
#endif
#include "modules/hashset.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define SMALL_TABLE_BYTES 512
#define LARGE_TABLE_BYTES ((size_t)1 << 20)
#define HUGE_PAGE_BYTES ((size_t)2 << 20)
/* tracemalloc's domain for the mapped tables: "HSet" in ASCII. */
#define TRACEMALLOC_DOMAIN 0x48536574u

/* `size` rounded up to whole pages; 0 when that overflows. */
static size_t
page_rounded(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return size > SIZE_MAX - page ? 0 : (size + page - 1) / page * page;
}

static char *
map_anonymous(size_t length)
{
    void *mapped = mmap(NULL, length, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return mapped == MAP_FAILED ? NULL : mapped;
}

/* A zeroed mapping of `size` bytes; at a huge-page boundary when it is at
 * least one huge page long (the ends of a larger mapping are trimmed),
 * unless only the exact length fits in the address space left. */
static void *
map_large(size_t size)
{
    size_t length = page_rounded(size);
    size_t slack = length >= HUGE_PAGE_BYTES ? HUGE_PAGE_BYTES : 0;

    if (length == 0 || length + slack < length) {
        return NULL;
    }
    char *mapped = map_anonymous(length + slack);
    if (mapped == NULL && slack > 0) {
        slack = 0;
        mapped = map_anonymous(length);
    }
    if (mapped == NULL) {
        return NULL;
    }
    char *start = mapped;
    if (slack > 0) {
        uintptr_t aligned = ((uintptr_t)mapped + slack - 1) & ~(slack - 1);
        start = mapped + (aligned - (uintptr_t)mapped);
        if (start > mapped) {
            (void)munmap(mapped, (size_t)(start - mapped));
        }
        if (mapped + slack > start) {
            (void)munmap(start + length, (size_t)(mapped + slack - start));
        }
    }
    /* -1 when tracemalloc lacks memory for the record (no exception is
     * set): the table is there all the same. */
    (void)PyTraceMalloc_Track(TRACEMALLOC_DOMAIN, (uintptr_t)start, size);
    return start;
}

/* Whether a block of `size` bytes is a mapping of its own. */
static bool
is_mapped(size_t size)
{
#if defined(__SANITIZE_ADDRESS__)
    (void)size;
    return false;
#else
    return size >= LARGE_TABLE_BYTES;
#endif
}

static void *
table_allocate(void *context, size_t size)
{
    (void)context;
    if (size <= SMALL_TABLE_BYTES) {
        return PyMem_Malloc(size);
    }
    return is_mapped(size) ? map_large(size) : PyMem_RawMalloc(size);
}

static void *
table_allocate_zeroed(void *context, size_t size)
{
    (void)context;
    if (size <= SMALL_TABLE_BYTES) {
        return PyMem_Calloc(1, size);
    }
    /* A fresh mapping is zero already. */
    return is_mapped(size) ? map_large(size) : PyMem_RawCalloc(1, size);
}

static void
table_release(void *context, void *block, size_t size)
{
    (void)context;
    if (size <= SMALL_TABLE_BYTES) {
        PyMem_Free(block);
    } else if (!is_mapped(size)) {
        PyMem_RawFree(block);
    } else {
        (void)PyTraceMalloc_Untrack(TRACEMALLOC_DOMAIN, (uintptr_t)block);
        (void)munmap(block, page_rounded(size));
    }
}

const u64set_allocator_t hashset_table_allocator = {
    table_allocate,
    table_release,
    NULL,
    table_allocate_zeroed,
};
