#!/usr/bin/env python3
"""Build beale's cffi layout module for the interpreter running this script.

    python build_ffi.py            # build if the cache is stale, print where it is
    python build_ffi.py --force    # rebuild
    import build_ffi; build_ffi.build()

Steps (see docs/DESIGN.md section 1):

1. find the host's include dir (``sysconfig.get_paths()["include"]``);
2. preprocess ``Python.h`` + the internal headers with private structs
   (:mod:`layout.cparse`), parse with pycparser;
3. build the type model (:mod:`layout.cmodel`) and take the transitive closure
   of ``headers/structs.txt`` plus the host symbols beale needs;
4. print the cffi cdef (:mod:`layout.cdefgen`) and compile an API-mode module
   whose C source includes the same headers, so the C compiler checks every
   size and offset the cdef states;
5. keep the module, the cdef and the model in a cache directory keyed on the
   host version and a hash of the headers (and of this generator):
   ``$BEALE_CACHE`` or ``$XDG_CACHE_HOME/beale`` or ``~/.cache/beale``.
"""

import hashlib
import importlib
import importlib.machinery
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.abspath(__file__))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from layout import cparse  # noqa: E402  (after the sys.path fix)


def _missing_packages():
    """The build's Python dependencies that do not import (cffi brings pycparser)."""
    missing = []
    for name in ("cffi", "pycparser"):
        # find_spec, not an import: loading a cached module needs neither package
        # (importing them cost a third of `beale -c pass`)
        if importlib.util.find_spec(name) is None:
            missing.append(name)
    return missing


MISSING_PACKAGES = _missing_packages()
if not MISSING_PACKAGES:
    from layout import cmodel  # noqa: E402  (imports pycparser on first parse only)

MODULE_NAME = "_beale_layout"
STRUCTS_TXT = os.path.join(ROOT, "headers", "structs.txt")

#: Host data symbols the runtime needs, beyond every exported ``Py*_Type``
#: type object and ``PyExc_*`` exception (those are found in the headers).
SINGLETONS = ("_Py_NoneStruct", "_Py_TrueStruct", "_Py_FalseStruct", "_Py_EllipsisObject",
              "_Py_NotImplementedStruct")

#: Host functions declared in the cdef.  cffi releases the GIL around calls to
#: them, so the runtime must use the beale_* wrappers below for anything that
#: needs the GIL (pymalloc does); these are declared for completeness.
FUNCTIONS = ("PyObject_Malloc", "PyObject_Calloc", "PyObject_Realloc", "PyObject_Free",
             "PyMem_Malloc", "PyMem_Calloc", "PyMem_Realloc", "PyMem_Free")

#: C helpers compiled into the module; each takes the GIL back first.
WRAPPERS_CDEF = """
void *beale_object_malloc(size_t n);
void *beale_object_calloc(size_t n, size_t size);
void *beale_object_realloc(void *p, size_t n);
void beale_object_free(void *p);
void *beale_mem_malloc(size_t n);
void *beale_mem_realloc(void *p, size_t n);
void beale_mem_free(void *p);
int beale_gc_track(void *op);
int beale_gc_untrack(void *op);
int beale_gc_is_tracked(void *op);
void beale_incref(void *op);
void beale_decref(void *op);
void *beale_fast_constructors(void);
"""

WRAPPERS_C = r"""
/* beale: GIL-taking wrappers.  cffi releases the GIL around every call into
   this module, and pymalloc, the GC lists and deallocators need it. */
#define BEALE_WITH_GIL(stmt) do { PyGILState_STATE _g = PyGILState_Ensure(); stmt; \
                                  PyGILState_Release(_g); } while (0)
static void *beale_object_malloc(size_t n) { void *r; BEALE_WITH_GIL(r = PyObject_Malloc(n)); return r; }
static void *beale_object_calloc(size_t n, size_t s) { void *r; BEALE_WITH_GIL(r = PyObject_Calloc(n, s)); return r; }
static void *beale_object_realloc(void *p, size_t n) { void *r; BEALE_WITH_GIL(r = PyObject_Realloc(p, n)); return r; }
static void beale_object_free(void *p) { BEALE_WITH_GIL(PyObject_Free(p)); }
static void *beale_mem_malloc(size_t n) { void *r; BEALE_WITH_GIL(r = PyMem_Malloc(n)); return r; }
static void *beale_mem_realloc(void *p, size_t n) { void *r; BEALE_WITH_GIL(r = PyMem_Realloc(p, n)); return r; }
static void beale_mem_free(void *p) { BEALE_WITH_GIL(PyMem_Free(p)); }
/* Track/untrack are no-ops (returning 0) where CPython would abort: a non-GC
   object, or one already in the requested state.  1 means done. */
static int beale_gc_track(void *op) {
    int r = 0;
    BEALE_WITH_GIL(if (op && PyObject_IS_GC((PyObject *)op) && !PyObject_GC_IsTracked((PyObject *)op))
                   { PyObject_GC_Track(op); r = 1; });
    return r;
}
static int beale_gc_untrack(void *op) {
    int r = 0;
    BEALE_WITH_GIL(if (op && PyObject_IS_GC((PyObject *)op) && PyObject_GC_IsTracked((PyObject *)op))
                   { PyObject_GC_UnTrack(op); r = 1; });
    return r;
}
static int beale_gc_is_tracked(void *op) { int r; BEALE_WITH_GIL(r = PyObject_GC_IsTracked((PyObject *)op)); return r; }
static void beale_incref(void *op) { BEALE_WITH_GIL(Py_INCREF((PyObject *)op)); }
static void beale_decref(void *op) { BEALE_WITH_GIL(Py_DECREF((PyObject *)op)); }

/* beale: allocate-and-fill constructors for the commonest immutable objects.  They are
   METH_O builtin functions, so the interpreter calls them with the GIL held and without
   cffi's per-call GIL release: one call mallocs with the host allocator and writes the
   whole struct (the fields named from the real headers), as PyFloat_FromDouble and
   _PyLong_New + PyLong_FromLong do minus the free lists.  The argument is the host
   value beale computed.  The result is a new reference, adopted as a handle's `ref`. */
static PyObject *beale_fast_float(PyObject *self, PyObject *arg)
{
    PyFloatObject *op;
    double v = PyFloat_AsDouble(arg);
    if (v == -1.0 && PyErr_Occurred())
        return NULL;
    op = (PyFloatObject *)PyObject_Malloc(sizeof(PyFloatObject));
    if (op == NULL)
        return PyErr_NoMemory();
    Py_SET_TYPE(op, &PyFloat_Type);
    Py_SET_REFCNT(op, 1);
    op->ob_fval = v;
    return (PyObject *)op;
}

#if PY_VERSION_HEX < 0x030C0000
/* One-digit ints, 0 < |v| < 2**PyLong_SHIFT (3.12+ encode the size in lv_tag: those
   versions use beale's packed-bytes path instead). */
static PyObject *beale_fast_int1(PyObject *self, PyObject *arg)
{
    PyLongObject *op;
    unsigned long a;
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    a = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    if (a == 0 || a >= (1UL << PyLong_SHIFT)) {
        PyErr_SetString(PyExc_ValueError, "beale_fast_int1: not a one-digit int");
        return NULL;
    }
    op = (PyLongObject *)PyObject_Malloc(offsetof(PyLongObject, ob_digit) + sizeof(digit));
    if (op == NULL)
        return PyErr_NoMemory();
    Py_SET_TYPE(op, &PyLong_Type);
    Py_SET_REFCNT(op, 1);
    Py_SET_SIZE(op, v < 0 ? -1 : 1);
    op->ob_digit[0] = (digit)a;
    return (PyObject *)op;
}

/* Any other exact int: _PyLong_New(ndigits) (offsetof(ob_digit) + max(1, n) digits, as
   CPython sizes it) with the host value's sign/size and digits copied, which are the
   digits a guest int of that value has. */
static PyObject *beale_fast_intn(PyObject *self, PyObject *arg)
{
    PyLongObject *op, *src = (PyLongObject *)arg;
    Py_ssize_t size, n;
    if (!PyLong_CheckExact(arg)) {
        PyErr_SetString(PyExc_TypeError, "beale_fast_intn: an exact int expected");
        return NULL;
    }
    size = Py_SIZE(src);
    n = size < 0 ? -size : size;
    op = (PyLongObject *)PyObject_Malloc(offsetof(PyLongObject, ob_digit) +
                                         (size_t)(n > 0 ? n : 1) * sizeof(digit));
    if (op == NULL)
        return PyErr_NoMemory();
    Py_SET_TYPE(op, &PyLong_Type);
    Py_SET_REFCNT(op, 1);
    Py_SET_SIZE(op, size);
    if (n == 0)
        op->ob_digit[0] = 0;
    else
        memcpy(op->ob_digit, src->ob_digit, (size_t)n * sizeof(digit));
    return (PyObject *)op;
}
#endif

/* A tuple of the objects at the given addresses (a host list or tuple of ints), each
   item a new reference: PyTuple_New + PyTuple_SET_ITEM, with beale's layout of a new
   tuple (calloc'ed PyGC_Head in front, as runtime.object.alloc_object does), tracked
   whatever it holds, as PyTuple_New does (only a collection untracks a tuple of atomic
   items: _PyTuple_MaybeUntrack).  Non-empty only. */
static PyObject *beale_fast_tuple(PyObject *self, PyObject *arg)
{
    PyObject *seq, **src;
    PyTupleObject *op;
    Py_ssize_t i, n;
    size_t size;
    char *block;
    seq = PySequence_Fast(arg, "beale_fast_tuple: addresses expected");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    src = PySequence_Fast_ITEMS(seq);
    if (n <= 0) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "beale_fast_tuple: no items");
        return NULL;
    }
    size = (size_t)PyTuple_Type.tp_basicsize + (size_t)n * (size_t)PyTuple_Type.tp_itemsize;
    size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    block = (char *)PyObject_Calloc(1, sizeof(PyGC_Head) + size);
    if (block == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    op = (PyTupleObject *)(block + sizeof(PyGC_Head));
    Py_SET_TYPE(op, &PyTuple_Type);
    Py_SET_REFCNT(op, 1);
    Py_SET_SIZE(op, n);
    for (i = 0; i < n; i++) {
        PyObject *item = (PyObject *)PyLong_AsVoidPtr(src[i]);
        if (item == NULL) {     /* not an address: undo (items so far hold references) */
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "beale_fast_tuple: NULL item");
            Py_DECREF(seq);
            Py_DECREF(op);
            return NULL;
        }
        Py_INCREF(item);
        op->ob_item[i] = item;
    }
    Py_DECREF(seq);
    PyObject_GC_Track(op);
    return (PyObject *)op;
}

/* A list of the objects at the given addresses (a host list or tuple of ints), each item
   a new reference: PyList_New(n) (allocated == n, ob_item from PyMem_Malloc, NULL when
   empty) + PyList_SET_ITEM, with the calloc'ed PyGC_Head of runtime.object.alloc_object,
   tracked as PyList_New does. */
static PyObject *beale_fast_list(PyObject *self, PyObject *arg)
{
    PyObject *seq, **src, **items = NULL;
    PyListObject *op;
    Py_ssize_t i, n;
    char *block;
    seq = PySequence_Fast(arg, "beale_fast_list: addresses expected");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    src = PySequence_Fast_ITEMS(seq);
    for (i = 0; i < n; i++) {   /* check every address before taking references */
        if (PyLong_AsVoidPtr(src[i]) == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "beale_fast_list: NULL item");
            Py_DECREF(seq);
            return NULL;
        }
    }
    if (n > 0) {
        if ((size_t)n > PY_SSIZE_T_MAX / sizeof(PyObject *)) {
            Py_DECREF(seq);
            return PyErr_NoMemory();
        }
        items = (PyObject **)PyMem_Malloc((size_t)n * sizeof(PyObject *));
        if (items == NULL) {
            Py_DECREF(seq);
            return PyErr_NoMemory();
        }
    }
    block = (char *)PyObject_Calloc(1, sizeof(PyGC_Head) + (size_t)PyList_Type.tp_basicsize);
    if (block == NULL) {
        PyMem_Free(items);
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    op = (PyListObject *)(block + sizeof(PyGC_Head));
    Py_SET_TYPE(op, &PyList_Type);
    Py_SET_REFCNT(op, 1);
    Py_SET_SIZE(op, n);
    op->allocated = n;
    for (i = 0; i < n; i++) {
        PyObject *item = (PyObject *)PyLong_AsVoidPtr(src[i]);
        Py_INCREF(item);
        items[i] = item;
    }
    op->ob_item = items;
    Py_DECREF(seq);
    PyObject_GC_Track(op);
    return (PyObject *)op;
}

/* The object at an address, as a new reference: what ctypes' PyObj_FromPtr does for
   runtime.object.wrap (every handle is made this way), as a METH_O builtin, without
   PyObj_FromPtr's argument tuple, converter and audit event. */
static PyObject *beale_fast_obj(PyObject *self, PyObject *arg)
{
    PyObject *op = (PyObject *)PyLong_AsVoidPtr(arg);
    if (op == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "beale_fast_obj: NULL address");
        return NULL;
    }
    Py_INCREF(op);
    return op;
}

/* runtime.object's _calloc and gc_track as METH_O builtins (called with the GIL held,
   so without cffi's release and PyGILState_Ensure per call): calloc(n) ->
   PyObject_Calloc(1, n) as an int address (MemoryError when NULL); gc_track(addr) ->
   PyObject_GC_Track when the object is of a GC type and not tracked yet (1), else 0, as
   beale_gc_track. */
static PyObject *beale_fast_calloc(PyObject *self, PyObject *arg)
{
    void *p;
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "beale_fast_calloc: negative size");
        return NULL;
    }
    p = PyObject_Calloc(1, (size_t)n);
    if (p == NULL)
        return PyErr_NoMemory();
    return PyLong_FromVoidPtr(p);
}

static PyObject *beale_fast_gc_track(PyObject *self, PyObject *arg)
{
    PyObject *op = (PyObject *)PyLong_AsVoidPtr(arg);
    if (op == NULL) {
        if (PyErr_Occurred())
            return NULL;
        return PyLong_FromLong(0);
    }
    if (PyObject_IS_GC(op) && !PyObject_GC_IsTracked(op)) {
        PyObject_GC_Track(op);
        return PyLong_FromLong(1);
    }
    return PyLong_FromLong(0);
}

/* runtime.object.new_from_bytes in one call: PyObject_Malloc(len(data)), the packed
   struct copied in (its ob_refcnt word is 0: PyObj_FromPtr's increment gave the handle
   its count, here the returned new reference does).  Returns that reference. */
static PyObject *beale_fast_from_bytes(PyObject *self, PyObject *arg)
{
    char *buf;
    Py_ssize_t n;
    PyObject *op;
    if (PyBytes_AsStringAndSize(arg, &buf, &n) < 0)
        return NULL;
    if (n < (Py_ssize_t)sizeof(PyObject)) {
        PyErr_SetString(PyExc_ValueError, "beale_fast_from_bytes: shorter than a PyObject");
        return NULL;
    }
    op = (PyObject *)PyObject_Malloc((size_t)n);
    if (op == NULL)
        return PyErr_NoMemory();
    memcpy(op, buf, (size_t)n);
    Py_SET_REFCNT(op, 1);
    return op;
}

/* A fresh instance of a guest class (typeobject.alloc_instance): args (type address,
   tp_basicsize, bytes in front of the PyGC_Head: 0, or the two managed-dict words of
   3.11).  One zeroed PyObject_Calloc block, ob_refcnt 1, ob_type the class (which the
   instance owns a reference to, as for every heap type), tracked by the collector at
   once, as runtime.object.alloc_object + gc_track do for new_instance: the C of
   PyType_GenericAlloc.  Returns the new reference. */
static PyObject *beale_fast_instance(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyTypeObject *type;
    Py_ssize_t size, pre;
    char *block;
    PyObject *op;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "beale_fast_instance: 3 arguments");
        return NULL;
    }
    type = (PyTypeObject *)PyLong_AsVoidPtr(args[0]);
    size = PyLong_AsSsize_t(args[1]);
    pre = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred())
        return NULL;
    if (type == NULL || size < (Py_ssize_t)sizeof(PyObject) || pre < 0) {
        PyErr_SetString(PyExc_ValueError, "beale_fast_instance: bad arguments");
        return NULL;
    }
    block = (char *)PyObject_Calloc(1, (size_t)pre + sizeof(PyGC_Head) + (size_t)size);
    if (block == NULL)
        return PyErr_NoMemory();
    op = (PyObject *)(block + pre + sizeof(PyGC_Head));
    Py_SET_TYPE(op, type);
    Py_SET_REFCNT(op, 1);
    Py_INCREF(type);
    PyObject_GC_Track(op);
    return op;
}

/* The inline attribute caches' instance-dict probe (runtime/interp/attrcache.py) in one
   call: args (object address, dict offset, keys word index, geometry mask, geometry,
   key word, value word, key address), the word indices relative to the keys object as
   attrcache computes them from the layout.  Returns the address of the value stored at
   the cached entry when the instance's dict is an exact, combined dict whose keys table
   has that geometry and holds that very key there; else 0.  Reads memory only. */
static PyObject *beale_fast_dict_entry(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    char *obj;
    PyObject *d;
    intptr_t *kp;
    Py_ssize_t off, kw, vw, gw;
    intptr_t mask, geom, name;
    if (nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "beale_fast_dict_entry: 8 arguments");
        return NULL;
    }
    obj = (char *)PyLong_AsVoidPtr(args[0]);
    off = PyLong_AsSsize_t(args[1]);
    gw = PyLong_AsSsize_t(args[2]);
    mask = (intptr_t)PyLong_AsSsize_t(args[3]);
    geom = (intptr_t)PyLong_AsSsize_t(args[4]);
    kw = PyLong_AsSsize_t(args[5]);
    vw = PyLong_AsSsize_t(args[6]);
    name = (intptr_t)PyLong_AsVoidPtr(args[7]);
    if (PyErr_Occurred())
        return NULL;
    if (obj == NULL)
        return PyLong_FromLong(0);
    d = *(PyObject **)(obj + off);
    if (d == NULL || Py_TYPE(d) != &PyDict_Type || ((PyDictObject *)d)->ma_values != NULL)
        return PyLong_FromLong(0);
    kp = (intptr_t *)((PyDictObject *)d)->ma_keys;
    if (kp == NULL || (kp[gw] & mask) != geom || kp[kw] != name)
        return PyLong_FromLong(0);
    return PyLong_FromVoidPtr((void *)kp[vw]);
}

/* The attribute caches' store hit (attrcache.make_store) in one call: args (object
   address, dict offset, keys word index, geometry mask, geometry, key word, value word,
   key address, value address, version tag), the word indices as for
   beale_fast_dict_entry.  When the instance's dict is an exact, combined dict whose keys
   table has that geometry and holds that very key at the cached entry, the value is
   replaced as dictobject.c insertdict does for an existing key: the new value's reference
   first, MAINTAIN_TRACKING, the new ma_version_tag (drawn by beale, from its own range),
   the old value's reference dropped last (Py_DECREF: its tp_dealloc may run here, with
   the GIL held).  Returns True when done, False when nothing was written. */
static PyObject *beale_fast_dict_replace(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    char *obj;
    PyObject *d, *value, *old;
    intptr_t *kp;
    Py_ssize_t off, kw, vw, gw;
    intptr_t mask, geom, name;
    uint64_t version;
    if (nargs != 10) {
        PyErr_SetString(PyExc_TypeError, "beale_fast_dict_replace: 10 arguments");
        return NULL;
    }
    obj = (char *)PyLong_AsVoidPtr(args[0]);
    off = PyLong_AsSsize_t(args[1]);
    gw = PyLong_AsSsize_t(args[2]);
    mask = (intptr_t)PyLong_AsSsize_t(args[3]);
    geom = (intptr_t)PyLong_AsSsize_t(args[4]);
    kw = PyLong_AsSsize_t(args[5]);
    vw = PyLong_AsSsize_t(args[6]);
    name = (intptr_t)PyLong_AsVoidPtr(args[7]);
    value = (PyObject *)PyLong_AsVoidPtr(args[8]);
    version = (uint64_t)PyLong_AsUnsignedLongLong(args[9]);
    if (PyErr_Occurred())
        return NULL;
    if (obj == NULL || value == NULL)
        Py_RETURN_FALSE;
    d = *(PyObject **)(obj + off);
    if (d == NULL || Py_TYPE(d) != &PyDict_Type || ((PyDictObject *)d)->ma_values != NULL)
        Py_RETURN_FALSE;
    kp = (intptr_t *)((PyDictObject *)d)->ma_keys;
    if (kp == NULL || (kp[gw] & mask) != geom || kp[kw] != name)
        Py_RETURN_FALSE;
    old = (PyObject *)kp[vw];
    if (old == NULL)
        Py_RETURN_FALSE;
    Py_INCREF(value);
    if (!PyObject_GC_IsTracked(d) && PyObject_IS_GC(value) &&
            (!PyTuple_CheckExact(value) || PyObject_GC_IsTracked(value)))
        PyObject_GC_Track(d);                   /* MAINTAIN_TRACKING */
    if (old != value) {
        kp[vw] = (intptr_t)value;
        ((PyDictObject *)d)->ma_version_tag = version;
    }
    Py_DECREF(old);
    Py_RETURN_TRUE;
}

#if PY_VERSION_HEX >= 0x030B0000
/* The method caches' check that an instance dict does not shadow a method (attrcache's
   _absent) in one call: args (object address, dict offset, key address, key hash).
   1 when the object has no dict, or its exact combined dict certainly lacks the key:
   the probe sequence of dictobject.c's lookups reaches an empty index slot before any
   entry whose key is the key itself or has the same hash (which would need a
   comparison); else 0.  Reads memory only. */
#define BEALE_PERTURB_SHIFT 5           /* Objects/dictobject.c PERTURB_SHIFT */
static PyObject *beale_fast_dict_absent(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    char *obj;
    PyObject *d, *name, *key;
    PyDictKeysObject *k;
    Py_ssize_t off, ix;
    Py_hash_t hash, eh;
    size_t mask, i, perturb;
    int width;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "beale_fast_dict_absent: 4 arguments");
        return NULL;
    }
    obj = (char *)PyLong_AsVoidPtr(args[0]);
    off = PyLong_AsSsize_t(args[1]);
    name = (PyObject *)PyLong_AsVoidPtr(args[2]);
    hash = (Py_hash_t)PyLong_AsSsize_t(args[3]);
    if (PyErr_Occurred())
        return NULL;
    if (obj == NULL)
        return PyLong_FromLong(0);
    d = *(PyObject **)(obj + off);
    if (d == NULL)
        return PyLong_FromLong(1);
    if (Py_TYPE(d) != &PyDict_Type || ((PyDictObject *)d)->ma_values != NULL)
        return PyLong_FromLong(0);
    k = ((PyDictObject *)d)->ma_keys;
    if (k == NULL)
        return PyLong_FromLong(0);
    mask = (size_t)DK_SIZE(k) - 1;
    width = k->dk_log2_index_bytes - k->dk_log2_size;      /* log2 of an index's bytes */
    perturb = (size_t)hash;
    i = (size_t)hash & mask;
    for (;;) {
        switch (width) {
        case 0: ix = ((const int8_t *)k->dk_indices)[i]; break;
        case 1: ix = ((const int16_t *)k->dk_indices)[i]; break;
        case 2: ix = ((const int32_t *)k->dk_indices)[i]; break;
        default: ix = ((const int64_t *)k->dk_indices)[i]; break;
        }
        if (ix == DKIX_EMPTY)
            return PyLong_FromLong(1);
        if (ix >= 0) {
            if (DK_IS_UNICODE(k)) {
                key = DK_UNICODE_ENTRIES(k)[ix].me_key;
                eh = ((PyASCIIObject *)key)->hash;
            } else {
                key = DK_ENTRIES(k)[ix].me_key;
                eh = DK_ENTRIES(k)[ix].me_hash;
            }
            if (key == name || eh == hash)
                return PyLong_FromLong(0);
        }
        perturb >>= BEALE_PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}
#endif

#if PY_VERSION_HEX >= 0x030B0000
/* dictobject.insertdict's commonest case in one call: an exact str key (hash cached in the
   str) into an exact, combined dict whose keys table is a unicode table.  args (dict
   address, key address, key hash, value address, version tag).  The probe follows
   dictobject.c's unicodekeys_lookup_unicode: the very key found -> its value is
   replaced (insertdict's existing-key path); an empty slot reached -> the key is new and,
   when the table has room (dk_usable > 0), is appended as insertdict does (references,
   MAINTAIN_TRACKING, dk_version = 0, index at find_empty_slot, ma_used, the version tag
   drawn by beale, dk_usable, dk_nentries).  Returns True when done; False, with nothing
   written, for everything else (a different key with the same hash needs a comparison,
   no room needs a resize, other dicts and keys): beale's Python insertdict does those. */
static Py_ssize_t beale_index_get(PyDictKeysObject *k, int width, size_t i)
{
    switch (width) {
    case 0: return ((const int8_t *)k->dk_indices)[i];
    case 1: return ((const int16_t *)k->dk_indices)[i];
    case 2: return ((const int32_t *)k->dk_indices)[i];
    default: return ((const int64_t *)k->dk_indices)[i];
    }
}

static void beale_index_set(PyDictKeysObject *k, int width, size_t i, Py_ssize_t ix)
{
    switch (width) {
    case 0: ((int8_t *)k->dk_indices)[i] = (int8_t)ix; break;
    case 1: ((int16_t *)k->dk_indices)[i] = (int16_t)ix; break;
    case 2: ((int32_t *)k->dk_indices)[i] = (int32_t)ix; break;
    default: ((int64_t *)k->dk_indices)[i] = (int64_t)ix; break;
    }
}

static PyObject *beale_fast_dict_insert_str(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyDictObject *mp;
    PyObject *key, *value, *old;
    PyDictKeysObject *k;
    PyDictUnicodeEntry *ep;
    Py_hash_t hash;
    uint64_t version;
    size_t mask, i, perturb, empty;
    Py_ssize_t ix;
    int width, have_empty = 0;
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "beale_fast_dict_insert_str: 5 arguments");
        return NULL;
    }
    mp = (PyDictObject *)PyLong_AsVoidPtr(args[0]);
    key = (PyObject *)PyLong_AsVoidPtr(args[1]);
    hash = (Py_hash_t)PyLong_AsSsize_t(args[2]);
    value = (PyObject *)PyLong_AsVoidPtr(args[3]);
    version = (uint64_t)PyLong_AsUnsignedLongLong(args[4]);
    if (PyErr_Occurred())
        return NULL;
    if (mp == NULL || key == NULL || value == NULL || Py_TYPE(mp) != &PyDict_Type ||
            mp->ma_values != NULL || !PyUnicode_CheckExact(key) ||
            ((PyASCIIObject *)key)->hash != hash || hash == -1)
        Py_RETURN_FALSE;
    k = mp->ma_keys;
    if (k == NULL || !DK_IS_UNICODE(k) || k->dk_log2_size < 3)
        Py_RETURN_FALSE;       /* Py_EMPTY_KEYS (size 1) and general tables: Python */
    mask = (size_t)DK_SIZE(k) - 1;
    width = k->dk_log2_index_bytes - k->dk_log2_size;
    perturb = (size_t)hash;
    i = (size_t)hash & mask;
    empty = 0;
    for (;;) {
        ix = beale_index_get(k, width, i);
        if (ix == DKIX_EMPTY)
            break;
        if (ix >= 0) {
            ep = &DK_UNICODE_ENTRIES(k)[ix];
            if (ep->me_key == key) {
                old = ep->me_value;
                if (old == NULL)
                    Py_RETURN_FALSE;
                Py_INCREF(value);
                if (!PyObject_GC_IsTracked((PyObject *)mp) && PyObject_IS_GC(value) &&
                        (!PyTuple_CheckExact(value) || PyObject_GC_IsTracked(value)))
                    PyObject_GC_Track(mp);
                if (old != value) {
                    ep->me_value = value;
                    mp->ma_version_tag = version;
                }
                Py_DECREF(old);
                Py_RETURN_TRUE;
            }
            if (((PyASCIIObject *)ep->me_key)->hash == hash)
                Py_RETURN_FALSE;        /* equal strs at two addresses: compare in Python */
        }
        else if (!have_empty) {         /* DKIX_DUMMY: find_empty_slot may reuse it */
            have_empty = 1;
            empty = i;
        }
        perturb >>= BEALE_PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    if (k->dk_usable <= 0)
        Py_RETURN_FALSE;
    if (!have_empty)
        empty = i;
    Py_INCREF(value);
    Py_INCREF(key);
    if (!PyObject_GC_IsTracked((PyObject *)mp) && PyObject_IS_GC(value) &&
            (!PyTuple_CheckExact(value) || PyObject_GC_IsTracked(value)))
        PyObject_GC_Track(mp);                  /* MAINTAIN_TRACKING */
    k->dk_version = 0;
    beale_index_set(k, width, empty, k->dk_nentries);
    ep = &DK_UNICODE_ENTRIES(k)[k->dk_nentries];
    ep->me_key = key;
    ep->me_value = value;
    mp->ma_used++;
    mp->ma_version_tag = version;
    k->dk_usable--;
    k->dk_nentries++;
    Py_RETURN_TRUE;
}
#endif

static PyMethodDef beale_fast_defs[] = {
    {"dict_entry", (PyCFunction)(void (*)(void))beale_fast_dict_entry, METH_FASTCALL, NULL},
    {"dict_replace", (PyCFunction)(void (*)(void))beale_fast_dict_replace, METH_FASTCALL, NULL},
    {"instance", (PyCFunction)(void (*)(void))beale_fast_instance, METH_FASTCALL, NULL},
#if PY_VERSION_HEX >= 0x030B0000
    {"dict_absent", (PyCFunction)(void (*)(void))beale_fast_dict_absent, METH_FASTCALL, NULL},
    {"dict_insert_str", (PyCFunction)(void (*)(void))beale_fast_dict_insert_str, METH_FASTCALL, NULL},
#endif
    {"obj", beale_fast_obj, METH_O, NULL},
    {"from_bytes", beale_fast_from_bytes, METH_O, NULL},
    {"calloc", beale_fast_calloc, METH_O, NULL},
    {"gc_track", beale_fast_gc_track, METH_O, NULL},
    {"float", beale_fast_float, METH_O, NULL},
    {"tuple", beale_fast_tuple, METH_O, NULL},
    {"list", beale_fast_list, METH_O, NULL},
#if PY_VERSION_HEX < 0x030C0000
    {"int1", beale_fast_int1, METH_O, NULL},
    {"intn", beale_fast_intn, METH_O, NULL},
#endif
    {NULL, NULL, 0, NULL}
};

/* A dict {name: builtin function}.  Call it through ctypes (PYFUNCTYPE keeps the GIL),
   never through cffi. */
static void *beale_fast_constructors(void)
{
    PyMethodDef *d;
    PyObject *fn, *result = PyDict_New();
    if (result == NULL)
        return NULL;
    for (d = beale_fast_defs; d->ml_name != NULL; d++) {
        fn = PyCFunction_New(d, NULL);
        if (fn == NULL || PyDict_SetItemString(result, d->ml_name, fn) < 0) {
            Py_XDECREF(fn);
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(fn);
    }
    return result;
}
"""

# -- C slots calling back into beale ------------------------------------------------------
#
# A guest class's PyTypeObject slots (tp_call, tp_richcompare, nb_add, ...) are cffi
# `extern "Python"` functions (runtime/typeslots.py defines them with ffi.def_extern).  A
# guest exception raised in one must become the C error indicator of the calling thread,
# but the callback cannot set it itself: cffi's callback machinery (and ctypes, which
# re-raises a pending error at once) would see it.  So the Python side *parks* the
# exception with beale_park_error() (which only stores the pointers in a thread-local),
# and the slot C actually calls is a trampoline that runs the callback and then moves the
# parked exception into the thread state with PyErr_Restore (the C caller holds the GIL).

#: kind -> (return type, argument types); the typedef names of Include/cpython/object.h
SLOT_KINDS = {
    "unary": ("PyObject *", ("PyObject *",)),                         # unaryfunc & co
    "binary": ("PyObject *", ("PyObject *", "PyObject *")),           # binaryfunc, getattrofunc
    "ternary": ("PyObject *", ("PyObject *", "PyObject *", "PyObject *")),   # ternaryfunc
    "newfunc": ("PyObject *", ("PyTypeObject *", "PyObject *", "PyObject *")),
    "richcmp": ("PyObject *", ("PyObject *", "PyObject *", "int")),
    "hash": ("Py_hash_t", ("PyObject *",)),
    "len": ("Py_ssize_t", ("PyObject *",)),
    "inquiry": ("int", ("PyObject *",)),
    "objobj": ("int", ("PyObject *", "PyObject *")),                  # objobjproc
    "objobjarg": ("int", ("PyObject *", "PyObject *", "PyObject *")),  # setattro, initproc
    "ssizearg": ("PyObject *", ("PyObject *", "Py_ssize_t")),
    "ssizeobjarg": ("int", ("PyObject *", "Py_ssize_t", "PyObject *")),
    "destructor": ("void", ("PyObject *",)),
}

_NB_BINARY = ("add", "subtract", "multiply", "remainder", "divmod", "lshift", "rshift", "and",
              "xor", "or", "floor_divide", "true_divide", "matrix_multiply")
_NB_UNARY = ("negative", "positive", "absolute", "invert", "int", "float", "index")

#: slot name -> kind: one trampoline `beale_tr_<slot>` per slot, calling the extern
#: "Python" function `beale_py_<slot>`; the names are CPython's (Objects/typeobject.c
#: slotdefs).
SLOTS = dict(
    [("tp_call", "ternary"), ("tp_descr_get", "ternary"), ("tp_descr_set", "objobjarg"),
     ("tp_iter", "unary"), ("tp_iternext", "unary"), ("tp_repr", "unary"), ("tp_str", "unary"),
     ("tp_hash", "hash"), ("tp_richcompare", "richcmp"), ("tp_getattro", "binary"),
     ("tp_setattro", "objobjarg"), ("tp_init", "objobjarg"), ("tp_new", "newfunc"),
     ("tp_finalize", "destructor"),
     ("mp_length", "len"), ("mp_subscript", "binary"), ("mp_ass_subscript", "objobjarg"),
     ("sq_length", "len"), ("sq_item", "ssizearg"), ("sq_ass_item", "ssizeobjarg"),
     ("sq_contains", "objobj"),
     ("nb_bool", "inquiry"), ("nb_power", "ternary"), ("nb_inplace_power", "ternary")]
    + [("nb_" + n, "binary") for n in _NB_BINARY]
    + [("nb_inplace_" + n, "binary") for n in _NB_BINARY if n != "divmod"]
    + [("nb_" + n, "unary") for n in _NB_UNARY])


def _slot_sources():
    """(cdef, C source) of the parked-exception helpers and the slot trampolines."""
    cdef = ["void beale_park_error(void *type, void *value, void *tb);",
            "int beale_has_parked_error(void);"]
    c = [r"""
static __thread PyObject *beale_parked_type, *beale_parked_value, *beale_parked_tb;
/* Called from Python (without the GIL, as every cffi call): only stores the pointers,
   whose counts the caller gives us. */
static void beale_park_error(void *type, void *value, void *tb) {
    beale_parked_type = (PyObject *)type;
    beale_parked_value = (PyObject *)value;
    beale_parked_tb = (PyObject *)tb;
}
static int beale_has_parked_error(void) { return beale_parked_type != NULL; }
/* In a trampoline, after the callback returned: the GIL is held (by the C caller). */
static void beale_unpark(void) {
    if (beale_parked_type != NULL) {
        PyObject *t = beale_parked_type, *v = beale_parked_value, *tb = beale_parked_tb;
        beale_parked_type = beale_parked_value = beale_parked_tb = NULL;
        PyErr_Restore(t, v, tb);
    }
}
"""]
    for slot, kind in SLOTS.items():
        ret, argtypes = SLOT_KINDS[kind]
        params = ", ".join("%s a%d" % (t, i) for i, t in enumerate(argtypes))
        names = ", ".join("a%d" % i for i in range(len(argtypes)))
        cdef.append('extern "Python" %s beale_py_%s(%s);' % (ret, slot, ", ".join(argtypes)))
        cdef.append("%s beale_tr_%s(%s);" % (ret, slot, ", ".join(argtypes)))
        c.append("static %s beale_py_%s(%s);" % (ret, slot, ", ".join(argtypes)))
        if ret == "void":
            # tp_finalize (slot_tp_finalize): runs with the caller's pending exception
            # saved; the Python side reports its own errors and never parks
            c.append("static void beale_tr_%s(%s) { PyObject *t, *v, *tb; "
                     "PyErr_Fetch(&t, &v, &tb); beale_py_%s(%s); PyErr_Restore(t, v, tb); }"
                     % (slot, params, slot, names))
        else:
            c.append("static %s beale_tr_%s(%s) { %s r = beale_py_%s(%s); beale_unpark(); "
                     "return r; }" % (ret, slot, params, ret, slot, names))
    return "\n".join(cdef) + "\n", "\n".join(c) + "\n"


SLOTS_CDEF, SLOTS_C = _slot_sources()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# -- cache ------------------------------------------------------------------------

def cache_root():
    """$BEALE_CACHE, else $XDG_CACHE_HOME/beale, else ~/.cache/beale; if that cannot
    be created (read-only home), a per-user directory under the temp dir."""
    if os.environ.get("BEALE_CACHE"):
        return os.environ["BEALE_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    root = os.path.join(base, "beale")
    try:
        os.makedirs(root, exist_ok=True)
        if os.access(root, os.W_OK):
            return root
    except OSError:
        pass
    return os.path.join(tempfile.gettempdir(), "beale-%d" % os.getuid())


def _generator_files():
    """The sources whose content shapes the compiled module and cached model."""
    files = [os.path.abspath(__file__)]
    files += [os.path.join(ROOT, "layout", n) for n in ("cparse.py", "cmodel.py", "cdefgen.py")]
    hdr = os.path.join(ROOT, "headers")
    files += [os.path.join(hdr, n) for n in sorted(os.listdir(hdr)) if n.endswith((".h", ".txt"))]
    return files


def _package_version(name):
    """The `__version__ = "..."` line of a package's __init__.py, read without importing
    it (start-up never imports pycparser; the key must not depend on whether some
    caller did)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return "?"
    try:
        with open(spec.origin) as f:
            for line in f:
                if line.startswith("__version__"):
                    return line.split("=", 1)[1].strip().strip("\"'")
    except OSError:
        pass
    return "?"


def cache_key(include_dir):
    """Host version + hash of every header under *include_dir* + of the generator."""
    h = hashlib.sha256()
    h.update(sys.version.encode())
    # the generated C and the parse depend on these too
    for name in ("cffi", "pycparser"):
        h.update(("%s %s;" % (name, _package_version(name))).encode())
    h.update(platform.machine().encode())
    h.update(include_dir.encode())
    for dirpath, dirnames, filenames in os.walk(include_dir):
        dirnames.sort()
        for name in sorted(filenames):
            p = os.path.join(dirpath, name)
            h.update(os.path.relpath(p, include_dir).encode())
            with open(p, "rb") as f:
                h.update(f.read())
    for p in _generator_files():
        h.update(os.path.basename(p).encode())
        with open(p, "rb") as f:
            h.update(f.read())
    tag = sys.implementation.cache_tag or "python"
    return "%s-%s" % (tag, h.hexdigest()[:16])


# -- generation ---------------------------------------------------------------------

def read_struct_list(path=STRUCTS_TXT):
    names = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names


def _exported(name):
    """Is *name* a symbol of the running interpreter (so the module can link)?"""
    import ctypes
    try:
        getattr(ctypes.pythonapi, name)
        return True
    except AttributeError:
        return False


def host_symbols(model):
    """Names of the data symbols and functions to declare (present in this process)."""
    type_obj = {"PyTypeObject", "struct _typeobject"}
    names = []
    for name, t in sorted(model.vars.items()):
        if t["k"] == "func":
            continue
        wanted = ((name.startswith("Py") and name.endswith("_Type") and t.get("n") in type_obj)
                  or (name.startswith("PyExc_") and t["k"] == "ptr")
                  or name in SINGLETONS)
        if wanted and _exported(name):
            names.append(name)
    names += [f for f in FUNCTIONS if f in model.vars and _exported(f)]
    return names


def generate(include_dir, defines=(), struct_names=None):
    """Parse the headers; return (model, typedef_names, tag_names, var_names, missing).

    *model* is restricted to the closure (what the cache stores).
    """
    ast = cparse.parse_headers(include_dir, defines)
    full = cmodel.build_model(ast)
    struct_names = struct_names or read_struct_list()
    roots, missing = [], []
    for name in struct_names:
        r = cmodel.resolve_root(full, name)
        (roots.append(r) if r else missing.append(name))
    var_names = host_symbols(full) if not defines else []
    roots += [full.vars[v] for v in var_names]
    tds, tags = cmodel.closure(full, roots)
    small = cmodel.Model()
    small.typedefs = {n: full.typedefs[n] for n in tds}
    small.tags = {n: full.tags[n] for n in tags if n in full.tags}
    small.vars = {n: full.vars[n] for n in var_names}
    for t in small.tags.values():
        if t["k"] == "enum":
            small.enums.update(dict(t["items"]))
    return small, tds, tags, var_names, missing, [n for n in struct_names if n not in missing]


class Built:
    """What :func:`build` returns: the loaded module and the cached artefacts."""

    def __init__(self, directory, module, model, cdef, meta):
        self.directory = directory
        self.module = module
        self.ffi = module.ffi
        self.lib = module.lib
        self.model = model
        self.cdef = cdef
        self.meta = meta


def _load(directory):
    so = [n for n in os.listdir(directory) if n.startswith(MODULE_NAME) and n.endswith(".so")]
    if not so:
        raise FileNotFoundError(directory)
    path = os.path.join(directory, so[0])
    if MODULE_NAME in sys.modules and getattr(sys.modules[MODULE_NAME], "__file__", None) == path:
        module = sys.modules[MODULE_NAME]
    else:
        loader = importlib.machinery.ExtensionFileLoader(MODULE_NAME, path)
        spec = importlib.util.spec_from_file_location(MODULE_NAME, path, loader=loader)
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        sys.modules[MODULE_NAME] = module
    with open(os.path.join(directory, "model.json")) as f:
        model = cmodel.Model.from_json(json.load(f))
    with open(os.path.join(directory, "cdef.h")) as f:
        cdef = f.read()
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    return Built(directory, module, model, cdef, meta)


def _compile(cdef, source, workdir):
    """Compile the API-mode module in *workdir*; compiler chatter is captured
    and shown (on stderr) only if the compilation fails."""
    import cffi
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    ffi.set_source(MODULE_NAME, source,
                   define_macros=[("_CFFI_NO_LIMITED_API", None)], py_limited_api=False,
                   # a field whose cdef type differs from the header's is an error,
                   # not a warning (cffi's generated field checks are assignments)
                   extra_compile_args=["-Werror=incompatible-pointer-types",
                                       "-Wno-deprecated-declarations"])
    log_path = os.path.join(workdir, "compile.log")
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_path, "w") as logf:
        os.dup2(logf.fileno(), 1)
        os.dup2(logf.fileno(), 2)
        try:
            ffi.compile(tmpdir=workdir, verbose=False)
            ok, err = True, None
        except Exception as e:  # cffi.VerificationError, distutils errors
            ok, err = False, e
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
    if not ok:
        with open(log_path) as f:
            tail = f.read()[-4000:]
        log(tail)
        raise cparse.BuildError("beale: compiling the layout module failed: %s" %
                                str(err).splitlines()[0] if str(err) else type(err).__name__)


def build(force=False, quiet=False):
    """Build (if needed) and load the layout module for this interpreter."""
    if MISSING_PACKAGES:
        raise cparse.BuildError("beale: Python package%s %s missing: pip install cffi pycparser"
                                % ("s" if len(MISSING_PACKAGES) > 1 else "",
                                   " and ".join(MISSING_PACKAGES) +
                                   (" are" if len(MISSING_PACKAGES) > 1 else " is")))
    include_dir = cparse.host_include_dir()
    cparse.check_include_dir(include_dir)
    key = cache_key(include_dir)
    directory = os.path.join(cache_root(), key)
    if not force and os.path.isfile(os.path.join(directory, "meta.json")):
        try:
            return _load(directory)
        except (OSError, ImportError, ValueError):
            pass  # a broken cache entry: rebuild it
    cparse.find_compiler()
    if not quiet:
        log("beale: building the layout module for CPython %s (%s)" %
            (platform.python_version(), include_dir))
    model, tds, tags, var_names, missing, present = generate(include_dir)
    from layout import cdefgen        # imports cffi's model: only needed to build
    cdef = cdefgen.generate(model, tds, tags, var_names, WRAPPERS_CDEF + SLOTS_CDEF)
    source = cparse.wrapper_source(include_dir) + WRAPPERS_C + SLOTS_C
    os.makedirs(cache_root(), exist_ok=True)
    work = tempfile.mkdtemp(prefix=key + ".tmp", dir=cache_root())
    try:
        with open(os.path.join(work, "cdef.h"), "w") as f:
            f.write(cdef)
        _compile(cdef, source, work)
        with open(os.path.join(work, "model.json"), "w") as f:
            json.dump(model.to_json(), f)
        meta = {"python": platform.python_version(), "include_dir": include_dir, "key": key,
                "structs": present, "missing": missing, "symbols": var_names}
        with open(os.path.join(work, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
        for name in os.listdir(work):  # keep only what _load needs
            p = os.path.join(work, name)
            if os.path.isdir(p):
                shutil.rmtree(p, ignore_errors=True)
            elif name.endswith((".c", ".o")):
                os.unlink(p)
        if os.path.isdir(directory) and not os.path.isfile(os.path.join(directory, "meta.json")):
            shutil.rmtree(directory, ignore_errors=True)  # a broken earlier attempt
        try:
            os.rename(work, directory)  # atomic: readers see all of it or nothing
        except OSError:  # a concurrent build finished first; keep its result
            pass
    finally:
        if os.path.isdir(work):
            shutil.rmtree(work, ignore_errors=True)
    if not quiet:
        log("beale: layout module ready in %s" % directory)
    return _load(directory)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        b = build(force="--force" in argv)
    except cparse.BuildError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(b.directory)
    if b.meta.get("missing"):
        print("not in these headers: %s" % ", ".join(b.meta["missing"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
