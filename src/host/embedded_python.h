/* Python code compiled into pyhost (src/host/NAME.py, as the bytes of a
 * char array: see the Makefile), run as a module when first needed. */
#ifndef PYHOST_EMBEDDED_PYTHON_H
#define PYHOST_EMBEDDED_PYTHON_H

#include <Python.h>

/* Compiles and runs `source` as the module `name` (not put in
 * sys.modules); returns a new reference to it, or NULL with an
 * exception.  Needs the GIL. */
PyObject *embedded_module_load(const char *name, const char *source);

#endif
