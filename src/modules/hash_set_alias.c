/* The hash_set module: the tutorial's name for hashset.  It holds the
 * very objects of hashset (hash_set.HashSet is hashset.HashSet), so its
 * own source is only this; as an extension module it is built alone and
 * imports hashset at run time. */
#include "modules/module_support.h"
#include "modules/modules.h"

/* hash_set, the tutorial's name: the same objects under a second name, so
 * that hash_set.HashSet is hashset.HashSet. */
static int
hash_set_exec(PyObject *module)
{
    static const char *const names[] = {"HashSet", "SetIterator"};
    PyObject *hashset = PyImport_ImportModule("hashset");
    int status = 0;

    if (hashset == NULL) {
        return -1;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names && status == 0; i++) {
        PyObject *value = PyObject_GetAttrString(hashset, names[i]);
        status = value == NULL
                     ? -1
                     : PyModule_AddObjectRef(module, names[i], value);
        Py_XDECREF(value);
    }
    Py_DECREF(hashset);
    return status;
}

static PyModuleDef_Slot hash_set_module_slots[] = {
    {Py_mod_exec, SLOT_FUNCTION(hash_set_exec)},
    {0, NULL},
};

static struct PyModuleDef hash_set_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "hash_set",
    .m_doc = "The hashset module under the tutorial's name, hash_set.",
    .m_size = 0,
    .m_slots = hash_set_module_slots,
};

PyMODINIT_FUNC
PyInit_hash_set(void)
{
    return PyModuleDef_Init(&hash_set_module);
}
