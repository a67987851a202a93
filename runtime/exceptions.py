"""Built-in exception objects (CPython's Objects/exceptions.c).

A guest exception is the struct CPython would build: a `PyBaseExceptionObject` (or one of the
wider structs of the subclasses that add fields: `PySyntaxErrorObject`, `PyImportErrorObject`,
`PyUnicodeErrorObject`, `PySystemExitObject`, `PyOSErrorObject`, `PyStopIterationObject`,
`PyNameErrorObject`, `PyAttributeErrorObject`, `PyBaseExceptionGroupObject`), allocated by
beale with the host allocator and a `PyGC_Head` in front, `ob_type` pointing at the HOST's
exception type (`PyExc_ValueError` is the host's `ValueError`), `args` a guest tuple, and
`__cause__`/`__context__`/`__suppress_context__`/`__traceback__` kept in the struct fields.
The size allocated is the type's `tp_basicsize` (read from the type object through layout/).

Because the structs are the host's, exceptions raised by host C code (a foreign call,
`ast.parse`) are adopted as guest exceptions without conversion (`from_host_exception`).

Handle classes: one `W_<Name>` per built-in exception class, mirroring the hierarchy
(W_ValueError subclasses W_Exception subclasses W_BaseException), each with a TypeDef whose
`type_addr` is the host type object's address. Their methods mirror exceptions.c:
BaseException_new/init/str/repr/reduce, with_traceback, add_note, and the member
descriptors of the subclasses (`Member` below: a struct field exposed as an attribute).

`OperationError` (runtime/errors.py) may carry only a class name and a message until somebody
needs the object: `materialise(operr)` builds it.
"""

import builtins as _host_builtins

import layout
from runtime import object as _obj
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef

ffi = layout.ffi


# --- which struct each built-in exception uses ------------------------------------------------

# The host classes whose C struct differs from their base's (Objects/exceptions.c
# ComplexExtendsException / MiddlingExtendsException); every other class uses its base's.
_STRUCT_OF_HOST = {
    BaseException: "PyBaseExceptionObject",
    SyntaxError: "PySyntaxErrorObject",
    ImportError: "PyImportErrorObject",
    UnicodeError: "PyBaseExceptionObject",       # UnicodeError itself adds no fields
    UnicodeDecodeError: "PyUnicodeErrorObject",
    UnicodeEncodeError: "PyUnicodeErrorObject",
    UnicodeTranslateError: "PyUnicodeErrorObject",
    SystemExit: "PySystemExitObject",
    OSError: "PyOSErrorObject",
    StopIteration: "PyStopIterationObject",
    NameError: "PyNameErrorObject",
    AttributeError: "PyAttributeErrorObject",
    BaseExceptionGroup: "PyBaseExceptionGroupObject",
}

# name -> host class, for every exception class in the host's builtins module
HOST_EXCEPTIONS = {
    name: value for name, value in vars(_host_builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def _host_struct_name(host_cls):
    for klass in host_cls.__mro__:
        name = _STRUCT_OF_HOST.get(klass)
        if name is not None:
            return name
    raise AssertionError("not an exception class: %r" % (host_cls,))


def _addr(cdata):
    """Address held in a `PyObject *` field (0 for NULL)."""
    return int(ffi.cast("uintptr_t", cdata))


_TUPLE_ITEMS = layout.struct("PyTupleObject").offset("ob_item")
_TUPLE_SIZE = layout.struct("PyTupleObject").offset("ob_base.ob_size")


def tuple_item_addrs(tuple_addr):
    """The item addresses of a tuple (reads ob_size and the inline ob_item array)."""
    n = ffi.cast("Py_ssize_t *", tuple_addr + _TUPLE_SIZE)[0]
    items = ffi.cast("uintptr_t *", tuple_addr + _TUPLE_ITEMS)
    return [items[i] for i in range(n)]


def _type_ptr(type_addr):
    return layout.cast(type_addr, "PyTypeObject")


# --- struct field access ----------------------------------------------------------------------

def _ptr(w_exc):
    """Typed cffi pointer on the exception's struct (the widest struct its class uses)."""
    return layout.cast(w_exc.addr, type(w_exc).struct_name)


def get_field(w_exc, field, struct_name=None):
    """The object in a `PyObject *` field as a new handle, or None for NULL."""
    p = layout.cast(w_exc.addr, struct_name or type(w_exc).struct_name)
    addr = _addr(getattr(p, field))
    return _obj.wrap(addr) if addr else None


def set_field(w_exc, field, w_value, struct_name=None):
    """Store `w_value` (a handle or None for NULL) in a `PyObject *` field, owning one count
    as CPython's Py_XSETREF does; the old value is released."""
    p = layout.cast(w_exc.addr, struct_name or type(w_exc).struct_name)
    old = _addr(getattr(p, field))
    if w_value is None:
        setattr(p, field, ffi.NULL)
    else:
        _obj.incref(w_value.addr)
        setattr(p, field, ffi.cast("PyObject *", w_value.addr))
    if old:
        _obj.decref(old)


# --- handle classes ---------------------------------------------------------------------------

class W_BaseException(_obj.W_Object):
    """Handle on a PyBaseExceptionObject (or a wider exception struct)."""
    __slots__ = ()
    struct_name = "PyBaseExceptionObject"
    # the instance __dict__ is the struct's `dict` field (typeobject.get_instance_dict)
    dict_field_offset = layout.struct("PyBaseExceptionObject").offset("dict")


HANDLE_CLASSES = {}     # host exception class -> handle class
TYPEDEFS = {}           # exception name -> TypeDef
_BY_TYPE_ADDR = {}      # host type object address -> handle class


def _make_handle_classes():
    def make(host_cls):
        if host_cls in HANDLE_CLASSES:
            return HANDLE_CLASSES[host_cls]
        if host_cls is BaseException:
            cls = W_BaseException
            base_td = None
        else:
            base_cls = make(host_cls.__base__)
            cls = type("W_" + host_cls.__name__, (base_cls,), {
                "__slots__": (), "struct_name": _host_struct_name(host_cls),
                "__doc__": "Handle on a guest %s." % host_cls.__name__})
            base_td = base_cls.typedef
        td = TypeDef(host_cls.__name__, base=base_td, host_symbol="PyExc_" + host_cls.__name__,
                     handle_class=cls, doc=host_cls.__doc__)
        td.type_addr = id(host_cls)       # PyExc_X is a pointer; this is what it points at
        td.host_type = host_cls
        size = layout.struct(cls.struct_name).size
        # ExceptionGroup is a heap type with a __weakref__ slot after the struct
        assert size <= host_cls.__basicsize__, (host_cls, size)
        HANDLE_CLASSES[host_cls] = cls
        TYPEDEFS[host_cls.__name__] = td
        _BY_TYPE_ADDR[id(host_cls)] = cls
        _obj.register_handle_class(id(host_cls), cls)
        return cls

    for host_cls in HOST_EXCEPTIONS.values():
        make(host_cls)


_make_handle_classes()


def typedef_of(name):
    return TYPEDEFS[name]


def w_type_of(name):
    """The guest type object (a handle on the host's exception class) for a built-in name."""
    return _obj.wrap(id(HOST_EXCEPTIONS[name]))


# --- helpers that reach the rest of the runtime lazily (import cycles) ------------------------

def _space():
    from runtime import space
    return space


def _newtuple(items_w):
    return _space().newtuple(list(items_w))


def _newstr(s):
    return _space().newstr(s)


def _newint(i):
    return _space().newint(i)


def _host_str(w_str):
    """The host str a guest str handle caches."""
    return w_str.v


def _str_of(w):
    return _host_str(_space().str(w))


def _repr_of(w):
    return _host_str(_space().repr(w))


def _is_none(w):
    return w is None or w.addr == id(None)


def _w_none():
    return _obj.w_None


# --- types: solid struct, matching ------------------------------------------------------------

def type_addr_of(w_exc):
    """ob_type of any object, as an address."""
    return _addr(layout.cast(w_exc.addr, "PyObject").ob_type)


_STATIC_MRO = {}     # static (non-heap) type address -> its MRO addresses: never changes


def mro_addrs(type_addr):
    """Addresses in the type's tp_mro tuple (host and guest-built types alike keep it there).
    Static types' MROs are cached (they cannot change); heap types' are read each time
    (`__bases__` may be assigned)."""
    cached = _STATIC_MRO.get(type_addr)
    if cached is not None:
        return cached
    tp = _type_ptr(type_addr)
    if not tp.tp_flags & (1 << 9):          # not Py_TPFLAGS_HEAPTYPE
        out = _STATIC_MRO[type_addr] = tuple(_read_mro(type_addr))
        return out
    return _read_mro(type_addr)


def _read_mro(type_addr):
    tp = _type_ptr(type_addr)
    mro = _addr(tp.tp_mro)
    if not mro:
        out = []
        while type_addr:
            out.append(type_addr)
            type_addr = _addr(_type_ptr(type_addr).tp_base)
        return out
    return tuple_item_addrs(mro)


def builtin_base_of(type_addr):
    """The nearest built-in exception class (a host class) in a type's MRO, or None."""
    for addr in mro_addrs(type_addr):
        cls = _BY_TYPE_ADDR.get(addr)
        if cls is not None:
            return cls
    return None


def is_exception_type(type_addr):
    return id(BaseException) in mro_addrs(type_addr)


def is_exception(w):
    return is_exception_type(type_addr_of(w))


def is_subclass_addr(sub_addr, sup_addr):
    return sup_addr in mro_addrs(sub_addr)


def exception_matches(exc, w_type):
    """`except w_type:` test. `exc` is an OperationError or a guest exception handle;
    `w_type` a class handle or a guest tuple of them (checked like PyErr_GivenExceptionMatches)."""
    if isinstance(exc, OperationError):
        if exc.w_value is None:
            host_cls = HOST_EXCEPTIONS.get(exc.name)
            if host_cls is not None:
                return _class_matches(id(host_cls), w_type)
        exc = materialise(exc)
    return _class_matches(type_addr_of(exc), w_type)


def _class_matches(exc_type_addr, w_type):
    tuple_type = id(tuple)
    if type_addr_of(w_type) == tuple_type:
        for item_addr in tuple_item_addrs(w_type.addr):
            item = _obj.wrap(item_addr)
            if _class_matches(exc_type_addr, item):
                return True
        return False
    return is_subclass_addr(exc_type_addr, w_type.addr)


# --- construction -----------------------------------------------------------------------------

def alloc_exception(type_addr):
    """A zeroed exception struct of `tp_basicsize` for this type (BaseException_new's
    tp_alloc): GC prefix, ob_refcnt 1, ob_type = the type (a heap type gains one count)."""
    base = builtin_base_of(type_addr)
    if base is None:
        raise oefmt("TypeError", "exceptions must derive from BaseException")
    tp = _type_ptr(type_addr)
    size = tp.tp_basicsize
    addr = _obj.alloc_object(type_addr, size, gc=True,
                             managed_dict=_obj.has_managed_dict(type_addr))
    if tp.tp_flags & (1 << 9):        # Py_TPFLAGS_HEAPTYPE: instances own their type
        _obj.incref(type_addr)
    # A guest subclass gets the handle class the evaluator made for it when it wraps; here
    # the solid built-in base's handle class is always valid for the struct.
    cls = _handle_class_for_type(type_addr, base)
    w = _obj.steal(cls, addr)
    if cls.struct_name == "PyUnicodeErrorObject":
        p = layout.cast(addr, "PyUnicodeErrorObject")
        p.start = 0
        p.end = 0
    if cls.struct_name == "PyOSErrorObject":
        layout.cast(addr, "PyOSErrorObject").written = -1
    # Tracked at once, as PyType_GenericAlloc does: several deallocators (AttributeError,
    # NameError, ...) use the _PyObject_GC_UNTRACK macro, which assumes a tracked object.
    _obj.gc_track(addr)
    return w


def _handle_class_for_type(type_addr, base_cls):
    cls = _BY_TYPE_ADDR.get(type_addr)
    if cls is not None:
        return cls
    lookup = getattr(_obj, "handle_class_for_type", None)
    if lookup is not None:
        found = lookup(type_addr)
        if found is not None and issubclass(found, W_BaseException):
            return found
    return base_cls


def new_exception(name_or_type, args_w=(), kwargs_w=None):
    """A new guest exception. `name_or_type`: a built-in class name ("ValueError") or a guest
    type handle (built-in or a guest subclass, whose __new__/__init__ may be guest code)."""
    if isinstance(name_or_type, str):
        w_type = None
        type_addr = id(HOST_EXCEPTIONS[name_or_type])
    else:
        w_type = name_or_type
        type_addr = w_type.addr
    if type_addr not in _BY_TYPE_ADDR:
        # a guest class: call it like the guest would (runs its own __init__)
        return _space().call(w_type, list(args_w), kwargs_w or {})
    cls = _BY_TYPE_ADDR[type_addr]
    new = cls.typedef.lookup("__new__")
    init = cls.typedef.lookup("__init__")
    w_type = w_type or _obj.wrap(type_addr)
    w_exc = new(w_type, *args_w, **(kwargs_w or {}))
    if type_addr_of(w_exc) == type_addr or isinstance(w_exc, W_BaseException):
        init(w_exc, *args_w, **(kwargs_w or {}))
    return w_exc


def materialise(operr):
    """Give `operr` its guest exception object (built from name and message if needed)."""
    if operr.w_value is None:
        from runtime import space
        return space.exc_value(operr)       # (also applies errors.with_attrs)
    return operr.w_value


def operation_error(w_exc):
    """An OperationError carrying the guest exception object `w_exc`."""
    return OperationError(type_name(w_exc), None, w_exc)


def from_host_exception(exc):
    """Adopt an exception raised by the host (a C function in a foreign call, ast.parse, ...)
    as a guest exception: its struct already is the guest's layout, so the guest gets a
    handle on the same object. The host traceback/context (beale's own frames) is dropped."""
    if isinstance(exc, OperationError):
        return exc
    if isinstance(exc, RecursionError):
        return oefmt("RecursionError", "maximum recursion depth exceeded")
    if isinstance(exc, KeyboardInterrupt):
        exc = KeyboardInterrupt()
    exc.__traceback__ = None
    # a guest exception raised by a callback C called (a slot parked it: runtime/typeslots)
    # keeps its guest traceback and context
    from runtime import typeslots
    entries = typeslots.take_parked_traceback(exc)
    if entries is None:
        exc.__context__ = None
    w_exc = _obj.wrap(id(exc))
    operr = OperationError(type(exc).__name__, None, w_exc)
    if entries:
        operr.traceback = list(entries)
    return operr


# --- names and messages (used by runtime/traceback.py) ----------------------------------------

def type_name(w_exc):
    """tp_name's last component, as _PyType_Name gives it."""
    tp = _type_ptr(type_addr_of(w_exc))
    name = ffi.string(tp.tp_name).decode("utf-8", "replace")
    return name.rsplit(".", 1)[-1]


def qualified_type_name(w_exc):
    """'module.QualName' as pythonrun.c print_exception writes it, the module omitted for
    builtins and __main__."""
    type_addr = type_addr_of(w_exc)
    if type_addr in _BY_TYPE_ADDR:
        return _BY_TYPE_ADDR[type_addr].typedef.name
    space = _space()
    w_type = _obj.wrap(type_addr)
    try:
        qualname = _host_str(space.getattr(w_type, "__qualname__"))
    except Exception:
        qualname = type_name(w_exc)
    try:
        module = space.getattr(w_type, "__module__")
        module = _host_str(module) if hasattr(module, "v") and isinstance(module.v, str) else None
    except Exception:
        module = None
    if module is None:
        return "<unknown>." + qualname
    if module in ("builtins", "__main__"):
        return qualname
    return module + "." + qualname


def exception_str(w_exc):
    """str(w_exc) as a host str (may run guest __str__; may raise)."""
    return _str_of(w_exc)


def get_args(w_exc):
    """The args tuple's items as handles."""
    w_args = get_field(w_exc, "args", "PyBaseExceptionObject")
    if w_args is None:
        return []
    return [_obj.wrap(a) for a in tuple_item_addrs(w_args.addr)]


def get_cause(w_exc):
    return get_field(w_exc, "cause", "PyBaseExceptionObject")


def get_context(w_exc):
    return get_field(w_exc, "context", "PyBaseExceptionObject")


def get_suppress_context(w_exc):
    # `char suppress_context`: cffi reads a C char as a 1-byte bytes object
    return layout.cast(w_exc.addr, "PyBaseExceptionObject").suppress_context != b"\x00"


def set_suppress_context(w_exc, flag):
    layout.cast(w_exc.addr, "PyBaseExceptionObject").suppress_context = \
        b"\x01" if flag else b"\x00"


def set_cause(w_exc, w_cause):
    """`raise X from Y`: __cause__ = Y and __suppress_context__ = True (PyException_SetCause)."""
    if not _is_none(w_cause):
        _attach_from_handled(w_cause)
    set_field(w_exc, "cause", None if _is_none(w_cause) else w_cause, "PyBaseExceptionObject")
    set_suppress_context(w_exc, True)


def set_context(w_exc, w_context):
    if not _is_none(w_context):
        _attach_from_handled(w_context)
    set_field(w_exc, "context", None if _is_none(w_context) else w_context,
              "PyBaseExceptionObject")


def get_notes(w_exc):
    """The __notes__ strings (3.11 keeps them in the instance dict), as host strs."""
    w_dict = get_field(w_exc, "dict", "PyBaseExceptionObject")
    if w_dict is None:
        return []
    space = _space()
    try:
        w_notes = space.getitem(w_dict, _newstr("__notes__"))
    except OperationError:
        return []
    out = []
    try:
        for w_note in space.iterate(w_notes):
            out.append(_host_str(w_note) if isinstance(getattr(w_note, "v", None), str)
                       else _str_of(w_note))
    except OperationError:
        pass
    return out


def syntax_error_info(w_exc):
    """(msg, filename, lineno, offset, text, end_lineno, end_offset) as host values for a
    SyntaxError, None for other exceptions."""
    if getattr(type(w_exc), "struct_name", None) != "PySyntaxErrorObject":
        return None

    def host(field, kind):
        w = get_field(w_exc, field)
        if w is None or _is_none(w):
            return None
        v = getattr(w, "v", None)
        if kind is int and isinstance(v, int):
            return v
        if kind is str:
            return v if isinstance(v, str) else _str_of(w)
        return None

    msg = host("msg", str)
    if msg is None:
        args = get_args(w_exc)
        msg = _str_of(args[0]) if args else ""
    return (msg, host("filename", str), host("lineno", int), host("offset", int),
            host("text", str), host("end_lineno", int), host("end_offset", int))


# --- tracebacks -------------------------------------------------------------------------------

def set_traceback(w_exc, host_tb):
    """Store a host runtime.traceback.Traceback chain (or None) in the __traceback__ field."""
    set_field(w_exc, "traceback", None if host_tb is None else _obj.wrap(id(host_tb)),
              "PyBaseExceptionObject")


def get_host_traceback(w_exc):
    """The host Traceback chain in the struct, or None."""
    from runtime.traceback import Traceback
    p = layout.cast(w_exc.addr, "PyBaseExceptionObject")
    addr = _addr(p.traceback)
    if not addr:
        return None
    import _ctypes
    obj = _ctypes.PyObj_FromPtr(addr)
    return obj if isinstance(obj, Traceback) else None


def _attach_from_handled(w_exc):
    """If `w_exc` is an exception the evaluator is handling (runtime.interp.frame.ts.handled)
    whose traceback is not in the struct yet, store it there now: a caught exception keeps
    the frames it passed through (for chaining, re-raising and __traceback__)."""
    if w_exc is None or _addr(layout.cast(w_exc.addr, "PyBaseExceptionObject").traceback):
        return
    try:
        from runtime.interp.frame import ts
    except ImportError:
        return
    for operr in reversed(ts.handled):
        if operr.w_value is not None and operr.w_value.addr == w_exc.addr and operr.traceback:
            attach_traceback(operr)
            return


def ensure_traceback(w_exc, operr):
    """Store operr's traceback in w_exc's struct unless it already has one."""
    if not _addr(layout.cast(w_exc.addr, "PyBaseExceptionObject").traceback):
        attach_traceback(operr)


def get_traceback_entries(w_exc):
    _attach_from_handled(w_exc)
    tb = get_host_traceback(w_exc)
    return tb.entries() if tb is not None else []


def attach_traceback(operr):
    """Write `operr.traceback` (TbEntry list, outermost first) into the guest object's
    __traceback__ field; returns the guest object."""
    from runtime.traceback import build_traceback
    w_exc = materialise(operr)
    if operr.traceback:
        set_traceback(w_exc, build_traceback(operr.traceback))
    return w_exc


# --- BaseException behaviour (exceptions.c BaseException_*) -----------------------------------

td_base = W_BaseException.typedef


class Member:
    """A struct field exposed as a guest attribute (CPython's PyMemberDef, T_OBJECT): reading
    NULL gives None. `kind` "ssize" for Py_ssize_t fields (T_PYSSIZET)."""

    def __init__(self, field, struct_name, kind="object", doc=None):
        self.field = field
        self.struct_name = struct_name
        self.kind = kind
        self.doc = doc

    def get(self, w_obj):
        if self.kind == "ssize":
            return _newint(getattr(layout.cast(w_obj.addr, self.struct_name), self.field))
        w = get_field(w_obj, self.field, self.struct_name)
        return _w_none() if w is None else w

    def set(self, w_obj, w_value):
        if self.kind == "ssize":
            setattr(layout.cast(w_obj.addr, self.struct_name), self.field,
                    _space().index(w_value))
            return
        set_field(w_obj, self.field, w_value, self.struct_name)

    def delete(self, w_obj):
        if self.kind == "ssize":
            raise oefmt("TypeError", "can't delete numeric/char attribute")
        set_field(w_obj, self.field, None, self.struct_name)


class GetSet:
    """A computed attribute (CPython's PyGetSetDef): getter/setter host functions."""

    def __init__(self, get, set=None, delete=None, doc=None):
        self._get = get
        self._set = set
        self._delete = delete
        self.doc = doc

    def get(self, w_obj):
        return self._get(w_obj)

    def set(self, w_obj, w_value):
        if self._set is None:
            raise oefmt("AttributeError", "attribute is read-only")
        self._set(w_obj, w_value)

    def delete(self, w_obj):
        if self._delete is None:
            raise oefmt("TypeError", "can't delete attribute")
        self._delete(w_obj)


# TypeDef has only `methods`; attributes (members/getsets) go in `attributes` on the same
# TypeDef objects, which space.getattr consults (see docs/DESIGN.md §5).
for _td in TYPEDEFS.values():
    _td.attributes = {}


def _attr(td, name, descr):
    td.attributes[name] = descr
    td.methods[name] = descr


def _set_args(w_exc, args_w):
    set_field(w_exc, "args", _newtuple(args_w), "PyBaseExceptionObject")


def _no_keywords(w_self, kwargs_w):
    if kwargs_w:
        raise oefmt("TypeError", "%s() takes no keyword arguments", type_name(w_self))


@td_base.method("__new__")
def BaseException_new(w_type, /, *args_w, **kwargs_w):
    w_exc = alloc_exception(w_type.addr)
    _set_args(w_exc, args_w)
    return w_exc


@td_base.method("__init__")
def BaseException_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    _set_args(w_self, args_w)
    return _w_none()


@td_base.method("__str__")
def BaseException_str(w_self):
    args = get_args(w_self)
    if not args:
        return _newstr("")
    if len(args) == 1:
        return _space().str(args[0])
    return _space().str(get_field(w_self, "args", "PyBaseExceptionObject"))


@td_base.method("__repr__")
def BaseException_repr(w_self):
    args = get_args(w_self)
    name = type_name(w_self)
    if len(args) == 1:
        return _newstr("%s(%s)" % (name, _repr_of(args[0])))
    return _newstr(name + _repr_of(get_field(w_self, "args", "PyBaseExceptionObject")))


@td_base.method("__reduce__")
def BaseException_reduce(w_self):
    w_type = _obj.wrap(type_addr_of(w_self))
    w_args = get_field(w_self, "args", "PyBaseExceptionObject") or _newtuple([])
    w_dict = get_field(w_self, "dict", "PyBaseExceptionObject")
    if w_dict is not None and _space().len(w_dict):
        return _newtuple([w_type, w_args, w_dict])
    return _newtuple([w_type, w_args])


@td_base.method("__setstate__")
def BaseException_setstate(w_self, w_state):
    if not _is_none(w_state):
        space = _space()
        for w_key in space.iterate(w_state):
            space.setattr(w_self, w_key.v, space.getitem(w_state, w_key))
    return _w_none()


@td_base.method("with_traceback")
def BaseException_with_traceback(w_self, w_tb):
    set_field(w_self, "traceback", None if _is_none(w_tb) else w_tb, "PyBaseExceptionObject")
    return w_self


@td_base.method("add_note")
def BaseException_add_note(w_self, w_note):
    space = _space()
    if not isinstance(getattr(w_note, "v", None), str):
        raise oefmt("TypeError", "note must be a str, not '%s'", type_name(w_note)
                    if isinstance(w_note, W_BaseException) else _type_name_any(w_note))
    w_name = "__notes__"
    try:
        w_notes = space.getattr(w_self, w_name)
    except OperationError as e:
        if not exception_matches(e, w_type_of("AttributeError")):
            raise
        w_notes = space.newlist([])
        space.setattr(w_self, w_name, w_notes)
    if not space.isinstance_w(w_notes, _o_wrap_type_list()):
        raise oefmt("TypeError", "Cannot add note: __notes__ is not a list")
    space.call(space.getattr(w_notes, "append"), [w_note], {})
    return _w_none()


def _o_wrap_type_list():
    from runtime import typeobject
    return typeobject.w_type_for_addr(_obj.type_address("PyList_Type"))


def _type_name_any(w):
    tp = _type_ptr(type_addr_of(w))
    return ffi.string(tp.tp_name).decode("utf-8", "replace").rsplit(".", 1)[-1]


def _get_args(w_self):
    return get_field(w_self, "args", "PyBaseExceptionObject") or _newtuple([])


def _set_args_attr(w_self, w_value):
    space = _space()
    _set_args(w_self, list(space.iterate(w_value)))


def _get_tb(w_self):
    _attach_from_handled(w_self)
    w = get_field(w_self, "traceback", "PyBaseExceptionObject")
    return _w_none() if w is None else w


def _set_tb(w_self, w_value):
    if not _is_none(w_value) and not _is_traceback(w_value):
        raise oefmt("TypeError", "__traceback__ must be a traceback or None")
    set_field(w_self, "traceback", None if _is_none(w_value) else w_value,
              "PyBaseExceptionObject")


def _is_traceback(w):
    from runtime.traceback import Traceback
    import _ctypes
    return isinstance(_ctypes.PyObj_FromPtr(w.addr), Traceback)


def _chain_getter(field):
    def get(w_self):
        w = get_field(w_self, field, "PyBaseExceptionObject")
        return _w_none() if w is None else w
    return get


def _chain_setter(field, label):
    def set(w_self, w_value):
        if not _is_none(w_value) and not is_exception(w_value):
            raise oefmt("TypeError", "exception %s must be None or derive from BaseException",
                        label)
        set_field(w_self, field, None if _is_none(w_value) else w_value,
                  "PyBaseExceptionObject")
        if field == "cause":
            set_suppress_context(w_self, True)
    return set


def _get_suppress(w_self):
    return _obj.w_True if get_suppress_context(w_self) else _obj.w_False


def _set_suppress(w_self, w_value):
    set_suppress_context(w_self, _space().is_true(w_value))


def _get_dict(w_self):
    w = get_field(w_self, "dict", "PyBaseExceptionObject")
    if w is None:
        w = _space().newdict()
        set_field(w_self, "dict", w, "PyBaseExceptionObject")
    return w


_attr(td_base, "args", GetSet(_get_args, _set_args_attr))
_attr(td_base, "__traceback__", GetSet(_get_tb, _set_tb))
_attr(td_base, "__context__", GetSet(_chain_getter("context"),
                                     _chain_setter("context", "context")))
_attr(td_base, "__cause__", GetSet(_chain_getter("cause"), _chain_setter("cause", "cause")))
_attr(td_base, "__suppress_context__", GetSet(_get_suppress, _set_suppress))
_attr(td_base, "__dict__", GetSet(_get_dict))


# --- subclasses with their own fields ---------------------------------------------------------

def _td(name):
    return TYPEDEFS[name]


def _members(name, struct_name, *pairs):
    td = _td(name)
    for attr, field in pairs:
        kind = "object"
        if isinstance(field, tuple):
            field, kind = field
        _attr(td, attr, Member(field, struct_name, kind))


_members("SyntaxError", "PySyntaxErrorObject",
         ("msg", "msg"), ("filename", "filename"), ("lineno", "lineno"), ("offset", "offset"),
         ("text", "text"), ("end_lineno", "end_lineno"), ("end_offset", "end_offset"),
         ("print_file_and_line", "print_file_and_line"))
_members("ImportError", "PyImportErrorObject", ("msg", "msg"), ("name", "name"), ("path", "path"))
_members("StopIteration", "PyStopIterationObject", ("value", "value"))
_members("SystemExit", "PySystemExitObject", ("code", "code"))
_members("NameError", "PyNameErrorObject", ("name", "name"))
_members("AttributeError", "PyAttributeErrorObject", ("name", "name"), ("obj", "obj"))
_members("OSError", "PyOSErrorObject", ("errno", "myerrno"), ("strerror", "strerror"),
         ("filename", "filename"), ("filename2", "filename2"))
_members("BaseExceptionGroup", "PyBaseExceptionGroupObject", ("message", "msg"),
         ("exceptions", "excs"))
for _name in ("UnicodeDecodeError", "UnicodeEncodeError", "UnicodeTranslateError"):
    _members(_name, "PyUnicodeErrorObject", ("encoding", "encoding"), ("object", "object"),
             ("start", ("start", "ssize")), ("end", ("end", "ssize")), ("reason", "reason"))


def _keywords(w_self, kwargs_w, allowed):
    for key in kwargs_w:
        if key not in allowed:
            raise oefmt("TypeError", "'%s' is an invalid keyword argument for %s()",
                        key, type_name(w_self))


@_td("StopIteration").method("__init__")
def StopIteration_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    _set_args(w_self, args_w)
    set_field(w_self, "value", args_w[0] if args_w else _w_none())
    return _w_none()


@_td("SystemExit").method("__init__")
def SystemExit_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    _set_args(w_self, args_w)
    if not args_w:
        code = _w_none()
    elif len(args_w) == 1:
        code = args_w[0]
    else:
        code = get_field(w_self, "args", "PyBaseExceptionObject")
    set_field(w_self, "code", code)
    return _w_none()


@_td("ImportError").method("__init__")
def ImportError_init(w_self, /, *args_w, **kwargs_w):
    _keywords(w_self, kwargs_w, ("name", "path"))
    _set_args(w_self, args_w)
    set_field(w_self, "msg", args_w[0] if len(args_w) == 1 else None)
    set_field(w_self, "name", kwargs_w.get("name"))
    set_field(w_self, "path", kwargs_w.get("path"))
    return _w_none()


@_td("ImportError").method("__reduce__")
def ImportError_reduce(w_self):
    """ImportError_reduce: (type, args[, state]), state = a copy of __dict__ plus the
    name and path that are set."""
    space = _space()
    w_type = _obj.wrap(type_addr_of(w_self))
    w_args = get_field(w_self, "args", "PyBaseExceptionObject") or _newtuple([])
    w_dict = get_field(w_self, "dict", "PyBaseExceptionObject")
    w_state = None
    for field in ("name", "path"):
        w = get_field(w_self, field)
        if w is not None and not _is_none(w):
            if w_state is None:
                w_state = space.call_method(w_dict, "copy") if w_dict is not None \
                    else space.newdict()
            space.setitem(w_state, _newstr(field), w)
    if w_state is None and w_dict is not None and space.len(w_dict):
        w_state = w_dict
    if w_state is None:
        return _newtuple([w_type, w_args])
    return _newtuple([w_type, w_args, w_state])


@_td("ImportError").method("__str__")
def ImportError_str(w_self):
    w_msg = get_field(w_self, "msg")
    if w_msg is not None and not _is_none(w_msg):
        return _space().str(w_msg)
    return BaseException_str(w_self)


@_td("NameError").method("__init__")
def NameError_init(w_self, /, *args_w, **kwargs_w):
    _keywords(w_self, kwargs_w, ("name",))
    _set_args(w_self, args_w)
    set_field(w_self, "name", kwargs_w.get("name"))
    return _w_none()


@_td("AttributeError").method("__init__")
def AttributeError_init(w_self, /, *args_w, **kwargs_w):
    _keywords(w_self, kwargs_w, ("name", "obj"))
    _set_args(w_self, args_w)
    set_field(w_self, "name", kwargs_w.get("name"))
    set_field(w_self, "obj", kwargs_w.get("obj"))
    return _w_none()


@_td("KeyError").method("__str__")
def KeyError_str(w_self):
    args = get_args(w_self)
    if len(args) == 1:
        return _space().repr(args[0])
    return BaseException_str(w_self)


@_td("SyntaxError").method("__init__")
def SyntaxError_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    _set_args(w_self, args_w)
    if args_w:
        set_field(w_self, "msg", args_w[0])
    if len(args_w) == 2:
        space = _space()
        info = list(space.iterate(args_w[1]))
        # PyArg_ParseTuple(info, "OOOO|OO", ...) in SyntaxError_init
        if len(info) < 4:
            raise oefmt("TypeError", "function takes at least 4 arguments (%d given)",
                        len(info))
        if len(info) > 6:
            raise oefmt("TypeError", "function takes at most 6 arguments (%d given)",
                        len(info))
        if len(info) == 5:
            raise oefmt("TypeError",
                        "end_offset must be provided when end_lineno is provided")
        fields = ["filename", "lineno", "offset", "text", "end_lineno", "end_offset"]
        for field, w in zip(fields, info):
            set_field(w_self, field, w)
    return _w_none()


@_td("SyntaxError").method("__str__")
def SyntaxError_str(w_self):
    info = syntax_error_info(w_self)
    msg = _str_of(get_field(w_self, "msg") or _newstr(""))
    filename, lineno = info[1], info[2]
    if filename is not None:
        filename = filename.rsplit("/", 1)[-1]
    if filename is not None and lineno is not None:
        return _newstr("%s (%s, line %d)" % (msg, filename, lineno))
    if filename is not None:
        return _newstr("%s (%s)" % (msg, filename))
    if lineno is not None:
        return _newstr("%s (line %d)" % (msg, lineno))
    return _newstr(msg)


# OSError: errno -> subclass (exceptions.c errnomap), chosen in OSError.__new__
def _errno_map():
    import errno
    pairs = {
        "BlockingIOError": ("EAGAIN", "EALREADY", "EWOULDBLOCK", "EINPROGRESS"),
        "ChildProcessError": ("ECHILD",), "BrokenPipeError": ("EPIPE", "ESHUTDOWN"),
        "ConnectionAbortedError": ("ECONNABORTED",), "ConnectionRefusedError": ("ECONNREFUSED",),
        "ConnectionResetError": ("ECONNRESET",), "FileExistsError": ("EEXIST",),
        "FileNotFoundError": ("ENOENT",), "IsADirectoryError": ("EISDIR",),
        "NotADirectoryError": ("ENOTDIR",), "InterruptedError": ("EINTR",),
        "PermissionError": ("EACCES", "EPERM"), "ProcessLookupError": ("ESRCH",),
        "TimeoutError": ("ETIMEDOUT",),
    }
    out = {}
    for name, codes in pairs.items():
        for code in codes:
            if hasattr(errno, code):
                out[getattr(errno, code)] = name
    return out


_ERRNO_MAP = _errno_map()


@_td("OSError").method("__new__")
def OSError_new(w_type, /, *args_w, **kwargs_w):
    type_addr = w_type.addr
    if type_addr == id(OSError) and 2 <= len(args_w) <= 5:
        errno_value = getattr(args_w[0], "v", None)
        if type(errno_value) is int and errno_value in _ERRNO_MAP:
            type_addr = id(HOST_EXCEPTIONS[_ERRNO_MAP[errno_value]])
    w_exc = alloc_exception(type_addr)
    _set_args(w_exc, args_w)
    return w_exc


@_td("OSError").method("__init__")
def OSError_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    _set_args(w_self, args_w)
    if 2 <= len(args_w) <= 5:
        set_field(w_self, "myerrno", args_w[0])
        set_field(w_self, "strerror", args_w[1])
        if len(args_w) >= 3:
            set_field(w_self, "filename", args_w[2])
        if len(args_w) >= 5:
            set_field(w_self, "filename2", args_w[4])
        if len(args_w) >= 3:
            # CPython keeps only (errno, strerror) in args once a filename is given
            _set_args(w_self, args_w[:2])
    return _w_none()


@_td("OSError").method("__str__")
def OSError_str(w_self):
    def field(name):
        w = get_field(w_self, name)
        return None if w is None or _is_none(w) else w
    w_errno, w_strerror = field("myerrno"), field("strerror")
    w_file, w_file2 = field("filename"), field("filename2")
    if w_file is not None:
        if w_file2 is not None:
            return _newstr("[Errno %s] %s: %s -> %s" % (
                _str_of(w_errno) if w_errno else "None", _str_of(w_strerror) if w_strerror
                else "None", _repr_of(w_file), _repr_of(w_file2)))
        return _newstr("[Errno %s] %s: %s" % (
            _str_of(w_errno) if w_errno else "None",
            _str_of(w_strerror) if w_strerror else "None", _repr_of(w_file)))
    if w_errno is not None and w_strerror is not None:
        return _newstr("[Errno %s] %s" % (_str_of(w_errno), _str_of(w_strerror)))
    return BaseException_str(w_self)


def _get_written(w_self):
    n = layout.cast(w_self.addr, "PyOSErrorObject").written
    if n == -1:
        raise oefmt("AttributeError", "characters_written")
    return _newint(n)


def _set_written(w_self, w_value):
    layout.cast(w_self.addr, "PyOSErrorObject").written = _space().index(w_value)


_attr(_td("OSError"), "characters_written", GetSet(_get_written, _set_written))


def _unicode_init(w_self, args_w, fields):
    """UnicodeXError_init: PyArg_ParseTuple "UOnnU" (decode: the object is any bytes-like
    object, stored as bytes), "UUnnU" (encode), "UnnU" (translate)."""
    _set_args(w_self, args_w)
    if len(args_w) != len(fields):
        raise oefmt("TypeError", "function takes exactly %d arguments (%d given)",
                    len(fields), len(args_w))
    space = _space()
    from runtime import typeobject
    decode = fields[1] == "object" and typeobject.exc_instance_of_name(w_self,
                                                                       "UnicodeDecodeError")
    values = []
    for i, (field, w) in enumerate(zip(fields, args_w)):
        if field in ("start", "end"):
            values.append(space.index(w))
            continue
        if field == "object" and decode:
            if not isinstance(w, _obj.W_Bytes):
                if isinstance(w, _obj.W_ByteArray):
                    data = bytes(space.int_w(x) for x in space.listview(w))
                else:
                    # any object with the buffer protocol: its struct is a real host
                    # object, so the host's memoryview reads the buffer (PyObject_GetBuffer)
                    try:
                        data = bytes(memoryview(w.ref))
                    except (TypeError, AttributeError):
                        raise oefmt("TypeError", "a bytes-like object is required, "
                                    "not '%s'", space.typename(w))
                from runtime import bytesobject
                w = bytesobject.new_bytes(data)
        elif not isinstance(w, _obj.W_Str):
            raise oefmt("TypeError", "argument %d must be str, not %s", i + 1,
                        space.typename(w))
        values.append(w)
    p = layout.cast(w_self.addr, "PyUnicodeErrorObject")
    for field, w in zip(fields, values):
        if field in ("start", "end"):
            setattr(p, field, w)
        else:
            set_field(w_self, field, w, "PyUnicodeErrorObject")
    return _w_none()


@_td("UnicodeDecodeError").method("__init__")
def UnicodeDecodeError_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    return _unicode_init(w_self, args_w, ("encoding", "object", "start", "end", "reason"))


@_td("UnicodeEncodeError").method("__init__")
def UnicodeEncodeError_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    return _unicode_init(w_self, args_w, ("encoding", "object", "start", "end", "reason"))


@_td("UnicodeTranslateError").method("__init__")
def UnicodeTranslateError_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    return _unicode_init(w_self, args_w, ("object", "start", "end", "reason"))


def _unicode_fields(w_self):
    p = layout.cast(w_self.addr, "PyUnicodeErrorObject")
    w_obj = get_field(w_self, "object", "PyUnicodeErrorObject")
    return p.start, p.end, w_obj


def _char_repr(ch):
    code = ord(ch)
    if code <= 0xff:
        return "'\\x%02x'" % code
    if code <= 0xffff:
        return "'\\u%04x'" % code
    return "'\\U%08x'" % code


@_td("UnicodeDecodeError").method("__str__")
def UnicodeDecodeError_str(w_self):
    start, end, w_obj = _unicode_fields(w_self)
    if w_obj is None:
        return _newstr("")           # made by __new__ alone (issue #21134)
    enc = _str_of(get_field(w_self, "encoding", "PyUnicodeErrorObject") or _newstr(""))
    reason = _str_of(get_field(w_self, "reason", "PyUnicodeErrorObject") or _newstr(""))
    data = getattr(w_obj, "v", b"") if w_obj is not None else b""
    if start < len(data) and end == start + 1:
        return _newstr("'%s' codec can't decode byte 0x%02x in position %d: %s"
                       % (enc, data[start], start, reason))
    return _newstr("'%s' codec can't decode bytes in position %d-%d: %s"
                   % (enc, start, end - 1, reason))


@_td("UnicodeEncodeError").method("__str__")
def UnicodeEncodeError_str(w_self):
    start, end, w_obj = _unicode_fields(w_self)
    if w_obj is None:
        return _newstr("")           # made by __new__ alone (issue #21134)
    enc = _str_of(get_field(w_self, "encoding", "PyUnicodeErrorObject") or _newstr(""))
    reason = _str_of(get_field(w_self, "reason", "PyUnicodeErrorObject") or _newstr(""))
    text = getattr(w_obj, "v", "") if w_obj is not None else ""
    if start < len(text) and end == start + 1:
        ch = text[start]
        shown = ("'\\x%02x'" % ord(ch)) if ord(ch) <= 0xff else _char_repr(ch)
        return _newstr("'%s' codec can't encode character %s in position %d: %s"
                       % (enc, shown, start, reason))
    return _newstr("'%s' codec can't encode characters in position %d-%d: %s"
                   % (enc, start, end - 1, reason))


@_td("UnicodeTranslateError").method("__str__")
def UnicodeTranslateError_str(w_self):
    start, end, w_obj = _unicode_fields(w_self)
    if w_obj is None:
        return _newstr("")           # made by __new__ alone (issue #21134)
    reason = _str_of(get_field(w_self, "reason", "PyUnicodeErrorObject") or _newstr(""))
    text = getattr(w_obj, "v", "") if w_obj is not None else ""
    if start < len(text) and end == start + 1:
        return _newstr("can't translate character %s in position %d: %s"
                       % (_char_repr(text[start]), start, reason))
    return _newstr("can't translate characters in position %d-%d: %s"
                   % (start, end - 1, reason))


# --- exception groups (PEP 654; Objects/exceptions.c BaseExceptionGroup_new) -------------------

@_td("BaseExceptionGroup").method("__new__")
def BaseExceptionGroup_new(w_type, /, *args_w, **kwargs_w):
    space = _space()
    if len(args_w) != 2:
        raise oefmt("TypeError", "BaseExceptionGroup.__new__() takes exactly 2 arguments (%d "
                    "given)", len(args_w))
    w_msg, w_excs = args_w
    if not isinstance(getattr(w_msg, "v", None), str):
        raise oefmt("TypeError", "argument 1 must be str, not %s", _type_name_any(w_msg))
    excs = list(space.iterate(w_excs))
    if not excs:
        raise oefmt("ValueError", "second argument (exceptions) must be a non-empty sequence")
    all_exceptions = True
    for w_e in excs:
        if not is_exception(w_e):
            raise oefmt("ValueError", "Item %d of second argument (exceptions) is not an "
                        "exception", excs.index(w_e))
        if not is_subclass_addr(type_addr_of(w_e), id(Exception)):
            all_exceptions = False
    type_addr = w_type.addr
    if type_addr == id(BaseExceptionGroup) and all_exceptions:
        type_addr = id(ExceptionGroup)
    elif type_addr == id(ExceptionGroup) and not all_exceptions:
        raise oefmt("TypeError", "Cannot nest BaseExceptions in an ExceptionGroup")
    w_exc = alloc_exception(type_addr)
    _set_args(w_exc, args_w)
    set_field(w_exc, "msg", w_msg, "PyBaseExceptionGroupObject")
    set_field(w_exc, "excs", _newtuple(excs), "PyBaseExceptionGroupObject")
    return w_exc


@_td("BaseExceptionGroup").method("__init__")
def BaseExceptionGroup_init(w_self, /, *args_w, **kwargs_w):
    _no_keywords(w_self, kwargs_w)
    _set_args(w_self, args_w)
    return _w_none()


@_td("BaseExceptionGroup").method("__str__")
def BaseExceptionGroup_str(w_self):
    w_msg = get_field(w_self, "msg", "PyBaseExceptionGroupObject")
    w_excs = get_field(w_self, "excs", "PyBaseExceptionGroupObject")
    n = len(tuple_item_addrs(w_excs.addr)) if w_excs else 0
    return _newstr("%s (%d sub-exception%s)" % (_str_of(w_msg), n, "" if n == 1 else "s"))


def group_exceptions(w_group):
    """The sub-exceptions of an exception group, as handles."""
    w_excs = get_field(w_group, "excs", "PyBaseExceptionGroupObject")
    if w_excs is None:
        return []
    return [_obj.wrap(a) for a in tuple_item_addrs(w_excs.addr)]


def _derive(w_self, excs_w):
    w_msg = get_field(w_self, "msg", "PyBaseExceptionGroupObject")
    return new_exception(w_type_of("BaseExceptionGroup"), [w_msg, _space().newlist(excs_w)])


@_td("BaseExceptionGroup").method("derive")
def BaseExceptionGroup_derive(w_self, w_excs):
    return _derive(w_self, list(_space().iterate(w_excs)))


def _split(w_self, predicate):
    """(match, rest) of an exception group by `predicate(w_exc) -> bool` (recursive)."""
    if predicate(w_self):
        return w_self, None
    matched, rest = [], []
    for w_e in group_exceptions(w_self):
        if _is_group(w_e):
            m, r = _split(w_e, predicate)
        elif predicate(w_e):
            m, r = w_e, None
        else:
            m, r = None, w_e
        if m is not None:
            matched.append(m)
        if r is not None:
            rest.append(r)

    def build(parts):
        if not parts:
            return None
        space = _space()
        w_new = space.call(space.getattr(w_self, "derive"), [space.newlist(parts)], {})
        for field in ("cause", "context", "traceback"):
            w = get_field(w_self, field, "PyBaseExceptionObject")
            if w is not None:
                set_field(w_new, field, w, "PyBaseExceptionObject")
        return w_new
    return build(matched), build(rest)


def _is_group(w):
    return is_subclass_addr(type_addr_of(w), id(BaseExceptionGroup))


def _matcher(w_condition):
    space = _space()
    if is_exception_type(type_addr_of(w_condition)) is False and \
            type_addr_of(w_condition) in (id(type),) or _is_class_or_tuple(w_condition):
        return lambda w_e: _class_matches(type_addr_of(w_e), w_condition)
    return lambda w_e: space.is_true(space.call(w_condition, [w_e], {}))


def _is_class_or_tuple(w):
    t = type_addr_of(w)
    if t == id(tuple):
        return True
    return id(type) in mro_addrs(t)


@_td("BaseExceptionGroup").method("split")
def BaseExceptionGroup_split(w_self, w_condition):
    m, r = _split(w_self, _matcher(w_condition))
    return _newtuple([m or _w_none(), r or _w_none()])


@_td("BaseExceptionGroup").method("subgroup")
def BaseExceptionGroup_subgroup(w_self, w_condition):
    m, _ = _split(w_self, _matcher(w_condition))
    return m or _w_none()


def split_group(w_group, w_type):
    """except* support: (matching subgroup or None, rest or None) for class(es) `w_type`."""
    return _split(w_group, lambda w_e: _class_matches(type_addr_of(w_e), w_type))
