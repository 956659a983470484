/* The table of native modules pyhost builds in: registered with the
 * interpreter's inittab before start-up, and named in --help and the
 * shell's banner. */
#ifndef PYHOST_BUILTIN_MODULES_H
#define PYHOST_BUILTIN_MODULES_H

#include <Python.h>

typedef struct {
    const char *name;
    PyObject *(*init)(void);
    const char *summary; /* one line for --help */
} builtin_module_t;

/* Terminated by an entry whose name is NULL. */
extern const builtin_module_t builtin_modules[];

/* Appends every module to the inittab; must run before the interpreter
 * starts.  Returns 0, or -1 when memory ran out. */
int builtin_modules_register(void);

#endif
