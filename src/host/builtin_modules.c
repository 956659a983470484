/* The native modules pyhost builds in, in one table so that registration,
 * --help and the banner cannot disagree. */
#include "host/builtin_modules.h"

#include "modules/modules.h"

const builtin_module_t builtin_modules[] = {
    {"point", PyInit_point, "Point(x, y): an immutable point of two floats"},
    {"hashset", PyInit_hashset,
     "HashSet: a native set of integers in range(0, 2**64)"},
    {"hash_set", PyInit_hash_set,
     "the hashset module under its tutorial name"},
    {NULL, NULL, NULL},
};

int
builtin_modules_register(void)
{
    for (const builtin_module_t *module = builtin_modules; module->name;
         module++) {
        if (PyImport_AppendInittab(module->name, module->init) < 0) {
            return -1;
        }
    }
    return 0;
}
