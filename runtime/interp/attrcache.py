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
from runtime import dictobject as _do
from runtime import moduleobject as _mo

_cast = layout.ffi.cast
_VER_OFF = layout.struct("PyDictObject").offset("ma_version_tag")
_epoch = _t._epoch
W_Function = _fo.W_Function
W_MemberDescr = _fo.W_MemberDescr
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


# --- reading an instance dict by address ---------------------------------------------------
# A guest class's instances usually get their attributes stored in the same order (by
# __init__), so `name` sits at the same entry index of every instance dict's keys table,
# and the tables have the same geometry (dk_log2_size, dk_log2_index_bytes, dk_kind).
# A load site therefore caches (geometry word, entry index) and checks, with three word
# reads, that this instance's table has that geometry and holds the very interned str
# `name` at that index (CPython 3.11 gets the same effect from split tables with shared
# keys: LOAD_ATTR_INSTANCE_VALUE).  Words are read through dictobject's whole-memory
# views; offsets come from the layout.
_D_KEYS = _do._D_KEYS
_OB_TYPE = _do._OB_TYPE
_DICT_TYPE = _t._DICT_TYPE
_D_VALUES = _do._D_VALUES
_D_VERSION = _do._D_VERSION
_GEOM_WORD = _do._GEOM_WORD
_GEOM_MASK = _do._GEOM_MASK
_MEM = _do._MEM
_DKIX_EMPTY = _do.DKIX_EMPTY
_PERTURB_SHIFT = _do.PERTURB_SHIFT
_UMASK = _do._UMASK
_STR_HASH = _do._STR_HASH
_GC_NEXT_W = (_do._GC_NEXT - _do._GC_HEAD) // 8   # PyGC_Head._gc_next, from the dict's word
_wrap = _o.wrap
_incref = _o.incref
_decref = _o.decref
_next_version = _do.next_version
_SCAN_MAX = 64               # entries scanned to find a name's index when filling a cache


def _entry_words(da, name_addr, last=False):
    """(geometry, key word, value word) locating the entry whose key is the str at
    name_addr in the combined dict at da, relative to word (ma_keys >> 3) - 1; or None.
    `last`: the key was probably just inserted, so the last entry is tried first."""
    mem = _MEM
    dw = (da >> 3) - 1
    if mem[dw + _D_VALUES]:
        return None
    keys = mem[dw + _D_KEYS]
    if not keys or keys == _do.ADDR_EMPTY_KEYS:
        return None
    k = _do.keys_view(keys)
    kb = (keys >> 3) - 1
    n = mem[kb + _do._K_NENTRIES]
    if last and n and k.key(n - 1) == name_addr:
        rel = k.eb - kb + (n - 1) * k.stride
        return mem[kb + _GEOM_WORD] & _GEOM_MASK, rel + k.ko, rel + k.vo
    for ix in range(min(n, _SCAN_MAX)):
        if k.key(ix) == name_addr:
            rel = k.eb - kb + ix * k.stride
            return mem[kb + _GEOM_WORD] & _GEOM_MASK, rel + k.ko, rel + k.vo
    return None


def _absent(da, name_addr, h):
    """True when the dict at da certainly has no key equal to the str at name_addr (whose
    hash is h): an index-table probe (dictobject.c unicodekeys_lookup_unicode) that stops at
    an empty slot; False when present or when a comparison would be needed."""
    mem = _MEM
    dw = (da >> 3) - 1
    if mem[dw + _OB_TYPE] != _DICT_TYPE or mem[dw + _D_VALUES]:
        return False
    keys = mem[dw + _D_KEYS]
    if not keys:
        return False
    k = _do.keys_view(keys)
    mask = k.mask
    iv = k.iv
    ib = k.ib
    perturb = h & _UMASK
    i = perturb & mask
    while True:
        ix = iv[ib + i]
        if ix == _DKIX_EMPTY:
            return True
        if ix >= 0:
            base = k.eb + ix * k.stride
            ka = mem[base + k.ko]
            if ka == name_addr:
                return False
            eh = mem[(ka >> 3) - 1 + _STR_HASH] if k.unicode else mem[base + k.ho]
            if eh == h:
                return False
        perturb >>= _PERTURB_SHIFT
        i = (i * 5 + perturb + 1) & mask


def _slot_offset(cls, name):
    """Offset of the __slots__ member `name` when `w.name` on an instance of cls is read
    by the member descriptor (object.__getattribute__, no type handle), else 0."""
    if getattr(cls, "is_type_handle", False) or not hasattr(cls, "typedef"):
        return 0
    td = cls.typedef
    f = td.lookup(name)
    if f is None or f.__class__ is not W_MemberDescr:
        return 0
    if td.lookup("__getattribute__") is not _t._object_getattribute:
        return 0
    return f.get_data().offset


_SITE_CLASSES_MAX = 8         # classes remembered per site (then the site starts over)
_GENERIC = -1                 # load/method site entry: this class takes the generic path
_MODULE = -2                  # load site entry: a module, cached on its dict's version
_TYPE = -3                    # load site entry: a class object (metatype without name)


def _plain_class_attr(w_type, name, w_v):
    """True when `w_type.name` (a guest class) gave w_v straight from the class's MRO: a
    function or an object whose type has no __get__, so every later load until a class
    attribute changes (epoch) gives the same object."""
    td = _t.typedef_for_addr(w_type.addr)
    if td.__class__ is not _t.GuestTypeDef or getattr(td, "foreign", False):
        return False
    f = td.lookup(name)
    if f is None or f is not w_v and getattr(f, "addr", None) != w_v.addr:
        return False
    c = w_v.__class__
    return c is W_Function or (hasattr(c, "typedef") and c.typedef.lookup("__get__") is None)
W_Module = _mo.W_Module
_MD_DICT = layout.struct("PyModuleObject").offset("md_dict")
# names the module type itself defines (module_getattro finds them before md_dict)
_MODULE_TYPE_NAMES = frozenset(_mo.module_typedef.methods) | {"__dict__", "__class__"}
_NO_V = object()              # "no decoded value" in a module attribute cache
_new_handle = object.__new__
_PyObj_FromPtr = _o._PyObj_FromPtr
_shared_handles = _o._shared_handles


def _dict_entry_py(addr, off, geom_word, geom_mask, geom, kw, vw, name_addr):
    """The value address at the cached entry of the instance dict, or 0 (build_ffi's
    beale_fast_dict_entry does the same reads in one C call)."""
    mem = _MEM
    da = mem[((addr + off) >> 3) - 1]
    # (an exact dict first: the pointer at the dict offset may be another object)
    if not da or mem[(da >> 3) - 1 + _OB_TYPE] != _DICT_TYPE:
        return 0
    dw = (da >> 3) - 1
    kb = (mem[dw + _D_KEYS] >> 3) - 1      # -1: no table (never matches)
    if kb >= 0 and mem[kb + geom_word] & geom_mask == geom and \
            mem[kb + kw] == name_addr and not mem[dw + _D_VALUES]:
        return mem[kb + vw]
    return 0


dict_entry = _o.FAST_CONSTRUCTORS.get("dict_entry") or _dict_entry_py


def make_load(name):
    """load(w) -> handle for `w.name`, with a polymorphic inline cache: per guest class
    seen at this site (up to _SITE_CLASSES_MAX), either the __slots__ member's offset or
    the dict offset and the (geometry, entry) of name in the instance dict, as described
    above; the handle of the last value loaded is reused while the value is the same
    object."""
    # per class: (epoch, slot offset or 0, dictoffset, geometry, key word, value word)
    classes = {}
    # per class whose `name` is a C method descriptor of a host base (a guest subclass of
    # _random.Random: self.getrandbits): (epoch, dictoffset, host descriptor)
    descrs = {}
    last = [0, None]            # last value's address, its handle
    generic = space.getattr
    w_name = space.newtext(name)
    name_addr = w_name.addr
    h = hash(name)
    mem = _MEM

    # `module.name` (LOAD_ATTR_MODULE): the module dict's address and ma_version_tag,
    # and the value as the LOAD_GLOBAL caches keep it (compiler._load_global_cached): its
    # address (borrowed while the version is unchanged), handle class, decoded value or
    # shared handle; no count is held, so rebinding or deleting the attribute frees it
    mod = [0, 0, 0, None, None, _NO_V]

    def module_load(w):
        da = mem[((w.addr + _MD_DICT) >> 3) - 1]
        if da and da == mod[0] and mem[(da >> 3) - 1 + _D_VERSION] == mod[1]:
            w_v = mod[3]
            if w_v is not None:
                return w_v
            a = mod[2]
            w_v = _new_handle(mod[4])
            w_v.addr = a
            w_v.ref = _PyObj_FromPtr(a)
            v = mod[5]
            if v is not _NO_V:
                w_v.v = v
            return w_v
        w_v = generic(w, name)
        if da and mem[(da >> 3) - 1 + _OB_TYPE] == _DICT_TYPE:
            w_d = _t.dict_getitem_str_addr(da, name)
            if w_d is not None and w_d.addr == w_v.addr:
                a = w_v.addr
                shared = _shared_handles.get(a)
                vcls = w_v.__class__
                mod[0] = da
                mod[1] = mem[(da >> 3) - 1 + _D_VERSION]
                mod[2] = a
                mod[3] = shared
                mod[4] = vcls
                mod[5] = w_v.v if shared is None and vcls._decode is not None else _NO_V
        return w_v

    # `Class.name` on guest classes (type_getattro finding a plain class attribute or a
    # function): per class address, (epoch, value handle)
    types = {}

    def type_load(w):
        t = types.get(w.addr)
        if t is not None and t[0] == _epoch[0]:
            return t[1]
        w_v = generic(w, name)
        if _plain_class_attr(w, name, w_v):
            if len(types) >= _SITE_CLASSES_MAX:
                types.clear()
            types[w.addr] = (_epoch[0], w_v)
        return w_v

    def load(w):
        cls = w.__class__
        e = classes.get(cls)
        if e is not None and e[0] == _epoch[0]:
            so = e[1]
            if so < 0:
                if so == _GENERIC:          # a class no site caches: the full protocol
                    return generic(w, name)
                if so == _TYPE:
                    return type_load(w)
                return module_load(w)
            if so:                      # a __slots__ member: the pointer in the struct
                va = mem[((w.addr + so) >> 3) - 1]
                if not va:
                    return generic(w, name)     # unset: AttributeError (or __getattr__)
                if va == last[0]:
                    return last[1]
                w_v = _wrap(va)
                last[0] = va
                last[1] = w_v
                return w_v
            va = dict_entry(w.addr, e[2], _GEOM_WORD, _GEOM_MASK, e[3], e[4], e[5], name_addr)
            if va:
                if va == last[0]:
                    return last[1]
                w_v = _wrap(va)
                last[0] = va
                last[1] = w_v
                return w_v
        d = descrs.get(cls)
        if d is not None and d[0] == _epoch[0] and dict_absent(w.addr, d[1], name_addr, h):
            return _bind_host_descr(d[2], w)
        if len(classes) >= _SITE_CLASSES_MAX:
            classes.clear()
        if cls is W_Module and name not in _MODULE_TYPE_NAMES:
            classes[cls] = (_epoch[0], _MODULE)
            return module_load(w)
        if getattr(cls, "is_type_handle", False) and \
                cls.typedef.lookup("__getattribute__") is _t._object_getattribute and \
                cls.typedef.lookup(name) is None:
            classes[cls] = (_epoch[0], _TYPE)
            return type_load(w)
        so = _slot_offset(cls, name)
        if so:
            w_v = generic(w, name)
            classes[cls] = (_epoch[0], so, 0, -1, 0, 0)
            last[0] = w_v.addr
            last[1] = w_v
            return w_v
        off = _plain_instance_class(cls)
        if not off:
            # not cacheable for any instance of cls until a class attribute changes
            classes[cls] = (_epoch[0], _GENERIC)
            return generic(w, name)
        f = cls.typedef.lookup(name)
        hd = _host_method_descr(f)
        if hd is not None:
            if dict_absent(w.addr, off, name_addr, h):
                if len(descrs) >= _SITE_CLASSES_MAX:
                    descrs.clear()
                descrs[cls] = (_epoch[0], off, hd)
                return _bind_host_descr(hd, w)
            return generic(w, name)
        if f is not None and f.__class__ is not HostFunction and \
                f.__class__ is not W_Function and _t._is_data_descr(f):
            return generic(w, name)
        da = mem[((w.addr + off) >> 3) - 1]
        if not da:
            return generic(w, name)
        w_v = _t.dict_getitem_str_addr(da, name)
        if w_v is None:
            return generic(w, name)
        if _o.type_addr_of(da) == _DICT_TYPE:
            where = _entry_words(da, name_addr)
            if where is not None:
                classes[cls] = (_epoch[0], 0, off) + where
                last[0] = w_v.addr
                last[1] = w_v
        return w_v
    return load


_HOST_METHOD_DESCRS = (type(str.join), type(object.__init__))   # method/wrapper_descriptor


def _host_method_descr(f):
    """The host descriptor when class lookup result f is a C method descriptor (a guest
    handle on a host `method_descriptor` / `wrapper_descriptor`), else None.  Such a
    descriptor is non-data: the instance dict wins, else method_get binds it."""
    if f is None or not isinstance(f, _fo.W_Object):
        return None
    from runtime import foreign
    if not isinstance(f, foreign.W_Foreign):
        return None
    hd = foreign.host_object(f)
    return hd if type(hd) in _HOST_METHOD_DESCRS else None


def _bind_host_descr(hd, w):
    """method_get: the host descriptor bound to the guest instance's own struct (a host
    builtin method, adopted)."""
    from runtime import foreign
    try:
        bound = hd.__get__(w.ref, None)
    except Exception as e:
        raise foreign._host_error(e)
    return foreign.adopt(bound)


def _dict_absent_py(addr, off, name_addr, h):
    """1 when the object at addr has no dict at off or its dict certainly lacks the str
    at name_addr (_absent); build_ffi's beale_fast_dict_absent does it in one C call."""
    da = _MEM[((addr + off) >> 3) - 1]
    return 1 if not da or _absent(da, name_addr, h) else 0


dict_absent = _o.FAST_CONSTRUCTORS.get("dict_absent") or _dict_absent_py


def make_method_lookup(name):
    """lookup(w) -> function found on the class when `w.name(...)` can call it with w
    prepended (the instance dict does not shadow it), else None.  A hit checks the class
    (polymorphic, as make_load) and epoch, then probes the instance dict for the absence
    of name (_absent); instances without a dict (`__slots__`) need no probe, and a class
    whose instances never qualify is remembered as such."""
    # per class: (epoch, dictoffset, function); dictoffset None: no instance dict;
    # dictoffset 0 (function None): the generic path
    classes = {}
    w_name = space.newtext(name)
    name_addr = w_name.addr
    h = hash(name)                 # the host's str hash is the guest str's hash
    mem = _MEM

    def lookup(w):
        cls = w.__class__
        e = classes.get(cls)
        if e is not None and e[0] == _epoch[0]:
            off = e[1]
            if off is None:             # instances without a dict: nothing can shadow
                return e[2]
            if off == 0:                # not a method site for this class
                return None
            if dict_absent(w.addr, off, name_addr, h):
                return e[2]
        if len(classes) >= _SITE_CLASSES_MAX:
            classes.clear()
        off = _plain_instance_class(cls)
        if not off and _dictless_instance_class(cls):
            off = None
        m = cls.typedef.lookup(name) if off != 0 else None
        if m is None or m.__class__ is not W_Function:
            classes[cls] = (_epoch[0], 0, None)
            return None
        if off is not None:
            da = mem[((w.addr + off) >> 3) - 1]
            if da and _t.dict_getitem_str_addr(da, name) is not None:
                return None
        classes[cls] = (_epoch[0], off, m)
        return m
    return lookup


def _dictless_instance_class(cls):
    """True when instances of cls are guest-class instances with neither a __dict__
    nor a custom __getattribute__ (`__slots__` classes): a function found on the class
    is then what `w.name` binds, for every instance."""
    if not issubclass(cls, _t.W_Instance) or cls.dictoffset or \
            getattr(cls, "dict_field_offset", 0) or getattr(cls, "is_type_handle", False):
        return False
    td = cls.typedef
    if td.__class__ is not _t.GuestTypeDef or \
            td.lookup("__getattribute__") is not _t._object_getattribute:
        return False
    return True


dict_replace = _o.FAST_CONSTRUCTORS.get("dict_replace")
_version = _do._version


def make_store(name):
    """store(w, w_value) for `w.name = value`: straight into the instance dict when the
    class has no data descriptor for name and the default __setattr__.  When the entry
    for name is where this site last found it for this class (see make_load), the value
    is replaced in place as dictobject.c insertdict does for an existing key (new value's
    count first, MAINTAIN_TRACKING, new ma_version_tag, old value's count dropped last)."""
    # per class: [epoch, slot offset or 0, dictoffset, geometry, key word, value word]
    classes = {}
    generic = space.setattr
    set_ptr_field = _t._set_ptr_field
    w_name = space.newtext(name)
    name_addr = w_name.addr
    mem = _MEM
    W_Dict = _do.W_Dict
    dict_setitem = _do.dict_setitem
    maintain_tracking = _do._maintain_tracking
    get_instance_dict = _t.get_instance_dict

    def store(w, w_value):
        cls = w.__class__
        e = classes.get(cls)
        if e is None or e[0] != _epoch[0]:
            if len(classes) >= _SITE_CLASSES_MAX:
                classes.clear()
            classes.pop(cls, None)      # filled again below only if cacheable
            td = cls.typedef
            so = _slot_offset(cls, name)
            if so and td.lookup("__setattr__") is _t._object_setattr:
                classes[cls] = [_epoch[0], so, 0, -1, 0, 0]
                set_ptr_field(w.addr + so, w_value)
                return
            off = _plain_instance_class(cls)
            f = td.lookup(name) if off else None
            if not off or td.lookup("__setattr__") is not _t._object_setattr or \
                    (f is not None and f.__class__ is not W_Function and
                     f.__class__ is not HostFunction and _t._is_data_descr(f)):
                # not cacheable for any instance of cls until a class attribute changes
                classes[cls] = [_epoch[0], _GENERIC, 0, -1, 0, 0]
                generic(w, name, w_value)
                return
            e = classes[cls] = [_epoch[0], 0, off, -1, 0, 0]
        elif e[1]:
            if e[1] == _GENERIC:
                generic(w, name, w_value)
                return
            set_ptr_field(w.addr + e[1], w_value)     # a __slots__ member (member_set)
            return
        elif dict_replace is not None:
            # the hit in one C call (version drawn as dictobject.next_version does)
            v = _version[0] + 1
            _version[0] = v
            if dict_replace(w.addr, e[2], _GEOM_WORD, _GEOM_MASK, e[3], e[4], e[5],
                            name_addr, w_value.addr, v):
                return
        da = mem[((w.addr + e[2]) >> 3) - 1]
        if not da:
            # the instance's first attribute (the class has no data descriptor for name
            # and the default __setattr__): make its dict and insert, as
            # PyObject_GenericSetAttr does, without the generic path's lookups
            w_d = get_instance_dict(w, True)
            if w_d is None or w_d.__class__ is not W_Dict:
                generic(w, name, w_value)
                return
            dict_setitem(w_d, w_name, w_value)
            return
        dw = (da >> 3) - 1
        if mem[dw + _OB_TYPE] != _DICT_TYPE:
            generic(w, name, w_value)
            return
        kb = (mem[dw + _D_KEYS] >> 3) - 1
        if dict_replace is None and kb >= 0 and mem[kb + _GEOM_WORD] & _GEOM_MASK == e[3] and \
                mem[kb + e[4]] == name_addr and not mem[dw + _D_VALUES]:
            vi = kb + e[5]
            old = mem[vi]
            va = w_value.addr
            if old:
                _incref(va)
                if not mem[dw + _GC_NEXT_W]:      # the dict is not GC-tracked yet
                    maintain_tracking(da, name_addr, va)
                if old != va:
                    mem[vi] = va
                    mem[dw + _D_VERSION] = _next_version()
                _decref(old)
                return
        h = W_Dict.__new__(W_Dict)      # borrowed handle: the instance keeps the dict alive
        h.addr = da
        h.ref = None
        dict_setitem(h, w_name, w_value)
        where = _entry_words(da, name_addr, last=True)
        if where is not None:
            e[3], e[4], e[5] = where
    return store
