"""The generic object protocols (CPython's Objects/abstract.c and Objects/object.c).

Every part of beale operates on guest objects through these functions. They take and
return handles (runtime.object.W_Object) unless said otherwise, and signal guest
exceptions by raising runtime.errors.OperationError.

Dispatch
--------
`type(w).typedef` is the TypeDef of a handle's guest type (one attribute load).
`lookup(w, name)` finds a special method along the type's MRO. What it returns is either
  * a host function `fn(w_self, *args_w)` (a method implemented by beale, from a
    built-in TypeDef), or
  * a host descriptor helper from runtime.typeobject (`HostProperty`, `HostClassMethod`,
    `HostStaticMethod`), or
  * a guest object (a handle): a guest function, classmethod, property, any value
    stored in a guest class dict.
`call_special(f, w_self, *args_w)` calls such a lookup result as a method.

Conventions
-----------
* `next(w)` returns None when the iterator is exhausted (it never returns a handle that
  is None-the-host-object otherwise); StopIteration raised by guest `__next__` is turned
  into that None. `iterate(w)` is a host generator of handles.
* `hash(w)` returns a host int, `is_true`/`eq`/`lt`/`isinstance`/`issubclass` host bools,
  `len(w)`/`index(w)` host ints. Everything else returns handles.
* Fast paths for exact int/float/str come first in each function.
"""

import builtins as _hb

from runtime.errors import OperationError, oefmt, host_call_type_error
from runtime import object as _object
from runtime.object import (W_Object, W_Int, W_Bool, W_Float, W_Str, w_None, w_True,
                            w_False, w_NotImplemented, w_Ellipsis, wrap)

# Handles are not unique per object: singletons are compared by address.
_ADDR_NI = _object.ADDR_NotImplemented
_ADDR_None = _object.ADDR_None


# --- constructors (thin adapters over the object modules) --------------------------------

def _lazy(modname, fname):
    """Bind a constructor from an object module on first use (avoids import cycles)."""
    box = []

    def call(*args):
        if not box:
            mod = __import__("runtime." + modname, fromlist=[fname])
            box.append(_hb.getattr(mod, fname))
        return box[0](*args)
    call.__name__ = fname
    return call


from runtime.intobject import new_int as _new_int          # noqa: E402
from runtime.floatobject import new_float as newfloat      # noqa: E402
from runtime.unicodeobject import new_str as _new_str      # noqa: E402

newcomplex = _lazy("complexobject", "new_complex")
newbytes = _lazy("bytesobject", "new_bytes")
newtuple = _lazy("tupleobject", "new_tuple")
newlist = _lazy("listobject", "new_list")
_new_dict = _lazy("dictobject", "new_dict")
newset = _lazy("setobject", "new_set")
newfrozenset = _lazy("setobject", "new_frozenset")
newslice = _lazy("sliceobject", "new_slice")
def newcell(w_value=None):
    """A new guest cell (PyCellObject); the containers' cellobject when present."""
    try:
        from runtime.cellobject import new_cell
    except ImportError:
        from runtime.interp.frame import new_cell_fallback as new_cell
    return new_cell(w_value)


def newint(v):
    """Guest int for host int v (small ints come from the object core's cache)."""
    return _new_int(v)


def newbool(b):
    return w_True if b else w_False


def newstr(s):
    return _new_str(s)


def newdict(items=None):
    """A new guest dict, optionally filled from host pairs (w_key, w_value)."""
    w_d = _new_dict()
    if items:
        for w_k, w_v in items:
            setitem(w_d, w_k, w_v)
    return w_d


_str_cache = {}


def newtext(s):
    """Guest str for an identifier-like host str, cached (names, attribute keys)."""
    w = _str_cache.get(s)
    if w is None:
        w = _str_cache[s] = _new_str(s)
    return w


def wrap_host(value):
    """Guest object for a host constant (None/bool/int/float/str/bytes/tuple/complex...)."""
    if value is None:
        return w_None
    t = value.__class__
    if t is bool:
        return w_True if value else w_False
    if t is int:
        return newint(value)
    if t is float:
        return newfloat(value)
    if t is _hb.str:
        return newstr(value)
    if t is bytes:
        return newbytes(value)
    if t is complex:
        return newcomplex(value)
    if t is tuple:
        return newtuple([wrap_host(x) for x in value])
    if t is frozenset:
        return newfrozenset([wrap_host(x) for x in value])
    if value is Ellipsis:
        return w_Ellipsis
    if _hb.isinstance(value, W_Object):
        return value
    raise TypeError("wrap_host: cannot wrap %r" % (value,))


# --- types -------------------------------------------------------------------------------

def _typeobject():
    from runtime import typeobject
    return typeobject


def type(w):
    """The guest type object (a W_Type handle) of w: what guest `type(w)` returns."""
    return _T.type_of(w)


def typedef_of(w):
    return w.__class__.typedef


def lookup(w, name):
    """Find special method `name` on type(w) (MRO walk, cached), or None."""
    return w.__class__.typedef.lookup(name)


def call_special(f, w_self, *args_w):
    """Call the result of `lookup` as a method bound to w_self."""
    if _hb.isinstance(f, W_Object):
        return _T.call_descriptor_method(f, w_self, args_w)
    if f.__class__ is _HostFunctionType:
        try:
            return f(w_self, *args_w)
        except TypeError as e:
            operr = host_call_type_error(e)
            if operr is None:
                raise
            raise operr from None
    return _T.call_host_descriptor(f, w_self, args_w)


def _fn():
    pass


_HostFunctionType = _fn.__class__


def typename(w):
    """The guest type's __name__ as a host str (for messages)."""
    return w.__class__.typedef.name


def isinstance_w(w, w_type):
    """Guest isinstance(w, cls) for a single class handle (host bool)."""
    return _T.isinstance_w(w, w_type)


def issubtype_td(td, td_base):
    """True if TypeDef td is td_base or a subclass of it."""
    return _T.issubtype_td(td, td_base)


def isinstance(w, w_cls):
    """Guest isinstance(w, w_cls), with tuples and __instancecheck__ (host bool)."""
    return _T.isinstance_full(w, w_cls)


def issubclass(w_cls, w_base):
    return _T.issubclass_full(w_cls, w_base)


# --- truth, hash, equality ---------------------------------------------------------------

def is_true(w):
    """Guest bool(w) as a host bool (PyObject_IsTrue)."""
    if w is w_True:
        return True
    if w is w_False or w is w_None or w.addr == _ADDR_None:
        return False
    cls = w.__class__
    if cls is W_Int or cls is W_Float or cls is W_Str:
        return bool(w.v)
    if cls is W_Bool:
        return bool(w.v)
    td = cls.typedef
    f = td.lookup("__bool__")
    if f is not None:
        w_r = call_special(f, w)
        if w_r is w_True:
            return True
        if w_r is w_False:
            return False
        if w_r.__class__ is W_Bool:
            return bool(w_r.v)
        raise oefmt("TypeError", "__bool__ should return bool, returned %s", typename(w_r))
    f = td.lookup("__len__")
    if f is not None:
        return _len_result(call_special(f, w)) != 0
    return True


def hash(w):
    """Guest hash(w) as a host int (PyObject_Hash)."""
    cls = w.__class__
    f = cls.typedef.lookup("__hash__")
    if f is None or f is w_None or (f.__class__ is _object.W_None):
        raise oefmt("TypeError", "unhashable type: '%s'", cls.typedef.name)
    w_h = call_special(f, w)
    if not _object_isint(w_h):
        raise oefmt("TypeError", "__hash__ method should return an integer")
    h = int_w(w_h)
    if h.__class__ is not int or not (-(1 << 63) <= h < (1 << 63)) or h == -1:
        # CPython reduces big hashes modulo 2**61-1 through long's own hash
        h = _reduce_hash(h)
    return h


def _reduce_hash(h):
    m = (1 << 61) - 1
    r = _hb.abs(h) % m
    if h < 0:
        r = -r
    if r == -1:
        r = -2
    return r


def eq(w1, w2):
    """Guest `w1 == w2` as a host bool, with the identity shortcut of PyObject_RichCompareBool."""
    if w1 is w2:
        return True
    c1 = w1.__class__
    if c1 is w2.__class__ and (c1 is W_Int or c1 is W_Str or c1 is W_Float):
        return w1.v == w2.v
    if w1.addr == w2.addr:
        return True
    return is_true(richcompare(w1, w2, "__eq__"))


def ne(w1, w2):
    return not eq(w1, w2)


def lt(w1, w2):
    """Guest `w1 < w2` as a host bool."""
    c1 = w1.__class__
    if c1 is w2.__class__ and (c1 is W_Int or c1 is W_Str or c1 is W_Float):
        return w1.v < w2.v
    return is_true(richcompare(w1, w2, "__lt__"))


def le_w(w1, w2):
    return is_true(richcompare(w1, w2, "__le__"))


def is_w(w1, w2):
    return w1 is w2 or w1.addr == w2.addr


# --- rich comparison ---------------------------------------------------------------------

_REFLECTED_CMP = {"__lt__": "__gt__", "__le__": "__ge__", "__eq__": "__eq__",
                  "__ne__": "__ne__", "__gt__": "__lt__", "__ge__": "__le__"}
_CMP_SYMBOL = {"__lt__": "<", "__le__": "<=", "__eq__": "==", "__ne__": "!=",
               "__gt__": ">", "__ge__": ">="}


def _cmp_call(f, w_self, w_other):
    """Call a comparison slot found on the type. typeobject.c slot_tp_richcompare: when
    binding the attribute fails (a property raising AttributeError as __eq__), the
    comparison is NotImplemented rather than an error."""
    if _hb.isinstance(f, W_Object) and f.__class__ is not _T.functionobject.W_Function:
        try:
            w_m = _T._bind(f, w_self, None)
        except OperationError:
            return w_NotImplemented
        return call(w_m, [w_other])
    return call_special(f, w_self, w_other)


def richcompare(w1, w2, name):
    """PyObject_RichCompare: w1.name(w2) with CPython's reflection rules; returns a handle."""
    c1 = w1.__class__
    c2 = w2.__class__
    if c1 is c2 and (c1 is W_Int or c1 is W_Float or c1 is W_Str):
        a = w1.v
        b = w2.v
        if name == "__lt__":
            r = a < b
        elif name == "__le__":
            r = a <= b
        elif name == "__eq__":
            r = a == b
        elif name == "__ne__":
            r = a != b
        elif name == "__gt__":
            r = a > b
        else:
            r = a >= b
        return w_True if r else w_False
    td1 = c1.typedef
    td2 = c2.typedef
    rname = _REFLECTED_CMP[name]
    checked_reverse = False
    if td1 is not td2 and issubtype_td(td2, td1):
        f = td2.lookup(rname)
        if f is not None:
            checked_reverse = True
            w_r = _cmp_call(f, w2, w1)
            if w_r.addr != _ADDR_NI:
                return w_r
    f = td1.lookup(name)
    if f is not None:
        w_r = _cmp_call(f, w1, w2)
        if w_r.addr != _ADDR_NI:
            return w_r
    if not checked_reverse:
        f = td2.lookup(rname)
        if f is not None:
            w_r = _cmp_call(f, w2, w1)
            if w_r.addr != _ADDR_NI:
                return w_r
    if name == "__eq__":
        return w_True if is_w(w1, w2) else w_False
    if name == "__ne__":
        return w_False if is_w(w1, w2) else w_True
    raise oefmt("TypeError", "'%s' not supported between instances of '%s' and '%s'",
                _CMP_SYMBOL[name], td1.name, td2.name)


def compare_lt(w1, w2):
    return richcompare(w1, w2, "__lt__")


def compare_le(w1, w2):
    return richcompare(w1, w2, "__le__")


def compare_eq(w1, w2):
    return richcompare(w1, w2, "__eq__")


def compare_ne(w1, w2):
    return richcompare(w1, w2, "__ne__")


def compare_gt(w1, w2):
    return richcompare(w1, w2, "__gt__")


def compare_ge(w1, w2):
    return richcompare(w1, w2, "__ge__")


# --- binary operators --------------------------------------------------------------------

def binop(w1, w2, name, rname, symbol):
    """CPython's binary_op1 over dunder methods: the reflected method of a proper-subclass
    right operand first, NotImplemented skipping, TypeError at the end."""
    td1 = w1.__class__.typedef
    td2 = w2.__class__.typedef
    f1 = td1.lookup(name)
    f2 = None
    if td1 is not td2:
        f2 = td2.lookup(rname)
        if f2 is not None and issubtype_td(td2, td1) and f2 is not td1.lookup(rname):
            w_r = call_special(f2, w2, w1)
            if w_r.addr != _ADDR_NI:
                return w_r
            f2 = None
    if f1 is not None:
        w_r = call_special(f1, w1, w2)
        if w_r.addr != _ADDR_NI:
            return w_r
    if f2 is not None:
        w_r = call_special(f2, w2, w1)
        if w_r.addr != _ADDR_NI:
            return w_r
    raise oefmt("TypeError", "unsupported operand type(s) for %s: '%s' and '%s'",
                symbol, td1.name, td2.name)


def inplace_binop(w1, w2, iname, name, rname, symbol):
    """x op= y: __iop__ first, then the binary protocol."""
    f = w1.__class__.typedef.lookup(iname)
    if f is not None:
        w_r = call_special(f, w1, w2)
        if w_r.addr != _ADDR_NI:
            return w_r
    return binop(w1, w2, name, rname, symbol)


def add(w1, w2):
    c1 = w1.__class__
    if c1 is w2.__class__:
        if c1 is W_Int:
            return newint(w1.v + w2.v)
        if c1 is W_Float:
            return newfloat(w1.v + w2.v)
        if c1 is W_Str:
            return newstr(w1.v + w2.v)
    return binop(w1, w2, "__add__", "__radd__", "+")


def sub(w1, w2):
    c1 = w1.__class__
    if c1 is w2.__class__:
        if c1 is W_Int:
            return newint(w1.v - w2.v)
        if c1 is W_Float:
            return newfloat(w1.v - w2.v)
    return binop(w1, w2, "__sub__", "__rsub__", "-")


def mul(w1, w2):
    c1 = w1.__class__
    if c1 is w2.__class__:
        if c1 is W_Int:
            return newint(w1.v * w2.v)
        if c1 is W_Float:
            return newfloat(w1.v * w2.v)
    return binop(w1, w2, "__mul__", "__rmul__", "*")


def truediv(w1, w2):
    c1 = w1.__class__
    if c1 is w2.__class__ and c1 is W_Float and w2.v != 0.0:
        return newfloat(w1.v / w2.v)
    return binop(w1, w2, "__truediv__", "__rtruediv__", "/")


def floordiv(w1, w2):
    c1 = w1.__class__
    if c1 is W_Int and w2.__class__ is W_Int and w2.v != 0:
        return newint(w1.v // w2.v)
    return binop(w1, w2, "__floordiv__", "__rfloordiv__", "//")


def mod(w1, w2):
    c1 = w1.__class__
    if c1 is W_Int and w2.__class__ is W_Int and w2.v != 0:
        return newint(w1.v % w2.v)
    return binop(w1, w2, "__mod__", "__rmod__", "%")


def divmod(w1, w2):
    return binop(w1, w2, "__divmod__", "__rdivmod__", "divmod()")


def pow(w1, w2, w3=None):
    if w3 is None or w3.addr == _ADDR_None:
        c1 = w1.__class__
        if c1 is W_Int and w2.__class__ is W_Int and 0 <= w2.v <= 64 and -(1 << 64) < w1.v < (1 << 64):
            return newint(w1.v ** w2.v)
        return binop(w1, w2, "__pow__", "__rpow__", "** or pow()")
    f = w1.__class__.typedef.lookup("__pow__")
    if f is not None:
        w_r = call_special(f, w1, w2, w3)
        if w_r.addr != _ADDR_NI:
            return w_r
    raise oefmt("TypeError", "unsupported operand type(s) for pow(): '%s', '%s', '%s'",
                typename(w1), typename(w2), typename(w3))


def lshift(w1, w2):
    return binop(w1, w2, "__lshift__", "__rlshift__", "<<")


def rshift(w1, w2):
    return binop(w1, w2, "__rshift__", "__rrshift__", ">>")


def and_(w1, w2):
    if w1.__class__ is W_Int and w2.__class__ is W_Int:
        return newint(w1.v & w2.v)
    return binop(w1, w2, "__and__", "__rand__", "&")


def or_(w1, w2):
    if w1.__class__ is W_Int and w2.__class__ is W_Int:
        return newint(w1.v | w2.v)
    return binop(w1, w2, "__or__", "__ror__", "|")


def xor(w1, w2):
    if w1.__class__ is W_Int and w2.__class__ is W_Int:
        return newint(w1.v ^ w2.v)
    return binop(w1, w2, "__xor__", "__rxor__", "^")


def matmul(w1, w2):
    return binop(w1, w2, "__matmul__", "__rmatmul__", "@")


def _make_inplace(iname, name, rname, symbol, fast):
    def inplace(w1, w2):
        c1 = w1.__class__
        if c1 is w2.__class__ and (c1 is W_Int or c1 is W_Float or c1 is W_Str):
            return fast(w1, w2)
        return inplace_binop(w1, w2, iname, name, rname, symbol)
    inplace.__name__ = "inplace_" + name.strip("_")
    return inplace


inplace_add = _make_inplace("__iadd__", "__add__", "__radd__", "+=", add)
inplace_sub = _make_inplace("__isub__", "__sub__", "__rsub__", "-=", sub)
inplace_mul = _make_inplace("__imul__", "__mul__", "__rmul__", "*=", mul)
inplace_truediv = _make_inplace("__itruediv__", "__truediv__", "__rtruediv__", "/=", truediv)
inplace_floordiv = _make_inplace("__ifloordiv__", "__floordiv__", "__rfloordiv__", "//=", floordiv)
inplace_mod = _make_inplace("__imod__", "__mod__", "__rmod__", "%=", mod)
inplace_pow = _make_inplace("__ipow__", "__pow__", "__rpow__", "**=", pow)
inplace_lshift = _make_inplace("__ilshift__", "__lshift__", "__rlshift__", "<<=", lshift)
inplace_rshift = _make_inplace("__irshift__", "__rshift__", "__rrshift__", ">>=", rshift)
inplace_and = _make_inplace("__iand__", "__and__", "__rand__", "&=", and_)
inplace_or = _make_inplace("__ior__", "__or__", "__ror__", "|=", or_)
inplace_xor = _make_inplace("__ixor__", "__xor__", "__rxor__", "^=", xor)
inplace_matmul = _make_inplace("__imatmul__", "__matmul__", "__rmatmul__", "@=", matmul)


# --- unary operators ---------------------------------------------------------------------

def _unary(w, name, symbol):
    f = w.__class__.typedef.lookup(name)
    if f is None:
        raise oefmt("TypeError", "bad operand type for %s: '%s'", symbol, typename(w))
    return call_special(f, w)


def neg(w):
    c = w.__class__
    if c is W_Int:
        return newint(-w.v)
    if c is W_Float:
        return newfloat(-w.v)
    return _unary(w, "__neg__", "unary -")


def pos(w):
    c = w.__class__
    if c is W_Int or c is W_Float:
        return w
    return _unary(w, "__pos__", "unary +")


def invert(w):
    if w.__class__ is W_Int:
        return newint(~w.v)
    return _unary(w, "__invert__", "unary ~")


def abs(w):
    c = w.__class__
    if c is W_Int:
        return w if w.v >= 0 else newint(-w.v)
    if c is W_Float:
        return newfloat(-w.v if w.v < 0 else w.v) if w.v != 0 else newfloat(0.0)
    return _unary(w, "__abs__", "abs()")


def not_(w):
    return w_False if is_true(w) else w_True


# --- conversion helpers ------------------------------------------------------------------

def _object_isint(w):
    c = w.__class__
    return c is W_Int or c is W_Bool or _subclass_of_handle(c, W_Int)


def _subclass_of_handle(c, base):
    try:
        return issubclass_host(c, base)
    except TypeError:
        return False


issubclass_host = _hb.issubclass
isinstance_host = _hb.isinstance
_host_type = _hb.type
_host_len = _hb.len


def int_w(w):
    """Host int of a guest int (or int subclass / bool)."""
    c = w.__class__
    if c is W_Int or c is W_Bool or issubclass_host(c, W_Int):
        return w.v
    raise oefmt("TypeError", "expected int, got %s", typename(w))


def float_w(w):
    """Host float of a guest float/int (PyFloat_AsDouble with __float__/__index__)."""
    c = w.__class__
    if c is W_Float or issubclass_host(c, W_Float):
        return w.v
    if c is W_Int or c is W_Bool or issubclass_host(c, W_Int):
        try:
            return float(w.v)
        except OverflowError:
            raise oefmt("OverflowError", "int too large to convert to float")
    f = lookup(w, "__float__")
    if f is not None:
        return float_w(call_special(f, w))
    f = lookup(w, "__index__")
    if f is not None:
        return float_w(call_special(f, w))
    raise oefmt("TypeError", "must be real number, not %s", typename(w))


def str_w(w):
    """Host str of a guest str."""
    c = w.__class__
    if c is W_Str or issubclass_host(c, W_Str):
        return w.v
    raise oefmt("TypeError", "expected str, got %s", typename(w))


def index(w):
    """operator.index(w) as a host int (PyNumber_Index)."""
    c = w.__class__
    if c is W_Int or c is W_Bool:
        return w.v
    f = lookup(w, "__index__")
    if f is None:
        raise oefmt("TypeError", "'%s' object cannot be interpreted as an integer",
                    typename(w))
    w_r = call_special(f, w)
    if w_r.__class__ is W_Int:
        return w_r.v
    if not _object_isint(w_r):
        raise oefmt("TypeError", "__index__ returned non-int (type %s)", typename(w_r))
    # a strict subclass of int: deprecated (PyNumber_Index, issue #17576)
    from runtime.interp.syntaxwarn import warn
    warn("DeprecationWarning", "__index__ returned non-int (type %s).  The ability to "
         "return an instance of a strict subclass of int is deprecated, and may be removed "
         "in a future version of Python." % typename(w_r))
    return w_r.v


def index_w(w):
    """PyNumber_Index returning a guest int."""
    c = w.__class__
    if c is W_Int:
        return w
    return newint(index(w))


def _len_result(w_r):
    if not _object_isint(w_r):
        raise oefmt("TypeError", "'%s' object cannot be interpreted as an integer",
                    typename(w_r))
    n = w_r.v
    if n < 0:
        raise oefmt("ValueError", "__len__() should return >= 0")
    if n >= (1 << 63):
        raise oefmt("OverflowError", "cannot fit 'int' into an index-sized integer")
    return n


def len(w):
    """Guest len(w) as a host int."""
    if w.__class__ is W_Str:
        return _host_len(w.v)
    f = lookup(w, "__len__")
    if f is None:
        raise oefmt("TypeError", "object of type '%s' has no len()", typename(w))
    return _len_result(call_special(f, w))


def len_w(w):
    return newint(len(w))


# --- repr / str / format -----------------------------------------------------------------

def repr(w):
    """Guest repr(w) -> W_Str. Counts as a level of recursion (Py_EnterRecursiveCall in
    PyObject_Repr), so the repr of a deeply nested list is a RecursionError."""
    f = lookup(w, "__repr__")
    t = _ts()
    if t.depth >= t.recursion_limit:
        raise OperationError("RecursionError",
                             "maximum recursion depth exceeded while getting the repr of an object")
    t.depth += 1
    try:
        w_r = call_special(f, w)
    finally:
        t.depth -= 1
    if not isinstance_host(w_r, W_Str):
        raise oefmt("TypeError", "__repr__ returned non-string (type %s)", typename(w_r))
    return w_r


def str(w):
    """Guest str(w) -> W_Str."""
    if w.__class__ is W_Str:
        return w
    f = lookup(w, "__str__")
    if f is None:
        return repr(w)
    w_r = call_special(f, w)
    if not isinstance_host(w_r, W_Str):
        raise oefmt("TypeError", "__str__ returned non-string (type %s)", typename(w_r))
    return w_r


def repr_s(w):
    """repr(w) as a host str."""
    return repr(w).v


def str_s(w):
    return str(w).v


def format(w, w_spec):
    """Guest format(w, spec) -> W_Str (PyObject_Format)."""
    if w_spec is None:
        w_spec = newtext("")
    c = w.__class__
    if w_spec.v == "" and c is W_Str:
        return w
    f = lookup(w, "__format__")
    if f is None:
        raise oefmt("TypeError", "Type %s doesn't define __format__", typename(w))
    w_r = call_special(f, w, w_spec)
    if not isinstance_host(w_r, W_Str):
        raise oefmt("TypeError", "__format__ must return a str, not %s", typename(w_r))
    return w_r


_ts_cache = []


def _ts():
    """The interpreter's thread state (frame.ts), looked up once (import cycle)."""
    if not _ts_cache:
        from runtime.interp.frame import ts
        _ts_cache.append(ts)
    return _ts_cache[0]


def ascii(w):
    """PyObject_ASCII: repr(w), returned as it is (a str subclass too) when already ASCII."""
    w_r = repr(w)
    s = w_r.v
    if s.isascii():
        return w_r
    out = []
    for ch in s:
        o = ord(ch)
        if o < 128:
            out.append(ch)
        elif o < 0x100:
            out.append("\\x%02x" % o)
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    return newstr("".join(out))


# --- attributes ---------------------------------------------------------------------------

def getattr(w, name):
    """Guest getattr(w, name) for a host str name (PyObject_GetAttr)."""
    return _T.getattr(w, name)


def getattr_w(w, w_name):
    if not isinstance_host(w_name, W_Str):
        raise oefmt("TypeError", "attribute name must be string, not '%s'", typename(w_name))
    return _T.getattr(w, w_name.v)


def getattr_default(w, name, w_default):
    try:
        return _T.getattr(w, name)
    except OperationError as e:
        if not exception_match(e, "AttributeError"):
            raise
        return w_default


def findattr(w, name):
    """getattr(w, name) or None when AttributeError."""
    try:
        return _T.getattr(w, name)
    except OperationError as e:
        if not exception_match(e, "AttributeError"):
            raise
        return None


def setattr(w, name, w_value):
    _T.setattr(w, name, w_value)


def delattr(w, name):
    _T.delattr(w, name)


def hasattr(w, name):
    return findattr(w, name) is not None


def lookup_in_type(w_type, name):
    """Look `name` up in a guest type's MRO (no descriptor binding)."""
    return _T.typedef_of_type(w_type).lookup(name)


# --- items --------------------------------------------------------------------------------

def getitem(w, w_key):
    td = w.__class__.typedef
    f = td.lookup("__getitem__")
    if f is None:
        if _T.is_type(w):
            f = _T.class_getitem(w)
            if f is not None:
                return f(w_key)
            raise oefmt("TypeError", "type '%s' is not subscriptable",
                        _T.typedef_of_type(w).name)
        raise oefmt("TypeError", "'%s' object is not subscriptable", td.name)
    return call_special(f, w, w_key)


def setitem(w, w_key, w_value):
    f = lookup(w, "__setitem__")
    if f is None:
        raise oefmt("TypeError", "'%s' object does not support item assignment", typename(w))
    call_special(f, w, w_key, w_value)


def delitem(w, w_key):
    f = lookup(w, "__delitem__")
    if f is None:
        raise oefmt("TypeError", "'%s' object does not support item deletion", typename(w))
    call_special(f, w, w_key)


def getslice(w, w_start, w_stop, w_step=None):
    return getitem(w, newslice(w_start, w_stop, w_step or w_None))


def contains(w_container, w_item):
    """Guest `w_item in w_container` as a host bool (PySequence_Contains)."""
    f = lookup(w_container, "__contains__")
    if f is not None:
        return is_true(call_special(f, w_container, w_item))
    for w_x in iterate(w_container):
        if w_x is w_item or eq(w_x, w_item):
            return True
    return False


# --- iteration ----------------------------------------------------------------------------

def iter(w):
    """Guest iter(w) (PyObject_GetIter): __iter__, or the sequence protocol."""
    td = w.__class__.typedef
    f = td.lookup("__iter__")
    if f is not None and f.__class__ is not _object.W_None:
        w_it = call_special(f, w)
        if w_it.__class__.typedef.lookup("__next__") is None:
            raise oefmt("TypeError", "iter() returned non-iterator of type '%s'",
                        typename(w_it))
        return w_it
    if f is None and td.lookup("__getitem__") is not None:
        return _T.new_seq_iter(w)
    raise oefmt("TypeError", "'%s' object is not iterable", td.name)


def next(w_it):
    """Guest next(it): a handle, or None when the iterator is exhausted."""
    if not _iter_fast:
        _iter_fast_init()
    if w_it.__class__ is _iter_fast["generator"]:
        # gen_next without the StopIteration of an exhausted generator
        kind, w_x = _iter_fast["resume"](w_it.get_data(), "send", None)
        return w_x if kind == "yield" else None
    f = w_it.__class__.typedef.lookup("__next__")
    if f is None:
        raise oefmt("TypeError", "'%s' object is not an iterator", typename(w_it))
    try:
        return call_special(f, w_it)
    except OperationError as e:
        if exception_match(e, "StopIteration"):
            return None
        raise


def next_or_raise(w_it):
    """Guest next(it) letting StopIteration propagate."""
    f = w_it.__class__.typedef.lookup("__next__")
    if f is None:
        raise oefmt("TypeError", "'%s' object is not an iterator", typename(w_it))
    return call_special(f, w_it)


_iter_fast = {}


def _iter_fast_init():
    """The container classes iterate() reads directly (imported late: they import us)."""
    from runtime import tupleobject, listobject, rangeobject
    _iter_fast["tuple"] = tupleobject.W_Tuple
    _iter_fast["list"] = listobject.W_List
    _iter_fast["range"] = rangeobject.W_Range
    _iter_fast["seqiter"] = tupleobject.W_SeqIterator
    from runtime.interp import generator
    _iter_fast["generator"] = generator.W_Generator
    _iter_fast["resume"] = generator._resume
    _iter_fast["mem"] = tupleobject.MEM
    _iter_fast["size_w"] = tupleobject.OB_SIZE_W
    _iter_fast["tuple_item_w"] = tupleobject._ITEM_W
    _iter_fast["list_item_w"] = listobject._L_ITEM
    from runtime import foreign
    _iter_fast["host_gen_next"] = foreign._iter_next


def iterate(w):
    """Host generator over the items of a guest iterable.  Exact tuples, lists and ranges
    are walked directly, as their iterators would (tupleiter_next, listiter_next, which
    re-reads the list's size at every step, rangeiter_next), and tuple/list iterators
    through next_addr: no iterator object and no StopIteration per loop."""
    if not _iter_fast:
        _iter_fast_init()
    cls = w.__class__
    if cls is _iter_fast["list"]:
        mem = _iter_fast["mem"]
        base = (w.addr >> 3) - 1
        size_w = base + _iter_fast["size_w"]
        items_w = base + _iter_fast["list_item_w"]
        i = 0
        while i < mem[size_w]:
            yield wrap(mem[(mem[items_w] >> 3) - 1 + i])
            i += 1
        return
    if cls is _iter_fast["tuple"]:
        mem = _iter_fast["mem"]
        base = (w.addr >> 3) - 1
        items = base + _iter_fast["tuple_item_w"]
        for i in range(mem[base + _iter_fast["size_w"]]):
            yield wrap(mem[items + i])
        return
    if cls is _iter_fast["range"]:
        start, stop, step, _ = w.v          # rangeobject: decoded (start, stop, step, length)
        for v in range(start, stop, step):
            yield _new_int(v)
        return
    yield from iterate_iterator(iter(w))


def iterate_iterator(w_it):
    """Host generator over the items an already-made guest iterator produces (the loop
    of list_extend, set_update_internal, ... after their PyObject_GetIter): tuple/list
    iterators through next_addr, guest generators resumed directly, others by their
    __next__ found once."""
    if not _iter_fast:
        _iter_fast_init()
    if w_it.__class__ is _iter_fast["generator"]:
        # a guest generator resumed directly (gen_next without building the
        # StopIteration that ends the loop)
        resume = _iter_fast["resume"]
        st = w_it.get_data()
        while True:
            kind, w_x = resume(st, "send", None)
            if kind != "yield":
                return
            yield w_x
    if _hb.isinstance(w_it, _iter_fast["seqiter"]):
        next_addr = w_it.next_addr
        while True:
            a = next_addr()
            if not a:
                return
            yield wrap(a)
    f = w_it.__class__.typedef.lookup("__next__")
    if f is None:
        raise oefmt("TypeError", "'%s' object is not an iterator", typename(w_it))
    if f is _iter_fast.get("host_gen_next"):
        # beale's map/zip/filter/enumerate/reversed: their host generator, resumed here
        # as foreign._iter_next would (same state: the generator is dropped at the end)
        d = w_it.get_data()
        while d.gen is not None:
            try:
                w_x = _hb.next(d.gen)
            except StopIteration:
                d.gen = None
                return
            except OperationError:
                d.gen = None
                raise
            yield w_x
        return
    while True:
        try:
            w_x = call_special(f, w_it)
        except OperationError as e:
            if exception_match(e, "StopIteration"):
                return
            raise
        yield w_x


def unpack(w, expected=-1):
    """List of the items of iterable w (expected >= 0 checks the count like CPython)."""
    items = list(iterate(w))
    if expected >= 0 and _host_len(items) != expected:
        n = _host_len(items)
        if n > expected:
            raise oefmt("ValueError", "too many values to unpack (expected %d)", expected)
        raise oefmt("ValueError", "not enough values to unpack (expected %d, got %d)",
                    expected, n)
    return items


def listview(w):
    """Host list of the items of an iterable (no checks)."""
    return list(iterate(w))


# --- calls ---------------------------------------------------------------------------------

def call(w_f, args_w, kwargs_w=None):
    """Guest call w_f(*args_w, **kwargs_w); args_w a host list/tuple of handles,
    kwargs_w a host dict {str: handle} or None."""
    return _T.call(w_f, args_w, kwargs_w)


def call_function(w_f, *args_w):
    return _T.call(w_f, args_w, None)


def call_method(w, name, *args_w):
    """Guest w.name(*args_w)."""
    return call(getattr(w, name), args_w)


# --- exceptions ----------------------------------------------------------------------------

def exception_match(operr, name):
    """True if OperationError `operr` is an instance of built-in exception class `name`."""
    if operr.w_value is None:
        if operr.name == name:
            return True
        return _T.builtin_exc_subclass(operr.name, name)
    return _T.exc_instance_of_name(operr.w_value, name)


def exc_value(operr):
    """The guest exception object of an OperationError, materialising it if needed."""
    if operr.w_value is None:
        from runtime import exceptions
        args_w = [] if operr.message is None else [newstr(operr.message)]
        operr.w_value = exceptions.new_exception(operr.name or "SystemError", args_w)
        attrs = operr.__dict__.get("exc_attrs")
        if attrs:
            for key, v in attrs.items():
                setattr(operr.w_value, key, newstr(v) if v.__class__ is _hb.str else v)
    return operr.w_value


def raise_type_error(fmt, *args):
    raise oefmt("TypeError", fmt, *args)


# bottom of the module: runtime.typeobject imports this module (the cycle is resolved
# because every name above is defined by now)
from runtime import typeobject as _T      # noqa: E402
