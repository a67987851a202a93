"""The object model core: handles on C structs, reference counts, allocation, singletons.

Every guest object is a C struct laid out exactly as the host CPython lays out its own
(`layout/` gives the layouts, from the real headers). The interpreter holds guest objects
through *handles*:

    w.addr   the struct's address (the guest's id(x))
    w.ref    a host reference to the same memory, obtained with _ctypes.PyObj_FromPtr(addr)

so a live handle is exactly one count in `ob_refcnt`, and when the handle dies the host's own
Py_DECREF drops that count and, at zero, runs the type's tp_dealloc with the GIL held (free
lists included). beale never performs host operations on `w.ref`: it only owns the count.

Immutable handles cache what the struct decodes to in slot `v` (W_Int.v is a host int,
W_Str.v a host str, ...). Decoding happens once, when the handle is made.

Allocation (mirrors Objects/object.c `_PyObject_New`/`_PyObject_NewVar` and
Modules/gcmodule.c `_PyObject_GC_New`/`gc_alloc`): memory comes from the host's allocator
(PyObject_Malloc, through the GIL-taking wrappers `lib.beale_object_malloc` of the layout
module, because cffi releases the GIL around C calls and pymalloc needs it). Objects of GC
types get a zeroed PyGC_Head in front of them: object address = block + sizeof(PyGC_Head),
which is what the host's PyObject_GC_Del expects when it frees them.

GC tracking policy: a zeroed PyGC_Head means "untracked" (`_gc_next == 0`). Container types
(tuple, list, dict, set, instances) should call `gc_track(addr)` once the object is fully
initialised (all pointer fields valid), as CPython does with _PyObject_GC_TRACK, so the
host's cyclic collector can reclaim guest reference cycles; the host's deallocators
untrack before freeing. Scalar types (int, float, complex, str, bytes, bytearray) are not
GC types and have no PyGC_Head.

Host-version differences (3.12+ `lv_tag` ints, no `wstr` in str, immortal refcounts) are
gathered in the "Host version" section below; only 3.11 is exercised today.
"""

import sys

import _ctypes

import layout
from layout import ffi, lib
from runtime.errors import OperationError
from runtime.typedef import TypeDef

_PyObj_FromPtr = _ctypes.PyObj_FromPtr   # returns a NEW host reference (Py_INCREF)

# --------------------------------------------------------------------------------------
# Host version: every layout/version difference the object model cares about lives here.
# --------------------------------------------------------------------------------------
HOST_VERSION = sys.version_info[:2]

_PyLong = layout.struct("PyLongObject")
_PyASCII = layout.struct("PyASCIIObject")

# 3.12+: PyLongObject is {ob_base, long_value{lv_tag, ob_digit}}; 3.11: a PyVarObject whose
# signed ob_size is the digit count.
LONG_HAS_LV_TAG = any(f.name == "long_value" for f in _PyLong.fields)
# 3.11 and older: PyASCIIObject has a `wstr` pointer and PyCompactUnicodeObject `wstr_length`.
UNICODE_HAS_WSTR = any(f.name == "wstr" for f in _PyASCII.fields)
# 3.12+ (PEP 683): a count whose low 32-bit word is negative as int32 is immortal.
IMMORTAL_REFCOUNTS = HOST_VERSION >= (3, 12)


def _is_immortal(refcnt):
    """Py 3.12+ _Py_IsImmortal: `(int32_t)ob_refcnt < 0`."""
    return IMMORTAL_REFCOUNTS and (refcnt & 0x80000000) != 0


# --------------------------------------------------------------------------------------
# Raw word access to the PyObject header. The word indices are computed from the layout
# (offset / sizeof(word)), never written by hand; reading `ob_type` as a machine word is
# much faster than converting a cffi `PyTypeObject *` to an int.
# --------------------------------------------------------------------------------------
_WORD = ffi.sizeof("uintptr_t")
_PyObject = layout.struct("PyObject")
_REFCNT_WORD = _PyObject.offset("ob_refcnt") // _WORD
_TYPE_WORD = _PyObject.offset("ob_type") // _WORD
assert _PyObject.offset("ob_refcnt") % _WORD == 0 and _PyObject.offset("ob_type") % _WORD == 0

SIZEOF_PYOBJECT = _PyObject.size
SIZEOF_GC_HEAD = layout.struct("PyGC_Head").size

_cast = ffi.cast
_NULL = ffi.NULL


def type_addr_of(addr):
    """Address of Py_TYPE(addr)."""
    return _cast("uintptr_t *", addr)[_TYPE_WORD]


def refcnt(addr):
    """ob_refcnt of the object at `addr` (read-only helper, for tests and debugging)."""
    return _cast("intptr_t *", addr)[_REFCNT_WORD]


def type_address(symbol):
    """Address of a host data symbol (type object or singleton), e.g. "PyFloat_Type"."""
    return layout.type_address(symbol)


# --------------------------------------------------------------------------------------
# Handles
# --------------------------------------------------------------------------------------
class W_Object(object):
    """A handle on a guest object: its address plus one owned count (`ref`)."""

    __slots__ = ("addr", "ref")
    typedef = None          # set by TypeDef(..., handle_class=cls)
    _decode = None          # immutable types: staticmethod(addr) -> host value for `v`

    def __repr__(self):
        return "<%s at 0x%x>" % (type(self).__name__, self.addr)


class W_Foreign(W_Object):
    """A host object of a type beale does not model; its operations go through the C API."""
    __slots__ = ()


class W_Int(W_Object):
    """PyLongObject (Include/cpython/longintrepr.h). v: host int."""
    __slots__ = ("v",)


class W_Bool(W_Int):
    """The host's own Py_True / Py_False (PyBool_Type is a subtype of int). v: host bool."""
    __slots__ = ()


class W_Float(W_Object):
    """PyFloatObject (Include/cpython/floatobject.h). v: host float."""
    __slots__ = ("v",)


class W_Complex(W_Object):
    """PyComplexObject (Include/cpython/complexobject.h). v: host complex."""
    __slots__ = ("v",)


class W_Str(W_Object):
    """Compact PyASCIIObject / PyCompactUnicodeObject (Include/cpython/unicodeobject.h). v: host str."""
    __slots__ = ("v",)


class W_Bytes(W_Object):
    """PyBytesObject (Include/cpython/bytesobject.h). v: host bytes."""
    __slots__ = ("v",)


class W_ByteArray(W_Object):
    """PyByteArrayObject (Include/cpython/bytearrayobject.h). Mutable: no cached value."""
    __slots__ = ()


class W_None(W_Object):
    """The host's _Py_NoneStruct."""
    __slots__ = ()


class W_Ellipsis(W_Object):
    """The host's _Py_EllipsisObject."""
    __slots__ = ()


class W_NotImplemented(W_Object):
    """The host's _Py_NotImplementedStruct."""
    __slots__ = ()


# host type object address -> handle class
_handle_classes = {}


def register_handle_class(host_type_addr, cls):
    """Handles made by wrap() for objects whose ob_type is `host_type_addr` are `cls`."""
    _handle_classes[host_type_addr] = cls


def handle_class_for(type_addr):
    """The handle class for objects of type `type_addr` (W_Foreign when unknown)."""
    return _handle_classes.get(type_addr, W_Foreign)


def wrap(addr):
    """A new handle (a new count) on the object at `addr`, of the class its ob_type asks for."""
    cls = _handle_classes.get(_cast("uintptr_t *", addr)[_TYPE_WORD], W_Foreign)
    w = cls.__new__(cls)
    w.addr = addr
    w.ref = _PyObj_FromPtr(addr)
    dec = cls._decode
    if dec is not None:
        w.v = dec(addr)
    return w


def steal(cls, addr):
    """Make a `cls` handle from a freshly allocated object whose count (1) becomes the handle's.

    `v` is not set: the caller, who built the struct from a host value, sets it.
    """
    w = cls.__new__(cls)
    w.addr = addr
    w.ref = _PyObj_FromPtr(addr)               # count 2
    _cast("intptr_t *", addr)[_REFCNT_WORD] -= 1  # count 1: the handle's
    return w


def new_handle(cls, addr):
    """Make a `cls` handle on an object whose ob_refcnt is 0 (just built): count becomes 1.

    The fast constructors build structs with ob_refcnt = 0 and let PyObj_FromPtr's
    Py_INCREF give the handle its count, saving one write.
    """
    w = cls.__new__(cls)
    w.addr = addr
    w.ref = _PyObj_FromPtr(addr)
    return w


def incref(addr):
    """Py_INCREF: one more count, owned by whoever stores the pointer (a container slot)."""
    p = _cast("intptr_t *", addr)
    if IMMORTAL_REFCOUNTS and _is_immortal(p[_REFCNT_WORD]):
        return
    p[_REFCNT_WORD] += 1


def decref(addr):
    """Py_DECREF. When the count would reach zero the host drops it, so tp_dealloc runs in
    the host (GIL held, the type's own free lists): take a host reference (count + 1),
    remove the caller's count by hand, then drop the host reference."""
    p = _cast("intptr_t *", addr)
    rc = p[_REFCNT_WORD]
    if IMMORTAL_REFCOUNTS and _is_immortal(rc):
        return
    if rc > 1:
        p[_REFCNT_WORD] = rc - 1
        return
    if rc <= 0:
        raise SystemError("beale: decref of an object with ob_refcnt %d at 0x%x" % (rc, addr))
    ref = _PyObj_FromPtr(addr)   # count 2
    p[_REFCNT_WORD] = 1
    del ref                      # host Py_DECREF: 0 -> tp_dealloc


def xdecref(addr):
    """Py_XDECREF: decref unless NULL (0)."""
    if addr:
        decref(addr)


def new_ref(w):
    """Py_NewRef for storing a handle's object in a C field: incref and return the address."""
    incref(w.addr)
    return w.addr


# --------------------------------------------------------------------------------------
# Allocation with the host allocator
# --------------------------------------------------------------------------------------
_malloc = lib.beale_object_malloc
_free = lib.beale_object_free


def _calloc(size):
    """PyObject_Calloc(1, size) -> int address."""
    p = lib.beale_object_calloc(1, size)
    if p == _NULL:
        raise _no_memory()
    return int(_cast("uintptr_t", p))


def _no_memory():
    return OperationError("MemoryError", "")


def var_size(basicsize, itemsize, nitems):
    """_PyObject_VAR_SIZE: basicsize + nitems*itemsize rounded up to a pointer's size."""
    size = basicsize + nitems * itemsize
    return (size + _WORD - 1) & ~(_WORD - 1)


def malloc(size):
    """PyObject_Malloc(size) -> int address (GIL-taking wrapper). Raises MemoryError."""
    p = _malloc(size)
    if p == _NULL:
        raise _no_memory()
    return int(_cast("uintptr_t", p))


def free(addr):
    """PyObject_Free(addr)."""
    _free(_cast("void *", addr))


def mem_malloc(size):
    """PyMem_Malloc(size) -> int address (for buffers the host may PyMem_Realloc, e.g. ob_item)."""
    p = lib.beale_mem_malloc(size)
    if p == _NULL:
        raise _no_memory()
    return int(_cast("uintptr_t", p))


def mem_realloc(addr, size):
    """PyMem_Realloc(addr, size) -> int address."""
    p = lib.beale_mem_realloc(_cast("void *", addr), size)
    if p == _NULL:
        raise _no_memory()
    return int(_cast("uintptr_t", p))


def mem_free(addr):
    """PyMem_Free(addr)."""
    lib.beale_mem_free(_cast("void *", addr))


def alloc_object(type_addr, basicsize, itemsize=0, nitems=0, gc=False):
    """Allocate a zeroed object the way CPython's _PyObject_New / _PyObject_GC_NewVar do.

    Returns the object's address with ob_refcnt = 1 and ob_type = type_addr (and, for
    variable-size types, ob_size = nitems as PyObject_InitVar sets it). GC types get a zeroed
    (untracked) PyGC_Head in front: object address = block + sizeof(PyGC_Head).
    """
    size = var_size(basicsize, itemsize, nitems) if itemsize else basicsize
    pre = SIZEOF_GC_HEAD if gc else 0
    block = _calloc(pre + size)
    addr = block + pre
    p = _cast("uintptr_t *", addr)
    p[_REFCNT_WORD] = 1
    p[_TYPE_WORD] = type_addr
    if itemsize:
        _cast("PyVarObject *", addr).ob_size = nitems
    return addr


def free_object(addr, gc=False):
    """Free memory from alloc_object that never became visible (error paths only)."""
    free(addr - SIZEOF_GC_HEAD if gc else addr)


def gc_track(addr):
    """PyObject_GC_Track (GIL-taking wrapper): let the host collector see this container."""
    lib.beale_gc_track(_cast("void *", addr))


def gc_untrack(addr):
    """PyObject_GC_UnTrack."""
    lib.beale_gc_untrack(_cast("void *", addr))


# --------------------------------------------------------------------------------------
# Helpers shared by the built-in type modules
# --------------------------------------------------------------------------------------
class HostProperty(object):
    """A data descriptor of a built-in type (CPython's PyGetSetDef / PyMemberDef), stored
    in TypeDef.methods: `int.real`, `complex.imag`, `float.real`, ... The attribute protocol
    (runtime.typeobject) calls fget(w_obj) -> handle (and fset(w_obj, w_value) if settable).
    Defined here, at the bottom of the import graph, so every type module can use it;
    runtime.typeobject re-exports it under the same name."""

    __slots__ = ("fget", "fset", "name")

    def __init__(self, fget, fset=None, name=None):
        self.fget = fget
        self.fset = fset
        self.name = name or fget.__name__


class HostClassMethod(object):
    """A classmethod of a built-in type (METH_CLASS): fn(w_type, *args_w) -> handle.
    E.g. int.from_bytes, float.fromhex, bytes.fromhex, dict.fromkeys."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn


class HostStaticMethod(object):
    """A staticmethod of a built-in type (METH_STATIC): fn(*args_w) -> handle (str.maketrans)."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn


# Built-in constructors called with a guest subclass (`class MyInt(int)`, `MyInt(5)`):
# the object core builds the exact built-in value, then hands it to this hook, which the
# type system (runtime.typeobject) installs: fn(w_type, w_value) -> instance of w_type
# (a struct of the subclass's layout holding the same value).
subtype_new_hook = None


def new_subtype_instance(w_type, w_value):
    """`T.__new__(w_type, ...)` for a guest subclass w_type of a built-in type T."""
    if subtype_new_hook is None:
        raise OperationError("TypeError", "subclasses of built-in types are not available")
    return subtype_new_hook(w_type, w_value)


def from_host_exception(e):
    """Turn an exception raised by a host primitive (host int/float/str arithmetic used as
    the implementation language) into the guest exception CPython would raise: same class
    name, same message (the host *is* CPython, so its messages are CPython's)."""
    if isinstance(e, OperationError):
        return e
    name = type(e).__name__
    if isinstance(e, RecursionError):
        name = "RecursionError"
    return OperationError(name, str(e))


# --------------------------------------------------------------------------------------
# `object` and the singletons
# --------------------------------------------------------------------------------------
object_typedef = TypeDef("object", None, "PyBaseObject_Type", W_Object)
register_handle_class(type_address("PyBaseObject_Type"), W_Object)

ADDR_None = type_address("_Py_NoneStruct")
ADDR_True = type_address("_Py_TrueStruct")
ADDR_False = type_address("_Py_FalseStruct")
ADDR_Ellipsis = type_address("_Py_EllipsisObject")
ADDR_NotImplemented = type_address("_Py_NotImplementedStruct")

none_typedef = TypeDef("NoneType", object_typedef, "_PyNone_Type", W_None)
ellipsis_typedef = TypeDef("ellipsis", object_typedef, "PyEllipsis_Type", W_Ellipsis)
notimplemented_typedef = TypeDef("NotImplementedType", object_typedef,
                                 "_PyNotImplemented_Type", W_NotImplemented)
# The singletons' types are read from the singletons themselves (no symbol lookups needed).
register_handle_class(type_addr_of(ADDR_None), W_None)
register_handle_class(type_addr_of(ADDR_Ellipsis), W_Ellipsis)
register_handle_class(type_addr_of(ADDR_NotImplemented), W_NotImplemented)

w_None = wrap(ADDR_None)
w_Ellipsis = wrap(ADDR_Ellipsis)
w_NotImplemented = wrap(ADDR_NotImplemented)


# The scalar modules attach behaviour (TypeDefs, decoders, constructors) to the classes
# above; importing them here makes wrap() complete as soon as runtime.object is imported.
# (Bottom of the module: they import the names above.)
from runtime import intobject as _intobject            # noqa: E402  (defines w_True/w_False)
from runtime import floatobject as _floatobject        # noqa: E402,F401
from runtime import complexobject as _complexobject    # noqa: E402,F401
from runtime import unicodeobject as _unicodeobject    # noqa: E402,F401
from runtime import bytesobject as _bytesobject        # noqa: E402,F401
from runtime import bytearrayobject as _bytearrayobj   # noqa: E402,F401

w_True = _intobject.w_True
w_False = _intobject.w_False


def load_builtin_types():
    """Import every module that registers handle classes for built-in types, so wrap()
    knows them all (containers live in their own modules)."""
    import importlib
    for name in ("tupleobject", "listobject", "dictobject", "setobject", "sliceobject",
                 "rangeobject", "cellobject"):
        modname = "runtime." + name
        try:
            importlib.import_module(modname)
        except ModuleNotFoundError as e:
            if e.name != modname:
                raise
