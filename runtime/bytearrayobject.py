"""bytearray: PyByteArrayObject built by beale (mirrors Objects/bytearrayobject.c).

Layout (Include/cpython/bytearrayobject.h): PyVarObject (ob_size = logical length),
ob_alloc (bytes allocated in ob_bytes), ob_bytes (the PyObject_Malloc'd buffer, NULL when
empty), ob_start (logical start inside ob_bytes), ob_exports (buffer exports: no resizing
while > 0). Not a GC type. The buffer always holds a trailing NUL (ob_alloc > ob_size).

`resize` follows PyByteArray_Resize exactly (same over-allocation, so a guest bytearray
grown by the same appends has the same ob_alloc as the host's); the host's
bytearray_dealloc frees ob_bytes with PyObject_Free, so beale allocates it with
PyObject_Malloc/Realloc too. Mutable: handles cache nothing; the contents are read from
the struct on every use.
"""

import layout
from layout import ffi
from runtime import object as _o
from runtime.errors import OperationError, oefmt
from runtime.object import (W_ByteArray, W_Int, object_typedef, register_handle_class, steal,
                            type_address, from_host_exception, w_None)
from runtime.typedef import TypeDef
from runtime.intobject import new_int  # noqa: E402  (intobject imports none of us at import time)

_cast = ffi.cast
_memmove = ffi.memmove
ADDR_PyByteArray_Type = type_address("PyByteArray_Type")
_S = layout.struct("PyByteArrayObject")
_SIZE = _S.size
_PY_SSIZE_T_MAX = (1 << (8 * ffi.sizeof("Py_ssize_t") - 1)) - 1

register_handle_class(ADDR_PyByteArray_Type, W_ByteArray)
bytearray_typedef = TypeDef("bytearray", object_typedef, "PyByteArray_Type", W_ByteArray)


def _p(w):
    """The struct of a bytearray handle. Checks the handle's class first: reading another
    object's memory as a PyByteArrayObject could crash the process (rule 4)."""
    if not isinstance(w, W_ByteArray):
        from runtime.intobject import typename
        raise oefmt("TypeError", "descriptor for 'bytearray' objects doesn't apply to a '%s' "
                    "object", typename(w))
    return _cast("PyByteArrayObject *", w.addr)


def _addr(cptr):
    return int(_cast("uintptr_t", cptr))


def build_bytearray(b, type_addr=ADDR_PyByteArray_Type):
    """PyByteArray_FromStringAndSize: returns the address (ob_refcnt 1)."""
    addr = _o.alloc_object(type_addr, _SIZE)
    p = _cast("PyByteArrayObject *", addr)
    n = len(b)
    p.ob_base.ob_size = n
    if n == 0:
        p.ob_bytes = ffi.NULL
        p.ob_alloc = 0
    else:
        buf = _buf_malloc(n + 1)
        _memmove(_cast("void *", buf), b + b"\0", n + 1)
        p.ob_bytes = _cast("char *", buf)
        p.ob_alloc = n + 1
    p.ob_start = p.ob_bytes
    p.ob_exports = 0
    return addr


def new_bytearray(b=b""):
    """A guest bytearray holding host bytes b."""
    return steal(W_ByteArray, build_bytearray(bytes(b)))


def bytearray_value(w):
    """The current contents as host bytes (a copy)."""
    p = _p(w)
    n = p.ob_base.ob_size
    if n == 0:
        return b""
    return ffi.buffer(p.ob_start, n)[:]


def resize(w, requested_size):
    """PyByteArray_Resize: same strategy and over-allocation as CPython."""
    p = _p(w)
    alloc = p.ob_alloc
    logical_offset = _addr(p.ob_start) - _addr(p.ob_bytes)
    size = requested_size
    if requested_size < 0:
        raise oefmt("SystemError", "Negative size passed to PyByteArray_Resize")
    if requested_size == p.ob_base.ob_size:
        return
    if p.ob_exports > 0:
        raise oefmt("BufferError", "Existing exports of data: object cannot be re-sized")
    if size + logical_offset + 1 <= alloc:
        # Current buffer is large enough to host the requested size
        if size < alloc // 2:                      # C integer division
            alloc = size + 1                       # major downsize: exact size
        else:
            p.ob_base.ob_size = size               # minor downsize: quick exit
            p.ob_start[size] = b"\0"
            return
    else:
        if size <= alloc * 1.125:
            alloc = size + (size >> 3) + (3 if size < 9 else 6)   # moderate upsize
        else:
            alloc = size + 1                       # major upsize: exact size
    if alloc > _PY_SSIZE_T_MAX:
        raise OperationError("MemoryError", "")
    if logical_offset > 0:
        sval = _buf_malloc(alloc)
        n = min(requested_size, p.ob_base.ob_size)
        if n:
            _memmove(_cast("void *", sval), p.ob_start, n)
        _buf_free(_addr(p.ob_bytes))
    else:
        old = _addr(p.ob_bytes)
        if old:
            sval = _realloc(old, alloc)
        else:
            sval = _buf_malloc(alloc)
    p.ob_bytes = _cast("char *", sval)
    p.ob_start = p.ob_bytes
    p.ob_base.ob_size = size
    p.ob_alloc = alloc
    p.ob_bytes[size] = b"\0"


def _realloc(addr, size):
    if _o.BYTEARRAY_BUFFER_PYMEM:
        return _o.mem_realloc(addr, size)
    from layout import lib
    r = lib.beale_object_realloc(_cast("void *", addr), size)
    if r == ffi.NULL:
        raise OperationError("MemoryError", "")
    return _addr(r)


# ob_bytes comes from the allocator family the host's bytearray code uses (it reallocs
# and frees the buffer itself): PyObject_* up to 3.12, PyMem_* from 3.13.
_buf_malloc = _o.mem_malloc if _o.BYTEARRAY_BUFFER_PYMEM else _o.malloc
_buf_free = _o.mem_free if _o.BYTEARRAY_BUFFER_PYMEM else _o.free


def set_contents(w, data):
    """Replace the contents with host bytes `data` (resize, then copy in)."""
    resize(w, len(data))
    if data:
        _memmove(_p(w).ob_start, data, len(data))


# ---------------------------------------------------------------- methods
def _wrap_result(x):
    """bytearray methods return bytearrays where bytes methods return bytes."""
    from runtime.object import from_host
    if type(x) is bytes:
        return new_bytearray(x)
    if type(x) is list:
        from runtime import space
        return space.newlist([_wrap_result(y) for y in x])
    if type(x) is tuple:
        from runtime import space
        return space.newtuple([_wrap_result(y) for y in x])
    return from_host(x)


from runtime.bytesobject import install_bytes_methods, bytes_like_w, bytes_from_object  # noqa
from runtime.object import _index, is_slice, slice_w  # noqa: E402

install_bytes_methods(bytearray_typedef, bytearray_value, _wrap_result, bytes)

bytearray_typedef.methods["__hash__"] = w_None      # unhashable (tp_hash = PyObject_HashNotImplemented)


def _byte_value(w):
    if not isinstance(w, W_Int):
        from runtime import space
        if space.lookup(w, "__index__") is None:
            raise oefmt("TypeError", "'%s' object cannot be interpreted as an integer",
                        space.typename(w))
    v = _index(w)
    if not 0 <= v < 256:
        raise oefmt("ValueError", "byte must be in range(0, 256)")
    return v


@bytearray_typedef.method("append")
def bytearray_append(w_self, w_item):
    v = _byte_value(w_item)
    n = _p(w_self).ob_base.ob_size
    resize(w_self, n + 1)
    _p(w_self).ob_start[n] = bytes([v])
    return w_None


@bytearray_typedef.method("extend")
def bytearray_extend(w_self, w_iterable):
    try:
        data = bytes_like_w(w_iterable)
    except OperationError:
        data = bytes_from_object(w_iterable, fname="bytearray")
    n = _p(w_self).ob_base.ob_size
    resize(w_self, n + len(data))
    if data:
        _memmove(_p(w_self).ob_start + n, data, len(data))
    return w_None


@bytearray_typedef.method("__iadd__")
def bytearray_iadd(w_self, w_other):
    try:
        data = bytes_like_w(w_other)
    except OperationError:
        raise oefmt("TypeError", "can't concat %s to bytearray",
                    __import__("runtime.intobject", fromlist=["typename"]).typename(w_other))
    n = _p(w_self).ob_base.ob_size
    resize(w_self, n + len(data))
    if data:
        _memmove(_p(w_self).ob_start + n, data, len(data))
    return w_self


@bytearray_typedef.method("__imul__")
def bytearray_imul(w_self, w_times):
    set_contents(w_self, bytearray_value(w_self) * max(0, _index(w_times)))
    return w_self


@bytearray_typedef.method("insert")
def bytearray_insert(w_self, w_index, w_item):
    v = _byte_value(w_item)
    b = bytearray(bytearray_value(w_self))
    b.insert(_index(w_index), v)
    set_contents(w_self, bytes(b))
    return w_None


@bytearray_typedef.method("pop")
def bytearray_pop(w_self, w_index=None):
    b = bytearray(bytearray_value(w_self))
    if not b:
        raise oefmt("IndexError", "pop from empty bytearray")
    i = -1 if w_index is None else _index(w_index)
    try:
        v = b.pop(i)
    except IndexError:
        raise oefmt("IndexError", "pop index out of range")
    set_contents(w_self, bytes(b))
    return new_int(v)


@bytearray_typedef.method("remove")
def bytearray_remove(w_self, w_value):
    v = _byte_value(w_value)
    b = bytearray(bytearray_value(w_self))
    try:
        b.remove(v)
    except ValueError:
        raise oefmt("ValueError", "value not found in bytearray")
    set_contents(w_self, bytes(b))
    return w_None


@bytearray_typedef.method("clear")
def bytearray_clear(w_self):
    resize(w_self, 0)
    return w_None


@bytearray_typedef.method("copy")
def bytearray_copy(w_self):
    return new_bytearray(bytearray_value(w_self))


@bytearray_typedef.method("reverse")
def bytearray_reverse(w_self):
    data = bytearray_value(w_self)
    if data:
        _memmove(_p(w_self).ob_start, data[::-1], len(data))
    return w_None


@bytearray_typedef.method("__alloc__")
def bytearray_alloc(w_self):
    return new_int(_p(w_self).ob_alloc)


def setslice_linear(w, lo, hi, data):
    """bytearray_setslice_linear: replace [lo:hi] by host bytes `data`. Shrinking at the
    front (lo == 0) advances ob_start instead of moving the tail, as CPython does."""
    p = _p(w)
    n = p.ob_base.ob_size
    lo = max(lo, 0)
    hi = min(max(hi, lo), n)
    growth = len(data) - (hi - lo)
    if growth < 0:
        if p.ob_exports > 0:
            raise oefmt("BufferError", "Existing exports of data: object cannot be re-sized")
        if lo == 0:
            p.ob_start = p.ob_start - growth          # advance the logical start
        else:
            tail = ffi.buffer(p.ob_start + hi, n - hi)[:]
            if tail:
                _memmove(p.ob_start + lo + len(data), tail, len(tail))
        resize(w, n + growth)
    elif growth > 0:
        tail = ffi.buffer(p.ob_start + hi, n - hi)[:] if n > hi else b""
        resize(w, n + growth)
        if tail:
            _memmove(_p(w).ob_start + lo + len(data), tail, len(tail))
    if data:
        _memmove(_p(w).ob_start + lo, data, len(data))


@bytearray_typedef.method("__sizeof__")
def bytearray_sizeof(w_self):
    """bytearray___sizeof___impl: basicsize + ob_alloc."""
    return new_int(_SIZE + _p(w_self).ob_alloc)


@bytearray_typedef.method("__setitem__")
def bytearray_setitem(w_self, w_index, w_value):
    if is_slice(w_index):
        sl = slice_w(w_index)
        if isinstance(w_value, W_Int):
            raise oefmt("TypeError", "can assign only bytes, buffers, or iterables of ints "
                        "in range(0, 256)")
        try:
            data = bytes_like_w(w_value)
        except OperationError:
            data = bytes_from_object(w_value, fname="bytearray")
        n = _p(w_self).ob_base.ob_size
        start, stop, step = sl.indices(n)
        if step == 1:
            setslice_linear(w_self, start, stop, data)
            return w_None
        b = bytearray(bytearray_value(w_self))
        try:
            b[sl] = data
        except ValueError as e:
            raise from_host_exception(e)
        set_contents(w_self, bytes(b))
        return w_None
    i = _index(w_index)
    v = _byte_value(w_value)
    n = _p(w_self).ob_base.ob_size
    if i < 0:
        i += n
    if not 0 <= i < n:
        raise oefmt("IndexError", "bytearray index out of range")
    _p(w_self).ob_start[i] = bytes([v])
    return w_None


@bytearray_typedef.method("__delitem__")
def bytearray_delitem(w_self, w_index):
    n = _p(w_self).ob_base.ob_size
    if is_slice(w_index):
        start, stop, step = slice_w(w_index).indices(n)
        if step == 1:
            setslice_linear(w_self, start, stop, b"")
            return w_None
        b = bytearray(bytearray_value(w_self))
        del b[slice(start, stop, step)]
        set_contents(w_self, bytes(b))
        return w_None
    i = _index(w_index)
    if i < 0:
        i += n
    if not 0 <= i < n:
        raise oefmt("IndexError", "bytearray index out of range")
    setslice_linear(w_self, i, i + 1, b"")
    return w_None


@bytearray_typedef.method("__init__")
def bytearray_init(w_self, w_source=None, w_encoding=None, w_errors=None, /, **kwargs_w):
    w_source = kwargs_w.pop("source", w_source)
    w_encoding = kwargs_w.pop("encoding", w_encoding)
    w_errors = kwargs_w.pop("errors", w_errors)
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for bytearray()",
                    next(iter(kwargs_w)))
    set_contents(w_self, bytes_from_object(w_source, w_encoding, w_errors, fname="bytearray"))
    return w_None


@bytearray_typedef.method("__new__")
def bytearray_new(w_type, /, *args_w, **kwargs_w):
    """bytearray.__new__ makes an empty bytearray; __init__ fills it."""
    if w_type is None or w_type.addr == ADDR_PyByteArray_Type:
        return new_bytearray(b"")
    return _o.new_subtype_instance(w_type, new_bytearray(b""))


# ---------------------------------------------------------------- iteration
def _bytearray_iter_next(d):
    """bytearrayiter_next: reads the current contents each step (the bytearray may change)."""
    w_seq = d.seq
    if w_seq is None:
        return None
    p = _p(w_seq)
    i = d.index
    if i < p.ob_base.ob_size:
        d.index = i + 1
        from runtime.intobject import small_int
        return small_int(ord(p.ob_start[i]))
    d.seq = None
    return None


def _bytearray_iter_length(d):
    return 0 if d.seq is None else max(_p(d.seq).ob_base.ob_size - d.index, 0)


@bytearray_typedef.method("__iter__")
def bytearray_iter(w_self):
    from runtime import functionobject as fo
    from runtime.unicodeobject import iterator_class, _IterState
    from runtime import space
    cls = iterator_class("bytearray_iterator", _bytearray_iter_next, _bytearray_iter_length,
                         lambda w_seq: w_seq, lambda: space.newtuple([]))
    return fo.new_data_object(cls, _IterState(w_self))


def _bytearray_reduce(w):
    """bytearray_reduce (protocol 3+ form): (type(self), (bytes(self),), __dict__ or None)."""
    from runtime import space, typeobject
    from runtime.bytesobject import new_bytes
    w_d = typeobject.get_instance_dict(w)
    return space.newtuple([space.type(w), space.newtuple([new_bytes(bytearray_value(w))]),
                           w_d if w_d is not None else space.w_None])


bytearray_typedef.methods["__reduce__"] = _bytearray_reduce
