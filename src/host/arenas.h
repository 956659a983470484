/* Where pymalloc's arenas come from: 2 MiB blocks on transparent huge
 * pages (arenas.c), fewer page faults and TLB misses than CPython's own
 * mmap of each arena. */
#ifndef PYHOST_ARENAS_H
#define PYHOST_ARENAS_H

/* Makes CPython take its arenas from arenas.c.  Before the interpreter
 * starts: arenas already taken would be given back to the wrong
 * allocator. */
void arenas_install(void);

#endif
