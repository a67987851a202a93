"""Guest set and frozenset: real PySetObjects (Objects/setobject.c) in the host's memory.

Layout: PyGC_Head prefix, then `fill`, `used`, `mask`, `table` (the inline `smalltable` of
PySet_MINSIZE entries until the set grows, then a PyMem_Malloc'd array the host's
set_dealloc frees with PyMem_Free), the frozenset `hash` cache (-1 until computed),
`finger` (set.pop's search position) and `weakreflist`.  Each `setentry` caches the key's
hash; deleted entries hold the host's own dummy object (`_PySet_Dummy`) with hash -1.

Probing follows set_lookkey / set_add_entry: LINEAR_PROBES (9) adjacent entries, then a
perturbed jump `i = (i * 5 + 1 + perturb) & mask`; tables grow in set_table_resize when
`fill * 5 >= mask * 3`.  Sets built by the same sequence of adds and discards therefore have
the same table as the host's.
"""

import ctypes
from itertools import compress as _compress

from layout import ffi

from runtime import object as _o
from runtime.object import W_Object, W_Str, wrap, incref, decref, steal, w_None, w_NotImplemented
from runtime.errors import OperationError, oefmt
from runtime.typedef import TypeDef
from runtime.tupleobject import W_Tuple, tuple_item_addrs, SCALAR_EQ_TYPES, check_new_type
from runtime.tupleobject import (HostType, MEM, WORD, word_index, guard_methods, new_for_type, W_HandleOnly, handle_only_type, hash_w, ptr, repr_enter, repr_leave,
                                 repr_s, newstr, newint, newbool, to_signed64, FAST_HASH)

_cast = ffi.cast
_UMASK = (1 << 64) - 1
PySet_MINSIZE = 8
LINEAR_PROBES = 9
PERTURB_SHIFT = 5
_ENTRY = ffi.sizeof("setentry")
_SMALLTABLE = ffi.offsetof("PySetObject", "smalltable")

# The host's dummy key for deleted entries (setobject.c `dummy`, exported as _PySet_Dummy).
ADDR_DUMMY = ctypes.c_void_p.in_dll(ctypes.pythonapi, "_PySet_Dummy").value


_space_module = []


def _space():
    """runtime.space, imported on first use (it imports the object modules)."""
    if _space_module:
        return _space_module[0]
    from runtime import space
    _space_module.append(space)
    return space


class W_Set(W_Object):
    """Handle on a PySetObject of type set (Include/cpython/setobject.h)."""
    __slots__ = ()


class W_FrozenSet(W_Object):
    """Handle on a PySetObject of type frozenset."""
    __slots__ = ()


SET = HostType("PySet_Type")
FROZENSET = HostType("PyFrozenSet_Type")
set_typedef = TypeDef("set", _o.object_typedef, "PySet_Type", W_Set)
frozenset_typedef = TypeDef("frozenset", _o.object_typedef, "PyFrozenSet_Type", W_FrozenSet)
_o.register_handle_class(SET.addr, W_Set)
_o.register_handle_class(FROZENSET.addr, W_FrozenSet)


def _so(addr):
    return _cast("PySetObject *", addr)


def is_anyset(w):
    return isinstance(w, (W_Set, W_FrozenSet))


def set_size(w):
    return MEM[(w.addr >> 3) - 1 + _S_USED]


def _table(so):
    return _cast("setentry *", so.table)


def _smalltable_addr(addr):
    return addr + _SMALLTABLE


# ---------------------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------------------

def _alloc_set(frozen):
    """make_new_set(type, NULL): an empty set on its smalltable, hash -1 (GC tracked, as
    PyType_GenericAlloc tracks it)."""
    t = FROZENSET if frozen else SET
    addr = _o.alloc_object(t.addr, t.basicsize, gc=True)
    so = _so(addr)
    so.fill = 0
    so.used = 0
    so.mask = PySet_MINSIZE - 1
    so.table = _cast("setentry *", _smalltable_addr(addr))
    so.hash = -1
    so.finger = 0
    so.weakreflist = ffi.NULL
    return addr


def _finish(addr, frozen):
    _o.gc_track(addr)
    return steal(W_FrozenSet if frozen else W_Set, addr)


def new_set(items_w=None):
    """BUILD_SET: PySet_New(NULL) then PySet_Add for each handle."""
    addr = _alloc_set(False)
    w = _finish(addr, False)
    if items_w:
        for w_key in items_w:
            set_add_key(w, w_key)
    return w


def new_frozenset(items_w=None):
    """A frozenset of these handles (as frozenset(list) builds it: adds in order)."""
    addr = _alloc_set(True)
    w = _finish(addr, True)
    if items_w:
        for w_key in items_w:
            set_add_key(w, w_key)
    return w


def new_set_from_iterable(w_iterable, frozen=False):
    """make_new_set(type, iterable): set(iterable) / frozenset(iterable)."""
    w = _finish(_alloc_set(frozen), frozen)
    if w_iterable is not None:
        set_update_internal(w, w_iterable)
    return w


# ---------------------------------------------------------------------------------------
# Table operations
# ---------------------------------------------------------------------------------------

def _keys_equal(startkey, w_key, space):
    """The comparison step of set_lookkey: identity, unicode fast path (unicode_eq), then
    PyObject_RichCompare, whose result for an exact int or float against the same exact
    type is the comparison of the decoded values (no handle, no guest code)."""
    if startkey == w_key.addr:
        return True
    c = w_key.__class__
    t = SCALAR_EQ_TYPES.get(c)
    if t is not None and _o.type_addr_of(startkey) == t:
        return c._decode(startkey) == w_key.v
    return space.eq(wrap(startkey), w_key)




_S_FILL = word_index("PySetObject", "fill")
_S_USED = word_index("PySetObject", "used")
_S_MASK = word_index("PySetObject", "mask")
_S_TABLE = word_index("PySetObject", "table")
_E_KEY = word_index("setentry", "key")
_E_HASH = word_index("setentry", "hash")
_E_STRIDE = _ENTRY // WORD


def set_lookkey(w, w_key, h):
    """setobject.c set_lookkey: the index of the entry holding key, or of the unused entry
    that ends the search (its key is NULL).  Restarts if a comparison mutated the set.
    (Entries are read as words: entry j's key is MEM[tb + j * _E_STRIDE + _E_KEY].)"""
    mem = MEM
    sw = (w.addr >> 3) - 1
    key_addr = w_key.addr
    while True:
        table_addr = mem[sw + _S_TABLE]
        tb = (table_addr >> 3) - 1
        mask = mem[sw + _S_MASK]
        perturb = h & _UMASK
        i = perturb & mask
        restart = False
        while not restart:
            probes = LINEAR_PROBES if i + LINEAR_PROBES <= mask else 0
            j = i
            while True:
                eb = tb + j * _E_STRIDE
                ka = mem[eb + _E_KEY]
                eh = mem[eb + _E_HASH]
                if eh == 0 and ka == 0:
                    return j
                if eh == h:
                    if ka == key_addr:
                        return j
                    eq = _keys_equal(ka, w_key, _space())
                    if mem[sw + _S_TABLE] != table_addr or mem[eb + _E_KEY] != ka:
                        restart = True
                        break
                    if eq:
                        return j
                    mask = mem[sw + _S_MASK]
                if probes == 0:
                    break
                probes -= 1
                j += 1
            if restart:
                break
            perturb >>= PERTURB_SHIFT
            i = (i * 5 + 1 + perturb) & mask


def set_insert_clean(table_addr, mask, key_addr, h):
    """setobject.c set_insert_clean: place a key known to be absent (no dummies) in the
    table at table_addr (entries read and written as words, as set_lookkey does)."""
    mem = MEM
    tb = (table_addr >> 3) - 1
    perturb = h & _UMASK
    i = perturb & mask
    while True:
        if not mem[tb + i * _E_STRIDE + _E_KEY]:
            j = i
            break
        j = -1
        if i + LINEAR_PROBES <= mask:
            for k in range(i + 1, i + LINEAR_PROBES + 1):
                if not mem[tb + k * _E_STRIDE + _E_KEY]:
                    j = k
                    break
        if j >= 0:
            break
        perturb >>= PERTURB_SHIFT
        i = (i * 5 + 1 + perturb) & mask
    eb = tb + j * _E_STRIDE
    mem[eb + _E_KEY] = key_addr
    mem[eb + _E_HASH] = h


def set_table_resize(w, minused):
    """setobject.c set_table_resize: rebuild into the smallest power of 2 > minused.
    (Fields and entries are read and written as words; the old table's live entries are
    snapshot first, which covers CPython's copy of a smalltable being rebuilt in place.)"""
    addr = w.addr
    mem = MEM
    sw = (addr >> 3) - 1
    oldmask = mem[sw + _S_MASK]
    newsize = PySet_MINSIZE
    while newsize <= minused:
        newsize <<= 1
    oldtable_addr = mem[sw + _S_TABLE]
    small = addr + _SMALLTABLE
    fill_eq_used = mem[sw + _S_FILL] == mem[sw + _S_USED]
    live = _live_entries(oldtable_addr, oldmask)
    if newsize == PySet_MINSIZE:
        newtable_addr = small
        if newtable_addr == oldtable_addr and fill_eq_used:
            return                      # no dummies, nothing to do
    else:
        newtable_addr = _o.mem_malloc(_ENTRY * newsize)
    nbytes = _ENTRY * newsize
    ffi.memmove(_cast("void *", newtable_addr), _zeros(nbytes), nbytes)
    mask = newsize - 1
    mem[sw + _S_MASK] = mask
    mem[sw + _S_TABLE] = newtable_addr
    mem[sw + _S_FILL] = mem[sw + _S_USED]
    tb = (newtable_addr >> 3) - 1
    for ka, h in live:
        eb = tb + (h & mask) * _E_STRIDE
        if mem[eb + _E_KEY]:            # the first probe is taken: set_insert_clean
            set_insert_clean(newtable_addr, mask, ka, h)
        else:
            mem[eb + _E_KEY] = ka
            mem[eb + _E_HASH] = h
    if oldtable_addr != small:
        _o.mem_free(oldtable_addr)


_ZEROS = {}


def _zeros(n):
    """n zero bytes (kept per size: tables are powers of two)."""
    z = _ZEROS.get(n)
    if z is None:
        z = bytes(n)
        if n <= 1 << 20:
            _ZEROS[n] = z
    return z


def set_add_entry(w, w_key, h):
    """setobject.c set_add_entry: add key (a new reference) unless an equal key is present.
    The commonest case first: the first probed entry is unused (key NULL), so no dummy was
    seen before it and the key goes there (found_unused)."""
    mem = MEM
    sw = (w.addr >> 3) - 1
    mask = mem[sw + _S_MASK]
    eb = (mem[sw + _S_TABLE] >> 3) - 1 + (h & mask) * _E_STRIDE
    if not mem[eb + _E_KEY]:
        key_addr = w_key.addr
        incref(key_addr)
        fill = mem[sw + _S_FILL] + 1
        mem[sw + _S_FILL] = fill
        used = mem[sw + _S_USED] + 1
        mem[sw + _S_USED] = used
        mem[eb + _E_KEY] = key_addr
        mem[eb + _E_HASH] = h
        if fill * 5 >= mask * 3:
            set_table_resize(w, used * 2 if used > 50000 else used * 4)
        return
    _set_add_entry_probing(w, w_key, h)


def _set_add_entry_probing(w, w_key, h):
    """set_add_entry's full probe loop (linear probes, then perturbed jumps)."""
    mem = MEM
    key_addr = w_key.addr
    sw = (w.addr >> 3) - 1
    while True:
        table_addr = mem[sw + _S_TABLE]
        tb = (table_addr >> 3) - 1
        mask = mem[sw + _S_MASK]
        perturb = h & _UMASK
        i = perturb & mask
        restart = False
        freeslot = -1          # a dummy entry seen on the probe sequence
        while True:
            probes = LINEAR_PROBES if i + LINEAR_PROBES <= mask else 0
            j = i
            while True:
                eb = tb + j * _E_STRIDE
                ka = mem[eb + _E_KEY]
                eh = mem[eb + _E_HASH]
                if eh == 0 and ka == 0:
                    incref(key_addr)
                    if freeslot >= 0:
                        # found_unused_or_dummy: reuse the dummy (fill unchanged)
                        fb = tb + freeslot * _E_STRIDE
                        mem[sw + _S_USED] += 1
                        mem[fb + _E_KEY] = key_addr
                        mem[fb + _E_HASH] = h
                        return
                    # found_unused
                    fill = mem[sw + _S_FILL] + 1
                    mem[sw + _S_FILL] = fill
                    used = mem[sw + _S_USED] + 1
                    mem[sw + _S_USED] = used
                    mem[eb + _E_KEY] = key_addr
                    mem[eb + _E_HASH] = h
                    if fill * 5 < mask * 3:
                        return
                    set_table_resize(w, used * 2 if used > 50000 else used * 4)
                    return
                if eh == h:
                    if ka == key_addr:
                        return                  # found_active
                    if _keys_equal(ka, w_key, _space()):
                        return
                    if mem[sw + _S_TABLE] != table_addr or mem[eb + _E_KEY] != ka:
                        restart = True
                        break
                    mask = mem[sw + _S_MASK]
                elif eh == -1:
                    # 3.11 keeps the LAST dummy seen (checked against the host)
                    freeslot = j
                if probes == 0:
                    break
                probes -= 1
                j += 1
            if restart:
                break
            perturb >>= PERTURB_SHIFT
            i = (i * 5 + 1 + perturb) & mask


def set_add_key(w, w_key):
    set_add_entry(w, w_key, hash_w(w_key))


def set_discard_entry(w, w_key, h):
    """setobject.c set_discard_entry: True if found (the entry becomes the dummy)."""
    j = set_lookkey(w, w_key, h)
    so = _so(w.addr)
    e = _table(so)[j]
    ka = ptr(e.key)
    if not ka:
        return False
    e.key = _cast("PyObject *", ADDR_DUMMY)
    e.hash = -1
    so.used -= 1
    decref(ka)
    return True


def set_contains_entry(w, w_key, h):
    j = set_lookkey(w, w_key, h)
    return MEM[(MEM[(w.addr >> 3) - 1 + _S_TABLE] >> 3) - 1 + j * _E_STRIDE + _E_KEY] != 0


def _hash_for_lookup(w_key):
    """set_contains_key & co.: a set used as a key is looked up as a frozenset."""
    try:
        return w_key, hash_w(w_key)
    except OperationError as e:
        if not (isinstance(w_key, W_Set) and _space().exception_match(e, "TypeError")):
            raise
        w_tmp = new_set_from_iterable(w_key, frozen=True)
        return w_tmp, hash_w(w_tmp)


def set_contains_key(w, w_key):
    w_key, h = _hash_for_lookup(w_key)
    return set_contains_entry(w, w_key, h)


def _live_entries(table_addr, mask):
    """(key_addr, hash) of the live entries of a table, in table order: the whole table is
    read in one ffi.unpack (a host list of its words), then NULL and dummy keys dropped."""
    words = ffi.unpack(_cast("intptr_t *", table_addr), (mask + 1) * _E_STRIDE)
    keys = words[_E_KEY::_E_STRIDE]
    live = list(_compress(zip(keys, words[_E_HASH::_E_STRIDE]), keys))    # non-NULL keys
    if ADDR_DUMMY in keys:
        live = [e for e in live if e[0] != ADDR_DUMMY]
    return live


def set_entries(w):
    """Snapshot of (key_addr, hash) of the live entries in table order (_PySet_NextEntry)."""
    sw = (w.addr >> 3) - 1
    return _live_entries(MEM[sw + _S_TABLE], MEM[sw + _S_MASK])


def set_entries_w(w):
    """set_entries with a handle (a count) on each key: for loops that run guest code
    (__eq__, __hash__) while they go, which could otherwise free a key under us."""
    return [(wrap(ka), h) for ka, h in set_entries(w)]


def set_keys_w(w):
    return [wrap(ka) for ka, h in set_entries(w)]


def set_merge(w, w_other):
    """setobject.c set_merge: add every key of another set."""
    so = _so(w.addr)
    other = _so(w_other.addr)
    if w_other.addr == w.addr or other.used == 0:
        return
    if (so.fill + other.used) * 5 >= so.mask * 3:
        set_table_resize(w, (so.used + other.used) * 2)
    so = _so(w.addr)
    if so.fill == 0 and so.mask == other.mask and other.fill == other.used:
        # same size, no dummies: copy the entries pointer for pointer
        n = (other.mask + 1) * _E_STRIDE
        words = ffi.unpack(_cast("intptr_t *", other.table), n)
        for i in range(_E_KEY, n, _E_STRIDE):
            if words[i]:
                incref(words[i])
        ffi.memmove(so.table, other.table, n * WORD)
        so.fill = other.fill
        so.used = other.used
        return
    if so.fill == 0:
        newtable_addr = ptr(so.table)
        mask = so.mask
        so.fill = other.used
        so.used = other.used
        for ka, h in set_entries(w_other):        # no guest code runs here
            incref(ka)
            set_insert_clean(newtable_addr, mask, ka, h)
        return
    for w_k, h in set_entries_w(w_other):
        set_add_entry(w, w_k, h)


def set_update_internal(w, w_other):
    """setobject.c set_update_internal: from a set, a dict (keys, known hashes) or any
    iterable."""
    if is_anyset(w_other):
        set_merge(w, w_other)
        return
    from runtime.dictobject import W_Dict, dict_size, dict_entries
    if type(w_other) is W_Dict:
        so = _so(w.addr)
        dictsize = dict_size(w_other)
        if (so.fill + dictsize) * 5 >= so.mask * 3:
            set_table_resize(w, (so.used + dictsize) * 2)
        for w_k, h in [(wrap(ka), h) for ka, va, h in dict_entries(w_other)]:
            set_add_entry(w, w_k, h)
        return
    if type(w_other) is W_Tuple:
        # an exact tuple keeps its items alive while guest __hash__/__eq__ run
        for a in tuple_item_addrs(w_other):
            w_key = wrap(a)
            set_add_entry(w, w_key, hash_w(w_key))
        return
    for w_key in _space().iterate(w_other):
        set_add_entry(w, w_key, hash_w(w_key))


def set_clear_internal(w):
    """setobject.c set_clear_internal: empty to the smalltable first, then drop keys."""
    addr = w.addr
    so = _so(addr)
    keys = [ka for ka, h in set_entries(w)]
    table_addr = ptr(so.table)
    small = _smalltable_addr(addr)
    ctypes.memset(small, 0, _ENTRY * PySet_MINSIZE)
    so.fill = 0
    so.used = 0
    so.mask = PySet_MINSIZE - 1
    so.table = _cast("setentry *", small)
    so.hash = -1
    for ka in keys:
        decref(ka)
    if table_addr != small:
        _o.mem_free(table_addr)


def set_swap_bodies(wa, wb):
    """setobject.c set_swap_bodies: exchange the tables of two sets (smalltables copied)."""
    a = _so(wa.addr)
    b = _so(wb.addr)
    a_small = _smalltable_addr(wa.addr)
    b_small = _smalltable_addr(wb.addr)
    a.fill, b.fill = b.fill, a.fill
    a.used, b.used = b.used, a.used
    a.mask, b.mask = b.mask, a.mask
    at = ptr(a.table)
    bt = ptr(b.table)
    u = b_small if at == a_small else at
    a.table = _cast("setentry *", a_small if bt == b_small else bt)
    b.table = _cast("setentry *", u)
    if ptr(a.table) == a_small or ptr(b.table) == b_small:
        n = _ENTRY * PySet_MINSIZE
        tmp = ctypes.string_at(a_small, n)
        ctypes.memmove(a_small, b_small, n)
        ctypes.memmove(b_small, tmp, n)
    if isinstance(wa, W_FrozenSet) and isinstance(wb, W_FrozenSet):
        a.hash, b.hash = b.hash, a.hash
    else:
        a.hash = -1
        b.hash = -1


def set_pop_addr(w):
    """setobject.c set_pop: take the first live entry from the finger on (a new reference
    for the caller, which the handle made from it then owns)."""
    so = _so(w.addr)
    if so.used == 0:
        raise oefmt("KeyError", "pop from an empty set")
    table = _table(so)
    mask = so.mask
    i = so.finger & mask
    while True:
        ka = ptr(table[i].key)
        if ka and ka != ADDR_DUMMY:
            break
        i += 1
        if i > mask:
            i = 0
    table[i].key = _cast("PyObject *", ADDR_DUMMY)
    table[i].hash = -1
    so.used -= 1
    so.finger = i + 1
    return ka


# ---------------------------------------------------------------------------------------
# Algebra (setobject.c set_intersection, set_difference, ...)
# ---------------------------------------------------------------------------------------

def _new_like(w, w_iterable=None):
    """make_new_set_basetype: a set of w's exact base type (set or frozenset)."""
    return new_set_from_iterable(w_iterable, frozen=isinstance(w, W_FrozenSet))


def set_copy(w):
    return _new_like(w, w)


def set_intersection(w, w_other):
    """setobject.c set_intersection."""
    if w_other.addr == w.addr:
        return set_copy(w)
    w_res = _new_like(w)
    if is_anyset(w_other):
        if set_size(w_other) > set_size(w):
            w, w_other = w_other, w
        for w_k, h in set_entries_w(w_other):
            if set_contains_entry(w, w_k, h):
                set_add_entry(w_res, w_k, h)
        return w_res
    for w_k in _space().iterate(w_other):
        h = hash_w(w_k)
        if set_contains_entry(w, w_k, h):
            set_add_entry(w_res, w_k, h)
    return w_res


def set_difference_update_internal(w, w_other):
    """setobject.c set_difference_update_internal."""
    if w_other.addr == w.addr:
        set_clear_internal(w)
        return
    if is_anyset(w_other):
        if (set_size(w_other) >> 3) > set_size(w):
            w_other = set_intersection(w, w_other)
        for w_k, h in set_entries_w(w_other):
            set_discard_entry(w, w_k, h)
    else:
        for w_k in _space().iterate(w_other):
            w_k2, h = _hash_for_lookup(w_k)
            set_discard_entry(w, w_k2, h)
    so = _so(w.addr)
    if so.fill - so.used <= so.mask // 4:
        return
    set_table_resize(w, so.used * 2 if so.used > 50000 else so.used * 4)


def set_difference(w, w_other):
    """setobject.c set_difference."""
    from runtime.dictobject import W_Dict, dict_size, dict_lookup_addr
    # no shortcut for an empty self: set().difference(123) is a TypeError (bpo-37219)
    if is_anyset(w_other):
        other_size = set_size(w_other)
    elif type(w_other) is W_Dict:
        other_size = dict_size(w_other)
    else:
        w_res = set_copy(w)
        set_difference_update_internal(w_res, w_other)
        return w_res
    if (set_size(w) >> 2) > other_size:
        w_res = set_copy(w)
        set_difference_update_internal(w_res, w_other)
        return w_res
    w_res = _new_like(w)
    for w_k, h in set_entries_w(w):
        if type(w_other) is W_Dict:
            present = dict_lookup_addr(w_other, w_k, h) != 0
        else:
            present = set_contains_entry(w_other, w_k, h)
        if not present:
            set_add_entry(w_res, w_k, h)
    return w_res


def set_symmetric_difference_update(w, w_other):
    """setobject.c set_symmetric_difference_update."""
    if w_other.addr == w.addr:
        set_clear_internal(w)
        return
    if not is_anyset(w_other):
        w_other = new_set_from_iterable(w_other)
    for w_k, h in set_entries_w(w_other):
        if not set_discard_entry(w, w_k, h):
            set_add_entry(w, w_k, h)


def set_symmetric_difference(w, w_other):
    w_res = _new_like(w, w_other)
    set_symmetric_difference_update(w_res, w)
    return w_res


def set_issubset(w, w_other):
    if not is_anyset(w_other):
        w_other = new_set_from_iterable(w_other)
    if set_size(w) > set_size(w_other):
        return False
    for w_k, h in set_entries_w(w):
        if not set_contains_entry(w_other, w_k, h):
            return False
    return True


# --- frozenset hash (setobject.c frozenset_hash) -----------------------------------------

def _shuffle_bits(h):
    h &= _UMASK
    return (((h ^ 89869747) ^ (h << 16)) * 3644798167) & _UMASK


def frozenset_hash_value(w):
    so = _so(w.addr)
    if so.hash != -1:
        return so.hash
    h = 0
    for ka, eh in set_entries(w):     # null and dummy entries cancel out in CPython's loop
        h ^= _shuffle_bits(eh)
    h ^= ((so.used + 1) * 1927868237) & _UMASK
    h ^= (h >> 11) ^ (h >> 25)
    h = (h * 69069 + 907133923) & _UMASK
    if h == _UMASK:
        h = 590923713
    h = to_signed64(h)
    so.hash = h
    return h


# ---------------------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------------------

def _method(name, *typedefs):
    def register(fn):
        for td in typedefs or (set_typedef, frozenset_typedef):
            td.methods[name] = fn
        return fn
    return register


@_method("__len__")
def set_len(w):
    return newint(set_size(w))


@_method("__contains__")
def set_contains(w, w_key):
    return newbool(set_contains_key(w, w_key))


@_method("__iter__")
def set_iter(w):
    return W_SetIterator.new(w)


@_method("copy")
def set_copy_m(w):
    if type(w) is W_FrozenSet:
        return w
    return set_copy(w)


@_method("union")
def set_union(w, *others_w):
    w_res = set_copy(w)
    for w_o in others_w:
        set_update_internal(w_res, w_o)
    return w_res


@_method("intersection")
def set_intersection_multi(w, *others_w):
    w_res = set_copy(w) if not others_w else w
    for w_o in others_w:
        w_res = set_intersection(w_res, w_o)
    return w_res


@_method("difference")
def set_difference_multi(w, *others_w):
    if not others_w:
        return set_copy(w)
    w_res = set_difference(w, others_w[0])
    for w_o in others_w[1:]:
        set_difference_update_internal(w_res, w_o)
    return w_res


@_method("symmetric_difference")
def set_symmetric_difference_m(w, w_other):
    return set_symmetric_difference(w, w_other)


@_method("issubset")
def set_issubset_m(w, w_other):
    return newbool(set_issubset(w, w_other))


@_method("issuperset")
def set_issuperset_m(w, w_other):
    if not is_anyset(w_other):
        w_other = new_set_from_iterable(w_other)
    return newbool(set_issubset(w_other, w))


@_method("isdisjoint")
def set_isdisjoint(w, w_other):
    if is_anyset(w_other):
        a, b = (w, w_other) if set_size(w) <= set_size(w_other) else (w_other, w)
        for w_k, h in set_entries_w(a):
            if set_contains_entry(b, w_k, h):
                return _o.w_False
        return _o.w_True
    for w_k in _space().iterate(w_other):
        if set_contains_key(w, w_k):
            return _o.w_False
    return _o.w_True


def _binop(fn):
    def op(w, w_other):
        if not is_anyset(w_other):
            return w_NotImplemented
        return fn(w, w_other)
    return op


_method("__or__")(_binop(lambda w, o: set_union(w, o)))
_method("__and__")(_binop(set_intersection))
_method("__sub__")(_binop(set_difference))
_method("__xor__")(_binop(set_symmetric_difference))


def _rbinop(fn):
    # only reached when the left operand is not a set (e.g. a dict view): compute with the
    # sets in the original order
    def op(w, w_other):
        if not is_anyset(w_other):
            return w_NotImplemented
        return fn(w_other, w)
    return op


def _richcmp(op):
    def cmp(w, w_other):
        if not is_anyset(w_other):
            return w_NotImplemented
        n1, n2 = set_size(w), set_size(w_other)
        if op == "__eq__":
            if n1 != n2:
                return _o.w_False
            if isinstance(w, W_FrozenSet) and isinstance(w_other, W_FrozenSet):
                if frozenset_hash_value(w) != frozenset_hash_value(w_other):
                    return _o.w_False
            return newbool(set_issubset(w, w_other))
        if op == "__ne__":
            r = cmp_eq(w, w_other)
            return newbool(r is _o.w_False)
        if op == "__le__":
            return newbool(set_issubset(w, w_other))
        if op == "__ge__":
            return newbool(set_issubset(w_other, w))
        if op == "__lt__":
            return newbool(n1 < n2 and set_issubset(w, w_other))
        return newbool(n1 > n2 and set_issubset(w_other, w))
    return cmp


cmp_eq = _richcmp("__eq__")
for _op in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
    _method(_op)(_richcmp(_op))


@_method("__repr__")
def set_repr(w):
    name = "frozenset" if isinstance(w, W_FrozenSet) else "set"
    if w.__class__ not in (W_Set, W_FrozenSet):
        name = w.__class__.typedef.name
    if set_size(w) == 0:
        return newstr("%s()" % name)
    if repr_enter(w):
        return newstr("%s(...)" % name)
    try:
        body = "{" + ", ".join(repr_s(w_k) for w_k in set_keys_w(w)) + "}"
    finally:
        repr_leave(w)
    if name != "set":
        return newstr("%s(%s)" % (name, body))
    return newstr(body)


@_method("__hash__", frozenset_typedef)
def frozenset_hash(w):
    return newint(frozenset_hash_value(w))


set_typedef.methods["__hash__"] = w_None
FAST_HASH[W_FrozenSet] = frozenset_hash_value      # hash_w: no guest int for the result


def _type_td(w_type, base_td):
    """The TypeDef of the type a __new__ was called with (a TypeError, as new_for_type
    gives, when it is not a type: its struct must not be read as a PyTypeObject)."""
    from runtime import typeobject
    check_new_type(w_type, base_td)
    return typeobject.typedef_of_type(w_type)


def _unpack_iterable(name, args_w):
    """PyArg_UnpackTuple(args, name, 0, 1, &iterable)."""
    if len(args_w) > 1:
        raise oefmt("TypeError", "%s expected at most 1 argument, got %d", name, len(args_w))
    return args_w[0] if args_w else None


@_method("__new__", frozenset_typedef)
def frozenset_new(w_type, /, *args_w, **kwargs_w):
    """frozenset_new: keywords are refused unless a subclass has its own __init__ (which
    then takes them)."""
    exact = w_type is None or w_type.addr == FROZENSET.addr
    td = frozenset_typedef if exact else _type_td(w_type, frozenset_typedef)
    if kwargs_w and (exact or td.lookup("__init__") is frozenset_typedef.lookup("__init__")):
        raise oefmt("TypeError", "frozenset() takes no keyword arguments")
    w_iterable = _unpack_iterable(td.name, args_w)
    if not exact:
        return new_for_type(w_type, FROZENSET, frozenset_typedef,
                            new_set_from_iterable(w_iterable, frozen=True))
    if w_iterable is not None and type(w_iterable) is W_FrozenSet:
        return w_iterable
    return new_set_from_iterable(w_iterable, frozen=True)


@_method("__new__", set_typedef)
def set_new(w_type, /, *args_w, **kwargs_w):
    """set_new: an empty set (set.__init__ fills it); keywords are refused unless a
    subclass has its own __init__ (which then takes them)."""
    if kwargs_w and (w_type is None or w_type.addr == SET.addr or
                     _type_td(w_type, set_typedef).lookup("__init__") is
                     set_typedef.methods["__init__"]):
        raise oefmt("TypeError", "set() takes no keyword arguments")
    return new_for_type(w_type, SET, set_typedef, new_set())        # class MySet(set)


@_method("__init__", set_typedef)
def set_init(w, /, *args_w, **kwargs_w):
    """set_init: set() takes no keyword arguments, at most one iterable."""
    if kwargs_w:
        raise oefmt("TypeError", "set() takes no keyword arguments")
    w_iterable = _unpack_iterable(w.__class__.typedef.name, args_w)
    if set_size(w) or _so(w.addr).fill:
        set_clear_internal(w)
    if w_iterable is not None:
        set_update_internal(w, w_iterable)
    return w_None


@_method("add", set_typedef)
def set_add(w, w_key):
    set_add_key(w, w_key)
    return w_None


@_method("discard", set_typedef)
def set_discard(w, w_key):
    w_key, h = _hash_for_lookup(w_key)
    set_discard_entry(w, w_key, h)
    return w_None


@_method("remove", set_typedef)
def set_remove(w, w_key):
    w_k2, h = _hash_for_lookup(w_key)
    if not set_discard_entry(w, w_k2, h):
        from runtime.dictobject import _key_error
        raise _key_error(w_key)
    return w_None


@_method("pop", set_typedef)
def set_pop(w):
    ka = set_pop_addr(w)
    w_k = wrap(ka)
    decref(ka)          # the set's reference: the handle holds its own
    return w_k


@_method("clear", set_typedef)
def set_clear(w):
    set_clear_internal(w)
    return w_None


@_method("update", set_typedef)
def set_update(w, *others_w):
    for w_o in others_w:
        set_update_internal(w, w_o)
    return w_None


@_method("intersection_update", set_typedef)
def set_intersection_update(w, *others_w):
    w_tmp = set_intersection_multi(w, *others_w)
    if w_tmp.addr != w.addr:
        set_swap_bodies(w, w_tmp)
    return w_None


@_method("difference_update", set_typedef)
def set_difference_update(w, *others_w):
    for w_o in others_w:
        set_difference_update_internal(w, w_o)
    return w_None


@_method("symmetric_difference_update", set_typedef)
def set_symmetric_difference_update_m(w, w_other):
    set_symmetric_difference_update(w, w_other)
    return w_None


def _inplace(fn):
    def op(w, w_other):
        if not is_anyset(w_other):
            return w_NotImplemented
        fn(w, w_other)
        return w
    return op


_method("__ior__", set_typedef)(_inplace(set_update_internal))
_method("__iand__", set_typedef)(_inplace(lambda w, o: set_intersection_update(w, o)))
_method("__isub__", set_typedef)(_inplace(set_difference_update_internal))
_method("__ixor__", set_typedef)(_inplace(set_symmetric_difference_update))


# ---------------------------------------------------------------------------------------
# Iterator: a setiterobject (private to setobject.c; headers/private_objects.h declares it
# as `beale_setiterobject`, checked against the host by tests/objects/test_private_structs)
# with ob_type = the host's PySetIter_Type; a GC type, tracked at creation as set_iter does.
# ---------------------------------------------------------------------------------------

_SI_SET = word_index("beale_setiterobject", "si_set")
_SI_USED = word_index("beale_setiterobject", "si_used")
_SI_POS = word_index("beale_setiterobject", "si_pos")
_SI_LEN = word_index("beale_setiterobject", "len")
_SO_USED = word_index("PySetObject", "used")
SETITER = HostType("PySetIter_Type")
assert ffi.sizeof("beale_setiterobject") == SETITER.basicsize


class W_SetIterator(W_Object):
    """Handle on a setiterobject: si_set, si_used (size at creation), si_pos, len."""
    __slots__ = ()

    @staticmethod
    def new(w_set):
        """set_iter."""
        addr = _o.alloc_object(SETITER.addr, SETITER.basicsize, gc=True)
        base = (addr >> 3) - 1
        a = w_set.addr
        incref(a)
        used = MEM[(a >> 3) - 1 + _SO_USED]
        MEM[base + _SI_SET] = a
        MEM[base + _SI_USED] = used
        MEM[base + _SI_LEN] = used
        _o.gc_track(addr)
        return steal(W_SetIterator, addr)

    @property
    def w_set(self):
        a = MEM[(self.addr >> 3) - 1 + _SI_SET]
        return wrap(a) if a else None


_o.register_handle_class(SETITER.addr, W_SetIterator)


def _setiter_next(w_it):
    """setiter_iternext."""
    base = (w_it.addr >> 3) - 1
    a = MEM[base + _SI_SET]
    if not a:
        raise OperationError("StopIteration", None)
    so = _so(a)
    if so.used != MEM[base + _SI_USED]:
        MEM[base + _SI_USED] = -1              # sticky
        raise oefmt("RuntimeError", "Set changed size during iteration")
    mem = MEM
    sw = (a >> 3) - 1
    tk = (mem[sw + _S_TABLE] >> 3) - 1 + _E_KEY
    i = mem[base + _SI_POS]
    mask = mem[sw + _S_MASK]
    ka = 0
    while i <= mask:
        ka = mem[tk + i * _E_STRIDE]
        if ka and ka != ADDR_DUMMY:
            break
        i += 1
    MEM[base + _SI_POS] = i + 1
    if i > mask:
        MEM[base + _SI_SET] = 0
        _o.decref(a)
        raise OperationError("StopIteration", None)
    MEM[base + _SI_LEN] -= 1
    return wrap(ka)


def _setiter_length_hint(w_it):
    """setiter_len."""
    base = (w_it.addr >> 3) - 1
    a = MEM[base + _SI_SET]
    if a and MEM[base + _SI_USED] == MEM[(a >> 3) - 1 + _SO_USED]:
        return newint(MEM[base + _SI_LEN])
    return newint(0)


set_iterator_typedef = TypeDef("set_iterator", _o.object_typedef, "PySetIter_Type", W_SetIterator)
set_iterator_typedef.methods["__iter__"] = lambda w: w
set_iterator_typedef.methods["__next__"] = _setiter_next
set_iterator_typedef.methods["__length_hint__"] = _setiter_length_hint


@_method("__sizeof__")
def set_sizeof(w):
    """set_sizeof: the struct plus a malloc'd table, if any."""
    so = _so(w.addr)
    size = (FROZENSET if isinstance(w, W_FrozenSet) else SET).basicsize
    if ptr(so.table) != _smalltable_addr(w.addr):
        size += (so.mask + 1) * _ENTRY
    return newint(size)


def set_reduce(w):
    """set_reduce: (type(self), (list(self),), self.__dict__ or None)."""
    from runtime import space, typeobject
    w_d = typeobject.get_instance_dict(w)
    return space.newtuple([space.type(w), space.newtuple([space.newlist(list(space.iterate(w)))]),
                           w_d if w_d is not None else _o.w_None])


set_typedef.methods["__reduce__"] = set_reduce
frozenset_typedef.methods["__reduce__"] = set_reduce


guard_methods(set_typedef, W_Set)
guard_methods(frozenset_typedef, W_FrozenSet)
guard_methods(set_iterator_typedef, W_SetIterator)
