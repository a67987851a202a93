"""Types and classes (CPython's Objects/typeobject.c).

Built-in types
--------------
A built-in type seen by the guest (`type(1)`) is a handle (`W_Type`) on the HOST's type
object (PyLong_Type). Its attributes come from beale's TypeDef for that type (found through
the handle class registered for the type's address), never from the host's tp_dict.

Guest classes
-------------
`class C(B): ...` builds a real PyHeapTypeObject with the host allocator (GC prefix):
tp_name, tp_basicsize, tp_flags (HEAPTYPE|BASETYPE|HAVE_GC|READY), tp_base, tp_bases and
tp_mro (guest tuples), tp_dict (a guest dict), ht_name/ht_qualname (guest strs), and the
deallocation slots of a host heap type: tp_dealloc/tp_traverse/tp_clear are copied from a
class the host itself built (`class _Probe: pass`), i.e. CPython's own subtype_dealloc,
subtype_traverse and subtype_clear, which decref the instance dict, clear __slots__ members
(described by the PyMemberDef array that follows the heap type, as CPython lays it out) and
finally call the solid base's dealloc. Dropping an instance therefore frees its dict in C.

Instance layout (mirrors type_new_descriptors):
    [PyGC_Head] base struct | __slots__ pointers | __dict__ pointer | __weakref__ pointer
tp_dictoffset/tp_weaklistoffset point at the last two; on 3.11, when the dict is added to a
base without items, it is a "managed dict" instead (see object.MANAGED_DICT):
    [values][__dict__][PyGC_Head] base struct | __slots__ pointers | __weakref__ pointer

Each guest class has a `GuestTypeDef` (MRO of TypeDefs, a host dict mirroring tp_dict for
fast lookup, a method cache invalidated by a global epoch bumped on every class attribute
assignment) and a handle class subclassing its solid base's handle class.

Guest type objects are never freed: a registry keeps one count on each.

Lookup results (see runtime/space.py) are host functions (methods), host descriptors
(objects with .get/.set/.delete: runtime.exceptions.Member/GetSet, HostProperty here),
HostClassMethod/HostStaticMethod wrappers, or guest objects.
"""

import builtins as _hb
import ctypes
_memmove = ctypes.memmove

import layout
from layout import ffi
from runtime import object as _o
from runtime.object import W_Object, W_Str, W_Int, wrap
from runtime.errors import OperationError, oefmt, host_call_type_error, with_attrs
from runtime.typedef import TypeDef
from runtime import space

_cast = ffi.cast
_PyObj_FromPtr = _o._PyObj_FromPtr

Py_TPFLAGS_HEAPTYPE = 1 << 9
Py_TPFLAGS_BASETYPE = 1 << 10
Py_TPFLAGS_READY = 1 << 12
Py_TPFLAGS_HAVE_GC = 1 << 14
Py_TPFLAGS_IS_ABSTRACT = 1 << 20
# the fast-subclass bits (long, list, tuple, bytes, unicode, dict, base exception, type)
_SUBCLASS_BITS = 0xFF << 24
T_OBJECT_EX = 16

_HEAPTYPE_SIZE = layout.struct("PyHeapTypeObject").size
_MEMBERDEF_SIZE = layout.struct("PyMemberDef").size
_PTR = ffi.sizeof("void *")


def _addr(cdata):
    return int(_cast("uintptr_t", cdata))


def _tp(type_addr):
    return _cast("PyTypeObject *", type_addr)


# --- host descriptor helpers (for built-in TypeDefs) --------------------------------------

HostProperty = _o.HostProperty          # fget(w_obj) / fset(w_obj, w_value)
HostClassMethod = _o.HostClassMethod    # fn(w_type, *args_w)
HostStaticMethod = _o.HostStaticMethod  # fn(*args_w)


def hd_get(f, w_obj):
    """Read a host descriptor: HostProperty (fget) or an object with .get (exceptions.Member)."""
    if f.__class__ is HostProperty:
        return f.fget(w_obj)
    return f.get(w_obj)


def hd_set(f, w_obj, w_value):
    """Write (w_value None: delete) through a host descriptor."""
    if f.__class__ is HostProperty:
        if f.fset is None:
            raise oefmt("AttributeError", "attribute '%s' of '%s' objects is not writable",
                        f.name, w_obj.__class__.typedef.name)
        f.fset(w_obj, w_value)
        return
    if w_value is None:
        f.delete(w_obj)
    else:
        f.set(w_obj, w_value)


def is_host_descr(f):
    return f.__class__ is HostProperty or hasattr(f, "get")


def _host_fn():
    pass


HostFunction = _host_fn.__class__


# --- the `type` type ------------------------------------------------------------------------

class W_Type(W_Object):
    """Handle on a type object (host built-in type or guest-built heap type)."""
    __slots__ = ()
    is_type_handle = True     # attribute lookups go through type_getattr


ADDR_PyType_Type = _o.type_address("PyType_Type")
ADDR_object = _o.type_address("PyBaseObject_Type")
object_typedef = _o.object_typedef
type_typedef = TypeDef("type", object_typedef, "PyType_Type", W_Type)
_o.register_handle_class(ADDR_PyType_Type, W_Type)


# --- TypeDef registry by type address -------------------------------------------------------

_td_by_addr = {}        # type address -> TypeDef (guest classes, and built-ins on demand)
_w_type_by_addr = {}    # type address -> W_Type handle (kept: types are long-lived)
_epoch = [0]            # bumped on every class attribute change (method caches)


def typedef_for_addr(type_addr):
    td = _td_by_addr.get(type_addr)
    if td is not None:
        return td
    if not _is_type_addr(type_addr):
        # X.__new__(not_a_type) and friends: CPython's tp_new_wrapper check, not a crash
        raise oefmt("TypeError", "X.__new__(X): X is not a type object (%s)",
                    ffi.string(_tp(_o.type_addr_of(type_addr)).tp_name).decode("utf-8", "replace"))
    cls = _o.handle_class_for(type_addr)
    td = cls.typedef
    if td is None or cls is _o.W_Foreign:
        td = _foreign_typedef(type_addr)
    elif issubclass(cls, _o.W_Foreign) and not td.__dict__.get("foreign"):
        td = _foreign_typedef(type_addr, td)      # a host type runtime/foreign.py registered
    _td_by_addr[type_addr] = td
    return td


def _is_type_addr(addr):
    """PyType_Check on the object at addr (Py_TPFLAGS_TYPE_SUBCLASS of its type)."""
    return bool(_tp(_o.type_addr_of(addr)).tp_flags & (1 << 31))


def _foreign_typedef(type_addr, td=None):
    """A TypeDef for a host type beale does not model (runtime/foreign.py): its instances'
    operations go through the host (foreign_typedef); calling it, its __new__ and
    __init__ call the host type's own."""
    from runtime import foreign
    tp = _tp(type_addr)
    name = ffi.string(tp.tp_name).decode("utf-8", "replace").rpartition(".")[2]
    base = _addr(tp.tp_base)
    base_td = typedef_for_addr(base) if base else object_typedef
    if td is None:
        td = TypeDef(name, base_td)
        td.methods.update(foreign.foreign_typedef.methods)
    td.mro = [td] + mro_of(base_td)
    td.type_addr = type_addr
    td.foreign = True
    host_type = _PyObj_FromPtr(type_addr)
    td.host_type = host_type

    def new(w_subtype, /, *args_w, **kwargs_w):
        try:
            r = host_type.__new__(_PyObj_FromPtr(w_subtype.addr), *[w.ref for w in args_w],
                                  **{k: w.ref for k, w in kwargs_w.items()})
        except Exception as e:
            raise _o.from_host_exception(e)
        return wrap(id(r))

    def init(w_self, /, *args_w, **kwargs_w):
        try:
            host_type.__init__(_PyObj_FromPtr(w_self.addr), *[w.ref for w in args_w],
                               **{k: w.ref for k, w in kwargs_w.items()})
        except Exception as e:
            raise _o.from_host_exception(e)
        return _o.w_None
    td.methods["__new__"] = HostStaticMethod(new)
    td.methods["__init__"] = init
    return td


_FOREIGN_GENERIC = ("__getattribute__", "__setattr__", "__delattr__")


def typedef_of_type(w_type):
    return typedef_for_addr(w_type.addr)


def type_addr_of_td(td):
    a = _hb.getattr(td, "type_addr", None)
    if a is None and td.host_symbol is None:
        # a TypeDef without a C type (handle-only objects): give it a beale-built type
        # object so the guest can see it (type(x), __mro__)
        new_data_type(td, False)
        return td.type_addr
    if a is None:
        try:
            a = _o.type_address(td.host_symbol)
        except KeyError:
            # symbol not in the layout module: find the type registered for its handles
            for addr, cls in list(_o._handle_classes.items()):
                if cls.typedef is td:
                    a = addr
                    break
            else:
                raise
        td.type_addr = a
        _td_by_addr.setdefault(a, td)
    return a


def w_type_for_addr(type_addr):
    w = _w_type_by_addr.get(type_addr)
    if w is None:
        hcls = _o._handle_classes.get(type_addr)
        if hcls is not None and _hb.getattr(hcls, "_body", None) is not None and \
                _hb.getattr(hcls, "typedef", None) is not None:
            # the ob_type of a handle-only object's body (a host class such as RangeBody):
            # the guest type is its TypeDef's (range is PyRange_Type: type(range(3)) is range)
            a = type_addr_of_td(hcls.typedef)
            if a != type_addr:
                w = _w_type_by_addr[type_addr] = w_type_for_addr(a)
                return w
        w = _w_type_by_addr[type_addr] = wrap(type_addr)
    return w


def w_type_of_td(td):
    return w_type_for_addr(type_addr_of_td(td))


def type_of(w):
    """Guest type(w) as a W_Type handle (reads ob_type)."""
    if w.ref is None:             # handle-only object (no C struct): its TypeDef says
        return w_type_of_td(w.__class__.typedef)
    return w_type_for_addr(_o.type_addr_of(w.addr))


def is_type(w):
    return W_Type in w.__class__.__mro__


def mro_of(td):
    """The MRO of a TypeDef as a list of TypeDefs."""
    m = _hb.getattr(td, "mro", None)
    if m is not None:
        return m
    out = []
    t = td
    while t is not None:
        out.append(t)
        t = t.base
    if out[-1] is not object_typedef:
        out.append(object_typedef)
    return out


def issubtype_td(td, td_base):
    if td is td_base or td_base is object_typedef:
        return True
    for t in mro_of(td):
        if t is td_base:
            return True
    return False


def isinstance_w(w, w_type):
    td = w.__class__.typedef
    tdb = typedef_of_type(w_type)
    if td is tdb:
        return True
    if issubtype_td(td, tdb):
        return True
    # the handle class may be a base's (e.g. a freshly allocated exception): check ob_type
    # (typedef_for_addr may also have just completed td's MRO: a host type met first as
    # an item of a host container, e.g. an ast.Name in a list)
    real = typedef_for_addr(_o.type_addr_of(w.addr))
    return issubtype_td(real, tdb)


def _is_tuple(w):
    return w.__class__.typedef.name == "tuple" and w.__class__.typedef.host_symbol == "PyTuple_Type"


def isinstance_full(w, w_cls):
    """isinstance(w, cls) with tuples and metaclass __instancecheck__."""
    if _is_tuple(w_cls):
        for w_c in space.iterate(w_cls):
            if isinstance_full(w, w_c):
                return True
        return False
    if w_cls.__class__ is W_Type:
        return isinstance_w(w, w_cls)
    f = w_cls.__class__.typedef.lookup("__instancecheck__")
    if f is not None:
        return space.is_true(space.call_special(f, w_cls, w))
    if not is_type(w_cls):
        raise oefmt("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union")
    return isinstance_w(w, w_cls)


def issubclass_full(w_cls, w_base):
    if _is_tuple(w_base):
        for w_c in space.iterate(w_base):
            if issubclass_full(w_cls, w_c):
                return True
        return False
    if w_base.__class__ is not W_Type:
        f = w_base.__class__.typedef.lookup("__subclasscheck__")
        if f is not None:
            return space.is_true(space.call_special(f, w_base, w_cls))
    if not is_type(w_cls):
        raise oefmt("TypeError", "issubclass() arg 1 must be a class")
    if not is_type(w_base):
        raise oefmt("TypeError",
                    "issubclass() arg 2 must be a class, a tuple of classes, or a union")
    return issubtype_td(typedef_of_type(w_cls), typedef_of_type(w_base))


# --- exceptions glue ------------------------------------------------------------------------

def _exc_typedef(name):
    from runtime import exceptions
    return exceptions.TYPEDEFS[name]


def builtin_exc_subclass(name, base_name):
    return issubtype_td(_exc_typedef(name), _exc_typedef(base_name))


def exc_instance_of_name(w_exc, name):
    td = typedef_for_addr(_o.type_addr_of(w_exc.addr))
    return issubtype_td(td, _exc_typedef(name))


# --- guest classes --------------------------------------------------------------------------

class GuestTypeDef(TypeDef):
    """TypeDef of a guest class: lookup walks the MRO's dicts, with a cache."""

    def __init__(self, name, bases, handle_class):
        TypeDef.__init__(self, name, bases[0] if bases else object_typedef)
        self.bases = bases
        self.dict_w = {}          # host mirror of tp_dict: str -> handle
        self.mro = None
        self.type_addr = 0
        self.w_type = None
        self.handle_class = handle_class
        self._cache = {}
        self._cache_epoch = -1
        self.subclasses = []

    def lookup(self, name):
        if self._cache_epoch != _epoch[0]:
            self._cache = {}
            self._cache_epoch = _epoch[0]
        cache = self._cache
        try:
            return cache[name]
        except KeyError:
            pass
        r = None
        for td in self.mro:
            d = td.dict_w if td.__class__ is GuestTypeDef else td.methods
            r = d.get(name)
            if r is not None:
                if name in _FOREIGN_GENERIC and td.__dict__.get("foreign"):
                    r = None      # instances of guest subclasses use beale's attribute protocol
                    continue
                break
        cache[name] = r
        return r


class W_Instance(W_Object):
    """Handle on an instance of a guest class whose solid base is `object`."""
    __slots__ = ()
    dictoffset = 0


def _host_heap_type_slots():
    """tp_dealloc/traverse/clear/free/alloc/getattro/setattro of a class built by the host
    itself: CPython's subtype_dealloc and friends."""
    class _Probe:
        pass
    tp = _tp(id(_Probe))
    return {name: _hb.getattr(tp, name) for name in
            ("tp_dealloc", "tp_traverse", "tp_clear", "tp_free", "tp_alloc",
             "tp_getattro", "tp_setattro", "tp_hash", "tp_richcompare", "tp_repr",
             "tp_str", "tp_init", "tp_new")}, _Probe


_PROBE_SLOTS, _Probe = _host_heap_type_slots()
_keepalive = []     # guest type handles and tp_name buffers: never freed


def _c3_merge(seqs):
    out = []
    seqs = [list(s) for s in seqs if s]
    while seqs:
        for s in seqs:
            head = s[0]
            if not any(head in t[1:] for t in seqs):
                break
        else:
            raise oefmt("TypeError", "Cannot create a consistent method resolution order (MRO) "
                        "for bases %s", ", ".join(t[0].name for t in seqs))
        out.append(head)
        seqs = [[x for x in s if x is not head] for s in seqs]
        seqs = [s for s in seqs if s]
    return out


def compute_mro(td, bases):
    return [td] + _c3_merge([mro_of(b) for b in bases] + [list(bases)])


def _solid_handle_class(td):
    """The handle class instances of a class get: from the nearest base with one."""
    return td.handle_class if td.handle_class is not None else W_Object


def _set_ptr_field(addr, w_value):
    """Store a new reference to w_value (or NULL) at address `addr`."""
    p = _cast("uintptr_t *", addr)
    old = p[0]
    if w_value is None:
        p[0] = 0
    else:
        _o.incref(w_value.addr)
        p[0] = w_value.addr
    if old:
        _o.decref(old)


def new_class(w_meta, name, bases_w, w_ns, qualname=None, kwargs_w=None):
    """type.__new__(meta, name, bases, ns): build a guest heap type (see module docstring)."""
    if not bases_w:
        bases_w = [w_type_for_addr(ADDR_object)]
    base_tds = []
    for w_b in bases_w:
        if not is_type(w_b):
            raise oefmt("TypeError", "bases must be types")
        td_b = typedef_of_type(w_b)
        tpb = _tp(w_b.addr)
        if not (tpb.tp_flags & Py_TPFLAGS_BASETYPE):
            raise oefmt("TypeError", "type '%s' is not an acceptable base type", td_b.name)
        base_tds.append(td_b)
    # namespace -> host dict (insertion order kept)
    ns = {}
    for w_k in space.iterate(w_ns):
        ns[space.str_w(w_k)] = space.getitem(w_ns, w_k)
    # the solid base: the first base (CPython's best_base picks the most derived layout;
    # beale takes the first base whose layout is widest)
    best = best_base(bases_w)
    tpbase = _tp(best.addr)
    base_td = typedef_of_type(best)
    itemsize = tpbase.tp_itemsize
    base_dictoffset = tpbase.tp_dictoffset
    base_weakoffset = tpbase.tp_weaklistoffset

    # __slots__
    slot_names = []
    add_dict = base_dictoffset == 0
    add_weak = base_weakoffset == 0 and itemsize == 0
    if "__slots__" in ns:
        w_slots = ns["__slots__"]
        if isinstance(w_slots, W_Str):
            names = [w_slots.v]
        else:
            names = [space.str_w(x) for x in space.iterate(w_slots)]
        add_dict = add_dict and "__dict__" in names
        add_weak = add_weak and "__weakref__" in names
        for n in names:
            if n in ("__dict__", "__weakref__"):
                continue
            if n in ns:
                raise oefmt("ValueError", "%r in __slots__ conflicts with class variable", n)
            slot_names.append(_mangle(name, n))
        if slot_names and itemsize:
            raise oefmt("TypeError", "nonempty __slots__ not supported for subtype of '%s'",
                        base_td.name)
    basicsize = tpbase.tp_basicsize
    slot_offsets = []
    for n in slot_names:
        slot_offsets.append(basicsize)
        basicsize += _PTR
    dictoffset = base_dictoffset
    # 3.11: a dict added to a base without items is "managed" (object.MANAGED_DICT), and
    # subclasses of a managed class inherit the flag (inherit_special)
    layout_311 = _o.MANAGED_DICT_LAYOUT == 311
    managed = bool(tpbase.tp_flags & _o.Py_TPFLAGS_MANAGED_DICT) or \
        (_o.MANAGED_DICT and add_dict and (not itemsize or not layout_311))
    managed_weak = bool(_o.Py_TPFLAGS_MANAGED_WEAKREF) and \
        (bool(tpbase.tp_flags & _o.Py_TPFLAGS_MANAGED_WEAKREF) or add_weak)
    if add_dict:
        if managed:
            pass                                            # set below
        elif itemsize:
            dictoffset = -_PTR
            basicsize += _PTR
        else:
            dictoffset = basicsize
            basicsize += _PTR
    weakoffset = base_weakoffset
    if add_weak:
        if managed_weak:
            weakoffset = _o.MANAGED_WEAKREF_OFFSET          # 3.12+
        else:
            weakoffset = basicsize
            basicsize += _PTR
    if add_dict and managed:
        # type_new_descriptors: 3.11 -tp_basicsize - 3 words, 3.12+ -1
        dictoffset = -basicsize + _o.MANAGED_DICT_OFFSET if layout_311 else -1

    taddr = alloc_heap_type(w_meta.addr, name, qualname or name, best.addr, basicsize,
                            itemsize, Py_TPFLAGS_BASETYPE | (tpbase.tp_flags & _SUBCLASS_BITS) |
                            (_o.Py_TPFLAGS_MANAGED_DICT if managed else 0) |
                            (_o.Py_TPFLAGS_MANAGED_WEAKREF if managed_weak else 0),
                            dictoffset, weakoffset, list(zip(slot_names, slot_offsets)))
    _set_ptr_field(taddr + _field_offset("ht_type.tp_bases"), space.newtuple(list(bases_w)))
    if managed:
        _set_cached_keys(taddr)
    qual = qualname or name

    # the TypeDef and handle class
    base_handle = _solid_handle_class(base_td)
    if base_handle is W_Object:
        base_handle = W_Instance
    hcls = type("W_" + name, (base_handle,), {"__slots__": ()})
    # the handle class's dictoffset is where the dict pointer is, relative to the object
    # (negative: the var-sized rule, unless managed_dict)
    hcls.dictoffset = _o.MANAGED_DICT_OFFSET if managed else dictoffset
    hcls.managed_dict = managed
    hcls.managed_weakref = managed_weak
    hcls.slot_offsets = dict(zip(slot_names, slot_offsets))
    td = GuestTypeDef(name, base_tds, hcls)
    hcls.typedef = td
    td.type_addr = taddr
    td.qualname = qual
    td.dictoffset = dictoffset
    td.weakoffset = weakoffset
    td.basicsize = basicsize
    td.solid_base = base_td
    td.slot_names = slot_names
    td.mro = compute_mro(td, base_tds)
    _o.register_handle_class(taddr, hcls)
    _td_by_addr[taddr] = td
    w_type = _o.steal(hcls_for_meta(w_meta), taddr)
    td.w_type = w_type
    _w_type_by_addr[taddr] = w_type
    _keepalive.append(w_type)
    for b in base_tds:
        if b.__class__ is GuestTypeDef:
            b.subclasses.append(td)

    # tp_mro and tp_dict
    _set_ptr_field(taddr + _field_offset("ht_type.tp_mro"),
                   space.newtuple([w_type_of_td(t) for t in td.mro]))
    _set_collection_flags(taddr, td, ns)
    w_dict = space.newdict()
    _set_ptr_field(taddr + _field_offset("ht_type.tp_dict"), w_dict)
    td.w_dict = w_dict
    if "__module__" not in ns:
        # type_new_set_module: __name__ of the calling frame's globals
        from runtime.interp.frame import ts as _ts
        if _ts.frame is not None:
            from runtime.interp.compiler import dget
            w_modname = dget(_ts.frame.w_globals, space.newtext("__name__"))
            if w_modname is not None:
                ns["__module__"] = w_modname
    ns.pop("__classcell__", None)
    if "__qualname__" in ns:
        td.qualname = space.str_w(ns.pop("__qualname__"))
        _set_ptr_field(taddr + _field_offset("ht_qualname"), space.newstr(td.qualname))
    if "__doc__" not in ns:             # type_new_set_doc: every class dict has a __doc__
        ns["__doc__"] = _o.w_None
    if "__eq__" in ns and "__hash__" not in ns:
        ns["__hash__"] = _o.w_None
    for k in ("__init_subclass__", "__class_getitem__"):
        if k in ns and _is_plain_function(ns[k]):
            ns[k] = functionobject.new_classmethod(ns[k])
    if "__new__" in ns and _is_plain_function(ns["__new__"]):
        ns["__new__"] = functionobject.new_staticmethod(ns["__new__"])
    for n, off in zip(slot_names, slot_offsets):
        ns[n] = functionobject.new_member_descr(n, off, w_type)
    if add_dict and "__dict__" not in ns:
        # subtype_dict / subtype_setdict as a getset descriptor in the class dict
        ns["__dict__"] = functionobject.new_host_descr_object(
            HostProperty(_subtype_dict, _subtype_setdict, "__dict__"), w_type)
    if add_weak and "__weakref__" not in ns:
        ns["__weakref__"] = functionobject.new_host_descr_object(
            HostProperty(_subtype_weakref, None, "__weakref__"), w_type)
    for k, w_v in ns.items():
        _store_class_attr(td, k, w_v)
    _epoch[0] += 1
    # __set_name__ then __init_subclass__ (type_new_set_names, type_new_init_subclass)
    for k, w_v in list(ns.items()):
        f = w_v.__class__.typedef.lookup("__set_name__")
        if f is not None:
            space.call_special(f, w_v, w_type, space.newstr(k))
    # fixup_slot_dispatchers: the C slots of the dunders guest classes define
    typeslots.update_slots(td)
    # super(cls, cls).__init_subclass__(**kwargs)
    for t in td.mro[1:]:
        d = t.dict_w if t.__class__ is GuestTypeDef else t.methods
        f = d.get("__init_subclass__")
        if f is not None:
            if isinstance(f, W_Object):
                w_m = _bind(f, w_type, w_type)
                call(w_m, [], kwargs_w or None)
            else:
                fn = f.fn if f.__class__ is HostClassMethod else f
                if kwargs_w:
                    fn(w_type, **kwargs_w)
                else:
                    fn(w_type)
            break
    return w_type


Py_TPFLAGS_IMMUTABLETYPE = 1 << 8
Py_TPFLAGS_SEQUENCE = 1 << 5
Py_TPFLAGS_MAPPING = 1 << 6
COLLECTION_FLAGS = Py_TPFLAGS_SEQUENCE | Py_TPFLAGS_MAPPING
_Py_TPFLAGS_MATCH_SELF = 1 << 22    # int, str, list, ...: `case int(x)` binds the subject


def _set_collection_flags(taddr, td, ns):
    """The pattern-matching flags of a new class (inherit_special copies _MATCH_SELF from
    the solid base). typeobject.c inherit_patma_flags: the
    first base in MRO order carrying Py_TPFLAGS_SEQUENCE or _MAPPING gives its bit. Then
    _abc._abc_init: a class whose namespace defines __abc_tpflags__ (collections.abc's
    Sequence and Mapping) takes those bits instead and loses the key. beale runs the
    pure-Python _py_abc, so the type machinery does the latter for every class."""
    tp = _tp(taddr)
    tp.tp_flags |= _tp(type_addr_of_td(td.solid_base)).tp_flags & _Py_TPFLAGS_MATCH_SELF
    for t in td.mro[1:]:
        bits = _tp(type_addr_of_td(t)).tp_flags & COLLECTION_FLAGS
        if bits:
            tp.tp_flags |= bits
            break
    w_fl = ns.get("__abc_tpflags__")
    if w_fl is not None and isinstance(_hb.getattr(w_fl, "v", None), int):
        del ns["__abc_tpflags__"]
        tp.tp_flags = (tp.tp_flags & ~COLLECTION_FLAGS) | (w_fl.v & COLLECTION_FLAGS)


def set_collection_flag_recursive(w_type, flag):
    """_abc.c set_collection_flag_recursive: ABCMeta.register(Sequence or Mapping, cls)
    gives cls and its subclasses the ABC's collection bit (immutable types excepted)."""
    tp = _tp(w_type.addr)
    if tp.tp_flags & Py_TPFLAGS_IMMUTABLETYPE or (tp.tp_flags & COLLECTION_FLAGS) == flag:
        return
    tp.tp_flags = (tp.tp_flags & ~COLLECTION_FLAGS) | flag
    td = typedef_of_type(w_type)
    for sub in list(_hb.getattr(td, "subclasses", ())):
        set_collection_flag_recursive(w_type_of_td(sub), flag)


def _abc_register_hook(w_register):
    """ABCMeta.register of _py_abc, followed by _abc._abc_register's flag update."""
    def register(w_cls, w_subclass, /):
        w_r = space.call_function(w_register, w_cls, w_subclass)
        if is_type(w_subclass) and is_type(w_cls):
            flag = _tp(w_cls.addr).tp_flags & COLLECTION_FLAGS
            if flag:
                set_collection_flag_recursive(w_subclass, flag)
        return w_r
    return register


def install_abc_register_hook(w_abcmeta):
    """Called by the importer once _py_abc has run: wrap ABCMeta.register."""
    w_register = space.getattr(w_abcmeta, "register")
    hook = _abc_register_hook(w_register)
    hook.guest_name = "register"
    w_m = functionobject.new_builtin_method(hook, None, w_abcmeta)
    space.setattr(w_abcmeta, "register", w_m)


# --- managed dicts (object.MANAGED_DICT) -----------------------------------------------------
#
# The host's object_new (tp_new of a guest class whose solid base is object, called by C
# code such as _pickle's load_newobj) starts a managed-dict instance with inline values
# laid out by the type's shared keys, ht_cached_keys (_PyObject_InitializeDict), which
# must exist.  CPython makes them with _PyDict_NewKeysForClass, which is not exported; a
# class made by the host for the purpose (kept alive, as guest types are) gives a fresh
# keys object, shared by one more reference (dk_refcnt).  An instance in that "values"
# state is turned into the dict state beale uses by the host's own PyObject_GenericGetDict
# (make_dict_from_instance_attributes) the first time beale looks for its dict.

_cached_keys_donors = []
_HT_CACHED_KEYS = None
_pyapi_getdict = []


def _set_cached_keys(taddr):
    donor = _hb.type("beale_keys_donor", (), {})
    _cached_keys_donors.append(donor)
    ht = _cast("PyHeapTypeObject *", id(donor))
    keys = ht.ht_cached_keys
    if keys == ffi.NULL:
        return
    keys.dk_refcnt += 1
    _cast("PyHeapTypeObject *", taddr).ht_cached_keys = keys


_PTR_SIZE = ffi.sizeof("void *")


def _materialise_managed_dict(w):
    """If the instance holds its attributes as inline values (made by the host), let the
    host turn them into a dict in the dict word (values word set to NULL)."""
    a = w.addr
    if _o.MANAGED_DICT_LAYOUT == 311:
        if not _cast("uintptr_t *", a + _o.MANAGED_DICT_OFFSET - _PTR_SIZE)[0]:
            return
    elif not _cast("uintptr_t *", a + _o.MANAGED_DICT_OFFSET)[0] & 1:   # 3.12: tagged values
        return
    if not _pyapi_getdict:
        f = ctypes.pythonapi.PyObject_GenericGetDict
        f.argtypes = [ctypes.py_object, ctypes.c_void_p]
        f.restype = ctypes.py_object
        _pyapi_getdict.append(f)
    _pyapi_getdict[0](w.ref, None)      # returns a new reference, dropped at once


def alloc_heap_type(meta_addr, name, qualname, base_addr, basicsize, itemsize, flags,
                    dictoffset, weakoffset, members):
    """Allocate and fill a PyHeapTypeObject (type_new_alloc + type_new_set_attrs): the
    PyMemberDef array for `members` [(name, offset)] follows the struct, as in CPython."""
    nmembers = len(members)
    size = _HEAPTYPE_SIZE + (nmembers + 1) * _MEMBERDEF_SIZE
    taddr = _o.alloc_object(meta_addr, size, gc=True)
    if _tp(meta_addr).tp_flags & Py_TPFLAGS_HEAPTYPE:
        _o.incref(meta_addr)
    ht = _cast("PyHeapTypeObject *", taddr)
    tp = ht.ht_type
    _cast("PyVarObject *", taddr).ob_size = nmembers
    name_buf = ffi.new("char[]", name.encode("utf-8"))
    _keepalive.append(name_buf)
    tp.tp_name = name_buf
    tp.tp_basicsize = basicsize
    tp.tp_itemsize = itemsize
    tp.tp_flags = (Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_READY | Py_TPFLAGS_HAVE_GC | flags)
    tp.tp_dictoffset = dictoffset
    tp.tp_weaklistoffset = weakoffset
    for slot, value in _PROBE_SLOTS.items():
        _hb.setattr(tp, slot, value)
    tp.tp_as_number = ffi.addressof(ht, "as_number")
    tp.tp_as_sequence = ffi.addressof(ht, "as_sequence")
    tp.tp_as_mapping = ffi.addressof(ht, "as_mapping")
    tp.tp_as_async = ffi.addressof(ht, "as_async")
    tp.tp_as_buffer = ffi.addressof(ht, "as_buffer")
    _o.incref(base_addr)
    tp.tp_base = _cast("PyTypeObject *", base_addr)
    tp.tp_new = _tp(base_addr).tp_new      # inherit_special: the solid base's allocator
    if base_addr != ADDR_object:
        _inherit_slots(ht, _tp(base_addr))
    _set_ptr_field(taddr + _field_offset("ht_name"), space.newstr(name))
    _set_ptr_field(taddr + _field_offset("ht_qualname"), space.newstr(qualname))
    if members:
        _set_ptr_field(taddr + _field_offset("ht_slots"),
                       space.newtuple([space.newstr(n) for n, _ in members]))
    # PyMemberDef array (what subtype_dealloc/subtype_traverse walk for __slots__)
    arr = _cast("PyMemberDef *", taddr + _HEAPTYPE_SIZE)
    for i, (n, off) in enumerate(members):
        buf = ffi.new("char[]", n.encode("utf-8"))
        _keepalive.append(buf)
        arr[i].name = buf
        arr[i].type = T_OBJECT_EX
        arr[i].offset = off
        arr[i].flags = 0
    tp.tp_members = arr
    return taddr


_INHERITED_SLOTS = ("tp_call", "tp_iter", "tp_iternext", "tp_descr_get", "tp_descr_set",
                    "tp_init", "tp_hash", "tp_richcompare", "tp_repr", "tp_str")
_SUITES = (("tp_as_number", "as_number", "PyNumberMethods"),
           ("tp_as_sequence", "as_sequence", "PySequenceMethods"),
           ("tp_as_mapping", "as_mapping", "PyMappingMethods"),
           ("tp_as_async", "as_async", "PyAsyncMethods"),
           ("tp_as_buffer", "as_buffer", "PyBufferProcs"))


def _inherit_slots(ht, tpbase):
    """inherit_slots(): a class with a built-in or host base keeps the base's C slots, so
    C code treats its instances like the base's (calls, iteration, number/sequence ops)."""
    tp = ht.ht_type
    tp.tp_vectorcall_offset = tpbase.tp_vectorcall_offset
    tp.tp_flags |= tpbase.tp_flags & (1 << 11)        # Py_TPFLAGS_HAVE_VECTORCALL
    for name in _INHERITED_SLOTS:
        _hb.setattr(tp, name, _hb.getattr(tpbase, name))
    for tp_field, ht_field, struct in _SUITES:
        src = _hb.getattr(tpbase, tp_field)
        if src != ffi.NULL:
            _memmove(_addr(ffi.addressof(ht, ht_field)), _addr(src), ffi.sizeof(struct))


_DATA_TYPE_ADDRS = set()      # the types new_data_type made (see _type_flags)


def new_data_type(td, has_dict, qualname=None, basetype=False, weakref=False):
    """The heap type for one of beale's own types (function, method, generator, ...):
    header + a `__data` member pointing at a host object (+ a __dict__ pointer) (+ a
    weak reference list pointer, as PyFunctionObject.func_weakreflist /
    PyGenObject.gi_weakreflist: subtype_dealloc clears the weak references)."""
    off = _o.SIZEOF_PYOBJECT
    basicsize = off + _PTR
    dictoffset = 0
    if has_dict:
        dictoffset = basicsize
        basicsize += _PTR
    weakoffset = 0
    if weakref:
        weakoffset = basicsize
        basicsize += _PTR
    taddr = alloc_heap_type(ADDR_PyType_Type, td.name, qualname or td.name, ADDR_object,
                            basicsize, 0, Py_TPFLAGS_BASETYPE if basetype else 0,
                            dictoffset, weakoffset, [("__data", off)])
    if has_dict:
        td.handle_class.dictoffset = dictoffset
    _set_ptr_field(taddr + _field_offset("ht_type.tp_bases"),
                   space.newtuple([w_type_for_addr(ADDR_object)]))
    _set_ptr_field(taddr + _field_offset("ht_type.tp_dict"), space.newdict())
    td.type_addr = taddr
    td.basicsize = basicsize
    _DATA_TYPE_ADDRS.add(taddr)
    _o.register_handle_class(taddr, td.handle_class)
    _td_by_addr[taddr] = td
    w_type = _o.steal(W_Type, taddr)
    _w_type_by_addr[taddr] = w_type
    _keepalive.append(w_type)
    _set_ptr_field(taddr + _field_offset("ht_type.tp_mro"),
                   space.newtuple([w_type, w_type_for_addr(ADDR_object)]))
    # C's PyObject_Repr/Str (deque_repr, partial_repr, "%r" in C) shows beale's repr
    _tp(taddr).tp_repr = typeslots.trampoline("tp_repr")
    # C's PyObject_GetAttr/SetAttr (numpy reads a guest function's __qualname__,
    # operator.attrgetter) sees the attributes beale's TypeDef defines, as the guest does
    _tp(taddr).tp_getattro = typeslots.trampoline("tp_getattro")
    _tp(taddr).tp_setattro = typeslots.trampoline("tp_setattro")
    return taddr


def _extra_ivars(type_addr, base_addr):
    """typeobject.c extra_ivars(): does the type add C fields beyond its base's (a
    trailing __dict__/__weakref__ pointer of a heap type does not count)?"""
    t = _tp(type_addr)
    b = _tp(base_addr)
    t_size = t.tp_basicsize
    b_size = b.tp_basicsize
    if t.tp_itemsize or b.tp_itemsize:
        return t_size != b_size or t.tp_itemsize != b.tp_itemsize
    heap = t.tp_flags & Py_TPFLAGS_HEAPTYPE
    if t.tp_weaklistoffset and not b.tp_weaklistoffset and \
            t.tp_weaklistoffset + _PTR == t_size and heap:
        t_size -= _PTR
    if t.tp_dictoffset and not b.tp_dictoffset and t.tp_dictoffset + _PTR == t_size and heap:
        t_size -= _PTR
    return t_size != b_size


def _solid_base_addr(type_addr):
    """typeobject.c solid_base(): the nearest type in the tp_base chain that adds C fields."""
    base = _addr(_tp(type_addr).tp_base)
    base = _solid_base_addr(base) if base else ADDR_object
    if _extra_ivars(type_addr, base):
        return type_addr
    return base


def best_base(bases_w):
    """best_base(): the base whose solid base is the most derived; TypeError on a layout
    conflict."""
    best = None
    best_solid = None
    for w_b in bases_w:
        solid = _solid_base_addr(w_b.addr)
        if best is None:
            best, best_solid = w_b, solid
            continue
        if issubtype_td(typedef_for_addr(best_solid), typedef_for_addr(solid)):
            continue
        if issubtype_td(typedef_for_addr(solid), typedef_for_addr(best_solid)):
            best, best_solid = w_b, solid
            continue
        raise oefmt("TypeError", "multiple bases have instance lay-out conflict")
    return best


def _subtype_dict(w):
    w_d = get_instance_dict(w, create=True)
    if w_d is None:
        raise oefmt("AttributeError", "This object has no __dict__")
    return w_d


def _subtype_setdict(w, w_value):
    if w_value is None or w_value.__class__.typedef.name != "dict":
        raise oefmt("TypeError", "__dict__ must be set to a dictionary, not a '%s'",
                    "NoneType" if w_value is None else w_value.__class__.typedef.name)
    off = _hb.getattr(w.__class__, "dictoffset", 0)
    if off == 0 or (off < 0 and not w.__class__.managed_dict):
        raise oefmt("AttributeError", "This object has no __dict__")
    if w.__class__.managed_dict:
        _materialise_managed_dict(w)
    _set_ptr_field(w.addr + off, w_value)


def _subtype_weakref(w):
    off = _tp(_o.type_addr_of(w.addr)).tp_weaklistoffset
    a = _cast("uintptr_t *", w.addr + off)[0] if off else 0
    return wrap(a) if a else _o.w_None


def _field_offset(path):
    return layout.struct("PyHeapTypeObject").offset(path)


def _mangle(classname, name):
    if not name.startswith("__") or name.endswith("__"):
        return name
    return "_" + classname.lstrip("_") + name


def _is_plain_function(w):
    return isinstance(w, functionobject.W_Function)


_meta_handle_classes = {}


def hcls_for_meta(w_meta):
    """Handle class for a type object whose metatype is w_meta."""
    if w_meta.addr == ADDR_PyType_Type:
        return W_Type
    td = typedef_of_type(w_meta)
    return td.handle_class


def _store_class_attr(td, name, w_value):
    if w_value.addr == _o.ADDR_None:
        w_value = _o.w_None
    td.dict_w[name] = w_value
    space.setitem(td.w_dict, space.newtext(name), w_value)


def type_setattr(w_type, name, w_value):
    td = typedef_of_type(w_type)
    if td.__class__ is not GuestTypeDef:
        if _tp(w_type.addr).tp_flags & Py_TPFLAGS_HEAPTYPE:
            # a class the host built (a C module's heap type): the host sets it
            host_t = _PyObj_FromPtr(w_type.addr)
            try:
                if w_value is None:
                    _hb.delattr(host_t, name)
                else:
                    _hb.setattr(host_t, name, w_value.ref)
            except Exception as e:
                raise _o.from_host_exception(e)
            return
        raise oefmt("TypeError", "cannot set '%s' attribute of immutable type '%s'",
                    name, td.name)
    # a data descriptor on the metatype wins (type_setattro -> PyObject_GenericSetAttr)
    f = w_type.__class__.typedef.lookup(name)
    if f is not None and _is_data_descr(f):
        _descr_set(f, w_type, w_value)
        return
    _epoch[0] += 1
    if w_value is None:
        if name not in td.dict_w:
            raise oefmt("AttributeError", "type object '%s' has no attribute '%s'",
                        td.name, name)
        del td.dict_w[name]
        space.delitem(td.w_dict, space.newtext(name))
        if name[:2] == "__" == name[-2:]:
            typeslots.update_slots(td, (name,))
        return
    if name == "__name__":
        td.name = space.str_w(w_value)
        return
    _store_class_attr(td, name, w_value)
    if name[:2] == "__" == name[-2:]:
        typeslots.update_slots(td, (name,))       # update_slot


# --- attribute protocol -------------------------------------------------------------------

def _is_data_descr(f):
    if isinstance(f, W_Object):
        td = f.__class__.typedef
        return td.lookup("__set__") is not None or td.lookup("__delete__") is not None
    return f.__class__ is not HostFunction and is_host_descr(f)


def _descr_set(f, w_obj, w_value):
    if isinstance(f, W_Object):
        if w_value is None:
            g = f.__class__.typedef.lookup("__delete__")
            if g is None:
                raise oefmt("AttributeError", "__delete__")
            space.call_special(g, f, w_obj)
        else:
            g = f.__class__.typedef.lookup("__set__")
            if g is None:
                raise oefmt("AttributeError", "__set__")
            space.call_special(g, f, w_obj, w_value)
        return
    hd_set(f, w_obj, w_value)


def instance_dict_addr(w):
    """Address of the instance __dict__ (0 when absent or not created yet)."""
    off = _hb.getattr(w.__class__, "dictoffset", 0)
    if not off:
        off = _hb.getattr(w.__class__, "dict_field_offset", 0)
        if not off:
            return 0
    elif off < 0:
        if w.__class__.managed_dict:
            _materialise_managed_dict(w)
        else:
            off = _var_dictoffset(w, off)
    return _cast("uintptr_t *", w.addr + off)[0]


def _var_dictoffset(w, off):
    # var-sized base (int, tuple, bytes): the dict pointer ends the variable part
    tp = _tp(_o.type_addr_of(w.addr))
    n = _cast("PyVarObject *", w.addr).ob_size
    return off + _o.var_size(tp.tp_basicsize, tp.tp_itemsize, -n if n < 0 else n)


def get_instance_dict(w, create=False):
    """The instance __dict__ (a guest dict handle) or None."""
    off = _hb.getattr(w.__class__, "dictoffset", 0)
    if not off:
        return _special_dict(w, create)
    if off < 0:
        if w.__class__.managed_dict:
            _materialise_managed_dict(w)
        else:
            off = _var_dictoffset(w, off)
    p = _cast("uintptr_t *", w.addr + off)
    a = p[0]
    if a:
        return wrap(a)
    if not create:
        return None
    w_d = space.newdict()
    _o.incref(w_d.addr)
    p[0] = w_d.addr
    return w_d


_W_Dict = []


def dict_getitem_str_addr(dict_addr, name):
    """dict[name] for the dict at dict_addr (a host str key), without a new handle on the
    dict: the borrowed handle below owns no count (ref None) and dies right away, while
    the instance that holds the dict keeps it alive."""
    if not _W_Dict:
        from runtime import dictobject
        _W_Dict.append(dictobject.W_Dict)
        _W_Dict.append(dictobject.getitem_str)
        _W_Dict.append(dictobject.dict_get_or_none)
    cls = _W_Dict[0]
    if _o.type_addr_of(dict_addr) != _DICT_TYPE:
        return _dict_lookup(wrap(dict_addr), name)
    h = cls.__new__(cls)
    h.addr = dict_addr
    h.ref = None
    # the interned guest str for the name: attribute stores use the same object, so the
    # probe usually matches the stored key by address
    return _W_Dict[2](h, space.newtext(name))


_DICT_TYPE = _o.type_address("PyDict_Type")


def _special_dict(w, create):
    """Objects with a dict at a fixed struct field (exceptions, functions...)."""
    off = _hb.getattr(w.__class__, "dict_field_offset", 0)
    if not off:
        return None
    p = _cast("uintptr_t *", w.addr + off)
    a = p[0]
    if a:
        return wrap(a)
    if not create:
        return None
    w_d = space.newdict()
    _o.incref(w_d.addr)
    p[0] = w_d.addr
    return w_d


def _dict_lookup(w_d, name):
    from runtime import dictobject
    get = _hb.getattr(dictobject, "getitem_str", None)
    if get is not None:
        return get(w_d, name)
    try:
        return space.getitem(w_d, space.newtext(name))
    except OperationError as e:
        if space.exception_match(e, "KeyError"):
            return None
        raise


def _bind(f, w_obj, w_type):
    """Apply the descriptor protocol to a non-data lookup result found on the type."""
    if isinstance(f, W_Object):
        c = f.__class__
        if c is functionobject.W_Function:
            if w_obj is None:
                return f
            return functionobject.new_method(f, w_obj)
        g = c.typedef.lookup("__get__")
        if g is None:
            return f
        if w_type is None:
            # PyObject_GenericGetAttr calls __get__(obj, type(obj)): never a missing
            # argument (a guest `def __get__(self, obj, cls=None)` reads cls)
            w_type = type_of(w_obj) if w_obj is not None else _o.w_None
        return space.call_special(g, f, w_obj if w_obj is not None else _o.w_None, w_type)
    if f.__class__ is HostFunction:
        return functionobject.new_builtin_method(f, w_obj, w_type)
    if f.__class__ is HostClassMethod:
        # classmethod_get: bound to the given type, else to type(obj) ({}.fromkeys)
        if w_type is None and w_obj is not None:
            w_type = w_obj if is_type(w_obj) else type_of(w_obj)
        return functionobject.new_builtin_method(f.fn, w_type, None)
    if f.__class__ is HostStaticMethod:
        return functionobject.new_builtin_method(f.fn, None, None)
    if is_host_descr(f):
        return hd_get(f, w_obj)
    raise TypeError("bad lookup result %r" % (f,))


def getattr(w, name):
    """PyObject_GetAttr with the full protocol: __getattribute__ overrides, data
    descriptors, instance dict, non-data descriptors, __getattr__ fallback."""
    td = w.__class__.typedef
    ga = td.lookup("__getattribute__")
    try:
        if ga is None or ga is _object_getattribute:
            if is_type(w):
                return type_getattr(w, name)
            return generic_getattr(w, name, td)
        return space.call_special(ga, w, space.newtext(name))
    except OperationError as e:
        if not space.exception_match(e, "AttributeError"):
            raise
        g = td.lookup("__getattr__")
        if g is None:
            _attribute_error_context(e, w, name)
            raise
    try:
        return space.call_special(g, w, space.newtext(name))
    except OperationError as e:
        if space.exception_match(e, "AttributeError"):
            _attribute_error_context(e, w, name)
        raise


def _attribute_error_context(e, w, name):
    """set_attribute_error_context (3.11 Objects/object.c): an AttributeError leaving
    PyObject_GetAttr gets the attribute's name and object (what the "Did you mean"
    suggestion of the traceback printer reads), whoever raised it, unless it already has
    them (an inner lookup's error keeps its own). A lazy exception gets them when built."""
    if e.w_value is None:
        if "exc_attrs" not in e.__dict__:
            with_attrs(e, name=name, obj=w)
        return
    try:
        w_exc = e.w_value
        if exc_instance_of_name(w_exc, "AttributeError"):
            from runtime import exceptions
            p = exceptions.layout.cast(w_exc.addr, "PyAttributeErrorObject")
            if p.name != _NULL or p.obj != _NULL:
                return
        space.setattr(w_exc, "name", space.newtext(name))
        space.setattr(w_exc, "obj", w)
    except OperationError:
        pass


def generic_getattr(w, name, td):
    """PyObject_GenericGetAttr."""
    f = td.lookup(name)
    if f is not None:
        fc = f.__class__
        if fc is not HostFunction and fc is not functionobject.W_Function and \
                _is_data_descr(f):
            if isinstance(f, W_Object):
                g = fc.typedef.lookup("__get__")
                return space.call_special(g, f, w, type_of(w))
            return hd_get(f, w)
    a = instance_dict_addr(w)
    if a:
        w_v = dict_getitem_str_addr(a, name)
        if w_v is not None:
            return w_v
    if f is not None:
        if f.__class__ is HostFunction and "guest_name" not in f.__dict__:
            # the name the bound method shows (repr, __name__, pickling as getattr(obj,
            # name)): str.index, not the host function's own name str_index
            f.guest_name = name
        return _bind(f, w, None)
    if name == "__class__":
        return type_of(w)
    if name == "__dict__":
        w_d = get_instance_dict(w, create=True)
        if w_d is not None:
            return w_d
    raise with_attrs(OperationError("AttributeError", "'%s' object has no attribute '%s'"
                                    % (td.name, name)), name=name, obj=w)


def type_getattr(w_type, name):
    """type_getattro: metatype data descriptors, then the type's MRO, then the metatype."""
    meta_td = w_type.__class__.typedef
    f_meta = meta_td.lookup(name)
    if f_meta is not None and f_meta.__class__ is not HostFunction and _is_data_descr(f_meta):
        if isinstance(f_meta, W_Object):
            g = f_meta.__class__.typedef.lookup("__get__")
            return space.call_special(g, f_meta, w_type, type_of(w_type))
        return hd_get(f_meta, w_type)
    td = typedef_of_type(w_type)
    if _hb.getattr(td, "foreign", False):
        from runtime import foreign
        return foreign._f_getattribute(w_type, space.newtext(name))
    f = td.lookup(name)
    if f is not None:
        return _bind_class_attr(f, w_type)
    if f_meta is not None:
        return _bind(f_meta, w_type, None)
    raise OperationError("AttributeError", "type object '%s' has no attribute '%s'"
                         % (td.name, name))


_method_descriptors = {}      # host function -> its one guest method descriptor


def method_name_in_mro(td, fn):
    """(defining TypeDef, name) of a method implemented by beale: the first key along td's
    MRO under which fn (or a classmethod/staticmethod wrapping it) is registered; (None,
    None) if none is."""
    for t in mro_of(td):
        methods = t.dict_w if t.__class__ is GuestTypeDef else t.methods
        for k, v in methods.items():
            if v is fn or ((v.__class__ is HostClassMethod or v.__class__ is HostStaticMethod)
                           and v.fn is fn):
                return t, k
    return None, None


def _method_descriptor(f, w_type):
    """`int.__str__`: the method descriptor of a built-in method, one object per method
    as in CPython (Enum tests `int.__str__ is object.__str__`), whose __objclass__ is the
    type that defines it."""
    w_d = _method_descriptors.get(f)
    if w_d is None:
        td, name = method_name_in_mro(typedef_of_type(w_type), f)
        w_owner = w_type_of_td(td) if td is not None else w_type
        if name is not None and "guest_name" not in f.__dict__:
            f.guest_name = name           # bound later as obj.name: the same name
        w_d = functionobject.new_builtin_method(f, None, w_owner)
        if name is not None:
            w_d.get_data().name = name
        _method_descriptors[f] = w_d
    return w_d


def _bind_class_attr(f, w_type):
    """An attribute found on a class's own MRO: descriptors get (None, cls)."""
    if isinstance(f, W_Object):
        g = f.__class__.typedef.lookup("__get__")
        if g is None or f.__class__ is functionobject.W_Function:
            return f
        return space.call_special(g, f, _o.w_None, w_type)
    if f.__class__ is HostFunction:
        return _method_descriptor(f, w_type)
    if f.__class__ is HostClassMethod:
        return functionobject.new_builtin_method(f.fn, w_type, None)
    if f.__class__ is HostStaticMethod:
        return functionobject.new_builtin_method(f.fn, None, None)
    if is_host_descr(f):
        return functionobject.new_host_descr_object(f, w_type)
    raise TypeError("bad lookup result %r" % (f,))


def setattr(w, name, w_value):
    """PyObject_SetAttr (w_value None means delete)."""
    td = w.__class__.typedef
    sa = td.lookup("__setattr__" if w_value is not None else "__delattr__")
    if sa is not None and sa is not _object_setattr and sa is not _object_delattr:
        if w_value is None:
            space.call_special(sa, w, space.newtext(name))
        else:
            space.call_special(sa, w, space.newtext(name), w_value)
        return
    if is_type(w):
        type_setattr(w, name, w_value)
        return
    generic_setattr(w, name, w_value, td)


def generic_setattr(w, name, w_value, td):
    f = td.lookup(name)
    if f is not None and f.__class__ is not HostFunction and _is_data_descr(f):
        _descr_set(f, w, w_value)
        return
    w_d = get_instance_dict(w, create=True)
    if w_d is None:
        if f is None:
            raise OperationError("AttributeError", "'%s' object has no attribute '%s'"
                                 % (td.name, name))
        raise OperationError("AttributeError", "'%s' object attribute '%s' is read-only"
                             % (td.name, name))
    if w_value is None:
        try:
            space.delitem(w_d, space.newtext(name))
        except OperationError as e:
            if space.exception_match(e, "KeyError"):
                raise OperationError("AttributeError", "'%s' object has no attribute '%s'"
                                     % (td.name, name))
            raise
    else:
        space.setitem(w_d, space.newtext(name), w_value)


def delattr(w, name):
    setattr(w, name, None)


# --- calls ---------------------------------------------------------------------------------

def call(w_f, args_w, kwargs_w):
    c = w_f.__class__
    if c is functionobject.W_Function:
        return functionobject.call_function(w_f, args_w, kwargs_w)
    if c is functionobject.W_Method:
        return functionobject.call_method_obj(w_f, args_w, kwargs_w)
    if c is functionobject.W_BuiltinFunction:
        return functionobject.call_builtin(w_f, args_w, kwargs_w)
    if W_Type in c.__mro__ and c.typedef.lookup("__call__") is _type_call_entry:
        return type_call(w_f, args_w, kwargs_w)
    f = c.typedef.lookup("__call__")
    if f is None:
        raise oefmt("TypeError", "'%s' object is not callable", c.typedef.name)
    if isinstance(f, W_Object):
        return call_descriptor_method_kw(f, w_f, args_w, kwargs_w)
    try:
        if kwargs_w:
            return f(w_f, *args_w, **kwargs_w)
        return f(w_f, *args_w)
    except TypeError as e:
        operr = host_call_type_error(e)
        if operr is None:
            raise
        raise operr from None


def call_descriptor_method(f, w_self, args_w):
    """Call a guest object found by a type lookup as a method of w_self."""
    c = f.__class__
    if c is functionobject.W_Function:
        return functionobject.call_function(f, [w_self] + list(args_w), None)
    return call(_bind(f, w_self, None), list(args_w), None)


def call_descriptor_method_kw(f, w_self, args_w, kwargs_w):
    if f.__class__ is functionobject.W_Function:
        return functionobject.call_function(f, [w_self] + list(args_w), kwargs_w)
    return call(_bind(f, w_self, None), list(args_w), kwargs_w)


def call_host_descriptor(f, w_self, args_w):
    """Call a HostClassMethod/HostStaticMethod/property-like lookup result as a method."""
    if f.__class__ is HostClassMethod:
        return f.fn(type_of(w_self), *args_w)
    if f.__class__ is HostStaticMethod:
        return f.fn(*args_w)
    if is_host_descr(f):
        return call(hd_get(f, w_self), list(args_w), None)
    return f(w_self, *args_w)


# type_call's fast path: per guest class whose __new__ is object.__new__ and whose
# __init__ is a guest function (the common `class C: def __init__(self, ...)`):
# (class-attribute epoch, __init__ function, its data, handle class, tp_basicsize, bytes
# in front of the PyGC_Head).  Valid while the epoch is unchanged.
_init_cache = {}
_new_handle_obj = object.__new__


def _fill_init_cache(td, w_type):
    if td.__class__ is not GuestTypeDef or td.lookup("__new__") is not _object_new_sm:
        return None
    f_init = td.lookup("__init__")
    hcls = td.handle_class
    if f_init is None or f_init.__class__ is not functionobject.W_Function or \
            hcls is None or not issubclass(hcls, W_Instance) or \
            _tp(w_type.addr).tp_flags & Py_TPFLAGS_IS_ABSTRACT:
        return None
    pre = _o.MANAGED_DICT_PRE if _o.has_managed_dict(w_type.addr) else 0
    e = _init_cache[td] = (_epoch[0], f_init, f_init.get_data(), hcls, td.basicsize, pre)
    return e


def alloc_instance_py(type_addr, hcls, basicsize, pre):
    """new_instance's allocation for type_call's fast path (the Python twin of
    alloc_instance, used when the C helper is missing and by allocstats)."""
    addr = _o.alloc_object(type_addr, basicsize, gc=True, managed_dict=bool(pre))
    _o.incref(type_addr)            # instances of heap types own their type
    w = _o.steal(hcls, addr)
    _o.gc_track(addr)
    return w


_fast_instance = _o.FAST_CONSTRUCTORS.get("instance")


def alloc_instance(type_addr, hcls, basicsize, pre):
    """A fresh, tracked instance of a guest class: build_ffi's beale_fast_instance
    allocates, fills and tracks it in one call (what new_instance does)."""
    ref = _fast_instance(type_addr, basicsize, pre)
    w = _new_handle_obj(hcls)
    w.addr = id(ref)
    w.ref = ref
    return w


if _fast_instance is None:
    alloc_instance = alloc_instance_py      # noqa: F811


def type_call(w_type, args_w, kwargs_w):
    """type_call: cls.__new__(cls, ...) then __init__ if the result is an instance."""
    td = typedef_of_type(w_type)
    e = _init_cache.get(td)
    if e is None or e[0] != _epoch[0]:
        e = _fill_init_cache(td, w_type)
    if e is not None:
        # object.__new__ (no argument check: __init__ is overridden) then __init__
        w_obj = alloc_instance(w_type.addr, e[3], e[4], e[5])
        fd = e[2]
        w_r = fd.code.call(e[1], fd, [w_obj, *args_w], kwargs_w)
        if w_r.addr != _o.ADDR_None:
            raise oefmt("TypeError", "__init__() should return None, not '%s'",
                        w_r.__class__.typedef.name)
        return w_obj
    if _hb.getattr(td, "foreign", False):
        from runtime import foreign
        return foreign.call_host(w_type, list(args_w), kwargs_w or {})
    if w_type.addr == ADDR_PyType_Type and len(args_w) == 1 and not kwargs_w:
        return type_of(args_w[0])
    f_new = td.lookup("__new__")
    if f_new is None:
        raise oefmt("TypeError", "cannot create '%s' instances", td.name)
    w_obj = _call_new(f_new, w_type, args_w, kwargs_w)
    if td.__class__ is GuestTypeDef and w_obj.__class__ is not td.handle_class and \
            not isinstance(f_new, W_Object) and _o.type_addr_of(w_obj.addr) != w_type.addr:
        # a built-in __new__ that ignored the subtype (containers): move the value over
        # (never what a guest __new__ returned: typing.NamedTupleMeta returns a plain class)
        solid = _solid_builtin(td)
        if solid is not object_typedef and w_obj.__class__ is solid.handle_class:
            w_obj = subtype_instance(w_type, w_obj)
    if not isinstance_w(w_obj, w_type):
        return w_obj
    # make sure the handle is of the class's handle class
    hcls = td.handle_class
    if hcls is not None and w_obj.__class__ is not hcls and \
            _o.type_addr_of(w_obj.addr) == w_type.addr:
        w_obj = wrap(w_obj.addr)
    f_init = w_obj.__class__.typedef.lookup("__init__")
    if f_init is not None:
        if isinstance(f_init, W_Object):
            w_r = call_descriptor_method_kw(f_init, w_obj, args_w, kwargs_w)
        else:
            try:
                if kwargs_w:
                    w_r = f_init(w_obj, *args_w, **kwargs_w)
                else:
                    w_r = f_init(w_obj, *args_w)
            except TypeError as e:
                operr = host_call_type_error(e, td.name)
                if operr is None:
                    raise
                raise operr from None
        if w_r is not None and w_r.addr != _o.ADDR_None:
            raise oefmt("TypeError", "__init__() should return None, not '%s'",
                        w_r.__class__.typedef.name)
    return w_obj


def _call_new(f_new, w_type, args_w, kwargs_w):
    if isinstance(f_new, W_Object):
        if f_new.__class__ is functionobject.W_StaticMethod:
            f_new = functionobject.staticmethod_func(f_new)
        return call(f_new, [w_type] + list(args_w), kwargs_w)
    if f_new.__class__ is HostStaticMethod:
        f_new = f_new.fn
    try:
        if kwargs_w:
            return f_new(w_type, *args_w, **kwargs_w)
        return f_new(w_type, *args_w)
    except TypeError as e:
        operr = host_call_type_error(e, typedef_of_type(w_type).name)
        if operr is None:
            raise
        raise operr from None


def new_instance(w_type):
    """Allocate a bare instance of a guest class whose solid base is object."""
    td = typedef_of_type(w_type)
    if w_type.addr == ADDR_object:
        addr = _o.alloc_object(ADDR_object, _o.SIZEOF_PYOBJECT)
        return _o.steal(W_Object, addr)
    if td.__class__ is not GuestTypeDef:
        raise oefmt("TypeError", "object.__new__(%s) is not safe, use %s.__new__()",
                    td.name, td.name)
    if _tp(w_type.addr).tp_flags & Py_TPFLAGS_IS_ABSTRACT:
        _abstract_error(td)
    addr = _o.alloc_object(w_type.addr, td.basicsize, gc=True,
                           managed_dict=_o.has_managed_dict(w_type.addr))
    _o.incref(w_type.addr)          # instances of heap types own their type
    w = _o.steal(td.handle_class, addr)
    _o.gc_track(addr)
    return w


def _abstract_error(td):
    names = []
    w_abs = td.dict_w.get("__abstractmethods__")
    if w_abs is not None:
        names = sorted(space.str_w(x) for x in space.iterate(w_abs))
    raise oefmt("TypeError", "Can't instantiate abstract class %s with abstract method%s %s",
                td.name, "s" if len(names) != 1 else "", ", ".join(names))


#: list, dict, tuple, set and frozenset have a __class_getitem__ method (functionobject);
#: `type[int]` is special-cased by CPython's type_getitem; the others are host C types
_GENERIC_BUILTINS = ("type", "deque", "defaultdict", "OrderedDict", "Counter", "ChainMap",
                     "enumerate")


def class_getitem(w_type):
    """`cls[item]`: the class's __class_getitem__, or types.GenericAlias for the built-in
    generic types (PEP 585)."""
    td = typedef_of_type(w_type)
    f = td.lookup("__class_getitem__")
    if f is None:
        # The built-in generics' __class_getitem__ is inherited: class D(dict[K, V]) makes
        # D[int, str] a GenericAlias of D (werkzeug's TypeConversionDict).
        for b in (td.mro if td.__class__ is GuestTypeDef and td.mro else (td,)):
            if b.__class__ is not GuestTypeDef and b.name in _GENERIC_BUILTINS:
                return lambda w_key: functionobject.new_generic_alias(w_type, w_key)
        return None

    def call_it(w_key):
        return space.call(_bind_class_attr(f, w_type), [w_key])
    return call_it


def new_seq_iter(w):
    return functionobject.new_seq_iter(w)


# --- object and type methods -----------------------------------------------------------------

def _object_getattribute(w_self, w_name):
    name = space.str_w(w_name)
    if is_type(w_self):
        return type_getattr(w_self, name)
    return generic_getattr(w_self, name, w_self.__class__.typedef)


def _object_setattr(w_self, w_name, w_value):
    if is_type(w_self):
        type_setattr(w_self, space.str_w(w_name), w_value)
        return _o.w_None
    generic_setattr(w_self, space.str_w(w_name), w_value, w_self.__class__.typedef)
    return _o.w_None


def _object_delattr(w_self, w_name):
    if is_type(w_self):
        type_setattr(w_self, space.str_w(w_name), None)
        return _o.w_None
    generic_setattr(w_self, space.str_w(w_name), None, w_self.__class__.typedef)
    return _o.w_None


def _object_new(w_type, /, *args_w, **kwargs_w):
    td = typedef_of_type(w_type)
    if args_w or kwargs_w:                      # typeobject.c object_new
        if td.lookup("__new__") is not _object_new_sm:
            raise oefmt("TypeError", "object.__new__() takes exactly one argument "
                        "(the type to instantiate)")
        if td.lookup("__init__") is _object_init:
            raise oefmt("TypeError", "%s() takes no arguments", td.name)
    return new_instance(w_type)


_object_new_sm = HostStaticMethod(_object_new)


def _object_init(w_self, /, *args_w, **kwargs_w):
    td = w_self.__class__.typedef
    if args_w or kwargs_w:
        if td.lookup("__init__") is not _object_init:
            raise oefmt("TypeError", "object.__init__() takes exactly one argument "
                        "(the instance to initialize)")
        if td.lookup("__new__") is _object_new_sm:     # typeobject.c object_init
            raise oefmt("TypeError", "%s.__init__() takes exactly one argument "
                        "(the instance to initialize)", td.name)
    return _o.w_None


def _object_eq(w_self, w_other):
    if w_self.addr == w_other.addr:
        return _o.w_True
    return _o.w_NotImplemented


def _object_ne(w_self, w_other):
    f = w_self.__class__.typedef.lookup("__eq__")
    w_r = space.call_special(f, w_self, w_other)
    if w_r.addr == _o.ADDR_NotImplemented:
        return w_r
    return _o.w_False if space.is_true(w_r) else _o.w_True


def _object_hash(w_self):
    a = w_self.addr
    # _Py_HashPointer: rotate by 4 bits
    h = ((a >> 4) | (a << 60)) & 0xFFFFFFFFFFFFFFFF
    if h >= 1 << 63:
        h -= 1 << 64
    if h == -1:
        h = -2
    return space.newint(h)


def _type_module_name(w_type):
    td = typedef_of_type(w_type)
    if td.__class__ is GuestTypeDef:
        w_m = td.dict_w.get("__module__")
        if w_m is not None and isinstance(w_m, W_Str):
            return w_m.v
        return "builtins"
    return _builtin_module_name(w_type)


def _builtin_module_name(w_type):
    name = ffi.string(_tp(w_type.addr).tp_name).decode()
    if "." in name:
        return name.rpartition(".")[0]
    return "builtins"


def _type_qualname(w_type):
    td = typedef_of_type(w_type)
    return _hb.getattr(td, "qualname", None) or td.name


def _object_repr(w_self):
    w_t = type_of(w_self)
    mod = _type_module_name(w_t)
    q = _type_qualname(w_t)
    if mod != "builtins":
        q = mod + "." + q
    return space.newstr("<%s object at 0x%x>" % (q, w_self.addr))


def _object_str(w_self):
    return space.repr(w_self)


def _object_format(w_self, w_spec):
    if space.str_w(w_spec) != "":
        raise oefmt("TypeError", "unsupported format string passed to %s.__format__",
                    w_self.__class__.typedef.name)
    return space.str(w_self)


def _object_init_subclass(w_cls, /, *args_w, **kwargs_w):
    if args_w or kwargs_w:
        raise oefmt("TypeError", "%s.__init_subclass__() takes no keyword arguments",
                    typedef_of_type(w_cls).name)
    return _o.w_None


def _object_subclasshook(w_cls, *args_w):
    return _o.w_NotImplemented


def _object_dir(w_self):
    names = set()
    w_d = get_instance_dict(w_self)
    if w_d is not None:
        for w_k in space.iterate(w_d):
            names.add(space.str_w(w_k))
    for td in mro_of(typedef_for_addr(_o.type_addr_of(w_self.addr))):
        d = td.dict_w if td.__class__ is GuestTypeDef else td.methods
        names.update(d)
    return space.newlist([space.newstr(n) for n in sorted(names)])


def _object_sizeof(w_self):
    return space.newint(_tp(_o.type_addr_of(w_self.addr)).tp_basicsize)


# --- pickling: typeobject.c object___reduce_ex__, _common_reduce, reduce_newobj ----------

def _copyreg():
    from runtime import importer
    return importer.import_module("copyreg")


def _object_reduce_ex(w_self, w_proto=None):
    """object.__reduce_ex__(protocol): a class's own __reduce__ wins, else _common_reduce."""
    proto = 0 if w_proto is None else space.index(w_proto)
    f = w_self.__class__.typedef.lookup("__reduce__")
    if f is not None and f is not _object_reduce:
        return space.call(_bind(f, w_self, None), [])
    return _common_reduce(w_self, proto)


def _object_reduce(w_self):
    return _common_reduce(w_self, 0)


def _common_reduce(w_self, proto):
    if proto >= 2:
        return _reduce_newobj(w_self)
    return space.call_method(_copyreg(), "_reduce_ex", w_self, space.newint(proto))


def _reduce_newobj(w_self):
    """reduce_newobj: (copyreg.__newobj__, (cls, *args), state, listitems, dictitems)."""
    from runtime import listobject, dictobject
    w_cls = type_of(w_self)
    td = w_self.__class__.typedef
    if td.lookup("__new__") is None:
        raise oefmt("TypeError", "cannot pickle '%s' object", td.name)
    args_w, w_kwargs, hasargs = [], None, False
    f = td.lookup("__getnewargs_ex__")
    if f is not None:
        w_r = space.call(_bind(f, w_self, None), [])
        items = space.listview(w_r) if w_r.__class__.typedef.name == "tuple" else None
        if items is None or len(items) != 2:
            raise oefmt("TypeError", "__getnewargs_ex__ should return a tuple of length 2")
        args_w, w_kwargs, hasargs = space.listview(items[0]), items[1], True
    else:
        f = td.lookup("__getnewargs__")
        if f is not None:
            w_r = space.call(_bind(f, w_self, None), [])
            if w_r.__class__.typedef.name != "tuple":
                raise oefmt("TypeError", "__getnewargs__ should return a tuple, not '%s'",
                            space.typename(w_r))
            args_w, hasargs = space.listview(w_r), True
    w_copyreg = _copyreg()
    if w_kwargs is None or not space.len(w_kwargs):
        w_newobj = space.getattr(w_copyreg, "__newobj__")
        w_newargs = space.newtuple([w_cls] + list(args_w))
    else:
        w_newobj = space.getattr(w_copyreg, "__newobj_ex__")
        w_newargs = space.newtuple([w_cls, space.newtuple(list(args_w)), w_kwargs])
    is_list = isinstance(w_self, listobject.W_List)
    is_dict = isinstance(w_self, dictobject.W_Dict)
    w_state = _object_getstate(w_self, not (hasargs or is_list or is_dict))
    w_listitems = space.iter(w_self) if is_list else _o.w_None
    w_dictitems = space.iter(space.call_method(w_self, "items")) if is_dict else _o.w_None
    return space.newtuple([w_newobj, w_newargs, w_state, w_listitems, w_dictitems])


def _object_getstate(w_self, required):
    """object_getstate: a class's own __getstate__, else the default."""
    f = w_self.__class__.typedef.lookup("__getstate__")
    if f is not None and f is not _object_getstate_m:
        return space.call(_bind(f, w_self, None), [])
    return _object_getstate_default(w_self, required)


def _object_getstate_m(w_self):
    return _object_getstate_default(w_self, False)


def _object_getstate_default(w_self, required):
    """object_getstate_default: the instance dict (a copy) and the __slots__ values."""
    td = w_self.__class__.typedef
    tp = _tp(_o.type_addr_of(w_self.addr)) if w_self.ref is not None else None
    name = td.name
    if required and tp is not None and tp.tp_itemsize:
        raise oefmt("TypeError", "cannot pickle '%s' object", name)
    w_state = _o.w_None
    w_d = get_instance_dict(w_self)
    if w_d is not None and space.len(w_d):
        w_state = space.call_method(w_d, "copy")
    w_slotnames = space.call_method(_copyreg(), "_slotnames", type_of(w_self))
    slotnames = space.listview(w_slotnames) if w_slotnames.addr != _o.ADDR_None else []
    if required:
        basicsize = _o.SIZEOF_PYOBJECT
        if tp is not None:
            if tp.tp_dictoffset:
                basicsize += _PTR
            if tp.tp_weaklistoffset:
                basicsize += _PTR
            basicsize += len(slotnames) * _PTR
        if tp is None or tp.tp_basicsize > basicsize:
            raise oefmt("TypeError", "cannot pickle '%s' object", name)
    if slotnames:
        w_slots = space.newdict()
        for w_n in slotnames:
            w_v = space.findattr(w_self, space.str_w(w_n))
            if w_v is not None:
                space.setitem(w_slots, w_n, w_v)
        if space.len(w_slots):
            w_state = space.newtuple([w_state, w_slots])
    return w_state


for _name, _fn in [("__getattribute__", _object_getattribute), ("__setattr__", _object_setattr),
                   ("__delattr__", _object_delattr), ("__init__", _object_init),
                   ("__eq__", _object_eq), ("__ne__", _object_ne), ("__hash__", _object_hash),
                   ("__repr__", _object_repr), ("__str__", _object_str),
                   ("__format__", _object_format), ("__dir__", _object_dir),
                   ("__sizeof__", _object_sizeof), ("__reduce_ex__", _object_reduce_ex),
                   ("__reduce__", _object_reduce), ("__getstate__", _object_getstate_m)]:
    object_typedef.methods[_name] = _fn


def _object_order(name):
    """object_richcompare for <, <=, >, >=: NotImplemented (so `object.__lt__` exists, a
    slot wrapper, as in CPython; functools.total_ordering compares with it)."""
    def order(w_self, w_other):
        return _o.w_NotImplemented
    order.guest_name = name
    return order


for _name in ("__lt__", "__le__", "__gt__", "__ge__"):
    object_typedef.methods[_name] = _object_order(_name)
object_typedef.methods["__new__"] = _object_new_sm
object_typedef.methods["__init_subclass__"] = HostClassMethod(_object_init_subclass)
object_typedef.methods["__subclasshook__"] = HostClassMethod(_object_subclasshook)
object_typedef.methods["__class__"] = HostProperty(type_of)
object_typedef.methods["__doc__"] = space.newstr(object.__doc__)   # a plain str, as in CPython


def _type_call_entry(w_type, /, *args_w, **kwargs_w):
    return type_call(w_type, list(args_w), kwargs_w or None)


def _type_new(w_meta, /, *args_w, **kwargs_w):
    if w_meta.addr == ADDR_PyType_Type and len(args_w) == 1:
        return type_of(args_w[0])
    if len(args_w) != 3:
        if w_meta.addr == ADDR_PyType_Type:
            raise oefmt("TypeError", "type() takes 1 or 3 arguments")
        # only type itself has the one-argument form (PyArg_ParseTuple "UO!O!:type.__new__")
        raise oefmt("TypeError", "type.__new__() takes exactly 3 arguments (%d given)",
                    len(args_w))
    w_name, w_bases, w_ns = args_w
    # the most derived metaclass among the bases (calculate_metaclass)
    bases_w = list(space.iterate(w_bases))
    w_winner = calculate_metaclass(w_meta, bases_w)
    if w_winner.addr != w_meta.addr:
        f_new = typedef_of_type(w_winner).lookup("__new__")
        if f_new is not None and f_new is not _type_new_sm:
            return _call_new(f_new, w_winner, list(args_w), kwargs_w or None)
    w_meta = w_winner
    return new_class(w_meta, space.str_w(w_name), bases_w, w_ns, None, kwargs_w)


def calculate_metaclass(w_meta, bases_w):
    winner = w_meta
    for w_b in bases_w:
        w_bt = type_of(w_b)
        if issubclass_full(winner, w_bt):
            continue
        if issubclass_full(w_bt, winner):
            winner = w_bt
            continue
        raise oefmt("TypeError", "metaclass conflict: the metaclass of a derived class must "
                    "be a (non-strict) subclass of the metaclasses of all its bases")
    return winner


def _type_init(w_type, /, *args_w, **kwargs_w):
    return _o.w_None


def _type_repr(w_type):
    mod = _type_module_name(w_type)
    q = _type_qualname(w_type)
    if mod != "builtins":
        return space.newstr("<class '%s.%s'>" % (mod, q))
    return space.newstr("<class '%s'>" % q)


def _type_name(w_type):
    return space.newstr(typedef_of_type(w_type).name)


def _type_set_name(w_type, w_value):
    typedef_of_type(w_type).name = space.str_w(w_value)


def _type_qualname_get(w_type):
    return space.newstr(_type_qualname(w_type))


def _type_qualname_set(w_type, w_value):
    typedef_of_type(w_type).qualname = space.str_w(w_value)


def _type_module(w_type):
    td = typedef_of_type(w_type)
    if td.__class__ is GuestTypeDef:
        return td.dict_w.get("__module__", space.newstr("builtins"))
    return space.newstr(_builtin_module_name(w_type))


def _type_mro_get(w_type):
    return space.newtuple([w_type_of_td(t) for t in mro_of(typedef_of_type(w_type))])


def _type_mro_method(w_type):
    return space.newlist([w_type_of_td(t) for t in mro_of(typedef_of_type(w_type))])


def _type_bases(w_type):
    td = typedef_of_type(w_type)
    if td.__class__ is GuestTypeDef:
        return space.newtuple([w_type_of_td(t) for t in td.bases])
    if td is object_typedef:
        return space.newtuple([])
    return space.newtuple([w_type_of_td(td.base or object_typedef)])


def _type_set_bases(w_type, w_value):
    """type_set_bases: assign a new tuple of bases to a guest class (typing.NamedTupleMeta
    does `nm_tpl.__bases__ = bases`). The new bases must keep the instance layout (same solid
    base); the MRO of the class and of its subclasses is recomputed (mro_hierarchy)."""
    td = typedef_of_type(w_type)
    if td.__class__ is not GuestTypeDef:
        raise oefmt("TypeError", "cannot set '__bases__' attribute of immutable type '%s'",
                    td.name)
    if w_value is None:
        raise oefmt("TypeError", "cannot delete '__bases__' attribute of immutable type '%s'",
                    td.name)
    if space.typename(w_value) != "tuple":
        raise oefmt("TypeError", "can only assign tuple to %s.__bases__, not %s",
                    td.name, space.typename(w_value))
    bases_w = list(space.iterate(w_value))
    if not bases_w:
        raise oefmt("TypeError", "can only assign non-empty tuple to %s.__bases__, not ()",
                    td.name)
    for w_b in bases_w:
        if not is_type(w_b):
            raise oefmt("TypeError", "%s.__bases__ must be tuple of classes, not '%s'",
                        td.name, space.typename(w_b))
        if issubtype_td(typedef_of_type(w_b), td):
            raise oefmt("TypeError", "a __bases__ item causes an inheritance cycle")
    w_best = best_base(bases_w)
    old_base = _addr(_tp(td.type_addr).tp_base)
    if _tp(w_best.addr).tp_free != _tp(old_base).tp_free:
        raise oefmt("TypeError", "__bases__ assignment: '%s' deallocator differs from '%s'",
                    typedef_of_type(w_best).name, typedef_for_addr(old_base).name)
    if _solid_base_addr(w_best.addr) != _solid_base_addr(old_base):
        raise oefmt("TypeError", "__bases__ assignment: '%s' object layout differs from '%s'",
                    typedef_of_type(w_best).name, typedef_for_addr(old_base).name)
    base_tds = [typedef_of_type(w_b) for w_b in bases_w]
    for b in td.bases:
        if b.__class__ is GuestTypeDef and td in b.subclasses:
            b.subclasses.remove(td)
    for b in base_tds:
        if b.__class__ is GuestTypeDef:
            b.subclasses.append(td)
    td.bases = base_tds
    td.base = base_tds[0]
    _o.incref(w_best.addr)                  # the old tp_base is a type: never freed
    _tp(td.type_addr).tp_base = _cast("PyTypeObject *", w_best.addr)
    _set_ptr_field(td.type_addr + _field_offset("ht_type.tp_bases"), space.newtuple(bases_w))

    def remro(t):
        t.mro = compute_mro(t, t.bases)
        _set_ptr_field(t.type_addr + _field_offset("ht_type.tp_mro"),
                       space.newtuple([w_type_of_td(x) for x in t.mro]))
        for sub in t.subclasses:
            remro(sub)
    remro(td)
    _epoch[0] += 1


def _type_base(w_type):
    td = typedef_of_type(w_type)
    if td is object_typedef:
        return _o.w_None
    a = _addr(_tp(w_type.addr).tp_base)
    return w_type_for_addr(a) if a else _o.w_None


def _type_dict(w_type):
    td = typedef_of_type(w_type)
    if td.__class__ is GuestTypeDef:
        return functionobject.new_mappingproxy(td.w_dict)
    d = space.newdict()
    for k, f in td.methods.items():
        try:
            space.setitem(d, space.newstr(k), _bind_class_attr(f, w_type))
        except OperationError:
            pass
    return functionobject.new_mappingproxy(d)


def _type_doc(w_type):
    td = typedef_of_type(w_type)
    if td.__class__ is GuestTypeDef:
        return td.dict_w.get("__doc__", _o.w_None)
    return space.newstr(td.doc) if td.doc else _o.w_None


def _type_subclasses(w_type):
    td = typedef_of_type(w_type)
    subs = _hb.getattr(td, "subclasses", [])
    return space.newlist([w_type_of_td(t) for t in subs])


def _type_instancecheck(w_type, w_obj):
    return space.newbool(isinstance_w(w_obj, w_type))


def _type_subclasscheck(w_type, w_sub):
    return space.newbool(issubtype_td(typedef_of_type(w_sub), typedef_of_type(w_type)))


def _type_prepare(w_meta, /, *args_w, **kwargs_w):
    return space.newdict()


def _type_or(w_type, w_other):
    return functionobject.new_union(w_type, w_other)


def _type_ror(w_type, w_other):
    return functionobject.new_union(w_other, w_type)


def _type_abstractmethods_get(w_type):
    td = typedef_of_type(w_type)
    w = td.dict_w.get("__abstractmethods__") if td.__class__ is GuestTypeDef else None
    if w is None:
        raise oefmt("AttributeError", "__abstractmethods__")
    return w


def _type_abstractmethods_set(w_type, w_value):
    td = typedef_of_type(w_type)
    if td.__class__ is not GuestTypeDef:
        raise oefmt("TypeError", "cannot set '__abstractmethods__' attribute of immutable type")
    _store_class_attr(td, "__abstractmethods__", w_value)
    tp = _tp(w_type.addr)
    if space.is_true(w_value):
        tp.tp_flags |= Py_TPFLAGS_IS_ABSTRACT
    else:
        tp.tp_flags &= ~Py_TPFLAGS_IS_ABSTRACT
    _epoch[0] += 1


for _name, _fn in [("__call__", _type_call_entry), ("__init__", _type_init),
                   ("__repr__", _type_repr), ("mro", _type_mro_method),
                   ("__subclasses__", _type_subclasses),
                   ("__instancecheck__", _type_instancecheck),
                   ("__subclasscheck__", _type_subclasscheck), ("__or__", _type_or),
                   ("__ror__", _type_ror)]:
    type_typedef.methods[_name] = _fn
_type_new_sm = HostStaticMethod(_type_new)
type_typedef.methods["__new__"] = _type_new_sm
type_typedef.methods["__prepare__"] = HostClassMethod(_type_prepare)
type_typedef.methods["__name__"] = HostProperty(_type_name, _type_set_name)
type_typedef.methods["__qualname__"] = HostProperty(_type_qualname_get, _type_qualname_set)
def _type_set_in_dict(name):
    def fset(w_type, w_value):
        td = typedef_of_type(w_type)
        if td.__class__ is not GuestTypeDef:
            if _tp(w_type.addr).tp_flags & Py_TPFLAGS_HEAPTYPE:
                try:
                    _hb.setattr(_PyObj_FromPtr(w_type.addr), name, w_value.ref)
                except Exception as e:
                    raise _o.from_host_exception(e)
                return
            raise oefmt("TypeError", "cannot set '%s' attribute of immutable type '%s'",
                        name, td.name)
        _epoch[0] += 1
        if w_value is None:
            td.dict_w.pop(name, None)
        else:
            _store_class_attr(td, name, w_value)
    return fset


type_typedef.methods["__module__"] = HostProperty(_type_module, _type_set_in_dict("__module__"),
                                                  "__module__")
type_typedef.methods["__mro__"] = HostProperty(_type_mro_get)
# type_members: read-only views of the PyTypeObject's own fields
type_typedef.methods["__basicsize__"] = HostProperty(
    lambda w_t: space.newint(_tp(w_t.addr).tp_basicsize), name="__basicsize__")
type_typedef.methods["__itemsize__"] = HostProperty(
    lambda w_t: space.newint(_tp(w_t.addr).tp_itemsize), name="__itemsize__")
type_typedef.methods["__flags__"] = HostProperty(
    lambda w_t: space.newint(_tp(w_t.addr).tp_flags), name="__flags__")
type_typedef.methods["__dictoffset__"] = HostProperty(
    lambda w_t: space.newint(_tp(w_t.addr).tp_dictoffset), name="__dictoffset__")
type_typedef.methods["__weakrefoffset__"] = HostProperty(
    lambda w_t: space.newint(_tp(w_t.addr).tp_weaklistoffset), name="__weakrefoffset__")
type_typedef.methods["__bases__"] = HostProperty(_type_bases, _type_set_bases, "__bases__")
type_typedef.methods["__base__"] = HostProperty(_type_base)
type_typedef.methods["__dict__"] = HostProperty(_type_dict)


def _type_member(field):
    """type_members (typeobject.c): a read-only PyTypeObject field as a guest int."""
    return HostProperty(lambda w: space.newint(int(_hb.getattr(_tp(w.addr), field))),
                        name="__%s__" % field[3:])


for _f in ("tp_basicsize", "tp_itemsize", "tp_flags", "tp_weaklistoffset", "tp_dictoffset"):
    type_typedef.methods[{"tp_weaklistoffset": "__weakrefoffset__"}.get(_f, "__%s__" % _f[3:])] = \
        _type_member(_f)


def _type_flags(w_type):
    """type.__flags__. beale's own built-in types (generator, function, ...) are heap types
    in memory but stand for CPython's static types: their __flags__ leave out
    Py_TPFLAGS_HEAPTYPE, so copyreg._reduce_ex stops at them ("cannot pickle 'generator'
    object") as it does at CPython's."""
    flags = _tp(w_type.addr).tp_flags
    if w_type.addr in _DATA_TYPE_ADDRS:
        flags &= ~Py_TPFLAGS_HEAPTYPE
    return space.newint(flags)


type_typedef.methods["__flags__"] = HostProperty(_type_flags, None, "__flags__")
type_typedef.methods["__doc__"] = HostProperty(_type_doc, _type_set_in_dict("__doc__"),
                                               "__doc__")
type_typedef.methods["__abstractmethods__"] = HostProperty(_type_abstractmethods_get,
                                                           _type_abstractmethods_set)


def _type_annotations_get(w_type):
    """type_get_annotations: the class's OWN `__annotations__` (never a base's), created
    empty in its dict on first access; a descriptor stored there is bound to nothing."""
    td = typedef_of_type(w_type)
    if td.__class__ is not GuestTypeDef:
        raise oefmt("AttributeError", "type object '%s' has no attribute '__annotations__'",
                    td.name)
    w = td.dict_w.get("__annotations__")
    if w is None:
        w = space.newdict()
        _epoch[0] += 1
        _store_class_attr(td, "__annotations__", w)
        return w
    f_get = w.__class__.typedef.lookup("__get__")
    if f_get is not None:
        return space.call_special(f_get, w, _o.w_None, w_type)
    return w


type_typedef.methods["__annotations__"] = HostProperty(
    _type_annotations_get, _type_set_in_dict("__annotations__"), "__annotations__")


def _root_builtin_typedefs():
    """Built-in TypeDefs whose base chain stops short of `object` (BaseException) get
    object as their base, so object's methods (__format__, __eq__, ...) are found."""
    from runtime import exceptions
    for td in exceptions.TYPEDEFS.values():
        if td.base is None:
            td.base = object_typedef


_root_builtin_typedefs()


# --- instances of guest subclasses of built-in types ------------------------------------------

def _solid_builtin(td):
    """The nearest built-in (non-guest) TypeDef in a guest class's MRO."""
    for t in mro_of(td):
        if t.__class__ is not GuestTypeDef:
            return t
    return object_typedef


_TUPLE_ITEMS = layout.struct("PyTupleObject").offset("ob_item")


def subtype_instance(w_type, w_value):
    """Move built-in value w_value into a struct of guest subclass w_type (what
    CPython's long_subtype_new / float_subtype_new / unicode_subtype_new / list_new with a
    subtype build). Owned pointers are taken over from w_value, which is left empty."""
    td = typedef_of_type(w_type)
    if td.__class__ is not GuestTypeDef and not _hb.getattr(td, "foreign", False):
        # tp_new_wrapper's checks: `int.__new__(bool)` would build a third bool,
        # `int.__new__(str)` a str with an int's struct
        base = w_value.__class__.typedef
        if not issubtype_td(td, base):
            raise oefmt("TypeError", "%s.__new__(%s): %s is not a subtype of %s", base.name,
                        td.name, td.name, base.name)
        raise oefmt("TypeError", "%s.__new__(%s) is not safe, use %s.__new__()", base.name,
                    td.name, td.name)
    tp_sub = _tp(w_type.addr)
    vaddr = w_value.addr
    vtype = _o.type_addr_of(vaddr)
    tpv = _tp(vtype)
    sym = _hb.getattr(_solid_builtin(td), "host_symbol", None)
    if sym == "PyUnicode_Type":
        return _str_subtype_instance(w_type, td, w_value)
    itemsize = tpv.tp_itemsize
    nitems = 0
    if itemsize:
        nitems = _cast("PyVarObject *", vaddr).ob_size
        nitems = -nitems if nitems < 0 else nitems
        if sym == "PyBytes_Type":
            nitems += 0          # the trailing NUL is inside tp_basicsize
    src_size = _o.var_size(tpv.tp_basicsize, itemsize, nitems) if itemsize else tpv.tp_basicsize
    is_gc = bool(tp_sub.tp_flags & Py_TPFLAGS_HAVE_GC)
    addr = _o.alloc_object(w_type.addr, tp_sub.tp_basicsize, itemsize, nitems, gc=True,
                           managed_dict=_o.has_managed_dict(w_type.addr))
    _memmove(addr + _o.SIZEOF_PYOBJECT, vaddr + _o.SIZEOF_PYOBJECT,
             src_size - _o.SIZEOF_PYOBJECT)
    _o.incref(w_type.addr)
    if sym == "PyTuple_Type":
        items = _cast("uintptr_t *", addr + _TUPLE_ITEMS)
        for i in range(nitems):
            _o.incref(items[i])
    elif sym == "PyList_Type":
        old = _cast("PyListObject *", vaddr)
        old.ob_item = ffi.NULL
        old.ob_base.ob_size = 0
        old.allocated = 0
    elif sym == "PyDict_Type":
        old = _cast("PyDictObject *", vaddr)
        old.ma_keys = ffi.NULL
        old.ma_values = ffi.NULL
        old.ma_used = 0
    elif sym in ("PySet_Type", "PyFrozenSet_Type"):
        new = _cast("PySetObject *", addr)
        old = _cast("PySetObject *", vaddr)
        if _addr(old.table) == _addr(ffi.addressof(old, "smalltable")):
            new.table = _cast("setentry *", ffi.addressof(new, "smalltable"))
        old.table = _cast("setentry *", ffi.addressof(old, "smalltable"))
        ctypes.memset(_addr(ffi.addressof(old, "smalltable")), 0,
                      ffi.sizeof(old.smalltable))
        old.fill = 0
        old.used = 0
        old.mask = 7
    elif sym == "PyByteArray_Type":
        old = _cast("PyByteArrayObject *", vaddr)
        old.ob_bytes = ffi.NULL
        old.ob_start = ffi.NULL
        old.ob_alloc = 0
        old.ob_base.ob_size = 0
    w = _o.steal(td.handle_class, addr)
    if "v" in _hb.getattr(td.handle_class, "__slots__", ()) or \
            _hb.hasattr(w_value, "v"):
        try:
            w.v = w_value.v
        except AttributeError:
            pass
    if is_gc:           # PyType_GenericAlloc tracks every instance of a GC subtype
        _o.gc_track(addr)
    return w


def _str_subtype_instance(w_type, td, w_value):
    """unicode_subtype_new: a legacy (non-compact) PyUnicodeObject whose data is a
    separate PyObject_Malloc block."""
    tp_sub = _tp(w_type.addr)
    src = _cast("PyASCIIObject *", w_value.addr)
    s = w_value.v
    n = src.length
    kind = src.state.kind
    addr = _o.alloc_object(w_type.addr, tp_sub.tp_basicsize, gc=True,
                           managed_dict=_o.has_managed_dict(w_type.addr))
    _o.incref(w_type.addr)
    u = _cast("PyUnicodeObject *", addr)
    a = _cast("PyASCIIObject *", addr)
    a.length = n
    a.hash = src.hash
    a.state.interned = 0
    a.state.kind = kind
    a.state.compact = 0
    a.state.ascii = src.state.ascii
    if _o.UNICODE_HAS_READY:
        a.state.ready = 1
    data = _o.malloc((n + 1) * kind)
    raw = s.encode({1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}[kind], "surrogatepass")
    _memmove(data, raw, len(raw))
    ctypes.memset(data + len(raw), 0, kind)
    u.data.any = _cast("void *", data)
    c = _cast("PyCompactUnicodeObject *", addr)
    if kind == 1 and src.state.ascii:
        c.utf8_length = n
        c.utf8 = _cast("char *", data)
    elif kind == 4 and _o.UNICODE_HAS_WSTR:
        c.wstr_length = n
        a.wstr = _cast("wchar_t *", data)
    w = _o.steal(td.handle_class, addr)
    w.v = s
    if _tp(w_type.addr).tp_flags & Py_TPFLAGS_HAVE_GC:
        _o.gc_track(addr)
    return w


_o.subtype_new_hook = subtype_instance


# --- C-level slots: guest callables and descriptors seen from C ------------------------------
#
# C code holding a guest function (functools' C lru_cache, sorted(key=...) in C, callbacks
# of C modules) calls it through tp_call; attribute lookups done by C (PyObject_GetAttr on
# a guest instance) bind functions through tp_descr_get. Both are cffi callbacks (which take
# the GIL) into the evaluator. A guest exception is parked (runtime/typeslots.py) and the
# slot's C trampoline makes it the pending C exception; typeslots._object_slot is the body
# shared by the slots that return a new reference.

_is_finalizing = __import__("sys").is_finalizing
_NULL = ffi.NULL


def _args_from_c(args_ptr, kwargs_ptr):
    args_w = []
    if args_ptr != _NULL:
        a = _addr(args_ptr)
        n = _cast("PyVarObject *", a).ob_size
        items = _cast("uintptr_t *", a + _TUPLE_ITEMS)
        args_w = [wrap(items[i]) for i in range(n)]
    kwargs_w = None
    if kwargs_ptr != _NULL:
        host_kw = _PyObj_FromPtr(_addr(kwargs_ptr))
        kwargs_w = {k: wrap(id(v)) for k, v in host_kw.items()}
    return args_w, kwargs_w


def _tp_call(self_ptr, args_ptr, kwargs_ptr):
    def call():
        args_w, kwargs_w = _args_from_c(args_ptr, kwargs_ptr)
        return space.call(wrap(_addr(self_ptr)), args_w, kwargs_w)
    return typeslots._object_slot("call", call)


def _tp_descr_get(self_ptr, obj_ptr, type_ptr):
    def get():
        w_self = wrap(_addr(self_ptr))
        w_obj = wrap(_addr(obj_ptr)) if obj_ptr != _NULL else _o.w_None
        w_t = wrap(_addr(type_ptr)) if type_ptr != _NULL else _o.w_None
        g = w_self.__class__.typedef.lookup("__get__")
        return space.call_special(g, w_self, w_obj, w_t)
    return typeslots._object_slot("__get__", get)


def _tp_iter(self_ptr):
    return typeslots._object_slot("__iter__", lambda: space.iter(wrap(_addr(self_ptr))))


def _tp_iternext(self_ptr):
    # space.next returns None when the iterator is exhausted: NULL with no exception set
    return typeslots._object_slot("__next__", lambda: _next_for_c(wrap(_addr(self_ptr))))


#: handle class -> its __next__ as a host function, for C iterating a beale iterator
#: (itertools.chain over a guest generator): skips the type lookup and call_special
FAST_ITERNEXT = {}


def _next_for_c(w):
    fast = FAST_ITERNEXT.get(w.__class__)
    if fast is None:
        return space.next(w)
    try:
        return fast(w)
    except OperationError as e:
        if space.exception_match(e, "StopIteration"):
            return None
        raise


def _tp_descr_set(self_ptr, obj_ptr, value_ptr):
    if _is_finalizing():
        typeslots.park_system_error("beale: guest code called during interpreter shutdown")
        return -1
    try:
        w_self = wrap(_addr(self_ptr))
        w_obj = wrap(_addr(obj_ptr))
        td = w_self.__class__.typedef
        if value_ptr == _NULL:
            g = td.lookup("__delete__")
            if g is None:
                raise oefmt("AttributeError", "__delete__")
            space.call_special(g, w_self, w_obj)
        else:
            g = td.lookup("__set__")
            if g is None:
                raise oefmt("AttributeError", "__set__")
            space.call_special(g, w_self, w_obj, wrap(_addr(value_ptr)))
        return 0
    except OperationError as e:
        typeslots.park(e)
    except BaseException:
        typeslots.park_system_error("beale: internal error in a guest __set__ from C")
    return -1


from runtime import typeslots        # noqa: E402  (uses this module lazily)

# cffi extern "Python" functions; C gets the trampolines around them (build_ffi.py SLOTS)
for _slot, _fn in (("tp_call", _tp_call), ("tp_descr_set", _tp_descr_set),
                   ("tp_descr_get", _tp_descr_get), ("tp_iter", _tp_iter),
                   ("tp_iternext", _tp_iternext)):
    typeslots._extern(_slot)(_fn)
_TP_CALL = typeslots.trampoline("tp_call")
_TP_DESCR_SET = typeslots.trampoline("tp_descr_set")
_TP_DESCR_GET = typeslots.trampoline("tp_descr_get")
_TP_ITER = typeslots.trampoline("tp_iter")
_TP_ITERNEXT = typeslots.trampoline("tp_iternext")


def install_c_slots(type_addr, call=False, descr_get=False, iter=False, iternext=False,
                    descr_set=False):
    """Give a beale-built type the C slots through which C code uses its objects."""
    tp = _tp(type_addr)
    if descr_set:
        tp.tp_descr_set = _TP_DESCR_SET
    if call:
        tp.tp_call = _TP_CALL
    if descr_get:
        tp.tp_descr_get = _TP_DESCR_GET
    if iter:
        tp.tp_iter = _TP_ITER
    if iternext:
        tp.tp_iternext = _TP_ITERNEXT


# bottom of the module: functionobject builds its types with the functions above
from runtime import functionobject      # noqa: E402
