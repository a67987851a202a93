/* beale: object structs that CPython keeps private to its Objects/*.c files.
 *
 * No installed header declares these, yet C code receives such objects all the time
 * (len(range), list(range) and iteration in C read them through their type's slots).
 * To build them as the exact structs CPython builds, beale declares them here as they
 * are written in the C file of each CPython version, and nowhere else: build_ffi.py
 * includes this file after Python.h both when parsing (pycparser) and in the C source
 * of the cffi module, so layout/ takes the offsets from the compiler as for any public
 * struct.  What the compiler cannot check is that the declaration is still the one in
 * the .c file; tests/objects/test_private_structs.py does, on the running host:
 * sizeof(struct) == the host type's tp_basicsize, and the bytes of a beale-built object
 * equal those of the host's object for the same value.  A version whose .c files
 * changed fails there loudly (or has no declaration here: layout.missing() lists it).
 *
 * Names are CPython's own (rangeobject, dictiterobject, ...), prefixed "beale_" so that a
 * later CPython header defining the same name (3.12's pycore_range.h has
 * _PyRangeIterObject) cannot clash.
 */
#ifndef BEALE_PRIVATE_OBJECTS_H
#define BEALE_PRIVATE_OBJECTS_H

#if PY_VERSION_HEX >= 0x030A0000 && PY_VERSION_HEX < 0x030E0000

/* Objects/rangeobject.c (3.10-3.13): `rangeobject`.  Not a GC type. */
typedef struct {
    PyObject_HEAD
    PyObject *start;
    PyObject *stop;
    PyObject *step;
    PyObject *length;
} beale_rangeobject;

#if PY_VERSION_HEX < 0x030C0000
/* Objects/rangeobject.c (3.10, 3.11): `rangeiterobject`, the iterator of a range whose
   start/step/length fit in a C long; item i is start + i * step while index < len. */
typedef struct {
    PyObject_HEAD
    long index;
    long start;
    long step;
    long len;
} beale_rangeiterobject;

/* Objects/rangeobject.c (3.10, 3.11): `longrangeiterobject`, the same with int objects. */
typedef struct {
    PyObject_HEAD
    PyObject *index;
    PyObject *start;
    PyObject *step;
    PyObject *len;
} beale_longrangeiterobject;
#else
/* 3.12, 3.13: Include/internal/pycore_range.h `_PyRangeIterObject` (start advances). */
typedef struct {
    PyObject_HEAD
    long start;
    long step;
    long len;
} beale_rangeiterobject;

/* 3.12, 3.13: Objects/rangeobject.c `longrangeiterobject` (no index). */
typedef struct {
    PyObject_HEAD
    PyObject *start;
    PyObject *step;
    PyObject *len;
} beale_longrangeiterobject;
#endif

/* Objects/listobject.c `listiterobject` (3.10, 3.11; 3.12+ pycore_list.h
   _PyListIterObject), tupleobject.c `tupleiterobject` (3.12+ pycore_tuple.h
   _PyTupleIterObject) and listobject.c `listreviterobject`: one shape, GC types.
   it_seq is set to NULL when the iterator is exhausted. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t it_index;
    PyObject *it_seq;
} beale_seqiterobject;

/* Objects/dictobject.c `dictiterobject` (3.10-3.13), GC type. */
typedef struct {
    PyObject_HEAD
    PyDictObject *di_dict;   /* NULL when exhausted */
    Py_ssize_t di_used;
    Py_ssize_t di_pos;
    PyObject *di_result;     /* reusable result tuple of items() iterators */
    Py_ssize_t len;
} beale_dictiterobject;

/* Objects/setobject.c `setiterobject` (3.10-3.13), GC type. */
typedef struct {
    PyObject_HEAD
    PySetObject *si_set;     /* NULL when exhausted */
    Py_ssize_t si_used;
    Py_ssize_t si_pos;
    Py_ssize_t len;
} beale_setiterobject;

#endif /* 3.10 .. 3.13 */

#endif /* BEALE_PRIVATE_OBJECTS_H */
