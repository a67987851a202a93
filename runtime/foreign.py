"""Host objects beale does not model, and calls into C (issue 5, first steps).

Modules implemented in C (math, _struct, _json, _heapq, _collections, ...) are imported in
the HOST by runtime/importer.py. Their module objects are PyModuleObjects (runtime/
moduleobject.py reads their md_dict directly); their functions, types and results are host
objects. Because every guest object is the struct CPython would build, calling a host
callable needs no conversion at all: the arguments passed are the host references of the
guest handles (`w.ref`, the same memory), and the result is adopted with
`runtime.object.wrap(id(result))` — built-in types come back as ordinary guest handles
(W_Int, W_Str, W_List, ...), anything else as a `W_Foreign`.

A `W_Foreign`'s operations go through the host: attribute access (`getattr` on the host
object), calls, operators and special methods (looked up on the host type, like
CPython's slot lookup, so a missing one gives NotImplemented and the binary-operator protocol
carries on), iteration, repr/str/hash. Host exceptions raised by those calls are guest
exceptions already (same structs): `runtime.exceptions.from_host_exception` adopts them.

Also here: beale's own iterator types built on a host generator (`new_iterator`: map, zip,
filter, enumerate, reversed), each a beale-built heap type (runtime.functionobject
.make_type) whose objects hold the generator in their `__data` field.
"""

import io as _host_io

import layout as _layout

from runtime import object as _obj
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef

W_Foreign = _obj.W_Foreign
_PyObj_FromPtr = _obj._PyObj_FromPtr


def _space():
    from runtime import space
    return space


# --- crossing the boundary --------------------------------------------------------------------

def host_object(w):
    """The host object at a handle's address (for W_Foreign and any guest struct alike)."""
    return _PyObj_FromPtr(w.addr)


def adopt(obj):
    """A guest handle on host object `obj` (a new count; `obj` may then be dropped)."""
    t = type(obj)
    if t not in _registered:
        register_host_type(t)
    return _obj.wrap(id(obj))


def to_host(w):
    """The host reference passed to C for a guest handle: the very same struct."""
    ref = w.ref
    return ref


def host_arg(w):
    """What C receives for a guest argument: the guest's own struct (`w.ref`), except for
    the few beale objects that have no C struct (runtime.tupleobject.W_HandleOnly: dict
    views, some iterators), which C gets as a host iterator yielding the guest items
    themselves.  (A guest range is a real rangeobject and goes as itself.)"""
    if w is None:
        return None
    if not isinstance(w, _W_HandleOnly):
        return w.ref
    return _iterate_for_host(w)


from runtime.tupleobject import W_HandleOnly as _W_HandleOnly     # noqa: E402


def _iterate_for_host(w):
    from runtime import space
    for w_item in space.iterate(w):
        yield w_item.ref


def _host_error(e):
    from runtime import exceptions
    return exceptions.from_host_exception(e)


def call_host_callable(fn, args_w, kwargs_w=None):
    """Call host callable `fn` with the guest arguments (zero copy) and adopt the result."""
    args = [host_arg(w) for w in args_w]
    if _guest_import_owners:
        spec = _guest_imports_spec(fn)
        if spec is not False:
            return _call_seeing_guest_modules(spec, fn, args, kwargs_w)
    return adopt(_invoke(fn, args, kwargs_w))


from runtime.interp import gil as _gil      # noqa: E402
_blocking = _gil.blocking


def _invoke(fn, args, kwargs_w):
    """fn(*args, **kwargs) for host arguments; a host exception becomes a guest one. C
    functions that may block (lock acquire, sleep, socket I/O, ...) run with the guest
    interpreter lock released (runtime/interp/gil.py)."""
    try:
        if _blocking(fn):
            kwargs = {k: host_arg(w) for k, w in kwargs_w.items()} if kwargs_w else None
            return _gil.call_released(fn, args, kwargs)
        if kwargs_w:
            return fn(*args, **{k: host_arg(w) for k, w in kwargs_w.items()})
        return fn(*args)
    except OperationError:
        raise
    except Exception as e:
        raise _host_error(e)


# --- C modules that import Python modules while they run ------------------------------------
#
# Some C modules look Python modules up by name while they run, in the HOST's sys.modules
# (the interpreter's `modules` dict): _json's raise_errmsg takes JSONDecodeError from
# sys.modules["json.decoder"] (_PyImport_GetModuleId: no import), _pickle's save_global /
# find_class call PyImport_Import(obj.__module__) (host __import__, then sys.modules). The
# guest's modules live in the guest's sys.modules, so while the guest calls into such a C
# module the guest's modules are made visible in the host's sys.modules (saved and restored
# around the call): for _json the one module it reads, for _pickle `__main__` and every guest
# module the host has not loaded itself (modules the host runtime uses keep the host's). A
# call is recognised by its owner: the C module (module-level functions: `fn.__self__`), or
# one of its types (Pickler.dump, a Scanner called directly).
GUEST_IMPORTS = {"_json": ("json.decoder",), "_pickle": None,
                 # _sre's sub/subn call re._compile_template (PyImport_ImportModule("re"))
                 "_sre": ("re",)}
_guest_import_owners = {}       # id(module or type) -> names (None: see above)
_BuiltinFunction = type(len)
# METH_METHOD functions (Argument Clinic's defining-class methods: re.Pattern.sub, ...) are
# PyCMethodObjects, a subtype of builtin_function_or_method
_BuiltinMethod = type(__import__("re").compile("").sub)


def _sre_types():
    """_sre's Pattern and Match types (named re.Pattern/re.Match, not module attributes)."""
    import re as _host_re
    return [_host_re.Pattern, _host_re.Match]


# types of a C module that are neither its attributes nor the types of its attributes
_EXTRA_OWNER_TYPES = {"_sre": _sre_types}


def register_guest_imports(name, host_module):
    """Called when the guest imports C module `name`."""
    if name not in GUEST_IMPORTS:
        return
    spec = GUEST_IMPORTS[name]
    _guest_import_owners[id(host_module)] = spec
    for value in list(vars(host_module).values()):
        if isinstance(value, type) and getattr(value, "__module__", None) == name:
            _guest_import_owners[id(value)] = spec
    # types of the module that are not attributes (_json's scanner and encoder)
    for value in list(vars(host_module).values()):
        _guest_import_owners.setdefault(id(type(value)), spec) \
            if type(value).__module__ == name else None
    for t in _EXTRA_OWNER_TYPES.get(name, list)():
        _guest_import_owners[id(t)] = spec
    _owner_type_specs.clear()


def _guest_imports_spec(fn):
    """The overlay spec for a call of `fn`, or False for an ordinary C call."""
    t = type(fn)
    spec = _guest_import_owners.get(id(t), False)
    if spec is not False:
        return spec
    if t is _BuiltinFunction or t is _BuiltinMethod:
        owner = fn.__self__
        spec = _guest_import_owners.get(id(owner), False)
        if spec is False:
            spec = _owner_type_spec(type(owner))
    return spec


_owner_type_specs = {}      # type -> spec or False (types are kept alive: no id reuse)


def _owner_type_spec(t):
    """The spec of a method's owner type: its own or that of a base (a guest subclass of
    _pickle.Pickler: `class MyPickler(pickle.Pickler)`, p.dump(obj))."""
    spec = _owner_type_specs.get(t)
    if spec is None:
        spec = False
        for base in t.__mro__:
            spec = _guest_import_owners.get(id(base), False)
            if spec is not False:
                break
        _owner_type_specs[t] = spec
    return spec


# Which guest modules _pickle sees: all of them (a class is pickled by reference and
# looked up again as sys.modules[cls.__module__].<qualname>: collections.UserDict,
# importlib._bootstrap.BuiltinImporter and copyreg's helpers must be the guest's, even
# though the host loaded its own copies), except beale's own `sys` and `builtins`
# (_pickle saves dotted names, proto < 4, with the HOST's builtins.getattr and finds it
# again as builtins.getattr). While the overlay is in place the host's builtins.__import__
# is _guest_import_hook, which gives beale's own host code the host's modules.
_NEVER_OVERLAID = ("sys", "builtins")
_cast = _layout.ffi.cast
_DICT_VERSION_OFF = _layout.struct("PyDictObject").offset("ma_version_tag")
_overlay_cache = [None, None, None]     # guest sys.modules version, len(host sys.modules), pairs


def _overlay_pairs(w_modules, host_modules):
    """[(name, host module object)]: the guest's modules that differ from the host's;
    cached on the guest sys.modules' ma_version_tag (bumped on every change) and the size
    of the host's, so a call does not walk the guest's sys.modules."""
    from runtime import importer, space
    version = _cast("uint64_t *", w_modules.addr + _DICT_VERSION_OFF)[0]
    c = _overlay_cache
    if c[0] == version and c[1] == len(host_modules):
        return c[2]
    pairs = []
    for w_name in space.iterate(w_modules):
        name = getattr(w_name, "v", None)
        if name.__class__ is str and name not in _NEVER_OVERLAID:
            w_mod = importer.get_loaded(name)
            if w_mod is not None and host_modules.get(name) is not w_mod.ref:
                pairs.append((name, w_mod.ref))
    c[0], c[1], c[2] = version, len(host_modules), pairs
    return pairs


class _Overlay:
    """One call's overlay: `saved` [(name, host's entry or _ABSENT)] to put back at the end,
    `tops` the top-level names of the overlaid modules."""
    __slots__ = ("saved", "tops")

    def __init__(self):
        self.saved = []
        self.tops = set()

    def show(self, name, mod):
        self.saved.append((name, _host_modules.get(name, _ABSENT)))
        self.tops.add(name.partition(".")[0])
        _host_modules[name] = mod

    def restore(self):
        host_modules = _host_modules
        for name, old in reversed(self.saved):
            if old is _ABSENT:
                host_modules.pop(name, None)
            else:
                host_modules[name] = old


def _call_seeing_guest_modules(spec, fn, args, kwargs_w):
    from runtime import importer
    if spec is None:
        pairs = _overlay_pairs(importer._sys_modules(), _host_modules)
    else:
        pairs = []
        for name in spec:
            w_mod = importer.get_loaded(name)
            if w_mod is not None:
                pairs.append((name, w_mod.ref))
    ov = _Overlay()
    try:
        for name, mod in pairs:
            ov.show(name, mod)
        if spec is None:
            # C's PyImport_Import of a module the guest has not imported yet (find_class)
            # imports it in the GUEST (see _guest_import_hook), not a host copy
            _hook_state.append(ov)
            _host_builtins.__import__ = _guest_import_hook
            try:
                result = _invoke(fn, args, kwargs_w)
            finally:
                _hook_state.pop()
                if not _hook_state:
                    _host_builtins.__import__ = _host_import
        else:
            result = _invoke(fn, args, kwargs_w)
    finally:
        ov.restore()
    return adopt(result)


import builtins as _host_builtins         # noqa: E402
from sys import _getframe, modules as _host_modules       # noqa: E402
_host_import = _host_builtins.__import__
_hook_state = []        # the _Overlays of the calls in progress (nested calls)


def _guest_import_hook(name, globals=None, locals=None, fromlist=(), level=0):
    """The host's builtins.__import__ while a C call sees the guest's modules.

    PyImport_Import (how _pickle imports a class's module) calls __import__ and then reads
    the host's sys.modules. Called straight from C (the caller's frame is _invoke: C runs
    no Python frame of its own) it imports a module the overlay does not show in the guest
    and shows it until the overlay ends. Any other caller is beale's own host code (a lazy
    `import x` in a function running under a guest callback): it gets the host's modules."""
    # (no `import` statement in here: it would call this very hook)
    ov = _hook_state[-1]
    if level == 0 and _getframe(1).f_code is _invoke.__code__:
        if name in _host_modules:
            return _host_import(name, globals, locals, fromlist, level)
        importer = _host_modules["runtime.importer"]
        w_mod = importer.import_module(name, None, ["__doc__"], 0)
        for full in _parents_and_self(name):
            w_m = importer.get_loaded(full)
            if w_m is not None and _host_modules.get(full) is not w_m.ref:
                ov.show(full, w_m.ref)
        return w_mod.ref
    if level != 0 or name.partition(".")[0] not in ov.tops:
        return _host_import(name, globals, locals, fromlist, level)
    # host code importing a module the overlay hides: run the import with the host's
    # entries back in place, then show the overlay again (keeping what the import added)
    shown = [(n, _host_modules.get(n, _ABSENT)) for n, _ in ov.saved]
    ov.restore()
    try:
        return _host_import(name, globals, locals, fromlist, level)
    finally:
        ov.saved = []
        for n, mod in shown:
            if mod is not _ABSENT:
                ov.show(n, mod)


def _parents_and_self(name):
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


_ABSENT = object()


def call_host(w_callable, args_w, kwargs_w=None):
    """A guest call of a foreign callable (host C function, host type, bound method)."""
    return call_host_callable(host_object(w_callable), args_w, kwargs_w)


# --- streams (the guest's sys.stdout & co are the host's file objects) ------------------------

def host_stream(w_file):
    """The host text stream behind a guest file object, or None when it is guest code."""
    if not isinstance(w_file, W_Foreign):
        return None
    obj = host_object(w_file)
    if isinstance(obj, _host_io.TextIOBase):
        return obj
    return None


def host_write(stream, text):
    try:
        stream.write(text)
    except Exception as e:
        raise _host_error(e)


def host_flush(stream):
    try:
        stream.flush()
    except Exception as e:
        raise _host_error(e)


# --- W_Foreign behaviour ----------------------------------------------------------------------

foreign_typedef = TypeDef("foreign", _obj.object_typedef, None, W_Foreign,
                          doc="A host object whose operations go through the host.")


def _type_name(obj):
    return type(obj).__name__


def _f_getattribute(w_self, w_name):
    obj = host_object(w_self)
    name = w_name.v
    try:
        value = getattr(obj, name)
    except Exception as e:
        raise _host_error(e)
    return adopt(value)


def _f_setattr(w_self, w_name, w_value):
    obj = host_object(w_self)
    try:
        setattr(obj, w_name.v, host_arg(w_value))
    except Exception as e:
        raise _host_error(e)
    return _obj.w_None


def _f_delattr(w_self, w_name):
    obj = host_object(w_self)
    try:
        delattr(obj, w_name.v)
    except Exception as e:
        raise _host_error(e)
    return _obj.w_None


def _f_call(w_self, /, *args_w, **kwargs_w):
    return call_host(w_self, args_w, kwargs_w)


def _f_repr(w_self):
    try:
        return _space().newstr(repr(host_object(w_self)))
    except Exception as e:
        raise _host_error(e)


def _f_str(w_self):
    try:
        return _space().newstr(str(host_object(w_self)))
    except Exception as e:
        raise _host_error(e)


def _f_hash(w_self):
    try:
        return _space().newint(hash(host_object(w_self)))
    except Exception as e:
        raise _host_error(e)


def _f_bool(w_self):
    try:
        return _obj.w_True if bool(host_object(w_self)) else _obj.w_False
    except Exception as e:
        raise _host_error(e)


def _f_iter(w_self):
    obj = host_object(w_self)
    if isinstance(obj, HostIterator):
        return w_self
    try:
        return adopt(iter(obj))
    except Exception as e:
        raise _host_error(e)


def _f_next(w_self):
    obj = host_object(w_self)
    try:
        return adopt(next(obj))
    except StopIteration:
        raise OperationError("StopIteration", None)
    except Exception as e:
        raise _host_error(e)


def _f_len(w_self):
    obj = host_object(w_self)
    f = getattr(type(obj), "__len__", None)
    if f is None:
        raise oefmt("TypeError", "object of type '%s' has no len()", _type_name(obj))
    try:
        return _space().newint(f(obj))
    except Exception as e:
        raise _host_error(e)


# names whose host-type lookup failing means NotImplemented (the binary protocol carries on)
_BINARY = ("add", "sub", "mul", "truediv", "floordiv", "mod", "divmod", "pow", "lshift",
           "rshift", "and", "or", "xor", "matmul")
_NOT_IMPLEMENTED_OK = set(["__%s__" % n for n in _BINARY] + ["__r%s__" % n for n in _BINARY] +
                          ["__i%s__" % n for n in _BINARY] +
                          ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"])
_SLOT_NAMES = (["__%s__" % n for n in _BINARY] + ["__r%s__" % n for n in _BINARY] +
               ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
                "__getitem__", "__setitem__", "__delitem__", "__contains__", "__neg__",
                "__pos__", "__abs__", "__invert__", "__index__", "__int__", "__float__",
                "__complex__", "__round__", "__format__", "__enter__", "__exit__",
                "__reversed__", "__dir__", "__sizeof__", "__reduce__", "__reduce_ex__",
                "__await__", "__aiter__", "__anext__", "__get__", "__set__", "__delete__",
                "__fspath__", "__bytes__", "__length_hint__", "__trunc__", "__floor__",
                "__ceil__", "__missing__"])


def _host_special(host_type, name):
    """The host type's own special method `name`. For an instance of a guest subclass of a
    host type (class F(collections.defaultdict)), skip the guest classes of the MRO: they
    are the guest overrides, and this is what `super().__missing__` reached."""
    from runtime import typeobject
    guest = typeobject.GuestTypeDef
    tds = typeobject._td_by_addr
    td = tds.get(id(host_type))
    if td is None or td.__class__ is not guest:
        return getattr(host_type, name, None)
    for klass in host_type.__mro__:
        td = tds.get(id(klass))
        if td is not None and td.__class__ is guest:
            continue
        if name in klass.__dict__:
            return getattr(klass, name)
    return None


def _slot(name):
    """A special method of W_Foreign delegating to the host type's own (slot lookup)."""
    def method(w_self, /, *args_w, **kwargs_w):
        obj = host_object(w_self)
        f = _host_special(type(obj), name)
        if f is None:
            if name in _NOT_IMPLEMENTED_OK:
                return _obj.w_NotImplemented
            raise oefmt("TypeError", "'%s' object has no attribute '%s'", _type_name(obj),
                        name)
        # (descriptor calls pass None for a missing owner: host None)
        args = [obj] + [host_arg(w) for w in args_w]
        try:
            if _blocking(f):            # `with lock:` waits in lock.__enter__
                kwargs = {k: host_arg(w) for k, w in kwargs_w.items()} if kwargs_w else None
                result = _gil.call_released(f, args, kwargs)
            elif kwargs_w:
                result = f(*args, **{k: host_arg(w) for k, w in kwargs_w.items()})
            else:
                result = f(*args)
        except Exception as e:
            raise _host_error(e)
        return adopt(result)
    method.__name__ = name
    return method


_CORE = {
    "__getattribute__": _f_getattribute,
    "__setattr__": _f_setattr,
    "__delattr__": _f_delattr,
    "__call__": _f_call,
    "__repr__": _f_repr,
    "__str__": _f_str,
    "__hash__": _f_hash,
    "__bool__": _f_bool,
    "__iter__": _f_iter,
    "__next__": _f_next,
    "__len__": _f_len,
}
_SLOTS = {name: _slot(name) for name in _SLOT_NAMES}
# the generic W_Foreign (types not registered yet) answers for everything
foreign_typedef.methods.update(_CORE)
foreign_typedef.methods.update(
    {k: v for k, v in _SLOTS.items() if k not in ("__get__", "__set__", "__delete__")})


# --- one handle class per host type ------------------------------------------------------------

_registered = set()      # host types whose handle class is settled


def register_host_type(host_type):
    """Give objects of `host_type` a handle class whose TypeDef has exactly the special
    methods the host type has (so presence tests like "has __get__?" or "has __iter__?"
    answer as CPython's slots would). Host exception classes beale does not know (e.g.
    _io.UnsupportedOperation) get an exception handle class under their built-in base."""
    if host_type in _registered:
        return
    _registered.add(host_type)
    addr = id(host_type)
    if _obj.handle_class_for(addr) is not W_Foreign:
        return                       # a type beale models (int, list, module, ...)
    if isinstance(host_type, type) and issubclass(host_type, BaseException):
        from runtime import exceptions
        base = exceptions.builtin_base_of(addr)
        if base is not None:
            cls = type("W_" + host_type.__name__, (base,), {"__slots__": ()})
            td = TypeDef(host_type.__name__, base.typedef, None, cls)
            td.type_addr = addr
            _obj.register_handle_class(addr, cls)
            return
    cls = type("W_Foreign_" + host_type.__name__, (W_Foreign,), {"__slots__": ()})
    td = TypeDef(host_type.__name__, _obj.object_typedef, None, cls)
    td.type_addr = addr
    if isinstance(host_type, type) and host_type is not type:
        td.methods = _HostTypeMethods(host_type)
    td.methods.update(_CORE)
    for name in ("__call__", "__iter__", "__next__", "__len__", "__bool__"):
        if getattr(host_type, name, None) is None:
            td.methods.pop(name, None)
    for name in _SLOT_NAMES:
        if getattr(host_type, name, None) is not None:
            td.methods[name] = _SLOTS[name]
    if isinstance(host_type, type) and host_type is not type:
        # calling the type calls the host type (its tp_new and tp_init run in C)
        from runtime.object import HostStaticMethod
        td.methods["__new__"] = HostStaticMethod(_host_type_new_for(host_type))
        td.methods["__init__"] = _host_type_init
    _obj.register_handle_class(addr, cls)


class _HostTypeMethods(dict):
    """TypeDef.methods of a host type: beale's delegating special methods first, then the
    attributes of the host type's own classes (up to, not including, `object`), adopted as
    guest objects (method descriptors, class attributes) the first time they are asked for.
    So `super().seed(x)` in a guest subclass of _random.Random finds the C method."""

    def __init__(self, host_type):
        dict.__init__(self)
        self.host_type = host_type

    def get(self, name, default=None):
        value = dict.get(self, name)
        if value is not None:
            return value
        for klass in self.host_type.__mro__:
            if klass is object:
                break
            if name in klass.__dict__:
                value = adopt(klass.__dict__[name])
                dict.__setitem__(self, name, value)
                return value
        return default


def _host_type_new_for(host_type):
    """`__new__` of a host type: the host type called with the guest arguments; for a
    guest subclass, the host type's tp_new given the subclass (`Base.__new__(Sub, ...)`)."""
    def new(w_type, /, *args_w, **kwargs_w):
        if w_type.addr == id(host_type):
            return call_host(w_type, args_w, kwargs_w)
        return call_host_callable(host_type.__new__, (w_type,) + tuple(args_w), kwargs_w)
    return new


def _host_type_init(w_self, /, *args_w, **kwargs_w):
    return _obj.w_None


def register_module_types(host_module):
    """Register the types a host (C) module exposes, and the types of its values."""
    for value in list(vars(host_module).values()):
        if isinstance(value, type):
            register_host_type(value)
        register_host_type(type(value))


class HostIterator:
    """Marker base for host objects that are already iterators over handles."""


# --- beale's iterator types over host generators ----------------------------------------------

_ITER_TYPES = {}


def iterator_typedef(name):
    """The TypeDef (and beale-built heap type) of the iterator type `name`, made once."""
    td = _ITER_TYPES.get(name)
    if td is None:
        from runtime import functionobject
        hcls = type("W_" + name.capitalize() + "Iter", (functionobject.W_DataObject,),
                    {"__slots__": (), "__doc__": "Handle on a beale %s iterator." % name})
        td = functionobject.make_type(name, hcls)
        td.methods["__iter__"] = _iter_self
        td.methods["__next__"] = _iter_next
        install_c_iterator_slots(td.type_addr)
        _ITER_TYPES[name] = td
    return td


# --- C-visible iteration of beale-built iterators ---------------------------------------------
#
# Host C code (functools.reduce, itertools, collections' _count_elements, ...) iterates with
# PyObject_GetIter / PyIter_Next, i.e. the type's tp_iter and tp_iternext slots. beale-built
# iterator types get typeobject's tp_iter/tp_iternext slots (C trampolines around cffi
# extern "Python" functions): tp_iter returns the object itself, tp_iternext calls the guest
# __next__ and returns a new reference, NULL without an exception when exhausted, NULL with
# the guest exception pending on error.

def set_host_error(operr):
    """Park guest exception `operr` for the C caller of the running slot (typeslots.park)."""
    from runtime import typeslots
    typeslots.park(operr)


def install_c_iterator_slots(type_addr):
    """Give a beale-built type tp_iter/tp_iternext slots calling back into beale."""
    from runtime import typeobject
    typeobject.install_c_slots(type_addr, iter=True, iternext=True)


class IterData:
    """The host side of a beale iterator: the host generator yielding handles."""
    __slots__ = ("gen",)

    def __init__(self, gen):
        self.gen = gen


def new_iterator(name, gen):
    """A guest iterator object of type `name` producing what host generator `gen` yields."""
    from runtime import functionobject
    td = iterator_typedef(name)
    return functionobject.new_data_object(td.handle_class, IterData(gen))


def _iter_self(w_it):
    return w_it


def _iter_next(w_it):
    d = w_it.get_data()
    gen = d.gen
    if gen is None:
        raise OperationError("StopIteration", None)
    try:
        return next(gen)
    except StopIteration:
        d.gen = None
        raise OperationError("StopIteration", None)
    except OperationError:
        d.gen = None
        raise

