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
GC types and have no PyGC_Head. (beale's allocations do not bump the collector's
generation-0 allocation count as _PyObject_GC_Link would; collections are still triggered
by the host allocations the interpreter makes all the time, e.g. handles.)

Host-version differences (3.12+ `lv_tag` ints, no `wstr` in str, immortal refcounts, the
bytearray buffer allocator) are gathered in the "Host version" section below. The struct
tests of the scalar types pass on 3.10-3.13; the interpreter targets 3.11.
"""

import sys

import _ctypes

import layout
from layout import ffi, lib
from runtime.errors import OperationError, oefmt
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
# ... and its `state` has the `ready` bit (gone with wstr in 3.12, PEP 623).
UNICODE_HAS_READY = UNICODE_HAS_WSTR
# 3.12+ (PEP 683): a count whose low 32-bit word is negative as int32 is immortal.
IMMORTAL_REFCOUNTS = HOST_VERSION >= (3, 12)
# The allocator family of a bytearray's ob_bytes buffer (Objects/bytearrayobject.c): the
# host reallocs/frees it, so beale must use the same one. PyObject_* up to 3.12; 3.13's
# bytearray uses PyMem_* (seen under PYTHONMALLOC=debug: "Allocated using API 'o',
# verified using API 'm'").
BYTEARRAY_BUFFER_PYMEM = HOST_VERSION >= (3, 13)
# Managed dicts (Py_TPFLAGS_MANAGED_DICT): a class statement that adds a __dict__ keeps no
# dict pointer in the instance struct; two words precede the PyGC_Head instead
# (_PyType_PreHeaderSize), the dict word at object - 3 words (_PyObject_ManagedDictPointer).
# beale always keeps a real dict in that word (CPython's "materialised __dict__" state:
# 3.11's values pointer at object - 4 words stays NULL; 3.12's PyDictOrValues word holds
# an untagged dict pointer; 3.13's inline values are not used), so C code
# (subtype_dealloc, subtype_traverse, PyObject_GenericGetDict) finds it.
#  - 3.11 (MANAGED_DICT_LAYOUT 311): only for bases without items; [values][dict][GC head];
#    tp_dictoffset = -tp_basicsize - 3 words (type_new_descriptors); __weakref__ inline.
#  - 3.12, 3.13 (312): every added __dict__ is managed (tp_dictoffset = -1), and an added
#    __weakref__ too (Py_TPFLAGS_MANAGED_WEAKREF, tp_weaklistoffset = -4 words):
#    [weakref list][dict][GC head].
MANAGED_DICT_LAYOUT = 311 if HOST_VERSION == (3, 11) else 312 if HOST_VERSION >= (3, 12) else 0
MANAGED_DICT = MANAGED_DICT_LAYOUT != 0
Py_TPFLAGS_MANAGED_DICT = 1 << 4
Py_TPFLAGS_MANAGED_WEAKREF = (1 << 3) if MANAGED_DICT_LAYOUT == 312 else 0
PREHEADER_FLAGS = Py_TPFLAGS_MANAGED_DICT | Py_TPFLAGS_MANAGED_WEAKREF
MANAGED_DICT_PRE = 2 * ffi.sizeof("void *")          # the two words before the PyGC_Head
MANAGED_WEAKREF_OFFSET = -4 * ffi.sizeof("void *")   # 3.12+: weakref list, relative to the object
MANAGED_DICT_OFFSET = -3 * ffi.sizeof("void *")      # dict pointer, relative to the object


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
_memmove = ffi.memmove
_new = object.__new__
_UINTPTR = ffi.typeof("uintptr_t")
_UPTR_P = ffi.typeof("uintptr_t *")     # cached C types: ffi.cast(ctype, x) skips parsing
_IPTR_P = ffi.typeof("intptr_t *")
_DOUBLE_P = ffi.typeof("double *")
# The whole address space as words (as dictobject/tupleobject do): _MEM[(a >> 3) - 1 + k]
# is word k of the object at a, one indexing instead of a cast per access.  The word
# indices come from the layout (_REFCNT_WORD, _TYPE_WORD).
_MEM = ffi.cast(_IPTR_P, _WORD)


def type_addr_of(addr):
    """Address of Py_TYPE(addr)."""
    return _MEM[(addr >> 3) - 1 + _TYPE_WORD]


def refcnt(addr):
    """ob_refcnt of the object at `addr` (read-only helper, for tests and debugging)."""
    return _cast(_IPTR_P, addr)[_REFCNT_WORD]


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
    managed_dict = False    # guest classes: __dict__ pointer before the object (3.11)

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


# Prebuilt handles that live as long as the process (None, True, False, Ellipsis,
# NotImplemented, the small ints, "" and the one-character str/bytes singletons): wrap()
# returns them instead of making a new handle. Each holds its own count forever, so the
# accounting of every other owner (container slots, the host) is unchanged.
_shared_handles = {}


def share_handle(w):
    """Make `w` the handle wrap() returns for w.addr (for objects beale keeps alive)."""
    _shared_handles[w.addr] = w
    return w


def wrap(addr):
    """A handle on the object at `addr`, of the class its ob_type asks for: a new handle
    (a new count), or the shared handle of a process-lifetime singleton."""
    w = _shared_handles.get(addr)
    if w is not None:
        return w
    cls = _handle_classes.get(_MEM[(addr >> 3) - 1 + _TYPE_WORD])
    if cls is None:
        return _wrap_slow(addr)
    w = _new(cls)
    w.addr = addr
    w.ref = ref = _PyObj_FromPtr(addr)
    dec = cls._decode
    if dec is not None:
        # an exact int/float struct IS a host value (the host reads the same bytes): an
        # equal host value is one C operation away (a new object, so the handle still
        # owns exactly one count); other types decode their fields
        if cls is W_Int:
            w.v = ref + 0
        elif cls is W_Float:
            w.v = ref * 1.0
        else:
            w.v = dec(addr)
    return w


def steal(cls, addr):
    """Make a `cls` handle from a freshly allocated object whose count (1) becomes the handle's.

    `v` is not set: the caller, who built the struct from a host value, sets it.
    """
    w = cls.__new__(cls)
    w.addr = addr
    w.ref = _PyObj_FromPtr(addr)               # count 2
    _cast(_IPTR_P, addr)[_REFCNT_WORD] -= 1  # count 1: the handle's
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
    i = (addr >> 3) - 1 + _REFCNT_WORD
    if IMMORTAL_REFCOUNTS and _is_immortal(_MEM[i]):
        return
    _MEM[i] += 1


def decref(addr):
    """Py_DECREF. When the count would reach zero the host drops it, so tp_dealloc runs in
    the host (GIL held, the type's own free lists): take a host reference (count + 1),
    remove the caller's count by hand, then drop the host reference."""
    i = (addr >> 3) - 1 + _REFCNT_WORD
    rc = _MEM[i]
    if IMMORTAL_REFCOUNTS and _is_immortal(rc):
        return
    if rc > 1:
        _MEM[i] = rc - 1
        return
    p = _cast(_IPTR_P, addr)
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
    return int(_cast(_UINTPTR, p))


def _load_fast_constructors():
    """build_ffi.py's allocate-and-fill builtins (beale_fast_constructors: {"float": f,
    "int1": f, ...}, each f(host value) -> a new reference to a struct beale's C code
    allocated with PyObject_Malloc and filled).  Fetched once through ctypes, which keeps
    the GIL; {} when the compiled module predates them."""
    try:
        fp = ffi.addressof(lib, "beale_fast_constructors")
    except AttributeError:
        return {}
    import ctypes
    get = ctypes.PYFUNCTYPE(ctypes.py_object)(int(ffi.cast("uintptr_t", fp)))
    return get()


FAST_CONSTRUCTORS = _load_fast_constructors()
# build_ffi's beale_fast_obj: PyObj_FromPtr's work as a METH_O builtin (wrap() calls it for
# every handle it makes)
_PyObj_FromPtr = FAST_CONSTRUCTORS.get("obj", _PyObj_FromPtr)
if "calloc" in FAST_CONSTRUCTORS:
    # build_ffi's beale_fast_calloc / beale_fast_gc_track: the same calls without cffi's
    # GIL release around them (alloc_object and every container constructor use them)
    _calloc = FAST_CONSTRUCTORS["calloc"]           # noqa: F811


def adopt_new_reference(cls, ref):
    """A `cls` handle owning the new host reference `ref` to a struct beale's C code just
    built (a FAST_CONSTRUCTORS result).  The caller sets `v`."""
    w = _new(cls)
    w.addr = id(ref)
    w.ref = ref
    return w


def new_from_bytes_py(cls, data):
    """The fastest way beale builds an immutable object: PyObject_Malloc(len(data)), copy
    `data` (the whole struct, packed by a layout-derived Packer, ob_refcnt 0) in one
    memmove, and make a `cls` handle (PyObj_FromPtr's incref gives it its count).
    The caller sets `v`."""
    n = len(data)
    p = _malloc(n)
    if p == _NULL:
        raise _no_memory()
    _memmove(p, data, n)
    w = _new(cls)
    w.addr = a = int(_cast(_UINTPTR, p))
    w.ref = _PyObj_FromPtr(a)
    return w


_fast_from_bytes = FAST_CONSTRUCTORS.get("from_bytes")


def new_from_bytes(cls, data):
    """new_from_bytes_py in one call: build_ffi's beale_fast_from_bytes mallocs, copies
    the packed struct and returns the new reference the handle adopts (allocstats puts
    new_from_bytes_py back, to count through _malloc)."""
    ref = _fast_from_bytes(data)
    w = _new(cls)
    w.addr = id(ref)
    w.ref = ref
    return w


if _fast_from_bytes is None:
    new_from_bytes = new_from_bytes_py              # noqa: F811


class Packer(object):
    """Packs chosen fields of a struct into bytes, for building a struct with one memmove.

    The host `struct` format is generated from the layout (field offsets and sizes from
    the real headers; gaps become pad bytes), so no offset is written by hand:
        Packer("PyFloatObject", [("ob_base.ob_refcnt", "q"), ("ob_base.ob_type", "Q"),
                                 ("ob_fval", "d")])
    `.pack(*values)` returns the bytes from offset 0 to the end of the last field (or to
    `size` when given, zero-padded).
    """

    def __init__(self, struct_name, fields, size=None):
        import struct as hoststruct
        st = layout.struct(struct_name)
        pos = 0
        fmt = "="
        for path, code in sorted(fields, key=lambda pc: st.offset(pc[0])):
            f = st.field(path)
            off = st.offset(path)
            if off < pos:
                raise ValueError("Packer: overlapping field %s" % path)
            if hoststruct.calcsize("=" + code) != f.size:
                raise ValueError("Packer: %s is %d bytes, %r is not" % (path, f.size, code))
            if off > pos:
                fmt += "%dx" % (off - pos)
            fmt += code
            pos = off + f.size
        if size is not None:              # pad to `size` (e.g. the struct's trailing padding)
            if size < pos:
                raise ValueError("Packer: fields end at %d, beyond %d" % (pos, size))
            if size > pos:
                fmt += "%dx" % (size - pos)
            pos = size
        self.size = pos
        self._struct = hoststruct.Struct(fmt)
        self.pack = self._struct.pack


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


def alloc_object(type_addr, basicsize, itemsize=0, nitems=0, gc=False, managed_dict=False):
    """Allocate a zeroed object the way CPython's _PyObject_New / _PyObject_GC_NewVar do.

    Returns the object's address with ob_refcnt = 1 and ob_type = type_addr (and, for
    variable-size types, ob_size = nitems as PyObject_InitVar sets it). GC types get a zeroed
    (untracked) PyGC_Head in front: object address = block + sizeof(PyGC_Head); types with
    a managed dict (see MANAGED_DICT) two more zeroed words before that (values, dict).
    """
    size = var_size(basicsize, itemsize, nitems) if itemsize else basicsize
    pre = SIZEOF_GC_HEAD if gc else 0
    if managed_dict:
        pre += MANAGED_DICT_PRE
    block = _calloc(pre + size)
    addr = block + pre
    p = _cast(_UPTR_P, addr)
    p[_REFCNT_WORD] = 1
    p[_TYPE_WORD] = type_addr
    if itemsize:
        _cast("PyVarObject *", addr).ob_size = nitems
    return addr


def free_object(addr, gc=False, managed_dict=False):
    """Free memory from alloc_object that never became visible (error paths only)."""
    free(addr - (SIZEOF_GC_HEAD if gc else 0) - (MANAGED_DICT_PRE if managed_dict else 0))


def has_managed_dict(type_addr):
    """Do the type's instances have the managed-dict pre-header (_PyType_PreHeaderSize)?"""
    return bool(_cast("PyTypeObject *", type_addr).tp_flags & PREHEADER_FLAGS)


def gc_track(addr):
    """PyObject_GC_Track (GIL-taking wrapper): let the host collector see this container."""
    lib.beale_gc_track(_cast("void *", addr))


if "gc_track" in FAST_CONSTRUCTORS:
    gc_track = FAST_CONSTRUCTORS["gc_track"]        # noqa: F811  (see _calloc above)


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


def reflected_may_handle(w_other, name):
    """For a sequence's __add__/__mul__ with an unsupported operand: True when the other
    operand's type defines the reflected method `name` in guest code (or is a foreign type),
    so we return NotImplemented and let the binary-op protocol try it; built-in types'
    reflected methods never accept a str/bytes, so CPython's sq_concat / sq_repeat error
    ("can only concatenate str ...") is raised directly instead."""
    td = type(w_other).typedef
    if td is None or isinstance(w_other, W_Foreign):
        return True
    fn = td.lookup(name)
    return fn is not None and isinstance(fn, W_Object)


def from_host_exception(e):
    """Turn an exception raised by a host primitive (host int/float/str arithmetic used as
    the implementation language) into the guest exception CPython would raise: same class
    name, same message (the host *is* CPython, so its messages are CPython's)."""
    if isinstance(e, OperationError):
        return e
    name = type(e).__name__
    if isinstance(e, MemoryError):
        return OperationError("MemoryError", str(e))
    if isinstance(e, UnicodeError) and hasattr(e, "start"):
        # UnicodeEncodeError/DecodeError/TranslateError carry structured arguments
        try:
            from runtime import exceptions
            if isinstance(e, UnicodeTranslateError):
                args = (e.object, e.start, e.end, e.reason)
            else:
                args = (e.encoding, e.object, e.start, e.end, e.reason)
            w_exc = exceptions.new_exception(name, [from_host(a) for a in args])
            return OperationError(name, None, w_exc)
        except ImportError:
            pass
    return OperationError(name, str(e))


def guest_error_from_host(e):
    """Rule 4's safety net (no internal error ever escapes as a crash): a host exception
    that escaped beale's own code -- a bug in beale, or a host primitive's error nobody
    converted (e.g. a beale method called with the wrong number of arguments) -- as a guest
    exception. A built-in class keeps its name and message (TypeError, ValueError,
    RecursionError, ...); anything else (cffi errors, ...) becomes a SystemError naming it.
    The interpreter's try/except and with statements call this, so guest code can catch it."""
    if isinstance(e, OperationError):
        return e
    import builtins as _host_builtins
    cls = type(e)
    if getattr(_host_builtins, cls.__name__, None) is cls:
        err = from_host_exception(e)
    else:
        err = OperationError("SystemError", "beale internal error: %s: %s" % (cls.__name__, e))
    err.__cause__ = e
    return err


# --------------------------------------------------------------------------------------
# Argument helpers shared by the built-in type modules (str, bytes, bytearray methods
# bind their arguments the way Argument Clinic does and call host primitives).
# --------------------------------------------------------------------------------------
def _typename(w):
    from runtime.intobject import typename
    return typename(w)


def str_w(w, what=None):
    """Host str of a guest str argument, or TypeError "... must be str, not X"."""
    if isinstance(w, W_Str):
        return w.v
    if what:
        raise oefmt("TypeError", "%s must be str, not %s", what, _typename(w))
    raise oefmt("TypeError", "must be str, not %s", _typename(w))


def _is_none(w):
    return w is None or w.addr == ADDR_None


def _index(w):
    if type(w) is W_Int or type(w) is W_Bool:
        return w.v
    from runtime import space
    return space.index(w)


def _slice_index(w):
    """_PyEval_SliceIndex: None, an int, or something with __index__."""
    if _is_none(w):
        return None
    if isinstance(w, W_Int):
        return w.v
    from runtime import space
    try:
        return space.index(w)
    except OperationError as e:
        if e.match("TypeError"):
            raise oefmt("TypeError", "slice indices must be integers or None or have an "
                        "__index__ method")
        raise


_REQUIRED = object()


def from_host(x):
    """Wrap a host value produced by a primitive: str/int/bool/float/bytes/list/tuple/None."""
    t = type(x)
    if t is str:
        from runtime.unicodeobject import new_str
        return new_str(x)
    if t is bool:
        return newbool(x)
    if t is int:
        from runtime.intobject import new_int
        return new_int(x)
    if t is bytes:
        from runtime.bytesobject import new_bytes
        return new_bytes(x)
    if t is float:
        from runtime.floatobject import new_float
        return new_float(x)
    if x is None:
        return w_None
    from runtime import space
    if t is list:
        return space.newlist([from_host(y) for y in x])
    if t is tuple:
        return space.newtuple([from_host(y) for y in x])
    if t is bytearray:
        from runtime.bytearrayobject import new_bytearray
        return new_bytearray(x)
    raise SystemError("from_host: unexpected %r" % (t,))


def _conv(kind, w, fname):
    """Convert one argument handle to the host primitive the host method expects."""
    if kind == "s":
        if isinstance(w, W_Str):
            return w.v
        raise oefmt("TypeError", "must be str, not %s", _typename(w))
    if kind == "S":
        if _is_none(w):
            return None
        if isinstance(w, W_Str):
            return w.v
        raise oefmt("TypeError", "must be str or None, not %s", _typename(w))
    if kind == "i":
        return _index(w)
    if kind == "I":
        return _slice_index(w)
    if kind == "T":
        if isinstance(w, W_Str):
            return w.v
        items = _tuple_items(w)
        if items is None:
            raise oefmt("TypeError", "%s first arg must be str or a tuple of str, not %s",
                        fname, _typename(w))
        out = []
        for w_x in items:
            if not isinstance(w_x, W_Str):
                raise oefmt("TypeError", "tuple for %s must only contain str, not %s",
                            fname, _typename(w_x))
            out.append(w_x.v)
        return tuple(out)
    if kind == "y":
        from runtime.bytesobject import bytes_like_w
        return bytes_like_w(w)
    if kind == "Y":
        if _is_none(w):
            return None
        from runtime.bytesobject import bytes_like_w
        return bytes_like_w(w)
    if kind == "B":      # bytes.find/count/index sub: bytes-like or an int in range(256)
        if isinstance(w, W_Int):
            v = w.v
            if not 0 <= v < 256:
                raise oefmt("ValueError", "byte must be in range(0, 256)")
            return bytes([v])
        from runtime.bytesobject import bytes_like_w
        return bytes_like_w(w)
    if kind == "c":      # a fill byte: bytes-like of length 1
        from runtime.bytesobject import bytes_like_w
        b = bytes_like_w(w)
        if len(b) != 1:
            raise oefmt("TypeError", "%s() argument 2 must be a byte string of length 1, "
                        "not %s", fname, _typename(w))
        return b
    if kind == "U":      # bytes.startswith prefix: bytes-like or tuple of bytes-like
        from runtime.bytesobject import bytes_like_w
        items = _tuple_items(w)
        if items is None:
            try:
                return bytes_like_w(w)
            except OperationError:
                raise oefmt("TypeError", "%s first arg must be bytes or a tuple of bytes, "
                            "not %s", fname, _typename(w))
        return tuple(bytes_like_w(w_x) for w_x in items)
    raise SystemError(kind)


def _tuple_items(w):
    """Items of a guest tuple as a list of handles, or None if w is not a tuple."""
    td = type(w).typedef
    while td is not None and td.name != "tuple":
        td = td.base
    if td is None:
        return None
    from runtime import space
    return list(space.iterate(w))


def _self_v(w):
    return w.v


def _binder(td, name, params, host_fn, kw_ok=False, wrap_result=from_host, self_value=_self_v):
    """Define td.methods[name]: bind guest args by position (and by keyword when the CPython
    method accepts keywords), convert them (see _conv), call
    host_fn(self_value(w_self), *host_args) and wrap the host result (wrap_result).
    Shared by str, bytes and bytearray."""
    nparams = len(params)
    nrequired = sum(1 for p in params if p[2] is _REQUIRED)
    kinds = [p[1] for p in params]

    def method(w_self, /, *args_w, **kwargs_w):
        if not kwargs_w and nrequired <= len(args_w) <= nparams:
            # fast path, positional arguments only: the host method applies its defaults
            host_args = [_conv(kinds[i], w, name) for i, w in enumerate(args_w)]
            try:
                v = self_value(w_self)
                r = host_fn(v, *host_args)
            except (ValueError, TypeError, OverflowError, LookupError, MemoryError,
                    UnicodeError) as e:
                raise from_host_exception(e)
            if r is v and (w_self.__class__ is W_Str or w_self.__class__ is W_Bytes):
                return w_self          # unchanged exact str/bytes: the same object
            return wrap_result(r)
        if len(args_w) > nparams:
            raise oefmt("TypeError", "%s() takes at most %d argument%s (%d given)", name,
                        nparams, "" if nparams == 1 else "s", len(args_w))
        vals = [None] * nparams
        given = [False] * nparams
        for i, w in enumerate(args_w):
            vals[i] = w
            given[i] = True
        if kwargs_w:
            if not kw_ok:
                raise oefmt("TypeError", "%s() takes no keyword arguments", name)
            for k, w in kwargs_w.items():
                for i, (pname, _k, _d) in enumerate(params):
                    if pname == k:
                        if given[i]:
                            raise oefmt("TypeError", "argument for %s() given by name ('%s') "
                                        "and position (%d)", name, k, i + 1)
                        vals[i] = w
                        given[i] = True
                        break
                else:
                    raise oefmt("TypeError", "%s() got an unexpected keyword argument '%s'",
                                name, k)
        host_args = []
        for i, (pname, kind, default) in enumerate(params):
            if given[i]:
                host_args.append(_conv(kind, vals[i], name))
            elif default is _REQUIRED:
                raise oefmt("TypeError", "%s() takes at least %d argument%s (%d given)",
                            name, i + 1, "" if i == 0 else "s", len(args_w))
            else:
                host_args.append(default)
        try:
            v = self_value(w_self)
            r = host_fn(v, *host_args)
        except (ValueError, TypeError, OverflowError, LookupError, MemoryError,
                UnicodeError) as e:
            raise from_host_exception(e)
        if r is v and (w_self.__class__ is W_Str or w_self.__class__ is W_Bytes):
            # the host method returned its argument unchanged (s.strip() with nothing to
            # strip): CPython returns the same object for an exact str/bytes, so do we
            return w_self
        return wrap_result(r)
    method.__name__ = td.name + "_" + name
    td.methods[name] = method
    return method


def slice_w(w_slice):
    """A host `slice` with the guest slice's start/stop/step as host ints or None
    (PySlice_Unpack's __index__ conversions), to index a host primitive value with."""
    from runtime import space
    start = _slice_index(space.getattr(w_slice, "start"))
    stop = _slice_index(space.getattr(w_slice, "stop"))
    step = _slice_index(space.getattr(w_slice, "step"))
    if step == 0:
        raise oefmt("ValueError", "slice step cannot be zero")
    return slice(start, stop, step)


def is_slice(w):
    td = type(w).typedef
    return td is not None and td.name == "slice"


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



def _const_repr(text):
    def fn(w_self):
        from runtime.unicodeobject import new_str
        return new_str(text)
    fn.__name__ = "repr_" + text
    return fn


none_typedef.methods["__repr__"] = _const_repr("None")
none_typedef.methods["__bool__"] = lambda w_self: w_False        # none_bool
ellipsis_typedef.methods["__repr__"] = _const_repr("Ellipsis")
notimplemented_typedef.methods["__repr__"] = _const_repr("NotImplemented")

w_None = share_handle(wrap(ADDR_None))
w_Ellipsis = share_handle(wrap(ADDR_Ellipsis))
w_NotImplemented = share_handle(wrap(ADDR_NotImplemented))


W_Bool._decode = staticmethod(lambda addr: addr == ADDR_True)
register_handle_class(type_addr_of(ADDR_True), W_Bool)
w_True = share_handle(wrap(ADDR_True))
w_False = share_handle(wrap(ADDR_False))


def newbool(b):
    """The host's own True or False, as a handle."""
    return w_True if b else w_False


# The type modules attach behaviour (TypeDefs, decoders, constructors) to the classes
# above. They import this module, so this module cannot import them at its top level;
# wrap() loads them the first time it meets a type it does not know yet.
_BUILTIN_TYPE_MODULES = ("intobject", "floatobject", "complexobject", "unicodeobject",
                         "bytesobject", "bytearrayobject", "tupleobject", "listobject",
                         "dictobject", "setobject", "sliceobject", "rangeobject",
                         "cellobject")
_types_loaded = False


def load_builtin_types():
    """Import every module that registers handle classes for built-in types, so wrap()
    knows them all (a module not written yet is skipped)."""
    global _types_loaded
    import importlib
    _types_loaded = True
    for name in _BUILTIN_TYPE_MODULES:
        modname = "runtime." + name
        try:
            importlib.import_module(modname)
        except ModuleNotFoundError as e:
            if e.name != modname:
                raise


def _wrap_slow(addr):
    """wrap() for a type not registered (yet): load the built-in type modules once."""
    if not _types_loaded:
        load_builtin_types()
        if _cast(_UPTR_P, addr)[_TYPE_WORD] in _handle_classes:
            return wrap(addr)
    # a host type seen for the first time: give it its own handle class (foreign.adopt
    # does the same), so presence tests ("has __bytes__?") answer as its slots would
    from runtime import foreign
    host_type = type(_PyObj_FromPtr(addr))
    if host_type not in foreign._registered:
        foreign.register_host_type(host_type)
        if _cast(_UPTR_P, addr)[_TYPE_WORD] in _handle_classes:
            return wrap(addr)
    w = W_Foreign.__new__(W_Foreign)
    w.addr = addr
    w.ref = _PyObj_FromPtr(addr)
    return w
