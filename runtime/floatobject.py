"""float: PyFloatObject built by beale (mirrors Objects/floatobject.c).

Layout (Include/cpython/floatobject.h): PyObject header + `double ob_fval`. Not a GC type.
CPython's PyFloat_FromDouble takes the object from a free list or PyObject_Malloc and sets
ob_type/ob_refcnt/ob_fval; beale does the same with the host allocator, and the host's
float_dealloc (which may push the memory onto the host's float free list) frees it.

Arithmetic mirrors float_add/float_sub/...: the other operand is a float or an int
(converted exactly like PyLong_AsDouble, OverflowError "int too large to convert to float"),
anything else gives NotImplemented. The primitives are host float operations; their errors
(ZeroDivisionError "float division by zero", ...) are CPython's own messages.
"""

import math

import layout
from layout import ffi
from runtime import object as _o
from runtime.errors import oefmt
from runtime.object import (W_Float, W_Int, object_typedef, register_handle_class,
                            type_address, from_host_exception, w_NotImplemented, HostProperty,
                            HostClassMethod, _REFCNT_WORD, _TYPE_WORD)
from runtime.typedef import TypeDef
from runtime.object import newbool  # noqa: E402

_cast = ffi.cast
from runtime.object import _IPTR_P, _DOUBLE_P  # noqa: E402
_S = layout.struct("PyFloatObject")
_SIZE = _S.size
_FVAL_OFF = _S.offset("ob_fval")
ADDR_PyFloat_Type = type_address("PyFloat_Type")
_malloc = _o.malloc


def _decode_float(addr):
    return _cast(_DOUBLE_P, addr + _FVAL_OFF)[0]


def build_float(v, type_addr=ADDR_PyFloat_Type):
    """Allocate a PyFloatObject for host float v; returns its address with ob_refcnt 0."""
    addr = _malloc(_SIZE)
    p = _cast(_IPTR_P, addr)
    p[_REFCNT_WORD] = 0
    p[_TYPE_WORD] = type_addr
    _cast(_DOUBLE_P, addr + _FVAL_OFF)[0] = v
    return addr


_PACK = _o.Packer("PyFloatObject", [("ob_base.ob_refcnt", "q"), ("ob_base.ob_type", "Q"),
                                     ("ob_fval", "d")]).pack
_new_from_bytes = _o.new_from_bytes


def new_float_packed(v):
    """The guest float for host float v (PyFloat_FromDouble): the whole struct is packed
    (ob_refcnt 0, ob_type, ob_fval) and copied in with one memmove.  (allocstats puts
    this one in place of new_float: it allocates through object._malloc.)"""
    w = _new_from_bytes(W_Float, _PACK(0, ADDR_PyFloat_Type, v))
    w.v = v
    return w


_fast_float = _o.FAST_CONSTRUCTORS.get("float")
_new = object.__new__


def new_float(v):
    """The guest float for host float v: build_ffi's beale_fast_float mallocs and fills
    the PyFloatObject in one call (about 3x faster than new_float_packed)."""
    ref = _fast_float(v)
    w = _new(W_Float)
    w.addr = id(ref)
    w.ref = ref
    w.v = v
    return w


if _fast_float is None:
    new_float = new_float_packed    # noqa: F811  (a layout module without the helper)


W_Float._decode = staticmethod(_decode_float)
register_handle_class(ADDR_PyFloat_Type, W_Float)
float_typedef = TypeDef("float", object_typedef, "PyFloat_Type", W_Float)


def _other_float(w_other):
    """CONVERT_TO_DOUBLE: the host float of a float/int operand, or None (NotImplemented)."""
    if isinstance(w_other, W_Float):
        return w_other.v
    if isinstance(w_other, W_Int):
        try:
            return float(w_other.v)
        except OverflowError:
            raise oefmt("OverflowError", "int too large to convert to float")
    return None


def _num(x):
    from runtime.intobject import _num as num
    return num(x)


def _binop(name, op):
    def fn(w_self, w_other):
        if type(w_other) is W_Float:            # fast path: float op float
            b = w_other.v
        else:
            b = _other_float(w_other)
            if b is None:
                return w_NotImplemented
        try:
            r = op(w_self.v, b)
        except (ArithmeticError, ValueError, MemoryError) as e:
            raise from_host_exception(e)
        if type(r) is float:
            return new_float(r)
        return _num(r)                          # complex (negative ** fractional)
    fn.__name__ = name
    float_typedef.methods[name] = fn
    return fn


def _cmpop(name, op):
    """float_richcompare: float vs int compares exactly (the host's rule is CPython's)."""
    def fn(w_self, w_other):
        if isinstance(w_other, W_Float) or isinstance(w_other, W_Int):
            return newbool(op(w_self.v, w_other.v))
        return w_NotImplemented
    fn.__name__ = name
    float_typedef.methods[name] = fn
    return fn


import operator as _op   # noqa: E402

float_add = _binop("__add__", _op.add)
_binop("__radd__", lambda a, b: b + a)
float_sub = _binop("__sub__", _op.sub)
_binop("__rsub__", lambda a, b: b - a)
float_mul = _binop("__mul__", _op.mul)
_binop("__rmul__", lambda a, b: b * a)
float_truediv = _binop("__truediv__", _op.truediv)
_binop("__rtruediv__", lambda a, b: b / a)
float_floordiv = _binop("__floordiv__", _op.floordiv)
_binop("__rfloordiv__", lambda a, b: b // a)
float_mod = _binop("__mod__", _op.mod)
_binop("__rmod__", lambda a, b: b % a)

for _name, _fn in (("__eq__", _op.eq), ("__ne__", _op.ne), ("__lt__", _op.lt),
                   ("__le__", _op.le), ("__gt__", _op.gt), ("__ge__", _op.ge)):
    _cmpop(_name, _fn)


@float_typedef.method("__divmod__")
def float_divmod(w_self, w_other):
    b = _other_float(w_other)
    if b is None:
        return w_NotImplemented
    try:
        q, r = divmod(w_self.v, b)
    except ArithmeticError as e:
        raise from_host_exception(e)
    from runtime import space
    return space.newtuple([new_float(q), new_float(r)])


@float_typedef.method("__rdivmod__")
def float_rdivmod(w_self, w_other):
    a = _other_float(w_other)
    if a is None:
        return w_NotImplemented
    try:
        q, r = divmod(a, w_self.v)
    except ArithmeticError as e:
        raise from_host_exception(e)
    from runtime import space
    return space.newtuple([new_float(q), new_float(r)])


def _is_none(w):
    return w is None or w.addr == _o.ADDR_None


@float_typedef.method("__pow__")
def float_pow(w_self, w_other, w_mod=None):
    """float_pow: a negative base to a fractional power gives a complex (as CPython)."""
    if not _is_none(w_mod):
        raise oefmt("TypeError", "pow() 3rd argument not allowed unless all arguments are integers")
    b = _other_float(w_other)
    if b is None:
        return w_NotImplemented
    try:
        return _num(w_self.v ** b)
    except (ArithmeticError, ValueError, MemoryError) as e:
        raise from_host_exception(e)


@float_typedef.method("__rpow__")
def float_rpow(w_self, w_other, w_mod=None):
    if not _is_none(w_mod):
        raise oefmt("TypeError", "pow() 3rd argument not allowed unless all arguments are integers")
    a = _other_float(w_other)
    if a is None:
        return w_NotImplemented
    try:
        return _num(a ** w_self.v)
    except (ArithmeticError, ValueError, MemoryError) as e:
        raise from_host_exception(e)


@float_typedef.method("__neg__")
def float_neg(w_self):
    return new_float(-w_self.v)


@float_typedef.method("__pos__")
def float_pos(w_self):
    return w_self if type(w_self) is W_Float else new_float(w_self.v)


@float_typedef.method("__abs__")
def float_abs(w_self):
    return new_float(abs(w_self.v))


@float_typedef.method("__bool__")
def float_bool(w_self):
    return newbool(w_self.v != 0.0)


@float_typedef.method("__float__")
def float_float(w_self):
    return w_self if type(w_self) is W_Float else new_float(w_self.v)


def _to_int(x):
    from runtime.intobject import new_int
    try:
        return new_int(int(x))
    except (ValueError, OverflowError, MemoryError) as e:
        raise from_host_exception(e)


@float_typedef.method("__int__")
def float_int(w_self):
    return _to_int(w_self.v)


float_typedef.methods["__trunc__"] = float_int


@float_typedef.method("__floor__")
def float_floor(w_self):
    try:
        return _to_int(math.floor(w_self.v))
    except (ValueError, OverflowError, MemoryError) as e:
        raise from_host_exception(e)


@float_typedef.method("__ceil__")
def float_ceil(w_self):
    try:
        return _to_int(math.ceil(w_self.v))
    except (ValueError, OverflowError, MemoryError) as e:
        raise from_host_exception(e)


@float_typedef.method("__round__")
def float_round(w_self, w_ndigits=None):
    try:
        if _is_none(w_ndigits):
            return _to_int(round(w_self.v))
        from runtime import space
        return new_float(round(w_self.v, space.index(w_ndigits)))
    except (ValueError, OverflowError, MemoryError) as e:
        raise from_host_exception(e)


@float_typedef.method("__hash__")
def float_hash(w_self):
    """float_hash: _Py_HashDouble, which for a NaN is the object's pointer hash
    (_Py_HashPointer of this very struct: its address rotated right by 4 bits)."""
    from runtime.intobject import new_int
    v = w_self.v
    if v != v:
        a = w_self.addr
        y = ((a >> 4) | (a << 60)) & 0xFFFFFFFFFFFFFFFF
        h = y - (1 << 64) if y >= (1 << 63) else y
        return new_int(-2 if h == -1 else h)
    return new_int(hash(v))


def float_repr_value(v):
    return float.__repr__(v)


@float_typedef.method("__repr__")
def float_repr(w_self):
    from runtime.unicodeobject import new_str
    return new_str(float.__repr__(w_self.v))


@float_typedef.method("__format__")
def float_format(w_self, w_spec):
    """format() of a number whose decoded host value formats it (float, complex)."""
    from runtime.unicodeobject import new_str, str_w
    spec = str_w(w_spec, "__format__() argument")
    if spec == "":                      # an empty spec formats as str(self)
        from runtime import space
        return space.str(w_self)
    try:
        return new_str(format(w_self.v, spec))
    except (ValueError, TypeError, MemoryError) as e:
        raise from_host_exception(e)


@float_typedef.method("is_integer")
def float_is_integer(w_self):
    return newbool(w_self.v.is_integer())


@float_typedef.method("hex")
def float_hex(w_self):
    from runtime.unicodeobject import new_str
    return new_str(w_self.v.hex())


@float_typedef.method("as_integer_ratio")
def float_as_integer_ratio(w_self):
    from runtime import space
    from runtime.intobject import new_int
    try:
        n, d = w_self.v.as_integer_ratio()
    except (ValueError, OverflowError, MemoryError) as e:
        raise from_host_exception(e)
    return space.newtuple([new_int(n), new_int(d)])


@float_typedef.method("conjugate")
def float_conjugate(w_self):
    return float_float(w_self)


@float_typedef.method("__getnewargs__")
def float_getnewargs(w_self):
    from runtime import space
    return space.newtuple([new_float(w_self.v)])


@float_typedef.method("__trunc__")
def float_trunc(w_self):
    return _to_int(w_self.v)


def _fromhex(w_type, w_s):
    from runtime.unicodeobject import str_w
    try:
        v = float.fromhex(str_w(w_s, "fromhex"))
    except (ValueError, OverflowError, MemoryError) as e:
        raise from_host_exception(e)
    return _finish_new(w_type, v)


def _getformat(w_type, w_typestr):
    """float.__getformat__('double' | 'float'): the host's answer (same machine)."""
    from runtime.unicodeobject import new_str, str_w
    try:
        return new_str(float.__getformat__(str_w(w_typestr, "__getformat__() argument")))
    except ValueError as e:
        raise from_host_exception(e)


float_typedef.methods["__getformat__"] = HostClassMethod(_getformat)
float_typedef.methods["fromhex"] = HostClassMethod(_fromhex)
float_typedef.methods["real"] = HostProperty(float_float, name="real")
float_typedef.methods["imag"] = HostProperty(lambda w_self: new_float(0.0), name="imag")


def float_from_object(w_x):
    """The host float that float(x) computes (PyFloat_FromString / PyNumber_Float)."""
    from runtime.object import W_Str, W_Bytes, W_ByteArray
    if isinstance(w_x, W_Float):
        return w_x.v
    if isinstance(w_x, W_Int):
        try:
            return float(w_x.v)
        except OverflowError:
            raise oefmt("OverflowError", "int too large to convert to float")
    if isinstance(w_x, (W_Str, W_Bytes, W_ByteArray)):
        if isinstance(w_x, W_ByteArray):
            from runtime.bytearrayobject import bytearray_value
            s = bytearray_value(w_x)
        else:
            s = w_x.v
        try:
            return float(s)
        except ValueError as e:
            raise from_host_exception(e)
    from runtime.intobject import call_special, typename
    w_r = call_special(w_x, "__float__")
    if w_r is not None:
        if not isinstance(w_r, W_Float):
            raise oefmt("TypeError", "%s.__float__ returned non-float (type %s)",
                        typename(w_x), typename(w_r))
        return w_r.v
    w_r = call_special(w_x, "__index__")
    if w_r is not None:
        if not isinstance(w_r, W_Int):
            raise oefmt("TypeError", "__index__ returned non-int (type %s)", typename(w_r))
        return float(w_r.v)
    from runtime.intobject import buffer_bytes
    data = buffer_bytes(w_x)
    if data is not None:
        try:
            return float(data)
        except ValueError as e:
            raise from_host_exception(e)
    raise oefmt("TypeError", "float() argument must be a string or a real number, not '%s'",
                typename(w_x))


def _finish_new(w_type, v):
    if w_type is None or w_type.addr == ADDR_PyFloat_Type:
        return new_float(v)
    return _o.new_subtype_instance(w_type, new_float(v))


@float_typedef.method("__new__")
def float_new(w_type, w_x=None):
    if w_x is None:
        return _finish_new(w_type, 0.0)
    if type(w_x) is W_Float and (w_type is None or w_type.addr == ADDR_PyFloat_Type):
        return w_x
    return _finish_new(w_type, float_from_object(w_x))
