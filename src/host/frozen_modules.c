/* Frozen standard-library modules (frozen_modules.h).  CPython 3.11
 * freezes the modules its start-up needs up to site (os, codecs, io,
 * ...), but still finds, stats, opens and reads three from disk on every
 * start-up: the encodings package, its aliases and the UTF-8 codec.
 * pyhost carries their code, marshalled at build time from the standard
 * library it runs with (scripts/freeze_modules.py), so that the import
 * system takes it from PyImport_FrozenModules, which it asks before the
 * path.  A frozen module of the standard library keeps its __file__ and,
 * for a package, its __path__ (both from sys._stdlib_dir), so that
 * encodings still finds its other codecs on disk; its __spec__.origin is
 * "frozen", as for os or site.  (The standalone file leaves the package
 * in its zip: its sys._stdlib_dir is set only after start-up looks its
 * codecs up.)  Measured with callgrind, `-c pass`: 35.8 M -> 34.2 M
 * instructions for build/pyhost. */
#include <Python.h>

#include <stdbool.h>

#include "host/frozen_modules.h"

#include "host/frozen_modules_data.h"

static const struct _frozen frozen_modules[] = {
    FROZEN_MODULE_ENTRIES{NULL, NULL, 0, 0, NULL},
};

void
frozen_modules_install(bool disabled)
{
    if (!disabled) {
        PyImport_FrozenModules = frozen_modules;
    }
}
