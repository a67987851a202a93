"""complex: PyComplexObject built by beale (mirrors Objects/complexobject.c).

Layout (Include/cpython/complexobject.h): PyObject header + `Py_complex cval` = two doubles
(real, imag). Not a GC type. Arithmetic accepts complex, float and int operands (int and
float are converted as complex_from... / to_complex do) and uses host complex operations
as primitives; their errors ("complex division by zero", ...) are CPython's messages.
"""

import layout
from layout import ffi
from runtime import object as _o
from runtime.errors import oefmt
from runtime.object import (W_Complex, W_Float, W_Int, W_Str, object_typedef,
                            register_handle_class, new_handle, type_address,
                            from_host_exception, w_NotImplemented, HostProperty,
                            _REFCNT_WORD, _TYPE_WORD)
from runtime.typedef import TypeDef
from runtime.object import newbool  # noqa: E402
from runtime.intobject import new_int  # noqa: E402  (intobject imports none of us at import time)

_cast = ffi.cast
from runtime.object import _IPTR_P, _DOUBLE_P  # noqa: E402
_S = layout.struct("PyComplexObject")
_SIZE = _S.size
_REAL_OFF = _S.offset("cval.real")
_IMAG_OFF = _S.offset("cval.imag")
ADDR_PyComplex_Type = type_address("PyComplex_Type")


def build_complex(v, type_addr=ADDR_PyComplex_Type):
    """Allocate a PyComplexObject for host complex v (ob_refcnt 0)."""
    addr = _o.malloc(_SIZE)
    p = _cast(_IPTR_P, addr)
    p[_REFCNT_WORD] = 0
    p[_TYPE_WORD] = type_addr
    _cast(_DOUBLE_P, addr + _REAL_OFF)[0] = v.real
    _cast(_DOUBLE_P, addr + _IMAG_OFF)[0] = v.imag
    return addr


def new_complex(v):
    """The guest complex for host complex v (PyComplex_FromCComplex)."""
    v = complex(v)
    w = new_handle(W_Complex, build_complex(v))
    w.v = v
    return w


def _decode_complex(addr):
    return complex(_cast(_DOUBLE_P, addr + _REAL_OFF)[0], _cast(_DOUBLE_P, addr + _IMAG_OFF)[0])


W_Complex._decode = staticmethod(_decode_complex)
register_handle_class(ADDR_PyComplex_Type, W_Complex)
complex_typedef = TypeDef("complex", object_typedef, "PyComplex_Type", W_Complex)


def _other(w):
    """to_complex: complex, float or int operand as a host complex, else None."""
    if isinstance(w, W_Complex):
        return w.v
    if isinstance(w, W_Float):
        return complex(w.v)
    if isinstance(w, W_Int):
        try:
            return complex(float(w.v))
        except OverflowError:
            raise oefmt("OverflowError", "int too large to convert to float")
    return None


def _num(x):
    from runtime.intobject import _num as num
    return num(x)


def _binop(name, op):
    def fn(w_self, w_other):
        b = _other(w_other)
        if b is None:
            return w_NotImplemented
        try:
            return new_complex(op(w_self.v, b))
        except (ArithmeticError, ValueError, MemoryError) as e:
            raise from_host_exception(e)
    fn.__name__ = name
    complex_typedef.methods[name] = fn


import operator as _op   # noqa: E402

_binop("__add__", _op.add)
_binop("__radd__", lambda a, b: b + a)
_binop("__sub__", _op.sub)
_binop("__rsub__", lambda a, b: b - a)
_binop("__mul__", _op.mul)
_binop("__rmul__", lambda a, b: b * a)
_binop("__truediv__", _op.truediv)
_binop("__rtruediv__", lambda a, b: b / a)


@complex_typedef.method("__pow__")
def complex_pow(w_self, w_other, w_mod=None):
    if w_mod is not None and w_mod.addr != _o.ADDR_None:
        raise oefmt("ValueError", "complex modulo")
    b = _other(w_other)
    if b is None:
        return w_NotImplemented
    try:
        return new_complex(w_self.v ** b)
    except (ArithmeticError, ValueError, MemoryError) as e:
        raise from_host_exception(e)


@complex_typedef.method("__rpow__")
def complex_rpow(w_self, w_other, w_mod=None):
    a = _other(w_other)
    if a is None:
        return w_NotImplemented
    try:
        return new_complex(a ** w_self.v)
    except (ArithmeticError, ValueError, MemoryError) as e:
        raise from_host_exception(e)


def _eq(w_self, w_other):
    """complex_richcompare: == and != only; an int compares exactly with the real part."""
    v = w_self.v
    if isinstance(w_other, W_Int):
        return v.imag == 0.0 and v.real == w_other.v
    if isinstance(w_other, (W_Float, W_Complex)):
        return v == w_other.v
    return None


@complex_typedef.method("__eq__")
def complex_eq(w_self, w_other):
    r = _eq(w_self, w_other)
    return w_NotImplemented if r is None else newbool(r)


@complex_typedef.method("__ne__")
def complex_ne(w_self, w_other):
    r = _eq(w_self, w_other)
    return w_NotImplemented if r is None else newbool(not r)


for _n in ("__lt__", "__le__", "__gt__", "__ge__"):
    complex_typedef.methods[_n] = lambda w_self, w_other: w_NotImplemented


@complex_typedef.method("__neg__")
def complex_neg(w_self):
    return new_complex(-w_self.v)


@complex_typedef.method("__pos__")
def complex_pos(w_self):
    return w_self if type(w_self) is W_Complex else new_complex(w_self.v)


@complex_typedef.method("__abs__")
def complex_abs(w_self):
    from runtime.floatobject import new_float
    try:
        return new_float(abs(w_self.v))
    except OverflowError as e:
        raise from_host_exception(e)


@complex_typedef.method("__bool__")
def complex_bool(w_self):
    return newbool(w_self.v != 0)


@complex_typedef.method("__hash__")
def complex_hash(w_self):
    return new_int(hash(w_self.v))


@complex_typedef.method("__repr__")
def complex_repr(w_self):
    from runtime.unicodeobject import new_str
    return new_str(complex.__repr__(w_self.v))


@complex_typedef.method("__format__")
def complex_format(w_self, w_spec):
    from runtime.floatobject import float_format
    return float_format(w_self, w_spec)


@complex_typedef.method("__complex__")
def complex_complex(w_self):
    return w_self if type(w_self) is W_Complex else new_complex(w_self.v)


@complex_typedef.method("conjugate")
def complex_conjugate(w_self):
    return new_complex(w_self.v.conjugate())


@complex_typedef.method("__getnewargs__")
def complex_getnewargs(w_self):
    from runtime import space
    from runtime.floatobject import new_float
    return space.newtuple([new_float(w_self.v.real), new_float(w_self.v.imag)])


def _real(w_self):
    from runtime.floatobject import new_float
    return new_float(w_self.v.real)


def _imag(w_self):
    from runtime.floatobject import new_float
    return new_float(w_self.v.imag)


complex_typedef.methods["real"] = HostProperty(_real, name="real")
complex_typedef.methods["imag"] = HostProperty(_imag, name="imag")


def _part(w, argname):
    """A real or imag argument of complex(): complex, float, int, or __complex__/__float__."""
    c = _other(w)
    if c is not None:
        return c
    from runtime.intobject import call_special
    from runtime import space
    if space.lookup(w, "__complex__") is not None:
        w_r = call_special(w, "__complex__")
        if not isinstance(w_r, W_Complex):
            raise oefmt("TypeError", "__complex__ returned non-complex (type %s)",
                        space.typename(w_r))
        return w_r.v
    if space.lookup(w, "__float__") is not None or space.lookup(w, "__index__") is not None:
        from runtime.floatobject import float_from_object
        return complex(float_from_object(w))
    raise oefmt("TypeError", "complex() %s must be a number, not '%s'", argname,
                space.typename(w))


@complex_typedef.method("__new__")
def complex_new(w_type, w_real=None, w_imag=None, /, **kwargs_w):
    w_real = kwargs_w.pop("real", w_real)
    w_imag = kwargs_w.pop("imag", w_imag)
    if kwargs_w:
        raise oefmt("TypeError", "'%s' is an invalid keyword argument for complex()",
                    next(iter(kwargs_w)))
    if w_real is None:
        v = 0j
    elif isinstance(w_real, W_Str):
        if w_imag is not None:
            raise oefmt("TypeError", "complex() can't take second arg if first is a string")
        try:
            v = complex(w_real.v)
        except ValueError as e:
            raise from_host_exception(e)
    else:
        if w_imag is not None and isinstance(w_imag, W_Str):
            raise oefmt("TypeError", "complex() second arg can't be a string")
        r = _part(w_real, "first argument")
        if w_imag is None:
            v = r
        else:
            i = _part(w_imag, "second argument")
            # complex_new_impl: cr.real - ci.imag, cr.imag + ci.real
            v = complex(r.real - i.imag, r.imag + i.real)
    if w_type is None or w_type.addr == ADDR_PyComplex_Type:
        return new_complex(v)
    return _o.new_subtype_instance(w_type, new_complex(v))
