"""int and bool: PyLongObject built by beale (mirrors Objects/longobject.c, Objects/boolobject.c).

Layout on 3.11 (Include/cpython/longintrepr.h): a PyVarObject whose signed `ob_size` is the
number of 30-bit digits (negative for negative numbers, 0 for zero), followed by `ob_digit[]`
(least significant first). _PyLong_New allocates offsetof(PyLongObject, ob_digit) +
max(1, ndigits) * sizeof(digit) bytes; zero therefore has one digit, 0.
3.12+ replaces ob_size by `long_value.lv_tag` = ndigits << 3 | sign (0 positive, 1 zero,
2 negative); that branch lives in _write_size/_read_size.

Small ints -5..256 are prebuilt handles on structs beale built (not the host's), as
CPython's _PyLong_SMALL_INTS. True and False are the host's own Py_True / Py_False.

Arithmetic decodes both operands (cached in W_Int.v), computes with host ints (the
implementation language's primitive) and builds a new PyLongObject for the result.
"""

import sys

import layout
from layout import ffi
from runtime import object as _o
from runtime.errors import oefmt
from runtime.object import (W_Int, W_Bool, W_Float, HostProperty, HostClassMethod,
                            object_typedef, register_handle_class, new_handle, type_address,
                            from_host_exception, w_NotImplemented, _WORD)
from runtime.typedef import TypeDef

_cast = ffi.cast
from runtime.object import _IPTR_P  # noqa: E402

SHIFT = sys.int_info.bits_per_digit          # PyLong_SHIFT (30)
BASE = 1 << SHIFT
MASK = BASE - 1
SIZEOF_DIGIT = sys.int_info.sizeof_digit

_S = layout.struct("PyLongObject")
if _o.LONG_HAS_LV_TAG:
    _DIGIT_OFF = _S.offset("long_value.ob_digit")
    _SIZE_WORD = _S.offset("long_value.lv_tag") // _WORD
else:
    _DIGIT_OFF = _S.offset("ob_digit")
    _SIZE_WORD = _S.offset("ob_base.ob_size") // _WORD
_DIGIT_CTYPE = ffi.typeof("uint32_t *" if SIZEOF_DIGIT == 4 else "uint16_t *")

ADDR_PyLong_Type = type_address("PyLong_Type")
ADDR_PyBool_Type = type_address("PyBool_Type")
ADDR_True = _o.ADDR_True
ADDR_False = _o.ADDR_False

NSMALLNEGINTS = 5
NSMALLPOSINTS = 257


# ---------------------------------------------------------------- encoding / decoding
if _o.LONG_HAS_LV_TAG:
    def _write_size(p, ndigits, negative):
        sign = 2 if negative else (1 if ndigits == 0 else 0)
        p[_SIZE_WORD] = (ndigits << 3) | sign

    def _read_size(p):
        tag = p[_SIZE_WORD]
        n = tag >> 3
        return -n if (tag & 3) == 2 else n
else:
    def _write_size(p, ndigits, negative):
        p[_SIZE_WORD] = -ndigits if negative else ndigits

    def _read_size(p):
        return p[_SIZE_WORD]


def _decode_int(addr):
    """Read the value of the PyLongObject at addr (sign from ob_size, 30-bit digits)."""
    size = _read_size(_cast(_IPTR_P, addr))
    if size == 0:
        return 0
    d = _cast(_DIGIT_CTYPE, addr + _DIGIT_OFF)
    n = size if size > 0 else -size
    if n == 1:
        v = d[0]
    else:
        v = 0
        for digit in reversed(ffi.unpack(d, n)):
            v = (v << SHIFT) | digit
    return v if size > 0 else -v


if _o.LONG_HAS_LV_TAG:
    _HEADER_FIELDS = [("ob_base.ob_refcnt", "q"), ("ob_base.ob_type", "Q"),
                      ("long_value.lv_tag", "Q")]
    _DIGIT_PATH = "long_value.ob_digit"
    _HEADER = _o.Packer("PyLongObject", _HEADER_FIELDS)

    def _size_word(ndigits, negative):
        return (ndigits << 3) | (2 if negative else (1 if ndigits == 0 else 0))
else:
    _HEADER_FIELDS = [("ob_base.ob_base.ob_refcnt", "q"), ("ob_base.ob_base.ob_type", "Q"),
                      ("ob_base.ob_size", "q")]
    _DIGIT_PATH = "ob_digit"
    _HEADER = _o.Packer("PyLongObject", _HEADER_FIELDS)

    def _size_word(ndigits, negative):
        return -ndigits if negative else ndigits
assert _HEADER.size == _DIGIT_OFF
_pack_header = _HEADER.pack
_DIGIT_CODE = "I" if SIZEOF_DIGIT == 4 else "H"
import struct as _hoststruct     # noqa: E402
_pack_digit = _hoststruct.Struct("=" + _DIGIT_CODE).pack


def int_struct_bytes(v, type_addr=ADDR_PyLong_Type):
    """The bytes of the PyLongObject _PyLong_New + the digit loop of PyLong_FromLong build
    for host int v (ob_refcnt 0): header, then max(1, ndigits) 30-bit digits."""
    negative = v < 0
    a = -v if negative else v
    if a < BASE:
        return _pack_header(0, type_addr, _size_word(1 if a else 0, negative)) + _pack_digit(a)
    if a < _BASE3:          # 2 or 3 digits (hashes, 64-bit values): one pack call
        if a < _BASE2:
            return _PACK2(0, type_addr, _size_word(2, negative), a & MASK, a >> SHIFT)
        return _PACK3(0, type_addr, _size_word(3, negative), a & MASK, (a >> SHIFT) & MASK,
                      a >> (2 * SHIFT))
    digits = []
    while a:
        digits.append(a & MASK)
        a >>= SHIFT
    n = len(digits)
    return (_pack_header(0, type_addr, _size_word(n, negative)) +
            _hoststruct.pack("=%d%s" % (n, _DIGIT_CODE), *digits))


def build_int(v, type_addr=ADDR_PyLong_Type):
    """Allocate the PyLongObject for host int v; returns its address with ob_refcnt 0."""
    data = int_struct_bytes(v, type_addr)
    addr = _o.malloc(len(data))
    ffi.memmove(_cast("void *", addr), data, len(data))
    return addr


def _new_int_nocache(v):
    w = new_handle(W_Int, build_int(v))
    w.v = v
    return w


_SMALL = [_o.share_handle(_new_int_nocache(i)) for i in range(-NSMALLNEGINTS, NSMALLPOSINTS)]


_new_from_bytes = _o.new_from_bytes
_PACK1 = _o.Packer("PyLongObject", [_HEADER_FIELDS[0], _HEADER_FIELDS[1], _HEADER_FIELDS[2],
                                    (_DIGIT_PATH, _DIGIT_CODE)]).pack


_ONE_DIGIT = _size_word(1, False)
_BASE2 = BASE * BASE
_BASE3 = _BASE2 * BASE
# header + exactly 2 / 3 digits (the digit array continues past the struct's ob_digit[1])
_PACK2 = _hoststruct.Struct(_HEADER._struct.format + 2 * _DIGIT_CODE).pack
_PACK3 = _hoststruct.Struct(_HEADER._struct.format + 3 * _DIGIT_CODE).pack


_fast_int1 = _o.FAST_CONSTRUCTORS.get("int1")
_fast_intn = _o.FAST_CONSTRUCTORS.get("intn")      # ints of two or more digits
_new = object.__new__


def new_int(v):
    """The guest int for host int `v` (a bool is taken as its int value).  One-digit
    ints are built by build_ffi's beale_fast_int1 (malloc and fill in one call)."""
    if -NSMALLNEGINTS <= v < NSMALLPOSINTS:
        return _SMALL[v + NSMALLNEGINTS]
    if -BASE < v < BASE:
        ref = _fast_int1(v)
        w = _new(W_Int)
        w.addr = id(ref)
        w.ref = ref
        w.v = v
        return w
    if _fast_intn is not None and v.__class__ is int:
        ref = _fast_intn(v)                 # more digits: beale_fast_intn copies them
        w = _new(W_Int)
        w.addr = id(ref)
        w.ref = ref
        w.v = v
        return w
    return new_int_packed(v)


def new_int_packed(v):
    """new_int building every struct from packed bytes through object._malloc (allocstats
    puts this one in place of new_int, to count the allocations)."""
    if -NSMALLNEGINTS <= v < NSMALLPOSINTS:
        return _SMALL[v + NSMALLNEGINTS]
    if 0 < v < BASE:                       # one positive digit: the commonest case
        w = _new_from_bytes(W_Int, _PACK1(0, ADDR_PyLong_Type, _ONE_DIGIT, v))
    elif -BASE < v < 0:
        w = _new_from_bytes(W_Int, _PACK1(0, ADDR_PyLong_Type, _size_word(1, True), -v))
    else:
        w = _new_from_bytes(W_Int, int_struct_bytes(v))
    w.v = v
    return w


if _fast_int1 is None:
    new_int = new_int_packed        # noqa: F811  (3.12+, or an older layout module)


def small_int(v):
    """Prebuilt handle for -5 <= v <= 256."""
    return _SMALL[v + NSMALLNEGINTS]


W_Int._decode = staticmethod(_decode_int)
register_handle_class(ADDR_PyLong_Type, W_Int)
w_True = _o.w_True          # the host's own Py_True / Py_False (W_Bool registered in object)
w_False = _o.w_False


newbool = _o.newbool


int_typedef = TypeDef("int", object_typedef, "PyLong_Type", W_Int)
bool_typedef = TypeDef("bool", int_typedef, "PyBool_Type", W_Bool)


# ---------------------------------------------------------------- helpers
def _num(x):
    """Wrap a host number computed by a primitive: int, float or complex."""
    t = type(x)
    if t is int:
        return new_int(x)
    if t is float:
        return _new_float(x)          # bound at the bottom of this module
    if t is bool:
        return newbool(x)
    if t is complex:
        from runtime.complexobject import new_complex
        return new_complex(x)
    raise SystemError("unexpected host value %r" % (x,))


def typename(w):
    """The guest-visible type name of a handle (for error messages)."""
    td = type(w).typedef
    if td is not None:
        return td.name
    return "object"


def _binop(name, op):
    """int.__name__(self, other): both ints → op on host ints; else NotImplemented."""
    def fn(w_self, w_other):
        if not isinstance(w_other, W_Int):
            return w_NotImplemented
        try:
            r = op(w_self.v, w_other.v)
        except (ArithmeticError, ValueError, MemoryError) as e:
            raise from_host_exception(e)
        if type(r) is int:                      # fast path (truediv gives a float)
            return new_int(r)
        return _num(r)
    fn.__name__ = name
    int_typedef.methods[name] = fn
    return fn


def _cmpop(name, op):
    def fn(w_self, w_other):
        if not isinstance(w_other, W_Int):
            return w_NotImplemented
        return w_True if op(w_self.v, w_other.v) else w_False
    fn.__name__ = name
    int_typedef.methods[name] = fn
    return fn


import operator as _op   # noqa: E402  (host primitives on host ints)

int_add = _binop("__add__", _op.add)
_binop("__radd__", lambda a, b: b + a)
int_sub = _binop("__sub__", _op.sub)
_binop("__rsub__", lambda a, b: b - a)
int_mul = _binop("__mul__", _op.mul)
_binop("__rmul__", lambda a, b: b * a)
int_floordiv = _binop("__floordiv__", _op.floordiv)
_binop("__rfloordiv__", lambda a, b: b // a)
int_truediv = _binop("__truediv__", _op.truediv)
_binop("__rtruediv__", lambda a, b: b / a)
int_mod = _binop("__mod__", _op.mod)
_binop("__rmod__", lambda a, b: b % a)
int_lshift = _binop("__lshift__", _op.lshift)
_binop("__rlshift__", lambda a, b: b << a)
int_rshift = _binop("__rshift__", _op.rshift)
_binop("__rrshift__", lambda a, b: b >> a)
int_and = _binop("__and__", _op.and_)
_binop("__rand__", lambda a, b: b & a)
int_or = _binop("__or__", _op.or_)
_binop("__ror__", lambda a, b: b | a)
int_xor = _binop("__xor__", _op.xor)
_binop("__rxor__", lambda a, b: b ^ a)

int_eq = _cmpop("__eq__", _op.eq)
int_ne = _cmpop("__ne__", _op.ne)
int_lt = _cmpop("__lt__", _op.lt)
int_le = _cmpop("__le__", _op.le)
int_gt = _cmpop("__gt__", _op.gt)
int_ge = _cmpop("__ge__", _op.ge)


def _divmod_tuple(q, r):
    from runtime import space
    return space.newtuple([_num(q), _num(r)])


@int_typedef.method("__divmod__")
def int_divmod(w_self, w_other):
    if not isinstance(w_other, W_Int):
        return w_NotImplemented
    try:
        q, r = divmod(w_self.v, w_other.v)
    except ArithmeticError as e:
        raise from_host_exception(e)
    return _divmod_tuple(q, r)


@int_typedef.method("__rdivmod__")
def int_rdivmod(w_self, w_other):
    if not isinstance(w_other, W_Int):
        return w_NotImplemented
    return int_divmod(w_other, w_self)


@int_typedef.method("__pow__")
def int_pow(w_self, w_other, w_mod=None):
    """long_pow: int ** int (negative exponent gives a float), 3-argument pow with modulus."""
    if not isinstance(w_other, W_Int):
        return w_NotImplemented
    try:
        if w_mod is None or w_mod.addr == _o.ADDR_None:
            return _num(w_self.v ** w_other.v)
        if not isinstance(w_mod, W_Int):
            return w_NotImplemented
        return _num(pow(w_self.v, w_other.v, w_mod.v))
    except (ArithmeticError, ValueError, MemoryError) as e:
        raise from_host_exception(e)


@int_typedef.method("__rpow__")
def int_rpow(w_self, w_other, w_mod=None):
    if not isinstance(w_other, W_Int):
        return w_NotImplemented
    return int_pow(w_other, w_self, w_mod)


@int_typedef.method("__neg__")
def int_neg(w_self):
    return new_int(-w_self.v)


@int_typedef.method("__pos__")
def int_pos(w_self):
    return w_self if type(w_self) is W_Int else new_int(int(w_self.v))


@int_typedef.method("__abs__")
def int_abs(w_self):
    v = w_self.v
    return new_int(-v if v < 0 else int(v))


@int_typedef.method("__invert__")
def int_invert(w_self):
    return new_int(~w_self.v)


@int_typedef.method("__bool__")
def int_bool(w_self):
    return w_True if w_self.v else w_False


def _int_self(w_self):
    """int(self) for exact ints returns self; for bool/subclasses a new exact int."""
    return w_self if type(w_self) is W_Int else new_int(int(w_self.v))


int_typedef.methods["__index__"] = _int_self
int_typedef.methods["__int__"] = _int_self
int_typedef.methods["__trunc__"] = _int_self
int_typedef.methods["__floor__"] = _int_self
int_typedef.methods["__ceil__"] = _int_self
int_typedef.methods["conjugate"] = _int_self


@int_typedef.method("__round__")
def int_round(w_self, w_ndigits=None):
    if w_ndigits is None or w_ndigits.addr == _o.ADDR_None:
        return _int_self(w_self)
    from runtime import space
    n = space.index(w_ndigits)
    return new_int(round(int(w_self.v), n))


@int_typedef.method("__float__")
def int_float(w_self):
    from runtime.floatobject import new_float
    try:
        return new_float(float(w_self.v))
    except OverflowError as e:
        raise from_host_exception(e)


@int_typedef.method("__hash__")
def int_hash(w_self):
    return new_int(hash(w_self.v))


def int_repr_value(v):
    try:
        return int.__repr__(v)
    except ValueError as e:          # sys.set_int_max_str_digits limit
        raise from_host_exception(e)


@int_typedef.method("__repr__")
def int_repr(w_self):
    from runtime.unicodeobject import new_str
    return new_str(int_repr_value(w_self.v))


@int_typedef.method("__format__")
def int_format(w_self, w_spec):
    from runtime.unicodeobject import new_str, str_w
    spec = str_w(w_spec, "__format__() argument")
    if spec == "":                      # an empty spec formats as str(self) (bool: 'True')
        from runtime import space
        return space.str(w_self)
    try:
        return new_str(format(int(w_self.v), spec))
    except (ValueError, TypeError, OverflowError, MemoryError) as e:
        raise from_host_exception(e)


@int_typedef.method("__getnewargs__")
def int_getnewargs(w_self):
    from runtime import space
    return space.newtuple([new_int(int(w_self.v))])


@int_typedef.method("__sizeof__")
def int_sizeof(w_self):
    """int___sizeof___impl: the header plus max(1, |ndigits|) digits (zero has one)."""
    if not isinstance(w_self, W_Int):
        raise oefmt("TypeError", "descriptor '__sizeof__' for 'int' objects doesn't apply "
                    "to a '%s' object", typename(w_self))
    n = max(abs(_read_size(_cast(_IPTR_P, w_self.addr))), 1)
    return new_int(_DIGIT_OFF + n * SIZEOF_DIGIT)


@int_typedef.method("bit_length")
def int_bit_length(w_self):
    return new_int(w_self.v.bit_length())


@int_typedef.method("bit_count")
def int_bit_count(w_self):
    return new_int(int(w_self.v).bit_count())


@int_typedef.method("as_integer_ratio")
def int_as_integer_ratio(w_self):
    from runtime import space
    return space.newtuple([new_int(int(w_self.v)), _SMALL[1 + NSMALLNEGINTS]])


def _str_arg(w, fname, argname):
    from runtime.unicodeobject import W_Str
    if not isinstance(w, W_Str):
        raise oefmt("TypeError", "%s() argument '%s' must be str, not %s",
                    fname, argname, typename(w))
    return w.v


@int_typedef.method("to_bytes")
def int_to_bytes(w_self, w_length=None, w_byteorder=None, signed=None):
    """int.to_bytes(length=1, byteorder='big', *, signed=False)."""
    from runtime import space
    from runtime.bytesobject import new_bytes
    length = 1 if w_length is None else space.index(w_length)
    order = "big" if w_byteorder is None else _str_arg(w_byteorder, "to_bytes", "byteorder")
    sgn = False if signed is None else space.is_true(signed)
    try:
        return new_bytes(int(w_self.v).to_bytes(length, order, signed=sgn))
    except (OverflowError, ValueError, MemoryError) as e:
        raise from_host_exception(e)


def _from_bytes_arg(w_x):
    """The bytes of int.from_bytes' first argument: PyObject_Bytes (a buffer, __bytes__,
    or any iterable of ints, e.g. a map object), but never bytes(n) of an int or a str."""
    from runtime import space
    from runtime.bytesobject import bytes_like_w, bytes_from_object
    from runtime.errors import OperationError
    from runtime.unicodeobject import W_Str
    try:
        return bytes_like_w(w_x)
    except OperationError:
        pass
    if (isinstance(w_x, W_Str) or space.lookup(w_x, "__bytes__") is None
            and space.lookup(w_x, "__iter__") is None
            and space.lookup(w_x, "__getitem__") is None):
        raise oefmt("TypeError", "cannot convert '%s' object to bytes", typename(w_x))
    return bytes_from_object(w_x)


def _int_from_bytes(w_type, w_bytes, w_byteorder=None, signed=None):
    """int.from_bytes(bytes, byteorder='big', *, signed=False) (classmethod)."""
    from runtime import space
    data = _from_bytes_arg(w_bytes)
    order = "big" if w_byteorder is None else _str_arg(w_byteorder, "from_bytes", "byteorder")
    sgn = False if signed is None else space.is_true(signed)
    try:
        v = int.from_bytes(data, order, signed=sgn)
    except ValueError as e:
        raise from_host_exception(e)
    w_v = new_int(v)
    if w_type is not None and getattr(w_type, "addr", ADDR_PyLong_Type) != ADDR_PyLong_Type:
        return space.call(w_type, [w_v], None)
    return w_v


int_typedef.methods["from_bytes"] = HostClassMethod(_int_from_bytes)


def _int_getset(name, fget):
    int_typedef.methods[name] = HostProperty(fget, name=name)


_int_getset("real", _int_self)
_int_getset("imag", lambda w_self: _SMALL[NSMALLNEGINTS])
_int_getset("numerator", _int_self)
_int_getset("denominator", lambda w_self: _SMALL[1 + NSMALLNEGINTS])


# ---------------------------------------------------------------- int(x, base)
def int_from_object(w_x, w_base=None):
    """The value int(x[, base]) computes (PyNumber_Long / PyLong_FromUnicodeObject),
    as a host int. Calls guest __int__/__index__/__trunc__ through runtime.space."""
    from runtime.unicodeobject import W_Str
    from runtime.bytesobject import W_Bytes
    from runtime.object import W_ByteArray
    if w_base is not None:
        from runtime import space
        base = space.index(w_base)
        if isinstance(w_x, W_Str):
            s = w_x.v
        elif isinstance(w_x, W_Bytes):
            s = w_x.v
        elif isinstance(w_x, W_ByteArray):
            from runtime.bytearrayobject import bytearray_value
            s = bytearray_value(w_x)
        else:
            raise oefmt("TypeError", "int() can't convert non-string with explicit base")
        try:
            return int(s, base)
        except ValueError as e:
            raise from_host_exception(e)
    if isinstance(w_x, W_Int) and type(w_x).typedef is int_typedef or type(w_x) is W_Bool:
        return int(w_x.v)
    if isinstance(w_x, W_Float):
        try:
            return int(w_x.v)
        except (ValueError, OverflowError, MemoryError) as e:
            raise from_host_exception(e)
    if isinstance(w_x, W_Str):
        try:
            return int(w_x.v)
        except ValueError as e:
            raise from_host_exception(e)
    from runtime.bytesobject import W_Bytes as _WB
    if isinstance(w_x, _WB):
        try:
            return int(w_x.v)
        except ValueError as e:
            raise from_host_exception(e)
    if isinstance(w_x, W_ByteArray):
        from runtime.bytearrayobject import bytearray_value
        try:
            return int(bytearray_value(w_x))
        except ValueError as e:
            raise from_host_exception(e)
    # generic: __int__, then __index__, then __trunc__ (PyNumber_Long)
    from runtime import space
    w_res = call_special(w_x, "__int__")
    if w_res is not None:
        return _exact_int_result(w_res, "__int__")
    if space.lookup(w_x, "__index__") is not None:
        return space.index(w_x)
    f_trunc = space.lookup(w_x, "__trunc__")
    if f_trunc is not None:
        from runtime.interp.syntaxwarn import warn
        warn("DeprecationWarning", "The delegation of int() to __trunc__ is deprecated.")
        w_res = space.call_special(f_trunc, w_x)
        if isinstance(w_res, W_Int):
            return int(w_res.v)
        # __trunc__ should return an Integral; int() takes anything with __index__
        if space.lookup(w_res, "__index__") is None:
            raise oefmt("TypeError", "__trunc__ returned non-Integral (type %s)",
                        typename(w_res))
        return space.index(w_res)
    data = buffer_bytes(w_x)
    if data is not None:
        try:
            return int(data)
        except ValueError as e:
            raise from_host_exception(e)
    raise oefmt("TypeError",
                "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                typename(w_x))


def _exact_int_result(w_res, name):
    """The value of an __int__/__index__ result: an int, exact or (deprecated, issue
    #17576) of a strict subclass, with CPython's DeprecationWarning."""
    if w_res.__class__ is W_Int:
        return w_res.v
    if not isinstance(w_res, W_Int):
        raise oefmt("TypeError", "%s returned non-int (type %s)", name, typename(w_res))
    from runtime.interp.syntaxwarn import warn
    warn("DeprecationWarning", "%s returned non-int (type %s).  The ability to return an "
         "instance of a strict subclass of int is deprecated, and may be removed in a "
         "future version of Python." % (name, typename(w_res)))
    return int(w_res.v)


def buffer_bytes(w_x):
    """The bytes of an object with the buffer protocol that beale does not model
    (memoryview, array.array: foreign objects), or None (PyObject_GetBuffer in
    PyNumber_Long / PyFloat_FromString)."""
    from runtime import foreign
    if not isinstance(w_x, foreign.W_Foreign):
        return None
    try:
        return bytes(memoryview(foreign.host_object(w_x)))
    except (TypeError, ValueError):
        return None


def call_special(w_obj, name, *args_w):
    """Call the special method `name` found on type(w_obj), or return None if absent."""
    from runtime import space
    f = space.lookup(w_obj, name)
    if f is None:
        return None
    return space.call_special(f, w_obj, *args_w)


@int_typedef.method("__new__")
def int_new(w_type, w_x=None, w_base=None, /, **kwargs_w):
    if "base" in kwargs_w:
        w_base = kwargs_w.pop("base")
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for int()",
                    next(iter(kwargs_w)))
    if w_x is None:
        if w_base is not None:
            raise oefmt("TypeError", "int() missing string argument")
        v = 0
    else:
        v = int_from_object(w_x, w_base)
    if w_type is None or w_type.addr == ADDR_PyLong_Type:
        return new_int(v)
    from runtime.tupleobject import check_new_type
    check_new_type(w_type, int_typedef)
    return _o.new_subtype_instance(w_type, new_int(v))


# ---------------------------------------------------------------- bool
@bool_typedef.method("__repr__")
def bool_repr(w_self):
    from runtime.unicodeobject import new_str
    return new_str("True" if w_self.addr == ADDR_True else "False")


def _boolop(name, op):
    int_fn = int_typedef.methods[name]

    def fn(w_self, w_other):
        if type(w_other) is W_Bool:
            return newbool(op(w_self.v, w_other.v))
        return int_fn(w_self, w_other)
    fn.__name__ = name
    bool_typedef.methods[name] = fn


for _name, _fn in (("__and__", _op.and_), ("__rand__", _op.and_), ("__or__", _op.or_),
                   ("__ror__", _op.or_), ("__xor__", _op.xor), ("__rxor__", _op.xor)):
    _boolop(_name, _fn)


@bool_typedef.method("__new__")
def bool_new(w_type, w_x=None):
    if w_x is None:
        return w_False
    from runtime import space
    return newbool(space.is_true(w_x))


# floatobject imports nothing from this module at import time, so it can be bound here,
# at the bottom (int / int and friends make floats on a hot path).
from runtime.floatobject import new_float as _new_float  # noqa: E402
