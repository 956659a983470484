/* The init functions of the native modules that pyhost builds in.  The
 * same functions are what an ordinary extension-module build exports. */
#ifndef PYHOST_MODULES_H
#define PYHOST_MODULES_H

#include <Python.h>

PyMODINIT_FUNC PyInit_point(void);
PyMODINIT_FUNC PyInit_hashset(void);
PyMODINIT_FUNC PyInit_hash_set(void);

#endif
