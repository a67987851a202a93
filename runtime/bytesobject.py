"""bytes: PyBytesObject built by beale (mirrors Objects/bytesobject.c).

Layout (Include/cpython/bytesobject.h): a PyVarObject (ob_size = number of bytes), the
cached hash `ob_shash` (-1 until hashed), then `ob_sval[ob_size + 1]`, NUL-terminated.
PyBytes_FromStringAndSize allocates PyBytesObject_SIZE + size =
offsetof(PyBytesObject, ob_sval) + 1 + size bytes with PyObject_Malloc. Not a GC type.

As for str, the header is a prebuilt template (cffi-filled, so offsets are the compiler's);
a new bytes object is one malloc, one memmove, one ob_size write. The methods are host
bytes operations on the decoded value (primitives), results built as new beale objects.
"""

import layout
from layout import ffi
from runtime import object as _o
from runtime.errors import OperationError, oefmt
from runtime.object import (W_Bytes, W_ByteArray, W_Int, W_Str, W_Foreign, object_typedef,
                            register_handle_class, type_address,
                            from_host_exception, w_NotImplemented, HostClassMethod,
                            HostStaticMethod, _WORD)
from runtime.typedef import TypeDef
from runtime.object import newbool  # noqa: E402
from runtime.intobject import new_int  # noqa: E402  (intobject imports none of us at import time)

_cast = ffi.cast
from runtime.object import _IPTR_P  # noqa: E402
_memmove = ffi.memmove
_malloc = _o.malloc

ADDR_PyBytes_Type = type_address("PyBytes_Type")
_S = layout.struct("PyBytesObject")
_SVAL_OFF = _S.offset("ob_sval")
_SIZE_WORD = _S.offset("ob_base.ob_size") // _WORD
_SHASH_WORD = _S.offset("ob_shash") // _WORD


def _make_template():
    buf = ffi.new("char[]", _SVAL_OFF)
    p = _cast("PyBytesObject *", buf)
    p.ob_base.ob_base.ob_refcnt = 0
    p.ob_base.ob_base.ob_type = _cast("PyTypeObject *", ADDR_PyBytes_Type)
    p.ob_base.ob_size = 0
    p.ob_shash = -1
    return bytes(ffi.buffer(buf, _SVAL_OFF))


_TEMPLATE = _make_template()


def build_bytes(b):
    """Allocate the PyBytesObject PyBytes_FromStringAndSize builds for host bytes b
    (ob_refcnt 0)."""
    buf = _TEMPLATE + b + b"\0"
    addr = _malloc(len(buf))
    _memmove(_cast("void *", addr), buf, len(buf))
    _cast(_IPTR_P, addr)[_SIZE_WORD] = len(b)
    return addr


_pack_header = _o.Packer("PyBytesObject", [
    ("ob_base.ob_base.ob_refcnt", "q"), ("ob_base.ob_base.ob_type", "Q"),
    ("ob_base.ob_size", "q"), ("ob_shash", "q")]).pack
_new_from_bytes = _o.new_from_bytes


def _build_new_bytes(b):
    w = _new_from_bytes(W_Bytes, _pack_header(0, ADDR_PyBytes_Type, len(b), -1) + b + b"\0")
    w.v = b
    return w


# CPython shares the empty bytes object and the 256 one-byte objects (bytes_get_empty,
# CHARACTER(c)); beale builds its own once.
_EMPTY = _o.share_handle(_build_new_bytes(b""))
_CHARS = [None] * 256


def new_bytes(b):
    """The guest bytes for host bytes b: header (ob_refcnt 0, ob_size, ob_shash -1),
    the bytes and the NUL, copied in with one memmove ("" and one byte are shared)."""
    n = len(b)
    if n <= 1:
        if not n:
            return _EMPTY
        c = b[0]
        w = _CHARS[c]
        if w is None:
            w = _CHARS[c] = _o.share_handle(_build_new_bytes(bytes(b)))
        return w
    w = _new_from_bytes(W_Bytes, _pack_header(0, ADDR_PyBytes_Type, n, -1) + b + b"\0")
    w.v = b
    return w


def _decode_bytes(addr):
    n = _cast(_IPTR_P, addr)[_SIZE_WORD]
    return ffi.buffer(_cast("char *", addr + _SVAL_OFF), n)[:]


W_Bytes._decode = staticmethod(_decode_bytes)
register_handle_class(ADDR_PyBytes_Type, W_Bytes)
bytes_typedef = TypeDef("bytes", object_typedef, "PyBytes_Type", W_Bytes)


def bytes_hash(w):
    """bytes_hash: the cached ob_shash, computed from the host hash of the equal bytes
    (CPython's own algorithm and seed) on first use."""
    p = _cast(_IPTR_P, w.addr)
    h = p[_SHASH_WORD]
    if h == -1:
        h = hash(w.v)
        p[_SHASH_WORD] = h
    return h


def _typename(w):
    from runtime.intobject import typename
    return typename(w)


def bytes_like_w(w):
    """The contents of a bytes-like argument as host bytes (PyObject_GetBuffer):
    bytes, bytearray, or a foreign object exporting the buffer protocol (memoryview,
    array.array, ...: read through the C buffer protocol)."""
    if isinstance(w, W_Bytes):
        return w.v
    if isinstance(w, W_ByteArray):
        from runtime.bytearrayobject import bytearray_value
        return bytearray_value(w)
    if isinstance(w, W_Foreign):
        try:
            return bytes(memoryview(w.ref))       # the C buffer protocol of a host object
        except TypeError:
            pass
    raise oefmt("TypeError", "a bytes-like object is required, not '%s'", _typename(w))


def bytes_for_percent_b(w):
    """%b / %s in bytes formatting: a buffer, or __bytes__."""
    try:
        return bytes_like_w(w)
    except OperationError:
        pass
    from runtime.intobject import call_special
    w_r = call_special(w, "__bytes__")
    if w_r is not None and isinstance(w_r, W_Bytes):
        return w_r.v
    raise oefmt("TypeError", "%%b requires a bytes-like object, or an object that implements "
                "__bytes__, not '%s'", _typename(w))


# ---------------------------------------------------------------- methods
from runtime.object import _binder, _REQUIRED as _P, from_host, _index  # noqa: E402

_NOARGS = ("capitalize lower upper swapcase title isalnum isalpha isascii isdigit islower "
           "isspace istitle isupper").split()

_WITH_ARGS = [
    ("center", (("width", "i", _P), ("fillchar", "c", b" ")), False),
    ("ljust", (("width", "i", _P), ("fillchar", "c", b" ")), False),
    ("rjust", (("width", "i", _P), ("fillchar", "c", b" ")), False),
    ("zfill", (("width", "i", _P),), False),
    ("count", (("sub", "B", _P), ("start", "I", None), ("end", "I", None)), False),
    ("find", (("sub", "B", _P), ("start", "I", None), ("end", "I", None)), False),
    ("rfind", (("sub", "B", _P), ("start", "I", None), ("end", "I", None)), False),
    ("index", (("sub", "B", _P), ("start", "I", None), ("end", "I", None)), False),
    ("rindex", (("sub", "B", _P), ("start", "I", None), ("end", "I", None)), False),
    ("startswith", (("prefix", "U", _P), ("start", "I", None), ("end", "I", None)), False),
    ("endswith", (("suffix", "U", _P), ("start", "I", None), ("end", "I", None)), False),
    ("expandtabs", (("tabsize", "i", 8),), True),
    ("split", (("sep", "Y", None), ("maxsplit", "i", -1)), True),
    ("rsplit", (("sep", "Y", None), ("maxsplit", "i", -1)), True),
    ("splitlines", (("keepends", "i", False),), True),
    ("strip", (("bytes", "Y", None),), False),
    ("lstrip", (("bytes", "Y", None),), False),
    ("rstrip", (("bytes", "Y", None),), False),
    ("partition", (("sep", "y", _P),), False),
    ("rpartition", (("sep", "y", _P),), False),
    ("removeprefix", (("prefix", "y", _P),), False),
    ("removesuffix", (("suffix", "y", _P),), False),
    ("replace", (("old", "y", _P), ("new", "y", _P), ("count", "i", -1)), False),
    ("decode", (("encoding", "s", "utf-8"), ("errors", "s", "strict")), True),
    ("translate", (("table", "Y", _P), ("delete", "y", b"")), True),
]


def _hex(b, *args):
    return b.hex(*args)


def install_bytes_methods(td, self_value, wrap_result, host_type):
    """Register the bytes-like methods on td (bytes, or bytearray with its own decoder
    and result wrapper)."""
    for n in _NOARGS:
        _binder(td, n, (), getattr(host_type, n), wrap_result=wrap_result,
                self_value=self_value)
    for n, params, kw in _WITH_ARGS:
        _binder(td, n, params, getattr(host_type, n), kw_ok=kw, wrap_result=wrap_result,
                self_value=self_value)

    def hex_method(w_self, w_sep=None, w_bytes_per_sep=None, /, **kwargs_w):
        w_sep = kwargs_w.pop("sep", w_sep)
        w_bytes_per_sep = kwargs_w.pop("bytes_per_sep", w_bytes_per_sep)
        if kwargs_w:
            raise oefmt("TypeError", "hex() got an unexpected keyword argument '%s'",
                        next(iter(kwargs_w)))
        b = self_value(w_self)
        args = []
        if w_sep is not None:
            if isinstance(w_sep, W_Str):
                args.append(w_sep.v)
            else:
                args.append(bytes_like_w(w_sep))
            if w_bytes_per_sep is not None:
                args.append(_index(w_bytes_per_sep))
        try:
            return from_host(b.hex(*args))
        except (ValueError, TypeError, MemoryError) as e:
            raise from_host_exception(e)
    td.methods["hex"] = hex_method

    def join(w_self, w_iterable):
        from runtime import space
        parts = []
        for i, w_x in enumerate(space.iterate(w_iterable)):
            try:
                parts.append(bytes_like_w(w_x))
            except OperationError:
                raise oefmt("TypeError", "sequence item %d: expected a bytes-like object, "
                            "%s found", i, _typename(w_x))
        return wrap_result(self_value(w_self).join(parts))
    td.methods["join"] = join

    def fromhex(w_type, w_string):
        from runtime.unicodeobject import str_w
        try:
            v = host_type.fromhex(str_w(w_string, "fromhex() argument"))
        except ValueError as e:
            raise from_host_exception(e)
        w_v = wrap_result(v)
        if w_type is None or w_type.addr == type_address(td.host_symbol):
            return w_v
        from runtime import space
        return space.call(w_type, [w_v], None)
    td.methods["fromhex"] = HostClassMethod(fromhex)

    def maketrans(w_frm, w_to):
        a = bytes_like_w(w_frm)
        b = bytes_like_w(w_to)
        try:
            return new_bytes(bytes.maketrans(a, b))
        except ValueError as e:
            raise from_host_exception(e)
    td.methods["maketrans"] = HostStaticMethod(maketrans)

    def contains(w_self, w_x):
        b = self_value(w_self)
        if isinstance(w_x, W_Int):
            if not 0 <= w_x.v < 256:
                raise oefmt("ValueError", "byte must be in range(0, 256)")
            return newbool(w_x.v in b)
        from runtime import space
        if not isinstance(w_x, (W_Bytes, W_ByteArray)) and \
                space.lookup(w_x, "__index__") is not None:
            v = space.index(w_x)
            if not 0 <= v < 256:
                raise oefmt("ValueError", "byte must be in range(0, 256)")
            return newbool(v in b)
        return newbool(bytes_like_w(w_x) in b)
    td.methods["__contains__"] = contains

    def length(w_self):
        return new_int(len(self_value(w_self)))
    td.methods["__len__"] = length

    def mod(w_self, w_values):
        from runtime.unicodeobject import percent_format
        return wrap_result(percent_format(self_value(w_self), w_values, is_bytes=True))
    td.methods["__mod__"] = mod
    td.methods["__rmod__"] = lambda w_self, w_other: w_NotImplemented

    def add(w_self, w_other):
        try:
            other = bytes_like_w(w_other)
        except OperationError:
            if _o.reflected_may_handle(w_other, "__radd__"):
                return w_NotImplemented
            raise oefmt("TypeError", "can't concat %s to %s", _typename(w_other), td.name)
        return wrap_result(self_value(w_self) + other)
    td.methods["__add__"] = add

    def mul(w_self, w_times, _reflected=False):
        from runtime import space
        if space.lookup(w_times, "__index__") is None:
            if _o.reflected_may_handle(w_times, "__mul__" if _reflected else "__rmul__"):
                return w_NotImplemented
            raise oefmt("TypeError", "can't multiply sequence by non-int of type '%s'",
                        _typename(w_times))
        try:
            v = self_value(w_self)
            r = v * _index(w_times)
            if r is v and type(w_self) is W_Bytes:       # b * 1 is b
                return w_self
            return wrap_result(r)
        except (OverflowError, MemoryError) as e:
            raise from_host_exception(e)
    td.methods["__mul__"] = mul
    td.methods["__rmul__"] = lambda w_self, w_times: mul(w_self, w_times, True)

    def getitem(w_self, w_index):
        from runtime.object import is_slice, slice_w
        b = self_value(w_self)
        if is_slice(w_index):
            sl = slice_w(w_index)
            return wrap_result(b[sl])
        from runtime import space
        if not isinstance(w_index, W_Int) and space.lookup(w_index, "__index__") is None:
            raise oefmt("TypeError", "%s indices must be integers or slices, not %s",
                        td.name if td.name != "bytes" else "byte",
                        _typename(w_index))
        try:
            return new_int(b[_index(w_index)])
        except IndexError:
            raise oefmt("IndexError", "index out of range")
    td.methods["__getitem__"] = getitem

    def _cmp(name, op):
        def fn(w_self, w_other):
            if not isinstance(w_other, (W_Bytes, W_ByteArray)):
                return w_NotImplemented
            return newbool(op(self_value(w_self), bytes_like_w(w_other)))
        td.methods[name] = fn

    import operator as op
    for name, f in (("__eq__", op.eq), ("__ne__", op.ne), ("__lt__", op.lt),
                    ("__le__", op.le), ("__gt__", op.gt), ("__ge__", op.ge)):
        _cmp(name, f)

    def repr_(w_self):
        from runtime.unicodeobject import new_str
        r = repr(self_value(w_self))
        if td.name == "bytearray":
            r = "bytearray(" + r + ")"
        return new_str(r)
    td.methods["__repr__"] = repr_


install_bytes_methods(bytes_typedef, lambda w: w.v, from_host, bytes)


@bytes_typedef.method("__hash__")
def bytes_hash_method(w_self):
    return new_int(bytes_hash(w_self))


@bytes_typedef.method("__sizeof__")
def bytes_sizeof(w_self):
    """bytes___sizeof___impl: PyBytesObject_SIZE + len."""
    return new_int(_SVAL_OFF + 1 + len(w_self.v))


@bytes_typedef.method("__getnewargs__")
def bytes_getnewargs(w_self):
    from runtime import space
    return space.newtuple([new_bytes(w_self.v)])


@bytes_typedef.method("__bytes__")
def bytes_bytes(w_self):
    return w_self if type(w_self) is W_Bytes else new_bytes(w_self.v)


def bytes_from_object(w_x, w_encoding=None, w_errors=None, fname="bytes"):
    """The host bytes that bytes(x[, encoding[, errors]]) computes (bytes_new_impl)."""
    from runtime import space
    from runtime.unicodeobject import str_w
    if w_x is None:
        if w_encoding is not None or w_errors is not None:
            raise oefmt("TypeError", "encoding without a string argument")
        return b""
    if isinstance(w_x, W_Str):
        if w_encoding is None:
            raise oefmt("TypeError", "string argument without an encoding")
        enc = str_w(w_encoding, "%s() argument 'encoding'" % fname)
        err = "strict" if w_errors is None else str_w(w_errors,
                                                      "%s() argument 'errors'" % fname)
        try:
            return w_x.v.encode(enc, err)
        except (UnicodeError, LookupError, MemoryError) as e:
            raise from_host_exception(e)
    if w_encoding is not None:
        raise oefmt("TypeError", "encoding without a string argument")
    if w_errors is not None:
        raise oefmt("TypeError", "errors without a string argument")
    if fname == "bytes":
        from runtime.intobject import call_special
        if space.lookup(w_x, "__bytes__") is not None:
            w_r = call_special(w_x, "__bytes__")
            if not isinstance(w_r, W_Bytes):
                raise oefmt("TypeError", "__bytes__ returned non-bytes (type %s)",
                            _typename(w_r))
            return w_r.v
    try:
        return bytes_like_w(w_x)
    except OperationError:
        pass
    if isinstance(w_x, W_Int) or space.lookup(w_x, "__index__") is not None:
        n = _index(w_x)
        if n < 0:
            raise oefmt("ValueError", "negative count")
        try:
            return bytes(n)
        except (OverflowError, MemoryError) as e:
            raise from_host_exception(e)
    if space.lookup(w_x, "__iter__") is None and space.lookup(w_x, "__getitem__") is None:
        raise oefmt("TypeError", "cannot convert '%s' object to %s", _typename(w_x), fname)
    out = bytearray()
    for w_i in space.iterate(w_x):
        if not isinstance(w_i, W_Int) and space.lookup(w_i, "__index__") is None:
            raise oefmt("TypeError", "'%s' object cannot be interpreted as an integer",
                        _typename(w_i))
        v = _index(w_i)
        if not 0 <= v < 256:
            raise oefmt("ValueError", "bytes must be in range(0, 256)")
        out.append(v)
    return bytes(out)


@bytes_typedef.method("__new__")
def bytes_new(w_type, w_source=None, w_encoding=None, w_errors=None, /, **kwargs_w):
    w_source = kwargs_w.pop("source", w_source)
    w_encoding = kwargs_w.pop("encoding", w_encoding)
    w_errors = kwargs_w.pop("errors", w_errors)
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for bytes()",
                    next(iter(kwargs_w)))
    if type(w_source) is W_Bytes and w_encoding is None and w_errors is None and \
            (w_type is None or w_type.addr == ADDR_PyBytes_Type):
        return w_source
    v = bytes_from_object(w_source, w_encoding, w_errors)
    if w_type is None or w_type.addr == ADDR_PyBytes_Type:
        return new_bytes(v)
    return _o.new_subtype_instance(w_type, new_bytes(v))


# ---------------------------------------------------------------- iteration
def _bytes_iter_next(d):
    b = d.seq
    if b is None:
        return None
    i = d.index
    if i < len(b):
        d.index = i + 1
        from runtime.intobject import small_int
        return small_int(b[i])
    d.seq = None
    return None


def _bytes_iter_length(d):
    return 0 if d.seq is None else max(len(d.seq) - d.index, 0)


def _o_space():
    from runtime import space
    return space


@bytes_typedef.method("__iter__")
def bytes_iter(w_self):
    """bytes_iter: a bytes_iterator yielding ints."""
    from runtime import functionobject as fo
    from runtime.unicodeobject import iterator_class, _IterState
    cls = iterator_class("bytes_iterator", _bytes_iter_next, _bytes_iter_length, new_bytes,
                         lambda: _o_space().newtuple([]))
    return fo.new_data_object(cls, _IterState(w_self.v, w_self))
