"""Inline caches for attribute sites (CPython 3.11's LOAD_ATTR_INSTANCE_VALUE /
LOAD_METHOD / STORE_ATTR specialisations, in spirit).

A cache entry for `obj.name` remembers, for the last handle class seen (one guest class):
the class-attribute epoch (runtime.typeobject._epoch, bumped on any class attribute
change), and either
  * the instance dict's address and ma_version_tag with the value found there, or
  * for method calls: that the instance dict did not hold `name` at that version, and
    the function found on the class.
A hit costs two word reads (dict pointer, version tag) instead of MRO walks, a dict probe
and new handles. Anything unusual (custom __getattribute__, data descriptors, no dict)
takes the generic path, uncached.
"""

import layout
from runtime import object as _o
from runtime import space
from runtime import typeobject as _t
from runtime import functionobject as _fo

_cast = layout.ffi.cast
_VER_OFF = layout.struct("PyDictObject").offset("ma_version_tag")
_epoch = _t._epoch
W_Function = _fo.W_Function
HostFunction = _t.HostFunction


def _plain_instance_class(cls):
    """dictoffset > 0 and the default attribute protocol: cacheable."""
    off = getattr(cls, "dictoffset", 0)
    if (off <= 0 and not (off and cls.managed_dict)) or getattr(cls, "is_type_handle", False):
        return 0
    td = cls.typedef
    if td.lookup("__getattribute__") is not _t._object_getattribute:
        return 0
    if td.lookup("__getattr__") is not None:
        return 0
    return off


def make_load(name):
    """load(w) -> handle for `w.name`, with a monomorphic inline cache."""
    c = [None, 0, -1, 0, 0, None]    # cls, dictoffset, epoch, dict addr, version, value
    generic = space.getattr
    w_name = space.newtext(name)

    def load(w):
        cls = w.__class__
        if cls is c[0] and c[2] == _epoch[0]:
            da = _cast("uintptr_t *", w.addr + c[1])[0]
            if da == c[3] and da and _cast("uint64_t *", da + _VER_OFF)[0] == c[4]:
                return c[5]
        off = _plain_instance_class(cls)
        if not off:
            return generic(w, name)
        f = cls.typedef.lookup(name)
        if f is not None and f.__class__ is not HostFunction and \
                f.__class__ is not W_Function and _t._is_data_descr(f):
            return generic(w, name)
        da = _cast("uintptr_t *", w.addr + off)[0]
        if not da:
            return generic(w, name)
        ver = _cast("uint64_t *", da + _VER_OFF)[0]
        w_v = _t.dict_getitem_str_addr(da, name)
        if w_v is None:
            return generic(w, name)
        c[0] = cls
        c[1] = off
        c[2] = _epoch[0]
        c[3] = da
        c[4] = ver
        c[5] = w_v
        return w_v
    return load


def make_method_lookup(name):
    """lookup(w) -> function found on the class when `w.name(...)` can call it with w
    prepended (the instance dict does not shadow it), else None."""
    c = [None, 0, -1, 0, 0, None]    # cls, dictoffset, epoch, dict addr, version, function

    def lookup(w):
        cls = w.__class__
        if cls is c[0] and c[2] == _epoch[0]:
            off = c[1]
            if not off:
                return c[5]
            da = _cast("uintptr_t *", w.addr + off)[0]
            if da == c[3] and (not da or _cast("uint64_t *", da + _VER_OFF)[0] == c[4]):
                return c[5]
        off = _plain_instance_class(cls)
        if not off:
            return None
        m = cls.typedef.lookup(name)
        if m is None or m.__class__ is not W_Function:
            return None
        da = _cast("uintptr_t *", w.addr + off)[0]
        ver = 0
        if da:
            ver = _cast("uint64_t *", da + _VER_OFF)[0]
            if _t.dict_getitem_str_addr(da, name) is not None:
                return None
        c[0] = cls
        c[1] = off
        c[2] = _epoch[0]
        c[3] = da
        c[4] = ver
        c[5] = m
        return m
    return lookup


def make_store(name):
    """store(w, w_value) for `w.name = value`: straight into the instance dict when the
    class has no data descriptor for name and the default __setattr__."""
    c = [None, 0, -1]               # cls, dictoffset, epoch
    generic = space.setattr
    w_name = space.newtext(name)
    box = []

    def store(w, w_value):
        cls = w.__class__
        if not (cls is c[0] and c[2] == _epoch[0]):
            off = _plain_instance_class(cls)
            td = cls.typedef
            if not off or td.lookup("__setattr__") is not _t._object_setattr:
                generic(w, name, w_value)
                return
            f = td.lookup(name)
            if f is not None and f.__class__ is not W_Function and \
                    f.__class__ is not HostFunction and _t._is_data_descr(f):
                generic(w, name, w_value)
                return
            c[0] = cls
            c[1] = off
            c[2] = _epoch[0]
        da = _cast("uintptr_t *", w.addr + c[1])[0]
        if not da:
            generic(w, name, w_value)
            return
        if not box:
            from runtime import dictobject
            box.append(dictobject.W_Dict)
            box.append(dictobject.dict_setitem)
        if _o.type_addr_of(da) != _t._DICT_TYPE:
            generic(w, name, w_value)
            return
        h = box[0].__new__(box[0])      # borrowed handle: the instance keeps the dict alive
        h.addr = da
        h.ref = None
        box[1](h, w_name, w_value)
    return store
