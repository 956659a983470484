/* The standalone file's library as python3.11's is on disk: a __file__
 * under the executable for every module, and the source behind it for
 * inspect.getsource, linecache, pdb, warnings and tracebacks.
 *
 * CPython 3.11 freezes the modules of start-up (os, site, codecs, io,
 * abc, posixpath, ...) into the executable.  Loading them from the zip
 * instead (use_frozen_modules = 0) would give them a zipimporter, hence
 * __file__ and source, for free, but costs `-c pass` 19 M more
 * instructions (59 M against 40 M, about 5 ms here): so they stay frozen,
 * and four patches, made once at start-up, do the rest.
 *
 *  - sys._stdlib_dir is the file: FrozenImporter then names os.__file__
 *    FILE/os.py, as python3.11 names /usr/lib/python3.11/os.py (and the
 *    modules imported before it could be set get the same name).
 *  - FrozenImporter.get_source reads the module's source from the zip;
 *    python3.11's returns None, and linecache reads the file on disk.
 *  - zipimport._unmarshal_code gives bytecode its module's full path as
 *    co_filename, as SourceFileLoader does: the build compiles it with
 *    the path inside the zip, the executable's path being unknown then.
 *  - sys.excepthook (and sys.__excepthook__, so that code comparing the
 *    two still sees the default) prints with the traceback module, whose
 *    linecache asks each module's loader for its source; CPython's C
 *    printer reads source lines from files on disk only.  Threads and
 *    unraisable exceptions keep CPython's printer (documented).
 */
#include "host/standalone_sources.h"

#ifdef PYHOST_STANDALONE

/* Whether sys.modules[name] was loaded by FrozenImporter (0 with no
 * error when not, -1 with an error set). */
static int
sources_is_frozen_module(PyObject *name)
{
    PyObject *modules = PySys_GetObject("modules"); /* borrowed */
    PyObject *module = modules == NULL ? NULL : PyDict_GetItem(modules, name);
    if (module == NULL) {
        return 0;
    }
    PyObject *spec = PyObject_GetAttrString(module, "__spec__");
    PyObject *origin =
        spec == NULL ? NULL : PyObject_GetAttrString(spec, "origin");
    Py_XDECREF(spec);
    if (origin == NULL) {
        PyErr_Clear();
        return 0;
    }
    int frozen = PyUnicode_Check(origin) &&
                 PyUnicode_CompareWithASCIIString(origin, "frozen") == 0;
    Py_DECREF(origin);
    return frozen;
}

/* FrozenImporter.get_source(fullname), bound to the file: the source of
 * a frozen module of the library from the zip, None when the zip has
 * none, ImportError for a name that is not frozen (as the original's
 * _requires_frozen).  Called as a classmethod: args are (cls, fullname). */
static PyObject *
sources_frozen_get_source(PyObject *file, PyObject *const *args,
                          Py_ssize_t nargs)
{
    PyObject *imp = NULL, *found = NULL, *head = NULL, *subdir = NULL,
             *dir = NULL, *zipimport = NULL, *importer = NULL, *source = NULL;
    if (nargs != 2 || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "get_source() takes a module name");
        return NULL;
    }
    PyObject *fullname = args[1];
    imp = PyImport_ImportModule("_imp");
    if (imp == NULL) {
        goto done;
    }
    found = PyObject_CallMethod(imp, "find_frozen", "O", fullname);
    if (found == NULL) {
        goto done;
    }
    /* (data, ispkg, origname): an alias such as _frozen_importlib has
     * its source under its original name (importlib._bootstrap).  That
     * name is not frozen itself, but a module of sys.modules by it, which
     * linecache asks for, once the importlib package has renamed it. */
    PyObject *origname = fullname;
    if (PyTuple_Check(found) && PyTuple_GET_SIZE(found) == 3 &&
        PyUnicode_Check(PyTuple_GET_ITEM(found, 2))) {
        origname = PyTuple_GET_ITEM(found, 2);
    } else if (!sources_is_frozen_module(fullname)) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_ImportError, "%R is not a frozen module",
                         fullname);
        }
        goto done;
    }
    /* zipimporter looks a name up by its last part in its own directory
     * of the zip: FILE/importlib for importlib.util. */
    Py_ssize_t dot = PyUnicode_FindChar(origname, '.', 0,
                                        PyUnicode_GET_LENGTH(origname), -1);
    if (dot == -2) {
        goto done;
    }
    if (dot < 0) {
        dir = Py_NewRef(file);
    } else {
        head = PyUnicode_Substring(origname, 0, dot);
        PyObject *dot_str = PyUnicode_FromString(".");
        PyObject *slash = PyUnicode_FromString("/");
        if (head != NULL && dot_str != NULL && slash != NULL) {
            subdir = PyUnicode_Replace(head, dot_str, slash, -1);
        }
        Py_XDECREF(dot_str);
        Py_XDECREF(slash);
        if (subdir == NULL) {
            goto done;
        }
        dir = PyUnicode_FromFormat("%U/%U", file, subdir);
        if (dir == NULL) {
            goto done;
        }
    }
    zipimport = PyImport_ImportModule("zipimport");
    if (zipimport == NULL) {
        goto done;
    }
    importer = PyObject_CallMethod(zipimport, "zipimporter", "O", dir);
    if (importer != NULL) {
        source = PyObject_CallMethod(importer, "get_source", "O", origname);
    }
    if (source == NULL && PyErr_ExceptionMatches(PyExc_ImportError)) {
        /* Not in the zip (ZipImportError): no source, as before. */
        PyErr_Clear();
        source = Py_NewRef(Py_None);
    }
done:
    Py_XDECREF(importer);
    Py_XDECREF(zipimport);
    Py_XDECREF(dir);
    Py_XDECREF(subdir);
    Py_XDECREF(head);
    Py_XDECREF(found);
    Py_XDECREF(imp);
    return source;
}

/* zipimport._unmarshal_code(self, pathname, fullpath, fullname, data),
 * bound to the original: its code object, with co_filename (of every
 * nested code object too) set to pathname, the module's __file__. */
static PyObject *
sources_unmarshal_code(PyObject *original, PyObject *const *args,
                       Py_ssize_t nargs)
{
    PyObject *code = PyObject_Vectorcall(original, args, nargs, NULL);
    if (code == NULL || !PyCode_Check(code) || nargs < 2 ||
        !PyUnicode_Check(args[1])) {
        return code; /* None (stale bytecode) or an error: as it was */
    }
    PyObject *imp = PyImport_ImportModule("_imp");
    PyObject *fixed = imp == NULL
                          ? NULL
                          : PyObject_CallMethod(imp, "_fix_co_filename", "OO",
                                                code, args[1]);
    Py_XDECREF(imp);
    if (fixed == NULL) {
        Py_CLEAR(code);
    }
    Py_XDECREF(fixed);
    return code;
}

/* sys.excepthook(type, value, traceback): traceback.print_exception,
 * which finds source lines through linecache; CPython's own printer if
 * that fails, so that an exception is always reported. */
static PyObject *
sources_excepthook(PyObject *unused, PyObject *const *args, Py_ssize_t nargs)
{
    (void)unused;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError,
                     "excepthook expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *err = PySys_GetObject("stderr"); /* borrowed */
    if (err == NULL || err == Py_None) {
        Py_RETURN_NONE; /* nowhere to print, as CPython's printer */
    }
    PyObject *traceback = PyImport_ImportModule("traceback");
    PyObject *printed =
        traceback == NULL
            ? NULL
            : PyObject_CallMethod(traceback, "print_exception", "OOO", args[0],
                                  args[1], args[2]);
    Py_XDECREF(traceback);
    if (printed == NULL) {
        PyErr_Clear();
        PyErr_Display(args[0], args[1], args[2]);
    }
    Py_XDECREF(printed);
    Py_RETURN_NONE;
}

static PyMethodDef sources_get_source_def = {
    "get_source", (PyCFunction)(void (*)(void))sources_frozen_get_source,
    METH_FASTCALL,
    "get_source($cls, fullname, /)\n--\n\n"
    "The source of a frozen module of the library, from the executable's "
    "zip."};
static PyMethodDef sources_unmarshal_code_def = {
    "_unmarshal_code", (PyCFunction)(void (*)(void))sources_unmarshal_code,
    METH_FASTCALL,
    "zipimport's _unmarshal_code, with co_filename set to the module's "
    "path."};
static PyMethodDef sources_excepthook_def = {
    "excepthook", (PyCFunction)(void (*)(void))sources_excepthook,
    METH_FASTCALL,
    "excepthook($module, exctype, value, traceback, /)\n--\n\n"
    "Handle an exception by printing it with the traceback module, whose "
    "source lines come from the executable's zip."};

/* FrozenImporter.get_source = classmethod(sources_frozen_get_source). */
static int
sources_patch_frozen_importer(PyObject *file)
{
    int result = -1;
    PyObject *bootstrap = NULL, *importer = NULL, *function = NULL,
             *method = NULL;
    bootstrap = PyImport_ImportModule("_frozen_importlib");
    if (bootstrap == NULL) {
        goto done;
    }
    importer = PyObject_GetAttrString(bootstrap, "FrozenImporter");
    if (importer == NULL) {
        goto done;
    }
    function = PyCFunction_New(&sources_get_source_def, file);
    if (function == NULL) {
        goto done;
    }
    method = PyClassMethod_New(function);
    if (method == NULL) {
        goto done;
    }
    result = PyObject_SetAttrString(importer, "get_source", method);
done:
    Py_XDECREF(method);
    Py_XDECREF(function);
    Py_XDECREF(importer);
    Py_XDECREF(bootstrap);
    return result;
}

/* zipimport._unmarshal_code = sources_unmarshal_code bound to the
 * original.  Imports zipimport, after sys._stdlib_dir is set. */
static int
sources_patch_zipimport(void)
{
    int result = -1;
    PyObject *zipimport = NULL, *original = NULL, *wrapper = NULL;
    zipimport = PyImport_ImportModule("zipimport");
    if (zipimport == NULL) {
        goto done;
    }
    original = PyObject_GetAttrString(zipimport, "_unmarshal_code");
    if (original == NULL) {
        goto done;
    }
    wrapper = PyCFunction_New(&sources_unmarshal_code_def, original);
    if (wrapper == NULL) {
        goto done;
    }
    result = PyObject_SetAttrString(zipimport, "_unmarshal_code", wrapper);
done:
    Py_XDECREF(wrapper);
    Py_XDECREF(original);
    Py_XDECREF(zipimport);
    return result;
}

static int
sources_set_excepthook(void)
{
    PyObject *hook = PyCFunction_New(&sources_excepthook_def, NULL);
    if (hook == NULL) {
        return -1;
    }
    int result = PySys_SetObject("excepthook", hook) < 0 ||
                         PySys_SetObject("__excepthook__", hook) < 0
                     ? -1
                     : 0;
    Py_DECREF(hook);
    return result;
}

int
standalone_sources_install(PyObject *file)
{
    if (sources_patch_frozen_importer(file) < 0 ||
        sources_patch_zipimport() < 0 || sources_set_excepthook() < 0) {
        return -1;
    }
    return 0;
}

/* module.__file__ and its spec's loader_state.filename, as FrozenImporter
 * would have set them with sys._stdlib_dir set, for one module of
 * sys.modules: nothing unless it is frozen and has no __file__ yet. */
static int
sources_name_frozen_module(PyObject *importer, PyObject *name,
                           PyObject *module)
{
    int result = -1;
    PyObject *spec = NULL, *loader = NULL, *state = NULL, *origname = NULL,
             *locations = NULL, *resolved = NULL;
    if (PyObject_HasAttrString(module, "__file__") ||
        !PyObject_HasAttrString(module, "__spec__")) {
        return 0;
    }
    spec = PyObject_GetAttrString(module, "__spec__");
    if (spec == Py_None) { /* __main__ */
        result = 0;
        goto done;
    }
    loader = spec == NULL ? NULL : PyObject_GetAttrString(spec, "loader");
    if (loader == NULL) {
        goto done;
    }
    if (loader != importer) {
        result = 0;
        goto done;
    }
    state = PyObject_GetAttrString(spec, "loader_state");
    origname =
        state == NULL ? NULL : PyObject_GetAttrString(state, "origname");
    locations =
        origname == NULL
            ? NULL
            : PyObject_GetAttrString(spec, "submodule_search_locations");
    if (locations == NULL) {
        goto done;
    }
    resolved =
        PyObject_CallMethod(importer, "_resolve_filename", "OOO", origname,
                            name, locations == Py_None ? Py_False : Py_True);
    if (resolved == NULL) {
        goto done;
    }
    PyObject *filename = PyTuple_Check(resolved) && PyTuple_GET_SIZE(resolved)
                             ? PyTuple_GET_ITEM(resolved, 0)
                             : Py_None;
    result =
        filename == Py_None ||
                (PyObject_SetAttrString(module, "__file__", filename) == 0 &&
                 PyObject_SetAttrString(state, "filename", filename) == 0)
            ? 0
            : -1;
done:
    Py_XDECREF(resolved);
    Py_XDECREF(locations);
    Py_XDECREF(origname);
    Py_XDECREF(state);
    Py_XDECREF(loader);
    Py_XDECREF(spec);
    return result;
}

/* sys._stdlib_dir = FILE, then the frozen modules imported so far get
 * the __file__ it implies.  (getpath leaves the configuration's
 * stdlib_dir empty when home is given and the search path is set, and the
 * main phase of initialisation, which imports os, io, site, ..., sets
 * sys._stdlib_dir from it: to None.) */
int
standalone_sources_name_frozen(PyObject *file)
{
    int result = -1;
    PyObject *bootstrap = NULL, *importer = NULL, *items = NULL;
    PyObject *modules = PySys_GetObject("modules"); /* borrowed */
    if (modules == NULL || !PyDict_Check(modules) ||
        PySys_SetObject("_stdlib_dir", file) < 0) {
        goto done;
    }
    bootstrap = PyImport_ImportModule("_frozen_importlib");
    importer = bootstrap == NULL
                   ? NULL
                   : PyObject_GetAttrString(bootstrap, "FrozenImporter");
    items = importer == NULL ? NULL : PyDict_Items(modules);
    if (items == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        if (sources_name_frozen_module(importer, PyTuple_GET_ITEM(item, 0),
                                       PyTuple_GET_ITEM(item, 1)) < 0) {
            goto done;
        }
    }
    result = 0;
done:
    if (result < 0 && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_RuntimeError, "no sys.modules");
    }
    Py_XDECREF(items);
    Py_XDECREF(importer);
    Py_XDECREF(bootstrap);
    return result;
}

#else /* !PYHOST_STANDALONE */

int
standalone_sources_install(PyObject *file)
{
    (void)file;
    return 0;
}

int
standalone_sources_name_frozen(PyObject *file)
{
    (void)file;
    return 0;
}

#endif
