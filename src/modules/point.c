/* The point module: Point(x, y), an immutable pair of floats.
 *
 * A modern extension module (PEP 489 multi-phase initialisation, a heap
 * type kept in module state), so that the same source serves pyhost's
 * built-in module, an ordinary extension build, and several interpreters
 * at once.
 *
 * A point holds its coordinates as float objects, not as doubles: p.x then
 * returns the float it holds, as a __slots__ attribute does, where a double
 * made a new float on every read (1.7x slower than a __slots__ read), and
 * CPython 3.11 specialises the read of an object member (LOAD_ATTR_SLOT)
 * as it does a slot's.  A point from floats keeps the very floats it was
 * given.  It holds nothing but exact floats, which refer to nothing, so no
 * reference cycle can pass through a point and it needs no
 * garbage-collector support; a subclass that adds a __dict__ gets it from
 * the type machinery. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h> /* T_OBJECT_EX, READONLY */

#include <stdbool.h>

#include "modules/module_support.h"
#include "modules/modules.h"

typedef struct {
    PyTypeObject *point_type;
} point_state;

typedef struct {
    PyObject_HEAD
    PyObject *x; /* exact floats, never NULL */
    PyObject *y;
} PointObject;

static double
x_of(PyObject *op)
{
    return PyFloat_AS_DOUBLE(((PointObject *)op)->x);
}

static double
y_of(PyObject *op)
{
    return PyFloat_AS_DOUBLE(((PointObject *)op)->y);
}

static struct PyModuleDef point_module;

/* The state of the module that defined `type` (or its base): found this
 * way, rather than through a global, so that each interpreter's module
 * keeps its own type. */
static point_state *
point_state_of_type(PyTypeObject *type)
{
    PyObject *module = PyType_GetModuleByDef(type, &point_module);
    return module == NULL ? NULL : PyModule_GetState(module);
}

/* A coordinate as an exact float, converted as float() converts a real
 * number (an int, a float, anything with __float__ or __index__); strings
 * are not numbers here, so unlike float() they raise TypeError, with
 * PyFloat_AsDouble's message, as the "d" of PyArg_Parse* gives it.  An
 * exact float is kept as it is.  A new reference, or NULL. */
static PyObject *
coordinate(PyObject *value)
{
    if (PyFloat_CheckExact(value)) {
        return Py_NewRef(value);
    }
    double converted = PyFloat_AsDouble(value);
    if (converted == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(converted);
}

static PyObject *
point_from(PyTypeObject *type, PyObject *x, PyObject *y)
{
    PointObject *self = NULL;
    x = coordinate(x);
    y = x == NULL ? NULL : coordinate(y);
    if (y != NULL) {
        self = (PointObject *)type->tp_alloc(type, 0);
    }
    if (self == NULL) {
        Py_XDECREF(x);
        Py_XDECREF(y);
        return NULL;
    }
    self->x = x;
    self->y = y;
    return (PyObject *)self;
}

static PyObject *
point_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"x", "y", NULL};
    PyObject *x, *y;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:Point", keywords, &x,
                                     &y)) {
        return NULL;
    }
    return point_from(type, x, y);
}

/* Point(x, y) without a tuple of arguments: the type's vectorcall, which
 * CPython 3.11 also calls straight from a specialised call site
 * (PRECALL_BUILTIN_CLASS).  Keywords, another arity and subclasses (whose
 * __new__ or __init__ may be Python code) go the way of any type call. */
static PyObject *
point_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf,
                 PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);

    /* Point itself derives from object; any subclass, from Point. */
    if (nargs == 2 && kwnames == NULL &&
        ((PyTypeObject *)type)->tp_base == &PyBaseObject_Type) {
        return point_from((PyTypeObject *)type, args[0], args[1]);
    }
    return call_type_generally(type, args, nargs, kwnames);
}

static void
point_dealloc(PyObject *self)
{
    /* An instance of a heap type owns a reference to its type. */
    PyTypeObject *type = Py_TYPE(self);
    Py_DECREF(((PointObject *)self)->x);
    Py_DECREF(((PointObject *)self)->y);
    type->tp_free(self);
    Py_DECREF(type);
}

/* "Point(x=13.0, y=42.0)": the coordinates as repr(float) writes them,
 * under the name of the instance's own class, as namedtuple does. */
static PyObject *
point_repr(PyObject *op)
{
    PyObject *result = NULL;
    PyObject *name = PyType_GetName(Py_TYPE(op));
    char *x = PyOS_double_to_string(x_of(op), 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    char *y = PyOS_double_to_string(y_of(op), 'r', 0, Py_DTSF_ADD_DOT_0, NULL);

    if (name == NULL || x == NULL || y == NULL) {
        goto done;
    }
    result = PyUnicode_FromFormat("%U(x=%s, y=%s)", name, x, y);
done:
    Py_XDECREF(name);
    PyMem_Free(x);
    PyMem_Free(y);
    return result;
}

/* Equal when both coordinates are equal as floats (so a NaN coordinate
 * makes a point unequal to everything, itself included, as a NaN float
 * is).  Only points compare; anything else gets NotImplemented. */
static PyObject *
point_richcompare(PyObject *op, PyObject *other, int comparison)
{
    point_state *state = point_state_of_type(Py_TYPE(op));
    if (state == NULL) {
        return NULL;
    }
    if ((comparison != Py_EQ && comparison != Py_NE) ||
        !PyObject_TypeCheck(other, state->point_type)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    bool equal = x_of(op) == x_of(other) && y_of(op) == y_of(other);
    return PyBool_FromLong(equal == (comparison == Py_EQ));
}

/* The constants of CPython 3.11's tuple hash (Objects/tupleobject.c, an
 * xxHash round per item), so that a point hashes as the tuple of its
 * coordinates does without building one. */
#if SIZEOF_PY_HASH_T > 4
#define POINT_XXPRIME_1 ((Py_uhash_t)11400714785074694791ULL)
#define POINT_XXPRIME_2 ((Py_uhash_t)14029467366897019727ULL)
#define POINT_XXPRIME_5 ((Py_uhash_t)2870177450012600261ULL)
#define POINT_XXROTATE(lane) (((lane) << 31) | ((lane) >> 33))
#else
#define POINT_XXPRIME_1 ((Py_uhash_t)2654435761UL)
#define POINT_XXPRIME_2 ((Py_uhash_t)2246822519UL)
#define POINT_XXPRIME_5 ((Py_uhash_t)374761393UL)
#define POINT_XXROTATE(lane) (((lane) << 13) | ((lane) >> 19))
#endif
/* What the tuple hash returns instead of -1, which means "error". */
#define POINT_TUPLE_HASH_NOT_MINUS_ONE 1546275796

/* Hashed from the doubles themselves, never from float objects made for
 * the occasion: hash(p) == hash((p.x, p.y)) for every coordinate but NaN,
 * so equal points (1 and 1.0, -0.0 and 0.0) hash equal and a point finds
 * its tuple in a dict, as before.
 *
 * A NaN coordinate hashes by the identity of the point, as a NaN float
 * hashes by its own identity since Python 3.10 (bpo-43475): stable for the
 * point's lifetime (the old tuple of fresh floats hashed a new address on
 * each call, so `p in {p: 1}` could be False), and a point with a NaN is
 * equal to nothing, itself included, so no equal point needs the same
 * hash.  A fixed value instead would put every NaN point in one chain of
 * collisions and make a set of n of them cost O(n**2).
 *
 * _Py_HashDouble(object, v) is what float.__hash__ calls (with the float
 * as `object`): the float hash of v, or the identity hash of `object` when
 * v is a NaN; it cannot fail (it never returns -1).  It is in 3.11's
 * non-limited API (pyhash.h), exported by libpython and the python3.11
 * executable, and public as Py_HashDouble from 3.13 on. */
static Py_hash_t
point_hash(PyObject *op)
{
    const double coordinates[] = {x_of(op), y_of(op)};
    const size_t count = sizeof coordinates / sizeof coordinates[0];
    Py_uhash_t acc = POINT_XXPRIME_5;

    for (size_t i = 0; i < count; i++) {
        Py_uhash_t lane = (Py_uhash_t)_Py_HashDouble(op, coordinates[i]);
        acc += lane * POINT_XXPRIME_2;
        acc = POINT_XXROTATE(acc);
        acc *= POINT_XXPRIME_1;
    }
    /* The tuple hash adds the length, mangled to keep hash(()) historical. */
    acc += (Py_uhash_t)count ^ (POINT_XXPRIME_5 ^ 3527539UL);
    if (acc == (Py_uhash_t)-1) {
        return POINT_TUPLE_HASH_NOT_MINUS_ONE;
    }
    return (Py_hash_t)acc;
}

/* (type(p), (x, y)), plus the state (__dict__, __slots__) of a subclass
 * instance. */
static PyObject *
point_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PointObject *self = (PointObject *)op;
    PyObject *coordinates = PyTuple_Pack(2, self->x, self->y);
    if (coordinates == NULL) {
        return NULL;
    }
    PyObject *result = reduce_with_state(op, NULL, coordinates);
    Py_DECREF(coordinates);
    return result;
}

static PyMethodDef point_methods[] = {
    {"__reduce__", point_reduce, METH_NOARGS,
     PyDoc_STR("__reduce__($self, /)\n--\n\n"
               "Return the state of the point for pickle and copy.")},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef point_members[] = {
    {"x", T_OBJECT_EX, offsetof(PointObject, x), READONLY,
     PyDoc_STR("The x coordinate, a float (read-only).")},
    {"y", T_OBJECT_EX, offsetof(PointObject, y), READONLY,
     PyDoc_STR("The y coordinate, a float (read-only).")},
    {NULL, 0, 0, 0, NULL},
};

PyDoc_STRVAR(point_doc,
             "Point(x, y)\n--\n\n"
             "An immutable point of two float coordinates.\n\n"
             "x and y are converted like float() converts a number (int,\n"
             "float, or an object with __float__ or __index__); a string or\n"
             "another non-number raises TypeError.  Points compare equal\n"
             "when both coordinates are equal, hash like (x, y) (a point\n"
             "with a NaN coordinate, equal to nothing, by its identity),\n"
             "and support pickle, copy and match statements (Point(x, y)).");

static PyType_Slot point_slots[] = {
    {Py_tp_doc, (void *)point_doc},
    {Py_tp_new, SLOT_FUNCTION(point_new)},
    {Py_tp_dealloc, SLOT_FUNCTION(point_dealloc)},
    {Py_tp_repr, SLOT_FUNCTION(point_repr)},
    {Py_tp_hash, SLOT_FUNCTION(point_hash)},
    {Py_tp_richcompare, SLOT_FUNCTION(point_richcompare)},
    {Py_tp_methods, point_methods},
    {Py_tp_members, point_members},
    {0, NULL},
};

static PyType_Spec point_spec = {
    .name = "point.Point",
    .basicsize = sizeof(PointObject),
    .flags =
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = point_slots,
};

/* An immutable type's attributes cannot be set through setattr, so the
 * class attribute that positional match patterns read goes straight into
 * the type's dictionary before anyone can look at it. */
static int
point_set_match_args(PyTypeObject *type)
{
    PyObject *match_args = Py_BuildValue("(ss)", "x", "y");
    if (match_args == NULL) {
        return -1;
    }
    int status =
        PyDict_SetItemString(type->tp_dict, "__match_args__", match_args);
    Py_DECREF(match_args);
    PyType_Modified(type);
    return status;
}

static int
point_exec(PyObject *module)
{
    point_state *state = PyModule_GetState(module);

    state->point_type =
        (PyTypeObject *)PyType_FromModuleAndSpec(module, &point_spec, NULL);
    if (state->point_type == NULL) {
        return -1;
    }
    if (point_set_match_args(state->point_type) < 0) {
        return -1;
    }
    /* 3.11's PyType_Spec has no slot for it (3.12 adds Py_tp_vectorcall);
     * the field is the type's own, set before anyone can call it. */
    state->point_type->tp_vectorcall = point_vectorcall;
    return PyModule_AddType(module, state->point_type);
}

static int
point_module_traverse(PyObject *module, visitproc visit, void *arg)
{
    point_state *state = PyModule_GetState(module);
    Py_VISIT(state->point_type);
    return 0;
}

static int
point_module_clear(PyObject *module)
{
    point_state *state = PyModule_GetState(module);
    Py_CLEAR(state->point_type);
    return 0;
}

static void
point_module_free(void *module)
{
    (void)point_module_clear((PyObject *)module);
}

static PyModuleDef_Slot point_module_slots[] = {
    {Py_mod_exec, SLOT_FUNCTION(point_exec)},
    {0, NULL},
};

PyDoc_STRVAR(point_module_doc,
             "Points in the plane: Point(x, y), an immutable pair of "
             "floats.");

static struct PyModuleDef point_module = {
    PyModuleDef_HEAD_INIT,         .m_name = "point",
    .m_doc = point_module_doc,     .m_size = sizeof(point_state),
    .m_slots = point_module_slots, .m_traverse = point_module_traverse,
    .m_clear = point_module_clear, .m_free = point_module_free,
};

PyMODINIT_FUNC
PyInit_point(void)
{
    return PyModuleDef_Init(&point_module);
}
