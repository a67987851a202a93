"""Guest dict: CPython 3.11's compact dict (Objects/dictobject.c), built in the host's memory.

A guest dict is a real `PyDictObject` (GC prefix, `ma_used`, `ma_version_tag`, `ma_keys`,
`ma_values` = NULL) whose `ma_keys` is a real `PyDictKeysObject` allocated with
`PyObject_Malloc`: header, then the index table (`dk_indices`, 1/2/4/8-byte signed slots
chosen by table size, DKIX_EMPTY = -1, DKIX_DUMMY = -2), then the entries in insertion
order (`PyDictUnicodeEntry` {key, value} while every key is an exact str, otherwise
`PyDictKeyEntry` {hash, key, value}).  Every step below mirrors a named function of
dictobject.c so that a guest dict built by a sequence of inserts and deletes has the same
index table and entries as the host's dict built by the same sequence; host C code (json,
`PyDict_GetItem`, `dict_dealloc`, ...) can therefore use a guest dict directly.

Split tables (instance dicts sharing keys) are never built by beale; a guest dict handed to
us by C with `ma_values != NULL` is first combined (see `_ensure_combined`).
"""

import ctypes

from layout import ffi

from runtime import object as _o
from runtime.object import (W_Object, W_Str, wrap, incref, decref, steal, w_None,
                            w_NotImplemented)
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef
from runtime.tupleobject import (HostType, W_HandleOnly, handle_only_type, W_Tuple, new_tuple_from_addrs,
                                 tuple_item_addrs, repr_enter, repr_leave, repr_s, newstr,
                                 newint, newbool, ptr, hash_w, guard_methods, new_for_type,
                                 is_tracked, may_be_tracked)

# ---------------------------------------------------------------------------
# Constants of Objects/dictobject.c and Include/internal/pycore_dict.h (3.11)
DKIX_EMPTY = -1
DKIX_DUMMY = -2
DICT_KEYS_GENERAL = 0
DICT_KEYS_UNICODE = 1
DICT_KEYS_SPLIT = 2
PyDict_LOG_MINSIZE = 3
PyDict_MINSIZE = 8
PERTURB_SHIFT = 5
_UMASK = (1 << 64) - 1           # size_t arithmetic of the probe sequence
_LOG2_MAX_PRESIZE = 17           # dict_new_presized()

_KEYS_HEADER = ffi.offsetof("PyDictKeysObject", "dk_indices")
_GENERAL_ENTRY = ffi.sizeof("PyDictKeyEntry")
_UNICODE_ENTRY = ffi.sizeof("PyDictUnicodeEntry")
_INDEX_CTYPES = ("int8_t *", "int16_t *", "int32_t *", "int64_t *")


def USABLE_FRACTION(n):
    """dictobject.c USABLE_FRACTION: at most 2/3 of the index slots hold entries."""
    return (n << 1) // 3


def calculate_log2_keysize(minsize):
    """dictobject.c calculate_log2_keysize: log2 of the smallest table >= minsize (>= 8)."""
    return ((((minsize | PyDict_MINSIZE) - 1)) | (PyDict_MINSIZE - 1)).bit_length()


def estimate_log2_keysize(n):
    """dictobject.c estimate_log2_keysize: a table that holds n entries without resizing."""
    return calculate_log2_keysize((n * 3 + 1) // 2)


def log2_index_bytes(log2_size):
    """new_keys_object(): int8 slots below 2**8, int16 below 2**16, int32 below 2**32."""
    if log2_size < 8:
        return log2_size
    if log2_size < 16:
        return log2_size + 1
    if log2_size >= 32:
        return log2_size + 3
    return log2_size + 2


# ---------------------------------------------------------------------------
# ma_version_tag (PEP 509).  CPython draws versions from the private global
# `_pydict_global_version`, which libpython does not export.  Versions only need to be
# unique among all dict states, so beale counts in a range the host's counter (which
# starts at 0 and advances by one per dict mutation) cannot reach: [2**62, 2**63).
_version = [1 << 62]


def next_version():
    """DICT_NEXT_VERSION(): a tag no other dict state (host or guest) has."""
    v = _version[0] + 1
    _version[0] = v
    return v


_cast = ffi.cast


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


# ---------------------------------------------------------------------------------------
# Keys (PyDictKeysObject)
# ---------------------------------------------------------------------------------------

# Raw memory views.  Reading a field through a typed cffi pointer costs a cast per object
# (and turning a cffi pointer into an int costs more); these views of the whole address
# space, offset so that index 0 is address 1/2/4/8, read a byte/word at any aligned
# address with one indexing: _MEM[(a >> 3) - 1] is the word at a, _U8[a - 1] the byte.
# Every offset used with them comes from the layout (ffi.offsetof/sizeof), never by hand.
_MEM = ffi.cast("intptr_t *", 8)
_U8 = ffi.cast("uint8_t *", 1)
_INDEX_VIEWS = ((ffi.cast("int8_t *", 1), 0), (ffi.cast("int16_t *", 2), 1),
                (ffi.cast("int32_t *", 4), 2), (ffi.cast("int64_t *", 8), 3))
_WORD = ffi.sizeof("intptr_t")


def _w(struct, field):
    """Word index of a pointer-sized field inside a struct."""
    off = ffi.offsetof(struct, field)
    assert off % _WORD == 0
    return off // _WORD


_OFF_LOG2 = ffi.offsetof("PyDictKeysObject", "dk_log2_size")
_OFF_LIB = ffi.offsetof("PyDictKeysObject", "dk_log2_index_bytes")
_OFF_KIND = ffi.offsetof("PyDictKeysObject", "dk_kind")
_K_USABLE = _w("PyDictKeysObject", "dk_usable")
_K_NENTRIES = _w("PyDictKeysObject", "dk_nentries")
_GEN_STRIDE = _GENERAL_ENTRY // _WORD
_GEN_H = _w("PyDictKeyEntry", "me_hash")
_GEN_K = _w("PyDictKeyEntry", "me_key")
_GEN_V = _w("PyDictKeyEntry", "me_value")
_UNI_STRIDE = _UNICODE_ENTRY // _WORD
_UNI_K = _w("PyDictUnicodeEntry", "me_key")
_UNI_V = _w("PyDictUnicodeEntry", "me_value")
_D_USED = _w("PyDictObject", "ma_used")
_D_VERSION = _w("PyDictObject", "ma_version_tag")
_D_KEYS = _w("PyDictObject", "ma_keys")
_D_VALUES = _w("PyDictObject", "ma_values")
_STR_HASH = _w("PyASCIIObject", "hash")
_OB_TYPE = _w("PyObject", "ob_type")


class Keys(object):
    """View of one PyDictKeysObject at `addr`, built afresh for each operation.

    Mirrors DK_MASK, dictkeys_get_index/dictkeys_set_index (`iv[ib + i]`: the index table
    read through the view of its width) and DK_ENTRIES/DK_UNICODE_ENTRIES (entry ix's key
    is the word `_MEM[eb + ix * stride + ko]`, its value `... + vo`, its hash `... + ho`).
    Typed cffi pointers (`p`, `indices`, `entries`) are made on demand for the rare paths."""

    __slots__ = ("addr", "mask", "unicode", "iv", "ib", "eb", "stride", "ko", "vo", "ho",
                 "lib", "geom")

    def __init__(self, addr):
        log2 = _U8[addr + _OFF_LOG2 - 1]
        lib = _U8[addr + _OFF_LIB - 1]
        self.addr = addr
        self.lib = lib
        self.mask = (1 << log2) - 1
        iv, shift = _INDEX_VIEWS[lib - log2]
        self.iv = iv
        self.ib = ((addr + _KEYS_HEADER) >> shift) - 1
        self.eb = ((addr + _KEYS_HEADER + (1 << lib)) >> 3) - 1
        if _U8[addr + _OFF_KIND - 1] != DICT_KEYS_GENERAL:
            self.unicode = True
            self.stride, self.ko, self.vo, self.ho = _UNI_STRIDE, _UNI_K, _UNI_V, -1
        else:
            self.unicode = False
            self.stride, self.ko, self.vo, self.ho = _GEN_STRIDE, _GEN_K, _GEN_V, _GEN_H

    @property
    def p(self):
        return _cast("PyDictKeysObject *", self.addr)

    @property
    def indices(self):
        return _cast(_INDEX_CTYPES[self.lib - (self.mask + 1).bit_length() + 1],
                     self.addr + _KEYS_HEADER)

    @property
    def entries(self):
        return _cast("PyDictUnicodeEntry *" if self.unicode else "PyDictKeyEntry *",
                     self.addr + _KEYS_HEADER + (1 << self.lib))

    @property
    def nentries(self):
        return _MEM[(self.addr >> 3) - 1 + _K_NENTRIES]

    def key(self, ix):
        return _MEM[self.eb + ix * self.stride + self.ko]

    def value(self, ix):
        return _MEM[self.eb + ix * self.stride + self.vo]

    def entry_hash(self, ix):
        """me_hash of entry ix; unicode tables take it from the str (unicode_get_hash)."""
        base = self.eb + ix * self.stride
        if self.unicode:
            return _MEM[(_MEM[base + self.ko] >> 3) - 1 + _STR_HASH]
        return _MEM[base + self.ho]

    def set_entry(self, ix, key_addr, value_addr, h):
        base = self.eb + ix * self.stride
        _MEM[base + self.ko] = key_addr
        _MEM[base + self.vo] = value_addr
        if not self.unicode:
            _MEM[base + self.ho] = h

    def lookdict_index(self, h, ix):
        """dictobject.c lookdict_index: the index-table slot that holds entry ix."""
        mask = self.mask
        iv = self.iv
        ib = self.ib
        perturb = h & _UMASK
        i = perturb & mask
        while True:
            found = iv[ib + i]
            if found == ix:
                return i
            if found == DKIX_EMPTY:
                raise OperationError("SystemError", "dict entry not in its index table")
            perturb >>= PERTURB_SHIFT
            i = (i * 5 + perturb + 1) & mask

    def find_empty_slot(self, h):
        """dictobject.c find_empty_slot: first EMPTY or DUMMY slot on h's probe sequence."""
        mask = self.mask
        iv = self.iv
        ib = self.ib
        perturb = h & _UMASK
        i = perturb & mask
        while iv[ib + i] >= 0:
            perturb >>= PERTURB_SHIFT
            i = (i * 5 + perturb + 1) & mask
        return i

    def build_indices(self, n):
        """build_indices_generic / build_indices_unicode for entries 0..n-1."""
        mask = self.mask
        iv = self.iv
        ib = self.ib
        for ix in range(n):
            perturb = self.entry_hash(ix) & _UMASK
            i = perturb & mask
            while iv[ib + i] != DKIX_EMPTY:
                perturb >>= PERTURB_SHIFT
                i = (i * 5 + perturb + 1) & mask
            iv[ib + i] = ix

    def nbytes(self):
        """_PyDict_KeysSize: header + index table + USABLE_FRACTION(size) entries."""
        esize = _UNICODE_ENTRY if self.unicode else _GENERAL_ENTRY
        return _KEYS_HEADER + (1 << self.lib) + USABLE_FRACTION(self.mask + 1) * esize


# A Keys view depends only on the table's geometry (address, dk_log2_size,
# dk_log2_index_bytes, dk_kind), so views are cached by address and revalidated with one
# word read: the three geometry bytes share a word (checked here), which is masked out.
_GEOM_WORD = _OFF_LOG2 // _WORD
assert _OFF_LIB // _WORD == _GEOM_WORD and _OFF_KIND // _WORD == _GEOM_WORD
_GEOM_SHIFTS = tuple((off % _WORD) * 8 for off in (_OFF_LOG2, _OFF_LIB, _OFF_KIND))
_GEOM_MASK = sum(0xff << sh for sh in _GEOM_SHIFTS)     # little-endian x86-64 words
_keys_cache = {}
_KEYS_CACHE_MAX = 4096


def keys_view(keys_addr):
    """The (cached) Keys view of the table at keys_addr."""
    k = _keys_cache.get(keys_addr)
    if not keys_addr:          # a dict emptied by a move into a subclass struct
        raise OperationError("SystemError", "beale: dict has no keys table")
    geom = _MEM[(keys_addr >> 3) - 1 + _GEOM_WORD] & _GEOM_MASK
    if k is not None and k.geom == geom:
        return k
    if len(_keys_cache) >= _KEYS_CACHE_MAX:
        _keys_cache.clear()
    k = _keys_cache[keys_addr] = Keys(keys_addr)
    k.geom = geom
    return k


def _keys_of(addr):
    """Keys view of a dict's ma_keys (combined first if the host made it split)."""
    if _MEM[(addr >> 3) - 1 + _D_VALUES]:
        _ensure_combined(addr)
    return keys_view(_MEM[(addr >> 3) - 1 + _D_KEYS])


# A dict made by the host may use a split table (an instance __dict__: shared keys, values
# in ma_values).  beale never builds those and its code reads values from the entries, so
# such a dict is first made combined, by the host itself: inserting a non-str key into a
# split table makes CPython's insertdict call insertion_resize(mp, 0), which converts it to a
# combined general table; the key is then deleted again.  (ctypes.pythonapi keeps the GIL.)
_pyapi = ctypes.pythonapi
_pyapi.PyDict_SetItem.argtypes = [ctypes.py_object, ctypes.py_object, ctypes.py_object]
_pyapi.PyDict_SetItem.restype = ctypes.c_int
_pyapi.PyDict_DelItem.argtypes = [ctypes.py_object, ctypes.py_object]
_pyapi.PyDict_DelItem.restype = ctypes.c_int
_COMBINE_KEY = ("beale: combine a split dict",)


def _ensure_combined(addr):
    """Turn a split-table dict (ma_values != NULL) into a combined one, in place."""
    if not _MEM[(addr >> 3) - 1 + _D_VALUES]:
        return
    import _ctypes
    d = _ctypes.PyObj_FromPtr(addr)
    if _pyapi.PyDict_SetItem(d, _COMBINE_KEY, None) == 0:
        _pyapi.PyDict_DelItem(d, _COMBINE_KEY)
    if _MEM[(addr >> 3) - 1 + _D_VALUES]:
        raise OperationError("SystemError", "beale: could not combine a split dict")


def new_keys_object(log2_size, unicode):
    """dictobject.c new_keys_object: a fresh table, indices all DKIX_EMPTY, entries zero."""
    usable = USABLE_FRACTION(1 << log2_size)
    lib = log2_index_bytes(log2_size)
    esize = _UNICODE_ENTRY if unicode else _GENERAL_ENTRY
    size = _KEYS_HEADER + (1 << lib) + esize * usable
    addr = _o.malloc(size)
    ctypes.memset(addr + _KEYS_HEADER, 0xff, 1 << lib)
    ctypes.memset(addr + _KEYS_HEADER + (1 << lib), 0, esize * usable)
    p = _cast("PyDictKeysObject *", addr)
    p.dk_refcnt = 1
    p.dk_log2_size = log2_size
    p.dk_log2_index_bytes = lib
    p.dk_kind = DICT_KEYS_UNICODE if unicode else DICT_KEYS_GENERAL
    p.dk_nentries = 0
    p.dk_usable = usable
    p.dk_version = 0
    return addr


def _free_keys_memory(addr):
    """Release a keys object whose references were moved or dropped already."""
    if addr == ADDR_EMPTY_KEYS:
        _cast("PyDictKeysObject *", addr).dk_refcnt -= 1
    else:
        _o.free(addr)


def _free_keys_object(addr):
    """dictobject.c dictkeys_decref/free_keys_object for a combined table we own."""
    if addr == ADDR_EMPTY_KEYS:
        _cast("PyDictKeysObject *", addr).dk_refcnt -= 1
        return
    p = _cast("PyDictKeysObject *", addr)
    p.dk_refcnt -= 1
    if p.dk_refcnt > 0:
        return
    k = Keys(addr)
    drop = []
    for i in range(k.nentries):
        drop.append(k.key(i))
        drop.append(k.value(i))
    _o.free(addr)
    for a in drop:
        if a:
            decref(a)


# ---------------------------------------------------------------------------------------
# Hashes of keys; str fast paths
# ---------------------------------------------------------------------------------------

_STR_TYPE = _o.type_address("PyUnicode_Type")
_TUPLE_TYPE = _o.type_address("PyTuple_Type")
_TYPE_TYPE = _o.type_address("PyType_Type")
_GC_HEAD = _o.SIZEOF_GC_HEAD
# Include/object.h type flags (values of macros, not layout)
_Py_TPFLAGS_HEAPTYPE = 1 << 9
_Py_TPFLAGS_HAVE_GC = 1 << 14


def _str_hash_field(addr):
    """unicode_get_hash: the hash cached in a str's PyASCIIObject."""
    return _MEM[(addr >> 3) - 1 + _STR_HASH]


def _ensure_str_hash(w_key, h):
    """A str stored as a key must have its hash field set (C reads it: unicode_get_hash)."""
    i = (w_key.addr >> 3) - 1 + _STR_HASH
    if _MEM[i] == -1:
        _MEM[i] = h


key_hash = hash_w


def _is_exact_str(w):
    return w.__class__ is W_Str


def _str_eq_addr(addr, w_key):
    """unicode_eq between the str at addr and the exact str handle w_key."""
    return wrap(addr).v == w_key.v


# GC tracking: see tupleobject.may_be_tracked
_GC_HEAD = _o.SIZEOF_GC_HEAD
_GC_NEXT = ffi.offsetof("PyGC_Head", "_gc_next")
_is_tracked = is_tracked
_may_be_tracked = may_be_tracked


def _maintain_tracking(addr, key_addr, value_addr):
    """dictobject.c MAINTAIN_TRACKING: a dict is tracked once it may hold a container."""
    if _MEM[((addr - _GC_HEAD + _GC_NEXT) >> 3) - 1]:
        return
    if _may_be_tracked(key_addr) or _may_be_tracked(value_addr):
        _o.gc_track(addr)


# ---------------------------------------------------------------------------------------
# The dict object
# ---------------------------------------------------------------------------------------

class W_Dict(W_Object):
    """Handle on a PyDictObject (Include/cpython/dictobject.h)."""
    __slots__ = ()


DICT = HostType("PyDict_Type")
dict_typedef = TypeDef("dict", _o.object_typedef, "PyDict_Type", W_Dict)
_o.register_handle_class(DICT.addr, W_Dict)

# Py_EMPTY_KEYS: the static keys table every empty host dict points at.  It is private to
# dictobject.c; a fresh host dict in this process shows its address.
_host_empty = {}
ADDR_EMPTY_KEYS = ptr(_cast("PyDictObject *", id(_host_empty)).ma_keys)
del _host_empty


def _dp(addr):
    return _cast("PyDictObject *", addr)


def dict_size(w):
    return _MEM[(w.addr >> 3) - 1 + _D_USED]


def _new_dict_addr(keys_addr, used=0):
    """dictobject.c new_dict: a PyDictObject on `keys_addr` (whose count it takes)."""
    addr = _o.alloc_object(DICT.addr, DICT.basicsize, gc=True)
    dp = _dp(addr)
    dp.ma_keys = _cast("PyDictKeysObject *", keys_addr)
    dp.ma_values = ffi.NULL
    dp.ma_used = used
    dp.ma_version_tag = next_version()
    return addr


def new_dict():
    """PyDict_New(): an empty, untracked dict on Py_EMPTY_KEYS."""
    _cast("PyDictKeysObject *", ADDR_EMPTY_KEYS).dk_refcnt += 1     # dictkeys_incref
    return steal(W_Dict, _new_dict_addr(ADDR_EMPTY_KEYS))


def new_dict_presized(minused, unicode=True):
    """dictobject.c dict_new_presized (BUILD_MAP with more than 5 items, _PyDict_FromItems)."""
    if minused <= USABLE_FRACTION(PyDict_MINSIZE):
        return new_dict()
    if minused > USABLE_FRACTION(1 << _LOG2_MAX_PRESIZE):
        log2 = _LOG2_MAX_PRESIZE
    else:
        log2 = estimate_log2_keysize(minused)
    return steal(W_Dict, _new_dict_addr(new_keys_object(log2, unicode)))


def new_dict_from_items(keys_w, values_w):
    """_PyDict_FromItems (the BUILD_MAP opcode): presized, then inserted in order."""
    unicode = all(_is_exact_str(w) for w in keys_w)
    w_d = new_dict_presized(len(keys_w), unicode)
    for w_k, w_v in zip(keys_w, values_w):
        dict_setitem(w_d, w_k, w_v)
    return w_d


# --- lookup ----------------------------------------------------------------------------

def _lookup(addr, w_key, h):
    """dictobject.c _Py_dict_lookup for a combined table: (ix, Keys) with ix = entry index
    or DKIX_EMPTY.  Restarts, as CPython does, when a comparison mutated the dict."""
    key_addr = w_key.addr
    key_is_str = w_key.__class__ is W_Str
    keys_word = (addr >> 3) - 1 + _D_KEYS
    mem = _MEM
    if mem[(addr >> 3) - 1 + _D_VALUES]:
        _ensure_combined(addr)
    while True:
        k = keys_view(mem[keys_word])
        mask = k.mask
        iv = k.iv
        ib = k.ib
        eb = k.eb
        stride = k.stride
        ko = k.ko
        unicode = k.unicode
        ho = k.ho
        perturb = h & _UMASK
        i = perturb & mask
        restart = False
        while True:
            ix = iv[ib + i]
            if ix >= 0:
                base = eb + ix * stride
                ka = mem[base + ko]
                if ka == key_addr:
                    return ix, k
                eh = mem[(ka >> 3) - 1 + _STR_HASH] if unicode else mem[base + ho]
                if eh == h:
                    if key_is_str and (unicode or mem[(ka >> 3) - 1 + _OB_TYPE] == _STR_TYPE):
                        # unicode_eq: no guest code runs
                        if _str_eq_addr(ka, w_key):
                            return ix, k
                    else:
                        w_start = wrap(ka)          # keeps startkey alive (Py_INCREF)
                        equal = _space().eq(w_start, w_key)
                        if mem[keys_word] != k.addr or mem[base + ko] != ka:
                            restart = True          # DKIX_KEY_CHANGED
                            break
                        if equal:
                            return ix, k
            elif ix == DKIX_EMPTY:
                return DKIX_EMPTY, k
            perturb >>= PERTURB_SHIFT
            i = (i * 5 + perturb + 1) & mask
        if not restart:
            return DKIX_EMPTY, k


def dict_lookup_addr(w, w_key, h=None):
    """Address of the value stored under w_key, or 0."""
    if h is None:
        h = hash_w(w_key)
    ix, k = _lookup(w.addr, w_key, h)
    if ix < 0:
        return 0
    return _MEM[k.eb + ix * k.stride + k.vo]


def dict_get_or_none(w, w_key):
    """w[w_key] as a handle, or None when missing (the interpreter's LOAD_GLOBAL/LOAD_NAME
    path: no KeyError built on a miss).  Dict subclasses keep their __missing__ semantics
    through the generic protocol."""
    if w.__class__ is W_Dict:
        ix, k = _lookup(w.addr, w_key, hash_w(w_key))
        if ix < 0:
            return None
        return wrap(_MEM[k.eb + ix * k.stride + k.vo])
    space = _space()
    try:
        return space.getitem(w, w_key)
    except OperationError as e:
        if space.exception_match(e, "KeyError"):
            return None
        raise


def getitem_str(w, name):
    """w[name] for a host str name, or None: probes a unicode-keys table comparing the
    stored strs' values, so no guest str is built for the name (attribute and global
    lookups).  Other tables take the general path with a guest str."""
    if w.__class__ is not W_Dict:
        return dict_get_or_none(w, _space().newtext(name))
    k = _keys_of(w.addr)
    if not k.unicode:
        return dict_get_or_none(w, _space().newtext(name))
    h = hash(name)                     # the host's str hash is the guest str's hash
    # the interpreter's cached guest str for this name is usually the very key object
    w_text = _space().newtext(name)
    text_addr = w_text.addr
    mem = _MEM
    mask = k.mask
    iv = k.iv
    ib = k.ib
    perturb = h & _UMASK
    i = perturb & mask
    while True:
        ix = iv[ib + i]
        if ix >= 0:
            base = k.eb + ix * k.stride
            ka = mem[base + k.ko]
            if ka == text_addr or (mem[(ka >> 3) - 1 + _STR_HASH] == h and wrap(ka).v == name):
                return wrap(mem[base + k.vo])
        elif ix == DKIX_EMPTY:
            return None
        perturb >>= PERTURB_SHIFT
        i = (i * 5 + perturb + 1) & mask


def dict_getitem(w, w_key):
    """PyDict_GetItem-like: a handle on the value, or None when missing."""
    a = dict_lookup_addr(w, w_key)
    return wrap(a) if a else None


# --- resize ----------------------------------------------------------------------------

def dictresize(addr, log2_newsize, unicode):
    """dictobject.c dictresize: move the live entries, in order, into a new table."""
    if log2_newsize >= 64:
        raise oefmt("MemoryError", "")
    dp = _dp(addr)
    old = _keys_of(addr)
    if not old.unicode:
        unicode = False
    new_addr = new_keys_object(log2_newsize, unicode)
    new = Keys(new_addr)
    numentries = dp.ma_used
    onentries = old.nentries
    if old.unicode == new.unicode and onentries == numentries:
        esize = _UNICODE_ENTRY if unicode else _GENERAL_ENTRY
        if numentries:
            ffi.memmove(_cast("char *", (new.eb + 1) * _WORD),
                        _cast("char *", (old.eb + 1) * _WORD), numentries * esize)
    else:
        j = 0
        for i in range(onentries):
            va = old.value(i)
            if not va:
                continue
            new.set_entry(j, old.key(i), va, old.entry_hash(i))
            j += 1
    new.build_indices(numentries)
    dp.ma_keys = _cast("PyDictKeysObject *", new_addr)
    _free_keys_memory(old.addr)       # references moved: no decrefs
    p = new.p
    p.dk_usable -= numentries
    p.dk_nentries = numentries


def insertion_resize(addr, unicode):
    """dictobject.c insertion_resize: grow to GROWTH_RATE (3 * ma_used)."""
    dictresize(addr, calculate_log2_keysize(_dp(addr).ma_used * 3), unicode)


# --- insert ----------------------------------------------------------------------------

def _insert_to_emptydict(addr, w_key, h, value_addr):
    """dictobject.c insert_to_emptydict."""
    key_addr = w_key.addr
    unicode = w_key.__class__ is W_Str
    if unicode:
        _ensure_str_hash(w_key, h)
    new_addr = new_keys_object(PyDict_LOG_MINSIZE, unicode)
    dp = _dp(addr)
    _cast("PyDictKeysObject *", ADDR_EMPTY_KEYS).dk_refcnt -= 1
    dp.ma_keys = _cast("PyDictKeysObject *", new_addr)
    dp.ma_values = ffi.NULL
    incref(key_addr)
    incref(value_addr)
    _maintain_tracking(addr, key_addr, value_addr)
    k = Keys(new_addr)
    k.iv[k.ib + (h & (PyDict_MINSIZE - 1))] = 0
    k.set_entry(0, key_addr, value_addr, h)
    dp.ma_used += 1
    dp.ma_version_tag = next_version()
    kw = (new_addr >> 3) - 1
    _MEM[kw + _K_USABLE] -= 1
    _MEM[kw + _K_NENTRIES] += 1


_fast_insert_str = _o.FAST_CONSTRUCTORS.get("dict_insert_str")


def insertdict(addr, w_key, h, value_addr, absent=False):
    """dictobject.c insertdict (combined tables): add or replace key -> value. `absent`:
    the caller has just looked the key up and not found it (setdefault), so no second
    lookup (no second __eq__ call) is made."""
    if w_key.__class__ is W_Str and _fast_insert_str is not None:
        # the exact-str-key cases in one C call (build_ffi's beale_fast_dict_insert_str)
        v = _version[0] + 1
        _version[0] = v
        if _fast_insert_str(addr, w_key.addr, h, value_addr, v):
            return
    mem = _MEM
    dword = (addr >> 3) - 1
    if mem[dword + _D_VALUES]:
        _ensure_combined(addr)
    keys_addr = mem[dword + _D_KEYS]
    if keys_addr == ADDR_EMPTY_KEYS:
        _insert_to_emptydict(addr, w_key, h, value_addr)
        return
    if not keys_addr:
        raise OperationError("SystemError", "beale: dict has no keys table")
    key_addr = w_key.addr
    key_is_str = w_key.__class__ is W_Str
    incref(value_addr)             # Py_INCREF(value) first: comparisons may run guest code
    try:
        if _U8[keys_addr + _OFF_KIND - 1] != DICT_KEYS_GENERAL and not key_is_str:
            insertion_resize(addr, False)
        if absent:
            ix, k = DKIX_EMPTY, _keys_of(addr)
        else:
            ix, k = _lookup(addr, w_key, h)
    except BaseException:
        decref(value_addr)
        raise
    _maintain_tracking(addr, key_addr, value_addr)
    if ix == DKIX_EMPTY:
        kp = k.p
        kp.dk_version = 0
        if mem[(k.addr >> 3) - 1 + _K_USABLE] <= 0:
            insertion_resize(addr, True)
            k = _keys_of(addr)
        if key_is_str:
            _ensure_str_hash(w_key, h)
        incref(key_addr)
        kw = (k.addr >> 3) - 1
        n = mem[kw + _K_NENTRIES]
        k.iv[k.ib + k.find_empty_slot(h)] = n
        k.set_entry(n, key_addr, value_addr, h)
        mem[dword + _D_USED] += 1
        mem[dword + _D_VERSION] = next_version()
        mem[kw + _K_USABLE] -= 1
        mem[kw + _K_NENTRIES] = n + 1
        return
    vi = k.eb + ix * k.stride + k.vo
    old = mem[vi]
    if old != value_addr:
        mem[vi] = value_addr
        mem[dword + _D_VERSION] = next_version()
    decref(old)


def dict_setitem(w, w_key, w_value):
    """PyDict_SetItem."""
    insertdict(w.addr, w_key, key_hash(w_key), w_value.addr)


def dict_setitem_str(w, name, w_value):
    """PyDict_SetItemString with a host str key (makes the guest str)."""
    dict_setitem(w, _space().newstr(name), w_value)


# --- delete ----------------------------------------------------------------------------

def delitem_common(addr, h, ix, k):
    """dictobject.c delitem_common: DKIX_DUMMY in the index, NULL the entry, drop refs."""
    dp = _dp(addr)
    hashpos = k.lookdict_index(h, ix)
    dp.ma_used -= 1
    dp.ma_version_tag = next_version()
    k.p.dk_version = 0
    k.iv[k.ib + hashpos] = DKIX_DUMMY
    old_key = k.key(ix)
    old_value = k.value(ix)
    k.set_entry(ix, 0, 0, 0)
    decref(old_key)
    decref(old_value)


def dict_delitem(w, w_key):
    """PyDict_DelItem: KeyError when missing."""
    h = key_hash(w_key)
    ix, k = _lookup(w.addr, w_key, h)
    if ix < 0:
        raise _key_error(w_key)
    delitem_common(w.addr, h, ix, k)


def _key_error(w_key):
    from runtime import exceptions
    try:
        w_exc = exceptions.new_exception("KeyError", [w_key])
    except Exception:
        return OperationError("KeyError", repr_s(w_key))
    return OperationError("KeyError", None, w_exc)


def dict_pop(w, w_key, w_default=None):
    """_PyDict_Pop: remove and return the value, else w_default, else KeyError."""
    if _dp(w.addr).ma_used == 0:
        if w_default is not None:
            return w_default
        raise _key_error(w_key)
    h = key_hash(w_key)
    ix, k = _lookup(w.addr, w_key, h)
    if ix < 0:
        if w_default is not None:
            return w_default
        raise _key_error(w_key)
    w_value = wrap(k.value(ix))
    delitem_common(w.addr, h, ix, k)
    return w_value


def dict_clear(w):
    """PyDict_Clear: back to Py_EMPTY_KEYS, then drop the old table's references."""
    dp = _dp(w.addr)
    _ensure_combined(w.addr)
    old = _MEM[(w.addr >> 3) - 1 + _D_KEYS]
    if old == ADDR_EMPTY_KEYS:
        return
    _cast("PyDictKeysObject *", ADDR_EMPTY_KEYS).dk_refcnt += 1
    dp.ma_keys = _cast("PyDictKeysObject *", ADDR_EMPTY_KEYS)
    dp.ma_values = ffi.NULL
    dp.ma_used = 0
    dp.ma_version_tag = next_version()
    _free_keys_object(old)


# --- iteration -------------------------------------------------------------------------

def dict_next(w, pos):
    """_PyDict_Next: (next_pos, key_addr, value_addr, hash) or None at the end."""
    k = _keys_of(w.addr)
    n = k.nentries
    mem = _MEM
    while pos < n:
        base = k.eb + pos * k.stride
        va = mem[base + k.vo]
        if va:
            ka = mem[base + k.ko]
            h = mem[(ka >> 3) - 1 + _STR_HASH] if k.unicode else mem[base + k.ho]
            return pos + 1, ka, va, h
        pos += 1
    return None


def dict_entries(w):
    """Snapshot list of (key_addr, value_addr, hash) in insertion order."""
    out = []
    pos = 0
    while True:
        r = dict_next(w, pos)
        if r is None:
            return out
        pos = r[0]
        out.append(r[1:])


def dict_items_w(w):
    """Host list of (w_key, w_value) handles."""
    return [(wrap(ka), wrap(va)) for ka, va, h in dict_entries(w)]


def dict_keys_w(w):
    return [wrap(ka) for ka, va, h in dict_entries(w)]


def dict_values_w(w):
    return [wrap(va) for ka, va, h in dict_entries(w)]


# --- copy / merge ----------------------------------------------------------------------

def clone_combined_dict_keys(w_src):
    """dictobject.c clone_combined_dict_keys: memcpy the table, incref keys and values."""
    k = _keys_of(w_src.addr)
    size = k.nbytes()
    addr = _o.malloc(size)
    ffi.memmove(_cast("char *", addr), _cast("char *", k.addr), size)
    nk = Keys(addr)
    for i in range(nk.nentries):
        va = nk.value(i)
        if va:
            incref(nk.key(i))
            incref(va)
    nk.p.dk_refcnt = 1
    return addr


def _is_plain_dict(w):
    """PyDict_Check(b) && Py_TYPE(b)->tp_iter == dict_iter."""
    if not isinstance(w, W_Dict):
        return False
    f = w.__class__.typedef.lookup("__iter__")
    return getattr(f, "__wrapped__", f) is dict_iter


def dict_copy(w):
    """PyDict_Copy."""
    _ensure_combined(w.addr)
    dp = _dp(w.addr)
    if dp.ma_used == 0:
        return new_dict()
    k = _cast("PyDictKeysObject *", dp.ma_keys)
    if _is_plain_dict(w) and dp.ma_used >= (k.dk_nentries * 2) // 3:
        keys = clone_combined_dict_keys(w)
        w_new = steal(W_Dict, _new_dict_addr(keys, dp.ma_used))
        if _is_tracked(w.addr):
            _o.gc_track(w_new.addr)
        return w_new
    w_new = new_dict()
    dict_merge(w_new, w, True)
    return w_new


def dict_merge(w, w_other, override=True):
    """dictobject.c dict_merge: w.update(other) for a dict, or any mapping with keys()."""
    _ensure_combined(w.addr)
    space = _space()
    if _is_plain_dict(w_other):
        _ensure_combined(w_other.addr)
        if w_other.addr == w.addr or dict_size(w_other) == 0:
            return
        dp = _dp(w.addr)
        odp = _dp(w_other.addr)
        if dp.ma_used == 0:
            override = True
            ok = _cast("PyDictKeysObject *", odp.ma_keys)
            if (odp.ma_used == ok.dk_nentries and
                    (ok.dk_log2_size == PyDict_LOG_MINSIZE or
                     USABLE_FRACTION((1 << ok.dk_log2_size) // 2) < odp.ma_used)):
                keys = clone_combined_dict_keys(w_other)
                _free_keys_object(_MEM[(w.addr >> 3) - 1 + _D_KEYS])
                dp.ma_keys = _cast("PyDictKeysObject *", keys)
                dp.ma_used = odp.ma_used
                dp.ma_version_tag = next_version()
                if _is_tracked(w_other.addr) and not _is_tracked(w.addr):
                    _o.gc_track(w.addr)
                return
        mk = _cast("PyDictKeysObject *", dp.ma_keys)
        if USABLE_FRACTION(1 << mk.dk_log2_size) < odp.ma_used:
            ok = _cast("PyDictKeysObject *", odp.ma_keys)
            dictresize(w.addr, estimate_log2_keysize(dp.ma_used + odp.ma_used),
                       ok.dk_kind != DICT_KEYS_GENERAL)
        # iterate other's entries; a size change of `other` meanwhile is an error
        n_other = odp.ma_used
        pos = 0
        while True:
            r = dict_next(w_other, pos)
            if r is None:
                break
            pos, ka, va, h = r
            w_k = wrap(ka)
            w_v = wrap(va)
            if override:
                insertdict(w.addr, w_k, h, w_v.addr)
            else:
                ix, k = _lookup(w.addr, w_k, h)
                if ix < 0:
                    insertdict(w.addr, w_k, h, w_v.addr)
            if _dp(w_other.addr).ma_used != n_other:
                raise oefmt("RuntimeError", "dict mutated during update")
        return
    # generic mapping: keys() then other[key]
    w_keys = space.call_method(w_other, "keys")
    for w_k in list(space.iterate(w_keys)):
        if not override and dict_lookup_addr(w, w_k):
            continue
        dict_setitem(w, w_k, space.getitem(w_other, w_k))


def dict_merge_from_seq2(w, w_seq, override=True):
    """PyDict_MergeFromSeq2: update from an iterable of 2-item iterables."""
    space = _space()
    i = 0
    for w_item in space.iterate(w_seq):
        try:
            pair = list(space.iterate(w_item))
        except OperationError as e:
            if space.exception_match(e, "TypeError"):
                raise oefmt("TypeError",
                            "cannot convert dictionary update sequence element #%d to a sequence", i)
            raise
        if len(pair) != 2:
            raise oefmt("ValueError",
                        "dictionary update sequence element #%d has length %d; 2 is required",
                        i, len(pair))
        w_k, w_v = pair
        if override or not dict_lookup_addr(w, w_k):
            dict_setitem(w, w_k, w_v)
        i += 1


def dict_update_arg(w, w_arg):
    """dictobject.c dict_update_arg."""
    if isinstance(w_arg, W_Dict):
        dict_merge(w, w_arg, True)
        return
    space = _space()
    if space.findattr(w_arg, "keys") is not None:
        dict_merge(w, w_arg, True)
    else:
        dict_merge_from_seq2(w, w_arg, True)


def _update_kwargs(w, kwargs_w):
    if kwargs_w:
        space = _space()
        for name, w_v in kwargs_w.items():
            dict_setitem(w, space.newstr(name) if isinstance(name, str) else name, w_v)


# ---------------------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------------------

@dict_typedef.method("__new__")
def dict_new(w_type, /, *args_w, **kwargs_w):
    return new_for_type(w_type, DICT, dict_typedef, new_dict())     # class MyDict(dict)


@dict_typedef.method("__init__")
def dict_init(w, w_arg=None, /, **kwargs_w):
    if w_arg is not None:
        dict_update_arg(w, w_arg)
    _update_kwargs(w, kwargs_w)
    return w_None


@dict_typedef.method("__len__")
def dict_len(w):
    return newint(dict_size(w))


@dict_typedef.method("__getitem__")
def dict_subscript(w, w_key):
    a = dict_lookup_addr(w, w_key)
    if a:
        return wrap(a)
    if w.__class__ is not W_Dict:
        space = _space()
        f = space.lookup(w, "__missing__")
        if f is not None:
            return space.call_special(f, w, w_key)
    raise _key_error(w_key)


@dict_typedef.method("__setitem__")
def dict_ass_sub(w, w_key, w_value):
    dict_setitem(w, w_key, w_value)
    return w_None


@dict_typedef.method("__delitem__")
def dict_delitem_m(w, w_key):
    dict_delitem(w, w_key)
    return w_None


@dict_typedef.method("__contains__")
def dict_contains(w, w_key):
    return newbool(dict_lookup_addr(w, w_key) != 0)


@dict_typedef.method("get")
def dict_get(w, w_key, w_default=None):
    a = dict_lookup_addr(w, w_key)
    if a:
        return wrap(a)
    return w_None if w_default is None else w_default


@dict_typedef.method("setdefault")
def dict_setdefault(w, w_key, w_default=None):
    """PyDict_SetDefault."""
    if w_default is None:
        w_default = w_None
    h = key_hash(w_key)
    a = dict_lookup_addr(w, w_key, h)
    if a:
        return wrap(a)
    insertdict(w.addr, w_key, h, w_default.addr, absent=True)
    return w_default


@dict_typedef.method("pop")
def dict_pop_m(w, w_key, w_default=None):
    return dict_pop(w, w_key, w_default)


@dict_typedef.method("popitem")
def dict_popitem(w):
    """dictobject.c dict_popitem_impl: the last entry (LIFO)."""
    dp = _dp(w.addr)
    if dp.ma_used == 0:
        raise oefmt("KeyError", "popitem(): dictionary is empty")
    k = _keys_of(w.addr)
    k.p.dk_version = 0
    i = k.nentries - 1
    while i >= 0 and not k.value(i):
        i -= 1
    ka = k.key(i)
    va = k.value(i)
    h = k.entry_hash(i)
    k.set_entry(i, 0, 0, -1)           # popitem leaves me_hash = -1 in general tables
    j = k.lookdict_index(h, i)
    k.iv[k.ib + j] = DKIX_DUMMY
    k.p.dk_nentries = i
    dp.ma_used -= 1
    dp.ma_version_tag = next_version()
    w_res = new_tuple_from_addrs([ka, va])     # the tuple takes its own counts
    decref(ka)
    decref(va)
    return w_res


@dict_typedef.method("keys")
def dict_keys(w):
    return W_DictKeys.new(w)


@dict_typedef.method("values")
def dict_values(w):
    return W_DictValues.new(w)


@dict_typedef.method("items")
def dict_items(w):
    return W_DictItems.new(w)


@dict_typedef.method("update")
def dict_update(w, w_arg=None, /, **kwargs_w):
    if w_arg is not None:
        dict_update_arg(w, w_arg)
    _update_kwargs(w, kwargs_w)
    return w_None


def dict_fromkeys(w_cls, w_iterable, w_value=None):
    """_PyDict_FromKeys (classmethod dict.fromkeys) for the exact dict class."""
    if w_value is None:
        w_value = w_None
    if w_cls is not None and w_cls.addr != DICT.addr:
        # a subclass (or any callable class): d = cls(), then d[key] = value
        space = _space()
        w_d = space.call_function(w_cls)
        for w_k in list(space.iterate(w_iterable)):
            space.setitem(w_d, w_k, w_value)
        return w_d
    w_d = new_dict()
    if _is_plain_dict(w_iterable):
        _ensure_combined(w_iterable.addr)
        ik = _cast("PyDictKeysObject *", _dp(w_iterable.addr).ma_keys)
        dictresize(w_d.addr, estimate_log2_keysize(dict_size(w_iterable)),
                   ik.dk_kind != DICT_KEYS_GENERAL)
        for w_k, h in [(wrap(ka), h) for ka, va, h in dict_entries(w_iterable)]:
            insertdict(w_d.addr, w_k, h, w_value.addr)
        return w_d
    from runtime import setobject
    if type(w_iterable) in (setobject.W_Set, setobject.W_FrozenSet):
        dictresize(w_d.addr, estimate_log2_keysize(setobject.set_size(w_iterable)), False)
        for w_k, h in setobject.set_entries_w(w_iterable):
            insertdict(w_d.addr, w_k, h, w_value.addr)
        return w_d
    for w_k in _space().iterate(w_iterable):
        dict_setitem(w_d, w_k, w_value)
    return w_d


dict_typedef.methods["fromkeys"] = _o.HostClassMethod(dict_fromkeys)


@dict_typedef.method("copy")
def dict_copy_m(w):
    return dict_copy(w)


@dict_typedef.method("clear")
def dict_clear_m(w):
    dict_clear(w)
    return w_None


@dict_typedef.method("__or__")
def dict_or(w, w_other):
    if not isinstance(w, W_Dict) or not isinstance(w_other, W_Dict):
        return w_NotImplemented
    w_new = dict_copy(w)
    dict_update_arg(w_new, w_other)
    return w_new


@dict_typedef.method("__ror__")
def dict_ror(w, w_other):
    if not isinstance(w_other, W_Dict):
        return w_NotImplemented
    w_new = dict_copy(w_other)
    dict_update_arg(w_new, w)
    return w_new


@dict_typedef.method("__ior__")
def dict_ior(w, w_other):
    dict_update_arg(w, w_other)
    return w


def dict_equal(w_a, w_b):
    """dictobject.c dict_equal."""
    if dict_size(w_a) != dict_size(w_b):
        return False
    space = _space()
    pos = 0
    while True:
        r = dict_next(w_a, pos)
        if r is None:
            return True
        pos, ka, va, h = r
        w_k = wrap(ka)
        w_av = wrap(va)
        ix, k = _lookup(w_b.addr, w_k, h)
        if ix < 0:
            return False
        w_bv = wrap(k.value(ix))
        if not (w_av.addr == w_bv.addr or space.eq(w_av, w_bv)):
            return False


@dict_typedef.method("__eq__")
def dict_eq(w, w_other):
    if not isinstance(w_other, W_Dict):
        return w_NotImplemented
    return newbool(dict_equal(w, w_other))


@dict_typedef.method("__ne__")
def dict_ne(w, w_other):
    if not isinstance(w_other, W_Dict):
        return w_NotImplemented
    return newbool(not dict_equal(w, w_other))


dict_typedef.methods["__hash__"] = w_None


@dict_typedef.method("__repr__")
def dict_repr(w):
    if dict_size(w) == 0:
        return newstr("{}")
    if repr_enter(w):
        return newstr("{...}")
    try:
        parts = []
        pos = 0
        while True:
            r = dict_next(w, pos)
            if r is None:
                break
            pos, ka, va, h = r
            w_k = wrap(ka)
            w_v = wrap(va)
            parts.append(repr_s(w_k) + ": " + repr_s(w_v))
    finally:
        repr_leave(w)
    return newstr("{" + ", ".join(parts) + "}")


@dict_typedef.method("__iter__")
def dict_iter(w):
    return W_DictKeyIterator.new(w)


@dict_typedef.method("__reversed__")
def dict_reversed(w):
    return W_DictReverseKeyIterator.new(w)


# ---------------------------------------------------------------------------------------
# Iterators and views: real structs.  dictiterobject is private to Objects/dictobject.c
# (headers/private_objects.h declares it, `beale_dictiterobject`, checked against the
# host by tests/objects/test_private_structs.py); _PyDictViewObject is in
# cpython/dictobject.h.  Both are GC types, tracked at creation (dictiter_new,
# _PyDictView_New), with ob_type = the host's type, so C code can use them directly.
# ---------------------------------------------------------------------------------------

_DI_DICT = _w("beale_dictiterobject", "di_dict")
_DI_USED = _w("beale_dictiterobject", "di_used")
_DI_POS = _w("beale_dictiterobject", "di_pos")
_DI_RESULT = _w("beale_dictiterobject", "di_result")
_DI_LEN = _w("beale_dictiterobject", "len")
_DV_DICT = _w("_PyDictViewObject", "dv_dict")


class W_DictIterator(W_Object):
    """Handle on a dictiterobject.  Subclasses (one per host iterator type) set `_type`,
    `kind` (0 keys, 1 values, 2 items) and `reverse`.

    CPython's items iterators reuse `di_result` for the next pair when nobody else holds
    it; beale builds a fresh tuple for every pair (the handle it returns holds a count
    anyway) and leaves di_result the (None, None) tuple dictiter_new made."""
    __slots__ = ()
    _type = None
    kind = 0
    reverse = False

    @classmethod
    def new(cls, w_dict):
        """dictiter_new."""
        t = cls._type
        addr = _o.alloc_object(t.addr, t.basicsize, gc=True)
        base = (addr >> 3) - 1
        d = w_dict.addr
        incref(d)
        _MEM[base + _DI_DICT] = d
        used = _MEM[(d >> 3) - 1 + _D_USED]
        _MEM[base + _DI_USED] = used
        _MEM[base + _DI_LEN] = used
        if cls.reverse:
            _MEM[base + _DI_POS] = _keys_of(d).nentries - 1
        if cls.kind == 2:
            w_pair = new_tuple_from_addrs([_o.ADDR_None, _o.ADDR_None])
            incref(w_pair.addr)
            _MEM[base + _DI_RESULT] = w_pair.addr
        _o.gc_track(addr)
        return steal(cls, addr)

    @property
    def w_dict(self):
        d = _MEM[(self.addr >> 3) - 1 + _DI_DICT]
        return wrap(d) if d else None

    def next_entry(self):
        """dictiter_iternextkey & co. (dictreviter_iternext for the reverse ones):
        (key_addr, value_addr) of the next live entry, or None at the end (then di_dict
        is dropped and set to NULL)."""
        base = (self.addr >> 3) - 1
        d = _MEM[base + _DI_DICT]
        if not d:
            return None
        if _MEM[(d >> 3) - 1 + _D_USED] != _MEM[base + _DI_USED]:
            _MEM[base + _DI_USED] = -1          # sticky
            raise oefmt("RuntimeError", "dictionary changed size during iteration")
        k = _keys_of(d)
        n = k.nentries
        i = _MEM[base + _DI_POS]
        if self.reverse:
            while 0 <= i < n:
                va = k.value(i)
                if va:
                    _MEM[base + _DI_POS] = i - 1
                    _MEM[base + _DI_LEN] -= 1
                    return k.key(i), va
                i -= 1
        else:
            while i < n:
                va = k.value(i)
                if va:
                    if _MEM[base + _DI_LEN] == 0:
                        # an entry we did not expect: keys replaced, size unchanged
                        self._exhaust(base, d)
                        raise oefmt("RuntimeError", "dictionary keys changed during iteration")
                    _MEM[base + _DI_POS] = i + 1
                    _MEM[base + _DI_LEN] -= 1
                    return k.key(i), va
                i += 1
        self._exhaust(base, d)
        return None

    @staticmethod
    def _exhaust(base, d):
        _MEM[base + _DI_DICT] = 0
        decref(d)

    def length(self):
        """dictiter_len."""
        base = (self.addr >> 3) - 1
        d = _MEM[base + _DI_DICT]
        if d and _MEM[base + _DI_USED] == _MEM[(d >> 3) - 1 + _D_USED]:
            return _MEM[base + _DI_LEN]
        return 0


def _dictiter_next(w_it):
    r = w_it.next_entry()
    if r is None:
        raise OperationError("StopIteration", None)
    if w_it.kind == 0:
        return wrap(r[0])
    if w_it.kind == 1:
        return wrap(r[1])
    return new_tuple_from_addrs([r[0], r[1]])


def _dictiter_length_hint(w_it):
    return newint(w_it.length())


def _dict_iterator_class(name, symbol, kind, reverse):
    """One handle class and TypeDef per CPython dict iterator type (dict_keyiterator, ...)."""
    t = HostType(symbol)
    assert ffi.sizeof("beale_dictiterobject") == t.basicsize     # headers/private_objects.h
    cls = type("W_" + name, (W_DictIterator,), {"__slots__": (), "_type": t, "kind": kind,
                                               "reverse": reverse})
    _o.register_handle_class(t.addr, cls)
    td = TypeDef(name, _o.object_typedef, symbol, cls)
    td.methods["__iter__"] = lambda w: w
    td.methods["__next__"] = _dictiter_next
    td.methods["__length_hint__"] = _dictiter_length_hint
    return cls


W_DictKeyIterator = _dict_iterator_class("dict_keyiterator", "PyDictIterKey_Type", 0, False)
W_DictValueIterator = _dict_iterator_class("dict_valueiterator", "PyDictIterValue_Type", 1, False)
W_DictItemIterator = _dict_iterator_class("dict_itemiterator", "PyDictIterItem_Type", 2, False)
W_DictReverseKeyIterator = _dict_iterator_class("dict_reversekeyiterator",
                                                "PyDictRevIterKey_Type", 0, True)
W_DictReverseValueIterator = _dict_iterator_class("dict_reversevalueiterator",
                                                  "PyDictRevIterValue_Type", 1, True)
W_DictReverseItemIterator = _dict_iterator_class("dict_reverseitemiterator",
                                                 "PyDictRevIterItem_Type", 2, True)
_FORWARD_ITERS = (W_DictKeyIterator, W_DictValueIterator, W_DictItemIterator)
_REVERSE_ITERS = (W_DictReverseKeyIterator, W_DictReverseValueIterator,
                  W_DictReverseItemIterator)


class W_DictView(W_Object):
    """dict_keys / dict_values / dict_items: a _PyDictViewObject (just the dict)."""
    __slots__ = ()
    _type = None
    kind = 0

    @classmethod
    def new(cls, w_dict):
        """_PyDictView_New."""
        t = cls._type
        addr = _o.alloc_object(t.addr, t.basicsize, gc=True)
        incref(w_dict.addr)
        _MEM[(addr >> 3) - 1 + _DV_DICT] = w_dict.addr
        _o.gc_track(addr)
        return steal(cls, addr)

    @property
    def w_dict(self):
        return wrap(_MEM[(self.addr >> 3) - 1 + _DV_DICT])


_VIEW_NAMES = ("dict_keys", "dict_values", "dict_items")
dictview_typedef = TypeDef("dict_view", _o.object_typedef, None, W_DictView)


@dictview_typedef.method("__len__")
def dictview_len(w):
    return newint(dict_size(w.w_dict))


@dictview_typedef.method("__iter__")
def dictview_iter(w):
    return _FORWARD_ITERS[w.kind].new(w.w_dict)


@dictview_typedef.method("__reversed__")
def dictview_reversed(w):
    return _REVERSE_ITERS[w.kind].new(w.w_dict)


@dictview_typedef.method("__contains__")
def dictview_contains(w, w_x):
    if w.kind == 0:
        return newbool(dict_lookup_addr(w.w_dict, w_x) != 0)
    space = _space()
    if w.kind == 2:
        if not isinstance(w_x, W_Tuple) or len(tuple_item_addrs(w_x)) != 2:
            return _o.w_False
        ka, va = tuple_item_addrs(w_x)
        found = dict_lookup_addr(w.w_dict, wrap(ka))
        if not found:
            return _o.w_False
        return newbool(found == va or space.eq(wrap(found), wrap(va)))
    for w_v in dict_values_w(w.w_dict):
        if w_v.addr == w_x.addr or space.eq(w_v, w_x):
            return _o.w_True
    return _o.w_False


@dictview_typedef.method("__repr__")
def dictview_repr(w):
    if repr_enter(w):
        return newstr("...")
    try:
        w_l = _space().newlist(list(_space().iterate(w)))
        return newstr("%s(%s)" % (_VIEW_NAMES[w.kind], repr_s(w_l)))
    finally:
        repr_leave(w)


def _view_as_set(w):
    from runtime import setobject
    return setobject.new_set_from_iterable(w)


def _make_view_setop(opname):
    def op(w, w_other):
        if w.kind == 1:
            return w_NotImplemented
        from runtime import setobject
        w_s = _view_as_set(w) if isinstance(w, W_DictView) else setobject.new_set_from_iterable(w)
        fn = setobject.set_typedef.lookup(opname)
        return fn(w_s, setobject.new_set_from_iterable(w_other))
    op.__name__ = "dictview" + opname
    return op


for _name in ("__and__", "__or__", "__sub__", "__xor__"):
    dictview_typedef.methods[_name] = _make_view_setop(_name)


def _make_view_rsetop(opname):
    def op(w, w_other):
        from runtime import setobject
        fn = setobject.set_typedef.lookup(opname)
        return fn(setobject.new_set_from_iterable(w_other), _view_as_set(w))
    return op


dictview_typedef.methods["__rand__"] = _make_view_rsetop("__and__")
dictview_typedef.methods["__ror__"] = _make_view_rsetop("__or__")
dictview_typedef.methods["__rsub__"] = _make_view_rsetop("__sub__")
dictview_typedef.methods["__rxor__"] = _make_view_rsetop("__xor__")


@dictview_typedef.method("isdisjoint")
def dictview_isdisjoint(w, w_other):
    space = _space()
    for w_x in space.iterate(w_other):
        if space.is_true(dictview_contains(w, w_x)):
            return _o.w_False
    return _o.w_True


def _all_contained_in(w_a, w_b):
    """dictobject.c all_contained_in: every item of a is `in` b (b's __contains__, so an
    items view compares values with ==, and errors propagate)."""
    space = _space()
    for w_x in space.iterate(w_a):
        if not space.contains(w_b, w_x):
            return False
    return True


def _make_view_cmp(op):
    """dictview_richcompare: sizes first, then containment (no temporary sets)."""
    def cmp(w, w_other):
        if w.kind == 1:
            return w_NotImplemented
        from runtime import setobject
        if not isinstance(w_other, (W_DictView, setobject.W_Set, setobject.W_FrozenSet)):
            return w_NotImplemented
        if isinstance(w_other, W_DictView) and w_other.kind == 1:
            return w_NotImplemented
        space = _space()
        n, m = space.len(w), space.len(w_other)
        if op in ("__eq__", "__ne__"):
            ok = n == m and _all_contained_in(w, w_other)
            return newbool(ok if op == "__eq__" else not ok)
        if op == "__lt__":
            return newbool(n < m and _all_contained_in(w, w_other))
        if op == "__le__":
            return newbool(n <= m and _all_contained_in(w, w_other))
        if op == "__gt__":
            return newbool(n > m and _all_contained_in(w_other, w))
        return newbool(n >= m and _all_contained_in(w_other, w))
    return cmp


for _name in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
    dictview_typedef.methods[_name] = _make_view_cmp(_name)


def _dictview_mapping(w):
    """dictview.mapping (dictview_mapping): a read-only proxy of the dict behind the view,
    of the guest's mappingproxy type (types.MappingProxyType), as type.__dict__ is."""
    from runtime.functionobject import new_mappingproxy
    return new_mappingproxy(w.w_dict)


dictview_typedef.methods["mapping"] = _o.HostProperty(_dictview_mapping, name="mapping")


def _view_class(name, symbol, kind):
    """dict_keys / dict_values / dict_items: a handle class and TypeDef each, sharing the
    view methods above (values views have no set operations: they return NotImplemented)."""
    t = HostType(symbol)
    assert ffi.sizeof("_PyDictViewObject") == t.basicsize
    cls = type("W_" + name.title().replace("_", ""), (W_DictView,),
               {"__slots__": (), "_type": t, "kind": kind})
    _o.register_handle_class(t.addr, cls)
    td = TypeDef(name, _o.object_typedef, symbol, cls)
    td.methods.update(dictview_typedef.methods)
    return cls


W_DictKeys = _view_class("dict_keys", "PyDictKeys_Type", 0)
W_DictValues = _view_class("dict_values", "PyDictValues_Type", 1)
W_DictItems = _view_class("dict_items", "PyDictItems_Type", 2)


@dict_typedef.method("__sizeof__")
def dict_sizeof(w):
    """_PyDict_SizeOf (combined tables): the struct plus the keys table it owns."""
    _ensure_combined(w.addr)
    size = DICT.basicsize
    keys_addr = _MEM[(w.addr >> 3) - 1 + _D_KEYS]
    if _cast("PyDictKeysObject *", keys_addr).dk_refcnt == 1:
        size += keys_view(keys_addr).nbytes()
    return newint(size)


guard_methods(dict_typedef, W_Dict)
for _cls in _FORWARD_ITERS + _REVERSE_ITERS:
    guard_methods(_cls.typedef, W_DictIterator)
for _cls in (W_DictKeys, W_DictValues, W_DictItems):
    guard_methods(_cls.typedef, W_DictView)
