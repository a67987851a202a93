"""Module objects (CPython's Objects/moduleobject.c, struct PyModuleObject).

A guest module is a `PyModuleObject` allocated by beale (GC prefix), `ob_type` = the host's
`PyModule_Type`, `md_dict` a guest dict (the module's globals), `md_name` a guest str,
`md_def`/`md_state`/`md_weaklist` NULL. The host's `module_dealloc` can free it.

Modules implemented in C that the importer loads in the host (math, _struct, ...) are host
PyModuleObjects: the same struct, so the same handle class `W_Module` serves both; their
md_dict is a host dict whose entries are host objects — which are guest objects too.

Attribute access on modules goes through the instance dict (PyModule_Type's tp_dictoffset
points at md_dict); `module_getattr` adds PEP 562 `__getattr__` and CPython's messages.
"""

import layout
from runtime import object as _obj
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef

ffi = layout.ffi

MODULE_TYPE_ADDR = layout.type_address("PyModule_Type")
_SIZEOF_MODULE = layout.struct("PyModuleObject").size


class W_Module(_obj.W_Object):
    """Handle on a PyModuleObject (beale-built or a host C module)."""
    __slots__ = ()
    # where typeobject.get_instance_dict finds the attribute dict (PyModule_Type's
    # tp_dictoffset is the same field)
    dictoffset = layout.struct("PyModuleObject").offset("md_dict")


module_typedef = TypeDef("module", _obj.object_typedef, "PyModule_Type", W_Module,
                         doc="Create a module object.")
module_typedef.type_addr = MODULE_TYPE_ADDR
_obj.register_handle_class(MODULE_TYPE_ADDR, W_Module)


def _space():
    from runtime import space
    return space


def _addr(cdata):
    return int(ffi.cast("uintptr_t", cdata))


def new_module(name, doc=None):
    """PyModule_NewObject: a module named `name` (host str) whose dict holds __name__,
    __doc__, __package__, __loader__ and __spec__ (module_init_dict)."""
    space = _space()
    addr = _obj.alloc_object(MODULE_TYPE_ADDR, _SIZEOF_MODULE, gc=True)
    w_mod = _obj.steal(W_Module, addr)
    w_dict = space.newdict()
    w_name = space.newstr(name)
    p = layout.cast(addr, "PyModuleObject")
    p.md_dict = ffi.cast("PyObject *", _obj.new_ref(w_dict))
    p.md_name = ffi.cast("PyObject *", _obj.new_ref(w_name))
    _obj.gc_track(addr)
    _init_dict(w_dict, w_name, doc)
    return w_mod


def _init_dict(w_dict, w_name, doc):
    space = _space()
    w_none = _obj.w_None
    space.setitem(w_dict, space.newtext("__name__"), w_name)
    space.setitem(w_dict, space.newtext("__doc__"),
                  w_none if doc is None else space.newstr(doc) if isinstance(doc, str) else doc)
    space.setitem(w_dict, space.newtext("__package__"), w_none)
    space.setitem(w_dict, space.newtext("__loader__"), w_none)
    space.setitem(w_dict, space.newtext("__spec__"), w_none)


def module_dict(w_mod):
    """The module's md_dict as a handle (creating an empty one if NULL)."""
    p = layout.cast(w_mod.addr, "PyModuleObject")
    addr = _addr(p.md_dict)
    if not addr:
        w_dict = _space().newdict()
        p.md_dict = ffi.cast("PyObject *", _obj.new_ref(w_dict))
        return w_dict
    return _obj.wrap(addr)


def module_name(w_mod):
    """The module's __name__ as a host str (or None)."""
    w = get(w_mod, "__name__")
    v = getattr(w, "v", None) if w is not None else None
    return v if isinstance(v, str) else None


def get(w_mod, name):
    """The module global `name` (host str) or None when absent (no __getattr__ hook)."""
    from runtime import dictobject
    return dictobject.getitem_str(module_dict(w_mod), name)


def set(w_mod, name, w_value):
    space = _space()
    space.setitem(module_dict(w_mod), space.newtext(name), w_value)


# --- behaviour --------------------------------------------------------------------------------

@module_typedef.method("__init__")
def module_init(w_self, w_name, w_doc=None, **kwargs_w):
    """module(name, doc=None): fills a module made by module.__new__."""
    space = _space()
    if kwargs_w:
        w_name = kwargs_w.pop("name", w_name)
        w_doc = kwargs_w.pop("doc", w_doc)
    if not isinstance(getattr(w_name, "v", None), str):
        raise oefmt("TypeError", "module.__init__() argument 'name' must be str, not %s",
                    space.typename(w_name))
    w_dict = module_dict(w_self)
    p = layout.cast(w_self.addr, "PyModuleObject")
    old = _addr(p.md_name)
    p.md_name = ffi.cast("PyObject *", _obj.new_ref(w_name))
    _obj.xdecref(old)
    _init_dict(w_dict, w_name, _obj.w_None if w_doc is None else w_doc)
    return _obj.w_None


@module_typedef.method("__new__")
def module_new(w_type, /, *args_w, **kwargs_w):
    """module.__new__: an empty module struct of the (possibly guest sub-) type."""
    tp = layout.cast(w_type.addr, "PyTypeObject")
    addr = _obj.alloc_object(w_type.addr, tp.tp_basicsize, gc=True)
    if tp.tp_flags & (1 << 9):        # heap type: instances own a count of it
        _obj.incref(w_type.addr)
    cls = _obj.handle_class_for(w_type.addr)
    if not issubclass(cls, W_Module):
        cls = W_Module
    w_mod = _obj.steal(cls, addr)
    module_dict(w_mod)
    _obj.gc_track(addr)
    return w_mod


@module_typedef.method("__repr__")
def module_repr(w_self):
    """<module 'name' from 'file'> / <module 'name' (built-in)> (importlib _module_repr)."""
    space = _space()
    name = module_name(w_self) or "?"
    w_file = get(w_self, "__file__")
    if w_file is not None and isinstance(getattr(w_file, "v", None), str):
        return space.newstr("<module %r from %r>" % (name, w_file.v))
    w_spec = get(w_self, "__spec__")
    if w_spec is not None and w_spec is not _obj.w_None and w_spec.addr != _obj.ADDR_None:
        w_origin = space.findattr(w_spec, "origin")
        if w_origin is not None and isinstance(getattr(w_origin, "v", None), str):
            if w_origin.v in ("built-in", "frozen"):
                return space.newstr("<module %r (%s)>" % (name, w_origin.v))
            return space.newstr("<module %r from %r>" % (name, w_origin.v))
    return space.newstr("<module %r>" % (name,))


@module_typedef.method("__getattr__")
def module_getattr(w_self, w_name):
    """Called when normal lookup failed (module_getattro): PEP 562 __getattr__ in the
    module dict, else CPython's AttributeError message."""
    space = _space()
    name = w_name.v if hasattr(w_name, "v") else space.str_w(w_name)
    if name == "__annotations__":
        # module_get_annotations: a module without annotations gets an empty dict
        w_anns = space.newdict()
        set(w_self, "__annotations__", w_anns)
        return w_anns
    w_hook = get(w_self, "__getattr__")
    if w_hook is not None:
        return space.call(w_hook, [w_name], None)
    mod_name = module_name(w_self)
    if mod_name is None:
        raise oefmt("AttributeError", "module has no attribute '%s'", name)
    raise oefmt("AttributeError", "module '%s' has no attribute '%s'", mod_name, name)


@module_typedef.method("__dir__")
def module_dir(w_self):
    space = _space()
    w_dict = module_dict(w_self)
    w_hook = get(w_self, "__dir__")
    if w_hook is not None:
        return space.call(w_hook, [], None)
    return space.newlist(list(space.iterate(w_dict)))
