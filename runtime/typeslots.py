"""The C slots of guest classes: CPython's slot dispatchers (Objects/typeobject.c `slotdefs`,
`slot_tp_repr`, `slot_nb_add`, `slot_tp_getattr_hook`, `fixup_slot_dispatchers`,
`update_slot`) for beale.

When C code gets an instance of a guest class it can only use it through the slots of the
class's PyTypeObject. For every dunder a guest class defines (itself or through a guest base)
the matching slots point at a C trampoline compiled into the layout module (build_ffi.py
`SLOTS`): `beale_tr_<slot>` calls the cffi `extern "Python"` function `beale_py_<slot>`
defined here, which wraps the C arguments as handles and runs the guest dunder through
runtime.space. Slots the class does not define keep what the class inherits from its base
(object's generic getattr, the built-in base's slots, ...), as `inherit_slots` would.

Errors: a guest exception raised under a slot is *parked* (`park`): the exception object
(the very struct the guest raised) goes, with new counts, to a thread-local C variable; the
trampoline moves it into the thread state with PyErr_Restore once the callback returned, so
the C caller sees an ordinary pending exception. The guest traceback entries of the
callback are remembered by address, so when the exception comes back out of the C call
(`runtime.exceptions.from_host_exception`) it carries them and the guest sees its whole
traceback.
"""

import threading
from traceback import format_exc as _format_exc     # not imported under a failing slot

from layout import ffi, lib
from runtime import object as _o
from runtime.object import wrap
from runtime.errors import OperationError, oefmt

_cast = ffi.cast
_NULL = ffi.NULL
_is_finalizing = __import__("sys").is_finalizing


def _addr(p):
    return int(_cast("uintptr_t", p))


def _space():
    from runtime import space
    return space


def _T():
    from runtime import typeobject
    return typeobject


# --- parking guest exceptions for the trampolines ----------------------------------------------

_tls = threading.local()


def park(operr):
    """Make guest OperationError `operr` the exception C sees when the running slot returns."""
    try:
        w_exc = _space().exc_value(operr)
        addr = w_exc.addr
        t = _o.type_addr_of(addr)
        _o.incref(t)
        _o.incref(addr)
        _tls.parked = (addr, operr.traceback)
        lib.beale_park_error(_cast("void *", t), _cast("void *", addr), _NULL)
    except BaseException:
        park_system_error("beale: could not convert a guest exception")


def park_system_error(msg):
    """Park a host SystemError (a beale bug under a slot must not unwind through C)."""
    exc = SystemError(msg + "\n" + _format_exc())
    _o.incref(id(SystemError))
    _o.incref(id(exc))
    _tls.parked = None
    lib.beale_park_error(_cast("void *", id(SystemError)), _cast("void *", id(exc)), _NULL)


def park_recursion_error():
    """The host's recursion limit was hit under a slot: C recursion that runs no guest frame
    per level (_pickle's save() nesting through __reduce__ results, which CPython stops
    with Py_EnterRecursiveCall at the guest's limit). C gets a RecursionError, as the guest
    would, not a SystemError; nothing here may import or format a traceback."""
    park(OperationError("RecursionError", "maximum recursion depth exceeded while calling a "
                                          "Python object"))


def take_parked_traceback(exc):
    """The guest traceback entries of `exc` if it is the exception last parked by this
    thread (it came back out of the C call that ran the slot), else None."""
    p = getattr(_tls, "parked", None)
    if p is not None and p[0] == id(exc):
        _tls.parked = None
        return p[1]
    return None


# --- slot bodies --------------------------------------------------------------------------------

def _object_slot(what, compute):
    """A slot returning a new reference: compute() gives a handle (None: NULL, no error)."""
    if _is_finalizing():
        park_system_error("beale: guest code called during interpreter shutdown")
        return _NULL
    try:
        w_r = compute()
        if w_r is None:
            return _NULL
        _o.incref(w_r.addr)
        return _cast("PyObject *", w_r.addr)
    except OperationError as e:
        park(e)
    except RecursionError:
        park_recursion_error()
    except BaseException:
        park_system_error("beale: internal error in a guest %s called from C" % what)
    return _NULL


def _int_slot(what, compute):
    """A slot returning a C integer: compute() gives a host int; -1 on error."""
    if _is_finalizing():
        park_system_error("beale: guest code called during interpreter shutdown")
        return -1
    try:
        return compute()
    except OperationError as e:
        park(e)
    except RecursionError:
        park_recursion_error()
    except BaseException:
        park_system_error("beale: internal error in a guest %s called from C" % what)
    return -1


def _call_dunder(w, name, *args_w):
    """call_method(): type(w).name(w, *args); AttributeError when the type lacks it."""
    space = _space()
    f = w.__class__.typedef.lookup(name)
    if f is None or f is _o.w_None:
        raise oefmt("AttributeError", "'%s' object has no attribute '%s'",
                    w.__class__.typedef.name, name)
    return space.call_special(f, w, *args_w)


def _call_maybe(w, name, *args_w):
    """call_maybe(): like _call_dunder, NotImplemented when the type lacks the method."""
    f = w.__class__.typedef.lookup(name)
    if f is None or f is _o.w_None:
        return _o.w_NotImplemented
    return _space().call_special(f, w, *args_w)


_ADDR_NI = _o.ADDR_NotImplemented


def _binary_op(w_a, w_b, op, rop):
    """SLOT1BINFULL: a.op(b), or b.rop(a) first when type(b) is a proper subclass of
    type(a) that overrides rop, or when a's method gives NotImplemented."""
    space = _space()
    td_a = w_a.__class__.typedef
    td_b = w_b.__class__.typedef
    do_other = td_a is not td_b and td_b.lookup(rop) is not None
    if td_a.lookup(op) is not None:
        if do_other and space.issubtype_td(td_b, td_a) and \
                td_b.lookup(rop) is not td_a.lookup(rop):
            w_r = _call_maybe(w_b, rop, w_a)
            if w_r.addr != _ADDR_NI:
                return w_r
            do_other = False
        w_r = _call_maybe(w_a, op, w_b)
        if w_r.addr != _ADDR_NI or td_a is td_b:
            return w_r
    if do_other:
        return _call_maybe(w_b, rop, w_a)
    return _o.w_NotImplemented


# --- the extern "Python" functions ----------------------------------------------------------------

def _extern(slot):
    """Register fn as the extern "Python" function beale_py_<slot>; C reaches it holding the
    guest interpreter lock (gil.guest_entry takes it unless this thread holds it)."""
    def register(fn):
        from runtime.interp import gil
        ffi.def_extern(name="beale_py_" + slot)(gil.guest_entry(fn))
        return fn
    return register


def trampoline(slot):
    """The C function pointer to store in `slot` (the trampoline around beale_py_<slot>)."""
    return ffi.addressof(lib, "beale_tr_" + slot)


@_extern("tp_repr")
def _tp_repr(p):
    return _object_slot("__repr__", lambda: _space().repr(wrap(_addr(p))))


@_extern("tp_str")
def _tp_str(p):
    return _object_slot("__str__", lambda: _call_dunder(wrap(_addr(p)), "__str__"))


@_extern("tp_hash")
def _tp_hash(p):
    return _int_slot("__hash__", lambda: _space().hash(wrap(_addr(p))))


_CMP_NAMES = ("__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__")


@_extern("tp_richcompare")
def _tp_richcompare(a, b, op):
    # slot_tp_richcompare: type(a)'s method for op, NotImplemented when it has none
    return _object_slot("comparison", lambda: _call_maybe(wrap(_addr(a)), _CMP_NAMES[op],
                                                          wrap(_addr(b))))


@_extern("tp_getattro")
def _tp_getattro(p, name):
    # slot_tp_getattr_hook: __getattribute__, then __getattr__ on AttributeError
    def get():
        w_name = wrap(_addr(name))
        return _T().getattr(wrap(_addr(p)), _space().str_w(w_name))
    return _object_slot("__getattr__", get)


@_extern("tp_setattro")
def _tp_setattro(p, name, value):
    def set_():
        w = wrap(_addr(p))
        n = _space().str_w(wrap(_addr(name)))
        if value == _NULL:
            _space().delattr(w, n)
        else:
            _space().setattr(w, n, wrap(_addr(value)))
        return 0
    return _int_slot("__setattr__", set_)


@_extern("tp_init")
def _tp_init(p, args, kwargs):
    def init():
        T = _T()
        w = wrap(_addr(p))
        args_w, kwargs_w = T._args_from_c(args, kwargs)
        f = w.__class__.typedef.lookup("__init__")
        w_r = T.call_descriptor_method_kw(f, w, args_w, kwargs_w)
        if w_r is not None and w_r.addr != _o.ADDR_None:
            raise oefmt("TypeError", "__init__() should return None, not '%s'",
                        w_r.__class__.typedef.name)
        return 0
    return _int_slot("__init__", init)


@_extern("tp_new")
def _tp_new(subtype, args, kwargs):
    """tp_new of a guest class whose instances C would otherwise allocate with object_new:
    C code calling the class (type_call: itertools.starmap(P, ...), _pickle's NEWOBJ) gets
    an instance allocated by beale, as the guest's own P() would build it (3.11's
    object_new would also give a managed-dict class inline values beale does not use)."""
    def new():
        T = _T()
        w_type = wrap(_addr(subtype))
        td = T.typedef_of_type(w_type)
        args_w, kwargs_w = T._args_from_c(args, kwargs)
        return T._call_new(td.lookup("__new__"), w_type, args_w, kwargs_w)
    return _object_slot("__new__", new)


@_extern("tp_finalize")
def _tp_finalize(p):
    # slot_tp_finalize: call __del__; an error is printed ("Exception ignored in"), never
    # propagated (the trampoline saves and restores the caller's pending exception)
    if _is_finalizing():
        return
    try:
        w = wrap(_addr(p))
        fin = getattr(w.__class__, "c_finalize", None)
        if fin is not None:
            # a beale-built type's own tp_finalize (generators: _PyGen_Finalize)
            fin(w)
            return
        f = w.__class__.typedef.lookup("__del__")
        if f is None:
            return
        try:
            _space().call_special(f, w)
        except OperationError as e:
            _write_unraisable(e, w, f)
    except BaseException:
        pass


def _write_unraisable(operr, w_obj, f):
    """PyErr_WriteUnraisable for a failing __del__: the guest's sys.unraisablehook."""
    import sys
    try:
        from runtime import sysmodule
        space = _space()
        if operr.traceback:
            from runtime import exceptions
            exceptions.attach_traceback(operr)
        w_f = f if hasattr(f, "addr") else w_obj
        sysmodule.write_unraisable(space.exc_value(operr), w_f)
        return
    except Exception:
        pass
    try:
        from runtime import traceback as _tb
        space = _space()
        w_exc = space.exc_value(operr)
        try:
            what = space.repr(_T()._bind(f, w_obj, space.type(w_obj))).v \
                if hasattr(f, "addr") else repr(f)
        except Exception:
            what = "<object>"
        text = "Exception ignored in: %s\n%s" % (what, _tb.format_exception(
            w_exc, operr.traceback))
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
    except Exception:
        pass


@_extern("mp_length")
def _mp_length(p):
    return _int_slot("__len__", lambda: _space().len(wrap(_addr(p))))


@_extern("sq_length")
def _sq_length(p):
    return _int_slot("__len__", lambda: _space().len(wrap(_addr(p))))


@_extern("mp_subscript")
def _mp_subscript(p, key):
    return _object_slot("__getitem__", lambda: _call_dunder(wrap(_addr(p)), "__getitem__",
                                                            wrap(_addr(key))))


@_extern("sq_item")
def _sq_item(p, i):
    return _object_slot("__getitem__", lambda: _call_dunder(wrap(_addr(p)), "__getitem__",
                                                            _space().newint(i)))


@_extern("mp_ass_subscript")
def _mp_ass_subscript(p, key, value):
    def setitem():
        w = wrap(_addr(p))
        if value == _NULL:
            _call_dunder(w, "__delitem__", wrap(_addr(key)))
        else:
            _call_dunder(w, "__setitem__", wrap(_addr(key)), wrap(_addr(value)))
        return 0
    return _int_slot("__setitem__", setitem)


@_extern("sq_ass_item")
def _sq_ass_item(p, i, value):
    def setitem():
        w = wrap(_addr(p))
        w_i = _space().newint(i)
        if value == _NULL:
            _call_dunder(w, "__delitem__", w_i)
        else:
            _call_dunder(w, "__setitem__", w_i, wrap(_addr(value)))
        return 0
    return _int_slot("__setitem__", setitem)


@_extern("sq_contains")
def _sq_contains(p, item):
    def contains():
        space = _space()
        return 1 if space.is_true(_call_dunder(wrap(_addr(p)), "__contains__",
                                               wrap(_addr(item)))) else 0
    return _int_slot("__contains__", contains)


@_extern("nb_bool")
def _nb_bool(p):
    return _int_slot("__bool__", lambda: 1 if _space().is_true(wrap(_addr(p))) else 0)


@_extern("nb_power")
def _nb_power(a, b, c):
    def power():
        w_a, w_b = wrap(_addr(a)), wrap(_addr(b))
        if c == _NULL or _addr(c) == _o.ADDR_None:
            return _binary_op(w_a, w_b, "__pow__", "__rpow__")
        # three-argument pow only calls a.__pow__ (slot_nb_power_ternary)
        return _call_maybe(w_a, "__pow__", w_b, wrap(_addr(c)))
    return _object_slot("__pow__", power)


@_extern("nb_inplace_power")
def _nb_inplace_power(a, b, c):
    return _object_slot("__ipow__", lambda: _call_maybe(wrap(_addr(a)), "__ipow__",
                                                        wrap(_addr(b))))


#: nb_<slot> -> dunder stem (slotdefs' BINSLOT/IBSLOT names)
NB_BINARY = {"add": "add", "subtract": "sub", "multiply": "mul", "remainder": "mod",
             "divmod": "divmod", "lshift": "lshift", "rshift": "rshift", "and": "and",
             "xor": "xor", "or": "or", "floor_divide": "floordiv", "true_divide": "truediv",
             "matrix_multiply": "matmul"}
NB_UNARY = {"negative": "__neg__", "positive": "__pos__", "absolute": "__abs__",
            "invert": "__invert__", "int": "__int__", "float": "__float__",
            "index": "__index__"}


def _define_binary(slot, stem):
    op, rop = "__%s__" % stem, "__r%s__" % stem

    def fn(a, b):
        return _object_slot(op, lambda: _binary_op(wrap(_addr(a)), wrap(_addr(b)), op, rop))
    fn.__name__ = "_nb_" + slot
    _extern("nb_" + slot)(fn)


def _define_inplace(slot, stem):
    iop = "__i%s__" % stem

    def fn(a, b):
        return _object_slot(iop, lambda: _call_maybe(wrap(_addr(a)), iop, wrap(_addr(b))))
    fn.__name__ = "_nb_inplace_" + slot
    _extern("nb_inplace_" + slot)(fn)


def _define_unary(slot, name):
    def fn(p):
        return _object_slot(name, lambda: _call_dunder(wrap(_addr(p)), name))
    fn.__name__ = "_nb_" + slot
    _extern("nb_" + slot)(fn)


for _slot, _stem in NB_BINARY.items():
    _define_binary(_slot, _stem)
    if _slot != "divmod":
        _define_inplace(_slot, _stem)
for _slot, _name in NB_UNARY.items():
    _define_unary(_slot, _name)


# --- which slots a guest class gets (fixup_slot_dispatchers / update_slot) ---------------------

#: (struct field path in PyHeapTypeObject, trampoline slot name, dunders that feed it)
SLOTDEFS = [
    ("ht_type.tp_repr", "tp_repr", ("__repr__",)),
    ("ht_type.tp_str", "tp_str", ("__str__",)),
    ("ht_type.tp_hash", "tp_hash", ("__hash__",)),
    ("ht_type.tp_richcompare", "tp_richcompare", _CMP_NAMES),
    ("ht_type.tp_getattro", "tp_getattro", ("__getattribute__", "__getattr__")),
    ("ht_type.tp_setattro", "tp_setattro", ("__setattr__", "__delattr__")),
    ("ht_type.tp_call", "tp_call", ("__call__",)),
    ("ht_type.tp_iter", "tp_iter", ("__iter__",)),
    ("ht_type.tp_iternext", "tp_iternext", ("__next__",)),
    ("ht_type.tp_descr_get", "tp_descr_get", ("__get__",)),
    ("ht_type.tp_descr_set", "tp_descr_set", ("__set__", "__delete__")),
    ("ht_type.tp_init", "tp_init", ("__init__",)),
    ("ht_type.tp_new", "tp_new", ("__new__",)),
    ("ht_type.tp_finalize", "tp_finalize", ("__del__",)),
    ("as_mapping.mp_length", "mp_length", ("__len__",)),
    ("as_mapping.mp_subscript", "mp_subscript", ("__getitem__",)),
    ("as_mapping.mp_ass_subscript", "mp_ass_subscript", ("__setitem__", "__delitem__")),
    ("as_sequence.sq_length", "sq_length", ("__len__",)),
    ("as_sequence.sq_item", "sq_item", ("__getitem__",)),
    ("as_sequence.sq_ass_item", "sq_ass_item", ("__setitem__", "__delitem__")),
    ("as_sequence.sq_contains", "sq_contains", ("__contains__",)),
    ("as_number.nb_bool", "nb_bool", ("__bool__",)),
    ("as_number.nb_power", "nb_power", ("__pow__", "__rpow__")),
    ("as_number.nb_inplace_power", "nb_inplace_power", ("__ipow__",)),
] + [("as_number.nb_" + s, "nb_" + s, ("__%s__" % t, "__r%s__" % t))
     for s, t in NB_BINARY.items()] \
  + [("as_number.nb_inplace_" + s, "nb_inplace_" + s, ("__i%s__" % t,))
     for s, t in NB_BINARY.items() if s != "divmod"] \
  + [("as_number.nb_" + s, "nb_" + s, (n,)) for s, n in NB_UNARY.items()]

_BY_DUNDER = {}
for _d in SLOTDEFS:
    for _n in _d[2]:
        _BY_DUNDER.setdefault(_n, []).append(_d)

_offsets = {}
_tramp_addr = {}


def _offset(path):
    off = _offsets.get(path)
    if off is None:
        import layout
        off = _offsets[path] = layout.struct("PyHeapTypeObject").offset(path)
    return off


def _tramp(slot):
    a = _tramp_addr.get(slot)
    if a is None:
        a = _tramp_addr[slot] = _addr(trampoline(slot))
    return a


def _hash_not_implemented():
    import ctypes
    return ctypes.cast(ctypes.pythonapi.PyObject_HashNotImplemented, ctypes.c_void_p).value


_HASH_NOT_IMPLEMENTED = _hash_not_implemented()


class _NewProbe:
    """A class the host builds with a __new__: its tp_new is CPython's own slot_tp_new."""
    def __new__(cls):
        return object.__new__(cls)


# tp_new is the one slot whose dispatcher C code recognises by address: tp_new_wrapper
# (`Base.__new__(Sub)`) skips the classes whose tp_new is slot_tp_new to find the static base,
# and refuses ("is not safe") when that base's tp_new is not the one called. So guest
# classes defining __new__ get CPython's own slot_tp_new, which looks __new__ up in the guest
# tp_dict and calls it (through beale's function slots), instead of beale_tr_tp_new.
_SLOT_TP_NEW = _addr(_cast("PyTypeObject *", id(_NewProbe)).tp_new)
_OBJECT_NEW = _addr(_cast("PyTypeObject *", id(object)).tp_new)


def _definer(td, name):
    """(defined by a guest class?, value) for the first class in td's MRO defining name."""
    T = _T()
    for t in td.mro:
        if t.__class__ is T.GuestTypeDef:
            if name in t.dict_w:
                return True, t.dict_w[name]
        elif name in t.methods:
            return False, t.methods[name]
    return False, None


def _inherited_value(td, path):
    """What the slot holds when no guest class in the MRO defines its dunders: the value of
    the nearest non-guest type on the tp_base chain (inherit_slots), or, for a class whose
    solid base is object, of a plain class the host built (object's slots, no dunders)."""
    T = _T()
    base = _addr(_cast("PyTypeObject *", td.type_addr).tp_base)
    while base and T._td_by_addr.get(base).__class__ is T.GuestTypeDef:
        base = _addr(_cast("PyTypeObject *", base).tp_base)
    if not base or base == T.ADDR_object:
        base = id(T._Probe)
    return _read_slot(base, path)


def _read_slot(type_addr, path):
    """The slot `path` of a type object, following tp_as_* pointers for static types."""
    head, _, field = path.partition(".")
    tp = _cast("PyTypeObject *", type_addr)
    if head == "ht_type":
        return _addr(getattr(tp, field))
    suite = getattr(tp, "tp_" + head)
    if suite == _NULL:
        return 0
    return _addr(getattr(suite, field))


def _write_slot(type_addr, path, value):
    _cast("uintptr_t *", type_addr + _offset(path))[0] = value


def update_slots(td, names=None):
    """fixup_slot_dispatchers (names None: every slot) / update_slot (the slots fed by
    `names`): point each slot at beale's trampoline when a guest class in the MRO defines
    one of its dunders, else at what the class inherits. Subclasses follow."""
    T = _T()
    if td.__class__ is not T.GuestTypeDef or not td.type_addr:
        return
    if names is None:
        defs = SLOTDEFS
    else:
        defs = []
        for n in names:
            for d in _BY_DUNDER.get(n, ()):
                if d not in defs:
                    defs.append(d)
        if not defs:
            return
    for path, slot, dunders in defs:
        guest = False
        hash_none = False
        for n in dunders:
            by_guest, value = _definer(td, n)
            if by_guest:
                if slot == "tp_hash" and value.addr == _o.ADDR_None:
                    hash_none = True        # __eq__ without __hash__: unhashable
                else:
                    guest = True
                    break
        if hash_none:
            value = _HASH_NOT_IMPLEMENTED
        elif guest:
            value = _SLOT_TP_NEW if slot == "tp_new" else _tramp(slot)
        else:
            value = _inherited_value(td, path)
            if slot == "tp_new" and value == _OBJECT_NEW:
                value = _tramp("tp_new")        # beale allocates what C creates
        _write_slot(td.type_addr, path, value)
    for sub in list(td.subclasses):
        update_slots(sub, names)
