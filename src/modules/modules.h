/* The init functions of the native modules that pyhost builds in.  The
 * same functions are what an ordinary extension-module build exports. */
#ifndef PYHOST_MODULES_H
#define PYHOST_MODULES_H

#include <Python.h>

/* PyType_Slot and PyModuleDef_Slot keep functions in `void *` fields.  ISO C
 * leaves converting a function pointer to `void *` undefined, POSIX (dlsym)
 * defines it, and CPython relies on it on every platform it supports;
 * __extension__ keeps -Wpedantic quiet for this one conversion only. */
#define SLOT_FUNCTION(function) (__extension__(void *)(function))

PyMODINIT_FUNC PyInit_point(void);

#endif
