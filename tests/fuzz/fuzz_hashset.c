/* libFuzzer harness of the hashset and point modules' argument handling,
 * through the C API.  The interpreter starts once with both modules built
 * in; the input then picks methods and arguments from a palette of values
 * (valid elements, out-of-range ints, floats, NaN, strings, None, buffers
 * of every integer format, sets, generators, objects whose __index__ or
 * __eq__ raise...).  Python exceptions are expected; what must never
 * happen is a crash, a sanitizer report, an error set without NULL (or the
 * reverse), or a set whose length disagrees with its iteration. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modules/modules.h"

static PyObject *palette; /* a tuple of argument values */
static PyObject *hashset_type, *point_type;

static const char palette_source[] =
    "import array, fractions, decimal\n"
    "class BadIndex:\n"
    "    def __index__(self): raise ValueError('no')\n"
    "class WrongIndex:\n"
    "    def __index__(self): return 'x'\n"
    "class BadEq:\n"
    "    def __eq__(self, other): raise RuntimeError('eq')\n"
    "    __hash__ = object.__hash__\n"
    "    def __int__(self): return 3\n"
    "    def __float__(self): return 3.0\n"
    "def gen(): yield 1; yield 2**64; yield 3\n"
    "values = (0, 1, 2, 42, 2**63, 2**64 - 1, 2**64, -1, -(2**70), 10**30,\n"
    "  True, 2.0, 1.5, float('nan'), float('inf'), 3j, 'a', b'ab',\n"
    "  bytearray(b'\\x00\\xff'), None, [], [1, 2, 3], (5, 2**64 - 2),\n"
    "  [1, 'x'], {1, 2}, frozenset({7}), {1: 2}.keys(), range(100),\n"
    "  array.array('Q', [1, 2**64 - 1]), array.array('q', [3, -4]),\n"
    "  array.array('B', b'xyz'), array.array('d', [1.0]),\n"
    "  memoryview(array.array('Q', range(20)))[::3],\n"
    "  memoryview(b'abcdefgh').cast('Q'), fractions.Fraction(7, 1),\n"
    "  decimal.Decimal('NaN'), decimal.Decimal(9), BadIndex(),\n"
    "  WrongIndex(), BadEq(), object(), gen)\n";

static const char *const methods[] = {
    "insert",
    "add",
    "contains",
    "discard",
    "remove",
    "pop",
    "clear",
    "update",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "intersection_update",
    "difference_update",
    "symmetric_difference_update",
    "issubset",
    "issuperset",
    "isdisjoint",
    "__ior__",
    "__iand__",
    "__isub__",
    "__ixor__",
    "__or__",
    "__and__",
    "__sub__",
    "__xor__",
    "__rsub__",
    "__eq__",
    "__le__",
    "__lt__",
    "__ge__",
    "__gt__",
    "copy",
    "len",
    "__reduce__",
    "__sizeof__",
    "__contains__",
    "__init__",
    "contains_many",
    "to_array",
    "to_bytes",
    "from_bytes",
    "__reduce_ex__",
};
#define METHOD_COUNT (sizeof methods / sizeof *methods)

static void
check(int condition)
{
    if (!condition) {
        abort();
    }
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    check(PyImport_AppendInittab("hashset", PyInit_hashset) == 0);
    check(PyImport_AppendInittab("point", PyInit_point) == 0);
    Py_InitializeEx(0);
    PyObject *globals = PyDict_New();
    check(globals != NULL);
    check(PyDict_SetItemString(globals, "__builtins__",
                               PyEval_GetBuiltins()) == 0);
    PyObject *result =
        PyRun_String(palette_source, Py_file_input, globals, globals);
    if (result == NULL) {
        PyErr_Print();
    }
    check(result != NULL);
    Py_DECREF(result);
    palette = PyDict_GetItemString(globals, "values");
    check(palette != NULL && PyTuple_Check(palette));
    Py_INCREF(palette);
    Py_DECREF(globals);
    PyObject *hashset = PyImport_ImportModule("hashset");
    PyObject *point = PyImport_ImportModule("point");
    check(hashset != NULL && point != NULL);
    hashset_type = PyObject_GetAttrString(hashset, "HashSet");
    point_type = PyObject_GetAttrString(point, "Point");
    check(hashset_type != NULL && point_type != NULL);
    Py_DECREF(hashset);
    Py_DECREF(point);
    return 0;
}

/* A palette value; generators are made fresh (a used one is empty). */
static PyObject *
value_at(uint8_t byte)
{
    PyObject *value =
        PyTuple_GET_ITEM(palette, byte % PyTuple_GET_SIZE(palette));
    return PyFunction_Check(value) ? PyObject_CallNoArgs(value)
                                   : Py_NewRef(value);
}

/* The invariant after every step: iteration agrees with len(), and
 * every element produced is a member in range. */
static void
check_set(PyObject *set)
{
    Py_ssize_t length = PyObject_Length(set);
    PyObject *iterator = PyObject_GetIter(set);
    PyObject *item;
    Py_ssize_t seen = 0;

    check(length >= 0 && iterator != NULL);
    while ((item = PyIter_Next(iterator)) != NULL) {
        check(PyLong_Check(item) && PySequence_Contains(set, item) == 1);
        Py_DECREF(item);
        seen++;
    }
    check(!PyErr_Occurred() && seen == length);
    Py_DECREF(iterator);
}

static void
run_step(PyObject *set, PyObject **iterator, const uint8_t *step)
{
    PyObject *argument = value_at(step[1]);
    PyObject *result = NULL;
    check(argument != NULL);
    switch (step[0] % 4) {
    case 0:
    case 1: {
        const char *method = methods[step[2] % METHOD_COUNT];
        int no_argument =
            !strcmp(method, "pop") || !strcmp(method, "clear") ||
            !strcmp(method, "copy") || !strcmp(method, "len") ||
            !strcmp(method, "__reduce__") || !strcmp(method, "__sizeof__") ||
            !strcmp(method, "to_array") || !strcmp(method, "to_bytes");
        result = no_argument ? PyObject_CallMethod(set, method, NULL)
                             : PyObject_CallMethod(set, method, "O", argument);
        break;
    }
    case 2:
        if (step[2] & 1) {
            result = PyObject_CallOneArg(hashset_type, argument);
        } else {
            PyObject *second = value_at(step[2]);
            check(second != NULL);
            result = PyObject_CallFunctionObjArgs(point_type, argument, second,
                                                  NULL);
            Py_DECREF(second);
        }
        break;
    default:
        if (*iterator == NULL) {
            *iterator = PyObject_GetIter(set);
            check(*iterator != NULL);
        }
        result = PyIter_Next(*iterator);
        if (result == NULL && !PyErr_Occurred()) {
            Py_CLEAR(*iterator);
        }
    }
    /* A result or an exception, never both nor neither (for PyIter_Next,
     * neither means the end, handled above). */
    check((result == NULL) == (PyErr_Occurred() != NULL) ||
          (step[0] % 4 == 3 && result == NULL));
    if (result != NULL &&
        PyObject_TypeCheck(result, (PyTypeObject *)hashset_type)) {
        check_set(result);
    }
    Py_XDECREF(result);
    PyErr_Clear();
    Py_DECREF(argument);
}

/* from_bytes of `bytes`: a HashSet of exactly the declared count, or
 * ValueError, nothing else. */
static void
check_from_bytes(const char *bytes, size_t size)
{
    PyObject *data = PyBytes_FromStringAndSize(bytes, (Py_ssize_t)size);
    check(data != NULL);
    PyObject *built =
        PyObject_CallMethod(hashset_type, "from_bytes", "O", data);
    if (built == NULL) {
        check(PyErr_ExceptionMatches(PyExc_ValueError));
        PyErr_Clear();
    } else {
        uint64_t count = 0;
        check(size >= 24);
        memcpy(&count, bytes + 16, sizeof count); /* little-endian here */
        check((uint64_t)PyObject_Length(built) == count);
        check_set(built);
        Py_DECREF(built);
    }
    Py_DECREF(data);
}

/* The input as from_bytes's data, as it is and behind a valid header
 * (magic, version 1, flags 0), so that the count and the payload are
 * explored too. */
static void
fuzz_from_bytes(const uint8_t *data, size_t size)
{
    static const char header[16] = "HashSetQ\1\0\0\0\0\0\0\0";
    char *framed = malloc(sizeof header + size + 1);
    check(framed != NULL);
    check_from_bytes((const char *)data, size);
    memcpy(framed, header, sizeof header);
    memcpy(framed + sizeof header, data, size);
    check_from_bytes(framed, sizeof header + size);
    free(framed);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_from_bytes(data, size);
    PyObject *set = PyObject_CallNoArgs(hashset_type);
    PyObject *iterator = NULL;
    check(set != NULL);
    for (; size >= 3; data += 3, size -= 3) {
        run_step(set, &iterator, data);
        check_set(set);
    }
    Py_XDECREF(iterator);
    Py_DECREF(set);
    return 0;
}
