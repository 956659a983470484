/* The standard-library modules pyhost carries frozen, beyond those
 * CPython 3.11 freezes itself: what every start-up imports from disk. */
#ifndef PYHOST_FROZEN_MODULES_H
#define PYHOST_FROZEN_MODULES_H

#include <stdbool.h>

/* Makes the frozen modules importable (PyImport_FrozenModules), unless
 * `disabled` (-X frozen_modules=off, which makes python3.11 read its
 * own frozen modules from disk too).  Before the interpreter starts. */
void frozen_modules_install(bool disabled);

#endif
