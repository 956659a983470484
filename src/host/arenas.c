/* pymalloc's arenas on transparent huge pages (arenas.h).  CPython's
 * small-object allocator takes its memory from the system in 1 MiB
 * arenas, each a separate mmap of 4 KiB pages: a program that builds
 * 20 MB of small objects takes 5,000 page faults, at about 2.5 us each
 * in this kind of virtual machine, and as many TLB entries to reach
 * them.  pyhost hands out arenas in pairs from 2 MiB-aligned blocks that
 * it asks the kernel to back with one huge page each (madvise
 * MADV_HUGEPAGE: honoured when /sys/kernel/mm/transparent_hugepage/
 * enabled says madvise or always; never, and the kernel gives 4 KiB
 * pages as before).  Measured on scripts/bench.py's pure-Python
 * workload (build/pyhost, medians of 31 runs): 7,900 page faults down to
 * 2,200, its system time 23 to 8 ms, its CPU time 1.09x python3.11's to
 * 1.01x.
 *
 * The first block is left on 4 KiB pages: start-up takes its two arenas
 * and touches under 1 MiB of them, so a huge page would cost every
 * process another megabyte (`-c pass`: 9.1 MB resident, 10.3 with it) for
 * 0.2 ms of faults.  A freed arena goes back to the system at once,
 * as with CPython's own allocator: the whole block when its partner is
 * the spare half kept for the next arena, else just its half (the kernel
 * splits the huge page).  So memory use is CPython's, plus at most one
 * spare arena and the untouched pages of a huge page's block. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* MADV_HUGEPAGE */
#endif
#include <Python.h>

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "host/arenas.h"

/* x86-64's huge page (a page-middle-directory entry) and the arena size
 * of a 64-bit CPython 3.11 (obmalloc.c: ARENA_BITS 20).  An arena of
 * another size is mapped on its own, as CPython maps it. */
#define ARENAS_BLOCK_SIZE ((size_t)2 << 20)
#define ARENAS_ARENA_SIZE (ARENAS_BLOCK_SIZE / 2)

/* Process-wide state, as the arena allocator it serves is (CPython has
 * one, for every interpreter, and calls it with the GIL held): the host's
 * one exception to keeping state in a module's, beside the hash table
 * count of src/core.  The second half of the last block mapped, while no
 * arena uses it. */
static char *arenas_spare;
/* Whether a block was mapped yet (the first stays on small pages). */
static bool arenas_started;

static void *
arenas_map(size_t size)
{
    void *address = mmap(NULL, size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return address == MAP_FAILED ? NULL : address;
}

/* A block of ARENAS_BLOCK_SIZE at an address that is a multiple of it:
 * Linux places a mapping of that size so (6.7 and later); on an older
 * kernel, the aligned middle of a mapping twice as large. */
static char *
arenas_map_block(void)
{
    char *block = arenas_map(ARENAS_BLOCK_SIZE);
    if (block == NULL || (uintptr_t)block % ARENAS_BLOCK_SIZE == 0) {
        return block;
    }
    munmap(block, ARENAS_BLOCK_SIZE);
    char *wide = arenas_map(2 * ARENAS_BLOCK_SIZE);
    if (wide == NULL) {
        return NULL;
    }
    size_t head = ARENAS_BLOCK_SIZE - (uintptr_t)wide % ARENAS_BLOCK_SIZE;
    munmap(wide, head);
    munmap(wide + head + ARENAS_BLOCK_SIZE, ARENAS_BLOCK_SIZE - head);
    return wide + head;
}

static void *
arenas_alloc(void *context, size_t size)
{
    (void)context;
    if (size != ARENAS_ARENA_SIZE) {
        return arenas_map(size);
    }
    if (arenas_spare != NULL) {
        char *arena = arenas_spare;
        arenas_spare = NULL;
        return arena;
    }
    char *block = arenas_map_block();
    if (block == NULL) {
        return NULL;
    }
    if (arenas_started) {
        /* Advice only: without huge pages the block works as before. */
        (void)madvise(block, ARENAS_BLOCK_SIZE, MADV_HUGEPAGE);
    }
    arenas_started = true;
    arenas_spare = block + ARENAS_ARENA_SIZE;
    return block;
}

static void
arenas_free(void *context, void *arena, size_t size)
{
    (void)context;
    if (size == ARENAS_ARENA_SIZE && arenas_spare != NULL &&
        ((uintptr_t)arena ^ (uintptr_t)arenas_spare) == ARENAS_ARENA_SIZE) {
        /* Its partner is the spare: the whole block goes. */
        munmap((char *)((uintptr_t)arena & ~(uintptr_t)ARENAS_ARENA_SIZE),
               ARENAS_BLOCK_SIZE);
        arenas_spare = NULL;
        return;
    }
    munmap(arena, size);
}

void
arenas_install(void)
{
    PyObjectArenaAllocator allocator = {NULL, arenas_alloc, arenas_free};
    PyObject_SetArenaAllocator(&allocator);
}
