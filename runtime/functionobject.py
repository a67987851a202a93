"""Functions, methods and the small beale-built types around them.

CPython builds these in Objects/funcobject.c, classobject.c, descrobject.c, genobject.c.
beale builds its own *heap types* for them (runtime.typeobject.new_data_type): each object
is a real struct with a PyObject header, so C can hold it, whose single extra field
`__data` (a PyMemberDef T_OBJECT_EX member, cleared by CPython's subtype_dealloc) points
at a HOST object holding what the interpreter needs: the compiled code, defaults, closure
cells (as handles), the bound self, the host generator, ... Several handles on the same
struct therefore share one host data object: nothing is kept per handle except a cache of
that pointer (slot `data`).

Types: function (with a __dict__), method (bound method), builtin_function_or_method,
classmethod, staticmethod, property, member_descriptor (__slots__), getset_descriptor,
mappingproxy, iterator (the sequence iterator), callable_iterator, super, generator,
coroutine, async_generator (the last three in runtime/interp/generator.py).
"""

from layout import ffi
from runtime import object as _o
from runtime.object import W_Object, w_None
from runtime.errors import OperationError, oefmt, host_call_type_error
from runtime.typedef import TypeDef, TYPEDEFS
from runtime import space
from runtime import typeobject as _t

_cast = ffi.cast
_PyObj_FromPtr = _o._PyObj_FromPtr
_PTR = ffi.sizeof("void *")
DATA_OFFSET = _o.SIZEOF_PYOBJECT          # the __data member follows the header
_DATA_WORD = DATA_OFFSET // _o._WORD    # _MEM[(a >> 3) - 1 + k]: word k of the object at a
_MEM = _o._MEM
_getattr = getattr


class W_DataObject(W_Object):
    """Handle on a struct whose `__data` field points at a host object."""
    __slots__ = ("data",)

    def get_data(self):
        # a handle made by wrap() (a C slot's argument, a LOAD_GLOBAL cache hit) has no
        # `data` yet: getattr with a default, not try/except (raising AttributeError
        # costs more than the rest of a generator step called from C)
        d = _getattr(self, "data", None)
        if d is None:
            d = self.data = _PyObj_FromPtr(_MEM[(self.addr >> 3) - 1 + _DATA_WORD])
        return d


def new_data_object(hcls, data, w_type=None):
    """Allocate an instance of hcls's beale-built type (or of w_type, a guest subclass of
    it) holding host object `data`."""
    td = hcls.typedef
    if w_type is not None and w_type.addr != td.type_addr:
        td = _t.typedef_of_type(w_type)
        hcls = td.handle_class
    # a guest subclass (class abstractproperty(property)) may keep a 3.11 managed dict
    # in front of the PyGC_Head: its instances need those two words too
    # allocated, given its type's count and tracked in one call (typeobject.alloc_instance:
    # build_ffi's beale_fast_instance); the collector meanwhile sees a NULL __data member
    w = _t.alloc_instance(td.type_addr, hcls, td.basicsize,
                          _o.MANAGED_DICT_PRE if _o.has_managed_dict(td.type_addr) else 0)
    _o.incref(id(data))
    _cast("uintptr_t *", w.addr + DATA_OFFSET)[0] = id(data)
    w.data = data
    return w


def make_type(name, hcls, has_dict=False, base_td=None, qualname=None, basetype=False,
              weakref=False):
    """Build the heap type for a data-object handle class and its TypeDef."""
    td = TypeDef(name, base_td or _t.object_typedef, None, hcls)
    _t.new_data_type(td, has_dict, qualname, basetype, weakref)
    return td


# --- functions --------------------------------------------------------------------------------

class FunctionData:
    """What a guest function holds (PyFunctionObject's fields, host side)."""
    __slots__ = ("code", "w_globals", "name", "qualname", "defaults_w", "kwdefaults_w",
                 "closure", "w_doc", "w_module", "w_annotations", "w_builtins", "__weakref__")

    def __init__(self, code, w_globals, name, qualname, defaults_w, kwdefaults_w, closure,
                 w_doc, w_module):
        self.code = code
        self.w_globals = w_globals
        self.name = name
        self.qualname = qualname
        self.defaults_w = defaults_w          # host list of handles (positional defaults)
        self.kwdefaults_w = kwdefaults_w      # host dict name -> handle, or None
        self.closure = closure                # host list of cell handles, or None
        self.w_doc = w_doc
        self.w_module = w_module
        self.w_annotations = None
        self.w_builtins = None


class W_Function(W_DataObject):
    __slots__ = ()
    dict_field_offset = DATA_OFFSET + _PTR


function_typedef = make_type("function", W_Function, has_dict=True, weakref=True)
_t.install_c_slots(function_typedef.type_addr, call=True, descr_get=True)


def new_function(code, w_globals, name, qualname, defaults_w, kwdefaults_w, closure,
                 w_doc=None, w_module=None):
    data = FunctionData(code, w_globals, name, qualname, defaults_w, kwdefaults_w, closure,
                        w_doc or w_None, w_module or w_None)
    return new_data_object(W_Function, data)


def call_function(w_f, args_w, kwargs_w):
    d = w_f.get_data()
    return d.code.call(w_f, d, args_w, kwargs_w)


def _fn_get(w_f, w_obj, w_type=None):
    if w_obj is None or w_obj.addr == _o.ADDR_None:
        return w_f
    return new_method(w_f, w_obj)


def _fn_call(w_f, /, *args_w, **kwargs_w):
    return call_function(w_f, list(args_w), kwargs_w or None)


def _fn_repr(w_f):
    return space.newstr("<function %s at 0x%x>" % (w_f.get_data().qualname, w_f.addr))


def _prop(td, name, get, set=None):
    td.methods[name] = _t.HostProperty(get, set)


def _fn_set_name(w_f, w_v):
    w_f.get_data().name = space.str_w(w_v)


def _fn_set_qualname(w_f, w_v):
    w_f.get_data().qualname = space.str_w(w_v)


def _fn_defaults(w_f):
    d = w_f.get_data().defaults_w
    return space.newtuple(list(d)) if d else w_None


def _fn_set_defaults(w_f, w_v):
    w_f.get_data().defaults_w = [] if w_v.addr == _o.ADDR_None else list(space.iterate(w_v))


def _fn_kwdefaults(w_f):
    d = w_f.get_data().kwdefaults_w
    if not d:
        return w_None
    return space.newdict([(space.newstr(k), v) for k, v in d.items()])


def _fn_set_kwdefaults(w_f, w_v):
    if w_v.addr == _o.ADDR_None:
        w_f.get_data().kwdefaults_w = None
        return
    w_f.get_data().kwdefaults_w = {space.str_w(k): space.getitem(w_v, k)
                                   for k in space.iterate(w_v)}


def _fn_closure(w_f):
    c = w_f.get_data().closure
    return space.newtuple(list(c)) if c else w_None


def _fn_annotations(w_f):
    d = w_f.get_data()
    if d.w_annotations is None:
        d.w_annotations = space.newdict()
    return d.w_annotations


def _fn_set_annotations(w_f, w_v):
    w_f.get_data().w_annotations = w_v


def _fn_set_doc(w_f, w_v):
    w_f.get_data().w_doc = w_v


def _fn_set_module(w_f, w_v):
    w_f.get_data().w_module = w_v


def _fn_code(w_f):
    return new_code_object(w_f.get_data().code)


function_typedef.methods.update({"__reduce__": lambda w: _fn_reduce(w),
                                 "__get__": _fn_get, "__call__": _fn_call,
                                 "__repr__": _fn_repr})
_prop(function_typedef, "__name__", lambda w: space.newstr(w.get_data().name), _fn_set_name)
_prop(function_typedef, "__qualname__", lambda w: space.newstr(w.get_data().qualname),
      _fn_set_qualname)
_prop(function_typedef, "__defaults__", _fn_defaults, _fn_set_defaults)
_prop(function_typedef, "__kwdefaults__", _fn_kwdefaults, _fn_set_kwdefaults)
_prop(function_typedef, "__closure__", _fn_closure)
_prop(function_typedef, "__globals__", lambda w: w.get_data().w_globals)


def _fn_builtins(w_f):
    """func.__builtins__ (3.10, _PyEval_BuiltinsFromGlobals): the globals' __builtins__
    (a module gives its dict), else the builtins module's dict."""
    from runtime import builtins, moduleobject
    try:
        w_b = space.getitem(w_f.get_data().w_globals, space.newstr("__builtins__"))
    except OperationError as e:
        if not space.exception_match(e, "KeyError"):
            raise
        return builtins.get_builtins_dict()
    if isinstance(w_b, moduleobject.W_Module):
        return space.getattr(w_b, "__dict__")
    return w_b


_prop(function_typedef, "__builtins__", _fn_builtins)
_prop(function_typedef, "__doc__", lambda w: w.get_data().w_doc, _fn_set_doc)
_prop(function_typedef, "__module__", lambda w: w.get_data().w_module, _fn_set_module)
_prop(function_typedef, "__annotations__", _fn_annotations, _fn_set_annotations)
def _fn_set_code(w_f, w_code):
    if w_code.__class__ is not W_Code:
        raise oefmt("TypeError", "__code__ must be set to a code object")
    w_f.get_data().code = w_code.get_data()


_prop(function_typedef, "__code__", _fn_code, _fn_set_code)
_prop(function_typedef, "__dict__", lambda w: _t.get_instance_dict(w, create=True))


# --- code objects (read-only view of a compiled body) ----------------------------------------

class W_Code(W_DataObject):
    __slots__ = ()


code_typedef = make_type("code", W_Code, weakref=True)


def new_code_object(code):
    """The guest code object of a compiled Code: one per Code, as CPython's function and
    generator share one PyCodeObject (`g.gi_code is f.__code__`)."""
    w = code.__dict__.get("_w_code")
    if w is None:
        w = code._w_code = new_data_object(W_Code, code)
    return w


_prop(code_typedef, "co_name", lambda w: space.newstr(w.get_data().name))
_prop(code_typedef, "co_qualname", lambda w: space.newstr(w.get_data().qualname))
_prop(code_typedef, "co_filename", lambda w: space.newstr(w.get_data().filename))
_prop(code_typedef, "co_firstlineno", lambda w: space.newint(w.get_data().firstlineno))
_prop(code_typedef, "co_argcount", lambda w: space.newint(w.get_data().argcount))
_prop(code_typedef, "co_posonlyargcount", lambda w: space.newint(w.get_data().posonlyargcount))
_prop(code_typedef, "co_kwonlyargcount", lambda w: space.newint(w.get_data().kwonlyargcount))
_prop(code_typedef, "co_flags", lambda w: space.newint(w.get_data().flags))
def _co_varnames(code):
    """CPython's co_varnames: every parameter first (a parameter that is a cell too), then
    the other fast locals."""
    params = list(code.params)
    return params + [n for n in code.varnames if n not in params]


_prop(code_typedef, "co_varnames",
      lambda w: space.newtuple([space.newstr(n) for n in _co_varnames(w.get_data())]))
_prop(code_typedef, "co_freevars",
      lambda w: space.newtuple([space.newstr(n) for n in w.get_data().freevars]))
_prop(code_typedef, "co_cellvars",
      lambda w: space.newtuple([space.newstr(n) for n in w.get_data().cellvars]))
_prop(code_typedef, "co_nlocals", lambda w: space.newint(len(_co_varnames(w.get_data()))))
def _code_replace(w_code, /, **kwargs_w):
    """code.replace(): beale supports changing co_flags, co_name and co_qualname."""
    import copy
    code = copy.copy(w_code.get_data())
    code.__dict__.pop("_w_code", None)
    for k, w_v in kwargs_w.items():
        if k == "co_flags":
            code.flags = space.index(w_v)
        elif k == "co_name":
            code.name = space.str_w(w_v)
        elif k == "co_qualname":
            code.qualname = space.str_w(w_v)
        else:
            raise oefmt("NotImplementedError", "beale: code.replace(%s=...) is not supported", k)
    return new_code_object(code)


code_typedef.methods["replace"] = _code_replace
code_typedef.methods["__repr__"] = lambda w: space.newstr(
    '<code object %s at 0x%x, file "%s", line %d>' % (
        w.get_data().name, w.addr, w.get_data().filename, w.get_data().firstlineno))


# --- bound methods ------------------------------------------------------------------------------

class MethodData:
    __slots__ = ("w_func", "w_self")

    def __init__(self, w_func, w_self):
        self.w_func = w_func
        self.w_self = w_self


class W_Method(W_DataObject):
    __slots__ = ()


method_typedef = make_type("method", W_Method, weakref=True)
_t.install_c_slots(method_typedef.type_addr, call=True)


def new_method(w_func, w_self):
    return new_data_object(W_Method, MethodData(w_func, w_self))


def call_method_obj(w_m, args_w, kwargs_w):
    d = w_m.get_data()
    w_func = d.w_func
    if w_func.__class__ is W_Function:
        fd = w_func.get_data()
        return fd.code.call(w_func, fd, [d.w_self] + list(args_w), kwargs_w)
    return space.call(w_func, [d.w_self] + list(args_w), kwargs_w)


def _m_repr(w_m):
    d = w_m.get_data()
    w_name = space.findattr(d.w_func, "__qualname__") or space.findattr(d.w_func, "__name__")
    name = space.str_w(w_name) if w_name is not None else "?"
    return space.newstr("<bound method %s of %s>" % (name, space.repr_s(d.w_self)))


def _m_eq(w_m, w_other):
    if w_other.__class__ is not W_Method:
        return _o.w_NotImplemented
    a = w_m.get_data()
    b = w_other.get_data()
    return space.newbool(a.w_self.addr == b.w_self.addr and space.eq(a.w_func, b.w_func))


def _m_hash(w_m):
    """meth_hash: the identity hash of __self__ (_Py_HashPointer), xor hash(__func__)."""
    d = w_m.get_data()
    a = d.w_self.addr
    x = ((a >> 4) | (a << 60)) & 0xFFFFFFFFFFFFFFFF
    if x >= 1 << 63:
        x -= 1 << 64
    if x == -1:
        x = -2
    h = x ^ space.hash(d.w_func)
    return space.newint(-2 if h == -1 else h)


def _m_getattribute(w_m, w_name):
    name = space.str_w(w_name)
    f = method_typedef.lookup(name) if name in method_typedef.methods else None
    if f is not None:
        return _t._bind(f, w_m, None)
    return space.getattr(w_m.get_data().w_func, name)


method_typedef.methods.update({
    "__call__": lambda w, *a, **k: call_method_obj(w, list(a), k or None),
    "__repr__": _m_repr, "__eq__": _m_eq, "__hash__": _m_hash,
    "__getattribute__": _m_getattribute,
    "__reduce__": lambda w: _reduce_getattr(w.get_data().w_self,
                                            space.getattr(w.get_data().w_func, "__name__")),
    # object's, found on the method type before method_getattro forwards to __func__
    "__reduce_ex__": _t._object_reduce_ex,
})


def _reduce_getattr(w_self, w_name):
    """(getattr, (self, name)): how classobject.c method_reduce and methodobject.c
    meth_reduce pickle a bound method. The HOST's getattr, which C _pickle finds as
    builtins.getattr (the guest's builtins module is beale's own, not the host's)."""
    import builtins as host_builtins
    w_getattr = _o.wrap(id(host_builtins.getattr))
    return space.newtuple([w_getattr, space.newtuple([w_self, w_name])])


def _fn_reduce(w_f):
    """A function pickles by reference: a str __reduce__ value makes pickle save it as the
    global __module__.__qualname__ (what C _pickle's save does for PyFunction_Type, which
    beale's function type is not)."""
    return space.newstr(w_f.get_data().qualname)


def _b_reduce(w_b):
    """meth_reduce: a builtin function pickles as a global, a bound builtin method as
    getattr(self, name)."""
    from runtime import moduleobject
    d = w_b.get_data()
    if d.w_self is None and d.w_objclass is not None:
        # an unbound method descriptor (str.index): getattr(str, "index")
        return _reduce_getattr(d.w_objclass, space.newstr(d.name))
    if d.w_self is None or isinstance(d.w_self, moduleobject.W_Module):
        return space.newstr(d.name)
    return _reduce_getattr(d.w_self, space.newstr(d.name))


def _m_new(w_type, *args_w, **kwargs_w):
    """method_new (Objects/classobject.c): types.MethodType(func, self)."""
    if kwargs_w:
        raise oefmt("TypeError", "method() takes no keyword arguments")
    if len(args_w) != 2:
        raise oefmt("TypeError", "method expected 2 arguments, got %d", len(args_w))
    w_func, w_self = args_w
    from runtime.builtins import is_callable
    if not is_callable(w_func):
        raise oefmt("TypeError", "first argument must be callable")
    if w_self.addr == _o.ADDR_None:
        raise oefmt("TypeError", "instance must not be None")
    return new_method(w_func, w_self)


method_typedef.methods["__new__"] = _t.HostStaticMethod(_m_new)
_prop(method_typedef, "__func__", lambda w: w.get_data().w_func)
_prop(method_typedef, "__self__", lambda w: w.get_data().w_self)


# --- builtin functions and methods ---------------------------------------------------------------

class BuiltinData:
    """A host function exposed to the guest: fn(*args_w, **kwargs_w), maybe bound to w_self."""
    __slots__ = ("fn", "w_self", "name", "w_objclass")

    def __init__(self, fn, w_self, name, w_objclass=None):
        self.fn = fn
        self.w_self = w_self
        self.name = name
        self.w_objclass = w_objclass


class W_BuiltinFunction(W_DataObject):
    __slots__ = ()


builtin_typedef = make_type("builtin_function_or_method", W_BuiltinFunction, weakref=True)
_t.install_c_slots(builtin_typedef.type_addr, call=True)


def new_builtin_function(name, fn, w_self=None):
    """A guest builtin function calling host fn(*args_w, **kwargs_w) (with w_self first
    when bound)."""
    return new_data_object(W_BuiltinFunction, BuiltinData(fn, w_self, name))


def new_builtin_method(fn, w_self, w_type):
    """`obj.method` / `Type.method` for a method implemented by beale."""
    name = getattr(fn, "guest_name", None) or _name_in_typedefs(fn, w_self)
    return new_data_object(W_BuiltinFunction, BuiltinData(fn, w_self, name, w_type))


def _name_in_typedefs(fn, w_self):
    """The guest name of a method implemented by beale: the key it is registered under in
    the method table of w_self's type or a base (`[].append` is `list_append_m` in the
    host). Found once per function and kept as fn.guest_name."""
    name = None
    if w_self is not None:
        # a classmethod (dict.fromkeys) is bound to the type: search the type's own MRO
        td = _t.typedef_of_type(w_self) if _t.is_type(w_self) else w_self.__class__.typedef
        name = _t.method_name_in_mro(td, fn)[1]
    if name is None:
        return fn.__name__.lstrip("_")
    try:
        fn.guest_name = name
    except AttributeError:       # a builtin host callable: no attributes to keep
        pass
    return name


def call_builtin(w_b, args_w, kwargs_w):
    d = w_b.get_data()
    try:
        if d.w_self is not None:
            if kwargs_w:
                return d.fn(d.w_self, *args_w, **kwargs_w)
            return d.fn(d.w_self, *args_w)
        if kwargs_w:
            return d.fn(*args_w, **kwargs_w)
        return d.fn(*args_w)
    except TypeError as e:
        # wrong arguments for the host function behind it: the guest's TypeError
        operr = host_call_type_error(e, d.name)
        if operr is None:
            raise
        raise operr from None


def _is_slot_wrapper(d):
    """CPython wraps the dunders that fill a type slot (`__add__`, `__init__`, `__len__`,
    ...) in wrapper_descriptor/method-wrapper objects, with their own reprs; other
    methods are method_descriptor/builtin_function_or_method. `__new__` is a builtin."""
    from runtime.typeslots import _BY_DUNDER
    if d.name not in _BY_DUNDER or d.name in ("__new__", "__getattr__", "__del__"):
        return False
    w_type = d.w_objclass if d.w_self is None else None
    owner = _t.typedef_of_type(w_type).name if w_type is not None else \
        d.w_self.__class__.typedef.name
    return (owner, d.name) not in _METH_COEXIST


#: dunders that these types define as plain methods too (METH_COEXIST in their method
#: tables), so CPython shows them as methods rather than slot wrappers
_METH_COEXIST = {("list", "__getitem__"), ("dict", "__getitem__"), ("dict", "__contains__"),
                 ("set", "__contains__"), ("frozenset", "__contains__")}


def _b_repr(w_b):
    d = w_b.get_data()
    if d.w_self is None:
        if d.w_objclass is not None:
            kind = "slot wrapper" if _is_slot_wrapper(d) else "method"
            return space.newstr("<%s '%s' of '%s' objects>" % (
                kind, d.name, _t.typedef_of_type(d.w_objclass).name))
        return space.newstr("<built-in function %s>" % d.name)
    tname = d.w_self.__class__.typedef.name
    if _is_slot_wrapper(d) and not _t.is_type(d.w_self):
        return space.newstr("<method-wrapper '%s' of %s object at 0x%x>" % (
            d.name, tname, d.w_self.addr))
    return space.newstr("<built-in method %s of %s object at 0x%x>" % (
        d.name, tname, d.w_self.addr))


def _b_get(w_b, w_obj, w_type=None):
    d = w_b.get_data()
    if d.w_self is None and d.w_objclass is not None and w_obj is not None \
            and w_obj.addr != _o.ADDR_None:
        return new_data_object(W_BuiltinFunction, BuiltinData(d.fn, w_obj, d.name))
    return w_b


def _b_getattribute(w_b, w_name):
    """One beale type plays both builtin_function_or_method (no __get__ in CPython: a
    builtin stored on a class does not bind) and method_descriptor (binds). Guest code
    tests for __get__ (werkzeug.local._ProxyLookup: `hasattr(getattr, "__get__")`), so a
    plain builtin function hides it."""
    name = space.str_w(w_name)
    if name == "__get__" and w_b.get_data().w_objclass is None:
        raise oefmt("AttributeError", "'builtin_function_or_method' object has no attribute "
                    "'__get__'")
    return _t.generic_getattr(w_b, name, w_b.__class__.typedef)


def _b_eq(w_b, w_other):
    """meth_richcompare: equal when the same C function is bound to the same self. (beale
    makes a fresh descriptor object on each class access, CPython returns its one
    descriptor: Enum compares `getattr(enum_class, '__repr__')` with `int.__repr__`.)"""
    if w_other.__class__ is not W_BuiltinFunction:
        return _o.w_NotImplemented
    a = w_b.get_data()
    b = w_other.get_data()
    if a.fn is not b.fn:
        return _o.w_False
    if a.w_self is None or b.w_self is None:
        return space.newbool(a.w_self is b.w_self)
    return space.newbool(a.w_self.addr == b.w_self.addr)


def _b_hash(w_b):
    d = w_b.get_data()
    h = id(d.fn) >> 4
    if d.w_self is not None:
        h ^= d.w_self.addr >> 4
    return space.newint(h)


builtin_typedef.methods.update({
    "__eq__": _b_eq, "__hash__": _b_hash,
    "__call__": lambda w, *a, **k: call_builtin(w, list(a), k or None),
    "__repr__": _b_repr,
    "__get__": _b_get,
    "__getattribute__": _b_getattribute,
    "__reduce__": _b_reduce,
})
_prop(builtin_typedef, "__name__", lambda w: space.newstr(w.get_data().name))
_prop(builtin_typedef, "__qualname__", lambda w: space.newstr(w.get_data().name))
_prop(builtin_typedef, "__self__",
      lambda w: w.get_data().w_self if w.get_data().w_self is not None else w_None)
def _slot_docs():
    """The docstrings CPython's slotdefs give the wrappers of slot dunders
    (Objects/typeobject.c: "Implement next(self).", "Return self+value.", ...)."""
    docs = {
        "__repr__": "Return repr(self).", "__str__": "Return str(self).",
        "__hash__": "Return hash(self).", "__call__": "Call self as a function.",
        "__getattribute__": "Return getattr(self, name).",
        "__setattr__": "Implement setattr(self, name, value).",
        "__delattr__": "Implement delattr(self, name).",
        "__iter__": "Implement iter(self).", "__next__": "Implement next(self).",
        "__get__": "Return an attribute of instance, which is of type owner.",
        "__set__": "Set an attribute of instance to value.",
        "__delete__": "Delete an attribute of instance.",
        "__init__": "Initialize self.  See help(type(self)) for accurate signature.",
        "__await__": "Return an iterator to be used in await expression.",
        "__aiter__": "Return an awaitable, that resolves in asynchronous iterator.",
        "__anext__": "Return a value or raise StopAsyncIteration.",
        "__len__": "Return len(self).", "__getitem__": "Return self[key].",
        "__setitem__": "Set self[key] to value.", "__delitem__": "Delete self[key].",
        "__contains__": "Return key in self.", "__neg__": "-self", "__pos__": "+self",
        "__abs__": "abs(self)", "__bool__": "True if self else False", "__invert__": "~self",
        "__int__": "int(self)", "__float__": "float(self)",
        "__index__": "Return self converted to an integer, if self is suitable for use as "
                     "an index into a list.",
        "__divmod__": "Return divmod(self, value).",
        "__rdivmod__": "Return divmod(value, self).",
        "__pow__": "Return pow(self, value, mod).", "__rpow__": "Return pow(value, self, mod).",
    }
    for op, name in (("<", "lt"), ("<=", "le"), ("==", "eq"), ("!=", "ne"), (">", "gt"),
                     (">=", "ge")):
        docs["__%s__" % name] = "Return self%svalue." % op
    for op, name in (("+", "add"), ("-", "sub"), ("*", "mul"), ("%", "mod"), ("<<", "lshift"),
                     (">>", "rshift"), ("&", "and"), ("^", "xor"), ("|", "or"),
                     ("//", "floordiv"), ("/", "truediv"), ("@", "matmul")):
        docs["__%s__" % name] = "Return self%svalue." % op
        docs["__r%s__" % name] = "Return value%sself." % op
        docs["__i%s__" % name] = "Return self%s=value." % op
    docs["__ipow__"] = "Return self**=value."
    return docs


_SLOT_DOCS = _slot_docs()


def _b_doc(w):
    """A slot wrapper's doc is its slotdef's; beale's other built-in methods have none
    (their host docstrings describe beale, not the guest method)."""
    d = w.get_data()
    doc = _SLOT_DOCS.get(d.name) if _is_slot_wrapper(d) else None
    return space.newstr(doc) if doc is not None else w_None


_prop(builtin_typedef, "__doc__", _b_doc)
_prop(builtin_typedef, "__module__", lambda w: space.newstr("builtins"))


# --- classmethod, staticmethod, property ------------------------------------------------------

class WrapData:
    __slots__ = ("w_func", "w_dict")

    def __init__(self, w_func):
        self.w_func = w_func
        self.w_dict = None


class W_ClassMethod(W_DataObject):
    __slots__ = ()


class W_StaticMethod(W_DataObject):
    __slots__ = ()


classmethod_typedef = make_type("classmethod", W_ClassMethod, basetype=True)
staticmethod_typedef = make_type("staticmethod", W_StaticMethod, basetype=True)
_t.install_c_slots(classmethod_typedef.type_addr, descr_get=True)
_t.install_c_slots(staticmethod_typedef.type_addr, descr_get=True)


def new_classmethod(w_func):
    return new_data_object(W_ClassMethod, WrapData(w_func))


def new_staticmethod(w_func):
    return new_data_object(W_StaticMethod, WrapData(w_func))


def staticmethod_func(w_sm):
    return w_sm.get_data().w_func


def _cm_new(w_type, w_func, *rest):
    return new_data_object(W_ClassMethod, WrapData(w_func), w_type)


def _sm_new(w_type, w_func, *rest):
    return new_data_object(W_StaticMethod, WrapData(w_func), w_type)


def _cm_get(w_cm, w_obj, w_type=None):
    if w_type is None or w_type.addr == _o.ADDR_None:
        w_type = space.type(w_obj)
    w_func = w_cm.get_data().w_func
    g = w_func.__class__.typedef.lookup("__get__")
    if g is not None and w_func.__class__ is not W_Function:
        return space.call_special(g, w_func, w_type, w_type)
    return new_method(w_func, w_type)


def _sm_get(w_sm, w_obj, w_type=None):
    return w_sm.get_data().w_func


def _sm_call(w_sm, /, *args_w, **kwargs_w):
    return space.call(w_sm.get_data().w_func, list(args_w), kwargs_w or None)


def _wrapped_getattr(w, w_name):
    name = space.str_w(w_name)
    td = w.__class__.typedef
    f = td.lookup(name)
    if f is not None:
        return _t._bind(f, w, None)
    if name in ("__doc__", "__name__", "__qualname__", "__module__", "__wrapped__"):
        if name == "__wrapped__":
            return w.get_data().w_func
        return space.getattr(w.get_data().w_func, name)
    return _t.generic_getattr(w, name, td)


for _td, _new, _get in ((classmethod_typedef, _cm_new, _cm_get),
                        (staticmethod_typedef, _sm_new, _sm_get)):
    _td.methods["__new__"] = _t.HostStaticMethod(_new)
    _td.methods["__init__"] = lambda w, *a: w_None
    _td.methods["__get__"] = _get
    _td.methods["__getattribute__"] = _wrapped_getattr
    _prop(_td, "__func__", lambda w: w.get_data().w_func)
    _prop(_td, "__isabstractmethod__",
          lambda w: space.getattr_default(w.get_data().w_func, "__isabstractmethod__",
                                          _o.w_False))
staticmethod_typedef.methods["__call__"] = _sm_call


class PropertyData:
    __slots__ = ("w_fget", "w_fset", "w_fdel", "w_doc", "name")

    def __init__(self, w_fget, w_fset, w_fdel, w_doc):
        self.w_fget = w_fget
        self.w_fset = w_fset
        self.w_fdel = w_fdel
        self.w_doc = w_doc
        self.name = None


class W_Property(W_DataObject):
    __slots__ = ()


property_typedef = make_type("property", W_Property, basetype=True)
_t.install_c_slots(property_typedef.type_addr, descr_get=True, descr_set=True)


def _is_none(w):
    return w is None or w.addr == _o.ADDR_None


def new_property(w_fget=None, w_fset=None, w_fdel=None, w_doc=None):
    w_fget = None if _is_none(w_fget) else w_fget
    w_fset = None if _is_none(w_fset) else w_fset
    w_fdel = None if _is_none(w_fdel) else w_fdel
    if _is_none(w_doc) and w_fget is not None:
        w_doc = space.findattr(w_fget, "__doc__")
    return new_data_object(W_Property, PropertyData(w_fget, w_fset, w_fdel,
                                                    None if _is_none(w_doc) else w_doc))


def _prop_new(w_type, w_fget=None, w_fset=None, w_fdel=None, w_doc=None, /, **kw):
    w_fget = kw.get("fget", w_fget)
    w_fset = kw.get("fset", w_fset)
    w_fdel = kw.get("fdel", w_fdel)
    w_doc = kw.get("doc", w_doc)
    w_p = new_property(w_fget, w_fset, w_fdel, w_doc)
    if w_type.addr != property_typedef.type_addr:
        w_sub = new_data_object(W_Property, w_p.get_data(), w_type)
        return w_sub
    return w_p


def _prop_get(w_p, w_obj, w_type=None):
    if _is_none(w_obj):
        return w_p
    d = w_p.get_data()
    if d.w_fget is None:
        raise oefmt("AttributeError", "property%s has no getter" % _pname(d))
    return space.call(d.w_fget, [w_obj])


def _pname(d):
    return " %r of %r object" % (d.name, "?") if d.name else ""


def _prop_set(w_p, w_obj, w_value):
    d = w_p.get_data()
    if d.w_fset is None:
        if d.name:
            raise oefmt("AttributeError", "property '%s' of '%s' object has no setter",
                        d.name, w_obj.__class__.typedef.name)
        raise oefmt("AttributeError", "can't set attribute")
    space.call(d.w_fset, [w_obj, w_value])
    return w_None


def _prop_delete(w_p, w_obj):
    d = w_p.get_data()
    if d.w_fdel is None:
        if d.name:
            raise oefmt("AttributeError", "property '%s' of '%s' object has no deleter",
                        d.name, w_obj.__class__.typedef.name)
        raise oefmt("AttributeError", "can't delete attribute")
    space.call(d.w_fdel, [w_obj])
    return w_None


def _prop_copy(w_p, which, w_f):
    d = w_p.get_data()
    vals = [d.w_fget, d.w_fset, d.w_fdel]
    vals[which] = w_f
    w_new = new_property(vals[0], vals[1], vals[2], d.w_doc)
    w_new.get_data().name = d.name
    return w_new


def _prop_set_name(w_p, w_owner, w_name):
    w_p.get_data().name = space.str_w(w_name)
    return w_None


property_typedef.methods.update({
    "__new__": _t.HostStaticMethod(_prop_new),
    "__init__": lambda w, *a, **k: w_None,
    "__get__": _prop_get, "__set__": _prop_set, "__delete__": _prop_delete,
    "getter": lambda w, f: _prop_copy(w, 0, f),
    "setter": lambda w, f: _prop_copy(w, 1, f),
    "deleter": lambda w, f: _prop_copy(w, 2, f),
    "__set_name__": _prop_set_name,
})
_prop(property_typedef, "fget", lambda w: w.get_data().w_fget or w_None)
_prop(property_typedef, "fset", lambda w: w.get_data().w_fset or w_None)
_prop(property_typedef, "fdel", lambda w: w.get_data().w_fdel or w_None)
_prop(property_typedef, "__doc__", lambda w: w.get_data().w_doc or w_None)
_prop(property_typedef, "__isabstractmethod__",
      lambda w: space.getattr_default(w.get_data().w_fget, "__isabstractmethod__", _o.w_False)
      if w.get_data().w_fget is not None else _o.w_False)


# --- member descriptors (__slots__) -------------------------------------------------------------

class MemberData:
    __slots__ = ("name", "offset", "w_type")

    def __init__(self, name, offset, w_type):
        self.name = name
        self.offset = offset
        self.w_type = w_type


class W_MemberDescr(W_DataObject):
    __slots__ = ()


member_typedef = make_type("member_descriptor", W_MemberDescr)
_t.install_c_slots(member_typedef.type_addr, descr_get=True, descr_set=True)


def new_member_descr(name, offset, w_type):
    return new_data_object(W_MemberDescr, MemberData(name, offset, w_type))


def _member_get(w_d, w_obj, w_type=None):
    if _is_none(w_obj):
        return w_d
    d = w_d.get_data()
    a = _cast("uintptr_t *", w_obj.addr + d.offset)[0]
    if not a:
        raise oefmt("AttributeError", "'%s' object has no attribute '%s'",
                    w_obj.__class__.typedef.name, d.name)
    return _o.wrap(a)


def _member_set(w_d, w_obj, w_value):
    d = w_d.get_data()
    _t._set_ptr_field(w_obj.addr + d.offset, w_value)
    return w_None


def _member_delete(w_d, w_obj):
    d = w_d.get_data()
    p = _cast("uintptr_t *", w_obj.addr + d.offset)
    if not p[0]:
        raise oefmt("AttributeError", "'%s' object has no attribute '%s'",
                    w_obj.__class__.typedef.name, d.name)
    _t._set_ptr_field(w_obj.addr + d.offset, None)
    return w_None


member_typedef.methods.update({
    "__get__": _member_get, "__set__": _member_set, "__delete__": _member_delete,
    "__repr__": lambda w: space.newstr("<member '%s' of '%s' objects>" % (
        w.get_data().name, _t.typedef_of_type(w.get_data().w_type).name)),
})
_prop(member_typedef, "__name__", lambda w: space.newstr(w.get_data().name))


# --- host descriptors seen from the class (getset_descriptor) ------------------------------------

class HostDescrData:
    __slots__ = ("descr", "w_type")

    def __init__(self, descr, w_type):
        self.descr = descr
        self.w_type = w_type


class W_GetSetDescr(W_DataObject):
    __slots__ = ()


getset_typedef = make_type("getset_descriptor", W_GetSetDescr)
_t.install_c_slots(getset_typedef.type_addr, descr_get=True, descr_set=True)


def new_host_descr_object(descr, w_type):
    return new_data_object(W_GetSetDescr, HostDescrData(descr, w_type))


def _gs_get(w_d, w_obj, w_type=None):
    if _is_none(w_obj):
        return w_d
    return _t.hd_get(w_d.get_data().descr, w_obj)


def _gs_set(w_d, w_obj, w_value):
    _t.hd_set(w_d.get_data().descr, w_obj, w_value)
    return w_None


getset_typedef.methods.update({"__get__": _gs_get, "__set__": _gs_set})


# --- mappingproxy ---------------------------------------------------------------------------------

class W_MappingProxy(W_DataObject):
    __slots__ = ()


mappingproxy_typedef = make_type("mappingproxy", W_MappingProxy)


def new_mappingproxy(w_dict):
    return new_data_object(W_MappingProxy, WrapData(w_dict))


def _mp_fwd(name):
    def fwd(w_mp, *args_w):
        return space.call_method(w_mp.get_data().w_func, name, *args_w)
    fwd.__name__ = name
    return fwd


for _n in ("__getitem__", "__contains__", "__iter__", "__len__", "get", "keys", "values",
           "items", "copy", "__eq__"):
    mappingproxy_typedef.methods[_n] = _mp_fwd(_n)


def _mp_new(w_type, w_mapping):
    """mappingproxy_new: the argument must be a mapping (mp_subscript), not a list/tuple."""
    tname = w_mapping.__class__.typedef.name
    if w_mapping.__class__.typedef.lookup("__getitem__") is None or \
            _t.isinstance_w(w_mapping, _t.w_type_of_td(_tupleobject().tuple_typedef)) or \
            _t.isinstance_w(w_mapping, _t.w_type_of_td(_listobject().list_typedef)):
        raise oefmt("TypeError", "mappingproxy() argument must be a mapping, not %s", tname)
    return new_mappingproxy(w_mapping)


def _tupleobject():
    from runtime import tupleobject
    return tupleobject


def _listobject():
    from runtime import listobject
    return listobject


def _mp_unwrap(w):
    return w.get_data().w_func if w.__class__ is W_MappingProxy else w


def _mp_or(w, w_other):
    """mappingproxy_or: `|` of the underlying mappings (a new dict)."""
    return space.or_(_mp_unwrap(w), _mp_unwrap(w_other))


def _mp_ior(w, w_other):
    raise oefmt("TypeError", "'|=' is not supported by mappingproxy; use '|' instead")


mappingproxy_typedef.methods.update({
    "__new__": _t.HostStaticMethod(_mp_new),
    "__init__": lambda w, *a: w_None,
    "__repr__": lambda w: space.newstr("mappingproxy(%s)" % space.repr_s(w.get_data().w_func)),
    "__str__": lambda w: space.str(w.get_data().w_func),
    "__reversed__": lambda w: space.call_method(w.get_data().w_func, "__reversed__"),
    "__or__": _mp_or,
    "__ror__": lambda w, w_other: _mp_or(w_other, w),
    "__ior__": _mp_ior,
    "__class_getitem__": _t.HostClassMethod(lambda w_type, w_key: new_generic_alias(w_type, w_key)),
})


# --- the sequence iterator (iter() over __getitem__) -----------------------------------------------

class SeqIterData:
    __slots__ = ("w_seq", "index")

    def __init__(self, w_seq):
        self.w_seq = w_seq
        self.index = 0


class W_SeqIter(W_DataObject):
    __slots__ = ()


seqiter_typedef = make_type("iterator", W_SeqIter)


def new_seq_iter(w_seq):
    return new_data_object(W_SeqIter, SeqIterData(w_seq))


def _seqiter_next(w_it):
    d = w_it.get_data()
    if d.w_seq is None:
        raise OperationError("StopIteration", None)
    try:
        w_x = space.getitem(d.w_seq, space.newint(d.index))
    except OperationError as e:
        if space.exception_match(e, "IndexError") or space.exception_match(e, "StopIteration"):
            d.w_seq = None
            raise OperationError("StopIteration", None)
        raise
    d.index += 1
    return w_x


seqiter_typedef.methods.update({"__iter__": lambda w: w, "__next__": _seqiter_next})


class CallIterData:
    __slots__ = ("w_callable", "w_sentinel")

    def __init__(self, w_callable, w_sentinel):
        self.w_callable = w_callable
        self.w_sentinel = w_sentinel


class W_CallIter(W_DataObject):
    __slots__ = ()


calliter_typedef = make_type("callable_iterator", W_CallIter)


def new_callable_iter(w_callable, w_sentinel):
    """iter(callable, sentinel)."""
    return new_data_object(W_CallIter, CallIterData(w_callable, w_sentinel))


def _calliter_next(w_it):
    d = w_it.get_data()
    if d.w_callable is None:
        raise OperationError("StopIteration", None)
    w_x = space.call(d.w_callable, [])
    if space.eq(w_x, d.w_sentinel):
        d.w_callable = None
        raise OperationError("StopIteration", None)
    return w_x


calliter_typedef.methods.update({"__iter__": lambda w: w, "__next__": _calliter_next})


# --- super ------------------------------------------------------------------------------------------

class SuperData:
    __slots__ = ("w_type", "w_obj", "w_objtype")

    def __init__(self, w_type, w_obj, w_objtype):
        self.w_type = w_type
        self.w_obj = w_obj
        self.w_objtype = w_objtype


class W_Super(W_DataObject):
    __slots__ = ()


super_typedef = make_type("super", W_Super)


def new_super(w_type, w_obj):
    """super(type, obj) (super_init + supercheck)."""
    if w_obj is None or _is_none(w_obj):
        return new_data_object(W_Super, SuperData(w_type, None, None))
    if _t.is_type(w_obj) and _t.issubclass_full(w_obj, w_type):
        w_objtype = w_obj
    elif _t.isinstance_w(w_obj, w_type):
        w_objtype = space.type(w_obj)
    else:
        raise oefmt("TypeError", "super(type, obj): obj must be an instance or subtype of type")
    return new_data_object(W_Super, SuperData(w_type, w_obj, w_objtype))


def _super_new(w_cls, *args_w):
    if len(args_w) == 0:
        from runtime.interp import frame as _frame
        return _frame.zero_arg_super()
    return new_super(args_w[0], args_w[1] if len(args_w) > 1 else None)


def super_lookup(w_s, name):
    d = w_s.get_data()
    if d.w_obj is None:
        return None
    mro = _t.mro_of(_t.typedef_of_type(d.w_objtype))
    start = _t.typedef_of_type(d.w_type)
    i = 0
    while i < len(mro) and mro[i] is not start:
        i += 1
    for td in mro[i + 1:]:
        dct = td.dict_w if td.__class__ is _t.GuestTypeDef else td.methods
        f = dct.get(name)
        if f is not None:
            return f
    return None


def _super_getattribute(w_s, w_name):
    name = space.str_w(w_name)
    if name != "__class__":
        f = super_lookup(w_s, name)
        if f is not None:
            d = w_s.get_data()
            w_obj = None if d.w_obj.addr == d.w_objtype.addr else d.w_obj
            if w_obj is None:
                return _t._bind_class_attr(f, d.w_objtype)
            if not isinstance(f, W_Object) and f.__class__ is _t.HostClassMethod:
                return new_builtin_method(f.fn, d.w_objtype, None)
            return _t._bind(f, w_obj, d.w_objtype)
    return _t.generic_getattr(w_s, name, super_typedef)


def _super_repr(w_s):
    d = w_s.get_data()
    return space.newstr("<super: <class '%s'>, <%s object>>" % (
        _t.typedef_of_type(d.w_type).name,
        d.w_objtype and _t.typedef_of_type(d.w_objtype).name))


super_typedef.methods.update({
    "__new__": _t.HostStaticMethod(_super_new),
    "__init__": lambda w, *a: w_None,
    "__getattribute__": _super_getattribute,
    "__repr__": _super_repr,
})
_prop(super_typedef, "__thisclass__", lambda w: w.get_data().w_type)
_prop(super_typedef, "__self__", lambda w: w.get_data().w_obj or w_None)
_prop(super_typedef, "__self_class__", lambda w: w.get_data().w_objtype or w_None)


# --- types.GenericAlias (list[int]) ------------------------------------------------------------

class AliasData:
    __slots__ = ("w_origin", "args_w")

    def __init__(self, w_origin, args_w):
        self.w_origin = w_origin
        self.args_w = args_w


class W_GenericAlias(W_DataObject):
    __slots__ = ()


generic_alias_typedef = make_type("GenericAlias", W_GenericAlias, qualname="GenericAlias",
                                  basetype=True)


def new_generic_alias(w_origin, w_key, w_type=None):
    if w_key.__class__.typedef.name == "tuple" and not _t.is_type(w_key):
        args_w = list(space.iterate(w_key))
    else:
        args_w = [w_key]
    return new_data_object(W_GenericAlias, AliasData(w_origin, args_w), w_type)


def _type_repr_for_alias(w):
    if _t.is_type(w):
        w_mod = space.findattr(w, "__module__")
        q = space.str_w(space.getattr(w, "__qualname__"))
        if w_mod is not None and isinstance(w_mod, _o.W_Str) and w_mod.v != "builtins":
            return "%s.%s" % (w_mod.v, q)
        return q
    if w.addr == _o.ADDR_Ellipsis:
        return "..."
    return space.repr_s(w)


def _ga_repr(w):
    d = w.get_data()
    args = ", ".join(_type_repr_for_alias(a) for a in d.args_w) if d.args_w else "()"
    return space.newstr("%s[%s]" % (_type_repr_for_alias(d.w_origin), args))


def _ga_getattribute(w, w_name):
    name = space.str_w(w_name)
    f = generic_alias_typedef.methods.get(name)
    if f is not None:
        return _t._bind(f, w, None)
    if name.startswith("__") and name.endswith("__") and name not in ("__name__",
                                                                      "__qualname__",
                                                                      "__module__", "__doc__"):
        return _t.generic_getattr(w, name, generic_alias_typedef)
    return space.getattr(w.get_data().w_origin, name)


def _ga_eq(w, w_other):
    if w_other.__class__ is not W_GenericAlias:
        return _o.w_NotImplemented
    a, b = w.get_data(), w_other.get_data()
    return space.newbool(space.eq(a.w_origin, b.w_origin) and len(a.args_w) == len(b.args_w)
                         and all(space.eq(x, y) for x, y in zip(a.args_w, b.args_w)))


generic_alias_typedef.methods.update({
    "__repr__": _ga_repr,
    "__call__": lambda w, *a, **k: space.call(w.get_data().w_origin, list(a), k or None),
    "__mro_entries__": lambda w, w_bases: space.newtuple([w.get_data().w_origin]),
    "__getattribute__": _ga_getattribute,
    "__eq__": _ga_eq,
    "__hash__": lambda w: space.newint(space.hash(w.get_data().w_origin) ^
                                       space.hash(space.newtuple(w.get_data().args_w))),
    "__getitem__": lambda w, k: new_generic_alias(w.get_data().w_origin, k),
    "__or__": lambda w, o: _o.w_NotImplemented,
})
generic_alias_typedef.methods["__new__"] = _t.HostStaticMethod(
    lambda w_type, w_origin, w_args: new_generic_alias(w_origin, w_args, w_type))
generic_alias_typedef.methods["__init__"] = lambda w, *a: w_None
_prop(generic_alias_typedef, "__origin__", lambda w: w.get_data().w_origin)
_prop(generic_alias_typedef, "__args__", lambda w: space.newtuple(list(w.get_data().args_w)))
_prop(generic_alias_typedef, "__parameters__", lambda w: space.newtuple([]))


# --- types.UnionType (int | str) -----------------------------------------------------------------

class W_Union(W_DataObject):
    __slots__ = ()


union_typedef = make_type("UnionType", W_Union, qualname="UnionType")


def _unionable(w):
    return _t.is_type(w) or w.addr == _o.ADDR_None or w.__class__ in (W_GenericAlias, W_Union)


def new_union(w_a, w_b):
    """`a | b` for types (Objects/unionobject.c _Py_union_type_or): flattened, deduplicated."""
    if not (_unionable(w_a) and _unionable(w_b)):
        return _o.w_NotImplemented
    args = []
    for w in (w_a, w_b):
        items = w.get_data().args_w if w.__class__ is W_Union else [w]
        for w_x in items:
            if w_x.addr == _o.ADDR_None:
                w_x = _t.type_of(w_x)
            if not any(space.is_w(w_x, y) for y in args):
                args.append(w_x)
    if len(args) == 1:
        return args[0]
    return new_data_object(W_Union, AliasData(None, args))


def union_args(w_u):
    return w_u.get_data().args_w


def _union_repr(w):
    parts = []
    for a in w.get_data().args_w:
        if _t.is_type(a) and _t.typedef_of_type(a).name == "NoneType":
            parts.append("None")
        else:
            parts.append(_type_repr_for_alias(a))
    return space.newstr(" | ".join(parts))


def _union_eq(w, w_other):
    if w_other.__class__ is not W_Union:
        return _o.w_NotImplemented
    a = w.get_data().args_w
    b = w_other.get_data().args_w
    return space.newbool(len(a) == len(b) and all(any(space.is_w(x, y) for y in b) for x in a))


union_typedef.methods.update({
    "__repr__": _union_repr,
    "__or__": new_union,
    "__ror__": lambda w, o: new_union(o, w),
    "__eq__": _union_eq,
    # unionobject.c union_hash: hash(frozenset(args)), as typing.Union's
    "__hash__": lambda w: space.newint(space.hash(space.newfrozenset(list(w.get_data().args_w)))),
    "__instancecheck__": lambda w, o: space.newbool(
        any(space.isinstance(o, a) for a in w.get_data().args_w)),
    "__subclasscheck__": lambda w, o: space.newbool(
        any(space.issubclass(o, a) for a in w.get_data().args_w)),
})
_prop(union_typedef, "__args__", lambda w: space.newtuple(list(w.get_data().args_w)))
_prop(union_typedef, "__parameters__", lambda w: space.newtuple([]))
generic_alias_typedef.methods["__or__"] = new_union
generic_alias_typedef.methods["__ror__"] = lambda w, o: new_union(o, w)


def _generic_class_getitem(w_type, w_key):
    """`list[int]`: the built-in generics' __class_getitem__ (PEP 585), inherited by
    subclasses (class D(dict[K, V]) makes D[int, str] a GenericAlias of D)."""
    return new_generic_alias(w_type, w_key)


for _name in ("list", "dict", "tuple", "set", "frozenset"):
    TYPEDEFS[_name].methods["__class_getitem__"] = _t.HostClassMethod(_generic_class_getitem)
