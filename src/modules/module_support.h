/* What the native modules share among themselves (never the host: it
 * sees modules.h only): the cast that puts a function into a slot, the
 * __reduce__ of their types (reduce.c) and the general way of calling
 * them (type_call.c). */
#ifndef PYHOST_MODULE_SUPPORT_H
#define PYHOST_MODULE_SUPPORT_H

#include <Python.h>

/* PyType_Slot and PyModuleDef_Slot keep functions in `void *` fields.  ISO C
 * leaves converting a function pointer to `void *` undefined, POSIX (dlsym)
 * defines it, and CPython relies on it on every platform it supports;
 * __extension__ keeps -Wpedantic quiet for this one conversion only. */
#define SLOT_FUNCTION(function) (__extension__(void *)(function))

/* (rebuild, arguments) or, when self has state of its own (an instance
 * of a Python subclass with attributes in its __dict__ or __slots__, or
 * whatever a subclass's __getstate__ returns other than None),
 * (rebuild, arguments, self.__getstate__()): a __reduce__ result that
 * works with every pickle protocol and with copy, where
 * object.__reduce_ex__ cannot rebuild a heap type below protocol 2.
 * `rebuild` is the callable, type(self) when NULL.
 * A new reference, or NULL with an exception set. */
PyObject *reduce_with_state(PyObject *self, PyObject *rebuild,
                            PyObject *arguments);

/* type(*args[:nargs], **dict(zip(kwnames, args[nargs:]))) through
 * type.__call__: what a type's own vectorcall hands on when the call is
 * not one it takes the short way.  A new reference, or NULL with an
 * exception set. */
PyObject *call_type_generally(PyObject *type, PyObject *const *args,
                              Py_ssize_t nargs, PyObject *kwnames);

#endif
